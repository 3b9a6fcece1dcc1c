//! `cargo xtask bench codegen|server|harness|memory|diff|validate|all`: the figures behind the performance goals.
//!
//! - codegen: full regeneration of the six specs in-process (load + checks, model,
//!   generate; nothing written); `codegen --spec` on the large specs of `../shared/corpus`
//!   and the slowest of the others, in-process stage by stage and end to end (wall, peak RSS).
//! - server: requests per second and p99 latency of the reference server under `wrk`, side
//!   by side with Prism's mock server on the same spec, route and method.
//! - diff: `api-diff` on GitHub's spec against a copy with 50 scattered edits, and on
//!   Stripe's against itself (`bench_diff.rs`).
//! - harness: the default conformance run over all six dialects against the embedded
//!   reference server, side by side with Schemathesis against the same server and spec.
//! - validate: the generated validators against the jsonschema crate, same schemas and
//!   payloads, valid and invalid (`validate-bench/`).
//!
//! A measurement, not a test: it prints tables and fails only when it cannot measure (a
//! missing tool: exit 2). Figures from a debug build mean nothing, so a debug build re-runs
//! itself in release. Credentials are the fixtures' test credentials; they travel in files
//! and environment variables of the tools started here, never on a printed command line.

use std::fmt::Write as _;
use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use conformance::{RunConfig, Selection, Target};
use generator::spec::SpecSet;
use generator::spec::ext::Dialect;
use reference::Fixtures;

use crate::cli::{BenchArgs, BenchWhat};
use crate::{Failure, project_root};

/// Set in the release re-run, so that it never re-runs itself again.
const RELAUNCHED: &str = "XTASK_BENCH_RELAUNCHED";
/// The corpus specs, in `../shared/corpus` beside the workspace.
const CORPUS: [&str; 3] = ["oxide-nexus.json", "github-api.json", "stripe-spec3.yaml"];
/// The corpus spec with a goal of its own (issue 12): `codegen --spec` in under a second.
const STRIPE: &str = "stripe-spec3.yaml";
const GOAL_STRIPE_MS: f64 = 1000.0;
/// wrk's load: threads and connections.
const WRK_THREADS: u32 = 2;
const WRK_CONNECTIONS: u32 = 16;
/// Unmeasured load before each measurement (Prism's JIT, the allocator, the caches).
const WARM_UP_SECS: u64 = 2;
/// The Prism major version compared with.
const PRISM_PACKAGE: &str = "@stoplight/prism-cli@5";
/// Prism's log level (`-v`, `--verboseLevel`; its CLI's choices are pino's levels and
/// `silent`, default `info`). Logging every request is most of its time: on the manage GET
/// (wrk, 2 threads, 16 connections, 8 s) it served 1.7k req/s at `info`, 3.4-4.0k at `error`
/// and 3.4-3.7k at `silent` (the same within the noise). `error` is its fastest documented
/// setting that still says why it failed to start.
const PRISM_LOG_LEVEL: &str = "error";
/// The dialect and operations of the server benchmark.
const SERVER_DIALECT: Dialect = Dialect::Manage;
const SERVER_READ: &str = "getUserProfile";
const SERVER_UPDATE: &str = "putUserProfile";

const GOAL_CODEGEN_MS: f64 = 100.0;
const GOAL_SERVER_RATIO: f64 = 20.0;
const GOAL_HARNESS_SECS: f64 = 10.0;
const GOAL_HARNESS_RATIO: f64 = 50.0;
/// Harness runs per row of the comparison with Schemathesis (a median of them is reported).
const COMPARED_RUNS: usize = 5;

pub fn run(args: &BenchArgs) -> Result<(), Failure> {
    if cfg!(debug_assertions) && std::env::var_os(RELAUNCHED).is_none() {
        return relaunch_in_release();
    }
    if cfg!(debug_assertions) {
        println!("warning: this is a debug build: the figures below are not representative\n");
    }
    let root = project_root();
    let wants = |what: BenchWhat| args.what == BenchWhat::All || args.what == what;

    // Everything that has to be installed, checked before anything runs.
    let mut missing = Vec::new();
    let wrk = if wants(BenchWhat::Server) {
        let found = find_tool("WRK", "wrk", &[]);
        if found.is_none() {
            missing.push(
                "wrk (the HTTP load generator): `apt-get install wrk`, or set WRK to its path"
                    .to_owned(),
            );
        }
        found
    } else {
        None
    };
    // Schemathesis: SCHEMATHESIS, else the pinned one in the venv under target/ (made the
    // first time, as `cargo xtask ci` does).
    let schemathesis = if wants(BenchWhat::Harness) {
        match std::env::var_os("SCHEMATHESIS").filter(|p| !p.is_empty()) {
            Some(path) => Some(PathBuf::from(path)),
            None => match crate::venv::ensure() {
                Ok(tools) => Some(tools.schemathesis),
                Err(failure) => {
                    missing.push(format!(
                        "schemathesis ({failure}), or set SCHEMATHESIS to its path"
                    ));
                    None
                }
            },
        }
    } else {
        None
    };
    if !missing.is_empty() {
        return Err(Failure::Usage(format!(
            "cannot benchmark: missing\n  {}",
            missing.join("\n  ")
        )));
    }
    let st_dialect = Dialect::from_name(&args.schemathesis_dialect).ok_or_else(|| {
        Failure::Usage(format!(
            "unknown dialect {:?}: one of manage, rpc, community, billing, cl2c, canonical",
            args.schemathesis_dialect
        ))
    })?;

    if wants(BenchWhat::Codegen) {
        bench_codegen(&root, args.iterations.max(1))?;
    }
    if wants(BenchWhat::Diff) {
        crate::bench_diff::run(&root, args.iterations.max(1))?;
    }
    if let Some(wrk) = &wrk {
        bench_server(&root, wrk, args.duration.max(1))?;
    }
    if let Some(schemathesis) = &schemathesis {
        bench_harness(&root, schemathesis, st_dialect)?;
    }
    if wants(BenchWhat::Memory) {
        bench_memory()?;
    }
    if wants(BenchWhat::Validate) {
        bench_validate(&root)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// validate

/// The generated validators against the jsonschema crate: `validate-bench/` (a crate of its
/// own, so that jsonschema is a dependency of the benchmark only), run in release. It prints
/// its table and fails only when the two sides disagree on what is valid.
fn bench_validate(root: &Path) -> Result<(), Failure> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["run", "--release", "-q", "-p", "validate-bench"])
        .current_dir(root)
        .status()
        .map_err(|e| Failure::Usage(format!("cannot run cargo: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::Check(
            "the validate benchmark failed (see above)".into(),
        ))
    }
}

// ---------------------------------------------------------------------------------------
// memory

/// Peak RSS of whole conformance runs (this binary, the embedded server included) as the
/// request count grows tenfold: the passive checks judge each exchange as it arrives, so
/// the peak must not grow with it. GNU time measures the child (`/usr/bin/time -f %M`).
fn bench_memory() -> Result<(), Failure> {
    let time = find_tool("GNU_TIME", "time", &[Path::new("/usr/bin/time")]).ok_or_else(|| {
        Failure::Usage("cannot benchmark memory: missing GNU time (`apt-get install time`)".into())
    })?;
    let xtask = std::env::current_exe()
        .map_err(|e| Failure::Usage(format!("cannot find the xtask binary: {e}")))?;
    println!(
        "== memory: peak RSS of a conformance run (manage, CF100, CF304 and the passive checks)"
    );
    println!(
        "{:>8} {:>10} {:>12} {:>8}",
        "cases", "requests", "peak RSS", "wall"
    );
    for cases in [1_000u32, 10_000] {
        let output = Command::new(&time)
            .args(["-f", "peak-rss-kb %M"])
            .arg(&xtask)
            .args(["conformance", "--dialect", "manage", "--checks"])
            .arg("CF100,CF304,CF400,CF401,CF402,CF500")
            .args(["--cases", &cases.to_string()])
            .output()
            .map_err(|e| Failure::Usage(format!("cannot start {}: {e}", time.display())))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let rss_kb: u64 = stderr
            .lines()
            .find_map(|l| l.strip_prefix("peak-rss-kb ")?.trim().parse().ok())
            .unwrap_or(0);
        // "manage: 13 passed, 0 failed, 0 skipped; 20102 requests in 24.37 s"
        let summary = stdout
            .lines()
            .rev()
            .find(|l| l.contains(" requests in "))
            .unwrap_or("");
        let requests = summary
            .split("; ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .unwrap_or("?");
        let wall = summary.rsplit(" in ").next().unwrap_or("?");
        if !output.status.success() {
            return Err(Failure::Check(format!(
                "the conformance run with {cases} cases failed:\n{stdout}{stderr}"
            )));
        }
        println!(
            "{cases:>8} {requests:>10} {:>9.1} MB {wall:>8}",
            rss_kb as f64 / 1024.0
        );
    }
    Ok(())
}

/// Benchmarks are only worth something in release: a debug build runs the same command
/// again through `cargo run --release`, with the same arguments, and ends as it ends.
fn relaunch_in_release() -> Result<(), Failure> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let passed: Vec<String> = std::env::args().skip(1).collect();
    eprintln!(
        "bench: this is a debug build; re-running in release (built first if needed): cargo run --release -q -p xtask -- {}",
        passed.join(" ")
    );
    let status = Command::new(&cargo)
        .args(["run", "--release", "-q", "-p", "xtask", "--"])
        .args(&passed)
        .env(RELAUNCHED, "1")
        .current_dir(project_root())
        .status()
        .map_err(|e| Failure::Usage(format!("cannot start {cargo}: {e}")))?;
    if status.success() {
        return Ok(());
    }
    // The release run has said what went wrong; end as it ended.
    std::process::exit(status.code().unwrap_or(2));
}

// ---------------------------------------------------------------------------------------
// codegen

/// The time of each stage of one regeneration.
#[derive(Debug, Clone, Copy, Default)]
struct Stages {
    load: Duration,
    model: Duration,
    generate: Duration,
}

impl Stages {
    fn total(&self) -> Duration {
        self.load + self.model + self.generate
    }
}

/// What `cargo xtask codegen` does before it writes: every spec loaded and checked, read
/// into the model, and every file generated. Returns the stage times and the file count.
fn regenerate(spec_dir: &Path) -> Result<(Stages, usize), String> {
    let started = Instant::now();
    let set = SpecSet::load(spec_dir)
        .map_err(|errors| format!("{errors}\n{} problem(s) in the specs", errors.len()))?;
    let load = started.elapsed();

    let started = Instant::now();
    let mut apis = Vec::new();
    for (dialect, document) in &set.documents {
        let mut api = generator::model::build(document).map_err(|e| e.to_string())?;
        api.module = dialect.name().to_owned();
        apis.push(api);
    }
    let mappings = set
        .documents
        .get(&Dialect::Canonical)
        .map(generator::model::read_mapping)
        .unwrap_or_default();
    let model = started.elapsed();

    let started = Instant::now();
    let files = generator::codegen::generate(&apis, &mappings).map_err(|e| e.to_string())?;
    let generate = started.elapsed();
    Ok((
        Stages {
            load,
            model,
            generate,
        },
        files.len(),
    ))
}

fn bench_codegen(root: &Path, iterations: usize) -> Result<(), Failure> {
    let spec_dir = root.join("spec");
    let (_, files) = regenerate(&spec_dir)
        .map_err(|e| Failure::Check(format!("codegen cannot run on the specs:\n{e}")))?;
    let mut runs = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let (stages, _) = regenerate(&spec_dir).map_err(Failure::Check)?;
        runs.push(stages);
    }
    let column = |pick: fn(&Stages) -> Duration| -> Stats {
        Stats::of(runs.iter().map(|s| millis(pick(s))).collect())
    };
    let total = column(Stages::total);
    println!(
        "codegen: the six specs, in-process, nothing written ({files} files; {iterations} iterations after 1 warm-up)"
    );
    println!(
        "  {:<22} {:>9} {:>9} {:>9}",
        "stage", "min ms", "median ms", "max ms"
    );
    for (name, stats) in [
        ("load + checks", column(|s| s.load)),
        ("model (+ mapping)", column(|s| s.model)),
        ("generate", column(|s| s.generate)),
        ("total", total),
    ] {
        println!(
            "  {name:<22} {:>9.1} {:>9.1} {:>9.1}",
            stats.min, stats.median, stats.max
        );
    }
    println!(
        "  goal: total under {GOAL_CODEGEN_MS} ms (median): {}",
        verdict(total.median < GOAL_CODEGEN_MS)
    );

    // The corpus: large real-world specs, through what `codegen --spec` does.
    let corpus_dir = root
        .parent()
        .map(|p| p.join("shared/corpus"))
        .unwrap_or_default();
    bench_corpus(root, &corpus_dir, iterations.clamp(1, 5))
}

/// `cargo xtask codegen --spec` on the large corpus specs and on the slowest of the others:
/// in-process stage by stage (read and check, model, generate; nothing written), then end to
/// end, as a child process writing its crate under `target/bench/`, with its peak RSS.
fn bench_corpus(root: &Path, corpus_dir: &Path, iterations: usize) -> Result<(), Failure> {
    let mut specs: Vec<PathBuf> = CORPUS
        .iter()
        .map(|name| corpus_dir.join(name))
        .filter(|path| path.is_file())
        .collect();
    if specs.is_empty() {
        println!(
            "codegen, corpus: no specs in {}: skipped",
            corpus_dir.display()
        );
        return Ok(());
    }
    // The slowest of the others, by one timed run each after a warm-up.
    let mut others: Vec<PathBuf> = fs::read_dir(corpus_dir)
        .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
        .unwrap_or_default();
    others.retain(|path| {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        !CORPUS.contains(&name)
            && path
                .extension()
                .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
    });
    others.sort();
    let slowest = others
        .iter()
        .map(|path| {
            let _ = corpus_once(path);
            let run = corpus_once(path);
            (run.total().unwrap_or_default(), path)
        })
        .max_by_key(|(total, _)| *total);
    let others_count = others.len();
    if let Some((_, path)) = slowest {
        specs.push(path.clone());
    }

    println!();
    println!(
        "codegen --spec, in-process (read and check, model, generate; nothing written): {iterations} iterations after 1 warm-up"
    );
    println!(
        "  {:<26} {:>6} {:>8} {:>8} {:>9}  {:>22}  notes",
        "spec", "size", "load ms", "model ms", "gen. ms", "total ms min/med/max"
    );
    for (index, path) in specs.iter().enumerate() {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let size = fs::metadata(path).map(|m| m.len()).unwrap_or_default();
        let _ = corpus_once(path); // warm-up
        let runs: Vec<CorpusRun> = (0..iterations).map(|_| corpus_once(path)).collect();
        let median_of = |pick: fn(&CorpusRun) -> Option<Duration>| -> String {
            let samples: Vec<f64> = runs.iter().filter_map(|r| pick(r).map(millis)).collect();
            if samples.is_empty() {
                "-".into()
            } else {
                format!("{:.0}", Stats::of(samples).median)
            }
        };
        let totals: Vec<f64> = runs.iter().filter_map(|r| r.total().map(millis)).collect();
        let total = if totals.is_empty() {
            "-".to_owned()
        } else {
            let stats = Stats::of(totals);
            format!("{:.0} / {:.0} / {:.0}", stats.min, stats.median, stats.max)
        };
        let mut notes = runs.first().map(|r| r.notes.join("; ")).unwrap_or_default();
        if index == specs.len() - 1 && !CORPUS.contains(&name) {
            notes = format!("the slowest of the {others_count} others; {notes}");
        }
        println!(
            "  {name:<26} {:>5.1}M {:>8} {:>8} {:>9}  {total:>22}  {notes}",
            size as f64 / (1024.0 * 1024.0),
            median_of(|r| r.load),
            median_of(|r| r.model),
            median_of(|r| r.generate),
        );
    }

    // End to end: the command itself, files compared with (and, the first time, written to)
    // target/bench/standalone/<name>.
    let xtask = std::env::current_exe()
        .map_err(|e| Failure::Usage(format!("cannot find the xtask binary: {e}")))?;
    let time = find_tool("GNU_TIME", "time", &[Path::new("/usr/bin/time")]);
    println!();
    println!(
        "cargo xtask codegen --spec FILE --out DIR, end to end ({iterations} runs after 1 that writes the crate; {} cores)",
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    println!(
        "  {:<26} {:>26} {:>14}",
        "spec", "wall ms min/median/max", "peak RSS MB"
    );
    for path in &specs {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let out = root.join("target/bench/standalone").join(name);
        let mut walls = Vec::new();
        let mut peak_kb = 0u64;
        for run in 0..=iterations {
            let mut command = match &time {
                Some(time) => {
                    let mut command = Command::new(time);
                    command.args(["-f", "peak-rss-kb %M"]).arg(&xtask);
                    command
                }
                None => Command::new(&xtask),
            };
            command
                .args(["codegen", "--spec"])
                .arg(path)
                .arg("--out")
                .arg(&out);
            let started = Instant::now();
            let output = command
                .output()
                .map_err(|e| Failure::Usage(format!("cannot start {}: {e}", xtask.display())))?;
            let wall = started.elapsed();
            if !output.status.success() {
                println!(
                    "  {name:<26} failed: {}",
                    first_line(&String::from_utf8_lossy(&output.stderr))
                );
                break;
            }
            if run == 0 {
                continue;
            }
            walls.push(millis(wall));
            let stderr = String::from_utf8_lossy(&output.stderr);
            if let Some(kb) = stderr
                .lines()
                .find_map(|l| l.strip_prefix("peak-rss-kb ")?.trim().parse::<u64>().ok())
            {
                peak_kb = peak_kb.max(kb);
            }
        }
        if walls.is_empty() {
            continue;
        }
        let wall = Stats::of(walls);
        let rss = if time.is_some() {
            format!("{:.0}", peak_kb as f64 / 1024.0)
        } else {
            "- (no GNU time)".to_owned()
        };
        let goal = if name == STRIPE {
            format!(
                "  goal: under {GOAL_STRIPE_MS} ms (median): {}",
                verdict(wall.median < GOAL_STRIPE_MS)
            )
        } else {
            String::new()
        };
        println!(
            "  {name:<26} {:>26} {rss:>14}{goal}",
            format!("{:.0} / {:.0} / {:.0}", wall.min, wall.median, wall.max)
        );
    }
    println!();
    Ok(())
}

/// One pass over a corpus spec, as `codegen --spec` makes it: the stages it got through, and
/// why it stopped.
#[derive(Debug, Clone, Default)]
struct CorpusRun {
    load: Option<Duration>,
    model: Option<Duration>,
    generate: Option<Duration>,
    notes: Vec<String>,
}

impl CorpusRun {
    /// The whole run, when it got through loading.
    fn total(&self) -> Option<Duration> {
        Some(self.load? + self.model.unwrap_or_default() + self.generate.unwrap_or_default())
    }
}

fn corpus_once(path: &Path) -> CorpusRun {
    let mut run = CorpusRun::default();
    let started = Instant::now();
    let document = match generator::spec::load_document(path) {
        Ok(document) => document,
        Err(error) => {
            run.notes
                .push(format!("load failed: {}", first_line(&error.to_string())));
            return run;
        }
    };
    run.load = Some(started.elapsed());
    let started = Instant::now();
    let built = generator::model::build_tolerant(&document);
    run.model = Some(started.elapsed());
    let (mut api, warnings) = match built {
        Ok(built) => built,
        Err(errors) => {
            run.notes.push(format!(
                "model: {} problem(s), first: {}",
                errors.len(),
                first_line(&errors.to_string())
            ));
            return run;
        }
    };
    api.module = generator::model::names::module_for_file(path);
    let options = generator::codegen::Standalone {
        name: api.module.replace('_', "-"),
        source: path.display().to_string(),
        features: generator::codegen::Features::ALL,
        // Only the manifest's dependency line depends on it; nothing is written.
        runtime: generator::codegen::Runtime::Path("../runtime".into()),
    };
    let started = Instant::now();
    match generator::codegen::standalone(&api, &options) {
        Ok(files) => {
            run.generate = Some(started.elapsed());
            let bytes: usize = files.iter().map(|file| file.contents.len()).sum();
            run.notes.push(format!(
                "{} files, {:.1} MB",
                files.len(),
                bytes as f64 / (1024.0 * 1024.0)
            ));
            if !warnings.is_empty() {
                run.notes.push(format!("{} warning(s)", warnings.len()));
            }
        }
        Err(error) => {
            let text = error.to_string();
            let problems = text.lines().count().saturating_sub(1).max(1);
            run.notes.push(format!(
                "generate failed ({problems} problem(s)), first: {}",
                first_line(text.lines().nth(1).unwrap_or(&text).trim())
            ));
        }
    }
    run
}

// ---------------------------------------------------------------------------------------
// server

/// One route of the server benchmark, relative to the face's base path.
#[derive(Debug, Clone)]
struct Route {
    label: String,
    method: &'static str,
    /// Path and query.
    target: String,
    headers: Vec<(&'static str, String)>,
    body: String,
}

/// An HTTP server to load: its address and the prefix the face is mounted under.
#[derive(Debug, Clone)]
struct Endpoint {
    address: SocketAddr,
    prefix: String,
}

impl Endpoint {
    fn url(&self, route: &Route) -> String {
        format!("http://{}{}{}", self.address, self.prefix, route.target)
    }
}

fn bench_server(root: &Path, wrk: &Path, duration: u64) -> Result<(), Failure> {
    let fixtures = Fixtures::default_set();
    let routes = server_routes(root, &fixtures)?;
    let scratch = Scratch::new("server")?;
    let mut scripts = Vec::new();
    for (index, route) in routes.iter().enumerate() {
        let script = scratch.path().join(format!("route{index}.lua"));
        write_private(&script, &wrk_script(route)).map_err(Failure::Usage)?;
        scripts.push(script);
    }
    let spec = root.join("spec").join(SERVER_DIALECT.spec_file());
    let load = format!(
        "wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{duration}s --latency -s <script> <url>"
    );
    println!(
        "server: {} dialect on loopback, {load} after {WARM_UP_SECS} s of warm-up (the script sets method, headers, body)",
        SERVER_DIALECT
    );

    // The reference server, in-process.
    let server = reference::start(fixtures, ([127, 0, 0, 1], 0).into())
        .map_err(|e| Failure::Usage(format!("cannot start the reference server: {e}")))?;
    let ours = Endpoint {
        address: server.address,
        prefix: face_prefix(SERVER_DIALECT.name()),
    };
    for route in &routes {
        expect_ok(&ours, route, "the reference server")?;
    }
    let mut ours_results = Vec::new();
    for (route, script) in routes.iter().zip(&scripts) {
        run_wrk(wrk, script, &ours.url(route), WARM_UP_SECS)?;
        ours_results.push(run_wrk(wrk, script, &ours.url(route), duration)?);
    }
    server.stop();

    // Prism's mock server on the same spec.
    let mut prism_results: Result<Vec<WrkResult>, String> = Err(String::new());
    let mut prism_command = String::new();
    match start_prism(&spec, &scratch, &routes) {
        Ok((prism, command)) => {
            prism_command = command;
            let mut results = Vec::new();
            for (route, script) in routes.iter().zip(&scripts) {
                let url = prism.endpoint.url(route);
                let measured = run_wrk(wrk, script, &url, WARM_UP_SECS)
                    .and_then(|_| run_wrk(wrk, script, &url, duration));
                match measured {
                    Ok(result) => results.push(result),
                    Err(failure) => {
                        prism_results = Err(failure.to_string());
                        break;
                    }
                }
            }
            if results.len() == routes.len() {
                prism_results = Ok(results);
            }
            drop(prism);
        }
        Err(reason) => prism_results = Err(reason),
    }

    println!(
        "  {:<26} {:<10} {:>10} {:>9} {:>10} {:>8}",
        "route", "server", "req/s", "p99 ms", "requests", "non-2xx"
    );
    let row = |route: &Route, server: &str, result: &WrkResult| {
        println!(
            "  {:<26} {:<10} {:>10.0} {:>9.2} {:>10} {:>8}{}",
            route.label,
            server,
            result.rps,
            result.p99_ms,
            result.requests,
            result.non_2xx,
            result
                .socket_errors
                .as_ref()
                .map(|e| format!("  socket errors: {e}"))
                .unwrap_or_default()
        );
    };
    for (index, route) in routes.iter().enumerate() {
        row(route, "reference", &ours_results[index]);
        if let Ok(prism) = &prism_results {
            row(route, "prism", &prism[index]);
        }
    }
    match &prism_results {
        Ok(prism) => {
            println!("  prism: {prism_command}");
            println!(
                "  settings: reference server in-process (release, two worker threads, no log subscriber); \
                 Prism at -v {PRISM_LOG_LEVEL}, its fastest documented setting (its default, info, logs every request)"
            );
            for (index, route) in routes.iter().enumerate() {
                let ours = &ours_results[index];
                let theirs = &prism[index];
                let ratio = ours.rps / theirs.rps.max(f64::MIN_POSITIVE);
                println!(
                    "  ratio {:<20} {:>7.1}× the req/s of Prism, p99 {:.2} ms vs {:.2} ms (goal ≥ {GOAL_SERVER_RATIO}×: {})",
                    route.label,
                    ratio,
                    ours.p99_ms,
                    theirs.p99_ms,
                    verdict(ratio >= GOAL_SERVER_RATIO)
                );
            }
        }
        Err(reason) => {
            println!("  prism: NOT MEASURED: {reason}");
            println!("  ratio: not available without Prism (goal ≥ {GOAL_SERVER_RATIO}×)");
        }
    }
    for (index, route) in routes.iter().enumerate() {
        let theirs = prism_results.as_ref().ok().map(|p| &p[index]);
        if ours_results[index].non_2xx > 0 || theirs.is_some_and(|t| t.non_2xx > 0) {
            println!(
                "  warning: {} got answers other than 2xx: the figures are not those of a valid request",
                route.label
            );
        }
    }
    println!();
    Ok(())
}

/// The read and the update of the server benchmark, as the fixtures' first user.
fn server_routes(root: &Path, fixtures: &Fixtures) -> Result<Vec<Route>, Failure> {
    let credentials = fixtures.face_credentials(SERVER_DIALECT.name());
    let (Some(api_key), Some(token), Some(user_id)) =
        (credentials.api_key, credentials.token, credentials.user_id)
    else {
        return Err(Failure::Usage(format!(
            "the fixtures have no {SERVER_DIALECT} credentials"
        )));
    };
    let api = conformance::load_api(&Target::Dialect(SERVER_DIALECT), &root.join("spec"))
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let path_of = |id: &str| -> Result<String, Failure> {
        api.operations
            .iter()
            .find(|operation| operation.id == id)
            .map(|operation| operation.path.clone())
            .ok_or_else(|| Failure::Usage(format!("the {SERVER_DIALECT} spec has no {id}")))
    };
    let auth = vec![
        ("X-API-Key", api_key),
        ("Authorization", format!("Bearer {token}")),
    ];
    let mut update_headers = auth.clone();
    update_headers.push(("Content-Type", "application/json".into()));
    Ok(vec![
        Route {
            label: format!("GET {SERVER_READ}"),
            method: "GET",
            target: format!("{}?user_id={}", path_of(SERVER_READ)?, user_id),
            headers: auth,
            body: String::new(),
        },
        Route {
            label: format!("PUT {SERVER_UPDATE}"),
            method: "PUT",
            target: path_of(SERVER_UPDATE)?,
            headers: update_headers,
            body: format!(
                "{{\"user_id\":{},\"first_name\":\"Bench\",\"last_name\":\"Mark\"}}",
                json_string(&user_id)
            ),
        },
    ])
}

fn face_prefix(face: &str) -> String {
    reference::FACES
        .iter()
        .find(|(name, _)| *name == face)
        .map(|(_, prefix)| (*prefix).to_owned())
        .unwrap_or_default()
}

/// The route must answer 200 before it is measured: a benchmark of 401s measures nothing.
fn expect_ok(endpoint: &Endpoint, route: &Route, what: &str) -> Result<(), Failure> {
    match http_status(endpoint, route) {
        Ok(200) => Ok(()),
        Ok(status) => Err(Failure::Check(format!(
            "{what} answers {} with {status}, not 200",
            route.label
        ))),
        Err(error) => Err(Failure::Usage(format!(
            "{what} does not answer {}: {error}",
            route.label
        ))),
    }
}

/// Sends one request (HTTP/1.1, connection closed after it) and returns the status.
fn http_status(endpoint: &Endpoint, route: &Route) -> std::io::Result<u16> {
    let mut stream = TcpStream::connect_timeout(&endpoint.address, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut request = format!(
        "{} {}{} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
        route.method,
        endpoint.prefix,
        route.target,
        endpoint.address,
        route.body.len()
    );
    for (name, value) in &route.headers {
        let _ = write!(request, "{name}: {value}\r\n");
    }
    request.push_str("\r\n");
    request.push_str(&route.body);
    stream.write_all(request.as_bytes())?;
    let mut head = Vec::new();
    stream.take(64).read_to_end(&mut head)?;
    let head = String::from_utf8_lossy(&head);
    head.split_whitespace()
        .nth(1)
        .and_then(|status| status.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP answer: {head:?}")))
}

/// A wrk script that sends the route's method, headers and body.
fn wrk_script(route: &Route) -> String {
    let mut script = format!("wrk.method = {}\n", lua_string(route.method));
    for (name, value) in &route.headers {
        let _ = writeln!(
            script,
            "wrk.headers[{}] = {}",
            lua_string(name),
            lua_string(value)
        );
    }
    if !route.body.is_empty() {
        let _ = writeln!(script, "wrk.body = {}", lua_string(&route.body));
    }
    script
}

fn lua_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What wrk reports.
#[derive(Debug, Clone, PartialEq)]
struct WrkResult {
    rps: f64,
    p99_ms: f64,
    requests: u64,
    non_2xx: u64,
    socket_errors: Option<String>,
}

fn run_wrk(wrk: &Path, script: &Path, url: &str, duration: u64) -> Result<WrkResult, Failure> {
    let output = Command::new(wrk)
        .arg(format!("-t{WRK_THREADS}"))
        .arg(format!("-c{WRK_CONNECTIONS}"))
        .arg(format!("-d{duration}s"))
        .arg("--latency")
        .arg("-s")
        .arg(script)
        .arg(url)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Failure::Usage(format!("cannot start {}: {e}", wrk.display())))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(Failure::Usage(format!(
            "wrk failed ({}): {}",
            output.status,
            first_line(String::from_utf8_lossy(&output.stderr).trim())
        )));
    }
    parse_wrk(&stdout).ok_or_else(|| Failure::Usage(format!("cannot read wrk's report:\n{stdout}")))
}

fn parse_wrk(text: &str) -> Option<WrkResult> {
    let mut rps = None;
    let mut p99_ms = None;
    let mut requests = None;
    let mut non_2xx = 0;
    let mut socket_errors = None;
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("Requests/sec:") {
            rps = rest.trim().parse().ok();
        } else if let Some(rest) = line.strip_prefix("99%") {
            p99_ms = parse_duration_ms(rest.trim());
        } else if line.contains(" requests in ") {
            requests = line.split_whitespace().next().and_then(|n| n.parse().ok());
        } else if let Some(rest) = line.strip_prefix("Non-2xx or 3xx responses:") {
            non_2xx = rest.trim().parse().unwrap_or(0);
        } else if let Some(rest) = line.strip_prefix("Socket errors:") {
            socket_errors = Some(rest.trim().to_owned());
        }
    }
    Some(WrkResult {
        rps: rps?,
        p99_ms: p99_ms?,
        requests: requests?,
        non_2xx,
        socket_errors,
    })
}

/// wrk's durations: `850.00us`, `1.20ms`, `2.01s`, `1.00m`.
fn parse_duration_ms(text: &str) -> Option<f64> {
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        _ => return None,
    };
    Some(number * factor)
}

/// Prism's mock server, stopped when dropped.
#[derive(Debug)]
struct Prism {
    child: Child,
    endpoint: Endpoint,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Finds Prism (PRISM, the PATH, or the cache, installing it there with npm when it is
/// missing), starts `prism mock` on a free port and waits until the first route answers 200.
/// The error says why Prism could not be measured.
fn start_prism(
    spec: &Path,
    scratch: &Scratch,
    routes: &[Route],
) -> Result<(Prism, String), String> {
    let prism = match find_tool(
        "PRISM",
        "prism",
        &[&prism_cache().join("node_modules/.bin/prism")],
    ) {
        Some(prism) => prism,
        None => install_prism(scratch)?,
    };
    let port = free_port().map_err(|e| format!("no free port for Prism: {e}"))?;
    let log_path = scratch.path().join("prism.log");
    let log = fs::File::create(&log_path)
        .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let log_err = log.try_clone().map_err(|e| e.to_string())?;
    let command = format!(
        "{} mock {} -h 127.0.0.1 -p {port} -v {PRISM_LOG_LEVEL}",
        prism.display(),
        spec.display()
    );
    let child = Command::new(&prism)
        .arg("mock")
        .arg(spec)
        .args(["-h", "127.0.0.1", "-p", &port.to_string()])
        .args(["-v", PRISM_LOG_LEVEL])
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", prism.display()))?;
    let mut prism = Prism {
        child,
        endpoint: Endpoint {
            address: SocketAddr::from(([127, 0, 0, 1], port)),
            prefix: String::new(),
        },
    };
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Ok(Some(status)) = prism.child.try_wait() {
            return Err(format!(
                "`{command}` exited ({status}) before it answered:\n{}",
                tail(&fs::read_to_string(&log_path).unwrap_or_default(), 10)
            ));
        }
        if let Ok(status) = http_status(&prism.endpoint, &routes[0]) {
            if status != 200 {
                return Err(format!(
                    "Prism answers {} with {status}, not 200",
                    routes[0].label
                ));
            }
            for route in &routes[1..] {
                match http_status(&prism.endpoint, route) {
                    Ok(200) => {}
                    other => {
                        return Err(format!(
                            "Prism answers {} with {other:?}, not 200",
                            route.label
                        ));
                    }
                }
            }
            return Ok((prism, command));
        }
        if Instant::now() > deadline {
            return Err(format!(
                "`{command}` did not answer within 90 s:\n{}",
                tail(&fs::read_to_string(&log_path).unwrap_or_default(), 10)
            ));
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Where Prism is installed once and kept: `$XTASK_BENCH_CACHE`, else
/// `$XDG_CACHE_HOME/xtask-bench/prism`, else `~/.cache/xtask-bench/prism`.
fn prism_cache() -> PathBuf {
    if let Some(dir) = std::env::var_os("XTASK_BENCH_CACHE") {
        return PathBuf::from(dir).join("prism");
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    cache.join("xtask-bench/prism")
}

fn install_prism(scratch: &Scratch) -> Result<PathBuf, String> {
    let Some(npm) = find_tool("NPM", "npm", &[]) else {
        return Err(format!(
            "Prism is not installed and npm is not there to install it: `apt-get install npm`, \
             then `npm install --prefix {} {PRISM_PACKAGE}` (or set PRISM to a prism executable)",
            prism_cache().display()
        ));
    };
    let dir = prism_cache();
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    println!(
        "  installing Prism: npm install --prefix {} {PRISM_PACKAGE}",
        dir.display()
    );
    let log_path = scratch.path().join("npm.log");
    let log = fs::File::create(&log_path).map_err(|e| e.to_string())?;
    let log_err = log.try_clone().map_err(|e| e.to_string())?;
    let mut child = Command::new(npm)
        .arg("install")
        .arg("--prefix")
        .arg(&dir)
        .args([PRISM_PACKAGE, "--no-audit", "--no-fund", "--loglevel=error"])
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .map_err(|e| format!("cannot start npm: {e}"))?;
    let status = wait_at_most(&mut child, Duration::from_secs(600))
        .map_err(|e| format!("npm install: {e}"))?;
    let log = fs::read_to_string(&log_path).unwrap_or_default();
    match status {
        Some(status) if status.success() => {}
        Some(status) => {
            return Err(format!(
                "`npm install --prefix {} {PRISM_PACKAGE}` failed ({status}):\n{}",
                dir.display(),
                tail(&log, 10)
            ));
        }
        None => {
            return Err(format!(
                "`npm install --prefix {} {PRISM_PACKAGE}` did not finish in 10 minutes",
                dir.display()
            ));
        }
    }
    let prism = dir.join("node_modules/.bin/prism");
    if prism.is_file() {
        Ok(prism)
    } else {
        Err(format!("npm installed no {}", prism.display()))
    }
}

// ---------------------------------------------------------------------------------------
// harness

/// One dialect's default conformance run.
#[derive(Debug)]
struct HarnessRun {
    dialect: Dialect,
    results: usize,
    failed: usize,
    /// Requests the harness sent (its report).
    requests: usize,
    /// Requests the server logged, probe included.
    seen: Option<u64>,
    elapsed: Duration,
    error: Option<String>,
}

impl HarnessRun {
    /// Requests as the server counted them, or as the harness did when it could not.
    fn counted(&self) -> u64 {
        self.seen.unwrap_or(self.requests as u64)
    }
}

fn bench_harness(root: &Path, schemathesis: &Path, st_dialect: Dialect) -> Result<(), Failure> {
    println!(
        "harness: default conformance run (seed {:#x}, {} cases per property, not destructive), \
         each dialect against a fresh embedded reference server",
        conformance::DEFAULT_SEED,
        conformance::DEFAULT_CASES
    );
    // The server's own request count, for both tools alike (installed before the first run,
    // so every server below logs the same way).
    let counter = install_request_counter();
    let started = Instant::now();
    let mut runs = Vec::new();
    for dialect in Dialect::ALL {
        runs.push(conformance_run(
            root,
            dialect,
            counter.as_ref().ok(),
            Placement::Beside,
        )?);
    }
    let wall = started.elapsed();
    println!(
        "  {:<10} {:>8} {:>7} {:>9} {:>8} {:>9}",
        "dialect", "results", "broken", "requests", "wall s", "req/s"
    );
    for run in &runs {
        match &run.error {
            None => println!(
                "  {:<10} {:>8} {:>7} {:>9} {:>8.2} {:>9.0}",
                run.dialect.name(),
                run.results,
                run.failed,
                run.requests,
                secs(run.elapsed),
                run.requests as f64 / secs(run.elapsed)
            ),
            Some(error) => println!("  {:<10} could not run: {error}", run.dialect.name()),
        }
    }
    let requests: usize = runs.iter().map(|r| r.requests).sum();
    println!(
        "  {:<10} {:>8} {:>7} {:>9} {:>8.2} {:>9.0}",
        "all six",
        runs.iter().map(|r| r.results).sum::<usize>(),
        runs.iter().map(|r| r.failed).sum::<usize>(),
        requests,
        secs(wall),
        requests as f64 / secs(wall)
    );
    println!(
        "  goal: all six under {GOAL_HARNESS_SECS} s: {}",
        verdict(secs(wall) < GOAL_HARNESS_SECS)
    );

    // Schemathesis against the same server (a fresh one) and one spec; the harness on that
    // spec again, several times (a fresh server each), wherever the server runs.
    println!();
    let repeated = |placement: Placement| -> Result<Vec<HarnessRun>, Failure> {
        let mut runs = Vec::new();
        for _ in 0..COMPARED_RUNS {
            let run = conformance_run(root, st_dialect, counter.as_ref().ok(), placement)?;
            if let Some(error) = &run.error {
                return Err(Failure::Check(format!(
                    "the harness could not run: {error}"
                )));
            }
            runs.push(run);
        }
        Ok(runs)
    };
    let beside = repeated(Placement::Beside)?;
    let threaded = repeated(Placement::OwnThread)?;
    let measured =
        counter.and_then(|counter| schemathesis_run(root, schemathesis, st_dialect, &counter));
    match measured {
        Ok(st) => {
            println!(
                "harness vs Schemathesis on the {st_dialect} spec: a fresh in-process reference server each run, \
                 one request at a time each; requests as the server logged them; the harness {COMPARED_RUNS} runs per row (median, min-max)"
            );
            println!("  conformance:  cargo xtask conformance --dialect {st_dialect} (in-process)");
            println!("  schemathesis: {}", st.command);
            println!(
                "  settings: Schemathesis with one worker (one request at a time, as the harness sends them), \
                 a fixed seed, its default checks, phases and examples per operation, output to a file; \
                 the harness at its defaults"
            );
            println!(
                "  {:<22} {:>9} {:>8} {:>9}  notes",
                "tool", "requests", "wall s", "req/s"
            );
            let mut ours = Vec::new();
            for (label, runs) in [
                ("conformance, beside", &beside),
                ("conformance, thread", &threaded),
            ] {
                let rates = Stats::of(
                    runs.iter()
                        .map(|run| run.counted() as f64 / secs(run.elapsed))
                        .collect(),
                );
                let wall = Stats::of(runs.iter().map(|run| secs(run.elapsed)).collect());
                let first = &runs[0];
                let requests = first.counted();
                println!(
                    "  {label:<22} {requests:>9} {:>8.3} {:>9.0}  req/s {:.0}-{:.0}; {} results, {} broken",
                    wall.median, rates.median, rates.min, rates.max, first.results, first.failed
                );
                ours.push((label, rates.median));
            }
            println!(
                "  (beside: the server on the harness's event loop, as without --base-url; \
                 thread: the server on a thread of its own, as Schemathesis gets it)"
            );
            let st_rps = st.requests as f64 / secs(st.wall);
            let mut notes = vec![match st.exit {
                Some(code) => format!("exit {code}"),
                None => "killed by a signal".to_owned(),
            }];
            if let Some(cases) = &st.test_cases {
                notes.push(format!("test cases: {cases}"));
            }
            if let Some(summary) = &st.summary {
                notes.push(format!("its summary: {summary}"));
            }
            println!(
                "  {:<14} {:>9} {:>8.2} {:>9.1}  {}",
                "schemathesis",
                st.requests,
                secs(st.wall),
                st_rps,
                notes.join("; ")
            );
            let reported = st.reported_secs.filter(|s| *s > 0.0);
            if let Some(reported) = reported {
                println!(
                    "  {:<14} {:>9} {:>8.2} {:>9.1}  over the time Schemathesis reports (no interpreter start-up, no spec load)",
                    "  its timer",
                    st.requests,
                    reported,
                    st.requests as f64 / reported
                );
            }
            if st.requests > 0 {
                let theirs = [
                    ("wall time", Some(st_rps)),
                    (
                        "its own timer",
                        reported.map(|reported| st.requests as f64 / reported),
                    ),
                ];
                for (label, ours_rps) in &ours {
                    for (timer, st_rps) in theirs {
                        let Some(st_rps) = st_rps else { continue };
                        let ratio = ours_rps / st_rps;
                        println!(
                            "  ratio, {label} / Schemathesis ({timer}): {ratio:.1}× (goal ≥ {GOAL_HARNESS_RATIO}×: {})",
                            verdict(ratio >= GOAL_HARNESS_RATIO)
                        );
                    }
                }
            } else {
                println!("  ratio: not available (no requests counted on one side)");
            }
            if !st.unsent.is_empty() {
                println!(
                    "  note: Schemathesis got no credential for {} (not a header scheme)",
                    st.unsent.join(", ")
                );
            }
            if st.requests == 0 {
                println!(
                    "  warning: no request of Schemathesis reached the server; its output ends:\n{}",
                    indent(&st.output_tail)
                );
            } else if !matches!(st.exit, Some(0 | 1)) {
                println!(
                    "  warning: Schemathesis ended with an error; its output ends:\n{}",
                    indent(&st.output_tail)
                );
            }
        }
        Err(reason) => println!("  schemathesis: NOT MEASURED: {reason}"),
    }
    println!();
    Ok(())
}

/// `cargo xtask conformance --dialect <d>` without `--base-url`, in-process.
fn conformance_run(
    root: &Path,
    dialect: Dialect,
    counter: Option<&Arc<AtomicU64>>,
    placement: Placement,
) -> Result<HarnessRun, Failure> {
    let before = counter.map(|c| c.load(Ordering::SeqCst));
    let started = Instant::now();
    let (base_url, credentials, beside, threaded) = match placement {
        Placement::Beside => {
            let server = crate::conformance::embedded_server(dialect)?;
            (server.base_url, server.credentials, Some(server.task), None)
        }
        Placement::OwnThread => {
            let fixtures = Fixtures::default_set();
            let face = fixtures.face_credentials(dialect.name());
            let server = reference::start(fixtures, ([127, 0, 0, 1], 0).into())
                .map_err(|e| Failure::Usage(format!("cannot start the reference server: {e}")))?;
            let base_url = server.base_url(dialect.name());
            let credentials = crate::conformance::embedded_credentials(face);
            (base_url, credentials, None, Some(server))
        }
    };
    let config = RunConfig {
        target: Target::Dialect(dialect),
        spec_dir: root.join("spec"),
        base_url,
        credentials,
        seed: conformance::DEFAULT_SEED,
        cases: conformance::DEFAULT_CASES,
        selection: Selection::parse(&[], &[]).map_err(Failure::Usage)?,
        destructive: false,
        limits: conformance::http::Limits::default(),
        progress: false,
        evidence_dir: None,
        strict: false,
    };
    let outcome = conformance::run_beside(&config, beside);
    if let Some(server) = threaded {
        server.stop();
    }
    let elapsed = started.elapsed();
    let seen = counter
        .zip(before)
        .map(|(c, before)| c.load(Ordering::SeqCst) - before);
    Ok(match outcome {
        Ok(report) => HarnessRun {
            dialect,
            results: report.results.len(),
            failed: report.failures(),
            requests: report.requests,
            seen,
            elapsed,
            error: None,
        },
        Err(error) => HarnessRun {
            dialect,
            results: 0,
            failed: 0,
            requests: 0,
            seen,
            elapsed,
            error: Some(error.to_string()),
        },
    })
}

/// Where the reference server runs during a harness run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    /// On the harness's event loop, as `cargo xtask conformance` runs it without --base-url.
    Beside,
    /// On a thread of its own, as Schemathesis is given it (and any --base-url target).
    OwnThread,
}

/// What a Schemathesis run did.
#[derive(Debug)]
struct SchemathesisRun {
    command: String,
    /// Requests the server saw.
    requests: u64,
    wall: Duration,
    exit: Option<i32>,
    /// Its "Test cases:" line.
    test_cases: Option<String>,
    /// Its closing line (`2 failures in 12.43s`).
    summary: Option<String>,
    /// The seconds in that closing line.
    reported_secs: Option<f64>,
    output_tail: String,
    /// Security schemes whose credentials could not be passed (not in a header).
    unsent: Vec<String>,
}

/// Runs Schemathesis (defaults, one worker, a fixed seed) from a scratch directory against
/// a fresh reference server, counting the requests the server logs.
fn schemathesis_run(
    root: &Path,
    schemathesis: &Path,
    dialect: Dialect,
    counter: &AtomicU64,
) -> Result<SchemathesisRun, String> {
    let fixtures = Fixtures::default_set();
    let face = fixtures.face_credentials(dialect.name());
    let scratch = Scratch::new("schemathesis").map_err(|f| f.to_string())?;
    // The credentials stay out of the command line: the config file names environment
    // variables, set for the child alone.
    let mut headers = Vec::new();
    let mut env = Vec::new();
    let mut unsent = Vec::new();
    let api = conformance::load_api(&Target::Dialect(dialect), &root.join("spec"))
        .map_err(|e| e.to_string())?;
    for scheme in &api.security_schemes {
        let Some((header, value)) = scheme_header(scheme, &face) else {
            unsent.push(scheme.name.clone());
            continue;
        };
        let variable = format!("BENCH_CREDENTIAL_{}", env.len());
        // A JSON string is also a TOML basic string.
        headers.push(format!(
            "{} = \"{}\"",
            json_string(&header),
            value.0.replace("{}", &format!("${{{variable}}}"))
        ));
        env.push((variable, value.1));
    }
    let config = scratch.path().join("schemathesis.toml");
    write_private(
        &config,
        &format!("headers = {{ {} }}\n", headers.join(", ")),
    )?;

    let server = reference::start(fixtures, ([127, 0, 0, 1], 0).into())
        .map_err(|e| format!("cannot start the reference server: {e}"))?;
    let spec = root.join("spec").join(dialect.spec_file());
    let base_url = server.base_url(dialect.name());
    let seed = "1";
    let command = format!(
        "cd <scratch dir> && {} --config-file schemathesis.toml run {} --url {base_url} --workers 1 --seed {seed}",
        schemathesis.display(),
        spec.display()
    );
    let output_path = scratch.path().join("output.txt");
    let output = fs::File::create(&output_path).map_err(|e| e.to_string())?;
    let output_err = output.try_clone().map_err(|e| e.to_string())?;
    let before = counter.load(Ordering::SeqCst);
    let started = Instant::now();
    let mut child = Command::new(schemathesis)
        .arg("--config-file")
        .arg(&config)
        .arg("run")
        .arg(&spec)
        .args(["--url", &base_url, "--workers", "1", "--seed", seed])
        .envs(env)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "120")
        .current_dir(scratch.path())
        .stdin(Stdio::null())
        .stdout(output)
        .stderr(output_err)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", schemathesis.display()))?;
    let status = wait_at_most(&mut child, Duration::from_secs(600)).map_err(|e| e.to_string())?;
    let wall = started.elapsed();
    server.stop();
    let requests = counter.load(Ordering::SeqCst) - before;
    let Some(status) = status else {
        return Err("Schemathesis did not finish in 10 minutes".into());
    };
    let text = fs::read_to_string(&output_path).unwrap_or_default();
    let (test_cases, summary, reported_secs) = parse_schemathesis(&text);
    Ok(SchemathesisRun {
        command,
        requests,
        wall,
        exit: status.code(),
        test_cases,
        summary,
        reported_secs,
        output_tail: tail(&text, 15),
        unsent,
    })
}

/// The header a security scheme is sent in, and its value: a template (`{}` for the
/// credential) and the credential. `None` for a scheme sent elsewhere (a query key).
fn scheme_header(
    scheme: &generator::model::SecurityScheme,
    face: &reference::FaceCredentials,
) -> Option<(String, (String, String))> {
    use generator::model::{ParameterLocation, SchemeKind};
    match &scheme.kind {
        SchemeKind::Bearer | SchemeKind::OAuth => Some((
            "Authorization".into(),
            ("Bearer {}".into(), face.token.clone()?),
        )),
        SchemeKind::ApiKey {
            location: ParameterLocation::Header,
            parameter,
            ..
        } => {
            let value = if parameter.to_ascii_lowercase().contains("tenant") {
                face.tenant.clone()?
            } else {
                face.api_key.clone()?
            };
            Some((parameter.clone(), ("{}".into(), value)))
        }
        _ => None,
    }
}

/// Schemathesis' "Test cases:" figures and its closing line.
fn parse_schemathesis(text: &str) -> (Option<String>, Option<String>, Option<f64>) {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let test_cases = lines
        .iter()
        .position(|line| *line == "Test cases:")
        .and_then(|index| lines.get(index + 1))
        .map(|line| (*line).to_owned());
    let summary = lines
        .iter()
        .rev()
        .find(|line| line.starts_with("===") && line.contains(" in "))
        .map(|line| line.trim_matches(|c| c == '=' || c == ' ').to_owned());
    let reported = summary.as_ref().and_then(|line| {
        let after = line.rsplit(" in ").next()?;
        after.trim().strip_suffix('s')?.parse().ok()
    });
    (test_cases, summary, reported)
}

/// Counts the reference server's request log lines: a tracing subscriber (installed once,
/// for the rest of the process) that formats the `reference` crate's events into a counter
/// instead of a terminal.
fn install_request_counter() -> Result<Arc<AtomicU64>, String> {
    static COUNTER: std::sync::OnceLock<Arc<AtomicU64>> = std::sync::OnceLock::new();
    if let Some(counter) = COUNTER.get() {
        return Ok(Arc::clone(counter));
    }
    let counter = Arc::new(AtomicU64::new(0));
    let writer_counter = Arc::clone(&counter);
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("reference=info"))
        .with_ansi(false)
        .with_writer(move || LineCounter(Arc::clone(&writer_counter)))
        .try_init()
        .map_err(|e| format!("cannot count the server's requests (a tracing subscriber is already installed: {e})"))?;
    let _ = COUNTER.set(Arc::clone(&counter));
    Ok(counter)
}

/// Counts the lines written to it, and keeps nothing.
struct LineCounter(Arc<AtomicU64>);

impl Write for LineCounter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let requests = text
            .lines()
            .filter(|line| line.contains(" request ") && line.contains("status="))
            .count();
        self.0.fetch_add(requests as u64, Ordering::Relaxed);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// shared

/// Min, median and max of some samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Stats {
    pub(crate) min: f64,
    pub(crate) median: f64,
    pub(crate) max: f64,
}

impl Stats {
    pub(crate) fn of(mut samples: Vec<f64>) -> Stats {
        samples.sort_by(f64::total_cmp);
        let n = samples.len();
        if n == 0 {
            return Stats {
                min: 0.0,
                median: 0.0,
                max: 0.0,
            };
        }
        let median = if n % 2 == 1 {
            samples[n / 2]
        } else {
            (samples[n / 2 - 1] + samples[n / 2]) / 2.0
        };
        Stats {
            min: samples[0],
            median,
            max: samples[n - 1],
        }
    }
}

pub(crate) fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn secs(duration: Duration) -> f64 {
    duration.as_secs_f64().max(1e-9)
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > 160 {
        format!("{}…", line.chars().take(160).collect::<String>())
    } else {
        line.to_owned()
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    if all.is_empty() {
        return "(no output)".into();
    }
    all[all.len().saturating_sub(lines)..].join("\n")
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A tool: the path in `variable` (when set, that one or none), else `name` on the PATH,
/// else the first of `fallbacks` that exists.
fn find_tool(variable: &str, name: &str, fallbacks: &[&Path]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(variable).filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return path.is_file().then_some(path);
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .chain(fallbacks.iter().map(|p| p.to_path_buf()))
        .find(|path| path.is_file())
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
}

/// Waits for a child for at most `limit`; past it, kills it and returns `None`.
fn wait_at_most(
    child: &mut Child,
    limit: Duration,
) -> std::io::Result<Option<std::process::ExitStatus>> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Writes a file only its owner can read (it may hold the fixtures' test credentials).
fn write_private(path: &Path, contents: &str) -> Result<(), String> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .and_then(|mut file| file.write_all(contents.as_bytes()))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// A scratch directory, deleted when dropped.
#[derive(Debug)]
struct Scratch(PathBuf);

impl Scratch {
    fn new(what: &str) -> Result<Scratch, Failure> {
        let dir = std::env::temp_dir().join(format!("xtask-bench-{what}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir)
            .map_err(|e| Failure::Usage(format!("cannot create {}: {e}", dir.display())))?;
        Ok(Scratch(dir))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_reports_are_read() {
        let text = "Running 10s test @ http://127.0.0.1:1/x
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   120.00us   50.00us   2.00ms   90.00%
  Latency Distribution
     50%  110.00us
     75%  130.00us
     90%  150.00us
     99%    1.25ms
  812345 requests in 10.00s, 150.00MB read
  Non-2xx or 3xx responses: 3
Requests/sec:  81234.50
Transfer/sec:     15.00MB
";
        let result = parse_wrk(text).unwrap();
        assert_eq!(result.requests, 812_345);
        assert_eq!(result.non_2xx, 3);
        assert!((result.rps - 81_234.5).abs() < 1e-9);
        assert!((result.p99_ms - 1.25).abs() < 1e-9);
        assert_eq!(parse_duration_ms("850.00us"), Some(0.85));
        assert_eq!(parse_duration_ms("2.00s"), Some(2000.0));
        assert_eq!(parse_duration_ms("x"), None);
        assert!(parse_wrk("nothing").is_none());
    }

    #[test]
    fn medians_and_extremes() {
        let stats = Stats::of(vec![3.0, 1.0, 2.0]);
        assert_eq!((stats.min, stats.median, stats.max), (1.0, 2.0, 3.0));
        assert_eq!(Stats::of(vec![4.0, 1.0, 2.0, 3.0]).median, 2.5);
    }

    #[test]
    fn schemathesis_summaries_are_read() {
        let text = "Test cases:\n  448 generated, 2 found 2 unique failures, 12 skipped\n\nSeed: 1\n\n============================= 2 failures in 12.43s =============================\n";
        let (cases, summary, secs) = parse_schemathesis(text);
        assert_eq!(
            cases.as_deref(),
            Some("448 generated, 2 found 2 unique failures, 12 skipped")
        );
        assert_eq!(summary.as_deref(), Some("2 failures in 12.43s"));
        assert_eq!(secs, Some(12.43));
    }

    #[test]
    fn scripts_quote_what_they_send() {
        let route = Route {
            label: "PUT x".into(),
            method: "PUT",
            target: "/x".into(),
            headers: vec![("Content-Type", "application/json".into())],
            body: "{\"a\":\"b\\\"c\"}".into(),
        };
        let script = wrk_script(&route);
        assert!(script.contains("wrk.method = \"PUT\"\n"), "{script}");
        assert!(
            script.contains("wrk.body = \"{\\\"a\\\":\\\"b\\\\\\\"c\\\"}\"\n"),
            "{script}"
        );
        assert_eq!(json_string("a\"\n"), "\"a\\\"\\u000a\"");
    }
}
