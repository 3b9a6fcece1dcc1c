//! `cargo xtask codegen [--check]`: regenerate `generated/` from the specs, or check that the
//! committed files are what the generator makes now.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use generator::codegen::generate;
use generator::spec::SpecSet;

use crate::cli::CodegenArgs;
use crate::{Failure, project_root};

/// Hand-written files in `generated/` that the generator leaves alone (a directory keeps
/// everything under it: `tests/` holds the hand-written integration tests).
const KEEP: &[&str] = &["README.md", "tests"];

pub fn run(args: &CodegenArgs) -> Result<(), Failure> {
    codegen(&project_root(), args.check)
}

/// Generates every file under `root/generated/` from the specs under `root/spec/`. In check
/// mode nothing is written: each stale file is shown as a diff and the run fails.
pub fn codegen(root: &Path, check: bool) -> Result<(), Failure> {
    let set = SpecSet::load(&root.join("spec")).map_err(|errors| {
        Failure::Usage(format!(
            "{errors}\n{} problem(s) in the specs",
            errors.len()
        ))
    })?;
    let mut apis = Vec::new();
    let mut problems = Vec::new();
    for (dialect, document) in &set.documents {
        match generator::model::build(document) {
            Ok(mut api) => {
                api.module = dialect.name().to_owned();
                apis.push(api);
            }
            Err(errors) => problems.push(errors.to_string()),
        }
    }
    // Edge-case specs (spec/fixtures/*.yaml) are generated into the crate too, so everything
    // the generator emits for them compiles and passes clippy on every CI run.
    for path in fixture_specs(&root.join("spec").join("fixtures"))? {
        let module = generator::model::names::module_for_file(&path);
        let built = generator::spec::check_file(&path, None)
            .and_then(|document| generator::model::build(&document));
        match built {
            Ok(mut api) => {
                api.module = module;
                apis.push(api);
            }
            Err(errors) => problems.push(errors.to_string()),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::Usage(format!(
            "{}\ncannot build the model of every spec",
            problems.join("\n")
        )));
    }
    let mappings = set
        .documents
        .get(&generator::spec::ext::Dialect::Canonical)
        .map(generator::model::read_mapping)
        .unwrap_or_default();
    let files = generate(&apis, &mappings).map_err(|error| Failure::Usage(error.to_string()))?;

    let out = root.join("generated");
    let mut stale = Vec::new();
    let mut wanted = BTreeSet::new();
    for file in &files {
        let path = out.join(&file.path);
        if ensure_file_contents(&path, &file.contents, check)? {
            stale.push(relative(root, &path));
        }
        wanted.insert(path);
    }
    for path in files_under(&out)? {
        let kept = path
            .strip_prefix(&out)
            .is_ok_and(|rest| KEEP.iter().any(|keep| rest.starts_with(keep)));
        if wanted.contains(&path) || kept {
            continue;
        }
        if check {
            let old = fs::read_to_string(&path).unwrap_or_default();
            eprintln!(
                "{} is not generated any more: delete it",
                relative(root, &path)
            );
            eprint!("{}", diff(&relative(root, &path), &old, ""));
        } else {
            fs::remove_file(&path).map_err(|error| io_failure("delete", &path, &error))?;
            remove_empty_parents(&path, &out);
            println!("deleted {}", relative(root, &path));
        }
        stale.push(relative(root, &path));
    }

    if check && !stale.is_empty() {
        return Err(Failure::Check(format!(
            "generated/ is stale: run `cargo xtask codegen` and commit ({} file(s): {})",
            stale.len(),
            stale.join(", ")
        )));
    }
    if !check {
        println!(
            "codegen: {} files in generated/, {} changed",
            files.len(),
            stale.len()
        );
    }
    Ok(())
}

/// The `.yaml`/`.json` files of `dir`, sorted (none when it does not exist).
fn fixture_specs(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let mut found: Vec<PathBuf> = files_under(dir)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    found.sort();
    Ok(found)
}

/// Makes `path` hold `contents`: nothing happens when it already does; otherwise the file is
/// written, or, in check mode, its diff is printed. Returns whether the file was stale.
pub fn ensure_file_contents(path: &Path, contents: &str, check: bool) -> Result<bool, Failure> {
    let old = match fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(io_failure("read", path, &error)),
    };
    if old.as_deref() == Some(contents.as_bytes()) {
        return Ok(false);
    }
    let shown = relative(&project_root(), path);
    if check {
        let old = old
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default();
        eprintln!("{shown} is stale:");
        eprint!("{}", diff(&shown, &old, contents));
        return Ok(true);
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|error| io_failure("create", parent, &error))?;
    }
    fs::write(path, contents).map_err(|error| io_failure("write", path, &error))?;
    println!("updated {shown}");
    Ok(true)
}

/// A unified diff from the file on disk to what the generator makes.
fn diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// Every file under `dir`, sorted (none when it does not exist).
fn files_under(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(io_failure("list", &dir, &error)),
        };
        for entry in entries {
            let entry = entry.map_err(|error| io_failure("list", &dir, &error))?;
            let path = entry.path();
            let kind = entry
                .file_type()
                .map_err(|error| io_failure("inspect", &path, &error))?;
            if kind.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Removes the directories left empty by a deletion, up to (not including) `top`.
fn remove_empty_parents(path: &Path, top: &Path) {
    let mut dir = path.parent();
    while let Some(current) = dir {
        if current == top || fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn io_failure(what: &str, path: &Path, error: &std::io::Error) -> Failure {
    Failure::Usage(format!("cannot {what} {}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` catches a generated/ that no longer matches the specs or the generator.
    #[test]
    fn generated_code_is_up_to_date() {
        if let Err(failure) = codegen(&project_root(), true) {
            panic!("{failure}");
        }
    }

    #[test]
    fn ensure_file_contents_writes_only_when_different() {
        let dir = std::env::temp_dir().join(format!("xtask-codegen-{}", std::process::id()));
        let path = dir.join("nested/file.txt");
        assert!(ensure_file_contents(&path, "one\n", true).unwrap());
        assert!(!path.exists(), "check mode never writes");
        assert!(ensure_file_contents(&path, "one\n", false).unwrap());
        assert_eq!(fs::read_to_string(&path).unwrap(), "one\n");
        assert!(!ensure_file_contents(&path, "one\n", false).unwrap());
        assert!(ensure_file_contents(&path, "two\n", true).unwrap());
        assert_eq!(fs::read_to_string(&path).unwrap(), "one\n");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn diffs_are_unified() {
        let text = diff("src/lib.rs", "a\nb\n", "a\nc\n");
        assert!(
            text.starts_with("--- a/src/lib.rs\n+++ b/src/lib.rs\n"),
            "{text}"
        );
        assert!(text.contains("-b\n+c\n"), "{text}");
    }
}
