//! The passive checks: they send nothing, they judge every exchange the active checks made.

use std::collections::BTreeMap;

use generator::model::{MediaKind, Operation, Response};

use crate::checks::{Check, Family};
use crate::context::Context;
use crate::envelope;
use crate::http::Exchange;
use crate::report::{Failure, Outcome, Step};
use crate::schema_check;

/// The passive checks, in report order.
pub fn checks() -> impl Iterator<Item = Check> {
    crate::checks::ALL
        .iter()
        .copied()
        .filter(|c| c.family() == Family::Passive)
}

/// What the passive checks found on one operation so far: a count of exchanges judged, and
/// the smallest failing one, kept as its report step (never the exchange itself, whose body
/// may be megabytes): memory stays flat however many requests a run sends.
#[derive(Debug, Default)]
struct Tally {
    judged: usize,
    smallest: Option<Found>,
}

#[derive(Debug)]
struct Found {
    size: usize,
    expected: String,
    got: String,
    step: Step,
}

/// Every passive check's tally, per operation; exchanges are judged as they arrive.
#[derive(Debug, Default)]
pub struct Tallies(BTreeMap<(String, Check), Tally>);

impl Tallies {
    /// Judges one exchange of `operation` by every passive check.
    pub fn judge(&mut self, ctx: &Context, operation: &Operation, exchange: &Exchange) {
        for check in checks() {
            let verdict = match check {
                Check::ErrorEnvelope => error_envelope(ctx, operation, exchange),
                Check::ResponseSchema => response_schema(ctx, operation, exchange),
                Check::ContentType => content_type(operation, exchange),
                Check::NoServerError => no_server_error(exchange),
                // Active checks send their own requests (`rules`).
                _ => None,
            };
            let tally = match verdict {
                None => continue,
                Some(_) => self.0.entry((operation.id.clone(), check)).or_default(),
            };
            match verdict {
                Some(Ok(())) => tally.judged += 1,
                Some(Err((expected, got))) => {
                    // The smallest failing request is the one to show.
                    let size = request_size(exchange);
                    if tally
                        .smallest
                        .as_ref()
                        .is_none_or(|found| size < found.size)
                    {
                        tally.smallest = Some(Found {
                            size,
                            expected,
                            got: ctx.redactor.redact_clipped(&got, 300),
                            step: ctx.step(exchange),
                        });
                    }
                }
                None => {}
            }
        }
    }

    /// The verdict of a passive check on an operation; `None` when it judged nothing there.
    pub fn outcome(&mut self, operation: &Operation, check: Check) -> Option<Outcome> {
        let tally = self.0.remove(&(operation.id.clone(), check))?;
        match tally.smallest {
            Some(found) => Some(Outcome::Failed(Box::new(Failure {
                expected: found.expected,
                got: found.got,
                field: None,
                input: None,
                sequence: vec![found.step],
            }))),
            None if tally.judged > 0 => Some(Outcome::Passed {
                cases: tally.judged,
            }),
            None => None,
        }
    }
}

fn request_size(exchange: &Exchange) -> usize {
    let body = match &exchange.request.body {
        crate::http::Body::None => 0,
        crate::http::Body::Raw { bytes, .. } => bytes.len(),
        other => format!("{other:?}").len(),
    };
    body + exchange.request.path.len()
}

type Verdict = Option<Result<(), (String, String)>>;

/// The documented response for a status: the exact code, then its range, then `default`.
fn documented(operation: &Operation, status: u16) -> Option<&Response> {
    use generator::model::StatusSpec;
    let find = |wanted: fn(StatusSpec, u16) -> bool| {
        operation
            .responses
            .iter()
            .find(|r| wanted(r.status, status))
    };
    find(|s, status| s == StatusSpec::Code(status))
        .or_else(|| find(|s, status| matches!(s, StatusSpec::Range(_)) && s.matches(status)))
        .or_else(|| find(|s, _| s == StatusSpec::Default))
}

fn error_envelope(ctx: &Context, operation: &Operation, exchange: &Exchange) -> Verdict {
    let response = exchange.response.as_ref().ok()?;
    if response.status < 400 || response.status >= 500 {
        return None;
    }
    let Some(body) = response.json() else {
        return Some(Err((
            "a JSON error body".into(),
            format!(
                "{} with a body that is not JSON: {}",
                response.status,
                response.text()
            ),
        )));
    };
    if let Some(envelope) = &ctx.api.error_envelope {
        // A validation error uses the validation template; every other error (and, at the
        // same status, a body that could not be read at all) the other one.
        let fits_other = envelope::check_template(&envelope.other.body, &body, response.status);
        let fits = if response.status == envelope.validation_status() {
            envelope::check_template(&envelope.validation.body, &body, response.status)
                .or_else(|validation| fits_other.map_err(|_| validation))
        } else {
            fits_other
        };
        if let Err(problem) = fits {
            let which = if response.status == envelope.validation_status() {
                "validation (or other)"
            } else {
                "documented"
            };
            return Some(Err((
                format!("the {which} error envelope"),
                format!("{}: {problem}", response.status),
            )));
        }
    }
    if let Some(documented) = documented(operation, response.status)
        && let Some(ty) = documented.json_type()
        && let Err(problem) = schema_check::check(&ctx.api, ty, &body)
    {
        // A body that fits the envelope template but not the status's schema: an API may
        // document one schema per status while a malformed body is answered with the other
        // template; only the template is binding then.
        if ctx.api.error_envelope.is_none() {
            return Some(Err((
                format!("the schema documented for {}", response.status),
                problem,
            )));
        }
    }
    Some(Ok(()))
}

fn response_schema(ctx: &Context, operation: &Operation, exchange: &Exchange) -> Verdict {
    let response = exchange.response.as_ref().ok()?;
    if !(200..300).contains(&response.status) {
        return None;
    }
    let Some(documented) = documented(operation, response.status) else {
        return Some(Err((
            "a documented status".into(),
            format!("{}, which the spec does not list", response.status),
        )));
    };
    let ty = documented.json_type()?;
    let Some(body) = response.json() else {
        return Some(Err((
            "a JSON body".into(),
            format!("{} {}", response.status, response.text()),
        )));
    };
    Some(schema_check::check(&ctx.api, ty, &body).map_err(|problem| {
        (
            format!("the schema documented for {}", response.status),
            problem,
        )
    }))
}

fn content_type(operation: &Operation, exchange: &Exchange) -> Verdict {
    let response = exchange.response.as_ref().ok()?;
    if response.body.is_empty() || response.status >= 500 {
        return None;
    }
    let documented = documented(operation, response.status)?;
    if documented.contents.is_empty() {
        return None;
    }
    let got = response.content_type.as_deref().unwrap_or("none");
    let essence = got
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let fits = documented.contents.iter().any(|(media, _)| {
        let media = media.to_ascii_lowercase();
        // JSON and problem+JSON are both JSON (the canonical rules allow either for errors).
        media == essence
            || (MediaKind::of(&media) == MediaKind::Json
                && MediaKind::of(&essence) == MediaKind::Json)
            || media == "*/*"
    });
    let listed: Vec<&str> = documented
        .contents
        .iter()
        .map(|(m, _)| m.as_str())
        .collect();
    Some(if fits {
        Ok(())
    } else {
        Err((listed.join(" or "), got.to_owned()))
    })
}

fn no_server_error(exchange: &Exchange) -> Verdict {
    Some(match &exchange.response {
        Ok(response) if response.status >= 500 => Err((
            "no 5xx".into(),
            format!("{} {}", response.status, response.text()),
        )),
        Ok(_) => Ok(()),
        Err(error) => Err(("an answer".into(), error.to_string())),
    })
}
