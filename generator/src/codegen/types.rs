//! The Rust types of one API: a struct, enum or alias per [`TypeDef`], in model order.
//!
//! Every path in the output is fully qualified (`::std::string::String`, `::serde::Serialize`),
//! so a spec type called `String`, `Option`, `Result`, `Vec`, `Box` or `Value` shadows nothing.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::names::NameSet;
use crate::model::{
    Api, EnumValue, Field, IntegerWidth, StructDef, TypeDef, TypeKind, TypeRef, UnionDef,
};

/// The types of `api`, one item (plus impls) per [`TypeDef`], in the model's order.
///
/// Expects a model that passed [`super::validate`]: every name a valid identifier, every
/// [`TypeRef::Named`] defined.
pub fn emit_types(api: &Api) -> TokenStream {
    TypeEmitter::new(api).emit(0..api.types.len())
}

/// [`emit_types`] a run of types at a time, so that a large API's types can be emitted on
/// several cores: the runs' tokens, in order, are `emit_types`'s.
#[derive(Debug)]
pub(crate) struct TypeEmitter<'a> {
    api: &'a Api,
    /// Made by the first run to need it.
    recursion: std::sync::OnceLock<Recursion>,
}

impl<'a> TypeEmitter<'a> {
    pub(crate) fn new(api: &'a Api) -> TypeEmitter<'a> {
        TypeEmitter {
            api,
            recursion: std::sync::OnceLock::new(),
        }
    }

    /// The items of `api.types[defs]`.
    pub(crate) fn emit(&self, defs: std::ops::Range<usize>) -> TokenStream {
        let recursion = self.recursion.get_or_init(|| Recursion::of(self.api));
        let mut tokens = TokenStream::new();
        for def in &self.api.types[defs] {
            tokens.extend(emit_type(self.api, def, recursion));
        }
        tokens
    }
}

/// An identifier from a model name: `r#type` becomes a raw identifier, anything else a plain one.
pub fn ident(name: &str) -> syn::Ident {
    match name.strip_prefix("r#") {
        Some(bare) => syn::Ident::new_raw(bare, Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// The tokens for a reference to a type.
pub fn type_tokens(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#name)
        }
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Integer(IntegerWidth::I32) => quote!(i32),
        TypeRef::Integer(IntegerWidth::I64) => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Binary => quote!(crate::support::Upload),
        TypeRef::Array(item) => {
            let item = type_tokens(item);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(value);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
        TypeRef::Any => quote!(::serde_json::Value),
    }
}

/// `#[derive]` of `traits`, each a path under `::std` or `::serde`. The lists are constants,
/// each lexed once per thread (a type's derives were a fifth of emitting Stripe's types);
/// a clone shares the attribute's tokens.
fn derives(traits: &'static [&'static str]) -> TokenStream {
    thread_local! {
        static LEXED: std::cell::RefCell<Vec<(&'static [&'static str], TokenStream)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    LEXED.with_borrow_mut(|lexed| {
        if let Some((_, tokens)) = lexed.iter().find(|(known, _)| *known == traits) {
            return tokens.clone();
        }
        let paths = traits
            .iter()
            .map(|path| path.parse::<TokenStream>().unwrap_or_default());
        let tokens = quote!(#[derive(#(#paths),*)]);
        lexed.push((traits, tokens.clone()));
        tokens
    })
}

const DATA: &[&str] = &[
    "::std::fmt::Debug",
    "::std::clone::Clone",
    "::std::cmp::PartialEq",
    "::serde::Serialize",
    "::serde::Deserialize",
];

/// [`DATA`] plus `Default`, for structs whose every field may be absent or empty (see
/// [`derives_default`]).
const DATA_DEFAULT: &[&str] = &[
    "::std::fmt::Debug",
    "::std::clone::Clone",
    "::std::cmp::PartialEq",
    "::std::default::Default",
    "::serde::Serialize",
    "::serde::Deserialize",
];

/// Whether the struct derives `Default`: every field is an `Option`, a `Vec` or a map, so the
/// empty value is a valid one (the adapters build such structs from partial data).
pub fn derives_default(def_struct: &StructDef) -> bool {
    def_struct
        .fields
        .iter()
        .all(|field| field.is_optional() || matches!(field.ty, TypeRef::Array(_) | TypeRef::Map(_)))
}

const STRING_ENUM: &[&str] = &[
    "::std::fmt::Debug",
    "::std::clone::Clone",
    "::std::marker::Copy",
    "::std::cmp::PartialEq",
    "::std::cmp::Eq",
    "::std::hash::Hash",
    "::std::cmp::PartialOrd",
    "::std::cmp::Ord",
    "::serde::Serialize",
    "::serde::Deserialize",
];

/// A union whose `Deserialize` is written out.
const SERIALIZE_ONLY: &[&str] = &[
    "::std::fmt::Debug",
    "::std::clone::Clone",
    "::std::cmp::PartialEq",
    "::serde::Serialize",
];

/// `#[doc]` attributes, one per line of `text` (tabs expanded: rustdoc and clippy dislike them).
fn docs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|text| !text.is_empty()) else {
        return TokenStream::new();
    };
    let lines = super::render::doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

fn emit_type(api: &Api, def: &TypeDef, recursion: &Recursion) -> TokenStream {
    let docs = docs(def.description.as_deref());
    match &def.kind {
        TypeKind::Struct(fields) => emit_struct(def, fields, docs, recursion),
        TypeKind::StringEnum(values) => emit_string_enum(def, values, docs),
        TypeKind::Union(union) => emit_union(api, def, union, docs, recursion),
        TypeKind::Alias(target) if recursion.newtypes.contains(&def.rust_name) => {
            let name = ident(&def.rust_name);
            let derives = derives(DATA);
            let target = recursion.field_type(&def.rust_name, target);
            quote! {
                #docs
                #derives
                #[serde(transparent)]
                pub struct #name(pub #target);
            }
        }
        TypeKind::Alias(target) => {
            let name = ident(&def.rust_name);
            let target = type_tokens(target);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    }
}

fn emit_struct(
    def: &TypeDef,
    def_struct: &StructDef,
    docs: TokenStream,
    recursion: &Recursion,
) -> TokenStream {
    let name = ident(&def.rust_name);
    let derives = derives(if derives_default(def_struct) {
        DATA_DEFAULT
    } else {
        DATA
    });
    let fields = def_struct
        .fields
        .iter()
        .map(|field| emit_field(&def.rust_name, field, recursion));
    let additional = def_struct.additional.as_ref().map(|value| {
        let mut taken = NameSet::default();
        taken.reserve(
            def_struct
                .fields
                .iter()
                .map(|field| bare(&field.rust_name).to_owned()),
        );
        let field = ident(&taken.unique("additional_properties".into()));
        let value = type_tokens(value);
        quote! {
            /// Properties the schema does not name (`additionalProperties`).
            #[serde(flatten)]
            pub #field: ::std::collections::BTreeMap<::std::string::String, #value>,
        }
    });
    let rule_data = emit_rule_data(&name, def_struct);
    quote! {
        #docs
        #derives
        pub struct #name {
            #(#fields)*
            #additional
        }

        #rule_data
    }
}

/// The wire names of the fields a server treats specially (`x-privileged`, `x-unique`), as
/// constants: servers take them from the spec instead of keeping lists of their own.
fn emit_rule_data(name: &syn::Ident, def_struct: &StructDef) -> Option<TokenStream> {
    let names = |keep: fn(&Field) -> bool| -> Vec<&str> {
        def_struct
            .fields
            .iter()
            .filter(|f| keep(f))
            .map(|f| f.name.as_str())
            .collect()
    };
    let privileged = names(|f| f.privileged);
    let unique = names(|f| f.unique);
    let privileged = (!privileged.is_empty()).then(|| {
        quote! {
            /// Fields an ordinary caller may send and the server ignores (`x-privileged`).
            pub const PRIVILEGED: &'static [&'static str] = &[#(#privileged),*];
        }
    });
    let unique = (!unique.is_empty()).then(|| {
        quote! {
            /// Fields no two users may hold the same value of (`x-unique`).
            pub const UNIQUE: &'static [&'static str] = &[#(#unique),*];
        }
    });
    (privileged.is_some() || unique.is_some()).then(|| {
        quote! {
            impl #name {
                #privileged
                #unique
            }
        }
    })
}

fn emit_field(owner: &str, field: &Field, recursion: &Recursion) -> TokenStream {
    let docs = docs(field.description.as_deref());
    let name = ident(&field.rust_name);
    let rename = (bare(&field.rust_name) != field.name).then(|| {
        let wire = &field.name;
        quote!(#[serde(rename = #wire)])
    });
    let ty = recursion.field_type(owner, &field.ty);
    let (ty, optional) = match (field.is_optional(), field.required) {
        (false, _) => (ty, None),
        // Required but nullable: always sent, `null` for `None`.
        (true, true) => (quote!(::std::option::Option<#ty>), None),
        (true, false) => (
            quote!(::std::option::Option<#ty>),
            Some(quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")])),
        ),
    };
    quote! {
        #docs
        #rename
        #optional
        pub #name: #ty,
    }
}

fn emit_string_enum(def: &TypeDef, values: &[EnumValue], docs: TokenStream) -> TokenStream {
    let name = ident(&def.rust_name);
    let type_name = bare(&def.rust_name);
    let derives = derives(STRING_ENUM);
    let variants: Vec<_> = values.iter().map(|value| ident(&value.rust_name)).collect();
    let wire: Vec<_> = values.iter().map(|value| value.value.as_str()).collect();
    // An enum without values has no variants: only `match *self {}` is exhaustive on it.
    let scrutinee = if values.is_empty() {
        quote!(*self)
    } else {
        quote!(self)
    };
    quote! {
        #docs
        #derives
        pub enum #name {
            #(
                #[serde(rename = #wire)]
                #variants,
            )*
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &'static str {
                match #scrutinee {
                    #(Self::#variants => #wire,)*
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = crate::support::UnknownValue;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                match value {
                    #(#wire => ::std::result::Result::Ok(Self::#variants),)*
                    _ => ::std::result::Result::Err(crate::support::UnknownValue {
                        type_name: #type_name,
                        value: ::std::borrow::ToOwned::to_owned(value),
                    }),
                }
            }
        }
    }
}

/// How a union is told apart on the wire.
enum Tagging<'a> {
    /// Try each variant in order.
    Untagged,
    /// `#[serde(tag)]`: the variant structs do not declare the tag property themselves.
    Internal(&'a str),
    /// The variant structs declare the tag property: serialize them as they are, and pick the
    /// variant by the tag's value when deserializing (serde's `tag` would hide the property
    /// from the struct and write it twice).
    Peek(&'a str),
}

fn tagging<'a>(api: &Api, union: &'a UnionDef) -> Tagging<'a> {
    let Some(discriminator) = union.discriminator.as_deref() else {
        return Tagging::Untagged;
    };
    let mut tags = BTreeSet::new();
    let mut declared = false;
    for variant in &union.variants {
        let Some(tag) = variant.tag.as_deref() else {
            return Tagging::Untagged;
        };
        if !tags.insert(tag) {
            return Tagging::Untagged;
        }
        let struct_def = match &variant.ty {
            TypeRef::Named(name) => match api.type_named(name).map(|def| &def.kind) {
                Some(TypeKind::Struct(struct_def)) => struct_def,
                _ => return Tagging::Untagged,
            },
            _ => return Tagging::Untagged,
        };
        declared |= struct_def
            .fields
            .iter()
            .any(|field| field.name == discriminator);
    }
    if declared {
        Tagging::Peek(discriminator)
    } else {
        Tagging::Internal(discriminator)
    }
}

fn emit_union(
    api: &Api,
    def: &TypeDef,
    union: &UnionDef,
    docs: TokenStream,
    recursion: &Recursion,
) -> TokenStream {
    let name = ident(&def.rust_name);
    let variants: Vec<_> = union
        .variants
        .iter()
        .map(|variant| ident(&variant.rust_name))
        .collect();
    let types: Vec<_> = union
        .variants
        .iter()
        .map(|variant| recursion.field_type(&def.rust_name, &variant.ty))
        .collect();
    let tags: Vec<_> = union
        .variants
        .iter()
        .map(|variant| variant.tag.as_deref().unwrap_or_default())
        .collect();
    match tagging(api, union) {
        Tagging::Untagged => {
            let derives = derives(DATA);
            quote! {
                #docs
                #derives
                #[serde(untagged)]
                pub enum #name {
                    #(#variants(#types),)*
                }
            }
        }
        Tagging::Internal(discriminator) => {
            let derives = derives(DATA);
            quote! {
                #docs
                #derives
                #[serde(tag = #discriminator)]
                pub enum #name {
                    #(
                        #[serde(rename = #tags)]
                        #variants(#types),
                    )*
                }
            }
        }
        Tagging::Peek(discriminator) => {
            let derives = derives(SERIALIZE_ONLY);
            quote! {
                #docs
                #derives
                #[serde(untagged)]
                pub enum #name {
                    #(#variants(#types),)*
                }

                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
                    where
                        D: ::serde::Deserializer<'de>,
                    {
                        let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                        let tag = match value.get(#discriminator).and_then(::serde_json::Value::as_str) {
                            ::std::option::Option::Some(tag) => ::std::borrow::ToOwned::to_owned(tag),
                            ::std::option::Option::None => {
                                return ::std::result::Result::Err(<D::Error as ::serde::de::Error>::missing_field(#discriminator));
                            }
                        };
                        match tag.as_str() {
                            #(
                                #tags => ::serde_json::from_value(value)
                                    .map(Self::#variants)
                                    .map_err(<D::Error as ::serde::de::Error>::custom),
                            )*
                            other => ::std::result::Result::Err(<D::Error as ::serde::de::Error>::unknown_variant(other, &[#(#tags),*])),
                        }
                    }
                }
            }
        }
    }
}

fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Which references must be boxed, and which aliases must be newtypes, for recursive types to
/// compile.
///
/// - A type holds another *by value* through a struct field (optional or not), a union variant
///   or a plain alias; `Vec` and `BTreeMap` already put their items on the heap. A by-value
///   reference is boxed when both ends are in one strongly connected component of the by-value
///   graph: every by-value cycle is broken, and nothing else is boxed.
/// - Aliases that reach themselves only through aliases (`Tree = Vec<Tree>`) cannot be type
///   aliases at all: they become `#[serde(transparent)]` newtype structs.
#[derive(Debug, Default)]
pub(crate) struct Recursion {
    index: BTreeMap<String, usize>,
    /// The by-value component of each type.
    component: Vec<usize>,
    /// Aliases emitted as newtypes.
    newtypes: BTreeSet<String>,
}

impl Recursion {
    pub(crate) fn of(api: &Api) -> Recursion {
        let index: BTreeMap<String, usize> = api
            .types
            .iter()
            .enumerate()
            .map(|(position, def)| (def.rust_name.clone(), position))
            .collect();
        let named = |ty: &TypeRef| match ty {
            TypeRef::Named(name) => index.get(name).copied(),
            _ => None,
        };
        let by_value: Vec<Vec<usize>> = api
            .types
            .iter()
            .map(|def| match &def.kind {
                TypeKind::Struct(fields) => fields
                    .fields
                    .iter()
                    .filter_map(|field| named(&field.ty))
                    .collect(),
                TypeKind::Union(union) => union
                    .variants
                    .iter()
                    .filter_map(|variant| named(&variant.ty))
                    .collect(),
                TypeKind::Alias(target) => named(target).into_iter().collect(),
                TypeKind::StringEnum(_) => Vec::new(),
            })
            .collect();
        let through_aliases: Vec<Vec<usize>> = api
            .types
            .iter()
            .map(|def| match &def.kind {
                TypeKind::Alias(target) => {
                    let mut names = BTreeSet::new();
                    mentioned(target, &mut names);
                    names
                        .into_iter()
                        .filter_map(|name| index.get(name).copied())
                        .filter(|&target| matches!(api.types[target].kind, TypeKind::Alias(_)))
                        .collect()
                }
                _ => Vec::new(),
            })
            .collect();
        let alias_components = components(&through_aliases);
        let mut sizes = BTreeMap::<usize, usize>::new();
        for &component in &alias_components {
            *sizes.entry(component).or_default() += 1;
        }
        let newtypes = api
            .types
            .iter()
            .enumerate()
            .filter(|&(position, _)| {
                sizes[&alias_components[position]] > 1
                    || through_aliases[position].contains(&position)
            })
            .map(|(_, def)| def.rust_name.clone())
            .collect();
        Recursion {
            index,
            component: components(&by_value),
            newtypes,
        }
    }

    /// The tokens for `ty` held by value by `owner`, boxed when it closes a cycle.
    fn field_type(&self, owner: &str, ty: &TypeRef) -> TokenStream {
        let tokens = type_tokens(ty);
        if self.boxes(owner, ty) {
            quote!(::std::boxed::Box<#tokens>)
        } else {
            tokens
        }
    }

    /// Whether the alias `name` is emitted as a newtype struct (it contains itself).
    pub(crate) fn is_newtype(&self, name: &str) -> bool {
        self.newtypes.contains(name)
    }

    /// Whether `owner` holds `ty` in a `Box` (for emitters that build or take apart values).
    pub(crate) fn boxes(&self, owner: &str, ty: &TypeRef) -> bool {
        match (ty, self.index.get(owner)) {
            (TypeRef::Named(target), Some(&owner)) => self
                .index
                .get(target)
                .is_some_and(|&target| self.component[target] == self.component[owner]),
            _ => false,
        }
    }
}

/// Every type name `ty` mentions, at any depth.
fn mentioned<'a>(ty: &'a TypeRef, names: &mut BTreeSet<&'a str>) {
    match ty {
        TypeRef::Named(name) => {
            names.insert(name);
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) => mentioned(inner, names),
        _ => {}
    }
}

/// The strongly connected component of every node (Tarjan's algorithm, without recursion so
/// that a long chain of types cannot overflow the stack).
fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let mut order = vec![UNSEEN; edges.len()];
    let mut low = vec![0; edges.len()];
    let mut on_stack = vec![false; edges.len()];
    let mut component = vec![UNSEEN; edges.len()];
    let mut stack = Vec::new();
    let mut next_order = 0;
    let mut next_component = 0;
    for root in 0..edges.len() {
        if order[root] != UNSEEN {
            continue;
        }
        // (node, how many of its edges were followed)
        let mut work = vec![(root, 0)];
        order[root] = next_order;
        low[root] = next_order;
        next_order += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(node, followed)) = work.last() {
            if let Some(&next) = edges[node].get(followed) {
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if order[next] == UNSEEN {
                    order[next] = next_order;
                    low[next] = next_order;
                    next_order += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(order[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_find_cycles_and_only_cycles() {
        // 0 -> 1 -> 2 -> 0, 2 -> 3, 3 -> 3, 4 alone
        let edges = vec![vec![1], vec![2], vec![0, 3], vec![3], vec![]];
        let component = components(&edges);
        assert_eq!(component[0], component[1]);
        assert_eq!(component[1], component[2]);
        assert_ne!(component[2], component[3]);
        assert_ne!(component[3], component[4]);
        assert_ne!(component[0], component[4]);
    }

    #[test]
    fn idents_handle_raw_names() {
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(ident("first_name").to_string(), "first_name");
    }
}
