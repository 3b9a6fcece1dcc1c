//! Patterns beyond the regex crate: look-around is checked with fancy-regex, as ECMA-262
//! means it (spec/fixtures/edge_cases.yaml, `Item.slug`: lower-case letters, not `admin`).

use profile_api::edge_cases::Item;
use profile_api::support::Validate;

fn item(slug: &str) -> Item {
    serde_json::from_value(serde_json::json!({
        "type": "a",
        "self": 1,
        "name": "abc",
        "slug": slug,
    }))
    .expect("a valid Item")
}

fn pattern_errors(slug: &str) -> Vec<String> {
    item(slug)
        .validate()
        .into_iter()
        .filter(|error| error.field == "slug")
        .map(|error| format!("{} {}", error.kind, error.message))
        .collect()
}

#[test]
fn a_negative_look_ahead_rejects_what_it_excludes() {
    assert_eq!(
        pattern_errors("admin"),
        ["pattern This value does not match the required pattern."]
    );
}

#[test]
fn a_negative_look_ahead_accepts_everything_else() {
    for slug in ["team", "admins", "adm"] {
        assert!(pattern_errors(slug).is_empty(), "{slug}");
    }
    // The rest of the pattern still applies.
    assert_eq!(pattern_errors("Team").len(), 1);
}
