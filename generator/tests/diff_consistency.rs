//! Canonical ↔ dialect consistency (`generator::diff::consistency`): the project's specs have
//! no undocumented inconsistency that breaks clients, and tightening a dialect field the
//! canonical spec maps onto is found.

use std::path::Path;

use generator::diff::consistency::check_consistency;
use generator::diff::{ChangeId, Level, parse_for_diff};
use generator::spec::ext::Dialect;
use serde_json::Value;

fn read(file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec")
        .join(file);
    parse_for_diff(file, &std::fs::read_to_string(path).expect("spec")).expect("parse")
}

fn check(canonical: &Value, dialects: &[(Dialect, Value)]) -> Vec<(Dialect, ChangeId, String)> {
    let refs: Vec<(Dialect, &Value)> = dialects.iter().map(|(d, v)| (*d, v)).collect();
    check_consistency(canonical, &refs)
        .into_iter()
        .filter(|i| i.finding.level() == Level::Error)
        .map(|i| (i.dialect, i.finding.id, i.field))
        .collect()
}

fn dialects() -> Vec<(Dialect, Value)> {
    Dialect::VENDORS
        .iter()
        .map(|d| (*d, read(&d.spec_file())))
        .collect()
}

#[test]
fn the_specs_have_no_undocumented_breaking_inconsistency() {
    let found = check(&read("canonical.yaml"), &dialects());
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_dialect_field_tighter_than_canonical_is_found() {
    let mut dialects = dialects();
    let manage = &mut dialects[0].1;
    let first_name = manage
        .pointer_mut("/components/schemas/ProfileUpdate/properties/first_name")
        .expect("manage's ProfileUpdate.first_name");
    first_name["maxLength"] = 200.into();
    let found = check(&read("canonical.yaml"), &dialects);
    assert!(
        found.contains(&(
            Dialect::Manage,
            ChangeId::RequestPropertyMaxLengthDecreased,
            "ProfileUpdate#/first_name".to_owned()
        )),
        "{found:#?}"
    );
}

#[test]
fn an_undocumented_difference_is_found() {
    let mut canonical = read("canonical.yaml");
    let phone = canonical
        .pointer_mut("/components/schemas/Profile/properties/phone_number")
        .and_then(Value::as_object_mut)
        .expect("canonical Profile.phone_number");
    phone.remove("x-mapping-differences");
    let found = check(&canonical, &dialects());
    assert!(
        found.contains(&(
            Dialect::Billing,
            ChangeId::RequestPropertyMaxLengthDecreased,
            "UserUpdate#/phone".to_owned()
        )),
        "{found:#?}"
    );
}

#[test]
fn documented_differences_name_known_dialects_and_ids() {
    use generator::diff::consistency::documentation_problems;
    let mut canonical = read("canonical.yaml");
    assert_eq!(documentation_problems(&canonical), Vec::new());
    let phone = canonical
        .pointer_mut("/components/schemas/Profile/properties/phone_number")
        .expect("canonical Profile.phone_number");
    phone["x-mapping-differences"]["manage"]["request-property-max-lenght-decreased"] =
        "typo".into();
    phone["x-mapping-differences"]["shop"] = serde_json::json!({"api-path-removed": ""});
    let problems: Vec<String> = documentation_problems(&canonical)
        .into_iter()
        .map(|(at, message)| format!("{at}: {message}"))
        .collect();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(
        problems[0].contains("unknown change id request-property-max-lenght-decreased"),
        "{problems:#?}"
    );
}
