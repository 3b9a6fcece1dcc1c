//! The project's `x-` extensions, as typed values (designed once in `spec/README.md`).
//!
//! Each parser takes the raw JSON node and returns a message on failure; the caller turns it
//! into a [`super::SpecError`] with the file and line of the node.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The six API faces of the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dialect {
    Manage,
    Rpc,
    Community,
    Billing,
    Cl2c,
    Canonical,
}

impl Dialect {
    /// Every dialect, canonical last.
    pub const ALL: [Dialect; 6] = [
        Dialect::Manage,
        Dialect::Rpc,
        Dialect::Community,
        Dialect::Billing,
        Dialect::Cl2c,
        Dialect::Canonical,
    ];

    /// The five vendor dialects.
    pub const VENDORS: [Dialect; 5] = [
        Dialect::Manage,
        Dialect::Rpc,
        Dialect::Community,
        Dialect::Billing,
        Dialect::Cl2c,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Manage => "manage",
            Dialect::Rpc => "rpc",
            Dialect::Community => "community",
            Dialect::Billing => "billing",
            Dialect::Cl2c => "cl2c",
            Dialect::Canonical => "canonical",
        }
    }

    pub fn from_name(name: &str) -> Option<Dialect> {
        Dialect::ALL
            .into_iter()
            .find(|dialect| dialect.name() == name)
    }

    /// The spec file, relative to `spec/`.
    pub fn spec_file(self) -> String {
        match self {
            Dialect::Canonical => "canonical.yaml".into(),
            vendor => format!("dialects/{}.yaml", vendor.name()),
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every extension key the project defines; any other `x-` key is a typo.
pub const KNOWN_KEYS: &[&str] = &[
    "x-dialect",
    "x-source",
    "x-messages",
    "x-documented-messages",
    "x-privileged",
    "x-unique",
    "x-key-of",
    "x-prefix",
    "x-rules",
    "x-error-envelope",
    "x-dialects",
    "x-mapping",
    "x-dialect-only",
    "x-mapping-differences",
];

/// `x-source`: where an item comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub file: String,
    pub heading: String,
}

/// The constraint a message belongs to (`x-messages` keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub enum Constraint {
    #[serde(rename = "maxLength")]
    MaxLength,
    #[serde(rename = "minLength")]
    MinLength,
    #[serde(rename = "pattern")]
    Pattern,
    #[serde(rename = "format")]
    Format,
    #[serde(rename = "enum")]
    Enum,
    #[serde(rename = "required")]
    Required,
    #[serde(rename = "type")]
    Type,
    #[serde(rename = "maximum")]
    Maximum,
    #[serde(rename = "minimum")]
    Minimum,
    #[serde(rename = "content-type")]
    ContentType,
    #[serde(rename = "unique")]
    Unique,
    #[serde(rename = "key-of")]
    KeyOf,
}

impl Constraint {
    pub fn keyword(self) -> &'static str {
        match self {
            Constraint::MaxLength => "maxLength",
            Constraint::MinLength => "minLength",
            Constraint::Pattern => "pattern",
            Constraint::Format => "format",
            Constraint::Enum => "enum",
            Constraint::Required => "required",
            Constraint::Type => "type",
            Constraint::Maximum => "maximum",
            Constraint::Minimum => "minimum",
            Constraint::ContentType => "content-type",
            Constraint::Unique => "unique",
            Constraint::KeyOf => "key-of",
        }
    }
}

/// `x-messages`: the server's message per broken constraint.
pub type Messages = BTreeMap<Constraint, String>;

/// `x-documented-messages`: the constraints whose `x-messages` text the vendor's document (or
/// shared/dialects.md) states, so that an implementation must send exactly it; the others are
/// this project's choice (a framework's default) and bind only our own servers.
pub type DocumentedMessages = std::collections::BTreeSet<Constraint>;

/// `x-key-of`: the value must be a key listed by another operation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyOf {
    pub operation: String,
    pub pointer: String,
    pub key: String,
}

/// The target of a rule: a path/query parameter or a field of the request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Parameter(String),
    BodyField(String),
}

/// The period of a throttle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Period {
    Day,
}

/// One item of `x-rules`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    RequiredWhenChanged {
        fields: Vec<String>,
        when_changed: String,
        message: String,
    },
    VerifiedToken {
        field: String,
        checksum: String,
        message: String,
    },
    OwnerOnly {
        target: Target,
        status: u16,
    },
    ActsOnCaller,
    TargetMustExist {
        target: Target,
        status: u16,
    },
    Throttle {
        status: u16,
        period: Period,
        message: String,
    },
    ReadAfterWrite {
        read: String,
    },
    Destructive {
        then: String,
        status: u16,
    },
}

impl Rule {
    pub const KINDS: &'static [&'static str] = &[
        "required-when-changed",
        "verified-token",
        "owner-only",
        "acts-on-caller",
        "target-must-exist",
        "throttle",
        "read-after-write",
        "destructive",
    ];

    pub fn kind(&self) -> &'static str {
        match self {
            Rule::RequiredWhenChanged { .. } => "required-when-changed",
            Rule::VerifiedToken { .. } => "verified-token",
            Rule::OwnerOnly { .. } => "owner-only",
            Rule::ActsOnCaller => "acts-on-caller",
            Rule::TargetMustExist { .. } => "target-must-exist",
            Rule::Throttle { .. } => "throttle",
            Rule::ReadAfterWrite { .. } => "read-after-write",
            Rule::Destructive { .. } => "destructive",
        }
    }
}

/// Parses one `x-rules` item.
pub fn parse_rule(value: &Value) -> Result<Rule, String> {
    let Some(object) = value.as_object() else {
        return Err("a rule must be a mapping with a `rule` key".into());
    };
    let Some(kind) = object.get("rule").and_then(Value::as_str) else {
        return Err(format!(
            "a rule needs `rule: <kind>`, one of {}",
            Rule::KINDS.join(", ")
        ));
    };
    let mut rest = object.clone();
    rest.remove("rule");
    let rest = Value::Object(rest);

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    struct RequiredWhenChanged {
        fields: Vec<String>,
        when_changed: String,
        message: String,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct VerifiedToken {
        field: String,
        checksum: String,
        message: String,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    struct Targeted {
        parameter: Option<String>,
        body_field: Option<String>,
        status: u16,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Nothing {}
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Throttle {
        status: u16,
        period: Period,
        message: String,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ReadAfterWrite {
        read: String,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Destructive {
        then: String,
        status: u16,
    }

    let targeted = |rest: Value| -> Result<(Target, u16), String> {
        let targeted: Targeted = typed(rest, kind)?;
        let target = match (targeted.parameter, targeted.body_field) {
            (Some(name), None) => Target::Parameter(name),
            (None, Some(name)) => Target::BodyField(name),
            _ => {
                return Err(format!(
                    "rule {kind} needs exactly one of `parameter` or `body-field`"
                ));
            }
        };
        Ok((target, targeted.status))
    };

    Ok(match kind {
        "required-when-changed" => {
            let rule: RequiredWhenChanged = typed(rest, kind)?;
            Rule::RequiredWhenChanged {
                fields: rule.fields,
                when_changed: rule.when_changed,
                message: rule.message,
            }
        }
        "verified-token" => {
            let rule: VerifiedToken = typed(rest, kind)?;
            Rule::VerifiedToken {
                field: rule.field,
                checksum: rule.checksum,
                message: rule.message,
            }
        }
        "owner-only" => {
            let (target, status) = targeted(rest)?;
            Rule::OwnerOnly { target, status }
        }
        "target-must-exist" => {
            let (target, status) = targeted(rest)?;
            Rule::TargetMustExist { target, status }
        }
        "acts-on-caller" => {
            let _: Nothing = typed(rest, kind)?;
            Rule::ActsOnCaller
        }
        "throttle" => {
            let rule: Throttle = typed(rest, kind)?;
            Rule::Throttle {
                status: rule.status,
                period: rule.period,
                message: rule.message,
            }
        }
        "read-after-write" => Rule::ReadAfterWrite {
            read: typed::<ReadAfterWrite>(rest, kind)?.read,
        },
        "destructive" => {
            let rule: Destructive = typed(rest, kind)?;
            Rule::Destructive {
                then: rule.then,
                status: rule.status,
            }
        }
        other => {
            return Err(format!(
                "unknown rule {other:?}: expected one of {}",
                Rule::KINDS.join(", ")
            ));
        }
    })
}

/// Deserializes an extension's value, naming the extension in the error.
pub fn typed<T: DeserializeOwned>(value: Value, what: &str) -> Result<T, String> {
    serde_json::from_value(value).map_err(|error| format!("malformed {what}: {error}"))
}

/// A placeholder of an error-envelope template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    Status,
    Message,
    Errors,
    ErrorId,
    Field,
    Kind,
    Loc,
}

impl Placeholder {
    fn parse(text: &str) -> Option<Placeholder> {
        Some(match text {
            "$status" => Placeholder::Status,
            "$message" => Placeholder::Message,
            "$errors" => Placeholder::Errors,
            "$error-id" => Placeholder::ErrorId,
            "$field" => Placeholder::Field,
            "$kind" => Placeholder::Kind,
            "$loc" => Placeholder::Loc,
            _ => return None,
        })
    }

    /// Placeholders that only make sense inside `$each-error`.
    fn per_error(self) -> bool {
        matches!(
            self,
            Placeholder::Field | Placeholder::Kind | Placeholder::Loc
        )
    }
}

/// A JSON template of an error body.
#[derive(Debug, Clone, PartialEq)]
pub enum Template {
    /// A value the contract fixes: a server must send exactly this.
    Literal(Value),
    /// `{$example: value}`: the value generated servers send, where the contract fixes only
    /// that the key is there (cl2c's `source: "API Gateway"` is the seed's example); a checker
    /// requires a value of the same JSON type, never this one.
    Example(Value),
    Placeholder(Placeholder),
    Object(Vec<(String, Template)>),
    Array(Vec<Template>),
    /// One item per (field, message).
    EachError(Box<Template>),
}

impl Template {
    /// Parses a template; `validation` allows `$errors` and `$each-error`.
    pub fn parse(value: &Value, validation: bool) -> Result<Template, String> {
        Template::parse_in(value, validation, false)
    }

    fn parse_in(value: &Value, validation: bool, in_each: bool) -> Result<Template, String> {
        match value {
            Value::String(text) if text.starts_with('$') => {
                let placeholder = Placeholder::parse(text).ok_or_else(|| {
                    format!("unknown placeholder {text:?}: expected $status, $message, $errors, $error-id, or inside $each-error $field, $kind, $loc")
                })?;
                if placeholder.per_error() && !in_each {
                    return Err(format!("{text} is only available inside $each-error"));
                }
                if placeholder == Placeholder::Errors && !validation {
                    return Err("$errors is only available in the validation template".into());
                }
                Ok(Template::Placeholder(placeholder))
            }
            Value::Object(object) if object.contains_key("$example") => {
                if object.len() != 1 {
                    return Err("$example must be the only key of its mapping".into());
                }
                match &object["$example"] {
                    Value::String(text) if text.starts_with('$') => Err(format!(
                        "$example takes a literal value, not the placeholder {text}"
                    )),
                    Value::Object(_) | Value::Array(_) => {
                        Err("$example takes a string, number, boolean or null".into())
                    }
                    example => Ok(Template::Example(example.clone())),
                }
            }
            Value::Object(object) if object.contains_key("$each-error") => {
                if object.len() != 1 {
                    return Err("$each-error must be the only key of its mapping".into());
                }
                if !validation {
                    return Err("$each-error is only available in the validation template".into());
                }
                if in_each {
                    return Err("$each-error cannot be nested".into());
                }
                Ok(Template::EachError(Box::new(Template::parse_in(
                    &object["$each-error"],
                    validation,
                    true,
                )?)))
            }
            Value::Object(object) => object
                .iter()
                .map(|(key, value)| {
                    Ok((key.clone(), Template::parse_in(value, validation, in_each)?))
                })
                .collect::<Result<_, String>>()
                .map(Template::Object),
            Value::Array(items) => items
                .iter()
                .map(|item| Template::parse_in(item, validation, in_each))
                .collect::<Result<_, String>>()
                .map(Template::Array),
            literal => Ok(Template::Literal(literal.clone())),
        }
    }

    /// Every placeholder the template uses.
    pub fn placeholders(&self) -> Vec<Placeholder> {
        let mut found = Vec::new();
        self.collect(&mut found);
        found
    }

    fn collect(&self, found: &mut Vec<Placeholder>) {
        match self {
            Template::Literal(_) | Template::Example(_) => {}
            Template::Placeholder(placeholder) => found.push(*placeholder),
            Template::Object(entries) => entries.iter().for_each(|(_, t)| t.collect(found)),
            Template::Array(items) => items.iter().for_each(|t| t.collect(found)),
            Template::EachError(item) => item.collect(found),
        }
    }
}

/// One of the two templates of `x-error-envelope`.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvelopeTemplate {
    pub status: Option<u16>,
    /// `#/components/schemas/Name`.
    pub schema: String,
    pub body: Template,
    pub body_field: Option<String>,
}

/// `x-error-envelope`: how an API reports errors.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorEnvelope {
    pub validation: EnvelopeTemplate,
    pub other: EnvelopeTemplate,
    pub body_error_status: Option<u16>,
}

impl ErrorEnvelope {
    /// The status of a validation error (400 unless the API says otherwise).
    pub fn validation_status(&self) -> u16 {
        self.validation.status.unwrap_or(400)
    }
}

/// Parses `x-error-envelope`.
pub fn parse_error_envelope(value: &Value) -> Result<ErrorEnvelope, String> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    struct RawTemplate {
        status: Option<u16>,
        schema: String,
        body: Value,
        body_field: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    struct RawEnvelope {
        validation: RawTemplate,
        other: RawTemplate,
        body_error_status: Option<u16>,
    }
    let raw: RawEnvelope = typed(value.clone(), "x-error-envelope")?;
    let template = |raw: RawTemplate, validation: bool| -> Result<EnvelopeTemplate, String> {
        let name = if validation { "validation" } else { "other" };
        if !validation && raw.status.is_some() {
            return Err(
                "x-error-envelope.other takes no `status`: it serves every other error status"
                    .into(),
            );
        }
        if !validation && raw.body_field.is_some() {
            return Err("x-error-envelope.other takes no `body-field`".into());
        }
        Ok(EnvelopeTemplate {
            status: raw.status,
            body: Template::parse(&raw.body, validation)
                .map_err(|error| format!("x-error-envelope.{name}.body: {error}"))?,
            schema: raw.schema,
            body_field: raw.body_field,
        })
    };
    Ok(ErrorEnvelope {
        validation: template(raw.validation, true)?,
        other: template(raw.other, false)?,
        body_error_status: raw.body_error_status,
    })
}

/// `Schema#/pointer`: a field of a dialect component schema.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldAddress {
    pub schema: String,
    pub pointer: String,
}

impl FieldAddress {
    pub fn parse(text: &str) -> Result<FieldAddress, String> {
        match text.split_once('#') {
            Some((schema, pointer))
                if !schema.is_empty() && pointer.starts_with('/') && pointer.len() > 1 =>
            {
                Ok(FieldAddress {
                    schema: schema.to_owned(),
                    pointer: pointer.to_owned(),
                })
            }
            _ => Err(format!(
                "{text:?} is not a field address: expected Schema#/pointer, e.g. Profile#/first_name"
            )),
        }
    }
}

impl fmt::Display for FieldAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.schema, self.pointer)
    }
}

/// One string or a list of them (mappings onto one or several dialect items).
pub fn one_or_many(value: &Value, what: &str) -> Result<Vec<String>, String> {
    match value {
        Value::String(text) => Ok(vec![text.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{what}: every item must be a string"))
            })
            .collect(),
        _ => Err(format!("{what} must be a string or a list of strings")),
    }
}

/// Root `x-dialects` entry of the canonical spec.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DialectLink {
    pub spec: String,
    /// Canonical security scheme → dialect security scheme.
    #[serde(default)]
    pub credentials: BTreeMap<String, String>,
}

/// `x-mapping` on a canonical operation, for one dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationMapping {
    Supported {
        operation: String,
        /// Canonical parameter → dialect parameter, body field address, or `$caller`.
        parameters: BTreeMap<String, String>,
        request: Option<String>,
        response: Option<String>,
    },
    Unsupported {
        reason: String,
    },
}

pub fn parse_operation_mapping(value: &Value) -> Result<OperationMapping, String> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Raw {
        operation: Option<String>,
        #[serde(default)]
        parameters: BTreeMap<String, String>,
        request: Option<String>,
        response: Option<String>,
        unsupported: Option<String>,
    }
    let raw: Raw = typed(value.clone(), "operation x-mapping")?;
    match (raw.operation, raw.unsupported) {
        (Some(operation), None) => {
            if let Some(response) = &raw.response
                && !response.is_empty()
                && !response.starts_with('/')
            {
                return Err(format!("response {response:?} must be a JSON pointer (\"\" or starting with /)"));
            }
            Ok(OperationMapping::Supported {
                operation,
                parameters: raw.parameters,
                request: raw.request,
                response: raw.response,
            })
        }
        (None, Some(reason)) if raw.parameters.is_empty() && raw.request.is_none() && raw.response.is_none() => {
            Ok(OperationMapping::Unsupported { reason })
        }
        _ => Err("an operation mapping has either `operation` (with optional parameters, request, response) or only `unsupported: <reason>`".into()),
    }
}

/// One entry of root `x-dialect-only`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialectOnlyItem {
    Field(FieldAddress),
    Operation(String),
    /// `operationId:name`.
    Parameter {
        operation: String,
        name: String,
    },
    Credential(String),
}

impl fmt::Display for DialectOnlyItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DialectOnlyItem::Field(address) => write!(f, "field {address}"),
            DialectOnlyItem::Operation(operation) => write!(f, "operation {operation}"),
            DialectOnlyItem::Parameter { operation, name } => {
                write!(f, "parameter {operation}:{name}")
            }
            DialectOnlyItem::Credential(scheme) => write!(f, "credential {scheme}"),
        }
    }
}

pub fn parse_dialect_only(value: &Value) -> Result<(DialectOnlyItem, String), String> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Raw {
        field: Option<String>,
        operation: Option<String>,
        parameter: Option<String>,
        credential: Option<String>,
        reason: String,
    }
    let raw: Raw = typed(value.clone(), "x-dialect-only entry")?;
    if raw.reason.trim().is_empty() {
        return Err("x-dialect-only entry needs a reason".into());
    }
    let item =
        match (raw.field, raw.operation, raw.parameter, raw.credential) {
            (Some(field), None, None, None) => DialectOnlyItem::Field(FieldAddress::parse(&field)?),
            (None, Some(operation), None, None) => DialectOnlyItem::Operation(operation),
            (None, None, Some(parameter), None) => match parameter.split_once(':') {
                Some((operation, name)) if !operation.is_empty() && !name.is_empty() => {
                    DialectOnlyItem::Parameter {
                        operation: operation.into(),
                        name: name.into(),
                    }
                }
                _ => return Err(format!("parameter {parameter:?} must be operationId:name")),
            },
            (None, None, None, Some(credential)) => DialectOnlyItem::Credential(credential),
            _ => return Err(
                "x-dialect-only entry names exactly one of field, operation, parameter, credential"
                    .into(),
            ),
        };
    Ok((item, raw.reason))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rules_parse_and_reject_what_they_do_not_know() {
        let rule =
            parse_rule(&json!({"rule": "owner-only", "parameter": "id", "status": 403})).unwrap();
        assert_eq!(
            rule,
            Rule::OwnerOnly {
                target: Target::Parameter("id".into()),
                status: 403
            }
        );
        assert!(parse_rule(&json!({"rule": "owner-only", "status": 403})).is_err());
        assert!(
            parse_rule(&json!({"rule": "acts-on-caller", "extra": 1}))
                .unwrap_err()
                .contains("extra")
        );
        assert!(
            parse_rule(&json!({"rule": "nope"}))
                .unwrap_err()
                .contains("unknown rule")
        );
        assert!(parse_rule(&json!("owner-only")).is_err());
    }

    #[test]
    fn templates_know_their_placeholders() {
        let template = Template::parse(
            &json!({"detail": {"$each-error": {"loc": "$loc", "msg": "$message"}}}),
            true,
        )
        .unwrap();
        assert_eq!(
            template.placeholders(),
            vec![Placeholder::Loc, Placeholder::Message]
        );
        assert!(
            Template::parse(&json!({"a": "$loc"}), true)
                .unwrap_err()
                .contains("$each-error")
        );
        assert!(
            Template::parse(&json!({"a": "$errors"}), false)
                .unwrap_err()
                .contains("validation")
        );
        assert!(
            Template::parse(&json!({"a": "$nope"}), true)
                .unwrap_err()
                .contains("unknown placeholder")
        );
        assert!(Template::parse(&json!({"$each-error": 1, "b": 2}), true).is_err());
    }

    #[test]
    fn addresses_and_dialect_only_entries_parse() {
        let address = FieldAddress::parse("ProfileData#/UserProfile/0/first_name").unwrap();
        assert_eq!(address.schema, "ProfileData");
        assert!(FieldAddress::parse("first_name").is_err());
        assert!(FieldAddress::parse("Profile#").is_err());
        let (item, _) =
            parse_dialect_only(&json!({"parameter": "getProfile:id", "reason": "r"})).unwrap();
        assert_eq!(
            item,
            DialectOnlyItem::Parameter {
                operation: "getProfile".into(),
                name: "id".into()
            }
        );
        assert!(
            parse_dialect_only(&json!({"field": "A#/b", "operation": "x", "reason": "r"})).is_err()
        );
        assert!(parse_dialect_only(&json!({"field": "A#/b", "reason": " "})).is_err());
    }
}
