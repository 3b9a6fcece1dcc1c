//! Which checks can apply to an operation, read from the spec alone, before any request: a
//! selection that selects nothing for a spec is refused up front, and `--list-checks` with a
//! spec or dialect lists the checks that apply to it. It errs on the side of "applies": a
//! check it lets through may still find nothing to do at run time (and a run in which nothing
//! was checked exits 2 anyway), but one it rules out is certain not to run.

use generator::model::{Api, Field, MediaKind, Method, Operation, SchemeKind, TypeRef};
use generator::spec::ext::Rule;

use crate::checks::{Check, Family};
use crate::context::struct_of;
use crate::values::FieldShape;

/// Whether `check` can apply to `operation` of `api`.
pub fn applies(api: &Api, operation: &Operation, check: Check) -> bool {
    let has_rule = |wanted: fn(&Rule) -> bool| operation.rules.iter().any(wanted);
    let contents = operation
        .body
        .as_ref()
        .map(|b| b.contents.as_slice())
        .unwrap_or_default();
    let lists = |kind: MediaKind| contents.iter().any(|c| c.kind == kind);
    let documents = |code: u16| documents(operation, code);
    let destroys =
        operation.method == Method::Delete || has_rule(|r| matches!(r, Rule::Destructive { .. }));
    if destroys {
        // Only the checks that cannot destroy the caller's data run there (rules::run).
        return match check {
            Check::CredentialMissing | Check::CredentialWrong => {
                !schemes(api, operation).is_empty()
            }
            Check::Ownership => has_rule(|r| matches!(r, Rule::OwnerOnly { .. })),
            Check::TargetExists => {
                has_rule(|r| matches!(r, Rule::TargetMustExist { .. }))
                    || plain_resource_id(api, operation)
            }
            Check::Destructive => true,
            _ => check.family() == Family::Passive,
        };
    }
    let fields = body_fields(api, operation);
    let union_body = contents.iter().any(|c| {
        c.kind == MediaKind::Json
            && matches!(&c.ty, TypeRef::Named(name) if api.type_named(name).is_some_and(|def| {
                matches!(def.kind, generator::model::TypeKind::Union(_))
            }))
    });
    // Parameters a check may set: not the credentials (apiKey parameters).
    let credential_names: Vec<&str> = schemes(api, operation)
        .into_iter()
        .filter_map(|kind| match kind {
            SchemeKind::ApiKey { parameter, .. } => Some(parameter.as_str()),
            _ => None,
        })
        .collect();
    let parameters: Vec<&generator::model::Parameter> = operation
        .parameters
        .iter()
        .filter(|p| {
            !credential_names
                .iter()
                .any(|c| c.eq_ignore_ascii_case(&p.name))
        })
        .collect();
    let shapes = || {
        let parameters = parameters
            .iter()
            .map(|p| FieldShape::new(api, &p.name, &p.ty, &p.constraints));
        let body = fields
            .iter()
            .filter(|f| !f.read_only && !f.privileged && f.ty != TypeRef::Binary)
            .map(|f| FieldShape::new(api, &f.name, &f.ty, &f.constraints));
        parameters.chain(body).collect::<Vec<_>>()
    };
    let any_shape = |wanted: fn(&FieldShape) -> bool| shapes().iter().any(wanted);
    match check {
        // Every operation is called at least once with valid data.
        Check::PositiveData => true,
        Check::MaxLength => any_shape(|s| s.constraints.max_length.is_some()),
        Check::MinLength => any_shape(|s| s.constraints.min_length.is_some_and(|m| m > 0)),
        Check::Range => {
            any_shape(|s| s.constraints.minimum.is_some() || s.constraints.maximum.is_some())
        }
        Check::Pattern => any_shape(|s| s.constraints.pattern.is_some()),
        Check::Format => any_shape(|s| {
            s.constraints
                .format
                .as_deref()
                .is_some_and(|f| crate::values::CHECKED_FORMATS.contains(&f))
        }),
        Check::Enum => any_shape(|s| !s.enumeration.is_empty()),
        Check::KeyOf => fields.iter().any(|f| f.key_of.is_some()),
        // A wrong JSON type reaches the server only in a JSON body.
        Check::WrongType => lists(MediaKind::Json) && (!shapes().is_empty() || union_body),
        // A file part with listed media types, or a required one.
        Check::FilePart => contents.iter().any(|content| {
            content.kind == MediaKind::Multipart
                && struct_of(api, &content.ty).is_some_and(|def| {
                    def.fields.iter().any(|f| {
                        f.ty == TypeRef::Binary
                            && (f.required
                                || content
                                    .part_content_types
                                    .iter()
                                    .any(|(part, types)| *part == f.name && !types.is_empty()))
                    })
                })
        }),
        // Path parameters cannot be left out: they are part of the path.
        Check::Required => {
            fields
                .iter()
                .any(|f| f.required && !f.read_only && !f.privileged)
                || parameters
                    .iter()
                    .any(|p| p.required && p.location != generator::model::ParameterLocation::Path)
        }
        Check::RequiredWhenChanged => has_rule(|r| matches!(r, Rule::RequiredWhenChanged { .. })),
        Check::VerifiedToken => has_rule(|r| matches!(r, Rule::VerifiedToken { .. })),
        Check::DocumentedMessage => {
            api.error_envelope.is_some()
                && (fields.iter().any(|f| !f.documented_messages.is_empty())
                    || operation
                        .parameters
                        .iter()
                        .any(|p| !p.documented_messages.is_empty()))
        }
        Check::CredentialMissing | Check::CredentialWrong | Check::CredentialValid => {
            !schemes(api, operation).is_empty()
        }
        Check::Ownership => has_rule(|r| matches!(r, Rule::OwnerOnly { .. })),
        Check::TargetExists => {
            has_rule(|r| matches!(r, Rule::TargetMustExist { .. }))
                || plain_resource_id(api, operation)
        }
        Check::PrivilegedIgnored => fields.iter().any(|f| f.privileged),
        Check::ReadOnlyIgnored => {
            operation.body.is_some() && !crate::rules::read_only_fields(api, operation).is_empty()
        }
        Check::ReadAfterWrite => operation.body.is_some(),
        Check::Unique => fields.iter().any(|f| f.unique),
        Check::Destructive => false,
        Check::Throttle => has_rule(|r| matches!(r, Rule::Throttle { .. })),
        Check::Lifecycle => crate::rules::resource_of(api, operation).is_some(),
        Check::Pagination => crate::rules::paging(operation).is_some(),
        Check::MalformedJson => lists(MediaKind::Json),
        // 413 over 1 MiB and 415 for an unlisted content type are the dialects' rules
        // (shared/dialects.md); a plain spec states them only by documenting the status.
        Check::OversizedBody => {
            (lists(MediaKind::Json) || lists(MediaKind::Form))
                && (api.error_envelope.is_some() || documents(413))
        }
        Check::InvalidUtf8 => lists(MediaKind::Json) || lists(MediaKind::Form),
        Check::UnsupportedMediaType => {
            operation.body.is_some()
                && !lists(MediaKind::Text)
                && (api.error_envelope.is_some() || documents(415))
        }
        Check::ResponseHeaders => operation.responses.iter().any(|r| !r.headers.is_empty()),
        Check::ErrorEnvelope
        | Check::ResponseSchema
        | Check::ContentType
        | Check::StatusDocumented
        | Check::NoServerError => true,
    }
}

/// Whether an operation documents exactly this status (not a range, not `default`).
pub(crate) fn documents(operation: &Operation, code: u16) -> bool {
    operation
        .responses
        .iter()
        .any(|r| r.status == generator::model::StatusSpec::Code(code))
}

/// The checks of a selection that apply to at least one operation, in report order.
pub fn applicable(api: &Api, checks: impl IntoIterator<Item = Check>) -> Vec<Check> {
    checks
        .into_iter()
        .filter(|check| api.operations.iter().any(|op| applies(api, op, *check)))
        .collect()
}

/// A plain spec's operation on one resource: a lone path parameter is its id.
fn plain_resource_id(api: &Api, operation: &Operation) -> bool {
    api.dialect.is_none()
        && operation
            .parameters
            .iter()
            .filter(|p| p.location == generator::model::ParameterLocation::Path)
            .count()
            == 1
        && !operation
            .rules
            .iter()
            .any(|r| matches!(r, Rule::OwnerOnly { .. } | Rule::ActsOnCaller))
}

/// The security schemes an operation needs (its first alternative).
fn schemes<'a>(api: &'a Api, operation: &Operation) -> Vec<&'a SchemeKind> {
    operation
        .security
        .first()
        .map(|names| {
            names
                .iter()
                .filter_map(|n| api.security_schemes.iter().find(|s| &s.name == n))
                .map(|s| &s.kind)
                .collect()
        })
        .unwrap_or_default()
}

/// The fields of every body content of an operation.
fn body_fields<'a>(api: &'a Api, operation: &Operation) -> Vec<&'a Field> {
    let Some(body) = &operation.body else {
        return Vec::new();
    };
    let mut fields: Vec<&Field> = Vec::new();
    for content in &body.contents {
        // A oneOf/anyOf body: its members' fields (rules::run checks each member).
        let members: Vec<&TypeRef> = match crate::context::union_of(api, &content.ty) {
            Some(union) => union.variants.iter().map(|v| &v.ty).collect(),
            None => vec![&content.ty],
        };
        for def in members.into_iter().filter_map(|ty| struct_of(api, ty)) {
            for field in &def.fields {
                if !fields.iter().any(|f| f.name == field.name) {
                    fields.push(field);
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(dialect: &str) -> Api {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../spec")
            .join(
                generator::spec::ext::Dialect::from_name(dialect)
                    .unwrap()
                    .spec_file(),
            );
        let document = generator::spec::load_document(&path).unwrap();
        generator::model::build(&document).unwrap()
    }

    #[test]
    fn what_a_dialect_has_is_what_applies() {
        let billing = api("billing");
        let found = applicable(&billing, crate::checks::ALL.iter().copied());
        assert!(found.contains(&Check::MaxLength));
        assert!(found.contains(&Check::PrivilegedIgnored));
        // billing has no pattern, no enum, no throttle, no file part.
        for absent in [
            Check::Pattern,
            Check::Enum,
            Check::Throttle,
            Check::FilePart,
        ] {
            assert!(!found.contains(&absent), "{absent:?}");
        }
        let rpc = api("rpc");
        let found = applicable(&rpc, crate::checks::ALL.iter().copied());
        for present in [
            Check::Pattern,
            Check::KeyOf,
            Check::Throttle,
            Check::FilePart,
        ] {
            assert!(found.contains(&present), "{present:?}");
        }
    }
}
