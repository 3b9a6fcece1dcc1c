//! What changed between two versions of an OpenAPI document, each change named by a stable
//! id with a level (error: breaks existing clients; warning; info) — the meaning behind a
//! textual diff, for people and for CI gates (`cargo xtask api-diff`).
//!
//! The comparison walks the two raw documents (OpenAPI 3.0 or 3.1, YAML or JSON) with every
//! `$ref` resolved, so how a spec is factored into `components` is never a change. Direction
//! decides: tightening what clients send breaks them, widening what they receive does.
//! [`ids`] lists every kind of change; `generator/docs/api-diff-changes.md` is its table.

pub mod consistency;
pub mod corpus;
pub mod ids;
mod load;
pub mod report;
mod walk;

use serde_json::Value;

pub use ids::{ChangeId, Context, Level, changes_table};
pub use load::parse_for_diff;
pub use report::{AllowList, Format, Report};
pub use walk::diff_values;

/// One change.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub id: ChangeId,
    /// `METHOD /path`, when the change is inside an operation.
    pub operation: Option<String>,
    /// JSON pointer of the changed node, through the operation as if every `$ref` were
    /// inlined (in the new document, or in the old one for what was removed).
    pub location: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
    /// The change in words.
    pub message: String,
}

impl Finding {
    pub fn level(&self) -> Level {
        self.id.level()
    }
}
