//! The adapters between the canonical API and each vendor dialect (`src/adapters/`), from the
//! canonical spec's `x-mapping` ([`crate::model::read_mapping`]) and the models of the APIs.
//!
//! Per dialect `d`, `src/adapters/<d>.rs` holds type conversions: one pair of impls per
//! (canonical schema, dialect schema) that share mapped fields, `From`/`TryFrom<&d::T> for
//! canonical::S` and `TryFrom<&canonical::S> for d::T`. Every mapped field is copied along its
//! JSON pointer on both sides (`ProfileData#/UserProfile/0/first_name` reads and writes the
//! first item of an array) and converted by the two fields' types: integer ↔ string ids,
//! `date` ↔ `date-time`, string enums through their wire strings, `Option` wrapped or
//! unwrapped. A field that maps an array of objects onto an array of objects, with mapped
//! fields inside its items (`Profile#/tags/0/id`), converts item by item through a pair of
//! its own. Error envelopes (the schemas of `x-error-envelope`) get no conversions: they are
//! read through the envelope templates instead.
//!
//! Each dialect module also has `problem(status, body, fields)`, which reads an error body of
//! the dialect through its `x-error-envelope` templates (compiled to code here) into the
//! canonical error body, and `Adapter` (feature `client`): one `async` method per canonical
//! operation that converts the canonical request (parameters, credentials, body) as the
//! operation's `x-mapping` says, calls the dialect's generated client and converts the answer
//! back (the success body at the mapped pointer, every error through `problem`). A canonical
//! operation the dialect cannot do answers `AdapterError::Unsupported` (a 501).
//!
//! `src/adapters/mod.rs` holds the helpers they call: value conversions, the canonical error
//! body built from the canonical `x-error-envelope`, and per canonical operation the response
//! variant of an error's status.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::rc::Rc;

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::{
    ResponseVariant, body_name, body_variants, request_fields, request_name, response_name,
    response_variants,
};
use super::types::{Recursion, derives_default, ident, type_tokens};
use super::{CodegenError, ModelProblem, render};
use crate::model::names::NameSet;
use crate::model::{
    Api, DialectMapping, Field, IntegerWidth, MediaKind, Operation, StatusSpec, StructDef,
    TypeKind, TypeRef,
};
use crate::spec::ext::{
    Constraint, Dialect, EnvelopeTemplate, ErrorEnvelope, OperationMapping, Placeholder, Template,
};
use crate::spec::pointer;

const SCHEMAS: &str = "#/components/schemas/";

/// The canonical API and each dialect API with its mapping, in the mappings' order: what
/// `src/adapters/` is generated from. `None` without the canonical API or any mapped dialect.
pub fn pairs<'a>(
    apis: &[&'a Api],
    mappings: &'a BTreeMap<Dialect, DialectMapping>,
) -> Option<(&'a Api, Vec<(&'a Api, &'a DialectMapping)>)> {
    let canonical = *apis
        .iter()
        .find(|api| api.dialect == Some(Dialect::Canonical))?;
    let pairs: Vec<_> = mappings
        .iter()
        .filter_map(|(dialect, mapping)| {
            let api = apis.iter().find(|api| api.dialect == Some(*dialect))?;
            Some((*api, mapping))
        })
        .collect();
    (!pairs.is_empty()).then_some((canonical, pairs))
}

/// `src/adapters/<dialect>.rs`.
pub fn dialect_file(
    canonical: &Api,
    api: &Api,
    mapping: &DialectMapping,
) -> Result<(PathBuf, String), CodegenError> {
    let tokens = emit_dialect(canonical, api, mapping).map_err(CodegenError::InvalidModel)?;
    let path = format!("src/adapters/{}.rs", api.module);
    let header = render::generated_from(
        &format!(
            "the x-mapping of {} and {}",
            super::source_of(canonical),
            super::source_of(api)
        ),
        "specs",
    );
    let text = render(&path, tokens, &header)?;
    Ok((PathBuf::from(path), text))
}

/// `src/adapters/mod.rs`, for the dialects adapted.
pub fn mod_file(canonical: &Api, dialects: &[&Api]) -> Result<(PathBuf, String), CodegenError> {
    let header = render::generated_from(
        "generator/src/codegen/adapters.rs and the specs' x-mapping",
        "generator",
    );
    let tokens = emit_mod(canonical, dialects).map_err(|message| {
        CodegenError::InvalidModel(vec![ModelProblem {
            module: "adapters".into(),
            pointer: String::new(),
            message,
        }])
    })?;
    let path = "src/adapters/mod.rs";
    Ok((PathBuf::from(path), render(path, tokens, &header)?))
}

/// `src/adapters/mod.rs`: the dialect modules and the helpers their conversions call.
pub fn emit_mod(canonical: &Api, dialects: &[&Api]) -> Result<TokenStream, String> {
    // Error bodies become the canonical API's own, which needs its x-error-envelope.
    let problems = match canonical.error_envelope {
        Some(_) => Some(emit_problem_helpers(canonical)?),
        None => None,
    };
    let answers = emit_error_answers(canonical);
    let modules = dialects.iter().map(|api| {
        let name = ident(&api.module);
        let doc = format!(
            " The canonical API ↔ {} ({}).",
            api.module,
            api.title.trim()
        );
        quote! {
            #[doc = #doc]
            pub mod #name;
        }
    });
    let canonical_doc = format!(
        " Conversions between the canonical API ([`crate::{}`]) and each vendor dialect, generated",
        canonical.module
    );
    Ok(quote! {
        #![doc = #canonical_doc]
        //! from the canonical spec's `x-mapping`: one module per dialect.
        //!
        //! Each module converts types both ways (`From`/`TryFrom<&dialect::T> for canonical::S`,
        //! `TryFrom<&canonical::S> for dialect::T`): mapped fields are copied along their JSON
        //! pointers (`/0/` is the first item of an array) and converted by type (integer ↔
        //! string ids, `date` ↔ `date-time`, string enums through their wire values). A
        //! conversion fails with [`crate::support::AdapterError`] when a field the target
        //! requires has no value (`Missing`) or a value cannot be represented (`Invalid`).
        //!
        //! Each module's `problem` reads the dialect's error bodies (its `x-error-envelope`)
        //! as the canonical error body, and its `Adapter` (feature `client`) serves every
        //! canonical operation through the dialect's client: canonical request in, canonical
        //! response out, `AdapterError::Unsupported` (a 501) for what the dialect cannot do.

        #(#modules)*

        /// Parses `value` as a `T` (an integer id, a string enum), for the conversion of `field`.
        pub fn parse<T>(field: &'static str, value: &str) -> ::std::result::Result<T, crate::support::AdapterError>
        where
            T: ::std::str::FromStr,
            T::Err: ::std::fmt::Display,
        {
            value.parse::<T>().map_err(|error| crate::support::AdapterError::Invalid {
                field,
                value: ::std::borrow::ToOwned::to_owned(value),
                reason: ::std::string::ToString::to_string(&error),
            })
        }

        /// A `date` (`YYYY-MM-DD`) as the `date-time` of its midnight UTC (`YYYY-MM-DDT00:00:00Z`).
        pub fn date_time(date: &str) -> ::std::string::String {
            ::std::format!("{date}T00:00:00Z")
        }

        /// The date part (`YYYY-MM-DD`) of a `date-time` (or of a `date`), for the conversion of
        /// `field`; anything else is [`crate::support::AdapterError::Invalid`].
        pub fn date_part(field: &'static str, value: &str) -> ::std::result::Result<::std::string::String, crate::support::AdapterError> {
            let bytes = value.as_bytes();
            let is_date = bytes.len() >= 10
                && bytes[..10].iter().enumerate().all(|(index, byte)| match index {
                    4 | 7 => *byte == b'-',
                    _ => byte.is_ascii_digit(),
                })
                && bytes.get(10).is_none_or(|byte| matches!(byte, b'T' | b't' | b' '));
            match value.get(..10) {
                ::std::option::Option::Some(date) if is_date => ::std::result::Result::Ok(::std::borrow::ToOwned::to_owned(date)),
                _ => ::std::result::Result::Err(crate::support::AdapterError::Invalid {
                    field,
                    value: ::std::borrow::ToOwned::to_owned(value),
                    reason: ::std::borrow::ToOwned::to_owned("not a date or date-time (YYYY-MM-DD...)"),
                }),
            }
        }

        /// A 64-bit integer as a 32-bit one, for the conversion of `field`.
        pub fn narrow(field: &'static str, value: i64) -> ::std::result::Result<i32, crate::support::AdapterError> {
            i32::try_from(value).map_err(|error| crate::support::AdapterError::Invalid {
                field,
                value: ::std::string::ToString::to_string(&value),
                reason: ::std::string::ToString::to_string(&error),
            })
        }

        #problems

        #answers
    })
}

/// `src/adapters/<dialect>.rs`.
pub fn emit_dialect(
    canonical: &Api,
    dialect: &Api,
    mapping: &DialectMapping,
) -> Result<TokenStream, Vec<ModelProblem>> {
    let problem = |message: String| ModelProblem {
        module: format!("adapters::{}", dialect.module),
        pointer: String::new(),
        message,
    };
    let pairs =
        find_pairs(canonical, dialect, mapping).map_err(|message| vec![problem(message)])?;
    let adapters = Adapters {
        canonical,
        dialect,
        pairs,
        to_canonical: RefCell::new(BTreeMap::new()),
    };
    let mut problems = Vec::new();
    let mut impls = Vec::new();
    for index in 0..adapters.pairs.len() {
        match adapters.emit_pair(index) {
            Ok(tokens) => impls.push(tokens),
            Err(message) => problems.push(problem(message)),
        }
    }
    let problem_fn = match canonical.error_envelope {
        Some(_) => Some(
            emit_dialect_problem(canonical, dialect, mapping)
                .map_err(|message| vec![problem(message)])?,
        ),
        None => None,
    };
    // The operation adapter, when there are canonical operations to adapt.
    let adapter = if canonical.operations.is_empty() {
        None
    } else {
        Some(
            adapters
                .emit_adapter(mapping)
                .map_err(|message| vec![problem(message)])?,
        )
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let title = format!(
        " The canonical API ↔ {} ({}): conversions of the types that share mapped fields.",
        dialect.module,
        dialect.title.trim()
    );
    Ok(quote! {
        #![doc = #title]
        //!
        //! Generated from the canonical spec's `x-mapping`; see [`crate::adapters`] for how
        //! fields are converted.

        #(#impls)*

        #problem_fn

        #adapter
    })
}

/// The component schemas of the dialect's `x-error-envelope`.
fn envelope_schemas(api: &Api) -> BTreeSet<String> {
    api.error_envelope
        .iter()
        .flat_map(|envelope| [&envelope.validation.schema, &envelope.other.schema])
        .filter_map(|schema| schema.strip_prefix(SCHEMAS))
        .map(str::to_owned)
        .collect()
}

/// A canonical type and a dialect type that share mapped fields.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pair {
    /// Rust names.
    canonical: String,
    dialect: String,
    links: Vec<Link>,
}

/// One mapped field: its pointer segments on both sides, relative to the pair's types.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Link {
    canonical: Vec<String>,
    dialect: Vec<String>,
}

impl Link {
    /// Whether `self` lies inside the items of array field `outer` on both sides.
    fn is_under(&self, outer: &Link) -> bool {
        let inside = |inner: &[String], outer: &[String]| {
            inner.len() > outer.len() + 1 && inner.starts_with(outer) && inner[outer.len()] == "0"
        };
        inside(&self.canonical, &outer.canonical) && inside(&self.dialect, &outer.dialect)
    }
}

fn find_pairs(
    canonical: &Api,
    dialect: &Api,
    mapping: &DialectMapping,
) -> Result<Vec<Pair>, String> {
    let envelopes = envelope_schemas(dialect);
    let mut grouped: BTreeMap<(String, String), Vec<Link>> = BTreeMap::new();
    for link in &mapping.fields {
        for address in &link.dialect {
            if envelopes.contains(&address.schema) {
                continue;
            }
            let links = grouped
                .entry((link.schema.clone(), address.schema.clone()))
                .or_default();
            let link = Link {
                canonical: pointer::segments(&link.pointer),
                dialect: pointer::segments(&address.pointer),
            };
            if !links.contains(&link) {
                links.push(link);
            }
        }
    }
    let recursion = (Recursion::of(canonical), Recursion::of(dialect));
    let mut pairs = Vec::new();
    for ((schema, target), links) in grouped {
        let c = canonical
            .component(&schema)
            .ok_or_else(|| format!("canonical schema {schema} has no type"))?;
        let d = dialect
            .component(&target)
            .ok_or_else(|| format!("{} schema {target} has no type", dialect.module))?;
        for link in &links {
            unboxed(canonical, &recursion.0, &c.rust_name, &link.canonical)?;
            unboxed(dialect, &recursion.1, &d.rust_name, &link.dialect)?;
        }
        split(
            canonical,
            dialect,
            &c.rust_name,
            &d.rust_name,
            links,
            &mut pairs,
        )?;
    }
    let position = |api: &Api, name: &str| api.types.iter().position(|def| def.rust_name == name);
    pairs.sort_by_key(|pair| {
        (
            position(canonical, &pair.canonical),
            position(dialect, &pair.dialect),
        )
    });
    Ok(pairs)
}

/// Adds the pair (`canonical`, `dialect`) with `links`; links inside the items of another
/// link's arrays become a pair of the item types.
fn split(
    canonical: &Api,
    dialect: &Api,
    c_name: &str,
    d_name: &str,
    links: Vec<Link>,
    pairs: &mut Vec<Pair>,
) -> Result<(), String> {
    let mut direct = Vec::new();
    let mut nested: Vec<(Link, Vec<Link>)> = Vec::new();
    for link in &links {
        let container = links
            .iter()
            .filter(|outer| link.is_under(outer))
            .min_by_key(|outer| outer.canonical.len());
        match container {
            None => direct.push(link.clone()),
            Some(outer) => {
                let relative = Link {
                    canonical: link.canonical[outer.canonical.len() + 1..].to_vec(),
                    dialect: link.dialect[outer.dialect.len() + 1..].to_vec(),
                };
                match nested.iter_mut().find(|(known, _)| known == outer) {
                    Some((_, inner)) => inner.push(relative),
                    None => nested.push((outer.clone(), vec![relative])),
                }
            }
        }
    }
    match pairs
        .iter_mut()
        .find(|pair| pair.canonical == c_name && pair.dialect == d_name)
    {
        Some(pair) => {
            for link in direct {
                if !pair.links.contains(&link) {
                    pair.links.push(link);
                }
            }
        }
        None => pairs.push(Pair {
            canonical: c_name.to_owned(),
            dialect: d_name.to_owned(),
            links: direct,
        }),
    }
    for (outer, inner) in nested {
        let c_item = item_struct(canonical, c_name, &outer.canonical)?;
        let d_item = item_struct(dialect, d_name, &outer.dialect)?;
        split(canonical, dialect, &c_item, &d_item, inner, pairs)?;
    }
    Ok(())
}

/// Fails when a field along `segments` is boxed (it closes a cycle of types): the adapters
/// read and build plain fields only.
fn unboxed(
    api: &Api,
    recursion: &Recursion,
    root: &str,
    segments: &[String],
) -> Result<(), String> {
    let mut owner = root.to_owned();
    for (index, segment) in segments.iter().enumerate() {
        if segment == "0" {
            // An array item: the item type stays the owner of the next field.
            continue;
        }
        let Some(field) =
            struct_of(api, &owner).and_then(|def| def.fields.iter().find(|f| f.name == *segment))
        else {
            return Ok(());
        };
        if recursion.boxes(&owner, &field.ty) {
            return Err(format!(
                "{}: {root}#{} goes through a recursive (boxed) field: not supported",
                api.module,
                pointer::from_segments(&segments[..=index])
            ));
        }
        owner = match resolved(api, &field.ty) {
            TypeRef::Named(name) => name.clone(),
            TypeRef::Array(item) => match resolved(api, item) {
                TypeRef::Named(name) => name.clone(),
                _ => return Ok(()),
            },
            _ => return Ok(()),
        };
    }
    Ok(())
}

/// The struct type of the items of the array at `segments` in `root`.
fn item_struct(api: &Api, root: &str, segments: &[String]) -> Result<String, String> {
    let (ty, _) = type_at(api, root, segments)?;
    if let TypeRef::Array(item) = resolved(api, &ty)
        && let TypeRef::Named(name) = resolved(api, item)
        && struct_of(api, name).is_some()
    {
        return Ok(name.clone());
    }
    Err(format!(
        "{}: {root}#{} holds mapped fields in its items but is not an array of objects",
        api.module,
        pointer::from_segments(segments)
    ))
}

/// `ty` with aliases followed.
fn resolved<'a>(api: &'a Api, ty: &'a TypeRef) -> &'a TypeRef {
    let mut ty = ty;
    for _ in 0..=api.types.len() {
        match ty {
            TypeRef::Named(name) => match api.type_named(name).map(|def| &def.kind) {
                Some(TypeKind::Alias(target)) => ty = target,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

fn struct_of<'a>(api: &'a Api, name: &str) -> Option<&'a StructDef> {
    match api.type_named(name).map(|def| &def.kind) {
        Some(TypeKind::Struct(def)) => Some(def),
        _ => None,
    }
}

fn is_enum(api: &Api, name: &str) -> bool {
    matches!(
        api.type_named(name).map(|def| &def.kind),
        Some(TypeKind::StringEnum(_))
    )
}

/// The type at `segments` inside struct `root`, and the field that holds it when the last
/// step is a field.
fn type_at<'a>(
    api: &'a Api,
    root: &str,
    segments: &[String],
) -> Result<(TypeRef, Option<&'a Field>), String> {
    let mut ty = TypeRef::Named(root.to_owned());
    let mut field = None;
    for segment in segments {
        let current = resolved(api, &ty).clone();
        match &current {
            TypeRef::Named(name) if struct_of(api, name).is_some() => {
                let found = struct_of(api, name)
                    .and_then(|def| def.fields.iter().find(|f| f.name == *segment))
                    .ok_or_else(|| no_path(api, root, segments))?;
                ty = found.ty.clone();
                field = Some(found);
            }
            TypeRef::Array(item) if segment == "0" => {
                ty = (**item).clone();
                field = None;
            }
            _ => return Err(no_path(api, root, segments)),
        }
    }
    Ok((ty, field))
}

fn no_path(api: &Api, root: &str, segments: &[String]) -> String {
    format!(
        "{}: {root}#{} names no field (only object properties and array item 0 can be followed)",
        api.module,
        pointer::from_segments(segments)
    )
}

/// The tokens of `ty` from outside its API's module.
fn type_path(module: &str, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let module = ident(module);
            let name = ident(name);
            quote!(crate::#module::types::#name)
        }
        TypeRef::Array(item) => {
            let item = type_path(module, item);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_path(module, value);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
        other => type_tokens(other),
    }
}

/// How a value is reached from the source.
#[derive(Clone)]
enum Access {
    /// Always there: a place expression (`value.data.first_name`).
    Sure(TokenStream),
    /// A place expression of type `Option<T>` (an optional field).
    MaybeField(TokenStream),
    /// An expression of type `Option<&T>`.
    Maybe(TokenStream),
}

/// A value read from the source: how it is reached, its type and the field that holds it.
struct Read<'a> {
    access: Access,
    ty: TypeRef,
    field: Option<&'a Field>,
}

/// Reads `segments` from `root` (an expression of type `&Root`).
fn read<'a>(
    api: &'a Api,
    root_type: &str,
    root: TokenStream,
    segments: &[String],
) -> Result<Read<'a>, String> {
    let mut access = Access::Sure(root);
    let mut ty = TypeRef::Named(root_type.to_owned());
    let mut field = None;
    for segment in segments {
        let current = resolved(api, &ty).clone();
        match &current {
            TypeRef::Named(name) if struct_of(api, name).is_some() => {
                let found = struct_of(api, name)
                    .and_then(|def| def.fields.iter().find(|f| f.name == *segment))
                    .ok_or_else(|| no_path(api, root_type, segments))?;
                let f = ident(&found.rust_name);
                access = match (access, found.is_optional()) {
                    (Access::Sure(place), false) => Access::Sure(quote!(#place.#f)),
                    (Access::Sure(place), true) => Access::MaybeField(quote!(#place.#f)),
                    (Access::MaybeField(place), false) => {
                        Access::Maybe(quote!(#place.as_ref().map(|v| &v.#f)))
                    }
                    (Access::MaybeField(place), true) => {
                        Access::Maybe(quote!(#place.as_ref().and_then(|v| v.#f.as_ref())))
                    }
                    (Access::Maybe(e), false) => Access::Maybe(quote!(#e.map(|v| &v.#f))),
                    (Access::Maybe(e), true) => {
                        Access::Maybe(quote!(#e.and_then(|v| v.#f.as_ref())))
                    }
                };
                ty = found.ty.clone();
                field = Some(found);
            }
            TypeRef::Array(item) if segment == "0" => {
                access = match access {
                    Access::Sure(place) => Access::Maybe(quote!(#place.first())),
                    Access::MaybeField(place) => {
                        Access::Maybe(quote!(#place.as_ref().and_then(|v| v.first())))
                    }
                    Access::Maybe(e) => Access::Maybe(quote!(#e.and_then(|v| v.first()))),
                };
                ty = (**item).clone();
                field = None;
            }
            _ => return Err(no_path(api, root_type, segments)),
        }
    }
    Ok(Read {
        access,
        ty: resolved(api, &ty).clone(),
        field,
    })
}

/// The expressions a conversion may use for its input.
struct Input {
    /// For method calls (`value.id` or `v`).
    method: TokenStream,
    /// A reference (`&value.id` or `v`).
    reference: TokenStream,
    /// The value itself, for `Copy` types (`value.id` or `*v`).
    value: TokenStream,
}

type Build = Rc<dyn Fn(&Input) -> TokenStream>;

#[derive(Clone)]
enum ConvKind {
    Clone,
    Copy,
    /// A function of `&T`: `f(&x)`, `.map(f)`.
    Path(TokenStream),
    /// A function of `&str`.
    StrPath(TokenStream),
    /// Any expression of the input.
    Expr(Build),
}

/// How a value of one type becomes a value of another.
#[derive(Clone)]
struct Conv {
    kind: ConvKind,
    /// The expression is a `Result<_, AdapterError>`.
    fallible: bool,
}

impl Conv {
    fn new(kind: ConvKind) -> Conv {
        Conv {
            kind,
            fallible: false,
        }
    }

    fn fallible(kind: ConvKind) -> Conv {
        Conv {
            kind,
            fallible: true,
        }
    }

    fn expr(build: impl Fn(&Input) -> TokenStream + 'static) -> ConvKind {
        ConvKind::Expr(Rc::new(build))
    }

    /// The conversion of one item (`v`, a reference), as the argument of `.map(...)`.
    fn mapper(&self) -> TokenStream {
        match &self.kind {
            ConvKind::Clone => quote!(::std::clone::Clone::clone),
            ConvKind::Copy => quote!(|v| *v),
            ConvKind::Path(f) => f.clone(),
            ConvKind::StrPath(f) => quote!(|v| #f(v.as_str())),
            ConvKind::Expr(build) => {
                let body = build(&Input {
                    method: quote!(v),
                    reference: quote!(v),
                    value: quote!(*v),
                });
                quote!(|v| #body)
            }
        }
    }
}

/// A converted value, ready to be assigned.
#[derive(Clone)]
struct Value {
    tokens: TokenStream,
    /// `Option<T>` rather than `T`.
    maybe: bool,
}

/// What building one conversion found out.
#[derive(Default)]
struct Outcome {
    /// The body uses `?`.
    fallible: bool,
    /// A field the target requires that nothing fills: the conversion always fails.
    always_missing: Option<String>,
}

/// `conv` applied to a place that always holds a value: a `Result` when `conv` is fallible.
fn convert_place(conv: &Conv, place: &TokenStream) -> TokenStream {
    match &conv.kind {
        ConvKind::Clone => quote!(#place.clone()),
        ConvKind::Copy => quote!(#place),
        ConvKind::Path(f) | ConvKind::StrPath(f) => quote!(#f(&#place)),
        ConvKind::Expr(build) => build(&Input {
            method: place.clone(),
            reference: quote!(&#place),
            value: place.clone(),
        }),
    }
}

fn apply(conv: &Conv, access: Access, outcome: &mut Outcome) -> Value {
    outcome.fallible |= conv.fallible;
    match access {
        Access::Sure(place) => {
            let tokens = convert_place(conv, &place);
            let tokens = if conv.fallible {
                quote!(#tokens?)
            } else {
                tokens
            };
            Value {
                tokens,
                maybe: false,
            }
        }
        Access::MaybeField(place) => {
            let tokens = match &conv.kind {
                ConvKind::Clone => quote!(#place.clone()),
                ConvKind::Copy => quote!(#place),
                ConvKind::StrPath(f) => quote!(#place.as_deref().map(#f)),
                _ => {
                    let mapper = conv.mapper();
                    quote!(#place.as_ref().map(#mapper))
                }
            };
            maybe_value(tokens, conv.fallible)
        }
        Access::Maybe(e) => {
            let tokens = match &conv.kind {
                ConvKind::Clone => quote!(#e.cloned()),
                ConvKind::Copy => quote!(#e.copied()),
                ConvKind::StrPath(f) => quote!(#e.map(::std::string::String::as_str).map(#f)),
                _ => {
                    let mapper = conv.mapper();
                    quote!(#e.map(#mapper))
                }
            };
            maybe_value(tokens, conv.fallible)
        }
    }
}

fn maybe_value(tokens: TokenStream, fallible: bool) -> Value {
    Value {
        tokens: if fallible {
            quote!(#tokens.transpose()?)
        } else {
            tokens
        },
        maybe: true,
    }
}

/// Which way a conversion goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Direction {
    ToCanonical,
    FromCanonical,
}

/// One value to put into the target.
struct Assignment {
    /// Pointer segments inside the target.
    target: Vec<String>,
    value: Value,
    /// The canonical field, for errors.
    label: String,
}

struct Adapters<'a> {
    canonical: &'a Api,
    dialect: &'a Api,
    pairs: Vec<Pair>,
    /// Whether the dialect → canonical conversion of each pair can fail (`None` while it is
    /// being worked out).
    to_canonical: RefCell<BTreeMap<usize, Option<bool>>>,
}

impl Adapters<'_> {
    fn sides(&self, direction: Direction) -> (&Api, &Api) {
        match direction {
            Direction::ToCanonical => (self.dialect, self.canonical),
            Direction::FromCanonical => (self.canonical, self.dialect),
        }
    }

    /// Whether the dialect → canonical conversion of pair `index` can fail.
    fn to_canonical_fallible(&self, index: usize) -> Result<bool, String> {
        if let Some(known) = self.to_canonical.borrow().get(&index) {
            return known.ok_or_else(|| {
                let pair = &self.pairs[index];
                format!(
                    "the mapping between canonical {} and {} {} is recursive: not supported",
                    pair.canonical, self.dialect.module, pair.dialect
                )
            });
        }
        self.to_canonical.borrow_mut().insert(index, None);
        let (_, outcome) = self.conversion(index, Direction::ToCanonical)?;
        let fallible = outcome.fallible || outcome.always_missing.is_some();
        self.to_canonical.borrow_mut().insert(index, Some(fallible));
        Ok(fallible)
    }

    /// Both impls of pair `index`.
    fn emit_pair(&self, index: usize) -> Result<TokenStream, String> {
        let pair = &self.pairs[index];
        let dialect_name = &self.dialect.module;
        let c_path = type_path(
            &self.canonical.module,
            &TypeRef::Named(pair.canonical.clone()),
        );
        let d_path = type_path(dialect_name, &TypeRef::Named(pair.dialect.clone()));
        let c_name = label_of(self.canonical, &pair.canonical);
        let d_name = label_of(self.dialect, &pair.dialect);

        let (literal, outcome) = self.conversion(index, Direction::ToCanonical)?;
        let to_canonical = if !outcome.fallible && outcome.always_missing.is_none() {
            let doc = format!(
                " {dialect_name} `{d_name}` → canonical `{c_name}`: every mapped field, converted by type."
            );
            quote! {
                #[doc = #doc]
                impl ::std::convert::From<&#d_path> for #c_path {
                    fn from(value: &#d_path) -> Self {
                        #literal
                    }
                }
            }
        } else {
            let doc = format!(
                " {dialect_name} `{d_name}` → canonical `{c_name}`: every mapped field, converted by type."
            );
            try_from(&doc, &d_path, &c_path, literal, outcome)
        };

        let (literal, outcome) = self.conversion(index, Direction::FromCanonical)?;
        let doc = format!(
            " Canonical `{c_name}` → {dialect_name} `{d_name}`: every mapped field, converted by type."
        );
        let from_canonical = try_from(&doc, &c_path, &d_path, literal, outcome);
        Ok(quote! {
            #to_canonical
            #from_canonical
        })
    }

    /// The struct literal of pair `index` converted in `direction`.
    fn conversion(
        &self,
        index: usize,
        direction: Direction,
    ) -> Result<(TokenStream, Outcome), String> {
        let pair = &self.pairs[index];
        let (_, target) = self.sides(direction);
        let target_root = match direction {
            Direction::ToCanonical => &pair.canonical,
            Direction::FromCanonical => &pair.dialect,
        };
        let mut outcome = Outcome::default();
        let assignments = self.assignments(index, direction, quote!(value), &mut outcome)?;
        let missing = |at: &[String]| match direction {
            Direction::ToCanonical => at.join("/"),
            Direction::FromCanonical => format!(
                "{}#{}",
                label_of(self.dialect, &pair.dialect),
                pointer::from_segments(at)
            ),
        };
        let literal = build_struct(
            target,
            target_root,
            &assignments,
            &[],
            &missing,
            &mut outcome,
        )?;
        Ok((literal, outcome))
    }

    /// The values every link of pair `index` puts into the target of `direction`, read from
    /// `root` (an expression of type `&Source`).
    fn assignments(
        &self,
        index: usize,
        direction: Direction,
        root: TokenStream,
        outcome: &mut Outcome,
    ) -> Result<Vec<Assignment>, String> {
        let pair = &self.pairs[index];
        let (source, target) = self.sides(direction);
        let (source_root, target_root) = match direction {
            Direction::ToCanonical => (&pair.dialect, &pair.canonical),
            Direction::FromCanonical => (&pair.canonical, &pair.dialect),
        };
        let mut assignments = Vec::new();
        for link in &pair.links {
            let (from, to) = match direction {
                Direction::ToCanonical => (&link.dialect, &link.canonical),
                Direction::FromCanonical => (&link.canonical, &link.dialect),
            };
            let label = link.canonical.join("/");
            let read = read(source, source_root, root.clone(), from)?;
            let (to_ty, to_field) = type_at(target, target_root, to)?;
            let conv = self
                .conv(
                    direction,
                    (&read.ty, format_of(read.field)),
                    (resolved(target, &to_ty), format_of(to_field)),
                    &label,
                )
                .map_err(|message| {
                    format!(
                        "canonical {}#{} ↔ {} {}#{}: {message}",
                        pair.canonical,
                        pointer::from_segments(&link.canonical),
                        self.dialect.module,
                        pair.dialect,
                        pointer::from_segments(&link.dialect)
                    )
                })?;
            let value = apply(&conv, read.access, outcome);
            assignments.push(Assignment {
                target: to.clone(),
                value,
                label,
            });
        }
        Ok(assignments)
    }

    /// The conversion of a value of type `from` (source side of `direction`) to `to`.
    fn conv(
        &self,
        direction: Direction,
        from: (&TypeRef, Option<&str>),
        to: (&TypeRef, Option<&str>),
        label: &str,
    ) -> Result<Conv, String> {
        let (source, target) = self.sides(direction);
        let (from, from_format) = from;
        let (to, to_format) = to;
        let from = resolved(source, from);
        let to = resolved(target, to);
        let parse = |ty: TokenStream, as_str: bool| {
            let label = label.to_owned();
            Conv::fallible(Conv::expr(move |input: &Input| {
                let argument = if as_str {
                    let method = &input.method;
                    quote!(#method.as_str())
                } else {
                    input.reference.clone()
                };
                quote!(crate::adapters::parse::<#ty>(#label, #argument))
            }))
        };
        Ok(match (from, to) {
            (TypeRef::String, TypeRef::String) => match (from_format, to_format) {
                (Some("date"), Some("date-time")) => {
                    Conv::new(ConvKind::StrPath(quote!(crate::adapters::date_time)))
                }
                (Some("date-time"), Some("date")) => {
                    let label = label.to_owned();
                    Conv::fallible(Conv::expr(move |input: &Input| {
                        let reference = &input.reference;
                        quote!(crate::adapters::date_part(#label, #reference))
                    }))
                }
                _ => Conv::new(ConvKind::Clone),
            },
            (TypeRef::Integer(a), TypeRef::Integer(b)) if a == b => Conv::new(ConvKind::Copy),
            (TypeRef::Integer(IntegerWidth::I32), TypeRef::Integer(IntegerWidth::I64)) => {
                Conv::new(Conv::expr(|input: &Input| {
                    let value = &input.value;
                    quote!(i64::from(#value))
                }))
            }
            (TypeRef::Integer(_), TypeRef::Integer(_)) => {
                let label = label.to_owned();
                Conv::fallible(Conv::expr(move |input: &Input| {
                    let value = &input.value;
                    quote!(crate::adapters::narrow(#label, #value))
                }))
            }
            (TypeRef::Integer(_), TypeRef::String) => Conv::new(Conv::expr(|input: &Input| {
                let method = &input.method;
                quote!(#method.to_string())
            })),
            (TypeRef::String, TypeRef::Integer(width)) => {
                parse(type_tokens(&TypeRef::Integer(*width)), false)
            }
            (TypeRef::Number, TypeRef::Number) | (TypeRef::Boolean, TypeRef::Boolean) => {
                Conv::new(ConvKind::Copy)
            }
            (TypeRef::Binary, TypeRef::Binary) | (TypeRef::Any, TypeRef::Any) => {
                Conv::new(ConvKind::Clone)
            }
            (TypeRef::Named(a), TypeRef::Named(b)) if is_enum(source, a) && is_enum(target, b) => {
                parse(type_path(&target.module, to), true)
            }
            (TypeRef::Named(a), TypeRef::String) if is_enum(source, a) => {
                Conv::new(Conv::expr(|input: &Input| {
                    let method = &input.method;
                    quote!(#method.as_str().to_owned())
                }))
            }
            (TypeRef::String, TypeRef::Named(b)) if is_enum(target, b) => {
                parse(type_path(&target.module, to), false)
            }
            (TypeRef::Named(a), TypeRef::Named(b))
                if struct_of(source, a).is_some() && struct_of(target, b).is_some() =>
            {
                let (c_name, d_name) = match direction {
                    Direction::ToCanonical => (b, a),
                    Direction::FromCanonical => (a, b),
                };
                let index = self
                    .pairs
                    .iter()
                    .position(|pair| pair.canonical == *c_name && pair.dialect == *d_name)
                    .ok_or_else(|| {
                        format!("no mapped fields link canonical {c_name} and {d_name}")
                    })?;
                let from_path = type_path(&source.module, from);
                let to_path = type_path(&target.module, to);
                let fallible = match direction {
                    Direction::ToCanonical => self.to_canonical_fallible(index)?,
                    Direction::FromCanonical => true,
                };
                if fallible {
                    Conv::fallible(ConvKind::Path(
                        quote!(<#to_path as ::std::convert::TryFrom<&#from_path>>::try_from),
                    ))
                } else {
                    Conv::new(ConvKind::Path(
                        quote!(<#to_path as ::std::convert::From<&#from_path>>::from),
                    ))
                }
            }
            (TypeRef::Array(a), TypeRef::Array(b)) => {
                let inner = self.conv(direction, (a, None), (b, None), label)?;
                match inner.kind {
                    ConvKind::Clone | ConvKind::Copy => Conv::new(ConvKind::Clone),
                    _ => {
                        let fallible = inner.fallible;
                        let mapper = inner.mapper();
                        let collect = if fallible {
                            quote!(
                                ::std::result::Result<
                                    ::std::vec::Vec<_>,
                                    crate::support::AdapterError,
                                >
                            )
                        } else {
                            quote!(::std::vec::Vec<_>)
                        };
                        let kind = Conv::expr(move |input: &Input| {
                            let method = &input.method;
                            quote!(#method.iter().map(#mapper).collect::<#collect>())
                        });
                        Conv { kind, fallible }
                    }
                }
            }
            (TypeRef::Map(a), TypeRef::Map(b)) => {
                let inner = self.conv(direction, (a, None), (b, None), label)?;
                match inner.kind {
                    ConvKind::Clone | ConvKind::Copy => Conv::new(ConvKind::Clone),
                    _ => return Err("maps whose values differ in type are not converted".into()),
                }
            }
            (from, to) => {
                return Err(format!(
                    "no conversion from {} to {}",
                    describe(from),
                    describe(to)
                ));
            }
        })
    }
}

fn describe(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "string".into(),
        TypeRef::Integer(_) => "integer".into(),
        TypeRef::Number => "number".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::Binary => "file".into(),
        TypeRef::Array(item) => format!("array of {}", describe(item)),
        TypeRef::Map(value) => format!("map of {}", describe(value)),
        TypeRef::Any => "any value".into(),
    }
}

fn format_of(field: Option<&Field>) -> Option<&str> {
    field.and_then(|field| field.constraints.format.as_deref())
}

/// The name of a type in messages and docs: its component schema, else its Rust name.
fn label_of(api: &Api, rust_name: &str) -> String {
    api.type_named(rust_name)
        .and_then(|def| def.component.clone())
        .unwrap_or_else(|| rust_name.to_owned())
}

/// `impl TryFrom<&From> for To`.
fn try_from(
    doc: &str,
    from: &TokenStream,
    to: &TokenStream,
    literal: TokenStream,
    outcome: Outcome,
) -> TokenStream {
    match outcome.always_missing {
        Some(field) => {
            let doc2 = format!(
                " Always fails with `AdapterError::Missing`: `{field}` is required and nothing maps onto it."
            );
            quote! {
                #[doc = #doc]
                #[doc = ""]
                #[doc = #doc2]
                impl ::std::convert::TryFrom<&#from> for #to {
                    type Error = crate::support::AdapterError;

                    fn try_from(_value: &#from) -> ::std::result::Result<Self, Self::Error> {
                        ::std::result::Result::Err(crate::support::AdapterError::Missing { field: #field })
                    }
                }
            }
        }
        None => quote! {
            #[doc = #doc]
            impl ::std::convert::TryFrom<&#from> for #to {
                type Error = crate::support::AdapterError;

                fn try_from(value: &#from) -> ::std::result::Result<Self, Self::Error> {
                    ::std::result::Result::Ok(#literal)
                }
            }
        },
    }
}

/// The struct literal of `name` (in `api`) from `assignments`, whose targets are relative to
/// it. `prefix` is where the struct sits in the conversion's target, for `missing` labels.
fn build_struct(
    api: &Api,
    name: &str,
    assignments: &[Assignment],
    prefix: &[String],
    missing: &dyn Fn(&[String]) -> String,
    outcome: &mut Outcome,
) -> Result<TokenStream, String> {
    let def =
        struct_of(api, name).ok_or_else(|| format!("{}: {name} is not an object", api.module))?;
    let path = type_path(&api.module, &TypeRef::Named(name.to_owned()));
    let defaults = derives_default(def);
    let mut fields = Vec::new();
    let mut skipped = false;
    for field in &def.fields {
        let here: Vec<&Assignment> = assignments
            .iter()
            .filter(|assignment| assignment.target.first() == Some(&field.name))
            .collect();
        let rust = ident(&field.rust_name);
        let optional = field.is_optional();
        let mut at = prefix.to_vec();
        at.push(field.name.clone());
        let value = if let Some(direct) = here.iter().find(|a| a.target.len() == 1) {
            let tokens = &direct.value.tokens;
            match (optional, direct.value.maybe) {
                (true, true) | (false, false) => tokens.clone(),
                (true, false) => quote!(::std::option::Option::Some(#tokens)),
                (false, true) => {
                    outcome.fallible = true;
                    let label = &direct.label;
                    quote!(#tokens.ok_or(crate::support::AdapterError::Missing { field: #label })?)
                }
            }
        } else if !here.is_empty() {
            nested(api, field, &here, &at, missing, outcome)?
        } else if defaults {
            // Filled by `..Default::default()`.
            skipped = true;
            continue;
        } else if optional {
            quote!(::std::option::Option::None)
        } else {
            outcome.always_missing.get_or_insert_with(|| missing(&at));
            quote!(::std::default::Default::default())
        };
        fields.push(quote!(#rust: #value));
    }
    if def.additional.is_some() {
        let mut taken = NameSet::default();
        taken.reserve(
            def.fields
                .iter()
                .map(|field| field.rust_name.trim_start_matches("r#").to_owned()),
        );
        let additional = ident(&taken.unique("additional_properties".into()));
        if !defaults {
            fields.push(quote!(#additional: ::std::collections::BTreeMap::new()));
        }
        skipped |= defaults;
    }
    if skipped {
        Ok(quote!(#path { #(#fields,)* ..::std::default::Default::default() }))
    } else {
        Ok(quote!(#path { #(#fields),* }))
    }
}

/// The value of `field` built from assignments deeper inside it: a struct, or an array of one.
fn nested(
    api: &Api,
    field: &Field,
    here: &[&Assignment],
    at: &[String],
    missing: &dyn Fn(&[String]) -> String,
    outcome: &mut Outcome,
) -> Result<TokenStream, String> {
    let rest = |skip: usize| -> Vec<Assignment> {
        here.iter()
            .map(|assignment| Assignment {
                target: assignment.target[skip..].to_vec(),
                value: assignment.value.clone(),
                label: assignment.label.clone(),
            })
            .collect()
    };
    let unsupported = || {
        format!(
            "{}: cannot build {} from the fields mapped into it (only objects and the first item of an array of objects)",
            api.module,
            pointer::from_segments(at)
        )
    };
    let (built, item) = match resolved(api, &field.ty) {
        TypeRef::Named(name) if struct_of(api, name).is_some() => (
            build_struct(api, name, &rest(1), at, missing, outcome)?,
            name,
        ),
        TypeRef::Array(item) => match resolved(api, item) {
            TypeRef::Named(name)
                if struct_of(api, name).is_some()
                    && here
                        .iter()
                        .all(|a| a.target.get(1).map(String::as_str) == Some("0")) =>
            {
                let mut inner_at = at.to_vec();
                inner_at.push("0".into());
                let inner = build_struct(api, name, &rest(2), &inner_at, missing, outcome)?;
                (quote!(::std::vec::Vec::from([#inner])), name)
            }
            _ => return Err(unsupported()),
        },
        _ => return Err(unsupported()),
    };
    if !field.is_optional() {
        return Ok(built);
    }
    let is_array = matches!(resolved(api, &field.ty), TypeRef::Array(_));
    match struct_of(api, item) {
        // An optional container of an all-optional struct: absent when nothing was filled.
        Some(def) if derives_default(def) && !is_array => {
            let path = type_path(&api.module, &TypeRef::Named(item.clone()));
            Ok(quote! {{
                let item = #built;
                if item == <#path as ::std::default::Default>::default() {
                    ::std::option::Option::None
                } else {
                    ::std::option::Option::Some(item)
                }
            }})
        }
        _ => Ok(quote!(::std::option::Option::Some(#built))),
    }
}

// ---------------------------------------------------------------------------------------------
// Error bodies: read through the dialect's x-error-envelope, written as the canonical one.
// ---------------------------------------------------------------------------------------------

/// The two templates of an API's errors: its `x-error-envelope`, or RFC 9457 problem details
/// (`{type, title, status, detail, errors}`) for an API without one.
fn envelope_of(api: &Api) -> ErrorEnvelope {
    if let Some(envelope) = &api.error_envelope {
        return envelope.clone();
    }
    let entries = |validation: bool| {
        let mut entries = vec![
            ("type".to_owned(), Template::Literal("about:blank".into())),
            ("title".to_owned(), Template::Literal("".into())),
            (
                "status".to_owned(),
                Template::Placeholder(Placeholder::Status),
            ),
            (
                "detail".to_owned(),
                Template::Placeholder(Placeholder::Message),
            ),
        ];
        if validation {
            entries.push((
                "errors".to_owned(),
                Template::Placeholder(Placeholder::Errors),
            ));
        }
        Template::Object(entries)
    };
    let template = |validation: bool| EnvelopeTemplate {
        status: validation.then_some(400),
        schema: String::new(),
        body: entries(validation),
        body_field: None,
    };
    ErrorEnvelope {
        validation: template(true),
        other: template(false),
        body_error_status: None,
    }
}

/// The helpers of `mod.rs` for error bodies: `Envelope`, the canonical `problem` built from
/// the canonical envelope, and what they use.
fn emit_problem_helpers(canonical: &Api) -> Result<TokenStream, String> {
    let envelope = envelope_of(canonical);
    let schema = envelope
        .other
        .schema
        .strip_prefix(SCHEMAS)
        .ok_or("the canonical API's error envelope names no component schema")?;
    if envelope.validation.schema != envelope.other.schema {
        return Err("the canonical API's two error templates must share one schema".into());
    }
    let def = canonical
        .component(schema)
        .ok_or_else(|| format!("canonical schema {schema} has no type"))?;
    let problem_path = type_path(&canonical.module, &TypeRef::Named(def.rust_name.clone()));
    let validation = problem_literal(canonical, &def.rust_name, &envelope.validation, true)?;
    let other = problem_literal(canonical, &def.rust_name, &envelope.other, false)?;
    let body_field = envelope.validation.body_field.clone().unwrap_or_default();
    Ok(quote! {
        /// What an error body says, read through a dialect's `x-error-envelope`.
        #[derive(
            ::std::fmt::Debug,
            ::std::clone::Clone,
            ::std::default::Default,
            ::std::cmp::PartialEq,
            ::std::cmp::Eq
        )]
        pub struct Envelope {
            /// `$message`: the message, or a validation error's summary.
            pub message: ::std::option::Option<::std::string::String>,
            /// `$errors` / `$each-error`: (field, message) pairs in the body's order.
            pub errors: ::std::vec::Vec<(::std::string::String, ::std::string::String)>,
            /// `$error-id`.
            pub error_id: ::std::option::Option<::std::string::String>,
        }

        /// The field name of errors of a canonical request body as a whole.
        pub const BODY_FIELD: &str = #body_field;

        /// The canonical error body (the canonical spec's `x-error-envelope`) for `status`: the
        /// `validation` template when `validation`, else `other`.
        pub fn problem(status: u16, validation: bool, envelope: &Envelope) -> #problem_path {
            if validation {
                #validation
            } else {
                #other
            }
        }

        /// Field name → messages, in first-seen order of the messages.
        pub fn errors_map(
            errors: &[(::std::string::String, ::std::string::String)],
        ) -> ::std::collections::BTreeMap<::std::string::String, ::std::vec::Vec<::std::string::String>> {
            let mut map = ::std::collections::BTreeMap::<::std::string::String, ::std::vec::Vec<::std::string::String>>::new();
            for (field, message) in errors {
                map.entry(::std::clone::Clone::clone(field))
                    .or_default()
                    .push(::std::clone::Clone::clone(message));
            }
            map
        }

        /// The canonical name of a dialect's error field: [`BODY_FIELD`] for the body as a whole
        /// (no field, or the dialect's `body_field`), else its entry in `fields` (dialect →
        /// canonical), else the name itself.
        pub fn canonical_field(
            field: &str,
            body_field: ::std::option::Option<&str>,
            fields: &[(&str, &str)],
        ) -> ::std::string::String {
            if field.is_empty() || body_field == ::std::option::Option::Some(field) {
                return ::std::borrow::ToOwned::to_owned(BODY_FIELD);
            }
            let canonical = fields
                .iter()
                .find(|(dialect, _)| *dialect == field)
                .map_or(field, |(_, canonical)| *canonical);
            ::std::borrow::ToOwned::to_owned(canonical)
        }

        /// The field of a `$loc` (`[location, field...]`): everything after the location,
        /// joined with `.`; empty for the body as a whole.
        pub fn loc_field(loc: &[::serde_json::Value]) -> ::std::string::String {
            loc.iter()
                .skip(1)
                .map(|part| match part {
                    ::serde_json::Value::String(text) => ::std::clone::Clone::clone(text),
                    other => ::std::string::ToString::to_string(other),
                })
                .collect::<::std::vec::Vec<_>>()
                .join(".")
        }

        /// A body that matches neither template: its text, if it is a JSON string.
        pub fn raw_envelope(body: &::serde_json::Value) -> Envelope {
            Envelope {
                message: body.as_str().map(::std::borrow::ToOwned::to_owned),
                ..::std::default::Default::default()
            }
        }

        /// The canonical error body for an adapter error: a validation error on the field for
        /// `Missing` and `Invalid` (400), else the error's status (501 for `Unsupported`, 502
        /// when the dialect's answer cannot be carried over) and message.
        pub fn error_problem(error: &crate::support::AdapterError) -> #problem_path {
            let message = ::std::string::ToString::to_string(error);
            match error {
                crate::support::AdapterError::Missing { field }
                | crate::support::AdapterError::Invalid { field, .. } => {
                    let envelope = Envelope {
                        errors: ::std::vec![(::std::borrow::ToOwned::to_owned(*field), message)],
                        ..::std::default::Default::default()
                    };
                    problem(error.status(), true, &envelope)
                }
                _ => {
                    let envelope = Envelope {
                        message: ::std::option::Option::Some(message),
                        ..::std::default::Default::default()
                    };
                    problem(error.status(), false, &envelope)
                }
            }
        }
    })
}

/// The struct literal of the canonical error type from one template of the canonical envelope,
/// in terms of `status: u16` and `envelope: &Envelope`.
fn problem_literal(
    canonical: &Api,
    rust_name: &str,
    template: &EnvelopeTemplate,
    validation: bool,
) -> Result<TokenStream, String> {
    let def = struct_of(canonical, rust_name)
        .ok_or_else(|| format!("the canonical error type {rust_name} is not an object"))?;
    let Template::Object(entries) = &template.body else {
        return Err("the canonical error templates must be JSON objects".into());
    };
    let default_message = if validation {
        quote!(::std::borrow::ToOwned::to_owned("Validation failed."))
    } else {
        quote!(::std::format!("The request failed with status {status}."))
    };
    let mut fields = Vec::new();
    for field in &def.fields {
        let name = ident(&field.rust_name);
        let entry = entries
            .iter()
            .find(|(key, _)| *key == field.name)
            .map(|(_, template)| template);
        let ty = resolved(canonical, &field.ty);
        let wrong = || {
            format!(
                "canonical {rust_name}.{}: the error template puts a value of another type here",
                field.name
            )
        };
        // (tokens, already an Option)
        let (value, is_option) = match entry {
            Some(
                Template::Literal(serde_json::Value::String(text))
                | Template::Example(serde_json::Value::String(text)),
            ) if *ty == TypeRef::String => (quote!(::std::borrow::ToOwned::to_owned(#text)), false),
            Some(
                Template::Literal(serde_json::Value::Number(number))
                | Template::Example(serde_json::Value::Number(number)),
            ) if matches!(ty, TypeRef::Integer(_)) => {
                let number = number
                    .as_i64()
                    .map(proc_macro2::Literal::i64_unsuffixed)
                    .ok_or_else(wrong)?;
                (quote!(#number), false)
            }
            Some(Template::Placeholder(Placeholder::Status)) => match ty {
                TypeRef::Integer(width) => {
                    let int = type_tokens(&TypeRef::Integer(*width));
                    (quote!(#int::from(status)), false)
                }
                _ => return Err(wrong()),
            },
            Some(Template::Placeholder(Placeholder::Message)) if *ty == TypeRef::String => {
                if field.is_optional() {
                    (quote!(envelope.message.clone()), true)
                } else {
                    (
                        quote!(envelope.message.clone().unwrap_or_else(|| #default_message)),
                        false,
                    )
                }
            }
            Some(Template::Placeholder(Placeholder::ErrorId)) if *ty == TypeRef::String => {
                if field.is_optional() {
                    (quote!(envelope.error_id.clone()), true)
                } else {
                    (quote!(envelope.error_id.clone().unwrap_or_default()), false)
                }
            }
            Some(Template::Placeholder(Placeholder::Errors)) if matches!(ty, TypeRef::Map(_)) => {
                (quote!(crate::adapters::errors_map(&envelope.errors)), false)
            }
            Some(_) => return Err(wrong()),
            None if field.is_optional() => (quote!(::std::option::Option::None), true),
            None => match (&field.default, ty) {
                (Some(serde_json::Value::String(text)), TypeRef::String) => {
                    (quote!(::std::borrow::ToOwned::to_owned(#text)), false)
                }
                _ => {
                    return Err(format!(
                        "canonical {rust_name}.{} is required but the error template gives it no value",
                        field.name
                    ));
                }
            },
        };
        let value = if field.is_optional() && !is_option {
            quote!(::std::option::Option::Some(#value))
        } else {
            value
        };
        fields.push(quote!(#name: #value));
    }
    if def.additional.is_some() {
        return Err(format!(
            "the canonical error type {rust_name} has additionalProperties: not supported"
        ));
    }
    let path = type_path(&canonical.module, &TypeRef::Named(rust_name.to_owned()));
    Ok(quote!(#path { #(#fields),* }))
}

/// What a template writes into the `Envelope` it reads.
#[derive(Default)]
struct Reads {
    message: bool,
    errors: bool,
    error_id: bool,
}

/// Compiles a template into statements that read `value` (a `&serde_json::Value`) and bind
/// `message`, `error_id`, push to `errors`; any mismatch returns `None`. Inside `$each-error`
/// they bind `field` and `message` of the item.
struct TemplateReader {
    counter: usize,
    reads: Reads,
}

impl TemplateReader {
    fn fresh(&mut self, stem: &str) -> syn::Ident {
        self.counter += 1;
        quote::format_ident!("{stem}_{}", self.counter)
    }

    fn compile(&mut self, template: &Template, value: &syn::Ident, each: bool) -> TokenStream {
        let none = quote!(return ::std::option::Option::None);
        match template {
            Template::Literal(literal) | Template::Example(literal) => {
                let check = match literal {
                    serde_json::Value::Null => quote!(is_null),
                    serde_json::Value::Bool(_) => quote!(is_boolean),
                    serde_json::Value::Number(_) => quote!(is_number),
                    serde_json::Value::String(_) => quote!(is_string),
                    serde_json::Value::Array(_) => quote!(is_array),
                    serde_json::Value::Object(_) => quote!(is_object),
                };
                quote!(if !#value.#check() { #none; })
            }
            Template::Object(entries) if entries.is_empty() => {
                quote!(if !#value.is_object() { #none; })
            }
            Template::Object(entries) => {
                let object = self.fresh("object");
                let mut statements = vec![quote!(let #object = #value.as_object()?;)];
                for (key, inner) in entries {
                    let item = self.fresh("value");
                    statements.push(quote!(let #item = #object.get(#key)?;));
                    statements.push(self.compile(inner, &item, each));
                }
                quote!(#(#statements)*)
            }
            Template::Array(items) if items.is_empty() => {
                quote!(if !#value.is_array() { #none; })
            }
            Template::Array(items) => {
                let array = self.fresh("array");
                let mut statements = vec![quote!(let #array = #value.as_array()?;)];
                for (index, inner) in items.iter().enumerate() {
                    let item = self.fresh("value");
                    let get = if index == 0 {
                        quote!(first())
                    } else {
                        let index = proc_macro2::Literal::usize_unsuffixed(index);
                        quote!(get(#index))
                    };
                    statements.push(quote!(let #item = #array.#get?;));
                    statements.push(self.compile(inner, &item, each));
                }
                quote!(#(#statements)*)
            }
            Template::Placeholder(placeholder) => match placeholder {
                Placeholder::Status => quote!(if !#value.is_number() { #none; }),
                Placeholder::Kind => quote!(if !#value.is_string() { #none; }),
                Placeholder::ErrorId if each => quote!(if !#value.is_string() { #none; }),
                Placeholder::ErrorId => {
                    self.reads.error_id = true;
                    quote! {
                        let error_id = ::std::option::Option::Some(
                            ::std::borrow::ToOwned::to_owned(#value.as_str()?),
                        );
                    }
                }
                Placeholder::Message if each => quote! {
                    let message = ::std::borrow::ToOwned::to_owned(#value.as_str()?);
                },
                Placeholder::Message => {
                    self.reads.message = true;
                    quote! {
                        let message = ::std::option::Option::Some(
                            ::std::borrow::ToOwned::to_owned(#value.as_str()?),
                        );
                    }
                }
                Placeholder::Field => quote! {
                    let field = ::std::borrow::ToOwned::to_owned(#value.as_str()?);
                },
                Placeholder::Loc => quote! {
                    let field = crate::adapters::loc_field(#value.as_array()?);
                },
                Placeholder::Errors => {
                    self.reads.errors = true;
                    quote! {
                        for (field, messages) in #value.as_object()? {
                            for message in messages.as_array()? {
                                errors.push((
                                    ::std::clone::Clone::clone(field),
                                    ::std::borrow::ToOwned::to_owned(message.as_str()?),
                                ));
                            }
                        }
                    }
                }
            },
            Template::EachError(item) => {
                self.reads.errors = true;
                let element = self.fresh("item");
                let body = self.compile(item, &element, true);
                let placeholders = item.placeholders();
                let field = placeholders
                    .iter()
                    .any(|p| matches!(p, Placeholder::Field | Placeholder::Loc));
                let message = placeholders.contains(&Placeholder::Message);
                let field_init =
                    (!field).then(|| quote!(let field = ::std::string::String::new();));
                let message_init =
                    (!message).then(|| quote!(let message = ::std::string::String::new();));
                quote! {
                    for #element in #value.as_array()? {
                        #field_init
                        #message_init
                        #body
                        errors.push((field, message));
                    }
                }
            }
        }
    }
}

/// `fn <name>(body: &Value) -> Option<Envelope>` reading `template`.
fn emit_template_reader(name: &str, doc: &str, template: &Template) -> TokenStream {
    let mut reader = TemplateReader {
        counter: 0,
        reads: Reads::default(),
    };
    let body = quote::format_ident!("body");
    let statements = reader.compile(template, &body, false);
    let name = quote::format_ident!("{name}");
    let errors_init = reader
        .reads
        .errors
        .then(|| quote!(let mut errors = ::std::vec::Vec::new();));
    let none = quote!(::std::option::Option::None);
    let message = if reader.reads.message {
        quote!(message)
    } else {
        quote!(message: #none)
    };
    let error_id = if reader.reads.error_id {
        quote!(error_id)
    } else {
        quote!(error_id: #none)
    };
    let errors = if reader.reads.errors {
        quote!(errors)
    } else {
        quote!(errors: ::std::vec::Vec::new())
    };
    quote! {
        #[doc = #doc]
        fn #name(body: &::serde_json::Value) -> ::std::option::Option<crate::adapters::Envelope> {
            #errors_init
            #statements
            ::std::option::Option::Some(crate::adapters::Envelope {
                #message,
                #errors,
                #error_id,
            })
        }
    }
}

/// The dialect module's `problem`: an error body of the dialect as the canonical one.
fn emit_dialect_problem(
    canonical: &Api,
    dialect: &Api,
    mapping: &DialectMapping,
) -> Result<TokenStream, String> {
    let envelope = envelope_of(dialect);
    let c_envelope = envelope_of(canonical);
    let mut statuses = vec![envelope.validation_status()];
    if let Some(status) = envelope.body_error_status
        && !statuses.contains(&status)
    {
        statuses.push(status);
    }
    let statuses: Vec<_> = statuses
        .into_iter()
        .map(proc_macro2::Literal::u16_unsuffixed)
        .collect();
    let canonical_validation = proc_macro2::Literal::u16_unsuffixed(c_envelope.validation_status());
    let body_field = match &envelope.validation.body_field {
        Some(field) => quote!(::std::option::Option::Some(#field)),
        None => quote!(::std::option::Option::None),
    };
    let validation = emit_template_reader(
        "validation",
        " Reads an error body through the `validation` template of the dialect's `x-error-envelope`.",
        &envelope.validation.body,
    );
    let other = emit_template_reader(
        "other",
        " Reads an error body through the `other` template of the dialect's `x-error-envelope`.",
        &envelope.other.body,
    );
    // Canonical error fields the canonical templates leave empty, filled from where the
    // mapping puts them in the dialect's templates (cl2c: `instance` ← `$error-id`).
    let c_schema = c_envelope
        .other
        .schema
        .strip_prefix(SCHEMAS)
        .unwrap_or_default();
    let c_def = canonical.component(c_schema);
    let c_struct = c_def.and_then(|def| struct_of(canonical, &def.rust_name));
    let filled = |template: &Template, name: &str| match template {
        Template::Object(entries) => entries.iter().any(|(key, _)| key == name),
        _ => false,
    };
    let mut extras = Vec::new();
    let mut done = BTreeSet::new();
    for link in mapping.fields.iter().filter(|link| link.schema == c_schema) {
        let segments = pointer::segments(&link.pointer);
        let [name] = segments.as_slice() else {
            continue;
        };
        if filled(&c_envelope.validation.body, name)
            || filled(&c_envelope.other.body, name)
            || done.contains(name)
        {
            continue;
        }
        let Some(field) = c_struct.and_then(|def| def.fields.iter().find(|f| f.name == *name))
        else {
            continue;
        };
        if *resolved(canonical, &field.ty) != TypeRef::String {
            continue;
        }
        let from_error_id = link.dialect.iter().any(|address| {
            [&envelope.validation, &envelope.other]
                .iter()
                .any(|template| {
                    template.schema.strip_prefix(SCHEMAS) == Some(address.schema.as_str())
                        && template_at(&template.body, &pointer::segments(&address.pointer))
                            == Some(&Template::Placeholder(Placeholder::ErrorId))
                })
        });
        if from_error_id {
            let rust = ident(&field.rust_name);
            let value = if field.is_optional() {
                quote!(envelope.error_id.clone())
            } else {
                quote!(envelope.error_id.clone().unwrap_or_default())
            };
            extras.push(quote!(problem.#rust = #value;));
            done.insert(name.clone());
        }
    }
    let problem_type = c_def
        .map(|def| type_path(&canonical.module, &TypeRef::Named(def.rust_name.clone())))
        .ok_or("the canonical API's error envelope names no type")?;
    let finish = if extras.is_empty() {
        quote!(crate::adapters::problem(status, validation, &envelope))
    } else {
        quote! {
            let mut problem = crate::adapters::problem(status, validation, &envelope);
            #(#extras)*
            problem
        }
    };
    let dialect_name = &dialect.module;
    let doc = format!(
        " The canonical error body for an error answer of {dialect_name}: `body` read through its \
         `x-error-envelope` (the `validation` template at a validation status, else `other`)."
    );
    let (taken, conflict, conflict_doc) = match emit_conflict(canonical, dialect) {
        Some((taken, conflict)) => (
            taken,
            conflict,
            quote! {
                ///
                /// A validation error whose every message says a unique value is taken
                /// ([`TAKEN`]) is the canonical 409 Conflict instead, its message the detail.
            },
        ),
        None => (quote!(), quote!(), quote!()),
    };
    Ok(quote! {
        #taken

        #[doc = #doc]
        ///
        /// A validation error answers the canonical validation status, with `errors` keyed by
        /// canonical field names: `fields` maps the operation's dialect field names onto them
        /// (an unlisted name is kept), errors of the body as a whole go to
        /// [`crate::adapters::BODY_FIELD`]. A body that matches neither template keeps its
        /// status, with its text as the detail when it is a JSON string.
        #conflict_doc
        pub fn problem(
            status: u16,
            body: &::serde_json::Value,
            fields: &[(&str, &str)],
        ) -> #problem_type {
            let read = if matches!(status, #(#statuses)|*) {
                validation(body).map(|envelope| (envelope, true))
            } else {
                ::std::option::Option::None
            };
            let (envelope, validation) = read
                .or_else(|| other(body).map(|envelope| (envelope, false)))
                .unwrap_or_else(|| (crate::adapters::raw_envelope(body), false));
            #conflict
            let errors = envelope
                .errors
                .iter()
                .map(|(field, message)| {
                    (
                        crate::adapters::canonical_field(field, #body_field, fields),
                        ::std::clone::Clone::clone(message),
                    )
                })
                .collect();
            let envelope = crate::adapters::Envelope { errors, ..envelope };
            let status = if validation { #canonical_validation } else { status };
            #finish
        }

        #validation

        #other
    })
}

/// A unique value another user holds is a validation error in a dialect (DRF's 400 "A user
/// with that username already exists.") but a 409 Conflict in the canonical API, whose
/// `x-unique` fields promise it. For a dialect with `x-unique` fields whose taken message it
/// documents (`x-messages.unique`): the `TAKEN` table of (field, message) and the statement of
/// `problem` that turns a validation error made only of those into the conflict. `None` when
/// either API has no unique field, so that other dialects' code is unchanged.
fn emit_conflict(canonical: &Api, dialect: &Api) -> Option<(TokenStream, TokenStream)> {
    let fields = |api: &Api| -> Vec<Field> {
        api.types
            .iter()
            .filter_map(|def| match &def.kind {
                TypeKind::Struct(def) => Some(def.fields.iter().filter(|field| field.unique)),
                _ => None,
            })
            .flatten()
            .cloned()
            .collect()
    };
    if fields(canonical).is_empty() {
        return None;
    }
    let taken: BTreeSet<(String, String)> = fields(dialect)
        .into_iter()
        .filter_map(|field| {
            let message = field.messages.get(&Constraint::Unique)?.clone();
            Some((field.name, message))
        })
        .collect();
    if taken.is_empty() {
        return None;
    }
    let entries = taken
        .iter()
        .map(|(field, message)| quote!((#field, #message)));
    let table = quote! {
        /// The dialect's field errors that say a unique value (`x-unique`) is taken, as
        /// (field, message) from its `x-messages`: the canonical API answers them with a 409.
        const TAKEN: &[(&str, &str)] = &[#(#entries),*];
    };
    let statement = quote! {
        let (envelope, validation, status) = if validation
            && !envelope.errors.is_empty()
            && envelope.errors.iter().all(|(field, message)| {
                TAKEN.iter().any(|(taken, text)| field == taken && message == text)
            })
        {
            let message = envelope
                .errors
                .first()
                .map(|(_, message)| ::std::clone::Clone::clone(message));
            let envelope = crate::adapters::Envelope {
                message,
                errors: ::std::vec::Vec::new(),
                ..envelope
            };
            (envelope, false, 409)
        } else {
            (envelope, validation, status)
        };
    };
    Some((table, statement))
}

/// The node of `template` at `segments`.
fn template_at<'a>(template: &'a Template, segments: &[String]) -> Option<&'a Template> {
    let Some((first, rest)) = segments.split_first() else {
        return Some(template);
    };
    match template {
        Template::Object(entries) => entries
            .iter()
            .find(|(key, _)| key == first)
            .and_then(|(_, inner)| template_at(inner, rest)),
        Template::Array(items) => first
            .parse::<usize>()
            .ok()
            .and_then(|index| items.get(index))
            .and_then(|inner| template_at(inner, rest)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// The operation adapter: canonical requests in, the dialect's client called, canonical answers out.
// ---------------------------------------------------------------------------------------------

/// The canonical error type and the rust names of its `$status` and `$message` fields.
struct ProblemFields {
    status: syn::Ident,
    detail: Option<syn::Ident>,
}

fn problem_fields(canonical: &Api) -> Option<ProblemFields> {
    let envelope = canonical.error_envelope.as_ref()?;
    let schema = envelope.other.schema.strip_prefix(SCHEMAS)?;
    let def = struct_of(canonical, &canonical.component(schema)?.rust_name)?;
    let Template::Object(entries) = &envelope.other.body else {
        return None;
    };
    let field_for = |placeholder: Placeholder| {
        entries
            .iter()
            .find(|(_, template)| *template == Template::Placeholder(placeholder))
            .and_then(|(key, _)| def.fields.iter().find(|field| field.name == *key))
    };
    let status = field_for(Placeholder::Status)
        .filter(|field| !field.is_optional())
        .map(|field| ident(&field.rust_name))?;
    let detail = field_for(Placeholder::Message)
        .filter(|field| !field.is_optional() && *resolved(canonical, &field.ty) == TypeRef::String)
        .map(|field| ident(&field.rust_name));
    Some(ProblemFields { status, detail })
}

/// The name of the `mod.rs` function that answers canonical operation `operation` with an
/// error.
fn error_fn(operation: &Operation) -> syn::Ident {
    quote::format_ident!("{}_error", operation.rust_name.trim_start_matches("r#"))
}

/// Per canonical operation, `<operation>_error(problem) -> Result<Response, AdapterError>`:
/// the response variant of the problem's status.
fn emit_error_answers(canonical: &Api) -> Option<TokenStream> {
    let fields = problem_fields(canonical)?;
    let envelope = canonical.error_envelope.as_ref()?;
    let schema = envelope.other.schema.strip_prefix(SCHEMAS)?;
    let problem_name = canonical.component(schema)?.rust_name.clone();
    let problem_type = TypeRef::Named(problem_name);
    let problem_path = type_path(&canonical.module, &problem_type);
    let module = ident(&canonical.module);
    let status = &fields.status;
    let upstream_message = match &fields.detail {
        Some(detail) => quote!(problem.#detail),
        None => quote!(::std::string::String::new()),
    };
    let functions = canonical.operations.iter().map(|operation| {
        let name = error_fn(operation);
        let response = response_name(operation);
        let response_path = quote!(crate::#module::operations::#response);
        let mut arms = Vec::new();
        let variants = response_variants(operation);
        let problem_variants = variants.iter().filter(|variant| {
            !variant.response.status.is_success() && variant.body == Some(&problem_type)
        });
        let mut catch_all = None;
        for variant in problem_variants {
            let variant_name = &variant.name;
            match variant.response.status {
                StatusSpec::Code(code) => {
                    let code = proc_macro2::Literal::i64_unsuffixed(i64::from(code));
                    arms.push(quote! {
                        #code => ::std::result::Result::Ok(#response_path::#variant_name(problem)),
                    });
                }
                StatusSpec::Range(hundreds) => {
                    let low = proc_macro2::Literal::i64_unsuffixed(i64::from(hundreds) * 100);
                    let high = proc_macro2::Literal::i64_unsuffixed(i64::from(hundreds) * 100 + 99);
                    arms.push(quote! {
                        #low..=#high => ::std::result::Result::Ok(#response_path::#variant_name {
                            status: u16::try_from(problem.#status).unwrap_or_default(),
                            body: problem,
                        }),
                    });
                }
                StatusSpec::Default => {
                    catch_all.get_or_insert(quote! {
                        _ => ::std::result::Result::Ok(#response_path::#variant_name {
                            status: u16::try_from(problem.#status).unwrap_or(500),
                            body: problem,
                        }),
                    });
                }
            }
        }
        let upstream = quote! {
            ::std::result::Result::Err(crate::support::AdapterError::Upstream {
                status: u16::try_from(problem.#status).unwrap_or(502),
                message: #upstream_message,
            })
        };
        let body = if arms.is_empty() && catch_all.is_none() {
            upstream
        } else {
            let catch_all = catch_all.unwrap_or_else(|| quote!(_ => #upstream,));
            quote! {
                match problem.#status {
                    #(#arms)*
                    #catch_all
                }
            }
        };
        let doc = format!(
            " The canonical answer of `{}` with an error: the response variant of `problem`'s \
             status, else `AdapterError::Upstream`.",
            operation.id
        );
        quote! {
            #[doc = #doc]
            pub fn #name(
                problem: #problem_path,
            ) -> ::std::result::Result<#response_path, crate::support::AdapterError> {
                #body
            }
        }
    });
    Some(quote!(#(#functions)*))
}

impl Adapters<'_> {
    /// `Adapter`: the canonical operations over the dialect's client.
    fn emit_adapter(&self, mapping: &DialectMapping) -> Result<TokenStream, String> {
        let d_module = ident(&self.dialect.module);
        let c_module = ident(&self.canonical.module);
        let dialect_name = &self.dialect.module;
        let mut methods = Vec::new();
        let mut supported = Vec::new();
        for operation in &self.canonical.operations {
            let link = mapping
                .operations
                .iter()
                .find(|link| link.canonical == operation.id)
                .map(|link| &link.mapping);
            match link {
                Some(OperationMapping::Supported {
                    operation: target,
                    parameters,
                    request,
                    response,
                }) => {
                    let d_op = self
                        .dialect
                        .operations
                        .iter()
                        .find(|op| op.id == *target)
                        .ok_or_else(|| {
                            format!(
                                "{dialect_name} has no operation {target} (mapped from {})",
                                operation.id
                            )
                        })?;
                    methods.push(
                        self.emit_supported(
                            operation,
                            d_op,
                            parameters,
                            request.as_deref(),
                            response.as_deref(),
                        )
                        .map_err(|message| {
                            format!("{} → {dialect_name} {target}: {message}", operation.id)
                        })?,
                    );
                    supported.push(format!("`{}` (`{}`)", operation.id, d_op.id));
                }
                Some(OperationMapping::Unsupported { reason }) => {
                    methods.push(self.emit_unsupported(operation, reason));
                }
                None => {
                    let reason = format!(
                        "the canonical spec maps no {dialect_name} operation onto {}.",
                        operation.id
                    );
                    methods.push(self.emit_unsupported(operation, &reason));
                }
            }
        }
        // Credentials: canonical scheme → dialect scheme, by Rust field name.
        let scheme = |api: &Api, name: &str| {
            api.security_schemes
                .iter()
                .find(|scheme| scheme.name == name)
                .map(|scheme| ident(&scheme.rust_name))
        };
        let mut mapped = Vec::new();
        for (c_scheme, d_scheme) in &mapping.credentials {
            let c_field = scheme(self.canonical, c_scheme)
                .ok_or_else(|| format!("the canonical API has no security scheme {c_scheme}"))?;
            let d_field = scheme(self.dialect, d_scheme)
                .ok_or_else(|| format!("{dialect_name} has no security scheme {d_scheme}"))?;
            mapped.push((d_scheme.clone(), d_field, c_field));
        }
        let dialect_only: Vec<String> = self
            .dialect
            .security_schemes
            .iter()
            .filter(|scheme| !mapped.iter().any(|(name, _, _)| *name == scheme.name))
            .map(|scheme| format!("`{}`", scheme.rust_name.trim_start_matches("r#")))
            .collect();
        let assignments = mapped.iter().map(|(_, d_field, c_field)| {
            quote!(credentials.#d_field = ::std::clone::Clone::clone(&canonical.#c_field);)
        });
        let credentials_body = if mapped.is_empty() {
            quote!(::std::clone::Clone::clone(&self.credentials))
        } else {
            quote! {
                let mut credentials = ::std::clone::Clone::clone(&self.credentials);
                #(#assignments)*
                credentials
            }
        };
        let canonical_param = if mapped.is_empty() {
            quote!(_canonical)
        } else {
            quote!(canonical)
        };
        let credentials_fn = (!supported.is_empty()).then(|| {
            quote! {
                /// The dialect credentials of a canonical request: each canonical scheme's value
                /// in the dialect scheme it maps onto, the dialect-only ones from [`Adapter::new`].
                fn credentials(
                    &self,
                    #canonical_param: &crate::#c_module::operations::Credentials,
                ) -> crate::#d_module::operations::Credentials {
                    #credentials_body
                }
            }
        });
        let title = format!(
            " The canonical API over a {dialect_name} server: one method per canonical operation, \
             taking the canonical request and answering the canonical response."
        );
        let supported_doc = if supported.is_empty() {
            " No canonical operation is supported: every method answers `AdapterError::Unsupported`.".to_owned()
        } else {
            format!(
                " Supported: {}. Every other method answers `AdapterError::Unsupported` \
                 (501 Not Implemented, see `crate::adapters::error_problem`).",
                supported.join(", ")
            )
        };
        let only_doc = if dialect_only.is_empty() {
            " `credentials` holds nothing the canonical request does not give: pass the default."
                .to_owned()
        } else {
            format!(
                " `credentials` holds the dialect-only credentials ({}), sent on every call; the \
                 others come from each canonical request.",
                dialect_only.join(", ")
            )
        };
        Ok(quote! {
            #[doc = #title]
            ///
            /// Each method converts the request (parameters, credentials, body) as the canonical
            /// spec's `x-mapping` says, calls the dialect's client and converts its answer: the
            /// success body at the mapped pointer becomes the canonical success type, every
            /// error body is read through the dialect's `x-error-envelope` into the canonical
            /// `Problem` of the same status (a validation error: the canonical validation status).
            /// A request that cannot be carried over, a failed call or an answer that cannot be
            /// converted is an `Err` (see `AdapterError::status`).
            ///
            #[doc = #supported_doc]
            #[cfg(feature = "client")]
            #[derive(::std::fmt::Debug, ::std::clone::Clone)]
            pub struct Adapter {
                client: crate::#d_module::client::Client,
                credentials: crate::#d_module::operations::Credentials,
            }

            #[cfg(feature = "client")]
            impl Adapter {
                /// An adapter over `client`.
                ///
                #[doc = #only_doc]
                pub fn new(
                    client: crate::#d_module::client::Client,
                    credentials: crate::#d_module::operations::Credentials,
                ) -> Self {
                    Self { client, credentials }
                }

                /// The dialect's client.
                pub fn client(&self) -> &crate::#d_module::client::Client {
                    &self.client
                }

                #credentials_fn

                #(#methods)*
            }
        })
    }

    fn emit_unsupported(&self, operation: &Operation, reason: &str) -> TokenStream {
        let (name, request, response) = self.canonical_signature(operation);
        let doc = format!(
            " Canonical `{}`: not supported by {}. {reason} Always `AdapterError::Unsupported`, \
             a 501 Not Implemented problem through `crate::adapters::error_problem`.",
            operation.id, self.dialect.module
        );
        let id = &operation.id;
        quote! {
            #[doc = #doc]
            pub async fn #name(
                &self,
                _request: &#request,
            ) -> ::std::result::Result<#response, crate::support::AdapterError> {
                ::std::result::Result::Err(crate::support::AdapterError::Unsupported {
                    operation: #id,
                    reason: #reason,
                })
            }
        }
    }

    /// The method name and the canonical request and response types of `operation`.
    fn canonical_signature(&self, operation: &Operation) -> (syn::Ident, TokenStream, TokenStream) {
        let module = ident(&self.canonical.module);
        let request = request_name(operation);
        let response = response_name(operation);
        (
            ident(&operation.rust_name),
            quote!(crate::#module::operations::#request),
            quote!(crate::#module::operations::#response),
        )
    }

    fn emit_supported(
        &self,
        c_op: &Operation,
        d_op: &Operation,
        parameters: &BTreeMap<String, String>,
        request_schema: Option<&str>,
        response_pointer: Option<&str>,
    ) -> Result<TokenStream, String> {
        let (name, request_type, response_type) = self.canonical_signature(c_op);
        let c_module = ident(&self.canonical.module);
        let d_module = ident(&self.dialect.module);
        let d_name = &self.dialect.module;
        let c_fields = request_fields(c_op);
        let d_fields = request_fields(d_op);
        let error_answer = error_fn(c_op);
        let has_problems = problem_fields(self.canonical).is_some();
        let not_found = has_problems
            && response_variants(c_op).iter().any(|variant| {
                variant.response.status == StatusSpec::Code(404) && variant.body.is_some()
            });

        let mut statements = Vec::new();
        let mut outcome = Outcome::default();
        let mut notes = Vec::new();
        // Dialect field → canonical field, for the errors of the answer.
        let mut renames: Vec<(String, String)> = Vec::new();
        let mut rename = |dialect: &str, canonical: &str| {
            if dialect != canonical && !renames.iter().any(|(known, _)| known == dialect) {
                renames.push((dialect.to_owned(), canonical.to_owned()));
            }
        };

        // 1. Parameters.
        let mut d_values: BTreeMap<String, TokenStream> = BTreeMap::new();
        let mut body_extra: Vec<Assignment> = Vec::new();
        let request_rust = match request_schema {
            Some(schema) => Some(
                self.dialect
                    .component(schema)
                    .ok_or_else(|| format!("{d_name} has no schema {schema}"))?
                    .rust_name
                    .clone(),
            ),
            None => None,
        };
        for (index, (c_name, target)) in parameters.iter().enumerate() {
            let (c_ident, c_param) = c_fields
                .parameters
                .iter()
                .find(|(_, parameter)| parameter.name == *c_name)
                .ok_or_else(|| format!("the canonical operation has no parameter {c_name}"))?;
            if target == "$caller" {
                notes.push(format!(
                    " `{c_name}` is not sent: {d_name} acts on the caller, so it must be the caller's own."
                ));
                continue;
            }
            let source = if c_param.required {
                Access::Sure(quote!(request.#c_ident))
            } else {
                Access::MaybeField(quote!(request.#c_ident))
            };
            let from = (&c_param.ty, c_param.constraints.format.as_deref());
            if let Some((schema, pointer_text)) = target.split_once('#') {
                let root = request_rust
                    .as_deref()
                    .filter(|root| label_of(self.dialect, root) == schema)
                    .ok_or_else(|| {
                        format!("parameter {c_name} maps onto {target}, which is not the request body {request_schema:?}")
                    })?;
                let segments = pointer::segments(pointer_text);
                let (ty, field) = type_at(self.dialect, root, &segments)?;
                let conv = self.conv(
                    Direction::FromCanonical,
                    from,
                    (resolved(self.dialect, &ty), format_of(field)),
                    c_name,
                )?;
                let value = apply(&conv, source, &mut outcome);
                if let Some(first) = segments.first() {
                    rename(first, c_name);
                }
                body_extra.push(Assignment {
                    target: segments,
                    value,
                    label: c_name.clone(),
                });
                continue;
            }
            let (_, d_param) = d_fields
                .parameters
                .iter()
                .find(|(_, parameter)| parameter.name == *target)
                .ok_or_else(|| format!("{d_name} has no parameter {target}"))?;
            rename(target, c_name);
            let conv = self.conv(
                Direction::FromCanonical,
                from,
                (
                    resolved(self.dialect, &d_param.ty),
                    d_param.constraints.format.as_deref(),
                ),
                c_name,
            )?;
            let binding = quote::format_ident!("parameter_{}", index + 1);
            let value = match source {
                // A path id the dialect cannot represent names no resource: 404.
                Access::Sure(place)
                    if conv.fallible
                        && not_found
                        && c_param.location == crate::model::ParameterLocation::Path =>
                {
                    let converted = convert_place(&conv, &place);
                    statements.push(quote! {
                        let #binding = match #converted {
                            ::std::result::Result::Ok(value) => value,
                            ::std::result::Result::Err(error) => {
                                let envelope = crate::adapters::Envelope {
                                    message: ::std::option::Option::Some(::std::string::ToString::to_string(&error)),
                                    ..::std::default::Default::default()
                                };
                                return crate::adapters::#error_answer(crate::adapters::problem(404, false, &envelope));
                            }
                        };
                    });
                    Value {
                        tokens: quote!(#binding),
                        maybe: false,
                    }
                }
                source => {
                    let value = apply(&conv, source, &mut outcome);
                    let tokens = &value.tokens;
                    statements.push(quote!(let #binding = #tokens;));
                    Value {
                        tokens: quote!(#binding),
                        maybe: value.maybe,
                    }
                }
            };
            let tokens = &value.tokens;
            let tokens = match (d_param.required, value.maybe) {
                (true, false) | (false, true) => tokens.clone(),
                (false, false) => quote!(::std::option::Option::Some(#tokens)),
                (true, true) => quote! {
                    #tokens.ok_or(crate::support::AdapterError::Missing { field: #c_name })?
                },
            };
            d_values.insert(target.clone(), tokens);
        }
        let mut d_parameters = Vec::new();
        for (d_ident, d_param) in &d_fields.parameters {
            let value = match d_values.remove(&d_param.name) {
                Some(value) => value,
                None if !d_param.required => quote!(::std::option::Option::None),
                None => {
                    return Err(format!(
                        "the required parameter {} has no canonical source",
                        d_param.name
                    ));
                }
            };
            d_parameters.push(quote!(#d_ident: #value));
        }

        // 2. The body.
        let d_body = match (&d_op.body, &request_rust) {
            (Some(body), Some(t_name)) => {
                let c_body = c_op
                    .body
                    .as_ref()
                    .ok_or("the canonical operation has no body")?;
                let c_body_field = c_fields
                    .body
                    .as_ref()
                    .ok_or("the canonical operation has no body")?;
                let c_variants = body_variants(c_body);
                let s_name = match c_variants.first().map(|(_, content)| &content.ty) {
                    Some(TypeRef::Named(name)) if struct_of(self.canonical, name).is_some() => {
                        name.clone()
                    }
                    _ => return Err("the canonical body is not an object".into()),
                };
                let c_body_enum = body_name(c_op);
                let same: Vec<&syn::Ident> = c_variants
                    .iter()
                    .filter(|(_, content)| content.ty == TypeRef::Named(s_name.clone()))
                    .map(|(variant, _)| variant)
                    .collect();
                let source = if c_body.required {
                    quote!(&request.#c_body_field)
                } else {
                    quote! {
                        request.#c_body_field.as_ref().ok_or(crate::support::AdapterError::Missing { field: "body" })?
                    }
                };
                if same.len() == 1 && c_variants.len() == 1 {
                    let variant = same[0];
                    statements.push(quote! {
                        let crate::#c_module::operations::#c_body_enum::#variant(body) = #source;
                    });
                } else if same.len() == c_variants.len() {
                    statements.push(quote! {
                        let (#(crate::#c_module::operations::#c_body_enum::#same(body))|*) = #source;
                    });
                } else {
                    statements.push(quote! {
                        let body = match #source {
                            #(crate::#c_module::operations::#c_body_enum::#same(body) => body,)*
                            other => {
                                return ::std::result::Result::Err(crate::support::AdapterError::Invalid {
                                    field: "body",
                                    value: ::std::borrow::ToOwned::to_owned(other.media_type()),
                                    reason: ::std::borrow::ToOwned::to_owned("a media type the dialect cannot take"),
                                });
                            }
                        };
                    });
                }
                let mut assignments = match self
                    .pairs
                    .iter()
                    .position(|pair| pair.canonical == s_name && pair.dialect == *t_name)
                {
                    Some(index) => {
                        for link in &self.pairs[index].links {
                            if let (Some(d), Some(c)) =
                                (link.dialect.first(), link.canonical.first())
                            {
                                rename(d, c);
                            }
                        }
                        self.assignments(
                            index,
                            Direction::FromCanonical,
                            quote!(body),
                            &mut outcome,
                        )?
                    }
                    None => Vec::new(),
                };
                assignments.extend(body_extra);
                let t_label = label_of(self.dialect, t_name);
                let missing = |at: &[String]| format!("{t_label}#{}", pointer::from_segments(at));
                let literal = build_struct(
                    self.dialect,
                    t_name,
                    &assignments,
                    &[],
                    &missing,
                    &mut outcome,
                )?;
                if let Some(field) = outcome.always_missing.take() {
                    return Err(format!("its request body always misses {field}"));
                }
                statements.push(quote!(let body = #literal;));
                let d_variants = body_variants(body);
                let (d_variant, _) = d_variants
                    .iter()
                    .filter(|(_, content)| content.ty == TypeRef::Named(t_name.clone()))
                    .min_by_key(|(_, content)| content.kind != MediaKind::Json)
                    .ok_or_else(|| format!("{d_name} {} takes no {t_label} body", d_op.id))?;
                let d_body_enum = body_name(d_op);
                let variant = quote!(crate::#d_module::operations::#d_body_enum::#d_variant(body));
                let field = d_fields.body.as_ref().ok_or("no body field")?;
                Some(if body.required {
                    quote!(#field: #variant)
                } else {
                    quote!(#field: ::std::option::Option::Some(#variant))
                })
            }
            (Some(body), None) if !body.required => {
                let field = d_fields.body.as_ref().ok_or("no body field")?;
                Some(quote!(#field: ::std::option::Option::None))
            }
            (Some(_), None) => {
                return Err(
                    "the dialect operation requires a body and the mapping names none".into(),
                );
            }
            (None, Some(_)) => {
                return Err(
                    "the mapping names a request body but the dialect operation takes none".into(),
                );
            }
            (None, None) => None,
        };

        // 3. The call.
        let d_request = request_name(d_op);
        let credentials = &d_fields.credentials;
        let method = ident(&d_op.rust_name);
        let d_body = d_body.into_iter();
        statements.push(quote! {
            let dialect = crate::#d_module::operations::#d_request {
                #credentials: self.credentials(&request.credentials),
                #(#d_parameters,)*
                #(#d_body,)*
            };
            let response = self.client.#method(&dialect).await?;
        });

        // 4. The answer.
        let c_success = response_variants(c_op)
            .into_iter()
            .find(|variant| variant.response.status.is_success())
            .ok_or("the canonical operation documents no success")?;
        let d_response = response_name(d_op);
        let fields_table = renames.iter().map(|(d, c)| quote!((#d, #c)));
        let fields_table = quote!(&[#(#fields_table),*]);
        let mut arms = Vec::new();
        for variant in response_variants(d_op) {
            let variant_name = &variant.name;
            let path = quote!(crate::#d_module::operations::#d_response::#variant_name);
            let status = match variant.response.status {
                StatusSpec::Code(code) => {
                    let code = proc_macro2::Literal::u16_unsuffixed(code);
                    quote!(#code)
                }
                _ => quote!(status),
            };
            if variant.response.status.is_success() {
                let (value, uses_body) =
                    self.success_value(&c_success, &variant, response_pointer, &status)?;
                let pattern = match (variant.carries_status, variant.body.is_some(), uses_body) {
                    (false, true, true) => quote!(#path(body)),
                    (false, true, false) => quote!(#path(_)),
                    (false, false, _) => quote!(#path),
                    (true, _, true) => quote!(#path { status, body }),
                    (true, _, false) => quote!(#path { status, .. }),
                };
                let c_variant = &c_success.name;
                let c_path = {
                    let response_type_name = response_name(c_op);
                    quote!(crate::#c_module::operations::#response_type_name::#c_variant)
                };
                let answer = match (c_success.carries_status, value) {
                    (false, Some(value)) => quote!(#c_path(#value)),
                    (false, None) => quote!(#c_path),
                    (true, Some(value)) => quote!(#c_path { status: #status, body: #value }),
                    (true, None) => quote!(#c_path { status: #status }),
                };
                // A carried status that the answer does not use is not bound.
                let pattern = if variant.carries_status && !mentions(&answer, "status") {
                    if uses_body {
                        quote!(#path { body, .. })
                    } else {
                        quote!(#path { .. })
                    }
                } else {
                    pattern
                };
                arms.push(quote!(#pattern => ::std::result::Result::Ok(#answer),));
            } else {
                let (pattern, value) = match (variant.carries_status, variant.body.is_some()) {
                    (false, true) => (
                        quote!(#path(body)),
                        quote!(::serde_json::to_value(&body).unwrap_or_default()),
                    ),
                    (false, false) => (quote!(#path), quote!(::serde_json::Value::Null)),
                    (true, true) => (
                        quote!(#path { status, body }),
                        quote!(::serde_json::to_value(&body).unwrap_or_default()),
                    ),
                    (true, false) => (quote!(#path { status }), quote!(::serde_json::Value::Null)),
                };
                let answer = if has_problems {
                    quote! {
                        crate::adapters::#error_answer(crate::adapters::#d_module::problem(#status, &#value, #fields_table))
                    }
                } else {
                    quote! {
                        ::std::result::Result::Err(crate::support::AdapterError::Upstream {
                            status: #status,
                            message: ::std::string::ToString::to_string(&#value),
                        })
                    }
                };
                arms.push(quote!(#pattern => #answer,));
            }
        }
        statements.push(quote! {
            match response {
                #(#arms)*
            }
        });

        let doc = format!(" Canonical `{}` through {d_name} `{}`.", c_op.id, d_op.id);
        let notes = notes.iter().map(|note| quote!(#[doc = #note]));
        Ok(quote! {
            #[doc = #doc]
            #(
                #[doc = ""]
                #notes
            )*
            pub async fn #name(
                &self,
                request: &#request_type,
            ) -> ::std::result::Result<#response_type, crate::support::AdapterError> {
                #(#statements)*
            }
        })
    }

    /// The canonical success body made of a dialect success variant (`None`: the canonical
    /// success has no body), and whether it reads the dialect's body.
    fn success_value(
        &self,
        c_success: &ResponseVariant<'_>,
        variant: &ResponseVariant<'_>,
        pointer_text: Option<&str>,
        status: &TokenStream,
    ) -> Result<(Option<TokenStream>, bool), String> {
        let Some(TypeRef::Named(cs)) = c_success.body else {
            return match c_success.body {
                None => Ok((None, false)),
                Some(_) => Err("the canonical success body is not a named type".into()),
            };
        };
        let cs_path = type_path(&self.canonical.module, &TypeRef::Named(cs.clone()));
        let default = || -> Result<(Option<TokenStream>, bool), String> {
            match struct_of(self.canonical, cs) {
                Some(def) if derives_default(def) => Ok((
                    Some(quote!(<#cs_path as ::std::default::Default>::default())),
                    false,
                )),
                _ => Err(format!(
                    "the dialect's success answer holds no {cs}, and {cs} has no empty value"
                )),
            }
        };
        let Some(TypeRef::Named(body_type)) = variant.body.map(|ty| resolved(self.dialect, ty))
        else {
            return default();
        };
        let segments = pointer::segments(pointer_text.unwrap_or_default());
        if struct_of(self.dialect, body_type).is_none() && !segments.is_empty() {
            return default();
        }
        let read = if segments.is_empty() {
            Read {
                access: Access::Sure(quote!(body)),
                ty: TypeRef::Named(body_type.clone()),
                field: None,
            }
        } else {
            read(self.dialect, body_type, quote!(body), &segments)?
        };
        let TypeRef::Named(leaf) = &read.ty else {
            return default();
        };
        let Some(index) = self
            .pairs
            .iter()
            .position(|pair| pair.canonical == *cs && pair.dialect == *leaf)
        else {
            return default();
        };
        let missing = format!(
            "the answer has no {}",
            pointer_text
                .filter(|text| !text.is_empty())
                .unwrap_or("body")
        );
        let reference = match read.access {
            Access::Sure(place) => quote!(&#place),
            Access::MaybeField(place) => quote! {
                #place.as_ref().ok_or_else(|| crate::support::AdapterError::Upstream {
                    status: #status,
                    message: ::std::borrow::ToOwned::to_owned(#missing),
                })?
            },
            Access::Maybe(e) => quote! {
                #e.ok_or_else(|| crate::support::AdapterError::Upstream {
                    status: #status,
                    message: ::std::borrow::ToOwned::to_owned(#missing),
                })?
            },
        };
        let leaf_path = type_path(&self.dialect.module, &read.ty);
        let value = if self.to_canonical_fallible(index)? {
            quote! {
                <#cs_path as ::std::convert::TryFrom<&#leaf_path>>::try_from(#reference).map_err(|error| {
                    crate::support::AdapterError::Upstream {
                        status: #status,
                        message: ::std::string::ToString::to_string(&error),
                    }
                })?
            }
        } else {
            quote!(<#cs_path as ::std::convert::From<&#leaf_path>>::from(#reference))
        };
        Ok((Some(value), true))
    }
}

/// Whether `tokens` hold the identifier `name` anywhere.
fn mentions(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|token| match token {
        proc_macro2::TokenTree::Ident(ident) => ident == name,
        proc_macro2::TokenTree::Group(group) => mentions(&group.stream(), name),
        _ => false,
    })
}

#[cfg(test)]
pub(crate) mod tests;
