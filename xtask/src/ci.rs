//! `cargo xtask ci`: every check CI runs, in the order that fails fastest.

use std::process::Command;

use generator::spec::ext::Dialect;

use crate::cli::SpecArgs;
use crate::{Failure, project_root};

pub fn run() -> Result<(), Failure> {
    let root = project_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // The Python tools first: made once under target/, and a missing Python or PyPI fails here,
    // in seconds, rather than after the tests.
    let tools = python_tools()?;
    // The later steps run this very binary; the test step may relink target/debug/xtask (its
    // integration tests build it with the whole workspace's features), so keep a copy now.
    let xtask = root.join("target/ci/xtask");
    std::fs::create_dir_all(root.join("target/ci"))
        .and_then(|()| std::env::current_exe())
        .and_then(|exe| std::fs::copy(exe, &xtask))
        .map_err(|e| Failure::Usage(format!("cannot keep a copy of the xtask binary: {e}")))?;
    step(
        "formatting",
        Command::new(&cargo).args(["fmt", "--all", "--check"]),
    )?;
    step(
        "clippy",
        Command::new(&cargo).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    step(
        "tests",
        Command::new(&cargo).args(["test", "--workspace", "--locked"]),
    )?;
    step(
        "the snapshot fixtures, generated whole, pass clippy (target/fixture-crates)",
        Command::new(&cargo).args([
            "test",
            "-p",
            "generator",
            "--lib",
            "--locked",
            "fixture_crates",
            "--",
            "--ignored",
        ]),
    )?;
    println!("== specs");
    crate::spec::run(&SpecArgs { files: Vec::new() })?;
    println!("== generated code is up to date");
    crate::codegen::codegen(&root, true)?;
    // Every corpus spec (../shared/corpus: openapi-generator's and progenitor's test specs)
    // generated as a standalone crate and checked with clippy, all 37 of them (the large
    // real-world ones too: stripe, github, oxide) in one cargo workspace.
    step_with_hint(
        "the corpus specs generate as standalone crates that pass clippy (target/corpus)",
        Command::new(&xtask).arg("corpus"),
        "the corpus lives in ../shared/corpus beside the project",
    )?;
    let files: Vec<_> = Dialect::ALL
        .iter()
        .map(|d| root.join("spec").join(d.spec_file()))
        .collect();
    step_with_hint(
        "independent validator (openapi-spec-validator)",
        Command::new(&tools.openapi_spec_validator).args(&files),
        "it is made in the venv under target/ (or set OPENAPI_SPEC_VALIDATOR to its path)",
    )?;
    // The harness against the embedded reference server, every dialect, as a user runs it.
    for dialect in Dialect::ALL {
        step(
            &format!("conformance self-check: {dialect} against the embedded reference server"),
            Command::new(&xtask).args(["conformance", "--dialect", dialect.name()]),
        )?;
    }
    // The harness against implementations we did not write: shared/emulators/, each dialect
    // started on a free loopback port by its own script, which also fails the step (exit 3)
    // if the harness ever prints one of the fixture credentials, in any encoding.
    let emulators = root.join("../shared/emulators/conformance.sh");
    for dialect in Dialect::ALL.iter().filter(|d| **d != Dialect::Canonical) {
        step_with_hint(
            &format!("conformance: {dialect} against its independent emulator"),
            Command::new("bash").arg(&emulators).arg(dialect.name()),
            "the emulators live in ../shared/emulators beside the project",
        )?;
    }
    step(
        "Schemathesis against every face of the reference server",
        Command::new(&xtask)
            .arg("schemathesis")
            .env("SCHEMATHESIS", &tools.schemathesis),
    )?;
    println!("ci: every check passed");
    Ok(())
}

/// The pinned validator and Schemathesis from the venv under `target/` (made on the first
/// run), unless `OPENAPI_SPEC_VALIDATOR` and `SCHEMATHESIS` both name executables to use.
fn python_tools() -> Result<crate::venv::Tools, Failure> {
    let given = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    if let (Some(validator), Some(schemathesis)) =
        (given("OPENAPI_SPEC_VALIDATOR"), given("SCHEMATHESIS"))
    {
        return Ok(crate::venv::Tools {
            openapi_spec_validator: validator.into(),
            schemathesis: schemathesis.into(),
        });
    }
    let mut tools = crate::venv::ensure()?;
    if let Some(validator) = given("OPENAPI_SPEC_VALIDATOR") {
        tools.openapi_spec_validator = validator.into();
    }
    if let Some(schemathesis) = given("SCHEMATHESIS") {
        tools.schemathesis = schemathesis.into();
    }
    Ok(tools)
}

fn step(name: &str, command: &mut Command) -> Result<(), Failure> {
    step_with_hint(name, command, "")
}

fn step_with_hint(name: &str, command: &mut Command, hint: &str) -> Result<(), Failure> {
    println!("== {name}");
    let status = command
        .current_dir(project_root())
        .status()
        .map_err(|error| {
            Failure::Usage(format!(
                "{name}: cannot start {:?}: {error}. {hint}",
                command.get_program()
            ))
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::Check(format!("{name} failed ({status})")))
    }
}
