//! `cargo xtask api-diff`: every change between two OpenAPI documents, or in the six specs
//! since a git revision, by stable id and level (see `generator::diff` and
//! `generator/docs/api-diff-changes.md`).
//!
//! `--consistency` compares instead every canonical field mapped onto a dialect field
//! (`generator::diff::consistency`); the `--base` form reports those that break clients too.
//!
//! A document is a file, an http(s) URL or `REV:path` (as `git show` reads it). Exit 0 unless
//! `--fail-on` (or `--deny-breaking`, its `error` form) finds a change at that level: then 1;
//! a document that cannot be read or parsed: 2, with file:line:column.

use std::path::Path;
use std::process::Command;

use generator::diff::consistency::{Inconsistency, check_consistency};
use generator::diff::{AllowList, Format, Level, Report, diff_values, parse_for_diff};
use generator::spec::ext::Dialect;
use serde_json::Value;

use crate::cli::ApiDiffArgs;
use crate::{Failure, project_root};

pub fn run(args: &ApiDiffArgs) -> Result<(), Failure> {
    let format = Format::from_name(&args.format)
        .ok_or_else(|| Failure::Usage(format!("unknown format {}", args.format)))?;
    let fail_on = match (args.fail_on.as_deref(), args.deny_breaking) {
        (Some(level), _) => Some(
            Level::from_name(level)
                .ok_or_else(|| Failure::Usage(format!("unknown level {level}")))?,
        ),
        (None, true) => Some(Level::Error),
        (None, false) => None,
    };
    let allow = match &args.allow {
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .map_err(|e| Failure::Usage(format!("{}: {e}", file.display())))?;
            AllowList::parse(&text)
                .map_err(|e| Failure::Usage(format!("{}: {e}", file.display())))?
        }
        None => AllowList::default(),
    };
    let mut report = Report::default();
    match (&args.old, &args.new) {
        (Some(old), Some(new)) => {
            let old_text = read_source(old)?;
            let new_text = read_source(new)?;
            let old_raw =
                parse_for_diff(old, &old_text).map_err(|e| Failure::Usage(e.to_string()))?;
            let new_raw =
                parse_for_diff(new, &new_text).map_err(|e| Failure::Usage(e.to_string()))?;
            if old_raw != new_raw {
                report.add(None, diff_values(&old_raw, &new_raw), &allow);
            }
        }
        _ if args.consistency => {
            for (label, inconsistency) in inconsistencies()? {
                report.add(Some(&label), vec![inconsistency.into_finding()], &allow);
            }
        }
        _ => {
            let base = args.base.as_deref().unwrap_or("HEAD");
            let root = project_root();
            for dialect in Dialect::ALL {
                let file = format!("spec/{}", dialect.spec_file());
                let new_text = std::fs::read_to_string(root.join(&file))
                    .map_err(|e| Failure::Usage(format!("{file}: {e}")))?;
                let new_raw =
                    parse_for_diff(&file, &new_text).map_err(|e| Failure::Usage(e.to_string()))?;
                let Some(old_text) = git_show(&root, base, &file)? else {
                    eprintln!("{file}: new since {base} (no earlier version)");
                    continue;
                };
                let label = format!("{base}:{file}");
                let old_raw =
                    parse_for_diff(&label, &old_text).map_err(|e| Failure::Usage(e.to_string()))?;
                report.add(Some(&file), diff_values(&old_raw, &new_raw), &allow);
            }
            // The working copy's canonical ↔ dialect inconsistencies that break clients.
            for (label, inconsistency) in inconsistencies()? {
                if inconsistency.finding.level() == Level::Error {
                    report.add(Some(&label), vec![inconsistency.into_finding()], &allow);
                }
            }
        }
    }
    print!("{}", report.render(format, fail_on.unwrap_or(Level::Error)));
    match fail_on {
        Some(level) if report.fails(level) => Err(Failure::Check(format!(
            "API changes at level {level} or worse: {}",
            report.summary()
        ))),
        _ => Ok(()),
    }
}

/// Canonical ↔ dialect inconsistencies of the working copy's specs, each with a label
/// naming the two files.
fn inconsistencies() -> Result<Vec<(String, Inconsistency)>, Failure> {
    let root = project_root();
    let read = |dialect: Dialect| -> Result<(Dialect, Value), Failure> {
        let file = format!("spec/{}", dialect.spec_file());
        let text = std::fs::read_to_string(root.join(&file))
            .map_err(|e| Failure::Usage(format!("{file}: {e}")))?;
        let raw = parse_for_diff(&file, &text).map_err(|e| Failure::Usage(e.to_string()))?;
        Ok((dialect, raw))
    };
    let (_, canonical) = read(Dialect::Canonical)?;
    let dialects = Dialect::VENDORS
        .into_iter()
        .map(read)
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<(Dialect, &Value)> = dialects.iter().map(|(d, v)| (*d, v)).collect();
    Ok(check_consistency(&canonical, &refs)
        .into_iter()
        .map(|i| {
            (
                format!("spec/canonical.yaml ↔ spec/{}", i.dialect.spec_file()),
                i,
            )
        })
        .collect())
}

/// The text of a document: a file, an http(s) URL or `REV:path`.
fn read_source(source: &str) -> Result<String, Failure> {
    if source.starts_with("http://") || source.starts_with("https://") {
        return fetch(source);
    }
    let path = Path::new(source);
    if path.exists() {
        return std::fs::read_to_string(path)
            .map_err(|e| Failure::Usage(format!("{source}: cannot read the file: {e}")));
    }
    match source.split_once(':') {
        Some((revision, file)) if !revision.is_empty() && !file.is_empty() => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| project_root());
            git_show(&cwd, revision, file)?.ok_or_else(|| {
                Failure::Usage(format!("{source}: no such file at revision {revision}"))
            })
        }
        _ => Err(Failure::Usage(format!(
            "{source}: no such file (expected a file, an http(s) URL or REV:path)"
        ))),
    }
}

/// A document served at an http(s) URL, as text.
pub(crate) fn fetch(url: &str) -> Result<String, Failure> {
    let shown = without_query(url);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Usage(format!("cannot start a runtime: {e}")))?;
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .map_err(|e| Failure::Usage(format!("{shown}: {e}")))?;
        let response = client
            .get(url)
            .send()
            .await
            .map_err(|e| Failure::Usage(format!("{shown}: {e}")))?;
        let status = response.status();
        if !status.is_success() {
            return Err(Failure::Usage(format!("{shown}: HTTP {status}")));
        }
        response
            .text()
            .await
            .map_err(|e| Failure::Usage(format!("{shown}: {e}")))
    })
}

/// A URL as messages show it: without its query or fragment, where a key may be.
pub(crate) fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// A file's text at a revision; `None` when the file did not exist there.
fn git_show(root: &Path, revision: &str, file: &str) -> Result<Option<String>, Failure> {
    let output = Command::new("git")
        .args(["show", &format!("{revision}:{file}")])
        .current_dir(root)
        .output()
        .map_err(|e| Failure::Usage(format!("cannot run git: {e}")))?;
    if output.status.success() {
        return Ok(Some(String::from_utf8_lossy(&output.stdout).into_owned()));
    }
    let message = String::from_utf8_lossy(&output.stderr);
    if message.contains("does not exist") || message.contains("exists on disk, but not in") {
        Ok(None)
    } else {
        Err(Failure::Usage(format!(
            "git show {revision}:{file}: {}",
            message.trim()
        )))
    }
}
