//! A plain CRUD spec with no extensions and no --user-id: the harness takes ids from the
//! API's own create, calls every operation, and follows a resource through its life
//! (create → read → update → read → delete → read), deleting only what it created.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use conformance::{Credentials, Outcome, RunConfig, Target};
use serde_json::{Value, json};

#[derive(Clone, Default)]
struct Store {
    items: Arc<Mutex<HashMap<String, Value>>>,
    gone: Arc<Mutex<Vec<String>>>,
    /// The planted bug: a deleted item is still served.
    deleted_still_served: bool,
}

fn valid(body: &Value) -> bool {
    body.get("name")
        .and_then(Value::as_str)
        .is_some_and(|n| n.chars().count() <= 20)
}

async fn create(State(store): State<Store>, body: Option<Json<Value>>) -> Response {
    let Some(Json(body)) = body.filter(|b| valid(b)) else {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": "invalid"}))).into_response();
    };
    let mut items = store.items.lock().unwrap();
    let id = format!(
        "item-{}",
        items.len() + store.gone.lock().unwrap().len() + 1
    );
    let item = json!({"id": id, "name": body["name"]});
    items.insert(id, item.clone());
    (StatusCode::CREATED, Json(item)).into_response()
}

async fn read(State(store): State<Store>, UrlPath(id): UrlPath<String>) -> Response {
    if let Some(item) = store.items.lock().unwrap().get(&id) {
        return Json(item.clone()).into_response();
    }
    if store.deleted_still_served && store.gone.lock().unwrap().contains(&id) {
        return Json(json!({"id": id, "name": "ghost"})).into_response();
    }
    (
        StatusCode::NOT_FOUND,
        Json(json!({"error": "no such item"})),
    )
        .into_response()
}

async fn replace(
    State(store): State<Store>,
    UrlPath(id): UrlPath<String>,
    body: Option<Json<Value>>,
) -> Response {
    let mut items = store.items.lock().unwrap();
    let Some(item) = items.get_mut(&id) else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such item"})),
        )
            .into_response();
    };
    let Some(Json(body)) = body.filter(|b| valid(b)) else {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": "invalid"}))).into_response();
    };
    item["name"] = body["name"].clone();
    Json(item.clone()).into_response()
}

async fn delete(State(store): State<Store>, UrlPath(id): UrlPath<String>) -> Response {
    if store.items.lock().unwrap().remove(&id).is_none() {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such item"})),
        )
            .into_response();
    }
    store.gone.lock().unwrap().push(id);
    StatusCode::NO_CONTENT.into_response()
}

fn serve(deleted_still_served: bool) -> String {
    let store = Store {
        deleted_still_served,
        ..Store::default()
    };
    serve_app(
        axum::Router::new()
            .route("/items", post(create))
            .route("/items/{id}", get(read).put(replace).delete(delete))
            .with_state(store),
    )
}

fn serve_app(app: axum::Router) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    format!("http://{address}")
}

fn run(base_url: String) -> conformance::Report {
    run_spec("items.yaml", base_url)
}

fn run_spec(fixture: &str, base_url: String) -> conformance::Report {
    conformance::run(&RunConfig {
        cases: 5,
        ..RunConfig::new(
            Target::Spec(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/fixtures")
                    .join(fixture),
            ),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
            base_url,
            // No --user-id: ids come from the API's own create.
            Credentials::default(),
        )
    })
    .unwrap()
}

#[test]
fn a_correct_crud_api_passes_with_every_operation_exercised() {
    let report = run(serve(false));
    assert_eq!(report.failures(), 0, "{}", report.render_text());
    assert!(report.unexercised().is_empty(), "{}", report.render_text());
    let lifecycle = report.results.iter().find(|r| r.check == "CF308").unwrap();
    assert!(
        matches!(lifecycle.outcome, Outcome::Passed { cases } if cases >= 6),
        "{lifecycle:?}"
    );
    // Item operations ran on an id the API made, not on a --user-id.
    assert!(
        report.results.iter().any(|r| r.operation == "putItem"
            && r.check == "CF100"
            && matches!(r.outcome, Outcome::Passed { .. })),
        "{}",
        report.render_text()
    );
}

#[test]
fn use_after_delete_is_caught_as_a_shrunk_sequence() {
    let report = run(serve(true));
    let lifecycle = report.results.iter().find(|r| r.check == "CF308").unwrap();
    let Outcome::Failed(failure) = &lifecycle.outcome else {
        panic!("{}", report.render_text());
    };
    assert_eq!(lifecycle.operation, "createItem");
    assert!(failure.expected.contains("404 or 410"), "{failure:?}");
    let methods: Vec<&str> = failure
        .sequence
        .iter()
        .map(|s| s.curl.split(' ').nth(2).unwrap_or_default())
        .collect();
    // Shrunk as a sequence: the life was create → read → update → read → delete → read; the
    // read and the update are not needed to show the bug, so they are left out.
    assert_eq!(methods, ["POST", "DELETE", "GET"], "{failure:?}");
}

/// Where the item's path does not nest under its collection, the create's OpenAPI `links` say
/// which answer field is the id: the harness follows them.
#[test]
fn ids_follow_the_create_links() {
    let app = axum::Router::new()
        .route("/orders", post(create))
        .route("/order-status/{id}", get(read))
        .with_state(Store::default());
    let report = run_spec("linked.yaml", serve_app(app));
    assert_eq!(report.failures(), 0, "{}", report.render_text());
    assert!(report.unexercised().is_empty(), "{}", report.render_text());
    let read = report
        .results
        .iter()
        .find(|r| r.operation == "getOrderStatus" && r.check == "CF100")
        .unwrap();
    assert!(
        matches!(read.outcome, Outcome::Passed { .. }),
        "{}",
        report.render_text()
    );
}
