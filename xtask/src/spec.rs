//! `cargo xtask spec`: check the specs and print a summary per dialect.

use generator::diff::Level;
use generator::diff::consistency;
use generator::spec::ext::Dialect;
use generator::spec::{SpecSet, SummaryTable, check_file};

use crate::cli::SpecArgs;
use crate::{Failure, project_root};

pub fn run(args: &SpecArgs) -> Result<(), Failure> {
    let spec_dir = project_root().join("spec");
    if !args.files.is_empty() {
        let mut failed = 0;
        for file in &args.files {
            match check_file(file, Some(&spec_dir.join("seeds"))) {
                Ok(document) => {
                    for warning in &document.warnings {
                        eprintln!("warning: {warning}");
                    }
                    println!(
                        "{}: ok ({} paths, {} warning(s))",
                        file.display(),
                        document.api.paths.paths.len(),
                        document.warnings.len()
                    );
                }
                Err(errors) => {
                    failed += 1;
                    eprintln!("{errors}");
                }
            }
        }
        return match failed {
            0 => Ok(()),
            n => Err(Failure::Check(format!(
                "{n} of {} files have problems",
                args.files.len()
            ))),
        };
    }
    let set = SpecSet::load(&spec_dir).map_err(|errors| {
        Failure::Check(format!(
            "{errors}\n{} problem(s) in the specs",
            errors.len()
        ))
    })?;
    print!("{}", SummaryTable::of(&set));
    // Canonical ↔ dialect: a mapped dialect field tighter in requests (or looser in
    // responses) than its canonical field, by api-diff's rules.
    let (breaking, warnings): (Vec<_>, Vec<_>) = consistency::check_set(&set)
        .into_iter()
        .partition(|i| i.finding.level() == Level::Error);
    if !warnings.is_empty() {
        println!(
            "{} canonical ↔ dialect warning(s): responses a dialect constrains less than the canonical spec (`cargo xtask api-diff --consistency`)",
            warnings.len()
        );
    }
    let canonical = set.documents.get(&Dialect::Canonical);
    let documentation = canonical
        .map(|c| consistency::documentation_problems(&c.raw))
        .unwrap_or_default();
    if let Some(canonical) = canonical
        && !(breaking.is_empty() && documentation.is_empty())
    {
        for (at, message) in &documentation {
            eprintln!("{}", canonical.error_at(at, message.clone()));
        }
        for inconsistency in &breaking {
            let message = format!(
                "{} {}: {}: {} (document a deliberate difference under x-mapping-differences)",
                inconsistency.dialect,
                inconsistency.field,
                inconsistency.finding.id,
                inconsistency.finding.message
            );
            eprintln!("{}", canonical.error_at(&inconsistency.canonical, message));
        }
        return Err(Failure::Check(format!(
            "{} canonical ↔ dialect inconsistenc{} that break clients, {} problem(s) in x-mapping-differences",
            breaking.len(),
            if breaking.len() == 1 { "y" } else { "ies" },
            documentation.len()
        )));
    }
    println!("all {} specs are consistent", set.documents.len());
    Ok(())
}
