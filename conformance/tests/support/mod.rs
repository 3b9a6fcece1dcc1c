//! Servers for the harness's own tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

pub mod cl2c;

/// A raw TCP server on `address` that hands each connection, on a thread of its own, to
/// `answer` with the log of requests it keeps; returns its base URL and that log.
pub fn raw_server(
    address: &str,
    answer: impl Fn(TcpStream, &Mutex<Vec<String>>) + Clone + Send + 'static,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind(address).unwrap();
    let address = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let answer = answer.clone();
            let log = Arc::clone(&log);
            std::thread::spawn(move || answer(stream, &log));
        }
    });
    (format!("http://{address}"), seen)
}

/// The harness's credentials for a face of the reference server (its fixtures' users).
pub fn reference_credentials(face: reference::FaceCredentials) -> conformance::Credentials {
    conformance::Credentials {
        api_key: face.api_key,
        token: face.token,
        tenant: face.tenant,
        user_id: face.user_id,
        other_user_id: face.other_user_id,
        other_token: face.other_token,
    }
}
