//! The per-dialect summary `cargo xtask spec` prints.

use std::fmt;

use serde_json::Value;

use super::check;
use super::ext::Dialect;
use super::set::SpecSet;
use super::walk;

/// Counts for one spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub operations: usize,
    /// Schema properties (inline ones included) and non-credential parameters.
    pub fields: usize,
    /// Schema keywords that restrict a value.
    pub constraints: usize,
    /// `x-rules` items, plus field rules (`x-privileged`, `x-unique`, `x-key-of`) and
    /// credential rules (one per scheme an operation requires).
    pub rules: usize,
    /// For the canonical spec: fields mapped onto a dialect; for a dialect: fields listed dialect-only.
    pub mapped_or_dialect_only: usize,
}

const CONSTRAINTS: &[&str] = &[
    "maxLength",
    "minLength",
    "pattern",
    "format",
    "enum",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "maxItems",
    "minItems",
    "uniqueItems",
    "readOnly",
];

/// Counts a schema-like node's constraints.
fn constraints_of(value: &Value) -> usize {
    CONSTRAINTS
        .iter()
        .filter(|keyword| value.get(**keyword).is_some())
        .count()
}

pub fn summarize(set: &SpecSet, dialect: Dialect) -> Summary {
    let raw = &set.get(dialect).raw;
    let mut summary = Summary::default();
    for operation in check::operations(raw) {
        summary.operations += 1;
        summary.rules += operation
            .value
            .get("x-rules")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let security = operation
            .value
            .get("security")
            .or_else(|| raw.get("security"));
        summary.rules += security
            .and_then(Value::as_array)
            .and_then(|list| list.first())
            .and_then(Value::as_object)
            .map_or(0, |requirement| requirement.len());
        for parameter in check::parameters(raw, &operation) {
            summary.fields += 1;
            summary.constraints += parameter.value.get("schema").map_or(0, constraints_of)
                + usize::from(parameter.value.get("required") == Some(&Value::Bool(true)));
        }
    }
    let schemas: Vec<String> = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    for name in &schemas {
        if let Some(node) = walk::component(raw, name) {
            summary.constraints += node
                .value
                .get("required")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
        }
        for (_, at) in walk::fields(raw, name) {
            let Some(property) = raw.pointer(&at) else {
                continue;
            };
            summary.fields += 1;
            summary.constraints += constraints_of(property)
                + property
                    .get("required")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
            summary.rules += ["x-privileged", "x-unique", "x-key-of"]
                .iter()
                .filter(|key| property.get(**key).is_some())
                .count();
            if dialect == Dialect::Canonical {
                summary.mapped_or_dialect_only += usize::from(property.get("x-mapping").is_some());
            }
        }
    }
    if dialect != Dialect::Canonical {
        summary.mapped_or_dialect_only = set
            .get(Dialect::Canonical)
            .raw
            .pointer(&format!("/x-dialect-only/{}", dialect.name()))
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
    }
    summary
}

/// The whole table, one row per dialect.
#[derive(Debug, Clone)]
pub struct SummaryTable(pub Vec<(Dialect, Summary)>);

impl SummaryTable {
    pub fn of(set: &SpecSet) -> SummaryTable {
        SummaryTable(
            Dialect::ALL
                .iter()
                .map(|dialect| (*dialect, summarize(set, *dialect)))
                .collect(),
        )
    }
}

impl fmt::Display for SummaryTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<10} {:>10} {:>7} {:>12} {:>6}  mapped (canonical) / dialect-only",
            "dialect", "operations", "fields", "constraints", "rules"
        )?;
        for (dialect, summary) in &self.0 {
            writeln!(
                f,
                "{:<10} {:>10} {:>7} {:>12} {:>6}  {}",
                dialect.name(),
                summary.operations,
                summary.fields,
                summary.constraints,
                summary.rules,
                summary.mapped_or_dialect_only
            )?;
        }
        Ok(())
    }
}
