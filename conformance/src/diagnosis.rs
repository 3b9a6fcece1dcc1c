//! Diagnosis before verdicts: one valid request as the caller, before any check, shows that
//! the target is the API it claims to be. Credentials refused, the caller's own resource not
//! found, a route that does not exist: the run stops there (exit 2) with one line that says
//! what is wrong and which flag or variable to check, instead of a report in which checks
//! "pass" on answers that show the target is not the API at all.

use generator::model::{Method, Operation};
use generator::spec::ext::Rule;

use crate::context::{Actor, Context, CredentialMode, Subject};
use crate::secrets::CredentialKind;

/// Why the target is not the API (one line), or `Ok` when the valid request went through (or
/// no operation could be tried: the checks then say why they skip).
pub fn diagnose(ctx: &Context) -> Result<(), String> {
    let Some(operation) = probe_operation(ctx) else {
        return Ok(());
    };
    let Ok(draft) = ctx.draft(
        operation,
        Actor::Caller,
        Subject::Caller,
        &CredentialMode::Valid,
    ) else {
        return Ok(());
    };
    let exchange = ctx.send(operation, &draft.build());
    let Ok(response) = &exchange.response else {
        // Timeouts and resets are the checks' to report (CF500).
        return Ok(());
    };
    let what = format!(
        "a valid request as the caller ({} {} {}) answered {}",
        operation.id,
        operation.method.as_str(),
        exchange.request.path,
        response.status
    );
    let body = ctx.redactor.redact_clipped(&response.text(), 120);
    match response.status {
        401 | 403 => Err(format!(
            "the target refused the credentials: {what} {body}; check {}",
            credential_hints(ctx, operation)
        )),
        404 | 405 if names_a_known_place(operation) => Err(format!(
            "the target does not look like this API: {what} {body}; check --base-url (it must include any prefix such as /api/v1){}",
            if ctx.credentials.user_id.is_some() && !operation.parameters.is_empty() {
                " and --user-id (CONFORMANCE_USER_ID): the caller's own id"
            } else {
                ""
            }
        )),
        _ => Ok(()),
    }
}

/// Whether a 404 of a valid request shows a wrong target: the operation's path is fixed, or
/// the spec says its id is the caller's (a plain spec's `{id}` may name anything).
fn names_a_known_place(operation: &Operation) -> bool {
    let fixed = !operation
        .parameters
        .iter()
        .any(|p| p.location == generator::model::ParameterLocation::Path);
    fixed
        || operation.rules.iter().any(|rule| {
            matches!(
                rule,
                Rule::OwnerOnly { .. } | Rule::TargetMustExist { .. } | Rule::ActsOnCaller
            )
        })
}

/// The operation to try: a read if there is one, else any operation a valid request of the
/// caller cannot harm (nothing destroyed, no quota used, no proof the harness cannot make).
fn probe_operation(ctx: &Context) -> Option<&Operation> {
    let harmless = |operation: &&Operation| {
        operation.method != Method::Delete
            && !operation.rules.iter().any(|rule| {
                matches!(
                    rule,
                    Rule::Destructive { .. } | Rule::Throttle { .. } | Rule::VerifiedToken { .. }
                )
            })
    };
    let operations = || ctx.api.operations.iter().filter(harmless);
    operations()
        .find(|o| o.method == Method::Get && !ctx.required_schemes(o).is_empty())
        .or_else(|| operations().find(|o| !ctx.required_schemes(o).is_empty()))
        .or_else(|| operations().find(|o| o.method == Method::Get))
}

/// The flags and variables of the credentials an operation needs.
fn credential_hints(ctx: &Context, operation: &Operation) -> String {
    let mut hints: Vec<&str> = ctx
        .required_schemes(operation)
        .into_iter()
        .map(|scheme| match CredentialKind::of(scheme) {
            CredentialKind::ApiKey => "--api-key (CONFORMANCE_API_KEY)",
            CredentialKind::Token => "--token (CONFORMANCE_TOKEN)",
            CredentialKind::Tenant => "--tenant (CONFORMANCE_TENANT)",
        })
        .collect();
    hints.dedup();
    if hints.is_empty() {
        "the credentials".into()
    } else {
        hints.join(" and ")
    }
}
