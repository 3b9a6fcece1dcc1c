//! `cargo xtask corpus`: every OpenAPI document of a corpus (by default `../shared/corpus/`)
//! generated as a standalone crate (`codegen --spec`) into `target/corpus/<spec>/`, all of them
//! checked with one `cargo clippy --offline --workspace -- -D warnings`, and one table: spec,
//! generated, warnings, refused, compiled, codegen time, clippy time. CI runs it, every spec.
//!
//! The crates are the members of one workspace, `target/corpus/Cargo.toml`: each crate's own
//! empty `[workspace]` table is deleted, as the generated manifest tells a user to do to add it
//! to theirs. One cargo invocation then checks them all, two at a time on two cores, with one
//! target directory (`target/corpus/target`) and this repository's `Cargo.lock`: the
//! dependencies build once (about a minute and a half on two cores), and no crate waits for
//! another's cargo to start. `--keep-going`: every crate that fails is reported, not the first.
//! Each crate's clippy time comes from cargo's `--timings` report (its `rustc` wall time, which
//! it shares with the one beside it on two cores).
//!
//! Only the library target is checked when no crate has any other (no `tests/`, `examples/`,
//! `benches/`, no `#[cfg(test)]`; doctests are off in the generated manifest):
//! `--all-targets` would check each library a second time as its test harness, the same code.
//! Incremental compilation is off (`[profile.dev]` of the workspace): every run checks
//! regenerated crates from scratch, and its bookkeeping cost stripe's crate 12%.
//!
//! Measured on the shared 2-core machine (debug xtask, dependencies built): 4 min 3 s for all
//! 37 specs, 19 s of codegen and 224 s of clippy, whose critical path is Stripe's crate
//! (219 s; GitHub's 107 s, Oxide's 14 s, every other under 4 s, all beside it). The README's
//! corpus table has every spec's figures; `target/corpus/table.md` has the last run's.
//!
//! A spec the generator refuses fails the run unless [`REFUSALS`] documents why: a refusal
//! names what cannot be represented, and where.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use generator::codegen::Features;

use crate::cli::CorpusArgs;
use crate::codegen::{RuntimeMode, StandaloneArgs, standalone};
use crate::{Failure, project_root};

/// Specs the generator refuses, each with what it cannot represent. Empty: every corpus spec
/// generates. A refusal added here is documented in the README's corpus table.
pub const REFUSALS: &[(&str, &str)] = &[];

/// One spec's row.
#[derive(Debug)]
struct Row {
    spec: String,
    crate_name: String,
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
    if !args.only.is_empty() {
        specs.retain(|path| args.only.iter().any(|only| file_name(path).contains(only)));
    }
    let out = root.join("target").join("corpus");
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
            crate_name: name,
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
        rows.push(row);
    }
    let mut clippy_wall = None;
    if !args.no_compile {
        let started = Instant::now();
        clippy(&out, &mut rows)?;
        clippy_wall = Some(started.elapsed().as_secs_f64());
    }
    for row in &rows {
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
    }
    let table = table(&rows, clippy_wall);
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

/// The generated crates as the members of one workspace (`out/Cargo.toml`), checked with one
/// `cargo clippy`; fills each generated row's `compiled` and `clippy_s`.
fn clippy(out: &Path, rows: &mut [Row]) -> Result<(), Failure> {
    let write = |path: &Path, text: &str| {
        std::fs::write(path, text)
            .map_err(|error| Failure::Usage(format!("cannot write {}: {error}", path.display())))
    };
    let members: Vec<&str> = rows
        .iter()
        .filter(|row| row.generated)
        .map(|row| row.crate_name.as_str())
        .collect();
    if members.is_empty() {
        return Ok(());
    }
    let mut other_targets = false;
    for member in &members {
        let crate_dir = out.join(member);
        let manifest_path = crate_dir.join("Cargo.toml");
        let manifest = std::fs::read_to_string(&manifest_path).map_err(|error| {
            Failure::Usage(format!("cannot read {}: {error}", manifest_path.display()))
        })?;
        // The crate's own workspace table goes: it is a member of the corpus's workspace.
        if let Some(own) = manifest.find("\n[workspace]\n") {
            let mut member_manifest = manifest.clone();
            member_manifest.replace_range(own + 1..own + "\n[workspace]\n".len(), "");
            write(&manifest_path, &member_manifest)?;
        }
        other_targets |= ["tests", "examples", "benches"]
            .iter()
            .any(|folder| crate_dir.join(folder).exists())
            || rust_files(&crate_dir.join("src")).iter().any(|file| {
                std::fs::read_to_string(file).is_ok_and(|text| text.contains("cfg(test)"))
            });
    }
    let mut workspace = String::from(
        "# Written by `cargo xtask corpus`: the generated corpus crates, checked together.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n",
    );
    for member in &members {
        let _ = writeln!(workspace, "    \"{member}\",");
    }
    // One check from scratch each time: incremental compilation's bookkeeping is all cost here
    // (stripe's crate: 167 s without it, 188 s with it).
    workspace.push_str("]\n\n[profile.dev]\nincremental = false\n");
    write(&out.join("Cargo.toml"), &workspace)?;
    // This repository's lock: the versions the generator's output is tested with, all of them
    // in the local registry cache (`--offline`); cargo adds the members.
    let lock = out.join("Cargo.lock");
    std::fs::copy(project_root().join("Cargo.lock"), &lock)
        .map_err(|error| Failure::Usage(format!("cannot write {}: {error}", lock.display())))?;

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = out.join("target");
    let output = Command::new(&cargo)
        .args([
            "clippy",
            "--offline",
            "--quiet",
            "--workspace",
            "--keep-going",
        ])
        .arg(if other_targets {
            "--all-targets"
        } else {
            "--lib"
        })
        .arg("--timings")
        .arg("--manifest-path")
        .arg(out.join("Cargo.toml"))
        .args(["--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .map_err(|error| Failure::Usage(format!("cannot run cargo: {error}")))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        eprintln!("the generated crates do not all pass clippy:\n{stderr}");
    }
    let timings = std::fs::read_to_string(target.join("cargo-timings").join("cargo-timing.html"))
        .map(|html| unit_durations(&html))
        .unwrap_or_default();
    for row in rows.iter_mut().filter(|row| row.generated) {
        let failed = stderr.contains(&format!("could not compile `{}`", row.crate_name));
        row.compiled = Some(output.status.success() || !failed);
        // A crate that failed has no duration in the report (0, as a fresh one).
        row.clippy_s = timings
            .iter()
            .filter(|(name, _)| *name == row.crate_name)
            .map(|(_, seconds)| *seconds)
            .reduce(f64::max)
            .filter(|_| !failed);
    }
    if !output.status.success() && rows.iter().all(|row| row.compiled != Some(false)) {
        // cargo failed before any crate's clippy said why (a resolution or I/O error).
        return Err(Failure::Check(format!(
            "cargo clippy failed on the corpus workspace:\n{stderr}"
        )));
    }
    Ok(())
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.filter_map(|entry| entry.ok().map(|entry| entry.path())) {
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
}

/// (crate name, seconds) of every unit in cargo's `--timings` report: the JSON array its page
/// holds as `const UNIT_DATA = [...];`. Nothing when the page's layout is not that one.
fn unit_durations(html: &str) -> Vec<(String, f64)> {
    let Some(start) = html.find("const UNIT_DATA = ") else {
        return Vec::new();
    };
    let data = &html[start + "const UNIT_DATA = ".len()..];
    let Some(end) = data.find("\n];") else {
        return Vec::new();
    };
    let Ok(units) = serde_json::from_str::<serde_json::Value>(&data[..end + 2]) else {
        return Vec::new();
    };
    units
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|unit| {
            Some((
                unit.get("name")?.as_str()?.to_owned(),
                unit.get("duration")?.as_f64()?,
            ))
        })
        .collect()
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

fn table(rows: &[Row], clippy_wall: Option<f64>) -> String {
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
            row.clippy_s.map_or("—".to_owned(), |s| if s > 0.0 {
                format!("{s:.1}")
            } else {
                "fresh".to_owned()
            }),
        );
    }
    let codegen_ms: u128 = rows.iter().map(|row| row.codegen_ms).sum();
    let clippy_s: f64 = rows.iter().filter_map(|row| row.clippy_s).sum();
    let _ = writeln!(
        text,
        "| total: {} specs | {} | {} | {} | {} | {codegen_ms} | {clippy_s:.1} (wall {}) |",
        rows.len(),
        rows.iter().filter(|row| row.generated).count(),
        rows.iter().map(|row| row.warnings).sum::<usize>(),
        rows.iter().filter(|row| row.refused.is_some()).count(),
        rows.iter().filter(|row| row.compiled == Some(true)).count(),
        clippy_wall.map_or("—".to_owned(), |s| format!("{s:.1} s")),
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_durations_reads_the_timings_page() {
        let html = "<script>\nconst UNIT_DATA = [\n  {\n    \"i\": 1,\n    \"name\": \"ring\",\n    \"duration\": 0.0\n  },\n  {\n    \"i\": 2,\n    \"name\": \"oag-petstore\",\n    \"duration\": 6.76,\n    \"sections\": [[\"frontend\", {\"start\": 0.0, \"end\": 6.56}]]\n  }\n];\nconst CONCURRENCY_DATA = [];\n</script>";
        assert_eq!(
            unit_durations(html),
            vec![("ring".to_owned(), 0.0), ("oag-petstore".to_owned(), 6.76)]
        );
        assert!(unit_durations("<html>no data</html>").is_empty());
    }

    #[test]
    fn crate_names_keep_extensions_only_to_tell_stems_apart() {
        let all = [
            PathBuf::from("c/prog-param-overrides.json"),
            PathBuf::from("c/prog-param-overrides.yaml"),
            PathBuf::from("c/oag-allOf_composition.yaml"),
        ];
        assert_eq!(crate_name(&all[0], &all), "prog-param-overrides-json");
        assert_eq!(crate_name(&all[2], &all), "oag-allof-composition");
    }
}
