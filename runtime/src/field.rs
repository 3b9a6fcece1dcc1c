//! Field errors: one broken rule of one value of a request, where that value comes from,
//! and the paths that name it (`address.city`, `tags.0`).
//!
//! A validator walks a value with a [`FieldPath`]: a chain of borrowed segments on the stack,
//! turned into text only when an error is pushed, so that checking a valid value allocates
//! nothing.

use std::borrow::Cow;
use std::fmt;

use serde_json::Value;

/// Where a value of a request comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Location {
    Body,
    Path,
    Query,
    Header,
    Cookie,
}

impl Location {
    /// `body`, `path`, `query`, `header` or `cookie`.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Body => "body",
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

/// One broken rule of one value of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's wire name, dotted below the top (`address.city`, `tags.0`); the API's body
    /// field (or empty) for an error of the body as a whole. A name of the spec at the top is
    /// kept borrowed: reporting it allocates nothing.
    pub field: Cow<'static, str>,
    pub location: Location,
    /// The broken constraint's keyword: `required`, `type`, `maxLength`, `pattern`, `format`,
    /// `enum`, `minimum`, `content-type`, `json`, …
    pub kind: &'static str,
    /// The message the API sends for it: most are fixed texts of the spec, kept borrowed so
    /// that reporting one allocates only the field's path.
    pub message: Cow<'static, str>,
}

impl FieldError {
    /// An error is the rare path of every check that builds one: kept out of line and cold,
    /// the checks (which every valid request passes) stay small and lay out their valid path
    /// first.
    #[cold]
    #[inline(never)]
    pub fn new(
        field: impl Into<Cow<'static, str>>,
        location: Location,
        kind: &'static str,
        message: impl Into<Cow<'static, str>>,
    ) -> FieldError {
        FieldError {
            field: field.into(),
            location,
            kind,
            message: message.into(),
        }
    }

    /// `[location, field]`, or `[location]` when the error names no field.
    pub fn loc(&self) -> Value {
        let mut loc = vec![Value::from(self.location.as_str())];
        if !self.field.is_empty() {
            loc.push(Value::from(&*self.field));
        }
        Value::Array(loc)
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.location.as_str(), self.message)
        } else {
            write!(
                f,
                "{} {}: {}",
                self.location.as_str(),
                self.field,
                self.message
            )
        }
    }
}

impl std::error::Error for FieldError {}

/// A value that can check its own constraints.
pub trait Validate {
    /// Every broken constraint, all at once (empty: the value is valid).
    fn validate(&self) -> Vec<FieldError>;
}

/// Where a value is, as a validator walks to it: built on the stack, a segment at a time, and
/// written out (`address.city`, `tags.0`) only for an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldPath<'a> {
    /// The top: a field there is named by itself.
    Root,
    /// A name of the spec given whole (a parameter's).
    Named(&'static str),
    /// Property `name` of the spec (a literal of the generated code) at the parent path.
    Field(&'a FieldPath<'a>, &'static str),
    /// Key `key` of the map (or an additional property) at the parent path.
    Key(&'a FieldPath<'a>, &'a str),
    /// Item `index` of the list at the parent path.
    Index(&'a FieldPath<'a>, usize),
}

impl<'a> FieldPath<'a> {
    /// The top, as a `static` (generated code passes `&FieldPath::ROOT`).
    pub const ROOT: FieldPath<'static> = FieldPath::Root;

    /// Property `name` (of the spec) below this path.
    #[inline]
    pub fn field(&'a self, name: &'static str) -> FieldPath<'a> {
        FieldPath::Field(self, name)
    }

    /// Key `key` (of the value: a map's) below this path.
    #[inline]
    pub fn key(&'a self, key: &'a str) -> FieldPath<'a> {
        FieldPath::Key(self, key)
    }

    /// The path as a field error names it: a name of the spec at the top is borrowed, any
    /// other path written out.
    pub fn name(&self) -> Cow<'static, str> {
        match self {
            FieldPath::Root => Cow::Borrowed(""),
            FieldPath::Named(name) | FieldPath::Field(FieldPath::Root, name) => Cow::Borrowed(name),
            _ => Cow::Owned(self.render()),
        }
    }

    /// Item `index` below this path.
    #[inline]
    pub fn index(&'a self, index: usize) -> FieldPath<'a> {
        FieldPath::Index(self, index)
    }

    /// The path as the API reports it: dotted below the top, empty at the top.
    pub fn render(&self) -> String {
        let mut text = String::new();
        self.write_into(&mut text);
        text
    }

    /// The field an error of the whole value at this path is reported on: the API's body field
    /// (or none) at the top, as [`whole_field`] does.
    pub fn whole(&self, body_field: Option<&str>) -> String {
        let text = self.render();
        if text.is_empty() {
            body_field.unwrap_or_default().to_owned()
        } else {
            text
        }
    }

    fn write_into(&self, text: &mut String) {
        let segment = |text: &mut String, parent: &FieldPath<'_>| {
            parent.write_into(text);
            if !text.is_empty() {
                text.push('.');
            }
        };
        match self {
            FieldPath::Root => {}
            FieldPath::Named(name) => text.push_str(name),
            FieldPath::Field(parent, name) => {
                segment(text, parent);
                text.push_str(name);
            }
            FieldPath::Key(parent, key) => {
                segment(text, parent);
                text.push_str(key);
            }
            FieldPath::Index(parent, index) => {
                segment(text, parent);
                text.push_str(&index.to_string());
            }
        }
    }
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

/// A field error names its field by the path (`FieldError::new(field, …)`).
impl From<&FieldPath<'_>> for Cow<'static, str> {
    fn from(path: &FieldPath<'_>) -> Cow<'static, str> {
        path.name()
    }
}

impl From<FieldPath<'_>> for Cow<'static, str> {
    fn from(path: FieldPath<'_>) -> Cow<'static, str> {
        path.name()
    }
}

/// Adds `error` to `errors`. At the first, room is made for several: a body that is wrong is
/// often wrong in several fields, and growing the list one step at a time costs more than
/// the checks. Out of line and cold, as every error is.
#[cold]
#[inline(never)]
pub fn report(errors: &mut Vec<FieldError>, error: FieldError) {
    if errors.capacity() == 0 {
        errors.reserve(16);
    }
    errors.push(error);
}

/// `prefix.name`, or `name` at the top.
pub fn field_path(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// The field an error of a whole object at `prefix` is reported on: the API's body field
/// (or none) at the top.
pub fn whole_field(prefix: &str, body_field: Option<&str>) -> String {
    if prefix.is_empty() {
        body_field.unwrap_or_default().to_owned()
    } else {
        prefix.to_owned()
    }
}

/// `{field: [message, …]}` in first-seen order; an error that names no field is listed
/// under its location (`body`).
pub fn errors_object(errors: &[FieldError]) -> Value {
    let mut object = serde_json::Map::new();
    for error in errors {
        let key = if error.field.is_empty() {
            error.location.as_str()
        } else {
            &*error.field
        };
        let entry = object
            .entry(key)
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(messages) = entry {
            messages.push(Value::from(&*error.message));
        }
    }
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn paths_are_dotted_below_the_top() {
        assert_eq!(field_path("", "email"), "email");
        assert_eq!(field_path("address", "city"), "address.city");
        assert_eq!(field_path("tags.0", "id"), "tags.0.id");
        assert_eq!(whole_field("", Some("user")), "user");
        assert_eq!(whole_field("", None), "");
        assert_eq!(whole_field("address", Some("user")), "address");
    }

    #[test]
    fn lazy_paths_read_as_field_path_writes_them() {
        let root = FieldPath::ROOT;
        assert_eq!(root.render(), "");
        let address = root.field("address");
        let city = address.field("city");
        assert_eq!(city.render(), field_path("address", "city"));
        let tags = root.field("tags");
        let first = tags.index(0);
        assert_eq!(first.field("id").render(), "tags.0.id");
        let named = FieldPath::Named("X-Request-Id");
        assert_eq!(named.render(), "X-Request-Id");
        assert_eq!(Cow::from(&named.index(2)), "X-Request-Id.2");
        let key = String::from("en-GB");
        assert_eq!(root.field("names").key(&key).render(), "names.en-GB");
        assert!(matches!(root.field("email").name(), Cow::Borrowed("email")));
        assert!(matches!(named.name(), Cow::Borrowed("X-Request-Id")));
        assert!(matches!(city.name(), Cow::Owned(_)));
        assert_eq!(root.whole(Some("user")), whole_field("", Some("user")));
        assert_eq!(address.whole(Some("user")), "address");
        let error = FieldError::new(city, Location::Body, "required", "Required.");
        assert_eq!(error.field, "address.city");
    }

    #[test]
    fn an_error_shows_its_location_and_field() {
        let named = FieldError::new("email", Location::Body, "format", "Enter a valid email.");
        assert_eq!(named.to_string(), "body email: Enter a valid email.");
        assert_eq!(named.loc(), json!(["body", "email"]));
        let whole = FieldError::new("", Location::Body, "json", "Not JSON.");
        assert_eq!(whole.to_string(), "body: Not JSON.");
        assert_eq!(whole.loc(), json!(["body"]));
    }

    #[test]
    fn the_errors_object_groups_messages_in_first_seen_order() {
        let errors = [
            FieldError::new("b", Location::Body, "maxLength", "too long"),
            FieldError::new("a", Location::Body, "required", "required"),
            FieldError::new("b", Location::Body, "pattern", "bad"),
            FieldError::new("", Location::Query, "type", "whole"),
        ];
        let object = errors_object(&errors);
        assert_eq!(
            object,
            json!({"b": ["too long", "bad"], "a": ["required"], "query": ["whole"]})
        );
        let keys: Vec<&String> = object.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["b", "a", "query"]);
    }
}
