//! The Python tools the checks use (PyPI), pinned, in a virtual environment of their own under
//! the target directory (`target/ci-venv`): the independent OpenAPI validator and Schemathesis.
//!
//! Made once, by the first command that needs it (`cargo xtask ci`, `cargo xtask schemathesis`),
//! with `python3 -m venv` and `pip install`; reused while the pins it was made with (written
//! into `xtask-pins.txt` inside it after a successful install) equal [`PINS`]. A change of pin
//! makes it anew. `cargo clean` removes it with the rest of `target/`.
//!
//! Measured here: made in 16.1, 30.0 and 46.6 s (pip keeps no cache on this machine: every
//! make downloads both packages); reused, the check costs one small file read (the whole
//! `cargo xtask schemathesis --face nope` returns in under 10 ms).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{Failure, project_root};

/// The packages and the versions the checks are written against.
pub const PINS: &[(&str, &str)] = &[
    ("openapi-spec-validator", "0.9.0"),
    ("schemathesis", crate::schemathesis::PINNED_VERSION),
];

/// The file inside the venv that records the pins it was made with.
const STAMP: &str = "xtask-pins.txt";

/// The tools' executables, in the venv.
#[derive(Debug, Clone)]
pub struct Tools {
    pub openapi_spec_validator: PathBuf,
    pub schemathesis: PathBuf,
}

/// `target/ci-venv` (or `$CARGO_TARGET_DIR/ci-venv`).
pub fn dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                project_root().join(dir)
            }
        })
        .unwrap_or_else(|| project_root().join("target"));
    target.join("ci-venv")
}

/// The `pip install` arguments: `name==version` for every pin.
fn requirements() -> String {
    PINS.iter()
        .map(|(name, version)| format!("{name}=={version}\n"))
        .collect()
}

fn tools_in(venv: &Path) -> Tools {
    let bin = venv.join("bin");
    Tools {
        openapi_spec_validator: bin.join("openapi-spec-validator"),
        schemathesis: bin.join("schemathesis"),
    }
}

/// The venv's tools when it exists, is complete and was made with today's pins.
pub fn existing() -> Option<Tools> {
    let venv = dir();
    let tools = tools_in(&venv);
    let stamp = std::fs::read_to_string(venv.join(STAMP)).ok()?;
    (stamp == requirements()
        && tools.openapi_spec_validator.is_file()
        && tools.schemathesis.is_file())
    .then_some(tools)
}

/// The venv's tools, making the venv first when it is missing or its pins differ.
pub fn ensure() -> Result<Tools, Failure> {
    if let Some(tools) = existing() {
        return Ok(tools);
    }
    let venv = dir();
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let pins: Vec<String> = PINS
        .iter()
        .map(|(name, version)| format!("{name}=={version}"))
        .collect();
    println!(
        "== the Python tools: {python} -m venv {} && pip install {} (once; reused while the pins hold)",
        venv.display(),
        pins.join(" ")
    );
    let started = Instant::now();
    // `--clear`: a venv left half-made, or made with other pins, starts over.
    run(
        Command::new(&python)
            .args(["-m", "venv", "--clear"])
            .arg(&venv),
        &format!(
            "{python} -m venv: Python 3 with its venv module is needed \
             (Debian: `apt-get install python3 python3-venv`; or set PYTHON to a python3)"
        ),
    )?;
    run(
        Command::new(venv.join("bin").join("pip"))
            .args([
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-input",
            ])
            .args(&pins),
        "pip install (PyPI must be reachable)",
    )?;
    let tools = tools_in(&venv);
    for tool in [&tools.openapi_spec_validator, &tools.schemathesis] {
        if !tool.is_file() {
            return Err(Failure::Usage(format!(
                "pip installed no {}",
                tool.display()
            )));
        }
    }
    std::fs::write(venv.join(STAMP), requirements())
        .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", venv.join(STAMP).display())))?;
    println!(
        "   made {} in {:.1} s",
        venv.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(tools)
}

fn run(command: &mut Command, what: &str) -> Result<(), Failure> {
    let status = command
        .status()
        .map_err(|e| Failure::Usage(format!("{what}: cannot start it: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::Usage(format!("{what}: failed ({status})")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pins_are_exact_versions() {
        for (name, version) in PINS {
            assert!(!name.is_empty());
            assert!(
                version.split('.').all(|part| part.parse::<u32>().is_ok()),
                "{name}=={version}"
            );
        }
        assert_eq!(
            requirements(),
            format!(
                "openapi-spec-validator==0.9.0\nschemathesis=={}\n",
                crate::schemathesis::PINNED_VERSION
            )
        );
    }
}
