//! `cargo xtask bench diff`: how long `api-diff` takes on large real-world specs — GitHub's
//! (3.7 MB of JSON) against a copy with 50 edits scattered over its operations, and
//! Stripe's (4 MB of YAML) against itself. Each stage is timed separately: reading both
//! documents (syntax, and the OpenAPI 3.0 structure check), the comparison, the JSON report.
//! The edited copy is written to `target/bench-diff/` for inspection.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use generator::diff::{AllowList, Format, Level, Report, diff_values, parse_for_diff};
use serde_json::{Value, json};

use crate::Failure;
use crate::bench::{Stats, millis};

const EDITS: usize = 50;

pub fn run(root: &Path, iterations: usize) -> Result<(), Failure> {
    let corpus = root
        .parent()
        .map(|p| p.join("shared/corpus"))
        .unwrap_or_default();
    let iterations = iterations.clamp(1, 10);
    println!(
        "api-diff on the corpus specs in {} ({iterations} iterations after 1 warm-up)",
        corpus.display()
    );
    println!(
        "  {:<34} {:>10} {:>10} {:>10} {:>10}  findings",
        "pair", "read ms", "diff ms", "report ms", "total ms"
    );

    let github = corpus.join("github-api.json");
    match fs::read_to_string(&github) {
        Err(_) => println!("  github-api.json not present: skipped"),
        Ok(old_text) => {
            let label = github.to_string_lossy().into_owned();
            let mut edited =
                parse_for_diff(&label, &old_text).map_err(|e| Failure::Check(e.to_string()))?;
            let edits = scatter_edits(&mut edited, EDITS);
            let new_text = serde_json::to_string_pretty(&edited).unwrap_or_default();
            let dir = root.join("target/bench-diff");
            let _ = fs::create_dir_all(&dir);
            let edited_path = dir.join("github-api.edited.json");
            let _ = fs::write(&edited_path, &new_text);
            let _ = fs::write(dir.join("github-api.edits.txt"), edits.join("\n") + "\n");
            let row = measure(
                &label,
                &old_text,
                &edited_path.to_string_lossy(),
                &new_text,
                iterations,
            )?;
            row.print(&format!("GitHub vs {} edits", edits.len()));
            println!(
                "    edits: {} (list in {})",
                edits.len(),
                dir.join("github-api.edits.txt").display()
            );
            println!("    by id: {}", row.by_id);
        }
    }

    let stripe = corpus.join("stripe-spec3.yaml");
    match fs::read_to_string(&stripe) {
        Err(_) => println!("  stripe-spec3.yaml not present: skipped"),
        Ok(text) => {
            let label = stripe.to_string_lossy().into_owned();
            let row = measure(&label, &text, &label, &text, iterations)?;
            row.print("Stripe vs itself (full walk)");
            // What the command does: equal documents are not walked at all.
            let mut equal = Vec::new();
            let old = parse_for_diff(&label, &text).map_err(|e| Failure::Check(e.to_string()))?;
            let new = parse_for_diff(&label, &text).map_err(|e| Failure::Check(e.to_string()))?;
            for _ in 0..iterations {
                let start = Instant::now();
                let same = old == new;
                equal.push(millis(start.elapsed()));
                assert!(same);
            }
            let equal = Stats::of(equal);
            println!(
                "  {:<34} {:>10.1} {:>10.1} {:>10} {:>10.1}  no changes (equality check instead of the walk)",
                "Stripe vs itself (as the command)",
                row.read.median,
                equal.median,
                "-",
                row.read.median + equal.median
            );
        }
    }
    Ok(())
}

struct Row {
    read: Stats,
    diff: Stats,
    report: Stats,
    total: Stats,
    summary: String,
    by_id: String,
}

impl Row {
    fn print(&self, name: &str) {
        println!(
            "  {name:<34} {:>10.1} {:>10.1} {:>10.1} {:>10.1}  {}",
            self.read.median, self.diff.median, self.report.median, self.total.median, self.summary
        );
    }
}

fn measure(
    old_label: &str,
    old_text: &str,
    new_label: &str,
    new_text: &str,
    iterations: usize,
) -> Result<Row, Failure> {
    let once = || -> Result<([Duration; 3], Report), Failure> {
        let start = Instant::now();
        let old = parse_for_diff(old_label, old_text).map_err(|e| Failure::Check(e.to_string()))?;
        let new = parse_for_diff(new_label, new_text).map_err(|e| Failure::Check(e.to_string()))?;
        let read = start.elapsed();
        let start = Instant::now();
        let findings = diff_values(&old, &new);
        let diff = start.elapsed();
        let start = Instant::now();
        let mut report = Report::default();
        report.add(None, findings, &AllowList::default());
        let text = report.render(Format::Json, Level::Error);
        std::hint::black_box(text);
        Ok(([read, diff, start.elapsed()], report))
    };
    let (_, report) = once()?;
    let mut samples = Vec::new();
    for _ in 0..iterations {
        samples.push(once()?.0);
    }
    let column = |i: usize| Stats::of(samples.iter().map(|s| millis(s[i])).collect());
    let mut by_id: BTreeMap<&str, usize> = BTreeMap::new();
    for entry in &report.entries {
        *by_id.entry(entry.finding.id.id()).or_default() += 1;
    }
    Ok(Row {
        read: column(0),
        diff: column(1),
        report: column(2),
        total: Stats::of(samples.iter().map(|s| millis(s[0] + s[1] + s[2])).collect()),
        summary: report.summary(),
        by_id: by_id
            .iter()
            .map(|(id, n)| format!("{id} {n}"))
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// Applies `count` edits, ten kinds in turn, to operations spread evenly over the document;
/// returns what was done, one line per edit.
fn scatter_edits(document: &mut Value, count: usize) -> Vec<String> {
    const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];
    let operations: Vec<(String, String)> = document["paths"]
        .as_object()
        .map(|paths| {
            paths
                .iter()
                .flat_map(|(path, item)| {
                    METHODS
                        .iter()
                        .filter(|m| item.get(**m).is_some())
                        .map(|m| (path.clone(), (*m).to_owned()))
                        .collect::<Vec<_>>()
                })
                .collect()
        })
        .unwrap_or_default();
    let step = (operations.len() / count.max(1)).max(1);
    let mut done = Vec::new();
    for (k, (path, method)) in operations.iter().step_by(step).take(count).enumerate() {
        let label = format!("{} {path}", method.to_uppercase());
        let Some(item) = document["paths"].get_mut(path.as_str()) else {
            continue;
        };
        if k % 10 == 0 {
            if let Some(item) = item.as_object_mut() {
                item.remove(method.as_str());
            }
            done.push(format!("{label}: operation removed"));
            continue;
        }
        let Some(operation) = item.get_mut(method.as_str()).and_then(Value::as_object_mut) else {
            continue;
        };
        let what = match k % 10 {
            1 => {
                parameters(operation).push(json!({"name": format!("bench_{k}"), "in": "query", "required": true, "schema": {"type": "string"}}));
                "required query parameter added"
            }
            2 => {
                operation.insert("deprecated".into(), true.into());
                "deprecated"
            }
            3 => {
                responses(operation).insert("418".into(), json!({"description": "teapot"}));
                "response 418 added"
            }
            4 => {
                let responses = responses(operation);
                match responses.keys().find(|s| s.starts_with('2')).cloned() {
                    Some(status) => {
                        responses.remove(&status);
                        "a success status removed"
                    }
                    None => {
                        responses.insert("299".into(), json!({"description": "bench"}));
                        "response 299 added"
                    }
                }
            }
            5 => {
                parameters(operation).push(json!({"name": format!("bench_{k}"), "in": "header", "schema": {"type": "integer", "maximum": 10}}));
                "optional header parameter added"
            }
            6 => {
                operation.insert("operationId".into(), format!("bench-{k}").into());
                "operationId changed"
            }
            7 => {
                operation.insert("security".into(), json!([{"bench_key": []}]));
                "security requirement set"
            }
            8 => match operation
                .get_mut("requestBody")
                .and_then(|b| b.get_mut("content"))
                .and_then(Value::as_object_mut)
            {
                Some(content) => {
                    content.insert(
                        "application/xml".into(),
                        json!({"schema": {"type": "string"}}),
                    );
                    "request media type added"
                }
                None => {
                    operation.insert("requestBody".into(), json!({"required": true, "content": {"application/json": {"schema": {"type": "object"}}}}));
                    "required request body added"
                }
            },
            _ => {
                operation.insert(
                    "servers".into(),
                    json!([{"url": "https://bench.example.com"}]),
                );
                "server added"
            }
        };
        done.push(format!("{label}: {what}"));
    }
    done
}

fn parameters(operation: &mut serde_json::Map<String, Value>) -> &mut Vec<Value> {
    let entry = operation.entry("parameters").or_insert_with(|| json!([]));
    if !entry.is_array() {
        *entry = json!([]);
    }
    match entry {
        Value::Array(list) => list,
        _ => unreachable!("made an array above"),
    }
}

fn responses(
    operation: &mut serde_json::Map<String, Value>,
) -> &mut serde_json::Map<String, Value> {
    let entry = operation.entry("responses").or_insert_with(|| json!({}));
    if !entry.is_object() {
        *entry = json!({});
    }
    match entry {
        Value::Object(map) => map,
        _ => unreachable!("made an object above"),
    }
}
