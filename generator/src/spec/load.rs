//! Reading one spec file: YAML or JSON text → a raw JSON tree (for pointers and `x-`
//! extensions) and a typed `openapiv3` document (for everything else).

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::locate::{locate, locate_all};
use super::{Location, SpecError};

/// One spec file, parsed.
#[derive(Debug, Clone)]
pub struct Document {
    pub path: PathBuf,
    /// The text as read, kept to point at lines when a later check finds a problem.
    pub text: String,
    pub raw: Value,
    pub api: openapiv3::OpenAPI,
    /// What OpenAPI 3.0 does not allow but the document could still be read with, and how it
    /// was read (an integer in a server variable's `enum`, read as its text).
    pub warnings: Vec<SpecError>,
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

    /// [`Document::error_at`] of each `(pointer, message)`, the text read once for all.
    pub fn errors_at(&self, problems: Vec<(String, String)>) -> Vec<SpecError> {
        let pointers: Vec<&str> = problems
            .iter()
            .map(|(pointer, _)| pointer.as_str())
            .collect();
        let locations = locate_all(&self.text, &pointers);
        problems
            .into_iter()
            .zip(locations)
            .map(|((pointer, message), location)| SpecError {
                file: self.path.clone(),
                location,
                pointer: Some(pointer),
                message,
            })
            .collect()
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
    let mut raw = parse_syntax(path, &text, is_json)?;
    if let Some(swagger) = raw.get("swagger") {
        let version = swagger
            .as_str()
            .map_or_else(|| swagger.to_string(), str::to_owned);
        return Err(SpecError {
            file: path.to_owned(),
            location: locate(&text, "/swagger"),
            pointer: Some("/swagger".into()),
            message: format!(
                "Swagger {version} (OpenAPI 2.0) is not supported: only OpenAPI 3.0 and 3.1 are; convert it first (e.g. with swagger2openapi)"
            ),
        });
    }
    let version = raw
        .get("openapi")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let is_3_1 = version.as_deref().is_some_and(|v| v.starts_with("3.1."));
    let mut changes = if is_3_1 {
        super::openapi31::down_convert(&mut raw)
    } else {
        Vec::new()
    };
    changes.extend(tolerate(&mut raw));
    let pointers: Vec<&str> = changes
        .iter()
        .map(|(pointer, _)| pointer.as_str())
        .collect();
    let locations = locate_all(&text, &pointers);
    let warnings = changes
        .into_iter()
        .zip(locations)
        .map(|((pointer, message), location)| SpecError {
            file: path.to_owned(),
            location,
            pointer: Some(pointer),
            message,
        })
        .collect();
    let mut api = read_openapi(path, &text, &raw)?;
    if is_3_1 && let Some(version) = version {
        // Read through its 3.0 form; the document still says what it is.
        api.openapi = version.clone();
        raw["openapi"] = Value::String(version);
    }
    if !api.openapi.starts_with("3.0.") && !is_3_1 {
        return Err(SpecError {
            file: path.to_owned(),
            location: locate(&text, "/openapi"),
            pointer: Some("/openapi".into()),
            message: format!(
                "OpenAPI version {:?} is not supported: expected 3.0.x or 3.1.x",
                api.openapi
            ),
        });
    }
    Ok(Document {
        path: path.to_owned(),
        text,
        raw,
        api,
        warnings,
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
    if let Some(api) = read_in_parts(raw) {
        return Ok(api);
    }
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

/// The typed document read in parts on every core: runs of `paths` entries, `components`,
/// and the rest (with empty `paths`). Each part goes through the `Deserialize` it goes
/// through inside the whole (`Paths` from a map of some of its entries), so the document is
/// the same; and the whole is never copied into serde's buffer for `OpenAPI`'s flattened
/// extensions. Stripe's spec: 45 ms whole, about 25 in parts on two cores. `None` for a
/// small document, or when a part fails: the whole read then reports the error as it always
/// did.
fn read_in_parts(raw: &Value) -> Option<openapiv3::OpenAPI> {
    use serde::Deserialize;
    use serde::de::value::MapDeserializer;

    enum Part<'a> {
        Rest,
        Components(&'a Value),
        Paths(&'a [(&'a String, &'a Value)]),
    }
    enum Read {
        Rest(Box<openapiv3::OpenAPI>),
        Components(Option<Box<openapiv3::Components>>),
        Paths(openapiv3::Paths),
    }

    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let object = raw.as_object()?;
    let paths: Vec<(&String, &Value)> = object.get("paths")?.as_object()?.iter().collect();
    if paths.len() < 64 || threads < 2 {
        return None;
    }
    let mut parts = vec![Part::Rest];
    parts.extend(object.get("components").map(Part::Components));
    parts.extend(
        paths
            .chunks(paths.len().div_ceil(threads * 2))
            .map(Part::Paths),
    );
    let read = crate::parallel::map(&parts, |part| match part {
        Part::Rest => {
            let rest: serde_json::Map<String, Value> = object
                .iter()
                .filter(|(key, _)| *key != "components")
                .map(|(key, value)| match key.as_str() {
                    "paths" => (key.clone(), Value::Object(serde_json::Map::new())),
                    _ => (key.clone(), value.clone()),
                })
                .collect();
            openapiv3::OpenAPI::deserialize(Value::Object(rest))
                .ok()
                .map(|rest| Read::Rest(Box::new(rest)))
        }
        Part::Components(components) => Option::<openapiv3::Components>::deserialize(*components)
            .ok()
            .map(|components| Read::Components(components.map(Box::new))),
        Part::Paths(entries) => {
            let entries = entries.iter().map(|&(key, value)| (key.as_str(), value));
            openapiv3::Paths::deserialize(MapDeserializer::<_, serde_json::Error>::new(entries))
                .ok()
                .map(Read::Paths)
        }
    });
    let mut api = None;
    let mut paths = openapiv3::Paths::default();
    let mut components = None;
    for read in read {
        match read? {
            Read::Rest(rest) => api = Some(rest),
            Read::Components(read) => components = read,
            Read::Paths(read) => {
                paths.paths.extend(read.paths);
                paths.extensions.extend(read.extensions);
            }
        }
    }
    let mut api = *api?;
    api.paths = paths;
    api.components = components.map(|components| *components);
    Some(api)
}

/// Rewrites what a 3.0 reader would refuse but whose meaning is plain, and says where: a
/// server variable's `enum` values and `default` are strings (`port: {enum: [80, 443]}` is
/// read as `["80", "443"]`). Servers are read at the root, on path items and on operations.
fn tolerate(raw: &mut Value) -> Vec<(String, String)> {
    let mut warnings = Vec::new();
    let mut servers_at = vec![String::from("/servers")];
    if let Some(paths) = raw.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let item_at = super::pointer::join("/paths", path);
            servers_at.push(format!("{item_at}/servers"));
            if let Some(item) = item.as_object() {
                for (method, operation) in item {
                    if operation.get("servers").is_some() {
                        servers_at.push(format!(
                            "{}/servers",
                            super::pointer::join(&item_at, method)
                        ));
                    }
                }
            }
        }
    }
    let mut parameters_at = vec![String::from("/components/parameters")];
    if let Some(paths) = raw.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let item_at = super::pointer::join("/paths", path);
            parameters_at.push(format!("{item_at}/parameters"));
            if let Some(item) = item.as_object() {
                for (method, operation) in item {
                    if operation.get("parameters").is_some() {
                        parameters_at.push(format!(
                            "{}/parameters",
                            super::pointer::join(&item_at, method)
                        ));
                    }
                }
            }
        }
    }
    for at in parameters_at {
        let entries: Vec<(String, &mut Value)> = match raw.pointer_mut(&at) {
            Some(Value::Array(list)) => list
                .iter_mut()
                .enumerate()
                .map(|(index, parameter)| (format!("{at}/{index}"), parameter))
                .collect(),
            Some(Value::Object(map)) => map
                .iter_mut()
                .map(|(name, parameter)| (super::pointer::join(&at, name), parameter))
                .collect(),
            _ => continue,
        };
        for (parameter_at, parameter) in entries {
            let Some(required) = parameter.get_mut("required") else {
                continue;
            };
            if required.is_boolean() {
                continue;
            }
            let read = matches!(required.as_str(), Some("true" | "required" | "yes"));
            warnings.push((
                format!("{parameter_at}/required"),
                format!("`required: {required}` is not a boolean: read as {read}"),
            ));
            *required = Value::Bool(read);
        }
    }
    for at in servers_at {
        let Some(servers) = raw.pointer_mut(&at).and_then(Value::as_array_mut) else {
            continue;
        };
        for (index, server) in servers.iter_mut().enumerate() {
            let Some(variables) = server.get_mut("variables").and_then(Value::as_object_mut) else {
                continue;
            };
            for (name, variable) in variables.iter_mut() {
                let variable_at = super::pointer::join(&format!("{at}/{index}/variables"), name);
                if let Some(values) = variable.get_mut("enum").and_then(Value::as_array_mut) {
                    for (position, value) in values.iter_mut().enumerate() {
                        if let Some(text) = scalar_text(value) {
                            warnings.push((
                                format!("{variable_at}/enum/{position}"),
                                format!("server variable `{name}`: enum value {value} is not a string (OpenAPI 3.0 wants strings): read as {text:?}"),
                            ));
                            *value = Value::String(text);
                        }
                    }
                }
                if let Some(value) = variable.get_mut("default")
                    && let Some(text) = scalar_text(value)
                {
                    warnings.push((
                        format!("{variable_at}/default"),
                        format!("server variable `{name}`: default {value} is not a string (OpenAPI 3.0 wants a string): read as {text:?}"),
                    ));
                    *value = Value::String(text);
                }
            }
        }
    }
    warnings
}

/// A number's or boolean's text; `None` for a string (nothing to do) or anything else.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
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
    if let Some(value) = super::yaml::parse_in_parts(text) {
        return Ok(value);
    }
    serde_saphyr::from_str::<super::yaml::Yaml>(text)
        .map(|yaml| yaml.0)
        .map_err(|error| {
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

    /// `null:` is a property named "null" (openapi-generator's reserved-words spec), `200:` a
    /// status, `true:` a name: every key YAML allows is read as its text.
    #[test]
    fn any_yaml_key_is_a_name() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    S:\n      type: object\n      properties:\n        null: {type: string}\n        true: {type: string}\n        200: {type: string}\n";
        let document = parse("keys.yaml", text).unwrap();
        let properties = document.at("/components/schemas/S/properties").unwrap();
        let names: Vec<&String> = properties.as_object().unwrap().keys().collect();
        assert_eq!(names, ["null", "true", "200"]);
    }

    #[test]
    fn an_integer_server_variable_is_a_warning_with_its_line() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers:\n  - url: 'http://x:{port}'\n    variables:\n      port:\n        enum:\n          - 80\n          - '443'\n        default: 80\npaths: {}\n";
        let document = parse("servers.yaml", text).unwrap();
        let variable = &document.api.servers[0].variables.as_ref().unwrap()["port"];
        assert_eq!(variable.enumeration, ["80", "443"]);
        assert_eq!(variable.default, "80");
        let lines: Vec<String> = document.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("servers.yaml:8:"), "{lines:?}");
        assert!(
            lines[0].contains("enum value 80 is not a string"),
            "{lines:?}"
        );
        assert!(lines[1].starts_with("servers.yaml:10:"), "{lines:?}");
    }

    #[test]
    fn a_parameter_required_that_is_not_a_boolean_is_a_warning() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - name: q\n          in: query\n          required: optional\n          schema: {type: string}\n      responses:\n        '204': {description: none}\n";
        let document = parse("required.yaml", text).unwrap();
        assert_eq!(document.warnings.len(), 1);
        let line = document.warnings[0].to_string();
        assert!(line.starts_with("required.yaml:9:"), "{line}");
        assert!(line.contains("read as false"), "{line}");
    }

    #[test]
    fn openapi_3_1_is_read_through_its_3_0_form() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks: {}\ncomponents:\n  schemas:\n    S:\n      type: [string, 'null']\n      const: a\n";
        let document = parse("new.yaml", text).unwrap();
        assert_eq!(document.api.openapi, "3.1.0");
        let schema = document.at("/components/schemas/S").unwrap();
        assert_eq!(schema["nullable"], true);
        assert_eq!(schema["enum"][0], "a");
        let lines: Vec<String> = document.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].starts_with("new.yaml:3:"), "{lines:?}");
    }

    /// A document read in parts (on a machine with two cores or more) is the one read whole:
    /// paths in several runs, path-level extensions, components, root extensions.
    #[test]
    fn a_document_read_in_parts_is_the_whole() {
        let mut paths = serde_json::Map::new();
        for n in 0..150 {
            paths.insert(
                format!("/items/{n}"),
                serde_json::json!({"get": {"operationId": format!("get{n}"), "responses": {"200": {"description": "ok"}}}}),
            );
            if n == 70 {
                paths.insert("x-between".into(), serde_json::json!({"a": 1}));
            }
        }
        let raw = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "x-root": true,
            "paths": paths,
            "components": {"schemas": {"S": {"type": "string"}}},
            "tags": [{"name": "a"}],
        });
        let whole = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&raw).unwrap();
        if std::thread::available_parallelism().map_or(1, usize::from) < 2 {
            assert!(read_in_parts(&raw).is_none());
            return;
        }
        assert_eq!(read_in_parts(&raw).expect("read in parts"), whole);
        let mut broken = raw.clone();
        broken["paths"]["/items/99"]["get"]["responses"] = Value::from(7);
        assert!(read_in_parts(&broken).is_none());
    }

    #[test]
    fn swagger_2_is_refused_naming_the_version() {
        let text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n";
        let error = parse("old.yaml", text).unwrap_err().to_string();
        assert!(error.starts_with("old.yaml:1:"), "{error}");
        assert!(
            error.contains("Swagger 2.0 (OpenAPI 2.0) is not supported"),
            "{error}"
        );
    }

    #[test]
    fn broken_syntax_is_an_error_not_a_panic() {
        for text in [
            "a: [1, 2",
            "\t- x:\n  y",
            ": : :",
            "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}",
            "",
        ] {
            assert!(parse("x.yaml", text).is_err(), "{text:?}");
        }
    }
}
