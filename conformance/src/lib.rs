//! Spec-driven conformance checks against any running implementation of an API.
//!
//! The harness reads a spec at run time ([`Target`]), derives its checks from it (field
//! limits, patterns, credentials, ownership, envelopes, …; see [`checks::ALL`]), drives them
//! with proptest from a fixed seed, shrinks every failure to its smallest request, and
//! reports each with the sequence of requests that led to it, credentials redacted.

pub mod applies;
pub mod checks;
mod context;
pub mod curl;
mod diagnosis;
mod envelope;
pub mod html;
pub mod http;
pub mod matrix;
mod passive;
mod progress;
mod property;
pub mod report;
mod rules;
mod schema_check;
pub mod secrets;
mod values;

use std::path::{Path, PathBuf};
use std::time::Instant;

use generator::spec::ext::Dialect;

pub use checks::{Check, Selection};
pub use report::{CheckResult, Outcome, Report};
pub use secrets::Credentials;

/// What to test against.
#[derive(Debug, Clone)]
pub enum Target {
    /// A project dialect (its spec is `spec/dialects/<name>.yaml`, or `spec/canonical.yaml`).
    Dialect(Dialect),
    /// Any OpenAPI 3.0 file: the generic checks.
    Spec(PathBuf),
}

/// Everything a run needs.
#[derive(Debug, Clone)]
pub struct RunConfig {
    pub target: Target,
    /// The project's `spec/` folder (for `Target::Dialect`).
    pub spec_dir: PathBuf,
    pub base_url: String,
    pub credentials: Credentials,
    pub seed: u64,
    /// Cases per property.
    pub cases: u32,
    pub selection: Selection,
    pub destructive: bool,
    pub limits: http::Limits,
    /// Show progress on a terminal.
    pub progress: bool,
    /// Where reproductions put bodies and files too large or too binary for a curl line
    /// (`None`: the line says what it left out).
    pub evidence_dir: Option<PathBuf>,
    /// Warnings (an undocumented status) are failures.
    pub strict: bool,
}

impl RunConfig {
    /// A run of `target` at `base_url` with every default: the default seed and cases, every
    /// check, nothing destroyed, no progress line, no evidence files, warnings not failures.
    pub fn new(
        target: Target,
        spec_dir: PathBuf,
        base_url: String,
        credentials: Credentials,
    ) -> RunConfig {
        RunConfig {
            target,
            spec_dir,
            base_url,
            credentials,
            seed: DEFAULT_SEED,
            cases: DEFAULT_CASES,
            selection: Selection::default(),
            destructive: false,
            limits: http::Limits::default(),
            progress: false,
            evidence_dir: None,
            strict: false,
        }
    }
}

/// The default seed: runs are reproducible unless asked otherwise.
pub const DEFAULT_SEED: u64 = 0x5eed;
pub const DEFAULT_CASES: u32 = 20;

/// Why a run could not happen (exit 2), as opposed to a rule broken (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Spec(String),
    #[error("{0}")]
    Usage(String),
    #[error("cannot reach {url}: {reason}")]
    Connection { url: String, reason: String },
    /// The target answered, but not as the API it claims to be (credentials refused, the
    /// caller's own resource not found): no verdict is worth anything then.
    #[error("{0}")]
    Diagnosis(String),
}

/// Loads the spec of a target into the model.
pub fn load_api(target: &Target, spec_dir: &Path) -> Result<generator::model::Api, RunError> {
    let path = match target {
        Target::Dialect(dialect) => spec_dir.join(dialect.spec_file()),
        Target::Spec(path) => path.clone(),
    };
    let document =
        generator::spec::load_document(&path).map_err(|e| RunError::Spec(e.to_string()))?;
    generator::model::build(&document).map_err(|e| RunError::Spec(e.to_string()))
}

/// What reports call the target: the dialect, or the spec's title.
pub fn target_name(target: &Target, api: &generator::model::Api) -> String {
    match target {
        Target::Dialect(dialect) => dialect.name().to_owned(),
        Target::Spec(_) => api.title.clone(),
    }
}

/// Runs every selected check against `config.base_url`.
pub fn run(config: &RunConfig) -> Result<Report, RunError> {
    run_beside(config, None)
}

/// A server future to run on the harness's own event loop ([`run_beside`]).
pub type ServerTask = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// [`run`], with `server` (listening at `config.base_url`) served on the harness's event
/// loop: an in-process server answers each request on the thread that sent it.
pub fn run_beside(config: &RunConfig, server: Option<ServerTask>) -> Result<Report, RunError> {
    let started = Instant::now();
    let run_started = std::time::SystemTime::now();
    let api = load_api(&config.target, &config.spec_dir)?;
    let transport =
        http::Transport::new(&config.base_url, config.limits).map_err(RunError::Usage)?;
    if let Some(server) = server {
        transport.spawn_beside(server);
    }
    // One probe first: a target that is not there is a connection error (exit 2), not a
    // report full of failures.
    let probe = transport.send(&http::HttpRequest {
        method: generator::model::Method::Get,
        path: String::new(),
        query: Vec::new(),
        headers: Vec::new(),
        body: http::Body::None,
    });
    if let Err(error @ (http::TransportError::Connect(_) | http::TransportError::Timeout(_))) =
        &probe.response
    {
        return Err(RunError::Connection {
            url: config.base_url.clone(),
            reason: error.to_string(),
        });
    }
    let target_name = target_name(&config.target, &api);
    let ctx = context::Context::new(
        api,
        transport,
        config.credentials.clone(),
        config.seed,
        config.cases,
        config.destructive,
        config.evidence_dir.clone(),
    );
    diagnosis::diagnose(&ctx).map_err(RunError::Diagnosis)?;
    let active: Vec<Check> = checks::ALL
        .iter()
        .copied()
        .filter(|c| c.family() != checks::Family::Passive && config.selection.includes(*c))
        .collect();
    // The (operation, check) pairs that apply, as the spec alone says, decided once: what it
    // rules out never runs nor shows up as a skip, and progress counts the rest. Destructive
    // checks run last, so that what they destroy is not needed afterwards.
    let mut planned: Vec<(usize, Check)> = Vec::new();
    for destructive_pass in [false, true] {
        for (op_index, operation) in ctx.api.operations.iter().enumerate() {
            planned.extend(
                active
                    .iter()
                    .filter(|c| (**c == Check::Destructive) == destructive_pass)
                    .filter(|c| applies::applies(&ctx.api, operation, **c))
                    .map(|c| (op_index, *c)),
            );
        }
    }
    if config.progress {
        ctx.start_progress(progress::Progress::new(&target_name, planned.len()));
    }
    let mut results: Vec<(usize, usize, CheckResult)> = Vec::new();
    for &(op_index, check) in &planned {
        let operation = &ctx.api.operations[op_index];
        ctx.progress_check(check, &operation.id);
        let outcome = rules::run(&ctx, operation, check);
        let observed = ctx.take_observed();
        if let Some(outcome) = outcome {
            let outcome = outcome.redacted(&ctx.redactor);
            if matches!(outcome, Outcome::Failed(_)) {
                ctx.progress_failure();
            }
            let mut result = placed(op_index, operation, check, outcome);
            result.2.observed = observed;
            results.push(result);
        }
    }
    ctx.finish_progress();
    let mut tallies = ctx.take_tallies();
    for (op_index, operation) in ctx.api.operations.iter().enumerate() {
        for check in passive::checks().filter(|c| config.selection.includes(*c)) {
            if let Some(outcome) = tallies.outcome(operation, check, config.strict) {
                let outcome = outcome.redacted(&ctx.redactor);
                results.push(placed(op_index, operation, check, outcome));
            }
        }
    }
    results.sort_by_key(|(op, check, _)| (*op, *check));
    Ok(Report {
        version: format!("conformance {}", env!("CARGO_PKG_VERSION")),
        timestamp: report::rfc3339_utc(run_started),
        target: target_name,
        base_url: config.base_url.clone(),
        seed: config.seed,
        cases: config.cases,
        results: results.into_iter().map(|(_, _, r)| r).collect(),
        coverage: ctx
            .api
            .operations
            .iter()
            .map(|op| report::Coverage {
                operation: op.id.clone(),
                method: op.method.as_str().to_owned(),
                path: op.path.clone(),
                requests: ctx.requests_to(&op.id),
            })
            .collect(),
        requests: ctx.requests(),
        elapsed: started.elapsed(),
    })
}

/// A result with its place in the report: operation order, then check order.
fn placed(
    op_index: usize,
    operation: &generator::model::Operation,
    check: Check,
    outcome: Outcome,
) -> (usize, usize, CheckResult) {
    let index = checks::ALL
        .iter()
        .position(|c| *c == check)
        .unwrap_or(usize::MAX);
    (
        op_index,
        index,
        CheckResult::new(check, &operation.id, outcome),
    )
}
