//! What error bodies carry beside the field errors: reason phrases and error ids.

use std::sync::atomic::{AtomicU64, Ordering};

/// A new error id, unique in this process: `err-000001`, `err-000002`, …
pub fn next_error_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("err-{id:06}")
}

/// The reason phrase of an HTTP status (`Not Found`), `Error` for an unknown one.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_ids_are_unique_and_padded() {
        let first = next_error_id();
        let second = next_error_id();
        assert_ne!(first, second);
        assert!(first.starts_with("err-") && first.len() >= 10, "{first}");
    }

    #[test]
    fn unknown_statuses_are_an_error() {
        assert_eq!(reason_phrase(404), "Not Found");
        assert_eq!(reason_phrase(499), "Error");
    }
}
