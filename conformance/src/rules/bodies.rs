//! Bodies a server must refuse politely: not JSON, not UTF-8, an unlisted content type, too
//! large.

use super::*;

pub(super) fn body_errors(ctx: &Context, operation: &Operation, check: Check) -> Option<Outcome> {
    let body = operation.body.as_ref()?;
    let lists = |kind: MediaKind| body.contents.iter().any(|c| c.kind == kind);
    let envelope = ctx.api.error_envelope.as_ref();
    let body_error = envelope.and_then(|e| e.body_error_status);
    let (content_type, bytes, expected): (String, Vec<u8>, Option<u16>) = match check {
        Check::MalformedJson if lists(MediaKind::Json) => (
            "application/json".into(),
            b"{\"first_name\": \"unterminated".to_vec(),
            Some(body_error.unwrap_or(400)),
        ),
        // Invalid UTF-8 is a 400 everywhere, FastAPI's `body-error-status` included
        // (shared/dialects.md: "a body that is not valid UTF-8 400").
        Check::InvalidUtf8 if lists(MediaKind::Json) => (
            "application/json".into(),
            b"{\"first_name\": \"\xff\xfe\xfd\"}".to_vec(),
            Some(400),
        ),
        Check::InvalidUtf8 if lists(MediaKind::Form) => (
            "application/x-www-form-urlencoded".into(),
            b"first_name=\xff\xfe".to_vec(),
            Some(400),
        ),
        Check::UnsupportedMediaType if !lists(MediaKind::Text) => (
            "text/plain".into(),
            b"conformance".to_vec(),
            Some(body_error.unwrap_or(415)),
        ),
        Check::OversizedBody => {
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
    // A plain spec gets the operation's own valid JSON under the wrong content type: a
    // server that ignores the content type and parses the body anyway then accepts it, where
    // a few bytes of text would have been refused as malformed JSON and looked like a pass.
    let bytes = match (&request.body, check, envelope) {
        (Body::Json(valid), Check::UnsupportedMediaType, None) => valid.to_string().into_bytes(),
        _ => bytes,
    };
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
