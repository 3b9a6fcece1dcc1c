//! YAML text → a JSON tree, keeping every key YAML allows: a mapping key written `null`,
//! `true` or `200` is the property, status or name spelled so (`null:` is a property named
//! "null" in openapi-generator's reserved-words spec), where reading into `serde_json::Value`
//! directly refuses a `null` key.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A JSON value read from YAML.
pub(super) struct Yaml(pub Value);

impl<'de> Deserialize<'de> for Yaml {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YamlVisitor).map(Yaml)
    }
}

/// A mapping key as its text; a `null` key is the text `null`.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let key = Option::<String>::deserialize(deserializer)?;
        Ok(Key(key.unwrap_or_else(|| "null".to_owned())))
    }
}

struct YamlVisitor;

impl<'de> Visitor<'de> for YamlVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Yaml::deserialize(deserializer).map(|yaml| yaml.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Yaml(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(Key(key)) = map.next_key()? {
            let Yaml(value) = map.next_value()?;
            if object.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate key {key:?}")));
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

// ---------------------------------------------------------------------------------------
// Large documents, parsed in parts on every core.

/// Documents smaller than this are parsed whole: splitting pays off on large ones only.
const SPLIT_BYTES: usize = 256 * 1024;
/// How deep mappings are split: the root, then `paths`, `components`, `components/schemas`.
const SPLIT_DEPTH: usize = 3;

/// `text` read as [`Yaml`] in parts, on every core, when it is a large block mapping whose
/// entries (and those of its largest values, a few levels down) start on lines of their own,
/// as tools write OpenAPI documents. `None` when it is not, or when anything is unusual: a
/// part that does not parse alone (a cut inside a quoted scalar or a flow collection), a key
/// in two parts, an alias, a document marker, or parts that together exceed a budget
/// serde-saphyr holds a whole document to. The caller then parses the text whole, and
/// reports what that finds; a value read in parts is the one the whole text gives.
///
/// Stripe's 4 MB spec: 150 ms whole, 80 ms in parts on two cores.
pub(super) fn parse_in_parts(text: &str) -> Option<Value> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let budget = serde_saphyr::Budget::default();
    if text.len() < SPLIT_BYTES
        || threads < 2
        || text.contains('\r')
        || budget
            .max_reader_input_bytes
            .is_some_and(|limit| text.len() > limit)
    {
        return None;
    }
    let mut lines = Vec::with_capacity(text.len() / 32);
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |at| start + at + 1);
        let line = &bytes[start..end];
        if line.starts_with(b"---") || line.starts_with(b"...") || line.starts_with(b"%") {
            return None;
        }
        lines.push(Line::of(start, line));
        start = end;
    }
    let splitter = Splitter {
        text,
        lines: &lines,
        target: (text.len() / (threads * 4)).max(64 * 1024),
    };
    let parts = splitter.mapping(0, lines.len(), 0, 0)?;
    let mut texts = Vec::new();
    Part::texts(&parts, 0, &mut texts);
    if texts.len() < 2 {
        return None;
    }
    let parsed = crate::parallel::map(&texts, |&(part, depth)| {
        let (value, report) = parse_part(part)?;
        (report.breached.is_none() && report.aliases == 0).then_some((value, report, depth))
    });
    let mut total = serde_saphyr::budget::BudgetReport::default();
    let mut values = Vec::with_capacity(parsed.len());
    for part in parsed {
        let (value, report, depth) = part?;
        total.events += report.events;
        total.anchors += report.anchors;
        total.recorded_anchor_events += report.recorded_anchor_events;
        total.recorded_anchor_bytes += report.recorded_anchor_bytes;
        total.nodes += report.nodes;
        total.total_scalar_bytes += report.total_scalar_bytes;
        total.merge_keys += report.merge_keys;
        total.max_depth = total.max_depth.max(report.max_depth + depth);
        values.push(value);
    }
    // Each part counts at least what it holds of the whole: within these, so is the whole.
    if total.events > budget.max_events
        || total.anchors > budget.max_anchors
        || total.recorded_anchor_events > budget.max_recorded_anchor_events
        || total.recorded_anchor_bytes > budget.max_recorded_anchor_bytes
        || total.nodes > budget.max_nodes
        || total.total_scalar_bytes > budget.max_total_scalar_bytes
        || total.merge_keys > budget.max_merge_keys
        || total.max_depth > budget.max_depth
    {
        return None;
    }
    Part::assemble(&parts, &mut values.into_iter()).map(Value::Object)
}

/// One part parsed, with what serde-saphyr counted of it.
fn parse_part(text: &str) -> Option<(Value, serde_saphyr::budget::BudgetReport)> {
    let report = Rc::new(RefCell::new(None));
    let sink = Rc::clone(&report);
    let mut options = serde_saphyr::Options::default();
    options.budget_report_cb = Some(Rc::new(RefCell::new(
        move |counted: serde_saphyr::budget::BudgetReport| {
            *sink.borrow_mut() = Some(counted);
        },
    )));
    let Yaml(value) = serde_saphyr::from_str_with_options::<Yaml>(text, options).ok()?;
    let counted = report.borrow_mut().take()?;
    Some((value, counted))
}

/// How a mapping's text is read: runs of whole entries parsed together, and entries whose
/// large value is itself a mapping read in parts.
enum Part<'t> {
    Entries(&'t str),
    Split { key: &'t str, parts: Vec<Part<'t>> },
}

impl<'t> Part<'t> {
    /// The texts to parse, in order, each with how deep its mapping is in the document.
    fn texts(parts: &[Part<'t>], depth: usize, texts: &mut Vec<(&'t str, usize)>) {
        for part in parts {
            match part {
                Part::Entries(text) => texts.push((text, depth)),
                Part::Split { parts, .. } => Part::texts(parts, depth + 1, texts),
            }
        }
    }

    /// The mapping of `parts`, from the parsed texts in [`Part::texts`] order.
    fn assemble(
        parts: &[Part<'t>],
        parsed: &mut impl Iterator<Item = Value>,
    ) -> Option<Map<String, Value>> {
        let mut object = Map::new();
        for part in parts {
            let entries = match part {
                Part::Entries(_) => match parsed.next()? {
                    Value::Object(entries) => entries,
                    _ => return None,
                },
                Part::Split { key, parts } => {
                    // The key as YAML reads it (quoted, a number…), from its line alone.
                    let Value::Object(line) = serde_saphyr::from_str::<Yaml>(key).ok()?.0 else {
                        return None;
                    };
                    let (key, _) = line.into_iter().next()?;
                    let mut entry = Map::new();
                    entry.insert(key, Value::Object(Part::assemble(parts, parsed)?));
                    entry
                }
            };
            for (key, value) in entries {
                if object.insert(key, value).is_some() {
                    return None;
                }
            }
        }
        Some(object)
    }
}

/// What the splitter needs of a line, read once.
struct Line {
    /// Where it starts in the text.
    start: usize,
    /// Its leading spaces.
    indent: usize,
    kind: LineKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LineKind {
    /// Blank or only a comment.
    Blank,
    /// A plain or quoted key after the indentation: maybe a mapping entry.
    Key,
    /// Anything else: a sequence item, a complex key, a flow collection, a continuation.
    Other,
}

impl Line {
    fn of(start: usize, line: &[u8]) -> Line {
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let rest = &line[indent..];
        let kind = match rest.first() {
            None | Some(b'#') => LineKind::Blank,
            Some(&first) if first.is_ascii() => {
                if rest.iter().all(u8::is_ascii_whitespace) {
                    LineKind::Blank
                } else if first.is_ascii_alphanumeric()
                    || matches!(first, b'_' | b'/' | b'$' | b'.' | b'\'' | b'"')
                {
                    LineKind::Key
                } else {
                    LineKind::Other
                }
            }
            // A line that starts with a non-ASCII character: the `char` rules.
            Some(_) => match std::str::from_utf8(rest) {
                Ok(rest) if rest.trim_end().is_empty() => LineKind::Blank,
                Ok(rest) if rest.starts_with(char::is_alphanumeric) => LineKind::Key,
                _ => LineKind::Other,
            },
        };
        Line {
            start,
            indent,
            kind,
        }
    }

    fn is_blank(&self) -> bool {
        self.kind == LineKind::Blank
    }

    /// Whether the line starts a mapping entry indented by `indent` (anything else is never
    /// cut before).
    fn starts_entry(&self, indent: usize) -> bool {
        self.kind == LineKind::Key && self.indent == indent
    }
}

struct Splitter<'t, 'l> {
    text: &'t str,
    lines: &'l [Line],
    /// How much text is parsed at once.
    target: usize,
}

impl<'t> Splitter<'t, '_> {
    /// The text of lines `start..end`.
    fn text(&self, start: usize, end: usize) -> &'t str {
        let from = self.lines[start].start;
        let to = self
            .lines
            .get(end)
            .map_or(self.text.len(), |line| line.start);
        &self.text[from..to]
    }

    /// The parts of the block mapping on lines `start..end`, whose entries are indented by
    /// `indent`.
    fn mapping(
        &self,
        start: usize,
        end: usize,
        indent: usize,
        depth: usize,
    ) -> Option<Vec<Part<'t>>> {
        let entries: Vec<usize> = (start..end)
            .filter(|&line| self.lines[line].starts_entry(indent))
            .collect();
        let first_content = (start..end).find(|&line| !self.lines[line].is_blank())?;
        if entries.first() != Some(&first_content) {
            return None;
        }
        let mut parts = Vec::new();
        // The run of entries parsed together, from its first line.
        let mut run: Option<usize> = None;
        for (index, &entry) in entries.iter().enumerate() {
            let entry_end = entries.get(index + 1).copied().unwrap_or(end);
            // Lines before the first entry (comments) go with it.
            let from = if index == 0 { start } else { entry };
            let large = self.text(from, entry_end).len() > self.target;
            let nested = (large && depth < SPLIT_DEPTH)
                .then(|| self.nested(entry, entry_end, indent, depth))
                .flatten();
            if let Some(nested) = nested {
                if let Some(run) = run.take() {
                    parts.push(Part::Entries(self.text(run, from)));
                }
                parts.push(nested);
                continue;
            }
            let run_start = *run.get_or_insert(from);
            if self.text(run_start, entry_end).len() >= self.target {
                parts.push(Part::Entries(self.text(run_start, entry_end)));
                run = None;
            }
        }
        if let Some(run) = run {
            parts.push(Part::Entries(self.text(run, end)));
        }
        Some(parts)
    }

    /// The entry on lines `entry..end` as a mapping read in parts, when its line is only
    /// `key:` and its value a block mapping below it.
    fn nested(&self, entry: usize, end: usize, indent: usize, depth: usize) -> Option<Part<'t>> {
        let key = self.text(entry, entry + 1).trim_end();
        if !key.ends_with(':')
            || key[indent..]
                .chars()
                .any(|c| matches!(c, '#' | '&' | '*' | '!' | '|' | '>' | '?'))
        {
            return None;
        }
        let first = (entry + 1..end).find(|&line| !self.lines[line].is_blank())?;
        let inner = self.lines[first].indent;
        // Every content line of the value is inside it.
        if inner <= indent
            || self.lines[first..end]
                .iter()
                .any(|line| !line.is_blank() && line.indent < inner)
        {
            return None;
        }
        let parts = self.mapping(entry + 1, end, inner, depth + 1)?;
        Some(Part::Split { key, parts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str) -> Value {
        serde_saphyr::from_str::<Yaml>(text).unwrap().0
    }

    /// A document made large by `copies` of each section, with comments, quoted keys,
    /// block scalars, sequences at their key's indentation and numeric keys.
    fn large(copies: usize) -> String {
        let mut text = String::from(
            "# leading comment\nopenapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\npaths:\n",
        );
        for n in 0..copies {
            text.push_str(&format!(
                "  '/items/{n}':\n    get:\n      description: |\n        Line one\n\n        line: two\n      responses:\n        200:\n          description: ok\n      tags:\n      - a\n      - b\n"
            ));
        }
        text.push_str("components:\n  # schemas below\n  schemas:\n");
        for n in 0..copies {
            text.push_str(&format!(
                "    S{n}:\n      type: object\n      properties:\n        null: {{type: string}}\n        \"quoted\": {{type: integer, minimum: -1.5}}\n"
            ));
        }
        text.push_str("security: []\n");
        text
    }

    #[test]
    fn a_large_document_read_in_parts_is_the_whole() {
        let text = large(4000);
        assert!(text.len() > SPLIT_BYTES);
        let parts = parse_in_parts(&text);
        if std::thread::available_parallelism().map_or(1, usize::from) < 2 {
            assert!(parts.is_none());
            return;
        }
        assert_eq!(parts.expect("read in parts"), whole(&text));
    }

    #[test]
    fn anything_unusual_is_left_to_the_whole_parse() {
        if std::thread::available_parallelism().map_or(1, usize::from) < 2 {
            return;
        }
        let text = large(4000);
        // A key in two parts, an alias to another part, a quoted scalar cut in two, a
        // document marker, a small document.
        let duplicate = format!("{text}openapi: 3.0.1\n");
        let alias = text.replacen("info:\n", "info: &info\n", 1) + "x-info: *info\n";
        let quoted = text.replacen(
            "security: []\n",
            "x-note: \"a\nsecurity: b\"\nsecurity: []\n",
            1,
        );
        let marker = format!("---\n{text}");
        for (what, text) in [
            ("duplicate", duplicate),
            ("alias", alias),
            ("marker", marker),
            ("small", large(3)),
        ] {
            assert!(parse_in_parts(&text).is_none(), "{what}");
        }
        // A cut inside a quoted scalar: refused, or (were it not cut there) the whole value.
        if let Some(value) = parse_in_parts(&quoted) {
            assert_eq!(value, whole(&quoted));
        }
    }
}
