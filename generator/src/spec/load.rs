//! Reading one spec file: YAML or JSON text → a raw JSON tree (for pointers and `x-`
//! extensions) and a typed `openapiv3` document (for everything else).

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::locate::locate;
use super::{Location, SpecError};

/// One spec file, parsed.
#[derive(Debug, Clone)]
pub struct Document {
    pub path: PathBuf,
    /// The text as read, kept to point at lines when a later check finds a problem.
    pub text: String,
    pub raw: Value,
    pub api: openapiv3::OpenAPI,
}

impl Document {
    /// An error about the node at `pointer`, located in this file.
    pub fn error_at(&self, pointer: &str, message: impl Into<String>) -> SpecError {
        SpecError {
            file: self.path.clone(),
            location: locate(&self.text, pointer),
            pointer: Some(pointer.to_owned()),
            message: message.into(),
        }
    }

    /// The node at `pointer` in the raw tree.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        self.raw.pointer(pointer)
    }
}

/// Reads and parses a spec file (`.json` as JSON, anything else as YAML).
pub fn load_document(path: &Path) -> Result<Document, SpecError> {
    let text = std::fs::read_to_string(path).map_err(|error| SpecError {
        file: path.to_owned(),
        location: None,
        pointer: None,
        message: format!("cannot read the file: {error}"),
    })?;
    parse_document(path, text)
}

/// Parses spec text; `path` names it in errors and decides JSON (`.json`) or YAML.
pub fn parse_document(path: &Path, text: String) -> Result<Document, SpecError> {
    let is_json = path
        .extension()
        .is_some_and(|extension| extension == "json");
    let raw = parse_syntax(path, &text, is_json)?;
    let api = read_openapi(path, &text, &raw)?;
    if !api.openapi.starts_with("3.0.") {
        return Err(SpecError {
            file: path.to_owned(),
            location: locate(&text, "/openapi"),
            pointer: Some("/openapi".into()),
            message: format!(
                "OpenAPI version {:?} is not supported: expected 3.0.x",
                api.openapi
            ),
        });
    }
    Ok(Document {
        path: path.to_owned(),
        text,
        raw,
        api,
    })
}

/// The raw tree of YAML or JSON text, a syntax error located by line and column.
pub fn parse_syntax(path: &Path, text: &str, json: bool) -> Result<Value, SpecError> {
    if json {
        parse_json(path, text)
    } else {
        parse_yaml(path, text)
    }
}

/// The raw tree read as a typed OpenAPI 3.0 document; what does not fit is located.
pub fn read_openapi(path: &Path, text: &str, raw: &Value) -> Result<openapiv3::OpenAPI, SpecError> {
    // The plain read is the fast path; the path-tracking one runs only to locate an error.
    let plain = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(raw);
    plain
        .or_else(|_| serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(raw))
        .map_err(|error| {
            let mut pointer = path_to_pointer(error.path());
            if pointer == "/paths" {
                pointer = deeper_path_error(raw).unwrap_or(pointer);
            }
            let message = format!("not a valid OpenAPI 3.0 document: {}", error.inner());
            SpecError {
                file: path.to_owned(),
                location: locate(text, &pointer),
                pointer: Some(pointer),
                message,
            }
        })
}

/// openapiv3 reads `paths` through a map type that hides where inside it an error is; reading
/// each path item on its own finds the place.
fn deeper_path_error(raw: &Value) -> Option<String> {
    let paths = raw.get("paths")?.as_object()?;
    paths.iter().find_map(|(path, item)| {
        // Read as a plain PathItem: the untagged `ReferenceOr` would hide the path again.
        if item.get("$ref").is_some() {
            return None;
        }
        let error = serde_path_to_error::deserialize::<_, openapiv3::PathItem>(item).err()?;
        Some(format!(
            "{}{}",
            super::pointer::join("/paths", path),
            path_to_pointer(error.path())
        ))
    })
}

fn parse_json(path: &Path, text: &str) -> Result<Value, SpecError> {
    serde_json::from_str(text).map_err(|error| SpecError {
        file: path.to_owned(),
        location: Some(Location {
            line: error.line(),
            column: error.column(),
        }),
        pointer: None,
        message: format!("invalid JSON: {error}"),
    })
}

fn parse_yaml(path: &Path, text: &str) -> Result<Value, SpecError> {
    serde_saphyr::from_str::<Value>(text).map_err(|error| {
        let location = error.location().map(|location| Location {
            line: usize::try_from(location.line()).unwrap_or(usize::MAX),
            column: usize::try_from(location.column()).unwrap_or(usize::MAX),
        });
        SpecError {
            file: path.to_owned(),
            location,
            pointer: None,
            message: format!("invalid YAML: {}", first_line(&error.to_string())),
        }
    })
}

/// serde-saphyr renders a source snippet under its message; our report has its own location.
fn first_line(message: &str) -> &str {
    message
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or(message)
        .trim()
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = super::pointer::join(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = super::pointer::join(&pointer, key),
            Segment::Enum { variant } => pointer = super::pointer::join(&pointer, variant),
            Segment::Unknown => break,
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(name: &str, text: &str) -> Result<Document, SpecError> {
        parse_document(Path::new(name), text.to_owned())
    }

    const MINIMAL: &str = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {}\n";

    #[test]
    fn parses_yaml_and_json() {
        assert_eq!(parse("a.yaml", MINIMAL).unwrap().api.info.title, "t");
        let json = r#"{"openapi":"3.0.3","info":{"title":"j","version":"1"},"paths":{}}"#;
        assert_eq!(parse("a.json", json).unwrap().api.info.title, "j");
    }

    #[test]
    fn duplicate_keys_are_rejected_with_their_line() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  title: u\n  version: '1'\npaths: {}\n";
        let error = parse("dup.yaml", text).unwrap_err();
        assert_eq!(error.location.map(|l| l.line), Some(4), "{error}");
        assert!(
            error.message.to_lowercase().contains("duplicate"),
            "{error}"
        );
    }

    #[test]
    fn a_wrong_type_names_its_place() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let error = parse("bad.yaml", text).unwrap_err();
        assert!(
            error.message.contains("expected struct Responses"),
            "{error}"
        );
        assert_eq!(
            error.pointer.as_deref(),
            Some("/paths/~1a/get/responses"),
            "{error}"
        );
        assert_eq!(error.location.map(|l| l.line), Some(8), "{error}");
    }

    #[test]
    fn broken_syntax_is_an_error_not_a_panic() {
        for text in [
            "a: [1, 2",
            "\t- x:\n  y",
            ": : :",
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}",
            "",
        ] {
            assert!(parse("x.yaml", text).is_err(), "{text:?}");
        }
    }
}
