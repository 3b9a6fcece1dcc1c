//! Values for request fields, from their schema: valid ones (random, or of an exact length
//! for boundary checks) and ones that break exactly one constraint.

use generator::model::{Api, Constraints, TypeKind, TypeRef};
use generator::spec::ext::Constraint;
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, ValueTree};
use regex::Regex;
use serde_json::Value;

/// A request field (body field or parameter) as the value generators see it.
#[derive(Debug, Clone)]
pub struct FieldShape {
    pub name: String,
    pub ty: TypeRef,
    pub constraints: Constraints,
    /// The allowed values when the field must be a key listed by another operation.
    pub keys: Option<Vec<String>>,
    /// The string values of a named string enum.
    pub enumeration: Vec<String>,
    /// A valid value of a compound type (an array, a map, an object through `$ref`, a
    /// `oneOf`), made from the schema at construction, since only then is the API at hand.
    compound: Option<Value>,
    /// The same with every optional writable field of its objects filled in too (nested
    /// objects a server might drop are then sent), where that differs.
    compound_full: Option<Value>,
}

/// The Rust regex of an ECMA pattern, compiled once per process: every generated value is
/// checked against its field's pattern, and compiling is far dearer than matching.
fn compiled(pattern: &str) -> Option<Regex> {
    static CACHE: std::sync::LazyLock<
        std::sync::Mutex<std::collections::HashMap<String, Option<Regex>>>,
    > = std::sync::LazyLock::new(Default::default);
    let mut cache = CACHE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    cache
        .entry(pattern.to_owned())
        .or_insert_with(|| Regex::new(&ecma_pattern(pattern)).ok())
        .clone()
}

impl FieldShape {
    pub fn new(api: &Api, name: &str, ty: &TypeRef, constraints: &Constraints) -> FieldShape {
        let mut constraints = constraints.clone();
        let mut enumeration: Vec<String> = constraints
            .enumeration
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let mut ty = ty.clone();
        // Follow aliases and enums to what goes on the wire.
        for _ in 0..8 {
            let TypeRef::Named(name) = &ty else { break };
            let Some(def) = api.type_named(name) else {
                break;
            };
            match &def.kind {
                TypeKind::Alias(inner) => {
                    if constraints.is_empty() {
                        constraints = def.constraints.clone();
                    }
                    ty = inner.clone();
                }
                TypeKind::StringEnum(values) => {
                    enumeration = values.iter().map(|v| v.value.clone()).collect();
                    ty = TypeRef::String;
                }
                _ => break,
            }
        }
        let (compound, compound_full) = match &ty {
            TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Named(_) | TypeRef::Any => {
                let minimal = compound_example(api, &ty, &constraints, 0, false);
                let full = compound_example(api, &ty, &constraints, 0, true)
                    .filter(|full| Some(full) != minimal.as_ref());
                (minimal, full)
            }
            _ => (None, None),
        };
        FieldShape {
            name: name.to_owned(),
            ty,
            constraints,
            keys: None,
            enumeration,
            compound,
            compound_full,
        }
    }

    pub fn is_string(&self) -> bool {
        self.ty == TypeRef::String
    }

    fn pattern(&self) -> Option<Regex> {
        self.constraints.pattern.as_deref().and_then(compiled)
    }

    fn format(&self) -> Option<&str> {
        self.constraints.format.as_deref()
    }

    /// Whether a string satisfies every constraint the generators know.
    pub fn accepts(&self, text: &str) -> bool {
        let length = text.chars().count();
        self.constraints.max_length.is_none_or(|max| length <= max)
            && self.constraints.min_length.is_none_or(|min| length >= min)
            && self.pattern().is_none_or(|p| p.is_match(text))
            && self.format().is_none_or(|f| format_accepts(f, text))
            && (self.enumeration.is_empty() || self.enumeration.iter().any(|v| v == text))
            && self
                .keys
                .as_ref()
                .is_none_or(|keys| keys.iter().any(|k| k == text))
    }

    /// A fixed valid value, for the fields a baseline request must carry.
    pub fn example(&self) -> Option<Value> {
        match &self.ty {
            TypeRef::String => {
                if let Some(keys) = &self.keys {
                    return keys.first().cloned().map(Value::String);
                }
                if let Some(first) = self.enumeration.first() {
                    return Some(Value::String(first.clone()));
                }
                let candidates = [
                    format_example(self.format().unwrap_or_default()).unwrap_or("Conformance"),
                    "conformance",
                    "+14155550100",
                    "1234567890",
                    "Conformance Test",
                ];
                let found = candidates
                    .iter()
                    .find(|c| self.accepts(c))
                    .map(|c| (*c).to_owned());
                found
                    .or_else(|| self.sample_pattern())
                    .or_else(|| {
                        self.constraints
                            .min_length
                            .and_then(|n| self.string_of_length(n.max(1)))
                    })
                    .map(Value::String)
            }
            TypeRef::Integer(_) => Some(Value::from(
                self.constraints
                    .minimum
                    .map_or(1, |m| m.ceil() as i64)
                    .max(1),
            )),
            TypeRef::Number => Some(Value::from(self.constraints.minimum.unwrap_or(1.0))),
            TypeRef::Boolean => Some(Value::Bool(false)),
            _ => self.compound.clone(),
        }
    }

    /// One string the pattern matches, found deterministically.
    fn sample_pattern(&self) -> Option<String> {
        let pattern = self.constraints.pattern.as_deref()?;
        let strategy =
            proptest::string::string_regex(&ecma_pattern(strip_anchors(pattern))).ok()?;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        (0..64)
            .filter_map(|_| strategy.new_tree(&mut runner).ok())
            .map(|tree| tree.current())
            .find(|s| self.accepts(s))
    }

    /// A valid string of exactly `length` characters, if one can be made.
    pub fn string_of_length(&self, length: usize) -> Option<String> {
        // A field with listed values can only take one of them.
        let listed: Vec<&String> = self
            .keys
            .iter()
            .flatten()
            .chain(self.enumeration.iter())
            .collect();
        if !listed.is_empty() {
            return listed
                .into_iter()
                .find(|value| value.chars().count() == length)
                .cloned();
        }
        let filler = |n: usize, unit: &str| {
            unit.repeat(n.div_ceil(unit.len().max(1)))
                .chars()
                .take(n)
                .collect::<String>()
        };
        let mut candidates = Vec::new();
        match self.format() {
            Some("email") if length >= 13 => {
                candidates.push(format!("{}@example.com", filler(length - 12, "a")))
            }
            Some("uri") | Some("url") if length >= 20 => {
                candidates.push(format!("https://example.com/{}", filler(length - 20, "a")))
            }
            Some(format) => candidates.extend(format_example(format).map(str::to_owned)),
            None => {}
        }
        for unit in ["a", "1", "A", "a1", "Ab1"] {
            candidates.push(filler(length, unit));
        }
        if length > 0 {
            candidates.push(format!("+{}", filler(length - 1, "1")));
        }
        if let Some(sample) = self.sample_pattern()
            && sample.chars().count() <= length
        {
            let last = sample.chars().last().unwrap_or('a');
            candidates.push(format!(
                "{sample}{}",
                last.to_string().repeat(length - sample.chars().count())
            ));
        }
        // Valid in every way but (perhaps) its length: boundary checks break length alone.
        candidates
            .into_iter()
            .find(|c| c.chars().count() == length && self.accepts_ignoring_length(c))
    }

    fn accepts_ignoring_length(&self, text: &str) -> bool {
        self.pattern().is_none_or(|p| p.is_match(text))
            && self.format().is_none_or(|f| format_accepts(f, text))
    }

    /// Random valid values (a proptest strategy; shrinks toward short, simple values).
    pub fn valid_strategy(&self) -> Option<BoxedStrategy<Value>> {
        let shape = self.clone();
        match &self.ty {
            TypeRef::String => {
                if let Some(keys) = self.keys.clone().filter(|k| !k.is_empty()) {
                    return Some(
                        proptest::sample::select(keys)
                            .prop_map(Value::String)
                            .boxed(),
                    );
                }
                if !self.enumeration.is_empty() {
                    return Some(
                        proptest::sample::select(self.enumeration.clone())
                            .prop_map(Value::String)
                            .boxed(),
                    );
                }
                let min = self.constraints.min_length.unwrap_or(0);
                let max = self.constraints.max_length.unwrap_or(64).max(min);
                let base: BoxedStrategy<String> =
                    match (self.format(), self.constraints.pattern.as_deref()) {
                        (Some(format), _) if format_strategy(format).is_some() => {
                            format_strategy(format)?
                        }
                        (_, Some(pattern)) => {
                            proptest::string::string_regex(&ecma_pattern(strip_anchors(pattern)))
                                .ok()?
                                .boxed()
                        }
                        _ => {
                            let short = proptest::string::string_regex(&format!(
                                "[a-zA-Z0-9 ]{{{},{}}}",
                                min,
                                max.min(min + 24)
                            ))
                            .ok()?;
                            let exact = self.string_of_length(max).map(Just);
                            match exact {
                                Some(exact) => prop_oneof![4 => short, 1 => exact].boxed(),
                                None => short.boxed(),
                            }
                        }
                    };
                Some(
                    base.prop_filter("satisfies every constraint", move |s| shape.accepts(s))
                        .prop_map(Value::String)
                        .boxed(),
                )
            }
            TypeRef::Integer(_) => {
                let min = self
                    .constraints
                    .minimum
                    .map_or(-1_000_000, |m| m.ceil() as i64);
                let max = self
                    .constraints
                    .maximum
                    .map_or(1_000_000, |m| m.floor() as i64)
                    .max(min);
                Some((min..=max).prop_map(Value::from).boxed())
            }
            TypeRef::Boolean => Some(any::<bool>().prop_map(Value::Bool).boxed()),
            TypeRef::Number => {
                let min = self.constraints.minimum.unwrap_or(-1.0e6);
                let max = self.constraints.maximum.unwrap_or(1.0e6).max(min);
                Some((min..=max).prop_map(Value::from).boxed())
            }
            // Compound values: the one valid example the schema gives.
            _ => match (self.compound.clone(), self.compound_full.clone()) {
                (Some(minimal), Some(full)) => Some(prop_oneof![Just(minimal), Just(full)].boxed()),
                (minimal, _) => minimal.map(|value| Just(value).boxed()),
            },
        }
    }

    /// Values that break exactly one constraint, each with the constraint it breaks.
    pub fn invalid_values(&self, typed_body: bool) -> Vec<(Constraint, Value)> {
        let mut found = Vec::new();
        if let Some(max) = self.constraints.max_length
            && let Some(text) = self.string_of_length(max + 1)
        {
            found.push((Constraint::MaxLength, Value::String(text)));
        }
        if let Some(min) = self.constraints.min_length.filter(|m| *m > 0) {
            let text = if min == 1 {
                Some(String::new())
            } else {
                self.string_of_length(min - 1)
            };
            if let Some(text) = text {
                found.push((Constraint::MinLength, Value::String(text)));
            }
        }
        if let Some(pattern) = self.pattern() {
            let candidates = ["not valid!", "!", "abc def", "??", "x y", "-", "a"];
            if let Some(text) = candidates
                .iter()
                .find(|c| !pattern.is_match(c) && self.length_ok(c))
            {
                found.push((Constraint::Pattern, Value::String((*text).to_owned())));
            }
        }
        if let Some(format) = self.format()
            && let Some(text) = format_counterexample(format).filter(|t| self.length_ok(t))
        {
            found.push((Constraint::Format, Value::String(text.to_owned())));
        }
        if !self.enumeration.is_empty() {
            found.push((
                Constraint::Enum,
                Value::String("not-one-of-the-values".into()),
            ));
        }
        if self.keys.is_some() {
            found.push((
                Constraint::KeyOf,
                Value::String("zz-not-a-listed-key".into()),
            ));
        }
        if typed_body {
            // Text that is no value of the type, then the lenient coercion servers get wrong:
            // a valid number or boolean sent as a string ("5", "true") is still a string.
            match self.ty {
                TypeRef::String => found.push((Constraint::Type, Value::from(12345))),
                TypeRef::Integer(_) | TypeRef::Number => {
                    found.push((Constraint::Type, Value::String("not a number".into())));
                    if let Some(number) = self.example().filter(Value::is_number) {
                        found.push((Constraint::Type, Value::String(number.to_string())));
                    }
                }
                TypeRef::Boolean => {
                    found.push((Constraint::Type, Value::String("maybe".into())));
                    found.push((Constraint::Type, Value::String("true".into())));
                }
                _ => {}
            }
        }
        found
    }

    fn length_ok(&self, text: &str) -> bool {
        let length = text.chars().count();
        self.constraints.max_length.is_none_or(|max| length <= max)
            && self.constraints.min_length.is_none_or(|min| length >= min)
    }
}

/// OpenAPI patterns are ECMA-262 regular expressions, where `\d` and `\w` are ASCII; in the
/// `regex` crate they are Unicode. Spelling the classes out keeps the harness from sending
/// (and expecting acceptance of) digits like `٣` that a JavaScript or Go server refuses.
pub fn ecma_pattern(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                let replacement = match (next, in_class) {
                    ('d', true) => "0-9",
                    ('d', false) => "[0-9]",
                    ('w', true) => "A-Za-z0-9_",
                    ('w', false) => "[A-Za-z0-9_]",
                    ('D', false) => "[^0-9]",
                    ('W', false) => "[^A-Za-z0-9_]",
                    _ => {
                        out.push(c);
                        out.push(next);
                        continue;
                    }
                };
                out.push_str(replacement);
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// proptest's regex strategy generates whole strings; `^…$` anchors add nothing there.
fn strip_anchors(pattern: &str) -> &str {
    let pattern = pattern.strip_prefix('^').unwrap_or(pattern);
    pattern.strip_suffix('$').unwrap_or(pattern)
}

/// The string formats the harness makes valid and invalid values of (CF111).
pub const CHECKED_FORMATS: [&str; 11] = [
    "email",
    "uri",
    "url",
    "uuid",
    "date",
    "date-time",
    "time",
    "ipv4",
    "ipv6",
    "hostname",
    "byte",
];

fn format_example(format: &str) -> Option<&'static str> {
    Some(match format {
        "email" => "conformance@example.com",
        "uri" | "url" => "https://example.com/conformance.png",
        "uuid" => "3c90c3cc-0d44-4b50-8888-8dd25736052a",
        "date" => "1990-01-02",
        "date-time" => "2020-01-02T03:04:05Z",
        "time" => "03:04:05Z",
        "ipv4" => "192.0.2.7",
        "ipv6" => "2001:db8::7",
        "hostname" => "api.example.com",
        "byte" => "Y29uZm9ybWFuY2U=",
        _ => return None,
    })
}

fn format_counterexample(format: &str) -> Option<&'static str> {
    Some(match format {
        "email" => "not-an-email",
        "uri" | "url" => "not a url",
        "uuid" => "not-a-uuid",
        "date" => "1990-13-45",
        "date-time" => "2020-01-02 03:04:05",
        "time" => "25:61:00",
        "ipv4" => "256.1.2.3",
        "ipv6" => "2001:db8::zz",
        "hostname" => "not a host!",
        "byte" => "not base64!",
        _ => return None,
    })
}

fn format_strategy(format: &str) -> Option<BoxedStrategy<String>> {
    let pattern = match format {
        "email" => "[a-z][a-z0-9]{0,11}@[a-z]{1,10}\\.(com|org|net)",
        "uri" | "url" => "https://[a-z]{1,10}\\.example\\.com/[a-z0-9]{0,12}",
        "uuid" => "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        "date" => "(19[5-9][0-9]|20[01][0-9])-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])",
        "date-time" => {
            "(19[5-9][0-9]|20[01][0-9])-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](Z|\\+0[0-9]:00|-0[0-9]:30)"
        }
        "time" => "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](Z|\\+0[0-9]:00)",
        "ipv4" => {
            "(1[0-9]{2}|[1-9][0-9]?)\\.([0-9]|[1-9][0-9])\\.([0-9]|[1-9][0-9])\\.([1-9]|[1-9][0-9])"
        }
        "ipv6" => "2001:db8:[0-9a-f]{1,4}::[0-9a-f]{1,4}",
        "hostname" => "[a-z][a-z0-9]{0,10}(\\.[a-z][a-z0-9]{0,10}){0,2}",
        "byte" => "([A-Za-z0-9+/]{4}){1,6}",
        _ => return None,
    };
    proptest::string::string_regex(pattern)
        .ok()
        .map(Strategy::boxed)
}

/// Whether a string is valid for a format (the formats the specs use; others pass).
pub fn format_accepts(format: &str, text: &str) -> bool {
    match format {
        "email" => {
            let Some((local, domain)) = text.rsplit_once('@') else {
                return false;
            };
            !local.is_empty()
                && !local.contains(char::is_whitespace)
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && domain
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
        }
        "uri" | "url" => {
            let Some((scheme, rest)) = text.split_once("://") else {
                return false;
            };
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !rest.is_empty()
                && !text.contains(char::is_whitespace)
        }
        "uuid" => {
            let parts: Vec<&str> = text.split('-').collect();
            parts.len() == 5
                && [8, 4, 4, 4, 12]
                    .iter()
                    .zip(&parts)
                    .all(|(n, p)| p.len() == *n && p.chars().all(|c| c.is_ascii_hexdigit()))
        }
        "date" => is_date(text),
        "date-time" => is_date_time(text),
        "time" => is_time(text),
        "ipv4" => text.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => text.parse::<std::net::Ipv6Addr>().is_ok(),
        // RFC 1123: labels of letters, digits and inner hyphens, 63 at most, 253 in all.
        "hostname" => {
            !text.is_empty()
                && text.len() <= 253
                && text.split('.').all(|label| {
                    !label.is_empty()
                        && label.len() <= 63
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
        }
        // Standard base64 with padding.
        "byte" => {
            text.len().is_multiple_of(4)
                && text.trim_end_matches('=').len() + 2 >= text.len()
                && text
                    .trim_end_matches('=')
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/')
        }
        _ => true,
    }
}

/// Whether two strings are the same value of a format: the same instant for date-times
/// (`Z` and `+00:00` agree), the same text otherwise.
pub fn same_value(format: Option<&str>, a: &str, b: &str) -> bool {
    match format {
        Some("date-time") => match (instant(a), instant(b)) {
            (Some(x), Some(y)) => (x - y).abs() < 1e-6,
            _ => a == b,
        },
        _ => a == b,
    }
}

/// Seconds since 1970 of an RFC 3339 date-time.
fn instant(text: &str) -> Option<f64> {
    if !is_date_time(text) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    // Days from the civil date (Howard Hinnant's algorithm).
    let (y, m) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let rest = &text[19..];
    let (fraction, offset) = match rest.strip_prefix('.') {
        Some(after) => {
            let end = after
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after.len());
            (
                format!("0.{}", &after[..end]).parse::<f64>().ok()?,
                &after[end..],
            )
        }
        None => (0.0, rest),
    };
    let offset_seconds = match offset {
        "Z" | "z" => 0,
        offset => {
            let sign = if offset.starts_with('-') { -1 } else { 1 };
            sign * (offset.get(1..3)?.parse::<i64>().ok()? * 3600
                + offset.get(4..6)?.parse::<i64>().ok()? * 60)
        }
    };
    Some((days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds) as f64 + fraction)
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let number = |range: std::ops::Range<usize>| {
        text.get(range)
            .filter(|s| s.chars().all(|c| c.is_ascii_digit()))
            .and_then(|s| s.parse::<u32>().ok())
    };
    match (number(0..4), number(5..7), number(8..10)) {
        (Some(year), Some(month), Some(day)) => {
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let days = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            (1..=12).contains(&month) && day >= 1 && day <= days[(month - 1) as usize]
        }
        _ => false,
    }
}

/// A valid value of a compound type, from its schema: an array of one (or `minItems`) valid
/// items, a map with one entry, an object with every required field (read-only ones left
/// out), a union's first variant with its discriminator tag. `None` past a depth where a
/// recursive schema would never end, or for what cannot be made.
fn compound_example(
    api: &Api,
    ty: &TypeRef,
    constraints: &Constraints,
    depth: usize,
    full: bool,
) -> Option<Value> {
    if depth > 6 {
        return None;
    }
    let scalar = |ty: &TypeRef, constraints: &Constraints| {
        FieldShape {
            name: String::new(),
            ty: ty.clone(),
            constraints: constraints.clone(),
            keys: None,
            enumeration: constraints
                .enumeration
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            compound: None,
            compound_full: None,
        }
        .example()
    };
    match ty {
        TypeRef::Array(inner) => {
            let item = compound_example(api, inner, &Constraints::default(), depth + 1, full)
                .or_else(|| scalar(inner, &Constraints::default()))?;
            let count = constraints.min_items.unwrap_or(1).max(1);
            Some(Value::Array(vec![item; count]))
        }
        TypeRef::Map(inner) => {
            let item = compound_example(api, inner, &Constraints::default(), depth + 1, full)
                .or_else(|| scalar(inner, &Constraints::default()))?;
            Some(serde_json::json!({ "key": item }))
        }
        TypeRef::Any => Some(Value::String("conformance".into())),
        TypeRef::Named(name) => {
            let def = api.type_named(name)?;
            match &def.kind {
                TypeKind::Struct(def) => {
                    let mut object = serde_json::Map::new();
                    // Optional fields only near the top: a large spec's objects nest deep,
                    // and every level filled in multiplies the work.
                    let full = full && depth < 3;
                    for field in def.fields.iter().filter(|f| !f.read_only) {
                        if !field.required && (!full || field.ty == TypeRef::Binary) {
                            continue;
                        }
                        // Compound fields only through this function, whose depth bounds a
                        // recursive schema (FieldShape::new would start again at depth 0).
                        let compound = matches!(
                            field.ty,
                            TypeRef::Named(_) | TypeRef::Array(_) | TypeRef::Map(_)
                        );
                        let value =
                            compound_example(api, &field.ty, &field.constraints, depth + 1, full)
                                .or_else(|| {
                                    (!compound).then(|| {
                                        FieldShape::new(
                                            api,
                                            &field.name,
                                            &field.ty,
                                            &field.constraints,
                                        )
                                        .example()
                                    })?
                                });
                        match value {
                            Some(value) => {
                                object.insert(field.name.clone(), value);
                            }
                            // An optional field without an example is left out; a required
                            // one leaves the object without a valid example.
                            None if field.required => return None,
                            None => {}
                        }
                    }
                    Some(Value::Object(object))
                }
                TypeKind::Union(union) => union.variants.iter().find_map(|variant| {
                    let mut value = compound_example(
                        api,
                        &variant.ty,
                        &Constraints::default(),
                        depth + 1,
                        full,
                    )
                    .or_else(|| scalar(&variant.ty, &Constraints::default()))?;
                    if let (Some(property), Some(tag), Some(object)) =
                        (&union.discriminator, &variant.tag, value.as_object_mut())
                    {
                        object.insert(property.clone(), Value::String(tag.clone()));
                    }
                    Some(value)
                }),
                TypeKind::StringEnum(values) => {
                    values.first().map(|v| Value::String(v.value.clone()))
                }
                TypeKind::Alias(inner) => {
                    compound_example(api, inner, &def.constraints, depth + 1, full)
                        .or_else(|| scalar(inner, &def.constraints))
                }
            }
        }
        other => scalar(other, constraints),
    }
}

/// RFC 3339's full-time: `hh:mm:ss`, an optional fraction, and an offset (`Z` or `±hh:mm`).
fn is_time(text: &str) -> bool {
    let Some((clock, offset)) = text
        .strip_suffix(['Z', 'z'])
        .map(|clock| (clock, "Z"))
        .or_else(|| text.rfind(['+', '-']).map(|at| text.split_at(at)))
    else {
        return false;
    };
    let clock = clock.split_once('.').map_or(clock, |(whole, fraction)| {
        if !fraction.is_empty() && fraction.chars().all(|c| c.is_ascii_digit()) {
            whole
        } else {
            ""
        }
    });
    let two = |part: &str, max: u32| part.len() == 2 && part.parse::<u32>().is_ok_and(|n| n <= max);
    let parts: Vec<&str> = clock.split(':').collect();
    let clock_ok = parts.len() == 3 && two(parts[0], 23) && two(parts[1], 59) && two(parts[2], 60);
    let offset_ok = offset == "Z"
        || offset[1..]
            .split_once(':')
            .is_some_and(|(h, m)| two(h, 23) && two(m, 59));
    clock_ok && offset_ok
}

/// RFC 3339: `T`, seconds, optional fraction, and an offset (`Z` or `±hh:mm`).
fn is_date_time(text: &str) -> bool {
    let Some((date, time)) = text.split_once(['T', 't']) else {
        return false;
    };
    // A server sends anything: byte 8 may fall inside a multibyte character.
    if !is_date(date) || time.len() < 9 || !time.is_char_boundary(8) {
        return false;
    }
    let (clock, mut rest) = time.split_at(8);
    let b = clock.as_bytes();
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if b[2] != b':'
        || b[5] != b':'
        || !digits(&clock[0..2])
        || !digits(&clock[3..5])
        || !digits(&clock[6..8])
    {
        return false;
    }
    let (hour, minute, second): (u32, u32, u32) = (
        clock[0..2].parse().unwrap_or(99),
        clock[3..5].parse().unwrap_or(99),
        clock[6..8].parse().unwrap_or(99),
    );
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    if let Some(fraction) = rest.strip_prefix('.') {
        let end = fraction
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(fraction.len());
        if end == 0 {
            return false;
        }
        rest = &fraction[end..];
    }
    match rest {
        "Z" | "z" => true,
        offset => {
            let b = offset.as_bytes();
            offset.len() == 6
                && (b[0] == b'+' || b[0] == b'-')
                && b[3] == b':'
                && digits(&offset[1..3])
                && digits(&offset[4..6])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Whatever a server sends as a date, date-time or anything else, judging it never
        /// panics (multibyte characters at every offset included).
        #[test]
        fn format_checks_never_panic(text in "(\\PC|[0-9:TZ+.-]){0,40}") {
            let _ = is_date(&text);
            let _ = is_date_time(&text);
            let _ = is_date_time(&format!("2024-01-01T{text}"));
            let _ = is_date_time(&format!("2024-01-01T00:00:0{text}"));
        }
    }

    #[test]
    fn multibyte_date_times_are_invalid_not_a_panic() {
        assert!(!is_date_time("2024-01-01T00:00:0é+00:00"));
        assert!(!is_date_time("2024-01-01T00:00é0Z"));
        assert!(is_date_time("2024-01-01T00:00:00Z"));
    }

    fn shape(
        max: Option<usize>,
        min: Option<usize>,
        pattern: Option<&str>,
        format: Option<&str>,
    ) -> FieldShape {
        FieldShape {
            name: "f".into(),
            ty: TypeRef::String,
            constraints: Constraints {
                max_length: max,
                min_length: min,
                pattern: pattern.map(str::to_owned),
                format: format.map(str::to_owned),
                ..Constraints::default()
            },
            keys: None,
            enumeration: Vec::new(),
            compound: None,
            compound_full: None,
        }
    }

    fn edge_cases() -> Api {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../spec/fixtures/edge_cases.yaml");
        let document = generator::spec::load_document(&path).unwrap_or_else(|e| panic!("{e}"));
        generator::model::build(&document).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Nested `$ref` objects, recursive schemas, arrays and discriminated unions get a valid
    /// value, so bodies and parameters of those shapes are exercised.
    #[test]
    fn compound_types_get_valid_examples() {
        let api = edge_cases();
        let named = |name: &str| TypeRef::Named(name.into());
        let pet = FieldShape::new(&api, "pet", &named("Pet"), &Constraints::default())
            .example()
            .unwrap_or_else(|| panic!("no Pet"));
        assert!(pet["kind"] == "cat" || pet["kind"] == "dog", "{pet}");
        let tree = FieldShape::new(&api, "tree", &named("Tree"), &Constraints::default())
            .example()
            .unwrap_or_else(|| panic!("no Tree"));
        assert!(tree.is_object(), "{tree}");
        let list = FieldShape::new(
            &api,
            "ids",
            &TypeRef::Array(Box::new(TypeRef::Integer(
                generator::model::IntegerWidth::I64,
            ))),
            &Constraints {
                min_items: Some(2),
                ..Constraints::default()
            },
        );
        assert_eq!(list.example(), Some(serde_json::json!([1, 1])));
        assert!(list.valid_strategy().is_some());
    }

    #[test]
    fn exact_lengths_respect_patterns_and_formats() {
        let username = shape(Some(150), Some(1), Some("^[a-zA-Z0-9_-]+$"), None);
        assert_eq!(username.string_of_length(150).unwrap().len(), 150);
        assert_eq!(username.string_of_length(151).unwrap().len(), 151);
        let email = shape(Some(255), Some(1), None, Some("email"));
        let text = email.string_of_length(255).unwrap();
        assert!(format_accepts("email", &text) && text.len() == 255);
        let url = shape(
            Some(2048),
            Some(1),
            Some("^[hH][tT][tT][pP][sS]?://[^\\s]+$"),
            Some("uri"),
        );
        assert_eq!(url.string_of_length(2049).unwrap().len(), 2049);
    }

    #[test]
    fn invalid_values_break_one_constraint() {
        let phone = shape(None, Some(1), Some(r"^\+?1?\d{9,15}$"), None);
        let invalid = phone.invalid_values(true);
        let kinds: Vec<Constraint> = invalid.iter().map(|(c, _)| *c).collect();
        assert_eq!(
            kinds,
            vec![Constraint::MinLength, Constraint::Pattern, Constraint::Type]
        );
        assert!(
            phone
                .example()
                .is_some_and(|v| phone.accepts(v.as_str().unwrap()))
        );
    }

    #[test]
    fn patterns_are_read_the_ecma_way() {
        assert_eq!(ecma_pattern(r"^\+?1?\d{9,15}$"), r"^\+?1?[0-9]{9,15}$");
        assert_eq!(ecma_pattern(r"^[\w-]+$"), r"^[A-Za-z0-9_-]+$");
        let phone = shape(None, Some(1), Some(r"^\+[1-9]\d{1,14}$"), None);
        assert!(phone.accepts("+123") && !phone.accepts("+1\u{663}"));
    }

    #[test]
    fn date_times_compare_as_instants() {
        assert!(same_value(
            Some("date-time"),
            "1950-01-01T00:00:00+00:00",
            "1950-01-01T00:00:00Z"
        ));
        assert!(same_value(
            Some("date-time"),
            "2020-01-02T03:04:05+02:00",
            "2020-01-02T01:04:05Z"
        ));
        assert!(!same_value(
            Some("date-time"),
            "2020-01-02T03:04:05Z",
            "2020-01-02T03:04:06Z"
        ));
        assert!(!same_value(None, "a", "b"));
    }

    #[test]
    fn formats_are_checked_strictly() {
        assert!(
            is_date_time("2023-11-07T05:31:56Z") && is_date_time("2023-11-07T05:31:56.5+02:00")
        );
        assert!(
            !is_date_time("2023-11-07 05:31:56")
                && !is_date_time("2023-11-07T05:31:56")
                && !is_date_time("")
        );
        assert!(is_date("2024-02-29") && !is_date("2023-02-29") && !is_date("1990-13-45"));
        assert!(
            format_accepts("uuid", "3c90c3cc-0d44-4b50-8888-8dd25736052a")
                && !format_accepts("uuid", "x")
        );
        assert!(!format_accepts("email", "") && !format_accepts("uri", "not a url"));
    }

    #[test]
    fn valid_strategies_only_produce_valid_values() {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        for field in [
            shape(Some(255), None, None, None),
            shape(None, Some(1), Some(r"^\+[1-9]\d{1,14}$"), None),
            shape(Some(255), Some(1), None, Some("email")),
        ] {
            let strategy = field.valid_strategy().unwrap();
            for _ in 0..50 {
                let value = strategy.new_tree(&mut runner).unwrap().current();
                assert!(field.accepts(value.as_str().unwrap()), "{value}");
            }
        }
    }
}

#[cfg(test)]
mod format_tests {
    use super::*;
    use proptest::strategy::ValueTree;

    /// Every checked format: its example and its generated values are accepted, its
    /// counterexample is not.
    #[test]
    fn every_checked_format_has_valid_and_invalid_values() {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        for format in CHECKED_FORMATS {
            let example = format_example(format).unwrap();
            assert!(format_accepts(format, example), "{format}: {example}");
            let counter = format_counterexample(format).unwrap();
            assert!(!format_accepts(format, counter), "{format}: {counter}");
            let strategy = format_strategy(format).unwrap();
            for _ in 0..64 {
                let value = strategy.new_tree(&mut runner).unwrap().current();
                assert!(format_accepts(format, &value), "{format}: {value}");
            }
        }
        assert!(format_accepts("time", "23:59:60.5+05:30"));
        assert!(!format_accepts("time", "12:00:00"));
        assert!(!format_accepts("hostname", "-a.example.com"));
        assert!(!format_accepts("byte", "abc"));
    }
}
