//! The generated clients against servers we did not write: the five independent dialect
//! emulators of `../shared/emulators/` (Python, written from the contract, sharing no code
//! with this project), each started on a free loopback port for the test.
//!
//! Per dialect, two tests, each on a fresh emulator:
//! - `<dialect>_client`: every operation through `<dialect>::client::Client` with valid data,
//!   the success answer decoded into the documented type and read back; then every documented
//!   error status provoked and decoded into the response enum's variant for it, envelope
//!   fields checked. The statuses the client cannot provoke (it sends only listed media
//!   types, only valid UTF-8) are listed with the reason, provoked with a request of the
//!   test's own and decoded into the documented type. The test ends by checking, against
//!   the dialect's spec, that every documented status of every operation was provoked.
//! - `<dialect>_canonical`: the canonical API through `adapters::<dialect>::Adapter` (the
//!   canonical requests and responses over the dialect's client): a write read back equal
//!   on every canonical field the canonical spec maps onto the vendor, errors carried over
//!   as canonical problems with canonical field names, and every canonical operation tried
//!   (served, or refused as unsupported where the spec says so).
//!
//! Credentials come from `emulator.py --credentials` and never reach an assertion message:
//! requests, clients and adapters show them as `[redacted]` (checked), and the test never
//! formats them itself. Without Python or `../shared/emulators` the tests fail under
//! `CI=true` and are skipped, with the reason printed, elsewhere.

#![cfg(feature = "client")]

/// The body of the `$variant` variant of the answer to `$call`, a generated client's call of
/// `$operation`, recorded in `$statuses`; a failure shows any other answer (answers hold no
/// credentials).
macro_rules! expect {
    ($statuses:expr, $operation:literal, $call:expr, $response:ident :: $variant:ident) => {{
        let answer = $call
            .await
            .unwrap_or_else(|error| panic!("{}: {error}", $operation));
        let status = answer.status();
        match answer {
            $response::$variant(body) => {
                $statuses.client($operation, status);
                body
            }
            other => panic!(
                "{}: expected {}, got {other:?}",
                $operation,
                stringify!($variant)
            ),
        }
    }};
}

/// The body of the `$variant` variant of a canonical answer from an adapter.
macro_rules! canonical {
    ($operation:literal, $call:expr, $response:ident :: $variant:ident) => {{
        match $call.await {
            Ok($response::$variant(body)) => body,
            other => panic!(
                "canonical {}: expected {}, got {other:?}",
                $operation,
                stringify!($variant)
            ),
        }
    }};
}

mod coverage;
mod emulator;
mod payloads;
mod raw;
mod read_back;
mod requests;

mod billing;
mod cl2c;
mod community;
mod manage;
mod rpc;
