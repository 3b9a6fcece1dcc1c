//! The generated crate's runtime helpers, emitted once as `src/support.rs`.

use proc_macro2::TokenStream;
use quote::quote;

/// Items every API module may use: a file for `format: binary` fields and the error of a
/// string enum's `FromStr`.
pub fn emit_support() -> TokenStream {
    let client = super::client::emit_support();
    let validation = super::validate::emit_support_validation();
    let server = super::server::emit_support_server();
    let adapters = super::adapters::emit_support();
    quote! {
        //! Runtime helpers shared by every API module.

        /// A file sent or received in a `format: binary` field (a multipart part).
        #[derive(
            ::std::fmt::Debug,
            ::std::clone::Clone,
            ::std::cmp::PartialEq,
            ::std::default::Default,
            ::serde::Serialize,
            ::serde::Deserialize
        )]
        pub struct Upload {
            /// The part's file name, when the sender gives one.
            pub filename: ::std::option::Option<::std::string::String>,
            /// The part's media type, when the sender gives one.
            pub content_type: ::std::option::Option<::std::string::String>,
            /// The file's contents.
            pub bytes: ::std::vec::Vec<u8>,
        }

        /// A string that is not one of a string enum's values.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq)]
        pub struct UnknownValue {
            /// The enum's Rust name.
            pub type_name: &'static str,
            /// The string that matched no value.
            pub value: ::std::string::String,
        }

        impl ::std::fmt::Display for UnknownValue {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "{:?} is not a value of {}", self.value, self.type_name)
            }
        }

        impl ::std::error::Error for UnknownValue {}

        #client

        #validation

        #server

        #adapters
    }
}
