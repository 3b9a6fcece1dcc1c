//! `cargo xtask codegen [--check]`: regenerate `generated/` from the specs, or check that the
//! committed files are what the generator makes now.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use generator::codegen::{CodegenError, Features, Runtime, Standalone, generate};
use generator::spec::SpecSet;

use crate::cli::CodegenArgs;
use crate::{Failure, project_root};

/// Hand-written files in `generated/` that the generator leaves alone (a directory keeps
/// everything under it: `tests/` holds the hand-written integration tests).
const KEEP: &[&str] = &["README.md", "tests"];

pub fn run(args: &CodegenArgs) -> Result<(), Failure> {
    match (&args.spec, &args.out) {
        (Some(spec), Some(out)) => {
            let features = Features::parse(&args.features).map_err(Failure::Usage)?;
            let runtime = match &args.runtime {
                Some(text) => RuntimeMode::parse(text).map_err(Failure::Usage)?,
                None => RuntimeMode::default_here(),
            };
            let options = StandaloneArgs {
                spec,
                out,
                name: args.name.as_deref(),
                features,
                runtime,
                check: args.check,
                strict: args.strict,
            };
            standalone(&options).map(|_| ())
        }
        _ => codegen(&project_root(), args.check),
    }
}

/// What `cargo xtask codegen --spec FILE --out DIR` was asked for.
#[derive(Debug, Clone, Copy)]
pub struct StandaloneArgs<'a> {
    pub spec: &'a Path,
    pub out: &'a Path,
    pub name: Option<&'a str>,
    pub features: Features,
    pub runtime: RuntimeMode,
    pub check: bool,
    pub strict: bool,
}

/// `--runtime`: how a standalone crate gets `openapi-runtime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuntimeMode {
    /// A path dependency on this repository's `runtime/` folder.
    Path,
    /// The runtime's files copied into the crate's `runtime/` folder.
    Vendored,
}

impl RuntimeMode {
    pub fn parse(text: &str) -> Result<RuntimeMode, String> {
        match text.trim() {
            "path" => Ok(RuntimeMode::Path),
            "vendored" => Ok(RuntimeMode::Vendored),
            other => Err(format!(
                "unknown runtime {other:?}: expected one of {}",
                Runtime::NAMES.join(", ")
            )),
        }
    }

    /// `path` when this repository's `runtime/` is there (the xtask runs from its checkout),
    /// `vendored` otherwise (a copied binary still makes crates that build).
    pub fn default_here() -> RuntimeMode {
        if runtime_dir().join("Cargo.toml").is_file() {
            RuntimeMode::Path
        } else {
            RuntimeMode::Vendored
        }
    }
}

/// This repository's runtime crate.
fn runtime_dir() -> PathBuf {
    project_root().join("runtime")
}

/// The runtime as the crate in `out` depends on it: for `path`, the runtime's folder
/// relative to `out` (so the crate and this repository can move together), or absolute when
/// they share no root.
fn runtime_for(mode: RuntimeMode, out: &Path) -> Result<Runtime, Failure> {
    match mode {
        RuntimeMode::Vendored => Ok(Runtime::Vendored),
        RuntimeMode::Path => {
            let runtime = runtime_dir();
            if !runtime.join("Cargo.toml").is_file() {
                return Err(Failure::Usage(format!(
                    "--runtime path: there is no runtime at {} (this xtask was built from a \
                     checkout that is gone): use --runtime vendored",
                    runtime.display()
                )));
            }
            let from = resolved(out).map_err(|error| io_failure("resolve", out, &error))?;
            let to = resolved(&runtime).map_err(|error| io_failure("resolve", &runtime, &error))?;
            Ok(Runtime::Path(path_from(&from, &to)))
        }
    }
}

/// `path` made absolute, `.` and `..` applied, and its longest existing ancestor
/// canonicalized (symbolic links resolved) while the rest need not exist yet.
fn resolved(path: &Path) -> std::io::Result<PathBuf> {
    let mut absolute = PathBuf::new();
    for component in std::env::current_dir()?.join(path).components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                absolute.pop();
            }
            other => absolute.push(other),
        }
    }
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name.to_owned());
                existing = parent;
            }
            _ => return Ok(absolute),
        }
    }
    let mut found = existing.canonicalize()?;
    found.extend(missing.iter().rev());
    Ok(found)
}

/// `to` as seen from the directory `from` (both absolute and resolved), `/`-separated as
/// `Cargo.toml` writes paths: relative when they share more than the root, else absolute.
fn path_from(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let shares_root_only =
        common <= 1 || matches!(from.first(), Some(std::path::Component::Prefix(_))) && common <= 2;
    if shares_root_only {
        return to.display().to_string();
    }
    let ups = std::iter::repeat_n("..".to_owned(), from.len() - common);
    let downs = to_parts[common..]
        .iter()
        .map(|part| part.as_os_str().to_string_lossy().into_owned());
    let parts: Vec<String> = ups.chain(downs).collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// What a standalone generation did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StandaloneReport {
    pub files: usize,
    pub changed: usize,
    /// Problems in the spec that did not stop generation, as `file:line:column: message`.
    pub warnings: Vec<String>,
}

/// Generates the standalone crate of one OpenAPI document into `args.out` (or, with
/// `check`, fails with a diff when the files there are stale). Every problem with the spec is
/// reported as `file:line:column: message`; a panic in the generator is reported as a bug,
/// never shown as a crash.
pub fn standalone(args: &StandaloneArgs<'_>) -> Result<StandaloneReport, Failure> {
    let spec = args.spec;
    let mut document = generator::spec::load_document(spec)
        .map_err(|error| Failure::Usage(format!("{error}\ncannot read the spec")))?;
    let (mut api, warnings) = generator::model::build_tolerant(&document).map_err(|errors| {
        Failure::Usage(format!(
            "{errors}\n{} problem(s): no code generated",
            errors.len()
        ))
    })?;
    api.module = generator::model::names::module_for_file(spec);
    // From here on the document only locates problems (its path and text): its trees are
    // dropped now, beside the generator (8 ms for Stripe's), and their memory serves it.
    let trees = (
        std::mem::take(&mut document.raw),
        std::mem::take(&mut document.api),
    );
    std::thread::spawn(move || drop(trees));
    let name = match args.name {
        Some(name) => name.to_owned(),
        None => api.module.replace('_', "-"),
    };
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        || !name.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        return Err(Failure::Usage(format!(
            "{name:?} is not a crate name: letters, digits, `-` and `_`, starting with a letter"
        )));
    }
    let options = Standalone {
        name,
        source: spec.display().to_string(),
        features: args.features,
        runtime: runtime_for(args.runtime, args.out)?,
    };
    let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    if args.strict && !warnings.is_empty() {
        return Err(Failure::Usage(format!(
            "{}\n{} warning(s), errors with --strict: no code generated",
            warnings.join("\n"),
            warnings.len()
        )));
    }
    let generated = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        generator::codegen::standalone(&api, &options)
    }));
    let files = match generated {
        Ok(Ok(files)) => files,
        Ok(Err(CodegenError::InvalidModel(problems))) => {
            let lines: Vec<String> = problems
                .iter()
                .map(|problem| {
                    document
                        .error_at(&problem.pointer, problem.message.clone())
                        .to_string()
                })
                .collect();
            return Err(Failure::Usage(format!(
                "{}\n{} problem(s) the generator cannot represent: no code generated",
                lines.join("\n"),
                lines.len()
            )));
        }
        Ok(Err(error)) => return Err(Failure::Usage(format!("{}: {error}", spec.display()))),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            return Err(Failure::Usage(format!(
                "{}: the generator failed on this spec (a generator bug, please report it): {message}",
                spec.display()
            )));
        }
    };

    let out = args.out;
    let mut stale = Vec::new();
    let mut wanted = BTreeSet::new();
    for file in &files {
        let path = out.join(&file.path);
        if ensure_file_contents(&path, &file.contents, args.check)? {
            stale.push(path.display().to_string());
        }
        wanted.insert(path);
    }
    // Only the generator's folders are swept: target/, Cargo.lock and anything else the user
    // keeps beside the crate are theirs. `runtime/` is the vendored runtime's (gone with
    // `--runtime path`).
    for folder in ["src", "docs", "runtime"] {
        for path in files_under(&out.join(folder))? {
            if wanted.contains(&path) {
                continue;
            }
            if args.check {
                let old = fs::read_to_string(&path).unwrap_or_default();
                eprintln!("{} is not generated any more: delete it", path.display());
                eprint!("{}", diff(&path.display().to_string(), &old, ""));
            } else {
                fs::remove_file(&path).map_err(|error| io_failure("delete", &path, &error))?;
                remove_empty_parents(&path, out);
                println!("deleted {}", path.display());
            }
            stale.push(path.display().to_string());
        }
    }
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    if args.check && !stale.is_empty() {
        return Err(Failure::Check(format!(
            "{} is stale: run `cargo xtask codegen --spec {} --out {}` ({} file(s): {})",
            out.display(),
            spec.display(),
            out.display(),
            stale.len(),
            stale.join(", ")
        )));
    }
    if !args.check {
        // The workspace's lock file seeds the crate's: the versions the generator's output is
        // tested with, and a first build that needs no registry index (cargo trims it).
        // Without this repository's checkout there is none to copy: cargo makes one.
        let lock = out.join("Cargo.lock");
        let seed = project_root().join("Cargo.lock");
        if !lock.exists() && seed.is_file() {
            fs::copy(&seed, &lock).map_err(|error| io_failure("write", &lock, &error))?;
        }
        println!(
            "codegen: {} files in {}, {} changed, {} warning(s)",
            files.len(),
            out.display(),
            stale.len(),
            warnings.len()
        );
    }
    Ok(StandaloneReport {
        files: files.len(),
        changed: stale.len(),
        warnings,
    })
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

    fn scratch(name: &str) -> PathBuf {
        let dir = project_root()
            .join("target")
            .join("tmp")
            .join(format!("standalone-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn args<'a>(spec: &'a Path, out: &'a Path, check: bool) -> StandaloneArgs<'a> {
        StandaloneArgs {
            spec,
            out,
            name: None,
            features: Features::ALL,
            runtime: RuntimeMode::Path,
            check,
            strict: false,
        }
    }

    /// `cargo xtask codegen --spec FILE --out DIR`: a crate of its own, which `--check` then
    /// finds up to date; an edited or a stray generated file is stale, a user's file is not.
    #[test]
    fn a_standalone_crate_is_written_then_checked() {
        let out = scratch("petstore");
        let spec = project_root().join("spec/dialects/manage.yaml");
        let report = standalone(&args(&spec, &out, false)).unwrap();
        let module = generator::model::names::module_for_file(&spec);
        for file in [
            "Cargo.toml".to_owned(),
            "Cargo.lock".to_owned(),
            "README.md".to_owned(),
            "src/lib.rs".to_owned(),
            "src/support.rs".to_owned(),
            format!("src/{module}/types.rs"),
            format!("src/{module}/server.rs"),
            format!("src/{module}/client.rs"),
            format!("docs/{module}.md"),
        ] {
            assert!(out.join(&file).exists(), "{file}");
        }
        assert_eq!(report.files, report.changed);
        let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
        assert!(manifest.contains("\n[workspace]\n"), "{manifest}");
        // target/tmp/standalone-… is three folders below the root.
        assert!(
            manifest.contains("openapi-runtime = { path = \"../../../runtime\""),
            "{manifest}"
        );
        assert!(!out.join("runtime").exists());
        assert!(!manifest.contains("workspace = true"), "{manifest}");
        assert!(!manifest.contains(".workspace"), "{manifest}");
        let readme = fs::read_to_string(out.join("README.md")).unwrap();
        assert!(readme.contains(&spec.display().to_string()), "{readme}");
        assert!(
            readme.contains(&format!("`src/{module}/server.rs`")),
            "{readme}"
        );

        let checked = standalone(&args(&spec, &out, true)).unwrap();
        assert_eq!(checked.changed, 0);
        fs::write(out.join("notes.txt"), "mine").unwrap();
        fs::write(out.join("src/lib.rs"), "// edited\n").unwrap();
        fs::write(out.join("src/stray.rs"), "// stray\n").unwrap();
        match standalone(&args(&spec, &out, true)) {
            Err(Failure::Check(message)) => {
                assert!(message.contains("lib.rs"), "{message}");
                assert!(message.contains("stray.rs"), "{message}");
                assert!(!message.contains("notes.txt"), "{message}");
            }
            other => panic!("expected a stale check, got {other:?}"),
        }
        standalone(&args(&spec, &out, false)).unwrap();
        assert!(!out.join("src/stray.rs").exists());
        assert!(out.join("notes.txt").exists());
        fs::remove_dir_all(&out).unwrap();
    }

    /// `--runtime vendored`: the runtime's files copied in byte for byte, the dependency on
    /// that copy; going back to `path` deletes the copy.
    #[test]
    fn a_vendored_runtime_is_the_runtime_unchanged() {
        let out = scratch("vendored");
        let spec = project_root().join("spec/dialects/manage.yaml");
        let mut options = args(&spec, &out, false);
        options.runtime = RuntimeMode::Vendored;
        standalone(&options).unwrap();
        let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
        assert!(
            manifest
                .contains("openapi-runtime = { path = \"runtime\", features = [\"validate\"] }"),
            "{manifest}"
        );
        for (path, _) in generator::codegen::vendored::RUNTIME_FILES {
            let copied = fs::read(out.join("runtime").join(path)).unwrap();
            let original = fs::read(runtime_dir().join(path)).unwrap();
            assert!(copied == original, "runtime/{path} differs from its copy");
        }
        let readme = fs::read_to_string(out.join("README.md")).unwrap();
        assert!(readme.contains("| `runtime/` |"), "{readme}");
        assert!(!readme.contains("runtime/src/lib.rs"), "{readme}");
        options.check = true;
        assert_eq!(standalone(&options).unwrap().changed, 0);
        standalone(&args(&spec, &out, false)).unwrap();
        assert!(!out.join("runtime").exists(), "the copy is swept");
        fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn runtime_paths_are_relative_when_they_share_a_root() {
        let path = |text: &str| PathBuf::from(text);
        assert_eq!(
            path_from(
                &path("/w/repo/target/standalone/pet"),
                &path("/w/repo/runtime")
            ),
            "../../../runtime"
        );
        assert_eq!(
            path_from(&path("/w/repo"), &path("/w/repo/runtime")),
            "runtime"
        );
        assert_eq!(
            path_from(&path("/tmp/pet"), &path("/w/repo/runtime")),
            "/w/repo/runtime"
        );
        assert_eq!(RuntimeMode::parse("vendored"), Ok(RuntimeMode::Vendored));
        assert!(
            RuntimeMode::parse("git")
                .unwrap_err()
                .contains("path, vendored")
        );
        let resolved = resolved(Path::new("target/../target/not-yet/x")).unwrap();
        assert!(resolved.is_absolute(), "{}", resolved.display());
        assert!(
            resolved.ends_with("target/not-yet/x"),
            "{}",
            resolved.display()
        );
    }

    /// Fewer features, fewer modules: types alone, or a client without the server.
    #[test]
    fn features_choose_the_modules() {
        let spec = project_root().join("spec/dialects/manage.yaml");
        let out = scratch("features");
        let mut options = args(&spec, &out, false);
        options.features = Features::parse("types,client").unwrap();
        options.name = Some("manage-client");
        standalone(&options).unwrap();
        let module = out.join("src/manage");
        assert!(module.join("client.rs").exists());
        assert!(module.join("operations.rs").exists());
        assert!(!module.join("server.rs").exists());
        assert!(!module.join("validate.rs").exists());
        let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
        assert!(manifest.contains("name = \"manage-client\""), "{manifest}");
        assert!(manifest.contains("default = [\"client\"]"), "{manifest}");
        let mod_rs = fs::read_to_string(module.join("mod.rs")).unwrap();
        assert!(!mod_rs.contains("server"), "{mod_rs}");
        fs::remove_dir_all(&out).unwrap();
    }

    /// A broken spec is named with its file, line and column; a bad crate name is refused.
    #[test]
    fn standalone_errors_name_the_place() {
        let out = scratch("errors");
        let dir = scratch("errors-spec");
        fs::create_dir_all(&dir).unwrap();
        let spec = dir.join("broken.yaml");
        fs::write(
            &spec,
            "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses: 7\n",
        )
        .unwrap();
        match standalone(&args(&spec, &out, false)) {
            Err(Failure::Usage(message)) => {
                assert!(message.contains("broken.yaml:8:"), "{message}")
            }
            other => panic!("expected an error, got {other:?}"),
        }
        let missing = dir.join("missing.yaml");
        match standalone(&args(&missing, &out, false)) {
            Err(Failure::Usage(message)) => assert!(message.contains("missing.yaml"), "{message}"),
            other => panic!("expected an error, got {other:?}"),
        }
        let good = project_root().join("spec/dialects/manage.yaml");
        let mut options = args(&good, &out, false);
        options.name = Some("no spaces");
        assert!(matches!(standalone(&options), Err(Failure::Usage(_))));
        assert!(!out.exists(), "nothing written on an error");
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A problem that does not stop generation is a warning with its line; `--strict` makes
    /// it an error and nothing is written.
    #[test]
    fn warnings_and_strict() {
        let out = scratch("warnings");
        let dir = scratch("warnings-spec");
        fs::create_dir_all(&dir).unwrap();
        let spec = dir.join("lenient.yaml");
        fs::write(
            &spec,
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers:\n  - url: 'http://x:{port}'\n    variables:\n      port: {enum: [80, 443], default: '80'}\npaths:\n  /items/{id}:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: ghost, in: path, required: true, schema: {type: string}}\n      responses:\n        '204': {description: none}\ncomponents:\n  schemas:\n    Colour: {type: string, enum: [red, red]}\n",
        )
        .unwrap();
        let mut options = args(&spec, &out, false);
        options.strict = true;
        match standalone(&options) {
            Err(Failure::Usage(message)) => {
                assert!(message.contains("lenient.yaml:6:"), "{message}");
                assert!(message.contains("`ghost`"), "{message}");
                assert!(message.contains("\"red\" is listed twice"), "{message}");
            }
            other => panic!("expected an error, got {other:?}"),
        }
        assert!(!out.exists(), "nothing written with --strict");
        let report = standalone(&args(&spec, &out, false)).unwrap();
        assert_eq!(report.warnings.len(), 4, "{:?}", report.warnings);
        assert!(report.warnings.iter().all(|w| w.contains("lenient.yaml:")));
        fs::remove_dir_all(&out).unwrap();
        fs::remove_dir_all(&dir).unwrap();
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
