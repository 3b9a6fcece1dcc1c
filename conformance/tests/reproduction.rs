//! A failure's curl line, pasted into a shell with the `CONFORMANCE_…` variables set, sends
//! the bytes the harness sent: invalid UTF-8 as it was, a 1 MiB body from the file written
//! beside the report, the API key from the environment, percent-encoded as the harness did.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use conformance::{Credentials, Outcome, RunConfig, Selection, Target};
use generator::spec::ext::Dialect;

/// What the server received: the request target (path and query) and the body.
type Recorded = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// A server that accepts everything (200 `{}`) and records each request exactly.
fn recording_server() -> (String, Recorded) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let recorded: Recorded = Arc::default();
    let log = Arc::clone(&recorded);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let log = Arc::clone(&log);
            std::thread::spawn(move || serve(stream, &log));
        }
    });
    (format!("http://{address}"), recorded)
}

fn serve(mut stream: TcpStream, log: &Mutex<Vec<(String, Vec<u8>)>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    loop {
        // One request per iteration (keep-alive): the head, then Content-Length bytes.
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            match stream.read(&mut byte) {
                Ok(1) => head.push(byte[0]),
                _ => return,
            }
        }
        let head_text = String::from_utf8_lossy(&head).into_owned();
        let target = head_text
            .lines()
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .unwrap_or_default()
            .to_owned();
        let length = head_text
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        let mut body = vec![0u8; length];
        if stream.read_exact(&mut body).is_err() {
            return;
        }
        log.lock().unwrap().push((target, body));
        let answer =
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
        if stream.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

const KEY: &str = "in-Q+7/w=z%41kR";

#[test]
fn pasted_reproductions_send_the_same_bytes() {
    let (url, recorded) = recording_server();
    let evidence =
        std::env::temp_dir().join(format!("conformance-evidence-{}", std::process::id()));
    let config = RunConfig {
        cases: 1,
        selection: Selection::parse(&["CF502,CF504".into()], &[]).unwrap(),
        evidence_dir: Some(evidence.clone()),
        ..RunConfig::new(
            Target::Dialect(Dialect::Billing),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
            url,
            Credentials {
                api_key: Some(KEY.into()),
                user_id: Some("3c90c3cc-0d44-4b50-8888-8dd25736052a".into()),
                ..Credentials::default()
            },
        )
    };
    let report = conformance::run(&config).unwrap();
    let sent = recorded.lock().unwrap().clone();
    for check in ["CF502", "CF504"] {
        let result = report
            .results
            .iter()
            .find(|r| r.check == check)
            .unwrap_or_else(|| panic!("no {check}:\n{}", report.render_text()));
        let Outcome::Failed(failure) = &result.outcome else {
            panic!("{check} did not fail on a server that accepts everything");
        };
        let curl = &failure.sequence.last().unwrap().curl;
        assert!(
            curl.contains("$CONFORMANCE_API_KEY") && !curl.contains("Q+7"),
            "{curl}"
        );
        // What the harness sent for this check: the last request whose body the check makes.
        let wanted = |body: &[u8]| match check {
            "CF502" => body.windows(3).any(|w| w == b"\xff\xfe\xfd"),
            _ => body.len() > 1024 * 1024,
        };
        let (harness_target, harness_body) = sent
            .iter()
            .rev()
            .find(|(_, body)| wanted(body))
            .unwrap()
            .clone();
        recorded.lock().unwrap().clear();
        let status = std::process::Command::new("bash")
            // Options go first: a line may end with a `# …` comment.
            .args(["-c", &curl.replacen("curl ", "curl -s -o /dev/null ", 1)])
            .env("CONFORMANCE_API_KEY", KEY)
            .status()
            .unwrap();
        assert!(status.success(), "{curl}");
        let replayed = recorded.lock().unwrap().clone();
        let (target, body) = replayed
            .last()
            .unwrap_or_else(|| panic!("curl sent nothing: {curl}"));
        assert_eq!(
            body, &harness_body,
            "{check}: other bytes than the harness sent: {curl}"
        );
        assert_eq!(
            decoded_query(target),
            decoded_query(&harness_target),
            "{check}: {curl}"
        );
    }
    let _ = std::fs::remove_dir_all(&evidence);
}

/// A request target's query, percent-decoded, in order.
fn decoded_query(target: &str) -> Vec<(String, String)> {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.replace('+', " ").into_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
