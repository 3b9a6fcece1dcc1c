//! `operations.rs` of one API: the plain data of every operation, shared by the generated server
//! and client (no axum, no reqwest).
//!
//! - `Credentials`: one `Option<String>` per security scheme, `Debug` redacted.
//! - per operation `<Stem>Request` (credentials, parameters, body), `<Stem>Body` (one variant
//!   per media type) and `<Stem>Response` (one variant per documented response).
//!
//! The naming helpers here ([`request_fields`], [`body_variants`], [`response_variants`]) are
//! the one place those names are decided: every emitter that builds or takes apart these
//! types calls them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::ident;
use crate::model::names::NameSet;
use crate::model::{
    Api, BodyContent, IntegerWidth, MediaKind, Operation, Parameter, RequestBody, Response,
    StatusSpec, TypeRef,
};

/// A type of `types.rs` as seen from a sibling module: `super::types::Name`, primitives fully
/// qualified.
pub fn qualified(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(super::types::#name)
        }
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Integer(IntegerWidth::I32) => quote!(i32),
        TypeRef::Integer(IntegerWidth::I64) => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Binary => quote!(crate::support::Upload),
        TypeRef::Array(item) => {
            let item = qualified(item);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = qualified(value);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
        TypeRef::Any => quote!(::serde_json::Value),
    }
}

/// `<Stem>Request`.
pub fn request_name(operation: &Operation) -> syn::Ident {
    format_ident!("{}Request", operation.type_stem)
}

/// `<Stem>Body`.
pub fn body_name(operation: &Operation) -> syn::Ident {
    format_ident!("{}Body", operation.type_stem)
}

/// `<Stem>Response`.
pub fn response_name(operation: &Operation) -> syn::Ident {
    format_ident!("{}Response", operation.type_stem)
}

/// The fields of a `<Stem>Request`, in declaration order.
#[derive(Debug, Clone)]
pub struct RequestFields<'a> {
    /// Always `credentials`.
    pub credentials: syn::Ident,
    /// One per parameter, in the model's order.
    pub parameters: Vec<(syn::Ident, &'a Parameter)>,
    /// `body` (`body_2`, … when a parameter is called `body`), when the operation has a body.
    pub body: Option<syn::Ident>,
}

/// The field names of the request type: `credentials` first, then the parameters' own names,
/// then `body`; a parameter called `credentials` or `body` gets a suffix.
pub fn request_fields(operation: &Operation) -> RequestFields<'_> {
    let mut names = NameSet::default();
    let credentials = ident(&names.unique("credentials".into()));
    let parameters = operation
        .parameters
        .iter()
        .map(|parameter| (ident(&names.unique(parameter.rust_name.clone())), parameter))
        .collect();
    let body = operation
        .body
        .as_ref()
        .map(|_| ident(&names.unique("body".into())));
    RequestFields {
        credentials,
        parameters,
        body,
    }
}

/// The variants of a `<Stem>Body`: `Json`, `Form`, `Multipart`, `Text`, `Binary` after the
/// media kind (`Json2`, … when two media types have the same kind), in document order.
pub fn body_variants(body: &RequestBody) -> Vec<(syn::Ident, &BodyContent)> {
    let mut names = NameSet::default();
    body.contents
        .iter()
        .map(|content| {
            let name = match content.kind {
                MediaKind::Json => "Json",
                MediaKind::Form => "Form",
                MediaKind::Multipart => "Multipart",
                MediaKind::Text => "Text",
                MediaKind::Binary => "Binary",
            };
            (ident(&names.unique(name.into())), content)
        })
        .collect()
}

/// What a body variant holds: the schema's type for JSON, form and multipart bodies, the raw
/// bytes for text and binary ones.
pub fn body_payload(content: &BodyContent) -> TokenStream {
    match content.kind {
        MediaKind::Json | MediaKind::Form | MediaKind::Multipart => qualified(&content.ty),
        MediaKind::Text | MediaKind::Binary => quote!(::std::vec::Vec<u8>),
    }
}

/// How a response variant is shaped.
#[derive(Debug, Clone)]
pub struct ResponseVariant<'a> {
    pub name: syn::Ident,
    pub response: &'a Response,
    /// The JSON body's type, if the response has one.
    pub body: Option<&'a TypeRef>,
    /// `Default` and ranges carry the actual status: `{ status: u16, body: T }`.
    pub carries_status: bool,
}

/// One variant per documented response, in the model's order.
pub fn response_variants(operation: &Operation) -> Vec<ResponseVariant<'_>> {
    operation
        .responses
        .iter()
        .map(|response| ResponseVariant {
            name: ident(&response.variant),
            response,
            body: response.json_type(),
            carries_status: !matches!(response.status, StatusSpec::Code(_)),
        })
        .collect()
}

/// The media type a response's JSON body is sent with (`application/json` unless the spec
/// lists another JSON type such as `application/problem+json`).
pub fn response_media_type(response: &Response) -> &str {
    response
        .contents
        .iter()
        .find(|(media, ty)| MediaKind::of(media) == MediaKind::Json && ty.is_some())
        .map_or("application/json", |(media, _)| media.as_str())
}

/// `operations.rs` of `api`.
pub fn emit_operations(api: &Api) -> TokenStream {
    let credentials = emit_credentials(api);
    let operations = api.operations.iter().map(emit_operation);
    quote! {
        #![allow(clippy::large_enum_variant)]
        #credentials
        #(#operations)*
    }
}

fn emit_credentials(api: &Api) -> TokenStream {
    let fields: Vec<syn::Ident> = api
        .security_schemes
        .iter()
        .map(|scheme| ident(&scheme.rust_name))
        .collect();
    let docs = api.security_schemes.iter().map(|scheme| {
        let doc = format!(" The `{}` security scheme.", scheme.name);
        quote!(#[doc = #doc])
    });
    let names: Vec<String> = api
        .security_schemes
        .iter()
        .map(|scheme| scheme.rust_name.trim_start_matches("r#").to_owned())
        .collect();
    let formatter = if fields.is_empty() {
        quote!(_f)
    } else {
        quote!(f)
    };
    let body = if fields.is_empty() {
        quote!(_f.write_str("Credentials"))
    } else {
        quote! {
            f.debug_struct("Credentials")
                #(.field(#names, &self.#fields.as_ref().map(|_| "[redacted]")))*
                .finish()
        }
    };
    quote! {
        /// The credentials of a request, one field per security scheme, each the raw value as
        /// sent (a bearer token without its `Bearer ` prefix). `Debug` shows `[redacted]` for
        /// every value present.
        #[derive(
            ::std::clone::Clone,
            ::std::default::Default,
            ::std::cmp::PartialEq,
            ::std::cmp::Eq
        )]
        pub struct Credentials {
            #(
                #docs
                pub #fields: ::std::option::Option<::std::string::String>,
            )*
        }

        impl ::std::fmt::Debug for Credentials {
            fn fmt(&self, #formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #body
            }
        }
    }
}

fn operation_doc(operation: &Operation) -> String {
    format!(
        " `{}` (`{} {}`)",
        operation.id,
        operation.method.as_str(),
        operation.path
    )
}

fn emit_operation(operation: &Operation) -> TokenStream {
    let request = emit_request(operation);
    let body = operation
        .body
        .as_ref()
        .map(|body| emit_body(operation, body));
    let response = emit_response(operation);
    quote! {
        #request
        #body
        #response
    }
}

fn emit_request(operation: &Operation) -> TokenStream {
    let name = request_name(operation);
    let doc = format!(" The request of{}.", operation_doc(operation));
    let fields = request_fields(operation);
    let credentials = &fields.credentials;
    let parameters = fields.parameters.iter().map(|(field, parameter)| {
        let ty = qualified(&parameter.ty);
        let ty = if parameter.required {
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        };
        let location = match parameter.location {
            crate::model::ParameterLocation::Path => "path",
            crate::model::ParameterLocation::Query => "query",
            crate::model::ParameterLocation::Header => "header",
            crate::model::ParameterLocation::Cookie => "cookie",
        };
        let doc = format!(" The {location} parameter `{}`.", parameter.name);
        quote! {
            #[doc = #doc]
            pub #field: #ty,
        }
    });
    let body = fields.body.as_ref().map(|field| {
        let body = body_name(operation);
        let required = operation.body.as_ref().is_some_and(|body| body.required);
        let ty = if required {
            quote!(#body)
        } else {
            quote!(::std::option::Option<#body>)
        };
        quote! {
            /// The request body.
            pub #field: #ty,
        }
    });
    let rule_messages = emit_rule_messages(&name, operation);
    quote! {
        #[doc = #doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        pub struct #name {
            /// The credentials sent with the request.
            pub #credentials: Credentials,
            #(#parameters)*
            #body
        }

        #rule_messages
    }
}

/// The messages of the operation's `x-rules`, as constants a server answers with.
fn emit_rule_messages(name: &syn::Ident, operation: &Operation) -> Option<TokenStream> {
    use crate::spec::ext::Rule;
    let consts: Vec<TokenStream> = operation
        .rules
        .iter()
        .filter_map(|rule| match rule {
            Rule::RequiredWhenChanged { message, when_changed, .. } => {
                let doc = format!(" The message for a field `required-when-changed` asks for when `{when_changed}` changes.");
                Some(quote! {
                    #[doc = #doc]
                    pub const REQUIRED_WHEN_CHANGED_MESSAGE: &'static str = #message;
                })
            }
            Rule::VerifiedToken { message, field, .. } => {
                let doc = format!(" The message on `{field}` when its token does not verify.");
                Some(quote! {
                    #[doc = #doc]
                    pub const VERIFIED_TOKEN_MESSAGE: &'static str = #message;
                })
            }
            Rule::Throttle { message, status, .. } => {
                let doc = format!(" The message of the throttle answer ({status}).");
                Some(quote! {
                    #[doc = #doc]
                    pub const THROTTLE_MESSAGE: &'static str = #message;
                })
            }
            _ => None,
        })
        .collect();
    (!consts.is_empty()).then(|| {
        quote! {
            impl #name {
                #(#consts)*
            }
        }
    })
}

fn emit_body(operation: &Operation, body: &RequestBody) -> TokenStream {
    let name = body_name(operation);
    let doc = format!(
        " The body of{}, one variant per media type.",
        operation_doc(operation)
    );
    let variants = body_variants(body);
    let idents: Vec<_> = variants.iter().map(|(variant, _)| variant).collect();
    let media: Vec<&str> = variants
        .iter()
        .map(|(_, content)| content.media_type.as_str())
        .collect();
    let payloads = variants.iter().map(|(_, content)| body_payload(content));
    let docs = media.iter().map(|media| format!(" `{media}`"));
    let matched = if idents.is_empty() {
        quote!(match *self {})
    } else {
        quote! {
            match self {
                #(Self::#idents(_) => #media,)*
            }
        }
    };
    quote! {
        #[doc = #doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        pub enum #name {
            #(
                #[doc = #docs]
                #idents(#payloads),
            )*
        }

        impl #name {
            /// The media type the body is sent as.
            pub fn media_type(&self) -> &'static str {
                #matched
            }
        }
    }
}

fn emit_response(operation: &Operation) -> TokenStream {
    let name = response_name(operation);
    let doc = format!(
        " The responses of{}, one variant per documented status.",
        operation_doc(operation)
    );
    let variants = response_variants(operation);
    let declarations = variants.iter().map(|variant| {
        let ident = &variant.name;
        let status = match variant.response.status {
            StatusSpec::Code(code) => code.to_string(),
            StatusSpec::Range(hundreds) => format!("{hundreds}XX"),
            StatusSpec::Default => "default".into(),
        };
        let description = variant.response.description.trim();
        let doc = if description.is_empty() {
            format!(" `{status}`.")
        } else {
            format!(" `{status}`: {}", description.replace('\n', " "))
        };
        let shape = match (variant.carries_status, variant.body) {
            (false, Some(ty)) => {
                let ty = qualified(ty);
                quote!((#ty))
            }
            (false, None) => TokenStream::new(),
            (true, Some(ty)) => {
                let ty = qualified(ty);
                quote!({ status: u16, body: #ty })
            }
            (true, None) => quote!({ status: u16 }),
        };
        quote! {
            #[doc = #doc]
            #ident #shape,
        }
    });
    let arms = variants.iter().map(|variant| {
        let ident = &variant.name;
        match (variant.response.status, variant.body) {
            (StatusSpec::Code(code), Some(_)) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote!(Self::#ident(_) => #code,)
            }
            (StatusSpec::Code(code), None) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote!(Self::#ident => #code,)
            }
            _ => quote!(Self::#ident { status, .. } => *status,),
        }
    });
    let status = if variants.is_empty() {
        quote!(match *self {})
    } else {
        quote!(match self { #(#arms)* })
    };
    quote! {
        #[doc = #doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        pub enum #name {
            #(#declarations)*
        }

        impl #name {
            /// The HTTP status of the response.
            pub fn status(&self) -> u16 {
                #status
            }
        }
    }
}
