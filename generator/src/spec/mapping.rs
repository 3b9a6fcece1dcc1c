//! The cross-check between the canonical spec and the five dialects: every mapping points at
//! something that exists, and every dialect operation, parameter, credential and field is
//! mapped or listed as dialect-only.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::check::{self, RawOperation};
use super::ext::{self, Dialect, DialectOnlyItem, FieldAddress, OperationMapping};
use super::load::Document;
use super::walk;
use super::{SpecErrors, pointer};

/// What the canonical spec says about one dialect, gathered while checking.
#[derive(Debug, Default)]
struct Coverage {
    operations: BTreeSet<String>,
    /// (operationId, parameter name)
    parameters: BTreeSet<(String, String)>,
    credentials: BTreeSet<String>,
    fields: BTreeSet<FieldAddress>,
    /// Success wrappers and error envelopes: their fields are the envelope's, not the profile's.
    envelopes: BTreeSet<String>,
    dialect_only: Vec<(DialectOnlyItem, String)>,
}

impl Coverage {
    fn covers_field(&self, field: &FieldAddress) -> bool {
        self.fields.iter().any(|covered| {
            covered.schema == field.schema
                && (covered.pointer == field.pointer
                    || field.pointer.starts_with(&format!("{}/", covered.pointer)))
        })
    }
}

/// Runs the cross-check; problems are reported in the file where they can be fixed.
pub fn cross_check(
    canonical: &Document,
    dialects: &BTreeMap<Dialect, &Document>,
    errors: &mut SpecErrors,
) {
    let mut coverage: BTreeMap<Dialect, Coverage> = Dialect::VENDORS
        .iter()
        .map(|d| (*d, Coverage::default()))
        .collect();
    let mut checker = Checker {
        canonical,
        dialects,
        errors,
        coverage: &mut coverage,
    };
    checker.dialect_links();
    checker.operations();
    checker.schemas();
    checker.dialect_only();
    checker.envelopes();
    checker.completeness();
}

struct Checker<'a> {
    canonical: &'a Document,
    dialects: &'a BTreeMap<Dialect, &'a Document>,
    errors: &'a mut SpecErrors,
    coverage: &'a mut BTreeMap<Dialect, Coverage>,
}

impl Checker<'_> {
    fn error(&mut self, at: &str, message: impl Into<String>) {
        let error = self.canonical.error_at(at, message);
        self.errors.push(error);
    }

    fn coverage(&mut self, dialect: Dialect) -> &mut Coverage {
        self.coverage.entry(dialect).or_default()
    }

    /// `{dialect: value}` entries of an `x-mapping`-like object, unknown dialect names reported.
    fn per_dialect<'v>(&mut self, at: &str, value: &'v Value) -> Vec<(Dialect, &'v Value, String)> {
        let Some(object) = value.as_object() else {
            self.error(at, "must be a mapping from dialect name to its value");
            return Vec::new();
        };
        let mut found = Vec::new();
        for (name, value) in object {
            let here = pointer::join(at, name);
            match Dialect::from_name(name).filter(|d| *d != Dialect::Canonical) {
                Some(dialect) if self.dialects.contains_key(&dialect) => {
                    found.push((dialect, value, here))
                }
                Some(_) => {}
                None => self.error(
                    &here,
                    format!("{name:?} is not a dialect (manage, rpc, community, billing, cl2c)"),
                ),
            }
        }
        found
    }

    fn dialect_links(&mut self) {
        let Some(links) = self.canonical.raw.get("x-dialects") else {
            return self.error(
                "",
                "no x-dialects: name each dialect's spec and map the credentials",
            );
        };
        let canonical_schemes = scheme_names(&self.canonical.raw);
        for (dialect, value, here) in self.per_dialect("/x-dialects", links) {
            let link: ext::DialectLink = match ext::typed(value.clone(), "x-dialects entry") {
                Ok(link) => link,
                Err(message) => {
                    self.error(&here, message);
                    continue;
                }
            };
            if link.spec != dialect.spec_file() {
                self.error(
                    &pointer::join(&here, "spec"),
                    format!(
                        "the {dialect} spec is {}, not {}",
                        dialect.spec_file(),
                        link.spec
                    ),
                );
            }
            let dialect_schemes = scheme_names(&self.dialects[&dialect].raw);
            for (canonical_scheme, dialect_scheme) in &link.credentials {
                let at = pointer::join(&pointer::join(&here, "credentials"), canonical_scheme);
                if !canonical_schemes.contains(canonical_scheme) {
                    self.error(
                        &at,
                        format!("canonical.yaml has no security scheme {canonical_scheme}"),
                    );
                }
                if dialect_schemes.contains(dialect_scheme) {
                    self.coverage(dialect)
                        .credentials
                        .insert(dialect_scheme.clone());
                } else {
                    self.error(
                        &at,
                        format!(
                            "{dialect} has no security scheme {dialect_scheme} (it has: {})",
                            join(&dialect_schemes)
                        ),
                    );
                }
            }
        }
        for dialect in self.dialects.keys().copied().collect::<Vec<_>>() {
            if links.get(dialect.name()).is_none() {
                self.error("/x-dialects", format!("no entry for dialect {dialect}"));
            }
        }
    }

    fn operations(&mut self) {
        for operation in check::operations(&self.canonical.raw) {
            let label = operation.label();
            let at = pointer::join(&operation.pointer, "x-mapping");
            let Some(value) = operation.value.get("x-mapping") else {
                self.error(
                    &operation.pointer,
                    format!("canonical operation {label} has no x-mapping"),
                );
                continue;
            };
            let entries = self.per_dialect(&at, value);
            for dialect in self.dialects.keys().copied().collect::<Vec<_>>() {
                if !entries.iter().any(|(d, ..)| *d == dialect) {
                    self.error(&at, format!("canonical operation {label}: no mapping for {dialect} (map it, or say `unsupported: <reason>`)"));
                }
            }
            for (dialect, value, here) in entries {
                match ext::parse_operation_mapping(value) {
                    Ok(mapping) => self.operation_mapping(dialect, &operation, &mapping, &here),
                    Err(message) => self.error(
                        &here,
                        format!("canonical operation {label} → {dialect}: {message}"),
                    ),
                }
            }
        }
    }

    fn operation_mapping(
        &mut self,
        dialect: Dialect,
        canonical_op: &RawOperation<'_>,
        mapping: &OperationMapping,
        at: &str,
    ) {
        let OperationMapping::Supported {
            operation,
            parameters,
            request,
            response,
        } = mapping
        else {
            return;
        };
        let label = canonical_op.label();
        let document = &self.dialects[&dialect];
        let dialect_ops = check::operations(&document.raw);
        let Some(target) = dialect_ops
            .iter()
            .find(|op| op.id() == Some(operation.as_str()))
        else {
            let known: Vec<&str> = dialect_ops.iter().filter_map(RawOperation::id).collect();
            return self.error(&pointer::join(at, "operation"), format!(
                "canonical operation {label} → {dialect}: operation {operation} does not exist (it has: {})", known.join(", ")));
        };
        self.coverage(dialect).operations.insert(operation.clone());
        let canonical_params: Vec<String> = check::parameters(&self.canonical.raw, canonical_op)
            .iter()
            .map(|p| p.name().to_owned())
            .collect();
        let canonical_fields: BTreeSet<String> = check::request_schemas(canonical_op)
            .into_iter()
            .filter_map(|name| walk::component(&self.canonical.raw, name))
            .flat_map(|node| walk::property_names(&self.canonical.raw, node))
            .collect();
        let dialect_params: Vec<String> = check::parameters(&document.raw, target)
            .iter()
            .map(|p| p.name().to_owned())
            .collect();
        for (canonical_name, dialect_name) in parameters {
            let here = pointer::join(&pointer::join(at, "parameters"), canonical_name);
            if !canonical_params.contains(canonical_name)
                && !canonical_fields.contains(canonical_name)
            {
                self.error(&here, format!("canonical operation {label} has no parameter or body field {canonical_name}"));
            }
            if dialect_name == "$caller" {
                continue;
            }
            if dialect_name.contains('#') {
                self.address(
                    dialect,
                    dialect_name,
                    &here,
                    &format!("canonical operation {label}, parameter {canonical_name}"),
                );
            } else if dialect_params.contains(dialect_name) {
                self.coverage(dialect)
                    .parameters
                    .insert((operation.clone(), dialect_name.clone()));
            } else {
                self.error(&here, format!(
                    "canonical operation {label}, parameter {canonical_name} → {dialect}: {operation} has no parameter {dialect_name} (it has: {})",
                    if dialect_params.is_empty() { "none".into() } else { dialect_params.join(", ") }));
            }
        }
        if let Some(request) = request {
            let schemas = check::request_schemas(target);
            if !schemas.contains(&request.as_str()) {
                self.error(&pointer::join(at, "request"), format!(
                    "canonical operation {label} → {dialect}: {operation}'s request bodies are {}, not {request}", join_strs(&schemas)));
            }
        }
        let success = check::success_schemas(&document.raw, target);
        match response.as_deref() {
            Some("") => {}
            Some(response_pointer) => {
                let mut reached = false;
                for schema in &success {
                    let address = FieldAddress {
                        schema: (*schema).to_owned(),
                        pointer: response_pointer.to_owned(),
                    };
                    if let Ok(trail) = walk::walk(&document.raw, &address) {
                        reached = true;
                        self.coverage(dialect).fields.extend(trail);
                    }
                }
                if !reached {
                    self.error(&pointer::join(at, "response"), format!(
                        "canonical operation {label} → {dialect}: response {response_pointer} is not in {operation}'s success body ({})", join_strs(&success)));
                }
                let envelopes = &mut self.coverage(dialect).envelopes;
                envelopes.extend(success.iter().map(|s| (*s).to_owned()));
            }
            None => {
                let envelopes = &mut self.coverage(dialect).envelopes;
                envelopes.extend(success.iter().map(|s| (*s).to_owned()));
            }
        }
    }

    /// Checks one field address in a dialect and records what it covers.
    fn address(&mut self, dialect: Dialect, text: &str, at: &str, what: &str) {
        let address = match FieldAddress::parse(text) {
            Ok(address) => address,
            Err(message) => return self.error(at, format!("{what} → {dialect}: {message}")),
        };
        match walk::walk(&self.dialects[&dialect].raw, &address) {
            Ok(trail) => self.coverage(dialect).fields.extend(trail),
            Err(message) => self.error(at, format!("{what} → {dialect}: {address}: {message}")),
        }
    }

    fn schemas(&mut self) {
        let raw = &self.canonical.raw;
        let names: Vec<String> = raw
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|schemas| schemas.keys().cloned().collect())
            .unwrap_or_default();
        for name in names {
            let at = format!("/components/schemas/{}", pointer::escape(&name));
            if let Some(value) = raw.pointer(&at).and_then(|schema| schema.get("x-mapping")) {
                let here = pointer::join(&at, "x-mapping");
                for (dialect, value, entry) in self.per_dialect(&here, value) {
                    let targets = match ext::one_or_many(value, "schema x-mapping") {
                        Ok(targets) => targets,
                        Err(message) => {
                            self.error(&entry, message);
                            continue;
                        }
                    };
                    for target in targets {
                        if walk::component(&self.dialects[&dialect].raw, &target).is_none() {
                            self.error(&entry, format!("canonical schema {name} → {dialect}: schema {target} does not exist"));
                        }
                    }
                }
            }
            for (field, field_at) in walk::fields(raw, &name) {
                let Some(value) = raw
                    .pointer(&field_at)
                    .and_then(|property| property.get("x-mapping"))
                else {
                    continue;
                };
                let here = pointer::join(&field_at, "x-mapping");
                let what = format!(
                    "canonical field {name}.{}",
                    field.pointer.trim_start_matches('/').replace('/', ".")
                );
                for (dialect, value, entry) in self.per_dialect(&here, value) {
                    match ext::one_or_many(value, "field x-mapping") {
                        Ok(addresses) => {
                            for address in addresses {
                                self.address(dialect, &address, &entry, &what);
                            }
                        }
                        Err(message) => self.error(&entry, format!("{what}: {message}")),
                    }
                }
            }
        }
    }

    fn dialect_only(&mut self) {
        let Some(value) = self.canonical.raw.get("x-dialect-only") else {
            return;
        };
        for (dialect, value, here) in self.per_dialect("/x-dialect-only", value) {
            let Some(items) = value.as_array() else {
                self.error(
                    &here,
                    "must be a list of {field|operation|parameter|credential, reason}",
                );
                continue;
            };
            for (index, item) in items.iter().enumerate() {
                let at = pointer::join(&here, &index.to_string());
                match ext::parse_dialect_only(item) {
                    Ok((entry, reason)) => {
                        if let Some(problem) = self.dialect_only_problem(dialect, &entry) {
                            self.error(&at, format!("x-dialect-only {dialect} {entry}: {problem}"));
                        }
                        self.coverage(dialect).dialect_only.push((entry, reason));
                    }
                    Err(message) => self.error(&at, message),
                }
            }
        }
    }

    /// Whether a dialect-only entry names something that exists and is not also mapped.
    fn dialect_only_problem(&self, dialect: Dialect, entry: &DialectOnlyItem) -> Option<String> {
        let raw = &self.dialects[&dialect].raw;
        let coverage = &self.coverage[&dialect];
        let operations = check::operations(raw);
        match entry {
            DialectOnlyItem::Field(address) => match walk::walk(raw, address) {
                Err(message) => Some(message),
                Ok(_) if coverage.fields.contains(address) => {
                    Some("it is mapped too: drop one".into())
                }
                Ok(_) => None,
            },
            DialectOnlyItem::Operation(id) => {
                if !operations.iter().any(|op| op.id() == Some(id.as_str())) {
                    Some("no such operation".into())
                } else if coverage.operations.contains(id) {
                    Some("it is mapped too: drop one".into())
                } else {
                    None
                }
            }
            DialectOnlyItem::Parameter { operation, name } => {
                let Some(op) = operations
                    .iter()
                    .find(|op| op.id() == Some(operation.as_str()))
                else {
                    return Some("no such operation".into());
                };
                if !check::parameters(raw, op).iter().any(|p| p.name() == name) {
                    Some("no such parameter".into())
                } else if coverage
                    .parameters
                    .contains(&(operation.clone(), name.clone()))
                {
                    Some("it is mapped too: drop one".into())
                } else {
                    None
                }
            }
            DialectOnlyItem::Credential(scheme) => {
                if !scheme_names(raw).contains(scheme) {
                    Some("no such security scheme".into())
                } else if coverage.credentials.contains(scheme) {
                    Some("it is mapped too: drop one".into())
                } else {
                    None
                }
            }
        }
    }

    /// Error envelopes are covered by `x-error-envelope`, not by field mappings.
    fn envelopes(&mut self) {
        for (dialect, document) in self.dialects {
            if let Some(Ok(envelope)) = document
                .raw
                .get("x-error-envelope")
                .map(ext::parse_error_envelope)
            {
                for template in [envelope.validation, envelope.other] {
                    if let Some(name) = walk::component_name(&template.schema) {
                        self.coverage
                            .entry(*dialect)
                            .or_default()
                            .envelopes
                            .insert(name.to_owned());
                    }
                }
            }
        }
    }

    /// Everything of every dialect is mapped or dialect-only; reported in the dialect's file.
    fn completeness(&mut self) {
        for (dialect, document) in self.dialects {
            let coverage = &self.coverage[dialect];
            let listed = |item: &DialectOnlyItem| {
                coverage.dialect_only.iter().any(|(entry, _)| entry == item)
            };
            let raw = &document.raw;
            let mut problems: Vec<(String, String)> = Vec::new();
            for operation in check::operations(raw) {
                let Some(id) = operation.id() else { continue };
                if !coverage.operations.contains(id)
                    && !listed(&DialectOnlyItem::Operation(id.to_owned()))
                {
                    problems.push((operation.pointer.clone(), format!("{dialect} operation {id} is not mapped by canonical.yaml nor listed in its x-dialect-only")));
                }
                for parameter in check::parameters(raw, &operation) {
                    let key = (id.to_owned(), parameter.name().to_owned());
                    let item = DialectOnlyItem::Parameter {
                        operation: key.0.clone(),
                        name: key.1.clone(),
                    };
                    if !coverage.parameters.contains(&key) && !listed(&item) {
                        problems.push((parameter.pointer.clone(), format!("{dialect} parameter {id}:{} is not mapped by canonical.yaml nor listed in its x-dialect-only", key.1)));
                    }
                }
            }
            for scheme in scheme_names(raw) {
                if !coverage.credentials.contains(&scheme)
                    && !listed(&DialectOnlyItem::Credential(scheme.clone()))
                {
                    let at = format!("/components/securitySchemes/{}", pointer::escape(&scheme));
                    problems.push((at, format!("{dialect} credential {scheme} is not mapped in canonical.yaml's x-dialects nor listed in its x-dialect-only")));
                }
            }
            let schemas: Vec<String> = raw
                .pointer("/components/schemas")
                .and_then(Value::as_object)
                .map(|schemas| schemas.keys().cloned().collect())
                .unwrap_or_default();
            for name in schemas
                .iter()
                .filter(|name| !coverage.envelopes.contains(*name))
            {
                for (field, at) in walk::fields(raw, name) {
                    let only = coverage.dialect_only.iter().any(|(entry, _)| match entry {
                        DialectOnlyItem::Field(address) => {
                            address.schema == field.schema
                                && (address.pointer == field.pointer
                                    || field.pointer.starts_with(&format!("{}/", address.pointer)))
                        }
                        _ => false,
                    });
                    if !coverage.covers_field(&field) && !only {
                        problems.push((at, format!("{dialect} field {field} is not mapped by canonical.yaml nor listed in its x-dialect-only")));
                    }
                }
            }
            for (at, message) in problems {
                let error = document.error_at(&at, message);
                self.errors.push(error);
            }
        }
    }
}

fn scheme_names(raw: &Value) -> BTreeSet<String> {
    raw.pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .map(|schemes| schemes.keys().cloned().collect())
        .unwrap_or_default()
}

fn join(names: &BTreeSet<String>) -> String {
    names.iter().cloned().collect::<Vec<_>>().join(", ")
}

fn join_strs(names: &[&str]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}
