//! What a run found, and its renderings: the terminal report, JSON and JUnit for CI.
//! Nothing in a report holds a credential: every text passed through the run's redactor.

use serde::Serialize;

use crate::checks::Check;

/// One step of the sequence that led to a failure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// A copy-paste curl line: the exact bytes sent, credentials as `"$CONFORMANCE_…"`
    /// references (never values).
    pub curl: String,
    /// The status, or what went wrong instead (a timeout, a reset).
    pub outcome: String,
    /// The response body, redacted, whole up to [`BODY_KEPT`] characters.
    pub body: String,
    /// The response body's whole length in bytes (it may be longer than `body`).
    pub body_length: usize,
}

/// How much of a response body a report keeps (the terminal shows [`BODY_SHOWN`] of it
/// unless `--full`).
pub const BODY_KEPT: usize = 64 * 1024;
/// How much of a body the terminal report shows by default.
pub const BODY_SHOWN: usize = 300;

/// A broken rule, shrunk to its smallest request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    pub expected: String,
    pub got: String,
    /// The field the rule was about, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The (shrunk) generated value that broke the rule, if the rule generated one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// Every request of the failing case, in order; the last one broke the rule.
    pub sequence: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
pub enum Outcome {
    Passed {
        cases: usize,
    },
    Failed(Box<Failure>),
    Skipped {
        reason: String,
    },
    /// Something the spec does not promise against (an undocumented status): reported, a
    /// failure only with `--strict`.
    Warning(Box<Failure>),
}

/// The result of one check on one operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    pub check: &'static str,
    pub name: &'static str,
    pub operation: String,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// What the target did at the boundaries the check probed (the longest value accepted,
    /// the status and message of a refusal, the envelope's keys): behaviour matrices record
    /// it, so a change of behaviour is a reviewable diff even where the verdict stays.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub observed: Vec<String>,
}

/// A time as RFC 3339 in UTC (`2026-12-07T05:42:47Z`), without a date crate.
pub fn rfc3339_utc(time: std::time::SystemTime) -> String {
    let seconds = time
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// A body for the terminal: whole with `full`, else its start and how much is left out.
fn clip(body: &str, length: usize, full: bool) -> String {
    let shown: String = body.chars().take(BODY_SHOWN).collect();
    if full || shown.len() == body.len() && length <= body.len() {
        return body.to_owned();
    }
    format!("{shown}… [{length} bytes in all; --full shows more]")
}

impl Outcome {
    /// The outcome with every text it carries redacted (skip reasons quote what servers
    /// answered, and servers may echo credentials back), long texts clipped after.
    pub fn redacted(self, redactor: &crate::secrets::Redactor) -> Outcome {
        match self {
            Outcome::Skipped { reason } => Outcome::Skipped {
                reason: redactor.redact_clipped(&reason, 300),
            },
            Outcome::Failed(mut failure) => {
                failure.expected = redactor.redact(&failure.expected);
                failure.got = redactor.redact(&failure.got);
                failure.input = failure.input.map(|i| redactor.redact(&i));
                Outcome::Failed(failure)
            }
            Outcome::Warning(mut failure) => {
                failure.got = redactor.redact(&failure.got);
                Outcome::Warning(failure)
            }
            passed => passed,
        }
    }
}

impl CheckResult {
    pub fn new(check: Check, operation: &str, outcome: Outcome) -> CheckResult {
        CheckResult {
            check: check.id(),
            name: check.name(),
            operation: operation.to_owned(),
            outcome,
            observed: Vec::new(),
        }
    }

    pub fn failed(&self) -> bool {
        matches!(self.outcome, Outcome::Failed(_))
    }
}

/// How much of one operation a run exercised.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub operation: String,
    pub method: String,
    pub path: String,
    pub requests: usize,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The harness and its version (`conformance 0.1.0`).
    pub version: String,
    /// When the run started, RFC 3339 in UTC.
    pub timestamp: String,
    /// The dialect, or the spec's title for `--spec`.
    pub target: String,
    /// Where the requests went.
    pub base_url: String,
    pub seed: u64,
    pub cases: u32,
    pub results: Vec<CheckResult>,
    /// Every operation of the spec and how many requests it got: an operation no request
    /// reached is reported with why (its checks' skip reasons).
    pub coverage: Vec<Coverage>,
    pub requests: usize,
    /// Wall time; left out of snapshots and behaviour matrices.
    #[serde(skip)]
    pub elapsed: std::time::Duration,
}

impl Report {
    pub fn warnings(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Warning(_)))
    }

    /// The operations no request reached.
    pub fn unexercised(&self) -> Vec<&Coverage> {
        self.coverage.iter().filter(|c| c.requests == 0).collect()
    }

    pub fn failures(&self) -> usize {
        self.results.iter().filter(|r| r.failed()).count()
    }

    /// Checks that ran to a verdict (passed or failed); skips are not among them.
    pub fn checked(&self) -> usize {
        self.count(|o| !matches!(o, Outcome::Skipped { .. }))
    }

    pub fn count(&self, predicate: impl Fn(&Outcome) -> bool) -> usize {
        self.results
            .iter()
            .filter(|r| predicate(&r.outcome))
            .count()
    }

    /// The terminal report: one line per check and operation, then each failure in full,
    /// response bodies clipped to [`BODY_SHOWN`] characters.
    pub fn render_text(&self) -> String {
        self.render_text_with(false)
    }

    /// [`Report::render_text`]; `full`: response bodies as the report keeps them.
    pub fn render_text_with(&self, full: bool) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "conformance: {} (seed {}, {} cases per property)\n",
            self.target, self.seed, self.cases
        ));
        for result in &self.results {
            let outcome = match &result.outcome {
                Outcome::Passed { cases } => {
                    format!("pass ({cases} case{})", if *cases == 1 { "" } else { "s" })
                }
                Outcome::Failed(failure) => format!(
                    "FAIL{}",
                    failure
                        .field
                        .as_ref()
                        .map(|f| format!(" on {f}"))
                        .unwrap_or_default()
                ),
                Outcome::Skipped { reason } => format!("skipped: {reason}"),
                Outcome::Warning(failure) => format!("warning: {}", failure.got),
            };
            out.push_str(&format!(
                "  {} {:<24} {:<28} {outcome}\n",
                result.check, result.name, result.operation
            ));
        }
        for result in self.results.iter().filter(|r| r.failed()) {
            let Outcome::Failed(failure) = &result.outcome else {
                continue;
            };
            out.push_str(&format!(
                "\n{} {} broken on {}\n",
                result.check, result.name, result.operation
            ));
            out.push_str(&format!(
                "  expected: {}\n  got:      {}\n",
                failure.expected, failure.got
            ));
            if let Some(input) = &failure.input {
                out.push_str(&format!("  smallest failing input: {input}\n"));
            }
            out.push_str("  reproduce (in order):\n");
            for (index, step) in failure.sequence.iter().enumerate() {
                out.push_str(&format!(
                    "    {}. {}\n       → {}",
                    index + 1,
                    step.curl,
                    step.outcome
                ));
                if !step.body.is_empty() {
                    out.push_str(&format!(" {}", clip(&step.body, step.body_length, full)));
                }
                out.push('\n');
            }
        }
        let unexercised = self.unexercised();
        out.push_str(&format!(
            "\noperations exercised: {}/{}\n",
            self.coverage.len() - unexercised.len(),
            self.coverage.len()
        ));
        for coverage in unexercised {
            let mut reasons: Vec<&str> = self
                .results
                .iter()
                .filter(|r| r.operation == coverage.operation)
                .filter_map(|r| match &r.outcome {
                    Outcome::Skipped { reason } => Some(reason.as_str()),
                    _ => None,
                })
                .collect();
            reasons.dedup();
            out.push_str(&format!(
                "  not exercised: {} ({} {}): {}\n",
                coverage.operation,
                coverage.method,
                coverage.path,
                if reasons.is_empty() {
                    "no check applies to it".to_owned()
                } else {
                    reasons.join("; ")
                }
            ));
        }
        out.push_str(&format!(
            "{}: {} passed, {} failed, {} skipped; {} requests in {:.2} s\n",
            self.target,
            self.count(|o| matches!(o, Outcome::Passed { .. })),
            self.failures(),
            self.count(|o| matches!(o, Outcome::Skipped { .. })),
            self.requests,
            self.elapsed.as_secs_f64(),
        ));
        out
    }

    pub fn render_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// JUnit XML: one test case per check and operation.
    pub fn render_junit(&self) -> String {
        let escape = |text: &str| {
            text.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
        };
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str(&format!(
            "<testsuite name=\"conformance {}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{:.3}\">\n",
            escape(&self.target),
            self.results.len(),
            self.failures(),
            self.count(|o| matches!(o, Outcome::Skipped { .. })),
            self.elapsed.as_secs_f64()
        ));
        for result in &self.results {
            out.push_str(&format!(
                "  <testcase classname=\"{}.{}\" name=\"{} {}\">",
                escape(&self.target),
                escape(&result.operation),
                result.check,
                result.name
            ));
            match &result.outcome {
                Outcome::Passed { .. } => {}
                Outcome::Skipped { reason } => {
                    out.push_str(&format!("<skipped message=\"{}\"/>", escape(reason)))
                }
                Outcome::Warning(failure) => out.push_str(&format!(
                    "<system-out>warning: {}; {}</system-out>",
                    escape(&failure.got),
                    escape(
                        failure
                            .sequence
                            .last()
                            .map(|s| s.curl.as_str())
                            .unwrap_or_default()
                    )
                )),
                Outcome::Failed(failure) => {
                    let steps: Vec<String> = failure
                        .sequence
                        .iter()
                        .map(|s| format!("{}\n→ {} {}", s.curl, s.outcome, s.body))
                        .collect();
                    out.push_str(&format!(
                        "<failure message=\"expected {}; got {}\">{}</failure>",
                        escape(&failure.expected),
                        escape(&failure.got),
                        escape(&steps.join("\n"))
                    ));
                }
            }
            out.push_str("</testcase>\n");
        }
        out.push_str("</testsuite>\n");
        out
    }
}

#[cfg(test)]
mod time_tests {
    #[test]
    fn times_are_rfc3339_in_utc() {
        let at = |s| std::time::UNIX_EPOCH + std::time::Duration::from_secs(s);
        assert_eq!(super::rfc3339_utc(at(0)), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339_utc(at(951_782_400)), "2000-02-29T00:00:00Z");
        assert_eq!(
            super::rfc3339_utc(at(1_796_622_167)),
            "2026-12-07T05:42:47Z"
        );
    }
}
