//! Faulty variants of the reference server, each breaking exactly one rule of
//! `shared/dialects.md` on one face: the conformance harness's mutation self-test runs
//! against them and must name the broken rule every time.
//!
//! Most faults wrap a face in a middleware that bends requests or answers the way a careless
//! implementation would; the rest are switches the store and the faces consult.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::fixtures::Fixtures;

/// One rule broken on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// One credential is not checked: missing or wrong, the request goes through.
    CredentialNotChecked,
    /// Error answers come in a shape of their own, not the dialect's envelope.
    WrongErrorEnvelope,
    /// A body that is not JSON or not UTF-8 crashes the handler: 500.
    ServerErrorOnMalformedBody,
    /// Updates are answered but not kept.
    UpdateNotStored,
    /// Strings over 255 characters are cut to 255 instead of refused.
    LengthLimitNotEnforced,
    /// A string of exactly 255 characters, the limit itself, is refused.
    OffByOneLengthLimit,
    /// Phone numbers are not checked against their pattern.
    PatternNotEnforced,
    /// Another user's id is treated as the caller's own.
    OwnershipNotEnforced,
    /// An unknown id answers 403 instead of 404.
    UnknownIdAnswersForbidden,
    /// Privileged fields sent by an ordinary caller are stored.
    PrivilegedWritable,
    /// The daily image limit is not applied.
    ThrottleNotEnforced,
    /// Malformed emails, URLs and dates are quietly replaced by valid ones.
    FormatNotEnforced,
    /// A JSON number or boolean where a string goes is taken as its text.
    TypeNotChecked,
    /// A username another user holds is accepted (stored with a suffix).
    UniqueNotEnforced,
    /// A language, currency or timezone that local-info does not list is accepted.
    KeyOfNotChecked,
    /// Successful answers say `text/plain`.
    WrongContentType,
    /// A `text/plain` body is read as JSON instead of refused with 415.
    UnsupportedMediaTypeAccepted,
    /// A body over the limit is cut to the limit instead of refused with 413.
    OversizedBodyAccepted,
}

impl Fault {
    pub const ALL: [Fault; 18] = [
        Fault::CredentialNotChecked,
        Fault::WrongErrorEnvelope,
        Fault::ServerErrorOnMalformedBody,
        Fault::UpdateNotStored,
        Fault::LengthLimitNotEnforced,
        Fault::OffByOneLengthLimit,
        Fault::PatternNotEnforced,
        Fault::OwnershipNotEnforced,
        Fault::UnknownIdAnswersForbidden,
        Fault::PrivilegedWritable,
        Fault::ThrottleNotEnforced,
        Fault::FormatNotEnforced,
        Fault::TypeNotChecked,
        Fault::UniqueNotEnforced,
        Fault::KeyOfNotChecked,
        Fault::WrongContentType,
        Fault::UnsupportedMediaTypeAccepted,
        Fault::OversizedBodyAccepted,
    ];

    /// The conformance checks that must catch it (any one of them).
    pub fn caught_by(self) -> &'static [&'static str] {
        match self {
            Fault::CredentialNotChecked => &["CF200", "CF201"],
            Fault::WrongErrorEnvelope => &["CF400"],
            Fault::ServerErrorOnMalformedBody => &["CF500", "CF501", "CF502"],
            Fault::UpdateNotStored => &["CF304"],
            Fault::LengthLimitNotEnforced | Fault::OffByOneLengthLimit => &["CF101"],
            Fault::PatternNotEnforced => &["CF110"],
            Fault::OwnershipNotEnforced => &["CF300"],
            Fault::UnknownIdAnswersForbidden => &["CF301"],
            Fault::PrivilegedWritable => &["CF302"],
            Fault::ThrottleNotEnforced => &["CF307"],
            Fault::FormatNotEnforced => &["CF111"],
            Fault::TypeNotChecked => &["CF114"],
            Fault::UniqueNotEnforced => &["CF305"],
            Fault::KeyOfNotChecked => &["CF113"],
            Fault::WrongContentType => &["CF402"],
            Fault::UnsupportedMediaTypeAccepted => &["CF503"],
            Fault::OversizedBodyAccepted => &["CF504"],
        }
    }

    /// Whether the face has the rule this fault breaks.
    pub fn applies_to(self, face: &str) -> bool {
        match self {
            Fault::PatternNotEnforced => matches!(face, "manage" | "rpc" | "cl2c" | "canonical"),
            Fault::OwnershipNotEnforced => {
                matches!(face, "community" | "billing" | "cl2c" | "canonical")
            }
            Fault::UnknownIdAnswersForbidden => {
                matches!(face, "manage" | "community" | "billing" | "canonical")
            }
            Fault::PrivilegedWritable => matches!(face, "billing" | "canonical"),
            Fault::ThrottleNotEnforced | Fault::KeyOfNotChecked => {
                matches!(face, "rpc" | "canonical")
            }
            Fault::FormatNotEnforced => face != "cl2c",
            Fault::TypeNotChecked | Fault::UnsupportedMediaTypeAccepted => face != "rpc",
            Fault::UniqueNotEnforced => matches!(face, "community" | "canonical"),
            _ => true,
        }
    }
}

/// The faults a face breaks through a middleware, and what the middleware needs to know.
#[derive(Debug, Clone)]
pub struct FaultLayer {
    pub fault: Fault,
    pub face: &'static str,
    pub limit: usize,
    /// (credential location, name, the right value), for CredentialNotChecked.
    credential: (&'static str, &'static str, String),
    /// (other user's id, caller's id) on this face, for OwnershipNotEnforced.
    ids: (String, String),
}

impl FaultLayer {
    pub fn new(fault: Fault, face: &'static str, fixtures: &Fixtures) -> FaultLayer {
        let credentials = fixtures.face_credentials(face);
        let credential = match face {
            "rpc" => (
                "header",
                "apikey",
                credentials.api_key.clone().unwrap_or_default(),
            ),
            "community" => (
                "header",
                "authorization",
                format!("Bearer {}", credentials.token.clone().unwrap_or_default()),
            ),
            "billing" => (
                "query",
                "api_key",
                credentials.api_key.clone().unwrap_or_default(),
            ),
            "cl2c" => (
                "header",
                "tenant",
                credentials.tenant.clone().unwrap_or_default(),
            ),
            _ => (
                "header",
                "x-api-key",
                credentials.api_key.clone().unwrap_or_default(),
            ),
        };
        let ids = (
            credentials.other_user_id.unwrap_or_default(),
            credentials.user_id.unwrap_or_default(),
        );
        FaultLayer {
            fault,
            face,
            limit: fixtures.limits.max_body_bytes,
            credential,
            ids,
        }
    }
}

/// The validation envelope of a face, for a refusal it should not make.
fn validation(face: &str, field: &str, message: &str) -> Response {
    use profile_api::support::{FieldError, Location};
    let errors = [FieldError::new(field, Location::Body, "maxLength", message)];
    let (status, body) = match face {
        "manage" => (
            profile_api::manage::errors::VALIDATION_STATUS,
            profile_api::manage::errors::validation_body(&errors),
        ),
        "rpc" => (
            profile_api::rpc::errors::VALIDATION_STATUS,
            profile_api::rpc::errors::validation_body(&errors),
        ),
        "community" => (
            profile_api::community::errors::VALIDATION_STATUS,
            profile_api::community::errors::validation_body(&errors),
        ),
        "billing" => (
            profile_api::billing::errors::VALIDATION_STATUS,
            profile_api::billing::errors::validation_body(&errors),
        ),
        "cl2c" => (
            profile_api::cl2c::errors::VALIDATION_STATUS,
            profile_api::cl2c::errors::validation_body(&errors),
        ),
        _ => (
            profile_api::canonical::errors::VALIDATION_STATUS,
            profile_api::canonical::errors::validation_body(&errors),
        ),
    };
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        axum::Json(body),
    )
        .into_response()
}

/// Applies a fault's bend to one request of its face.
pub async fn apply(layer: FaultLayer, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    // The outer layer has read at most the limit and one chunk more: this stays bounded.
    let Ok(bytes) = to_bytes(body, layer.limit.saturating_mul(2).saturating_add(1 << 20)).await
    else {
        return next.run(Request::from_parts(parts, Body::empty())).await;
    };
    let content_type = parts
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let is_json = content_type.starts_with("application/json");
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let mut bytes = bytes.to_vec();
    match layer.fault {
        Fault::CredentialNotChecked => {
            let (location, name, value) = &layer.credential;
            if *location == "query" {
                let query: Vec<(String, String)> =
                    form_urlencoded_pairs(parts.uri.query().unwrap_or_default().as_bytes())
                        .into_iter()
                        .filter(|(key, _)| key != name)
                        .chain(std::iter::once(((*name).to_owned(), value.clone())))
                        .collect();
                let path = parts.uri.path().to_owned();
                if let Ok(uri) = format!("{path}?{}", encode_pairs(&query)).parse() {
                    parts.uri = uri;
                }
            } else if let Ok(value) = HeaderValue::from_str(value) {
                parts.headers.insert(*name, value);
            }
        }
        Fault::ServerErrorOnMalformedBody => {
            let unreadable = std::str::from_utf8(&bytes).is_err()
                || (is_json && serde_json::from_slice::<Value>(&bytes).is_err());
            if unreadable && !bytes.is_empty() {
                return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
            }
        }
        Fault::UnsupportedMediaTypeAccepted if content_type.starts_with("text/plain") => {
            // Read as an (empty) JSON update instead of being refused.
            parts
                .headers
                .insert("content-type", HeaderValue::from_static("application/json"));
            parts.headers.remove("content-length");
            bytes = b"{}".to_vec();
        }
        Fault::OversizedBodyAccepted if bytes.len() > layer.limit => {
            bytes.truncate(layer.limit / 2);
            parts.headers.remove("content-length");
        }
        Fault::TypeNotChecked if is_json => {
            if let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(&bytes) {
                let fields: Map<String, Value> = fields
                    .into_iter()
                    .map(|(key, value)| match value {
                        Value::Number(n) => (key, Value::String(n.to_string())),
                        Value::Bool(b) => (key, Value::String(b.to_string())),
                        other => (key, other),
                    })
                    .collect();
                bytes = serde_json::to_vec(&Value::Object(fields)).unwrap_or(bytes);
                parts.headers.remove("content-length");
            }
        }
        Fault::LengthLimitNotEnforced
        | Fault::OffByOneLengthLimit
        | Fault::PatternNotEnforced
        | Fault::OwnershipNotEnforced
        | Fault::FormatNotEnforced
        | Fault::UniqueNotEnforced
        | Fault::KeyOfNotChecked => {
            let edit = |field: &str, value: &mut String| -> Option<Response> {
                match layer.fault {
                    Fault::LengthLimitNotEnforced if value.chars().count() > 255 => {
                        *value = value.chars().take(255).collect()
                    }
                    Fault::OffByOneLengthLimit if value.chars().count() == 255 => {
                        return Some(validation(
                            layer.face,
                            field,
                            "Ensure this field has no more than 254 characters.",
                        ));
                    }
                    Fault::PatternNotEnforced if field.to_ascii_lowercase().contains("phone") => {
                        *value = "+14155550100".into()
                    }
                    Fault::OwnershipNotEnforced if field == "id" && *value == layer.ids.0 => {
                        value.clone_from(&layer.ids.1)
                    }
                    Fault::FormatNotEnforced => {
                        if let Some(valid) = well_formed(field, value) {
                            *value = valid;
                        }
                    }
                    Fault::UniqueNotEnforced if field == "username" => value.push_str("-2"),
                    Fault::KeyOfNotChecked => match field {
                        "languages" | "language" => *value = "en".into(),
                        "currencies" | "currency" => *value = "USD".into(),
                        "timezones" | "timezone" => *value = "Europe/Paris".into(),
                        _ => {}
                    },
                    _ => {}
                }
                None
            };
            if is_json {
                if let Ok(Value::Object(mut fields)) = serde_json::from_slice::<Value>(&bytes) {
                    let mut edited = Map::new();
                    for (key, value) in std::mem::take(&mut fields) {
                        let value = match value {
                            Value::String(mut text) => {
                                if let Some(refusal) = edit(&key, &mut text) {
                                    return refusal;
                                }
                                Value::String(text)
                            }
                            other => other,
                        };
                        edited.insert(key, value);
                    }
                    bytes = serde_json::to_vec(&Value::Object(edited)).unwrap_or(bytes);
                }
            } else if is_form && std::str::from_utf8(&bytes).is_ok() {
                let mut pairs = form_urlencoded_pairs(&bytes);
                for (key, value) in &mut pairs {
                    if let Some(refusal) = edit(key, value) {
                        return refusal;
                    }
                }
                bytes = encode_pairs(&pairs).into_bytes();
            }
            if layer.fault == Fault::OwnershipNotEnforced {
                // The other user's id in the path becomes the caller's.
                let path = parts
                    .uri
                    .path()
                    .replace(&format!("/{}", layer.ids.0), &format!("/{}", layer.ids.1));
                let uri = match parts.uri.query() {
                    Some(query) => format!("{path}?{query}"),
                    None => path,
                };
                if let Ok(uri) = uri.parse() {
                    parts.uri = uri;
                }
            }
            parts.headers.remove("content-length");
        }
        _ => {}
    }
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    match layer.fault {
        Fault::WrongErrorEnvelope if response.status().is_client_error() => {
            let status = response.status();
            (
                status,
                axum::Json(
                    serde_json::json!({"error": status.canonical_reason().unwrap_or("error")}),
                ),
            )
                .into_response()
        }
        Fault::WrongContentType if response.status().is_success() => {
            let (mut parts, body) = response.into_parts();
            parts
                .headers
                .insert("content-type", HeaderValue::from_static("text/plain"));
            Response::from_parts(parts, body)
        }
        Fault::UnknownIdAnswersForbidden if response.status() == StatusCode::NOT_FOUND => {
            let (mut parts, body) = response.into_parts();
            parts.status = StatusCode::FORBIDDEN;
            Response::from_parts(parts, body)
        }
        _ => response,
    }
}

/// A valid value for a malformed email, URL or date, judged by the field's name (what a
/// careless server that "fixes" input instead of refusing it would do).
fn well_formed(field: &str, value: &str) -> Option<String> {
    let field = field.to_ascii_lowercase();
    let digits_at = |positions: &[usize]| {
        positions
            .iter()
            .all(|i| value.as_bytes().get(*i).is_some_and(u8::is_ascii_digit))
    };
    if field.contains("email") && !(value.contains('@') && value.contains('.')) {
        Some("fixed@example.com".into())
    } else if (field.contains("website") || field.contains("picture") || field.ends_with("url"))
        && !value.starts_with("http")
    {
        Some("https://example.com/fixed".into())
    } else if field == "birthdate"
        || field.ends_with("_at")
        || field.ends_with("_refresh")
        || field.ends_with("_date")
    {
        (!(value.len() >= 20
            && value.as_bytes().get(10) == Some(&b'T')
            && digits_at(&[0, 1, 2, 3, 5, 6, 8, 9])))
        .then(|| "2020-01-02T03:04:05Z".into())
    } else if field.contains("date") || field.contains("birth") {
        let month = value
            .get(5..7)
            .and_then(|m| m.parse::<u32>().ok())
            .unwrap_or(0);
        let day = value
            .get(8..10)
            .and_then(|d| d.parse::<u32>().ok())
            .unwrap_or(0);
        (!(value.len() == 10 && (1..=12).contains(&month) && (1..=28).contains(&day)))
            .then(|| "1990-01-01".into())
    } else if field.ends_with("_id") && value.len() != 36 {
        Some("3c90c3cc-0d44-4b50-8888-8dd25736052a".into())
    } else {
        None
    }
}

/// `a=1&b=2` → pairs, percent- and plus-decoded.
fn form_urlencoded_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    let decode = |text: &str| -> String {
        let text = text.replace('+', " ");
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut index = 0;
        while index < bytes.len() {
            if bytes[index] == b'%'
                && let Some(byte) = bytes
                    .get(index + 1..index + 3)
                    .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok())
            {
                out.push(byte);
                index += 3;
                continue;
            }
            out.push(bytes[index]);
            index += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    String::from_utf8_lossy(bytes)
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) => (decode(key), decode(value)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

fn encode_pairs(pairs: &[(String, String)]) -> String {
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(key, value)| format!("{}={}", encode(key), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}
