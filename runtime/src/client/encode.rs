//! How parameter values become text on the wire, and the client's own errors.

use reqwest::header::HeaderName;
use serde_json::Value;

use crate::ClientError;

/// The texts of a parameter or field: none for `null`, one per item of a list, scalars as
/// they print, anything else as JSON.
pub(crate) fn texts<T>(name: &str, value: &T) -> Result<Vec<String>, ClientError>
where
    T: serde::Serialize + ?Sized,
{
    fn text(value: Value) -> Option<String> {
        match value {
            Value::Null => None,
            Value::String(text) => Some(text),
            other => Some(other.to_string()),
        }
    }
    let value = serde_json::to_value(value)
        .map_err(|error| invalid(format!("`{name}` does not serialize: {error}")))?;
    Ok(match value {
        Value::Array(items) => items.into_iter().filter_map(text).collect(),
        other => text(other).into_iter().collect(),
    })
}

/// Percent-encodes every byte a cookie value cannot hold (RFC 6265 `cookie-octet`) and `%`
/// itself.
pub(crate) fn cookie_encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        let plain = matches!(
            byte,
            0x21 | 0x23..=0x24 | 0x26..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E
        );
        if plain {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

pub(crate) fn header_name(name: &str) -> Result<HeaderName, ClientError> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| invalid(format!("{name:?} is not a header name")))
}

pub(crate) fn invalid(message: String) -> ClientError {
    ClientError::InvalidRequest { message }
}

/// reqwest's error without its URL (which may hold a query credential), with its causes.
pub(crate) fn transport(error: reqwest::Error) -> ClientError {
    let error = error.without_url();
    let mut message = error.to_string();
    let mut cause = std::error::Error::source(&error);
    while let Some(inner) = cause {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        cause = inner.source();
    }
    ClientError::Transport { message }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_print_as_text() {
        assert_eq!(texts("a", &json!(null)).unwrap(), Vec::<String>::new());
        assert_eq!(texts("a", &Some("x")).unwrap(), ["x"]);
        assert_eq!(texts("a", &None::<i32>).unwrap(), Vec::<String>::new());
        assert_eq!(texts("a", &[1, 2]).unwrap(), ["1", "2"]);
        assert_eq!(texts("a", &true).unwrap(), ["true"]);
        assert_eq!(texts("a", &json!({"k": 1})).unwrap(), [r#"{"k":1}"#]);
        assert_eq!(texts("a", &json!([null, "b"])).unwrap(), ["b"]);
    }

    #[test]
    fn cookie_values_encode_separators_and_percent() {
        assert_eq!(cookie_encode("plain-Value_1"), "plain-Value_1");
        assert_eq!(cookie_encode("a b;c,d\"e\\f%"), "a%20b%3Bc%2Cd%22e%5Cf%25");
        assert_eq!(cookie_encode("é"), "%C3%A9");
    }

    #[test]
    fn header_names_are_checked() {
        assert!(header_name("X-Api-Key").is_ok());
        assert!(matches!(
            header_name("bad name"),
            Err(ClientError::InvalidRequest { .. })
        ));
    }
}
