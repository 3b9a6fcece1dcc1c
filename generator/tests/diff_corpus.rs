//! The table-driven test of `generator::diff`: every spec pair of `diff_corpus.yaml` gives
//! exactly its expected change ids and levels, every id is covered, and each document
//! compared with itself gives nothing.

use std::collections::BTreeSet;
use std::path::Path;

use generator::diff::corpus::{Case, parse_corpus};
use generator::diff::{ChangeId, diff_values, parse_for_diff};

fn corpus() -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff_corpus.yaml");
    parse_corpus(&std::fs::read_to_string(path).expect("the corpus")).expect("a valid corpus")
}

/// Through the same reader `api-diff` uses, so every document is a valid OpenAPI one.
fn read(case: &Case, name: &str, value: &serde_json::Value) -> serde_json::Value {
    let text = serde_json::to_string_pretty(value).expect("json");
    parse_for_diff(&format!("{}/{name}.json", case.name), &text)
        .unwrap_or_else(|e| panic!("case {}: {e}", case.name))
}

#[test]
fn every_pair_gives_exactly_its_expected_changes() {
    let cases = corpus();
    assert!(cases.len() >= 100, "{} cases", cases.len());
    let mut names = BTreeSet::new();
    let mut failures = Vec::new();
    for case in &cases {
        assert!(names.insert(case.name.clone()), "case {} twice", case.name);
        let (old, new) = (read(case, "old", &case.old), read(case, "new", &case.new));
        let findings = diff_values(&old, &new);
        let mut found: Vec<_> = findings.iter().map(|f| (f.level(), f.id)).collect();
        found.sort();
        if found != case.expect {
            let shown: Vec<String> = findings
                .iter()
                .map(|f| format!("{} {} at {}: {}", f.level(), f.id, f.location, f.message))
                .collect();
            failures.push(format!(
                "{}:\n  expected {:?}\n  found:\n    {}",
                case.name,
                case.expect
                    .iter()
                    .map(|(l, i)| format!("{l} {i}"))
                    .collect::<Vec<_>>(),
                shown.join("\n    ")
            ));
        }
        for (side, document) in [("old", &old), ("new", &new)] {
            let itself = diff_values(document, document);
            if !itself.is_empty() {
                failures.push(format!(
                    "{} ({side}) differs from itself: {itself:?}",
                    case.name
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn the_corpus_covers_every_change_id() {
    let covered: BTreeSet<ChangeId> = corpus()
        .iter()
        .flat_map(|c| c.expect.iter().map(|(_, id)| *id))
        .collect();
    let missing: Vec<&str> = ChangeId::ALL
        .iter()
        .filter(|id| !covered.contains(id))
        .map(|id| id.id())
        .collect();
    assert!(
        missing.is_empty(),
        "ids no corpus case expects: {missing:?}"
    );
}

#[test]
fn expected_levels_are_the_ids_levels() {
    for case in corpus() {
        for (level, id) in &case.expect {
            assert_eq!(*level, id.level(), "case {}: {id}", case.name);
        }
    }
}
