//! Field rules: limits, patterns, formats, enums, keys, types, required fields, documented
//! messages and file parts, each on every field that has it.

use super::*;

pub(super) fn positive_data(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let targets: Vec<FieldTarget> = field_targets(ctx, operation)
        .into_iter()
        .filter(|t| t.can_change && !t.item && matches!(t.slot, Slot::Body(_)))
        .collect();
    let strategies: Vec<_> = targets
        .iter()
        .filter_map(|t| Some((t.clone(), t.shape.valid_strategy()?)))
        .collect();
    let base = match caller_draft(ctx, operation) {
        Ok(draft) => draft,
        Err(skip) => return Some(skip),
    };
    if strategies.is_empty() {
        // Nothing to vary: the one valid request, so that every operation is called and
        // its answer judged (status, content type, schema).
        let exchange = ctx.send(operation, &base.build());
        return Some(outcome_of(
            ctx,
            accepted(&exchange).map(|()| 1).map_err(|b| (b, None, None)),
        ));
    }
    let names: Vec<FieldTarget> = strategies.iter().map(|(t, _)| t.clone()).collect();
    let strategy = strategies
        .into_iter()
        .map(|(target, strategy)| {
            // A nullable field is sometimes sent as null: a valid value the server must take.
            let strategy = match target.slot {
                Slot::Body(field) if field.nullable => {
                    proptest::prop_oneof![3 => strategy, 1 => proptest::strategy::Just(Value::Null)]
                        .boxed()
                }
                _ => strategy,
            };
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

pub(super) fn property_outcome<T>(
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
pub(super) fn field_rule(ctx: &Context, operation: &Operation, check: Check) -> Option<Outcome> {
    let targets: Vec<FieldTarget> = field_targets(ctx, operation)
        .into_iter()
        .filter(|t| {
            let c = &t.shape.constraints;
            match check {
                Check::MaxLength => c.max_length.is_some() && t.shape.is_string(),
                Check::MinLength => c.min_length.is_some_and(|m| m > 0) && t.shape.is_string(),
                Check::Range => c.minimum.is_some() || c.maximum.is_some(),
                Check::Pattern => c.pattern.is_some(),
                Check::Format => c
                    .format
                    .as_deref()
                    .is_some_and(|f| crate::values::CHECKED_FORMATS.contains(&f)),
                Check::Enum => !t.shape.enumeration.is_empty(),
                Check::KeyOf => t.shape.keys.is_some(),
                Check::WrongType => true,
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
                // Say which limit was under test, next to the value that broke it.
                let input = input.map(|i| match limit_under_test(check, &target.shape) {
                    Some(limit) => format!("{i}; under test: {limit}"),
                    None => i,
                });
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

/// A probed value as a behaviour matrix shows it: a string by its length, anything else as
/// JSON (short).
fn boundary(value: &Value) -> String {
    match value {
        Value::String(text) if text.chars().count() > 12 => {
            format!("<{} characters>", text.chars().count())
        }
        other => {
            let text = other.to_string();
            if text.chars().count() > 40 {
                format!("{}…", text.chars().take(40).collect::<String>())
            } else {
                text
            }
        }
    }
}

/// A refusal as a behaviour matrix shows it: the status and the field's first message.
pub(super) fn refusal(ctx: &Context, exchange: &crate::http::Exchange, field: &str) -> String {
    let status = exchange
        .status()
        .map_or("no answer".into(), |s| s.to_string());
    let message = ctx.api.error_envelope.as_ref().and_then(|envelope| {
        let body = exchange.response.as_ref().ok()?.json()?;
        envelope::messages_for(&envelope.validation.body, &body, field)
            .into_iter()
            .next()
    });
    match message {
        Some(message) => format!("{status} {message:?}"),
        None => status,
    }
}

/// The constraint a field check tests, as the spec states it.
fn limit_under_test(check: Check, shape: &FieldShape) -> Option<String> {
    let c = &shape.constraints;
    match check {
        Check::MaxLength => c.max_length.map(|n| format!("maxLength {n}")),
        Check::MinLength => c.min_length.map(|n| format!("minLength {n}")),
        Check::Range => Some(format!(
            "minimum {} maximum {}",
            c.minimum.map_or("-".into(), |v| v.to_string()),
            c.maximum.map_or("-".into(), |v| v.to_string())
        )),
        Check::Pattern => c.pattern.as_ref().map(|p| format!("pattern {p}")),
        Check::Format => c.format.as_ref().map(|f| format!("format {f}")),
        Check::Enum => Some(format!("enum {}", shape.enumeration.join(", "))),
        _ => None,
    }
}

pub(super) type FieldResult = Result<usize, (Broken, Option<String>)>;

pub(super) fn one_field_rule(
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
        let exchange = send_with(&value);
        accepted(&exchange)
            .map(|()| {
                if matches!(check, Check::MaxLength | Check::MinLength | Check::Range) {
                    ctx.observe(format!("{name}={} accepted", boundary(&value)));
                }
                1
            })
            .map_err(|b| (b, Some(show(&value))))
    };
    let reject = |value: Value| -> FieldResult {
        let exchange = send_with(&value);
        rejected_naming(ctx, &exchange, &name)
            .map(|()| {
                ctx.observe(format!(
                    "{name}={} → {}",
                    boundary(&value),
                    refusal(ctx, &exchange, &name)
                ));
                1
            })
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
    match check {
        Check::MaxLength | Check::MinLength => {
            let c = &target.shape.constraints;
            let (limit, constraint) = if check == Check::MaxLength {
                (c.max_length, Constraint::MaxLength)
            } else {
                (c.min_length, Constraint::MinLength)
            };
            if target.can_change
                && let Some(text) = target.shape.string_of_length(limit.unwrap_or_default())
            {
                cases += accept(Value::String(text))?;
            }
            if let Some(value) = invalid(constraint) {
                cases += reject(value)?;
            }
        }
        Check::Range => {
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
        Check::Pattern | Check::Format | Check::Enum | Check::KeyOf => {
            let constraint = match check {
                Check::Pattern => Constraint::Pattern,
                Check::Format => Constraint::Format,
                Check::Enum => Constraint::Enum,
                _ => Constraint::KeyOf,
            };
            if target.can_change
                && let Some(strategy) = target.shape.valid_strategy()
            {
                let cases_here = ctx.cases.min(10);
                let outcome = check_property(
                    ctx.seed,
                    &[check.id(), &operation.id, &name],
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
        Check::WrongType => {
            let wrong = target.shape.invalid_values(target.typed(base));
            for (_, value) in wrong.into_iter().filter(|(c, _)| *c == Constraint::Type) {
                cases += reject(value)?;
            }
            // null where the schema does not allow it is a value of the wrong type too.
            if let Slot::Body(field) = target.slot
                && !field.nullable
                && !target.item
                && target.typed(base)
            {
                cases += reject(Value::Null)?;
            }
        }
        _ => {}
    }
    Ok(cases)
}

pub(super) fn required(ctx: &Context, operation: &Operation) -> Option<Outcome> {
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
        let judged = rejected_naming(ctx, &exchange, target.name());
        if judged.is_ok() {
            ctx.observe(format!(
                "{} left out → {}",
                target.name(),
                refusal(ctx, &exchange, target.name())
            ));
        }
        if let Err(broken) = judged {
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
pub(super) fn changed_value(
    shape: &FieldShape,
    current: Option<&Value>,
    salt: &str,
) -> Option<Value> {
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

/// CF121, for every `required-when-changed` rule of the operation.
pub(super) fn required_when_changed(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let rules = operation.rules.iter().filter_map(|r| match r {
        Rule::RequiredWhenChanged {
            fields,
            when_changed,
            ..
        } => Some((fields.clone(), when_changed.clone())),
        _ => None,
    });
    each(rules, |(fields, when_changed)| {
        one_required_when_changed(ctx, operation, fields, when_changed)
    })
}

fn one_required_when_changed(
    ctx: &Context,
    operation: &Operation,
    fields: Vec<String>,
    when_changed: String,
) -> Option<Outcome> {
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

/// CF122, for every `verified-token` rule of the operation.
pub(super) fn verified_token(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let rules = operation.rules.iter().filter_map(|r| match r {
        Rule::VerifiedToken {
            field, checksum, ..
        } => Some((field.clone(), checksum.clone())),
        _ => None,
    });
    each(rules, |(field, checksum)| {
        one_verified_token(ctx, operation, field, checksum)
    })
}

fn one_verified_token(
    ctx: &Context,
    operation: &Operation,
    field: String,
    checksum: String,
) -> Option<Outcome> {
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
pub(super) type FileFields<'o> = (
    &'o generator::model::BodyContent,
    Vec<(&'o Field, Vec<String>)>,
);

/// The file parts of an operation's multipart body: (field, the media types its encoding
/// lists, whether it is required). Only parts whose encoding lists media types the harness
/// can make real files of take part in the acceptance half.
pub(super) fn file_fields<'o>(
    ctx: &'o Context,
    operation: &'o Operation,
) -> Option<FileFields<'o>> {
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
        .map(|f| (f, crate::context::part_types(content, &f.name)))
        .collect();
    (!fields.is_empty()).then_some((content, fields))
}

/// CF115: multipart file parts. Every listed image type is accepted (the parts take turns
/// through the types, so three uploads cover them all); a part with text in it or a cut-off
/// image header is refused naming the part, and so is a required part left out.
pub(super) fn file_parts(ctx: &Context, operation: &Operation) -> Option<Outcome> {
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
pub(super) fn documented_messages(ctx: &Context, operation: &Operation) -> Option<Outcome> {
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
        .filter(|target| !target.item)
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

/// CF114 on a body that is a `oneOf`/`anyOf` as a whole: a body no variant admits (a JSON
/// list, and with a discriminator an object whose tag is not listed) is refused with a 4xx.
pub(super) fn union_body(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let content = operation
        .body
        .as_ref()?
        .contents
        .iter()
        .find(|c| c.kind == MediaKind::Json)?;
    let TypeRef::Named(name) = &content.ty else {
        return None;
    };
    let generator::model::TypeKind::Union(union) = &ctx.api.type_named(name)?.kind else {
        return None;
    };
    let base = match caller_draft(ctx, operation) {
        Ok(draft) => draft,
        Err(skip) => return Some(skip),
    };
    let mut bodies = vec![("a JSON list".to_owned(), serde_json::json!(["conformance"]))];
    if let Some(property) = &union.discriminator {
        bodies.push((
            format!("{property} = \"conformance-unknown\""),
            serde_json::json!({ property.as_str(): "conformance-unknown" }),
        ));
    }
    let mut cases = 0;
    for (what, body) in bodies {
        let mut request = base.build();
        request.body = Body::Json(body);
        let exchange = ctx.send(operation, &request);
        if !matches!(exchange.status(), Some(400..=499)) {
            return Some(outcome_of(
                ctx,
                Err((
                    Broken {
                        expected: "a 4xx for a body no variant of the oneOf admits".into(),
                        got: describe(&exchange),
                        exchanges: vec![exchange],
                    },
                    None,
                    Some(what),
                )),
            ));
        }
        ctx.observe(format!(
            "body {what} → {}",
            exchange.status().unwrap_or_default()
        ));
        cases += 1;
    }
    Some(Outcome::Passed { cases })
}
