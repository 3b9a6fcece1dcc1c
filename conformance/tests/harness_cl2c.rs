//! The harness against a small hand-made cl2c server: the faithful one passes every rule,
//! and each faulty one fails exactly the rule it breaks, with a shrunk request.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod support;

use std::path::Path;

use conformance::{Credentials, Outcome, RunConfig, Selection, Target};
use generator::spec::ext::Dialect;
use support::cl2c::{self, Fault};

fn run(fault: Fault) -> conformance::Report {
    run_at(cl2c::spawn(fault))
}

fn run_at(base_url: String) -> conformance::Report {
    let credentials = Credentials {
        api_key: Some(cl2c::API_KEY.into()),
        tenant: Some(cl2c::TENANT.into()),
        user_id: Some(cl2c::USER_ID.into()),
        other_user_id: Some(cl2c::OTHER_USER_ID.into()),
        ..Credentials::default()
    };
    let config = RunConfig {
        cases: 8,
        ..RunConfig::new(
            Target::Dialect(Dialect::Cl2c),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
            base_url,
            credentials,
        )
    };
    conformance::run(&config).unwrap()
}

fn failed_checks(report: &conformance::Report) -> Vec<&'static str> {
    report
        .results
        .iter()
        .filter(|r| r.failed())
        .map(|r| r.check)
        .collect()
}

#[test]
fn the_faithful_server_passes_every_rule() {
    let report = run(Fault::None);
    assert_eq!(report.failures(), 0, "{}", report.render_text());
    let passed: Vec<&str> = report
        .results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Passed { .. }))
        .map(|r| r.check)
        .collect();
    for check in [
        "CF100", "CF101", "CF102", "CF110", "CF114", "CF120", "CF200", "CF201", "CF202", "CF300",
        "CF304", "CF400", "CF401", "CF500", "CF501", "CF502", "CF503", "CF504",
    ] {
        assert!(
            passed.contains(&check),
            "{check} did not pass:\n{}",
            report.render_text()
        );
    }
    let text = report.render_text();
    for secret in [cl2c::API_KEY, cl2c::TENANT] {
        assert!(
            !text.contains(secret)
                && !report.render_json().contains(secret)
                && !report.render_junit().contains(secret)
        );
    }
}

#[test]
fn each_fault_is_caught_by_its_rule() {
    let cases = [
        (Fault::NoMaxLength, "CF101"),
        (Fault::OffByOneMaxLength, "CF101"),
        (Fault::NoPattern, "CF110"),
        (Fault::TenantNotChecked, "CF200"),
        (Fault::WrongAuthEnvelope, "CF400"),
        (Fault::ServerErrorOnBadJson, "CF500"),
        (Fault::UpdateNotStored, "CF304"),
        (Fault::OwnershipNotEnforced, "CF300"),
        (Fault::RequiredNotEnforced, "CF120"),
    ];
    for (fault, check) in cases {
        let report = run(fault);
        let failed = failed_checks(&report);
        assert!(
            failed.contains(&check),
            "{fault:?} was not caught by {check}; failed: {failed:?}\n{}",
            report.render_text()
        );
        let text = report.render_text();
        assert!(
            !text.contains(cl2c::API_KEY) && !text.contains(cl2c::TENANT),
            "a secret leaked:\n{text}"
        );
        // Credentials appear as references to the variables that hold them.
        assert!(
            text.contains("\"X-API-Key: $CONFORMANCE_API_KEY\""),
            "{text}"
        );
    }
}

#[test]
fn failures_are_shrunk_and_reproducible() {
    let first = run(Fault::NoPattern);
    let second = run(Fault::NoPattern);
    // Only the server's port and the start time differ between the two runs.
    let normalised = |report: &conformance::Report| {
        let port = regex::Regex::new(r"127\.0\.0\.1:\d+").unwrap();
        let report = conformance::Report {
            timestamp: String::new(),
            ..report.clone()
        };
        port.replace_all(&report.render_json(), "127.0.0.1:PORT")
            .into_owned()
    };
    assert_eq!(
        normalised(&first),
        normalised(&second),
        "the same seed must give the same report"
    );
    let failure = |report: &conformance::Report| {
        report
            .results
            .iter()
            .find(|r| r.check == "CF110" && r.failed())
            .cloned()
            .unwrap()
    };
    let Outcome::Failed(failure) = failure(&first).outcome else {
        unreachable!()
    };
    assert_eq!(failure.field.as_deref(), Some("phoneNumber"));
    assert!(
        failure
            .sequence
            .last()
            .unwrap()
            .curl
            .starts_with("curl -X PUT"),
        "{failure:?}"
    );
}

#[test]
fn behaviour_matrices_are_snapshots_and_baselines() {
    let url = cl2c::spawn(Fault::None);
    let faithful = conformance::matrix::render(&run_at(url.clone()), &url);
    insta::assert_snapshot!("cl2c_faithful_matrix", faithful);
    // A vendor recorded with one known failure: the same failure passes the gate, a new one
    // does not.
    let faulty_url = cl2c::spawn(Fault::NoPattern);
    let recorded = conformance::matrix::render(&run_at(faulty_url.clone()), &faulty_url);
    let again = conformance::matrix::render(&run_at(faulty_url.clone()), &faulty_url);
    assert!(conformance::matrix::compare(&recorded, &again).holds());
    let worse_url = cl2c::spawn(Fault::OwnershipNotEnforced);
    let worse = conformance::matrix::render(&run_at(worse_url.clone()), &worse_url);
    let comparison = conformance::matrix::compare(&recorded, &worse);
    assert!(!comparison.holds(), "{}", comparison.render());
    assert!(
        comparison
            .new_failures
            .iter()
            .any(|(key, _)| key.contains("CF300")),
        "{}",
        comparison.render()
    );
    assert!(
        comparison.fixed.iter().any(|key| key.contains("CF110")),
        "{}",
        comparison.render()
    );
}

/// `--spec FILE`: the generic checks on a plain OpenAPI document (the cl2c spec with every
/// `x-` extension removed: no envelope templates, no rules).
#[test]
fn a_plain_spec_gets_the_generic_checks() {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.retain(|key, _| !key.starts_with("x-"));
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let spec_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let mut raw = generator::spec::load_document(&spec_dir.join("dialects/cl2c.yaml"))
        .unwrap()
        .raw;
    strip(&mut raw);
    let path = std::env::temp_dir().join(format!("plain-cl2c-{}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_string(&raw).unwrap()).unwrap();
    let run_plain = |fault| {
        let config = RunConfig {
            cases: 5,
            // Without x-rules the plain spec cannot say that a body `id` must be the caller's
            // (random ids get 403), and without x-error-envelope that an unreadable body gets
            // the default envelope at 400: exactly what the project's extensions add.
            selection: Selection::parse(&[], &["CF100,CF400".into()]).unwrap(),
            ..RunConfig::new(
                Target::Spec(path.clone()),
                spec_dir.clone(),
                cl2c::spawn(fault),
                Credentials {
                    api_key: Some(cl2c::API_KEY.into()),
                    tenant: Some(cl2c::TENANT.into()),
                    ..Credentials::default()
                },
            )
        };
        conformance::run(&config).unwrap()
    };
    let faithful = run_plain(Fault::None);
    assert_eq!(faithful.failures(), 0, "{}", faithful.render_text());
    assert!(faithful.results.len() >= 10, "{}", faithful.render_text());
    let broken = run_plain(Fault::NoMaxLength);
    assert!(
        failed_checks(&broken).contains(&"CF101"),
        "{}",
        broken.render_text()
    );
    let _ = std::fs::remove_file(&path);
}
