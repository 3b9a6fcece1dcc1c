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
                Check::StatusDocumented => status_documented(operation, exchange),
                Check::ResponseHeaders => response_headers(ctx, operation, exchange),
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
    /// `strict`: an undocumented status (CF403) is a failure, not a warning.
    pub fn outcome(
        &mut self,
        operation: &Operation,
        check: Check,
        strict: bool,
    ) -> Option<Outcome> {
        let tally = self.0.remove(&(operation.id.clone(), check))?;
        match tally.smallest {
            Some(found) => {
                let failure = Box::new(Failure {
                    expected: found.expected,
                    got: found.got,
                    field: None,
                    input: None,
                    sequence: vec![found.step],
                });
                Some(if check == Check::StatusDocumented && !strict {
                    Outcome::Warning(failure)
                } else {
                    Outcome::Failed(failure)
                })
            }
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

/// CF403: the status is one the operation documents.
fn status_documented(operation: &Operation, exchange: &Exchange) -> Verdict {
    let response = exchange.response.as_ref().ok()?;
    if documented(operation, response.status).is_some() {
        return Some(Ok(()));
    }
    let listed: Vec<String> = operation
        .responses
        .iter()
        .map(|r| format!("{:?}", r.status))
        .collect();
    Some(Err((
        format!("a documented status ({})", listed.join(", ")),
        format!("{} is not documented for {}", response.status, operation.id),
    )))
}

type Verdict = Option<Result<(), (String, String)>>;

/// CF404: the headers the documented response requires are there, and each documented header
/// the answer carries reads as its schema's type and meets its constraints. Judged only where
/// the documented response lists headers.
fn response_headers(ctx: &Context, operation: &Operation, exchange: &Exchange) -> Verdict {
    let response = exchange.response.as_ref().ok()?;
    let documented = documented(operation, response.status)?;
    if documented.headers.is_empty() {
        return None;
    }
    for header in &documented.headers {
        let Some(value) = response.header(&header.name) else {
            if header.required {
                return Some(Err((
                    format!(
                        "the {} header, which the {} response requires",
                        header.name, response.status
                    ),
                    format!("{} without {}", response.status, header.name),
                )));
            }
            continue;
        };
        if let Err(problem) = header_value_fits(ctx, header, value) {
            return Some(Err((
                format!("{} to be {problem}", header.name),
                format!("{}: {value}", header.name),
            )));
        }
    }
    Some(Ok(()))
}

/// Whether a header's text fits its documented schema; the error says what it should be.
fn header_value_fits(
    ctx: &Context,
    header: &generator::model::ResponseHeader,
    value: &str,
) -> Result<(), String> {
    use generator::model::TypeRef;
    let constraints = &header.constraints;
    let in_range = |number: f64| {
        constraints.minimum.is_none_or(|min| number >= min)
            && constraints.maximum.is_none_or(|max| number <= max)
    };
    match &header.ty {
        TypeRef::Integer(_) => match value.trim().parse::<i64>() {
            #[allow(clippy::cast_precision_loss)] // a bound check, not arithmetic
            Ok(number) if in_range(number as f64) => Ok(()),
            _ => Err("an integer within its bounds".into()),
        },
        TypeRef::Number => match value.trim().parse::<f64>() {
            Ok(number) if number.is_finite() && in_range(number) => Ok(()),
            _ => Err("a number within its bounds".into()),
        },
        TypeRef::Boolean => match value.trim() {
            "true" | "false" => Ok(()),
            _ => Err("true or false".into()),
        },
        TypeRef::String => {
            let shape =
                crate::values::FieldShape::new(&ctx.api, &header.name, &header.ty, constraints);
            if shape.accepts(value) {
                Ok(())
            } else {
                Err("a string its schema accepts (length, pattern, format, enum)".into())
            }
        }
        _ => Ok(()),
    }
}

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
    let documented_json = documented(operation, response.status).and_then(|r| r.json_type());
    if ctx.api.error_envelope.is_none() && documented_json.is_none() {
        // A plain spec that documents no JSON body for this error promises none.
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::http::{Body, HttpRequest, HttpResponse};

    thread_local! {
        /// Each dialect's context, built once per test thread (reading a spec is the slow part).
        static CONTEXTS: std::cell::RefCell<BTreeMap<&'static str, std::rc::Rc<Context>>> =
            std::cell::RefCell::default();
    }

    fn cached(dialect: &'static str) -> std::rc::Rc<Context> {
        CONTEXTS.with(|contexts| {
            std::rc::Rc::clone(
                contexts
                    .borrow_mut()
                    .entry(dialect)
                    .or_insert_with(|| std::rc::Rc::new(context(dialect))),
            )
        })
    }

    fn context(dialect: &str) -> Context {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../spec")
            .join(
                generator::spec::ext::Dialect::from_name(dialect)
                    .unwrap_or(generator::spec::ext::Dialect::Canonical)
                    .spec_file(),
            );
        let document = generator::spec::load_document(&path).unwrap_or_else(|e| panic!("{e}"));
        let api = generator::model::build(&document).unwrap_or_else(|e| panic!("{e}"));
        // Nothing is sent: the transport only names the base URL in reproductions.
        let transport =
            crate::http::Transport::new("http://127.0.0.1:9", crate::http::Limits::default())
                .unwrap_or_else(|e| panic!("{e}"));
        Context::new(
            api,
            transport,
            crate::Credentials::default(),
            1,
            1,
            false,
            None,
        )
    }

    /// JSON a server may send: every shape, strings with multibyte characters at any offset
    /// (date-times among them), nested a little.
    fn json() -> impl Strategy<Value = serde_json::Value> {
        let text = prop_oneof![
            "\\PC{0,24}",
            "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-9:]{0,8}\\PC{0,4}",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T\\PC{1,3}[0-9:.]{0,10}(Z|[+-][0-9]{2}:[0-9]{2})?",
        ];
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            text.prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                proptest::collection::btree_map(
                    prop_oneof![
                        "[a-z_]{1,12}",
                        Just("detail".to_owned()),
                        Just("errors".to_owned()),
                        Just("email".to_owned()),
                        Just("birthdate".to_owned()),
                        Just("data".to_owned()),
                    ],
                    inner,
                    0..5
                )
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn body() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            json().prop_map(|v| v.to_string().into_bytes()),
            proptest::collection::vec(any::<u8>(), 0..64),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Whatever a server answers (any status, content type, bytes), judging it never
        /// panics, in every dialect and operation, and neither do the envelope readers.
        #[test]
        fn any_answer_is_judged_without_panicking(
            dialect in prop_oneof![Just("manage"), Just("rpc"), Just("community"), Just("billing"), Just("cl2c"), Just("canonical")],
            status in 0u16..1000,
            content_type in prop::option::of(prop_oneof![
                Just("application/json".to_owned()),
                Just("application/problem+json; charset=utf-8".to_owned()),
                Just("text/html".to_owned()),
                "\\PC{0,20}",
            ]),
            body in body(),
        ) {
            let ctx = cached(dialect);
            let response = HttpResponse { status, content_type, body, truncated: false, headers: Vec::new() };
            let mut tallies = Tallies::default();
            for operation in &ctx.api.operations {
                let exchange = Exchange {
                    request: HttpRequest {
                        method: operation.method,
                        path: "/x".into(),
                        query: Vec::new(),
                        headers: Vec::new(),
                        body: Body::None,
                    },
                    response: Ok(response.clone()),
                };
                tallies.judge(&ctx, operation, &exchange);
                for check in checks() {
                    let _ = tallies.outcome(operation, check, false);
                }
            }
            if let (Some(envelope), Some(json)) = (ctx.api.error_envelope.as_ref(), response.json()) {
                let _ = envelope::reported_fields(&envelope.validation.body, &json);
                let _ = envelope::messages_for(&envelope.validation.body, &json, "email");
                let _ = envelope::check_template(&envelope.other.body, &json, status);
            }
        }
    }
}
