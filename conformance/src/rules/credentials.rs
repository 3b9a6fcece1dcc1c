//! Who may do what to whom: credentials missing, wrong or valid, another user's resource,
//! an unknown id.

use super::*;

pub(super) fn credential_valid(ctx: &Context, operation: &Operation) -> Option<Outcome> {
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

pub(super) fn credentials(
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
        let modes: Vec<(CredentialMode, String)> = if check == Check::CredentialMissing {
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
            if exchange.status() == Some(401) {
                ctx.observe(format!("{input} → 401 {}", envelope_shape(&exchange)));
            }
            if let Err(broken) = expect_refusal(ctx, operation, &exchange) {
                return Some(outcome_of(ctx, Err((broken, None, Some(input)))));
            }
            cases += 1;
        }
    }
    Some(Outcome::Passed { cases })
}

pub(super) fn ownership(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let status = operation.rules.iter().find_map(|r| match r {
        Rule::OwnerOnly { status, .. } => Some(*status),
        _ => None,
    })?;
    Some(about_subject(
        ctx,
        operation,
        Subject::Other,
        Some(status),
        "the other user's id",
    ))
}

pub(super) fn target_exists(ctx: &Context, operation: &Operation) -> Option<Outcome> {
    let rule = operation.rules.iter().find_map(|r| match r {
        Rule::TargetMustExist { status, .. } => Some(*status),
        _ => None,
    });
    if rule.is_none() && (ctx.dialect.is_some() || ctx.subject_targets(operation).is_empty()) {
        return None;
    }
    // A plain spec states no status: its resource, named by an id no one has, is refused
    // with a 4xx (never a 2xx or a 5xx).
    let input = if rule.is_some() {
        "an id that names no user"
    } else {
        "an id no one has"
    };
    Some(about_subject(ctx, operation, Subject::Unknown, rule, input))
}

/// The caller's valid request about someone else's resource (or no one's) answers `status`,
/// or any 4xx where the spec names none.
pub(super) fn about_subject(
    ctx: &Context,
    operation: &Operation,
    subject: Subject,
    status: Option<u16>,
    input: &str,
) -> Outcome {
    let draft = match ctx.draft(operation, Actor::Caller, subject, &CredentialMode::Valid) {
        Ok(draft) => draft,
        Err(reason) => return Outcome::Skipped { reason },
    };
    let exchange = ctx.send(operation, &draft.build());
    let held = match status {
        Some(status) => exchange.status() == Some(status),
        None => matches!(exchange.status(), Some(400..=499)),
    };
    if held {
        ctx.observe(format!(
            "{input} → {} {}",
            exchange.status().unwrap_or_default(),
            envelope_shape(&exchange)
        ));
    }
    let result = match status {
        Some(status) => expect_status(&exchange, status),
        None if held => Ok(()),
        None => Err(Broken {
            expected: "a 4xx (404) for an id no one has".into(),
            got: describe(&exchange),
            exchanges: vec![exchange.clone()],
        }),
    };
    outcome_of(
        ctx,
        result
            .map(|()| 1)
            .map_err(|b| (b, None, Some(input.to_owned()))),
    )
}

/// An error body's shape as a behaviour matrix shows it: its keys, in order.
fn envelope_shape(exchange: &crate::http::Exchange) -> String {
    match exchange.response.as_ref().ok().and_then(|r| r.json()) {
        Some(Value::Object(map)) => {
            format!("{{{}}}", map.keys().cloned().collect::<Vec<_>>().join(", "))
        }
        Some(other) => format!("a JSON {}", if other.is_array() { "list" } else { "value" }),
        None => "no JSON body".into(),
    }
}

/// A request without its credentials is refused: with 401 where the spec says so (it
/// documents 401, or it is one of the project's dialects); else with 401 or 403 where it
/// documents 403; else with any 4xx (the security requirement is all a plain spec states).
fn expect_refusal(ctx: &Context, operation: &Operation, exchange: &Exchange) -> Result<(), Broken> {
    let documents = |code: u16| crate::applies::documents(operation, code);
    if ctx.api.error_envelope.is_some() || documents(401) {
        return expect_status(exchange, 401);
    }
    let with_403 = documents(403);
    let expected = if with_403 {
        "401 or 403 (documented)"
    } else {
        "a 4xx refusal"
    };
    match exchange.status() {
        Some(401 | 403) if with_403 => Ok(()),
        Some(status) if !with_403 && (400..500).contains(&status) => Ok(()),
        _ => Err(Broken {
            expected: expected.into(),
            got: describe(exchange),
            exchanges: vec![exchange.clone()],
        }),
    }
}
