//! The HTML report (`--report-html`, `cargo xtask conformance-html`): one self-contained page
//! for one or several runs, rendered with minijinja from `templates/report.html`.
//!
//! It is rendered from the JSON report (what `--report-json` writes, as a
//! [`serde_json::Value`]), not from the run's structures: a report written by an older or newer
//! harness renders too, and fields this module does not know (a replay command, a tool version)
//! are shown when present. The page makes no network request (its CSP is `default-src 'none'`,
//! with inline style and script allowed), so it works from `file://` and from a CI artefact.
//! Every text from the report is HTML-escaped by the template engine (the file name ends in
//! `.html`); nothing from the report goes into the script.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

const TEMPLATE: &str = include_str!("../../templates/report.html");

/// Renders one page for `runs`, each a JSON report as `--report-json` writes it.
pub fn render(runs: &[Value]) -> Result<String, String> {
    let runs: Vec<RunView> = runs
        .iter()
        .enumerate()
        .map(|(index, run)| RunView::of(index, run))
        .collect::<Result<_, _>>()?;
    let title = format!(
        "Conformance report: {}",
        runs.iter()
            .map(|run| run.target.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut checks = BTreeMap::new();
    let mut operations = std::collections::BTreeSet::new();
    for run in &runs {
        for check in &run.checks {
            checks
                .entry(check.id.clone())
                .or_insert_with(|| check.name.clone());
        }
        for row in &run.rows {
            operations.insert(row.operation.clone());
        }
    }
    let page = Page {
        title,
        generator: concat!("conformance ", env!("CARGO_PKG_VERSION")),
        totals: Counts::sum(runs.iter().map(|run| &run.counts)),
        checks: checks
            .into_iter()
            .map(|(id, name)| Column { id, name })
            .collect(),
        operations: operations.into_iter().collect(),
        runs,
    };
    let mut env = minijinja::Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .map_err(|e| format!("templates/report.html: {e:#}"))?,
    );
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_filter("truncate_to", truncate_to);
    let template = env
        .template_from_named_str("report.html", TEMPLATE)
        .map_err(|e| format!("templates/report.html: {e:#}"))?;
    template
        .render(minijinja::value::Serde(&page))
        .map_err(|e| format!("templates/report.html: {e:#}"))
}

/// The first `limit` characters of a text, with `…` when it was longer.
fn truncate_to(text: String, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// Reads JSON reports (each file one report, or an array of reports) for [`render`].
pub fn read_reports(paths: &[std::path::PathBuf]) -> Result<Vec<Value>, String> {
    let mut runs = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a JSON report: {e}", path.display()))?;
        match value {
            Value::Array(many) => runs.extend(many),
            one => runs.push(one),
        }
    }
    Ok(runs)
}

#[derive(Debug, Serialize)]
struct Page {
    title: String,
    generator: &'static str,
    totals: Counts,
    /// Every check and operation of every run, for the filters.
    checks: Vec<Column>,
    operations: Vec<String>,
    runs: Vec<RunView>,
}

#[derive(Debug, Default, Clone, Serialize)]
struct Counts {
    passed: usize,
    failed: usize,
    skipped: usize,
    warnings: usize,
    results: usize,
}

impl Counts {
    fn sum<'a>(all: impl Iterator<Item = &'a Counts>) -> Counts {
        let mut total = Counts::default();
        for counts in all {
            total.passed += counts.passed;
            total.failed += counts.failed;
            total.skipped += counts.skipped;
            total.warnings += counts.warnings;
            total.results += counts.results;
        }
        total
    }

    fn add(&mut self, state: State) {
        self.results += 1;
        match state {
            State::Pass => self.passed += 1,
            State::Fail => self.failed += 1,
            State::Skip => self.skipped += 1,
            State::Warn => self.warnings += 1,
        }
    }
}

/// What one result says, worst last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
enum State {
    Skip,
    Pass,
    Warn,
    Fail,
}

impl State {
    fn of(outcome: &str) -> State {
        match outcome {
            "passed" | "pass" => State::Pass,
            "failed" | "fail" => State::Fail,
            "skipped" | "skip" => State::Skip,
            // "warning", or an outcome this page does not know yet: shown, never hidden.
            _ => State::Warn,
        }
    }
}

#[derive(Debug, Serialize)]
struct Column {
    id: String,
    name: String,
}

#[derive(Debug, Serialize)]
struct RunView {
    /// The anchor prefix of the run (`r0`, `r1`, …).
    key: String,
    target: String,
    /// Whatever else the report says about the run: seed, cases, requests, base URL, tool
    /// version, timestamp (in that order, those it has).
    facts: Vec<Fact>,
    counts: Counts,
    checks: Vec<Column>,
    rows: Vec<Row>,
    failures: Vec<Detail>,
    warnings: Vec<Detail>,
    skips: Vec<Detail>,
}

#[derive(Debug, Serialize)]
struct Fact {
    label: &'static str,
    value: String,
}

#[derive(Debug, Serialize)]
struct Row {
    operation: String,
    failed: bool,
    cells: Vec<Cell>,
}

/// One operation × check: the results it holds (usually one), the worst shown.
#[derive(Debug, Serialize)]
struct Cell {
    check: String,
    name: String,
    state: Option<State>,
    counts: Counts,
    /// The anchor of the first failure, warning or skip it holds, if any.
    link: Option<String>,
    /// Cases run, when it passed.
    cases: Option<u64>,
}

/// A failure, warning or skip, with everything the report says about it.
#[derive(Debug, Serialize)]
struct Detail {
    anchor: String,
    check: String,
    name: String,
    operation: String,
    state: State,
    reason: Option<String>,
    expected: Option<String>,
    got: Option<String>,
    field: Option<String>,
    input: Option<String>,
    replay: Option<String>,
    /// The request that broke the rule (the last of the sequence) and those before it.
    last: Option<StepView>,
    before: Vec<StepView>,
}

#[derive(Debug, Serialize)]
struct StepView {
    anchor: String,
    number: usize,
    curl: String,
    outcome: String,
    body: String,
}

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

impl RunView {
    fn of(index: usize, run: &Value) -> Result<RunView, String> {
        let key = format!("r{index}");
        let results = run
            .get("results")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("report {}: no `results` array", index + 1))?;
        let target = text(run.get("target")).unwrap_or_else(|| format!("run {}", index + 1));
        let mut facts = Vec::new();
        for (label, keys) in [
            ("seed", &["seed"][..]),
            ("cases per property", &["cases"]),
            ("requests", &["requests"]),
            ("base URL", &["base_url", "baseUrl"]),
            ("tool", &["version", "tool_version", "tool"]),
            ("time", &["timestamp", "started", "started_at"]),
        ] {
            if let Some(value) = keys.iter().find_map(|key| text(run.get(*key))) {
                facts.push(Fact { label, value });
            }
        }
        let mut counts = Counts::default();
        let mut checks: Vec<Column> = Vec::new();
        let mut operations: Vec<String> = Vec::new();
        let mut cells: BTreeMap<(String, String), Cell> = BTreeMap::new();
        let (mut failures, mut warnings, mut skips) = (Vec::new(), Vec::new(), Vec::new());
        for result in results {
            let check = text(result.get("check")).unwrap_or_else(|| "?".into());
            let name = text(result.get("name")).unwrap_or_default();
            let operation = text(result.get("operation")).unwrap_or_else(|| "(none)".into());
            let state = State::of(&text(result.get("outcome")).unwrap_or_default());
            counts.add(state);
            if !checks.iter().any(|c| c.id == check) {
                checks.push(Column {
                    id: check.clone(),
                    name: name.clone(),
                });
            }
            if !operations.contains(&operation) {
                operations.push(operation.clone());
            }
            let list = match state {
                State::Fail => Some((&mut failures, "f")),
                State::Warn => Some((&mut warnings, "w")),
                State::Skip => Some((&mut skips, "s")),
                State::Pass => None,
            };
            let anchor = list.map(|(list, letter)| {
                let anchor = format!("{key}-{letter}{}", list.len());
                list.push(detail(&anchor, &check, &name, &operation, state, result));
                anchor
            });
            let cell = cells
                .entry((operation.clone(), check.clone()))
                .or_insert_with(|| Cell {
                    check: check.clone(),
                    name: name.clone(),
                    state: None,
                    counts: Counts::default(),
                    link: None,
                    cases: None,
                });
            cell.counts.add(state);
            if cell.state.is_none_or(|shown| state > shown) {
                cell.state = Some(state);
                if anchor.is_some() {
                    cell.link = anchor;
                }
            }
            if state == State::Pass {
                cell.cases = result.get("cases").and_then(Value::as_u64);
            }
        }
        checks.sort_by(|a, b| a.id.cmp(&b.id));
        let rows = operations
            .into_iter()
            .map(|operation| {
                let cells: Vec<Cell> = checks
                    .iter()
                    .map(|check| {
                        cells
                            .remove(&(operation.clone(), check.id.clone()))
                            .unwrap_or(Cell {
                                check: check.id.clone(),
                                name: check.name.clone(),
                                state: None,
                                counts: Counts::default(),
                                link: None,
                                cases: None,
                            })
                    })
                    .collect();
                Row {
                    failed: cells.iter().any(|cell| cell.counts.failed > 0),
                    operation,
                    cells,
                }
            })
            .collect();
        Ok(RunView {
            key,
            target,
            facts,
            counts,
            checks,
            rows,
            failures,
            warnings,
            skips,
        })
    }
}

fn detail(
    anchor: &str,
    check: &str,
    name: &str,
    operation: &str,
    state: State,
    result: &Value,
) -> Detail {
    let steps: Vec<StepView> = result
        .get("sequence")
        .and_then(Value::as_array)
        .map(|steps| {
            steps
                .iter()
                .enumerate()
                .map(|(index, step)| StepView {
                    anchor: format!("{anchor}-{}", index + 1),
                    number: index + 1,
                    curl: text(step.get("curl")).unwrap_or_default(),
                    outcome: text(step.get("outcome")).unwrap_or_default(),
                    body: text(step.get("body")).unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut before = steps;
    let last = before.pop();
    Detail {
        anchor: anchor.to_owned(),
        check: check.to_owned(),
        name: name.to_owned(),
        operation: operation.to_owned(),
        state,
        reason: text(result.get("reason")).or_else(|| text(result.get("message"))),
        expected: text(result.get("expected")),
        got: text(result.get("got")),
        field: text(result.get("field")),
        input: text(result.get("input")),
        replay: text(result.get("replay")),
        last,
        before,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::report::{CheckResult, Failure, Outcome, Report, Step};

    fn check(id: &str) -> crate::Check {
        *crate::checks::ALL.iter().find(|c| c.id() == id).unwrap()
    }

    /// A report as the harness builds it, so the page follows the real JSON.
    fn report() -> Report {
        let failure = Failure {
            expected: "400 naming first_name".into(),
            got: "200 <script>alert(1)</script>".into(),
            field: Some("first_name".into()),
            input: Some("\"aaaa\"".into()),
            sequence: vec![
                Step {
                    curl: "curl -X GET 'http://x/users/1' -H 'Authorization: [redacted]'".into(),
                    outcome: "200".into(),
                    body: "{}".into(),
                    body_length: 2,
                },
                Step {
                    curl: "curl -X PUT 'http://x/users/1' --data-binary '{\"first_name\":\"a\"}'"
                        .into(),
                    outcome: "200".into(),
                    body: "{\"first_name\":\"a\"}".into(),
                    body_length: 18,
                },
            ],
        };
        Report {
            version: "conformance 0.1.0".into(),
            timestamp: "2026-12-07T05:42:47Z".into(),
            base_url: "http://x".into(),
            coverage: Vec::new(),
            target: "manage".into(),
            seed: 7,
            cases: 3,
            results: vec![
                CheckResult::new(
                    check("CF101"),
                    "putUser",
                    Outcome::Failed(Box::new(failure)),
                ),
                CheckResult::new(check("CF101"), "getUser", Outcome::Passed { cases: 3 }),
                CheckResult::new(
                    check("CF200"),
                    "putUser",
                    Outcome::Skipped {
                        reason: "needs --token".into(),
                    },
                ),
            ],
            requests: 12,
            elapsed: std::time::Duration::ZERO,
        }
    }

    #[test]
    fn a_report_renders_escaped_and_whole() {
        let value = serde_json::to_value(report()).unwrap();
        let page = render(&[value.clone(), value]).unwrap();
        assert!(!page.contains("<script>alert(1)"), "not escaped");
        assert!(page.contains("&lt;script&gt;alert(1)"));
        assert!(
            page.contains("default-src &#x27;none&#x27;") || page.contains("default-src 'none'")
        );
        assert_eq!(page.matches("id=\"r0-f0\"").count(), 1);
        assert_eq!(page.matches("id=\"r1-f0\"").count(), 1);
        assert_eq!(page.matches("id=\"r1-s0\"").count(), 1);
        assert!(page.contains("needs --token"));
        assert!(page.contains("curl -X PUT"));
        // No URL the browser would fetch: no src, no external href.
        assert!(!page.contains(" src="));
        assert!(!page.contains("href=\"http"));
    }

    #[test]
    fn cells_keep_the_worst_result_and_count_all() {
        let mut report = report();
        report.results.push(CheckResult::new(
            check("CF101"),
            "putUser",
            Outcome::Passed { cases: 1 },
        ));
        let view = RunView::of(0, &serde_json::to_value(report).unwrap()).unwrap();
        assert_eq!(view.counts.failed, 1);
        assert_eq!(view.counts.passed, 2);
        assert_eq!(view.counts.skipped, 1);
        let put = view.rows.iter().find(|r| r.operation == "putUser").unwrap();
        let cell = put.cells.iter().find(|c| c.check == "CF101").unwrap();
        assert_eq!(cell.state, Some(State::Fail));
        assert_eq!((cell.counts.failed, cell.counts.passed), (1, 1));
        assert_eq!(cell.link.as_deref(), Some("r0-f0"));
        assert!(put.failed);
    }

    #[test]
    fn unknown_outcomes_show_as_warnings_and_a_report_without_results_is_refused() {
        let run = serde_json::json!({"target": "x", "results": [
            {"check": "CF999", "name": "new", "operation": "op", "outcome": "warning", "message": "slow"}
        ]});
        let view = RunView::of(0, &run).unwrap();
        assert_eq!(view.counts.warnings, 1);
        assert_eq!(view.warnings[0].reason.as_deref(), Some("slow"));
        assert!(render(&[serde_json::json!({"target": "x"})]).is_err());
    }
}
