//! The responses a generated router answers with.

use axum::body::Body;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use serde::Serialize;

/// A response with `status`, `media_type` and `body` as JSON. A body that cannot be
/// serialized (an implementation's bug, never a client's) answers 500.
pub fn json_response<T: Serialize + ?Sized>(status: u16, media_type: &str, body: &T) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (status, bytes) = match serde_json::to_vec(body) {
        Ok(bytes) => (status, bytes),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, b"{}".to_vec()),
    };
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    let media_type =
        HeaderValue::from_str(media_type).unwrap_or(HeaderValue::from_static("application/json"));
    response.headers_mut().insert(CONTENT_TYPE, media_type);
    response
}

/// A response with `status` and no body.
pub fn empty_response(status: u16) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::read_body;

    #[tokio::test]
    async fn a_json_response_has_its_status_media_type_and_body() {
        let response = json_response(201, "application/problem+json", &["a"]);
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.headers()[CONTENT_TYPE], "application/problem+json");
        let body = read_body(response.into_body(), 100).await.unwrap();
        assert_eq!(body, br#"["a"]"#);
    }

    #[test]
    fn a_body_that_does_not_serialize_answers_500() {
        // A map with non-string keys is not JSON.
        let body = BTreeMap::from([((1, 2), 3)]);
        let response = json_response(200, "application/json", &body);
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(empty_response(204).status(), StatusCode::NO_CONTENT);
        assert_eq!(
            empty_response(1000).status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
