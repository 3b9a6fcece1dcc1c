//! Why a call of a generated client failed. Always compiled: the adapters carry it
//! ([`crate::AdapterError::Client`]) whether or not this crate's client is.

use std::fmt;

/// Why a call of a generated client failed.
///
/// Never holds a credential: transport errors are reported without their URL (which may
/// carry an API key in its query), and invalid credentials are named by where they go,
/// never by value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientError {
    /// The base URL is not an absolute `http` or `https` URL.
    InvalidBaseUrl { message: String },
    /// The request cannot be sent as given: a header value with a line break, an empty path
    /// parameter, a body that does not serialize.
    InvalidRequest { message: String },
    /// No answer: the connection failed or timed out, or the answer was cut short.
    Transport { message: String },
    /// The server answered a status the operation does not document.
    UnexpectedStatus {
        status: u16,
        /// The response body as text (invalid UTF-8 replaced).
        body: String,
    },
    /// The server answered a documented status with a body that is not the documented type.
    Decode { status: u16, message: String },
}

impl ClientError {
    /// The status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::UnexpectedStatus { status, .. } | Self::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidBaseUrl { message } => write!(f, "invalid base URL: {message}"),
            Self::InvalidRequest { message } => write!(f, "cannot send the request: {message}"),
            Self::Transport { message } => write!(f, "no answer: {message}"),
            Self::UnexpectedStatus { status, body } => {
                // Enough of the body to see what came back, not a whole page.
                const SHOWN: usize = 200;
                if body.is_empty() {
                    write!(f, "undocumented status {status} (empty body)")
                } else if body.chars().count() > SHOWN {
                    let shown: String = body.chars().take(SHOWN).collect();
                    write!(f, "undocumented status {status}: {shown}…")
                } else {
                    write!(f, "undocumented status {status}: {body}")
                }
            }
            Self::Decode { status, message } => {
                write!(f, "the {status} answer does not decode: {message}")
            }
        }
    }
}

impl std::error::Error for ClientError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_answers_have_a_status() {
        let decode = ClientError::Decode {
            status: 200,
            message: "x".into(),
        };
        assert_eq!(decode.status(), Some(200));
        let transport = ClientError::Transport {
            message: "refused".into(),
        };
        assert_eq!(transport.status(), None);
    }

    #[test]
    fn a_long_unexpected_body_is_cut_at_200_characters() {
        let error = ClientError::UnexpectedStatus {
            status: 418,
            body: "é".repeat(300),
        };
        let text = error.to_string();
        assert_eq!(
            text,
            format!("undocumented status 418: {}…", "é".repeat(200))
        );
        let empty = ClientError::UnexpectedStatus {
            status: 500,
            body: String::new(),
        };
        assert_eq!(empty.to_string(), "undocumented status 500 (empty body)");
    }
}
