//! The mutation self-test: faulty variants of the reference server, each breaking one rule of
//! shared/dialects.md on one face. The harness must fail on every one, naming a check that
//! covers the broken rule. The kill rate is printed (`cargo test -p conformance --test
//! mutations -- --nocapture`).
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

use std::path::Path;

mod support;

use conformance::{RunConfig, Selection, Target};
use generator::spec::ext::Dialect;
use reference::Fixtures;
use reference::faults::Fault;

fn kill(dialect: Dialect) {
    let face: &'static str = dialect.name();
    let fixtures = Fixtures::default_set();
    let mut killed = 0;
    let mut survivors = Vec::new();
    let faults: Vec<Fault> = Fault::ALL
        .into_iter()
        .filter(|f| f.applies_to(face))
        .collect();
    assert!(faults.len() >= 6, "{face}: only {} faults", faults.len());
    for fault in &faults {
        let app = reference::app_with_fault(fixtures.clone(), Some((face, *fault)));
        let server = reference::start_app(app, ([127, 0, 0, 1], 0).into()).unwrap();
        let credentials = fixtures.face_credentials(face);
        let config = RunConfig {
            target: Target::Dialect(dialect),
            spec_dir: Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
            base_url: server.base_url(face),
            credentials: support::reference_credentials(credentials),
            seed: conformance::DEFAULT_SEED,
            cases: 3,
            selection: Selection::default(),
            destructive: false,
            limits: conformance::http::Limits::default(),
            progress: false,
        };
        let report = conformance::run(&config).unwrap();
        let failed: Vec<&str> = report
            .results
            .iter()
            .filter(|r| r.failed())
            .map(|r| r.check)
            .collect();
        if fault.caught_by().iter().any(|check| failed.contains(check)) {
            killed += 1;
        } else {
            survivors.push(format!(
                "{fault:?} (expected {:?}, failed {failed:?})",
                fault.caught_by()
            ));
        }
    }
    println!(
        "{face}: {killed}/{} faulty servers caught by the right check",
        faults.len()
    );
    assert!(survivors.is_empty(), "{face}: survivors: {survivors:#?}");
}

#[test]
fn manage_faults_are_caught() {
    kill(Dialect::Manage);
}

#[test]
fn rpc_faults_are_caught() {
    kill(Dialect::Rpc);
}

#[test]
fn community_faults_are_caught() {
    kill(Dialect::Community);
}

#[test]
fn billing_faults_are_caught() {
    kill(Dialect::Billing);
}

#[test]
fn cl2c_faults_are_caught() {
    kill(Dialect::Cl2c);
}

#[test]
fn canonical_faults_are_caught() {
    kill(Dialect::Canonical);
}
