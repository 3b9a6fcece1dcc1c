//! `cargo xtask spec`: check the specs and print a summary per dialect.

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
    println!("all {} specs are consistent", set.documents.len());
    Ok(())
}
