//! Request bodies: read whole up to a limit, and multipart bodies split into text fields
//! and files.

use axum::body::{Body, HttpBody};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{Extensions, HeaderMap};

use crate::Upload;

/// How a generated router serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The largest request body read; a larger one is answered 413. Default: 1 MiB.
    pub max_body_bytes: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            max_body_bytes: 1024 * 1024,
        }
    }
}

/// Why a request body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Over the limit.
    TooLarge,
    /// The connection failed or the framing was broken.
    Unreadable,
}

/// Reads a whole body, at most `limit` bytes. The limit is checked frame by frame, so an
/// oversized body is refused before it is all in memory.
pub async fn read_body(mut body: Body, limit: usize) -> Result<Vec<u8>, BodyError> {
    let mut bytes = Vec::new();
    loop {
        let frame = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await;
        match frame {
            None => return Ok(bytes),
            Some(Err(_)) => return Err(BodyError::Unreadable),
            Some(Ok(frame)) => {
                // Trailers carry no body bytes.
                if let Ok(data) = frame.into_data() {
                    if bytes.len().saturating_add(data.len()) > limit {
                        return Err(BodyError::TooLarge);
                    }
                    bytes.extend_from_slice(&data);
                }
            }
        }
    }
}

/// The text fields and the files of a `multipart/form-data` body (already read, so that the
/// size limit applied); `Err` holds the message the API answers with.
pub async fn read_multipart(
    headers: &HeaderMap,
    extensions: &Extensions,
    bytes: Vec<u8>,
) -> Result<(Vec<(String, String)>, Vec<(String, Upload)>), String> {
    let unreadable =
        |error: &dyn std::fmt::Display| format!("The multipart body cannot be read: {error}.");
    let mut request = Request::new(Body::from(bytes));
    *request.headers_mut() = headers.clone();
    *request.extensions_mut() = extensions.clone();
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|rejection| unreadable(&rejection))?;
    let mut pairs = Vec::new();
    let mut files = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|error| unreadable(&error))?
    {
        let Some(name) = field.name().map(ToOwned::to_owned) else {
            continue;
        };
        let filename = field.file_name().map(ToOwned::to_owned);
        let content_type = field.content_type().map(ToOwned::to_owned);
        let data = field.bytes().await.map_err(|error| unreadable(&error))?;
        // A part with a file name is a file, whatever its media type; any other is text.
        if filename.is_some() {
            files.push((
                name,
                Upload {
                    filename,
                    content_type,
                    bytes: data.to_vec(),
                },
            ));
        } else {
            pairs.push((name, String::from_utf8_lossy(&data).into_owned()));
        }
    }
    Ok((pairs, files))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;
    use axum::http::header::CONTENT_TYPE;

    use super::*;

    #[tokio::test]
    async fn a_body_is_read_up_to_its_limit() {
        assert_eq!(
            read_body(Body::from("hello"), 5).await,
            Ok(b"hello".to_vec())
        );
        assert_eq!(
            read_body(Body::from("hello!"), 5).await,
            Err(BodyError::TooLarge)
        );
        assert_eq!(read_body(Body::empty(), 0).await, Ok(Vec::new()));
        assert_eq!(ServerConfig::default().max_body_bytes, 1 << 20);
    }

    #[tokio::test]
    async fn multipart_parts_with_a_file_name_are_files() {
        let body = "--XX\r\n\
            Content-Disposition: form-data; name=\"title\"\r\n\r\n\
            Hello\r\n\
            --XX\r\n\
            Content-Disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\n\
            Content-Type: image/png\r\n\r\n\
            PNG\r\n\
            --XX--\r\n";
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("multipart/form-data; boundary=XX"),
        );
        let (pairs, files) = read_multipart(&headers, &Extensions::new(), body.into())
            .await
            .unwrap();
        assert_eq!(pairs, [("title".to_owned(), "Hello".to_owned())]);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "photo");
        assert_eq!(files[0].1.filename.as_deref(), Some("a.png"));
        assert_eq!(files[0].1.content_type.as_deref(), Some("image/png"));
        assert_eq!(files[0].1.bytes, b"PNG");
    }

    #[tokio::test]
    async fn a_body_that_is_not_multipart_is_a_message() {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        let error = read_multipart(&headers, &Extensions::new(), b"x".to_vec())
            .await
            .unwrap_err();
        assert!(
            error.starts_with("The multipart body cannot be read: "),
            "{error}"
        );
        assert!(error.ends_with('.'), "{error}");
    }
}
