//! The correct server answers as `openapi.yaml` documents; every bug variant answers a request
//! that exposes its bug differently from the correct server.

use std::io::{Read, Write};
use std::net::SocketAddr;

use serde_json::{Value, json};
use zoo::Bug;

/// An answer, as plain HTTP/1.1 reads it.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }

    /// Status, content type, Location and the body with its timestamps blanked: what two
    /// servers that behave alike answer alike.
    fn observation(&self) -> String {
        fn blank(value: &mut Value) {
            match value {
                Value::Object(map) => {
                    for (key, v) in map.iter_mut() {
                        if key == "createdAt" && v.is_string() {
                            *v = json!("T");
                        } else {
                            blank(v);
                        }
                    }
                }
                Value::Array(items) => items.iter_mut().for_each(blank),
                _ => {}
            }
        }
        let body = match serde_json::from_str::<Value>(&self.body) {
            Ok(mut value) => {
                blank(&mut value);
                value.to_string()
            }
            Err(_) => self.body.clone(),
        };
        format!(
            "{} {} location={} {}",
            self.status,
            self.header("content-type").unwrap_or("-"),
            self.header("location").unwrap_or("-"),
            body
        )
    }
}

/// One request: method, path (`{new}` is the id the last create answered), headers, body.
#[derive(Clone, Debug)]
struct Step {
    method: &'static str,
    path: String,
    headers: Vec<(&'static str, String)>,
    body: Option<String>,
}

fn step(method: &'static str, path: &str) -> Step {
    Step {
        method,
        path: path.to_string(),
        headers: Vec::new(),
        body: None,
    }
}

impl Step {
    fn json(mut self, body: Value) -> Step {
        self.headers
            .push(("Content-Type", "application/json".to_string()));
        self.body = Some(body.to_string());
        self
    }

    fn raw(mut self, content_type: &str, body: &str) -> Step {
        self.headers
            .push(("Content-Type", content_type.to_string()));
        self.body = Some(body.to_string());
        self
    }

    fn header(mut self, name: &'static str, value: &str) -> Step {
        self.headers.push((name, value.to_string()));
        self
    }

    fn authorized(self) -> Step {
        self.header("Authorization", &format!("Bearer {}", zoo::TOKEN))
    }
}

async fn send(addr: SocketAddr, step: &Step) -> Answer {
    let step = step.clone();
    // Plain blocking HTTP/1.1 on the blocking pool, while the test's runtime serves the zoo.
    tokio::task::spawn_blocking(move || send_blocking(addr, &step))
        .await
        .expect("the request task")
}

fn send_blocking(addr: SocketAddr, step: &Step) -> Answer {
    let mut stream = std::net::TcpStream::connect(addr).expect("connect to the zoo");
    let body = step.body.clone().unwrap_or_default();
    let mut request = format!(
        "{} {} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        step.method,
        step.path,
        body.len()
    );
    for (name, value) in &step.headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(&body);
    stream
        .write_all(request.as_bytes())
        .expect("send the request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the answer");
    let text = String::from_utf8(raw).expect("a UTF-8 answer");
    let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_string(), value.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_string(),
    }
}

/// Sends the steps in order, `{new}` replaced by the id of the last 201 answer.
async fn run(addr: SocketAddr, steps: &[Step]) -> Vec<Answer> {
    let mut new_id = String::from("none-created");
    let mut answers = Vec::new();
    for step in steps {
        let mut step = step.clone();
        step.path = step.path.replace("{new}", &new_id);
        let answer = send(addr, &step).await;
        if answer.status == 201
            && let Some(id) = serde_json::from_str::<Value>(&answer.body)
                .ok()
                .and_then(|body| body["id"].as_str().map(str::to_string))
        {
            new_id = id;
        }
        answers.push(answer);
    }
    answers
}

async fn start(bug: Bug) -> SocketAddr {
    let (addr, _task) = zoo::start(bug, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("start the zoo");
    addr
}

fn valid_pet() -> Value {
    json!({
        "name": "Fido",
        "status": "available",
        "tags": ["dog", "good-boy"],
        "nickname": "Fi",
        "age": 3,
        "owner": {"name": "Ann", "phone": null, "address": {"street": "1 Main St", "city": "Oslo", "postcode": "01234"}}
    })
}

fn assert_error(answer: &Answer, status: u16, code: &str) {
    assert_eq!(answer.status, status, "{answer:?}");
    assert_eq!(answer.header("content-type"), Some("application/json"));
    let body = answer.json();
    assert_eq!(body["code"], code, "{answer:?}");
    assert!(body["message"].is_string(), "{answer:?}");
}

fn assert_pet(value: &Value) {
    assert!(value["id"].is_string(), "{value}");
    let created = value["createdAt"].as_str().expect("createdAt");
    assert!(
        created.len() == 20 && created.ends_with('Z') && created.as_bytes()[10] == b'T',
        "{created}"
    );
    assert!(value["name"].is_string(), "{value}");
    assert!(
        ["available", "pending", "sold"].contains(&value["status"].as_str().unwrap_or("")),
        "{value}"
    );
}

#[tokio::test]
async fn the_correct_server_answers_every_operation_as_documented() {
    let addr = start(Bug::None).await;
    let pet = valid_pet();

    // createPet: 201, Location, the pet with its readOnly fields.
    let created = send(addr, &step("POST", "/pets").json(pet.clone())).await;
    assert_eq!(created.status, 201, "{created:?}");
    assert_eq!(created.header("content-type"), Some("application/json"));
    let body = created.json();
    assert_pet(&body);
    let id = body["id"].as_str().expect("id").to_string();
    assert_eq!(
        created.header("location"),
        Some(format!("/pets/{id}").as_str())
    );
    assert_eq!(body["owner"], pet["owner"]);

    // getPet: what was created; with a valid X-Request-Id too.
    let read = send(
        addr,
        &step("GET", &format!("/pets/{id}")).header("X-Request-Id", "abcdef-12345"),
    )
    .await;
    assert_eq!(read.status, 200);
    assert_eq!(read.header("content-type"), Some("application/json"));
    assert_eq!(read.json(), body);

    // listPets: pagination, the tags array (form, explode), the status enum.
    let page = send(addr, &step("GET", "/pets?limit=2&offset=1")).await;
    assert_eq!(page.status, 200);
    let page = page.json();
    assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(page["items"][0]["id"], "pet-000002");
    assert_eq!(
        (
            page["total"].as_u64(),
            page["limit"].as_u64(),
            page["offset"].as_u64()
        ),
        (Some(4), Some(2), Some(1))
    );
    let tagged = send(
        addr,
        &step("GET", "/pets?tags=dog&tags=good-boy&status=available"),
    )
    .await;
    assert_eq!(tagged.status, 200);
    let tagged = tagged.json();
    assert_eq!(tagged["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(tagged["items"][0]["id"], id.as_str());
    let empty = send(addr, &step("GET", "/pets?offset=1000000&limit=100")).await;
    assert_eq!(empty.status, 200);
    assert_eq!(empty.json()["items"], json!([]));

    // replacePet: the nested owner and its address are stored.
    let mut replacement = pet.clone();
    replacement["name"] = json!("Rover");
    replacement["owner"]["address"]["city"] = json!("Bergen");
    let replaced = send(addr, &step("PUT", &format!("/pets/{id}")).json(replacement)).await;
    assert_eq!(replaced.status, 200, "{replaced:?}");
    assert_eq!(replaced.json()["owner"]["address"]["city"], "Bergen");

    // updatePet: a nullable field cleared with null, another changed; the read agrees.
    let updated = send(
        addr,
        &step("PATCH", &format!("/pets/{id}")).json(json!({"nickname": null, "age": 4})),
    )
    .await;
    assert_eq!(updated.status, 200, "{updated:?}");
    let read = send(addr, &step("GET", &format!("/pets/{id}")))
        .await
        .json();
    assert_eq!(
        (read["nickname"].clone(), read["age"].clone()),
        (Value::Null, json!(4))
    );
    assert_eq!(read["name"], "Rover");

    // createPetEvent: both oneOf variants; a body matching neither is 400.
    for event in [
        json!({"kind": "vaccination", "vaccine": "rabies", "dose": 1}),
        json!({"kind": "checkup", "weightKg": 12.5, "notes": null}),
    ] {
        let answer = send(
            addr,
            &step("POST", &format!("/pets/{id}/events")).json(event.clone()),
        )
        .await;
        assert_eq!(answer.status, 201, "{answer:?}");
        let body = answer.json();
        assert_eq!(body["event"], event);
        assert_eq!(body["petId"], id.as_str());
        assert!(body["id"].is_string());
    }
    for event in [
        json!({"kind": "vaccination", "dose": 1}),
        json!({"kind": "checkup", "weightKg": 0}),
        json!({"kind": "grooming"}),
        json!([]),
    ] {
        let answer = send(
            addr,
            &step("POST", &format!("/pets/{id}/events")).json(event),
        )
        .await;
        assert_error(&answer, 400, "bad_request");
    }

    // Invalid input: 400 with the Error body, naming the field.
    for (request, field) in [
        (step("GET", "/pets?limit=101"), "limit"),
        (step("GET", "/pets?limit=0"), "limit"),
        (step("GET", "/pets?limit=ten"), "limit"),
        (step("GET", "/pets?offset=1000001"), "offset"),
        (step("GET", "/pets?offset=-1"), "offset"),
        (step("GET", "/pets?tags=Not%20a%20tag"), "tags"),
        (step("GET", "/pets?tags=a&tags=b&tags=c&tags=d&tags=e&tags=f"), "tags"),
        (step("GET", "/pets?status=lost"), "status"),
        (step("GET", "/pets").header("X-Request-Id", "short"), "X-Request-Id"),
        (step("GET", &format!("/pets/{id}")).header("X-Request-Id", "not valid!"), "X-Request-Id"),
        (step("POST", "/pets").json(json!({"name": "x"})), "status"),
        (step("POST", "/pets").json(json!({"name": "x".repeat(51), "status": "sold"})), "name"),
        (step("POST", "/pets").json(json!({"name": "x", "status": "sold", "age": "5"})), "age"),
        (step("POST", "/pets").json(json!({"name": "x", "status": "sold", "owner": {"name": "A", "address": {"postcode": "123"}}})), "owner.address.city"),
        (step("PATCH", &format!("/pets/{id}")).json(json!({"name": null})), "name"),
        (step("POST", "/pets").raw("application/json", "{not json"), "body"),
    ] {
        let answer = send(addr, &request).await;
        assert_error(&answer, 400, "bad_request");
        assert_eq!(answer.json()["field"], field, "{request:?}");
    }
    let answer = send(
        addr,
        &step("POST", "/pets").raw("text/plain", &pet.to_string()),
    )
    .await;
    assert_error(&answer, 415, "unsupported_media_type");

    // Unknown ids: 404 on every operation with one.
    for request in [
        step("GET", "/pets/pet-999999"),
        step("PUT", "/pets/pet-999999").json(pet.clone()),
        step("PATCH", "/pets/pet-999999").json(json!({})),
        step("DELETE", "/pets/pet-999999").authorized(),
        step("POST", "/pets/pet-999999/events").json(json!({"kind": "checkup", "weightKg": 1})),
    ] {
        assert_error(&send(addr, &request).await, 404, "not_found");
    }

    // deletePet: 401 without the token or with another; 204 with it; 404 from then on.
    let path = format!("/pets/{id}");
    assert_error(
        &send(addr, &step("DELETE", &path)).await,
        401,
        "unauthorized",
    );
    assert_error(
        &send(
            addr,
            &step("DELETE", &path).header("Authorization", "Bearer nope"),
        )
        .await,
        401,
        "unauthorized",
    );
    let deleted = send(addr, &step("DELETE", &path).authorized()).await;
    assert_eq!((deleted.status, deleted.body.as_str()), (204, ""));
    assert_error(&send(addr, &step("GET", &path)).await, 404, "not_found");
    assert_error(
        &send(addr, &step("DELETE", &path).authorized()).await,
        404,
        "not_found",
    );
}

/// The requests that expose `bug` (exhaustive: a new variant needs its probe to compile).
fn probe(bug: Bug) -> Vec<Step> {
    let pet = valid_pet();
    let one = "/pets/pet-000001";
    match bug {
        Bug::None => vec![step("GET", one)],
        Bug::ServerErrorLongName => {
            vec![step("POST", "/pets").json(json!({"name": "n".repeat(45), "status": "sold"}))]
        }
        Bug::UnknownId500 | Bug::ErrorBodyWrongShape => vec![step("GET", "/pets/pet-999999")],
        Bug::ResponseSchemaViolation | Bug::WrongContentType => vec![step("GET", one)],
        Bug::UndocumentedStatus => vec![step("GET", "/pets?offset=1000")],
        Bug::AuthNotEnforced => vec![step("DELETE", one), step("GET", one)],
        Bug::QueryArrayNotValidated => vec![step("GET", "/pets?tags=NOT%20A%20TAG")],
        Bug::QueryEnumNotValidated => vec![step("GET", "/pets?status=lost")],
        Bug::QueryBoundsNotValidated => vec![step("GET", "/pets?limit=101")],
        Bug::OneOfNotValidated => {
            vec![step("POST", "/pets/pet-000001/events").json(json!({"kind": "vaccination"}))]
        }
        Bug::NullThenRead500 | Bug::NullableRejected => vec![
            step("PATCH", one).json(json!({"nickname": null})),
            step("GET", one),
        ],
        Bug::UseAfterDelete => vec![step("DELETE", one).authorized(), step("GET", one)],
        Bug::CreatedIdUnreadable => {
            vec![step("POST", "/pets").json(pet), step("GET", "/pets/{new}")]
        }
        Bug::PaginationOverflow => vec![step("GET", "/pets?offset=2147483647")],
        Bug::HeaderPatternIgnored => vec![step("GET", one).header("X-Request-Id", "no!")],
        Bug::PatchIgnoresField => {
            vec![step("PATCH", one).json(json!({"age": 7})), step("GET", one)]
        }
        Bug::PutDropsNestedObject => vec![step("PUT", one).json(pet), step("GET", one)],
        Bug::ListIgnoresOffset => vec![step("GET", "/pets?offset=1&limit=1")],
        Bug::RequiredNotEnforced => vec![step("POST", "/pets").json(json!({"name": "x"}))],
        Bug::MaxLengthNotEnforced => {
            vec![step("POST", "/pets").json(json!({"name": "n".repeat(51), "status": "sold"}))]
        }
        Bug::UnsupportedMediaTypeAccepted => {
            vec![step("POST", "/pets").raw("text/plain", &pet.to_string())]
        }
        Bug::MalformedJson500 => vec![step("POST", "/pets").raw("application/json", "{\"name\": ")],
        Bug::WrongTypeAccepted => {
            vec![step("POST", "/pets").json(json!({"name": "x", "status": "sold", "age": "5"}))]
        }
        Bug::ReadOnlyIdAccepted => vec![
            step("POST", "/pets").json(json!({"id": "mine", "name": "x", "status": "sold"})),
            step("GET", "/pets/mine"),
        ],
        Bug::LocationHeaderMissing => vec![step("POST", "/pets").json(pet)],
    }
}

#[tokio::test]
async fn every_bug_answers_its_probe_unlike_the_correct_server() {
    let mut same = Vec::new();
    for &bug in Bug::ALL {
        let steps = probe(bug);
        let correct = run(start(Bug::None).await, &steps).await;
        let buggy = run(start(bug).await, &steps).await;
        let correct: Vec<String> = correct.iter().map(Answer::observation).collect();
        let buggy: Vec<String> = buggy.iter().map(Answer::observation).collect();
        // The correct server never answers 5xx to a probe.
        assert!(
            correct.iter().all(|o| !o.starts_with('5')),
            "{bug}: the correct server answered {correct:#?}"
        );
        if correct == buggy {
            same.push(bug.name());
        }
    }
    assert!(
        same.is_empty(),
        "these variants answer their probe as the correct server does: {same:?}"
    );
}

#[test]
fn bugs_are_named_uniquely_and_at_least_twenty() {
    assert!(Bug::ALL.len() >= 20);
    let mut names: Vec<&str> = Bug::ALL.iter().map(|bug| bug.name()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), Bug::ALL.len());
    assert!(!Bug::ALL.contains(&Bug::None));
    for &bug in Bug::ALL {
        assert_eq!(Bug::from_name(bug.name()), Some(bug));
        assert!(!bug.check().is_empty() && !bug.what().is_empty() && !bug.operation().is_empty());
    }
    assert_eq!(Bug::from_name("none"), Some(Bug::None));
    assert_eq!(Bug::from_name("no-such-bug"), None);
}

#[test]
fn the_readme_table_lists_every_bug_as_the_code_does() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("zoo/README.md");
    let mut wrong = Vec::new();
    for &bug in Bug::ALL {
        let row = readme
            .lines()
            .find(|line| line.starts_with(&format!("| `{}` |", bug.name())));
        let expected_start = format!(
            "| `{}` | {} | {} |",
            bug.name(),
            bug.operation(),
            bug.what()
        );
        let expected_end = format!("| {} |", bug.check());
        match row {
            Some(row) if row.starts_with(&expected_start) && row.ends_with(&expected_end) => {}
            _ => wrong.push(format!("{expected_start} … {expected_end}")),
        }
    }
    assert!(
        wrong.is_empty(),
        "zoo/README.md's bug table should have these rows:\n{}",
        wrong.join("\n")
    );
}
