//! The comparison itself: a walk over two raw (JSON) OpenAPI documents, operation by
//! operation, with every `$ref` followed, so a schema moved into `components` (or renamed
//! there) is no change. Locations are JSON pointers through the operation as if every
//! `$ref` were inlined: the same change has the same address however a spec is factored.
//!
//! A schema pair reached through two `$ref`s is compared once per context and its findings
//! reused wherever it appears again, which keeps large specs (GitHub's: thousands of
//! references to the same few schemas) fast; a pair already being compared (a recursive
//! schema) is not entered twice.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value};

use super::Finding;
use super::ids::{ChangeId, Context, Rule, schema_id};
use crate::spec::pointer::{escape, join};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// How deep nested schemas are followed (a guard against pathological documents).
const MAX_DEPTH: usize = 96;

/// A finding below some schema, its location relative to that schema.
#[derive(Debug, Clone)]
struct Relative {
    id: ChangeId,
    suffix: String,
    old: Option<Value>,
    new: Option<Value>,
    message: String,
}

type CacheKey = (String, String, Context);

struct Differ<'a> {
    old_root: &'a Value,
    new_root: &'a Value,
    findings: Vec<Finding>,
    cache: HashMap<CacheKey, Vec<Relative>>,
    in_progress: HashSet<CacheKey>,
}

/// Every change from `old` to `new` (raw OpenAPI 3.0 or 3.1 documents), errors first.
pub fn diff_values(old: &Value, new: &Value) -> Vec<Finding> {
    let mut differ = Differ {
        old_root: old,
        new_root: new,
        findings: Vec::new(),
        cache: HashMap::new(),
        in_progress: HashSet::new(),
    };
    differ.document();
    let mut findings = differ.findings;
    findings.sort_by(|a, b| {
        (a.id.level(), &a.operation, &a.location, a.id).cmp(&(
            b.id.level(),
            &b.operation,
            &b.location,
            b.id,
        ))
    });
    findings.dedup_by(|a, b| {
        a.id == b.id && a.location == b.location && a.operation == b.operation && a.old == b.old
    });
    findings
}

/// The changes from schema `old` (in document `old_root`) to schema `new` (in `new_root`) in
/// one context; locations are relative to the two schemas.
pub fn diff_schemas(
    old_root: &Value,
    old: &Value,
    new_root: &Value,
    new: &Value,
    context: Context,
) -> Vec<Finding> {
    let mut differ = Differ {
        old_root,
        new_root,
        findings: Vec::new(),
        cache: HashMap::new(),
        in_progress: HashSet::new(),
    };
    differ.schema_at(None, "", old, new, context);
    differ.findings
}

/// Follows `$ref`s (local ones; others are left as they are) to the node they name.
fn resolve<'v>(root: &'v Value, mut value: &'v Value) -> (&'v Value, Option<&'v str>) {
    let mut first = None;
    for _ in 0..32 {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(pointer) = reference.strip_prefix('#') else {
            break;
        };
        let Some(target) = root.pointer(pointer) else {
            break;
        };
        first.get_or_insert(reference);
        value = target;
    }
    (value, first)
}

fn object(value: &Value) -> Option<&Map<String, Value>> {
    value.as_object()
}

fn get<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    value.as_object().and_then(|o| o.get(key))
}

fn flag(value: &Value, key: &str) -> bool {
    get(value, key).and_then(Value::as_bool).unwrap_or(false)
}

fn text<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    get(value, key).and_then(Value::as_str)
}

fn operation_label(method: &str, path: &str) -> String {
    format!("{} {path}", method.to_uppercase())
}

fn shapes(paths: &Map<String, Value>) -> BTreeMap<String, &str> {
    paths
        .keys()
        .map(|path| (path_shape(path), path.as_str()))
        .collect()
}

/// `/users/{id}` and `/users/{userId}` are the same URL: the template with names removed.
fn path_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                shape.push_str("{}");
            }
            '}' => inside = false,
            _ if inside => {}
            _ => shape.push(c),
        }
    }
    shape
}

fn path_parameter_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

impl<'a> Differ<'a> {
    fn push(
        &mut self,
        id: ChangeId,
        operation: Option<&str>,
        location: String,
        old: Option<Value>,
        new: Option<Value>,
        message: String,
    ) {
        self.findings.push(Finding {
            id,
            operation: operation.map(str::to_owned),
            location,
            old,
            new,
            message,
        });
    }

    fn document(&mut self) {
        let (old_root, new_root) = (self.old_root, self.new_root);
        self.servers(
            None,
            "/servers",
            get(old_root, "servers"),
            get(new_root, "servers"),
        );
        self.security_schemes();
        let empty = Map::new();
        let old_paths = get(old_root, "paths").and_then(object).unwrap_or(&empty);
        let new_paths = get(new_root, "paths").and_then(object).unwrap_or(&empty);
        let new_shapes = shapes(new_paths);
        let old_shapes = shapes(old_paths);
        for (old_path, old_item) in old_paths {
            let (old_item, _) = resolve(old_root, old_item);
            let pointer = join("/paths", old_path);
            let new_path = new_paths
                .get_key_value(old_path.as_str())
                .map(|(k, _)| k.as_str())
                .or_else(|| new_shapes.get(&path_shape(old_path)).copied());
            match new_path {
                None => {
                    for method in METHODS {
                        let Some(operation) = get(old_item, method) else {
                            continue;
                        };
                        let id = if flag(operation, "deprecated") {
                            ChangeId::ApiDeprecatedOperationRemoved
                        } else {
                            ChangeId::ApiPathRemoved
                        };
                        self.push(
                            id,
                            Some(&operation_label(method, old_path)),
                            join(&pointer, method),
                            Some(Value::String(old_path.clone())),
                            None,
                            format!("path {old_path} removed"),
                        );
                    }
                }
                Some(new_path) => {
                    let (new_item, _) = resolve(new_root, &new_paths[new_path]);
                    self.path_item(old_path, old_item, new_path, new_item);
                }
            }
        }
        for new_path in new_paths.keys() {
            if !old_paths.contains_key(new_path.as_str())
                && !old_shapes.contains_key(&path_shape(new_path))
            {
                self.push(
                    ChangeId::ApiPathAdded,
                    None,
                    join("/paths", new_path),
                    None,
                    Some(Value::String(new_path.clone())),
                    format!("path {new_path} added"),
                );
            }
        }
    }

    fn path_item(&mut self, old_path: &str, old_item: &Value, new_path: &str, new_item: &Value) {
        let pointer = join("/paths", new_path);
        self.servers(
            None,
            &join(&pointer, "servers"),
            get(old_item, "servers"),
            get(new_item, "servers"),
        );
        for method in METHODS {
            let label = operation_label(method, new_path);
            let op_pointer = join(&pointer, method);
            match (get(old_item, method), get(new_item, method)) {
                (None, None) => {}
                (Some(old_op), None) => {
                    let id = if flag(old_op, "deprecated") {
                        ChangeId::ApiDeprecatedOperationRemoved
                    } else {
                        ChangeId::ApiOperationRemoved
                    };
                    self.push(
                        id,
                        Some(&operation_label(method, old_path)),
                        join(&join("/paths", old_path), method),
                        Some(Value::String(method.to_uppercase())),
                        None,
                        format!("operation {} removed", operation_label(method, old_path)),
                    );
                }
                (None, Some(_)) => self.push(
                    ChangeId::ApiOperationAdded,
                    Some(&label),
                    op_pointer,
                    None,
                    Some(Value::String(method.to_uppercase())),
                    format!("operation {label} added"),
                ),
                (Some(old_op), Some(new_op)) => {
                    let op = OperationPair {
                        label: &label,
                        pointer: &op_pointer,
                        old_path,
                        new_path,
                        old_item,
                        new_item,
                        old: old_op,
                        new: new_op,
                    };
                    self.operation(&op);
                }
            }
        }
    }

    fn operation(&mut self, op: &OperationPair<'_>) {
        let label = Some(op.label);
        match (flag(op.old, "deprecated"), flag(op.new, "deprecated")) {
            (false, true) => self.push(
                ChangeId::ApiDeprecated,
                label,
                join(op.pointer, "deprecated"),
                Some(Value::Bool(false)),
                Some(Value::Bool(true)),
                "operation deprecated".into(),
            ),
            (true, false) => self.push(
                ChangeId::ApiReactivated,
                label,
                join(op.pointer, "deprecated"),
                Some(Value::Bool(true)),
                Some(Value::Bool(false)),
                "operation no longer deprecated".into(),
            ),
            _ => {}
        }
        if let (Some(old_id), Some(new_id)) =
            (text(op.old, "operationId"), text(op.new, "operationId"))
            && old_id != new_id
        {
            self.push(
                ChangeId::ApiOperationIdChanged,
                label,
                join(op.pointer, "operationId"),
                Some(old_id.into()),
                Some(new_id.into()),
                format!("operationId {old_id} renamed {new_id}"),
            );
        }
        self.servers(
            label,
            &join(op.pointer, "servers"),
            get(op.old, "servers"),
            get(op.new, "servers"),
        );
        self.security(op);
        self.parameters(op);
        self.request_body(op);
        self.responses(op);
    }

    fn servers(
        &mut self,
        operation: Option<&str>,
        pointer: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) {
        let urls = |list: Option<&Value>| -> Vec<String> {
            list.and_then(Value::as_array)
                .map(|servers| {
                    servers
                        .iter()
                        .filter_map(|s| text(s, "url").map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (old, new) = (urls(old), urls(new));
        for url in old.iter().filter(|u| !new.contains(u)) {
            self.push(
                ChangeId::ServerRemoved,
                operation,
                pointer.to_owned(),
                Some(url.as_str().into()),
                None,
                format!("server {url} removed"),
            );
        }
        for url in new.iter().filter(|u| !old.contains(u)) {
            self.push(
                ChangeId::ServerAdded,
                operation,
                pointer.to_owned(),
                None,
                Some(url.as_str().into()),
                format!("server {url} added"),
            );
        }
    }

    fn security_schemes(&mut self) {
        let empty = Map::new();
        let schemes = |root: &Value| {
            get(root, "components")
                .and_then(|c| get(c, "securitySchemes"))
                .and_then(object)
                .unwrap_or(&empty)
                .clone()
        };
        let (old, new) = (schemes(self.old_root), schemes(self.new_root));
        for (name, old_scheme) in &old {
            let pointer = join("/components/securitySchemes", name);
            let Some(new_scheme) = new.get(name) else {
                self.push(
                    ChangeId::SecuritySchemeRemoved,
                    None,
                    pointer,
                    Some(old_scheme.clone()),
                    None,
                    format!("security scheme {name} removed"),
                );
                continue;
            };
            let (old_scheme, _) = resolve(self.old_root, old_scheme);
            let (new_scheme, _) = resolve(self.new_root, new_scheme);
            let essentials = |scheme: &Value| -> Vec<Option<String>> {
                ["type", "in", "name", "scheme"]
                    .iter()
                    .map(|key| text(scheme, key).map(str::to_lowercase))
                    .collect()
            };
            if essentials(old_scheme) != essentials(new_scheme) {
                self.push(
                    ChangeId::SecuritySchemeChanged,
                    None,
                    pointer.clone(),
                    Some(old_scheme.clone()),
                    Some(new_scheme.clone()),
                    format!("security scheme {name} changed how credentials are sent"),
                );
                continue;
            }
            if let (Some(old_flows), Some(new_flows)) = (
                get(old_scheme, "flows").and_then(object),
                get(new_scheme, "flows").and_then(object),
            ) {
                for (flow, old_flow) in old_flows {
                    let Some(new_flow) = new_flows.get(flow) else {
                        continue;
                    };
                    for key in ["authorizationUrl", "tokenUrl", "refreshUrl"] {
                        let (a, b) = (get(old_flow, key), get(new_flow, key));
                        if a != b {
                            self.push(
                                ChangeId::SecuritySchemeOauthUrlChanged,
                                None,
                                join(&join(&join(&pointer, "flows"), flow), key),
                                a.cloned(),
                                b.cloned(),
                                format!("security scheme {name}: {flow} {key} changed"),
                            );
                        }
                    }
                }
            }
        }
        for (name, new_scheme) in &new {
            if !old.contains_key(name) {
                self.push(
                    ChangeId::SecuritySchemeAdded,
                    None,
                    join("/components/securitySchemes", name),
                    None,
                    Some(new_scheme.clone()),
                    format!("security scheme {name} added"),
                );
            }
        }
    }

    fn security(&mut self, op: &OperationPair<'_>) {
        type Alternative = BTreeMap<String, BTreeSet<String>>;
        let effective = |root: &Value, operation: &Value| -> Vec<Alternative> {
            let list = get(operation, "security").or_else(|| get(root, "security"));
            list.and_then(Value::as_array)
                .map(|alternatives| {
                    alternatives
                        .iter()
                        .filter_map(object)
                        .map(|alternative| {
                            alternative
                                .iter()
                                .map(|(scheme, scopes)| {
                                    let scopes = scopes
                                        .as_array()
                                        .map(|s| {
                                            s.iter()
                                                .filter_map(Value::as_str)
                                                .map(str::to_owned)
                                                .collect()
                                        })
                                        .unwrap_or_default();
                                    (scheme.clone(), scopes)
                                })
                                .collect()
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let old = effective(self.old_root, op.old);
        let new = effective(self.new_root, op.new);
        if old == new {
            return;
        }
        let anonymous = |list: &[Alternative]| list.is_empty() || list.iter().any(|a| a.is_empty());
        let pointer = join(op.pointer, "security");
        let label = Some(op.label);
        let names = |alternative: &Alternative| -> String {
            alternative.keys().cloned().collect::<Vec<_>>().join(" + ")
        };
        let as_value = |alternative: &Alternative| -> Value {
            serde_json::to_value(alternative).unwrap_or(Value::Null)
        };
        let (old_anonymous, new_anonymous) = (anonymous(&old), anonymous(&new));
        if old_anonymous && !new_anonymous {
            self.push(
                ChangeId::ApiSecurityAdded,
                label,
                pointer.clone(),
                None,
                Some(Value::Array(new.iter().map(as_value).collect())),
                "credentials now required".into(),
            );
        }
        if !old_anonymous && new_anonymous {
            self.push(
                ChangeId::ApiSecurityRemoved,
                label,
                pointer.clone(),
                Some(Value::Array(old.iter().map(as_value).collect())),
                None,
                "credentials no longer required".into(),
            );
        }
        let keyed = |list: &[Alternative]| -> BTreeMap<Vec<String>, Alternative> {
            list.iter()
                .filter(|a| !a.is_empty())
                .map(|a| (a.keys().cloned().collect(), a.clone()))
                .collect()
        };
        let (old_keyed, new_keyed) = (keyed(&old), keyed(&new));
        for (key, old_alternative) in &old_keyed {
            match new_keyed.get(key) {
                None if !new_anonymous => self.push(
                    ChangeId::ApiSecurityAlternativeRemoved,
                    label,
                    pointer.clone(),
                    Some(as_value(old_alternative)),
                    None,
                    format!(
                        "authentication with {} no longer accepted",
                        names(old_alternative)
                    ),
                ),
                None => {}
                Some(new_alternative) => {
                    for (scheme, old_scopes) in old_alternative {
                        let new_scopes = &new_alternative[scheme];
                        for scope in new_scopes.difference(old_scopes) {
                            self.push(
                                ChangeId::ApiSecurityScopeAdded,
                                label,
                                pointer.clone(),
                                None,
                                Some(scope.as_str().into()),
                                format!("{scheme} needs scope {scope}"),
                            );
                        }
                        for scope in old_scopes.difference(new_scopes) {
                            self.push(
                                ChangeId::ApiSecurityScopeRemoved,
                                label,
                                pointer.clone(),
                                Some(scope.as_str().into()),
                                None,
                                format!("{scheme} no longer needs scope {scope}"),
                            );
                        }
                    }
                }
            }
        }
        if !old_anonymous {
            for (key, new_alternative) in &new_keyed {
                if !old_keyed.contains_key(key) {
                    self.push(
                        ChangeId::ApiSecurityAlternativeAdded,
                        label,
                        pointer.clone(),
                        None,
                        Some(as_value(new_alternative)),
                        format!("authentication with {} accepted", names(new_alternative)),
                    );
                }
            }
        }
    }

    fn parameters(&mut self, op: &OperationPair<'_>) {
        let old = parameters(self.old_root, op.old_path, op.old_item, op.old);
        let new = parameters(self.new_root, op.new_path, op.new_item, op.new);
        let label = Some(op.label);
        let mut old_unmatched: Vec<&Parameter<'_>> = Vec::new();
        for old_parameter in &old {
            match new.iter().find(|p| p.key == old_parameter.key) {
                Some(new_parameter) => self.parameter_pair(op, old_parameter, new_parameter),
                None => old_unmatched.push(old_parameter),
            }
        }
        let mut new_unmatched: Vec<&Parameter<'_>> = new
            .iter()
            .filter(|p| !old.iter().any(|o| o.key == p.key))
            .collect();
        // Moved: the same name in another location.
        old_unmatched.retain(|old_parameter| {
            let Some(index) = new_unmatched
                .iter()
                .position(|p| p.name.eq_ignore_ascii_case(&old_parameter.name))
            else {
                return true;
            };
            let new_parameter = new_unmatched.remove(index);
            self.push(
                ChangeId::RequestParameterLocationChanged,
                label,
                new_parameter.pointer.clone(),
                Some(old_parameter.location.clone().into()),
                Some(new_parameter.location.clone().into()),
                format!(
                    "parameter {} moved from {} to {}",
                    old_parameter.name, old_parameter.location, new_parameter.location
                ),
            );
            false
        });
        // Renamed: the only one removed and the only one added in a location, same schema.
        old_unmatched.retain(|old_parameter| {
            let same_location = |p: &&Parameter<'_>| p.location == old_parameter.location;
            let candidates: Vec<usize> = new_unmatched
                .iter()
                .enumerate()
                .filter(|(_, p)| same_location(p))
                .map(|(i, _)| i)
                .collect();
            let removed_here = old_unmatched_count(&old, &new, &old_parameter.location);
            if candidates.len() != 1 || removed_here != 1 {
                return true;
            }
            let new_parameter = new_unmatched[candidates[0]];
            let schema =
                |root: &Value, p: &Parameter<'_>| p.schema.map(|s| resolve(root, s).0.clone());
            if schema(self.old_root, old_parameter) != schema(self.new_root, new_parameter) {
                return true;
            }
            new_unmatched.remove(candidates[0]);
            self.push(
                ChangeId::RequestParameterRenamed,
                label,
                new_parameter.pointer.clone(),
                Some(old_parameter.name.clone().into()),
                Some(new_parameter.name.clone().into()),
                format!(
                    "{} parameter {} renamed {}",
                    old_parameter.location, old_parameter.name, new_parameter.name
                ),
            );
            false
        });
        for old_parameter in old_unmatched {
            self.push(
                ChangeId::RequestParameterRemoved,
                label,
                old_parameter.pointer.clone(),
                Some(old_parameter.name.clone().into()),
                None,
                format!(
                    "{} parameter {} removed",
                    old_parameter.location, old_parameter.name
                ),
            );
        }
        for new_parameter in new_unmatched {
            let id = match (new_parameter.required, new_parameter.location.as_str()) {
                (true, "header") => ChangeId::NewRequiredHeaderParameter,
                (true, "cookie") => ChangeId::NewRequiredCookieParameter,
                (true, _) => ChangeId::NewRequiredQueryParameter,
                (false, _) => ChangeId::NewOptionalRequestParameter,
            };
            self.push(
                id,
                label,
                new_parameter.pointer.clone(),
                None,
                Some(new_parameter.name.clone().into()),
                format!(
                    "{} {} parameter {} added",
                    if new_parameter.required {
                        "required"
                    } else {
                        "optional"
                    },
                    new_parameter.location,
                    new_parameter.name
                ),
            );
        }
    }

    fn parameter_pair(&mut self, op: &OperationPair<'_>, old: &Parameter<'_>, new: &Parameter<'_>) {
        let label = Some(op.label);
        if old.location == "path" {
            if old.name != new.name {
                self.push(
                    ChangeId::RequestPathParameterRenamed,
                    label,
                    new.pointer.clone(),
                    Some(old.name.clone().into()),
                    Some(new.name.clone().into()),
                    format!("path parameter {} renamed {}", old.name, new.name),
                );
            }
        } else if old.required != new.required {
            let id = if new.required {
                ChangeId::RequestParameterBecameRequired
            } else {
                ChangeId::RequestParameterBecameOptional
            };
            self.push(
                id,
                label,
                join(&new.pointer, "required"),
                Some(old.required.into()),
                Some(new.required.into()),
                format!(
                    "{} parameter {} became {}",
                    new.location,
                    new.name,
                    if new.required { "required" } else { "optional" }
                ),
            );
        }
        let (was, now) = (old.serialization(), new.serialization());
        if was != now {
            self.push(
                ChangeId::RequestParameterStyleChanged,
                label,
                new.pointer.clone(),
                Some(serde_json::json!({"style": was.0, "explode": was.1})),
                Some(serde_json::json!({"style": now.0, "explode": now.1})),
                format!(
                    "{} parameter {} serialized as style {} explode {} instead of style {} explode {}",
                    new.location, new.name, now.0, now.1, was.0, was.1
                ),
            );
        }
        if let (Some(old_schema), Some(new_schema)) = (old.schema, new.schema) {
            self.schema_at(
                label,
                &join(&new.pointer, "schema"),
                old_schema,
                new_schema,
                Context::RequestParameter,
            );
        }
    }

    fn request_body(&mut self, op: &OperationPair<'_>) {
        let label = Some(op.label);
        let pointer = join(op.pointer, "requestBody");
        let old = get(op.old, "requestBody").map(|b| resolve(self.old_root, b).0);
        let new = get(op.new, "requestBody").map(|b| resolve(self.new_root, b).0);
        match (old, new) {
            (None, None) => {}
            (None, Some(new)) => {
                let required = flag(new, "required");
                self.push(
                    if required {
                        ChangeId::NewRequiredRequestBody
                    } else {
                        ChangeId::NewOptionalRequestBody
                    },
                    label,
                    pointer,
                    None,
                    Some(media_types(new).into_iter().map(Value::String).collect()),
                    format!(
                        "{} request body added",
                        if required { "required" } else { "optional" }
                    ),
                );
            }
            (Some(old), None) => self.push(
                ChangeId::RequestBodyRemoved,
                label,
                pointer,
                Some(media_types(old).into_iter().map(Value::String).collect()),
                None,
                "request body removed".into(),
            ),
            (Some(old), Some(new)) => {
                let (was, is) = (flag(old, "required"), flag(new, "required"));
                if was != is {
                    self.push(
                        if is {
                            ChangeId::RequestBodyBecameRequired
                        } else {
                            ChangeId::RequestBodyBecameOptional
                        },
                        label,
                        join(&pointer, "required"),
                        Some(was.into()),
                        Some(is.into()),
                        format!(
                            "request body became {}",
                            if is { "required" } else { "optional" }
                        ),
                    );
                }
                self.contents(
                    label,
                    &join(&pointer, "content"),
                    old,
                    new,
                    Context::RequestProperty,
                );
            }
        }
    }

    /// The media types of a body or response, and their schemas.
    fn contents(
        &mut self,
        label: Option<&str>,
        pointer: &str,
        old: &Value,
        new: &Value,
        context: Context,
    ) {
        let old_content = content(old);
        let new_content = content(new);
        let (removed_id, added_id) = if context.is_request() {
            (
                ChangeId::RequestBodyMediaTypeRemoved,
                ChangeId::RequestBodyMediaTypeAdded,
            )
        } else {
            (
                ChangeId::ResponseMediaTypeRemoved,
                ChangeId::ResponseMediaTypeAdded,
            )
        };
        for (key, original, old_media) in &old_content {
            match new_content.iter().find(|(k, _, _)| k == key) {
                None => self.push(
                    removed_id,
                    label,
                    join(pointer, original),
                    Some((*original).into()),
                    None,
                    format!("media type {original} removed"),
                ),
                Some((_, new_original, new_media)) => {
                    if let (Some(old_schema), Some(new_schema)) =
                        (get(old_media, "schema"), get(new_media, "schema"))
                    {
                        self.schema_at(
                            label,
                            &join(&join(pointer, new_original), "schema"),
                            old_schema,
                            new_schema,
                            context,
                        );
                    }
                }
            }
        }
        for (key, original, _) in &new_content {
            if !old_content.iter().any(|(k, _, _)| k == key) {
                self.push(
                    added_id,
                    label,
                    join(pointer, original),
                    None,
                    Some((*original).into()),
                    format!("media type {original} added"),
                );
            }
        }
    }

    fn responses(&mut self, op: &OperationPair<'_>) {
        let label = Some(op.label);
        let pointer = join(op.pointer, "responses");
        let empty = Map::new();
        let old = get(op.old, "responses").and_then(object).unwrap_or(&empty);
        let new = get(op.new, "responses").and_then(object).unwrap_or(&empty);
        for (status, old_response) in old {
            let Some(new_response) = new.get(status) else {
                let id = if status.starts_with('2') {
                    ChangeId::ResponseSuccessStatusRemoved
                } else {
                    ChangeId::ResponseNonSuccessStatusRemoved
                };
                self.push(
                    id,
                    label,
                    join(&pointer, status),
                    Some(status.as_str().into()),
                    None,
                    format!("response {status} removed"),
                );
                continue;
            };
            let old_response = resolve(self.old_root, old_response).0;
            let new_response = resolve(self.new_root, new_response).0;
            let response_pointer = join(&pointer, status);
            self.headers(label, &response_pointer, old_response, new_response);
            self.contents(
                label,
                &join(&response_pointer, "content"),
                old_response,
                new_response,
                Context::ResponseProperty,
            );
        }
        let covered = |status: &str| {
            old.contains_key("default")
                || status.chars().next().is_some_and(|c| {
                    old.keys()
                        .any(|k| k.eq_ignore_ascii_case(&format!("{c}XX")))
                })
        };
        for status in new.keys() {
            if old.contains_key(status) {
                continue;
            }
            let id = if covered(status) {
                ChangeId::ResponseStatusAddedWithinDefault
            } else {
                ChangeId::ResponseStatusAdded
            };
            self.push(
                id,
                label,
                join(&pointer, status),
                None,
                Some(status.as_str().into()),
                format!("response {status} added"),
            );
        }
    }

    fn headers(&mut self, label: Option<&str>, pointer: &str, old: &Value, new: &Value) {
        let names = |v: &Value| -> Vec<(String, String)> {
            get(v, "headers")
                .and_then(object)
                .map(|h| {
                    h.keys()
                        .map(|k| (k.to_ascii_lowercase(), k.clone()))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (old, new) = (names(old), names(new));
        let pointer = join(pointer, "headers");
        for (key, name) in &old {
            if !new.iter().any(|(k, _)| k == key) {
                self.push(
                    ChangeId::ResponseHeaderRemoved,
                    label,
                    join(&pointer, name),
                    Some(name.as_str().into()),
                    None,
                    format!("response header {name} removed"),
                );
            }
        }
        for (key, name) in &new {
            if !old.iter().any(|(k, _)| k == key) {
                self.push(
                    ChangeId::ResponseHeaderAdded,
                    label,
                    join(&pointer, name),
                    None,
                    Some(name.as_str().into()),
                    format!("response header {name} added"),
                );
            }
        }
    }

    /// Compares two schemas at `pointer` and records what changed under it.
    fn schema_at(
        &mut self,
        label: Option<&str>,
        pointer: &str,
        old: &Value,
        new: &Value,
        context: Context,
    ) {
        let mut found = Vec::new();
        self.schema(old, new, context, "", 0, &mut found);
        for relative in found {
            self.findings.push(Finding {
                id: relative.id,
                operation: label.map(str::to_owned),
                location: format!("{pointer}{}", relative.suffix),
                old: relative.old,
                new: relative.new,
                message: relative.message,
            });
        }
    }

    fn schema(
        &mut self,
        old: &Value,
        new: &Value,
        context: Context,
        suffix: &str,
        depth: usize,
        out: &mut Vec<Relative>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let (old_root, new_root) = (self.old_root, self.new_root);
        let (old, old_ref) = resolve(old_root, old);
        let (new, new_ref) = resolve(new_root, new);
        let (Some(old_ref), Some(new_ref)) = (old_ref, new_ref) else {
            self.schema_body(old, new, context, suffix, depth, out);
            return;
        };
        let key = (old_ref.to_owned(), new_ref.to_owned(), context);
        if let Some(cached) = self.cache.get(&key) {
            out.extend(cached.iter().map(|r| Relative {
                suffix: format!("{suffix}{}", r.suffix),
                ..r.clone()
            }));
            return;
        }
        if !self.in_progress.insert(key.clone()) {
            return;
        }
        let mut found = Vec::new();
        self.schema_body(old, new, context, "", depth, &mut found);
        self.in_progress.remove(&key);
        out.extend(found.iter().map(|r| Relative {
            suffix: format!("{suffix}{}", r.suffix),
            ..r.clone()
        }));
        self.cache.insert(key, found);
    }

    fn schema_body(
        &mut self,
        old: &Value,
        new: &Value,
        context: Context,
        suffix: &str,
        depth: usize,
        out: &mut Vec<Relative>,
    ) {
        if !old.is_object() || !new.is_object() || old == new && !contains_ref(old) {
            return;
        }
        let mut rule =
            |rule: Rule, keyword: &str, was: Option<Value>, now: Option<Value>, message: String| {
                let id =
                    schema_id(context, rule).or_else(|| schema_id(Context::RequestProperty, rule));
                if let Some(id) = id {
                    out.push(Relative {
                        id,
                        suffix: if keyword.is_empty() {
                            suffix.to_owned()
                        } else {
                            format!("{suffix}/{}", escape(keyword))
                        },
                        old: was,
                        new: now,
                        message,
                    });
                }
            };
        let retyped = types(old, new, context, &mut rule);
        nullable(old, new, &mut rule);
        if retyped {
            // Another type altogether: what was said of the old one no longer applies.
            return;
        }
        bounds(old, new, &mut rule);
        for (keyword, added, changed, removed) in [
            (
                "pattern",
                Some(Rule::PatternAdded),
                Rule::PatternChanged,
                Rule::PatternRemoved,
            ),
            ("format", None, Rule::FormatChanged, Rule::FormatRemoved),
        ] {
            match (get(old, keyword), get(new, keyword)) {
                (None, Some(now)) => rule(
                    added.unwrap_or(changed),
                    keyword,
                    None,
                    Some(now.clone()),
                    format!("{keyword} {now} added"),
                ),
                (Some(was), None) => rule(
                    removed,
                    keyword,
                    Some(was.clone()),
                    None,
                    format!("{keyword} {was} removed"),
                ),
                (Some(was), Some(now)) if was != now => rule(
                    changed,
                    keyword,
                    Some(was.clone()),
                    Some(now.clone()),
                    format!("{keyword} changed from {was} to {now}"),
                ),
                _ => {}
            }
        }
        match (
            get(old, "enum").and_then(Value::as_array),
            get(new, "enum").and_then(Value::as_array),
        ) {
            (None, Some(now)) => rule(
                Rule::EnumAdded,
                "enum",
                None,
                Some(Value::Array(now.clone())),
                "enum set: only its values are allowed".into(),
            ),
            (Some(was), None) => rule(
                Rule::EnumRemoved,
                "enum",
                Some(Value::Array(was.clone())),
                None,
                "enum removed: any value is allowed".into(),
            ),
            _ => {}
        }
        if let (Some(was), Some(now)) = (
            get(old, "enum").and_then(Value::as_array),
            get(new, "enum").and_then(Value::as_array),
        ) {
            for value in was.iter().filter(|v| !v.is_null() && !now.contains(v)) {
                rule(
                    Rule::EnumValueRemoved,
                    "enum",
                    Some(value.clone()),
                    None,
                    format!("enum value {value} removed"),
                );
            }
            for value in now.iter().filter(|v| !v.is_null() && !was.contains(v)) {
                rule(
                    Rule::EnumValueAdded,
                    "enum",
                    None,
                    Some(value.clone()),
                    format!("enum value {value} added"),
                );
            }
        }
        self.properties(old, new, context, suffix, depth, out);
        if let (Some(was), Some(now)) = (get(old, "items"), get(new, "items")) {
            self.schema(
                was,
                now,
                context,
                &format!("{suffix}/items"),
                depth + 1,
                out,
            );
        }
        if let (Some(was), Some(now)) = (
            get(old, "additionalProperties"),
            get(new, "additionalProperties"),
        ) && was.is_object()
            && now.is_object()
        {
            self.schema(
                was,
                now,
                context,
                &format!("{suffix}/additionalProperties"),
                depth + 1,
                out,
            );
        }
        for (keyword, added, removed) in [
            ("oneOf", Rule::OneOfAdded, Rule::OneOfRemoved),
            ("anyOf", Rule::AnyOfAdded, Rule::AnyOfRemoved),
            ("allOf", Rule::AllOfAdded, Rule::AllOfRemoved),
        ] {
            self.composition(
                old,
                new,
                context,
                suffix,
                depth,
                out,
                keyword,
                (added, removed),
            );
        }
        discriminator(old, new, context, suffix, out);
    }

    fn properties(
        &mut self,
        old: &Value,
        new: &Value,
        context: Context,
        suffix: &str,
        depth: usize,
        out: &mut Vec<Relative>,
    ) {
        let empty = Map::new();
        let old_properties = get(old, "properties").and_then(object).unwrap_or(&empty);
        let new_properties = get(new, "properties").and_then(object).unwrap_or(&empty);
        if old_properties.is_empty() && new_properties.is_empty() {
            return;
        }
        let required = |schema: &Value| -> BTreeSet<String> {
            get(schema, "required")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let (old_required, new_required) = (required(old), required(new));
        let request = context.is_request();
        let (old_root, new_root) = (self.old_root, self.new_root);
        // A readOnly property is never sent, a writeOnly one never received.
        let hidden = |root: &Value, schema: &Value| {
            let schema = resolve(root, schema).0;
            if request {
                flag(schema, "readOnly")
            } else {
                flag(schema, "writeOnly")
            }
        };
        let at = |name: &str| format!("{suffix}/properties/{}", escape(name));
        let push = |out: &mut Vec<Relative>,
                    id: ChangeId,
                    name: &str,
                    was: Option<Value>,
                    now: Option<Value>,
                    message: String| {
            out.push(Relative {
                id,
                suffix: at(name),
                old: was,
                new: now,
                message,
            })
        };
        for (name, old_property) in old_properties {
            let old_hidden = hidden(old_root, old_property);
            let was_required = old_required.contains(name) && !old_hidden;
            let Some(new_property) = new_properties.get(name) else {
                if old_hidden {
                    continue;
                }
                let id = match (request, was_required) {
                    (true, _) => ChangeId::RequestPropertyRemoved,
                    (false, true) => ChangeId::ResponseRequiredPropertyRemoved,
                    (false, false) => ChangeId::ResponseOptionalPropertyRemoved,
                };
                push(
                    out,
                    id,
                    name,
                    Some(name.as_str().into()),
                    None,
                    format!("property {name} removed"),
                );
                continue;
            };
            let new_hidden = hidden(new_root, new_property);
            let is_required = new_required.contains(name) && !new_hidden;
            if !old_hidden && new_hidden {
                let (id, what) = if request {
                    (ChangeId::RequestPropertyBecameReadOnly, "readOnly")
                } else {
                    (ChangeId::ResponsePropertyBecameWriteOnly, "writeOnly")
                };
                push(
                    out,
                    id,
                    name,
                    Some(false.into()),
                    Some(true.into()),
                    format!("property {name} became {what}"),
                );
            } else if was_required != is_required {
                let id = match (request, is_required) {
                    (true, true) => ChangeId::RequestPropertyBecameRequired,
                    (true, false) => ChangeId::RequestPropertyBecameOptional,
                    (false, true) => ChangeId::ResponsePropertyBecameRequired,
                    (false, false) => ChangeId::ResponsePropertyBecameOptional,
                };
                push(
                    out,
                    id,
                    name,
                    Some(was_required.into()),
                    Some(is_required.into()),
                    format!(
                        "property {name} became {}",
                        if is_required { "required" } else { "optional" }
                    ),
                );
            }
            if old_hidden && new_hidden {
                // Never sent (readOnly) in requests, never received (writeOnly) in responses.
                continue;
            }
            self.schema(
                old_property,
                new_property,
                context,
                &at(name),
                depth + 1,
                out,
            );
        }
        let closed = get(new, "additionalProperties") == Some(&Value::Bool(false));
        for (name, new_property) in new_properties {
            if old_properties.contains_key(name) || hidden(new_root, new_property) {
                continue;
            }
            let is_required = new_required.contains(name);
            let id = match (request, is_required) {
                (true, true) => ChangeId::NewRequiredRequestProperty,
                (true, false) => ChangeId::NewOptionalRequestProperty,
                (false, true) => ChangeId::NewRequiredResponseProperty,
                (false, false) if closed => ChangeId::NewOptionalResponsePropertyInClosedSchema,
                (false, false) => ChangeId::NewOptionalResponseProperty,
            };
            push(
                out,
                id,
                name,
                None,
                Some(name.as_str().into()),
                format!(
                    "{} property {name} added",
                    if is_required { "required" } else { "optional" }
                ),
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn composition(
        &mut self,
        old: &Value,
        new: &Value,
        context: Context,
        suffix: &str,
        depth: usize,
        out: &mut Vec<Relative>,
        keyword: &str,
        (added, removed): (Rule, Rule),
    ) {
        let empty = Vec::new();
        let was = get(old, keyword)
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        let now = get(new, keyword)
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        if was.is_empty() && now.is_empty() {
            return;
        }
        let (old_root, new_root) = (self.old_root, self.new_root);
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut old_left: Vec<usize> = (0..was.len()).collect();
        let mut new_left: Vec<usize> = (0..now.len()).collect();
        // 1. the same reference; 2. the same schema once resolved (moved or renamed);
        // 3. what is left, in order, when as many remain on both sides.
        let reference = |v: &Value| text(v, "$ref").map(str::to_owned);
        let matchers: [&Matcher<'_>; 2] = [
            &|a, b| reference(a).is_some() && reference(a) == reference(b),
            &|a, b| resolve(old_root, a).0 == resolve(new_root, b).0,
        ];
        for matches in matchers {
            old_left.retain(
                |&i| match new_left.iter().position(|&j| matches(&was[i], &now[j])) {
                    Some(position) => {
                        pairs.push((i, new_left.remove(position)));
                        false
                    }
                    None => true,
                },
            );
        }
        if old_left.len() == new_left.len() {
            pairs.extend(old_left.drain(..).zip(new_left.drain(..)));
        }
        let describe = |root: &Value, v: &Value| -> Value {
            if let Some(reference) = text(v, "$ref") {
                return reference.into();
            }
            let v = resolve(root, v).0;
            text(v, "title")
                .or_else(|| text(v, "type"))
                .map(Value::from)
                .unwrap_or_else(|| v.clone())
        };
        let at = |index: usize| format!("{suffix}/{keyword}/{index}");
        let emit = |out: &mut Vec<Relative>,
                    rule: Rule,
                    index: usize,
                    was: Option<Value>,
                    now: Option<Value>,
                    message: String| {
            let id = schema_id(context, rule).or_else(|| schema_id(Context::RequestProperty, rule));
            if let Some(id) = id {
                out.push(Relative {
                    id,
                    suffix: at(index),
                    old: was,
                    new: now,
                    message,
                });
            }
        };
        for i in old_left {
            let d = describe(old_root, &was[i]);
            emit(
                out,
                removed,
                i,
                Some(d.clone()),
                None,
                format!("{keyword} member {d} removed"),
            );
        }
        for j in new_left {
            let d = describe(new_root, &now[j]);
            emit(
                out,
                added,
                j,
                None,
                Some(d.clone()),
                format!("{keyword} member {d} added"),
            );
        }
        for (i, j) in pairs {
            self.schema(&was[i], &now[j], context, &at(j), depth + 1, out);
        }
    }
}

/// Whether a node has a `$ref` somewhere below it (equal text is then not equal meaning).
fn contains_ref(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.contains_key("$ref") || map.values().any(contains_ref),
        Value::Array(items) => items.iter().any(contains_ref),
        _ => false,
    }
}

/// A body's or response's media types: lower-cased key, key as written, media object.
fn content(value: &Value) -> Vec<(String, &str, &Value)> {
    get(value, "content")
        .and_then(object)
        .map(|c| {
            c.iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), k.as_str(), v))
                .collect()
        })
        .unwrap_or_default()
}

fn media_types(body: &Value) -> Vec<String> {
    get(body, "content")
        .and_then(object)
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default()
}

/// Whether two composition members are the same one.
type Matcher<'m> = dyn Fn(&Value, &Value) -> bool + 'm;

type RuleSink<'s> = dyn FnMut(Rule, &str, Option<Value>, Option<Value>, String) + 's;

/// The schema's types without `null` (`None`: any type), from 3.0 `type` or a 3.1 list.
fn type_set(schema: &Value) -> Option<BTreeSet<String>> {
    let Some(declared) = get(schema, "type") else {
        // `{properties: ...}` is an object and `{items: ...}` an array, written or not.
        let implied = if ["properties", "additionalProperties", "required"]
            .iter()
            .any(|k| get(schema, k).is_some())
        {
            "object"
        } else if get(schema, "items").is_some() {
            "array"
        } else {
            return None;
        };
        return Some([implied.to_owned()].into_iter().collect());
    };
    match declared {
        Value::String(t) => Some([t.clone()].into_iter().filter(|t| t != "null").collect()),
        Value::Array(list) => Some(
            list.iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .map(str::to_owned)
                .collect(),
        ),
        _ => None,
    }
}

fn composed(schema: &Value) -> bool {
    ["oneOf", "anyOf", "allOf", "not"]
        .iter()
        .any(|k| get(schema, k).is_some())
}

/// Whether every value of type set `inner` is a value of `outer` (`None`: any type).
fn accepts(outer: &Option<BTreeSet<String>>, inner: &Option<BTreeSet<String>>) -> bool {
    match (outer, inner) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(outer), Some(inner)) => inner
            .iter()
            .all(|t| outer.contains(t) || (t == "integer" && outer.contains("number"))),
    }
}

/// Reports a type change; true when the new type is not compatible with the old one.
fn types(old: &Value, new: &Value, context: Context, rule: &mut RuleSink<'_>) -> bool {
    let (was, now) = (type_set(old), type_set(new));
    if was == now
        || (was.is_none() && composed(old))
        || (now.is_none() && composed(new))
        || was.as_ref().is_some_and(BTreeSet::is_empty)
        || now.as_ref().is_some_and(BTreeSet::is_empty)
    {
        return false;
    }
    let show = |t: &Option<BTreeSet<String>>| -> Value {
        match t {
            None => Value::Null,
            Some(set) if set.len() == 1 => set
                .iter()
                .next()
                .cloned()
                .map(Value::from)
                .unwrap_or_default(),
            Some(set) => set.iter().cloned().map(Value::from).collect(),
        }
    };
    let (old_shown, new_shown) = (show(&was), show(&now));
    let compatible = if context.is_request() {
        accepts(&now, &was).then_some(Rule::TypeWidened)
    } else {
        accepts(&was, &now).then_some(Rule::TypeNarrowed)
    };
    let message = format!("type changed from {old_shown} to {new_shown}");
    rule(
        compatible.unwrap_or(Rule::TypeChanged),
        "type",
        Some(old_shown),
        Some(new_shown),
        message,
    );
    compatible.is_none()
}

fn is_nullable(schema: &Value) -> bool {
    flag(schema, "nullable")
        || get(schema, "type")
            .and_then(Value::as_array)
            .is_some_and(|l| l.iter().any(|t| t == "null"))
}

fn nullable(old: &Value, new: &Value, rule: &mut RuleSink<'_>) {
    let keyword = if get(new, "nullable").is_some() || get(old, "nullable").is_some() {
        "nullable"
    } else {
        "type"
    };
    match (is_nullable(old), is_nullable(new)) {
        (false, true) => rule(
            Rule::NullableAdded,
            keyword,
            Some(false.into()),
            Some(true.into()),
            "may now be null".into(),
        ),
        (true, false) => rule(
            Rule::NullableRemoved,
            keyword,
            Some(true.into()),
            Some(false.into()),
            "may no longer be null".into(),
        ),
        _ => {}
    }
}

/// A bound: its value and whether it is exclusive.
type Bound = Option<(f64, bool)>;

fn number(schema: &Value, key: &str) -> Option<f64> {
    get(schema, key).and_then(Value::as_f64)
}

/// `maximum`/`minimum` with 3.0's boolean or 3.1's numeric `exclusive*`, the tighter wins.
fn limit(schema: &Value, inclusive: &str, exclusive: &str, upper: bool) -> Bound {
    let plain = number(schema, inclusive).map(|v| (v, flag(schema, exclusive)));
    let numeric = number(schema, exclusive).map(|v| (v, true));
    match (plain, numeric) {
        (Some(a), Some(b)) => {
            let a_tighter = if upper { a.0 < b.0 } else { a.0 > b.0 };
            Some(if a_tighter { a } else { b })
        }
        (a, b) => a.or(b),
    }
}

/// A number as a spec would write it: `255`, not `255.0`.
fn show_number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Value::from(v as i64)
    } else {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .unwrap_or_default()
    }
}

/// `Some(true)` when `now` is tighter than `was`, `Some(false)` when looser.
fn tightened(was: Bound, now: Bound, upper: bool) -> Option<bool> {
    match (was, now) {
        (None, None) => None,
        (None, Some(_)) => Some(true),
        (Some(_), None) => Some(false),
        (Some((a, a_ex)), Some((b, b_ex))) => {
            if a == b {
                (a_ex != b_ex).then_some(b_ex)
            } else {
                Some(if upper { b < a } else { b > a })
            }
        }
    }
}

fn bounds(old: &Value, new: &Value, rule: &mut RuleSink<'_>) {
    let show = |b: Bound| -> Option<Value> {
        b.map(|(v, exclusive)| {
            let number = show_number(v);
            if exclusive {
                serde_json::json!({ "exclusive": number })
            } else {
                number
            }
        })
    };
    let plain = |schema: &Value, key: &str| number(schema, key).map(|v| (v, false));
    let checks: [(&str, Bound, Bound, bool, Rule, Rule); 6] = [
        (
            "maxLength",
            plain(old, "maxLength"),
            plain(new, "maxLength"),
            true,
            Rule::MaxLengthDecreased,
            Rule::MaxLengthIncreased,
        ),
        (
            "minLength",
            plain(old, "minLength"),
            plain(new, "minLength"),
            false,
            Rule::MinLengthIncreased,
            Rule::MinLengthDecreased,
        ),
        (
            "maximum",
            limit(old, "maximum", "exclusiveMaximum", true),
            limit(new, "maximum", "exclusiveMaximum", true),
            true,
            Rule::MaxDecreased,
            Rule::MaxIncreased,
        ),
        (
            "minimum",
            limit(old, "minimum", "exclusiveMinimum", false),
            limit(new, "minimum", "exclusiveMinimum", false),
            false,
            Rule::MinIncreased,
            Rule::MinDecreased,
        ),
        (
            "maxItems",
            plain(old, "maxItems"),
            plain(new, "maxItems"),
            true,
            Rule::MaxItemsDecreased,
            Rule::MaxItemsIncreased,
        ),
        (
            "minItems",
            plain(old, "minItems"),
            plain(new, "minItems"),
            false,
            Rule::MinItemsIncreased,
            Rule::MinItemsDecreased,
        ),
    ];
    for (keyword, was, now, upper, tighter, looser) in checks {
        // A zero minimum is no minimum.
        let (was, now) = if upper {
            (was, now)
        } else {
            let zero = |b: Bound| b.filter(|&(v, ex)| !(v == 0.0 && !ex && keyword != "minimum"));
            (zero(was), zero(now))
        };
        let Some(tight) = tightened(was, now, upper) else {
            continue;
        };
        let (old_shown, new_shown) = (show(was), show(now));
        let message = format!(
            "{keyword} changed from {} to {}",
            old_shown.clone().unwrap_or(Value::Null),
            new_shown.clone().unwrap_or(Value::Null)
        );
        rule(
            if tight { tighter } else { looser },
            keyword,
            old_shown,
            new_shown,
            message,
        );
    }
}

fn discriminator(
    old: &Value,
    new: &Value,
    context: Context,
    suffix: &str,
    out: &mut Vec<Relative>,
) {
    let at = format!("{suffix}/discriminator");
    let mut push = |id: ChangeId,
                    location: String,
                    was: Option<Value>,
                    now: Option<Value>,
                    message: String| {
        out.push(Relative {
            id,
            suffix: location,
            old: was,
            new: now,
            message,
        })
    };
    match (get(old, "discriminator"), get(new, "discriminator")) {
        (None, None) => {}
        (None, Some(now)) => push(
            ChangeId::DiscriminatorAdded,
            at,
            None,
            Some(now.clone()),
            "discriminator added".into(),
        ),
        (Some(was), None) => push(
            ChangeId::DiscriminatorRemoved,
            at,
            Some(was.clone()),
            None,
            "discriminator removed".into(),
        ),
        (Some(was), Some(now)) => {
            let (a, b) = (get(was, "propertyName"), get(now, "propertyName"));
            if a != b {
                push(
                    ChangeId::DiscriminatorPropertyNameChanged,
                    format!("{at}/propertyName"),
                    a.cloned(),
                    b.cloned(),
                    "discriminator property renamed".into(),
                );
            }
            let empty = Map::new();
            let old_mapping = get(was, "mapping").and_then(object).unwrap_or(&empty);
            let new_mapping = get(now, "mapping").and_then(object).unwrap_or(&empty);
            let request = context.is_request();
            for (value, target) in old_mapping {
                let location = format!("{at}/mapping/{}", escape(value));
                match new_mapping.get(value) {
                    None => push(
                        if request {
                            ChangeId::RequestDiscriminatorMappingValueRemoved
                        } else {
                            ChangeId::DiscriminatorMappingChanged
                        },
                        location,
                        Some(value.as_str().into()),
                        None,
                        format!("discriminator value {value} removed"),
                    ),
                    Some(new_target) if new_target != target => push(
                        ChangeId::DiscriminatorMappingChanged,
                        location,
                        Some(target.clone()),
                        Some(new_target.clone()),
                        format!("discriminator value {value} maps elsewhere"),
                    ),
                    Some(_) => {}
                }
            }
            for value in new_mapping.keys().filter(|v| !old_mapping.contains_key(*v)) {
                push(
                    if request {
                        ChangeId::DiscriminatorMappingChanged
                    } else {
                        ChangeId::ResponseDiscriminatorMappingValueAdded
                    },
                    format!("{at}/mapping/{}", escape(value)),
                    None,
                    Some(value.as_str().into()),
                    format!("discriminator value {value} added"),
                );
            }
        }
    }
}

struct OperationPair<'o> {
    label: &'o str,
    pointer: &'o str,
    old_path: &'o str,
    new_path: &'o str,
    old_item: &'o Value,
    new_item: &'o Value,
    old: &'o Value,
    new: &'o Value,
}

impl Parameter<'_> {
    /// `style` and `explode`, the defaults of its location filled in.
    fn serialization(&self) -> (String, bool) {
        let style = self.style.clone().unwrap_or_else(|| {
            match self.location.as_str() {
                "query" | "cookie" => "form",
                _ => "simple",
            }
            .to_owned()
        });
        let explode = self.explode.unwrap_or(style == "form");
        (style, explode)
    }
}

#[derive(Debug)]
struct Parameter<'v> {
    /// What identifies it: location and name (a header's in lower case); a path
    /// parameter by its position in the template, since its name is not on the wire.
    key: (String, String),
    location: String,
    name: String,
    required: bool,
    schema: Option<&'v Value>,
    style: Option<String>,
    explode: Option<bool>,
    pointer: String,
}

/// The parameters of an operation: the path item's, overridden by the operation's own.
fn parameters<'v>(
    root: &'v Value,
    path: &str,
    item: &'v Value,
    operation: &'v Value,
) -> Vec<Parameter<'v>> {
    let template = path_parameter_names(path);
    let mut result: Vec<Parameter<'v>> = Vec::new();
    let path_pointer = join("/paths", path);
    let method_pointer = METHODS
        .iter()
        .find(|m| get(item, m).is_some_and(|o| std::ptr::eq(o, operation)))
        .map(|m| join(&path_pointer, m))
        .unwrap_or_else(|| path_pointer.clone());
    for (owner, pointer) in [(item, &path_pointer), (operation, &method_pointer)] {
        let Some(list) = get(owner, "parameters").and_then(Value::as_array) else {
            continue;
        };
        for (index, parameter) in list.iter().enumerate() {
            let parameter = resolve(root, parameter).0;
            let (Some(name), Some(location)) = (text(parameter, "name"), text(parameter, "in"))
            else {
                continue;
            };
            let key = match location {
                "path" => (
                    "path".to_owned(),
                    template
                        .iter()
                        .position(|n| n == name)
                        .map(|i| format!("#{i}"))
                        .unwrap_or_else(|| name.to_owned()),
                ),
                "header" => ("header".to_owned(), name.to_ascii_lowercase()),
                _ => (location.to_owned(), name.to_owned()),
            };
            let entry = Parameter {
                location: location.to_owned(),
                name: name.to_owned(),
                required: location == "path" || flag(parameter, "required"),
                schema: get(parameter, "schema"),
                style: text(parameter, "style").map(str::to_owned),
                explode: get(parameter, "explode").and_then(Value::as_bool),
                pointer: format!("{}/parameters/{index}", pointer),
                key,
            };
            match result.iter().position(|p| p.key == entry.key) {
                Some(existing) => result[existing] = entry,
                None => result.push(entry),
            }
        }
    }
    result
}

fn old_unmatched_count(old: &[Parameter<'_>], new: &[Parameter<'_>], location: &str) -> usize {
    old.iter()
        .filter(|p| p.location == location && !new.iter().any(|n| n.key == p.key))
        .filter(|p| {
            !new.iter()
                .any(|n| n.name.eq_ignore_ascii_case(&p.name) && n.location != p.location)
        })
        .count()
}
