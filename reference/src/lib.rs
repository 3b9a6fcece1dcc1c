//! The reference server: the canonical API and the five vendor dialects, each served by the
//! generated axum router of its spec, all on one store — a profile changed through any face
//! is visible through every other.
//!
//! `cargo xtask serve` runs it; the conformance harness starts it in-process ([`start`]) when
//! no `--base-url` is given.

mod faces;
pub mod faults;
pub mod fixtures;
mod images;
mod shared;
mod store;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use profile_api::support::ServerConfig;

pub use fixtures::Fixtures;
pub use shared::email_checksum;

/// Where each face is mounted. rpc's documented `<api prefix>/<version>` is part of its face.
pub const FACES: [(&str, &str); 6] = [
    ("canonical", "/canonical"),
    ("manage", "/dialects/manage"),
    ("rpc", "/dialects/rpc/api/v1"),
    ("community", "/dialects/community"),
    ("billing", "/dialects/billing"),
    ("cl2c", "/dialects/cl2c"),
];

/// The whole server as one router.
pub fn app(fixtures: Fixtures) -> Router {
    app_with_fault(fixtures, None)
}

/// The server with one rule broken on one face (the mutation self-test's targets).
pub fn app_with_fault(fixtures: Fixtures, fault: Option<(&'static str, faults::Fault)>) -> Router {
    let config = ServerConfig {
        max_body_bytes: fixtures.limits.max_body_bytes,
    };
    let layer = fault.map(|(face, fault)| faults::FaultLayer::new(fault, face, &fixtures));
    let shared = Arc::new(shared::Shared::new(fixtures, fault.map(|(_, fault)| fault)));
    let face = |name: &str| -> Router {
        let shared = Arc::clone(&shared);
        let config = config.clone();
        match name {
            "canonical" => profile_api::canonical::server::router(
                Arc::new(faces::canonical::Canonical(shared)),
                config,
            ),
            "manage" => {
                profile_api::manage::server::router(Arc::new(faces::manage::Manage(shared)), config)
            }
            "rpc" => profile_api::rpc::server::router(Arc::new(faces::rpc::Rpc(shared)), config),
            "community" => profile_api::community::server::router(
                Arc::new(faces::community::Community(shared)),
                config,
            ),
            "billing" => profile_api::billing::server::router(
                Arc::new(faces::billing::Billing(shared)),
                config,
            ),
            _ => profile_api::cl2c::server::router(Arc::new(faces::cl2c::Cl2c(shared)), config),
        }
    };
    let mut app = Router::new();
    for (name, prefix) in FACES {
        let mut router = face(name);
        if let Some(layer) = layer.clone().filter(|layer| layer.face == name) {
            router = router.layer(axum::middleware::from_fn(move |request, next| {
                faults::apply(layer.clone(), request, next)
            }));
        }
        app = app.nest(prefix, router);
    }
    let limit = config.max_body_bytes;
    app.layer(axum::middleware::from_fn(move |request, next| {
        read_whole_body(limit, request, next)
    }))
    .layer(axum::middleware::from_fn(log_request))
}

/// Reads the request body (up to one byte past the limit) before a face sees it. A router
/// may refuse a request before reading its body (a missing credential: 401); HTTP/1.1 then
/// has to close the connection mid-upload, and the client sees a broken pipe instead of the
/// answer. With the body read first, every refusal arrives whole.
async fn read_whole_body(limit: usize, request: Request, next: Next) -> Response {
    use http_body_util::BodyExt;
    let (parts, mut body) = request.into_parts();
    // Sized once from Content-Length (up to one byte past the limit), not grown by doubling.
    let declared = parts
        .headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<usize>().ok())
        .unwrap_or(0);
    let mut bytes = Vec::with_capacity(declared.min(limit.saturating_add(1)));
    while let Some(Ok(frame)) = body.frame().await {
        if let Ok(chunk) = frame.into_data() {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > limit {
                break; // enough to know it is too large: the face answers 413
            }
        }
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

/// One log line per request: method, path, status, time. Never headers or the query string,
/// where credentials travel (billing's `api_key`).
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(%method, %path, status = response.status().as_u16(), micros = started.elapsed().as_micros() as u64, "request");
    response
}

/// A server running in this process.
#[derive(Debug)]
pub struct Running {
    pub address: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// The base URL of a face (`manage`, `rpc`, …).
    pub fn base_url(&self, face: &str) -> String {
        face_url(self.address, face)
    }

    /// Stops the server and waits for it.
    pub fn stop(mut self) {
        self.stop_inner();
    }

    fn stop_inner(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop_inner();
    }
}

/// Starts the server on `address` (port 0: an ephemeral one) on a thread of its own.
pub fn start(fixtures: Fixtures, address: SocketAddr) -> std::io::Result<Running> {
    start_app(app(fixtures), address)
}

/// Starts a router (e.g. [`app_with_fault`]) like [`start`].
pub fn start_app(app: Router, address: SocketAddr) -> std::io::Result<Running> {
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    let (address, serve) = listen(app, address, async {
        let _ = stopped.await;
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let thread = std::thread::Builder::new()
        .name("reference-server".into())
        .spawn(move || runtime.block_on(serve))?;
    Ok(Running {
        address,
        shutdown: Some(shutdown),
        thread: Some(thread),
    })
}

/// The base URL of a face (`manage`, `rpc`, …) of a server listening at `address`.
pub fn face_url(address: SocketAddr, face: &str) -> String {
    let prefix = FACES
        .iter()
        .find(|(name, _)| *name == face)
        .map_or("", |(_, prefix)| prefix);
    format!("http://{address}{prefix}")
}

/// The server bound to `address` (port 0: an ephemeral one), as a task for the caller's own
/// tokio runtime: the address it listens on, and the future that serves until dropped.
pub fn bind(
    app: Router,
    address: SocketAddr,
) -> std::io::Result<(
    SocketAddr,
    impl std::future::Future<Output = ()> + Send + 'static,
)> {
    listen(app, address, std::future::pending())
}

/// Binds `address` now (so that its port is known and taken), and returns the future that
/// serves `app` there until `shutdown` completes, then lets open requests finish.
fn listen(
    app: Router,
    address: SocketAddr,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<(
    SocketAddr,
    impl std::future::Future<Output = ()> + Send + 'static,
)> {
    let listener = std::net::TcpListener::bind(address)?;
    listener.set_nonblocking(true)?;
    let address = listener.local_addr()?;
    let serve = async move {
        let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
            return;
        };
        let serve = axum::serve(listener, app).with_graceful_shutdown(shutdown);
        if let Err(error) = serve.await {
            tracing::error!(%error, "the reference server stopped");
        }
    };
    Ok((address, serve))
}

/// The credentials of the fixtures' first two users on one face, for the conformance harness
/// (caller = first user, other = second). Test data, not secrets.
#[derive(Clone, Default)]
pub struct FaceCredentials {
    pub api_key: Option<String>,
    pub token: Option<String>,
    pub tenant: Option<String>,
    pub user_id: Option<String>,
    pub other_user_id: Option<String>,
    pub other_token: Option<String>,
}

impl std::fmt::Debug for FaceCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaceCredentials")
            .field("user_id", &self.user_id)
            .field("other_user_id", &self.other_user_id)
            .finish_non_exhaustive()
    }
}

impl Fixtures {
    /// What a client of `face` presents, as the first user (and the second as the other).
    pub fn face_credentials(&self, face: &str) -> FaceCredentials {
        let (Some(caller), Some(other)) = (self.users.first(), self.users.get(1)) else {
            return FaceCredentials::default();
        };
        let id = |user: &fixtures::UserFixture| -> String {
            match face {
                "manage" => user.ids.manage.clone(),
                "community" => user.ids.community.to_string(),
                "billing" => user.ids.billing.clone(),
                "cl2c" => user.ids.cl2c.clone(),
                _ => user.ids.canonical.clone(),
            }
        };
        let api_key = match face {
            "billing" => caller.billing_key.clone(),
            "cl2c" => caller.cl2c_key.clone(),
            _ => self.app.api_key.clone(),
        };
        FaceCredentials {
            api_key: Some(api_key),
            token: Some(caller.token.clone()),
            tenant: Some(self.app.tenant.clone()),
            user_id: (face != "rpc").then(|| id(caller)),
            other_user_id: (face != "rpc").then(|| id(other)),
            other_token: Some(other.token.clone()),
        }
    }
}
