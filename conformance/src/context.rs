//! The state of a run: the API model, the transport, the credentials, and the one place that
//! turns an operation into a valid request (a [`Draft`]) that checks then bend.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use generator::model::{
    Api, BodyContent, MediaKind, Operation, Parameter, ParameterLocation, ParameterStyle,
    SecurityScheme, StructDef, TypeKind, TypeRef,
};
use generator::spec::ext::{Dialect, Rule, Target};
use serde_json::{Map, Value};

use crate::http::{Body, Exchange, HttpRequest, Part, PartValue, Transport};
use crate::report::Step;
use crate::secrets::{CredentialKind, Credentials, Redactor, placement};
use crate::values::FieldShape;

/// Who sends a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Actor {
    Caller,
    Other,
}

/// Whose resource a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Caller,
    Other,
    /// An id that names no one.
    Unknown,
}

/// How a request carries its credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialMode {
    Valid,
    /// This scheme's credential left out.
    Missing(String),
    /// This scheme's credential replaced by this value.
    Wrong(String, String),
}

/// A valid request under construction: checks change fields, then build it.
#[derive(Debug, Clone)]
pub struct Draft {
    /// Method, query and headers; the path is built from `path_template` and `path_params`.
    pub request: HttpRequest,
    pub path_template: String,
    pub path_params: Vec<(String, String)>,
    pub media: Option<MediaKind>,
    pub media_type: Option<String>,
    pub fields: Map<String, Value>,
    pub files: Vec<Part>,
}

impl Draft {
    /// The request, its fields encoded for the chosen media type.
    pub fn build(&self) -> HttpRequest {
        let mut request = self.request.clone();
        let mut path = self.path_template.clone();
        for (name, value) in &self.path_params {
            path = path.replace(&format!("{{{name}}}"), &percent_encode(value));
        }
        request.path = path;
        request.body = match self.media {
            None => Body::None,
            Some(MediaKind::Json) => Body::Json(Value::Object(self.fields.clone())),
            Some(MediaKind::Form) => Body::Form(
                self.fields
                    .iter()
                    .map(|(k, v)| (k.clone(), form_text(v)))
                    .collect(),
            ),
            Some(MediaKind::Multipart) => {
                let mut parts: Vec<Part> = self
                    .fields
                    .iter()
                    .map(|(k, v)| Part {
                        name: k.clone(),
                        value: PartValue::Text(form_text(v)),
                    })
                    .collect();
                parts.extend(self.files.iter().cloned());
                Body::Multipart(parts)
            }
            Some(_) => Body::Raw {
                content_type: self.media_type.clone().unwrap_or_default(),
                bytes: bytes::Bytes::new(),
            },
        };
        request
    }

    /// Sets a parameter (path, query or header) to a value, replacing the drafted one.
    pub fn set_parameter(&mut self, location: ParameterLocation, name: &str, value: &str) {
        match location {
            ParameterLocation::Path => match self.path_params.iter_mut().find(|(n, _)| n == name) {
                Some(entry) => entry.1 = value.to_owned(),
                None => self.path_params.push((name.to_owned(), value.to_owned())),
            },
            ParameterLocation::Query => {
                self.request.query.retain(|(n, _)| n != name);
                self.request.query.push((name.to_owned(), value.to_owned()));
            }
            ParameterLocation::Header => {
                self.request
                    .headers
                    .retain(|(n, _)| !n.eq_ignore_ascii_case(name));
                self.request
                    .headers
                    .push((name.to_owned(), value.to_owned()));
            }
            // A cookie is a `cookie: name=value` header of its own.
            ParameterLocation::Cookie => {
                self.remove_parameter(ParameterLocation::Cookie, name);
                self.request
                    .headers
                    .push(("cookie".to_owned(), format!("{name}={value}")));
            }
        }
    }

    /// Sets a parameter to a value, written as its style says (`query_pairs`,
    /// `parameter_text`).
    pub fn set_value(&mut self, parameter: &Parameter, value: &Value) {
        if parameter.location != ParameterLocation::Query {
            self.set_parameter(
                parameter.location,
                &parameter.name,
                &parameter_text(parameter, value),
            );
            return;
        }
        self.remove_parameter(parameter.location, &parameter.name);
        let pairs = query_pairs(parameter, value);
        // An exploded object's pairs are named by its keys: replace those too.
        self.request
            .query
            .retain(|(n, _)| !pairs.iter().any(|(p, _)| p == n));
        self.request.query.extend(pairs);
    }

    /// Removes a parameter.
    pub fn remove_parameter(&mut self, location: ParameterLocation, name: &str) {
        match location {
            ParameterLocation::Path => self.path_params.retain(|(n, _)| n != name),
            // A deepObject's pairs are `name[key]`.
            ParameterLocation::Query => self.request.query.retain(|(n, _)| {
                n != name && !(n.starts_with(name) && n[name.len()..].starts_with('['))
            }),
            ParameterLocation::Cookie => self.request.headers.retain(|(n, v)| {
                !(n.eq_ignore_ascii_case("cookie")
                    && v.split_once('=').is_some_and(|(cookie, _)| cookie == name))
            }),
            ParameterLocation::Header => self
                .request
                .headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case(name)),
        }
    }

    /// Whether values keep their JSON type on the wire (JSON bodies), or become text.
    pub fn typed(&self) -> bool {
        self.media == Some(MediaKind::Json)
    }
}

/// A form or multipart field's text for a JSON value.
pub fn form_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        // An array in a path, header or unexploded query: simple style, comma-separated.
        Value::Array(items) => items.iter().map(form_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// The query pairs a parameter's value makes, as its `style` and `explode` write it.
pub fn query_pairs(parameter: &Parameter, value: &Value) -> Vec<(String, String)> {
    let name = parameter.name.clone();
    let joined = |items: &[Value], separator: &str| {
        items
            .iter()
            .map(form_text)
            .collect::<Vec<_>>()
            .join(separator)
    };
    match (value, parameter.style) {
        (Value::Array(items), ParameterStyle::SpaceDelimited) => vec![(name, joined(items, " "))],
        (Value::Array(items), ParameterStyle::PipeDelimited) => vec![(name, joined(items, "|"))],
        (Value::Array(items), _) if parameter.explode => items
            .iter()
            .map(|item| (name.clone(), form_text(item)))
            .collect(),
        (Value::Array(items), _) => vec![(name, joined(items, ","))],
        (Value::Object(map), ParameterStyle::DeepObject) => map
            .iter()
            .map(|(key, v)| (format!("{name}[{key}]"), form_text(v)))
            .collect(),
        (Value::Object(map), _) if parameter.explode => map
            .iter()
            .map(|(key, v)| (key.clone(), form_text(v)))
            .collect(),
        (Value::Object(map), _) => vec![(
            name,
            map.iter()
                .flat_map(|(key, v)| [key.clone(), form_text(v)])
                .collect::<Vec<_>>()
                .join(","),
        )],
        (value, _) => vec![(name, form_text(value))],
    }
}

/// A path, header or cookie parameter's text, as its `style` and `explode` write it (a
/// path's label and matrix prefixes included).
pub fn parameter_text(parameter: &Parameter, value: &Value) -> String {
    let items: Vec<String> = match value {
        Value::Array(items) => items.iter().map(form_text).collect(),
        Value::Object(map) if parameter.explode => map
            .iter()
            .map(|(key, v)| format!("{key}={}", form_text(v)))
            .collect(),
        Value::Object(map) => map
            .iter()
            .flat_map(|(key, v)| [key.clone(), form_text(v)])
            .collect(),
        value => vec![form_text(value)],
    };
    let name = &parameter.name;
    match (parameter.style, parameter.explode, value) {
        (ParameterStyle::Label, true, _) => format!(".{}", items.join(".")),
        (ParameterStyle::Label, false, _) => format!(".{}", items.join(",")),
        (ParameterStyle::Matrix, true, Value::Object(_)) => format!(";{}", items.join(";")),
        (ParameterStyle::Matrix, true, _) => {
            items.iter().map(|item| format!(";{name}={item}")).collect()
        }
        (ParameterStyle::Matrix, false, _) => format!(";{name}={}", items.join(",")),
        _ => items.join(","),
    }
}

/// Why a check cannot run.
pub type Skip = String;

/// The run.
#[derive(Debug)]
pub struct Context {
    pub api: Api,
    pub dialect: Option<Dialect>,
    pub transport: Transport,
    pub credentials: Credentials,
    pub redactor: Redactor,
    pub seed: u64,
    pub cases: u32,
    pub destructive: bool,
    /// The passive checks' verdicts so far: each exchange is judged as it arrives, then
    /// dropped.
    tallies: RefCell<crate::passive::Tallies>,
    sent: Cell<usize>,
    /// Stored values read back from the server, per actor; forgotten after any write.
    stored: RefCell<BTreeMap<Actor, Value>>,
    keys: RefCell<BTreeMap<String, Option<Vec<String>>>>,
    /// The operation on which CF307 used up the other user's quota in this run, if any.
    pub quota_used_by: RefCell<Option<String>>,
    /// Where reproductions write bodies too large for a curl line.
    evidence_dir: Option<std::path::PathBuf>,
    progress: RefCell<Option<crate::progress::Progress>>,
    /// What the running check observed at its boundaries (see `CheckResult::observed`).
    observed: RefCell<Vec<String>>,
    /// Requests sent per operation id: the run's coverage.
    per_operation: RefCell<BTreeMap<String, usize>>,
    /// Resources the harness created for a plain spec, by create operation: their ids stand
    /// in for the caller's resource when no --user-id is given.
    created: RefCell<BTreeMap<String, String>>,
    /// The member of a `oneOf`/`anyOf` request body the running check drafts and varies
    /// (`rules::run` runs the body's checks once per member); `None`: the union's own example.
    variant: Cell<Option<usize>>,
    /// Ids found for a plain spec's path parameters (from the API's list operations or the
    /// spec's examples), by path template and parameter; `None`: none was found.
    found_ids: RefCell<BTreeMap<(String, String), Option<String>>>,
}

impl Context {
    pub fn new(
        api: Api,
        transport: Transport,
        credentials: Credentials,
        seed: u64,
        cases: u32,
        destructive: bool,
        evidence_dir: Option<std::path::PathBuf>,
    ) -> Context {
        let redactor = credentials.redactor();
        Context {
            dialect: api.dialect,
            api,
            transport,
            credentials,
            redactor,
            seed,
            cases,
            destructive,
            tallies: RefCell::default(),
            sent: Cell::new(0),
            stored: RefCell::default(),
            keys: RefCell::default(),
            quota_used_by: RefCell::default(),
            evidence_dir,
            progress: RefCell::default(),
            observed: RefCell::default(),
            per_operation: RefCell::default(),
            created: RefCell::default(),
            variant: Cell::new(None),
            found_ids: RefCell::default(),
        }
    }

    pub fn requests(&self) -> usize {
        self.sent.get()
    }

    /// Notes what the target did at a boundary, for the running check's result.
    pub fn observe(&self, what: String) {
        let what = self.redactor.redact_clipped(&what, 160);
        let mut observed = self.observed.borrow_mut();
        if !observed.contains(&what) {
            observed.push(what);
        }
    }

    /// Requests sent to an operation so far.
    pub fn requests_to(&self, operation: &str) -> usize {
        self.per_operation
            .borrow()
            .get(operation)
            .copied()
            .unwrap_or(0)
    }

    pub fn take_observed(&self) -> Vec<String> {
        std::mem::take(&mut self.observed.borrow_mut())
    }

    pub fn start_progress(&self, progress: crate::progress::Progress) {
        *self.progress.borrow_mut() = Some(progress);
    }

    pub fn progress_check(&self, check: crate::checks::Check, operation: &str) {
        if let Some(progress) = self.progress.borrow_mut().as_mut() {
            progress.check(check, operation);
        }
    }

    pub fn progress_failure(&self) {
        if let Some(progress) = self.progress.borrow_mut().as_mut() {
            progress.failure();
        }
    }

    pub fn finish_progress(&self) {
        if let Some(progress) = self.progress.borrow_mut().take() {
            progress.finish();
        }
    }

    pub fn take_tallies(&self) -> crate::passive::Tallies {
        std::mem::take(&mut self.tallies.borrow_mut())
    }

    /// Sends a request for `operation`, records it, and forgets stored values after a write.
    pub fn send(&self, operation: &Operation, request: &HttpRequest) -> Exchange {
        let exchange = self.transport.send(request);
        self.sent.set(self.sent.get() + 1);
        *self
            .per_operation
            .borrow_mut()
            .entry(operation.id.clone())
            .or_default() += 1;
        if let Some(progress) = self.progress.borrow_mut().as_mut() {
            progress.request();
        }
        if !matches!(
            operation.method,
            generator::model::Method::Get | generator::model::Method::Head
        ) {
            self.stored.borrow_mut().clear();
        }
        // A resource the harness created and a DELETE removed (a check that expected a
        // refusal, on a server that does not refuse): the next check creates a new one
        // rather than failing on a 404 that is not its finding.
        if operation.method == generator::model::Method::Delete
            && exchange.status().is_some_and(|s| (200..300).contains(&s))
        {
            let segments: Vec<&str> = request.path.split('/').collect();
            self.created
                .borrow_mut()
                .retain(|_, id| !segments.contains(&percent_encode(id).as_str()));
        }
        self.tallies.borrow_mut().judge(self, operation, &exchange);
        exchange
    }

    /// A step of a failure report: the request as curl, the outcome, the body's start.
    pub fn step(&self, exchange: &Exchange) -> Step {
        let curl = crate::curl::curl_line(
            &self.transport,
            &exchange.request,
            &self.redactor,
            self.evidence_dir.as_deref(),
        );
        let (outcome, body, body_length) = match &exchange.response {
            Ok(response) => {
                let mut body = self
                    .redactor
                    .redact_clipped(&response.text(), crate::report::BODY_KEPT);
                if response.truncated && !body.ends_with('…') {
                    body.push('…');
                }
                (format!("{}", response.status), body, response.body.len())
            }
            Err(error) => (self.redactor.redact(&error.to_string()), String::new(), 0),
        };
        Step {
            curl,
            outcome,
            body,
            body_length,
        }
    }

    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.api.operations.iter().find(|o| o.id == id)
    }

    pub fn scheme(&self, name: &str) -> Option<&SecurityScheme> {
        self.api.security_schemes.iter().find(|s| s.name == name)
    }

    /// The schemes an operation needs together (the first alternative), empty if none.
    pub fn required_schemes(&self, operation: &Operation) -> Vec<&SecurityScheme> {
        operation
            .security
            .first()
            .map(|names| names.iter().filter_map(|n| self.scheme(n)).collect())
            .unwrap_or_default()
    }

    /// The parameter or body field that names whose resource an operation touches.
    pub fn subject_targets(&self, operation: &Operation) -> Vec<Target> {
        let mut targets: Vec<Target> = operation
            .rules
            .iter()
            .filter_map(|rule| match rule {
                Rule::OwnerOnly { target, .. } | Rule::TargetMustExist { target, .. } => {
                    Some(target.clone())
                }
                _ => None,
            })
            .collect();
        targets.dedup();
        if targets.is_empty() && self.dialect.is_none() {
            // A plain spec: a lone path parameter is taken to be the resource's id.
            let path: Vec<_> = operation
                .parameters
                .iter()
                .filter(|p| p.location == ParameterLocation::Path)
                .collect();
            if path.len() == 1 {
                targets.push(Target::Parameter(path[0].name.clone()));
            }
        }
        targets
    }

    /// Whether the id a parameter names comes from the API itself: the caller's resource on an
    /// item path, for a plain spec without --user-id (`created_for`, `found_id`).
    fn ids_from_api(&self, subject: Subject, parameter: &Parameter) -> bool {
        subject == Subject::Caller
            && parameter.location == ParameterLocation::Path
            && self.dialect.is_none()
            && self.credentials.user_id.is_none()
    }

    /// For a plain spec without --user-id, the caller's resource on an item path is one the
    /// harness creates through the spec's own create operation (once, then reused): ids come
    /// from the API itself.
    fn created_for(
        &self,
        operation: &Operation,
        subject: Subject,
        parameter: &Parameter,
    ) -> Option<String> {
        if !self.ids_from_api(subject, parameter) {
            return None;
        }
        let Some(resource) = self.resource_at(operation) else {
            return self.linked_id(operation, &parameter.name);
        };
        if let Some(id) = self.created.borrow().get(&resource.create.id) {
            return Some(id.clone());
        }
        let draft = self.draft_own(resource.create).ok()?;
        let exchange = self.send(resource.create, &draft.build());
        let id = crate::rules::created_id(&exchange, &resource.id)?;
        self.created
            .borrow_mut()
            .insert(resource.create.id.clone(), id.clone());
        Some(id)
    }

    /// An id made for `operation`'s parameter `name` by a create (a POST) whose answer links
    /// to it (OpenAPI `links`: `$response.body#/pointer` or `$response.header.Name`), for
    /// the APIs whose paths do not nest the item under its collection. Made once per create.
    fn linked_id(&self, operation: &Operation, name: &str) -> Option<String> {
        let (create, expression) = self.api.operations.iter().find_map(|create| {
            if create.method != generator::model::Method::Post {
                return None;
            }
            create
                .responses
                .iter()
                .filter(|r| r.status.is_success())
                .flat_map(|r| &r.links)
                .filter(|link| link.operation_id == operation.id)
                .find_map(|link| {
                    let (_, expression) = link.parameters.iter().find(|(p, _)| {
                        p == name || p.rsplit_once('.').is_some_and(|(_, p)| p == name)
                    })?;
                    Some((create, expression.clone()))
                })
        })?;
        let key = format!("{}#{expression}", create.id);
        if let Some(id) = self.created.borrow().get(&key) {
            return Some(id.clone());
        }
        let draft = self.draft_own(create).ok()?;
        let exchange = self.send(create, &draft.build());
        let response = exchange
            .response
            .as_ref()
            .ok()
            .filter(|r| (200..300).contains(&r.status))?;
        let id = if let Some(pointer) = expression.strip_prefix("$response.body#") {
            match response.json()?.pointer(pointer)? {
                Value::String(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                _ => return None,
            }
        } else if let Some(header) = expression.strip_prefix("$response.header.") {
            response.header(header)?.to_owned()
        } else {
            return None;
        };
        self.created.borrow_mut().insert(key, id.clone());
        Some(id)
    }

    /// For a plain spec without --user-id, an id the API already knows for a path parameter
    /// that no create of the harness provides: the first item of the list operation one level
    /// up (`GET /pets` for `/pets/{petId}`: the item's `petId`, else its `id`), else the spec's
    /// example of the parameter. Looked up once per path and parameter.
    fn found_id(
        &self,
        operation: &Operation,
        parameter: &generator::model::Parameter,
        subject: Subject,
    ) -> Option<String> {
        if !self.ids_from_api(subject, parameter) {
            return None;
        }
        let key = (operation.path.clone(), parameter.name.clone());
        if let Some(found) = self.found_ids.borrow().get(&key) {
            return found.clone();
        }
        // Not found while looking (a list whose own path needs this id): no recursion.
        self.found_ids.borrow_mut().insert(key.clone(), None);
        let found = self.listed_id(operation, &parameter.name).or_else(|| {
            match parameter.example.as_ref()? {
                Value::String(text) => Some(text.clone()),
                Value::Number(number) => Some(number.to_string()),
                _ => None,
            }
        });
        self.found_ids.borrow_mut().insert(key, found.clone());
        found
    }

    /// The id of the first item the list operation above `{name}` answers.
    fn listed_id(&self, operation: &Operation, name: &str) -> Option<String> {
        let segment = format!("/{{{name}}}");
        let at = operation.path.find(&segment)?;
        let collection = &operation.path[..at];
        let list = self
            .api
            .operations
            .iter()
            .find(|o| o.method == generator::model::Method::Get && o.path == collection)?;
        let draft = self
            .draft(list, Actor::Caller, Subject::Caller, &CredentialMode::Valid)
            .ok()?;
        let exchange = self.send(list, &draft.build());
        let page = exchange
            .response
            .as_ref()
            .ok()
            .filter(|r| (200..300).contains(&r.status))?
            .json()?;
        page_items(&page, Arrays::First)?.iter().find_map(|item| {
            [name, "id"].iter().find_map(|key| match item.get(*key)? {
                Value::String(text) if !text.is_empty() => Some(text.clone()),
                Value::Number(number) => Some(number.to_string()),
                _ => None,
            })
        })
    }

    /// The resource an item operation acts on, when the spec has a create for it (`POST P`
    /// beside this `P/{id}`).
    pub fn resource_at(&self, operation: &Operation) -> Option<crate::rules::Resource<'_>> {
        self.api.operations.iter().find_map(|create| {
            crate::rules::resource_of(&self.api, create).filter(|r| {
                // The item path itself, or a path under it with no other parameter
                // (`/pets/{petId}/events`: a sub-collection of the created pet).
                r.read.path == operation.path
                    || operation
                        .path
                        .strip_prefix(&r.read.path)
                        .is_some_and(|rest| rest.starts_with('/') && !rest.contains('{'))
            })
        })
    }

    fn subject_id(&self, subject: Subject, shape: &FieldShape) -> Result<String, Skip> {
        match subject {
            Subject::Caller => self
                .credentials
                .user_id
                .clone()
                .ok_or_else(|| "needs the caller's id (--user-id)".to_owned()),
            Subject::Other => self
                .credentials
                .other_user_id
                .clone()
                .ok_or_else(|| "needs another user's id (--other-user-id)".to_owned()),
            Subject::Unknown => Ok(match (&shape.ty, shape.constraints.format.as_deref()) {
                (TypeRef::Integer(_), _) => "987654321".into(),
                (_, Some("uuid")) => "00000000-0000-4000-8000-00000000dead".into(),
                _ => "conformance-no-such-user".into(),
            }),
        }
    }

    /// The request body's struct, if it has one: for a `oneOf`/`anyOf` body, the member
    /// selected by [`Context::with_variant`].
    pub fn body_struct(&self, content: &BodyContent) -> Option<&StructDef> {
        match (union_of(&self.api, &content.ty), self.variant.get()) {
            (Some(union), Some(index)) => struct_of(&self.api, &union.variants.get(index)?.ty),
            _ => struct_of(&self.api, &content.ty),
        }
    }

    /// Runs `run` with member `index` of a union body selected (see `body_struct`).
    pub fn with_variant<T>(&self, index: usize, run: impl FnOnce() -> T) -> T {
        let before = self.variant.replace(Some(index));
        let result = run();
        self.variant.set(before);
        result
    }

    /// The discriminator of a union body and the tag of the selected member, if any.
    pub fn selected_tag(&self, content: &BodyContent) -> Option<(&str, &str)> {
        let union = union_of(&self.api, &content.ty)?;
        let member = union.variants.get(self.variant.get()?)?;
        Some((union.discriminator.as_deref()?, member.tag.as_deref()?))
    }

    /// The body content a check uses: JSON if listed, else form, else multipart.
    pub fn preferred_content<'o>(&self, operation: &'o Operation) -> Option<&'o BodyContent> {
        let contents = &operation.body.as_ref()?.contents;
        [MediaKind::Json, MediaKind::Form, MediaKind::Multipart]
            .iter()
            .find_map(|kind| contents.iter().find(|c| c.kind == *kind))
    }

    /// A field's shape, with the listed keys when it must be one (fetched once).
    pub fn shape(&self, operation: &Operation, field: &generator::model::Field) -> FieldShape {
        let mut shape = FieldShape::new(&self.api, &field.name, &field.ty, &field.constraints);
        if let Some(key_of) = &field.key_of {
            shape.keys = self.listed_keys(operation, key_of);
        }
        shape
    }

    fn listed_keys(
        &self,
        _operation: &Operation,
        key_of: &generator::spec::ext::KeyOf,
    ) -> Option<Vec<String>> {
        let cache_key = format!("{}{}#{}", key_of.operation, key_of.pointer, key_of.key);
        if let Some(found) = self.keys.borrow().get(&cache_key) {
            return found.clone();
        }
        let found = (|| {
            let source = self.operation(&key_of.operation)?;
            let draft = self
                .draft(
                    source,
                    Actor::Caller,
                    Subject::Caller,
                    &CredentialMode::Valid,
                )
                .ok()?;
            let exchange = self.send(source, &draft.build());
            let body = exchange.response.ok()?.json()?;
            let items = body.pointer(&key_of.pointer)?.as_array()?;
            Some(
                items
                    .iter()
                    .filter_map(|item| item.get(&key_of.key)?.as_str().map(str::to_owned))
                    .collect::<Vec<_>>(),
            )
        })();
        self.keys.borrow_mut().insert(cache_key, found.clone());
        found
    }

    /// The stored state as a read returns it (the read named by the operation's
    /// read-after-write rule), for fields a request must repeat unchanged.
    pub fn stored_state(&self, operation: &Operation, actor: Actor) -> Option<Value> {
        if let Some(state) = self.stored.borrow().get(&actor) {
            return Some(state.clone());
        }
        let read = operation.rules.iter().find_map(|rule| match rule {
            Rule::ReadAfterWrite { read } if read != "self" => self.operation(read),
            _ => None,
        })?;
        let subject = if actor == Actor::Caller {
            Subject::Caller
        } else {
            Subject::Other
        };
        let draft = self
            .draft_inner(read, actor, subject, &CredentialMode::Valid, false)
            .ok()?;
        let exchange = self.send(read, &draft.build());
        let state = exchange
            .response
            .ok()
            .filter(|r| (200..300).contains(&r.status))?
            .json()?;
        self.stored.borrow_mut().insert(actor, state.clone());
        Some(state)
    }

    /// A valid request for an operation, by `actor` about `subject`'s resource.
    pub fn draft(
        &self,
        operation: &Operation,
        actor: Actor,
        subject: Subject,
        credentials: &CredentialMode,
    ) -> Result<Draft, Skip> {
        self.draft_inner(operation, actor, subject, credentials, true)
    }

    /// The caller's valid request for an operation on what the harness makes itself (its
    /// user ids name no one): a create, or a step in a created resource's life.
    pub fn draft_own(&self, operation: &Operation) -> Result<Draft, Skip> {
        self.draft(
            operation,
            Actor::Caller,
            Subject::Unknown,
            &CredentialMode::Valid,
        )
    }

    /// [`Context::draft_own`] with the path parameter `name` set to `id`: the request for one
    /// resource (a read, an update or a delete of it).
    pub fn draft_at(&self, operation: &Operation, name: &str, id: &str) -> Result<Draft, Skip> {
        let mut draft = self.draft_own(operation)?;
        draft.set_parameter(ParameterLocation::Path, name, id);
        Ok(draft)
    }

    fn draft_inner(
        &self,
        operation: &Operation,
        actor: Actor,
        subject: Subject,
        mode: &CredentialMode,
        read_state: bool,
    ) -> Result<Draft, Skip> {
        let targets = self.subject_targets(operation);
        let mut path_params = Vec::new();
        let mut query = Vec::new();
        let mut headers = Vec::new();
        for parameter in &operation.parameters {
            let shape = FieldShape::new(
                &self.api,
                &parameter.name,
                &parameter.ty,
                &parameter.constraints,
            );
            let value = if targets.contains(&Target::Parameter(parameter.name.clone())) {
                match self
                    .created_for(operation, subject, parameter)
                    .or_else(|| self.found_id(operation, parameter, subject))
                {
                    Some(id) => id,
                    None => self.subject_id(subject, &shape)?,
                }
            } else if let Some(id) = self.found_id(operation, parameter, subject) {
                id
            } else if parameter.required {
                let example = shape.example().ok_or_else(|| {
                    format!("cannot make a value for parameter {}", parameter.name)
                })?;
                // Arrays and objects as the parameter's style writes them.
                if parameter.location == ParameterLocation::Query {
                    query.extend(query_pairs(parameter, &example));
                    continue;
                }
                parameter_text(parameter, &example)
            } else {
                continue;
            };
            match parameter.location {
                ParameterLocation::Path => path_params.push((parameter.name.clone(), value)),
                ParameterLocation::Query => query.push((parameter.name.clone(), value)),
                ParameterLocation::Header => headers.push((parameter.name.clone(), value)),
                ParameterLocation::Cookie => {
                    headers.push(("cookie".into(), format!("{}={value}", parameter.name)))
                }
            }
        }
        for scheme in self.required_schemes(operation) {
            let value = match mode {
                CredentialMode::Missing(name) if *name == scheme.name => continue,
                CredentialMode::Wrong(name, wrong) if *name == scheme.name => wrong.clone(),
                _ => {
                    let value = match actor {
                        Actor::Caller => self.credentials.for_scheme(scheme),
                        Actor::Other => self.credentials.for_scheme_as_other(scheme),
                    };
                    let kind = CredentialKind::of(scheme);
                    match value {
                        Some(value) => value.to_owned(),
                        None if actor == Actor::Other && kind == CredentialKind::Token => {
                            return Err("needs the other user's token (--other-token)".into());
                        }
                        None => {
                            return Err(format!(
                                "needs the credential for scheme {} ({})",
                                scheme.name,
                                kind.flag()
                            ));
                        }
                    }
                }
            };
            let (location, name, value) = placement(scheme, &value);
            match location {
                ParameterLocation::Query => query.push((name, value)),
                ParameterLocation::Cookie => {
                    headers.push(("cookie".into(), format!("{name}={value}")))
                }
                _ => headers.push((name, value)),
            }
        }
        let request = HttpRequest {
            method: operation.method,
            path: operation.path.clone(),
            query,
            headers,
            body: Body::None,
        };
        let mut draft = Draft {
            request,
            path_template: operation.path.clone(),
            path_params,
            media: None,
            media_type: None,
            fields: Map::new(),
            files: Vec::new(),
        };
        let Some(content) = self.preferred_content(operation) else {
            return Ok(draft);
        };
        draft.media = Some(content.kind);
        draft.media_type = Some(content.media_type.clone());
        let Some(body) = self.body_struct(content) else {
            // A body that is not one object type (a oneOf, an array): the schema's own valid
            // example, whole.
            let shape = FieldShape::new(&self.api, "body", &content.ty, &Default::default());
            if let Some(Value::Object(fields)) = shape.example() {
                draft.fields = fields;
            }
            return Ok(draft);
        };
        let keep_unchanged: Vec<&str> = operation
            .rules
            .iter()
            .filter_map(|rule| match rule {
                Rule::RequiredWhenChanged { when_changed, .. } => Some(when_changed.as_str()),
                _ => None,
            })
            .collect();
        if let Some((property, tag)) = self.selected_tag(content) {
            draft
                .fields
                .insert(property.to_owned(), Value::String(tag.to_owned()));
        }
        for field in &body.fields {
            if draft.fields.contains_key(&field.name) {
                continue;
            }
            if targets.contains(&Target::BodyField(field.name.clone())) {
                let shape = self.shape(operation, field);
                draft.fields.insert(
                    field.name.clone(),
                    Value::String(self.subject_id(subject, &shape)?),
                );
                continue;
            }
            // readOnly fields are the server's to set, required or not: never sent.
            if !field.required || field.read_only {
                continue;
            }
            if field.ty == TypeRef::Binary {
                let types = part_types(content, &field.name);
                draft.files.push(sample_file(&field.name, &types));
                continue;
            }
            let current = if read_state && keep_unchanged.contains(&field.name.as_str()) {
                self.stored_state(operation, actor)
                    .and_then(|state| find_key(&state, &field.name).cloned())
                    .filter(|v| !v.is_null())
            } else {
                None
            };
            let value = match current {
                Some(value) => value,
                None => self
                    .shape(operation, field)
                    .example()
                    .ok_or_else(|| format!("cannot make a valid value for {}", field.name))?,
            };
            draft.fields.insert(field.name.clone(), value);
        }
        Ok(draft)
    }
}

/// The union (`oneOf`/`anyOf`) a type names, if it is one.
pub fn union_of<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a generator::model::UnionDef> {
    let TypeRef::Named(name) = ty else {
        return None;
    };
    match &api.type_named(name)?.kind {
        TypeKind::Union(union) => Some(union),
        _ => None,
    }
}

/// Which array property of an object answer holds a list's items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arrays {
    /// The first one.
    First,
    /// The only one: none when the object has more than one.
    Only,
}

/// The items of a list's answer: the answer itself when it is an array, else an array
/// property of its object (which one: `arrays`).
pub(crate) fn page_items(page: &Value, arrays: Arrays) -> Option<&Vec<Value>> {
    match page {
        Value::Array(items) => Some(items),
        Value::Object(map) => {
            let mut found = map.values().filter_map(Value::as_array);
            let first = found.next()?;
            (arrays == Arrays::First || found.next().is_none()).then_some(first)
        }
        _ => None,
    }
}

/// The struct a type names (through aliases).
pub fn struct_of<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a StructDef> {
    let mut ty = ty;
    for _ in 0..8 {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        match &api.type_named(name)?.kind {
            TypeKind::Struct(def) => return Some(def),
            TypeKind::Alias(inner) => ty = inner,
            _ => return None,
        }
    }
    None
}

/// The first value under `key` anywhere in a JSON tree (depth first, in document order).
pub fn find_key<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    match value {
        Value::Object(map) => map
            .get(key)
            .or_else(|| map.values().find_map(|v| find_key(v, key))),
        Value::Array(items) => items.iter().find_map(|v| find_key(v, key)),
        _ => None,
    }
}

/// The content types a multipart body lists for a part (its `encoding`), empty if none.
pub(crate) fn part_types(content: &BodyContent, part: &str) -> Vec<String> {
    content
        .part_content_types
        .iter()
        .find(|(name, _)| name == part)
        .map(|(_, types)| types.clone())
        .unwrap_or_default()
}

/// A small valid file for a multipart part: a real PNG/JPEG/GIF where images are asked for.
pub fn sample_file(name: &str, content_types: &[String]) -> Part {
    let wants = |t: &str| {
        content_types.is_empty()
            || content_types
                .iter()
                .any(|c| c.eq_ignore_ascii_case(t) || c == "*/*" || c == "image/*")
    };
    let (filename, content_type, bytes) = if wants("image/png") {
        (format!("{name}.png"), "image/png", PNG_1X1.to_vec())
    } else if wants("image/gif") {
        (format!("{name}.gif"), "image/gif", GIF_1X1.to_vec())
    } else {
        (
            format!("{name}.bin"),
            content_types
                .first()
                .map_or("application/octet-stream", String::as_str),
            b"conformance".to_vec(),
        )
    };
    Part {
        name: name.to_owned(),
        value: PartValue::File {
            filename,
            content_type: content_type.to_owned(),
            bytes,
        },
    }
}

/// A real file of an image type the harness can make (PNG, JPEG, GIF), named for its part.
pub fn image_file(name: &str, media_type: &str) -> Option<Part> {
    let (extension, bytes) = match media_type.to_ascii_lowercase().as_str() {
        "image/png" => ("png", PNG_1X1),
        "image/jpeg" | "image/jpg" => ("jpg", JPEG_1X1),
        "image/gif" => ("gif", GIF_1X1),
        _ => return None,
    };
    Some(Part {
        name: name.to_owned(),
        value: PartValue::File {
            filename: format!("{name}.{extension}"),
            content_type: media_type.to_owned(),
            bytes: bytes.to_vec(),
        },
    })
}

/// A 1×1 grey JPEG (baseline header, arithmetic-coded scan): 125 bytes.
pub const JPEG_1X1: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0x00, 0x03, 0x02, 0x02, 0x02, 0x02, 0x02, 0x03, 0x02, 0x02,
    0x02, 0x03, 0x03, 0x03, 0x03, 0x04, 0x06, 0x04, 0x04, 0x04, 0x04, 0x04, 0x08, 0x06, 0x06, 0x05,
    0x06, 0x09, 0x08, 0x0A, 0x0A, 0x09, 0x08, 0x09, 0x09, 0x0A, 0x0C, 0x0F, 0x0C, 0x0A, 0x0B, 0x0E,
    0x0B, 0x09, 0x09, 0x0D, 0x11, 0x0D, 0x0E, 0x0F, 0x10, 0x10, 0x11, 0x10, 0x0A, 0x0C, 0x12, 0x13,
    0x12, 0x10, 0x13, 0x0F, 0x10, 0x10, 0x10, 0xFF, 0xC9, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01,
    0x01, 0x01, 0x11, 0x00, 0xFF, 0xCC, 0x00, 0x06, 0x00, 0x10, 0x10, 0x05, 0xFF, 0xDA, 0x00, 0x08,
    0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0xD2, 0xCF, 0x20, 0xFF, 0xD9,
];

/// A 1×1 transparent PNG.
pub const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

/// A 1×1 GIF.
pub const GIF_1X1: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod style_tests {
    use super::*;
    use serde_json::json;

    fn parameter(location: ParameterLocation, style: ParameterStyle, explode: bool) -> Parameter {
        Parameter {
            name: "p".into(),
            rust_name: "p".into(),
            location,
            required: false,
            ty: TypeRef::Any,
            constraints: Default::default(),
            messages: Default::default(),
            documented_messages: Default::default(),
            description: None,
            example: None,
            style,
            explode,
        }
    }

    fn pairs(style: ParameterStyle, explode: bool, value: Value) -> Vec<(String, String)> {
        query_pairs(&parameter(ParameterLocation::Query, style, explode), &value)
    }

    fn pair(name: &str, value: &str) -> (String, String) {
        (name.into(), value.into())
    }

    /// OpenAPI's style table (3.0.3, "Style Examples"), for the values a check sends.
    #[test]
    fn query_values_are_written_as_their_style_says() {
        let array = json!(["blue", "black"]);
        let object = json!({"R": 100, "G": 200});
        use ParameterStyle::*;
        assert_eq!(
            pairs(Form, true, array.clone()),
            [pair("p", "blue"), pair("p", "black")]
        );
        assert_eq!(pairs(Form, false, array.clone()), [pair("p", "blue,black")]);
        assert_eq!(
            pairs(SpaceDelimited, false, array.clone()),
            [pair("p", "blue black")]
        );
        assert_eq!(
            pairs(PipeDelimited, false, array),
            [pair("p", "blue|black")]
        );
        assert_eq!(
            pairs(Form, true, object.clone()),
            [pair("R", "100"), pair("G", "200")]
        );
        assert_eq!(
            pairs(Form, false, object.clone()),
            [pair("p", "R,100,G,200")]
        );
        assert_eq!(
            pairs(DeepObject, true, object),
            [pair("p[R]", "100"), pair("p[G]", "200")]
        );
        assert_eq!(pairs(Form, true, json!(5)), [pair("p", "5")]);
    }

    #[test]
    fn path_and_header_values_are_written_as_their_style_says() {
        use ParameterLocation::{Header, Path};
        use ParameterStyle::*;
        let text = |location, style, explode, value: Value| {
            parameter_text(&parameter(location, style, explode), &value)
        };
        let array = json!(["blue", "black"]);
        let object = json!({"R": 100, "G": 200});
        assert_eq!(text(Path, Simple, false, array.clone()), "blue,black");
        assert_eq!(text(Path, Simple, true, object.clone()), "R=100,G=200");
        assert_eq!(text(Path, Simple, false, object.clone()), "R,100,G,200");
        assert_eq!(text(Path, Label, false, array.clone()), ".blue,black");
        assert_eq!(text(Path, Label, true, array.clone()), ".blue.black");
        assert_eq!(text(Path, Matrix, false, array.clone()), ";p=blue,black");
        assert_eq!(text(Path, Matrix, true, array.clone()), ";p=blue;p=black");
        assert_eq!(text(Path, Matrix, true, object), ";R=100;G=200");
        assert_eq!(text(Header, Simple, false, array), "blue,black");
        assert_eq!(text(Path, Simple, false, json!("x")), "x");
    }

    /// Setting a deepObject again replaces its pairs; removing it removes them all.
    #[test]
    fn a_deep_object_is_replaced_and_removed_whole() {
        let deep = parameter(ParameterLocation::Query, ParameterStyle::DeepObject, true);
        let mut draft = Draft {
            request: HttpRequest {
                method: generator::model::Method::Get,
                path: "/x".into(),
                query: vec![pair("other", "1")],
                headers: Vec::new(),
                body: Body::None,
            },
            path_template: "/x".into(),
            path_params: Vec::new(),
            media: None,
            media_type: None,
            fields: Map::new(),
            files: Vec::new(),
        };
        draft.set_value(&deep, &json!({"a": 1, "b": 2}));
        draft.set_value(&deep, &json!({"a": 3}));
        assert_eq!(draft.request.query, [pair("other", "1"), pair("p[a]", "3")]);
        draft.remove_parameter(ParameterLocation::Query, "p");
        assert_eq!(draft.request.query, [pair("other", "1")]);
        // A cookie is its own `cookie` header, replaced and removed by name.
        draft.set_parameter(ParameterLocation::Cookie, "session", "a");
        draft.set_parameter(ParameterLocation::Cookie, "theme", "dark");
        draft.set_parameter(ParameterLocation::Cookie, "session", "b");
        assert_eq!(
            draft.request.headers,
            [pair("cookie", "theme=dark"), pair("cookie", "session=b")]
        );
        draft.remove_parameter(ParameterLocation::Cookie, "theme");
        assert_eq!(draft.request.headers, [pair("cookie", "session=b")]);
    }
}
