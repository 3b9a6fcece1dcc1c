//! Argument parsing, in one place.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    about = "Specs, code generation and conformance for the user-profile APIs"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every spec (parse, $refs, x- extensions, mapping cross-check) and print a summary.
    Spec(SpecArgs),
    /// Regenerate generated/ from the specs (with --check: fail, showing the diff, if it is stale).
    Codegen(CodegenArgs),
    /// Generate every corpus spec as a standalone crate, check each with clippy, print the table.
    Corpus(CorpusArgs),
    /// Everything CI runs: formatting, clippy, tests, spec checks, codegen --check, the independent validator (its venv made under target/ once).
    Ci,
    /// Classify every API change since a git revision as compatible or breaking.
    ApiDiff(ApiDiffArgs),
    /// Run the reference server (every face on one store) until Ctrl-C.
    Serve(ServeArgs),
    /// Run the conformance checks against an implementation of a dialect.
    Conformance(Box<ConformanceArgs>),
    /// Render JSON reports (--report-json) of several runs into one HTML page.
    ConformanceHtml(ConformanceHtmlArgs),
    /// Run Schemathesis (PyPI) with the specs against every face of the reference server.
    Schemathesis(SchemathesisArgs),
    /// Measure codegen time, server throughput (vs Prism) and harness speed (vs Schemathesis).
    Bench(BenchArgs),
}

#[derive(Debug, Args)]
pub struct SpecArgs {
    /// Check these OpenAPI files alone instead of the project's six specs.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Credentials come from flags or, better, the environment: a flag can end up in shell
/// history. Their values are never shown, not even in `--help`.
#[derive(Debug, Args)]
pub struct ConformanceArgs {
    /// The dialect to test: manage, rpc, community, billing, cl2c or canonical.
    #[arg(long)]
    pub dialect: Option<String>,
    /// Any OpenAPI 3.0 file instead of a dialect: the generic checks.
    #[arg(long, value_name = "FILE")]
    pub spec: Option<PathBuf>,
    /// The implementation's base URL (with any prefix such as `/api/v1`).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    #[arg(long, env = "CONFORMANCE_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    #[arg(long, env = "CONFORMANCE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    #[arg(long, env = "CONFORMANCE_TENANT", hide_env_values = true)]
    pub tenant: Option<String>,
    /// The caller's own user id.
    #[arg(long, env = "CONFORMANCE_USER_ID")]
    pub user_id: Option<String>,
    /// An existing user that is not the caller (ownership, uniqueness, destructive checks).
    #[arg(long, env = "CONFORMANCE_OTHER_USER_ID")]
    pub other_user_id: Option<String>,
    /// That user's bearer token.
    #[arg(long, env = "CONFORMANCE_OTHER_TOKEN", hide_env_values = true)]
    pub other_token: Option<String>,
    /// Seed of the generated values: the same seed sends the same requests in the same order.
    #[arg(long, default_value_t = conformance::DEFAULT_SEED)]
    pub seed: u64,
    /// Cases per property.
    #[arg(long, default_value_t = conformance::DEFAULT_CASES)]
    pub cases: u32,
    /// Only these checks (ids or names, comma-separated).
    #[arg(long, value_name = "CHECKS")]
    pub checks: Vec<String>,
    /// Not these checks.
    #[arg(long, value_name = "CHECKS")]
    pub exclude_checks: Vec<String>,
    /// Also run checks that destroy data (DELETE), on --other-user-id only.
    #[arg(long)]
    pub destructive: bool,
    /// Seconds each request may take.
    #[arg(long, default_value_t = 10.0)]
    pub timeout: f64,
    /// Write the report as JSON.
    #[arg(long, value_name = "FILE")]
    pub report_json: Option<PathBuf>,
    /// Write the report as one self-contained HTML page (no network; opens from file://).
    #[arg(long, value_name = "FILE")]
    pub report_html: Option<PathBuf>,
    /// Write the report as JUnit XML.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Record the run's behaviour matrix (reviewable text) to gate later runs on.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// Gate on a recorded matrix: known failures pass; a new failure or any change fails.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// List the checks and exit.
    #[arg(long)]
    pub list_checks: bool,
}

#[derive(Debug, Args)]
pub struct ConformanceHtmlArgs {
    /// JSON reports written by `cargo xtask conformance --report-json` (one run each).
    #[arg(value_name = "REPORT.json", required = true)]
    pub reports: Vec<PathBuf>,
    /// The page to write.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct CodegenArgs {
    /// Write nothing; exit 1, showing a diff, if any generated file is stale.
    #[arg(long)]
    pub check: bool,
    /// Any OpenAPI 3.0 document: generate a standalone crate for it into --out.
    #[arg(long, value_name = "FILE", requires = "out")]
    pub spec: Option<PathBuf>,
    /// The standalone crate's directory (with --spec).
    #[arg(long, value_name = "DIR", requires = "spec")]
    pub out: Option<PathBuf>,
    /// The standalone crate's package name (default: from the spec's file name).
    #[arg(long, value_name = "CRATE", requires = "spec")]
    pub name: Option<String>,
    /// What the standalone crate holds: some of types, validate, server, client (server brings validate).
    #[arg(
        long,
        value_name = "LIST",
        default_value = "types,validate,server,client",
        requires = "spec"
    )]
    pub features: String,
    /// With --spec: warnings about the spec (generation goes on despite them) are errors.
    #[arg(long, requires = "spec")]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// The folder of OpenAPI documents (default: ../shared/corpus beside the project).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Also the three large specs CI leaves out (stripe, github, oxide).
    #[arg(long)]
    pub all: bool,
    /// Only the specs whose file name contains one of these (repeatable).
    #[arg(long, value_name = "TEXT")]
    pub only: Vec<String>,
    /// Generate only: no clippy.
    #[arg(long)]
    pub no_compile: bool,
}

#[derive(Debug, Args)]
pub struct ApiDiffArgs {
    /// The revision to compare with.
    #[arg(long, default_value = "HEAD")]
    pub base: String,
    /// Exit 1 when any change is breaking.
    #[arg(long)]
    pub deny_breaking: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Users and credentials to start with (default: reference/fixtures.yaml, compiled in).
    #[arg(long, value_name = "FILE")]
    pub fixtures: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SchemathesisArgs {
    /// Only these faces (repeatable): canonical, manage, rpc, community, billing, cl2c.
    #[arg(long)]
    pub face: Vec<String>,
    /// Seed of Schemathesis' generated data.
    #[arg(long, default_value_t = crate::schemathesis::DEFAULT_SEED)]
    pub seed: u64,
    /// Test cases per operation and phase.
    #[arg(long, default_value_t = crate::schemathesis::DEFAULT_MAX_EXAMPLES)]
    pub max_examples: u32,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// What to measure.
    #[arg(value_enum)]
    pub what: BenchWhat,
    /// codegen: timed regenerations after the warm-up (the corpus specs: at most 5).
    #[arg(long, default_value_t = 20)]
    pub iterations: usize,
    /// server: seconds of load per route and server.
    #[arg(long, default_value_t = 10)]
    pub duration: u64,
    /// harness: the dialect whose spec Schemathesis is run with.
    #[arg(long, default_value = "manage")]
    pub schemathesis_dialect: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchWhat {
    /// Full regeneration of the six specs in-process (and the corpus specs, when present).
    Codegen,
    /// Requests/s and p99 of the reference server against Prism's mock server, with wrk.
    Server,
    /// The default conformance run over all six dialects, and Schemathesis on one spec.
    Harness,
    /// All of the above.
    All,
}
