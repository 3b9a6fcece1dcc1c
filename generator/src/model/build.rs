//! OpenAPI document → [`Api`]. The only place that reads `openapiv3` types.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter as OaParameter, ParameterSchemaOrContent, ReferenceOr,
    Schema, SchemaKind, StatusCode, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::names::{NameSet, pascal_ident, snake_ident};
use super::*;
use crate::spec::ext::{self, Dialect};
use crate::spec::{Document, SpecErrors, pointer};

/// Reads a parsed document into the model. Problems a generator cannot work around (a
/// `$ref` to something that is not there) are errors with their file and line.
pub fn build(document: &Document) -> Result<Api, SpecErrors> {
    let mut builder = Builder::new(document);
    let api = builder.api();
    // Located together: the text is read once, however many problems there are.
    SpecErrors(document.errors_at(builder.errors)).into_result()?;
    Ok(api)
}

struct Builder<'a> {
    document: &'a Document,
    api: &'a OpenAPI,
    type_names: NameSet,
    /// Component schema name → Rust type name, assigned before any type is built so that
    /// references (and cycles) resolve by name.
    components: BTreeMap<String, String>,
    types: Vec<TypeDef>,
    /// The types of schemas a `$ref` reaches outside `#/components/schemas` (a property, a
    /// schema under `paths`), by pointer: each is built once.
    pointed_types: BTreeMap<String, TypeRef>,
    /// Problems as `(pointer, message)`, located when the model is done.
    errors: Vec<(String, String)>,
}

impl<'a> Builder<'a> {
    fn new(document: &'a Document) -> Self {
        let api = &document.api;
        let mut type_names = NameSet::default();
        let mut components = BTreeMap::new();
        for name in api.components.iter().flat_map(|c| c.schemas.keys()) {
            components.insert(name.clone(), type_names.unique(pascal_ident(name)));
        }
        Builder {
            document,
            api,
            type_names,
            components,
            types: Vec::new(),
            pointed_types: BTreeMap::new(),
            errors: Vec::new(),
        }
    }

    fn api(&mut self) -> Api {
        let dialect = self
            .document
            .raw
            .get("x-dialect")
            .and_then(Value::as_str)
            .and_then(Dialect::from_name);
        let module = match dialect {
            Some(dialect) => dialect.name().to_owned(),
            None => snake_ident(&self.api.info.title),
        };
        // The document outlives the builder: its schemas are read in place, never copied.
        let api: &'a OpenAPI = self.api;
        for (name, schema) in api.components.iter().flat_map(|c| c.schemas.iter()) {
            let at = format!("/components/schemas/{}", pointer::escape(name));
            let rust_name = self.components[name].clone();
            self.component_type(name, rust_name, schema, &at);
        }
        let security_schemes = self.security_schemes();
        let operations = self.operations(&security_schemes);
        let error_envelope = self
            .document
            .raw
            .get("x-error-envelope")
            .and_then(|v| ext::parse_error_envelope(v).ok());
        // Inline types were pushed as they were met; components first keeps the order stable.
        let mut types = std::mem::take(&mut self.types);
        types.sort_by_key(|t| t.component.is_none());
        Api {
            dialect,
            module,
            title: self.api.info.title.clone(),
            version: self.api.info.version.clone(),
            description: self.api.info.description.clone(),
            types,
            operations,
            security_schemes,
            error_envelope,
            type_index: Default::default(),
        }
    }

    fn error(&mut self, at: &str, message: impl Into<String>) {
        self.errors.push((at.to_owned(), message.into()));
    }

    /// The component a `#/components/schemas/X` reference names, as a type.
    fn reference(&mut self, reference: &str, at: &str) -> TypeRef {
        match crate::spec::walk::component_name(reference)
            .and_then(|name| self.components.get(name))
        {
            Some(rust_name) => TypeRef::Named(rust_name.clone()),
            None => {
                if let Some(ty) = self.pointed_type(reference) {
                    return ty;
                }
                self.error(
                    at,
                    format!("$ref {reference:?} is not a schema of #/components/schemas"),
                );
                TypeRef::Any
            }
        }
    }

    /// The node a local `$ref` (`#` and any JSON pointer into the document) reaches, through
    /// any further `$ref`s, read as `T`; `None` when there is no such node or it is not a `T`.
    fn pointed<T: serde::de::DeserializeOwned>(&self, reference: &str) -> Option<(String, T)> {
        let mut reference = reference.to_owned();
        for _ in 0..32 {
            let pointer = percent_decoded(reference.strip_prefix('#')?);
            let node = self.document.raw.pointer(&pointer)?;
            match node.get("$ref").and_then(Value::as_str) {
                Some(next) => reference = next.to_owned(),
                None => return T::deserialize(node).ok().map(|item| (pointer, item)),
            }
        }
        None
    }

    /// The type of a schema a `$ref` reaches outside `#/components/schemas`, named after the
    /// pointer's last segment. A cycle through such schemas ends in `Any`.
    fn pointed_type(&mut self, reference: &str) -> Option<TypeRef> {
        if let Some(ty) = self.pointed_types.get(reference) {
            return Some(ty.clone());
        }
        let (pointer, schema) = self.pointed::<Schema>(reference)?;
        self.pointed_types
            .insert(reference.to_owned(), TypeRef::Any);
        let segments = crate::spec::pointer::segments(&pointer);
        let hint = pascal_ident(segments.last().map_or("Pointed", String::as_str));
        let ty = self.inline_ref(&hint, &schema, &pointer);
        self.pointed_types.insert(reference.to_owned(), ty.clone());
        Some(ty)
    }

    /// The component schema a reference names, for merging `allOf` members.
    fn resolve(&self, reference: &str) -> Option<&'a Schema> {
        let name = crate::spec::walk::component_name(reference)?;
        match self.api.components.as_ref()?.schemas.get(name)? {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.resolve(reference),
        }
    }

    fn component_type(
        &mut self,
        name: &str,
        rust_name: String,
        schema: &ReferenceOr<Schema>,
        at: &str,
    ) {
        let (kind, constraints, description) = match schema {
            ReferenceOr::Reference { reference } => (
                TypeKind::Alias(self.reference(reference, at)),
                Constraints::default(),
                None,
            ),
            ReferenceOr::Item(schema) => {
                let kind = self
                    .type_kind(&rust_name, schema, at)
                    .unwrap_or_else(|| TypeKind::Alias(self.inline_ref(&rust_name, schema, at)));
                (
                    kind,
                    constraints_of(schema),
                    schema.schema_data.description.clone(),
                )
            }
        };
        self.types.push(TypeDef {
            rust_name,
            component: Some(name.to_owned()),
            pointer: at.to_owned(),
            description,
            kind,
            constraints,
        });
    }

    /// The kind of a schema that needs a named type of its own (struct, enum, union), or
    /// `None` for one that is just a reference to another type.
    fn type_kind(&mut self, owner: &str, schema: &Schema, at: &str) -> Option<TypeKind> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                Some(TypeKind::Struct(self.struct_def(
                    owner,
                    &object.properties,
                    &object.required,
                    object.additional_properties.as_ref(),
                    at,
                )))
            }
            SchemaKind::Type(Type::String(string))
                if string.enumeration.iter().any(Option::is_some) =>
            {
                Some(TypeKind::StringEnum(enum_values(
                    string.enumeration.iter().flatten(),
                )))
            }
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => {
                let mut properties = IndexMap::new();
                let mut required = Vec::new();
                let mut additional = None;
                self.merge_all_of(all_of, &mut properties, &mut required, &mut additional, 0);
                Some(TypeKind::Struct(self.struct_def(
                    owner,
                    &properties,
                    &required,
                    additional.as_ref(),
                    at,
                )))
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members }
                if members.len() > 1 =>
            {
                let members = members.clone();
                Some(TypeKind::Union(self.union_def(owner, &members, schema, at)))
            }
            SchemaKind::Any(any) => {
                if !any.properties.is_empty() {
                    Some(TypeKind::Struct(self.struct_def(
                        owner,
                        &any.properties,
                        &any.required,
                        any.additional_properties.as_ref(),
                        at,
                    )))
                } else if !any.all_of.is_empty() && any.all_of.len() > 1 {
                    let mut properties = IndexMap::new();
                    let mut required = any.required.clone();
                    let mut additional = None;
                    self.merge_all_of(
                        &any.all_of.clone(),
                        &mut properties,
                        &mut required,
                        &mut additional,
                        0,
                    );
                    Some(TypeKind::Struct(self.struct_def(
                        owner,
                        &properties,
                        &required,
                        additional.as_ref(),
                        at,
                    )))
                } else if any.one_of.len() > 1 || any.any_of.len() > 1 {
                    let members = if any.one_of.len() > 1 {
                        any.one_of.clone()
                    } else {
                        any.any_of.clone()
                    };
                    Some(TypeKind::Union(self.union_def(owner, &members, schema, at)))
                } else if is_string_enum(&any.enumeration) {
                    Some(TypeKind::StringEnum(enum_values(
                        any.enumeration
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect::<Vec<_>>()
                            .iter(),
                    )))
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// Collects the properties of `allOf` members (references followed, nested `allOf` too).
    fn merge_all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        properties: &mut IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &mut Vec<String>,
        additional: &mut Option<AdditionalProperties>,
        depth: usize,
    ) {
        if depth > 16 {
            return;
        }
        for member in members {
            let schema = match member {
                ReferenceOr::Reference { reference } => match self.resolve(reference) {
                    Some(schema) => schema.clone(),
                    None => continue,
                },
                ReferenceOr::Item(schema) => schema.clone(),
            };
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => {
                    properties.extend(object.properties.clone());
                    required.extend(object.required.iter().cloned());
                    if object.additional_properties.is_some() {
                        additional.clone_from(&object.additional_properties);
                    }
                }
                SchemaKind::AllOf { all_of } => {
                    self.merge_all_of(all_of, properties, required, additional, depth + 1)
                }
                SchemaKind::Any(any) => {
                    properties.extend(any.properties.clone());
                    required.extend(any.required.iter().cloned());
                    self.merge_all_of(&any.all_of, properties, required, additional, depth + 1);
                }
                _ => {}
            }
        }
    }

    fn union_def(
        &mut self,
        owner: &str,
        members: &[ReferenceOr<Schema>],
        schema: &Schema,
        at: &str,
    ) -> UnionDef {
        let discriminator = schema.schema_data.discriminator.as_ref();
        let mut variant_names = NameSet::default();
        let mut variants = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let member_at = format!(
                "{at}/{}/{index}",
                if matches!(schema.schema_kind, SchemaKind::AnyOf { .. }) {
                    "anyOf"
                } else {
                    "oneOf"
                }
            );
            let (ty, tag) = match member {
                ReferenceOr::Reference { reference } => {
                    let component = crate::spec::walk::component_name(reference)
                        .unwrap_or_default()
                        .to_owned();
                    let tag = discriminator.map(|d| {
                        d.mapping
                            .iter()
                            .find(|(_, target)| *target == reference)
                            .map(|(value, _)| value.clone())
                            .unwrap_or(component.clone())
                    });
                    (self.reference(reference, &member_at), tag)
                }
                ReferenceOr::Item(item) => (
                    self.inline_ref(&format!("{owner}Variant{index}"), item, &member_at),
                    None,
                ),
            };
            let candidate = match &ty {
                TypeRef::Named(name) => name.clone(),
                other => pascal_ident(type_word(other)),
            };
            variants.push(UnionVariant {
                rust_name: variant_names.unique(candidate),
                ty,
                tag,
            });
        }
        UnionDef {
            variants,
            discriminator: discriminator.map(|d| d.property_name.clone()),
        }
    }

    fn struct_def(
        &mut self,
        owner: &str,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        at: &str,
    ) -> StructDef {
        let mut field_names = NameSet::default();
        let mut fields = Vec::new();
        for (name, property) in properties {
            let field_at = format!("{at}/properties/{}", pointer::escape(name));
            let hint = format!("{owner}{}", pascal_ident(name));
            let field = match property {
                ReferenceOr::Reference { reference } => {
                    let nullable = self
                        .resolve(reference)
                        .is_some_and(|s| s.schema_data.nullable);
                    Field {
                        name: name.clone(),
                        rust_name: String::new(),
                        ty: self.reference(reference, &field_at),
                        required: required.contains(name),
                        nullable,
                        read_only: false,
                        write_only: false,
                        default: None,
                        description: None,
                        constraints: Constraints::default(),
                        messages: Default::default(),
                        documented_messages: Default::default(),
                        privileged: false,
                        unique: false,
                        key_of: None,
                    }
                }
                ReferenceOr::Item(schema) => {
                    let extensions = &schema.schema_data.extensions;
                    Field {
                        name: name.clone(),
                        rust_name: String::new(),
                        ty: self.inline_ref(&hint, schema, &field_at),
                        required: required.contains(name),
                        nullable: schema.schema_data.nullable || self.single_ref_nullable(schema),
                        read_only: schema.schema_data.read_only,
                        write_only: schema.schema_data.write_only,
                        default: schema.schema_data.default.clone(),
                        description: schema.schema_data.description.clone(),
                        constraints: constraints_of(schema),
                        messages: extension(extensions, "x-messages").unwrap_or_default(),
                        documented_messages: extension(extensions, "x-documented-messages")
                            .unwrap_or_default(),
                        privileged: extensions.get("x-privileged") == Some(&Value::Bool(true)),
                        unique: extensions.get("x-unique") == Some(&Value::Bool(true)),
                        key_of: extension(extensions, "x-key-of"),
                    }
                }
            };
            fields.push(Field {
                rust_name: field_names.unique(snake_ident(name)),
                ..field
            });
        }
        let additional = match additional {
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            Some(AdditionalProperties::Schema(schema)) => Some(self.schema_ref(
                &format!("{owner}Value"),
                schema,
                &format!("{at}/additionalProperties"),
            )),
            _ => None,
        };
        StructDef { fields, additional }
    }

    /// A one-item `allOf` around a reference to a nullable component is nullable too.
    fn single_ref_nullable(&self, schema: &Schema) -> bool {
        match &schema.schema_kind {
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => match &all_of[0] {
                ReferenceOr::Reference { reference } => self
                    .resolve(reference)
                    .is_some_and(|s| s.schema_data.nullable),
                ReferenceOr::Item(item) => item.schema_data.nullable,
            },
            _ => false,
        }
    }

    fn type_ref(&mut self, hint: &str, schema: &ReferenceOr<Box<Schema>>, at: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, at),
            ReferenceOr::Item(schema) => self.inline_ref(hint, schema, at),
        }
    }

    fn schema_ref(&mut self, hint: &str, schema: &ReferenceOr<Schema>, at: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, at),
            ReferenceOr::Item(schema) => self.inline_ref(hint, schema, at),
        }
    }

    /// The type of an inline schema: a primitive, a container, or a new named type `hint`.
    fn inline_ref(&mut self, hint: &str, schema: &Schema, at: &str) -> TypeRef {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string))
                if string.enumeration.iter().all(Option::is_none) =>
            {
                if matches!(
                    &string.format,
                    VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
                ) {
                    TypeRef::Binary
                } else {
                    TypeRef::String
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => match &integer.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                    TypeRef::Integer(IntegerWidth::I32)
                }
                _ => TypeRef::Integer(IntegerWidth::I64),
            },
            SchemaKind::Type(Type::Number(_)) => TypeRef::Number,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Array(array)) => self.array_of(hint, array.items.as_ref(), at),
            SchemaKind::Type(Type::Object(object)) if object.properties.is_empty() => {
                TypeRef::Map(Box::new(match &object.additional_properties {
                    Some(AdditionalProperties::Schema(value)) => self.schema_ref(
                        &format!("{hint}Value"),
                        value,
                        &format!("{at}/additionalProperties"),
                    ),
                    _ => TypeRef::Any,
                }))
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.schema_ref(hint, &all_of[0], &format!("{at}/allOf/0"))
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members }
                if members.len() == 1 =>
            {
                self.schema_ref(hint, &members[0], &format!("{at}/oneOf/0"))
            }
            SchemaKind::Not { .. } => TypeRef::Any,
            SchemaKind::Any(any)
                if any.properties.is_empty()
                    && any.all_of.len() <= 1
                    && any.one_of.len() <= 1
                    && any.any_of.len() <= 1
                    && !is_string_enum(&any.enumeration) =>
            {
                if let Some(member) = any
                    .all_of
                    .first()
                    .or(any.one_of.first())
                    .or(any.any_of.first())
                {
                    return self.schema_ref(hint, member, at);
                }
                match any.typ.as_deref() {
                    Some("string") if any.format.as_deref() == Some("binary") => TypeRef::Binary,
                    Some("string") => TypeRef::String,
                    Some("integer") => {
                        TypeRef::Integer(if any.format.as_deref() == Some("int32") {
                            IntegerWidth::I32
                        } else {
                            IntegerWidth::I64
                        })
                    }
                    Some("number") => TypeRef::Number,
                    Some("boolean") => TypeRef::Boolean,
                    Some("array") => self.array_of(hint, any.items.as_ref(), at),
                    _ if any.items.is_some() => self.array_of(hint, any.items.as_ref(), at),
                    Some("object") => match &any.additional_properties {
                        Some(AdditionalProperties::Schema(value)) => {
                            TypeRef::Map(Box::new(self.schema_ref(
                                &format!("{hint}Value"),
                                value,
                                &format!("{at}/additionalProperties"),
                            )))
                        }
                        _ => TypeRef::Map(Box::new(TypeRef::Any)),
                    },
                    _ => TypeRef::Any,
                }
            }
            _ => {
                let rust_name = self.type_names.unique(pascal_ident(hint));
                match self.type_kind(&rust_name, schema, at) {
                    Some(kind) => {
                        self.types.push(TypeDef {
                            rust_name: rust_name.clone(),
                            component: None,
                            pointer: at.to_owned(),
                            description: schema.schema_data.description.clone(),
                            kind,
                            constraints: constraints_of(schema),
                        });
                        TypeRef::Named(rust_name)
                    }
                    None => TypeRef::Any,
                }
            }
        }
    }

    /// An array of `items` (any value when the schema gives none).
    fn array_of(
        &mut self,
        hint: &str,
        items: Option<&ReferenceOr<Box<Schema>>>,
        at: &str,
    ) -> TypeRef {
        TypeRef::Array(Box::new(match items {
            Some(items) => self.type_ref(&format!("{hint}Item"), items, &format!("{at}/items")),
            None => TypeRef::Any,
        }))
    }

    fn security_schemes(&mut self) -> Vec<SecurityScheme> {
        let mut names = NameSet::default();
        let mut schemes = Vec::new();
        let entries: Vec<_> = self
            .api
            .components
            .iter()
            .flat_map(|c| c.security_schemes.iter())
            .map(|(n, s)| (n.clone(), s.clone()))
            .collect();
        for (name, scheme) in entries {
            let at = format!("/components/securitySchemes/{}", pointer::escape(&name));
            let ReferenceOr::Item(scheme) = scheme else {
                self.error(
                    &at,
                    "a security scheme $ref is not supported: define the scheme here",
                );
                continue;
            };
            let kind = match scheme {
                openapiv3::SecurityScheme::APIKey {
                    location,
                    name: parameter,
                    extensions,
                    ..
                } => SchemeKind::ApiKey {
                    location: match location {
                        openapiv3::APIKeyLocation::Query => ParameterLocation::Query,
                        openapiv3::APIKeyLocation::Header => ParameterLocation::Header,
                        openapiv3::APIKeyLocation::Cookie => ParameterLocation::Cookie,
                    },
                    parameter,
                    prefix: extensions
                        .get("x-prefix")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                },
                openapiv3::SecurityScheme::HTTP { scheme, .. }
                    if scheme.eq_ignore_ascii_case("basic") =>
                {
                    SchemeKind::Basic
                }
                openapiv3::SecurityScheme::HTTP { .. } => SchemeKind::Bearer,
                openapiv3::SecurityScheme::OAuth2 { .. }
                | openapiv3::SecurityScheme::OpenIDConnect { .. } => SchemeKind::OAuth,
            };
            schemes.push(SecurityScheme {
                rust_name: names.unique(snake_ident(&name)),
                name,
                kind,
            });
        }
        schemes
    }

    fn operations(&mut self, schemes: &[SecurityScheme]) -> Vec<Operation> {
        let mut fn_names = NameSet::default();
        let mut stems = NameSet::default();
        let mut operations = Vec::new();
        let api: &'a OpenAPI = self.api;
        for (path, item) in &api.paths.paths {
            let item_at = format!("/paths/{}", pointer::escape(path));
            let ReferenceOr::Item(item) = item else {
                self.error(
                    &item_at,
                    "a path item $ref is not supported: define the path here",
                );
                continue;
            };
            for (method_name, operation) in item.iter() {
                let at = format!("{item_at}/{method_name}");
                let method = match method_name {
                    "get" => Method::Get,
                    "put" => Method::Put,
                    "post" => Method::Post,
                    "delete" => Method::Delete,
                    "options" => Method::Options,
                    "head" => Method::Head,
                    "patch" => Method::Patch,
                    _ => Method::Trace,
                };
                let id = operation
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| format!("{method_name} {path}"));
                let type_stem = stems.unique(pascal_ident(&id));
                let rust_name = fn_names.unique(snake_ident(&id));
                let parameters =
                    self.parameters(&type_stem, &item.parameters, &operation.parameters, &at);
                let body = operation.request_body.as_ref().and_then(|body| {
                    self.request_body(&type_stem, body, &format!("{at}/requestBody"))
                });
                let responses =
                    self.responses(&type_stem, &operation.responses, &format!("{at}/responses"));
                let requirements = operation.security.as_ref().or(self.api.security.as_ref());
                let security = requirements
                    .map(|list| {
                        list.iter()
                            .map(|requirement| {
                                requirement
                                    .keys()
                                    .filter(|k| schemes.iter().any(|s| &s.name == *k))
                                    .cloned()
                                    .collect()
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let rules = operation
                    .extensions
                    .get("x-rules")
                    .and_then(Value::as_array)
                    .map(|items| {
                        items
                            .iter()
                            .filter_map(|item| ext::parse_rule(item).ok())
                            .collect()
                    })
                    .unwrap_or_default();
                operations.push(Operation {
                    id,
                    rust_name,
                    type_stem,
                    method,
                    path: path.clone(),
                    summary: operation.summary.clone(),
                    description: operation.description.clone(),
                    parameters,
                    body,
                    responses,
                    security,
                    rules,
                });
            }
        }
        operations
    }

    fn parameters(
        &mut self,
        stem: &str,
        shared: &[ReferenceOr<OaParameter>],
        own: &[ReferenceOr<OaParameter>],
        at: &str,
    ) -> Vec<Parameter> {
        let mut names = NameSet::default();
        let mut found: Vec<Parameter> = Vec::new();
        for (index, parameter) in shared.iter().chain(own).enumerate() {
            let here = format!("{at}/parameters/{index}");
            let parameter = match parameter {
                ReferenceOr::Item(parameter) => parameter.clone(),
                ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix("#/components/parameters/");
                    match name.and_then(|n| self.api.components.as_ref()?.parameters.get(n)) {
                        Some(ReferenceOr::Item(parameter)) => parameter.clone(),
                        _ => match self.pointed::<OaParameter>(reference) {
                            Some((_, parameter)) => parameter,
                            None => {
                                self.error(&here, format!("$ref {reference:?} is not a parameter of #/components/parameters"));
                                continue;
                            }
                        },
                    }
                }
            };
            let (location, style) = match &parameter {
                OaParameter::Query { style, .. } => (
                    ParameterLocation::Query,
                    match style {
                        openapiv3::QueryStyle::Form => ParameterStyle::Form,
                        openapiv3::QueryStyle::SpaceDelimited => ParameterStyle::SpaceDelimited,
                        openapiv3::QueryStyle::PipeDelimited => ParameterStyle::PipeDelimited,
                        openapiv3::QueryStyle::DeepObject => ParameterStyle::DeepObject,
                    },
                ),
                OaParameter::Header { .. } => (ParameterLocation::Header, ParameterStyle::Simple),
                OaParameter::Path { style, .. } => (
                    ParameterLocation::Path,
                    match style {
                        openapiv3::PathStyle::Simple => ParameterStyle::Simple,
                        openapiv3::PathStyle::Label => ParameterStyle::Label,
                        openapiv3::PathStyle::Matrix => ParameterStyle::Matrix,
                    },
                ),
                OaParameter::Cookie { .. } => (ParameterLocation::Cookie, ParameterStyle::Form),
            };
            let data = parameter.parameter_data_ref();
            let schema_example = match &data.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
                    schema.schema_data.example.clone()
                }
                ParameterSchemaOrContent::Schema(ReferenceOr::Reference { reference }) => self
                    .resolve(reference)
                    .and_then(|schema| schema.schema_data.example.clone()),
                ParameterSchemaOrContent::Content(_) => None,
            };
            let example = data.example.clone().or(schema_example);
            let (ty, constraints) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let constraints = match schema {
                        ReferenceOr::Item(schema) => constraints_of(schema),
                        ReferenceOr::Reference { reference } => self
                            .resolve(reference)
                            .map(constraints_of)
                            .unwrap_or_default(),
                    };
                    (
                        self.schema_ref(
                            &format!("{stem}{}", pascal_ident(&data.name)),
                            schema,
                            &format!("{here}/schema"),
                        ),
                        constraints,
                    )
                }
                ParameterSchemaOrContent::Content(_) => (TypeRef::Any, Constraints::default()),
            };
            found.retain(|p| !(p.name == data.name && p.location == location));
            found.push(Parameter {
                name: data.name.clone(),
                rust_name: String::new(),
                location,
                required: data.required || location == ParameterLocation::Path,
                ty,
                constraints,
                messages: extension(&data.extensions, "x-messages").unwrap_or_default(),
                documented_messages: extension(&data.extensions, "x-documented-messages")
                    .unwrap_or_default(),
                description: data.description.clone(),
                example,
                style,
                explode: data.explode.unwrap_or(style == ParameterStyle::Form),
            });
        }
        for parameter in &mut found {
            parameter.rust_name = names.unique(snake_ident(&parameter.name));
        }
        found
    }

    fn request_body(
        &mut self,
        stem: &str,
        body: &ReferenceOr<openapiv3::RequestBody>,
        at: &str,
    ) -> Option<RequestBody> {
        let body = match body {
            ReferenceOr::Item(body) => body.clone(),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/requestBodies/");
                match name.and_then(|n| self.api.components.as_ref()?.request_bodies.get(n)) {
                    Some(ReferenceOr::Item(body)) => body.clone(),
                    _ => match self.pointed::<openapiv3::RequestBody>(reference) {
                        Some((_, body)) => body,
                        None => {
                            self.error(at, format!("$ref {reference:?} is not a request body of #/components/requestBodies"));
                            return None;
                        }
                    },
                }
            }
        };
        let mut contents = Vec::new();
        for (media_type, media) in &body.content {
            let here = format!("{at}/content/{}", pointer::escape(media_type));
            let ty = match &media.schema {
                Some(schema) => {
                    self.schema_ref(&format!("{stem}Body"), schema, &format!("{here}/schema"))
                }
                None => TypeRef::Any,
            };
            let part_content_types = media
                .encoding
                .iter()
                .filter_map(|(part, encoding)| {
                    let types = encoding.content_type.as_ref()?;
                    Some((
                        part.clone(),
                        types
                            .split(',')
                            .map(|t| t.trim().to_owned())
                            .filter(|t| !t.is_empty())
                            .collect(),
                    ))
                })
                .collect();
            contents.push(BodyContent {
                media_type: media_type.clone(),
                kind: MediaKind::of(media_type),
                ty,
                part_content_types,
            });
        }
        Some(RequestBody {
            required: body.required,
            contents,
        })
    }

    fn responses(
        &mut self,
        stem: &str,
        responses: &openapiv3::Responses,
        at: &str,
    ) -> Vec<Response> {
        let mut variants = NameSet::default();
        let mut found = Vec::new();
        let mut entries: Vec<(StatusSpec, String, &ReferenceOr<openapiv3::Response>)> = responses
            .responses
            .iter()
            .map(|(status, response)| match status {
                StatusCode::Code(code) => (StatusSpec::Code(*code), code.to_string(), response),
                StatusCode::Range(hundreds) => (
                    StatusSpec::Range(u8::try_from(*hundreds).unwrap_or(0)),
                    format!("{hundreds}XX"),
                    response,
                ),
            })
            .collect();
        if let Some(default) = &responses.default {
            entries.push((StatusSpec::Default, "default".into(), default));
        }
        for (status, key, response) in entries {
            let here = format!("{at}/{}", pointer::escape(&key));
            let response = match response {
                ReferenceOr::Item(response) => response.clone(),
                ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix("#/components/responses/");
                    match name.and_then(|n| self.api.components.as_ref()?.responses.get(n)) {
                        Some(ReferenceOr::Item(response)) => response.clone(),
                        _ => match self.pointed::<openapiv3::Response>(reference) {
                            Some((_, response)) => response,
                            None => {
                                self.error(
                                    &here,
                                    format!(
                                        "$ref {reference:?} is not a response of #/components/responses"
                                    ),
                                );
                                continue;
                            }
                        },
                    }
                }
            };
            let variant = variants.unique(status_variant(status));
            let mut contents = Vec::new();
            for (media_type, media) in &response.content {
                let ty = media.schema.as_ref().map(|schema| {
                    self.schema_ref(
                        &format!("{stem}{variant}Body"),
                        schema,
                        &format!("{here}/content/{}/schema", pointer::escape(media_type)),
                    )
                });
                contents.push((media_type.clone(), ty));
            }
            let headers = self.response_headers(&response);
            let links = response_links(&response);
            found.push(Response {
                status,
                variant,
                description: response.description.clone(),
                contents,
                headers,
                links,
            });
        }
        found
    }
}

impl Builder<'_> {
    /// The headers a response documents. Only a scalar schema gives a type: a header's value
    /// is text, and no Rust type is made for a header (the generated code does not read them).
    fn response_headers(&self, response: &openapiv3::Response) -> Vec<ResponseHeader> {
        let mut found = Vec::new();
        for (name, header) in &response.headers {
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let header = match header {
                ReferenceOr::Item(header) => Some(header),
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/headers/")
                    .and_then(|n| self.api.components.as_ref()?.headers.get(n))
                    .and_then(|h| h.as_item()),
            };
            let Some(header) = header else { continue };
            let schema = match &header.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => Some(schema),
                ParameterSchemaOrContent::Schema(ReferenceOr::Reference { reference }) => {
                    self.resolve(reference)
                }
                ParameterSchemaOrContent::Content(_) => None,
            };
            let ty = match schema.map(|s| &s.schema_kind) {
                Some(SchemaKind::Type(Type::String(_))) => TypeRef::String,
                Some(SchemaKind::Type(Type::Integer(_))) => TypeRef::Integer(IntegerWidth::I64),
                Some(SchemaKind::Type(Type::Number(_))) => TypeRef::Number,
                Some(SchemaKind::Type(Type::Boolean(_))) => TypeRef::Boolean,
                _ => TypeRef::Any,
            };
            found.push(ResponseHeader {
                name: name.clone(),
                required: header.required,
                ty,
                constraints: schema.map(constraints_of).unwrap_or_default(),
            });
        }
        found
    }
}

/// The links of a response that name an `operationId` (an `operationRef` or a `$ref`ed link
/// is not followed: the harness uses links only to find ids).
fn response_links(response: &openapiv3::Response) -> Vec<ResponseLink> {
    response
        .links
        .values()
        .filter_map(|link| match link.as_item()? {
            openapiv3::Link {
                operation: openapiv3::LinkOperation::OperationId(operation_id),
                parameters,
                ..
            } => Some(ResponseLink {
                operation_id: operation_id.clone(),
                parameters: parameters
                    .iter()
                    .map(|(name, value)| {
                        let text = match value {
                            Value::String(text) => text.clone(),
                            other => other.to_string(),
                        };
                        (name.clone(), text)
                    })
                    .collect(),
            }),
            _ => None,
        })
        .collect()
}

/// A readable variant name for a status.
fn status_variant(status: StatusSpec) -> String {
    match status {
        StatusSpec::Default => "Default".into(),
        StatusSpec::Range(hundreds) => format!("Status{hundreds}xx"),
        StatusSpec::Code(code) => match code {
            200 => "Ok".into(),
            201 => "Created".into(),
            202 => "Accepted".into(),
            204 => "NoContent".into(),
            301 => "MovedPermanently".into(),
            302 => "Found".into(),
            304 => "NotModified".into(),
            400 => "BadRequest".into(),
            401 => "Unauthorized".into(),
            403 => "Forbidden".into(),
            404 => "NotFound".into(),
            405 => "MethodNotAllowed".into(),
            409 => "Conflict".into(),
            410 => "Gone".into(),
            413 => "PayloadTooLarge".into(),
            415 => "UnsupportedMediaType".into(),
            422 => "UnprocessableEntity".into(),
            429 => "TooManyRequests".into(),
            500 => "InternalServerError".into(),
            503 => "ServiceUnavailable".into(),
            other => format!("Status{other}"),
        },
    }
}

fn type_word(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::Named(_) => "Named",
        TypeRef::String => "String",
        TypeRef::Integer(_) => "Integer",
        TypeRef::Number => "Number",
        TypeRef::Boolean => "Boolean",
        TypeRef::Binary => "Binary",
        TypeRef::Array(_) => "Array",
        TypeRef::Map(_) => "Map",
        TypeRef::Any => "Any",
    }
}

/// An untyped `enum` of strings (and perhaps `null`): a string enum.
/// Strings (and `null`, for a nullable enum); an enum of `null` alone (`enum: [null]`, a value
/// that can only be null) is not one: it has no string to make a variant of.
fn is_string_enum(values: &[Value]) -> bool {
    values.iter().any(Value::is_string) && values.iter().all(|v| v.is_string() || v.is_null())
}

fn enum_values<'s>(values: impl Iterator<Item = &'s String>) -> Vec<EnumValue> {
    let mut names = NameSet::default();
    values
        .map(|value| EnumValue {
            value: value.clone(),
            rust_name: names.unique(pascal_ident(value)),
        })
        .collect()
}

/// A typed extension value; malformed ones were reported by the spec checks.
fn extension<T: serde::de::DeserializeOwned>(
    extensions: &IndexMap<String, Value>,
    key: &str,
) -> Option<T> {
    extensions
        .get(key)
        .and_then(|value| serde_json::from_value(value.clone()).ok())
}

/// The constraints a schema states directly.
fn constraints_of(schema: &Schema) -> Constraints {
    let mut constraints = Constraints::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            constraints.max_length = string.max_length;
            constraints.min_length = string.min_length;
            constraints.pattern.clone_from(&string.pattern);
            constraints.format = match &string.format {
                VariantOrUnknownOrEmpty::Item(format) => Some(
                    serde_json::to_value(format)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                ),
                VariantOrUnknownOrEmpty::Unknown(format) => Some(format.clone()),
                VariantOrUnknownOrEmpty::Empty => None,
            };
            constraints.enumeration = string
                .enumeration
                .iter()
                .flatten()
                .map(|v| Value::String(v.clone()))
                .collect();
        }
        SchemaKind::Type(Type::Integer(integer)) => {
            constraints.minimum = integer.minimum.map(|v| v as f64);
            constraints.maximum = integer.maximum.map(|v| v as f64);
            constraints.exclusive_minimum = integer.exclusive_minimum;
            constraints.exclusive_maximum = integer.exclusive_maximum;
            constraints.enumeration = integer
                .enumeration
                .iter()
                .flatten()
                .map(|v| Value::from(*v))
                .collect();
        }
        SchemaKind::Type(Type::Number(number)) => {
            constraints.minimum = number.minimum;
            constraints.maximum = number.maximum;
            constraints.exclusive_minimum = number.exclusive_minimum;
            constraints.exclusive_maximum = number.exclusive_maximum;
        }
        SchemaKind::Type(Type::Array(array)) => {
            constraints.min_items = array.min_items;
            constraints.max_items = array.max_items;
            constraints.unique_items = array.unique_items;
        }
        SchemaKind::Any(any) => {
            constraints.max_length = any.max_length;
            constraints.min_length = any.min_length;
            constraints.pattern.clone_from(&any.pattern);
            constraints.format.clone_from(&any.format);
            constraints.minimum = any.minimum;
            constraints.maximum = any.maximum;
            constraints.min_items = any.min_items;
            constraints.max_items = any.max_items;
            constraints.enumeration.clone_from(&any.enumeration);
        }
        _ => {}
    }
    constraints
}

/// A URI fragment's `%XX` escapes decoded (`#/paths/~1a%7Bid%7D` names `/a{id}`).
fn percent_decoded(fragment: &str) -> String {
    if !fragment.contains('%') {
        return fragment.to_owned();
    }
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |at: usize| {
            bytes
                .get(at)
                .and_then(|b| char::from(*b).to_digit(16))
                .and_then(|d| u8::try_from(d).ok())
        };
        match (bytes[index], hex(index + 1), hex(index + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push(high * 16 + low);
                index += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
