//! `cargo xtask <command>`: the project's command line (see `cargo xtask --help`).

mod api_diff;
mod bench;
mod bench_diff;
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
    quiet_on_closed_pipe();
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

/// `cargo xtask … | head`: once the reader has gone, printing fails; end quietly as a Unix
/// tool does on SIGPIPE (exit 141), not with a panic message. Every other panic is reported
/// as before.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}
