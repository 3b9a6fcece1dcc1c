//! The snapshot tests' models, generated whole and compiled: the snapshots show a slice of
//! each emitter's output, and these crates prove that all of it builds with no warnings and
//! passes clippy, as the generated crate does.
//!
//! Each crate is written under `target/fixture-crates/` (a workspace of its own, with this
//! workspace's dependencies, lints and Cargo.lock) and checked with `cargo clippy --offline
//! -- -D warnings`. The first run builds the dependencies (about a minute on two cores);
//! later runs are incremental. It is `#[ignore]`d in plain `cargo test` and run by
//! `cargo xtask ci`: `cargo test -p generator --lib fixture_crates -- --ignored`.
//!
//! `CODEGEN_EXTRA_SPECS` (paths separated by `:`) adds one crate per OpenAPI file, generated
//! the same way: e.g. the real-world specs of `../shared/corpus/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::generate;
use super::support::RUNTIME_PACKAGE;
use crate::model::{Api, DialectMapping};
use crate::spec::ext::Dialect;

/// One crate: its package name and files (relative to the crate).
struct FixtureCrate {
    name: String,
    files: Vec<(PathBuf, String)>,
}

fn generated(
    name: &str,
    apis: &[Api],
    mappings: &BTreeMap<Dialect, DialectMapping>,
) -> FixtureCrate {
    let files = generate(apis, mappings)
        .unwrap_or_else(|error| panic!("fixture crate {name}: {error}"))
        .into_iter()
        .map(|file| (file.path, file.contents))
        .collect();
    FixtureCrate {
        name: name.to_owned(),
        files,
    }
}

fn fixture_crates() -> Vec<FixtureCrate> {
    let none = BTreeMap::new();
    let types: Vec<Api> = super::tests::fixtures()
        .into_iter()
        .map(|(_, api)| api)
        .collect();
    let mut crates = vec![
        generated("types", &types, &none),
        generated("server", &super::server::tests::fixtures(), &none),
        generated("client", &[super::client::tests::fixture()], &none),
    ];
    for (name, (canonical, dialect, mapping)) in super::adapters::tests::fixtures() {
        let Some(vendor) = dialect.dialect else {
            panic!("adapter fixture {name} has no dialect");
        };
        let mappings = BTreeMap::from([(vendor, mapping)]);
        crates.push(generated(
            &format!("adapters-{name}"),
            &[canonical, dialect],
            &mappings,
        ));
    }
    for path in std::env::var("CODEGEN_EXTRA_SPECS")
        .unwrap_or_default()
        .split(':')
        .filter(|path| !path.is_empty())
    {
        crates.push(from_spec(Path::new(path)));
    }
    crates
}

/// A crate generated from an OpenAPI file, its module named after the file.
fn from_spec(path: &Path) -> FixtureCrate {
    let document = crate::spec::load_document(path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let (mut api, _warnings) = crate::model::build_tolerant(&document)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    api.module = crate::model::names::module_for_file(path);
    let name = api.module.replace('_', "-");
    generated(&name, &[api], &BTreeMap::new())
}

/// Writes `text` unless the file holds it already (so that cargo's checks stay incremental).
fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return;
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("a fixture directory");
    }
    std::fs::write(path, text).expect("a fixture file");
}

/// This workspace's manifest with `members` replaced: the same dependencies, lints and
/// profiles (the generated manifests inherit them), minus the path dependencies but the
/// runtime's, which points at this repository's `runtime/` (so the crates depend on it by
/// path, as `generated/` does).
fn workspace_manifest(root: &Path, members: &[String]) -> String {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("the root Cargo.toml");
    let members = members
        .iter()
        .map(|member| format!("{member:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let runtime = root.join("runtime");
    let runtime_prefix = format!("{RUNTIME_PACKAGE} = ");
    manifest
        .lines()
        .filter(|line| !line.contains("path = ") || line.starts_with(&runtime_prefix))
        .map(|line| {
            if line.starts_with("members = ") {
                format!("members = [{members}]")
            } else if line.starts_with(&runtime_prefix) {
                format!("{runtime_prefix}{{ path = {:?} }}", runtime.display())
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
#[ignore = "runs cargo on every fixture crate (a minute the first time): cargo xtask ci runs it"]
fn snapshot_fixtures_compile_without_warnings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root");
    let dir = root.join("target").join("fixture-crates");
    let crates = fixture_crates();
    let members: Vec<String> = crates
        .iter()
        .map(|c| format!("crates/{}", c.name))
        .collect();
    write_if_changed(&dir.join("Cargo.toml"), &workspace_manifest(root, &members));
    if !dir.join("Cargo.lock").exists() {
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock");
    }
    for fixture in &crates {
        let base = dir.join("crates").join(&fixture.name);
        for (path, text) in &fixture.files {
            let text = if path.as_path() == Path::new("Cargo.toml") {
                text.replacen(
                    "name = \"profile-api\"",
                    &format!("name = \"fixture-{}\"", fixture.name),
                    1,
                )
            } else {
                text.clone()
            };
            write_if_changed(&base.join(path), &text);
        }
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "clippy",
            "--offline",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the fixture crates in {} do not pass clippy:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}
