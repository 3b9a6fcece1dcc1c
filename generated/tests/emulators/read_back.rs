//! The canonical read-after-write check: what a canonical write sent, field by field, against
//! what the vendor answers on the next read, for every canonical field the canonical spec
//! maps onto the vendor.

use std::collections::{BTreeMap, BTreeSet};

use profile_api::canonical;
use serde::Serialize;
use serde_json::Value;

use crate::coverage;

/// A canonical field the vendor maps but does not give back as written, and why; the
/// vendor's test asserts what it gives back instead.
#[derive(Debug, Clone, Copy)]
pub struct NotReadBack {
    pub field: &'static str,
    pub reason: &'static str,
}

/// `read` (a canonical `Profile`) holds every value `written` (a canonical `ProfilePatch` or
/// `ProfileReplace`) gave to a canonical field mapped onto `dialect`, but the `not_read_back`
/// ones; and `written` gives a value to every one of those fields, so that the check covers
/// everything the vendor supports. Returns the fields compared.
pub fn assert_read_back(
    dialect: &str,
    what: &str,
    written: &impl Serialize,
    read: &canonical::types::Profile,
    not_read_back: &[NotReadBack],
) -> BTreeSet<String> {
    let mapped = coverage::patch_fields(dialect);
    let excluded: BTreeSet<String> = not_read_back
        .iter()
        .map(|field| field.field.to_owned())
        .collect();
    let stale: Vec<_> = excluded.difference(&mapped).collect();
    assert!(
        stale.is_empty(),
        "{dialect}: fields listed as not read back that the spec does not map: {stale:?}"
    );
    let written = serde_json::to_value(written).expect("a canonical body serializes");
    let read = serde_json::to_value(read).expect("a canonical profile serializes");
    let compared: BTreeSet<String> = mapped.difference(&excluded).cloned().collect();
    for field in &compared {
        let sent = written.get(field.as_str()).unwrap_or(&Value::Null);
        assert!(
            !sent.is_null(),
            "{dialect} {what}: the write gives no value to `{field}`, which the vendor maps"
        );
        assert_eq!(
            read.get(field.as_str()).unwrap_or(&Value::Null),
            sent,
            "{dialect} {what}: `{field}` read back differs from what was written"
        );
    }
    let mut by_reason: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for field in not_read_back {
        by_reason.entry(field.reason).or_default().push(field.field);
    }
    let skipped: String = by_reason
        .iter()
        .map(|(reason, fields)| format!("; not compared: {} ({reason})", fields.join(", ")))
        .collect();
    println!(
        "{dialect} {what}: read back {}{skipped}",
        Vec::from_iter(compared.iter().map(String::as_str)).join(", ")
    );
    compared
}

/// The canonical problem of an error answer carried over from the dialect: its status, a
/// detail, and, for a validation error, the messages under the canonical field names.
pub fn assert_problem(
    what: &str,
    problem: &canonical::types::Problem,
    status: i64,
    fields: &[&str],
) {
    assert_eq!(problem.status, status, "{what}: the problem's status");
    assert!(
        !problem.detail.is_empty(),
        "{what}: the problem has a detail"
    );
    if fields.is_empty() {
        return;
    }
    let errors = problem
        .errors
        .as_ref()
        .unwrap_or_else(|| panic!("{what}: a validation problem has errors: {problem:?}"));
    let named: BTreeSet<&str> = errors.keys().map(String::as_str).collect();
    assert_eq!(
        named,
        fields.iter().copied().collect(),
        "{what}: the fields of the problem's errors"
    );
    assert!(
        errors
            .values()
            .all(|messages| !messages.is_empty()
                && messages.iter().all(|message| !message.is_empty())),
        "{what}: every field has messages: {errors:?}"
    );
}
