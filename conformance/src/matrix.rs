//! The behaviour matrix: a run reduced to what the target did (operation × check → outcome,
//! with the shrunk request of each failure), with nothing that varies between runs (no
//! timings, ports, case counts or credentials). It is what insta snapshots hold, and what
//! `--record` writes and `--baseline` gates on: reviewable text, one line per cell.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::report::{Outcome, Report};

/// One cell: `operation check-id check-name`.
type Key = String;

/// Renders the matrix. `base_url` is replaced by `{base}` in curl lines.
pub fn render(report: &Report, base_url: &str) -> String {
    let base = base_url.trim_end_matches('/');
    let mut out = format!(
        "# conformance behaviour matrix: {} (seed {}, {} cases per property)\n",
        report.target, report.seed, report.cases
    );
    for result in &report.results {
        let key = format!("{} {} {}", result.operation, result.check, result.name);
        let outcome = match &result.outcome {
            Outcome::Passed { .. } if result.observed.is_empty() => "pass".to_owned(),
            Outcome::Passed { .. } => format!("pass | observed {}", result.observed.join("; ")),
            Outcome::Warning(failure) => format!(
                "WARN {} | {}",
                failure.got,
                failure
                    .sequence
                    .last()
                    .map(|s| s.curl.replace(base, "{base}"))
                    .unwrap_or_default()
            ),
            Outcome::Skipped { reason } => format!("skipped: {reason}"),
            Outcome::Failed(failure) => {
                let mut line = String::from("FAIL");
                if let Some(field) = &failure.field {
                    let _ = write!(line, " on {field}");
                }
                let _ = write!(line, " | expected {}", failure.expected);
                if let Some(input) = &failure.input {
                    let _ = write!(line, " | input {input}");
                }
                if let Some(step) = failure.sequence.last() {
                    let _ = write!(
                        line,
                        " | {} → {}",
                        step.curl.replace(base, "{base}"),
                        step.outcome
                    );
                }
                line
            }
        };
        let _ = writeln!(out, "{key}: {}", outcome.replace('\n', " "));
    }
    out
}

/// The target a recorded matrix is of (its first line), if the text is a matrix at all.
pub fn recorded_target(text: &str) -> Option<&str> {
    let rest = text
        .lines()
        .next()?
        .strip_prefix("# conformance behaviour matrix: ")?;
    Some(
        rest.rsplit_once(" (seed ")
            .map_or(rest, |(target, _)| target),
    )
}

fn cells(text: &str) -> BTreeMap<Key, String> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            line.split_once(": ")
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
        })
        .collect()
}

/// A run compared with a recorded baseline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Failed before and fail the same way now: accepted.
    pub known: Vec<Key>,
    /// Passed (or were absent) before and fail now.
    pub new_failures: Vec<(Key, String)>,
    /// Failed before and pass now.
    pub fixed: Vec<Key>,
    /// Any other difference: a failure that changed, a check skipped or gone or new.
    pub changed: Vec<(Key, String, String)>,
}

impl Comparison {
    /// Whether the gate holds: no new failure and no change (fixed ones are reported, not failed).
    pub fn holds(&self) -> bool {
        self.new_failures.is_empty() && self.changed.is_empty()
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        for (key, now) in &self.new_failures {
            let _ = writeln!(out, "NEW FAILURE {key}: {now}");
        }
        for (key, before, now) in &self.changed {
            let _ = writeln!(out, "CHANGED {key}:\n  before: {before}\n  now:    {now}");
        }
        for key in &self.fixed {
            let _ = writeln!(out, "FIXED {key} (record a new baseline to keep it fixed)");
        }
        let _ = writeln!(
            out,
            "baseline: {} known failure(s) accepted, {} new, {} changed, {} fixed",
            self.known.len(),
            self.new_failures.len(),
            self.changed.len(),
            self.fixed.len()
        );
        out
    }
}

/// Compares a run's matrix with a baseline matrix.
pub fn compare(baseline: &str, current: &str) -> Comparison {
    let before = cells(baseline);
    let now = cells(current);
    let mut comparison = Comparison::default();
    for (key, value) in &now {
        match before.get(key) {
            Some(old) if old == value => {
                if value.starts_with("FAIL") {
                    comparison.known.push(key.clone());
                }
            }
            Some(old) if old.starts_with("FAIL") && value.starts_with("pass") => {
                comparison.fixed.push(key.clone())
            }
            Some(old) if !old.starts_with("FAIL") && value.starts_with("FAIL") => {
                comparison.new_failures.push((key.clone(), value.clone()))
            }
            Some(old) => comparison
                .changed
                .push((key.clone(), old.clone(), value.clone())),
            None if value.starts_with("FAIL") => {
                comparison.new_failures.push((key.clone(), value.clone()))
            }
            None => comparison
                .changed
                .push((key.clone(), "(absent)".into(), value.clone())),
        }
    }
    for (key, old) in &before {
        if !now.contains_key(key) {
            comparison
                .changed
                .push((key.clone(), old.clone(), "(absent)".into()));
        }
    }
    comparison
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASELINE: &str = "# header\nop CF101 max-length: pass\nop CF110 pattern: FAIL on x | expected 400\nop CF200 credential-missing: FAIL | expected 401\nop CF300 ownership: skipped: needs --other-user-id\n";

    #[test]
    fn known_failures_pass_new_ones_and_changes_fail() {
        let same = compare(BASELINE, BASELINE);
        assert!(same.holds() && same.known.len() == 2);
        let now = BASELINE
            .replace("max-length: pass", "max-length: FAIL on y | expected 400")
            .replace(
                "credential-missing: FAIL | expected 401",
                "credential-missing: pass",
            );
        let comparison = compare(BASELINE, &now);
        assert!(!comparison.holds());
        assert_eq!(comparison.new_failures.len(), 1);
        assert_eq!(
            comparison.fixed,
            vec!["op CF200 credential-missing".to_owned()]
        );
        let changed = compare(
            BASELINE,
            &BASELINE.replace("skipped: needs --other-user-id", "pass"),
        );
        assert!(
            !changed.holds() && changed.changed.len() == 1,
            "{changed:?}"
        );
        let gone = compare(
            BASELINE,
            &BASELINE.replace("op CF101 max-length: pass\n", ""),
        );
        assert!(!gone.holds());
    }
}
