//! The runtime crate's own files (`runtime/`), compiled into the generator so that
//! `--runtime vendored` can copy them into a standalone crate unchanged, wherever the
//! generator runs (the xtask binary needs no checkout of this repository for it).

/// Where a standalone crate puts the vendored runtime, relative to the crate.
pub const VENDORED_DIR: &str = "runtime";

macro_rules! runtime_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../../runtime/", $path)))),*]
    };
}

/// Every file of `runtime/` (but build output), as its path relative to `runtime/` and its
/// contents. A test checks the list against the folder, so a new runtime file cannot be
/// left out of vendored crates.
pub const RUNTIME_FILES: &[(&str, &str)] = runtime_files![
    "Cargo.toml",
    "README.md",
    "src/adapter.rs",
    "src/client/call.rs",
    "src/client/encode.rs",
    "src/client/fields.rs",
    "src/client/mod.rs",
    "src/client/received.rs",
    "src/client_error.rs",
    "src/field.rs",
    "src/form.rs",
    "src/formats.rs",
    "src/lib.rs",
    "src/media.rs",
    "src/path.rs",
    "src/length.rs",
    "src/pattern/mod.rs",
    "src/pattern/runs.rs",
    "src/pattern/sequence.rs",
    "src/percent.rs",
    "src/server/body.rs",
    "src/server/headers.rs",
    "src/server/mod.rs",
    "src/server/response.rs",
    "src/status.rs",
    "src/text.rs",
    "src/values.rs",
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    use super::*;

    fn files_under(dir: &Path, base: &Path, found: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path: PathBuf = entry.unwrap().path();
            let relative = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            // Build output of a build inside the folder is not the runtime's source.
            if relative == "target" || relative == "Cargo.lock" {
                continue;
            }
            if path.is_dir() {
                files_under(&path, base, found);
            } else {
                found.insert(relative);
            }
        }
    }

    #[test]
    fn every_runtime_file_is_embedded() {
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
        let mut on_disk = BTreeSet::new();
        files_under(&base, &base, &mut on_disk);
        let embedded: BTreeSet<String> = RUNTIME_FILES
            .iter()
            .map(|(path, _)| (*path).to_owned())
            .collect();
        assert_eq!(
            on_disk, embedded,
            "runtime/ and RUNTIME_FILES (generator/src/codegen/vendored.rs) differ"
        );
    }

    #[test]
    fn the_vendored_manifest_needs_no_workspace() {
        let (_, manifest) = RUNTIME_FILES
            .iter()
            .find(|(path, _)| *path == "Cargo.toml")
            .unwrap();
        let settings = manifest
            .lines()
            .filter(|line| !line.trim_start().starts_with('#'));
        for line in settings {
            assert!(!line.contains("workspace"), "{line}");
        }
    }
}
