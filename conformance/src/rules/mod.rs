//! The active checks: each sends requests built from the spec and says whether the rule held.
//! `None` means the check does not apply to the operation (it is then left out of the report).

use generator::model::{
    Api, Field, MediaKind, Method, Operation, Parameter, ParameterLocation, SchemeKind, TypeRef,
};
use generator::spec::ext::{Constraint, Rule, Target};
use proptest::strategy::Strategy;
use serde_json::Value;

use crate::checks::Check;
use crate::context::{
    Actor, Context, CredentialMode, Draft, Subject, find_key, form_text, struct_of,
};
use crate::envelope;
use crate::http::{Body, Exchange, Part, PartValue};
use crate::property::{Broken, PropertyOutcome, check_property};
use crate::report::{Failure, Outcome};
use crate::values::FieldShape;

mod bodies;
mod credentials;
mod fields;
mod paging;
mod state;

use bodies::*;
use credentials::*;
use fields::*;
use paging::pagination;
use state::*;

pub(crate) use paging::paging;
pub(crate) use state::{Resource, created_id, read_only_fields, resource_of};

/// A field a check can set: a body field or a parameter.
#[derive(Debug, Clone)]
enum Slot<'a> {
    Body(&'a Field),
    Param(&'a Parameter),
}

#[derive(Debug, Clone)]
struct FieldTarget<'a> {
    slot: Slot<'a>,
    shape: FieldShape,
    /// Whether a check may give it a new valid value (the caller's id and fields whose change
    /// needs extra proof, like rpc's email, keep their value).
    can_change: bool,
    required: bool,
    /// The shape is an array's item: a value under test is sent as a one-item array (in a
    /// query, one pair).
    item: bool,
}

impl FieldTarget<'_> {
    fn name(&self) -> &str {
        &self.shape.name
    }

    fn set(&self, draft: &mut Draft, value: &Value) {
        match self.slot {
            Slot::Body(field) if self.item => {
                draft
                    .fields
                    .insert(field.name.clone(), Value::Array(vec![value.clone()]));
            }
            Slot::Body(field) => {
                draft.fields.insert(field.name.clone(), value.clone());
            }
            Slot::Param(parameter) => draft.set_value(parameter, value),
        }
    }

    fn unset(&self, draft: &mut Draft) {
        match self.slot {
            Slot::Body(field) => {
                draft.fields.remove(&field.name);
            }
            Slot::Param(parameter) => draft.remove_parameter(parameter.location, &parameter.name),
        }
    }

    /// Whether the value's JSON type reaches the server (a JSON body).
    fn typed(&self, draft: &Draft) -> bool {
        matches!(self.slot, Slot::Body(_)) && draft.typed()
    }
}

fn field_targets<'o>(ctx: &'o Context, operation: &'o Operation) -> Vec<FieldTarget<'o>> {
    let subject = ctx.subject_targets(operation);
    let mut companions: Vec<&str> = Vec::new();
    let mut guarded: Vec<&str> = Vec::new();
    for rule in &operation.rules {
        match rule {
            Rule::RequiredWhenChanged {
                fields,
                when_changed,
                ..
            } => {
                companions.extend(fields.iter().map(String::as_str));
                guarded.push(when_changed);
            }
            Rule::VerifiedToken {
                field, checksum, ..
            } => companions.extend([field.as_str(), checksum.as_str()]),
            _ => {}
        }
    }
    let credential_params: Vec<String> = ctx
        .required_schemes(operation)
        .iter()
        .filter_map(|s| match &s.kind {
            SchemeKind::ApiKey { parameter, .. } => Some(parameter.clone()),
            _ => None,
        })
        .collect();
    let mut found = Vec::new();
    for parameter in &operation.parameters {
        if credential_params
            .iter()
            .any(|c| c.eq_ignore_ascii_case(&parameter.name))
        {
            continue;
        }
        let is_subject = subject.contains(&Target::Parameter(parameter.name.clone()));
        let shape = FieldShape::new(
            &ctx.api,
            &parameter.name,
            &parameter.ty,
            &parameter.constraints,
        );
        let items = item_shape(ctx, &parameter.name, &shape.ty);
        found.push(FieldTarget {
            slot: Slot::Param(parameter),
            shape,
            can_change: !is_subject,
            required: parameter.required,
            item: false,
        });
        if let Some(shape) = items {
            found.push(FieldTarget {
                slot: Slot::Param(parameter),
                shape,
                can_change: !is_subject,
                required: false,
                item: true,
            });
        }
    }
    let content = ctx.preferred_content(operation);
    // A union's discriminator selects the member under test: it is not a field to vary.
    let tag = content
        .and_then(|c| ctx.selected_tag(c))
        .map(|(property, _)| property);
    if let Some(body) = content.and_then(|c| ctx.body_struct(c)) {
        for field in &body.fields {
            if tag == Some(field.name.as_str()) {
                continue;
            }
            if field.read_only
                || field.privileged
                || field.ty == TypeRef::Binary
                || companions.contains(&field.name.as_str())
            {
                continue;
            }
            let is_subject = subject.contains(&Target::BodyField(field.name.clone()));
            let can_change = !is_subject
                && !guarded.contains(&field.name.as_str())
                && !field.unique
                && !needs_proof(operation);
            let shape = ctx.shape(operation, field);
            // A plain spec's array items are held to their own rules; a dialect's error
            // envelope names items in its own way, which its spec does not state.
            let items = ctx
                .dialect
                .is_none()
                .then(|| item_shape(ctx, &field.name, &shape.ty))
                .flatten();
            found.push(FieldTarget {
                slot: Slot::Body(field),
                shape,
                can_change,
                required: field.required,
                item: false,
            });
            if let Some(shape) = items {
                found.push(FieldTarget {
                    slot: Slot::Body(field),
                    shape,
                    can_change,
                    required: false,
                    item: true,
                });
            }
        }
    }
    found
}

/// The shape of an array's items, when they are scalars with a rule to check (a length,
/// a range, a pattern, a format or an enum).
fn item_shape(ctx: &Context, name: &str, ty: &TypeRef) -> Option<FieldShape> {
    let TypeRef::Array(inner) = ty else {
        return None;
    };
    let shape = FieldShape::new(&ctx.api, name, inner, &Default::default());
    let c = &shape.constraints;
    let scalar = matches!(
        shape.ty,
        TypeRef::String | TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean
    );
    let ruled = c.max_length.is_some()
        || c.min_length.is_some_and(|m| m > 0)
        || c.minimum.is_some()
        || c.maximum.is_some()
        || c.pattern.is_some()
        || c.format.is_some()
        || !shape.enumeration.is_empty();
    (scalar && ruled).then_some(shape)
}

/// Whether every accepted request of an operation needs a token that verifies (a
/// `verified-token` rule not limited to a change): the harness cannot forge one, so checks that
/// expect acceptance skip such operations, and those that expect rejection still run.
fn needs_proof(operation: &Operation) -> bool {
    operation
        .rules
        .iter()
        .any(|r| matches!(r, Rule::VerifiedToken { .. }))
        && !operation
            .rules
            .iter()
            .any(|r| matches!(r, Rule::RequiredWhenChanged { .. }))
}

const NEEDS_PROOF: &str =
    "every accepted request needs a token that verifies, which the harness cannot make";

/// Runs one active check on one operation that `applies` lets through (the run decides that
/// once); `None` when it finds nothing to do there. The match is exhaustive: a check declared
/// in `checks` but run nowhere does not compile.
pub fn run(ctx: &Context, operation: &Operation, check: Check) -> Option<Outcome> {
    // A `oneOf`/`anyOf` body: the checks that draft and vary body fields run once per member
    // (its tag set where there is a discriminator), so that every member's fields are held
    // to their rules; the first failure is the verdict. CF114 also sends, once for the whole
    // body, bodies that no member admits.
    let members = ctx
        .preferred_content(operation)
        .and_then(|c| crate::context::union_of(&ctx.api, &c.ty))
        .map_or(0, |union| union.variants.len());
    let per_member = matches!(
        check,
        Check::PositiveData
            | Check::MaxLength
            | Check::MinLength
            | Check::Range
            | Check::Pattern
            | Check::Format
            | Check::Enum
            | Check::Required
            | Check::ReadOnlyIgnored
            | Check::ReadAfterWrite
            | Check::WrongType
    );
    if members == 0 || !per_member {
        return run_one(ctx, operation, check);
    }
    // Once for the whole body, not once per member.
    let whole = (check == Check::WrongType)
        .then(|| union_body(ctx, operation))
        .flatten();
    let members = each(0..members, |index| {
        ctx.with_variant(index, || run_one(ctx, operation, check))
    });
    each([whole, members], |outcome| outcome)
}

fn run_one(ctx: &Context, operation: &Operation, check: Check) -> Option<Outcome> {
    if let Some(kind) = destroys(operation) {
        return run_destructive(ctx, operation, check, kind);
    }
    if needs_proof(operation)
        && matches!(
            check,
            Check::PositiveData
                | Check::PrivilegedIgnored
                | Check::ReadOnlyIgnored
                | Check::ReadAfterWrite
        )
    {
        return Some(Outcome::Skipped {
            reason: NEEDS_PROOF.into(),
        });
    }
    match check {
        Check::PositiveData => positive_data(ctx, operation),
        // A union body's own CF114 cases (bodies no member admits) are `run`'s.
        Check::MaxLength
        | Check::MinLength
        | Check::Range
        | Check::Pattern
        | Check::Format
        | Check::Enum
        | Check::KeyOf
        | Check::WrongType => field_rule(ctx, operation, check),
        Check::FilePart => file_parts(ctx, operation),
        Check::Required => required(ctx, operation),
        Check::RequiredWhenChanged => required_when_changed(ctx, operation),
        Check::VerifiedToken => verified_token(ctx, operation),
        Check::DocumentedMessage => documented_messages(ctx, operation),
        Check::CredentialMissing | Check::CredentialWrong => {
            credentials(ctx, operation, check, Subject::Caller)
        }
        Check::CredentialValid => credential_valid(ctx, operation),
        Check::Ownership => ownership(ctx, operation),
        Check::TargetExists => target_exists(ctx, operation),
        Check::PrivilegedIgnored => ignored_fields(ctx, operation, true),
        Check::ReadOnlyIgnored => ignored_fields(ctx, operation, false),
        Check::ReadAfterWrite => read_after_write(ctx, operation),
        Check::Unique => unique(ctx, operation),
        Check::Destructive => destructive(ctx, operation),
        Check::Throttle => throttle(ctx, operation),
        Check::Lifecycle => lifecycle(ctx, operation),
        Check::Pagination => pagination(ctx, operation),
        Check::MalformedJson
        | Check::InvalidUtf8
        | Check::UnsupportedMediaType
        | Check::OversizedBody => body_errors(ctx, operation, check),
        // Judged on every exchange the others made (`passive`), never run on their own.
        Check::ErrorEnvelope
        | Check::ResponseSchema
        | Check::ContentType
        | Check::StatusDocumented
        | Check::ResponseHeaders
        | Check::NoServerError => None,
    }
}

// ---------------------------------------------------------------------------------------
// Expectations

fn status_of(exchange: &Exchange) -> String {
    match &exchange.response {
        Ok(response) => response.status.to_string(),
        Err(error) => error.to_string(),
    }
}

/// Accepted: a 2xx. A throttle status is never acceptance: a server that throttles every
/// call fails here, and CF307 alone judges the limit.
fn accepted(exchange: &Exchange) -> Result<(), Broken> {
    match exchange.status() {
        Some(status) if (200..300).contains(&status) => Ok(()),
        _ => Err(Broken {
            expected: "a 2xx (accepted)".into(),
            got: describe(exchange),
            exchanges: vec![exchange.clone()],
        }),
    }
}

fn describe(exchange: &Exchange) -> String {
    match &exchange.response {
        // Whole: outcome_of and the report redact first, then clip.
        Ok(response) => format!("{} {}", response.status, response.text()),
        Err(error) => error.to_string(),
    }
}

/// The status a validation error has in this API (any 4xx for a plain spec).
fn validation_status(ctx: &Context) -> Option<u16> {
    ctx.api
        .error_envelope
        .as_ref()
        .map(|e| e.validation_status())
}

/// Rejected as a validation error that names `field`.
fn rejected_naming(ctx: &Context, exchange: &Exchange, field: &str) -> Result<(), Broken> {
    let expected_status = validation_status(ctx);
    // A plain spec promises a refusal (a 4xx), not a body that names the field: only an
    // x-error-envelope says where fields are named.
    let expected = match expected_status {
        Some(status) => format!("{status} naming {field}"),
        None => format!("a 4xx refusing {field}"),
    };
    let broken = |got: String| Broken {
        expected: expected.clone(),
        got,
        exchanges: vec![exchange.clone()],
    };
    let Ok(response) = &exchange.response else {
        return Err(broken(describe(exchange)));
    };
    let status_ok = match expected_status {
        Some(status) => response.status == status,
        None => (400..500).contains(&response.status),
    };
    if !status_ok {
        return Err(broken(describe(exchange)));
    }
    let named = match (&ctx.api.error_envelope, response.json()) {
        (Some(envelope), Some(body)) => envelope::reported_fields(&envelope.validation.body, &body)
            .iter()
            .any(|f| f == field),
        (None, _) => true,
        (Some(_), None) => false,
    };
    if named {
        Ok(())
    } else {
        Err(broken(format!(
            "{} without {field} among the fields it reports: {}",
            response.status,
            response.text()
        )))
    }
}

fn expect_status(exchange: &Exchange, status: u16) -> Result<(), Broken> {
    if exchange.status() == Some(status) {
        Ok(())
    } else {
        Err(Broken {
            expected: status.to_string(),
            got: describe(exchange),
            exchanges: vec![exchange.clone()],
        })
    }
}

fn outcome_of(
    ctx: &Context,
    result: Result<usize, (Broken, Option<String>, Option<String>)>,
) -> Outcome {
    match result {
        Ok(cases) => Outcome::Passed { cases },
        Err((broken, field, input)) => Outcome::Failed(Box::new(Failure {
            expected: broken.expected,
            got: ctx.redactor.redact_clipped(&broken.got, 300),
            field,
            input: input.map(|i| ctx.redactor.redact(&i)),
            sequence: broken.exchanges.iter().map(|e| ctx.step(e)).collect(),
        })),
    }
}

/// Runs a check once per item (every rule or field of its kind): the first failure is the
/// verdict; otherwise the cases add up. A skip stands only where nothing ran.
fn each<T>(
    items: impl IntoIterator<Item = T>,
    mut one: impl FnMut(T) -> Option<Outcome>,
) -> Option<Outcome> {
    let mut cases = 0;
    let mut skipped = None;
    for item in items {
        match one(item) {
            Some(Outcome::Passed { cases: n }) => cases += n,
            Some(failed @ (Outcome::Failed(_) | Outcome::Warning(_))) => return Some(failed),
            Some(skip @ Outcome::Skipped { .. }) => {
                skipped.get_or_insert(skip);
            }
            None => {}
        }
    }
    if cases > 0 {
        Some(Outcome::Passed { cases })
    } else {
        skipped
    }
}

fn caller_draft(ctx: &Context, operation: &Operation) -> Result<Draft, Outcome> {
    ctx.draft(
        operation,
        Actor::Caller,
        Subject::Caller,
        &CredentialMode::Valid,
    )
    .map_err(|reason| Outcome::Skipped { reason })
}

/// Shortens long generated values in reports.
fn show(value: &Value) -> String {
    let text = value.to_string();
    // A string's own length, not its JSON text's (which counts the quotes and escapes).
    let (count, unit) = match value {
        Value::String(s) => (s.chars().count(), "characters"),
        _ => (text.chars().count(), "characters of JSON"),
    };
    if text.chars().count() > 80 {
        format!(
            "{}… ({count} {unit})",
            text.chars().take(60).collect::<String>()
        )
    } else {
        text
    }
}
