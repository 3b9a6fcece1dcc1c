//! `cargo xtask corpus`: every OpenAPI document of a corpus (by default `../shared/corpus/`)
//! generated as a standalone crate (`codegen --spec`) into `target/corpus/<spec>/`, each
//! checked with `cargo clippy --offline -- -D warnings`, and one table: spec, generated,
//! warnings, refused, compiled, codegen time. CI runs it.
//!
//! The crates share one target directory (`target/corpus/target`) and this repository's
//! `Cargo.lock`, so the dependencies build once (about a minute and a half on two cores) and
//! every crate after that is its own compilation only.
//!
//! A spec the generator refuses fails the run unless [`REFUSALS`] documents why: a refusal
//! names what cannot be represented, and where. The three large real-world specs are left
//! out of CI ([`SLOW`]) and checked with `--all`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use generator::codegen::Features;

use crate::cli::CorpusArgs;
use crate::codegen::{RuntimeMode, StandaloneArgs, standalone};
use crate::{Failure, project_root};

/// Specs left out of CI, and why.
pub const SLOW: &[(&str, &str)] = &[
    (
        "stripe-spec3.yaml",
        "468 operations: its crate alone took 565 s of clippy here (debug codegen 59 s), more than the step's ten minutes",
    ),
    (
        "github-api.json",
        "767 operations: its crate alone took 226 s of clippy here (debug codegen 24 s)",
    ),
    (
        "oxide-nexus.json",
        "193 operations: its crate took 111 s of clippy here; left out with the other two to keep the step near a minute",
    ),
];

/// Specs the generator refuses, each with what it cannot represent. Empty: every corpus spec
/// generates. A refusal added here is documented in the README's corpus table.
pub const REFUSALS: &[(&str, &str)] = &[];

/// One spec's row.
#[derive(Debug)]
struct Row {
    spec: String,
    generated: bool,
    warnings: usize,
    refused: Option<String>,
    compiled: Option<bool>,
    codegen_ms: u128,
    clippy_s: Option<f64>,
}

pub fn run(args: &CorpusArgs) -> Result<(), Failure> {
    let root = project_root();
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| root.join("../shared/corpus"));
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|error| Failure::Usage(format!("cannot list {}: {error}", dir.display())))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    let file_name = |path: &Path| {
        path.file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if !args.all {
        specs.retain(|path| !SLOW.iter().any(|(name, _)| *name == file_name(path)));
    }
    if !args.only.is_empty() {
        specs.retain(|path| args.only.iter().any(|only| file_name(path).contains(only)));
    }
    let out = root.join("target").join("corpus");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut rows = Vec::new();
    for spec in &specs {
        let name = crate_name(spec, &specs);
        let crate_dir = out.join(&name);
        let started = Instant::now();
        let result = standalone(&StandaloneArgs {
            spec,
            out: &crate_dir,
            name: Some(&name),
            features: Features::ALL,
            // The runtime by path: every crate shares its one build in the target directory.
            runtime: RuntimeMode::Path,
            check: false,
            strict: false,
        });
        let codegen_ms = started.elapsed().as_millis();
        let mut row = Row {
            spec: file_name(spec),
            generated: false,
            warnings: 0,
            refused: None,
            compiled: None,
            codegen_ms,
            clippy_s: None,
        };
        match result {
            Ok(report) => {
                row.generated = true;
                row.warnings = report.warnings.len();
                if !args.no_compile {
                    let started = Instant::now();
                    let output = Command::new(&cargo)
                        .args([
                            "clippy",
                            "--offline",
                            "--quiet",
                            "--all-targets",
                            "--manifest-path",
                        ])
                        .arg(crate_dir.join("Cargo.toml"))
                        .args(["--", "-D", "warnings"])
                        .env("CARGO_TARGET_DIR", out.join("target"))
                        .output()
                        .map_err(|error| Failure::Usage(format!("cannot run cargo: {error}")))?;
                    row.clippy_s = Some(started.elapsed().as_secs_f64());
                    row.compiled = Some(output.status.success());
                    if !output.status.success() {
                        eprintln!(
                            "{}: the generated crate does not pass clippy:\n{}",
                            row.spec,
                            String::from_utf8_lossy(&output.stderr)
                        );
                    }
                }
            }
            Err(failure) => {
                let message = failure.to_string();
                eprintln!("{message}");
                row.refused = Some(
                    message
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .trim_start_matches("error: ")
                        .to_owned(),
                );
            }
        }
        println!(
            "{}: {}",
            row.spec,
            match (&row.refused, row.compiled) {
                (Some(_), _) => "refused".to_owned(),
                (None, Some(true)) =>
                    format!("generated, clippy-clean ({} warning(s))", row.warnings),
                (None, Some(false)) => "generated, does NOT pass clippy".to_owned(),
                (None, None) => format!("generated ({} warning(s))", row.warnings),
            }
        );
        rows.push(row);
    }
    let table = table(&rows, args.all);
    println!("\n{table}");
    let path = out.join("table.md");
    std::fs::create_dir_all(&out)
        .and_then(|()| std::fs::write(&path, &table))
        .map_err(|error| Failure::Usage(format!("cannot write {}: {error}", path.display())))?;
    println!("written to {}", path.display());

    let mut failed = Vec::new();
    for row in &rows {
        if row.refused.is_some() && !REFUSALS.iter().any(|(name, _)| *name == row.spec) {
            failed.push(format!(
                "{} is refused and no refusal is documented",
                row.spec
            ));
        }
        if row.compiled == Some(false) {
            failed.push(format!(
                "{}'s crate does not pass clippy -D warnings",
                row.spec
            ));
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::Check(failed.join("\n")))
    }
}

/// The crate's name: the spec's file stem, with its extension when another spec has the same
/// stem (`prog-param-overrides.json` and `.yaml`).
fn crate_name(spec: &Path, all: &[PathBuf]) -> String {
    let stem = |path: &Path| {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let shared = all.iter().filter(|other| stem(other) == stem(spec)).count() > 1;
    let mut name = stem(spec);
    if shared && let Some(extension) = spec.extension() {
        name = format!("{name}-{}", extension.to_string_lossy());
    }
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn table(rows: &[Row], all: bool) -> String {
    let mut text = String::from(
        "| spec | generated | warnings | refused | compiled (clippy -D warnings) | codegen ms | clippy s |\n|---|---|---|---|---|---|---|\n",
    );
    for row in rows {
        let _ = writeln!(
            text,
            "| {} | {} | {} | {} | {} | {} | {} |",
            row.spec,
            if row.generated { "yes" } else { "no" },
            row.warnings,
            row.refused.as_deref().unwrap_or("—").replace('|', "\\|"),
            match row.compiled {
                Some(true) => "yes",
                Some(false) => "NO",
                None => "—",
            },
            row.codegen_ms,
            row.clippy_s.map_or("—".to_owned(), |s| format!("{s:.1}")),
        );
    }
    if !all {
        for (name, why) in SLOW {
            let _ = writeln!(
                text,
                "| {name} | not in CI: {why} (`cargo xtask corpus --all`) | | | | | |"
            );
        }
    }
    text
}
