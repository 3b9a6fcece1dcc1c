//! `cargo xtask api-diff`: what changed in each API since a git revision, every change
//! classified as compatible or breaking (see `generator::diff`).

use std::path::Path;
use std::process::Command;

use generator::diff::{Severity, diff};
use generator::spec::ext::Dialect;
use generator::spec::{load_document, parse_document};

use crate::cli::ApiDiffArgs;
use crate::{Failure, project_root};

pub fn run(args: &ApiDiffArgs) -> Result<(), Failure> {
    let root = project_root();
    let mut breaking = 0;
    let mut total = 0;
    for dialect in Dialect::ALL {
        let file = format!("spec/{}", dialect.spec_file());
        let new = load_document(&root.join(&file)).map_err(|e| Failure::Usage(e.to_string()))?;
        let new = generator::model::build(&new).map_err(|e| Failure::Usage(e.to_string()))?;
        let Some(old_text) = git_show(&root, &args.base, &file)? else {
            println!("{dialect}: new since {} (no earlier version)", args.base);
            continue;
        };
        let label = format!("{}:{file}", args.base);
        let old = parse_document(Path::new(&label), old_text)
            .map_err(|e| Failure::Usage(e.to_string()))?;
        let old = generator::model::build(&old).map_err(|e| Failure::Usage(e.to_string()))?;
        let changes = diff(&old, &new);
        if changes.is_empty() {
            println!("{dialect}: no API changes since {}", args.base);
            continue;
        }
        println!("{dialect}: {} change(s) since {}", changes.len(), args.base);
        for change in &changes {
            println!("  {change}");
        }
        breaking += changes
            .iter()
            .filter(|c| c.severity == Severity::Breaking)
            .count();
        total += changes.len();
    }
    println!("{total} change(s), {breaking} breaking");
    if args.deny_breaking && breaking > 0 {
        return Err(Failure::Check(format!(
            "{breaking} breaking API change(s) since {}",
            args.base
        )));
    }
    Ok(())
}

/// A file's text at a revision; `None` when the file did not exist there.
fn git_show(root: &Path, revision: &str, file: &str) -> Result<Option<String>, Failure> {
    let output = Command::new("git")
        .args(["show", &format!("{revision}:{file}")])
        .current_dir(root)
        .output()
        .map_err(|e| Failure::Usage(format!("cannot run git: {e}")))?;
    if output.status.success() {
        return Ok(Some(String::from_utf8_lossy(&output.stdout).into_owned()));
    }
    let message = String::from_utf8_lossy(&output.stderr);
    if message.contains("does not exist") || message.contains("exists on disk, but not in") {
        Ok(None)
    } else {
        Err(Failure::Usage(format!(
            "git show {revision}:{file}: {}",
            message.trim()
        )))
    }
}
