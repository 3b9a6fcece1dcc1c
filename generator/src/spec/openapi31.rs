//! OpenAPI 3.1 through the 3.0 model: a 3.1 document is rewritten in place into its 3.0 form
//! before it is read (the `openapiv3` crate reads 3.0 only), and every rewrite that loses
//! something is a warning. Keys keep their places, so every line reported later is still the
//! 3.1 text's.
//!
//! - `type: [X, "null"]` → `type: X, nullable: true`; `type: "null"` alone → `nullable: true`;
//!   several non-null types → `anyOf` of one each;
//! - an `anyOf`/`oneOf` member `{type: "null"}` → `nullable: true` on the schema (one member
//!   left: `allOf` of it);
//! - `const: v` → `enum: [v]`;
//! - `examples: [a, …]` in a schema → `example: a`;
//! - `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true` (and the maximum alike);
//! - `$ref` with siblings → the siblings that constrain (not `description`, `summary`) kept
//!   beside `allOf: [{$ref}]`;
//! - `contentEncoding: base64` → `format: byte`; `contentMediaType` on a string →
//!   `format: binary`;
//! - dropped with a warning: `jsonSchemaDialect`, `webhooks`, `components/pathItems`,
//!   `prefixItems`, `$schema`/`$id`/`$defs`-style keywords the model cannot hold; a missing
//!   `paths` (3.1 allows it) is an empty one.

use serde_json::{Map, Value, json};

use super::pointer;

/// Maps whose keys are names, not keywords (as in [`super::check`]).
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "paths",
    "content",
    "encoding",
    "variables",
    "mapping",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Keywords of JSON Schema 2020-12 the 3.0 model has no place for: dropped, with a warning.
const DROPPED: &[&str] = &[
    "prefixItems",
    "$defs",
    "$dynamicRef",
    "$dynamicAnchor",
    "$anchor",
    "unevaluatedProperties",
    "unevaluatedItems",
    "dependentSchemas",
    "dependentRequired",
    "if",
    "then",
    "else",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
];

/// Rewrites a 3.1 document into 3.0 form; each warning is a pointer and a message.
pub fn down_convert(raw: &mut Value) -> Vec<(String, String)> {
    let mut warnings = Vec::new();
    if let Some(root) = raw.as_object_mut() {
        root.insert("openapi".into(), Value::String("3.0.3".into()));
        for key in ["jsonSchemaDialect", "webhooks"] {
            if root.remove(key).is_some() {
                warnings.push((
                    format!("/{key}"),
                    format!("`{key}` (OpenAPI 3.1) has no 3.0 form: ignored"),
                ));
            }
        }
        if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut)
            && components.remove("pathItems").is_some()
        {
            warnings.push((
                "/components/pathItems".into(),
                "`components/pathItems` (OpenAPI 3.1) has no 3.0 form: ignored".into(),
            ));
        }
        root.entry("paths").or_insert_with(|| json!({}));
    }
    visit(raw, "", false, &mut warnings);
    warnings
}

fn visit(value: &mut Value, at: &str, names: bool, warnings: &mut Vec<(String, String)>) {
    match value {
        Value::Object(object) => {
            if !names {
                rewrite(object, at, warnings);
            }
            for (key, child) in object.iter_mut() {
                // Data, not schemas.
                if !names && matches!(key.as_str(), "example" | "default" | "enum" | "x-examples") {
                    continue;
                }
                let child_names = !names && NAME_MAPS.contains(&key.as_str());
                visit(child, &pointer::join(at, key), child_names, warnings);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                visit(
                    item,
                    &pointer::join(at, &index.to_string()),
                    false,
                    warnings,
                );
            }
        }
        _ => {}
    }
}

/// The 3.1 → 3.0 rewrites of one object (a schema, or anything else: the keywords tell).
fn rewrite(object: &mut Map<String, Value>, at: &str, warnings: &mut Vec<(String, String)>) {
    let mut warn = |key: &str, message: String| warnings.push((pointer::join(at, key), message));
    // type: [X, "null"]
    match object.get("type").cloned() {
        Some(Value::Array(types)) => {
            let nullable = types.iter().any(|t| t == "null");
            let others: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
            object.remove("type");
            match others.as_slice() {
                [] => {}
                [only] => {
                    object.insert("type".into(), only.clone());
                }
                several => {
                    let members: Vec<Value> =
                        several.iter().map(|t| json!({ "type": t })).collect();
                    object.insert("anyOf".into(), Value::Array(members));
                }
            }
            if nullable {
                object.insert("nullable".into(), Value::Bool(true));
            }
        }
        Some(Value::String(kind)) if kind == "null" => {
            object.remove("type");
            object.insert("nullable".into(), Value::Bool(true));
            object.insert("x-null-only".into(), Value::Bool(true));
        }
        _ => {}
    }
    // anyOf/oneOf with a {type: "null"} member
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = object.get(key) else {
            continue;
        };
        let is_null = |member: &Value| {
            member.get("type").is_some_and(|t| t == "null")
                || member.get("x-null-only").is_some()
                || member
                    .get("type")
                    .and_then(Value::as_array)
                    .is_some_and(|types| types.len() == 1 && types[0] == "null")
        };
        if !members.iter().any(is_null) {
            continue;
        }
        let kept: Vec<Value> = members.iter().filter(|m| !is_null(m)).cloned().collect();
        object.remove(key);
        object.insert("nullable".into(), Value::Bool(true));
        match kept.len() {
            0 => {}
            1 => {
                object.insert("allOf".into(), Value::Array(kept));
            }
            _ => {
                object.insert(key.into(), Value::Array(kept));
            }
        }
    }
    if let Some(value) = object.remove("const") {
        object
            .entry("enum")
            .or_insert_with(|| Value::Array(vec![value]));
    }
    if let Some(Value::Array(examples)) = object.get("examples") {
        let first = examples.first().cloned();
        object.remove("examples");
        if let Some(first) = first {
            object.entry("example").or_insert(first);
        }
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(number)) = object.get(exclusive).cloned() {
            object.insert(bound.into(), Value::Number(number));
            object.insert(exclusive.into(), Value::Bool(true));
        }
    }
    if object.contains_key("$ref") {
        let constraining: Vec<String> = object
            .keys()
            .filter(|k| !matches!(k.as_str(), "$ref" | "description" | "summary"))
            .cloned()
            .collect();
        if !constraining.is_empty() {
            let reference = object.remove("$ref").unwrap_or_default();
            object.insert("allOf".into(), json!([{ "$ref": reference }]));
        }
    }
    match object.get("contentEncoding").and_then(Value::as_str) {
        Some("base64") => {
            object.remove("contentEncoding");
            object.entry("format").or_insert_with(|| json!("byte"));
        }
        Some(_) => {
            object.remove("contentEncoding");
        }
        None => {}
    }
    if object.remove("contentMediaType").is_some()
        && object.get("type").is_some_and(|t| t == "string")
    {
        object.entry("format").or_insert_with(|| json!("binary"));
    }
    object.remove("$schema");
    object.remove("$id");
    object.remove("$comment");
    object.remove("x-null-only");
    for key in DROPPED {
        if object.remove(*key).is_some() {
            warn(
                key,
                format!("`{key}` (JSON Schema 2020-12) has no place in the model: ignored"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_come_down_to_their_3_0_form() {
        let mut raw = json!({
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"S": {
                "type": "object",
                "properties": {
                    "name": {"type": ["string", "null"], "examples": ["ann"]},
                    "kind": {"const": "cat"},
                    "age": {"type": "integer", "exclusiveMinimum": 0},
                    "owner": {"$ref": "#/components/schemas/S", "description": "d"},
                    "parent": {"oneOf": [{"$ref": "#/components/schemas/S"}, {"type": "null"}]},
                    "const": {"type": "string"},
                    "tuple": {"type": "array", "prefixItems": [{"type": "string"}]}
                }
            }}}
        });
        let warnings = down_convert(&mut raw);
        let properties = &raw["components"]["schemas"]["S"]["properties"];
        assert_eq!(
            properties["name"],
            json!({"type": "string", "nullable": true, "example": "ann"})
        );
        assert_eq!(properties["kind"], json!({"enum": ["cat"]}));
        assert_eq!(
            properties["age"],
            json!({"type": "integer", "exclusiveMinimum": true, "minimum": 0})
        );
        assert_eq!(properties["owner"]["$ref"], "#/components/schemas/S");
        assert_eq!(
            properties["parent"],
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/S"}]})
        );
        assert_eq!(
            properties["const"],
            json!({"type": "string"}),
            "a property named const"
        );
        assert_eq!(raw["openapi"], "3.0.3");
        assert_eq!(raw["paths"], json!({}));
        let pointers: Vec<&str> = warnings.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/jsonSchemaDialect",
                "/components/schemas/S/properties/tuple/prefixItems"
            ]
        );
    }
}
