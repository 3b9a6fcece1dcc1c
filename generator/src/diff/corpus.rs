//! The format of the diff test corpus (`generator/tests/diff_corpus.yaml`): spec pairs as
//! data, each with the exact change ids and levels expected, shared by the table-driven
//! test of the comparison and the test of `cargo xtask api-diff` itself.
//!
//! A case has a `name`, an `expect` list (`"level id"` strings, one per expected finding)
//! and its two documents, built from: `old` / `new` (partial documents: `openapi`, `info`
//! and `paths` are filled in when missing), `both` (merged into each), and shorthands that
//! put one schema of each side at a fixed place:
//!
//! - `request: [OLD, NEW]`: property `v` of the JSON body of `POST /p`;
//! - `response: [OLD, NEW]`: property `v` of the JSON `200` response of `GET /p`;
//! - `parameter: [OLD, NEW]`: the schema of the optional query parameter `q` of `GET /p`.

use serde_json::{Value, json};

use super::{ChangeId, Level};

/// One spec pair and what comparing it must find.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub old: Value,
    pub new: Value,
    /// Sorted.
    pub expect: Vec<(Level, ChangeId)>,
}

/// Reads the corpus (YAML text).
pub fn parse_corpus(text: &str) -> Result<Vec<Case>, String> {
    let raw: Value = serde_saphyr::from_str(text).map_err(|e| format!("corpus: {e}"))?;
    let list = raw.as_array().ok_or("corpus: expected a list of cases")?;
    list.iter().map(case).collect()
}

fn case(raw: &Value) -> Result<Case, String> {
    let name = raw
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("a case without a name: {raw}"))?
        .to_owned();
    let fail = |message: String| format!("case {name}: {message}");
    let mut expect = Vec::new();
    for item in raw
        .get("expect")
        .and_then(Value::as_array)
        .ok_or_else(|| fail("no `expect` list".into()))?
    {
        let item = item
            .as_str()
            .ok_or_else(|| fail(format!("{item} is not text")))?;
        let (level, id) = item
            .split_once(' ')
            .ok_or_else(|| fail(format!("{item:?}: expected \"level id\"")))?;
        let level =
            Level::from_name(level).ok_or_else(|| fail(format!("unknown level {level}")))?;
        let id = ChangeId::from_id(id.trim()).ok_or_else(|| fail(format!("unknown id {id}")))?;
        expect.push((level, id));
    }
    expect.sort();
    let side = |index: usize, key: &str| -> Result<Value, String> {
        let mut document = json!({
            "openapi": "3.0.3",
            "info": { "title": "corpus", "version": "1" },
            "paths": {},
        });
        if let Some(both) = raw.get("both") {
            merge(&mut document, both);
        }
        if let Some(partial) = raw.get(key) {
            merge(&mut document, partial);
        }
        for shorthand in ["request", "response", "parameter"] {
            let Some(pair) = raw.get(shorthand) else {
                continue;
            };
            let schema = pair
                .get(index)
                .ok_or_else(|| fail(format!("`{shorthand}` needs [old, new]")))?
                .clone();
            merge(&mut document, &expand(shorthand, schema));
        }
        Ok(document)
    };
    Ok(Case {
        old: side(0, "old")?,
        new: side(1, "new")?,
        name,
        expect,
    })
}

fn expand(shorthand: &str, schema: Value) -> Value {
    let object = json!({ "type": "object", "properties": { "v": schema } });
    match shorthand {
        "request" => json!({ "paths": { "/p": { "post": {
            "requestBody": { "required": true, "content": { "application/json": { "schema": object } } },
            "responses": { "204": { "description": "done" } },
        } } } }),
        "response" => json!({ "paths": { "/p": { "get": {
            "responses": { "200": { "description": "ok", "content": { "application/json": { "schema": object } } } },
        } } } }),
        _ => json!({ "paths": { "/p": { "get": {
            "parameters": [ { "name": "q", "in": "query", "schema": schema } ],
            "responses": { "204": { "description": "done" } },
        } } } }),
    }
}

/// Merges `patch` into `target`: objects key by key, anything else replaced.
fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                match target.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}
