//! Canonical ↔ dialect consistency: every canonical field mapped (`x-mapping`) onto a dialect
//! field is compared with it by the same direction-aware rules as two versions of a spec. A
//! dialect field tighter than the canonical one where clients send it (a canonical value the
//! vendor refuses), or looser where they receive it (a vendor value the canonical API does
//! not promise), is a finding with the rule's id. Type, format and nullability are left out:
//! the adapters convert them. A deliberate difference is documented on the canonical field:
//! `x-mapping-differences: {<dialect>: {<id>: <reason>}}`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::walk::diff_schemas;
use super::{ChangeId, Context, Finding, Level};
use crate::spec::ext::{Dialect, FieldAddress, one_or_many};
use crate::spec::{pointer, walk};

/// What the adapters convert between a canonical and a dialect field (integer ↔ string ids,
/// date ↔ date-time, null ↔ absent or empty), so no difference of it is an inconsistency.
const CONVERTED: [&str; 3] = ["-type-", "-format-", "-nullable-"];

/// One difference between a canonical field and a dialect field it maps onto.
#[derive(Debug, Clone, PartialEq)]
pub struct Inconsistency {
    pub dialect: Dialect,
    /// The canonical field's pointer in the canonical spec.
    pub canonical: String,
    /// The dialect field, `Schema#/pointer`.
    pub field: String,
    /// The finding, its location relative to the two fields' schemas.
    pub finding: Finding,
}

impl Inconsistency {
    /// As a finding of a report: located in the canonical spec, the dialect field named.
    pub fn into_finding(self) -> Finding {
        let Inconsistency {
            dialect,
            canonical,
            field,
            finding,
        } = self;
        Finding {
            location: format!("{canonical}{}", finding.location),
            message: format!("{dialect} {field}: {}", finding.message),
            operation: None,
            ..finding
        }
    }
}

/// The inconsistencies of a loaded spec set (the canonical spec and every dialect in it).
pub fn check_set(set: &crate::spec::SpecSet) -> Vec<Inconsistency> {
    let Some(canonical) = set.documents.get(&Dialect::Canonical) else {
        return Vec::new();
    };
    let dialects: Vec<(Dialect, &Value)> = set
        .documents
        .iter()
        .filter(|(dialect, _)| **dialect != Dialect::Canonical)
        .map(|(dialect, document)| (*dialect, &document.raw))
        .collect();
    check_consistency(&canonical.raw, &dialects)
}

/// Every undocumented inconsistency (error or warning level) between the canonical spec and
/// the dialects, in canonical field order.
pub fn check_consistency(canonical: &Value, dialects: &[(Dialect, &Value)]) -> Vec<Inconsistency> {
    let mut found = Vec::new();
    let names: Vec<String> = canonical
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    for (dialect, raw) in dialects {
        let (request, response) = usage(raw);
        for name in &names {
            for (_, field_at) in walk::fields(canonical, name) {
                let Some(property) = canonical.pointer(&field_at) else {
                    continue;
                };
                let Some(targets) = property
                    .get("x-mapping")
                    .and_then(|m| m.get(dialect.name()))
                else {
                    continue;
                };
                let documented = |id: &str| {
                    property
                        .get("x-mapping-differences")
                        .and_then(|d| d.get(dialect.name()))
                        .and_then(|d| d.get(id))
                        .is_some()
                };
                for target in one_or_many(targets, "x-mapping").unwrap_or_default() {
                    let Ok(address) = FieldAddress::parse(&target) else {
                        continue;
                    };
                    let Some(schema) = field_schema(raw, &address) else {
                        continue;
                    };
                    // A readOnly field is never sent, a writeOnly one never received.
                    let flag = |key: &str| property.get(key).and_then(Value::as_bool) == Some(true);
                    let mut contexts = Vec::new();
                    if request.contains(&address.schema) && !flag("readOnly") {
                        contexts.push(Context::RequestProperty);
                    }
                    if response.contains(&address.schema) && !flag("writeOnly") {
                        contexts.push(Context::ResponseProperty);
                    }
                    for context in contexts {
                        for finding in diff_schemas(canonical, property, raw, schema, context) {
                            let id = finding.id.id();
                            if finding.level() == Level::Info
                                || CONVERTED.iter().any(|c| id.contains(c))
                                || documented(id)
                            {
                                continue;
                            }
                            found.push(Inconsistency {
                                dialect: *dialect,
                                canonical: field_at.clone(),
                                field: target.clone(),
                                finding,
                            });
                        }
                    }
                }
            }
        }
    }
    found
}

/// What is wrong in the `x-mapping-differences` of the canonical spec: (pointer, message) for
/// an unknown dialect or change id, or a missing reason — a typo would otherwise document
/// nothing, silently.
pub fn documentation_problems(canonical: &Value) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let names: Vec<String> = canonical
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    for name in &names {
        for (_, field_at) in walk::fields(canonical, name) {
            let Some(differences) = canonical
                .pointer(&field_at)
                .and_then(|p| p.get("x-mapping-differences"))
            else {
                continue;
            };
            let at = pointer::join(&field_at, "x-mapping-differences");
            let Some(differences) = differences.as_object() else {
                problems.push((
                    at,
                    "x-mapping-differences must map dialects to {change id: reason}".into(),
                ));
                continue;
            };
            for (dialect, entries) in differences {
                let here = pointer::join(&at, dialect);
                if Dialect::from_name(dialect).is_none_or(|d| d == Dialect::Canonical) {
                    problems.push((here.clone(), format!("unknown dialect {dialect}")));
                }
                let Some(entries) = entries.as_object() else {
                    problems.push((here, "expected {change id: reason}".into()));
                    continue;
                };
                for (id, reason) in entries {
                    let entry = pointer::join(&here, id);
                    if ChangeId::from_id(id).is_none() {
                        problems.push((
                            entry.clone(),
                            format!(
                                "unknown change id {id} (see generator/docs/api-diff-changes.md)"
                            ),
                        ));
                    }
                    if reason.as_str().is_none_or(|r| r.trim().is_empty()) {
                        problems.push((entry, "a documented difference needs its reason".into()));
                    }
                }
            }
        }
    }
    problems
}

/// The schema of a dialect field: properties by name, array items by number, `$ref`s and
/// `allOf` members followed.
fn field_schema<'v>(raw: &'v Value, address: &'v FieldAddress) -> Option<&'v Value> {
    let mut node = walk::component(raw, &address.schema)?;
    for segment in pointer::segments(&address.pointer) {
        node = walk::resolve(raw, node).ok()?;
        let is_array = node.value.get("items").is_some();
        if is_array && segment.parse::<usize>().is_ok() {
            node = walk::Node {
                component: node.component,
                value: node.value.get("items")?,
            };
            continue;
        }
        node = walk::property(raw, node, &segment)?;
    }
    Some(node.value)
}

/// The component schemas a dialect's clients send (request bodies, parameters) and receive
/// (responses), each with every schema it refers to.
fn usage(raw: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut request = Vec::new();
    let mut response = Vec::new();
    for item in raw
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|p| p.values())
    {
        for (key, operation) in item.as_object().into_iter().flatten() {
            if key == "parameters" {
                request.push(operation);
                continue;
            }
            if let Some(body) = operation.get("requestBody") {
                request.push(body);
            }
            if let Some(parameters) = operation.get("parameters") {
                request.push(parameters);
            }
            if let Some(responses) = operation.get("responses") {
                response.push(responses);
            }
        }
    }
    (reachable(raw, &request), reachable(raw, &response))
}

fn reachable(raw: &Value, roots: &[&Value]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut references = BTreeSet::new();
    let mut stack: Vec<&Value> = roots.to_vec();
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    match child.as_str() {
                        Some(reference) if key == "$ref" => {
                            if !references.insert(reference.to_owned()) {
                                continue;
                            }
                            if let Some(name) = walk::component_name(reference) {
                                names.insert(name.to_owned());
                            }
                            if let Some(target) =
                                reference.strip_prefix('#').and_then(|p| raw.pointer(p))
                            {
                                stack.push(target);
                            }
                        }
                        _ => stack.push(child),
                    }
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    names
}
