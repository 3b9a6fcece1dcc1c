//! The active checks: each sends requests built from the spec and says whether the rule held.
//! `None` means the check does not apply to the operation (it is then left out of the report).

use generator::model::{
    Field, MediaKind, Method, Operation, Parameter, ParameterLocation, SchemeKind, TypeRef,
};
use generator::spec::ext::{Constraint, Rule, Target};
use proptest::strategy::Strategy;
use serde_json::Value;

use crate::checks::{self, Check};
use crate::context::{
    Actor, Context, CredentialMode, Draft, Subject, find_key, form_text, struct_of,
};
use crate::envelope;
use crate::http::{Body, Exchange, Part, PartValue};
use crate::property::{Broken, PropertyOutcome, check_property};
use crate::report::{Failure, Outcome};
use crate::values::FieldShape;

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
}

impl FieldTarget<'_> {
    fn name(&self) -> &str {
        &self.shape.name
    }

    fn set(&self, draft: &mut Draft, value: &Value) {
        match self.slot {
            Slot::Body(field) => {
                draft.fields.insert(field.name.clone(), value.clone());
            }
            Slot::Param(parameter) => {
                draft.set_parameter(parameter.location, &parameter.name, &form_text(value))
            }
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
        found.push(FieldTarget {
            slot: Slot::Param(parameter),
            shape: FieldShape::new(
                &ctx.api,
                &parameter.name,
                &parameter.ty,
                &parameter.constraints,
            ),
            can_change: !is_subject,
            required: parameter.required,
        });
    }
    if let Some(body) = ctx
        .preferred_content(operation)
        .and_then(|c| ctx.body_struct(c))
    {
        for field in &body.fields {
            if field.read_only
                || field.privileged
                || field.ty == TypeRef::Binary
                || companions.contains(&field.name.as_str())
            {
                continue;
            }
            let is_subject = subject.contains(&Target::BodyField(field.name.clone()));
            found.push(FieldTarget {
                slot: Slot::Body(field),
                shape: ctx.shape(operation, field),
                can_change: !is_subject
                    && !guarded.contains(&field.name.as_str())
                    && !field.unique
                    && !needs_proof(operation),
                required: field.required,
            });
        }
    }
    found
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

/// How an operation destroys data: declared by an x-rules `destructive` rule (which names
/// the read that shows the loss), or a plain DELETE that the spec says nothing more about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Destroys {
    Declared,
    PlainDelete,
}

fn destroys(operation: &Operation) -> Option<Destroys> {
    if operation
        .rules
        .iter()
        .any(|r| matches!(r, Rule::Destructive { .. }))
    {
        Some(Destroys::Declared)
    } else if operation.method == Method::Delete {
        Some(Destroys::PlainDelete)
    } else {
        None
    }
}

const PLAIN_DELETE: &str =
    "DELETE destroys data: sent only with --destructive, and then only to --other-user-id";

/// The checks of an operation that destroys data, none of which may destroy the caller's:
/// credentials (missing, wrong) and ownership are tried on the other user's id, and a read
/// afterwards shows that nothing was deleted; an unknown id destroys nothing; the real
/// deletion (CF306) only with `--destructive`, on the other user. A plain DELETE of a spec
/// with no rule for it is not sent at all without `--destructive`.
fn run_destructive(
    ctx: &Context,
    operation: &Operation,
    check: Check,
    kind: Destroys,
) -> Option<Outcome> {
    if kind == Destroys::PlainDelete && !ctx.destructive {
        return (check == checks::DESTRUCTIVE).then(|| Outcome::Skipped {
            reason: PLAIN_DELETE.into(),
        });
    }
    let outcome = match check.id {
        "CF200" | "CF201" => credentials(ctx, operation, check, Subject::Other)?,
        "CF300" => ownership(ctx, operation)?,
        "CF301" => return target_exists(ctx, operation),
        "CF306" => return destructive(ctx, operation),
        _ => return None,
    };
    Some(nothing_destroyed(ctx, operation, outcome))
}

/// After refused requests of a destructive operation on the other user: the other user is
/// still there (read by the caller through the rule's `then` operation).
fn nothing_destroyed(ctx: &Context, operation: &Operation, outcome: Outcome) -> Outcome {
    let Outcome::Passed { cases } = outcome else {
        return outcome;
    };
    let Some((then, gone)) = operation.rules.iter().find_map(|r| match r {
        Rule::Destructive { then, status } => Some((then, *status)),
        _ => None,
    }) else {
        return Outcome::Passed { cases };
    };
    let Some(then_op) = ctx.operation(then) else {
        return Outcome::Passed { cases };
    };
    let read = match ctx.draft(
        then_op,
        Actor::Caller,
        Subject::Other,
        &CredentialMode::Valid,
    ) {
        Ok(draft) => ctx.send(then_op, &draft.build()),
        Err(_) => return Outcome::Passed { cases },
    };
    if read.status() == Some(gone) {
        let broken = Broken {
            expected: format!(
                "the other user still there after {cases} refused {} requests",
                operation.id
            ),
            got: format!(
                "{} answers {gone}: a refused request deleted it",
                then_op.id
            ),
            exchanges: vec![read],
        };
        return outcome_of(ctx, Err((broken, None, None)));
    }
    Outcome::Passed { cases: cases + 1 }
}

/// Runs one active check on one operation.
pub fn run(ctx: &Context, operation: &Operation, check: Check) -> Option<Outcome> {
    if let Some(kind) = destroys(operation) {
        return run_destructive(ctx, operation, check, kind);
    }
    if needs_proof(operation) && ["CF100", "CF302", "CF303", "CF304"].contains(&check.id) {
        return Some(Outcome::Skipped {
            reason: NEEDS_PROOF.into(),
        });
    }
    match check.id {
        "CF100" => positive_data(ctx, operation),
        "CF101" | "CF102" | "CF103" | "CF110" | "CF111" | "CF112" | "CF113" | "CF114" => {
            field_rule(ctx, operation, check)
        }
        "CF115" => file_parts(ctx, operation),
        "CF120" => required(ctx, operation),
        "CF121" => required_when_changed(ctx, operation),
        "CF122" => verified_token(ctx, operation),
        "CF123" => documented_messages(ctx, operation),
        "CF200" | "CF201" => credentials(ctx, operation, check, Subject::Caller),
        "CF202" => credential_valid(ctx, operation),
        "CF300" => ownership(ctx, operation),
        "CF301" => target_exists(ctx, operation),
        "CF302" => ignored_fields(ctx, operation, true),
        "CF303" => ignored_fields(ctx, operation, false),
        "CF304" => read_after_write(ctx, operation),
        "CF305" => unique(ctx, operation),
        "CF306" => destructive(ctx, operation),
        "CF307" => throttle(ctx, operation),
        "CF501" | "CF502" | "CF503" | "CF504" => body_errors(ctx, operation, check),
        _ => None,
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
    let expected = match expected_status {
        Some(status) => format!("{status} naming {field}"),
        None => format!("a 4xx naming {field}"),
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
        (None, _) => response.text().contains(field),
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
    let count = text.chars().count();
    if count > 80 {
        format!(
            "{}… ({count} characters)",
            text.chars().take(60).collect::<String>()
        )
    } else {
        text
    }
}

// ---------------------------------------------------------------------------------------
// Field rules

fn positive_data(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let targets: Vec<FieldTarget> = field_targets(ctx, operation)
        .into_iter()
        .filter(|t| t.can_change && matches!(t.slot, Slot::Body(_)))
        .collect();
    let strategies: Vec<_> = targets
        .iter()
        .filter_map(|t| Some((t.clone(), t.shape.valid_strategy()?)))
        .collect();
    if strategies.is_empty() {
        return None;
    }
    let base = match caller_draft(ctx, operation) {
        Ok(draft) => draft,
        Err(skip) => return Some(skip),
    };
    let names: Vec<FieldTarget> = strategies.iter().map(|(t, _)| t.clone()).collect();
    let strategy = strategies
        .into_iter()
        .map(|(target, strategy)| {
            if target.required {
                strategy.prop_map(Some).boxed()
            } else {
                proptest::option::of(strategy).boxed()
            }
        })
        .collect::<Vec<_>>();
    let outcome = check_property(
        ctx.seed,
        &["CF100", &operation.id],
        ctx.cases,
        strategy,
        |values: &Vec<Option<Value>>| {
            let mut draft = base.clone();
            for (target, value) in names.iter().zip(values) {
                if let Some(value) = value {
                    target.set(&mut draft, value);
                }
            }
            accepted(&ctx.send(operation, &draft.build()))
        },
    );
    Some(property_outcome(
        ctx,
        outcome,
        None,
        |values: &Vec<Option<Value>>| {
            let shown: Vec<String> = names
                .iter()
                .zip(values)
                .filter_map(|(t, v)| Some(format!("{}={}", t.name(), show(v.as_ref()?))))
                .collect();
            format!("{{{}}}", shown.join(", "))
        },
    ))
}

fn property_outcome<T>(
    ctx: &Context,
    outcome: PropertyOutcome<T>,
    field: Option<String>,
    show_input: impl Fn(&T) -> String,
) -> Outcome {
    match outcome {
        PropertyOutcome::Held { cases } => Outcome::Passed { cases },
        PropertyOutcome::Broken { input, broken } => {
            outcome_of(ctx, Err((broken, field, Some(show_input(&input)))))
        }
        PropertyOutcome::GaveUp(reason) => Outcome::Skipped {
            reason: format!("could not generate values: {reason}"),
        },
    }
}

/// The constraint-specific checks on every field that has the constraint.
fn field_rule(ctx: &Context, operation: &Operation, check: Check) -> Option<Outcome> {
    let targets: Vec<FieldTarget> = field_targets(ctx, operation)
        .into_iter()
        .filter(|t| {
            let c = &t.shape.constraints;
            match check.id {
                "CF101" => c.max_length.is_some() && t.shape.is_string(),
                "CF102" => c.min_length.is_some_and(|m| m > 0) && t.shape.is_string(),
                "CF103" => c.minimum.is_some() || c.maximum.is_some(),
                "CF110" => c.pattern.is_some(),
                "CF111" => c.format.as_deref().is_some_and(|f| {
                    ["email", "uri", "url", "uuid", "date", "date-time"].contains(&f)
                }),
                "CF112" => !t.shape.enumeration.is_empty(),
                "CF113" => t.shape.keys.is_some(),
                "CF114" => true,
                _ => false,
            }
        })
        .collect();
    if targets.is_empty() {
        return None;
    }
    let base = match caller_draft(ctx, operation) {
        Ok(draft) => draft,
        Err(skip) => return Some(skip),
    };
    let mut cases = 0;
    for target in &targets {
        match one_field_rule(ctx, operation, check, &base, target) {
            Ok(n) => cases += n,
            Err((broken, input)) => {
                return Some(outcome_of(
                    ctx,
                    Err((broken, Some(target.name().to_owned()), input)),
                ));
            }
        }
    }
    if cases == 0 {
        None
    } else {
        Some(Outcome::Passed { cases })
    }
}

type FieldResult = Result<usize, (Broken, Option<String>)>;

fn one_field_rule(
    ctx: &Context,
    operation: &Operation,
    check: Check,
    base: &Draft,
    target: &FieldTarget,
) -> FieldResult {
    let name = target.name().to_owned();
    let send_with = |value: &Value| {
        let mut draft = base.clone();
        target.set(&mut draft, value);
        ctx.send(operation, &draft.build())
    };
    let accept = |value: Value| -> FieldResult {
        accepted(&send_with(&value))
            .map(|()| 1)
            .map_err(|b| (b, Some(show(&value))))
    };
    let reject = |value: Value| -> FieldResult {
        rejected_naming(ctx, &send_with(&value), &name)
            .map(|()| 1)
            .map_err(|b| (b, Some(show(&value))))
    };
    let invalid = |constraint: Constraint| {
        target
            .shape
            .invalid_values(target.typed(base))
            .into_iter()
            .find(|(c, _)| *c == constraint)
            .map(|(_, v)| v)
    };
    let mut cases = 0;
    match check.id {
        "CF101" => {
            let max = target.shape.constraints.max_length.unwrap_or_default();
            if target.can_change
                && let Some(text) = target.shape.string_of_length(max)
            {
                cases += accept(Value::String(text))?;
            }
            if let Some(value) = invalid(Constraint::MaxLength) {
                cases += reject(value)?;
            }
        }
        "CF102" => {
            let min = target.shape.constraints.min_length.unwrap_or_default();
            if target.can_change
                && let Some(text) = target.shape.string_of_length(min)
            {
                cases += accept(Value::String(text))?;
            }
            if let Some(value) = invalid(Constraint::MinLength) {
                cases += reject(value)?;
            }
        }
        "CF103" => {
            let c = &target.shape.constraints;
            let integer = matches!(target.shape.ty, TypeRef::Integer(_));
            let number = |v: f64| {
                if integer {
                    Value::from(v as i64)
                } else {
                    Value::from(v)
                }
            };
            if let Some(max) = c.maximum {
                if target.can_change && !c.exclusive_maximum {
                    cases += accept(number(max))?;
                }
                cases += reject(number(if integer { max + 1.0 } else { max * 1.5 + 1.0 }))?;
            }
            if let Some(min) = c.minimum {
                if target.can_change && !c.exclusive_minimum {
                    cases += accept(number(min))?;
                }
                cases += reject(number(if integer {
                    min - 1.0
                } else {
                    min - min.abs() * 0.5 - 1.0
                }))?;
            }
        }
        "CF110" | "CF111" | "CF112" | "CF113" => {
            let constraint = match check.id {
                "CF110" => Constraint::Pattern,
                "CF111" => Constraint::Format,
                "CF112" => Constraint::Enum,
                _ => Constraint::KeyOf,
            };
            if target.can_change
                && let Some(strategy) = target.shape.valid_strategy()
            {
                let cases_here = ctx.cases.min(10);
                let outcome = check_property(
                    ctx.seed,
                    &[check.id, &operation.id, &name],
                    cases_here,
                    strategy,
                    |value: &Value| accepted(&send_with(value)),
                );
                match outcome {
                    PropertyOutcome::Held { cases: n } => cases += n,
                    PropertyOutcome::Broken { input, broken } => {
                        return Err((broken, Some(show(&input))));
                    }
                    PropertyOutcome::GaveUp(_) => {}
                }
            }
            if let Some(value) = invalid(constraint) {
                cases += reject(value)?;
            }
        }
        "CF114" => {
            if let Some(value) = invalid(Constraint::Type) {
                cases += reject(value)?;
            }
        }
        _ => {}
    }
    Ok(cases)
}

fn required(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let targets: Vec<FieldTarget> = field_targets(ctx, operation)
        .into_iter()
        .filter(|t| {
            t.required && !matches!(t.slot, Slot::Param(p) if p.location == ParameterLocation::Path)
        })
        .collect();
    if targets.is_empty() {
        return None;
    }
    let base = match caller_draft(ctx, operation) {
        Ok(draft) => draft,
        Err(skip) => return Some(skip),
    };
    for target in &targets {
        let mut draft = base.clone();
        target.unset(&mut draft);
        let exchange = ctx.send(operation, &draft.build());
        if let Err(broken) = rejected_naming(ctx, &exchange, target.name()) {
            return Some(outcome_of(
                ctx,
                Err((
                    broken,
                    Some(target.name().to_owned()),
                    Some(format!("{} left out", target.name())),
                )),
            ));
        }
    }
    Some(Outcome::Passed {
        cases: targets.len(),
    })
}

/// A new valid value for a field, different from `current`.
fn changed_value(shape: &FieldShape, current: Option<&Value>, salt: &str) -> Option<Value> {
    let mut candidates: Vec<Value> = Vec::new();
    if shape.constraints.format.as_deref() == Some("email") {
        candidates.push(Value::String(format!("changed-{salt}@example.com")));
    }
    if let Some(strategy) = shape.valid_strategy() {
        let mut runner = proptest::test_runner::TestRunner::new_with_rng(
            Default::default(),
            crate::property::rng(0, &[salt, &shape.name]),
        );
        for _ in 0..16 {
            if let Ok(tree) = strategy.new_tree(&mut runner) {
                candidates.push(proptest::strategy::ValueTree::current(&tree));
            }
        }
    }
    candidates
        .into_iter()
        .find(|v| Some(v) != current && v.as_str().is_none_or(|s| shape.accepts(s)))
}

fn required_when_changed(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let (fields, when_changed) = operation.rules.iter().find_map(|r| match r {
        Rule::RequiredWhenChanged {
            fields,
            when_changed,
            ..
        } => Some((fields.clone(), when_changed.clone())),
        _ => None,
    })?;
    let mut draft = match caller_draft(ctx, operation) {
        Ok(draft) => draft,
        Err(skip) => return Some(skip),
    };
    let field = ctx
        .preferred_content(operation)
        .and_then(|c| ctx.body_struct(c))?
        .fields
        .iter()
        .find(|f| f.name == when_changed)?;
    let shape = ctx.shape(operation, field);
    let current = draft.fields.get(&when_changed).cloned();
    let Some(value) = changed_value(&shape, current.as_ref(), &format!("{}", ctx.seed)) else {
        return Some(Outcome::Skipped {
            reason: format!("cannot make a new valid {when_changed}"),
        });
    };
    for companion in &fields {
        draft.fields.remove(companion);
    }
    draft.fields.insert(when_changed.clone(), value.clone());
    let exchange = ctx.send(operation, &draft.build());
    for companion in &fields {
        if let Err(broken) = rejected_naming(ctx, &exchange, companion) {
            return Some(outcome_of(
                ctx,
                Err((
                    broken,
                    Some(companion.clone()),
                    Some(format!(
                        "{when_changed}={} without {}",
                        show(&value),
                        fields.join(", ")
                    )),
                )),
            ));
        }
    }
    Some(Outcome::Passed { cases: 1 })
}

fn verified_token(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let (field, checksum) = operation.rules.iter().find_map(|r| match r {
        Rule::VerifiedToken {
            field, checksum, ..
        } => Some((field.clone(), checksum.clone())),
        _ => None,
    })?;
    let mut draft = match caller_draft(ctx, operation) {
        Ok(draft) => draft,
        Err(skip) => return Some(skip),
    };
    // The token proves a change: change the guarded field, with tokens that cannot verify.
    let guarded = operation.rules.iter().find_map(|r| match r {
        Rule::RequiredWhenChanged { when_changed, .. } => Some(when_changed.clone()),
        _ => None,
    });
    let mut input = Vec::new();
    if let Some(guarded) = guarded
        && let Some(body_field) = ctx
            .preferred_content(operation)
            .and_then(|c| ctx.body_struct(c))
            .and_then(|b| b.fields.iter().find(|f| f.name == guarded))
    {
        let shape = ctx.shape(operation, body_field);
        if let Some(value) = changed_value(
            &shape,
            draft.fields.get(&guarded),
            &format!("token-{}", ctx.seed),
        ) {
            input.push(format!("{guarded}={}", show(&value)));
            draft.fields.insert(guarded, value);
        }
    }
    draft.fields.insert(
        field.clone(),
        Value::String("conformance-wrong-token".into()),
    );
    draft.fields.insert(
        checksum.clone(),
        Value::String("conformance-wrong-checksum".into()),
    );
    input.push(format!("{field}=\"conformance-wrong-token\""));
    let exchange = ctx.send(operation, &draft.build());
    Some(outcome_of(
        ctx,
        rejected_naming(ctx, &exchange, &field)
            .map(|()| 1)
            .map_err(|b| (b, Some(field.clone()), Some(input.join(", ")))),
    ))
}

/// A multipart body content and its file parts, each with the media types it lists.
type FileFields<'o> = (
    &'o generator::model::BodyContent,
    Vec<(&'o Field, Vec<String>)>,
);

/// The file parts of an operation's multipart body: (field, the media types its encoding
/// lists, whether it is required). Only parts whose encoding lists media types the harness
/// can make real files of take part in the acceptance half.
fn file_fields<'o>(ctx: &'o Context, operation: &'o Operation) -> Option<FileFields<'o>> {
    let content = operation
        .body
        .as_ref()?
        .contents
        .iter()
        .find(|c| c.kind == MediaKind::Multipart)?;
    let body = ctx.body_struct(content)?;
    let fields: Vec<(&Field, Vec<String>)> = body
        .fields
        .iter()
        .filter(|f| f.ty == TypeRef::Binary)
        .map(|f| {
            let types = content
                .part_content_types
                .iter()
                .find(|(part, _)| *part == f.name)
                .map(|(_, t)| t.clone())
                .unwrap_or_default();
            (f, types)
        })
        .collect();
    (!fields.is_empty()).then_some((content, fields))
}

/// CF115: multipart file parts. Every listed image type is accepted (the parts take turns
/// through the types, so three uploads cover them all); a part with text in it or a cut-off
/// image header is refused naming the part, and so is a required part left out.
fn file_parts(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let (content, fields) = file_fields(ctx, operation)?;
    let typed: Vec<&(&Field, Vec<String>)> = fields.iter().filter(|(_, t)| !t.is_empty()).collect();
    let required: Vec<&Field> = fields
        .iter()
        .filter(|(f, _)| f.required)
        .map(|(f, _)| *f)
        .collect();
    if typed.is_empty() && required.is_empty() {
        return None;
    }
    let mut base = match caller_draft(ctx, operation) {
        Ok(draft) => draft,
        Err(skip) => return Some(skip),
    };
    base.media = Some(MediaKind::Multipart);
    base.media_type = Some(content.media_type.clone());
    let with_part = |draft: &Draft, part: Part| {
        let mut draft = draft.clone();
        draft.files.retain(|p| p.name != part.name);
        draft.files.push(part);
        draft
    };
    let mut cases = 0;
    let mut send =
        |draft: &Draft, expect_field: Option<&str>, input: String| -> Result<(), Outcome> {
            let exchange = ctx.send(operation, &draft.build());
            let result = match expect_field {
                None => accepted(&exchange),
                Some(field) => rejected_naming(ctx, &exchange, field),
            };
            cases += 1;
            result.map_err(|broken| {
                outcome_of(
                    ctx,
                    Err((broken, expect_field.map(str::to_owned), Some(input))),
                )
            })
        };
    // Acceptance: the parts take turns through the image types their encodings list.
    let kinds = ["image/png", "image/jpeg", "image/gif"];
    for turn in 0..kinds.len() {
        let mut draft = base.clone();
        let mut shown = Vec::new();
        for (index, (field, types)) in typed.iter().enumerate() {
            let listed: Vec<&str> = kinds
                .iter()
                .copied()
                .filter(|k| {
                    types
                        .iter()
                        .any(|t| t.eq_ignore_ascii_case(k) || t == "image/*" || t == "*/*")
                })
                .collect();
            if listed.is_empty() {
                continue;
            }
            let kind = listed[(turn + index) % listed.len()];
            if let Some(part) = crate::context::image_file(&field.name, kind) {
                shown.push(format!("{}={kind}", field.name));
                draft = with_part(&draft, part);
            }
        }
        if shown.is_empty() {
            break;
        }
        if let Err(outcome) = send(&draft, None, shown.join(", ")) {
            return Some(outcome);
        }
    }
    // Refusals: not an image, and a cut-off PNG header, each on one part.
    for (field, _) in &typed {
        let fakes = [
            ("text", b"conformance: this is not an image".to_vec()),
            (
                "a truncated PNG header",
                crate::context::PNG_1X1[..4].to_vec(),
            ),
        ];
        for (what, bytes) in fakes {
            let part = Part {
                name: field.name.clone(),
                value: PartValue::File {
                    filename: format!("{}.png", field.name),
                    content_type: "image/png".into(),
                    bytes,
                },
            };
            if let Err(outcome) = send(
                &with_part(&base, part),
                Some(&field.name),
                format!("{}: {what} sent as image/png", field.name),
            ) {
                return Some(outcome);
            }
        }
    }
    for field in required {
        let mut draft = base.clone();
        draft.files.retain(|p| p.name != field.name);
        if let Err(outcome) = send(
            &draft,
            Some(&field.name),
            format!("{} left out", field.name),
        ) {
            return Some(outcome);
        }
    }
    Some(Outcome::Passed { cases })
}

/// CF123: for every field whose message the vendor documents, a request that breaks that
/// constraint alone gets the documented text among the field's messages (file parts: a part
/// that is not an image, for a documented `content-type` message).
fn documented_messages(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let envelope = ctx.api.error_envelope.as_ref()?;
    let documented = |messages: &'_ generator::spec::ext::Messages,
                      documented: &generator::spec::ext::DocumentedMessages|
     -> Vec<(Constraint, String)> {
        documented
            .iter()
            .filter_map(|c| Some((*c, messages.get(c)?.clone())))
            .collect()
    };
    let targets: Vec<(FieldTarget, Vec<(Constraint, String)>)> = field_targets(ctx, operation)
        .into_iter()
        .filter_map(|target| {
            let texts = match target.slot {
                Slot::Body(field) => documented(&field.messages, &field.documented_messages),
                Slot::Param(p) => documented(&p.messages, &p.documented_messages),
            };
            (!texts.is_empty()).then_some((target, texts))
        })
        .collect();
    let files: Vec<(&Field, String)> = file_fields(ctx, operation)
        .map(|(_, fields)| fields)
        .unwrap_or_default()
        .into_iter()
        .filter(|(f, _)| f.documented_messages.contains(&Constraint::ContentType))
        .filter_map(|(f, _)| Some((f, f.messages.get(&Constraint::ContentType)?.clone())))
        .collect();
    if targets.is_empty() && files.is_empty() {
        return None;
    }
    let base = match caller_draft(ctx, operation) {
        Ok(draft) => draft,
        Err(skip) => return Some(skip),
    };
    // (the request, the field, the documented text, what was broken)
    let mut probes: Vec<(Draft, String, String, String)> = Vec::new();
    for (target, texts) in &targets {
        let invalid = target.shape.invalid_values(target.typed(&base));
        for (constraint, text) in texts {
            let mut draft = base.clone();
            let input = if *constraint == Constraint::Required {
                if !target.required {
                    continue;
                }
                target.unset(&mut draft);
                format!("{} left out", target.name())
            } else {
                let Some((_, value)) = invalid.iter().find(|(c, _)| c == constraint) else {
                    continue;
                };
                target.set(&mut draft, value);
                format!(
                    "{}={} (breaks {})",
                    target.name(),
                    show(value),
                    constraint.keyword()
                )
            };
            probes.push((draft, target.name().to_owned(), text.clone(), input));
        }
    }
    for (field, text) in files {
        let mut draft = base.clone();
        draft.files.retain(|p| p.name != field.name);
        draft.files.push(Part {
            name: field.name.clone(),
            value: PartValue::File {
                filename: format!("{}.png", field.name),
                content_type: "image/png".into(),
                bytes: b"conformance: this is not an image".to_vec(),
            },
        });
        let input = format!("{}: text sent as image/png", field.name);
        probes.push((draft, field.name.clone(), text, input));
    }
    let mut cases = 0;
    for (draft, field, text, input) in probes {
        let exchange = ctx.send(operation, &draft.build());
        let result = rejected_naming(ctx, &exchange, &field).and_then(|()| {
            let body = exchange
                .response
                .as_ref()
                .ok()
                .and_then(|r| r.json())
                .unwrap_or_default();
            let got = envelope::messages_for(&envelope.validation.body, &body, &field);
            if got.iter().any(|m| envelope::message_matches(&text, m)) {
                Ok(())
            } else {
                Err(Broken {
                    expected: format!("{} among the messages for {field}", serde_json::json!(text)),
                    got: format!("{}", serde_json::json!(got)),
                    exchanges: vec![exchange.clone()],
                })
            }
        });
        match result {
            Ok(()) => cases += 1,
            Err(broken) => {
                return Some(outcome_of(ctx, Err((broken, Some(field), Some(input)))));
            }
        }
    }
    (cases > 0).then_some(Outcome::Passed { cases })
}

// ---------------------------------------------------------------------------------------
// Credentials, ownership, existence

fn credential_valid(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    if ctx.required_schemes(operation).is_empty() {
        return None;
    }
    let draft = match caller_draft(ctx, operation) {
        Ok(draft) => draft,
        Err(skip) => return Some(skip),
    };
    let exchange = ctx.send(operation, &draft.build());
    let result = match exchange.status() {
        Some(401) | Some(403) | None => Err((
            Broken {
                expected: "not 401/403: the credentials are valid".into(),
                got: describe(&exchange),
                exchanges: vec![exchange],
            },
            None,
            None,
        )),
        Some(_) => Ok(1),
    };
    Some(outcome_of(ctx, result))
}

fn credentials(
    ctx: &Context,
    operation: &Operation,
    check: Check,
    subject: Subject,
) -> Option<Outcome> {
    let schemes = ctx.required_schemes(operation);
    if schemes.is_empty() {
        return None;
    }
    let mut cases = 0;
    for scheme in &schemes {
        let modes: Vec<(CredentialMode, String)> = if check == checks::CREDENTIAL_MISSING {
            vec![(
                CredentialMode::Missing(scheme.name.clone()),
                format!("{} left out", scheme.name),
            )]
        } else {
            let mut wrong = vec!["conformance-wrong-credential".to_owned()];
            if let SchemeKind::ApiKey {
                prefix: Some(prefix),
                ..
            } = &scheme.kind
            {
                wrong.push(format!("{prefix}conformance-wrong-credential"));
            }
            wrong
                .into_iter()
                .map(|w| {
                    (
                        CredentialMode::Wrong(scheme.name.clone(), w.clone()),
                        format!("{} = {w:?}", scheme.name),
                    )
                })
                .collect()
        };
        for (mode, input) in modes {
            let draft = match ctx.draft(operation, Actor::Caller, subject, &mode) {
                Ok(draft) => draft,
                Err(reason) => return Some(Outcome::Skipped { reason }),
            };
            let exchange = ctx.send(operation, &draft.build());
            if let Err(broken) = expect_status(&exchange, 401) {
                return Some(outcome_of(ctx, Err((broken, None, Some(input)))));
            }
            cases += 1;
        }
    }
    Some(Outcome::Passed { cases })
}

fn ownership(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let status = operation.rules.iter().find_map(|r| match r {
        Rule::OwnerOnly { status, .. } => Some(*status),
        _ => None,
    })?;
    Some(about_subject(
        ctx,
        operation,
        Subject::Other,
        status,
        "the other user's id",
    ))
}

fn target_exists(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let status = operation.rules.iter().find_map(|r| match r {
        Rule::TargetMustExist { status, .. } => Some(*status),
        _ => None,
    })?;
    Some(about_subject(
        ctx,
        operation,
        Subject::Unknown,
        status,
        "an id that names no user",
    ))
}

/// The caller's valid request about someone else's resource answers `status`.
fn about_subject(
    ctx: &Context,
    operation: &Operation,
    subject: Subject,
    status: u16,
    input: &str,
) -> Outcome {
    let draft = match ctx.draft(operation, Actor::Caller, subject, &CredentialMode::Valid) {
        Ok(draft) => draft,
        Err(reason) => return Outcome::Skipped { reason },
    };
    let exchange = ctx.send(operation, &draft.build());
    outcome_of(
        ctx,
        expect_status(&exchange, status)
            .map(|()| 1)
            .map_err(|b| (b, None, Some(input.to_owned()))),
    )
}

// ---------------------------------------------------------------------------------------
// Stored state: privileged and read-only fields, read-after-write, uniqueness

/// The stored state as the API shows it, and the exchanges that read it: the read operation
/// of the read-after-write rule, or (for `read: self` and no rule) the operation itself sent
/// unchanged.
fn read_state(
    ctx: &Context,
    operation: &Operation,
    actor: Actor,
    subject: Subject,
) -> Result<(Value, Exchange), String> {
    let read = operation.rules.iter().find_map(|r| match r {
        Rule::ReadAfterWrite { read } if read != "self" => ctx.operation(read),
        _ => None,
    });
    let read = read.unwrap_or(operation);
    let draft = ctx.draft(read, actor, subject, &CredentialMode::Valid)?;
    let exchange = ctx.send(read, &draft.build());
    match exchange
        .response
        .as_ref()
        .ok()
        .filter(|r| (200..300).contains(&r.status))
        .and_then(|r| r.json())
    {
        Some(state) => Ok((state, exchange)),
        None => Err(format!(
            "could not read the stored state: {}",
            describe(&exchange)
        )),
    }
}

fn reads_itself(operation: &Operation) -> bool {
    !operation
        .rules
        .iter()
        .any(|r| matches!(r, Rule::ReadAfterWrite { read } if read != "self"))
}

/// A different value of the same type, for a field the server must ignore.
fn altered(current: Option<&Value>, ty: &TypeRef, shape: &FieldShape) -> Value {
    match (current, ty) {
        (Some(Value::Bool(b)), _) => Value::Bool(!b),
        (_, TypeRef::Boolean) => Value::Bool(true),
        (Some(Value::Number(n)), _) => Value::from(n.as_i64().unwrap_or(0) + 424_242),
        (_, TypeRef::Integer(_) | TypeRef::Number) => Value::from(424_242),
        _ => changed_value(shape, current, "ignored")
            .unwrap_or_else(|| Value::String("conformance-altered".into())),
    }
}

fn ignored_fields(ctx: &Context, operation: &Operation, privileged: bool) -> Option<Outcome> {
    let content = ctx.preferred_content(operation)?;
    let request = ctx.body_struct(content);
    // Privileged fields are in the request schema; read-only ones in the response's.
    let fields: Vec<(String, TypeRef, FieldShape)> = if privileged {
        request?
            .fields
            .iter()
            .filter(|f| f.privileged)
            .map(|f| (f.name.clone(), f.ty.clone(), ctx.shape(operation, f)))
            .collect()
    } else {
        let writable: Vec<&str> = request
            .map(|r| {
                r.fields
                    .iter()
                    .filter(|f| !f.read_only)
                    .map(|f| f.name.as_str())
                    .collect()
            })
            .unwrap_or_default();
        read_only_fields(ctx, operation)
            .into_iter()
            .filter(|f| !writable.contains(&f.name.as_str()))
            .map(|f| {
                (
                    f.name.clone(),
                    f.ty.clone(),
                    FieldShape::new(&ctx.api, &f.name, &f.ty, &f.constraints),
                )
            })
            .collect()
    };
    if fields.is_empty() {
        return None;
    }
    let base = match caller_draft(ctx, operation) {
        Ok(draft) => draft,
        Err(skip) => return Some(skip),
    };
    let mut cases = 0;
    for (name, ty, shape) in fields {
        let (before, read_before) = match read_state(ctx, operation, Actor::Caller, Subject::Caller)
        {
            Ok(state) => state,
            Err(reason) => return Some(Outcome::Skipped { reason }),
        };
        let Some(current) = find_key(&before, &name).cloned() else {
            continue;
        };
        let value = altered(Some(&current), &ty, &shape);
        let mut draft = base.clone();
        draft.fields.insert(name.clone(), value.clone());
        let write = ctx.send(operation, &draft.build());
        if let Err(broken) = accepted(&write) {
            return Some(outcome_of(
                ctx,
                Err((
                    Broken {
                        exchanges: vec![read_before, write],
                        ..broken
                    },
                    Some(name),
                    Some(show(&value)),
                )),
            ));
        }
        let (after, read_after) = if reads_itself(operation) {
            (
                write
                    .response
                    .as_ref()
                    .ok()
                    .and_then(|r| r.json())
                    .unwrap_or(Value::Null),
                write.clone(),
            )
        } else {
            match read_state(ctx, operation, Actor::Caller, Subject::Caller) {
                Ok(state) => state,
                Err(reason) => return Some(Outcome::Skipped { reason }),
            }
        };
        let now = find_key(&after, &name).cloned();
        if now.as_ref() != Some(&current) {
            let mut exchanges = vec![read_before, write.clone()];
            if read_after != write {
                exchanges.push(read_after);
            }
            let broken = Broken {
                expected: format!("{name} to stay {current}"),
                got: format!(
                    "{name} is {}",
                    now.map_or("missing".into(), |v| v.to_string())
                ),
                exchanges,
            };
            return Some(outcome_of(
                ctx,
                Err((broken, Some(name), Some(show(&value)))),
            ));
        }
        cases += 1;
    }
    if cases == 0 {
        None
    } else {
        Some(Outcome::Passed { cases })
    }
}

/// Read-only fields of the success body (of the read operation, or of this one).
fn read_only_fields(ctx: &Context, operation: &Operation) -> Vec<Field> {
    let read = operation.rules.iter().find_map(|r| match r {
        Rule::ReadAfterWrite { read } if read != "self" => ctx.operation(read),
        _ => None,
    });
    let source = read.unwrap_or(operation);
    let mut found = Vec::new();
    for response in source.responses.iter().filter(|r| r.status.is_success()) {
        if let Some(ty) = response.json_type() {
            collect_read_only(ctx, ty, &mut found, 0);
        }
    }
    found
}

fn collect_read_only(ctx: &Context, ty: &TypeRef, found: &mut Vec<Field>, depth: usize) {
    if depth > 3 {
        return;
    }
    let Some(def) = struct_of(&ctx.api, ty) else {
        return;
    };
    for field in &def.fields {
        if field.read_only
            && field.name != "id"
            && !found.iter().any(|f: &Field| f.name == field.name)
        {
            found.push(field.clone());
        }
        collect_read_only(ctx, &field.ty, found, depth + 1);
    }
}

fn read_after_write(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    if !operation
        .rules
        .iter()
        .any(|r| matches!(r, Rule::ReadAfterWrite { .. }))
    {
        return None;
    }
    let base = match caller_draft(ctx, operation) {
        Ok(draft) => draft,
        Err(skip) => return Some(skip),
    };
    let (state, _) = match read_state(ctx, operation, Actor::Caller, Subject::Caller) {
        Ok(state) => state,
        Err(reason) => return Some(Outcome::Skipped { reason }),
    };
    let targets: Vec<FieldTarget> = field_targets(ctx, operation)
        .into_iter()
        .filter(|t| {
            t.can_change
                && matches!(t.slot, Slot::Body(_))
                && find_key(&state, t.name()).is_some()
                && t.shape.valid_strategy().is_some()
        })
        .collect();
    if targets.is_empty() {
        return None;
    }
    let mut cases = 0;
    for target in &targets {
        let name = target.name().to_owned();
        let Some(strategy) = target.shape.valid_strategy() else {
            continue;
        };
        let outcome = check_property(
            ctx.seed,
            &["CF304", &operation.id, &name],
            ctx.cases.min(5),
            strategy,
            |value: &Value| {
                let mut draft = base.clone();
                target.set(&mut draft, value);
                let write = ctx.send(operation, &draft.build());
                accepted(&write)?;
                let (after, read) = if reads_itself(operation) {
                    // The answer to the write is the stored state; an update that leaves the
                    // field out (when it may) must show it still.
                    let mut exchanges = vec![write.clone()];
                    let mut shown = write.response.as_ref().ok().and_then(|r| r.json());
                    if !target.required {
                        let again = ctx.send(operation, &base.build());
                        shown = again.response.as_ref().ok().and_then(|r| r.json());
                        exchanges.push(again);
                    }
                    (shown.unwrap_or(Value::Null), exchanges)
                } else {
                    match read_state(ctx, operation, Actor::Caller, Subject::Caller) {
                        Ok((state, read)) => (state, vec![write.clone(), read]),
                        Err(reason) => {
                            return Err(Broken {
                                expected: "a readable state".into(),
                                got: reason,
                                exchanges: vec![write.clone()],
                            });
                        }
                    }
                };
                let now = find_key(&after, &name);
                let format = target.shape.constraints.format.as_deref();
                let same = match (now, value) {
                    (Some(now), value) if now == value => true,
                    (Some(Value::String(now)), value) => {
                        crate::values::same_value(format, now, &form_text(value))
                    }
                    _ => false,
                };
                if same {
                    Ok(())
                } else {
                    let mut exchanges = vec![];
                    exchanges.extend(read);
                    Err(Broken {
                        expected: format!("{name} to read back as {}", show(value)),
                        got: format!("{name} is {}", now.map_or("missing".into(), show)),
                        exchanges,
                    })
                }
            },
        );
        match outcome {
            PropertyOutcome::Held { cases: n } => cases += n,
            other => return Some(property_outcome(ctx, other, Some(name), show)),
        }
    }
    Some(Outcome::Passed { cases })
}

/// A value another user holds is refused: as a validation error naming the field, or as 409
/// Conflict where the operation documents one (the usual answer for a uniqueness clash).
fn taken_rejection(
    ctx: &Context,
    operation: &Operation,
    exchange: &Exchange,
    field: &str,
) -> Result<(), Broken> {
    let conflict = operation
        .responses
        .iter()
        .any(|r| r.status == generator::model::StatusSpec::Code(409));
    if conflict && exchange.status() == Some(409) {
        return Ok(());
    }
    rejected_naming(ctx, exchange, field).map_err(|broken| {
        if conflict {
            Broken {
                expected: format!("409, or {}", broken.expected),
                ..broken
            }
        } else {
            broken
        }
    })
}

fn unique(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let body = ctx
        .preferred_content(operation)
        .and_then(|c| ctx.body_struct(c))?;
    let field = body.fields.iter().find(|f| f.unique)?;
    if ctx.credentials.other_user_id.is_none() || ctx.credentials.other_token.is_none() {
        return Some(Outcome::Skipped {
            reason: "needs the other user's id and token (--other-user-id, --other-token)".into(),
        });
    }
    let (theirs, read) = match read_state(ctx, operation, Actor::Other, Subject::Other) {
        Ok(state) => state,
        Err(reason) => return Some(Outcome::Skipped { reason }),
    };
    let Some(value) = find_key(&theirs, &field.name)
        .filter(|v| !v.is_null())
        .cloned()
    else {
        return Some(Outcome::Skipped {
            reason: format!("the other user's {} could not be read", field.name),
        });
    };
    let mut draft = match caller_draft(ctx, operation) {
        Ok(draft) => draft,
        Err(skip) => return Some(skip),
    };
    draft.fields.insert(field.name.clone(), value.clone());
    let exchange = ctx.send(operation, &draft.build());
    Some(outcome_of(
        ctx,
        taken_rejection(ctx, operation, &exchange, &field.name)
            .map(|()| 1)
            .map_err(|b| {
                (
                    Broken {
                        exchanges: vec![read, exchange.clone()],
                        ..b
                    },
                    Some(field.name.clone()),
                    Some(format!("the other user's {} {}", field.name, show(&value))),
                )
            }),
    ))
}

fn destructive(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let rule = operation.rules.iter().find_map(|r| match r {
        Rule::Destructive { then, status } => Some((then.clone(), *status)),
        _ => None,
    });
    if rule.is_none() && operation.method != Method::Delete {
        return None;
    }
    if !ctx.destructive {
        return Some(Outcome::Skipped {
            reason: "destroys data: runs only with --destructive (on --other-user-id)".into(),
        });
    }
    // Only the other user's data is destroyed: by the caller where the API allows deleting
    // others, else by the other user themself (owner-only operations).
    let actor = if operation
        .rules
        .iter()
        .any(|r| matches!(r, Rule::OwnerOnly { .. }))
    {
        Actor::Other
    } else {
        Actor::Caller
    };
    let draft = match ctx.draft(operation, actor, Subject::Other, &CredentialMode::Valid) {
        Ok(draft) => draft,
        Err(reason) => return Some(Outcome::Skipped { reason }),
    };
    let delete = ctx.send(operation, &draft.build());
    if let Err(broken) = accepted(&delete) {
        return Some(outcome_of(ctx, Err((broken, None, None))));
    }
    // A plain DELETE: the spec names no read that shows the loss.
    let Some((then, status)) = rule else {
        return Some(Outcome::Passed { cases: 1 });
    };
    let Some(then_op) = ctx.operation(&then) else {
        return Some(Outcome::Skipped {
            reason: format!("no operation {then}"),
        });
    };
    // The caller asks after it: an unknown id answers the documented status (the deleted
    // user's own credentials may be gone with them).
    let after = match ctx.draft(
        then_op,
        Actor::Caller,
        Subject::Other,
        &CredentialMode::Valid,
    ) {
        Ok(draft) => ctx.send(then_op, &draft.build()),
        Err(reason) => return Some(Outcome::Skipped { reason }),
    };
    Some(outcome_of(
        ctx,
        expect_status(&after, status).map(|()| 2).map_err(|b| {
            (
                Broken {
                    exchanges: vec![delete, after.clone()],
                    ..b
                },
                None,
                None,
            )
        }),
    ))
}

fn throttle_status(operation: &Operation) -> Option<u16> {
    operation.rules.iter().find_map(|r| match r {
        Rule::Throttle { status, .. } => Some(*status),
        _ => None,
    })
}

/// The most calls CF307 makes before it decides a limit is not enforced.
const THROTTLE_ATTEMPTS: usize = 50;

/// Calls as the other user (whose quota it may use up) until the throttle status comes.
fn throttle(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let status = throttle_status(operation)?;
    if ctx.credentials.other_token.is_none() {
        return Some(Outcome::Skipped {
            reason: "uses up a quota, so it runs as the other user: needs --other-token".into(),
        });
    }
    let draft = match ctx.draft(
        operation,
        Actor::Other,
        Subject::Other,
        &CredentialMode::Valid,
    ) {
        Ok(draft) => draft,
        Err(reason) => return Some(Outcome::Skipped { reason }),
    };
    let mut last = None;
    for attempt in 1..=THROTTLE_ATTEMPTS {
        let exchange = ctx.send(operation, &draft.build());
        match exchange.status() {
            // The limit held only if calls were accepted before it: a server that throttles
            // the first call (or every call) shows no limit at all.
            Some(got) if got == status && last.is_some() => {
                *ctx.quota_used_by.borrow_mut() = Some(operation.id.clone());
                return Some(Outcome::Passed { cases: attempt });
            }
            // Operations that share a quota (rpc's upload and its alias): this run used it
            // up already, so this one cannot show its limit.
            Some(got) if got == status && attempt == 1 => {
                if let Some(earlier) = ctx.quota_used_by.borrow().as_ref() {
                    return Some(Outcome::Skipped {
                        reason: format!(
                            "the other user's quota was used up by CF307 on {earlier} earlier in this run (the operations share it)"
                        ),
                    });
                }
                let broken = Broken {
                    expected: format!("2xx until the limit, then {status}"),
                    got: format!("{} on the first call", describe(&exchange)),
                    exchanges: vec![exchange],
                };
                return Some(outcome_of(ctx, Err((broken, None, Some("call 1".into())))));
            }
            Some(got) if (200..300).contains(&got) => last = Some(exchange),
            _ => {
                let broken = Broken {
                    expected: format!("2xx until the limit, then {status}"),
                    got: describe(&exchange),
                    exchanges: vec![exchange],
                };
                return Some(outcome_of(
                    ctx,
                    Err((broken, None, Some(format!("call {attempt}")))),
                ));
            }
        }
    }
    let broken = Broken {
        expected: format!("{status} within {THROTTLE_ATTEMPTS} calls"),
        got: format!("{THROTTLE_ATTEMPTS} calls accepted"),
        exchanges: last.into_iter().collect(),
    };
    Some(outcome_of(
        ctx,
        Err((
            broken,
            None,
            Some(format!("{THROTTLE_ATTEMPTS} calls as the other user")),
        )),
    ))
}

// ---------------------------------------------------------------------------------------
// Bodies a server must refuse politely

fn body_errors(ctx: &Context, operation: &Operation, check: Check) -> Option<Outcome> {
    let body = operation.body.as_ref()?;
    let lists = |kind: MediaKind| body.contents.iter().any(|c| c.kind == kind);
    let envelope = ctx.api.error_envelope.as_ref();
    let body_error = envelope.and_then(|e| e.body_error_status);
    let (content_type, bytes, expected): (String, Vec<u8>, Option<u16>) = match check.id {
        "CF501" if lists(MediaKind::Json) => (
            "application/json".into(),
            b"{\"first_name\": \"unterminated".to_vec(),
            Some(body_error.unwrap_or(400)),
        ),
        // Invalid UTF-8 is a 400 everywhere, FastAPI's `body-error-status` included
        // (shared/dialects.md: "a body that is not valid UTF-8 400").
        "CF502" if lists(MediaKind::Json) => (
            "application/json".into(),
            b"{\"first_name\": \"\xff\xfe\xfd\"}".to_vec(),
            Some(400),
        ),
        "CF502" if lists(MediaKind::Form) => (
            "application/x-www-form-urlencoded".into(),
            b"first_name=\xff\xfe".to_vec(),
            Some(400),
        ),
        "CF503" if !lists(MediaKind::Text) => (
            "text/plain".into(),
            b"conformance".to_vec(),
            Some(body_error.unwrap_or(415)),
        ),
        "CF504" => {
            let (content_type, mut bytes) = if lists(MediaKind::Json) {
                ("application/json", b"{\"pad\": \"".to_vec())
            } else if lists(MediaKind::Form) {
                ("application/x-www-form-urlencoded", b"pad=".to_vec())
            } else {
                return None;
            };
            bytes.resize(1024 * 1024 + 64, b'a');
            if content_type == "application/json" {
                bytes.extend_from_slice(b"\"}");
            }
            (content_type.into(), bytes, Some(413))
        }
        _ => return None,
    };
    let draft = match caller_draft(ctx, operation) {
        Ok(draft) => draft,
        Err(skip) => return Some(skip),
    };
    let mut request = draft.build();
    let size = bytes.len();
    request.body = Body::Raw {
        content_type: content_type.clone(),
        bytes: bytes.into(),
    };
    let exchange = ctx.send(operation, &request);
    let result = match (exchange.status(), expected) {
        (Some(status), Some(expected)) if envelope.is_some() && status == expected => Ok(1),
        (Some(status), _) if envelope.is_none() && (400..500).contains(&status) => Ok(1),
        _ => Err((
            Broken {
                expected: expected
                    .filter(|_| envelope.is_some())
                    .map_or("a 4xx".into(), |s| s.to_string()),
                got: status_of(&exchange),
                exchanges: vec![exchange],
            },
            None,
            Some(format!("{size} bytes of {content_type}")),
        )),
    };
    Some(outcome_of(ctx, result))
}
