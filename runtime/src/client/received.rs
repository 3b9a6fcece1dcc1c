//! An answer: its status and whole body.

use crate::ClientError;

/// An answer: its status and whole body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    status: u16,
    body: Vec<u8>,
}

impl Received {
    /// An answer as it came back (the generated clients get theirs from [`super::Call::send`]).
    pub fn new(status: u16, body: Vec<u8>) -> Received {
        Received { status, body }
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as the documented JSON type.
    pub fn json<T>(&self) -> Result<T, ClientError>
    where
        T: serde::de::DeserializeOwned,
    {
        serde_json::from_slice(&self.body).map_err(|error| ClientError::Decode {
            status: self.status,
            message: error.to_string(),
        })
    }

    /// The error for a status the operation does not document.
    pub fn unexpected(self) -> ClientError {
        ClientError::UnexpectedStatus {
            status: self.status,
            body: String::from_utf8_lossy(&self.body).into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_decodes_or_names_its_status() {
        let answer = Received::new(200, br#"{"id":1}"#.to_vec());
        let value: serde_json::Value = answer.json().unwrap();
        assert_eq!(value["id"], 1);
        let error = Received::new(201, b"nope".to_vec())
            .json::<serde_json::Value>()
            .unwrap_err();
        assert_eq!(error.status(), Some(201));
        let unexpected = Received::new(418, vec![0xFF, b'x']).unexpected();
        assert_eq!(
            unexpected,
            ClientError::UnexpectedStatus {
                status: 418,
                body: "\u{FFFD}x".into()
            }
        );
    }
}
