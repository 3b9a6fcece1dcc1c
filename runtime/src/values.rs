//! Plain values the generated types hold: a file of a multipart body, and the error of a
//! string enum's `FromStr`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A file sent or received in a `format: binary` field (a multipart part).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Upload {
    /// The part's file name, when the sender gives one.
    pub filename: Option<String>,
    /// The part's media type, when the sender gives one.
    pub content_type: Option<String>,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

/// A string that is not one of a string enum's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    /// The enum's Rust name.
    pub type_name: &'static str,
    /// The string that matched no value.
    pub value: String,
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a value of {}", self.value, self.type_name)
    }
}

impl std::error::Error for UnknownValue {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_value_names_the_value_and_the_enum() {
        let error = UnknownValue {
            type_name: "Colour",
            value: "mauve".into(),
        };
        assert_eq!(error.to_string(), r#""mauve" is not a value of Colour"#);
    }

    #[test]
    fn an_upload_round_trips_through_json() {
        let upload = Upload {
            filename: Some("a.png".into()),
            content_type: None,
            bytes: vec![1, 2],
        };
        let json = serde_json::to_string(&upload).unwrap();
        assert_eq!(serde_json::from_str::<Upload>(&json).unwrap(), upload);
    }
}
