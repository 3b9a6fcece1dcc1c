//! Finds where the node at a JSON pointer stands in a YAML (or JSON) text.
//!
//! Only called when a problem is reported, so loading a spec that is fine pays nothing for it.
//! The YAML is re-read as a stream of parser events while a stack tracks the path.

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
    let target = pointer::segments(pointer);
    if target.is_empty() {
        return Some(Location { line: 1, column: 1 });
    }
    let mut stack: Vec<Frame> = Vec::new();
    // The path of the innermost open container.
    let mut path: Vec<String> = Vec::new();
    let mut best: Option<(usize, Location)> = None;
    let mut consider = |path: &[String], segment: &str, location: Location| -> bool {
        let depth = path.len() + 1;
        let matches = path
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(segment))
            .zip(target.iter())
            .all(|(a, b)| a == b)
            && depth <= target.len();
        if matches && best.is_none_or(|(d, _)| d < depth) {
            best = Some((depth, location));
        }
        matches && depth == target.len()
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
            if consider(&path, &name, location) {
                return Some(location);
            }
            *key = Some(name);
            if is_container {
                // A complex key: skip its contents by treating it as an anonymous container.
                stack.push(Frame::Seq(0));
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
            if matches!(stack.last(), Some(Frame::Seq(_))) && consider(&path, segment, location) {
                return Some(location);
            }
        }
        if is_container {
            path.push(segment.unwrap_or_default());
            if path.len() == 1 && stack.is_empty() {
                // The root container has no segment of its own.
                path.clear();
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
    best.map(|(_, location)| location)
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
}
