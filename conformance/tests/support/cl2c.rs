//! A small hand-made cl2c server, faithful to `spec/dialects/cl2c.yaml` unless told to break
//! one rule: the harness must pass the faithful one and catch each fault.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use serde_json::{Map, Value, json};

pub const TENANT: &str = "tenant-secret-1";
pub const API_KEY: &str = "key-secret-1";
pub const USER_ID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
pub const OTHER_USER_ID: &str = "7b1e9a52-0000-4000-8000-000000000002";

/// One rule broken on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fault {
    #[default]
    None,
    /// lastName longer than 255 is stored.
    NoMaxLength,
    /// A lastName of exactly 255 characters is refused.
    OffByOneMaxLength,
    /// phoneNumber is not checked against its pattern.
    NoPattern,
    /// The tenant header is not checked.
    TenantNotChecked,
    /// 401 answers in the problem-details shape instead of the default error envelope.
    WrongAuthEnvelope,
    /// Bad JSON crashes the handler (a 500).
    ServerErrorOnBadJson,
    /// Updates are answered but not stored.
    UpdateNotStored,
    /// Another user's id in the body is accepted.
    OwnershipNotEnforced,
    /// firstName may be left out.
    RequiredNotEnforced,
}

#[derive(Debug)]
struct Server {
    fault: Fault,
    profile: Mutex<Map<String, Value>>,
    errors: Mutex<u64>,
}

/// Starts the server on an ephemeral loopback port; returns its base URL.
pub fn spawn(fault: Fault) -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
                .await
                .expect("bind");
            sender
                .send(listener.local_addr().expect("address"))
                .expect("send address");
            let profile = json!({
                "id": USER_ID, "userName": "john_doe", "firstName": "John", "lastName": "Doe",
                "email": "john.doe@example.com", "emailConfirmed": true, "authenticated": true,
                "authValidUpto": "2024-11-05T19:42:26.587Z", "authLocation": "USA",
                "phoneNumber": "+1234567890", "walletAddress": "0x123456789ABCDEF"
            });
            let state = Arc::new(Server {
                fault,
                profile: Mutex::new(profile.as_object().cloned().unwrap_or_default()),
                errors: Mutex::new(0),
            });
            let app = Router::new()
                .route("/v1/cl2c/user", put(update))
                .with_state(state);
            axum::serve(listener, app).await.expect("serve");
        });
    });
    let address = receiver.recv().expect("server address");
    format!("http://{address}")
}

impl Server {
    fn error_id(&self) -> String {
        let mut errors = self.errors.lock().expect("lock");
        *errors += 1;
        format!("error-{errors}")
    }

    fn default_error(&self, status: StatusCode, message: &str) -> Response {
        if status == StatusCode::UNAUTHORIZED && self.fault == Fault::WrongAuthEnvelope {
            return (status, axum::Json(json!({"title": message, "status": 401}))).into_response();
        }
        let body = json!({
            "messages": [message], "source": "API Gateway", "exception": "CL2C.ApiException",
            "errorId": self.error_id(), "supportMessage": "Please contact support with this error ID.",
            "statusCode": status.as_u16()
        });
        (status, axum::Json(body)).into_response()
    }

    fn validation(&self, errors: Map<String, Value>) -> Response {
        let body = json!({
            "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            "title": "One or more validation errors occurred.", "status": 400,
            "detail": "The request parameters are incorrect.", "instance": self.error_id(), "errors": errors
        });
        (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
    }
}

async fn update(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    request: Request<Body>,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let tenant_ok = server.fault == Fault::TenantNotChecked || header("tenant") == TENANT;
    if !tenant_ok || header("x-api-key") != API_KEY {
        return server.default_error(
            StatusCode::UNAUTHORIZED,
            "Invalid or missing tenant or API key.",
        );
    }
    if !header("content-type").starts_with("application/json") {
        return server.default_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type.",
        );
    }
    let Ok(bytes) = to_bytes(request.into_body(), 1024 * 1024).await else {
        return server.default_error(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large.");
    };
    let body: Value = match serde_json::from_slice(&bytes) {
        Ok(body) => body,
        Err(_) if server.fault == Fault::ServerErrorOnBadJson => {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        Err(_) => {
            return server
                .default_error(StatusCode::BAD_REQUEST, "The JSON value could not be read.");
        }
    };
    let Some(body) = body.as_object() else {
        return server.validation(Map::from_iter([(
            "$".to_owned(),
            json!(["The JSON value must be an object."]),
        )]));
    };
    let mut errors = Map::new();
    let mut add = |field: &str, message: &str| {
        errors
            .entry(field.to_owned())
            .or_insert_with(|| json!([]))
            .as_array_mut()
            .expect("list")
            .push(json!(message));
    };
    let text = |name: &str| {
        body.get(name)
            .map(|v| v.as_str().map(str::to_owned).ok_or(()))
    };
    let limit = if server.fault == Fault::OffByOneMaxLength {
        254
    } else {
        255
    };
    match text("firstName") {
        None if server.fault == Fault::RequiredNotEnforced => {}
        None | Some(Ok(_))
            if body
                .get("firstName")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty) =>
        {
            add("firstName", "First name is required")
        }
        Some(Err(())) => add("firstName", "First name is required"),
        Some(Ok(name)) if name.chars().count() > 255 => add(
            "firstName",
            "The length of 'First Name' must be 255 characters or fewer.",
        ),
        _ => {}
    }
    match text("lastName") {
        Some(Err(())) => add("lastName", "The JSON value is not a string."),
        Some(Ok(name)) if name.chars().count() > limit && server.fault != Fault::NoMaxLength => {
            add(
                "lastName",
                "The length of 'Last Name' must be 255 characters or fewer.",
            )
        }
        _ => {}
    }
    match text("phoneNumber") {
        Some(Err(())) => add("phoneNumber", "Invalid phone number format"),
        Some(Ok(phone)) if server.fault != Fault::NoPattern && !is_e164(&phone) => {
            add("phoneNumber", "Invalid phone number format")
        }
        _ => {}
    }
    if let Some(Err(())) = text("pushToken") {
        add("pushToken", "The JSON value is not a string.");
    }
    if let Some(Err(())) = text("id") {
        add("id", "The JSON value is not a string.");
    }
    if !errors.is_empty() {
        return server.validation(errors);
    }
    if let Some(Ok(id)) = text("id")
        && id != USER_ID
        && server.fault != Fault::OwnershipNotEnforced
    {
        return server.default_error(
            StatusCode::FORBIDDEN,
            "You can only update your own profile.",
        );
    }
    let mut profile = server.profile.lock().expect("lock");
    let mut updated = profile.clone();
    for field in ["firstName", "lastName", "phoneNumber"] {
        if let Some(value) = body.get(field) {
            updated.insert(field.to_owned(), value.clone());
        }
    }
    if server.fault != Fault::UpdateNotStored {
        *profile = updated.clone();
    }
    (StatusCode::OK, axum::Json(Value::Object(updated))).into_response()
}

fn is_e164(phone: &str) -> bool {
    let Some(digits) = phone.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
}
