//! `cargo xtask <command>`: the project's command line (see `cargo xtask --help`).

mod api_diff;
mod bench;
mod ci;
mod cli;
mod codegen;
mod conformance;
mod corpus;
mod schemathesis;
mod serve;
mod spec;
mod venv;

/// Generation builds and drops millions of small token trees; mimalloc does that a quarter
/// faster than the system allocator (see the root Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Spec(args) => spec::run(&args),
        cli::Command::Codegen(args) => codegen::run(&args),
        cli::Command::Corpus(args) => corpus::run(&args),
        cli::Command::Ci => ci::run(),
        cli::Command::ApiDiff(args) => api_diff::run(&args),
        cli::Command::Conformance(args) => conformance::run(&args),
        cli::Command::ConformanceHtml(args) => conformance::render_html(&args),
        cli::Command::Serve(args) => serve::run(&args),
        cli::Command::Schemathesis(args) => schemathesis::run(&args),
        cli::Command::Bench(args) => bench::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Why a command failed, and so which exit code it ends with.
#[derive(Debug)]
pub enum Failure {
    /// A check found problems (exit 1).
    Check(String),
    /// The command could not run: bad usage, a missing tool, I/O (exit 2).
    Usage(String),
}

impl Failure {
    fn exit_code(&self) -> u8 {
        match self {
            Failure::Check(_) => 1,
            Failure::Usage(_) => 2,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Check(message) => write!(f, "error: {message}"),
            Failure::Usage(message) => write!(f, "error: {message}"),
        }
    }
}

/// The workspace root (the parent of this crate), wherever cargo was started from.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}
