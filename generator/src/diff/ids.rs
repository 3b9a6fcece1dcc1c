//! Every kind of change `api-diff` reports: one stable id (kebab-case, as oasdiff names
//! them), one level and one line of documentation each, all in [`ChangeId`]. The table in
//! `generator/docs/api-diff-changes.md` is written from this enum by a test.
//!
//! Direction decides the level: tightening what clients send breaks them (error), loosening
//! it does not (info); widening what they receive breaks them, narrowing it does not.

use std::fmt;

/// How bad a change is for existing clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Breaks existing clients.
    Error,
    /// May break some clients; review it.
    Warning,
    /// Compatible.
    Info,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }

    pub fn from_name(name: &str) -> Option<Level> {
        [Level::Error, Level::Warning, Level::Info]
            .into_iter()
            .find(|level| level.as_str() == name)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a schema is compared: the same rule has a different id (and level) in each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Context {
    /// A parameter's schema (sent by clients).
    RequestParameter,
    /// A request body's schema, at any depth (sent by clients).
    RequestProperty,
    /// A response body's schema, at any depth (received by clients).
    ResponseProperty,
}

impl Context {
    pub fn is_request(self) -> bool {
        self != Context::ResponseProperty
    }
}

macro_rules! change_ids {
    ($( #[doc = $doc:literal] $variant:ident = $id:literal, $level:ident; )*) => {
        /// Every kind of change, with its stable id and level.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ChangeId {
            $( #[doc = $doc] $variant, )*
        }

        impl ChangeId {
            /// Every id, in documentation order.
            pub const ALL: &'static [ChangeId] = &[$(ChangeId::$variant),*];

            /// The stable id, e.g. `request-property-max-length-decreased`.
            pub fn id(self) -> &'static str {
                match self {
                    $(ChangeId::$variant => $id,)*
                }
            }

            pub fn level(self) -> Level {
                match self {
                    $(ChangeId::$variant => Level::$level,)*
                }
            }

            /// One line of documentation.
            pub fn description(self) -> &'static str {
                match self {
                    $(ChangeId::$variant => $doc.trim_start(),)*
                }
            }
        }
    };
}

impl ChangeId {
    pub fn from_id(id: &str) -> Option<ChangeId> {
        ChangeId::ALL.iter().copied().find(|c| c.id() == id)
    }
}

impl fmt::Display for ChangeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

change_ids! {
    /// A path was added.
    ApiPathAdded = "api-path-added", Info;
    /// A path was removed, with an operation that was not deprecated (reported for each such operation).
    ApiPathRemoved = "api-path-removed", Error;
    /// An operation was added to an existing path.
    ApiOperationAdded = "api-operation-added", Info;
    /// An operation that was not deprecated was removed.
    ApiOperationRemoved = "api-operation-removed", Error;
    /// An operation was removed after being deprecated (alone or with its path).
    ApiDeprecatedOperationRemoved = "api-deprecated-operation-removed", Warning;
    /// An operation became deprecated.
    ApiDeprecated = "api-deprecated", Info;
    /// An operation is no longer deprecated.
    ApiReactivated = "api-reactivated", Info;
    /// An operation's `operationId` changed (generated clients rename a method).
    ApiOperationIdChanged = "api-operation-id-changed", Info;
    /// An operation that accepted anonymous calls now requires credentials.
    ApiSecurityAdded = "api-security-added", Error;
    /// An operation no longer requires credentials.
    ApiSecurityRemoved = "api-security-removed", Info;
    /// A new way to authenticate (a security requirement alternative) was added.
    ApiSecurityAlternativeAdded = "api-security-alternative-added", Info;
    /// A way to authenticate (a security requirement alternative) was removed.
    ApiSecurityAlternativeRemoved = "api-security-alternative-removed", Error;
    /// A security requirement needs an additional OAuth scope.
    ApiSecurityScopeAdded = "api-security-scope-added", Error;
    /// A security requirement needs one scope fewer.
    ApiSecurityScopeRemoved = "api-security-scope-removed", Info;
    /// A security scheme was added to `components.securitySchemes`.
    SecuritySchemeAdded = "security-scheme-added", Info;
    /// A security scheme was removed from `components.securitySchemes`.
    SecuritySchemeRemoved = "security-scheme-removed", Warning;
    /// A security scheme changed its type, its location (`in`), its parameter name or its HTTP scheme.
    SecuritySchemeChanged = "security-scheme-changed", Error;
    /// An OAuth flow's authorization, token or refresh URL changed.
    SecuritySchemeOauthUrlChanged = "security-scheme-oauth-url-changed", Info;
    /// A server URL was added (document, path or operation level).
    ServerAdded = "server-added", Info;
    /// A server URL was removed (document, path or operation level).
    ServerRemoved = "server-removed", Info;
    /// A required query parameter was added.
    NewRequiredQueryParameter = "new-required-query-parameter", Error;
    /// A required header parameter was added.
    NewRequiredHeaderParameter = "new-required-header-parameter", Error;
    /// A required cookie parameter was added.
    NewRequiredCookieParameter = "new-required-cookie-parameter", Error;
    /// An optional parameter was added.
    NewOptionalRequestParameter = "new-optional-request-parameter", Info;
    /// A parameter was removed (clients still sending it may be refused).
    RequestParameterRemoved = "request-parameter-removed", Warning;
    /// An optional parameter became required.
    RequestParameterBecameRequired = "request-parameter-became-required", Error;
    /// A required parameter became optional.
    RequestParameterBecameOptional = "request-parameter-became-optional", Info;
    /// A parameter moved to another location (`in`: query, header, path, cookie) under the same name.
    RequestParameterLocationChanged = "request-parameter-location-changed", Error;
    /// A parameter was renamed (one removed and one added in the same location with the same schema).
    RequestParameterRenamed = "request-parameter-renamed", Error;
    /// A path parameter was renamed (the URL does not change).
    RequestPathParameterRenamed = "request-path-parameter-renamed", Info;
    /// A parameter is serialized differently: its `style` or `explode` (defaults included) changed.
    RequestParameterStyleChanged = "request-parameter-style-changed", Error;
    /// A required request body was added.
    NewRequiredRequestBody = "new-required-request-body", Error;
    /// An optional request body was added.
    NewOptionalRequestBody = "new-optional-request-body", Info;
    /// The request body was removed.
    RequestBodyRemoved = "request-body-removed", Warning;
    /// The request body became required.
    RequestBodyBecameRequired = "request-body-became-required", Error;
    /// The request body became optional.
    RequestBodyBecameOptional = "request-body-became-optional", Info;
    /// The request body accepts a new media type.
    RequestBodyMediaTypeAdded = "request-body-media-type-added", Info;
    /// The request body no longer accepts a media type.
    RequestBodyMediaTypeRemoved = "request-body-media-type-removed", Error;
    /// A success (2xx) response status was removed.
    ResponseSuccessStatusRemoved = "response-success-status-removed", Error;
    /// A non-success response status was removed.
    ResponseNonSuccessStatusRemoved = "response-non-success-status-removed", Info;
    /// A response status outside the documented ones (no `default`, no matching `4XX`-style range) was added.
    ResponseStatusAdded = "response-status-added", Error;
    /// A response status was added that the old document covered with `default` or a range.
    ResponseStatusAddedWithinDefault = "response-status-added-within-default", Info;
    /// A response offers a new media type.
    ResponseMediaTypeAdded = "response-media-type-added", Info;
    /// A response no longer offers a media type.
    ResponseMediaTypeRemoved = "response-media-type-removed", Error;
    /// A response header was added.
    ResponseHeaderAdded = "response-header-added", Info;
    /// A response header was removed.
    ResponseHeaderRemoved = "response-header-removed", Warning;
    /// A required property was added to a request body.
    NewRequiredRequestProperty = "new-required-request-property", Error;
    /// An optional property was added to a request body.
    NewOptionalRequestProperty = "new-optional-request-property", Info;
    /// A property was removed from a request body.
    RequestPropertyRemoved = "request-property-removed", Warning;
    /// A request property became required.
    RequestPropertyBecameRequired = "request-property-became-required", Error;
    /// A required request property became optional.
    RequestPropertyBecameOptional = "request-property-became-optional", Info;
    /// A request property became `readOnly`: clients may no longer send it.
    RequestPropertyBecameReadOnly = "request-property-became-read-only", Error;
    /// A required property was removed from a response.
    ResponseRequiredPropertyRemoved = "response-required-property-removed", Error;
    /// An optional property was removed from a response.
    ResponseOptionalPropertyRemoved = "response-optional-property-removed", Warning;
    /// A required property was added to a response.
    NewRequiredResponseProperty = "new-required-response-property", Info;
    /// An optional property was added to a response.
    NewOptionalResponseProperty = "new-optional-response-property", Info;
    /// An optional property was added to a response schema with `additionalProperties: false` (strict clients refuse unknown fields).
    NewOptionalResponsePropertyInClosedSchema = "new-optional-response-property-in-closed-schema", Warning;
    /// A required response property became optional: clients may no longer rely on it.
    ResponsePropertyBecameOptional = "response-property-became-optional", Error;
    /// An optional response property became required.
    ResponsePropertyBecameRequired = "response-property-became-required", Info;
    /// A response property became `writeOnly`: it is no longer returned.
    ResponsePropertyBecameWriteOnly = "response-property-became-write-only", Error;
    /// A `discriminator` was added to a schema.
    DiscriminatorAdded = "discriminator-added", Warning;
    /// A `discriminator` was removed from a schema.
    DiscriminatorRemoved = "discriminator-removed", Warning;
    /// A discriminator's `propertyName` changed.
    DiscriminatorPropertyNameChanged = "discriminator-property-name-changed", Error;
    /// A request discriminator no longer maps a value.
    RequestDiscriminatorMappingValueRemoved = "request-discriminator-mapping-value-removed", Error;
    /// A response discriminator maps a new value.
    ResponseDiscriminatorMappingValueAdded = "response-discriminator-mapping-value-added", Error;
    /// A discriminator mapping changed in the compatible direction (a request value added, a response value removed) or changed its target.
    DiscriminatorMappingChanged = "discriminator-mapping-changed", Info;
    /// A request parameter's schema: `maxLength` decreased or set where there was none.
    RequestParameterMaxLengthDecreased = "request-parameter-max-length-decreased", Error;
    /// A request parameter's schema: `maxLength` increased or removed.
    RequestParameterMaxLengthIncreased = "request-parameter-max-length-increased", Info;
    /// A request parameter's schema: `minLength` increased or set where there was none.
    RequestParameterMinLengthIncreased = "request-parameter-min-length-increased", Error;
    /// A request parameter's schema: `minLength` decreased or removed.
    RequestParameterMinLengthDecreased = "request-parameter-min-length-decreased", Info;
    /// A request parameter's schema: `maximum` (or `exclusiveMaximum`) decreased or set where there was none.
    RequestParameterMaxDecreased = "request-parameter-max-decreased", Error;
    /// A request parameter's schema: `maximum` (or `exclusiveMaximum`) increased or removed.
    RequestParameterMaxIncreased = "request-parameter-max-increased", Info;
    /// A request parameter's schema: `minimum` (or `exclusiveMinimum`) increased or set where there was none.
    RequestParameterMinIncreased = "request-parameter-min-increased", Error;
    /// A request parameter's schema: `minimum` (or `exclusiveMinimum`) decreased or removed.
    RequestParameterMinDecreased = "request-parameter-min-decreased", Info;
    /// A request parameter's schema: `maxItems` decreased or set where there was none.
    RequestParameterMaxItemsDecreased = "request-parameter-max-items-decreased", Error;
    /// A request parameter's schema: `maxItems` increased or removed.
    RequestParameterMaxItemsIncreased = "request-parameter-max-items-increased", Info;
    /// A request parameter's schema: `minItems` increased or set where there was none.
    RequestParameterMinItemsIncreased = "request-parameter-min-items-increased", Error;
    /// A request parameter's schema: `minItems` decreased or removed.
    RequestParameterMinItemsDecreased = "request-parameter-min-items-decreased", Info;
    /// A request parameter's schema: a `pattern` was added.
    RequestParameterPatternAdded = "request-parameter-pattern-added", Error;
    /// A request parameter's schema: the `pattern` changed.
    RequestParameterPatternChanged = "request-parameter-pattern-changed", Error;
    /// A request parameter's schema: the `pattern` was removed.
    RequestParameterPatternRemoved = "request-parameter-pattern-removed", Info;
    /// A request parameter's schema: an `enum` value was removed.
    RequestParameterEnumValueRemoved = "request-parameter-enum-value-removed", Error;
    /// A request parameter's schema: an `enum` value was added.
    RequestParameterEnumValueAdded = "request-parameter-enum-value-added", Info;
    /// A request parameter's schema: an `enum` was set where any value was allowed.
    RequestParameterEnumAdded = "request-parameter-enum-added", Error;
    /// A request parameter's schema: the `enum` was removed: any value is allowed.
    RequestParameterEnumRemoved = "request-parameter-enum-removed", Info;
    /// A request parameter's schema: the `type` changed incompatibly.
    RequestParameterTypeChanged = "request-parameter-type-changed", Error;
    /// A request parameter's schema: the `type` was widened (e.g. `integer` to `number`, or a type added to a 3.1 type list).
    RequestParameterTypeWidened = "request-parameter-type-widened", Info;
    /// A request parameter's schema: the `format` changed or was added.
    RequestParameterFormatChanged = "request-parameter-format-changed", Error;
    /// A request parameter's schema: the `format` was removed.
    RequestParameterFormatRemoved = "request-parameter-format-removed", Info;
    /// A request parameter's schema: the value may now be `null`.
    RequestParameterNullableAdded = "request-parameter-nullable-added", Info;
    /// A request parameter's schema: the value may no longer be `null`.
    RequestParameterNullableRemoved = "request-parameter-nullable-removed", Error;
    /// A request body schema (any depth): `maxLength` decreased or set where there was none.
    RequestPropertyMaxLengthDecreased = "request-property-max-length-decreased", Error;
    /// A request body schema (any depth): `maxLength` increased or removed.
    RequestPropertyMaxLengthIncreased = "request-property-max-length-increased", Info;
    /// A request body schema (any depth): `minLength` increased or set where there was none.
    RequestPropertyMinLengthIncreased = "request-property-min-length-increased", Error;
    /// A request body schema (any depth): `minLength` decreased or removed.
    RequestPropertyMinLengthDecreased = "request-property-min-length-decreased", Info;
    /// A request body schema (any depth): `maximum` (or `exclusiveMaximum`) decreased or set where there was none.
    RequestPropertyMaxDecreased = "request-property-max-decreased", Error;
    /// A request body schema (any depth): `maximum` (or `exclusiveMaximum`) increased or removed.
    RequestPropertyMaxIncreased = "request-property-max-increased", Info;
    /// A request body schema (any depth): `minimum` (or `exclusiveMinimum`) increased or set where there was none.
    RequestPropertyMinIncreased = "request-property-min-increased", Error;
    /// A request body schema (any depth): `minimum` (or `exclusiveMinimum`) decreased or removed.
    RequestPropertyMinDecreased = "request-property-min-decreased", Info;
    /// A request body schema (any depth): `maxItems` decreased or set where there was none.
    RequestPropertyMaxItemsDecreased = "request-property-max-items-decreased", Error;
    /// A request body schema (any depth): `maxItems` increased or removed.
    RequestPropertyMaxItemsIncreased = "request-property-max-items-increased", Info;
    /// A request body schema (any depth): `minItems` increased or set where there was none.
    RequestPropertyMinItemsIncreased = "request-property-min-items-increased", Error;
    /// A request body schema (any depth): `minItems` decreased or removed.
    RequestPropertyMinItemsDecreased = "request-property-min-items-decreased", Info;
    /// A request body schema (any depth): a `pattern` was added.
    RequestPropertyPatternAdded = "request-property-pattern-added", Error;
    /// A request body schema (any depth): the `pattern` changed.
    RequestPropertyPatternChanged = "request-property-pattern-changed", Error;
    /// A request body schema (any depth): the `pattern` was removed.
    RequestPropertyPatternRemoved = "request-property-pattern-removed", Info;
    /// A request body schema (any depth): an `enum` value was removed.
    RequestPropertyEnumValueRemoved = "request-property-enum-value-removed", Error;
    /// A request body schema (any depth): an `enum` value was added.
    RequestPropertyEnumValueAdded = "request-property-enum-value-added", Info;
    /// A request body schema (any depth): an `enum` was set where any value was allowed.
    RequestPropertyEnumAdded = "request-property-enum-added", Error;
    /// A request body schema (any depth): the `enum` was removed: any value is allowed.
    RequestPropertyEnumRemoved = "request-property-enum-removed", Info;
    /// A request body schema (any depth): the `type` changed incompatibly.
    RequestPropertyTypeChanged = "request-property-type-changed", Error;
    /// A request body schema (any depth): the `type` was widened (e.g. `integer` to `number`, or a type added to a 3.1 type list).
    RequestPropertyTypeWidened = "request-property-type-widened", Info;
    /// A request body schema (any depth): the `format` changed or was added.
    RequestPropertyFormatChanged = "request-property-format-changed", Error;
    /// A request body schema (any depth): the `format` was removed.
    RequestPropertyFormatRemoved = "request-property-format-removed", Info;
    /// A request body schema (any depth): the value may now be `null`.
    RequestPropertyNullableAdded = "request-property-nullable-added", Info;
    /// A request body schema (any depth): the value may no longer be `null`.
    RequestPropertyNullableRemoved = "request-property-nullable-removed", Error;
    /// A request body schema (any depth): a `oneOf` alternative was added.
    RequestPropertyOneOfAdded = "request-property-one-of-added", Info;
    /// A request body schema (any depth): a `oneOf` alternative was removed.
    RequestPropertyOneOfRemoved = "request-property-one-of-removed", Error;
    /// A request body schema (any depth): an `anyOf` alternative was added.
    RequestPropertyAnyOfAdded = "request-property-any-of-added", Info;
    /// A request body schema (any depth): an `anyOf` alternative was removed.
    RequestPropertyAnyOfRemoved = "request-property-any-of-removed", Error;
    /// A request body schema (any depth): an `allOf` member was added.
    RequestPropertyAllOfAdded = "request-property-all-of-added", Error;
    /// A request body schema (any depth): an `allOf` member was removed.
    RequestPropertyAllOfRemoved = "request-property-all-of-removed", Info;
    /// A response body schema (any depth): `maxLength` decreased or set where there was none.
    ResponsePropertyMaxLengthDecreased = "response-property-max-length-decreased", Info;
    /// A response body schema (any depth): `maxLength` increased or removed.
    ResponsePropertyMaxLengthIncreased = "response-property-max-length-increased", Warning;
    /// A response body schema (any depth): `minLength` increased or set where there was none.
    ResponsePropertyMinLengthIncreased = "response-property-min-length-increased", Info;
    /// A response body schema (any depth): `minLength` decreased or removed.
    ResponsePropertyMinLengthDecreased = "response-property-min-length-decreased", Warning;
    /// A response body schema (any depth): `maximum` (or `exclusiveMaximum`) decreased or set where there was none.
    ResponsePropertyMaxDecreased = "response-property-max-decreased", Info;
    /// A response body schema (any depth): `maximum` (or `exclusiveMaximum`) increased or removed.
    ResponsePropertyMaxIncreased = "response-property-max-increased", Warning;
    /// A response body schema (any depth): `minimum` (or `exclusiveMinimum`) increased or set where there was none.
    ResponsePropertyMinIncreased = "response-property-min-increased", Info;
    /// A response body schema (any depth): `minimum` (or `exclusiveMinimum`) decreased or removed.
    ResponsePropertyMinDecreased = "response-property-min-decreased", Warning;
    /// A response body schema (any depth): `maxItems` decreased or set where there was none.
    ResponsePropertyMaxItemsDecreased = "response-property-max-items-decreased", Info;
    /// A response body schema (any depth): `maxItems` increased or removed.
    ResponsePropertyMaxItemsIncreased = "response-property-max-items-increased", Warning;
    /// A response body schema (any depth): `minItems` increased or set where there was none.
    ResponsePropertyMinItemsIncreased = "response-property-min-items-increased", Info;
    /// A response body schema (any depth): `minItems` decreased or removed.
    ResponsePropertyMinItemsDecreased = "response-property-min-items-decreased", Warning;
    /// A response body schema (any depth): a `pattern` was added.
    ResponsePropertyPatternAdded = "response-property-pattern-added", Info;
    /// A response body schema (any depth): the `pattern` changed.
    ResponsePropertyPatternChanged = "response-property-pattern-changed", Warning;
    /// A response body schema (any depth): the `pattern` was removed.
    ResponsePropertyPatternRemoved = "response-property-pattern-removed", Warning;
    /// A response body schema (any depth): an `enum` value was removed.
    ResponsePropertyEnumValueRemoved = "response-property-enum-value-removed", Info;
    /// A response body schema (any depth): an `enum` value was added.
    ResponsePropertyEnumValueAdded = "response-property-enum-value-added", Error;
    /// A response body schema (any depth): an `enum` was set where any value was allowed.
    ResponsePropertyEnumAdded = "response-property-enum-added", Info;
    /// A response body schema (any depth): the `enum` was removed: any value is allowed.
    ResponsePropertyEnumRemoved = "response-property-enum-removed", Error;
    /// A response body schema (any depth): the `type` changed incompatibly.
    ResponsePropertyTypeChanged = "response-property-type-changed", Error;
    /// A response body schema (any depth): the `type` was narrowed (e.g. `number` to `integer`).
    ResponsePropertyTypeNarrowed = "response-property-type-narrowed", Info;
    /// A response body schema (any depth): the `format` changed or was added.
    ResponsePropertyFormatChanged = "response-property-format-changed", Warning;
    /// A response body schema (any depth): the `format` was removed.
    ResponsePropertyFormatRemoved = "response-property-format-removed", Warning;
    /// A response body schema (any depth): the value may now be `null`.
    ResponsePropertyNullableAdded = "response-property-nullable-added", Error;
    /// A response body schema (any depth): the value may no longer be `null`.
    ResponsePropertyNullableRemoved = "response-property-nullable-removed", Info;
    /// A response body schema (any depth): a `oneOf` alternative was added.
    ResponsePropertyOneOfAdded = "response-property-one-of-added", Error;
    /// A response body schema (any depth): a `oneOf` alternative was removed.
    ResponsePropertyOneOfRemoved = "response-property-one-of-removed", Info;
    /// A response body schema (any depth): an `anyOf` alternative was added.
    ResponsePropertyAnyOfAdded = "response-property-any-of-added", Error;
    /// A response body schema (any depth): an `anyOf` alternative was removed.
    ResponsePropertyAnyOfRemoved = "response-property-any-of-removed", Info;
    /// A response body schema (any depth): an `allOf` member was added.
    ResponsePropertyAllOfAdded = "response-property-all-of-added", Info;
    /// A response body schema (any depth): an `allOf` member was removed.
    ResponsePropertyAllOfRemoved = "response-property-all-of-removed", Error;
}

/// The schema rules, each reported with an id for its context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    MaxLengthDecreased,
    MaxLengthIncreased,
    MinLengthIncreased,
    MinLengthDecreased,
    MaxDecreased,
    MaxIncreased,
    MinIncreased,
    MinDecreased,
    MaxItemsDecreased,
    MaxItemsIncreased,
    MinItemsIncreased,
    MinItemsDecreased,
    PatternAdded,
    PatternChanged,
    PatternRemoved,
    EnumValueRemoved,
    EnumValueAdded,
    EnumAdded,
    EnumRemoved,
    TypeChanged,
    TypeWidened,
    TypeNarrowed,
    FormatChanged,
    FormatRemoved,
    NullableAdded,
    NullableRemoved,
    OneOfAdded,
    OneOfRemoved,
    AnyOfAdded,
    AnyOfRemoved,
    AllOfAdded,
    AllOfRemoved,
}

/// The id of a schema rule in a context; `None` where the rule does not apply there.
pub fn schema_id(context: Context, rule: Rule) -> Option<ChangeId> {
    match (context, rule) {
        (Context::RequestParameter, Rule::MaxLengthDecreased) => {
            Some(ChangeId::RequestParameterMaxLengthDecreased)
        }
        (Context::RequestParameter, Rule::MaxLengthIncreased) => {
            Some(ChangeId::RequestParameterMaxLengthIncreased)
        }
        (Context::RequestParameter, Rule::MinLengthIncreased) => {
            Some(ChangeId::RequestParameterMinLengthIncreased)
        }
        (Context::RequestParameter, Rule::MinLengthDecreased) => {
            Some(ChangeId::RequestParameterMinLengthDecreased)
        }
        (Context::RequestParameter, Rule::MaxDecreased) => {
            Some(ChangeId::RequestParameterMaxDecreased)
        }
        (Context::RequestParameter, Rule::MaxIncreased) => {
            Some(ChangeId::RequestParameterMaxIncreased)
        }
        (Context::RequestParameter, Rule::MinIncreased) => {
            Some(ChangeId::RequestParameterMinIncreased)
        }
        (Context::RequestParameter, Rule::MinDecreased) => {
            Some(ChangeId::RequestParameterMinDecreased)
        }
        (Context::RequestParameter, Rule::MaxItemsDecreased) => {
            Some(ChangeId::RequestParameterMaxItemsDecreased)
        }
        (Context::RequestParameter, Rule::MaxItemsIncreased) => {
            Some(ChangeId::RequestParameterMaxItemsIncreased)
        }
        (Context::RequestParameter, Rule::MinItemsIncreased) => {
            Some(ChangeId::RequestParameterMinItemsIncreased)
        }
        (Context::RequestParameter, Rule::MinItemsDecreased) => {
            Some(ChangeId::RequestParameterMinItemsDecreased)
        }
        (Context::RequestParameter, Rule::PatternAdded) => {
            Some(ChangeId::RequestParameterPatternAdded)
        }
        (Context::RequestParameter, Rule::PatternChanged) => {
            Some(ChangeId::RequestParameterPatternChanged)
        }
        (Context::RequestParameter, Rule::PatternRemoved) => {
            Some(ChangeId::RequestParameterPatternRemoved)
        }
        (Context::RequestParameter, Rule::EnumValueRemoved) => {
            Some(ChangeId::RequestParameterEnumValueRemoved)
        }
        (Context::RequestParameter, Rule::EnumValueAdded) => {
            Some(ChangeId::RequestParameterEnumValueAdded)
        }
        (Context::RequestParameter, Rule::EnumAdded) => Some(ChangeId::RequestParameterEnumAdded),
        (Context::RequestParameter, Rule::EnumRemoved) => {
            Some(ChangeId::RequestParameterEnumRemoved)
        }
        (Context::RequestParameter, Rule::TypeChanged) => {
            Some(ChangeId::RequestParameterTypeChanged)
        }
        (Context::RequestParameter, Rule::TypeWidened) => {
            Some(ChangeId::RequestParameterTypeWidened)
        }
        (Context::RequestParameter, Rule::FormatChanged) => {
            Some(ChangeId::RequestParameterFormatChanged)
        }
        (Context::RequestParameter, Rule::FormatRemoved) => {
            Some(ChangeId::RequestParameterFormatRemoved)
        }
        (Context::RequestParameter, Rule::NullableAdded) => {
            Some(ChangeId::RequestParameterNullableAdded)
        }
        (Context::RequestParameter, Rule::NullableRemoved) => {
            Some(ChangeId::RequestParameterNullableRemoved)
        }
        (Context::RequestProperty, Rule::MaxLengthDecreased) => {
            Some(ChangeId::RequestPropertyMaxLengthDecreased)
        }
        (Context::RequestProperty, Rule::MaxLengthIncreased) => {
            Some(ChangeId::RequestPropertyMaxLengthIncreased)
        }
        (Context::RequestProperty, Rule::MinLengthIncreased) => {
            Some(ChangeId::RequestPropertyMinLengthIncreased)
        }
        (Context::RequestProperty, Rule::MinLengthDecreased) => {
            Some(ChangeId::RequestPropertyMinLengthDecreased)
        }
        (Context::RequestProperty, Rule::MaxDecreased) => {
            Some(ChangeId::RequestPropertyMaxDecreased)
        }
        (Context::RequestProperty, Rule::MaxIncreased) => {
            Some(ChangeId::RequestPropertyMaxIncreased)
        }
        (Context::RequestProperty, Rule::MinIncreased) => {
            Some(ChangeId::RequestPropertyMinIncreased)
        }
        (Context::RequestProperty, Rule::MinDecreased) => {
            Some(ChangeId::RequestPropertyMinDecreased)
        }
        (Context::RequestProperty, Rule::MaxItemsDecreased) => {
            Some(ChangeId::RequestPropertyMaxItemsDecreased)
        }
        (Context::RequestProperty, Rule::MaxItemsIncreased) => {
            Some(ChangeId::RequestPropertyMaxItemsIncreased)
        }
        (Context::RequestProperty, Rule::MinItemsIncreased) => {
            Some(ChangeId::RequestPropertyMinItemsIncreased)
        }
        (Context::RequestProperty, Rule::MinItemsDecreased) => {
            Some(ChangeId::RequestPropertyMinItemsDecreased)
        }
        (Context::RequestProperty, Rule::PatternAdded) => {
            Some(ChangeId::RequestPropertyPatternAdded)
        }
        (Context::RequestProperty, Rule::PatternChanged) => {
            Some(ChangeId::RequestPropertyPatternChanged)
        }
        (Context::RequestProperty, Rule::PatternRemoved) => {
            Some(ChangeId::RequestPropertyPatternRemoved)
        }
        (Context::RequestProperty, Rule::EnumValueRemoved) => {
            Some(ChangeId::RequestPropertyEnumValueRemoved)
        }
        (Context::RequestProperty, Rule::EnumValueAdded) => {
            Some(ChangeId::RequestPropertyEnumValueAdded)
        }
        (Context::RequestProperty, Rule::EnumAdded) => Some(ChangeId::RequestPropertyEnumAdded),
        (Context::RequestProperty, Rule::EnumRemoved) => Some(ChangeId::RequestPropertyEnumRemoved),
        (Context::RequestProperty, Rule::TypeChanged) => Some(ChangeId::RequestPropertyTypeChanged),
        (Context::RequestProperty, Rule::TypeWidened) => Some(ChangeId::RequestPropertyTypeWidened),
        (Context::RequestProperty, Rule::FormatChanged) => {
            Some(ChangeId::RequestPropertyFormatChanged)
        }
        (Context::RequestProperty, Rule::FormatRemoved) => {
            Some(ChangeId::RequestPropertyFormatRemoved)
        }
        (Context::RequestProperty, Rule::NullableAdded) => {
            Some(ChangeId::RequestPropertyNullableAdded)
        }
        (Context::RequestProperty, Rule::NullableRemoved) => {
            Some(ChangeId::RequestPropertyNullableRemoved)
        }
        (Context::RequestProperty, Rule::OneOfAdded) => Some(ChangeId::RequestPropertyOneOfAdded),
        (Context::RequestProperty, Rule::OneOfRemoved) => {
            Some(ChangeId::RequestPropertyOneOfRemoved)
        }
        (Context::RequestProperty, Rule::AnyOfAdded) => Some(ChangeId::RequestPropertyAnyOfAdded),
        (Context::RequestProperty, Rule::AnyOfRemoved) => {
            Some(ChangeId::RequestPropertyAnyOfRemoved)
        }
        (Context::RequestProperty, Rule::AllOfAdded) => Some(ChangeId::RequestPropertyAllOfAdded),
        (Context::RequestProperty, Rule::AllOfRemoved) => {
            Some(ChangeId::RequestPropertyAllOfRemoved)
        }
        (Context::ResponseProperty, Rule::MaxLengthDecreased) => {
            Some(ChangeId::ResponsePropertyMaxLengthDecreased)
        }
        (Context::ResponseProperty, Rule::MaxLengthIncreased) => {
            Some(ChangeId::ResponsePropertyMaxLengthIncreased)
        }
        (Context::ResponseProperty, Rule::MinLengthIncreased) => {
            Some(ChangeId::ResponsePropertyMinLengthIncreased)
        }
        (Context::ResponseProperty, Rule::MinLengthDecreased) => {
            Some(ChangeId::ResponsePropertyMinLengthDecreased)
        }
        (Context::ResponseProperty, Rule::MaxDecreased) => {
            Some(ChangeId::ResponsePropertyMaxDecreased)
        }
        (Context::ResponseProperty, Rule::MaxIncreased) => {
            Some(ChangeId::ResponsePropertyMaxIncreased)
        }
        (Context::ResponseProperty, Rule::MinIncreased) => {
            Some(ChangeId::ResponsePropertyMinIncreased)
        }
        (Context::ResponseProperty, Rule::MinDecreased) => {
            Some(ChangeId::ResponsePropertyMinDecreased)
        }
        (Context::ResponseProperty, Rule::MaxItemsDecreased) => {
            Some(ChangeId::ResponsePropertyMaxItemsDecreased)
        }
        (Context::ResponseProperty, Rule::MaxItemsIncreased) => {
            Some(ChangeId::ResponsePropertyMaxItemsIncreased)
        }
        (Context::ResponseProperty, Rule::MinItemsIncreased) => {
            Some(ChangeId::ResponsePropertyMinItemsIncreased)
        }
        (Context::ResponseProperty, Rule::MinItemsDecreased) => {
            Some(ChangeId::ResponsePropertyMinItemsDecreased)
        }
        (Context::ResponseProperty, Rule::PatternAdded) => {
            Some(ChangeId::ResponsePropertyPatternAdded)
        }
        (Context::ResponseProperty, Rule::PatternChanged) => {
            Some(ChangeId::ResponsePropertyPatternChanged)
        }
        (Context::ResponseProperty, Rule::PatternRemoved) => {
            Some(ChangeId::ResponsePropertyPatternRemoved)
        }
        (Context::ResponseProperty, Rule::EnumValueRemoved) => {
            Some(ChangeId::ResponsePropertyEnumValueRemoved)
        }
        (Context::ResponseProperty, Rule::EnumValueAdded) => {
            Some(ChangeId::ResponsePropertyEnumValueAdded)
        }
        (Context::ResponseProperty, Rule::EnumAdded) => Some(ChangeId::ResponsePropertyEnumAdded),
        (Context::ResponseProperty, Rule::EnumRemoved) => {
            Some(ChangeId::ResponsePropertyEnumRemoved)
        }
        (Context::ResponseProperty, Rule::TypeChanged) => {
            Some(ChangeId::ResponsePropertyTypeChanged)
        }
        (Context::ResponseProperty, Rule::TypeNarrowed) => {
            Some(ChangeId::ResponsePropertyTypeNarrowed)
        }
        (Context::ResponseProperty, Rule::FormatChanged) => {
            Some(ChangeId::ResponsePropertyFormatChanged)
        }
        (Context::ResponseProperty, Rule::FormatRemoved) => {
            Some(ChangeId::ResponsePropertyFormatRemoved)
        }
        (Context::ResponseProperty, Rule::NullableAdded) => {
            Some(ChangeId::ResponsePropertyNullableAdded)
        }
        (Context::ResponseProperty, Rule::NullableRemoved) => {
            Some(ChangeId::ResponsePropertyNullableRemoved)
        }
        (Context::ResponseProperty, Rule::OneOfAdded) => Some(ChangeId::ResponsePropertyOneOfAdded),
        (Context::ResponseProperty, Rule::OneOfRemoved) => {
            Some(ChangeId::ResponsePropertyOneOfRemoved)
        }
        (Context::ResponseProperty, Rule::AnyOfAdded) => Some(ChangeId::ResponsePropertyAnyOfAdded),
        (Context::ResponseProperty, Rule::AnyOfRemoved) => {
            Some(ChangeId::ResponsePropertyAnyOfRemoved)
        }
        (Context::ResponseProperty, Rule::AllOfAdded) => Some(ChangeId::ResponsePropertyAllOfAdded),
        (Context::ResponseProperty, Rule::AllOfRemoved) => {
            Some(ChangeId::ResponsePropertyAllOfRemoved)
        }
        _ => None,
    }
}

/// The Markdown table of every id (`generator/docs/api-diff-changes.md`).
pub fn changes_table() -> String {
    let mut out = String::from(
        "<!-- Written by `cargo test -p generator` from `generator/src/diff/ids.rs`; do not edit. -->\n\n\
         # `cargo xtask api-diff`: change ids\n\n\
         Every change `api-diff` reports has one of these stable ids and its level: \
         `error` breaks existing clients, `warning` may break some, `info` is compatible. \
         Tightening what clients send (requests) breaks them; widening what they receive \
         (responses) does. `--fail-on error|warning` gates on the level; `--allow FILE` \
         accepts ids (or `id location`) one per line.\n\n\
         | id | level | what changed |\n|---|---|---|\n",
    );
    for change in ChangeId::ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            change.id(),
            change.level(),
            change.description()
        ));
    }
    out.push_str(&format!("\n{} ids.\n", ChangeId::ALL.len()));
    out
}
