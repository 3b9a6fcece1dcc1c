//! The documents `x-source` cites: the vendor seeds and the pinned contract (`spec/seeds/`).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use super::ext::Source;

/// Each cited document's lines, trimmed, to check that a cited heading really stands there.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: BTreeMap<String, HashSet<String>>,
}

impl Sources {
    /// Reads every file of `dir`.
    pub fn load(dir: &Path) -> std::io::Result<Sources> {
        let mut files = BTreeMap::new();
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if !path.is_file() {
                continue;
            }
            let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
                continue;
            };
            let text = String::from_utf8_lossy(&std::fs::read(&path)?).into_owned();
            files.insert(
                name.to_owned(),
                text.lines().map(|line| line.trim().to_owned()).collect(),
            );
        }
        Ok(Sources { files })
    }

    /// `Ok` when the file is known and the heading is one of its lines.
    pub fn check(&self, source: &Source) -> Result<(), String> {
        let Some(lines) = self.files.get(&source.file) else {
            let known: Vec<&str> = self.files.keys().map(String::as_str).collect();
            return Err(format!(
                "x-source cites {:?}, which is not a source document (known: {})",
                source.file,
                known.join(", ")
            ));
        };
        if !lines.contains(source.heading.trim()) {
            return Err(format!(
                "x-source heading {:?} is not a line of {}",
                source.heading, source.file
            ));
        }
        Ok(())
    }
}
