//! A crate of its own for any OpenAPI document (`cargo xtask codegen --spec FILE --out DIR`):
//! the same emitters as `generated/`, one API module, and a `Cargo.toml` that builds outside
//! this workspace (dependencies with their versions, an empty `[workspace]` table, the lints
//! spelled out), with a README listing what was generated from which file.
//!
//! The dependency versions are this workspace's own (`[workspace.dependencies]` of the root
//! `Cargo.toml`, compiled in), so a standalone crate builds with the versions the generator's
//! output is tested with. The runtime (`openapi-runtime`, `runtime/`) is a path dependency:
//! on this repository's folder ([`Runtime::Path`]) or on a copy of its files inside the
//! crate ([`Runtime::Vendored`]), which then builds without this repository.

use std::fmt::Write as _;
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;

use super::support::{RUNTIME_PACKAGE, runtime_features};
use super::vendored::{RUNTIME_FILES, VENDORED_DIR};
use super::{
    CodegenError, GeneratedFile, Job, OPERATIONS_ALLOWS, TYPES_ALLOWS, client, docs, errors, ident,
    operations, render, render_template, run_jobs, server, types_jobs, validate,
};
use crate::model::Api;

const CARGO_TEMPLATE: &str = include_str!("../../../templates/standalone/Cargo.toml.j2");
const README_TEMPLATE: &str = include_str!("../../../templates/standalone/README.md.j2");
/// The workspace manifest: the versions and features of the dependencies.
const WORKSPACE_MANIFEST: &str = include_str!("../../../Cargo.toml");

/// What a standalone crate holds. `server` needs the validators (it answers an invalid
/// request with the documented error), so it brings `validate`; the types are always there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Features {
    pub validate: bool,
    pub server: bool,
    pub client: bool,
}

impl Features {
    pub const ALL: Features = Features {
        validate: true,
        server: true,
        client: true,
    };
    /// The names `--features` takes.
    pub const NAMES: [&str; 4] = ["types", "validate", "server", "client"];

    /// Reads a comma-separated list of [`Features::NAMES`].
    pub fn parse(list: &str) -> Result<Features, String> {
        let mut features = Features {
            validate: false,
            server: false,
            client: false,
        };
        for name in list
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            match name {
                "types" => {}
                "validate" => features.validate = true,
                "server" => {
                    features.server = true;
                    features.validate = true;
                }
                "client" => features.client = true,
                other => {
                    return Err(format!(
                        "unknown feature {other:?}: expected some of {}",
                        Features::NAMES.join(", ")
                    ));
                }
            }
        }
        Ok(features)
    }

    fn names(self) -> Vec<&'static str> {
        let mut names = vec!["types"];
        for (on, name) in [
            (self.validate, "validate"),
            (self.server, "server"),
            (self.client, "client"),
        ] {
            if on {
                names.push(name);
            }
        }
        names
    }

    fn errors(self) -> bool {
        self.validate || self.server
    }

    fn operations(self) -> bool {
        self.server || self.client
    }
}

/// Where a standalone crate gets the runtime (`openapi-runtime`) from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runtime {
    /// A `path =` dependency on the runtime's folder, as `Cargo.toml` writes it (relative to
    /// the crate, or absolute): the crate builds while that folder is there.
    Path(String),
    /// The runtime's own files copied into the crate's `runtime/` folder, unchanged, and a
    /// path dependency on it: the crate builds anywhere.
    Vendored,
}

impl Runtime {
    /// The names `--runtime` takes.
    pub const NAMES: [&str; 2] = ["path", "vendored"];

    /// The dependency's path as `Cargo.toml` writes it.
    fn manifest_path(&self) -> &str {
        match self {
            Runtime::Path(path) => path,
            Runtime::Vendored => VENDORED_DIR,
        }
    }
}

/// How to make a standalone crate.
#[derive(Debug, Clone)]
pub struct Standalone {
    /// The package name (`Cargo.toml`).
    pub name: String,
    /// The spec as the user named it: the README and every file's header cite it.
    pub source: String,
    pub features: Features,
    pub runtime: Runtime,
}

/// Every file of the standalone crate of `api`, sorted by path: `Cargo.toml`, `README.md`,
/// `src/lib.rs`, `src/support.rs`, `src/<module>/…` (as `features` ask),
/// `docs/<module>.md`, and with [`Runtime::Vendored`] the runtime's files under `runtime/`.
pub fn standalone(api: &Api, options: &Standalone) -> Result<Vec<GeneratedFile>, CodegenError> {
    super::validate(std::slice::from_ref(api))?;
    let header = render::generated_from(&options.source, "spec");
    let module = api.module.as_str();
    let features = options.features;
    type Emit = fn(&Api) -> TokenStream;
    // The longest jobs first, so that the cores finish together: the validators, the server
    // and the client are a file each, the types come in parts (`types_jobs`) to fill in.
    let mut modules: Vec<(&str, Emit, Option<&str>)> = Vec::new();
    if features.validate {
        modules.push(("validate.rs", validate::emit_validate, None));
    }
    if features.server {
        modules.push(("server.rs", server::emit_server, None));
    }
    if features.client {
        modules.push(("client.rs", client::emit_client, None));
    }
    if features.operations() {
        modules.push((
            "operations.rs",
            operations::emit_operations,
            Some(OPERATIONS_ALLOWS),
        ));
    }
    if features.errors() {
        modules.push(("errors.rs", errors::emit_errors, None));
    }

    let mut jobs: Vec<Job<'_>> = Vec::new();
    for (file, emit, note) in modules {
        let header = match note {
            Some(note) => format!("{header}\n{note}"),
            None => header.clone(),
        };
        let path = format!("src/{module}/{file}");
        jobs.push(Box::new(move || {
            super::one(&path, render(&path, emit(api), &header)?)
        }));
    }
    {
        let path = format!("docs/{module}.md");
        let header = header.clone();
        jobs.push(Box::new(move || {
            super::one(&path, docs::api_reference(api, &header)?)
        }));
    }
    jobs.extend(types_jobs(
        api,
        format!("src/{module}/types.rs"),
        format!("{header}\n{TYPES_ALLOWS}"),
    ));
    {
        let path = format!("src/{module}/mod.rs");
        let header = header.clone();
        jobs.push(Box::new(move || {
            super::one(&path, render(&path, module_rs(api, features), &header)?)
        }));
    }
    {
        let header = header.clone();
        jobs.push(Box::new(move || {
            super::one(
                "src/lib.rs",
                render("src/lib.rs", lib_rs(api, options), &header)?,
            )
        }));
    }
    jobs.push(Box::new(|| {
        let header = render::generated_from("generator/src/codegen/support.rs", "generator");
        super::one(
            "src/support.rs",
            render("src/support.rs", super::emit_support(), &header)?,
        )
    }));
    jobs.push(Box::new(|| {
        super::one("Cargo.toml", cargo_toml(api, options)?)
    }));
    let mut files = run_jobs(jobs)?;
    if options.runtime == Runtime::Vendored {
        for (path, contents) in RUNTIME_FILES {
            files.insert(
                PathBuf::from(VENDORED_DIR).join(path),
                (*contents).to_owned(),
            );
        }
    }
    let readme = readme(api, options, files.keys().cloned().collect())?;
    files.insert(PathBuf::from("README.md"), readme);
    Ok(files
        .into_iter()
        .map(|(path, contents)| GeneratedFile { path, contents })
        .collect())
}

fn module_rs(api: &Api, features: Features) -> TokenStream {
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
    let reexport = (!api.types.is_empty()).then(|| {
        quote!(
            pub use types::*;
        )
    });
    let errors = features.errors().then(|| {
        quote!(
            pub mod errors;
        )
    });
    let validate = features.validate.then(|| {
        quote!(
            pub mod validate;
        )
    });
    let operations = features.operations().then(|| {
        quote!(
            pub mod operations;
        )
    });
    let server = features.server.then(|| {
        quote! {
            #[cfg(feature = "server")]
            pub mod server;
        }
    });
    let client = features.client.then(|| {
        quote! {
            #[cfg(feature = "client")]
            pub mod client;
        }
    });
    quote! {
        #![doc = #title]
        #description

        pub mod types;

        #reexport

        #client
        #errors
        #operations
        #server
        #validate
    }
}

fn lib_rs(api: &Api, options: &Standalone) -> TokenStream {
    let name = ident(&api.module);
    let first = format!(
        " {} (version {}), generated from `{}`.",
        api.title.trim(),
        api.version.trim(),
        options.source
    );
    let doc = format!(" {}.", api.title.trim());
    quote! {
        #![doc = #first]
        //!
        //! The API's module holds a Rust type for every schema of the document (`serde`
        //! derives, wire names kept) and, as generated, its validators, axum server and reqwest
        //! client; [`support`] holds what they share. The Markdown reference is in `docs/`.

        #[doc = #doc]
        #[rustfmt::skip]
        pub mod #name;

        #[rustfmt::skip]
        pub mod support;
    }
}

#[derive(Serialize)]
struct CargoContext {
    header: String,
    name: String,
    description: String,
    default: Vec<&'static str>,
    /// The runtime's dependency line.
    runtime: String,
    /// Whether the runtime is vendored (the manifest says why the path is `runtime`).
    vendored: bool,
    dependencies: Vec<String>,
}

fn cargo_toml(api: &Api, options: &Standalone) -> Result<String, CodegenError> {
    let features = options.features;
    let mut default = Vec::new();
    if features.server {
        default.push("server");
    }
    if features.client {
        default.push("client");
    }
    // The runtime has server and client parts behind these features whatever was generated,
    // so both are always declared (and only the generated ones are on by default).
    let mut dependencies = vec![dependency("serde", false), dependency("serde_json", false)];
    for name in ["axum", "tokio", "reqwest"] {
        dependencies.push(dependency(name, true));
    }
    let runtime_features = runtime_features(
        features.validate,
        features.validate && validate::needs_backtracking(api),
    )
    .iter()
    .map(|feature| format!("{feature:?}"))
    .collect::<Vec<_>>()
    .join(", ");
    let runtime = format!(
        "{RUNTIME_PACKAGE} = {{ path = {}, features = [{runtime_features}] }}",
        toml_string(options.runtime.manifest_path())
    );
    let context = CargoContext {
        header: render::comment(
            &render::generated_from(
                &format!("{} (templates/standalone/Cargo.toml.j2)", options.source),
                "spec",
            ),
            "#",
        ),
        name: options.name.clone(),
        description: toml_string(&format!(
            "Generated from the OpenAPI document {:?} ({})",
            api.title.trim(),
            options.source
        )),
        default,
        runtime,
        vendored: options.runtime == Runtime::Vendored,
        dependencies,
    };
    render_template("Cargo.toml.j2", CARGO_TEMPLATE, &context)
}

/// `"…"` with TOML's escapes.
fn toml_string(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(quoted, "\\u{:04X}", c as u32);
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// The dependency line of `name` as this workspace declares it, made `optional`.
fn dependency(name: &str, optional: bool) -> String {
    let prefix = format!("{name} = ");
    let line = WORKSPACE_MANIFEST
        .lines()
        .skip_while(|line| line.trim() != "[workspace.dependencies]")
        .find(|line| line.starts_with(&prefix))
        .unwrap_or_else(|| panic!("{name} is not in [workspace.dependencies]"));
    let value = line[prefix.len()..].trim();
    if !optional {
        return line.trim().to_owned();
    }
    match value.strip_suffix('}') {
        Some(table) => format!("{prefix}{}, optional = true }}", table.trim_end()),
        None => format!("{prefix}{{ version = {value}, optional = true }}"),
    }
}

#[derive(Serialize)]
struct ReadmeContext {
    name: String,
    source: String,
    title: String,
    version: String,
    module: String,
    features: Vec<&'static str>,
    /// `vendored`, or the runtime's path.
    runtime: String,
    vendored: bool,
    operations: usize,
    types: usize,
    files: Vec<ReadmeFile>,
}

#[derive(Serialize)]
struct ReadmeFile {
    path: String,
    what: &'static str,
}

/// What a generated file holds, for the README.
fn what(path: &str) -> &'static str {
    let file = path.rsplit('/').next().unwrap_or(path);
    match (path, file) {
        ("Cargo.toml", _) => {
            "the manifest: dependencies with their versions, a `[workspace]` table of its own"
        }
        ("README.md", _) => "this list",
        ("src/lib.rs", _) => "the crate root",
        ("src/support.rs", _) => {
            "the runtime (`openapi-runtime`: field errors, format checks, patterns, server and \
             client plumbing) re-exported for the modules"
        }
        ("runtime/", _) => "the runtime crate `openapi-runtime`, its files copied in unchanged",
        (_, "mod.rs") => "the API's module: its title, description and submodules",
        (_, "types.rs") => "a Rust type per schema (serde derives, wire names kept)",
        (_, "errors.rs") => "the error bodies the API answers with",
        (_, "validate.rs") => "a validator per schema, every constraint checked",
        (_, "operations.rs") => "each operation's parameters, request body and responses",
        (_, "server.rs") => "the axum router and the `Api` trait to implement (feature `server`)",
        (_, "client.rs") => "the reqwest client (feature `client`)",
        _ if path.starts_with("docs/") => "the API's Markdown reference",
        _ => "",
    }
}

fn readme(api: &Api, options: &Standalone, files: Vec<PathBuf>) -> Result<String, CodegenError> {
    // The vendored runtime is one row: its files are the runtime's own, listed in its README.
    let mut files: Vec<String> = files
        .iter()
        .map(|path| path.display().to_string().replace('\\', "/"))
        .map(
            |path| match path.strip_prefix(&format!("{VENDORED_DIR}/")) {
                Some(_) => format!("{VENDORED_DIR}/"),
                None => path,
            },
        )
        .chain(["README.md".to_owned()])
        .collect();
    files.sort();
    files.dedup();
    let files = files
        .into_iter()
        .map(|path| ReadmeFile {
            what: what(&path),
            path,
        })
        .collect();
    let context = ReadmeContext {
        name: options.name.clone(),
        source: options.source.clone(),
        title: api.title.trim().to_owned(),
        version: api.version.trim().to_owned(),
        module: api.module.clone(),
        features: options.features.names(),
        runtime: options.runtime.manifest_path().to_owned(),
        vendored: options.runtime == Runtime::Vendored,
        operations: api.operations.len(),
        types: api.types.len(),
        files,
    };
    render_template("README.md.j2", README_TEMPLATE, &context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_parse_and_server_brings_the_validators() {
        let features = Features::parse("types,server").unwrap();
        assert!(features.server && features.validate && !features.client);
        assert_eq!(Features::parse("").unwrap().names(), ["types"]);
        assert!(Features::parse("types,cli").unwrap_err().contains("cli"));
    }

    #[test]
    fn dependencies_carry_the_workspace_versions() {
        assert_eq!(
            dependency("serde", false),
            r#"serde = { version = "1", features = ["derive"] }"#
        );
        assert_eq!(
            dependency("regex", true),
            r#"regex = { version = "1", optional = true }"#
        );
        assert!(dependency("axum", true).ends_with(", optional = true }"));
        for name in [
            "serde",
            "serde_json",
            "regex",
            "fancy-regex",
            "axum",
            "tokio",
            "reqwest",
            "rustls",
        ] {
            assert!(!dependency(name, true).contains("workspace"), "{name}");
        }
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string("a \"b\" \\ c\n"), r#""a \"b\" \\ c\u000A""#);
    }
}
