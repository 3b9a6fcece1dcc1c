//! Model in, the files of the generated crate out (its `Cargo.toml`, Rust modules and docs).
//!
//! Emitters read only [`crate::model`]. Rust is built as tokens with `quote`, then parsed with
//! `syn` and printed with `prettyplease` ([`render`]); anything else comes from a minijinja
//! template in `templates/`, compiled into the generator. The same models give the same
//! bytes: every list is in the model's order or sorted.

pub mod adapters;
pub mod client;
pub mod docs;
pub mod errors;
pub mod operations;
pub mod render;
pub mod server;
pub mod standalone;
pub mod support;
pub mod types;
pub mod validate;
pub mod vendored;

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;

use crate::model::{Api, DialectMapping, TypeKind, TypeRef};
use crate::spec::ext::Dialect;

pub use render::render;
pub use standalone::{Features, Runtime, Standalone, standalone};
pub use support::emit_support;
pub use types::{emit_types, ident};

/// The generated crate's name.
pub const CRATE_NAME: &str = "profile-api";

const CARGO_TEMPLATE: &str = include_str!("../../../templates/Cargo.toml.j2");

/// One file of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative to `generated/`.
    pub path: PathBuf,
    pub contents: String,
}

/// Why code could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The model cannot be turned into Rust that compiles (see [`validate`]).
    #[error("{}", Problems(.0))]
    InvalidModel(Vec<ModelProblem>),
    /// An emitter produced tokens that are not a Rust file: a generator bug.
    #[error("the generated code of {module} does not parse (a generator bug): {message}")]
    Unparsable { module: String, message: String },
    /// A template failed to render: a generator bug.
    #[error("template {template} failed: {message}")]
    Template { template: String, message: String },
}

/// One reason a model cannot be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelProblem {
    /// The API's module.
    pub module: String,
    /// Where in the spec, as a JSON pointer.
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for ModelProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (at {})", self.module, self.message, self.pointer)
    }
}

struct Problems<'a>(&'a [ModelProblem]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot generate code from this model:")?;
        for problem in self.0 {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

/// Every file of the generated crate, sorted by path. `mappings` (the canonical spec's
/// `x-mapping`, [`crate::model::read_mapping`]) give `src/adapters/` when `apis` hold the
/// canonical API and the dialects it maps; pass an empty map for none.
///
/// Each file is an independent job (emit, parse, print), run on every core: the files do
/// not depend on one another, and the output is the same bytes whatever the order.
pub fn generate(
    apis: &[Api],
    mappings: &BTreeMap<Dialect, DialectMapping>,
) -> Result<Vec<GeneratedFile>, CodegenError> {
    validate(apis)?;
    let mut apis: Vec<&Api> = apis.iter().collect();
    apis.sort_by(|a, b| a.module.cmp(&b.module));
    let adapted = adapters::pairs(&apis, mappings);

    let mut jobs: Vec<Job> = Vec::new();
    {
        let apis = apis.clone();
        let adapters = adapted.is_some();
        jobs.push(Box::new(move || {
            Ok(vec![
                (PathBuf::from("Cargo.toml"), cargo_toml(&apis)?),
                (PathBuf::from("src/lib.rs"), lib_rs(&apis, adapters)?),
            ])
        }));
    }
    jobs.push(Box::new(|| {
        let header = render::generated_from("generator/src/codegen/support.rs", "generator");
        one(
            "src/support.rs",
            render("src/support.rs", emit_support(), &header)?,
        )
    }));
    if let Some((canonical, pairs)) = &adapted {
        for &(api, mapping) in pairs {
            jobs.push(Box::new(move || {
                Ok(vec![adapters::dialect_file(canonical, api, mapping)?])
            }));
        }
        let dialects: Vec<&Api> = pairs.iter().map(|(api, _)| *api).collect();
        jobs.push(Box::new(move || {
            Ok(vec![adapters::mod_file(canonical, &dialects)?])
        }));
    }
    for &api in &apis {
        jobs.extend(api_jobs(api));
    }
    let files = run_jobs(jobs)?;
    Ok(files
        .into_iter()
        .map(|(path, contents)| GeneratedFile { path, contents })
        .collect())
}

/// One unit of generation: some files, each as its path and contents.
type Job<'a> = Box<dyn Fn() -> Result<Vec<(PathBuf, String)>, CodegenError> + Send + Sync + 'a>;

fn one(path: &str, contents: String) -> Result<Vec<(PathBuf, String)>, CodegenError> {
    Ok(vec![(PathBuf::from(path), contents)])
}

/// The files of one API's module and its Markdown reference.
fn api_jobs(api: &Api) -> Vec<Job<'_>> {
    let module = &api.module;
    let header = render::generated_from(&source_of(api), "spec");
    let rust = |file: &'static str, emit: fn(&Api) -> TokenStream, note: Option<&'static str>| {
        let header = match note {
            Some(note) => format!("{header}\n{note}"),
            None => header.clone(),
        };
        let path = format!("src/{module}/{file}");
        Box::new(move || one(&path, render(&path, emit(api), &header)?)) as Job<'_>
    };
    let mut jobs = vec![rust("mod.rs", module_rs, None)];
    jobs.extend(types_jobs(
        api,
        format!("src/{module}/types.rs"),
        format!("{header}\n{TYPES_ALLOWS}"),
    ));
    jobs.extend([
        rust("client.rs", client::emit_client, None),
        rust(
            "operations.rs",
            operations::emit_operations,
            Some(OPERATIONS_ALLOWS),
        ),
        rust("errors.rs", errors::emit_errors, None),
        rust("validate.rs", validate::emit_validate, None),
        rust("server.rs", server::emit_server, None),
    ]);
    let path = format!("docs/{module}.md");
    jobs.push(Box::new(move || {
        one(&path, docs::api_reference(api, &header)?)
    }));
    jobs
}

/// Runs `jobs` on every core. The files come back sorted by path; a file that several jobs
/// make is their parts joined in `jobs` order ([`types_jobs`]). On failure, every job's
/// model problems are reported together, and otherwise the first failing job's error (in
/// `jobs` order).
fn run_jobs(jobs: Vec<Job<'_>>) -> Result<BTreeMap<PathBuf, String>, CodegenError> {
    let mut files = BTreeMap::<PathBuf, String>::new();
    let mut problems = Vec::new();
    let mut failure = None;
    for result in crate::parallel::map(&jobs, |job| job()) {
        match result {
            Ok(made) => {
                for (path, contents) in made {
                    match files.entry(path) {
                        Entry::Vacant(entry) => {
                            entry.insert(contents);
                        }
                        Entry::Occupied(mut entry) => entry.get_mut().push_str(&contents),
                    }
                }
            }
            Err(CodegenError::InvalidModel(mut found)) => problems.append(&mut found),
            Err(other) => {
                failure.get_or_insert(other);
            }
        }
    }
    if !problems.is_empty() {
        return Err(CodegenError::InvalidModel(problems));
    }
    match failure {
        Some(error) => Err(error),
        None => Ok(files),
    }
}

/// Where an API comes from: its spec relative to the workspace root, for the project's own.
pub fn source_of(api: &Api) -> String {
    match api.dialect {
        Some(dialect) => format!("spec/{}", dialect.spec_file()),
        None => format!("the OpenAPI document {:?}", api.title.trim()),
    }
}

/// Why `types.rs` allows two lints: both depend on the spec, not on the generator.
const TYPES_ALLOWS: &str = "\
The spec decides these types' shapes and names, so two lints are allowed here:
- clippy::large_enum_variant: a union's variants are the spec's schemas, unboxed so that
  they can be built and matched directly;
- clippy::enum_variant_names: variants are named after the spec's values, which may share
  a prefix or suffix.";

/// Why `operations.rs` allows a lint: it depends on the spec, not on the generator.
const OPERATIONS_ALLOWS: &str = "\
A response enum holds each documented status's body type, as the spec defines it, unboxed so
that it can be built and matched directly: clippy::large_enum_variant is allowed here.";

/// Types per job of [`types_jobs`]: Stripe's 5,769 make 23 jobs, a few dozen milliseconds each.
const TYPES_PER_JOB: usize = 256;

/// `types.rs` of `api` (at `path`, under `header`) as jobs of [`TYPES_PER_JOB`] types each,
/// whose parts [`run_jobs`] joins in order: the same bytes as one job, but a large API's
/// types (most of its code) are emitted, parsed and printed on every core.
fn types_jobs<'a>(api: &'a Api, path: String, header: String) -> Vec<Job<'a>> {
    let emitter = Arc::new(types::TypeEmitter::new(api));
    let count = api.types.len();
    (0..count.div_ceil(TYPES_PER_JOB).max(1))
        .map(|part| {
            let emitter = Arc::clone(&emitter);
            let path = path.clone();
            let header = header.clone();
            Box::new(move || {
                let start = part * TYPES_PER_JOB;
                let types = emitter.emit(start..count.min(start + TYPES_PER_JOB));
                let text = if part == 0 {
                    let tokens = quote! {
                        #![allow(clippy::large_enum_variant, clippy::enum_variant_names)]
                        #types
                    };
                    render(&path, tokens, &header)?
                } else {
                    let mut text = String::new();
                    render::render_items(&path, types, &mut text)?;
                    text
                };
                one(&path, text)
            }) as Job<'a>
        })
        .collect()
}

fn module_rs(api: &Api) -> TokenStream {
    let title = format!(" {} (version {}).", api.title.trim(), api.version.trim());
    let description = api
        .description
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(|text| {
            let lines = std::iter::once(String::new())
                .chain(render::doc_lines(text))
                .map(|line| quote!(#![doc = #line]));
            quote!(#(#lines)*)
        });
    let source = format!(" Generated from {}.", source_of(api));
    // An API without schemas has nothing to re-export (and `use types::*` would be unused).
    let reexport = (!api.types.is_empty()).then(|| {
        quote!(
            pub use types::*;
        )
    });
    quote! {
        #![doc = #title]
        #description
        #![doc = ""]
        #![doc = #source]

        pub mod types;

        #reexport

        #[cfg(feature = "client")]
        pub mod client;
        pub mod errors;
        pub mod operations;
        #[cfg(feature = "server")]
        pub mod server;
        pub mod validate;
    }
}

/// Why the modules are `#[rustfmt::skip]`.
const LIB_NOTE: &str = "\
The modules are formatted by prettyplease (pinned by Cargo.lock), not rustfmt: `cargo fmt`
leaves them alone so that they stay byte for byte what the generator writes.";

fn lib_rs(apis: &[&Api], adapters: bool) -> Result<String, CodegenError> {
    let modules = apis.iter().map(|api| {
        let name = ident(&api.module);
        let doc = format!(" {}, from {}.", api.title.trim(), source_of(api));
        quote! {
            #[doc = #doc]
            #[rustfmt::skip]
            pub mod #name;
        }
    });
    let adapters = adapters.then(|| {
        quote! {
            /// Conversions between the canonical API and each vendor dialect, from the canonical
            /// spec's x-mapping.
            #[rustfmt::skip]
            pub mod adapters;
        }
    });
    let tokens = quote! {
        //! Types for the user-profile APIs, generated from the project's OpenAPI specs.
        //!
        //! One module per API, each with the Rust type of every schema the spec defines
        //! (`serde` derives, wire names kept), and [`support`] for what they share. The
        //! Markdown reference of each API is in `docs/`.

        #(#modules)*

        #adapters

        #[rustfmt::skip]
        pub mod support;
    };
    let sources: Vec<String> = apis.iter().map(|api| source_of(api)).collect();
    let header = format!(
        "{}\n{LIB_NOTE}",
        render::generated_from(&sources.join(", "), "specs")
    );
    render("src/lib.rs", tokens, &header)
}

#[derive(Serialize)]
struct CargoContext {
    header: String,
    name: &'static str,
    description: String,
    /// The runtime's features ([`support::runtime_features`]).
    runtime_features: Vec<&'static str>,
}

fn cargo_toml(apis: &[&Api]) -> Result<String, CodegenError> {
    let modules: Vec<&str> = apis.iter().map(|api| api.module.as_str()).collect();
    let context = CargoContext {
        header: render::comment(
            &render::generated_from("templates/Cargo.toml.j2", "template"),
            "#",
        ),
        name: CRATE_NAME,
        description: format!(
            "Generated types of the user-profile APIs ({})",
            modules.join(", ")
        ),
        runtime_features: support::runtime_features(
            true,
            apis.iter().any(|api| validate::needs_backtracking(api)),
        ),
    };
    render_template("Cargo.toml.j2", CARGO_TEMPLATE, &context)
}

/// Renders a template compiled into the generator. Whitespace: a block tag's own line
/// disappears (`trim_blocks`, `lstrip_blocks`), the final newline stays.
pub fn render_template<T: Serialize>(
    name: &str,
    source: &str,
    context: &T,
) -> Result<String, CodegenError> {
    let failed = |error: minijinja::Error| CodegenError::Template {
        template: name.to_owned(),
        message: format!("{error:#}"),
    };
    let mut env = minijinja::Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .map_err(failed)?,
    );
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.add_filter("cell", docs::cell);
    let template = env.template_from_named_str(name, source).map_err(failed)?;
    template
        .render(minijinja::value::Serde(context))
        .map_err(failed)
}

/// Checks that every name the emitters will print is a valid, unique Rust identifier and
/// every type reference resolves, so that emitting cannot panic or produce code that does
/// not compile.
pub fn validate(apis: &[Api]) -> Result<(), CodegenError> {
    let mut problems = Vec::new();
    let mut modules = BTreeSet::new();
    for api in apis {
        let mut problem = |pointer: &str, message: String| {
            problems.push(ModelProblem {
                module: api.module.clone(),
                pointer: pointer.to_owned(),
                message,
            })
        };
        if !is_ident(&api.module) || api.module.starts_with("r#") || api.module == "support" {
            problem(
                "",
                format!(
                    "module name `{}` is not a plain Rust identifier (or is `support`)",
                    api.module
                ),
            );
        }
        if !modules.insert(api.module.as_str()) {
            problem("", format!("two APIs generate module `{}`", api.module));
        }
        let defined: BTreeSet<&str> = api.types.iter().map(|def| def.rust_name.as_str()).collect();
        let check_ref = |pointer: &str, ty: &TypeRef, problem: &mut dyn FnMut(&str, String)| {
            let mut names = BTreeSet::new();
            named_in(ty, &mut names);
            for name in names {
                if !defined.contains(name) {
                    problem(pointer, format!("type `{name}` is used but not defined"));
                }
            }
        };
        let mut type_names = BTreeSet::new();
        for def in &api.types {
            let pointer = def.pointer.as_str();
            check_name(
                pointer,
                "type",
                &def.rust_name,
                &mut type_names,
                &mut problem,
            );
            match &def.kind {
                TypeKind::Struct(struct_def) => {
                    let mut fields = BTreeSet::new();
                    let mut wire = BTreeSet::new();
                    for field in &struct_def.fields {
                        check_name(
                            pointer,
                            "field",
                            &field.rust_name,
                            &mut fields,
                            &mut problem,
                        );
                        if !wire.insert(field.name.as_str()) {
                            problem(
                                pointer,
                                format!("property `{}` is defined twice", field.name),
                            );
                        }
                        check_ref(pointer, &field.ty, &mut problem);
                    }
                    if let Some(additional) = &struct_def.additional {
                        check_ref(pointer, additional, &mut problem);
                    }
                }
                TypeKind::StringEnum(values) => {
                    let mut variants = BTreeSet::new();
                    let mut wire = BTreeSet::new();
                    for value in values {
                        check_name(
                            pointer,
                            "enum variant",
                            &value.rust_name,
                            &mut variants,
                            &mut problem,
                        );
                        if !wire.insert(value.value.as_str()) {
                            problem(
                                pointer,
                                format!("enum value {:?} is listed twice", value.value),
                            );
                        }
                    }
                }
                TypeKind::Union(union) => {
                    let mut variants = BTreeSet::new();
                    for variant in &union.variants {
                        check_name(
                            pointer,
                            "union variant",
                            &variant.rust_name,
                            &mut variants,
                            &mut problem,
                        );
                        check_ref(pointer, &variant.ty, &mut problem);
                    }
                }
                TypeKind::Alias(target) => check_ref(pointer, target, &mut problem),
            }
        }
        client::check(api, &mut problem);
        server::check(api, &mut problem);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(CodegenError::InvalidModel(problems))
    }
}

fn check_name<'a>(
    pointer: &str,
    what: &str,
    name: &'a str,
    seen: &mut BTreeSet<&'a str>,
    problem: &mut dyn FnMut(&str, String),
) {
    if !is_ident(name) {
        problem(
            pointer,
            format!("{what} name `{name}` is not a valid Rust identifier"),
        );
    } else if !seen.insert(name.strip_prefix("r#").unwrap_or(name)) {
        problem(pointer, format!("{what} name `{name}` is used twice"));
    }
}

/// `prefix_name` as an identifier in snake case: a name's leading underscores (an operation
/// `_123_tags`) become `u_` each, so that no `__` makes rustc's `non_snake_case` fire.
pub(crate) fn prefixed_ident(prefix: &str, name: &str) -> syn::Ident {
    let name = name.strip_prefix("r#").unwrap_or(name);
    let rest = name.trim_start_matches('_');
    let underscores = name.len() - rest.len();
    quote::format_ident!("{prefix}_{}{rest}", "u_".repeat(underscores))
}

/// Whether [`ident`] accepts `name` and prints it back as it is.
fn is_ident(name: &str) -> bool {
    // Most names are plain ASCII with a capital, a digit or an underscore: syn's keywords
    // (all lower-case letters, and `Self`, `_`) are none of them, so syn would accept them.
    // Stripe's spec checks some 60,000 names here.
    let plain = name
        .bytes()
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == b'_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if plain
        && name != "Self"
        && name != "_"
        && name
            .bytes()
            .any(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    {
        return true;
    }
    match name.strip_prefix("r#") {
        Some(bare) => {
            !matches!(bare, "self" | "Self" | "super" | "crate" | "_")
                && syn::parse_str::<syn::Ident>(name).is_ok()
        }
        None => syn::parse_str::<syn::Ident>(name).is_ok(),
    }
}

fn named_in<'a>(ty: &'a TypeRef, names: &mut BTreeSet<&'a str>) {
    match ty {
        TypeRef::Named(name) => {
            names.insert(name);
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) => named_in(inner, names),
        _ => {}
    }
}

#[cfg(test)]
mod fixture_crates;
#[cfg(test)]
mod test_models;
#[cfg(test)]
pub(crate) mod tests;
