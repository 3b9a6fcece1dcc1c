//! Why an adapter (a generated crate's `adapters` module) cannot carry a value or a call
//! from one API over to the other.

use std::fmt;

use crate::ClientError;

/// Why an adapter cannot carry a value or a call from one API over to the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdapterError {
    /// A field the target requires has no value in the source. `field` is the canonical
    /// field (`email`, `tags/0/id`), or the dialect field as `Schema#/pointer` when no
    /// canonical field maps onto it.
    Missing { field: &'static str },
    /// A value the target cannot represent (an id that is not an integer, a date-time that is
    /// not one): the canonical field, the value and why.
    Invalid {
        field: &'static str,
        value: String,
        reason: String,
    },
    /// The canonical operation has no counterpart in the dialect (answered like
    /// 501 Not Implemented).
    Unsupported {
        /// The canonical operationId.
        operation: &'static str,
        /// Why, from the canonical spec's `x-mapping`.
        reason: &'static str,
    },
    /// The dialect's answer cannot be carried over: a status the canonical operation does not
    /// document, or a body the conversion rejects.
    Upstream { status: u16, message: String },
    /// Calling the dialect failed: no answer, an undocumented status, a body that does not
    /// decode.
    Client(ClientError),
}

impl AdapterError {
    /// The status a canonical server answers with: 400 when the request cannot be carried
    /// over (`Missing`, `Invalid`), 501 for `Unsupported`, 502 when the dialect's answer
    /// cannot (`Upstream`, `Client`).
    pub fn status(&self) -> u16 {
        match self {
            Self::Missing { .. } | Self::Invalid { .. } => 400,
            Self::Unsupported { .. } => 501,
            Self::Upstream { .. } | Self::Client(_) => 502,
        }
    }
}

impl fmt::Display for AdapterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing { field } => write!(f, "{field} is required but has no value"),
            Self::Invalid {
                field,
                value,
                reason,
            } => write!(f, "{field}: {value:?} cannot be carried over: {reason}"),
            Self::Unsupported { operation, reason } => {
                write!(f, "{operation} is not supported: {reason}")
            }
            Self::Upstream { status, message } => write!(
                f,
                "the answer (status {status}) cannot be carried over: {message}"
            ),
            Self::Client(error) => write!(f, "the call failed: {error}"),
        }
    }
}

impl std::error::Error for AdapterError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Client(error) => Some(error),
            _ => None,
        }
    }
}

impl From<ClientError> for AdapterError {
    fn from(error: ClientError) -> Self {
        Self::Client(error)
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn each_kind_answers_its_status() {
        assert_eq!(AdapterError::Missing { field: "email" }.status(), 400);
        let unsupported = AdapterError::Unsupported {
            operation: "deleteUser",
            reason: "no delete",
        };
        assert_eq!(unsupported.status(), 501);
        let client = AdapterError::from(ClientError::Transport {
            message: "refused".into(),
        });
        assert_eq!(client.status(), 502);
        assert!(client.source().is_some());
        assert_eq!(client.to_string(), "the call failed: no answer: refused");
    }
}
