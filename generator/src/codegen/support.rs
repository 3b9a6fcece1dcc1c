//! The generated crate's `src/support.rs`: the runtime crate (`runtime/`, package
//! `openapi-runtime`), re-exported so that generated code names what it shares
//! `crate::support::…`.
//!
//! The runtime is ordinary Rust, tested where it lives; nothing of it is emitted here. What a
//! generated crate needs from it beyond the plain types is chosen by cargo features
//! ([`RUNTIME_PACKAGE`]'s `validate`, `backtracking`, `server`, `client`), which the emitted
//! `Cargo.toml` sets.

use proc_macro2::TokenStream;
use quote::quote;

/// The runtime's package name, as generated manifests depend on it.
pub const RUNTIME_PACKAGE: &str = "openapi-runtime";

/// `src/support.rs`: the runtime re-exported whole. Nothing in it varies with the spec.
pub fn emit_support() -> TokenStream {
    quote! {
        //! What every API module shares: field errors, format checks and patterns, server and
        //! client plumbing, adapter errors. They live in the `openapi-runtime` crate (tested
        //! there); this module re-exports it so that the generated code names them
        //! `crate::support::…`.

        pub use ::openapi_runtime::*;
    }
}

/// The runtime features a generated crate always turns on: `validate` when it has
/// validators, `backtracking` when a pattern needs `fancy-regex`.
pub fn runtime_features(validate: bool, backtracking: bool) -> Vec<&'static str> {
    let mut features = Vec::new();
    if validate {
        features.push("validate");
    }
    if backtracking {
        features.push("backtracking");
    }
    features
}
