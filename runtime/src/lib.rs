//! The runtime of the crates `cargo xtask codegen` generates from OpenAPI documents.
//!
//! A generated crate holds only what varies with its spec (types, validators, routes,
//! client methods); what every generated crate needs the same way lives here, as ordinary
//! tested Rust: field errors and their paths, format checks and pattern engines for the
//! validators, request readers and responses for the axum servers, URL and body plumbing
//! for the reqwest clients, and the errors of the adapters. A generated crate re-exports it
//! as its `support` module (`pub use openapi_runtime::*;`), so generated code names
//! everything `crate::support::…`.
//!
//! Features mirror the generated crate's: `validate` (the pattern engines, `regex`),
//! `backtracking` (patterns with look-around, `fancy-regex`), `server` (axum) and `client`
//! (reqwest with rustls). With none, only the plain types and checks are compiled.
//!
//! Kept free of anything spec-specific, and of any dependency on the repository it comes
//! from: `--runtime vendored` copies these files into a generated crate unchanged.

#![forbid(unsafe_code)]
// Tests unwrap freely; this crate's lints must hold without the repository's clippy.toml
// (which allows it there), since a vendored copy is checked on its own.
#![cfg_attr(test, allow(clippy::unwrap_used))]

mod adapter;
mod client_error;
mod field;
mod form;
mod formats;
mod length;
mod media;
mod path;
#[cfg(feature = "validate")]
mod pattern;
mod percent;
mod status;
mod text;
mod values;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "server")]
mod server;

pub use adapter::AdapterError;
pub use client_error::ClientError;
pub use field::{
    FieldError, FieldPath, Location, Validate, errors_object, field_path, report, whole_field,
};
pub use form::{all_values, form_file, form_files, form_text, form_texts, last_value, parse_form};
pub use formats::{is_date, is_date_time, is_email, is_uri, is_uuid};
pub use length::{longer_than, shorter_than};
pub use media::{media_type_allowed, media_type_matches};
pub use path::{path_matches, path_part, path_segment, segment_values};
#[cfg(feature = "validate")]
pub use pattern::Pattern;
pub use percent::percent_decode;
#[cfg(feature = "server")]
pub use server::{
    BodyError, ServerConfig, authorization, content_length, cookie_value, empty_response,
    header_text, json_response, media_type, read_body, read_multipart,
};
pub use status::{next_error_id, reason_phrase};
pub use text::{json_i64, split_list, text_bool, text_f64, text_i64};
pub use values::{UnknownValue, Upload};
