//! What the harness must never do, whatever the server: send a DELETE it was not allowed to,
//! or print a credential in any encoding.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use conformance::{Credentials, Outcome, Report, RunConfig, Target};
use generator::spec::ext::Dialect;

mod support;

/// A server that answers every request with `status` and a JSON body that echoes the request
/// line back (a server may reflect anything, credentials included); it logs request lines.
fn echo_server(status: u16) -> (String, Arc<Mutex<Vec<String>>>) {
    support::raw_server("127.0.0.1:0", move |stream, log| {
        answer(stream, status, log)
    })
}

fn answer(mut stream: TcpStream, status: u16, log: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(300)));
    let mut buffer = vec![0u8; 2 << 20];
    let mut read = 0;
    // Read the head and whatever body arrives in time.
    while let Ok(n) = stream.read(&mut buffer[read..]) {
        if n == 0 {
            break;
        }
        read += n;
        let text = String::from_utf8_lossy(&buffer[..read]);
        if let Some(head_end) = text.find("\r\n\r\n") {
            let length = text[..head_end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            if read >= head_end + 4 + length {
                break;
            }
        }
    }
    let request = String::from_utf8_lossy(&buffer[..read]).into_owned();
    let line = request.lines().next().unwrap_or_default().to_owned();
    log.lock().unwrap().push(line.clone());
    let body = serde_json::json!({"detail": format!("you sent {line} with {request}")}).to_string();
    let answer = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(answer.as_bytes());
}

fn config(target: Target, base_url: String, credentials: Credentials) -> RunConfig {
    RunConfig {
        cases: 3,
        ..RunConfig::new(
            target,
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
            base_url,
            credentials,
        )
    }
}

const ITEMS_SPEC: &str = r#"
openapi: 3.0.3
info: {title: items, version: "1"}
paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      operationId: getItem
      responses:
        "200":
          description: the item
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
    put:
      operationId: putItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
      responses:
        "200":
          description: stored
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
    delete:
      operationId: deleteItem
      responses:
        "204": {description: deleted}
components:
  schemas:
    Item:
      type: object
      properties:
        name: {type: string, maxLength: 20}
"#;

fn items_spec() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("conformance-safety-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("items.yaml");
    std::fs::write(&path, ITEMS_SPEC).unwrap();
    path
}

#[test]
fn a_plain_delete_is_never_sent_without_destructive() {
    let (url, seen) = echo_server(200);
    let credentials = Credentials {
        user_id: Some("mine".into()),
        other_user_id: Some("theirs".into()),
        ..Credentials::default()
    };
    let report = conformance::run(&config(
        Target::Spec(items_spec()),
        url.clone(),
        credentials.clone(),
    ))
    .unwrap();
    let lines = seen.lock().unwrap().clone();
    assert!(!lines.is_empty(), "the run sent nothing");
    assert!(
        lines.iter().all(|line| !line.starts_with("DELETE")),
        "a DELETE was sent without --destructive: {lines:?}"
    );
    let skipped = report.results.iter().any(|r| {
        r.operation == "deleteItem"
            && matches!(&r.outcome, Outcome::Skipped { reason } if reason.contains("--destructive"))
    });
    assert!(skipped, "{}", report.render_text());
    // Coverage: the GET and the PUT were called; the DELETE is listed with why it was not.
    let unexercised: Vec<&str> = report
        .unexercised()
        .iter()
        .map(|c| c.operation.as_str())
        .collect();
    assert_eq!(unexercised, ["deleteItem"], "{}", report.render_text());
    assert!(
        report
            .render_text()
            .contains("not exercised: deleteItem (DELETE /items/{id}): DELETE destroys data"),
        "{}",
        report.render_text()
    );

    // With --destructive, DELETE goes to the other user's id only.
    seen.lock().unwrap().clear();
    let mut destructive = config(Target::Spec(items_spec()), url, credentials);
    destructive.destructive = true;
    conformance::run(&destructive).unwrap();
    let deletes: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.starts_with("DELETE"))
        .cloned()
        .collect();
    assert!(!deletes.is_empty());
    assert!(
        deletes.iter().all(|l| !l.contains("/items/mine")),
        "{deletes:?}"
    );
}

/// Every output a run writes.
fn outputs(report: &Report, base_url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("text", report.render_text()),
        ("json", report.render_json()),
        ("junit", report.render_junit()),
        ("record", conformance::matrix::render(report, base_url)),
    ]
}

#[test]
fn a_key_with_url_characters_never_appears_in_any_form() {
    let key = "in-Q+7/w=z%41kR";
    // The server refuses everything as invalid and echoes the request (URL, query and
    // headers) back.
    let (url, seen) = echo_server(400);
    let credentials = Credentials {
        api_key: Some(key.into()),
        user_id: Some("3c90c3cc-0d44-4b50-8888-8dd25736052a".into()),
        other_user_id: Some("7d1e8a30-9c1f-4b7e-9a56-0f4f2b6c1d11".into()),
        ..Credentials::default()
    };
    let report = conformance::run(&config(
        Target::Dialect(Dialect::Billing),
        url.clone(),
        credentials,
    ))
    .unwrap();
    assert!(report.failures() > 0, "{}", report.render_text());
    // The key reached the server (percent-encoded in the query) ...
    assert!(
        seen.lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("api_key=in-Q")),
        "{:?}",
        seen.lock().unwrap()
    );
    // ... and no output holds it, raw or encoded: not the report ...
    let mut texts = outputs(&report, &url);
    // ... nor the one-line diagnosis of a server that refuses the credentials.
    let (refusing, _) = echo_server(401);
    match conformance::run(&config(
        Target::Dialect(Dialect::Billing),
        refusing,
        Credentials {
            api_key: Some(key.into()),
            user_id: Some("3c90c3cc-0d44-4b50-8888-8dd25736052a".into()),
            ..Credentials::default()
        },
    )) {
        Err(conformance::RunError::Diagnosis(line)) => texts.push(("diagnosis", line)),
        other => panic!("expected a diagnosis, got {other:?}"),
    }
    for (name, text) in texts {
        for form in [
            key, "Q+7/w", "Q%2B7", "Q%2b7", "w%3Dz", "w%3dz", "z%2541", "=z%41",
        ] {
            assert!(!text.contains(form), "{name} holds {form:?}:\n{text}");
        }
    }
}
