//! The harness against the embedded reference server: every face passes every rule, and each
//! face's behaviour matrix is a reviewed snapshot — a change in behaviour fails CI until
//! someone accepts it with `cargo insta review`.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

use std::path::Path;

mod support;

use conformance::{Report, RunConfig, Target};
use generator::spec::ext::Dialect;
use reference::Fixtures;

pub fn run_against(
    base_url: String,
    dialect: Dialect,
    fixtures: &Fixtures,
    cases: u32,
    destructive: bool,
) -> Report {
    let face = fixtures.face_credentials(dialect.name());
    let config = RunConfig {
        cases,
        destructive,
        ..RunConfig::new(
            Target::Dialect(dialect),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
            base_url,
            support::reference_credentials(face),
        )
    };
    conformance::run(&config).unwrap()
}

fn check_face(dialect: Dialect) {
    let fixtures = Fixtures::default_set();
    let server = reference::start(fixtures.clone(), ([127, 0, 0, 1], 0).into()).unwrap();
    let url = server.base_url(dialect.name());
    let report = run_against(url.clone(), dialect, &fixtures, 10, true);
    assert_eq!(report.failures(), 0, "{}", report.render_text());
    let matrix = conformance::matrix::render(&report, &url);
    insta::assert_snapshot!(format!("reference_{}", dialect.name()), matrix);
    let text = report.render_text() + &report.render_json() + &report.render_junit() + &matrix;
    for secret in [
        "ref-app-key",
        "ref-token-alice",
        "ref-token-bob",
        "in-ref-key-alice",
        "ref-cl2c-key-alice",
        "ref-tenant",
    ] {
        assert!(!text.contains(secret), "{secret} leaked into a report");
    }
    // What ran is what the spec alone says can apply (the up-front selection check and
    // `--list-checks` rely on it).
    let api = conformance::load_api(
        &Target::Dialect(dialect),
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
    )
    .unwrap();
    for result in &report.results {
        let operation = api
            .operations
            .iter()
            .find(|o| o.id == result.operation)
            .unwrap();
        let check = conformance::checks::find(result.check).unwrap();
        assert!(
            conformance::applies::applies(&api, operation, check),
            "{} {} ran but applies() says it cannot",
            result.operation,
            result.check
        );
    }
}

#[test]
fn canonical_face_passes_every_rule() {
    check_face(Dialect::Canonical);
}

#[test]
fn manage_face_passes_every_rule() {
    check_face(Dialect::Manage);
}

#[test]
fn rpc_face_passes_every_rule() {
    check_face(Dialect::Rpc);
}

#[test]
fn community_face_passes_every_rule() {
    check_face(Dialect::Community);
}

#[test]
fn billing_face_passes_every_rule() {
    check_face(Dialect::Billing);
}

#[test]
fn cl2c_face_passes_every_rule() {
    check_face(Dialect::Cl2c);
}

/// One store, six faces: a change through one is what the others read.
#[test]
fn a_change_through_one_face_is_visible_through_the_others() {
    let fixtures = Fixtures::default_set();
    let server = reference::start(fixtures.clone(), ([127, 0, 0, 1], 0).into()).unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let http = reqwest::Client::new();
        let cl2c = fixtures.face_credentials("cl2c");
        let answer = http
            .put(format!("{}/v1/cl2c/user", server.base_url("cl2c")))
            .header("tenant", cl2c.tenant.unwrap())
            .header("X-API-Key", cl2c.api_key.unwrap())
            .json(&serde_json::json!({"firstName": "Alicia", "lastName": "Through-Cl2c"}))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        let manage = fixtures.face_credentials("manage");
        let read: serde_json::Value = http
            .get(format!(
                "{}/Documentation/en/Developer/APIs/UserManagement/ManageUserProfile",
                server.base_url("manage")
            ))
            .query(&[("user_id", manage.user_id.unwrap())])
            .header("X-API-Key", manage.api_key.unwrap())
            .bearer_auth(manage.token.unwrap())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(read["data"]["first_name"], "Alicia", "{read}");
        assert_eq!(read["data"]["last_name"], "Through-Cl2c", "{read}");
        let canonical = fixtures.face_credentials("canonical");
        let read: serde_json::Value = http
            .get(format!(
                "{}/profiles/{}",
                server.base_url("canonical"),
                canonical.user_id.unwrap()
            ))
            .header("X-API-Key", canonical.api_key.unwrap())
            .bearer_auth(canonical.token.unwrap())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(read["first_name"], "Alicia", "{read}");
    });
}
