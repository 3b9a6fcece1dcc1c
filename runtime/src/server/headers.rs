//! Values a request carries in its headers: lengths, media types, credentials, cookies.

use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE};

/// The `Content-Length` a request announces.
pub fn content_length(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// The essence of a request's `Content-Type` (`application/json`), lowercase.
pub fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(CONTENT_TYPE)?;
    let text = String::from_utf8_lossy(value.as_bytes());
    let essence = text
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    (!essence.is_empty()).then_some(essence)
}

/// A header's value as text (invalid UTF-8 replaced).
pub fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).trim().to_owned())
}

/// The credentials of an `Authorization` header with `scheme` (`bearer`, `basic`, any case),
/// without the scheme.
pub fn authorization(headers: &HeaderMap, scheme: &str) -> Option<String> {
    let value = header_text(headers, AUTHORIZATION.as_str())?;
    let (given, credentials) = value.split_once(' ')?;
    given
        .eq_ignore_ascii_case(scheme)
        .then(|| credentials.trim().to_owned())
}

/// The value of cookie `name`, from any of the request's `Cookie` headers.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(COOKIE).iter().find_map(|value| {
        String::from_utf8_lossy(value.as_bytes())
            .split(';')
            .find_map(|pair| {
                let (key, value) = pair.trim().split_once('=')?;
                (key.trim() == name).then(|| value.trim().to_owned())
            })
    })
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(list: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in list {
            headers.append(*name, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn lengths_and_media_types() {
        let sent = headers(&[
            ("content-length", " 12 "),
            ("content-type", "Application/JSON; charset=utf-8"),
        ]);
        assert_eq!(content_length(&sent), Some(12));
        assert_eq!(media_type(&sent).as_deref(), Some("application/json"));
        assert_eq!(media_type(&headers(&[("content-type", " ; x")])), None);
        assert_eq!(content_length(&HeaderMap::new()), None);
    }

    #[test]
    fn authorization_takes_its_scheme_in_any_case() {
        let sent = headers(&[("authorization", "BEARER  abc ")]);
        assert_eq!(authorization(&sent, "bearer").as_deref(), Some("abc"));
        assert_eq!(authorization(&sent, "basic"), None);
        assert_eq!(
            authorization(&headers(&[("authorization", "abc")]), "bearer"),
            None
        );
        assert_eq!(
            header_text(&sent, "Authorization").as_deref(),
            Some("BEARER  abc")
        );
    }

    #[test]
    fn cookies_are_found_in_every_cookie_header() {
        let sent = headers(&[("cookie", "a=1; b = 2"), ("cookie", "session=s3cr3t")]);
        assert_eq!(cookie_value(&sent, "b").as_deref(), Some("2"));
        assert_eq!(cookie_value(&sent, "session").as_deref(), Some("s3cr3t"));
        assert_eq!(cookie_value(&sent, "c"), None);
    }
}
