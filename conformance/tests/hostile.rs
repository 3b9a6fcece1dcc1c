//! The harness against servers that misbehave: every run ends, with a report (exit 1) or a
//! connection error (exit 2), never a hang, a panic or unbounded memory.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use conformance::{Credentials, Outcome, Report, RunConfig, RunError, Selection, Target};
use generator::spec::ext::Dialect;

mod support;

/// How a fake server answers every connection.
#[derive(Debug, Clone)]
enum Behaviour {
    /// Answers after this long.
    Slow(Duration),
    /// Reads the request and never answers.
    Silent,
    /// Sends bytes that are not HTTP.
    Garbage,
    /// Promises a long body, sends a little, hangs up.
    Truncated,
    /// Closes the connection at once.
    Reset,
    /// Streams a gigabyte.
    Gigabyte,
    /// Redirects to another origin.
    Redirect(String),
}

/// Starts a raw TCP server on loopback; returns its base URL and the requests it saw.
fn spawn(behaviour: Behaviour) -> (String, Arc<Mutex<Vec<String>>>) {
    spawn_on("127.0.0.1:0", behaviour)
}

fn spawn_on(address: &str, behaviour: Behaviour) -> (String, Arc<Mutex<Vec<String>>>) {
    support::raw_server(address, move |stream, log| serve(stream, &behaviour, log))
}

fn serve(mut stream: TcpStream, behaviour: &Behaviour, log: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut buffer = vec![0u8; 64 * 1024];
    let read = stream.read(&mut buffer).unwrap_or(0);
    log.lock()
        .unwrap()
        .push(String::from_utf8_lossy(&buffer[..read]).into_owned());
    let ok = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
    match behaviour {
        Behaviour::Slow(delay) => {
            std::thread::sleep(*delay);
            let _ = stream.write_all(ok.as_bytes());
        }
        Behaviour::Silent => std::thread::sleep(Duration::from_secs(30)),
        Behaviour::Garbage => {
            let _ = stream.write_all(b"\x00\x01garbage that is not HTTP at all\r\n\r\n\xff\xfe");
        }
        Behaviour::Truncated => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{\"firstName\":");
        }
        Behaviour::Reset => drop(stream),
        Behaviour::Gigabyte => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1073741824\r\n\r\n";
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            let chunk = vec![b'a'; 64 * 1024];
            for _ in 0..(1024 * 1024 * 1024 / chunk.len()) {
                if stream.write_all(&chunk).is_err() {
                    return; // the client stopped reading: what we want
                }
            }
        }
        Behaviour::Redirect(location) => {
            let answer = format!(
                "HTTP/1.1 302 Found\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    }
}

fn run(base_url: String) -> Result<Report, RunError> {
    let config = RunConfig {
        cases: 2,
        selection: Selection::parse(&["CF202,CF200,CF101,CF500,CF401".into()], &[]).unwrap(),
        limits: conformance::http::Limits {
            timeout: Duration::from_millis(800),
            connect_timeout: Duration::from_millis(800),
            max_body: 1024 * 1024,
        },
        ..RunConfig::new(
            Target::Dialect(Dialect::Cl2c),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
            base_url,
            Credentials {
                api_key: Some("hostile-key-secret".into()),
                tenant: Some("hostile-tenant-secret".into()),
                user_id: Some("3fa85f64-5717-4562-b3fc-2c963f66afa6".into()),
                ..Credentials::default()
            },
        )
    };
    conformance::run(&config)
}

/// The run ended in time and reported a broken rule, or could not start.
fn assert_ends_cleanly(behaviour: Behaviour, limit: Duration) -> Result<Report, RunError> {
    let (url, _) = spawn(behaviour.clone());
    let started = Instant::now();
    let outcome = run(url);
    assert!(
        started.elapsed() < limit,
        "{behaviour:?} took {:?}",
        started.elapsed()
    );
    match &outcome {
        Ok(report) => {
            assert!(
                report.failures() > 0,
                "{behaviour:?} passed:\n{}",
                report.render_text()
            );
            let text = report.render_text();
            assert!(
                !text.contains("hostile-key-secret") && !text.contains("hostile-tenant-secret"),
                "{text}"
            );
        }
        Err(error) => assert!(
            matches!(error, RunError::Connection { .. }),
            "{behaviour:?}: {error}"
        ),
    }
    outcome
}

fn failed(report: &Report, check: &str) -> bool {
    report
        .results
        .iter()
        .any(|r| r.check == check && matches!(r.outcome, Outcome::Failed(_)))
}

#[test]
fn a_slow_server_times_out() {
    let report = assert_ends_cleanly(
        Behaviour::Slow(Duration::from_secs(3)),
        Duration::from_secs(40),
    );
    // The probe itself times out: a target that cannot answer in time is a connection error.
    assert!(matches!(report, Err(RunError::Connection { .. })));
}

#[test]
fn a_silent_server_times_out() {
    assert!(matches!(
        assert_ends_cleanly(Behaviour::Silent, Duration::from_secs(40)),
        Err(RunError::Connection { .. })
    ));
}

#[test]
fn garbage_is_a_broken_rule_not_a_crash() {
    let report = assert_ends_cleanly(Behaviour::Garbage, Duration::from_secs(40)).unwrap();
    assert!(failed(&report, "CF500"), "{}", report.render_text());
}

#[test]
fn a_connection_reset_is_a_broken_rule() {
    let report = assert_ends_cleanly(Behaviour::Reset, Duration::from_secs(40)).unwrap();
    assert!(failed(&report, "CF500"), "{}", report.render_text());
}

#[test]
fn a_truncated_body_is_reported() {
    let report = assert_ends_cleanly(Behaviour::Truncated, Duration::from_secs(40)).unwrap();
    assert!(failed(&report, "CF401"), "{}", report.render_text());
}

#[test]
fn a_gigabyte_is_read_up_to_the_bound_only() {
    let report = assert_ends_cleanly(Behaviour::Gigabyte, Duration::from_secs(60)).unwrap();
    assert!(failed(&report, "CF401"), "{}", report.render_text());
}

#[test]
fn a_redirect_to_another_origin_keeps_the_credentials() {
    // 127.0.0.2 is loopback too, but another origin.
    if TcpListener::bind("127.0.0.2:0").is_err() {
        return; // no 127.0.0.2 on this machine
    }
    let (elsewhere, seen_elsewhere) = spawn_on("127.0.0.2:0", Behaviour::Slow(Duration::ZERO));
    let report = assert_ends_cleanly(
        Behaviour::Redirect(format!("{elsewhere}/stolen")),
        Duration::from_secs(40),
    )
    .unwrap();
    assert!(failed(&report, "CF500"), "{}", report.render_text());
    assert!(
        report.render_text().contains("another origin"),
        "{}",
        report.render_text()
    );
    let seen = seen_elsewhere.lock().unwrap();
    assert!(
        seen.iter()
            .all(|request| !request.contains("hostile-key-secret")
                && !request.contains("hostile-tenant-secret")),
        "{seen:?}"
    );
    assert!(seen.is_empty(), "the redirect was followed: {seen:?}");
}

#[test]
fn nothing_listening_is_a_connection_error() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let outcome = run(format!("http://127.0.0.1:{port}"));
    assert!(
        matches!(outcome, Err(RunError::Connection { .. })),
        "{outcome:?}"
    );
}
