//! The canonical ↔ dialect mapping of `canonical.yaml`, read into plain data for the adapter
//! emitter (the cross-check in `spec::mapping` has already proved every entry points at
//! something that exists).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::spec::ext::{self, Dialect, FieldAddress, OperationMapping};
use crate::spec::{Document, walk};

/// Everything the canonical spec says about one dialect.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DialectMapping {
    /// Canonical security scheme → dialect security scheme.
    pub credentials: BTreeMap<String, String>,
    pub operations: Vec<OperationLink>,
    /// Canonical schema → the dialect schemas it stands for.
    pub schemas: BTreeMap<String, Vec<String>>,
    pub fields: Vec<FieldLink>,
}

/// A canonical operation and the dialect operation that does it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationLink {
    pub canonical: String,
    pub mapping: OperationMapping,
}

/// A canonical field and where the dialect keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldLink {
    /// Canonical component schema.
    pub schema: String,
    /// JSON pointer of the field inside the canonical schema (`/first_name`, `/tags/0/name`).
    pub pointer: String,
    pub dialect: Vec<FieldAddress>,
}

/// Reads the mapping for every vendor dialect.
pub fn read_mapping(canonical: &Document) -> BTreeMap<Dialect, DialectMapping> {
    let raw = &canonical.raw;
    let mut mappings: BTreeMap<Dialect, DialectMapping> = Dialect::VENDORS
        .iter()
        .map(|d| (*d, DialectMapping::default()))
        .collect();
    let per_dialect = |value: &Value| -> Vec<(Dialect, Value)> {
        value
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(name, value)| {
                Some((
                    Dialect::from_name(name).filter(|d| *d != Dialect::Canonical)?,
                    value.clone(),
                ))
            })
            .collect()
    };
    if let Some(links) = raw.get("x-dialects") {
        for (dialect, value) in per_dialect(links) {
            if let Ok(link) = ext::typed::<ext::DialectLink>(value, "x-dialects") {
                mappings.entry(dialect).or_default().credentials = link.credentials;
            }
        }
    }
    for operation in crate::spec::operations(raw) {
        let Some(value) = operation.value.get("x-mapping") else {
            continue;
        };
        for (dialect, value) in per_dialect(value) {
            if let Ok(mapping) = ext::parse_operation_mapping(&value) {
                let canonical = operation.id().unwrap_or_default().to_owned();
                mappings
                    .entry(dialect)
                    .or_default()
                    .operations
                    .push(OperationLink { canonical, mapping });
            }
        }
    }
    let names: Vec<String> = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    for name in names {
        if let Some(value) =
            walk::component(raw, &name).and_then(|node| node.value.get("x-mapping"))
        {
            for (dialect, value) in per_dialect(value) {
                if let Ok(targets) = ext::one_or_many(&value, "schema x-mapping") {
                    mappings
                        .entry(dialect)
                        .or_default()
                        .schemas
                        .insert(name.clone(), targets);
                }
            }
        }
        for (field, at) in walk::fields(raw, &name) {
            let Some(value) = raw.pointer(&at).and_then(|p| p.get("x-mapping")) else {
                continue;
            };
            for (dialect, value) in per_dialect(value) {
                let addresses = ext::one_or_many(&value, "field x-mapping")
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|text| FieldAddress::parse(text).ok())
                    .collect();
                mappings.entry(dialect).or_default().fields.push(FieldLink {
                    schema: name.clone(),
                    pointer: field.pointer.clone(),
                    dialect: addresses,
                });
            }
        }
    }
    mappings
}
