//! One request being put together: parameters, credentials and a body, then sent.

use std::fmt;

use reqwest::header::{CONTENT_TYPE, COOKIE, HeaderMap, HeaderValue};
use reqwest::{Method, Url};

use super::encode::{cookie_encode, header_name, invalid, texts, transport};
use super::{Fields, Received};
use crate::ClientError;

/// One request being put together.
pub struct Call {
    http: reqwest::Client,
    method: Method,
    url: Url,
    headers: HeaderMap,
    cookies: Vec<String>,
    body: Payload,
}

/// Shows the method and path only: the query, headers and cookies may hold credentials.
impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("method", &self.method)
            .field("path", &self.url.path())
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
enum Payload {
    Empty,
    Bytes {
        content_type: HeaderValue,
        bytes: Vec<u8>,
    },
    Form(Vec<(String, String)>),
    Multipart(Fields),
}

impl Call {
    pub(super) fn new(http: reqwest::Client, method: Method, url: Url) -> Call {
        Call {
            http,
            method,
            url,
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: Payload::Empty,
        }
    }

    /// The URL as it stands (path and query so far).
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// A query parameter: one pair per value (lists repeat the name), none for `None`.
    pub fn query<T>(&mut self, name: &str, value: &T) -> Result<(), ClientError>
    where
        T: serde::Serialize + ?Sized,
    {
        let values = texts(name, value)?;
        if !values.is_empty() {
            let mut pairs = self.url.query_pairs_mut();
            for value in &values {
                pairs.append_pair(name, value);
            }
        }
        Ok(())
    }

    /// A header parameter (list items joined with `,`), none for `None`.
    pub fn header<T>(&mut self, name: &str, value: &T) -> Result<(), ClientError>
    where
        T: serde::Serialize + ?Sized,
    {
        let values = texts(name, value)?;
        if values.is_empty() {
            return Ok(());
        }
        let header = header_name(name)?;
        let value = HeaderValue::from_str(&values.join(",")).map_err(|_| {
            invalid(format!(
                "the value of header `{name}` has a character a header cannot carry"
            ))
        })?;
        self.headers.append(header, value);
        Ok(())
    }

    /// A cookie parameter (percent-encoded, list items joined with `,`), none for `None`.
    pub fn cookie<T>(&mut self, name: &str, value: &T) -> Result<(), ClientError>
    where
        T: serde::Serialize + ?Sized,
    {
        let values = texts(name, value)?;
        if !values.is_empty() {
            self.cookies
                .push(format!("{name}={}", cookie_encode(&values.join(","))));
        }
        Ok(())
    }

    /// A credential in header `name`, after `prefix` (`Bearer `), marked sensitive; nothing
    /// when absent.
    pub fn credential_header(
        &mut self,
        name: &str,
        prefix: &str,
        value: Option<&str>,
    ) -> Result<(), ClientError> {
        let Some(value) = value else {
            return Ok(());
        };
        let header = header_name(name)?;
        // The message names the header, never the credential.
        let mut value = HeaderValue::from_str(&format!("{prefix}{value}")).map_err(|_| {
            invalid(format!(
                "the credential for header `{name}` has a character a header cannot carry"
            ))
        })?;
        value.set_sensitive(true);
        self.headers.insert(header, value);
        Ok(())
    }

    /// A credential in query parameter `name`; nothing when absent.
    pub fn credential_query(&mut self, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.url.query_pairs_mut().append_pair(name, value);
        }
    }

    /// A credential in cookie `name` (percent-encoded); nothing when absent.
    pub fn credential_cookie(&mut self, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.cookies
                .push(format!("{name}={}", cookie_encode(value)));
        }
    }

    /// A JSON body, sent as `media_type`.
    pub fn json<T>(&mut self, media_type: &str, body: &T) -> Result<(), ClientError>
    where
        T: serde::Serialize + ?Sized,
    {
        let bytes = serde_json::to_vec(body)
            .map_err(|error| invalid(format!("the body does not serialize: {error}")))?;
        self.bytes(media_type, &bytes)
    }

    /// A body sent as it is, as `media_type`.
    pub fn bytes(&mut self, media_type: &str, bytes: &[u8]) -> Result<(), ClientError> {
        let content_type = HeaderValue::from_str(media_type)
            .map_err(|_| invalid(format!("{media_type:?} is not a media type")))?;
        self.body = Payload::Bytes {
            content_type,
            bytes: bytes.to_vec(),
        };
        Ok(())
    }

    /// An `application/x-www-form-urlencoded` body (a file is sent as its text).
    pub fn form(&mut self, fields: Fields) {
        self.body = Payload::Form(fields.into_pairs());
    }

    /// A `multipart/form-data` body.
    pub fn multipart(&mut self, fields: Fields) {
        self.body = Payload::Multipart(fields);
    }

    /// Sends the request and reads the whole answer.
    pub async fn send(self) -> Result<Received, ClientError> {
        let Call {
            http,
            method,
            url,
            mut headers,
            cookies,
            body,
        } = self;
        if !cookies.is_empty() {
            let mut cookie = HeaderValue::from_str(&cookies.join("; "))
                .map_err(|_| invalid("a cookie name is not a valid header value".into()))?;
            cookie.set_sensitive(true);
            headers.insert(COOKIE, cookie);
        }
        let builder = http.request(method, url).headers(headers);
        let builder = match body {
            Payload::Empty => builder,
            Payload::Bytes {
                content_type,
                bytes,
            } => builder.header(CONTENT_TYPE, content_type).body(bytes),
            Payload::Form(pairs) => builder.form(&pairs),
            Payload::Multipart(fields) => builder.multipart(fields.into_multipart()?),
        };
        let response = builder.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(transport)?;
        Ok(Received::new(status, body.to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Base;

    fn call() -> Call {
        Base::new("https://api.example.com/")
            .unwrap()
            .call(Method::GET, &["items"])
            .unwrap()
    }

    #[test]
    fn queries_repeat_list_names_and_skip_none() {
        let mut call = call();
        call.query("tag", &["a b", "c&d"]).unwrap();
        call.query("page", &None::<u32>).unwrap();
        call.query("limit", &10).unwrap();
        assert_eq!(call.url().query(), Some("tag=a+b&tag=c%26d&limit=10"));
    }

    #[test]
    fn headers_join_lists_and_refuse_line_breaks() {
        let mut call = call();
        call.header("X-Tags", &["a", "b"]).unwrap();
        assert_eq!(call.headers["x-tags"], "a,b");
        assert!(call.header("X-Bad", "a\nb").is_err());
    }

    #[test]
    fn credentials_are_sensitive_and_never_in_errors() {
        let mut call = call();
        call.credential_header("Authorization", "Bearer ", Some("t0k3n"))
            .unwrap();
        assert!(call.headers["authorization"].is_sensitive());
        let error = call
            .credential_header("X-Key", "", Some("s3cr3t\n"))
            .unwrap_err();
        assert!(!error.to_string().contains("s3cr3t"), "{error}");
        call.credential_header("X-None", "", None).unwrap();
        assert!(!call.headers.contains_key("x-none"));
        call.credential_query("api_key", Some("k"));
        call.credential_cookie("session", Some("a;b"));
        assert_eq!(call.url().query(), Some("api_key=k"));
        assert_eq!(call.cookies, ["session=a%3Bb"]);
        let shown = format!("{call:?}");
        assert!(
            !shown.contains("api_key") && !shown.contains("t0k3n"),
            "{shown}"
        );
    }

    #[test]
    fn a_body_needs_a_valid_media_type() {
        let mut call = call();
        call.json("application/json", &[1, 2]).unwrap();
        assert!(matches!(&call.body, Payload::Bytes { bytes, .. } if bytes == b"[1,2]"));
        assert!(call.bytes("bad\ntype", b"x").is_err());
    }
}
