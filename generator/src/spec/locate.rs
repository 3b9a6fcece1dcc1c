//! Finds where the node at a JSON pointer stands in a YAML (or JSON) text.
//!
//! Only called when a problem is reported, so loading a spec that is fine pays nothing for it.
//! The YAML is re-read as a stream of parser events while a stack tracks the path.

use std::collections::HashMap;

use granit_parser::{Event, Parser};

use super::Location;
use super::pointer;

/// The container the parser is inside, and what it expects next.
enum Frame {
    /// In a mapping: `None` while the next node is a key, the key while its value comes.
    Map(Option<String>),
    /// In a sequence: the index of the next item.
    Seq(usize),
}

/// Line and column of the node at `pointer` (of its key, for a mapping entry). When the
/// pointer does not exist, the deepest existing node on its way; `None` if the text does not
/// parse before that.
pub fn locate(text: &str, pointer: &str) -> Option<Location> {
    locate_all(text, &[pointer]).pop().flatten()
}

/// [`locate`] of every pointer in `pointers`, in one reading of the text: a spec with many
/// warnings was read once per warning (openapi-generator's issue_7651 spec: 50 warnings,
/// 40 ms; a warning on Stripe's spec costs 150 ms a reading).
pub fn locate_all(text: &str, pointers: &[&str]) -> Vec<Option<Location>> {
    let targets: Vec<Vec<String>> = pointers.iter().map(|p| pointer::segments(p)).collect();
    let mut found: Vec<Option<(usize, Location)>> = vec![None; targets.len()];
    let mut done: Vec<bool> = targets.iter().map(Vec::is_empty).collect();
    for (target, found) in targets.iter().zip(&mut found) {
        if target.is_empty() {
            *found = Some((0, Location { line: 1, column: 1 }));
        }
    }
    let mut remaining = done.iter().filter(|done| !**done).count();
    // Each target's prefixes by their key (segments joined by NUL): the nodes on its way.
    let mut prefixes: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for (index, target) in targets.iter().enumerate() {
        let mut key = String::new();
        for (depth, segment) in target.iter().enumerate() {
            key.push('\0');
            key.push_str(segment);
            prefixes
                .entry(key.clone())
                .or_default()
                .push((index, depth + 1));
        }
    }
    if remaining > 0 {
        walk(text, |path, key, segment, location| {
            let Some(candidates) = prefixes.get(key) else {
                return false;
            };
            for &(index, depth) in candidates {
                let target = &targets[index];
                // The key is the path's: unless a segment holds a NUL, this is the node.
                let matches = path
                    .iter()
                    .map(String::as_str)
                    .chain(std::iter::once(segment))
                    .eq(target[..depth].iter().map(String::as_str));
                if done[index] || !matches {
                    continue;
                }
                if found[index].is_none_or(|(known, _)| known < depth) {
                    found[index] = Some((depth, location));
                }
                if depth == target.len() {
                    done[index] = true;
                    remaining -= 1;
                }
            }
            remaining == 0
        });
    }
    found
        .into_iter()
        .map(|found| found.map(|(_, location)| location))
        .collect()
}

/// Reads `text` as parser events while a stack tracks the path, and calls `visit` with each
/// node that can be pointed at (a mapping's key, a sequence's item): the path of its
/// container, that path as a key (each segment after a NUL), its own segment and where it
/// is. Stops when `visit` says so, or where the text stops parsing.
fn walk(text: &str, mut visit: impl FnMut(&[String], &str, &str, Location) -> bool) {
    let mut stack: Vec<Frame> = Vec::new();
    // The path of the innermost open container, and the same as one key.
    let mut path: Vec<String> = Vec::new();
    let mut path_key = String::new();
    let mut key_lengths: Vec<usize> = Vec::new();
    let mut node_key = String::new();
    let mut consider = |path: &[String], path_key: &str, segment: &str, location: Location| {
        node_key.clear();
        node_key.push_str(path_key);
        node_key.push('\0');
        node_key.push_str(segment);
        visit(path, &node_key, segment, location)
    };

    for item in Parser::new_from_str(text) {
        let Ok((event, span)) = item else { break };
        let location = Location {
            line: span.start.line(),
            column: span.start.col() + 1,
        };
        let is_container = match event {
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                path.pop();
                path_key.truncate(key_lengths.pop().unwrap_or(0));
                finish_value(&mut stack);
                continue;
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => true,
            Event::Scalar(..) | Event::Alias(..) => false,
            _ => continue,
        };
        // A key of a mapping.
        if let Some(Frame::Map(key @ None)) = stack.last_mut() {
            let name = match &event {
                Event::Scalar(value, ..) => value.to_string(),
                _ => String::new(),
            };
            if consider(&path, &path_key, &name, location) {
                return;
            }
            *key = Some(name);
            if is_container {
                // A complex key: skip its contents by treating it as an anonymous container.
                stack.push(Frame::Seq(0));
                key_lengths.push(path_key.len());
                path_key.push('\0');
                path_key.push_str("\u{0}key");
                path.push(String::from("\u{0}key"));
            }
            continue;
        }
        // A value: a mapping's, a sequence item, or the document root.
        let segment = match stack.last() {
            Some(Frame::Map(Some(key))) => Some(key.clone()),
            Some(Frame::Seq(index)) => Some(index.to_string()),
            _ => None,
        };
        if let Some(segment) = &segment {
            // A sequence item has no key to point at: the value itself is the answer.
            if matches!(stack.last(), Some(Frame::Seq(_)))
                && consider(&path, &path_key, segment, location)
            {
                return;
            }
        }
        if is_container {
            key_lengths.push(path_key.len());
            let segment = segment.unwrap_or_default();
            // The root container has no segment of its own.
            if !(path.is_empty() && stack.is_empty()) {
                path_key.push('\0');
                path_key.push_str(&segment);
                path.push(segment);
            }
            stack.push(if matches!(event, Event::MappingStart(..)) {
                Frame::Map(None)
            } else {
                Frame::Seq(0)
            });
        } else {
            finish_value(&mut stack);
        }
    }
}

/// After a complete value, a mapping expects a key again and a sequence its next item.
fn finish_value(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Map(key)) => *key = None,
        Some(Frame::Seq(index)) => *index += 1,
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
openapi: 3.0.3
info:
  title: t
paths:
  /users/{id}:
    get:
      parameters:
        - name: id
          in: path
        - name: q
          in: query
json: {\"a\": [1, {\"b\": 2}]}
";

    fn at(pointer: &str) -> (usize, usize) {
        let location = locate(TEXT, pointer).expect("located");
        (location.line, location.column)
    }

    #[test]
    fn finds_mapping_keys() {
        assert_eq!(at("/openapi"), (1, 1));
        assert_eq!(at("/info/title"), (3, 3));
        assert_eq!(at("/paths/~1users~1{id}/get"), (6, 5));
    }

    #[test]
    fn finds_sequence_items_and_their_keys() {
        assert_eq!(at("/paths/~1users~1{id}/get/parameters/1"), (10, 11));
        assert_eq!(at("/paths/~1users~1{id}/get/parameters/1/in"), (11, 11));
    }

    #[test]
    fn finds_nodes_in_flow_style() {
        let (line, _) = at("/json/a/1/b");
        assert_eq!(line, 12);
        assert!(
            at("/json/a/1/b") > at("/json/a/0"),
            "{:?} {:?}",
            at("/json/a/1/b"),
            at("/json/a/0")
        );
    }

    #[test]
    fn falls_back_to_the_deepest_existing_node() {
        assert_eq!(at("/info/missing/deeper"), (2, 1));
    }

    /// Many pointers in one reading: each where it is alone, in the order asked.
    #[test]
    fn locates_many_pointers_at_once() {
        let pointers = [
            "/paths/~1users~1{id}/get/parameters/1/in",
            "",
            "/openapi",
            "/info/missing/deeper",
            "/json/a/1/b",
            "/nothing",
            "/paths/~1users~1{id}/get",
            "/openapi",
        ];
        let one_by_one: Vec<Option<Location>> = pointers
            .iter()
            .map(|pointer| locate(TEXT, pointer))
            .collect();
        assert_eq!(locate_all(TEXT, &pointers), one_by_one);
        assert_eq!(one_by_one[0].map(|l| (l.line, l.column)), Some((11, 11)));
        assert_eq!(one_by_one[1].map(|l| (l.line, l.column)), Some((1, 1)));
        // Where the text stops parsing, what was found before it.
        let broken = "a:\n  b: 1\n  c: [\n";
        assert_eq!(
            locate_all(broken, &["/a/b", "/a/c/0", "/z"]),
            ["/a/b", "/a/c/0", "/z"].map(|pointer| locate(broken, pointer))
        );
    }
}
