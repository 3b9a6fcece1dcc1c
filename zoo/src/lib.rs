//! The bug zoo: a generic pet API (`zoo/openapi.yaml`) served by a correct in-memory axum
//! server, and variants of it with exactly one planted bug each ([`Bug`]), for measuring what
//! API testers (this project's harness, Schemathesis) find. See `zoo/README.md`.

// The helpers' `Err` is the response to send (axum's `Response`, 128 bytes): boxing it would
// only add an allocation to every refusal.
#![allow(clippy::result_large_err)]

mod bug;
pub mod schema;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};
use tokio::task::JoinHandle;

pub use bug::Bug;

/// The only bearer token deletePet accepts.
pub const TOKEN: &str = "zoo-token";

/// Starts the variant `bug` on `addr` (port 0: a free one). Returns the address it listens on
/// and the task serving it (abort it to stop the server).
pub async fn start(
    bug: Bug,
    addr: SocketAddr,
) -> std::io::Result<(SocketAddr, JoinHandle<std::io::Result<()>>)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let app = router(bug);
    let task = tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((local, task))
}

/// The variant `bug` as a router.
pub fn router(bug: Bug) -> Router {
    let zoo = Arc::new(Zoo {
        bug,
        store: Mutex::new(Store::seeded()),
    });
    Router::new()
        .route("/pets", post(create_pet).get(list_pets))
        .route(
            "/pets/{petId}",
            get(get_pet)
                .put(replace_pet)
                .patch(update_pet)
                .delete(delete_pet),
        )
        .route("/pets/{petId}/events", post(create_event))
        .with_state(zoo)
}

#[derive(Debug)]
struct Zoo {
    bug: Bug,
    store: Mutex<Store>,
}

impl Zoo {
    fn store(&self) -> MutexGuard<'_, Store> {
        // A handler never panics while holding the lock; if one did, the data is still usable.
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[derive(Debug)]
struct Store {
    next_pet: u64,
    next_event: u64,
    /// Pets in creation order, each a JSON object with its `id`.
    pets: Vec<Map<String, Value>>,
}

impl Store {
    /// Three pets, so that reads work before anything is created (`pet-000001` is the spec's example).
    fn seeded() -> Store {
        let mut store = Store {
            next_pet: 1,
            next_event: 1,
            pets: Vec::new(),
        };
        for (name, status, tags) in [
            ("Rex", "available", vec!["dog"]),
            ("Tom", "pending", vec!["cat", "indoor"]),
            ("Nemo", "sold", vec![]),
        ] {
            let id = store.next_id();
            let mut pet = Map::new();
            pet.insert("id".into(), json!(id));
            pet.insert("createdAt".into(), json!(now()));
            pet.insert("name".into(), json!(name));
            pet.insert("status".into(), json!(status));
            pet.insert("tags".into(), json!(tags));
            store.pets.push(pet);
        }
        store
    }

    fn next_id(&mut self) -> String {
        let id = format!("pet-{:06}", self.next_pet);
        self.next_pet += 1;
        id
    }

    fn find(&mut self, id: &str) -> Option<&mut Map<String, Value>> {
        self.pets
            .iter_mut()
            .find(|pet| pet.get("id").and_then(Value::as_str) == Some(id))
    }
}

/// The writable fields of a pet.
const WRITABLE: &[&str] = &["name", "status", "tags", "nickname", "age", "owner"];

fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.to_string(),
    )
        .into_response()
}

fn error(status: StatusCode, code: &str, message: &str, field: Option<&str>) -> Response {
    let mut body = json!({"code": code, "message": message});
    if let Some(field) = field {
        body["field"] = json!(field);
    }
    json_response(status, &body)
}

fn bad_request(message: &str, field: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "bad_request", message, Some(field))
}

fn not_found(zoo: &Zoo, id: &str) -> Response {
    let message = format!("no pet has the id {id:?}");
    if zoo.bug == Bug::ErrorBodyWrongShape {
        return json_response(StatusCode::NOT_FOUND, &json!({"error": message}));
    }
    error(StatusCode::NOT_FOUND, "not_found", &message, Some("petId"))
}

fn server_error() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain")],
        "internal server error",
    )
        .into_response()
}

/// The path parameter, or a 400 when it cannot be read (not UTF-8 once decoded).
fn pet_id(path: Result<Path<String>, PathRejection>) -> Result<String, Response> {
    path.map(|Path(id)| id)
        .map_err(|e| bad_request(&format!("petId: {e}"), "petId"))
}

/// The optional `X-Request-Id` header: `^[A-Za-z0-9-]{8,64}$`.
fn check_request_id(zoo: &Zoo, headers: &HeaderMap) -> Result<(), Response> {
    if zoo.bug == Bug::HeaderPatternIgnored {
        return Ok(());
    }
    match headers.get("x-request-id") {
        None => Ok(()),
        Some(value) => match value.to_str() {
            Ok(s) if schema::request_id_pattern(s) => Ok(()),
            _ => Err(bad_request(
                "X-Request-Id must match ^[A-Za-z0-9-]{8,64}$",
                "X-Request-Id",
            )),
        },
    }
}

/// The JSON body of a request: 415 unless it is `application/json`, 400 unless it parses.
fn json_body(zoo: &Zoo, headers: &HeaderMap, body: &Bytes) -> Result<Value, Response> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    if media_type.as_deref() != Some("application/json")
        && zoo.bug != Bug::UnsupportedMediaTypeAccepted
    {
        return Err(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "the body must be application/json",
            None,
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        if zoo.bug == Bug::MalformedJson500 {
            server_error()
        } else {
            bad_request(&format!("the body is not JSON: {e}"), "body")
        }
    })
}

/// Validates a create or replace body and returns the pet's writable fields.
fn pet_fields(zoo: &Zoo, mut body: Value) -> Result<Map<String, Value>, Response> {
    if zoo.bug == Bug::WrongTypeAccepted
        && let Some(age) = body.get("age").and_then(Value::as_str)
        && let Ok(age) = age.trim().parse::<i64>()
    {
        body["age"] = json!(age);
    }
    schema::pet(zoo.bug, false)
        .validate(&body, "")
        .map_err(|e| bad_request(&format!("{}: {}", e.field, e.message), &e.field))?;
    let Value::Object(object) = body else {
        return Err(bad_request("the body must be an object", "body"));
    };
    if zoo.bug == Bug::ServerErrorLongName
        && object
            .get("name")
            .and_then(Value::as_str)
            .is_some_and(|name| name.chars().count() > 40)
    {
        return Err(server_error());
    }
    let mut fields: Map<String, Value> = object
        .into_iter()
        .filter(|(key, _)| WRITABLE.contains(&key.as_str()))
        .collect();
    if !fields.contains_key("status") {
        // Only reachable with Bug::RequiredNotEnforced.
        fields.insert("status".into(), json!("available"));
    }
    Ok(fields)
}

/// The answer for one pet, as getPet and the writes send it.
fn pet_response(status: StatusCode, pet: &Map<String, Value>) -> Response {
    json_response(status, &Value::Object(pet.clone()))
}

async fn create_pet(State(zoo): State<Arc<Zoo>>, headers: HeaderMap, body: Bytes) -> Response {
    let body = match json_body(&zoo, &headers, &body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let client_id = body.get("id").and_then(Value::as_str).map(str::to_string);
    let fields = match pet_fields(&zoo, body) {
        Ok(fields) => fields,
        Err(response) => return response,
    };
    let mut store = zoo.store();
    let number = store.next_pet;
    let mut id = store.next_id();
    if zoo.bug == Bug::ReadOnlyIdAccepted
        && let Some(client_id) = client_id
    {
        id = client_id;
    }
    let mut pet = Map::new();
    pet.insert("id".into(), json!(id));
    pet.insert("createdAt".into(), json!(now()));
    pet.extend(fields);
    store.pets.push(pet.clone());
    drop(store);
    if zoo.bug == Bug::CreatedIdUnreadable {
        // The answer formats the number differently from the store (no zero padding):
        // reads of it are 404.
        pet.insert("id".into(), json!(format!("pet-{number}")));
    }
    let location = format!(
        "/pets/{}",
        pet.get("id").and_then(Value::as_str).unwrap_or_default()
    );
    let mut response = pet_response(StatusCode::CREATED, &pet);
    if zoo.bug != Bug::LocationHeaderMissing
        && let Ok(location) = HeaderValue::from_str(&location)
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// One query parameter's integer value, or a 400 naming it.
fn query_integer(pairs: &[(String, String)], name: &str) -> Result<Option<i64>, Response> {
    match pairs.iter().rev().find(|(key, _)| key == name) {
        None => Ok(None),
        Some((_, value)) => value
            .parse::<i64>()
            .map(Some)
            .map_err(|_| bad_request(&format!("{name} must be an integer"), name)),
    }
}

async fn list_pets(
    State(zoo): State<Arc<Zoo>>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    if let Err(response) = check_request_id(&zoo, &headers) {
        return response;
    }
    let pairs = match query {
        Ok(Query(pairs)) => pairs,
        Err(e) => return bad_request(&format!("the query cannot be read: {e}"), "query"),
    };
    let limit = match query_integer(&pairs, "limit") {
        Ok(limit) => limit.unwrap_or(20),
        Err(response) => return response,
    };
    if !(1..=100).contains(&limit) && zoo.bug != Bug::QueryBoundsNotValidated {
        return bad_request("limit must be within 1..100", "limit");
    }
    let offset = match query_integer(&pairs, "offset") {
        Ok(offset) => offset.unwrap_or(0),
        Err(response) => return response,
    };
    let offset_max = if zoo.bug == Bug::PaginationOverflow {
        i64::MAX
    } else {
        1_000_000
    };
    if !(0..=offset_max).contains(&offset) {
        return bad_request("offset must be within 0..1000000", "offset");
    }
    if zoo.bug == Bug::PaginationOverflow {
        // The page's end in 32 bits, as a careless port of the pagination might compute it.
        let end = i32::try_from(offset)
            .ok()
            .and_then(|o| o.checked_add(i32::try_from(limit).unwrap_or(i32::MAX)));
        if end.is_none() {
            return server_error();
        }
    }
    let tags: Vec<&str> = pairs
        .iter()
        .filter(|(key, _)| key == "tags")
        .map(|(_, value)| value.as_str())
        .collect();
    if zoo.bug != Bug::QueryArrayNotValidated {
        let array = Value::Array(tags.iter().map(|t| json!(t)).collect());
        let schema = schema::Schema::Arr {
            items: Box::new(schema::tag()),
            max: 5,
        };
        if let Err(e) = schema.validate(&array, "tags") {
            return bad_request(&format!("{}: {}", e.field, e.message), "tags");
        }
    }
    let status = pairs
        .iter()
        .rev()
        .find(|(key, _)| key == "status")
        .map(|(_, v)| v.as_str());
    if let Some(status) = status
        && !schema::STATUSES.contains(&status)
        && zoo.bug != Bug::QueryEnumNotValidated
    {
        return bad_request("status must be one of available, pending, sold", "status");
    }
    let store = zoo.store();
    let matching: Vec<&Map<String, Value>> = store
        .pets
        .iter()
        .filter(|pet| status.is_none_or(|s| pet.get("status") == Some(&json!(s))))
        .filter(|pet| {
            tags.iter().all(|tag| {
                pet.get("tags")
                    .and_then(Value::as_array)
                    .is_some_and(|have| have.iter().any(|t| t == tag))
            })
        })
        .collect();
    let skip = if zoo.bug == Bug::ListIgnoresOffset {
        0
    } else {
        usize::try_from(offset).unwrap_or(usize::MAX)
    };
    let take = usize::try_from(limit.max(0)).unwrap_or(0);
    let items: Vec<Value> = matching
        .iter()
        .skip(skip)
        .take(take)
        .map(|pet| Value::Object((*pet).clone()))
        .collect();
    if items.is_empty() && zoo.bug == Bug::UndocumentedStatus {
        return StatusCode::NO_CONTENT.into_response();
    }
    json_response(
        StatusCode::OK,
        &json!({"items": items, "total": matching.len(), "limit": limit, "offset": offset}),
    )
}

async fn get_pet(
    State(zoo): State<Arc<Zoo>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match pet_id(path) {
        Ok(id) => id,
        Err(response) => return response,
    };
    if let Err(response) = check_request_id(&zoo, &headers) {
        return response;
    }
    let mut store = zoo.store();
    let Some(pet) = store.find(&id) else {
        drop(store);
        if zoo.bug == Bug::UnknownId500 {
            return server_error();
        }
        return not_found(&zoo, &id);
    };
    let mut pet = pet.clone();
    drop(store);
    match zoo.bug {
        Bug::NullThenRead500 if pet.get("nickname").is_some_and(Value::is_null) => {
            return server_error();
        }
        Bug::ResponseSchemaViolation => {
            pet.insert("createdAt".into(), json!(now_seconds()));
        }
        Bug::WrongContentType => {
            return (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                Value::Object(pet).to_string(),
            )
                .into_response();
        }
        _ => {}
    }
    pet_response(StatusCode::OK, &pet)
}

async fn replace_pet(
    State(zoo): State<Arc<Zoo>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Response {
    let id = match pet_id(path) {
        Ok(id) => id,
        Err(response) => return response,
    };
    let body = match json_body(&zoo, &headers, &body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let mut fields = match pet_fields(&zoo, body) {
        Ok(fields) => fields,
        Err(response) => return response,
    };
    if zoo.bug == Bug::PutDropsNestedObject
        && let Some(owner) = fields.get_mut("owner").and_then(Value::as_object_mut)
    {
        owner.remove("address");
    }
    let mut store = zoo.store();
    let Some(pet) = store.find(&id) else {
        drop(store);
        return not_found(&zoo, &id);
    };
    pet.retain(|key, _| key == "id" || key == "createdAt");
    pet.extend(fields);
    let pet = pet.clone();
    drop(store);
    pet_response(StatusCode::OK, &pet)
}

async fn update_pet(
    State(zoo): State<Arc<Zoo>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Response {
    let id = match pet_id(path) {
        Ok(id) => id,
        Err(response) => return response,
    };
    let body = match json_body(&zoo, &headers, &body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    if let Err(e) = schema::pet(zoo.bug, true).validate(&body, "") {
        return bad_request(&format!("{}: {}", e.field, e.message), &e.field);
    }
    let Value::Object(changes) = body else {
        return bad_request("the body must be an object", "body");
    };
    let mut store = zoo.store();
    let Some(pet) = store.find(&id) else {
        drop(store);
        return not_found(&zoo, &id);
    };
    for (key, value) in changes {
        if !WRITABLE.contains(&key.as_str()) || (zoo.bug == Bug::PatchIgnoresField && key == "age")
        {
            continue;
        }
        pet.insert(key, value);
    }
    let pet = pet.clone();
    drop(store);
    pet_response(StatusCode::OK, &pet)
}

async fn delete_pet(
    State(zoo): State<Arc<Zoo>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match pet_id(path) {
        Ok(id) => id,
        Err(response) => return response,
    };
    let authorized = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .is_some_and(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer") && token == TOKEN);
    if !authorized && zoo.bug != Bug::AuthNotEnforced {
        let mut response = error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid bearer token is required",
            None,
        );
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    }
    let mut store = zoo.store();
    let Some(index) = store
        .pets
        .iter()
        .position(|pet| pet.get("id").and_then(Value::as_str) == Some(id.as_str()))
    else {
        drop(store);
        return not_found(&zoo, &id);
    };
    if zoo.bug != Bug::UseAfterDelete {
        store.pets.remove(index);
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn create_event(
    State(zoo): State<Arc<Zoo>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Response {
    let id = match pet_id(path) {
        Ok(id) => id,
        Err(response) => return response,
    };
    let body = match json_body(&zoo, &headers, &body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    if let Err(e) = schema::validate_event(zoo.bug, &body) {
        return bad_request(&format!("{}: {}", e.field, e.message), &e.field);
    }
    let mut store = zoo.store();
    if store.find(&id).is_none() {
        drop(store);
        return not_found(&zoo, &id);
    }
    let event_id = format!("evt-{}", store.next_event);
    store.next_event += 1;
    drop(store);
    json_response(
        StatusCode::CREATED,
        &json!({"id": event_id, "petId": id, "createdAt": now(), "event": body}),
    )
}

fn now_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The current time as an RFC 3339 date-time (UTC, whole seconds).
fn now() -> String {
    rfc3339(now_seconds())
}

/// `secs` since the epoch as `YYYY-MM-DDTHH:MM:SSZ` (Howard Hinnant's days-to-civil).
pub fn rfc3339(secs: u64) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc3339_of_known_instants() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(super::rfc3339(1_796_601_599), "2026-12-06T23:59:59Z");
    }
}
