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
    /// DELETE goes through without its credential check (the other routes keep theirs).
    DeleteWithoutCredentialCheck,
    /// The caller may delete another user's profile.
    DeleteOthersProfile,
    /// Every upload answers the throttle status, from the first one on.
    AlwaysThrottled,
    /// Validation errors carry a generic message instead of the vendor's documented text.
    WrongDocumentedMessage,
    /// Any bytes are taken as an image, whatever the part holds.
    FilePartTypeNotChecked,
    /// An upload without its `cropped_image` part is accepted (the image is used twice).
    RequiredFilePartOptional,
}

impl Fault {
    pub const ALL: [Fault; 24] = [
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
        Fault::DeleteWithoutCredentialCheck,
        Fault::DeleteOthersProfile,
        Fault::AlwaysThrottled,
        Fault::WrongDocumentedMessage,
        Fault::FilePartTypeNotChecked,
        Fault::RequiredFilePartOptional,
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
            Fault::DeleteWithoutCredentialCheck => &["CF200", "CF201"],
            Fault::DeleteOthersProfile => &["CF300"],
            Fault::AlwaysThrottled => &["CF307"],
            Fault::WrongDocumentedMessage => &["CF123"],
            Fault::FilePartTypeNotChecked | Fault::RequiredFilePartOptional => &["CF115"],
        }
    }

    /// The operations of `face` on which it must be caught (one of them); empty: any.
    pub fn caught_on(self, face: &str) -> &'static [&'static str] {
        let updates: &'static [&'static str] = match face {
            "manage" => &["postUserProfile", "putUserProfile"],
            "community" | "billing" => &["updateUser"],
            "canonical" => &["replaceProfile", "updateProfile"],
            _ => &["updateProfile"],
        };
        let uploads: &'static [&'static str] = match face {
            "rpc" => &["uploadProfileImage", "uploadProfileImageAlias"],
            _ => &["uploadProfileImage"],
        };
        let deletes: &'static [&'static str] = match face {
            "manage" => &["deleteUserProfile"],
            _ => &["deleteProfile"],
        };
        match self {
            // Every operation checks credentials and answers errors in the envelope.
            Fault::CredentialNotChecked | Fault::WrongErrorEnvelope | Fault::WrongContentType => {
                &[]
            }
            Fault::UnknownIdAnswersForbidden => match face {
                "manage" => &[
                    "getUserProfile",
                    "postUserProfile",
                    "putUserProfile",
                    "deleteUserProfile",
                ],
                "canonical" => &[
                    "getProfile",
                    "replaceProfile",
                    "updateProfile",
                    "deleteProfile",
                    "uploadProfileImage",
                ],
                _ => updates,
            },
            Fault::ThrottleNotEnforced
            | Fault::AlwaysThrottled
            | Fault::FilePartTypeNotChecked
            | Fault::RequiredFilePartOptional => uploads,
            Fault::DeleteWithoutCredentialCheck | Fault::DeleteOthersProfile => deletes,
            _ => updates,
        }
    }

    /// The fields on which a field rule must be caught (one of them); `None`: a rule that is
    /// not about one field.
    pub fn caught_on_field(self) -> Option<&'static [&'static str]> {
        match self {
            // Every string over 255 is cut: no one field is the right one.
            Fault::LengthLimitNotEnforced => None,
            // Exactly 255 is refused: a field whose limit is 255.
            Fault::OffByOneLengthLimit => Some(&[
                "first_name",
                "last_name",
                "firstName",
                "lastName",
                "real_name",
                "gender",
                "company_name",
                "company_role",
                "phone",
                "state",
                "country",
                "address",
                "location",
                "about",
            ]),
            Fault::PatternNotEnforced => Some(&["phone_number", "phoneNumber"]),
            Fault::FormatNotEnforced => Some(&[
                "email",
                "website",
                "profile_picture",
                "date_of_birth",
                "birthdate",
                "role_id",
            ]),
            Fault::UniqueNotEnforced => Some(&["username"]),
            Fault::KeyOfNotChecked => Some(&[
                "languages",
                "currencies",
                "timezones",
                "language",
                "currency",
                "timezone",
            ]),
            Fault::WrongDocumentedMessage => Some(&[
                "first_name",
                "last_name",
                "email",
                "phone_number",
                "firstName",
                "phoneNumber",
                "image",
                "cropped_image",
            ]),
            Fault::FilePartTypeNotChecked | Fault::RequiredFilePartOptional => {
                Some(&["image", "cropped_image"])
            }
            _ => None,
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
            Fault::DeleteWithoutCredentialCheck => matches!(face, "manage" | "canonical"),
            Fault::DeleteOthersProfile => face == "canonical",
            Fault::AlwaysThrottled
            | Fault::FilePartTypeNotChecked
            | Fault::RequiredFilePartOptional => matches!(face, "rpc" | "canonical"),
            // Only rpc and cl2c document their messages (x-documented-messages).
            Fault::WrongDocumentedMessage => matches!(face, "rpc" | "cl2c"),
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
    /// Every credential a request of this face carries, right: (header or query, name, value).
    all_credentials: Vec<(&'static str, &'static str, String)>,
    /// The other user's bearer token, for DeleteOthersProfile.
    other_token: String,
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
        let bearer = format!("Bearer {}", credentials.token.clone().unwrap_or_default());
        let app_key = credentials.api_key.clone().unwrap_or_default();
        let all_credentials = match face {
            "manage" | "canonical" => vec![
                ("header", "x-api-key", app_key),
                ("header", "authorization", bearer),
            ],
            "rpc" => vec![
                ("header", "apikey", app_key),
                ("header", "authorization", bearer),
            ],
            _ => vec![credential.clone()],
        };
        let other_token = credentials.other_token.clone().unwrap_or_default();
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
            all_credentials,
            other_token,
        }
    }
}

/// The validation envelope of a face, for a refusal it should not make.
fn validation(face: &str, field: &str, message: &str) -> Response {
    use profile_api::support::{FieldError, Location};
    let errors = [FieldError::new(
        field.to_owned(),
        Location::Body,
        "maxLength",
        message.to_owned(),
    )];
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
        Fault::DeleteWithoutCredentialCheck if parts.method == axum::http::Method::DELETE => {
            for (_, name, value) in &layer.all_credentials {
                if let Ok(value) = HeaderValue::from_str(value) {
                    parts.headers.insert(*name, value);
                }
            }
        }
        Fault::DeleteOthersProfile
            if parts.method == axum::http::Method::DELETE
                && parts.uri.path().ends_with(&format!("/{}", layer.ids.0)) =>
        {
            // The server asks only whether the caller is someone: the owner's token stands in.
            if let Ok(value) = HeaderValue::from_str(&format!("Bearer {}", layer.other_token)) {
                parts.headers.insert("authorization", value);
            }
        }
        Fault::AlwaysThrottled if is_upload(parts.uri.path()) => {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                axum::Json(throttled_body(layer.face)),
            )
                .into_response();
        }
        Fault::FilePartTypeNotChecked if is_upload(parts.uri.path()) => {
            // Every file part becomes a PNG, whatever it held.
            bytes = multipart::map_files(&content_type, &bytes, |_, _| {
                Some(crate::images::SMALL_PNG.to_vec())
            });
            parts.headers.remove("content-length");
        }
        Fault::RequiredFilePartOptional if is_upload(parts.uri.path()) => {
            bytes = multipart::copy_missing(&content_type, &bytes, "image", "cropped_image");
            parts.headers.remove("content-length");
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
        Fault::WrongDocumentedMessage if response.status() == StatusCode::BAD_REQUEST => {
            let (parts, body) = response.into_parts();
            let Ok(bytes) = to_bytes(body, 1 << 20).await else {
                return Response::from_parts(parts, Body::empty());
            };
            let mut value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            if let Some(Value::Object(errors)) = value.get_mut("errors") {
                for messages in errors.values_mut() {
                    if let Value::Array(items) = messages {
                        for item in items.iter_mut() {
                            *item = Value::String("Invalid value.".into());
                        }
                    }
                }
            }
            let mut parts = parts;
            parts.headers.remove("content-length");
            Response::from_parts(parts, Body::from(value.to_string()))
        }
        Fault::UnknownIdAnswersForbidden if response.status() == StatusCode::NOT_FOUND => {
            let (mut parts, body) = response.into_parts();
            parts.status = StatusCode::FORBIDDEN;
            Response::from_parts(parts, body)
        }
        _ => response,
    }
}

/// Whether a path is an image upload (rpc's and canonical's).
fn is_upload(path: &str) -> bool {
    path.contains("profile-image") || path.ends_with("/image")
}

/// A throttle answer in the face's envelope.
fn throttled_body(face: &str) -> Value {
    let message = "Your daily profile update limit exceeded.";
    match face {
        "rpc" => {
            serde_json::json!({"status_code": 429, "errors": {"detail": [message]}, "data": {}})
        }
        _ => profile_api::canonical::errors::error_body(429, message),
    }
}

/// Just enough multipart/form-data handling to bend file parts.
mod multipart {
    /// The boundary of a `multipart/form-data` content type.
    fn boundary(content_type: &str) -> Option<String> {
        content_type.split(';').find_map(|param| {
            let (key, value) = param.trim().split_once('=')?;
            key.eq_ignore_ascii_case("boundary")
                .then(|| value.trim_matches('"').to_owned())
        })
    }

    /// The parts of a body (each with its headers), or `None` when it is not multipart.
    fn split(content_type: &str, body: &[u8]) -> Option<(String, Vec<Vec<u8>>)> {
        let boundary = boundary(content_type)?;
        let delimiter = format!("--{boundary}");
        let text = body;
        let mut parts = Vec::new();
        let mut rest = text;
        let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
        let start = find(rest, delimiter.as_bytes())?;
        rest = &rest[start + delimiter.len()..];
        while let Some(end) = find(rest, format!("\r\n{delimiter}").as_bytes()) {
            let part = rest.strip_prefix(b"\r\n").unwrap_or(rest);
            let len = end.saturating_sub(rest.len() - part.len());
            parts.push(part[..len].to_vec());
            rest = &rest[end + 2 + delimiter.len()..];
        }
        Some((boundary, parts))
    }

    fn join(boundary: &str, parts: &[Vec<u8>]) -> Vec<u8> {
        let mut out = Vec::new();
        for part in parts {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            out.extend_from_slice(part);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        out
    }

    fn name_of(part: &[u8]) -> Option<String> {
        let head_end = part.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&part[..head_end]);
        let start = head.find("name=\"")? + 6;
        let end = head[start..].find('"')? + start;
        Some(head[start..end].to_owned())
    }

    /// Replaces the content of every file part by what `with` gives for (name, content).
    pub fn map_files(
        content_type: &str,
        body: &[u8],
        with: impl Fn(&str, &[u8]) -> Option<Vec<u8>>,
    ) -> Vec<u8> {
        let Some((boundary, parts)) = split(content_type, body) else {
            return body.to_vec();
        };
        let parts: Vec<Vec<u8>> = parts
            .into_iter()
            .map(|part| {
                let Some(head_end) = part.windows(4).position(|w| w == b"\r\n\r\n") else {
                    return part;
                };
                let is_file = String::from_utf8_lossy(&part[..head_end]).contains("filename=");
                match (is_file, name_of(&part)) {
                    (true, Some(name)) => match with(&name, &part[head_end + 4..]) {
                        Some(content) => {
                            let mut new = part[..head_end + 4].to_vec();
                            new.extend_from_slice(&content);
                            new
                        }
                        None => part,
                    },
                    _ => part,
                }
            })
            .collect();
        join(&boundary, &parts)
    }

    /// Adds a copy of part `from` named `missing` when the body has no part `missing`.
    pub fn copy_missing(content_type: &str, body: &[u8], from: &str, missing: &str) -> Vec<u8> {
        let Some((boundary, mut parts)) = split(content_type, body) else {
            return body.to_vec();
        };
        if parts.iter().any(|p| name_of(p).as_deref() == Some(missing)) {
            return body.to_vec();
        }
        let Some(source) = parts.iter().find(|p| name_of(p).as_deref() == Some(from)) else {
            return body.to_vec();
        };
        // Only the head is text; the content is copied byte for byte.
        let head_end = source
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(0);
        let head = String::from_utf8_lossy(&source[..head_end]).replacen(
            &format!("name=\"{from}\""),
            &format!("name=\"{missing}\""),
            1,
        );
        let mut renamed = head.into_bytes();
        renamed.extend_from_slice(&source[head_end..]);
        parts.push(renamed);
        join(&boundary, &parts)
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
