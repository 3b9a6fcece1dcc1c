//! The table of change ids in `generator/docs/api-diff-changes.md` is written from
//! `generator::diff::ChangeId`: this test rewrites it when it is stale and fails, so a
//! changed id cannot reach a commit without its documentation.

use std::path::Path;

#[test]
fn the_change_id_table_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/api-diff-changes.md");
    let table = generator::diff::changes_table();
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != table {
        std::fs::write(&path, &table).expect("write the table");
        panic!(
            "{} was stale and has been rewritten: review and commit it",
            path.display()
        );
    }
}

#[test]
fn ids_are_unique_kebab_case() {
    let mut seen = std::collections::BTreeSet::new();
    for change in generator::diff::ChangeId::ALL {
        let id = change.id();
        assert!(seen.insert(id), "{id} twice");
        assert!(
            id.split('-')
                .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase())),
            "{id}"
        );
        assert!(!change.description().is_empty(), "{id}");
    }
}
