//! The HTTP client of one API (`src/<module>/client.rs`, behind the generated crate's `client`
//! feature) and the runtime it shares with every other API's client (in `crate::support`).
//!
//! One `Client` per API module and one `async fn` per [`Operation`]: it takes the operation's
//! `…Request` (from the module's `operations.rs`, named by [`operations`]'s helpers, the one
//! place those names are decided) by reference and answers its `…Response`,
//! the variant chosen by the status (the exact code, then a range such as `2XX`, then
//! `default`). Everything the generated methods do at run time (URLs, parameters,
//! credentials, bodies, decoding) is plain code in `crate::support::client`; each method only
//! says, in the model's order, what to put where.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{ident, operations};
use crate::model::{
    Api, BodyContent, MediaKind, Method, Operation, Parameter, ParameterLocation, RequestBody,
    SchemeKind, SecurityScheme, StatusSpec, StructDef, TypeKind, TypeRef,
};
use crate::spec::pointer;

/// Inherent methods of every generated `Client`: no operation may take their names.
const RESERVED: &[&str] = &["new", "with_http", "base_url"];

/// `src/<module>/client.rs`: the `Client` of `api`.
///
/// Expects a model that passed [`super::validate`] (which runs [`check`]).
pub fn emit_client(api: &Api) -> TokenStream {
    let title = api.title.trim();
    let module_doc =
        format!(" The HTTP client of {title}: [`Client`], one `async` method per operation.");
    let methods = api
        .operations
        .iter()
        .map(|operation| emit_method(api, operation));
    quote! {
        #![doc = #module_doc]
        //!
        //! Each method sends the operation's request (parameters, the credentials the operation
        //! accepts, the body in the media type its variant names) and decodes the answer into
        //! the operation's response enum by status: the exact code, then a range such as `2XX`,
        //! then `default`. A status the spec does not document is
        //! [`crate::support::ClientError::UnexpectedStatus`]; a documented one whose body does not
        //! decode is [`crate::support::ClientError::Decode`]. Errors never hold a credential.

        /// A client of the API at one base URL.
        ///
        /// Cheap to clone: clones share one connection pool.
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        pub struct Client {
            base: crate::support::client::Base,
        }

        impl Client {
            /// A client of the API at `base_url` (`http` or `https`; the operations' paths are
            /// appended to its path), with its own HTTP client: rustls with the ring provider
            /// (installed once per process), connect timeout 10 s, request timeout 60 s, and
            /// redirects followed only within the base URL's origin, so that credentials in
            /// custom headers and in the query never travel to another host.
            pub fn new(base_url: &str) -> ::std::result::Result<Self, crate::support::ClientError> {
                crate::support::client::Base::new(base_url).map(|base| Client { base })
            }

            /// A client of the API at `base_url` that sends through `http`, configured by the
            /// caller (timeouts, proxies, redirect policy, TLS roots).
            pub fn with_http(
                base_url: &str,
                http: ::reqwest::Client,
            ) -> ::std::result::Result<Self, crate::support::ClientError> {
                crate::support::client::Base::with_http(base_url, http).map(|base| Client { base })
            }

            /// The base URL every operation's path is appended to.
            pub fn base_url(&self) -> &::reqwest::Url {
                self.base.url()
            }

            #(#methods)*
        }
    }
}

/// One operation's method.
fn emit_method(api: &Api, operation: &Operation) -> TokenStream {
    let name = ident(&operation.rust_name);
    let request_type = operations::request_name(operation);
    let response_type = operations::response_name(operation);
    let fields = operations::request_fields(operation);
    let docs = method_docs(operation);
    let method = method_tokens(operation.method);
    // The request's field for each parameter (its name there may differ from the model's:
    // a parameter called `body` or `credentials` gets a suffix).
    let field_of = |parameter: &Parameter| {
        fields
            .parameters
            .iter()
            .find(|(_, candidate)| std::ptr::eq(*candidate, parameter))
            .map(|(field, _)| field.clone())
    };

    // Path parameters first, as locals: the path is built from them.
    let mut locals: Vec<(syn::Ident, TokenStream)> = Vec::new();
    let mut segments = Vec::new();
    for (index, segment) in template_segments(&operation.path).into_iter().enumerate() {
        let mut parts = Vec::new();
        for piece in segment_pieces(segment) {
            match piece {
                Piece::Literal(text) => parts.push(quote!(#text)),
                Piece::Parameter(wire) => {
                    // `check` guarantees the parameter exists.
                    let Some(field) = path_parameter(operation, wire).and_then(field_of) else {
                        continue;
                    };
                    let local = super::prefixed_ident("path", &field.to_string());
                    if locals.iter().all(|(declared, _)| *declared != local) {
                        locals.push((
                            local.clone(),
                            quote! {
                                let #local = crate::support::client::path_value(#wire, &request.#field)?;
                            },
                        ));
                    }
                    parts.push(quote!(#local.as_str()));
                }
            }
        }
        match parts.as_slice() {
            [] => segments.push(quote!("")),
            [single] => segments.push(single.clone()),
            _ => {
                let local = format_ident!("segment_{}", index);
                locals.push((local.clone(), quote!(let #local = [#(#parts),*].concat();)));
                segments.push(quote!(#local.as_str()));
            }
        }
    }
    let mut used_request = !locals.is_empty();
    let locals = locals.into_iter().map(|(_, statement)| statement);

    // Then everything else the call carries, in the model's order.
    let mut steps = Vec::new();
    for (field, parameter) in &fields.parameters {
        let wire = &parameter.name;
        let step = match parameter.location {
            ParameterLocation::Path => continue,
            ParameterLocation::Query => quote!(call.query(#wire, &request.#field)?;),
            ParameterLocation::Header => quote!(call.header(#wire, &request.#field)?;),
            ParameterLocation::Cookie => quote!(call.cookie(#wire, &request.#field)?;),
        };
        steps.push(step);
    }
    let credentials = &fields.credentials;
    for scheme in schemes_of(api, operation) {
        let field = ident(&scheme.rust_name);
        let value = quote!(request.#credentials.#field.as_deref());
        let step = match &scheme.kind {
            SchemeKind::ApiKey {
                location: ParameterLocation::Header,
                parameter,
                ..
            } => quote!(call.credential_header(#parameter, "", #value)?;),
            SchemeKind::ApiKey {
                location: ParameterLocation::Query,
                parameter,
                ..
            } => quote!(call.credential_query(#parameter, #value);),
            SchemeKind::ApiKey {
                location: ParameterLocation::Cookie,
                parameter,
                ..
            } => quote!(call.credential_cookie(#parameter, #value);),
            // Rejected by `check`: OpenAPI has no path credentials.
            SchemeKind::ApiKey {
                location: ParameterLocation::Path,
                ..
            } => continue,
            SchemeKind::Bearer | SchemeKind::OAuth => {
                quote!(call.credential_header("Authorization", "Bearer ", #value)?;)
            }
            SchemeKind::Basic => {
                quote!(call.credential_header("Authorization", "Basic ", #value)?;)
            }
        };
        steps.push(step);
    }
    // Every step so far adds to the call; a body does unless it has no media type.
    let mut mutates = !steps.is_empty();
    if let (Some(body), Some(field)) = (&operation.body, &fields.body) {
        mutates |= !body.contents.is_empty();
        steps.push(emit_body(api, operation, body, field));
    }
    used_request |= !steps.is_empty();
    let call_binding = if !mutates {
        quote!(call)
    } else {
        quote!(mut call)
    };
    let request_name = if used_request {
        quote!(request)
    } else {
        quote!(_request)
    };
    let answer = answer(operation, &response_type);
    // A required body without a media type cannot be built: what follows it is unreachable.
    let unreachable = operation
        .body
        .as_ref()
        .is_some_and(|body| body.required && body.contents.is_empty())
        .then(|| quote!(#[allow(unreachable_code, unused_variables)]));
    quote! {
        #docs
        #unreachable
        pub async fn #name(
            &self,
            #request_name: &super::operations::#request_type,
        ) -> ::std::result::Result<super::operations::#response_type, crate::support::ClientError> {
            #(#locals)*
            let #call_binding = self.base.call(#method, &[#(#segments),*])?;
            #(#steps)*
            let response = call.send().await?;
            #answer
        }
    }
}

fn method_docs(operation: &Operation) -> TokenStream {
    let mut lines = vec![format!(
        " `{} {}` (`{}`).",
        operation.method.as_str(),
        operation.path,
        operation.id
    )];
    for text in [&operation.summary, &operation.description]
        .into_iter()
        .flatten()
        .map(|text| text.trim())
        .filter(|text| !text.is_empty())
    {
        lines.push(String::new());
        lines.extend(super::render::doc_lines(text));
    }
    quote!(#(#[doc = #lines])*)
}

fn method_tokens(method: Method) -> TokenStream {
    match method {
        Method::Get => quote!(::reqwest::Method::GET),
        Method::Put => quote!(::reqwest::Method::PUT),
        Method::Post => quote!(::reqwest::Method::POST),
        Method::Delete => quote!(::reqwest::Method::DELETE),
        Method::Options => quote!(::reqwest::Method::OPTIONS),
        Method::Head => quote!(::reqwest::Method::HEAD),
        Method::Patch => quote!(::reqwest::Method::PATCH),
        Method::Trace => quote!(::reqwest::Method::TRACE),
    }
}

/// The schemes whose credentials an operation sends: every scheme of any of its alternatives,
/// in the API's order (a credential the caller leaves out is simply not sent).
fn schemes_of<'a>(api: &'a Api, operation: &Operation) -> Vec<&'a SecurityScheme> {
    let wanted: BTreeSet<&str> = operation
        .security
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    api.security_schemes
        .iter()
        .filter(|scheme| wanted.contains(scheme.name.as_str()))
        .collect()
}

fn emit_body(
    api: &Api,
    operation: &Operation,
    body: &RequestBody,
    field: &syn::Ident,
) -> TokenStream {
    let enum_name = operations::body_name(operation);
    let arms = operations::body_variants(body)
        .into_iter()
        .map(|(variant, content)| {
            let send = emit_content(api, content);
            quote! {
                super::operations::#enum_name::#variant(body) => { #send }
            }
        });
    if body.contents.is_empty() {
        // No media type: the body enum has no variant, so no value of it exists.
        if body.required {
            quote!(match request.#field {})
        } else {
            quote! {
                if let ::std::option::Option::Some(body) = &request.#field {
                    match *body {}
                }
            }
        }
    } else if body.required {
        quote! {
            match &request.#field {
                #(#arms)*
            }
        }
    } else {
        quote! {
            if let ::std::option::Option::Some(body) = &request.#field {
                match body {
                    #(#arms)*
                }
            }
        }
    }
}

/// Puts `body` (a reference to the variant's value) into `call` as `content` says.
fn emit_content(api: &Api, content: &BodyContent) -> TokenStream {
    let media_type = match content.kind {
        // `*/*` counts as JSON; say so on the wire.
        MediaKind::Json if content.media_type.trim() == "*/*" => "application/json",
        _ => content.media_type.as_str(),
    };
    match content.kind {
        MediaKind::Json => quote!(call.json(#media_type, body)?;),
        MediaKind::Text | MediaKind::Binary => quote!(call.bytes(#media_type, body)?;),
        MediaKind::Form | MediaKind::Multipart => {
            let fields = emit_fields(api, &content.ty);
            let finish = if content.kind == MediaKind::Form {
                quote!(call.form(fields);)
            } else {
                quote!(call.multipart(fields);)
            };
            quote! {
                let mut fields = crate::support::client::Fields::new();
                #fields
                #finish
            }
        }
    }
}

/// The statements that add a form body's fields to `fields`: one per struct field (files as
/// file parts), or every top-level property of whatever the type serializes to.
fn emit_fields(api: &Api, ty: &TypeRef) -> TokenStream {
    // A struct with `additionalProperties` holds more than its named fields: send what it
    // serializes to.
    let Some(struct_def) = struct_of(api, ty).filter(|def| def.additional.is_none()) else {
        return quote!(fields.object(body)?;);
    };
    let statements = struct_def.fields.iter().map(|field| {
        let name = ident(&field.rust_name);
        let wire = &field.name;
        let optional = field.is_optional();
        match file_shape(api, &field.ty) {
            Some(FileShape::One) if optional => quote! {
                if let ::std::option::Option::Some(upload) = &body.#name {
                    fields.file(#wire, upload);
                }
            },
            Some(FileShape::One) => quote!(fields.file(#wire, &body.#name);),
            Some(FileShape::Many) if optional => quote! {
                for upload in body.#name.iter().flatten() {
                    fields.file(#wire, upload);
                }
            },
            Some(FileShape::Many) => quote! {
                for upload in &body.#name {
                    fields.file(#wire, upload);
                }
            },
            None => quote!(fields.text(#wire, &body.#name)?;),
        }
    });
    quote!(#(#statements)*)
}

/// The struct a type is, following aliases.
fn struct_of<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a StructDef> {
    let mut ty = ty;
    let mut seen = BTreeSet::new();
    loop {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        if !seen.insert(name.as_str()) {
            return None;
        }
        match &api.type_named(name)?.kind {
            TypeKind::Struct(struct_def) => return Some(struct_def),
            TypeKind::Alias(target) => ty = target,
            _ => return None,
        }
    }
}

enum FileShape {
    One,
    Many,
}

/// Whether a field holds a file (`format: binary`) or a list of files, following aliases (an
/// alias of a file is a plain alias of `Upload`, never a newtype).
fn file_shape(api: &Api, ty: &TypeRef) -> Option<FileShape> {
    match resolve_aliases(api, ty) {
        TypeRef::Binary => Some(FileShape::One),
        TypeRef::Array(item) => {
            matches!(resolve_aliases(api, item), TypeRef::Binary).then_some(FileShape::Many)
        }
        _ => None,
    }
}

/// The type an alias stands for, through any chain of aliases.
fn resolve_aliases<'a>(api: &'a Api, mut ty: &'a TypeRef) -> &'a TypeRef {
    let mut seen = BTreeSet::new();
    while let TypeRef::Named(name) = ty {
        match api.type_named(name).map(|def| &def.kind) {
            Some(TypeKind::Alias(target)) if seen.insert(name.as_str()) => ty = target,
            _ => break,
        }
    }
    ty
}

/// What turns the answer into the response enum: a `match` on the status with exact codes,
/// then ranges, then `default` (or an undocumented-status error); for an operation whose one
/// response is `default`, no `match` at all.
fn answer(operation: &Operation, response_type: &syn::Ident) -> TokenStream {
    let variants = operations::response_variants(operation);
    if let [only] = variants.as_slice()
        && only.response.status == StatusSpec::Default
    {
        let (_, build) = arm(only, response_type);
        return quote! {
            let status = response.status();
            #build
        };
    }
    // No documented response at all: every answer is unexpected (a `match` with only `_`
    // is clippy's match_single_binding).
    if variants.is_empty() {
        return quote!(::std::result::Result::Err(response.unexpected()));
    }
    let arms = response_arms(operation, response_type);
    quote! {
        match response.status() {
            #(#arms)*
        }
    }
}

/// An arm's pattern and expression for one response variant.
fn arm(
    variant: &operations::ResponseVariant,
    response_type: &syn::Ident,
) -> (TokenStream, TokenStream) {
    let name = &variant.name;
    let path = quote!(super::operations::#response_type::#name);
    let has_body = variant.body.is_some();
    let pattern = match variant.response.status {
        StatusSpec::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        StatusSpec::Range(hundreds) => {
            let low = Literal::u16_unsuffixed(u16::from(hundreds) * 100);
            let high = Literal::u16_unsuffixed(u16::from(hundreds) * 100 + 99);
            quote!(status @ #low..=#high)
        }
        StatusSpec::Default => quote!(status),
    };
    let build = match (variant.carries_status, has_body) {
        (false, true) => quote!(response.json().map(#path)),
        (false, false) => quote!(::std::result::Result::Ok(#path)),
        (true, true) => quote!(response.json().map(|body| #path { status, body })),
        (true, false) => quote!(::std::result::Result::Ok(#path { status })),
    };
    (pattern, build)
}

/// The match arms of [`answer`], in order.
fn response_arms(operation: &Operation, response_type: &syn::Ident) -> Vec<TokenStream> {
    let mut variants = operations::response_variants(operation);
    variants.sort_by_key(|variant| match variant.response.status {
        StatusSpec::Code(_) => 0,
        StatusSpec::Range(_) => 1,
        StatusSpec::Default => 2,
    });
    let mut arms: Vec<TokenStream> = variants
        .iter()
        .map(|variant| {
            let (pattern, build) = arm(variant, response_type);
            quote!(#pattern => #build,)
        })
        .collect();
    if !operation
        .responses
        .iter()
        .any(|response| response.status == StatusSpec::Default)
    {
        arms.push(quote!(_ => ::std::result::Result::Err(response.unexpected()),));
    }
    arms
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Literal(&'a str),
    Parameter(&'a str),
}

/// The segments of a path template, without the leading `/` (`/a/{id}/` → `a`, `{id}`, ``).
fn template_segments(path: &str) -> Vec<&str> {
    let path = path.strip_prefix('/').unwrap_or(path);
    if path.is_empty() {
        Vec::new()
    } else {
        path.split('/').collect()
    }
}

/// A segment's literal text and `{parameter}`s, in order. An unclosed `{` is literal
/// (and reported by [`check`]).
fn segment_pieces(segment: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = segment;
    while !rest.is_empty() {
        match rest.find('{') {
            Some(start) => {
                let Some(length) = rest[start..].find('}') else {
                    pieces.push(Piece::Literal(rest));
                    break;
                };
                if start > 0 {
                    pieces.push(Piece::Literal(&rest[..start]));
                }
                pieces.push(Piece::Parameter(&rest[start + 1..start + length]));
                rest = &rest[start + length + 1..];
            }
            None => {
                pieces.push(Piece::Literal(rest));
                break;
            }
        }
    }
    pieces
}

fn path_parameter<'a>(operation: &'a Operation, name: &str) -> Option<&'a crate::model::Parameter> {
    operation
        .parameters
        .iter()
        .find(|p| p.location == ParameterLocation::Path && p.name == name)
}

fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Problems that would make the client not compile or not work: reported by
/// [`super::validate`] before anything is emitted.
pub fn check(api: &Api, problem: &mut dyn FnMut(&str, String)) {
    let mut methods = BTreeSet::new();
    for operation in &api.operations {
        let at = format!(
            "/paths/{}/{}",
            pointer::escape(&operation.path),
            operation.method.as_str().to_ascii_lowercase()
        );
        let at = at.as_str();
        let method = bare(&operation.rust_name);
        if !super::is_ident(&operation.rust_name) {
            problem(
                at,
                format!(
                    "operation function name `{}` is not a valid Rust identifier",
                    operation.rust_name
                ),
            );
        } else if RESERVED.contains(&method) {
            problem(
                at,
                format!("operation function name `{method}` is a method of every generated Client"),
            );
        } else if !methods.insert(method) {
            problem(
                at,
                format!("operation function name `{method}` is used twice"),
            );
        }
        if !super::is_ident(&operation.type_stem) || operation.type_stem.starts_with("r#") {
            problem(
                at,
                format!(
                    "operation type stem `{}` is not a plain Rust identifier",
                    operation.type_stem
                ),
            );
        }
        for parameter in &operation.parameters {
            if !super::is_ident(&parameter.rust_name) {
                problem(
                    at,
                    format!(
                        "parameter name `{}` is not a valid Rust identifier",
                        parameter.rust_name
                    ),
                );
            }
            if matches!(
                parameter.location,
                ParameterLocation::Header | ParameterLocation::Cookie
            ) && !is_token(&parameter.name)
            {
                problem(
                    at,
                    format!(
                        "{} parameter name {:?} is not an HTTP token",
                        if parameter.location == ParameterLocation::Header {
                            "header"
                        } else {
                            "cookie"
                        },
                        parameter.name
                    ),
                );
            }
        }
        let mut in_template = BTreeSet::new();
        for segment in template_segments(&operation.path) {
            if segment.matches('{').count() != segment.matches('}').count() {
                problem(
                    at,
                    format!("path segment {segment:?} has unbalanced braces"),
                );
            }
            for piece in segment_pieces(segment) {
                if let Piece::Parameter(name) = piece {
                    in_template.insert(name);
                    if path_parameter(operation, name).is_none() {
                        problem(
                            at,
                            format!(
                                "path template names `{{{name}}}`, which is not a path parameter"
                            ),
                        );
                    }
                }
            }
        }
        for parameter in &operation.parameters {
            if parameter.location == ParameterLocation::Path
                && !in_template.contains(parameter.name.as_str())
            {
                problem(
                    at,
                    format!(
                        "path parameter `{}` is not in the path template",
                        parameter.name
                    ),
                );
            }
        }
        let mut variants = BTreeSet::new();
        for response in &operation.responses {
            if !super::is_ident(&response.variant) || response.variant.starts_with("r#") {
                problem(
                    at,
                    format!(
                        "response variant `{}` is not a plain Rust identifier",
                        response.variant
                    ),
                );
            } else if !variants.insert(response.variant.as_str()) {
                problem(
                    at,
                    format!("response variant `{}` is used twice", response.variant),
                );
            }
        }
    }
    let mut credentials = BTreeSet::new();
    for scheme in &api.security_schemes {
        let at = format!(
            "/components/securitySchemes/{}",
            pointer::escape(&scheme.name)
        );
        if !super::is_ident(&scheme.rust_name) {
            problem(
                &at,
                format!(
                    "credential name `{}` is not a valid Rust identifier",
                    scheme.rust_name
                ),
            );
        } else if !credentials.insert(bare(&scheme.rust_name)) {
            problem(
                &at,
                format!("credential name `{}` is used twice", scheme.rust_name),
            );
        }
        if let SchemeKind::ApiKey {
            location,
            parameter,
            ..
        } = &scheme.kind
        {
            if *location == ParameterLocation::Path {
                problem(&at, "an apiKey cannot be sent in the path".to_owned());
            } else if *location != ParameterLocation::Query && !is_token(parameter) {
                problem(
                    &at,
                    format!("apiKey name {parameter:?} is not an HTTP token"),
                );
            }
        }
    }
}

/// An HTTP token (RFC 9110): what a header or cookie name may be.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
pub(crate) mod tests;
