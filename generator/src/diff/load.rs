//! Reading a document to compare: YAML or JSON, OpenAPI 3.0 (checked as the generator reads
//! it) or 3.1 (read as JSON); Swagger 2.0 and anything else refused by name.

use std::path::Path;

use serde_json::Value;

use crate::spec::{SpecError, locate, parse_syntax, read_openapi};

/// Parses a document named `label` (a file name, a URL, `REV:path`): JSON when the name ends
/// in `.json` or the text starts with `{`, YAML otherwise. Every error has file:line:column.
pub fn parse_for_diff(label: &str, text: &str) -> Result<Value, SpecError> {
    let path = Path::new(label);
    let json = path.extension().is_some_and(|e| e == "json") || text.trim_start().starts_with('{');
    let raw = parse_syntax(path, text, json)?;
    let refuse = |pointer: &str, message: String| SpecError {
        file: path.to_owned(),
        location: locate(text, pointer),
        pointer: Some(pointer.to_owned()),
        message,
    };
    if !raw.is_object() {
        return Err(refuse(
            "",
            "not an OpenAPI document: expected a mapping at the top".into(),
        ));
    }
    if let Some(version) = raw.get("swagger") {
        let version = version
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| version.to_string());
        return Err(refuse(
            "/swagger",
            format!(
                "Swagger {version} (OpenAPI 2) is not supported: convert it to OpenAPI 3 first"
            ),
        ));
    }
    let version = match raw.get("openapi") {
        Some(Value::String(version)) => version.clone(),
        Some(other) => {
            return Err(refuse(
                "/openapi",
                format!("`openapi` must be a string such as \"3.0.3\", not {other}"),
            ));
        }
        None => {
            return Err(refuse(
                "",
                "not an OpenAPI document: no `openapi` version".into(),
            ));
        }
    };
    if version.starts_with("3.0.") {
        read_openapi(path, text, &raw)?;
    } else if !version.starts_with("3.1.") {
        return Err(refuse(
            "/openapi",
            format!("OpenAPI version {version:?} is not supported: expected 3.0.x or 3.1.x"),
        ));
    }
    Ok(raw)
}
