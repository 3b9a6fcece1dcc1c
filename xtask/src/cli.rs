//! Argument parsing, in one place.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    version,
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
    /// Classify every change between two OpenAPI documents (or the six specs since a revision) by stable id and level.
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
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:
  cargo xtask conformance --dialect rpc                    # against the embedded reference server
  export CONFORMANCE_API_KEY=… CONFORMANCE_TOKEN=… CONFORMANCE_USER_ID=…
  cargo xtask conformance --dialect billing --base-url https://api.example.com --report-html billing.html
  cargo xtask conformance --spec openapi.yaml --base-url http://localhost:8000 --checks CF101,pattern
  cargo xtask conformance --dialect billing --list-checks  # the checks that apply to billing
  cargo xtask conformance explain CF101                    # what a check does, what makes it fail

Exit: 0 every rule held; 1 a rule was broken; 2 usage, connection or diagnosis error."
)]
pub struct ConformanceArgs {
    #[command(subcommand)]
    pub action: Option<ConformanceAction>,
    /// The dialect to test: manage, rpc, community, billing, cl2c or canonical.
    #[arg(long)]
    pub dialect: Option<String>,
    /// Any OpenAPI 3.0 file instead of a dialect: the generic checks.
    #[arg(long, value_name = "FILE")]
    pub spec: Option<PathBuf>,
    /// The implementation's base URL (with any prefix such as `/api/v1`).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// The API key: header X-API-Key (manage, cl2c), apikey (rpc), query api_key (billing).
    #[arg(long, env = "CONFORMANCE_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    /// The caller's bearer token (Authorization: Bearer …).
    #[arg(long, env = "CONFORMANCE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// The tenant id (cl2c's tenant header).
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
    /// Where reproductions put bodies and files too large for a curl line (default:
    /// target/conformance/evidence in this repository).
    #[arg(long, value_name = "DIR")]
    pub evidence_dir: Option<PathBuf>,
    /// Show response bodies whole in the terminal report (the JSON report always keeps them,
    /// up to 64 KiB each).
    #[arg(long)]
    pub full: bool,
    /// Warnings (an answer with a status the spec does not document) fail the run.
    #[arg(long)]
    pub strict: bool,
    /// Fail (exit 1) when an operation of the spec got no request at all.
    #[arg(long)]
    pub require_coverage: bool,
    /// List the checks and exit.
    #[arg(long)]
    pub list_checks: bool,
}

/// What `cargo xtask conformance` can do besides a run.
#[derive(Debug, Subcommand)]
pub enum ConformanceAction {
    /// What a check does and what makes it fail: `explain CF101` (or `explain max-length`).
    Explain {
        /// A check id or name.
        check: String,
    },
    /// Re-send a failure's recorded requests (from --report-json) with the credentials of the
    /// environment, and say whether the failure still happens. Needs curl.
    Replay {
        /// A report written by --report-json.
        report: PathBuf,
        /// Which failure: its number in the report (1, 2, …), a check id (CF101), or
        /// CHECK:OPERATION (CF101:updateUser).
        case: String,
    },
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
    /// With --spec: where the crate gets the runtime (openapi-runtime): `path` (a path dependency on this repository's runtime/; the default when run from its checkout) or `vendored` (its files copied into DIR/runtime/: builds anywhere; the default elsewhere).
    #[arg(long, value_name = "path|vendored", requires = "spec")]
    pub runtime: Option<String>,
}

#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// The folder of OpenAPI documents (default: ../shared/corpus beside the project).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Only the specs whose file name contains one of these (repeatable).
    #[arg(long, value_name = "TEXT")]
    pub only: Vec<String>,
    /// Generate only: no clippy.
    #[arg(long)]
    pub no_compile: bool,
}

#[derive(Debug, Args)]
pub struct ApiDiffArgs {
    /// The old document: a file, an http(s) URL or REV:path (a file at a git revision).
    /// Without OLD and NEW the six specs are compared with their version at --base.
    #[arg(value_name = "OLD", requires = "new")]
    pub old: Option<String>,
    /// The new document: a file, an http(s) URL or REV:path.
    #[arg(value_name = "NEW")]
    pub new: Option<String>,
    /// The revision the six specs are compared with (default HEAD).
    #[arg(long, value_name = "REV", conflicts_with = "old")]
    pub base: Option<String>,
    /// Exit 1 when a change at this level or worse is found.
    #[arg(long, value_name = "LEVEL", value_parser = ["error", "warning"])]
    pub fail_on: Option<String>,
    /// The same as --fail-on error.
    #[arg(long)]
    pub deny_breaking: bool,
    /// text, json, markdown or junit.
    #[arg(long, default_value = "text", value_parser = ["text", "json", "markdown", "junit"])]
    pub format: String,
    /// Instead of changes: every mapped canonical field compared with its dialect fields.
    #[arg(long, conflicts_with_all = ["old", "base"])]
    pub consistency: bool,
    /// Changes accepted for this release: one `id` or `id location` per line.
    #[arg(long, value_name = "FILE")]
    pub allow: Option<PathBuf>,
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
    /// Full regeneration of the six specs in-process, and `codegen --spec` on the corpus specs
    /// (the large ones and the slowest other), in-process and end to end, when present.
    Codegen,
    /// Requests/s and p99 of the reference server against Prism's mock server, with wrk.
    Server,
    /// The default conformance run over all six dialects, and Schemathesis on one spec.
    Harness,
    /// The harness's peak memory (RSS) for about 2k and 20k requests: it must stay flat.
    Memory,
    /// api-diff: GitHub's spec against a copy with 50 scattered edits, Stripe's against itself.
    Diff,
    /// The generated validators against the jsonschema crate: ns per call, valid and invalid.
    Validate,
    /// All of the above.
    All,
}
