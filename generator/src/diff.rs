//! What changed between two versions of an API, each change classified as compatible or
//! breaking for existing clients — the meaning behind a codegen diff.
//!
//! Direction matters: a field may be added to a response freely but not made required in a
//! request; a limit may be loosened on input but not tightened. A type used both ways gets
//! the stricter verdict.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::model::{Api, Constraints, Field, Operation, TypeDef, TypeKind, TypeRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Breaking,
    Compatible,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub severity: Severity,
    /// Where: `operation updateProfile`, `ProfileUpdate.first_name (request)`.
    pub place: String,
    pub what: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Breaking => "BREAKING  ",
            Severity::Compatible => "compatible",
        };
        write!(f, "{severity} {}: {}", self.place, self.what)
    }
}

/// How a type is used: sent by clients, received by them, or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Usage {
    request: bool,
    response: bool,
}

/// Every change from `old` to `new`, breaking ones first.
pub fn diff(old: &Api, new: &Api) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut push = |severity, place: String, what: String| {
        changes.push(Change {
            severity,
            place,
            what,
        })
    };
    let old_ops: BTreeMap<&str, &Operation> =
        old.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    let new_ops: BTreeMap<&str, &Operation> =
        new.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    for (id, old_op) in &old_ops {
        match new_ops.get(id) {
            None => push(
                Severity::Breaking,
                format!("operation {id}"),
                "removed".into(),
            ),
            Some(new_op) => operation_changes(old_op, new_op, &mut push),
        }
    }
    for id in new_ops.keys().filter(|id| !old_ops.contains_key(*id)) {
        push(
            Severity::Compatible,
            format!("operation {id}"),
            "added".into(),
        );
    }
    let usage_old = usages(old);
    let usage_new = usages(new);
    let components = |api: &'_ Api| -> BTreeMap<String, TypeDef> {
        api.types
            .iter()
            .filter_map(|t| Some((t.component.clone()?, t.clone())))
            .collect()
    };
    let (old_types, new_types) = (components(old), components(new));
    for (name, old_type) in &old_types {
        let usage = merge(
            usage_old.get(&old_type.rust_name),
            new_types
                .get(name)
                .and_then(|t| usage_new.get(&t.rust_name)),
        );
        match new_types.get(name) {
            None if usage != Usage::default() => push(
                Severity::Breaking,
                format!("schema {name}"),
                "removed".into(),
            ),
            None => push(
                Severity::Compatible,
                format!("schema {name}"),
                "removed (it was not used by any operation)".into(),
            ),
            Some(new_type) => type_changes(name, old_type, new_type, usage, &mut push),
        }
    }
    for name in new_types.keys().filter(|n| !old_types.contains_key(*n)) {
        push(
            Severity::Compatible,
            format!("schema {name}"),
            "added".into(),
        );
    }
    changes.sort();
    changes
}

fn merge(a: Option<&Usage>, b: Option<&Usage>) -> Usage {
    let a = a.copied().unwrap_or_default();
    let b = b.copied().unwrap_or_default();
    Usage {
        request: a.request || b.request,
        response: a.response || b.response,
    }
}

fn operation_changes(
    old: &Operation,
    new: &Operation,
    push: &mut impl FnMut(Severity, String, String),
) {
    let place = format!("operation {}", old.id);
    if (old.method, &old.path) != (new.method, &new.path) {
        push(
            Severity::Breaking,
            place.clone(),
            format!(
                "moved from {} {} to {} {}",
                old.method.as_str(),
                old.path,
                new.method.as_str(),
                new.path
            ),
        );
    }
    for parameter in &old.parameters {
        match new
            .parameters
            .iter()
            .find(|p| p.name == parameter.name && p.location == parameter.location)
        {
            None if parameter.required => push(
                Severity::Breaking,
                place.clone(),
                format!("required parameter {} removed", parameter.name),
            ),
            None => push(
                Severity::Compatible,
                place.clone(),
                format!("optional parameter {} removed", parameter.name),
            ),
            Some(now) => {
                if now.required && !parameter.required {
                    push(
                        Severity::Breaking,
                        place.clone(),
                        format!("parameter {} became required", parameter.name),
                    );
                }
                if now.ty != parameter.ty {
                    push(
                        Severity::Breaking,
                        place.clone(),
                        format!("parameter {} changed type", parameter.name),
                    );
                }
                constraint_changes(
                    &format!("{place}, parameter {}", parameter.name),
                    &parameter.constraints,
                    &now.constraints,
                    true,
                    push,
                );
            }
        }
    }
    for parameter in new.parameters.iter().filter(|p| {
        !old.parameters
            .iter()
            .any(|o| o.name == p.name && o.location == p.location)
    }) {
        let severity = if parameter.required {
            Severity::Breaking
        } else {
            Severity::Compatible
        };
        push(
            severity,
            place.clone(),
            format!(
                "{} parameter {} added",
                if parameter.required {
                    "required"
                } else {
                    "optional"
                },
                parameter.name
            ),
        );
    }
    let media = |op: &Operation| -> BTreeSet<String> {
        op.body
            .iter()
            .flat_map(|b| b.contents.iter().map(|c| c.media_type.clone()))
            .collect()
    };
    let (old_media, new_media) = (media(old), media(new));
    for removed in old_media.difference(&new_media) {
        push(
            Severity::Breaking,
            place.clone(),
            format!("request media type {removed} no longer accepted"),
        );
    }
    for added in new_media.difference(&old_media) {
        push(
            Severity::Compatible,
            place.clone(),
            format!("request media type {added} accepted"),
        );
    }
    if new.body.as_ref().is_some_and(|b| b.required)
        && !old.body.as_ref().is_some_and(|b| b.required)
    {
        push(
            Severity::Breaking,
            place.clone(),
            "the request body became required".into(),
        );
    }
    for response in &old.responses {
        if !new.responses.iter().any(|r| r.status == response.status) {
            push(
                Severity::Breaking,
                place.clone(),
                format!("response {:?} removed", response.status),
            );
        }
    }
    for response in new
        .responses
        .iter()
        .filter(|r| !old.responses.iter().any(|o| o.status == r.status))
    {
        push(
            Severity::Compatible,
            place.clone(),
            format!("response {:?} added", response.status),
        );
    }
    let schemes = |op: &Operation| -> BTreeSet<String> {
        op.security
            .first()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .collect()
    };
    for added in schemes(new).difference(&schemes(old)) {
        push(
            Severity::Breaking,
            place.clone(),
            format!("now needs credential {added}"),
        );
    }
    for removed in schemes(old).difference(&schemes(new)) {
        push(
            Severity::Compatible,
            place.clone(),
            format!("no longer needs credential {removed}"),
        );
    }
}

fn type_changes(
    name: &str,
    old: &TypeDef,
    new: &TypeDef,
    usage: Usage,
    push: &mut impl FnMut(Severity, String, String),
) {
    let direction = match (usage.request, usage.response) {
        (true, true) => " (request and response)",
        (true, false) => " (request)",
        (false, true) => " (response)",
        (false, false) => "",
    };
    match (&old.kind, &new.kind) {
        (TypeKind::Struct(old_def), TypeKind::Struct(new_def)) => {
            for field in &old_def.fields {
                let place = format!("{name}.{}{direction}", field.name);
                match new_def.fields.iter().find(|f| f.name == field.name) {
                    None => {
                        let severity = if usage.response || usage.request {
                            Severity::Breaking
                        } else {
                            Severity::Compatible
                        };
                        push(severity, place, "field removed".into());
                    }
                    Some(now) => field_changes(&place, field, now, usage, push),
                }
            }
            for field in new_def
                .fields
                .iter()
                .filter(|f| !old_def.fields.iter().any(|o| o.name == f.name))
            {
                let place = format!("{name}.{}{direction}", field.name);
                if usage.request && field.required {
                    push(Severity::Breaking, place, "new required field".into());
                } else {
                    push(Severity::Compatible, place, "field added".into());
                }
            }
        }
        (TypeKind::StringEnum(old_values), TypeKind::StringEnum(new_values)) => {
            for value in old_values
                .iter()
                .filter(|v| !new_values.iter().any(|n| n.value == v.value))
            {
                push(
                    if usage.request {
                        Severity::Breaking
                    } else {
                        Severity::Compatible
                    },
                    format!("{name}{direction}"),
                    format!("enum value {:?} removed", value.value),
                );
            }
            for value in new_values
                .iter()
                .filter(|v| !old_values.iter().any(|o| o.value == v.value))
            {
                push(
                    if usage.response {
                        Severity::Breaking
                    } else {
                        Severity::Compatible
                    },
                    format!("{name}{direction}"),
                    format!("enum value {:?} added", value.value),
                );
            }
        }
        (old_kind, new_kind)
            if std::mem::discriminant(old_kind) != std::mem::discriminant(new_kind) =>
        {
            push(
                Severity::Breaking,
                format!("{name}{direction}"),
                "changed kind (struct/enum/union/alias)".into(),
            );
        }
        _ => {}
    }
    constraint_changes(
        &format!("{name}{direction}"),
        &old.constraints,
        &new.constraints,
        usage.request,
        push,
    );
}

fn field_changes(
    place: &str,
    old: &Field,
    new: &Field,
    usage: Usage,
    push: &mut impl FnMut(Severity, String, String),
) {
    if !same_shape(&old.ty, &new.ty) {
        push(Severity::Breaking, place.to_owned(), "type changed".into());
    }
    if usage.request && new.required && !old.required {
        push(
            Severity::Breaking,
            place.to_owned(),
            "became required".into(),
        );
    }
    if usage.response && old.required && !new.required {
        push(
            Severity::Breaking,
            place.to_owned(),
            "may now be absent from responses".into(),
        );
    }
    if usage.response && new.nullable && !old.nullable {
        push(
            Severity::Breaking,
            place.to_owned(),
            "may now be null in responses".into(),
        );
    }
    if usage.request && !new.required && old.required {
        push(
            Severity::Compatible,
            place.to_owned(),
            "became optional".into(),
        );
    }
    if !old.read_only && new.read_only && usage.request {
        push(
            Severity::Breaking,
            place.to_owned(),
            "became read-only".into(),
        );
    }
    constraint_changes(
        place,
        &old.constraints,
        &new.constraints,
        usage.request,
        push,
    );
}

/// Named types compare by name; containers by their items.
fn same_shape(a: &TypeRef, b: &TypeRef) -> bool {
    match (a, b) {
        (TypeRef::Array(a), TypeRef::Array(b)) | (TypeRef::Map(a), TypeRef::Map(b)) => {
            same_shape(a, b)
        }
        (TypeRef::Integer(_), TypeRef::Integer(_)) => true,
        _ => a == b,
    }
}

/// Tightened limits break requests; for responses only the schema's promise changes.
fn constraint_changes(
    place: &str,
    old: &Constraints,
    new: &Constraints,
    request: bool,
    push: &mut impl FnMut(Severity, String, String),
) {
    let tightened = if request {
        Severity::Breaking
    } else {
        Severity::Compatible
    };
    let loosened = Severity::Compatible;
    let mut limit =
        |what: &str, before: Option<f64>, after: Option<f64>, upper: bool| match (before, after) {
            (None, Some(now)) => push(tightened, place.to_owned(), format!("{what} {now} added")),
            (Some(was), None) => push(loosened, place.to_owned(), format!("{what} {was} removed")),
            (Some(was), Some(now)) if (upper && now < was) || (!upper && now > was) => push(
                tightened,
                place.to_owned(),
                format!("{what} tightened from {was} to {now}"),
            ),
            (Some(was), Some(now)) if was != now => push(
                loosened,
                place.to_owned(),
                format!("{what} loosened from {was} to {now}"),
            ),
            _ => {}
        };
    let as_f64 = |v: Option<usize>| v.map(|v| v as f64);
    limit(
        "maxLength",
        as_f64(old.max_length),
        as_f64(new.max_length),
        true,
    );
    limit(
        "minLength",
        as_f64(old.min_length),
        as_f64(new.min_length),
        false,
    );
    limit("maximum", old.maximum, new.maximum, true);
    limit("minimum", old.minimum, new.minimum, false);
    limit(
        "maxItems",
        as_f64(old.max_items),
        as_f64(new.max_items),
        true,
    );
    limit(
        "minItems",
        as_f64(old.min_items),
        as_f64(new.min_items),
        false,
    );
    if old.pattern != new.pattern {
        let severity = if new.pattern.is_some() {
            tightened
        } else {
            loosened
        };
        push(
            severity,
            place.to_owned(),
            format!(
                "pattern changed from {:?} to {:?}",
                old.pattern, new.pattern
            ),
        );
    }
    if old.format != new.format {
        let severity = if new.format.is_some() {
            tightened
        } else {
            loosened
        };
        push(
            severity,
            place.to_owned(),
            format!("format changed from {:?} to {:?}", old.format, new.format),
        );
    }
    for value in old
        .enumeration
        .iter()
        .filter(|v| !new.enumeration.contains(v) && !new.enumeration.is_empty())
    {
        push(
            tightened,
            place.to_owned(),
            format!("enum value {value} removed"),
        );
    }
}

/// Which named types each direction reaches.
fn usages(api: &Api) -> BTreeMap<String, Usage> {
    let mut usage: BTreeMap<String, Usage> = BTreeMap::new();
    let mut mark = |roots: Vec<&TypeRef>, request: bool| {
        let mut stack: Vec<TypeRef> = roots.into_iter().cloned().collect();
        let mut seen = BTreeSet::new();
        while let Some(ty) = stack.pop() {
            match ty {
                TypeRef::Array(inner) | TypeRef::Map(inner) => stack.push(*inner),
                TypeRef::Named(name) if seen.insert(name.clone()) => {
                    let entry = usage.entry(name.clone()).or_default();
                    if request {
                        entry.request = true
                    } else {
                        entry.response = true
                    }
                    if let Some(def) = api.type_named(&name) {
                        match &def.kind {
                            TypeKind::Struct(s) => stack.extend(
                                s.fields
                                    .iter()
                                    .map(|f| f.ty.clone())
                                    .chain(s.additional.clone()),
                            ),
                            TypeKind::Union(u) => {
                                stack.extend(u.variants.iter().map(|v| v.ty.clone()))
                            }
                            TypeKind::Alias(inner) => stack.push(inner.clone()),
                            TypeKind::StringEnum(_) => {}
                        }
                    }
                }
                _ => {}
            }
        }
    };
    let requests: Vec<&TypeRef> = api
        .operations
        .iter()
        .flat_map(|o| o.body.iter().flat_map(|b| b.contents.iter().map(|c| &c.ty)))
        .collect();
    let responses: Vec<&TypeRef> = api
        .operations
        .iter()
        .flat_map(|o| {
            o.responses
                .iter()
                .flat_map(|r| r.contents.iter().filter_map(|(_, t)| t.as_ref()))
        })
        .collect();
    mark(requests, true);
    mark(responses, false);
    usage
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::parse_document;
    use std::path::Path;

    fn api(text: &str) -> Api {
        crate::model::build(&parse_document(Path::new("t.yaml"), text.to_owned()).unwrap()).unwrap()
    }

    const BASE: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /u:
    put:
      operationId: update
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Update'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/User'}
        '404': {description: gone}
components:
  schemas:
    Update:
      type: object
      properties:
        name: {type: string, maxLength: 255}
    User:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
";

    fn verdicts(new: &str) -> Vec<String> {
        diff(&api(BASE), &api(new))
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn the_same_api_has_no_changes() {
        assert!(verdicts(BASE).is_empty());
    }

    #[test]
    fn narrowing_inputs_and_removing_outputs_break() {
        let tightened = verdicts(&BASE.replace("maxLength: 255", "maxLength: 100"));
        assert_eq!(
            tightened,
            ["BREAKING   Update.name (request): maxLength tightened from 255 to 100"]
        );
        let loosened = verdicts(&BASE.replace("maxLength: 255", "maxLength: 300"));
        assert_eq!(
            loosened,
            ["compatible Update.name (request): maxLength loosened from 255 to 300"]
        );
        let removed = verdicts(
            &BASE
                .replace("        id: {type: string}\n", "")
                .replace("[id, name]", "[name]"),
        );
        assert!(
            removed
                .iter()
                .any(|c| c.starts_with("BREAKING")
                    && c.contains("User.id (response): field removed")),
            "{removed:?}"
        );
        let status = verdicts(&BASE.replace("        '404': {description: gone}\n", ""));
        assert!(
            status[0].starts_with("BREAKING") && status[0].contains("response Code(404) removed"),
            "{status:?}"
        );
        let required = verdicts(
            &BASE
                .replace(
                    "    Update:\n      type: object\n",
                    "    Update:\n      type: object\n      required: [age]\n",
                )
                .replace(
                    "        name: {type: string, maxLength: 255}",
                    "        name: {type: string, maxLength: 255}\n        age: {type: integer}",
                ),
        );
        assert!(
            required.iter().any(|c| c.starts_with("BREAKING")
                && c.contains("Update.age (request): new required field")),
            "{required:?}"
        );
    }

    #[test]
    fn additions_are_compatible() {
        let added = verdicts(&BASE.replace(
            "        name: {type: string}\n",
            "        name: {type: string}\n        bio: {type: string}\n",
        ));
        assert_eq!(added, ["compatible User.bio (response): field added"]);
    }
}
