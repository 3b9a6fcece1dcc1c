//! The project's six specs, loaded and checked together.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::check::{self, ProjectChecker};
use super::ext::Dialect;
use super::load::{Document, load_document};
use super::mapping::cross_check;
use super::sources::Sources;
use super::{SpecError, SpecErrors};

/// All six specs, every check passed.
#[derive(Debug, Clone)]
pub struct SpecSet {
    pub root: PathBuf,
    pub documents: BTreeMap<Dialect, Document>,
}

impl SpecSet {
    /// Loads `spec_dir/canonical.yaml` and `spec_dir/dialects/*.yaml`, the sources they cite
    /// from `spec_dir/seeds/`, and runs every check. Reports every problem of every file.
    pub fn load(spec_dir: &Path) -> Result<SpecSet, SpecErrors> {
        let seeds = spec_dir.join("seeds");
        let sources = Sources::load(&seeds).map_err(|error| SpecError {
            file: seeds.clone(),
            location: None,
            pointer: None,
            message: format!("cannot read the source documents: {error}"),
        })?;
        let mut errors = SpecErrors::default();
        let mut documents = BTreeMap::new();
        let loaded = crate::parallel::map(&Dialect::ALL, |dialect| {
            load_document(&spec_dir.join(dialect.spec_file()))
        });
        for (dialect, loaded) in Dialect::ALL.into_iter().zip(loaded) {
            match loaded {
                Ok(document) => {
                    documents.insert(dialect, document);
                }
                Err(error) => errors.push(error),
            }
        }
        match SpecSet::check(spec_dir, documents, &sources) {
            Ok(set) if errors.is_empty() => Ok(set),
            Ok(_) => Err(errors.sorted()),
            Err(more) => {
                errors.extend(more);
                Err(errors.sorted())
            }
        }
    }

    /// Runs every check on documents already parsed (each under its dialect) and, when all
    /// six are there, the canonical ↔ dialect cross-check.
    pub fn check(
        spec_dir: &Path,
        documents: BTreeMap<Dialect, Document>,
        sources: &Sources,
    ) -> Result<SpecSet, SpecErrors> {
        let mut errors = SpecErrors::default();
        let each: Vec<(&Dialect, &Document)> = documents.iter().collect();
        for found in crate::parallel::map(&each, |(dialect, document)| {
            let mut errors = SpecErrors::default();
            check_project_document(document, Some(**dialect), sources, &mut errors);
            errors
        }) {
            errors.extend(found);
        }
        if let Some(canonical) = documents.get(&Dialect::Canonical) {
            let vendors: BTreeMap<Dialect, &Document> = documents
                .iter()
                .filter(|(dialect, _)| **dialect != Dialect::Canonical)
                .map(|(dialect, document)| (*dialect, document))
                .collect();
            if vendors.len() == Dialect::VENDORS.len() {
                cross_check(canonical, &vendors, &mut errors);
            }
        }
        errors.into_result()?;
        Ok(SpecSet {
            root: spec_dir.to_owned(),
            documents,
        })
    }

    pub fn get(&self, dialect: Dialect) -> &Document {
        &self.documents[&dialect]
    }
}

/// Every check of one document. `expected`: the dialect the file must declare, when known.
pub fn check_project_document(
    document: &Document,
    expected: Option<Dialect>,
    sources: &Sources,
    errors: &mut SpecErrors,
) {
    check::check_refs(document, errors);
    let declared = check::dialect_of(document, errors);
    match (declared, expected) {
        (None, Some(expected)) if document.raw.get("x-dialect").is_none() => {
            errors.push(document.error_at(
                "",
                format!(
                    "no x-dialect: this file is the {expected} spec, say `x-dialect: {expected}`"
                ),
            ));
        }
        (Some(declared), Some(expected)) if declared != expected => {
            errors.push(document.error_at(
                "/x-dialect",
                format!("x-dialect is {declared}, but this file is the {expected} spec"),
            ));
        }
        _ => {}
    }
    if let Some(dialect) = declared.or(expected) {
        ProjectChecker {
            document,
            dialect,
            sources,
            errors,
        }
        .run();
    }
}

/// Loads and checks any single OpenAPI 3.0 file: parse, `$ref`s, and the project's
/// extension rules when it declares `x-dialect` (sources from `seeds`, when given).
pub fn check_file(path: &Path, seeds: Option<&Path>) -> Result<Document, SpecErrors> {
    let document = load_document(path)?;
    let sources = match seeds {
        Some(seeds) => Sources::load(seeds).map_err(|error| SpecError {
            file: seeds.to_owned(),
            location: None,
            pointer: None,
            message: format!("cannot read the source documents: {error}"),
        })?,
        None => Sources::default(),
    };
    let mut errors = SpecErrors::default();
    check_project_document(&document, None, &sources, &mut errors);
    errors.into_result()?;
    Ok(document)
}
