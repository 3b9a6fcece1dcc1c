//! The mutation self-test: faulty variants of the reference server, each breaking one rule of
//! shared/dialects.md on one face. The harness must fail on every one, naming a check that
//! covers the broken rule. The kill rate is printed (`cargo test -p conformance --test
//! mutations -- --nocapture`).
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

use std::path::Path;

mod support;

use conformance::{CheckResult, Outcome, RunConfig, Target};
use generator::spec::ext::Dialect;
use reference::Fixtures;
use reference::faults::Fault;

fn config(dialect: Dialect, base_url: String, fixtures: &Fixtures) -> RunConfig {
    RunConfig {
        cases: 3,
        ..RunConfig::new(
            Target::Dialect(dialect),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
            base_url,
            support::reference_credentials(fixtures.face_credentials(dialect.name())),
        )
    }
}

/// A failure the way the mutation table shows it: check, operation, field.
fn failure_of(result: &CheckResult) -> Option<(&'static str, String, Option<String>)> {
    match &result.outcome {
        Outcome::Failed(failure) => Some((
            result.check,
            result.operation.clone(),
            failure.field.clone(),
        )),
        _ => None,
    }
}

fn kill(dialect: Dialect) {
    let face: &'static str = dialect.name();
    let fixtures = Fixtures::default_set();
    // First the same run against the server without a fault: it must pass, or a "caught"
    // fault could be a failure the harness reports anyway.
    let clean = reference::start_app(
        reference::app_with_fault(fixtures.clone(), None),
        ([127, 0, 0, 1], 0).into(),
    )
    .unwrap();
    let report = conformance::run(&config(dialect, clean.base_url(face), &fixtures)).unwrap();
    assert_eq!(
        report.failures(),
        0,
        "{face}: the clean run failed:\n{}",
        report.render_text()
    );

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
        let report = conformance::run(&config(dialect, server.base_url(face), &fixtures)).unwrap();
        let failures: Vec<_> = report.results.iter().filter_map(failure_of).collect();
        // Caught only by the right check, on the right operation, on the right field.
        let operations = fault.caught_on(face);
        let caught = failures.iter().find(|(check, operation, field)| {
            fault.caught_by().contains(check)
                && (operations.is_empty() || operations.contains(&operation.as_str()))
                && fault
                    .caught_on_field()
                    .is_none_or(|fields| field.as_deref().is_some_and(|f| fields.contains(&f)))
        });
        match caught {
            Some((check, operation, field)) => {
                killed += 1;
                println!(
                    "{face:<10} {:<30} {check} {operation}{}",
                    format!("{fault:?}"),
                    field
                        .as_ref()
                        .map(|f| format!(" on {f}"))
                        .unwrap_or_default()
                );
            }
            None => survivors.push(format!(
                "{fault:?} (expected {:?} on {operations:?} field {:?}, failed {failures:?})",
                fault.caught_by(),
                fault.caught_on_field()
            )),
        }
    }
    println!(
        "{face}: {killed}/{} faulty servers caught by the right check on the right operation",
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
