//! `cargo xtask api-diff` as a pipeline runs it: every pair of the diff corpus
//! (`generator/tests/diff_corpus.yaml`) through the binary with `--format json` gives exactly
//! its expected ids; exit codes, allow-lists, formats and bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use generator::diff::corpus::parse_corpus;
use serde_json::Value;

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("api-diff")
        .args(args)
        .output()
        .expect("run xtask")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("api-diff")
        .join(name);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.to_string_lossy().into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const PETS: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object, properties: {name: {type: string, maxLength: 10}}}\n      responses: {'201': {description: made}}\n";

const NAME_POINTER: &str =
    "/paths/~1pets/post/requestBody/content/application~1json/schema/properties/name/maxLength";

#[test]
fn every_corpus_pair_gives_its_ids_through_the_binary() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/tests/diff_corpus.yaml");
    let cases = parse_corpus(&std::fs::read_to_string(corpus).expect("corpus")).expect("valid");
    let dir = scratch("corpus");
    let mut failures = Vec::new();
    for case in &cases {
        let old = write(
            &dir,
            &format!("{}.old.json", case.name),
            &case.old.to_string(),
        );
        let new = write(
            &dir,
            &format!("{}.new.json", case.name),
            &case.new.to_string(),
        );
        let output = xtask(&[&old, &new, "--format", "json"]);
        if !output.status.success() {
            failures.push(format!(
                "{}: exit {:?}: {}",
                case.name,
                output.status.code(),
                stderr(&output)
            ));
            continue;
        }
        let report: Value = serde_json::from_str(&stdout(&output)).expect("json output");
        let changes = report["changes"].as_array().cloned().unwrap_or_default();
        let mut found: Vec<(String, String)> = changes
            .iter()
            .map(|c| {
                let text = |key: &str| c[key].as_str().unwrap_or_default().to_owned();
                (text("level"), text("id"))
            })
            .collect();
        found.sort();
        let mut expected: Vec<(String, String)> = case
            .expect
            .iter()
            .map(|(level, id)| (level.to_string(), id.to_string()))
            .collect();
        expected.sort();
        if found != expected {
            failures.push(format!(
                "{}: expected {expected:?}, found {found:?}",
                case.name
            ));
        }
        for change in &changes {
            let location = change["location"].as_str().unwrap_or_default();
            if !location.starts_with('/') || change["message"].as_str().is_none() {
                failures.push(format!("{}: incomplete finding {change}", case.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} pairs:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn fail_on_and_allow_decide_the_exit_code() {
    let dir = scratch("gate");
    let old = write(&dir, "old.yaml", PETS);
    let new = write(
        &dir,
        "new.yaml",
        &PETS.replace("maxLength: 10", "maxLength: 5"),
    );
    let plain = xtask(&[&old, &new]);
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    let text = stdout(&plain);
    assert!(
        text.contains("request-property-max-length-decreased"),
        "{text}"
    );
    assert!(text.contains("POST /pets"), "{text}");
    assert!(text.contains(NAME_POINTER), "{text}");
    assert!(
        text.trim_end().ends_with("1 breaking, 0 warnings, 0 info"),
        "{text}"
    );
    for gate in [
        &["--fail-on", "error"][..],
        &["--deny-breaking"][..],
        &["--fail-on", "warning"][..],
    ] {
        let output = xtask(&[&[old.as_str(), new.as_str()][..], gate].concat());
        assert_eq!(
            output.status.code(),
            Some(1),
            "{gate:?}: {}",
            stderr(&output)
        );
    }
    let allow = write(
        &dir,
        "allow.txt",
        &format!("# accepted for 2.0\nrequest-property-max-length-decreased {NAME_POINTER}\n"),
    );
    let allowed = xtask(&[&old, &new, "--fail-on", "error", "--allow", &allow]);
    assert_eq!(allowed.status.code(), Some(0), "{}", stderr(&allowed));
    assert!(
        stdout(&allowed).contains("(1 allowed)"),
        "{}",
        stdout(&allowed)
    );
    let loosened = xtask(&[&new, &old, "--fail-on", "warning"]);
    assert_eq!(loosened.status.code(), Some(0), "{}", stdout(&loosened));
}

#[test]
fn every_format_prints() {
    let dir = scratch("formats");
    let old = write(&dir, "old.yaml", PETS);
    let new = write(
        &dir,
        "new.yaml",
        &PETS.replace("maxLength: 10", "maxLength: 5"),
    );
    let junit = stdout(&xtask(&[&old, &new, "--format", "junit"]));
    assert!(
        junit.starts_with("<?xml")
            && junit.contains("<failure type=\"request-property-max-length-decreased\""),
        "{junit}"
    );
    let markdown = stdout(&xtask(&[&old, &new, "--format", "markdown"]));
    assert!(
        markdown.contains("| error | `request-property-max-length-decreased` | POST /pets |"),
        "{markdown}"
    );
}

#[test]
fn identical_documents_have_no_changes() {
    let dir = scratch("same");
    let old = write(&dir, "a.yaml", PETS);
    let raw = generator::diff::parse_for_diff("a.yaml", PETS).expect("parse");
    let new = write(&dir, "b.json", &raw.to_string());
    let output = xtask(&[&old, &new, "--fail-on", "warning"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).starts_with("no changes"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn bad_documents_are_located_not_panicked_on() {
    let dir = scratch("bad");
    let good = write(&dir, "good.yaml", PETS);
    let broken = write(
        &dir,
        "broken.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: [1, 2\n",
    );
    let output = xtask(&[&good, &broken]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("broken.yaml:"),
        "{}",
        stderr(&output)
    );
    let swagger = write(
        &dir,
        "swagger.yaml",
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    let output = xtask(&[&swagger, &good]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("swagger.yaml:1:1: Swagger 2.0"),
        "{}",
        stderr(&output)
    );
    let wrong = write(
        &dir,
        "wrong.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n",
    );
    let output = xtask(&[&good, &wrong]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("wrong.yaml:6:"),
        "{}",
        stderr(&output)
    );
    let missing = xtask(&[&good, "no/such/file.yaml"]);
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
}

#[test]
fn a_file_at_a_git_revision_is_a_document() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "api-diff",
            "HEAD:spec/canonical.yaml",
            "HEAD:spec/canonical.yaml",
        ])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("no changes"));
}
