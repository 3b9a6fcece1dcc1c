//! The intermediate model: an OpenAPI document read once into what code generation needs.
//!
//! Emitters read only this model, never `openapiv3` types, so another front end (OpenAPI 3.1)
//! could feed them later. Every name here is already a unique, valid Rust identifier.

mod build;
mod mapping;
pub mod names;
mod tolerate;

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

pub use build::build;
pub use mapping::{DialectMapping, FieldLink, OperationLink, read_mapping};
pub use tolerate::{build_tolerant, repair};

use crate::spec::ext::{Dialect, DocumentedMessages, ErrorEnvelope, KeyOf, Messages, Rule};

/// One API: its types, operations and credentials.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The project dialect, for the project's own specs.
    pub dialect: Option<Dialect>,
    /// The Rust module the API is generated into.
    pub module: String,
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// Named types in a stable order: components first (document order), then inline types
    /// in the order they were met.
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    pub security_schemes: Vec<SecurityScheme>,
    pub error_envelope: Option<ErrorEnvelope>,
    /// Where each type of `types` is, by Rust name (for [`Api::type_named`]): built on first
    /// use, never part of a comparison. Build an `Api` with `type_index: Default::default()`.
    pub type_index: TypeIndex,
}

impl Api {
    /// The type named `rust_name` (the first, were there two). The emitters ask this for
    /// every reference, so it goes through an index: a scan made Stripe's 5,769 types cost
    /// O(types²). The index is checked on every hit and bypassed on a miss, so it stays
    /// right when `types` changes after a lookup.
    pub fn type_named(&self, rust_name: &str) -> Option<&TypeDef> {
        let index = self.type_index.0.get_or_init(|| {
            let mut index = HashMap::with_capacity(self.types.len());
            for (position, def) in self.types.iter().enumerate() {
                index.entry(def.rust_name.clone()).or_insert(position);
            }
            index
        });
        if let Some(&position) = index.get(rust_name)
            && let Some(def) = self.types.get(position)
            && def.rust_name == rust_name
            && index.len() == self.types.len()
        {
            return Some(def);
        }
        self.types.iter().find(|t| t.rust_name == rust_name)
    }

    /// The type generated for component schema `name`.
    pub fn component(&self, name: &str) -> Option<&TypeDef> {
        self.types
            .iter()
            .find(|t| t.component.as_deref() == Some(name))
    }
}

/// The position of each of an [`Api`]'s types by Rust name, built on first use. A clone
/// starts empty, and any two are equal: it is a cache of `Api::types`, not a part of the model.
#[derive(Default)]
pub struct TypeIndex(OnceLock<HashMap<String, usize>>);

impl Clone for TypeIndex {
    fn clone(&self) -> TypeIndex {
        TypeIndex::default()
    }
}

impl PartialEq for TypeIndex {
    fn eq(&self, _: &TypeIndex) -> bool {
        true
    }
}

impl std::fmt::Debug for TypeIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TypeIndex")
    }
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub rust_name: String,
    /// The component schema it comes from (`None` for a type made for an inline schema).
    pub component: Option<String>,
    /// Where it is defined, as a JSON pointer into the spec.
    pub pointer: String,
    pub description: Option<String>,
    pub kind: TypeKind,
    /// Constraints of the schema itself (for aliases of constrained primitives).
    pub constraints: Constraints,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(StructDef),
    /// A string with a fixed set of values.
    StringEnum(Vec<EnumValue>),
    /// `oneOf` / `anyOf`.
    Union(UnionDef),
    /// Any other schema: a type alias.
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    pub fields: Vec<Field>,
    /// `additionalProperties` with a schema (or `true`: any value).
    pub additional: Option<TypeRef>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    pub value: String,
    pub rust_name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    pub variants: Vec<UnionVariant>,
    /// The discriminating property, when the spec gives one.
    pub discriminator: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// The discriminator value that selects this variant.
    pub tag: Option<String>,
}

/// A field of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The name on the wire.
    pub name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    /// `nullable: true`: `null` is a valid value. Optional and nullable fields are one
    /// `Option<T>`, never `Option<Option<T>>`.
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub default: Option<Value>,
    pub description: Option<String>,
    pub constraints: Constraints,
    pub messages: Messages,
    /// The constraints whose message the vendor documents (`x-documented-messages`).
    pub documented_messages: DocumentedMessages,
    pub privileged: bool,
    pub unique: bool,
    pub key_of: Option<KeyOf>,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A generated type, by Rust name.
    Named(String),
    String,
    Integer(IntegerWidth),
    Number,
    Boolean,
    /// A file (`format: binary`).
    Binary,
    Array(Box<TypeRef>),
    /// A map from string keys.
    Map(Box<TypeRef>),
    /// Any JSON value.
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntegerWidth {
    I32,
    I64,
}

/// Every constraint a value can carry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub max_length: Option<usize>,
    pub min_length: Option<usize>,
    pub pattern: Option<String>,
    pub format: Option<String>,
    pub enumeration: Vec<Value>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub id: String,
    /// snake_case, unique in the API.
    pub rust_name: String,
    /// PascalCase stem for the operation's own types (`GetProfile` → `GetProfileResponse`).
    pub type_stem: String,
    pub method: Method,
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub parameters: Vec<Parameter>,
    pub body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// Alternatives (any one suffices), each a set of schemes needed together.
    /// Empty: no credentials needed.
    pub security: Vec<Vec<String>>,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// How a parameter's array or object value is written (OpenAPI's `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParameterStyle {
    /// `name=a&name=b` exploded, `name=a,b` not (query and cookie default).
    #[default]
    Form,
    /// `a,b` (path and header default).
    Simple,
    /// `.a.b` in a path.
    Label,
    /// `;name=a;name=b` in a path.
    Matrix,
    /// `name=a%20b` (query arrays).
    SpaceDelimited,
    /// `name=a|b` (query arrays).
    PipeDelimited,
    /// `name[key]=value` (query objects).
    DeepObject,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub rust_name: String,
    pub location: ParameterLocation,
    pub required: bool,
    pub ty: TypeRef,
    pub constraints: Constraints,
    pub messages: Messages,
    /// The constraints whose message the vendor documents (`x-documented-messages`).
    pub documented_messages: DocumentedMessages,
    pub description: Option<String>,
    /// The spec's example value (the parameter's `example`, else its schema's): a value the
    /// API is said to know, such as an id that exists.
    pub example: Option<serde_json::Value>,
    pub style: ParameterStyle,
    /// Whether each array item or object property is its own pair (`explode`; true by
    /// default for the form style only).
    pub explode: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub required: bool,
    /// One entry per media type, in document order.
    pub contents: Vec<BodyContent>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BodyContent {
    pub media_type: String,
    pub kind: MediaKind,
    pub ty: TypeRef,
    /// Multipart: allowed content types per part (from `encoding`).
    pub part_content_types: Vec<(String, Vec<String>)>,
}

/// How a body is encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
}

impl MediaKind {
    pub fn of(media_type: &str) -> MediaKind {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if essence == "application/json" || essence.ends_with("+json") || essence == "*/*" {
            MediaKind::Json
        } else if essence == "application/x-www-form-urlencoded" {
            MediaKind::Form
        } else if essence.starts_with("multipart/") {
            MediaKind::Multipart
        } else if essence.starts_with("text/") {
            MediaKind::Text
        } else {
            MediaKind::Binary
        }
    }
}

/// The status a response is declared for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusSpec {
    Code(u16),
    /// `2XX` and the like: the hundreds digit.
    Range(u8),
    Default,
}

impl StatusSpec {
    pub fn matches(self, status: u16) -> bool {
        match self {
            StatusSpec::Code(code) => code == status,
            StatusSpec::Range(hundreds) => status / 100 == u16::from(hundreds),
            StatusSpec::Default => true,
        }
    }

    pub fn is_success(self) -> bool {
        match self {
            StatusSpec::Code(code) => (200..300).contains(&code),
            StatusSpec::Range(hundreds) => hundreds == 2,
            StatusSpec::Default => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: StatusSpec,
    /// PascalCase variant name for the response enum (`Ok`, `BadRequest`, `Status418`, `Default`).
    pub variant: String,
    pub description: String,
    /// One entry per media type; `None` when the body has no schema.
    pub contents: Vec<(String, Option<TypeRef>)>,
    /// The headers the response documents (`Content-Type` aside: OpenAPI ignores it there).
    pub headers: Vec<ResponseHeader>,
    /// The response's OpenAPI `links` that name their operation by `operationId`.
    pub links: Vec<ResponseLink>,
}

/// A link from a response to an operation: where that operation's parameters come from.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseLink {
    pub operation_id: String,
    /// Parameter name → runtime expression (`$response.body#/id`, `$response.header.Location`)
    /// or a constant, as the spec writes it.
    pub parameters: Vec<(String, String)>,
}

/// A header a response documents: the conformance harness holds answers to it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    pub name: String,
    pub required: bool,
    /// A scalar type (`String`, `Integer`, `Number`, `Boolean`), else `Any`: a header's
    /// value is text, and only a scalar schema says how to read it.
    pub ty: TypeRef,
    pub constraints: Constraints,
}

impl Response {
    /// The JSON body type, if the response has one.
    pub fn json_type(&self) -> Option<&TypeRef> {
        self.contents
            .iter()
            .find(|(media, ty)| MediaKind::of(media) == MediaKind::Json && ty.is_some())
            .and_then(|(_, ty)| ty.as_ref())
    }
}

/// A security scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    pub name: String,
    pub rust_name: String,
    pub kind: SchemeKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    ApiKey {
        location: ParameterLocation,
        parameter: String,
        prefix: Option<String>,
    },
    Bearer,
    Basic,
    /// OAuth2 / OpenID Connect: sent as a bearer token.
    OAuth,
}
