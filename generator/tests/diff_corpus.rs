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

/// The project's specs and the small real-world ones beside the workspace (when present):
/// each compared with itself, with its JSON twin and with a copy where every schema
/// reference is inlined is no change.
#[test]
fn real_specs_compared_with_themselves_have_no_changes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files: Vec<std::path::PathBuf> = [
        "spec/canonical.yaml",
        "spec/dialects/manage.yaml",
        "spec/dialects/rpc.yaml",
        "spec/dialects/community.yaml",
        "spec/dialects/billing.yaml",
        "spec/dialects/cl2c.yaml",
    ]
    .iter()
    .map(|f| root.join(f))
    .collect();
    if let Ok(entries) = std::fs::read_dir(root.join("../shared/corpus")) {
        files.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.metadata().is_ok_and(|m| m.len() < 1_000_000)),
        );
    }
    let mut compared = 0;
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let label = file.to_string_lossy().into_owned();
        // Some corpus specs are not valid OpenAPI 3.0: refused with a location, which is fine.
        let Ok(document) = parse_for_diff(&label, &text) else {
            continue;
        };
        let twin = parse_for_diff("twin.json", &document.to_string()).expect("the JSON twin");
        assert!(diff_values(&document, &document).is_empty(), "{label}");
        assert!(
            diff_values(&document, &twin).is_empty(),
            "{label} (JSON twin)"
        );
        let mut inlined = document.clone();
        inline_schema_refs(&document, &mut inlined);
        if text.contains("#/components/schemas/") {
            assert_ne!(inlined, document, "{label}: nothing inlined");
        }
        let moved = diff_values(&document, &inlined);
        assert!(moved.is_empty(), "{label}: schemas inlined: {moved:#?}");
        compared += 1;
    }
    assert!(compared >= 6, "{compared}");
}

/// Replaces every `$ref` to a component schema by a copy of the schema (one level: the copy
/// keeps its own references), as if the spec had never used `components`.
fn inline_schema_refs(root: &serde_json::Value, value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let target = map
                .get("$ref")
                .and_then(Value::as_str)
                .filter(|r| r.starts_with("#/components/schemas/"))
                .and_then(|r| root.pointer(&r[1..]));
            if let Some(target) = target {
                *value = target.clone();
                return;
            }
            for child in map.values_mut() {
                inline_schema_refs(root, child);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| inline_schema_refs(root, item)),
        _ => {}
    }
}

/// Documents that are not OpenAPI where OpenAPI is expected (every node of every corpus
/// document replaced in turn by a value of each other JSON type) are compared without a
/// panic, both ways.
#[test]
fn malformed_nodes_never_panic() {
    use serde_json::{Value, json};
    fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                    out.push(here.clone());
                    pointers(child, here, out);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    let here = format!("{at}/{index}");
                    out.push(here.clone());
                    pointers(child, here, out);
                }
            }
            _ => {}
        }
    }
    let replacements = [
        Value::Null,
        json!(1),
        json!("x"),
        json!([]),
        json!({}),
        json!(true),
        json!({"$ref": "#/nowhere"}),
        json!({"$ref": "#"}),
    ];
    let mut compared = 0;
    for case in corpus() {
        let mut all = Vec::new();
        pointers(&case.new, String::new(), &mut all);
        for pointer in all {
            for replacement in &replacements {
                let mut broken = case.new.clone();
                if let Some(node) = broken.pointer_mut(&pointer) {
                    *node = replacement.clone();
                }
                let _ = diff_values(&case.old, &broken);
                let _ = diff_values(&broken, &case.old);
                compared += 1;
            }
        }
    }
    assert!(compared > 1000, "{compared}");
}
