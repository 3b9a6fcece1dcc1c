//! Reading and checking OpenAPI 3.0 specs and the project's `x-` extensions.
//!
//! Every problem is a [`SpecError`] with file, line and column; nothing here panics on bad
//! input. See `spec/README.md` for the extensions.

mod check;
mod error;
pub mod ext;
mod load;
mod locate;
mod mapping;
mod openapi31;
pub mod pointer;
mod set;
mod sources;
mod summary;
pub mod walk;
mod yaml;

pub use check::{
    RawOperation, RawParameter, operations, parameters, request_schemas, success_schemas,
};
pub use error::{Location, SpecError, SpecErrors};
pub use load::{Document, load_document, parse_document, parse_syntax, read_openapi};
pub use locate::locate;
pub use set::{SpecSet, check_file, check_project_document};
pub use sources::Sources;
pub use summary::{Summary, SummaryTable, summarize};
