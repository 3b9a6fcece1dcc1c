//! Diagnosis before verdicts: a target that refuses the credentials or is not the API at all
//! ends the run with one line (exit 2), and no check passes on its answers.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

use std::path::Path;

mod support;

use conformance::{RunConfig, RunError, Target};
use generator::spec::ext::Dialect;
use reference::Fixtures;

fn run(
    dialect: Dialect,
    base_url: String,
    credentials: conformance::Credentials,
) -> Result<conformance::Report, RunError> {
    conformance::run(&RunConfig {
        cases: 2,
        ..RunConfig::new(
            Target::Dialect(dialect),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
            base_url,
            credentials,
        )
    })
}

fn diagnosis(outcome: Result<conformance::Report, RunError>) -> String {
    match outcome {
        Err(RunError::Diagnosis(line)) => line,
        Err(other) => panic!("expected a diagnosis, got {other}"),
        Ok(report) => panic!(
            "expected a diagnosis, got a report:\n{}",
            report.render_text()
        ),
    }
}

#[test]
fn a_wrong_key_is_named_once_not_reported_as_broken_rules() {
    let fixtures = Fixtures::default_set();
    let server = reference::start(fixtures.clone(), ([127, 0, 0, 1], 0).into()).unwrap();
    let mut credentials = support::reference_credentials(fixtures.face_credentials("billing"));
    credentials.api_key = Some("in-wrong-key-for-the-test".into());
    let line = diagnosis(run(
        Dialect::Billing,
        server.base_url("billing"),
        credentials,
    ));
    assert!(
        line.contains("refused the credentials") && line.contains("CONFORMANCE_API_KEY"),
        "{line}"
    );
    assert!(!line.contains("in-wrong-key-for-the-test"), "{line}");
}

#[test]
fn another_api_at_the_base_url_is_named() {
    let fixtures = Fixtures::default_set();
    let server = reference::start(fixtures.clone(), ([127, 0, 0, 1], 0).into()).unwrap();
    let credentials = support::reference_credentials(fixtures.face_credentials("billing"));
    // billing's checks against the community face: every answer is community's 404.
    let line = diagnosis(run(
        Dialect::Billing,
        server.base_url("community"),
        credentials,
    ));
    assert!(
        line.contains("does not look like this API") && line.contains("--base-url"),
        "{line}"
    );
}

#[test]
fn the_right_target_passes_the_diagnosis() {
    let fixtures = Fixtures::default_set();
    let server = reference::start(fixtures.clone(), ([127, 0, 0, 1], 0).into()).unwrap();
    let credentials = support::reference_credentials(fixtures.face_credentials("rpc"));
    let report = run(Dialect::Rpc, server.base_url("rpc"), credentials).unwrap();
    assert_eq!(report.failures(), 0, "{}", report.render_text());
}
