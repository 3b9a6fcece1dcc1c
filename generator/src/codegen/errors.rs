//! `errors.rs` of one API: its error envelope (`x-error-envelope`) compiled to Rust that builds
//! a `serde_json::Value`. Nothing interprets a template at run time.
//!
//! An API without `x-error-envelope` answers RFC 9457 problem details
//! (`{type: "about:blank", title, status, detail, errors?}`, `application/problem+json`).

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::operations::response_media_type;
use crate::model::{Api, TypeRef};
use crate::spec::ext::{EnvelopeTemplate, Placeholder, Template};

/// The summary a validation error carries as `$message`.
pub const VALIDATION_MESSAGE: &str = "Validation failed.";

/// `errors.rs` of `api`.
pub fn emit_errors(api: &Api) -> TokenStream {
    let (validation_status, body_error_status, body_field) = match &api.error_envelope {
        Some(envelope) => (
            envelope.validation_status(),
            envelope.body_error_status,
            envelope.validation.body_field.clone(),
        ),
        None => (400, None, None),
    };
    let body_error_status = match body_error_status {
        Some(status) => {
            let status = Literal::u16_unsuffixed(status);
            quote!(::std::option::Option::Some(#status))
        }
        None => quote!(::std::option::Option::None),
    };
    let body_field = match body_field {
        Some(field) => quote!(::std::option::Option::Some(#field)),
        None => quote!(::std::option::Option::None),
    };
    let validation_status = Literal::u16_unsuffixed(validation_status);
    let (error_media, validation_media) = match &api.error_envelope {
        Some(envelope) => (
            media_type_of(api, &envelope.other),
            media_type_of(api, &envelope.validation),
        ),
        None => (
            "application/problem+json".to_owned(),
            "application/problem+json".to_owned(),
        ),
    };
    let (error_body, validation_body) = match &api.error_envelope {
        Some(envelope) => (
            emit_error_body(&envelope.other.body),
            emit_validation_body(&envelope.validation.body),
        ),
        None => problem_bodies(),
    };
    quote! {
        /// The status of a validation error (errors on named fields).
        pub const VALIDATION_STATUS: u16 = #validation_status;

        /// The status a body that cannot be read (bad JSON, invalid UTF-8, an unlisted content
        /// type) is answered with, as a validation error on the body; `None`: 400 or 415 with
        /// [`error_body`].
        pub const BODY_ERROR_STATUS: ::std::option::Option<u16> = #body_error_status;

        /// The field name of errors of the body as a whole; `None`: such errors name no field.
        pub const BODY_FIELD: ::std::option::Option<&str> = #body_field;

        /// The media type of [`error_body`] answers.
        pub const ERROR_MEDIA_TYPE: &str = #error_media;

        /// The media type of [`validation_body`] answers.
        pub const VALIDATION_MEDIA_TYPE: &str = #validation_media;

        /// The summary a validation error body carries as its message.
        pub const VALIDATION_MESSAGE: &str = #VALIDATION_MESSAGE;

        #error_body

        /// The body of a validation error with status [`VALIDATION_STATUS`].
        pub fn validation_body(errors: &[crate::support::FieldError]) -> ::serde_json::Value {
            validation_body_with_status(VALIDATION_STATUS, errors)
        }

        #validation_body
    }
}

/// The media type the responses whose body is the template's schema are sent with.
fn media_type_of(api: &Api, template: &EnvelopeTemplate) -> String {
    let component = template
        .schema
        .strip_prefix("#/components/schemas/")
        .unwrap_or(&template.schema);
    let Some(def) = api.component(component) else {
        return "application/json".into();
    };
    let wanted = TypeRef::Named(def.rust_name.clone());
    api.operations
        .iter()
        .flat_map(|operation| &operation.responses)
        .find(|response| response.json_type() == Some(&wanted))
        .map_or_else(
            || "application/json".into(),
            |response| response_media_type(response).to_owned(),
        )
}

fn uses(template: &Template, placeholder: Placeholder) -> bool {
    template.placeholders().contains(&placeholder)
}

fn uses_errors(template: &Template) -> bool {
    fn walk(template: &Template) -> bool {
        match template {
            Template::Literal(_) | Template::Example(_) => false,
            Template::Placeholder(placeholder) => *placeholder == Placeholder::Errors,
            Template::Object(entries) => entries.iter().any(|(_, inner)| walk(inner)),
            Template::Array(items) => items.iter().any(walk),
            Template::EachError(_) => true,
        }
    }
    walk(template)
}

/// A parameter named `name`, or `_name` when the template does not use it.
fn parameter(name: &str, used: bool) -> syn::Ident {
    if used {
        quote::format_ident!("{}", name)
    } else {
        quote::format_ident!("_{}", name)
    }
}

fn error_id_binding(template: &Template) -> TokenStream {
    if uses(template, Placeholder::ErrorId) {
        quote!(let error_id = crate::support::next_error_id();)
    } else {
        TokenStream::new()
    }
}

fn emit_error_body(template: &Template) -> TokenStream {
    let status = parameter("status", uses(template, Placeholder::Status));
    let message = parameter("message", uses(template, Placeholder::Message));
    let error_id = error_id_binding(template);
    let body = body_tokens(template, Scope::Other);
    quote! {
        /// The body of an error other than a validation error (401, 403, 404, 413, 415, …).
        pub fn error_body(#status: u16, #message: &str) -> ::serde_json::Value {
            #error_id
            #body
        }
    }
}

fn emit_validation_body(template: &Template) -> TokenStream {
    let status = parameter("status", uses(template, Placeholder::Status));
    let errors = parameter("errors", uses_errors(template));
    let error_id = error_id_binding(template);
    let message =
        if uses(template, Placeholder::Message) && template_outside_each_uses_message(template) {
            quote!(let message = VALIDATION_MESSAGE;)
        } else {
            TokenStream::new()
        };
    let body = body_tokens(template, Scope::Validation);
    quote! {
        /// The body of a validation error answered with `status` ([`VALIDATION_STATUS`], or
        /// [`BODY_ERROR_STATUS`] for a body that cannot be read): every error at once.
        pub fn validation_body_with_status(
            #status: u16,
            #errors: &[crate::support::FieldError],
        ) -> ::serde_json::Value {
            #error_id
            #message
            #body
        }
    }
}

/// Whether `$message` appears outside `$each-error` (inside, it is each error's own message).
fn template_outside_each_uses_message(template: &Template) -> bool {
    match template {
        Template::Literal(_) | Template::Example(_) | Template::EachError(_) => false,
        Template::Placeholder(placeholder) => *placeholder == Placeholder::Message,
        Template::Object(entries) => entries
            .iter()
            .any(|(_, inner)| template_outside_each_uses_message(inner)),
        Template::Array(items) => items.iter().any(template_outside_each_uses_message),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The `other` template: `status`, `message`.
    Other,
    /// The `validation` template outside `$each-error`: `status`, `message` (the summary),
    /// `errors`.
    Validation,
    /// Inside `$each-error`: `error` is the current `FieldError`.
    Each,
}

/// An expression of type `serde_json::Value` for `template`.
fn template_tokens(template: &Template, scope: Scope) -> TokenStream {
    match template {
        Template::Literal(value) | Template::Example(value) => literal_tokens(value),
        Template::Placeholder(placeholder) => match (placeholder, scope) {
            (Placeholder::Status, _) => quote!(::serde_json::Value::from(status)),
            (Placeholder::Message, Scope::Each) => {
                quote!(::serde_json::Value::from(&*error.message))
            }
            (Placeholder::Message, _) => quote!(::serde_json::Value::from(message)),
            (Placeholder::Errors, _) => quote!(crate::support::errors_object(errors)),
            (Placeholder::ErrorId, _) => {
                quote!(::serde_json::Value::from(::std::clone::Clone::clone(
                    &error_id
                )))
            }
            (Placeholder::Field, _) => quote!(::serde_json::Value::from(&*error.field)),
            (Placeholder::Kind, _) => quote!(::serde_json::Value::from(error.kind)),
            (Placeholder::Loc, _) => quote!(error.loc()),
        },
        Template::Object(entries) => {
            if entries.is_empty() {
                return quote!(::serde_json::Value::Object(::serde_json::Map::new()));
            }
            let statements = object_statements(entries, scope);
            quote!({ #statements })
        }
        Template::Array(items) => {
            let items = items.iter().map(|inner| template_tokens(inner, scope));
            quote!(::serde_json::Value::Array(::std::vec![#(#items),*]))
        }
        Template::EachError(item) => {
            let binding = if item.placeholders().iter().any(|placeholder| {
                matches!(
                    placeholder,
                    Placeholder::Field
                        | Placeholder::Kind
                        | Placeholder::Loc
                        | Placeholder::Message
                )
            }) {
                quote!(error)
            } else {
                quote!(_error)
            };
            let item = template_tokens(item, Scope::Each);
            quote! {
                ::serde_json::Value::Array(
                    errors.iter().map(|#binding| #item).collect(),
                )
            }
        }
    }
}

/// The statements that build a non-empty object, ending with the value.
fn object_statements(entries: &[(String, Template)], scope: Scope) -> TokenStream {
    let keys = entries.iter().map(|(key, _)| key);
    let values = entries
        .iter()
        .map(|(_, inner)| template_tokens(inner, scope));
    quote! {
        let mut object = ::serde_json::Map::new();
        #(object.insert(::std::string::String::from(#keys), #values);)*
        ::serde_json::Value::Object(object)
    }
}

/// A function body returning `template`'s value: a top-level object's statements unwrapped.
fn body_tokens(template: &Template, scope: Scope) -> TokenStream {
    match template {
        Template::Object(entries) if !entries.is_empty() => object_statements(entries, scope),
        other => template_tokens(other, scope),
    }
}

/// An expression of type `serde_json::Value` equal to `value`.
pub fn literal_tokens(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(::serde_json::Value::Null),
        Value::Bool(flag) => quote!(::serde_json::Value::Bool(#flag)),
        Value::Number(number) => {
            if let Some(integer) = number.as_i64() {
                let integer = Literal::i64_suffixed(integer);
                quote!(::serde_json::Value::from(#integer))
            } else if let Some(integer) = number.as_u64() {
                let integer = Literal::u64_suffixed(integer);
                quote!(::serde_json::Value::from(#integer))
            } else {
                let float = Literal::f64_suffixed(number.as_f64().unwrap_or_default());
                quote!(::serde_json::Value::from(#float))
            }
        }
        Value::String(text) => {
            quote!(::serde_json::Value::String(::std::string::String::from(#text)))
        }
        Value::Array(items) => {
            let items = items.iter().map(literal_tokens);
            quote!(::serde_json::Value::Array(::std::vec![#(#items),*]))
        }
        Value::Object(entries) => template_tokens(
            &Template::Object(
                entries
                    .iter()
                    .map(|(key, value)| (key.clone(), Template::Literal(value.clone())))
                    .collect(),
            ),
            Scope::Other,
        ),
    }
}

/// RFC 9457 problem details, for an API without `x-error-envelope`.
fn problem_bodies() -> (TokenStream, TokenStream) {
    let error = quote! {
        /// The body of an error other than a validation error: RFC 9457 problem details.
        pub fn error_body(status: u16, message: &str) -> ::serde_json::Value {
            let mut object = ::serde_json::Map::new();
            object.insert(::std::string::String::from("type"), ::serde_json::Value::from("about:blank"));
            object.insert(::std::string::String::from("title"), ::serde_json::Value::from(crate::support::reason_phrase(status)));
            object.insert(::std::string::String::from("status"), ::serde_json::Value::from(status));
            object.insert(::std::string::String::from("detail"), ::serde_json::Value::from(message));
            ::serde_json::Value::Object(object)
        }
    };
    let validation = quote! {
        /// The body of a validation error answered with `status`: RFC 9457 problem details
        /// with `errors`, field → messages.
        pub fn validation_body_with_status(
            status: u16,
            errors: &[crate::support::FieldError],
        ) -> ::serde_json::Value {
            let mut object = ::serde_json::Map::new();
            object.insert(::std::string::String::from("type"), ::serde_json::Value::from("about:blank"));
            object.insert(::std::string::String::from("title"), ::serde_json::Value::from(crate::support::reason_phrase(status)));
            object.insert(::std::string::String::from("status"), ::serde_json::Value::from(status));
            object.insert(::std::string::String::from("detail"), ::serde_json::Value::from(VALIDATION_MESSAGE));
            object.insert(::std::string::String::from("errors"), crate::support::errors_object(errors));
            ::serde_json::Value::Object(object)
        }
    };
    (error, validation)
}
