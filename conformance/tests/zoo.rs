//! The harness on a spec nobody wrote for it (zoo/openapi.yaml: a plain pet API, no
//! extensions, no --user-id): the correct server passes with every operation exercised and no
//! warning; each planted bug the harness can see is caught by the check named for it, on the
//! operation that has it. `zoo/measure.py` compares the harness with Schemathesis on every
//! variant, the ones the harness does not catch yet included.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

use std::path::Path;

use conformance::{Credentials, Outcome, RunConfig, Target};
use zoo::Bug;

fn run(bug: Bug) -> conformance::Report {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    run_spec(bug, &root.join("zoo/openapi.yaml"))
}

fn run_spec(bug: Bug, spec: &Path) -> conformance::Report {
    run_with(bug, spec, false)
}

fn run_with(bug: Bug, spec: &Path, strict: bool) -> conformance::Report {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (address, _server) = runtime
        .block_on(zoo::start(bug, ([127, 0, 0, 1], 0).into()))
        .unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let config = RunConfig {
        seed: 1,
        strict,
        ..RunConfig::new(
            Target::Spec(spec.to_owned()),
            root.join("spec"),
            format!("http://{address}"),
            Credentials {
                token: Some(zoo::TOKEN.into()),
                ..Credentials::default()
            },
        )
    };
    let report = std::thread::spawn(move || conformance::run(&config).unwrap())
        .join()
        .unwrap();
    drop(runtime);
    report
}

#[test]
fn the_correct_server_passes_with_every_operation_exercised() {
    let report = run(Bug::from_name("none").unwrap());
    assert_eq!(report.failures(), 0, "{}", report.render_text());
    assert_eq!(report.warnings(), 0, "{}", report.render_text());
    assert!(report.unexercised().is_empty(), "{}", report.render_text());
}

#[test]
fn planted_bugs_are_caught_by_their_check_on_their_operation() {
    // (bug, check, operation): what the harness catches today.
    let expected = [
        ("server-error-long-name", "CF500", "createPet"),
        ("unknown-id-500", "CF301", "getPet"),
        ("response-schema-violation", "CF401", "getPet"),
        ("wrong-content-type", "CF402", "getPet"),
        ("auth-not-enforced", "CF200", "deletePet"),
        ("query-enum-not-validated", "CF112", "listPets"),
        ("query-bounds-not-validated", "CF103", "listPets"),
        ("null-then-read-500", "CF308", "createPet"),
        ("use-after-delete", "CF308", "createPet"),
        ("created-id-unreadable", "CF308", "createPet"),
        ("pagination-overflow", "CF103", "listPets"),
        ("header-pattern-ignored", "CF110", "listPets"),
        ("required-not-enforced", "CF120", "createPet"),
        ("max-length-not-enforced", "CF101", "createPet"),
        ("malformed-json-500", "CF501", "createPet"),
        ("error-body-wrong-shape", "CF400", "getPet"),
        ("query-array-not-validated", "CF110", "listPets"),
        ("oneof-not-validated", "CF120", "createPetEvent"),
        ("patch-ignores-field", "CF304", "updatePet"),
        ("put-drops-nested-object", "CF304", "replacePet"),
        ("unsupported-media-type-accepted", "CF503", "createPet"),
        ("wrong-type-accepted", "CF114", "createPet"),
        ("read-only-id-accepted", "CF303", "createPet"),
        ("location-header-missing", "CF404", "createPet"),
        ("nullable-rejected", "CF100", "updatePet"),
        ("list-ignores-offset", "CF309", "listPets"),
    ];
    let mut missed = Vec::new();
    for (name, check, operation) in expected {
        let bug = Bug::from_name(name).unwrap_or_else(|| panic!("no bug {name}"));
        let report = run(bug);
        let caught = report.results.iter().any(|r| {
            r.check == check && r.operation == operation && matches!(r.outcome, Outcome::Failed(_))
        });
        if !caught {
            missed.push(format!(
                "{name}: {check} on {operation}\n{}",
                report.render_text()
            ));
        }
    }
    assert!(missed.is_empty(), "{}", missed.join("\n\n"));
}

/// An undocumented status is a warning, and with --strict a failure.
#[test]
fn an_undocumented_status_is_a_warning_then_a_failure_with_strict() {
    let report = run(Bug::from_name("undocumented-status").unwrap());
    assert!(
        report
            .results
            .iter()
            .any(|r| r.check == "CF403" && matches!(r.outcome, Outcome::Warning(_))),
        "{}",
        report.render_text()
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let strict = run_with(
        Bug::from_name("undocumented-status").unwrap(),
        &root.join("zoo/openapi.yaml"),
        true,
    );
    assert!(
        strict.results.iter().any(|r| r.check == "CF403"
            && r.operation == "listPets"
            && matches!(r.outcome, Outcome::Failed(_))),
        "{}",
        strict.render_text()
    );
}

/// Without a create, ids come from the API itself: the first pet `GET /pets` lists (and the
/// spec's example where no list answers). Every operation but the DELETE is exercised on it,
/// and a bug on the item is still caught there.
#[test]
fn without_a_create_ids_come_from_the_list() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = std::fs::read_to_string(root.join("zoo/openapi.yaml")).unwrap();
    let start = spec.find("  /pets:\n    post:").unwrap() + "  /pets:\n".len();
    let end = spec.find("    get:\n      operationId: listPets").unwrap();
    let no_create = format!("{}{}", &spec[..start], &spec[end..]);
    let path = std::env::temp_dir().join(format!("zoo-no-create-{}.yaml", std::process::id()));
    std::fs::write(&path, no_create).unwrap();

    let report = run_spec(Bug::from_name("none").unwrap(), &path);
    assert_eq!(report.failures(), 0, "{}", report.render_text());
    let unexercised: Vec<&str> = report
        .unexercised()
        .iter()
        .map(|c| c.operation.as_str())
        .collect();
    assert_eq!(unexercised, ["deletePet"], "{}", report.render_text());

    let report = run_spec(Bug::from_name("response-schema-violation").unwrap(), &path);
    std::fs::remove_file(&path).unwrap();
    assert!(
        report.results.iter().any(|r| r.check == "CF401"
            && r.operation == "getPet"
            && matches!(r.outcome, Outcome::Failed(_))),
        "{}",
        report.render_text()
    );
}

/// The same API written as OpenAPI 3.1 (`type: [string, "null"]` for `nullable: true`): read
/// through the same front end, it passes on the correct server and catches a nullable field
/// refused.
#[test]
fn the_zoo_as_openapi_3_1_reads_and_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = std::fs::read_to_string(root.join("zoo/openapi.yaml")).unwrap();
    let mut converted = spec.replacen("openapi: 3.0.3", "openapi: 3.1.0", 1);
    for ty in ["string", "integer"] {
        for indent in [8, 10] {
            let pad = " ".repeat(indent);
            converted = converted.replace(
                &format!("{pad}type: {ty}\n{pad}nullable: true\n"),
                &format!("{pad}type: [{ty}, \"null\"]\n"),
            );
        }
    }
    assert!(!converted.contains("nullable: true"), "{converted}");
    let path = std::env::temp_dir().join(format!("zoo-3-1-{}.yaml", std::process::id()));
    std::fs::write(&path, converted).unwrap();

    let report = run_spec(Bug::from_name("none").unwrap(), &path);
    assert_eq!(report.failures(), 0, "{}", report.render_text());
    assert!(report.unexercised().is_empty(), "{}", report.render_text());

    let report = run_spec(Bug::from_name("nullable-rejected").unwrap(), &path);
    std::fs::remove_file(&path).unwrap();
    assert!(
        report.results.iter().any(|r| r.check == "CF100"
            && r.operation == "updatePet"
            && matches!(r.outcome, Outcome::Failed(_))),
        "{}",
        report.render_text()
    );
}
