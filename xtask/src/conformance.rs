//! `cargo xtask conformance`: run the conformance checks against a dialect implementation.

use std::path::PathBuf;

use conformance::{Credentials, RunConfig, RunError, Selection, Target};
use generator::spec::ext::Dialect;

use crate::cli::{ConformanceAction, ConformanceArgs};
use crate::{Failure, project_root};

pub fn run(args: &ConformanceArgs) -> Result<(), Failure> {
    if let Some(action) = &args.action {
        return match action {
            ConformanceAction::Explain { check } => explain(check),
            ConformanceAction::Replay { report, case } => replay(report, case),
        };
    }
    let target = target_of(args)?;
    let spec_dir = project_root().join("spec");
    if args.list_checks {
        return list_checks(target.as_ref(), &spec_dir);
    }
    let Some(target) = target else {
        return Err(Failure::Usage(
            "say what to test: --dialect <name> or --spec <file> (examples: cargo xtask conformance --help)"
                .into(),
        ));
    };
    // Everything that can be wrong with the command line is said before any request.
    if args.cases == 0 {
        return Err(Failure::Usage(
            "--cases 0 would check nothing: give at least 1 (default 20)".into(),
        ));
    }
    let selection = Selection::parse(&args.checks, &args.exclude_checks).map_err(Failure::Usage)?;
    let api =
        conformance::load_api(&target, &spec_dir).map_err(|e| Failure::Usage(e.to_string()))?;
    let target_name = conformance::target_name(&target, &api);
    check_selection(&api, &target_name, &selection)?;
    for path in [
        &args.report_json,
        &args.report_html,
        &args.junit,
        &args.record,
    ]
    .into_iter()
    .flatten()
    {
        check_writable(path)?;
    }
    let baseline = match &args.baseline {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Failure::Usage(format!("cannot read the baseline {}: {e}", path.display()))
            })?;
            match conformance::matrix::recorded_target(&text) {
                Some(recorded) if recorded != target_name => {
                    return Err(Failure::Usage(format!(
                        "the baseline {} was recorded for {recorded:?}, not {target_name:?}: record one for this target with --record",
                        path.display()
                    )));
                }
                Some(_) => Some(text),
                None => {
                    return Err(Failure::Usage(format!(
                        "{} is not a behaviour matrix (written by --record)",
                        path.display()
                    )));
                }
            }
        }
        None => None,
    };
    // Without --base-url the embedded reference server is the target, with its test users.
    // It runs on the harness's own event loop (`run_beside`): one thread serves and asks.
    let mut embedded: Option<conformance::ServerTask> = None;
    let (base_url, credentials) = match &args.base_url {
        Some(url) => (
            url.clone(),
            Credentials {
                api_key: args.api_key.clone(),
                token: args.token.clone(),
                tenant: args.tenant.clone(),
                user_id: args.user_id.clone(),
                other_user_id: args.other_user_id.clone(),
                other_token: args.other_token.clone(),
            },
        ),
        None => {
            let Target::Dialect(dialect) = &target else {
                return Err(Failure::Usage("--spec needs --base-url: the embedded server serves the project's dialects only".into()));
            };
            let server = embedded_server(*dialect)?;
            embedded = Some(server.task);
            (server.base_url, server.credentials)
        }
    };
    let config = RunConfig {
        target,
        spec_dir,
        base_url,
        credentials,
        seed: args.seed,
        cases: args.cases,
        selection,
        destructive: args.destructive,
        limits: conformance::http::Limits {
            timeout: std::time::Duration::from_secs_f64(args.timeout),
            ..conformance::http::Limits::default()
        },
        progress: true,
        evidence_dir: Some(
            args.evidence_dir
                .clone()
                .unwrap_or_else(|| project_root().join("target/conformance/evidence")),
        ),
        strict: args.strict,
    };
    // A defect of the harness (a panic) on whatever a server sent ends the run as an error
    // (exit 2) with a report line, never as an abort.
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        conformance::run_beside(&config, embedded)
    }))
    .map_err(|panic| {
        let what = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("a panic");
        Failure::Usage(format!(
            "the harness failed on an answer of the server (a defect of the harness, please report it): {}",
            config.credentials.redactor().redact(what)
        ))
    })?;
    let report = run.map_err(|error| match error {
        RunError::Spec(message) | RunError::Usage(message) | RunError::Diagnosis(message) => {
            Failure::Usage(message)
        }
        connection @ RunError::Connection { .. } => Failure::Usage(connection.to_string()),
    })?;
    print!("{}", report.render_text_with(args.full));
    let json = report_value(&report, args.report_json.as_deref());
    write_report(
        &args.report_json,
        &serde_json::to_string_pretty(&json).unwrap_or_default(),
    )?;
    if args.report_html.is_some() {
        let page =
            conformance::html::render(std::slice::from_ref(&json)).map_err(Failure::Usage)?;
        write_report(&args.report_html, &page)?;
    }
    write_report(&args.junit, &report.render_junit())?;
    let matrix = conformance::matrix::render(&report, &config.base_url);
    write_report(&args.record, &matrix)?;
    if report.checked() == 0 {
        // Nothing checked is never a pass: say what would let the checks run.
        let mut reasons: Vec<&str> = report
            .results
            .iter()
            .filter_map(|r| match &r.outcome {
                conformance::Outcome::Skipped { reason } => Some(reason.as_str()),
                _ => None,
            })
            .collect();
        reasons.sort_unstable();
        reasons.dedup();
        let why = if reasons.is_empty() {
            "no check applies to this spec with this selection (see --list-checks)".to_owned()
        } else {
            format!("every check was skipped: {}", reasons.join("; "))
        };
        return Err(Failure::Usage(format!(
            "nothing was checked on {}: {why}",
            report.target
        )));
    }
    let unexercised = report.unexercised();
    if args.require_coverage && !unexercised.is_empty() {
        let names: Vec<&str> = unexercised.iter().map(|c| c.operation.as_str()).collect();
        return Err(Failure::Check(format!(
            "--require-coverage: {} of {} operations got no request: {}",
            names.len(),
            report.coverage.len(),
            names.join(", ")
        )));
    }
    if let (Some(path), Some(baseline)) = (&args.baseline, &baseline) {
        let comparison = conformance::matrix::compare(baseline, &matrix);
        print!("{}", comparison.render());
        return if comparison.holds() {
            Ok(())
        } else {
            Err(Failure::Check(format!(
                "{} differs from the baseline {}",
                report.target,
                path.display()
            )))
        };
    }
    match report.failures() {
        0 => Ok(()),
        n => Err(Failure::Check(format!(
            "{n} rule(s) broken on {}",
            report.target
        ))),
    }
}

/// The JSON report, with the base URL the run was pointed at (when the report lacks it).
/// The JSON report; with the path it is written to, each failure carries the command that
/// replays it.
fn report_value(report: &conformance::Report, path: Option<&std::path::Path>) -> serde_json::Value {
    let mut value = serde_json::to_value(report).unwrap_or_default();
    if let (Some(path), Some(results)) = (path, value["results"].as_array_mut()) {
        let mut number = 0;
        for result in results.iter_mut().filter(|r| r["outcome"] == "failed") {
            number += 1;
            result["replay"] = serde_json::Value::from(format!(
                "cargo xtask conformance replay {} {number}",
                path.display()
            ));
        }
    }
    value
}

/// `cargo xtask conformance-html REPORT.json… -o FILE`: one page for several JSON reports.
pub fn render_html(args: &crate::cli::ConformanceHtmlArgs) -> Result<(), Failure> {
    let runs = conformance::html::read_reports(&args.reports).map_err(Failure::Usage)?;
    let page = conformance::html::render(&runs).map_err(Failure::Usage)?;
    write_report(&Some(args.output.clone()), &page)?;
    println!(
        "wrote {} ({} run{})",
        args.output.display(),
        runs.len(),
        if runs.len() == 1 { "" } else { "s" }
    );
    Ok(())
}

/// The target named on the command line, if any.
fn target_of(args: &ConformanceArgs) -> Result<Option<Target>, Failure> {
    match (&args.dialect, &args.spec) {
        (Some(name), None) => Ok(Some(Target::Dialect(Dialect::from_name(name).ok_or_else(
            || {
                Failure::Usage(format!(
                    "unknown dialect {name:?}: one of manage, rpc, community, billing, cl2c, canonical"
                ))
            },
        )?))),
        (None, Some(path)) => {
            let text = path.to_string_lossy();
            if text.starts_with("http://") || text.starts_with("https://") {
                return fetched_spec(&text).map(|saved| Some(Target::Spec(saved)));
            }
            Ok(Some(Target::Spec(path.clone())))
        }
        (Some(_), Some(_)) => Err(Failure::Usage("give --dialect or --spec, not both".into())),
        (None, None) => Ok(None),
    }
}

/// A spec given as a URL (a framework's live `/openapi.json`): fetched, and kept under
/// target/conformance/specs so that problems in it are located by line like any file's.
fn fetched_spec(url: &str) -> Result<PathBuf, Failure> {
    // Shown without its query: a live spec's URL may carry a key.
    let shown = crate::api_diff::without_query(url);
    let text = crate::api_diff::fetch(url)?;
    let extension = if url.ends_with(".yaml") || url.ends_with(".yml") {
        "yaml"
    } else {
        "json"
    };
    let name: String = url
        .split("://")
        .nth(1)
        .unwrap_or(url)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let dir = project_root().join("target/conformance/specs");
    let path = dir.join(format!(
        "{}.{extension}",
        name.trim_end_matches(&format!(".{extension}")[..])
    ));
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&path, text))
        .map_err(|e| Failure::Usage(format!("cannot keep the spec from {shown}: {e}")))?;
    eprintln!(
        "conformance: the spec from {shown} is kept as {}",
        path.display()
    );
    Ok(path)
}

/// `--list-checks`: every check, or with a target the ones that apply to it.
fn list_checks(target: Option<&Target>, spec_dir: &std::path::Path) -> Result<(), Failure> {
    let all = conformance::checks::ALL.iter().copied();
    let checks = match target {
        None => all.collect(),
        Some(target) => {
            let api = conformance::load_api(target, spec_dir)
                .map_err(|e| Failure::Usage(e.to_string()))?;
            let applicable = conformance::applies::applicable(&api, all);
            println!(
                "{} of {} checks apply to {}:",
                applicable.len(),
                conformance::checks::ALL.len(),
                conformance::target_name(target, &api)
            );
            applicable
        }
    };
    for check in checks {
        println!("{} {:<24} {}", check.id(), check.name(), check.about());
    }
    Ok(())
}

/// Every check asked for by name must apply to the target, and something must be left.
fn check_selection(
    api: &generator::model::Api,
    target: &str,
    selection: &Selection,
) -> Result<(), Failure> {
    let selected: Vec<conformance::Check> = conformance::checks::ALL
        .iter()
        .copied()
        .filter(|c| selection.includes(*c))
        .collect();
    let applicable = conformance::applies::applicable(api, selected.iter().copied());
    let useless: Vec<String> = selection
        .only
        .iter()
        .filter(|c| !applicable.contains(c))
        .map(|c| format!("{} {}", c.id(), c.name()))
        .collect();
    if !useless.is_empty() {
        return Err(Failure::Usage(format!(
            "--checks names what applies to no operation of {target}: {} (`--dialect/--spec … --list-checks` lists what applies)",
            useless.join(", ")
        )));
    }
    if applicable.is_empty() {
        return Err(Failure::Usage(format!(
            "the selection leaves no check that applies to {target} (see --list-checks)"
        )));
    }
    Ok(())
}

/// A report path that cannot be written fails now, not after the whole run.
fn check_writable(path: &std::path::Path) -> Result<(), Failure> {
    let existed = path.exists();
    let opened = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path);
    match opened {
        Ok(_) => {
            if !existed {
                let _ = std::fs::remove_file(path);
            }
            Ok(())
        }
        Err(error) => Err(Failure::Usage(format!(
            "cannot write {}: {error}",
            path.display()
        ))),
    }
}

/// `cargo xtask conformance explain CF101`: what a check does and what makes it fail.
fn explain(key: &str) -> Result<(), Failure> {
    let check = conformance::checks::find(key).ok_or_else(|| {
        Failure::Usage(format!(
            "unknown check {key:?}: ids CF100…CF504 or names such as max-length (--list-checks)"
        ))
    })?;
    println!(
        "{} {} ({:?} checks)",
        check.id(),
        check.name(),
        check.family()
    );
    println!();
    println!("Rule: {}.", check.about());
    println!();
    println!("{}", check.explanation());
    Ok(())
}

/// `cargo xtask conformance replay REPORT.json CASE`: the failure's curl lines, in order,
/// with the live credentials of the environment; the last answer against the recorded one.
fn replay(report: &std::path::Path, case: &str) -> Result<(), Failure> {
    let text = std::fs::read_to_string(report)
        .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", report.display())))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Failure::Usage(format!(
            "{} is not a JSON report (--report-json): {e}",
            report.display()
        ))
    })?;
    let failures: Vec<&serde_json::Value> = json["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["outcome"] == "failed")
        .collect();
    let describe = |r: &serde_json::Value| {
        format!(
            "{}:{}",
            r["check"].as_str().unwrap_or_default(),
            r["operation"].as_str().unwrap_or_default()
        )
    };
    let chosen = match case.parse::<usize>() {
        Ok(n) => failures.get(n.wrapping_sub(1)).copied(),
        Err(_) => failures.iter().copied().find(|r| {
            let key = describe(r);
            key.eq_ignore_ascii_case(case)
                || r["check"]
                    .as_str()
                    .is_some_and(|c| c.eq_ignore_ascii_case(case))
        }),
    };
    let Some(failure) = chosen else {
        let known: Vec<String> = failures
            .iter()
            .enumerate()
            .map(|(i, r)| format!("{} {}", i + 1, describe(r)))
            .collect();
        return Err(Failure::Usage(format!(
            "no failure {case:?} in {}; its failures: {}",
            report.display(),
            if known.is_empty() {
                "none".into()
            } else {
                known.join(", ")
            }
        )));
    };
    let steps: Vec<&serde_json::Value> = failure["sequence"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    // Every variable a line needs must be set: a missing one would send an empty credential.
    let variables = |curl: &str| -> Vec<String> {
        curl.match_indices("$CONFORMANCE_")
            .map(|(at, _)| {
                curl[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                    .collect()
            })
            .collect()
    };
    let mut missing: Vec<String> = steps
        .iter()
        .filter_map(|s| s["curl"].as_str())
        .flat_map(variables)
        .filter(|name| std::env::var_os(name).is_none_or(|v| v.is_empty()))
        .collect();
    missing.sort();
    missing.dedup();
    if !missing.is_empty() {
        return Err(Failure::Usage(format!(
            "set {} first: the recorded requests take the credentials from the environment",
            missing.join(", ")
        )));
    }
    println!(
        "replaying {} ({} request{}) from {}",
        describe(failure),
        steps.len(),
        if steps.len() == 1 { "" } else { "s" },
        report.display()
    );
    let mut last = String::new();
    for (index, step) in steps.iter().enumerate() {
        let curl = step["curl"].as_str().unwrap_or_default();
        let output = std::process::Command::new("bash")
            .arg("-c")
            // Options go first: a line may end with a `# …` comment.
            .arg(curl.replacen("curl ", "curl -sS -o /dev/null -w '%{http_code}' ", 1))
            .output()
            .map_err(|e| Failure::Usage(format!("cannot run bash and curl: {e}")))?;
        let got = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        if !output.status.success() {
            return Err(Failure::Usage(format!(
                "request {} could not be sent: {}",
                index + 1,
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        println!(
            "  {}. → {got} (recorded: {})",
            index + 1,
            step["outcome"].as_str().unwrap_or_default()
        );
        last = got;
    }
    let recorded = steps
        .last()
        .and_then(|s| s["outcome"].as_str())
        .unwrap_or_default();
    let expected = failure["expected"].as_str().unwrap_or_default();
    if last == recorded {
        Err(Failure::Check(format!(
            "the failure still happens: {} answered {last} again (expected: {expected})",
            describe(failure)
        )))
    } else {
        println!(
            "the answer changed: recorded {recorded}, now {last} (expected: {expected}); run the check again to confirm the rule holds"
        );
        Ok(())
    }
}

fn write_report(path: &Option<PathBuf>, contents: &str) -> Result<(), Failure> {
    let Some(path) = path else { return Ok(()) };
    std::fs::write(path, contents)
        .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", path.display())))
}

/// The embedded reference server, bound and ready to run on the harness's event loop.
pub struct EmbeddedServer {
    /// The base URL of the dialect's face.
    pub base_url: String,
    /// Serves until dropped: hand it to `conformance::run_beside`.
    pub task: conformance::ServerTask,
    /// The fixtures' credentials for that face.
    pub credentials: Credentials,
}

/// The embedded reference server (default fixtures) on an ephemeral loopback port, for
/// `dialect`'s face.
pub fn embedded_server(dialect: Dialect) -> Result<EmbeddedServer, Failure> {
    let fixtures = reference::Fixtures::default_set();
    let face = fixtures.face_credentials(dialect.name());
    let (address, task) = reference::bind(reference::app(fixtures), ([127, 0, 0, 1], 0).into())
        .map_err(|e| Failure::Usage(format!("cannot start the embedded reference server: {e}")))?;
    Ok(EmbeddedServer {
        base_url: reference::face_url(address, dialect.name()),
        task: Box::pin(task),
        credentials: embedded_credentials(face),
    })
}

/// The harness's credentials for a face of the embedded reference server (its fixtures).
pub fn embedded_credentials(face: reference::FaceCredentials) -> Credentials {
    Credentials {
        api_key: face.api_key,
        token: face.token,
        tenant: face.tenant,
        user_id: face.user_id,
        other_user_id: face.other_user_id,
        other_token: face.other_token,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo xtask conformance ARGS…` as the command line parses it.
    fn conformance(args: &[&str]) -> Result<(), Failure> {
        use clap::Parser;
        let cli = crate::cli::Cli::try_parse_from(
            ["cargo xtask", "conformance"].iter().chain(args).copied(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        match cli.command {
            crate::cli::Command::Conformance(args) => run(&args),
            _ => unreachable!(),
        }
    }

    /// `--spec http://…`: the live spec is fetched, kept, and read like a file.
    #[test]
    fn a_spec_given_as_a_url_is_read() {
        use std::io::{Read, Write};
        let spec = std::fs::read(project_root().join("spec/dialects/billing.yaml"))
            .unwrap_or_else(|e| panic!("{e}"));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        std::thread::spawn(move || {
            if let Ok((mut stream, _)) = listener.accept() {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/yaml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    spec.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&spec);
            }
        });
        let url = format!("http://{address}/openapi.yaml");
        let saved = fetched_spec(&url).unwrap_or_else(|e| panic!("{e}"));
        let api = conformance::load_api(&Target::Spec(saved), &project_root().join("spec"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(api.operations.iter().any(|o| o.id == "updateUser"));
    }

    #[test]
    fn replay_names_the_failures_and_the_variables_it_needs() {
        let dir = std::env::temp_dir().join(format!("xtask-replay-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join("r.json");
        let report = serde_json::json!({"results": [
            {"check": "CF101", "operation": "putUser", "outcome": "failed", "expected": "400",
             "sequence": [{"curl": "curl -X PUT 'http://127.0.0.1:9/u' -H \"X-Key: $CONFORMANCE_REPLAY_TEST_KEY\"", "outcome": "200"}]},
            {"check": "CF100", "operation": "putUser", "outcome": "passed", "cases": 1}
        ]});
        std::fs::write(&path, report.to_string()).unwrap_or_else(|e| panic!("{e}"));
        match replay(&path, "2") {
            Err(Failure::Usage(message)) => {
                assert!(message.contains("1 CF101:putUser"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        match replay(&path, "CF101:putUser") {
            Err(Failure::Usage(message)) => {
                assert!(
                    message.contains("set CONFORMANCE_REPLAY_TEST_KEY"),
                    "{message}"
                )
            }
            other => panic!("{other:?}"),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn usage_error(args: &[&str], says: &str) {
        match conformance(args) {
            Err(Failure::Usage(message)) => assert!(message.contains(says), "{message}"),
            other => panic!("{args:?}: expected a usage error saying {says:?}, got {other:?}"),
        }
    }

    /// Each of these is refused before any request (a base URL where nothing listens proves
    /// it: a request would be a connection error instead).
    #[test]
    fn bad_selections_and_inputs_are_refused_up_front() {
        let nowhere = ["--base-url", "http://127.0.0.1:9"];
        let with = |extra: &[&'static str]| -> Vec<&'static str> {
            nowhere.iter().chain(extra).copied().collect()
        };
        let with_owned = |extra: &[&str]| -> Vec<String> {
            nowhere
                .iter()
                .chain(extra)
                .map(|s| (*s).to_owned())
                .collect()
        };
        usage_error(
            &with(&["--dialect", "billing", "--checks", "CF110"]),
            "CF110 pattern",
        );
        usage_error(
            &with(&["--dialect", "billing", "--checks", "CF101,pattern,format"]),
            "CF110 pattern",
        );
        usage_error(
            &with(&["--dialect", "billing", "--checks", "nope"]),
            "unknown check",
        );
        usage_error(
            &with(&["--dialect", "billing", "--cases", "0"]),
            "--cases 0",
        );
        usage_error(
            &with(&[
                "--dialect",
                "billing",
                "--report-json",
                "/nonexistent-dir/r.json",
            ]),
            "cannot write /nonexistent-dir/r.json",
        );
        let dir = std::env::temp_dir().join(format!("xtask-baseline-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let baseline = dir.join("billing.matrix");
        std::fs::write(
            &baseline,
            "# conformance behaviour matrix: billing (seed 1, 20 cases per property)\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let baseline = baseline.to_string_lossy().into_owned();
        let args = with_owned(&["--dialect", "rpc", "--baseline", &baseline]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        usage_error(&args, "recorded for \"billing\", not \"rpc\"");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn several_json_reports_make_one_page() {
        let dir = std::env::temp_dir().join(format!("xtask-html-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let mut reports = Vec::new();
        for (name, outcome) in [("manage", "passed"), ("billing", "failed")] {
            let path = dir.join(format!("{name}.json"));
            let run = serde_json::json!({"target": name, "seed": 1, "cases": 1, "requests": 2,
                "results": [{"check": "CF101", "name": "max-length", "operation": "op",
                             "outcome": outcome, "cases": 1, "expected": "400", "got": "200",
                             "sequence": [{"curl": "curl -X PUT 'http://x/op'", "outcome": "200", "body": ""}]}]});
            std::fs::write(&path, run.to_string()).unwrap_or_else(|e| panic!("{e}"));
            reports.push(path);
        }
        let output = dir.join("report.html");
        render_html(&crate::cli::ConformanceHtmlArgs {
            reports: reports.clone(),
            output: output.clone(),
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let page = std::fs::read_to_string(&output).unwrap_or_default();
        assert!(page.contains("<h2>manage</h2>") && page.contains("<h2>billing</h2>"));
        assert!(page.contains("curl -X PUT &#x27;http:&#x2f;&#x2f;x&#x2f;op&#x27;"));
        std::fs::write(&reports[0], "not json").unwrap_or_else(|e| panic!("{e}"));
        assert!(
            render_html(&crate::cli::ConformanceHtmlArgs { reports, output })
                .is_err_and(|e| e.to_string().contains("not a JSON report"))
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
