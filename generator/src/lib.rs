//! Spec in, checked model and Rust code out.
//!
//! The pipeline is spec → model → code: [`spec`] reads OpenAPI 3.0 documents (YAML or JSON),
//! checks them and the project's `x-` extensions, and reports every problem with file, line
//! and column. Later stages read only what [`spec`] hands them.

pub mod codegen;
pub mod diff;
pub mod model;
pub mod parallel;
pub mod spec;
