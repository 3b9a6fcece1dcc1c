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
    /// Everything CI runs: formatting, clippy, tests, spec checks, the independent validator.
    Ci,
}

#[derive(Debug, Args)]
pub struct SpecArgs {
    /// Check these OpenAPI files alone instead of the project's six specs.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}
