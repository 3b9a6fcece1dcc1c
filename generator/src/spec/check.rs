//! Checks of one document: every `$ref` resolves, and, for the project's own specs (those
//! with `x-dialect`), every `x-` extension is well-formed and consistent with the schema.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::ext::{self, Constraint, Dialect, Rule, Source, Target};
use super::load::Document;
use super::sources::Sources;
use super::walk::{self, Node};
use super::{SpecErrors, pointer};

pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// An operation of a raw document.
#[derive(Debug, Clone)]
pub struct RawOperation<'a> {
    pub pointer: String,
    pub path: &'a str,
    pub method: &'a str,
    pub value: &'a Map<String, Value>,
}

impl<'a> RawOperation<'a> {
    pub fn id(&self) -> Option<&'a str> {
        self.value.get("operationId").and_then(Value::as_str)
    }

    /// `GET /path`, for messages.
    pub fn label(&self) -> String {
        match self.id() {
            Some(id) => id.to_owned(),
            None => format!("{} {}", self.method.to_uppercase(), self.path),
        }
    }
}

/// Every operation, in document order.
pub fn operations(raw: &Value) -> Vec<RawOperation<'_>> {
    let mut found = Vec::new();
    for (path, item) in raw
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for method in METHODS {
            if let Some(value) = item.get(method).and_then(Value::as_object) {
                let pointer = format!("/paths/{}/{method}", pointer::escape(path));
                found.push(RawOperation {
                    pointer,
                    path,
                    method,
                    value,
                });
            }
        }
    }
    found
}

/// A parameter of an operation (path-item level ones included), `$ref`s resolved.
#[derive(Debug, Clone)]
pub struct RawParameter<'a> {
    pub pointer: String,
    pub value: &'a Value,
}

impl RawParameter<'_> {
    pub fn name(&self) -> &str {
        self.value
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
    pub fn location(&self) -> &str {
        self.value
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

pub fn parameters<'a>(raw: &'a Value, operation: &RawOperation<'a>) -> Vec<RawParameter<'a>> {
    let item_pointer = operation
        .pointer
        .rsplit_once('/')
        .map(|(item, _)| item)
        .unwrap_or_default();
    let lists = [
        (
            item_pointer.to_owned(),
            raw.pointer(item_pointer)
                .and_then(|item| item.get("parameters")),
        ),
        (operation.pointer.clone(), operation.value.get("parameters")),
    ];
    let mut found: Vec<RawParameter<'a>> = Vec::new();
    for (base, list) in lists {
        for (index, parameter) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let (pointer, value) = match parameter.get("$ref").and_then(Value::as_str) {
                Some(reference) => match raw.pointer(reference.trim_start_matches('#')) {
                    Some(value) => (reference.trim_start_matches('#').to_owned(), value),
                    None => continue,
                },
                None => (format!("{base}/parameters/{index}"), parameter),
            };
            let parameter = RawParameter { pointer, value };
            // An operation's parameter overrides the path item's of the same name and place.
            found.retain(|p| (p.name(), p.location()) != (parameter.name(), parameter.location()));
            found.push(parameter);
        }
    }
    found
}

/// The component schemas an operation's request body refers to (one per media type).
pub fn request_schemas<'a>(operation: &RawOperation<'a>) -> Vec<&'a str> {
    let mut names: Vec<&str> = Vec::new();
    let body = operation.value.get("requestBody");
    add_content_schemas(body.and_then(|body| body.get("content")), &mut names);
    names
}

/// The component schemas of an operation's 2xx responses.
pub fn success_schemas<'a>(raw: &'a Value, operation: &RawOperation<'a>) -> Vec<&'a str> {
    let mut names = Vec::new();
    let responses = operation.value.get("responses").and_then(Value::as_object);
    for (status, response) in responses.into_iter().flatten() {
        if !status.starts_with('2') {
            continue;
        }
        let response = match response.get("$ref").and_then(Value::as_str) {
            Some(reference) => raw
                .pointer(reference.trim_start_matches('#'))
                .unwrap_or(response),
            None => response,
        };
        add_content_schemas(response.get("content"), &mut names);
    }
    names
}

/// Adds the component named by each media type's `schema: {$ref}` of a `content` map, once.
fn add_content_schemas<'a>(content: Option<&'a Value>, names: &mut Vec<&'a str>) {
    let content = content.and_then(Value::as_object);
    for media in content.into_iter().flat_map(|content| content.values()) {
        if let Some(name) = media
            .get("schema")
            .and_then(|s| s.get("$ref"))
            .and_then(Value::as_str)
            .and_then(walk::component_name)
            && !names.contains(&name)
        {
            names.push(name);
        }
    }
}

/// Objects whose keys are names the document chooses (a schema's `properties`, the
/// components of each kind, paths, statuses, media types): a key `$ref` in one of them is a
/// name (GitHub's spec has a property called `$ref`), not a reference.
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
];

/// Every `$ref` must point at something in the same document.
pub fn check_refs(document: &Document, errors: &mut SpecErrors) {
    fn visit(document: &Document, value: &Value, at: &str, names: bool, errors: &mut SpecErrors) {
        match value {
            Value::Object(object) => {
                if let Some(reference) = object.get("$ref").filter(|_| !names) {
                    let here = pointer::join(at, "$ref");
                    match reference.as_str() {
                        Some(reference) if reference.starts_with('#') => {
                            if document.raw.pointer(&reference[1..]).is_none() {
                                errors.push(document.error_at(&here, format!("dangling $ref {reference:?}: nothing is defined there")));
                            }
                        }
                        Some(reference) => errors.push(document.error_at(
                            &here,
                            format!("$ref {reference:?} points outside this document, which is not supported"),
                        )),
                        None => errors.push(document.error_at(&here, "$ref must be a string")),
                    }
                }
                for (key, child) in object {
                    // Examples are data, not schema: a "$ref" key there is just a value.
                    if matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                        continue;
                    }
                    let child_names = !names && NAME_MAPS.contains(&key.as_str());
                    visit(
                        document,
                        child,
                        &pointer::join(at, key),
                        child_names,
                        errors,
                    );
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    visit(
                        document,
                        item,
                        &pointer::join(at, &index.to_string()),
                        false,
                        errors,
                    );
                }
            }
            _ => {}
        }
    }
    visit(document, &document.raw, "", false, errors);
}

/// The dialect a project spec declares, or `None` for a plain OpenAPI document.
pub fn dialect_of(document: &Document, errors: &mut SpecErrors) -> Option<Dialect> {
    let value = document.raw.get("x-dialect")?;
    match value.as_str().and_then(Dialect::from_name) {
        Some(dialect) => Some(dialect),
        None => {
            let names: Vec<&str> = Dialect::ALL.iter().map(|d| d.name()).collect();
            errors.push(document.error_at(
                "/x-dialect",
                format!("x-dialect must be one of {}", names.join(", ")),
            ));
            None
        }
    }
}

/// The project's checks of one of its own specs.
pub struct ProjectChecker<'a> {
    pub document: &'a Document,
    pub dialect: Dialect,
    pub sources: &'a Sources,
    pub errors: &'a mut SpecErrors,
}

impl ProjectChecker<'_> {
    pub fn run(&mut self) {
        self.check_unknown_extensions(&self.document.raw, "", None);
        self.check_source("", true);
        self.check_envelope();
        self.check_security_schemes();
        let raw = &self.document.raw;
        let operation_ids: BTreeSet<&str> = operations(raw)
            .iter()
            .filter_map(RawOperation::id)
            .collect();
        let mut seen = BTreeSet::new();
        for operation in operations(raw) {
            match operation.id() {
                None => self.error(
                    &operation.pointer,
                    format!("{} has no operationId", operation.label()),
                ),
                Some(id) if !seen.insert(id) => self.error(
                    &operation.pointer,
                    format!("operationId {id} is used twice"),
                ),
                Some(_) => {}
            }
            self.check_source(&operation.pointer, true);
            self.check_operation_body_refs(&operation);
            for parameter in parameters(raw, &operation) {
                self.check_source(&parameter.pointer, true);
                let schema = parameter
                    .value
                    .get("schema")
                    .cloned()
                    .unwrap_or(Value::Null);
                let required = parameter
                    .value
                    .get("required")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                self.check_messages(&parameter.pointer, parameter.value, &schema, required, true);
            }
            self.check_rules(&operation, &operation_ids);
        }
        let request_schemas: BTreeSet<&str> =
            operations(raw).iter().flat_map(request_schemas).collect();
        let conditionally_required = self.conditionally_required();
        let schemas = raw
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        for name in schemas.into_iter().flat_map(|schemas| schemas.keys()) {
            for (address, at) in walk::fields(raw, name) {
                let Some(property) = raw.pointer(&at) else {
                    continue;
                };
                // A bare `$ref` can carry nothing beside it in OpenAPI 3.0; its target's
                // fields carry their own sources.
                let is_bare_ref = property.get("$ref").is_some();
                self.check_source(&at, !is_bare_ref);
                let parent = at
                    .rsplit_once("/properties/")
                    .map(|(parent, _)| parent)
                    .unwrap_or_default();
                let field = address.pointer.rsplit('/').next().unwrap_or_default();
                let required = raw
                    .pointer(parent)
                    .and_then(|p| p.get("required"))
                    .and_then(Value::as_array)
                    .is_some_and(|list| list.iter().any(|item| item == field))
                    || conditionally_required.contains(field);
                self.check_messages(
                    &at,
                    property,
                    property,
                    required,
                    request_schemas.contains(name.as_str()),
                );
                self.check_field_extensions(&at, property, &operation_ids);
            }
        }
    }

    fn error(&mut self, at: &str, message: impl Into<String>) {
        let error = self.document.error_at(at, message);
        self.errors.push(error);
    }

    /// Any `x-` key the project does not define is a typo; canonical-only keys only there.
    fn check_unknown_extensions(&mut self, value: &Value, at: &str, parent_key: Option<&str>) {
        // Maps whose keys are names chosen by the author (a property called `x-id` is fine).
        const NAMED: &[&str] = &[
            "properties",
            "example",
            "examples",
            "default",
            "enum",
            "encoding",
            "content",
            "headers",
            "responses",
            "paths",
            "schemas",
            "parameters",
            "requestBodies",
            "securitySchemes",
            "links",
            "callbacks",
            "variables",
            "mapping",
            "scopes",
        ];
        match value {
            Value::Object(object) => {
                for (key, child) in object {
                    let here = pointer::join(at, key);
                    if key.starts_with("x-") && !parent_key.is_some_and(|p| NAMED.contains(&p)) {
                        if !ext::KNOWN_KEYS.contains(&key.as_str()) {
                            self.error(
                                &here,
                                format!(
                                    "unknown extension {key} (the project defines {})",
                                    ext::KNOWN_KEYS.join(", ")
                                ),
                            );
                        } else if matches!(
                            key.as_str(),
                            "x-mapping" | "x-dialects" | "x-dialect-only" | "x-mapping-differences"
                        ) && self.dialect != Dialect::Canonical
                        {
                            self.error(&here, format!("{key} belongs in canonical.yaml only"));
                        }
                        continue;
                    }
                    if matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                        continue;
                    }
                    self.check_unknown_extensions(child, &here, Some(key));
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.check_unknown_extensions(
                        item,
                        &pointer::join(at, &index.to_string()),
                        parent_key,
                    );
                }
            }
            _ => {}
        }
    }

    /// `x-source` on the node at `at`: present (when `required`), well-formed, and true.
    fn check_source(&mut self, at: &str, required: bool) {
        let node = self.document.at(at);
        let here = pointer::join(at, "x-source");
        match node.and_then(|node| node.get("x-source")) {
            None if required => self.error(
                at,
                "no x-source: say where this comes from ({file, heading})",
            ),
            None => {}
            Some(value) => match ext::typed::<Source>(value.clone(), "x-source") {
                Ok(source) => {
                    if let Err(message) = self.sources.check(&source) {
                        self.error(&here, message);
                    }
                }
                Err(message) => self.error(&here, message),
            },
        }
    }

    /// `x-messages`: known keys, each matching a constraint the field really has; and in a
    /// request, every constraint has its message (the server must know what to say).
    fn check_messages(
        &mut self,
        at: &str,
        holder: &Value,
        schema: &Value,
        required: bool,
        is_request: bool,
    ) {
        let here = pointer::join(at, "x-messages");
        let messages: ext::Messages = match holder.get("x-messages") {
            None => Default::default(),
            Some(value) => match ext::typed(value.clone(), "x-messages") {
                Ok(messages) => messages,
                Err(message) => return self.error(&here, message),
            },
        };
        let schema = walk::resolve(
            &self.document.raw,
            Node {
                component: "",
                value: schema,
            },
        )
        .map(|node| node.value)
        .unwrap_or(schema);
        let is_binary = schema.get("format").and_then(Value::as_str) == Some("binary");
        let has = |constraint: Constraint| -> bool {
            match constraint {
                Constraint::Required => required,
                Constraint::Type => true,
                Constraint::Unique => holder.get("x-unique").and_then(Value::as_bool) == Some(true),
                Constraint::KeyOf => holder.get("x-key-of").is_some(),
                Constraint::ContentType => is_binary,
                Constraint::Format => schema.get("format").is_some(),
                other => schema.get(other.keyword()).is_some(),
            }
        };
        let documented_here = pointer::join(at, "x-documented-messages");
        if let Some(value) = holder.get("x-documented-messages") {
            match ext::typed::<ext::DocumentedMessages>(value.clone(), "x-documented-messages") {
                Ok(documented) => {
                    for constraint in documented.iter().filter(|c| !messages.contains_key(c)) {
                        self.error(
                            &documented_here,
                            format!(
                                "{} is documented but x-messages has no text for it",
                                constraint.keyword()
                            ),
                        );
                    }
                }
                Err(message) => self.error(&documented_here, message),
            }
        }
        for constraint in messages.keys() {
            if !has(*constraint) {
                self.error(
                    &here,
                    format!(
                        "a message for {} but the field has no such constraint",
                        constraint.keyword()
                    ),
                );
            }
        }
        if is_request {
            let checked = [
                Constraint::MaxLength,
                Constraint::MinLength,
                Constraint::Pattern,
                Constraint::Enum,
                Constraint::Maximum,
                Constraint::Minimum,
                Constraint::Unique,
                Constraint::KeyOf,
            ];
            let mut missing: Vec<&str> = checked
                .iter()
                .filter(|c| has(**c) && !messages.contains_key(c))
                .map(|c| c.keyword())
                .collect();
            if has(Constraint::Format) && !is_binary && !messages.contains_key(&Constraint::Format)
            {
                missing.push("format");
            }
            if !missing.is_empty() {
                self.error(at, format!("no x-messages for {}: a request field needs the server's message for each constraint", missing.join(", ")));
            }
        }
    }

    /// `x-privileged`, `x-unique` (booleans) and `x-key-of` (an existing operation).
    fn check_field_extensions(
        &mut self,
        at: &str,
        property: &Value,
        operation_ids: &BTreeSet<&str>,
    ) {
        for key in ["x-privileged", "x-unique"] {
            if let Some(value) = property.get(key)
                && !value.is_boolean()
            {
                self.error(
                    &pointer::join(at, key),
                    format!("{key} must be true or false"),
                );
            }
        }
        if let Some(value) = property.get("x-key-of") {
            let here = pointer::join(at, "x-key-of");
            match ext::typed::<ext::KeyOf>(value.clone(), "x-key-of") {
                Ok(key_of) if !operation_ids.contains(key_of.operation.as_str()) => {
                    self.error(
                        &here,
                        format!(
                            "x-key-of names operation {}, which does not exist",
                            key_of.operation
                        ),
                    );
                }
                Ok(_) => {}
                Err(message) => self.error(&here, message),
            }
        }
    }

    fn check_security_schemes(&mut self) {
        let schemes = self
            .document
            .raw
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object);
        for (name, scheme) in schemes.into_iter().flatten() {
            if let Some(prefix) = scheme.get("x-prefix") {
                let here = format!(
                    "/components/securitySchemes/{}/x-prefix",
                    pointer::escape(name)
                );
                if scheme.get("type").and_then(Value::as_str) != Some("apiKey") {
                    self.error(&here, "x-prefix applies to apiKey schemes only");
                } else if prefix.as_str().is_none_or(str::is_empty) {
                    self.error(&here, "x-prefix must be a non-empty string");
                }
            }
        }
    }

    fn check_envelope(&mut self) {
        let Some(value) = self.document.raw.get("x-error-envelope") else {
            return self.error("", "no x-error-envelope: say how this API reports errors");
        };
        let envelope = match ext::parse_error_envelope(value) {
            Ok(envelope) => envelope,
            Err(message) => return self.error("/x-error-envelope", message),
        };
        for (name, template) in [
            ("validation", &envelope.validation),
            ("other", &envelope.other),
        ] {
            let here = format!("/x-error-envelope/{name}/schema");
            let Some(component) = walk::component_name(&template.schema) else {
                self.error(
                    &here,
                    format!(
                        "{:?} is not a #/components/schemas/<name> reference",
                        template.schema
                    ),
                );
                continue;
            };
            let Some(node) = walk::component(&self.document.raw, component) else {
                self.error(&here, format!("schema {component} does not exist"));
                continue;
            };
            if let Some(problem) = template_fits(&self.document.raw, &template.body, node) {
                self.error(
                    &format!("/x-error-envelope/{name}/body"),
                    format!("the template does not fit schema {component}: {problem}"),
                );
            }
        }
    }

    /// Every request body and success response is a `$ref` to a component, so every field
    /// has an address.
    fn check_operation_body_refs(&mut self, operation: &RawOperation<'_>) {
        let content = operation
            .value
            .get("requestBody")
            .and_then(|b| b.get("content"))
            .and_then(Value::as_object);
        for (media, value) in content.into_iter().flatten() {
            let is_ref = value.get("schema").and_then(|s| s.get("$ref")).is_some();
            if !is_ref {
                let at = format!(
                    "{}/requestBody/content/{}",
                    operation.pointer,
                    pointer::escape(media)
                );
                self.error(&at, "a request body schema must be a $ref to a component schema, so its fields have addresses");
            }
        }
    }

    fn check_rules(&mut self, operation: &RawOperation<'_>, operation_ids: &BTreeSet<&str>) {
        let Some(value) = operation.value.get("x-rules") else {
            return;
        };
        let at = pointer::join(&operation.pointer, "x-rules");
        let Some(items) = value.as_array() else {
            return self.error(&at, "x-rules must be a list");
        };
        let raw = &self.document.raw;
        let parameter_names: Vec<String> = parameters(raw, operation)
            .iter()
            .map(|p| p.name().to_owned())
            .collect();
        let body_fields: BTreeSet<String> = request_schemas(operation)
            .into_iter()
            .filter_map(|name| walk::component(raw, name))
            .flat_map(|node| walk::property_names(raw, node))
            .collect();
        for (index, item) in items.iter().enumerate() {
            let here = pointer::join(&at, &index.to_string());
            let rule = match ext::parse_rule(item) {
                Ok(rule) => rule,
                Err(message) => {
                    self.error(&here, message);
                    continue;
                }
            };
            let mut problems = Vec::new();
            let field_exists = |name: &str| body_fields.contains(name);
            let target_exists = |target: &Target| match target {
                Target::Parameter(name) => parameter_names.iter().any(|p| p == name),
                Target::BodyField(name) => field_exists(name),
            };
            match &rule {
                Rule::RequiredWhenChanged {
                    fields,
                    when_changed,
                    ..
                } => {
                    for name in fields.iter().chain(std::iter::once(when_changed)) {
                        if !field_exists(name) {
                            problems.push(format!("the request body has no field {name}"));
                        }
                    }
                }
                Rule::VerifiedToken {
                    field, checksum, ..
                } => {
                    for name in [field, checksum] {
                        if !field_exists(name) {
                            problems.push(format!("the request body has no field {name}"));
                        }
                    }
                }
                Rule::OwnerOnly { target, .. } | Rule::TargetMustExist { target, .. }
                    if !target_exists(target) =>
                {
                    problems.push(match target {
                        Target::Parameter(name) => format!("the operation has no parameter {name}"),
                        Target::BodyField(name) => format!("the request body has no field {name}"),
                    });
                }
                Rule::ReadAfterWrite { read }
                    if read != "self" && !operation_ids.contains(read.as_str()) =>
                {
                    problems.push(format!("read names operation {read}, which does not exist"));
                }
                Rule::Destructive { then, .. } if !operation_ids.contains(then.as_str()) => {
                    problems.push(format!("then names operation {then}, which does not exist"));
                }
                _ => {}
            }
            for problem in problems {
                self.error(&here, format!("rule {}: {problem}", rule.kind()));
            }
        }
    }

    /// Fields named by `required-when-changed` rules: a `required` message is right on them.
    fn conditionally_required(&self) -> BTreeSet<String> {
        operations(&self.document.raw)
            .iter()
            .filter_map(|operation| operation.value.get("x-rules").and_then(Value::as_array))
            .flatten()
            .filter_map(|item| ext::parse_rule(item).ok())
            .flat_map(|rule| match rule {
                Rule::RequiredWhenChanged { fields, .. } => fields,
                _ => Vec::new(),
            })
            .collect()
    }
}

/// Whether an envelope template's shape fits its schema: every key it writes is a property
/// (or the schema takes any property). Returns the first problem.
fn template_fits(document: &Value, template: &ext::Template, node: Node<'_>) -> Option<String> {
    let node = walk::resolve(document, node).ok()?;
    match template {
        ext::Template::Object(entries) => {
            let open = node
                .value
                .get("additionalProperties")
                .is_some_and(|a| a != &Value::Bool(false));
            for (key, value) in entries {
                match walk::property(document, node, key) {
                    Some(property) => {
                        if let Some(problem) = template_fits(document, value, property) {
                            return Some(format!("{key}: {problem}"));
                        }
                    }
                    None if open => {}
                    None => return Some(format!("{} has no property {key}", node.component)),
                }
            }
            None
        }
        ext::Template::Array(_) | ext::Template::EachError(_)
            if node.value.get("items").is_some() =>
        {
            let items_node = Node {
                component: node.component,
                value: &node.value["items"],
            };
            let inner: Vec<&ext::Template> = match template {
                ext::Template::Array(items) => items.iter().collect(),
                ext::Template::EachError(item) => vec![item.as_ref()],
                _ => Vec::new(),
            };
            inner
                .into_iter()
                .find_map(|item| template_fits(document, item, items_node))
        }
        ext::Template::Array(_) | ext::Template::EachError(_) => {
            Some("a list where the schema has no items".into())
        }
        _ => None,
    }
}
