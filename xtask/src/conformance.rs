//! `cargo xtask conformance`: run the conformance checks against a dialect implementation.

use std::path::PathBuf;

use conformance::{Credentials, RunConfig, RunError, Selection, Target};
use generator::spec::ext::Dialect;

use crate::cli::ConformanceArgs;
use crate::{Failure, project_root};

pub fn run(args: &ConformanceArgs) -> Result<(), Failure> {
    if args.list_checks {
        for check in conformance::checks::ALL {
            println!("{} {:<24} {}", check.id(), check.name(), check.about());
        }
        return Ok(());
    }
    let target = match (&args.dialect, &args.spec) {
        (Some(name), None) => Target::Dialect(Dialect::from_name(name).ok_or_else(|| {
            Failure::Usage(format!(
                "unknown dialect {name:?}: one of manage, rpc, community, billing, cl2c, canonical"
            ))
        })?),
        (None, Some(path)) => Target::Spec(path.clone()),
        (Some(_), Some(_)) => {
            return Err(Failure::Usage("give --dialect or --spec, not both".into()));
        }
        (None, None) => {
            return Err(Failure::Usage(
                "say what to test: --dialect <name> or --spec <file>".into(),
            ));
        }
    };
    let selection = Selection::parse(&args.checks, &args.exclude_checks).map_err(Failure::Usage)?;
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
        spec_dir: project_root().join("spec"),
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
        RunError::Spec(message) | RunError::Usage(message) => Failure::Usage(message),
        connection @ RunError::Connection { .. } => Failure::Usage(connection.to_string()),
    })?;
    print!("{}", report.render_text());
    let json = report_value(&report, &config.base_url);
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
    if let Some(path) = &args.baseline {
        let baseline = std::fs::read_to_string(path).map_err(|e| {
            Failure::Usage(format!("cannot read the baseline {}: {e}", path.display()))
        })?;
        let comparison = conformance::matrix::compare(&baseline, &matrix);
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
fn report_value(report: &conformance::Report, base_url: &str) -> serde_json::Value {
    let mut value = serde_json::to_value(report).unwrap_or_default();
    if let Some(object) = value.as_object_mut() {
        object
            .entry("base_url")
            .or_insert_with(|| serde_json::Value::from(base_url));
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
