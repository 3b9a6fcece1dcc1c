//! `server.rs` of one API (behind the generated crate's `server` feature, axum 0.8): the
//! `Api` trait an implementation provides, one async method per operation, and
//! `router(api, config)`, which turns HTTP into typed requests and typed responses into HTTP.
//!
//! The router answers every client mistake itself, in the API's own error envelope
//! (`errors.rs`), and never with a 5xx:
//! 1. credentials per the operation's security (missing: 401), before anything else;
//! 2. the body up to `ServerConfig::max_body_bytes` (over it: 413);
//! 3. its content type (unlisted: 415), JSON (bad JSON or invalid UTF-8: 400), form or
//!    multipart; an API with `body-error-status` answers these as a validation error instead;
//! 4. parameters and body validated together (every error at once: `VALIDATION_STATUS`);
//! 5. the trait method, whose response enum becomes status, media type and JSON body.
//!
//! Unknown paths answer 404 and known paths with another method 405, in the envelope too.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::operations::{
    body_name, body_variants, qualified, request_fields, request_name, response_media_type,
    response_name, response_variants,
};
use super::types::ident;
use super::validate::{Validators, push, required_message, type_message};
use crate::model::{
    Api, MediaKind, Method, Operation, Parameter, ParameterLocation, SchemeKind, StatusSpec,
    TypeKind, TypeRef,
};
use crate::spec::ext::Constraint;

/// The message of a request without the credentials its operation needs.
pub const UNAUTHORIZED_MESSAGE: &str = "Authentication credentials were not provided.";

/// `server.rs` of `api`.
pub fn emit_server(api: &Api) -> TokenStream {
    let validators = Validators::new(api).in_sibling_file();
    let methods = api.operations.iter().map(|operation| {
        let name = ident(&operation.rust_name);
        let request = request_name(operation);
        let response = response_name(operation);
        let doc = match operation.summary.as_deref().map(str::trim) {
            Some(summary) if !summary.is_empty() => format!(
                " `{} {}` (`{}`): {summary}",
                operation.method.as_str(),
                operation.path,
                operation.id
            ),
            _ => format!(
                " `{} {}` (`{}`).",
                operation.method.as_str(),
                operation.path,
                operation.id
            ),
        };
        quote! {
            #[doc = #doc]
            fn #name(
                &self,
                request: super::operations::#request,
            ) -> impl ::std::future::Future<Output = super::operations::#response> + ::std::marker::Send;
        }
    });
    let handlers: Vec<TokenStream> = api
        .operations
        .iter()
        .map(|operation| emit_handler(api, &validators, operation))
        .collect();
    let responders = api.operations.iter().map(emit_responder);
    let router = emit_router(api);
    let uses = |name: &str| {
        handlers
            .iter()
            .any(|tokens| tokens.to_string().contains(&format!("{name} (")))
    };
    let helpers = emit_helpers(api, uses("validation_response"), uses("body_error"));
    let statics = validators.statics();
    let title = format!(" The operations of {}, one method each.", api.title.trim());
    quote! {
        #[doc = #title]
        ///
        /// Implement it and serve it with [`router`]: the router has checked credentials,
        /// parameters and body before a method is called, so every request is well-formed.
        pub trait Api: ::std::marker::Send + ::std::marker::Sync + 'static {
            #(#methods)*
        }

        #router
        #helpers
        #(#handlers)*
        #(#responders)*
        #statics
    }
}

fn handler_name(operation: &Operation) -> syn::Ident {
    super::prefixed_ident("handle", &operation.rust_name)
}

fn responder_name(operation: &Operation) -> syn::Ident {
    super::prefixed_ident("respond", &operation.rust_name)
}

fn emit_router(api: &Api) -> TokenStream {
    if api.operations.is_empty() {
        return quote! {
            /// The router of the API: it has no operations, so every path answers 404.
            pub fn router<A: Api>(
                api: ::std::sync::Arc<A>,
                config: crate::support::ServerConfig,
            ) -> ::axum::Router {
                let _ = (api, config);
                ::axum::Router::new()
                    .fallback(not_found)
                    .method_not_allowed_fallback(method_not_allowed)
            }
        };
    }
    // One route per path (document order), one method router per operation on it. Paths
    // whose partial segments fall on one route (`/a/{x}.json`, `/a/{y}.xml`: `/a/{part2}`)
    // share it: each method goes to a dispatcher that picks the path by its literal text.
    let mut routes: Vec<(String, Vec<PathOperations<'_>>)> = Vec::new();
    for operation in &api.operations {
        let route = route_path(&operation.path);
        let paths = match routes.iter_mut().find(|(known, _)| *known == route) {
            Some((_, paths)) => paths,
            None => {
                routes.push((route, Vec::new()));
                &mut routes.last_mut().expect("just pushed").1
            }
        };
        match paths.iter_mut().find(|(path, _)| *path == operation.path) {
            Some((_, operations)) => operations.push(operation),
            None => paths.push((&operation.path, vec![operation])),
        }
    }
    let mut dispatchers = Vec::new();
    let routes: Vec<TokenStream> = routes
        .iter()
        .enumerate()
        .map(|(index, (route, paths))| {
            let mut chain = TokenStream::new();
            let mut methods: Vec<Method> = Vec::new();
            for operation in paths.iter().flat_map(|(_, operations)| operations) {
                if !methods.contains(&operation.method) {
                    methods.push(operation.method);
                }
            }
            for (position, method) in methods.into_iter().enumerate() {
                let target = match paths.as_slice() {
                    [(_, operations)] => {
                        let operation = operations
                            .iter()
                            .find(|operation| operation.method == method)
                            .expect("a method of the path");
                        let handler = handler_name(operation);
                        quote!(#handler::<A>)
                    }
                    _ => {
                        let (name, dispatcher) = emit_dispatcher(index, route, paths, method);
                        dispatchers.push(dispatcher);
                        quote!(#name::<A>)
                    }
                };
                let method = method_fn(method);
                if position == 0 {
                    chain.extend(quote!(::axum::routing::#method(#target)));
                } else {
                    chain.extend(quote!(.#method(#target)));
                }
            }
            quote!(.route(#route, #chain))
        })
        .collect();
    // Only handlers that read a body need the configuration.
    let reads_bodies = api
        .operations
        .iter()
        .any(|operation| operation.body.is_some());
    let (shared, config_field, config_clone) = if reads_bodies {
        (
            quote!(let shared = Shared { api, config };),
            quote!(config: crate::support::ServerConfig,),
            quote!(config: ::std::clone::Clone::clone(&self.config),),
        )
    } else {
        (
            quote! {
                let _ = config;
                let shared = Shared { api };
            },
            TokenStream::new(),
            TokenStream::new(),
        )
    };
    quote! {
        /// The router of the API: every operation at its path, 404 for an unknown path and 405
        /// for a method the path does not have, every error in the API's envelope.
        pub fn router<A: Api>(
            api: ::std::sync::Arc<A>,
            config: crate::support::ServerConfig,
        ) -> ::axum::Router {
            #shared
            ::axum::Router::new()
                #(#routes)*
                .fallback(not_found)
                .method_not_allowed_fallback(method_not_allowed)
                // The handlers read bodies with `ServerConfig::max_body_bytes` as their limit.
                .layer(::axum::extract::DefaultBodyLimit::disable())
                .with_state(shared)
        }

        /// What every handler shares.
        struct Shared<A> {
            api: ::std::sync::Arc<A>,
            #config_field
        }

        impl<A> ::std::clone::Clone for Shared<A> {
            fn clone(&self) -> Self {
                Shared {
                    api: ::std::sync::Arc::clone(&self.api),
                    #config_clone
                }
            }
        }

        #(#dispatchers)*
    }
}

/// A path template and its operations.
type PathOperations<'a> = (&'a str, Vec<&'a Operation>);

/// The handler of `method` on `route`, which serves several `paths` (each with its
/// operations): the operation of the path whose template the request's path matches (their
/// partial segments' literal text tells them apart, see [`distinguishable`]); 405 for a path
/// of the route that does not have `method`, 404 for any other.
fn emit_dispatcher(
    index: usize,
    route: &str,
    paths: &[PathOperations<'_>],
    method: Method,
) -> (syn::Ident, TokenStream) {
    let name = format_ident!(
        "dispatch_{}_{}",
        index,
        method.as_str().to_ascii_lowercase()
    );
    let arms = paths.iter().map(|(path, operations)| {
        match operations
            .iter()
            .find(|operation| operation.method == method)
        {
            Some(operation) => {
                let handler = handler_name(operation);
                quote! {
                    if crate::support::path_matches(request.uri().path(), #path) {
                        return #handler::<A>(state, request).await;
                    }
                }
            }
            None => quote! {
                if crate::support::path_matches(request.uri().path(), #path) {
                    return method_not_allowed(::std::clone::Clone::clone(request.method())).await;
                }
            },
        }
    });
    let summary = format!(
        " `{}` on `{route}`, a route of several paths.",
        method.as_str()
    );
    let paths_doc = format!(
        " A request goes to the operation of the path it matches ({}), by the literal text of",
        paths
            .iter()
            .map(|(path, _)| format!("`{path}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let tokens = quote! {
        #[doc = #summary]
        #[doc = ""]
        #[doc = #paths_doc]
        /// their segments; a path without this method is a 405, any other a 404.
        async fn #name<A: Api>(
            state: ::axum::extract::State<Shared<A>>,
            request: ::axum::extract::Request,
        ) -> ::axum::response::Response {
            #(#arms)*
            not_found().await
        }
    };
    (name, tokens)
}

fn method_fn(method: Method) -> syn::Ident {
    format_ident!(
        "{}",
        match method {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
        }
    )
}

/// Whether a 400 for a body that cannot be read (bad JSON, invalid UTF-8, a broken multipart
/// body) takes the validation envelope, as an error on the body as a whole (`body-field`),
/// instead of the other one. So it is where validation errors are 400s, the body has a field
/// name of its own, and no documented 400 admits the other envelope's schema: there every 400
/// has the validation shape (shared/dialects.md: manage's "a 400 adds errors", cl2c's "every
/// error status other than 400 uses the default error envelope"). Where a 400 may be either
/// (community's `oneOf`, canonical's one `Problem`), the other envelope stays.
fn unreadable_body_is_validation(api: &Api) -> bool {
    let Some(envelope) = &api.error_envelope else {
        return false;
    };
    if envelope.body_error_status.is_some()
        || envelope.validation_status() != 400
        || envelope.validation.body_field.is_none()
    {
        return false;
    }
    let Some(other) = envelope
        .other
        .schema
        .strip_prefix("#/components/schemas/")
        .and_then(|name| api.component(name))
    else {
        return false;
    };
    let other = TypeRef::Named(other.rust_name.clone());
    let admits_other = |ty: &TypeRef| {
        *ty == other
            || matches!(ty, TypeRef::Named(name) if api.type_named(name).is_some_and(|def| {
                matches!(&def.kind, TypeKind::Union(union) if union.variants.iter().any(|v| v.ty == other))
            }))
    };
    let mut documented = api
        .operations
        .iter()
        .flat_map(|operation| &operation.responses)
        .filter(|response| response.status == StatusSpec::Code(400))
        .filter_map(|response| response.json_type())
        .peekable();
    documented.peek().is_some() && !documented.any(admits_other)
}

/// The helpers every handler shares; `validation_response` and `body_error` only when a
/// handler calls them.
fn emit_helpers(api: &Api, validates: bool, reads_bodies: bool) -> TokenStream {
    let body_error_status = api
        .error_envelope
        .as_ref()
        .and_then(|envelope| envelope.body_error_status);
    let unreadable_is_validation = unreadable_body_is_validation(api);
    let validation = (validates
        || reads_bodies && (body_error_status.is_some() || unreadable_is_validation))
        .then(|| {
            quote! {
                /// A validation error answered with `status`, every error at once.
                fn validation_response(
                    status: u16,
                    errors: &[crate::support::FieldError],
                ) -> ::axum::response::Response {
                    crate::support::json_response(
                        status,
                        super::errors::VALIDATION_MEDIA_TYPE,
                        &super::errors::validation_body_with_status(status, errors),
                    )
                }
            }
        });
    let body_error = reads_bodies.then(|| {
        match body_error_status {
            Some(_) => quote! {
                /// A body that cannot be read: a validation error on the body as a whole, with
                /// `BODY_ERROR_STATUS`; but a body that is not UTF-8 is a 400 in the error
                /// envelope, as FastAPI answers it ("There was an error parsing the body").
                fn body_error(_status: u16, kind: &'static str, message: &str) -> ::axum::response::Response {
                    if kind == "encoding" {
                        return error_response(400, message);
                    }
                    let status = super::errors::BODY_ERROR_STATUS.unwrap_or(super::errors::VALIDATION_STATUS);
                    let error = crate::support::FieldError::new(
                        crate::support::whole_field("", super::errors::BODY_FIELD),
                        crate::support::Location::Body,
                        kind,
                        ::std::borrow::ToOwned::to_owned(message),
                    );
                    validation_response(status, &[error])
                }
            },
            None if unreadable_is_validation => quote! {
                /// A body that cannot be read: a 400 is a validation error on the body as a
                /// whole (`BODY_FIELD`); any other status (415) the error envelope.
                fn body_error(status: u16, kind: &'static str, message: &str) -> ::axum::response::Response {
                    if status != super::errors::VALIDATION_STATUS {
                        return error_response(status, message);
                    }
                    let error = crate::support::FieldError::new(
                        crate::support::whole_field("", super::errors::BODY_FIELD),
                        crate::support::Location::Body,
                        kind,
                        ::std::borrow::ToOwned::to_owned(message),
                    );
                    validation_response(status, &[error])
                }
            },
            None => quote! {
                /// A body that cannot be read: `status` (400, 415) with the error envelope.
                fn body_error(status: u16, _kind: &'static str, message: &str) -> ::axum::response::Response {
                    error_response(status, message)
                }
            },
        }
    });
    quote! {
        /// An error other than a validation error, in the API's envelope.
        fn error_response(status: u16, message: &str) -> ::axum::response::Response {
            crate::support::json_response(
                status,
                super::errors::ERROR_MEDIA_TYPE,
                &super::errors::error_body(status, message),
            )
        }

        #validation
        #body_error

        /// A path no operation has.
        async fn not_found() -> ::axum::response::Response {
            error_response(404, "Not found.")
        }

        /// A known path with a method it does not have.
        async fn method_not_allowed(method: ::axum::http::Method) -> ::axum::response::Response {
            error_response(405, &::std::format!("Method \"{method}\" not allowed."))
        }
    }
}

/// The path segment each path parameter sits in (`/users/{id}` → `id` at 2).
/// Each path parameter's segment: its index and its template (`{id}`, or `{name}.{format}`
/// for a parameter that is part of a segment).
fn path_positions(operation: &Operation) -> BTreeMap<&str, (usize, &str)> {
    let mut positions = BTreeMap::new();
    for (index, segment) in operation.path.split('/').enumerate() {
        let mut rest = segment;
        while let Some(start) = rest.find('{') {
            let Some(length) = rest[start..].find('}') else {
                break;
            };
            positions.insert(&rest[start + 1..start + length], (index, segment));
            rest = &rest[start + length + 1..];
        }
    }
    positions
}

/// Whether a template segment holds a parameter and more (`thumbnail.{extension}`).
fn is_partial_segment(segment: &str) -> bool {
    segment.contains('{')
        && !(segment.starts_with('{')
            && segment.ends_with('}')
            && segment.matches('{').count() == 1)
}

/// The literal text a segment template starts and ends with (`thumb.{x}`: `thumb.` and
/// nothing; `{x}.json`: nothing and `.json`).
fn literal_ends(segment: &str) -> (&str, &str) {
    let start = segment.find('{').unwrap_or(segment.len());
    let end = segment.rfind('}').map_or(0, |close| close + 1);
    (&segment[..start], &segment[end.max(start)..])
}

/// Whether no path matches both templates `a` and `b` (of one route): at some place both
/// have a segment with a parameter and more text, and their literal texts start or end
/// differently (`{x}.json` and `{y}.xml`; `thumb.{x}` and `icon.{x}`), which is all the
/// handler needs to tell them apart.
fn distinguishable(a: &str, b: &str) -> bool {
    a.split('/').zip(b.split('/')).any(|(a, b)| {
        if !is_partial_segment(a) || !is_partial_segment(b) {
            return false;
        }
        let (a_start, a_end) = literal_ends(a);
        let (b_start, b_end) = literal_ends(b);
        !(a_start.starts_with(b_start) || b_start.starts_with(a_start))
            || !(a_end.ends_with(b_end) || b_end.ends_with(a_end))
    })
}

/// The route axum matches: a segment with a parameter and more (`{country}.{format}`) is
/// routed as a whole segment, `{partN}`, and split by the handler.
fn route_path(path: &str) -> String {
    path.split('/')
        .enumerate()
        .map(|(index, segment)| {
            if is_partial_segment(segment) {
                format!("{{part{index}}}")
            } else {
                segment.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn location_tokens(location: ParameterLocation) -> TokenStream {
    match location {
        ParameterLocation::Path => quote!(crate::support::Location::Path),
        ParameterLocation::Query => quote!(crate::support::Location::Query),
        ParameterLocation::Header => quote!(crate::support::Location::Header),
        ParameterLocation::Cookie => quote!(crate::support::Location::Cookie),
    }
}

fn emit_handler(api: &Api, validators: &Validators<'_>, operation: &Operation) -> TokenStream {
    let handler = handler_name(operation);
    let responder = responder_name(operation);
    let method = ident(&operation.rust_name);
    let request_type = request_name(operation);
    let fields = request_fields(operation);
    let needs_query = operation
        .parameters
        .iter()
        .any(|parameter| parameter.location == ParameterLocation::Query)
        || operation_schemes(api, operation).iter().any(|scheme| {
            matches!(
                &scheme.kind,
                SchemeKind::ApiKey {
                    location: ParameterLocation::Query,
                    ..
                }
            )
        });
    let query = needs_query.then(
        || quote!(let query = crate::support::parse_form(parts.uri.query().unwrap_or_default());),
    );
    let credentials = emit_credentials(api, operation);
    let positions = path_positions(operation);
    let mut required_locals = Vec::new();
    let mut parameters = Vec::new();
    let mut members = Vec::new();
    for (field, parameter) in &fields.parameters {
        let local = super::prefixed_ident("parameter", &field.to_string());
        parameters.push(emit_parameter(
            api,
            validators,
            parameter,
            &local,
            positions.get(parameter.name.as_str()).copied(),
        ));
        if parameter.required {
            required_locals.push(local.clone());
        }
        members.push(quote!(#field: #local,));
    }
    let body = operation.body.as_ref().map(|body| {
        let local = format_ident!("request_body");
        if body.required {
            required_locals.push(local.clone());
        }
        let field = fields.body.clone().unwrap_or_else(|| format_ident!("body"));
        members.push(quote!(#field: #local,));
        emit_body(api, validators, operation, &local)
    });
    // Only when a parameter or the body can be wrong is there anything to collect.
    let validates = parameters.iter().chain(body.iter()).any(|tokens| {
        let text = tokens.to_string();
        text.contains("(errors ,") || text.contains("errors .")
    });
    // The checks take the list by reference (`report(errors, …)`), as the validators do.
    let errors = validates.then(|| {
        quote! {
            let mut errors: ::std::vec::Vec<crate::support::FieldError> = ::std::vec::Vec::new();
            let errors = &mut errors;
        }
    });
    let credentials_field = if fields.credentials == "credentials" {
        quote!(credentials)
    } else {
        let field = &fields.credentials;
        quote!(#field: credentials)
    };
    let check = validates.then(|| {
        let unpack = match required_locals.as_slice() {
            [] => TokenStream::new(),
            [local] => quote! {
                let ::std::option::Option::Some(#local) = #local else {
                    return validation_response(super::errors::VALIDATION_STATUS, errors);
                };
            },
            locals => quote! {
                let (#(::std::option::Option::Some(#locals)),*) = (#(#locals),*) else {
                    return validation_response(super::errors::VALIDATION_STATUS, errors);
                };
            },
        };
        quote! {
            if !errors.is_empty() {
                return validation_response(super::errors::VALIDATION_STATUS, errors);
            }
            #unpack
        }
    });
    let uses_parts = !operation_schemes(api, operation).is_empty()
        || !operation.parameters.is_empty()
        || operation.body.is_some();
    let parts = if uses_parts {
        quote!(parts)
    } else {
        quote!(_parts)
    };
    let raw_body = if operation.body.is_some() {
        quote!(raw_body)
    } else {
        quote!(_raw_body)
    };
    let doc = format!(" Serves `{}`.", operation.id);
    // The router matched a segment like `{country}.{format}` as a whole: one that does not
    // have the template's literal text is not this operation's path.
    let template = &operation.path;
    let matches = operation.path.split('/').any(is_partial_segment).then(|| {
        quote! {
            if !crate::support::path_matches(parts.uri.path(), #template) {
                return not_found().await;
            }
        }
    });
    quote! {
        #[doc = #doc]
        async fn #handler<A: Api>(
            ::axum::extract::State(shared): ::axum::extract::State<Shared<A>>,
            request: ::axum::extract::Request,
        ) -> ::axum::response::Response {
            let (#parts, #raw_body) = request.into_parts();
            #matches
            #query
            #credentials
            #errors
            #(#parameters)*
            #body
            #check
            let request = super::operations::#request_type {
                #credentials_field,
                #(#members)*
            };
            #responder(shared.api.#method(request).await)
        }
    }
}

/// The schemes the operation's security names, in the API's order.
fn operation_schemes<'a>(
    api: &'a Api,
    operation: &Operation,
) -> Vec<&'a crate::model::SecurityScheme> {
    api.security_schemes
        .iter()
        .filter(|scheme| {
            operation
                .security
                .iter()
                .any(|alternative| alternative.contains(&scheme.name))
        })
        .collect()
}

fn emit_credentials(api: &Api, operation: &Operation) -> TokenStream {
    let used = operation_schemes(api, operation);
    let values = api.security_schemes.iter().map(|scheme| {
        let field = ident(&scheme.rust_name);
        if !used.iter().any(|used| used.name == scheme.name) {
            return quote!(#field: ::std::option::Option::None,);
        }
        let raw = match &scheme.kind {
            SchemeKind::ApiKey {
                location,
                parameter,
                ..
            } => match location {
                ParameterLocation::Header | ParameterLocation::Path => {
                    quote!(crate::support::header_text(&parts.headers, #parameter))
                }
                ParameterLocation::Query => quote!(crate::support::last_value(&query, #parameter)),
                ParameterLocation::Cookie => {
                    quote!(crate::support::cookie_value(&parts.headers, #parameter))
                }
            },
            SchemeKind::Bearer | SchemeKind::OAuth => {
                quote!(crate::support::authorization(&parts.headers, "bearer"))
            }
            SchemeKind::Basic => quote!(crate::support::authorization(&parts.headers, "basic")),
        };
        let prefix = match &scheme.kind {
            SchemeKind::ApiKey {
                prefix: Some(prefix),
                ..
            } => quote!(.filter(|value| value.starts_with(#prefix))),
            _ => TokenStream::new(),
        };
        quote!(#field: #raw.filter(|value| !value.is_empty())#prefix,)
    });
    let alternatives: Vec<TokenStream> = operation
        .security
        .iter()
        .map(|alternative| {
            let present = api
                .security_schemes
                .iter()
                .filter(|scheme| alternative.contains(&scheme.name))
                .map(|scheme| {
                    let field = ident(&scheme.rust_name);
                    quote!(credentials.#field.is_some())
                })
                .collect::<Vec<_>>();
            if present.is_empty() {
                quote!(true)
            } else if operation.security.len() == 1 {
                quote!(#(#present)&&*)
            } else {
                quote!((#(#present)&&*))
            }
        })
        .collect();
    let anonymous = operation.security.is_empty()
        || operation.security.iter().any(|alternative| {
            !api.security_schemes
                .iter()
                .any(|scheme| alternative.contains(&scheme.name))
        });
    let check = if anonymous {
        TokenStream::new()
    } else {
        quote! {
            let authorized = #(#alternatives)||*;
            if !authorized {
                return error_response(401, #UNAUTHORIZED_MESSAGE);
            }
        }
    };
    quote! {
        let credentials = super::operations::Credentials {
            #(#values)*
        };
        #check
    }
}

fn emit_parameter(
    api: &Api,
    validators: &Validators<'_>,
    parameter: &Parameter,
    local: &syn::Ident,
    position: Option<(usize, &str)>,
) -> TokenStream {
    let name = &parameter.name;
    let location = location_tokens(parameter.location);
    let field = quote!(#name);
    // Checks walk a path (named by the parameter) and name it only for an error.
    let path = quote!(&crate::support::FieldPath::Named(#name));
    let absent = if parameter.required {
        let text = required_message(&parameter.messages);
        let error = push(&field, &location, "required", &quote!(#text));
        quote!({ #error ::std::option::Option::None })
    } else {
        quote!(::std::option::Option::None)
    };
    let single = match parameter.location {
        ParameterLocation::Path => {
            let (index, segment) = position.unwrap_or_default();
            let index = Literal::usize_unsuffixed(index);
            if is_partial_segment(segment) {
                quote!(crate::support::path_part(parts.uri.path(), #index, #segment, #name))
            } else {
                quote!(crate::support::path_segment(parts.uri.path(), #index))
            }
        }
        ParameterLocation::Query => quote!(crate::support::last_value(&query, #name)),
        ParameterLocation::Header => quote!(crate::support::header_text(&parts.headers, #name)),
        ParameterLocation::Cookie => quote!(crate::support::cookie_value(&parts.headers, #name)),
    };
    let type_text = type_message(api, &parameter.ty, &parameter.messages);
    if matches!(parameter.ty, TypeRef::String) {
        // The text is the value: check it, keep it.
        let checks = validators.value_checks(
            &parameter.ty,
            &parameter.constraints,
            &parameter.messages,
            quote!(text.as_str()),
            path.clone(),
            &location,
        );
        if checks.is_empty() && !parameter.required {
            return quote!(let #local = #single;);
        }
        return quote! {
            let #local = match #single {
                ::std::option::Option::None => #absent,
                ::std::option::Option::Some(text) => {
                    #checks
                    ::std::option::Option::Some(text)
                }
            };
        };
    }
    let checks = validators.value_checks(
        &parameter.ty,
        &parameter.constraints,
        &parameter.messages,
        quote!(converted),
        path,
        &location,
    );
    let checked = if checks.is_empty() {
        TokenStream::new()
    } else {
        quote!(if let ::std::option::Option::Some(converted) = &converted { #checks })
    };
    if let TypeRef::Array(item) = &parameter.ty {
        let texts = match parameter.location {
            ParameterLocation::Query => quote!(crate::support::all_values(&query, #name)),
            _ => quote!(#single.map(|text| crate::support::split_list(&text)).unwrap_or_default()),
        };
        let convert = validators.read_text(
            item,
            &type_text,
            quote!(text.as_str()),
            field.clone(),
            &location,
        );
        let finish = if checked.is_empty() {
            quote!(if complete {
                ::std::option::Option::Some(converted)
            } else {
                ::std::option::Option::None
            })
        } else {
            quote! {
                let converted = if complete { ::std::option::Option::Some(converted) } else { ::std::option::Option::None };
                #checked
                converted
            }
        };
        return quote! {
            let #local = {
                let texts = #texts;
                if texts.is_empty() {
                    #absent
                } else {
                    let mut converted = ::std::vec::Vec::with_capacity(texts.len());
                    let mut complete = true;
                    for text in &texts {
                        let item = #convert;
                        match item {
                            ::std::option::Option::Some(item) => converted.push(item),
                            ::std::option::Option::None => complete = false,
                        }
                    }
                    #finish
                }
            };
        };
    }
    let convert = validators.read_text(
        &parameter.ty,
        &type_text,
        quote!(text.as_str()),
        field,
        &location,
    );
    let empty = if is_text(api, &parameter.ty) {
        TokenStream::new()
    } else {
        quote!(::std::option::Option::Some(text) if text.is_empty() => #absent,)
    };
    let present = if checked.is_empty() {
        convert
    } else {
        quote! {
            {
                let converted = #convert;
                #checked
                converted
            }
        }
    };
    quote! {
        let #local = match #single {
            ::std::option::Option::None => #absent,
            #empty
            ::std::option::Option::Some(text) => #present,
        };
    }
}

/// Whether a value of `ty` is a string on the wire (the empty text is a value, not absence).
fn is_text(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String => true,
        TypeRef::Named(name) => match api.type_named(name).map(|def| &def.kind) {
            Some(TypeKind::Alias(target)) => matches!(target, TypeRef::String),
            _ => false,
        },
        _ => false,
    }
}

fn emit_body(
    api: &Api,
    validators: &Validators<'_>,
    operation: &Operation,
    local: &syn::Ident,
) -> TokenStream {
    let Some(body) = &operation.body else {
        return TokenStream::new();
    };
    let body_type = body_name(operation);
    let whole = quote!(crate::support::whole_field("", super::errors::BODY_FIELD));
    let location = quote!(crate::support::Location::Body);
    let absent = if body.required {
        let error = push(
            &whole,
            &location,
            "required",
            &quote!("A non-empty request body is required."),
        );
        quote!({ #error ::std::option::Option::None })
    } else {
        quote!({ ::std::option::Option::None })
    };
    let listed: Vec<&str> = body
        .contents
        .iter()
        .map(|content| content.media_type.as_str())
        .collect();
    let listed = listed.join(", ").replace('{', "{{").replace('}', "}}");
    let mut arms = Vec::new();
    for (variant, content) in body_variants(body) {
        let media = &content.media_type;
        let read = match content.kind {
            MediaKind::Json => {
                let parsed = match validators
                    .body_struct(&content.ty)
                    .and_then(|name| validators.names.parse.get(name))
                {
                    Some(parse) => quote! {
                        match super::validate::#parse(value) {
                            ::std::result::Result::Ok(parsed) => ::std::option::Option::Some(super::operations::#body_type::#variant(parsed)),
                            ::std::result::Result::Err(found) => {
                                errors.extend(found);
                                ::std::option::Option::None
                            }
                        }
                    },
                    None => {
                        let ty = qualified(&content.ty);
                        let text =
                            type_message(api, &content.ty, &crate::spec::ext::Messages::new());
                        let error = push(&whole, &location, "type", &quote!(#text));
                        quote! {
                            match ::serde_json::from_value::<#ty>(value) {
                                ::std::result::Result::Ok(parsed) => ::std::option::Option::Some(super::operations::#body_type::#variant(parsed)),
                                ::std::result::Result::Err(_) => {
                                    #error
                                    ::std::option::Option::None
                                }
                            }
                        }
                    }
                };
                quote! {
                    if bytes.is_empty() #absent else {
                        let ::std::result::Result::Ok(text) = ::std::str::from_utf8(&bytes) else {
                            return body_error(400, "encoding", "The request body is not valid UTF-8.");
                        };
                        let value: ::serde_json::Value = match ::serde_json::from_str(text) {
                            ::std::result::Result::Ok(value) => value,
                            ::std::result::Result::Err(error) => {
                                return body_error(
                                    400,
                                    "json_invalid",
                                    &::std::format!("The request body is not valid JSON: {error}."),
                                );
                            }
                        };
                        #parsed
                    }
                }
            }
            MediaKind::Form | MediaKind::Multipart => {
                let parse = validators
                    .body_struct(&content.ty)
                    .and_then(|name| validators.names.parse_form.get(name));
                let parsed = match parse {
                    Some(parse) => quote! {
                        match super::validate::#parse(&pairs, files) {
                            ::std::result::Result::Ok(parsed) => ::std::option::Option::Some(super::operations::#body_type::#variant(parsed)),
                            ::std::result::Result::Err(found) => {
                                errors.extend(found);
                                ::std::option::Option::None
                            }
                        }
                    },
                    None => {
                        let error = push(
                            &whole,
                            &location,
                            "type",
                            &quote!("This body cannot be sent as a form."),
                        );
                        quote!({
                            let _ = (pairs, files);
                            #error
                            ::std::option::Option::None
                        })
                    }
                };
                if content.kind == MediaKind::Form {
                    quote! {
                        {
                            let ::std::result::Result::Ok(text) = ::std::str::from_utf8(&bytes) else {
                                return body_error(400, "encoding", "The request body is not valid UTF-8.");
                            };
                            let pairs = crate::support::parse_form(text);
                            let files: ::std::vec::Vec<(::std::string::String, crate::support::Upload)> =
                                ::std::vec::Vec::new();
                            #parsed
                        }
                    }
                } else {
                    let part_checks = part_content_type_checks(api, validators, content);
                    quote! {
                        if bytes.is_empty() #absent else {
                            match crate::support::read_multipart(&parts.headers, &parts.extensions, bytes).await {
                                ::std::result::Result::Ok((pairs, files)) => {
                                    #part_checks
                                    #parsed
                                }
                                ::std::result::Result::Err(message) => {
                                    return body_error(400, "multipart", &message);
                                }
                            }
                        }
                    }
                }
            }
            MediaKind::Text | MediaKind::Binary => quote! {
                ::std::option::Option::Some(super::operations::#body_type::#variant(bytes))
            },
        };
        arms.push(quote! {
            ::std::option::Option::Some(essence) if crate::support::media_type_matches(#media, essence) => #read,
        });
    }
    let unsupported =
        format!("Unsupported media type \"{{essence}}\" in request: expected {listed}.");
    let missing = format!("Missing content type: the request body must be {listed}.")
        .replace("{{", "{")
        .replace("}}", "}");
    quote! {
        let #local = {
            let limit = shared.config.max_body_bytes;
            if crate::support::content_length(&parts.headers).is_some_and(|length| length > limit) {
                return error_response(413, &::std::format!("Request body too large: the limit is {limit} bytes."));
            }
            let bytes = match crate::support::read_body(raw_body, limit).await {
                ::std::result::Result::Ok(bytes) => bytes,
                ::std::result::Result::Err(crate::support::BodyError::TooLarge) => {
                    return error_response(413, &::std::format!("Request body too large: the limit is {limit} bytes."));
                }
                ::std::result::Result::Err(crate::support::BodyError::Unreadable) => {
                    return body_error(400, "body", "The request body could not be read.");
                }
            };
            let media_type = crate::support::media_type(&parts.headers);
            match media_type.as_deref() {
                ::std::option::Option::None if bytes.is_empty() => #absent,
                #(#arms)*
                ::std::option::Option::Some(essence) => {
                    return body_error(415, "content-type", &::std::format!(#unsupported));
                }
                ::std::option::Option::None => {
                    return body_error(415, "content-type", #missing);
                }
            }
        };
    }
}

/// Multipart: a file part whose media type the `encoding` does not list is an error on it.
fn part_content_type_checks(
    api: &Api,
    validators: &Validators<'_>,
    content: &crate::model::BodyContent,
) -> TokenStream {
    if content.part_content_types.is_empty() {
        return TokenStream::new();
    }
    let fields = validators.body_struct(&content.ty).and_then(|name| {
        match api.type_named(name).map(|def| &def.kind) {
            Some(TypeKind::Struct(def)) => Some(&def.fields),
            _ => None,
        }
    });
    let checks = content.part_content_types.iter().map(|(part, types)| {
        let message = fields
            .and_then(|fields| fields.iter().find(|field| &field.name == part))
            .and_then(|field| field.messages.get(&Constraint::ContentType).cloned())
            .unwrap_or_else(|| format!("The file must be one of: {}.", types.join(", ")));
        let error = push(
            &quote!(#part),
            &quote!(crate::support::Location::Body),
            "content-type",
            &quote!(#message),
        );
        quote! {
            if name == #part && !crate::support::media_type_allowed(upload.content_type.as_deref(), &[#(#types),*]) {
                #error
            }
        }
    });
    quote! {
        for (name, upload) in &files {
            #(#checks)*
        }
    }
}

fn emit_responder(operation: &Operation) -> TokenStream {
    let name = responder_name(operation);
    let response = response_name(operation);
    let arms: Vec<TokenStream> = response_variants(operation)
        .iter()
        .map(|variant| {
            let ident = &variant.name;
            let media = response_media_type(variant.response);
            let code = match variant.response.status {
                crate::model::StatusSpec::Code(code) => Literal::u16_unsuffixed(code),
                _ => Literal::u16_unsuffixed(500),
            };
            match (variant.carries_status, variant.body.is_some()) {
                (false, true) => quote! {
                    super::operations::#response::#ident(body) => crate::support::json_response(#code, #media, &body),
                },
                (false, false) => quote! {
                    super::operations::#response::#ident => crate::support::empty_response(#code),
                },
                (true, true) => quote! {
                    super::operations::#response::#ident { status, body } => crate::support::json_response(status, #media, &body),
                },
                (true, false) => quote! {
                    super::operations::#response::#ident { status } => crate::support::empty_response(status),
                },
            }
        })
        .collect();
    let doc = format!(" The HTTP response for a `{response}` answer.");
    quote! {
        #[doc = #doc]
        fn #name(response: super::operations::#response) -> ::axum::response::Response {
            match response {
                #(#arms)*
            }
        }
    }
}

/// Problems that would make the router panic when built, or a validator fail to compile:
/// path templates axum cannot route (a parameter that is not a whole segment, `:`/`*`
/// segments, two templates that differ only in parameter names), and patterns the `regex`
/// crate cannot run.
pub fn check(api: &Api, problem: &mut dyn FnMut(&str, String)) {
    // operations.rs: `Credentials` and three types per operation, all distinct.
    let mut items = std::collections::BTreeSet::from([String::from("Credentials")]);
    for operation in &api.operations {
        for suffix in ["Request", "Body", "Response"] {
            let name = format!("{}{suffix}", operation.type_stem);
            if !items.insert(name.clone()) {
                problem(
                    &format!("/paths/{}", crate::spec::pointer::escape(&operation.path)),
                    format!("operation type `{name}` is defined twice"),
                );
            }
        }
    }
    // Each route's paths (more than one only when their literal text tells them apart) and
    // each path's methods.
    let mut routes: BTreeMap<String, Vec<(&str, Vec<Method>)>> = BTreeMap::new();
    for operation in &api.operations {
        let at = format!(
            "/paths/{}/{}",
            crate::spec::pointer::escape(&operation.path),
            operation.method.as_str().to_ascii_lowercase()
        );
        if !operation.path.starts_with('/') {
            problem(
                &at,
                format!("path {:?} does not start with `/`", operation.path),
            );
        }
        let mut names = std::collections::BTreeSet::new();
        let mut shape = Vec::new();
        for segment in operation.path.split('/') {
            let name = segment
                .strip_prefix('{')
                .and_then(|rest| rest.strip_suffix('}'));
            match name {
                Some(name)
                    if !name.is_empty()
                        && !name.contains(['{', '}', '/'])
                        && !name.starts_with('*') =>
                {
                    if !names.insert(name) {
                        problem(&at, format!("path parameter `{{{name}}}` appears twice"));
                    }
                    shape.push("{}");
                }
                _ if segment.contains(['{', '}']) => {
                    let mut rest = segment;
                    let mut balanced = true;
                    while let Some(start) = rest.find(['{', '}']) {
                        let Some(length) = rest[start..]
                            .find('}')
                            .filter(|_| rest[start..].starts_with('{'))
                        else {
                            balanced = false;
                            break;
                        };
                        let name = &rest[start + 1..start + length];
                        if name.is_empty() || name.contains('{') {
                            balanced = false;
                            break;
                        }
                        if !names.insert(name) {
                            problem(&at, format!("path parameter `{{{name}}}` appears twice"));
                        }
                        rest = &rest[start + length + 1..];
                    }
                    if !balanced {
                        problem(
                            &at,
                            format!(
                                "path segment {segment:?} has unbalanced braces or an empty `{{}}`"
                            ),
                        );
                    }
                    // Routed as one whole-segment parameter, split by the handler.
                    shape.push("{}");
                }
                _ if segment.starts_with([':', '*']) => problem(
                    &at,
                    format!("path segment {segment:?} starts with `:` or `*`, which axum reserves"),
                ),
                _ => shape.push(segment),
            }
        }
        let shape = shape.join("/");
        let paths = routes.entry(shape).or_default();
        if let Some((_, methods)) = paths.iter_mut().find(|(path, _)| *path == operation.path) {
            if methods.contains(&operation.method) {
                problem(
                    &at,
                    format!(
                        "two operations are {} {}",
                        operation.method.as_str(),
                        operation.path
                    ),
                );
            } else {
                methods.push(operation.method);
            }
        } else if let Some((other, _)) = paths
            .iter()
            .find(|(other, _)| !distinguishable(other, &operation.path))
        {
            let partial = |path: &str| path.split('/').any(is_partial_segment);
            let message = if partial(other) || partial(&operation.path) {
                format!(
                    "paths {:?} and {:?} fall on one route: a segment with a parameter and more text is routed as a whole segment, and the router tells two paths on one route apart only by such a segment in both whose literal text starts or ends differently (`{{x}}.json`, `{{y}}.xml`)",
                    other, operation.path
                )
            } else {
                format!(
                    "paths {:?} and {:?} differ only in their parameters' names: one route cannot serve both",
                    other, operation.path
                )
            };
            problem(&at, message);
        } else {
            paths.push((&operation.path, vec![operation.method]));
        }
    }
    super::validate::each_pattern(api, |at, pattern| match super::validate::translate_pattern(
        pattern,
    ) {
        Ok(translated) => {
            if let Err(error) = super::validate::compile_check(&translated) {
                problem(at, format!("pattern {pattern:?} does not compile: {error}"));
            }
        }
        Err(error) => problem(
            at,
            format!("pattern {pattern:?} cannot be translated: {error}"),
        ),
    });
}

#[cfg(test)]
pub(crate) mod tests;
