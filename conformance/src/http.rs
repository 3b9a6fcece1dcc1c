//! Requests and responses as the harness sees them, and the transport that sends them:
//! every request has a timeout, every body is read up to a bound, and a redirect is never
//! followed to another origin (where credentials would leak).

use std::time::Duration;

use generator::model::Method;
use serde_json::Value;

/// A request, complete enough to replay and to print as a curl line.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    pub method: Method,
    /// The path after the base URL, parameters already substituted.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    None,
    Json(Value),
    Form(Vec<(String, String)>),
    Multipart(Vec<Part>),
    /// Bytes sent as they are (malformed JSON, invalid UTF-8, a wrong content type).
    Raw {
        content_type: String,
        /// Shared, not copied: an oversized body is over a megabyte, and every exchange is
        /// kept in the run's log.
        bytes: bytes::Bytes,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub name: String,
    pub value: PartValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PartValue {
    Text(String),
    File {
        filename: String,
        content_type: String,
        bytes: Vec<u8>,
    },
}

impl Body {
    /// The body's fields, for rules that edit one field (JSON, form and multipart bodies).
    pub fn content_type(&self) -> Option<&str> {
        match self {
            Body::None => None,
            Body::Json(_) => Some("application/json"),
            Body::Form(_) => Some("application/x-www-form-urlencoded"),
            Body::Multipart(_) => Some("multipart/form-data"),
            Body::Raw { content_type, .. } => Some(content_type),
        }
    }
}

/// What came back.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// The body was longer than the bound and was cut.
    pub truncated: bool,
    /// The response's headers, names in lower case, values that are not visible ASCII left
    /// out (CF404 judges the documented ones; `Location` says where a created resource lives).
    pub headers: Vec<(String, String)>,
}

impl HttpResponse {
    /// The first value of a header, by name in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Why no response came back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("cannot connect: {0}")]
    Connect(String),
    #[error("redirected to another origin ({0}): not followed, credentials stay here")]
    CrossOriginRedirect(String),
    #[error("the connection failed: {0}")]
    Other(String),
}

/// One request and its outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    pub request: HttpRequest,
    pub response: Result<HttpResponse, TransportError>,
}

impl Exchange {
    pub fn status(&self) -> Option<u16> {
        self.response.as_ref().ok().map(|r| r.status)
    }
}

/// How long [`Transport::send`] polls for the answer before it lets its thread sleep.
const SPIN_BEFORE_PARKING: Duration = Duration::from_micros(500);

/// Limits of the transport.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// The most bytes of a response body that are read.
    pub max_body: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(5),
            max_body: 4 * 1024 * 1024,
        }
    }
}

/// Sends requests to one base URL. Blocking on purpose: property tests drive it one case at
/// a time, and shrinking replays cases in order.
#[derive(Debug)]
pub struct Transport {
    base_url: reqwest::Url,
    client: reqwest::Client,
    runtime: tokio::runtime::Runtime,
    limits: Limits,
}

impl Transport {
    pub fn new(base_url: &str, limits: Limits) -> Result<Transport, String> {
        let mut base_url = reqwest::Url::parse(base_url)
            .map_err(|e| format!("--base-url {base_url:?} is not a URL: {e}"))?;
        if !matches!(base_url.scheme(), "http" | "https") {
            return Err(format!(
                "--base-url must be http or https, not {}",
                base_url.scheme()
            ));
        }
        if !base_url.path().ends_with('/') {
            let path = format!("{}/", base_url.path());
            base_url.set_path(&path);
        }
        // rustls needs a process-wide crypto provider; a second install is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let origin = base_url.origin();
        let client = reqwest::Client::builder()
            .timeout(limits.timeout)
            .connect_timeout(limits.connect_timeout)
            .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                let target = attempt.url().origin();
                if target != origin {
                    attempt.error(TransportError::CrossOriginRedirect(
                        target.ascii_serialization(),
                    ))
                } else if attempt.previous().len() >= 5 {
                    attempt.stop()
                } else {
                    attempt.follow()
                }
            }))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the async runtime: {e}"))?;
        Ok(Transport {
            base_url,
            client,
            runtime,
            limits,
        })
    }

    /// Runs `task` on the transport's event loop: it makes progress whenever a request is
    /// in flight. For a server in this process (the embedded reference server): its answers
    /// then need no hand-off between threads, which is most of a loopback request's time.
    pub fn spawn_beside<F>(&self, task: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        self.runtime.spawn(task);
    }

    pub fn base_url(&self) -> &reqwest::Url {
        &self.base_url
    }

    /// The full URL of a request (for curl lines).
    pub fn url(&self, request: &HttpRequest) -> reqwest::Url {
        let mut url = self
            .base_url
            .join(request.path.trim_start_matches('/'))
            .unwrap_or_else(|_| self.base_url.clone());
        if !request.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(request.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        url
    }

    pub fn send(&self, request: &HttpRequest) -> Exchange {
        // Busy-poll the socket for a moment before sleeping: a server on this machine answers
        // in about 100 µs, and waking a parked thread costs as much again on a small VM. A
        // slow (remote) server costs at most this much CPU per request.
        let response = self.runtime.block_on(async {
            let send = self.send_async(request);
            tokio::pin!(send);
            let spin_until = std::time::Instant::now() + SPIN_BEFORE_PARKING;
            loop {
                tokio::select! {
                    biased;
                    response = &mut send => break response,
                    () = tokio::task::yield_now(), if std::time::Instant::now() < spin_until => {}
                }
            }
        });
        Exchange {
            request: request.clone(),
            response,
        }
    }

    async fn send_async(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let method = reqwest::Method::from_bytes(request.method.as_str().as_bytes())
            .unwrap_or(reqwest::Method::GET);
        let mut builder = self.client.request(method, self.url(request));
        // Cookies go out as one `cookie` header (RFC 6265: a client sends one), the others as
        // they are.
        let mut cookies: Vec<&str> = Vec::new();
        for (name, value) in &request.headers {
            if name.eq_ignore_ascii_case("cookie") {
                cookies.push(value);
            } else {
                builder = builder.header(name, value);
            }
        }
        if !cookies.is_empty() {
            builder = builder.header("cookie", cookies.join("; "));
        }
        builder = match &request.body {
            Body::None => builder,
            Body::Json(value) => builder
                .header("content-type", "application/json")
                .body(serde_json::to_vec(value).unwrap_or_default()),
            Body::Form(pairs) => builder.form(pairs),
            Body::Multipart(parts) => {
                let mut form = reqwest::multipart::Form::new();
                for part in parts {
                    form = match &part.value {
                        PartValue::Text(text) => form.text(part.name.clone(), text.clone()),
                        PartValue::File {
                            filename,
                            content_type,
                            bytes,
                        } => {
                            let file = reqwest::multipart::Part::bytes(bytes.clone())
                                .file_name(filename.clone());
                            let file = file
                                .mime_str(content_type)
                                .unwrap_or_else(|_| reqwest::multipart::Part::bytes(bytes.clone()));
                            form.part(part.name.clone(), file)
                        }
                    };
                }
                builder.multipart(form)
            }
            Body::Raw {
                content_type,
                bytes,
            } => builder
                .header("content-type", content_type)
                .body(bytes.clone()),
        };
        let mut response = builder.send().await.map_err(|e| self.classify(e))?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let headers = response
            .headers()
            .iter()
            .filter_map(|(name, value)| {
                Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
            })
            .collect();
        let mut body = Vec::new();
        let mut truncated = false;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = self.limits.max_body.saturating_sub(body.len());
                    if chunk.len() > room {
                        body.extend_from_slice(&chunk[..room]);
                        truncated = true;
                        break;
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(error) if error.is_timeout() => {
                    return Err(TransportError::Timeout(self.limits.timeout));
                }
                // A body cut short is still an answer: report what came, marked truncated.
                Err(_) => {
                    truncated = true;
                    break;
                }
            }
        }
        Ok(HttpResponse {
            status,
            content_type,
            body,
            truncated,
            headers,
        })
    }

    fn classify(&self, error: reqwest::Error) -> TransportError {
        if error.is_timeout() {
            return TransportError::Timeout(self.limits.timeout);
        }
        if error.is_redirect() {
            let mut source: Option<&dyn std::error::Error> = Some(&error);
            while let Some(inner) = source {
                if let Some(TransportError::CrossOriginRedirect(origin)) =
                    inner.downcast_ref::<TransportError>()
                {
                    return TransportError::CrossOriginRedirect(origin.clone());
                }
                source = inner.source();
            }
        }
        if error.is_connect() {
            return TransportError::Connect(root_cause(&error));
        }
        TransportError::Other(root_cause(&error))
    }
}

fn root_cause(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        message = inner.to_string();
        source = inner.source();
    }
    message
}
