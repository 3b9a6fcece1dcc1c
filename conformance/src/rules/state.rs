//! What the server stores: privileged and read-only fields, read-after-write, uniqueness,
//! throttling, and operations that destroy data (checked without destroying the caller's).

use super::*;

/// The stored state as the API shows it, and the exchanges that read it: the read operation
/// of the read-after-write rule, or (for `read: self` and no rule) the operation itself sent
/// unchanged.
pub(super) fn read_state(
    ctx: &Context,
    operation: &Operation,
    actor: Actor,
    subject: Subject,
) -> Result<(Value, Exchange), String> {
    let read = read_of(ctx, operation);
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

/// The operation whose answer shows what `operation` stored: the read of its read-after-write
/// rule; for a plain spec's PUT or PATCH of an item the harness can create, the GET of the
/// same item; else the operation itself.
pub(super) fn read_of<'c>(ctx: &'c Context, operation: &'c Operation) -> &'c Operation {
    let ruled = operation.rules.iter().find_map(|r| match r {
        Rule::ReadAfterWrite { read } if read != "self" => ctx.operation(read),
        _ => None,
    });
    if let Some(read) = ruled {
        return read;
    }
    if ctx.dialect.is_none()
        && matches!(operation.method, Method::Put | Method::Patch)
        && let Some(resource) = ctx
            .resource_at(operation)
            .filter(|r| r.read.path == operation.path)
    {
        return resource.read;
    }
    operation
}

pub(super) fn reads_itself(ctx: &Context, operation: &Operation) -> bool {
    read_of(ctx, operation).id == operation.id
}

/// Whether a stored value reads back as the one written: objects hold every key written
/// (a server may add its own), `null` reads back as null or absent, numbers by value, and a
/// string by meaning where its format allows other spellings (`same_value`).
pub(super) fn reads_back(format: Option<&str>, written: &Value, now: Option<&Value>) -> bool {
    match (written, now) {
        (Value::Null, None | Some(Value::Null)) => true,
        (_, None) => false,
        (Value::Object(written), Some(Value::Object(now))) => written
            .iter()
            .all(|(key, value)| reads_back(None, value, now.get(key))),
        (Value::Array(written), Some(Value::Array(now))) => {
            written.len() == now.len()
                && written
                    .iter()
                    .zip(now)
                    .all(|(w, n)| reads_back(None, w, Some(n)))
        }
        (Value::Number(a), Some(Value::Number(b))) => a.as_f64() == b.as_f64(),
        (written, Some(now)) if written == now => true,
        (written, Some(Value::String(now))) => {
            crate::values::same_value(format, now, &form_text(written))
        }
        _ => false,
    }
}

/// A different value of the same type, for a field the server must ignore.
pub(super) fn altered(current: Option<&Value>, ty: &TypeRef, shape: &FieldShape) -> Value {
    match (current, ty) {
        (Some(Value::Bool(b)), _) => Value::Bool(!b),
        (_, TypeRef::Boolean) => Value::Bool(true),
        (Some(Value::Number(n)), _) => Value::from(n.as_i64().unwrap_or(0) + 424_242),
        (_, TypeRef::Integer(_) | TypeRef::Number) => Value::from(424_242),
        _ => changed_value(shape, current, "ignored")
            .unwrap_or_else(|| Value::String("conformance-altered".into())),
    }
}

pub(super) fn ignored_fields(
    ctx: &Context,
    operation: &Operation,
    privileged: bool,
) -> Option<Outcome> {
    if !privileged
        && ctx.dialect.is_none()
        && let Some(resource) = resource_of(&ctx.api, operation)
    {
        return read_only_on_create(ctx, &resource);
    }
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
        read_only_fields(&ctx.api, operation)
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
        let (after, read_after) = if reads_itself(ctx, operation) {
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

/// CF303 on a plain spec's create: each read-only field of the created resource (its id
/// included) sent with a value of the client's; the server must refuse it (a 4xx) or set its
/// own, in its answer and in the resource read back.
fn read_only_on_create(ctx: &Context, resource: &Resource) -> Option<Outcome> {
    let create = resource.create;
    let fields: Vec<&Field> = create
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .filter_map(|r| struct_of(&ctx.api, r.json_type()?))
        .flat_map(|def| def.fields.iter().filter(|f| f.read_only))
        .collect();
    if fields.is_empty() {
        return None;
    }
    let base = match caller_draft(ctx, create) {
        Ok(draft) => draft,
        Err(skip) => return Some(skip),
    };
    let mut cases = 0;
    for field in fields {
        let name = field.name.clone();
        let shape = FieldShape::new(&ctx.api, &name, &field.ty, &field.constraints);
        let value = altered(None, &field.ty, &shape);
        let format = shape.constraints.format.as_deref();
        let mut draft = base.clone();
        draft.fields.insert(name.clone(), value.clone());
        let write = ctx.send(create, &draft.build());
        match write.status() {
            Some(400..=499) => {
                ctx.observe(format!("{name} sent → {} (refused)", status_of(&write)));
                cases += 1;
                continue;
            }
            Some(200..=299) => {}
            _ => {
                let broken = Broken {
                    expected: format!("a 2xx that ignores the read-only {name}, or a 4xx"),
                    got: describe(&write),
                    exchanges: vec![write],
                };
                return Some(outcome_of(
                    ctx,
                    Err((broken, Some(name), Some(show(&value)))),
                ));
            }
        }
        let shows_sent = |body: Option<Value>| {
            body.and_then(|body| body.get(&name).cloned())
                .is_some_and(|now| reads_back(format, &value, Some(&now)))
        };
        let mut kept = shows_sent(write.response.as_ref().ok().and_then(|r| r.json()));
        let mut exchanges = vec![write.clone()];
        if let Some(id) = created_id(&write, &resource.id)
            && let Ok(read) = ctx.draft_at(resource.read, &resource.id, &id)
        {
            let read = ctx.send(resource.read, &read.build());
            kept |= shows_sent(
                read.response
                    .as_ref()
                    .ok()
                    .filter(|r| (200..300).contains(&r.status))
                    .and_then(|r| r.json()),
            );
            exchanges.push(read);
        }
        if kept {
            let broken = Broken {
                expected: format!("{name} set by the server (it is read-only)"),
                got: format!("{name} is {}, the value sent", show(&value)),
                exchanges,
            };
            return Some(outcome_of(
                ctx,
                Err((broken, Some(name), Some(show(&value)))),
            ));
        }
        cases += 1;
    }
    Some(Outcome::Passed { cases })
}

/// Read-only fields of the success body (of the read operation, or of this one).
/// The read-only fields the stored state shows (the read of the read-after-write rule, or
/// the operation's own 2xx bodies); the id aside.
pub(crate) fn read_only_fields(api: &Api, operation: &Operation) -> Vec<Field> {
    let read = operation.rules.iter().find_map(|r| match r {
        Rule::ReadAfterWrite { read } if read != "self" => {
            api.operations.iter().find(|o| &o.id == read)
        }
        _ => None,
    });
    let source = read.unwrap_or(operation);
    let mut found = Vec::new();
    for response in source.responses.iter().filter(|r| r.status.is_success()) {
        if let Some(ty) = response.json_type() {
            collect_read_only(api, ty, &mut found, 0);
        }
    }
    found
}

fn collect_read_only(api: &Api, ty: &TypeRef, found: &mut Vec<Field>, depth: usize) {
    if depth > 3 {
        return;
    }
    let Some(def) = struct_of(api, ty) else {
        return;
    };
    for field in &def.fields {
        if field.read_only
            && field.name != "id"
            && !found.iter().any(|f: &Field| f.name == field.name)
        {
            found.push(field.clone());
        }
        collect_read_only(api, &field.ty, found, depth + 1);
    }
}

pub(super) fn read_after_write(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let ruled = operation
        .rules
        .iter()
        .any(|r| matches!(r, Rule::ReadAfterWrite { .. }));
    // A plain spec states no rule, but a PUT or PATCH of an item beside its GET is read
    // back through that GET (a written field must read back as written).
    let plain = !ruled && ctx.dialect.is_none() && !reads_itself(ctx, operation);
    if !ruled && !plain {
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
                && !t.item
                && matches!(t.slot, Slot::Body(_))
                && (plain || find_key(&state, t.name()).is_some())
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
                let (after, read) = if reads_itself(ctx, operation) {
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
                if now.is_some() && reads_back(format, value, now) {
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
pub(super) fn taken_rejection(
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

/// CF305, for every field that must be unique.
pub(super) fn unique(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let body = ctx
        .preferred_content(operation)
        .and_then(|c| ctx.body_struct(c))?;
    each(body.fields.iter().filter(|f| f.unique), |field| {
        one_unique(ctx, operation, field)
    })
}

fn one_unique(ctx: &Context, operation: &Operation, field: &Field) -> Option<Outcome> {
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

pub(super) fn destructive(ctx: &Context, operation: &Operation) -> Option<Outcome> {
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

pub(super) fn throttle_status(operation: &Operation) -> Option<u16> {
    operation.rules.iter().find_map(|r| match r {
        Rule::Throttle { status, .. } => Some(*status),
        _ => None,
    })
}

/// The most calls CF307 makes before it decides a limit is not enforced.
pub(super) const THROTTLE_ATTEMPTS: usize = 50;

/// Calls as the other user (whose quota it may use up) until the throttle status comes.
pub(super) fn throttle(ctx: &Context, operation: &Operation) -> Option<Outcome> {
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

/// How an operation destroys data: declared by an x-rules `destructive` rule (which names
/// the read that shows the loss), or a plain DELETE that the spec says nothing more about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Destroys {
    Declared,
    PlainDelete,
}

pub(super) fn destroys(operation: &Operation) -> Option<Destroys> {
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

pub(super) const PLAIN_DELETE: &str =
    "DELETE destroys data: sent only with --destructive, and then only to --other-user-id";

/// The checks of an operation that destroys data, none of which may destroy the caller's:
/// credentials (missing, wrong) and ownership are tried on the other user's id, and a read
/// afterwards shows that nothing was deleted; an unknown id destroys nothing; the real
/// deletion (CF306) only with `--destructive`, on the other user. A plain DELETE of a spec
/// with no rule for it is not sent at all without `--destructive`.
pub(super) fn run_destructive(
    ctx: &Context,
    operation: &Operation,
    check: Check,
    kind: Destroys,
) -> Option<Outcome> {
    if kind == Destroys::PlainDelete && !ctx.destructive {
        // A resource the harness created itself may be asked to be deleted without
        // credentials (a refusal expected) and named by an id no one has; nothing else.
        let own = ctx.dialect.is_none()
            && ctx.credentials.user_id.is_none()
            && ctx.resource_at(operation).is_some();
        return match check {
            Check::CredentialMissing | Check::CredentialWrong if own => {
                credentials(ctx, operation, check, Subject::Caller)
            }
            Check::TargetExists if own => target_exists(ctx, operation),
            Check::Destructive => Some(Outcome::Skipped {
                reason: PLAIN_DELETE.into(),
            }),
            _ => None,
        };
    }
    let outcome = match check {
        Check::CredentialMissing | Check::CredentialWrong => {
            credentials(ctx, operation, check, Subject::Other)?
        }
        Check::Ownership => ownership(ctx, operation)?,
        Check::TargetExists => return target_exists(ctx, operation),
        Check::Destructive => return destructive(ctx, operation),
        _ => return None,
    };
    Some(nothing_destroyed(ctx, operation, outcome))
}

/// After refused requests of a destructive operation on the other user: the other user is
/// still there (read by the caller through the rule's `then` operation).
pub(super) fn nothing_destroyed(ctx: &Context, operation: &Operation, outcome: Outcome) -> Outcome {
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

/// A resource the API lets a client create and then address by id: the create (`POST P`),
/// and the operations on `P/{id}`.
pub(crate) struct Resource<'a> {
    pub create: &'a Operation,
    pub id: String,
    pub read: &'a Operation,
    pub update: Option<&'a Operation>,
    pub delete: Option<&'a Operation>,
}

/// The resource `create` makes, if the spec has a read of `its path/{id}`.
pub(crate) fn resource_of<'a>(api: &'a Api, create: &'a Operation) -> Option<Resource<'a>> {
    if create.method != Method::Post || create.path.ends_with('}') {
        return None;
    }
    let prefix = format!("{}/{{", create.path.trim_end_matches('/'));
    let item = |method: Method| {
        api.operations.iter().find(|o| {
            o.method == method
                && o.path.starts_with(&prefix)
                && o.path.ends_with('}')
                && !o.path[prefix.len()..].contains('/')
        })
    };
    let read = item(Method::Get)?;
    let id = read.path[prefix.len()..read.path.len() - 1].to_owned();
    Some(Resource {
        create,
        id,
        read,
        update: item(Method::Put).or_else(|| item(Method::Patch)),
        delete: item(Method::Delete),
    })
}

/// CF308: the life of a resource the harness creates itself: create → read → update → read
/// → update with nulls → read → delete → read (the deleted resource answers 404 or 410), and
/// an id no one created is not found. It deletes only what it created, so it needs no
/// --destructive. A broken life is shrunk as a sequence: the phases it can do without are left
/// out, and the shortest sequence that breaks at the same step is the one reported (replayed
/// whole, every request in order).
pub(super) fn lifecycle(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let resource = resource_of(&ctx.api, operation)?;
    let cases = match one_life(ctx, &resource, Phases::ALL) {
        Life::Lived(cases) => cases,
        Life::Skipped(reason) => return Some(Outcome::Skipped { reason }),
        Life::Broke(broke) => {
            let shortest = Phases::ALL
                .smaller()
                .into_iter()
                .filter_map(|phases| match one_life(ctx, &resource, phases) {
                    Life::Broke(again) if again.step == broke.step => Some(again),
                    _ => None,
                })
                .min_by_key(|again| again.broken.exchanges.len())
                .filter(|again| again.broken.exchanges.len() < broke.broken.exchanges.len())
                .unwrap_or(broke);
            return Some(outcome_of(ctx, Err((shortest.broken, None, None))));
        }
    };
    // An id no one created.
    let Ok(draft) = ctx.draft_at(resource.read, &resource.id, "conformance-no-such-id-0") else {
        return Some(Outcome::Passed { cases });
    };
    let missing = ctx.send(resource.read, &draft.build());
    if !matches!(missing.status(), Some(400..=499)) || missing.status() == Some(409) {
        let broken = Broken {
            expected: "a 4xx (404) for an id no one created".into(),
            got: describe(&missing),
            exchanges: vec![missing],
        };
        return Some(outcome_of(ctx, Err((broken, None, None))));
    }
    Some(Outcome::Passed { cases: cases + 1 })
}

/// The optional phases of a resource's life (the create is always there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Phases {
    read: bool,
    update: bool,
    nulls: bool,
    delete: bool,
}

impl Phases {
    const ALL: Phases = Phases {
        read: true,
        update: true,
        nulls: true,
        delete: true,
    };

    /// Every proper subset of these phases.
    fn smaller(self) -> Vec<Phases> {
        let on = [self.read, self.update, self.nulls, self.delete];
        (0u8..16)
            .map(|bits| Phases {
                read: on[0] && bits & 1 != 0,
                update: on[1] && bits & 2 != 0,
                nulls: on[2] && bits & 4 != 0,
                delete: on[3] && bits & 8 != 0,
            })
            .filter(|phases| *phases != self)
            .collect()
    }
}

enum Life {
    Lived(usize),
    Skipped(String),
    Broke(Broke),
}

/// Where a life broke (the step, for shrinking: a shorter life must break at the same step)
/// and how.
struct Broke {
    step: &'static str,
    broken: Broken,
}

/// One life of a new resource through the given phases.
fn one_life(ctx: &Context, resource: &Resource, phases: Phases) -> Life {
    let mut sequence: Vec<Exchange> = Vec::new();
    let broke = |step: &'static str, sequence: &[Exchange], expected: String, got: String| {
        Life::Broke(Broke {
            step,
            broken: Broken {
                expected,
                got,
                exchanges: sequence.to_vec(),
            },
        })
    };
    let create = match ctx.draft_own(resource.create) {
        Ok(draft) => ctx.send(resource.create, &draft.build()),
        Err(reason) => return Life::Skipped(reason),
    };
    sequence.push(create.clone());
    if accepted(&create).is_err() {
        return broke(
            "create",
            &sequence,
            "a 2xx for a valid create".into(),
            describe(&create),
        );
    }
    let Some(id) = created_id(&create, &resource.id) else {
        return broke(
            "created id",
            &sequence,
            format!(
                "the new resource's id: a Location header, or {} (or id) in the body",
                resource.id
            ),
            describe(&create),
        );
    };
    let send_at = |op: &Operation, sequence: &mut Vec<Exchange>| -> Option<Exchange> {
        let draft = ctx.draft_at(op, &resource.id, &id).ok()?;
        let exchange = ctx.send(op, &draft.build());
        sequence.push(exchange.clone());
        Some(exchange)
    };
    // The resource read back after a step, its answer as `held` wants it; `Err` is the end of
    // the life (a skip, or a break at `step`).
    let read_back = |step: &'static str,
                     held: fn(&Exchange) -> bool,
                     expected: String,
                     sequence: &mut Vec<Exchange>|
     -> Result<(), Life> {
        let Some(read) = send_at(resource.read, sequence) else {
            return Err(Life::Skipped(format!(
                "cannot draft a request of {}",
                resource.read.id
            )));
        };
        if held(&read) {
            Ok(())
        } else {
            Err(broke(step, sequence, expected, describe(&read)))
        }
    };
    let read_ok: fn(&Exchange) -> bool = |read| accepted(read).is_ok();
    let mut cases = 1;
    if phases.read {
        let expected = format!("the resource created with id {id} read back (2xx)");
        if let Err(end) = read_back("read", read_ok, expected, &mut sequence) {
            return end;
        }
        cases += 1;
    }
    if let Some(update) = resource.update.filter(|_| phases.update)
        && let Some(updated) = send_at(update, &mut sequence)
    {
        if accepted(&updated).is_err() {
            return broke(
                "update",
                &sequence,
                format!("a 2xx for a valid {}", update.id),
                describe(&updated),
            );
        }
        let expected = format!("the resource read back after {} (2xx)", update.id);
        if let Err(end) = read_back("read after update", read_ok, expected, &mut sequence) {
            return end;
        }
        cases += 2;
    }
    // Nullable fields set to null: a valid update, and the next read must still work.
    if let Some(update) = resource.update.filter(|_| phases.nulls) {
        let nullable: Vec<String> = ctx
            .preferred_content(update)
            .and_then(|c| ctx.body_struct(c))
            .map(|body| {
                body.fields
                    .iter()
                    .filter(|f| f.nullable && !f.read_only)
                    .map(|f| f.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        if !nullable.is_empty()
            && let Ok(mut draft) = ctx.draft_at(update, &resource.id, &id)
        {
            for name in &nullable {
                draft.fields.insert(name.clone(), Value::Null);
            }
            let nulled = ctx.send(update, &draft.build());
            sequence.push(nulled.clone());
            if accepted(&nulled).is_err() {
                return broke(
                    "update with nulls",
                    &sequence,
                    format!(
                        "a 2xx for {} with {} null (nullable)",
                        update.id,
                        nullable.join(", ")
                    ),
                    describe(&nulled),
                );
            }
            let expected = format!(
                "the resource read back after storing null in {}",
                nullable.join(", ")
            );
            if let Err(end) = read_back("read after nulls", read_ok, expected, &mut sequence) {
                return end;
            }
            cases += 2;
        }
    }
    if let Some(delete) = resource.delete.filter(|_| phases.delete)
        && let Some(deleted) = send_at(delete, &mut sequence)
    {
        if accepted(&deleted).is_err() {
            return broke(
                "delete",
                &sequence,
                format!("a 2xx for {} of what the harness created", delete.id),
                describe(&deleted),
            );
        }
        let gone: fn(&Exchange) -> bool = |read| matches!(read.status(), Some(404 | 410));
        let expected = "404 or 410 for the deleted resource".to_owned();
        if let Err(end) = read_back("read after delete", gone, expected, &mut sequence) {
            return end;
        }
        cases += 2;
    }
    Life::Lived(cases)
}

/// The id of a created resource: the last segment of `Location`, else the body's `{name}`
/// or `id` (a string or a number).
pub(crate) fn created_id(create: &Exchange, name: &str) -> Option<String> {
    let response = create.response.as_ref().ok()?;
    if !(200..300).contains(&response.status) {
        return None;
    }
    if let Some(location) = response.header("location") {
        let path = location.split(['?', '#']).next().unwrap_or_default();
        if let Some(last) = path.trim_end_matches('/').rsplit('/').next()
            && !last.is_empty()
        {
            return Some(last.to_owned());
        }
    }
    let body = response.json()?;
    [name, "id"].iter().find_map(|key| match body.get(*key)? {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_written_value_reads_back_key_by_key() {
        let written = json!({"name": "Rex", "owner": {"name": "Ann", "address": {"city": "Oslo"}}});
        // The server may add keys of its own.
        let stored = json!({"id": "p-1", "name": "Rex",
            "owner": {"name": "Ann", "address": {"city": "Oslo", "country": "NO"}}});
        assert!(reads_back(None, &written, Some(&stored)));
        // A nested object dropped is not what was written.
        let dropped = json!({"name": "Rex", "owner": {"name": "Ann"}});
        assert!(!reads_back(None, &written, Some(&dropped)));
        // null reads back as null or as nothing; a value does not read back as nothing.
        assert!(reads_back(None, &Value::Null, None));
        assert!(!reads_back(None, &json!(7), None));
        // Numbers by value, arrays item by item and of the same length.
        assert!(reads_back(None, &json!(2), Some(&json!(2.0))));
        assert!(!reads_back(None, &json!(["a"]), Some(&json!(["a", "b"]))));
        // A date-time by the instant it names.
        assert!(reads_back(
            Some("date-time"),
            &json!("2026-01-02T03:04:05Z"),
            Some(&json!("2026-01-02T04:04:05+01:00"))
        ));
    }

    #[test]
    fn smaller_phases_are_every_proper_subset() {
        let smaller = Phases::ALL.smaller();
        assert_eq!(smaller.len(), 15);
        assert!(!smaller.contains(&Phases::ALL));
        let none = Phases {
            read: false,
            update: false,
            nulls: false,
            delete: false,
        };
        assert!(smaller.contains(&none));
        assert!(none.smaller().is_empty());
    }
}
