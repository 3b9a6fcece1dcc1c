//! Requests the generated clients cannot send (a media type the operation does not list, a
//! body that is not UTF-8), for the documented statuses only they provoke, and decoding of
//! the answer into the type the spec documents for that status.

use serde::de::DeserializeOwned;

/// A request of the test's own. Header values may be credentials: nothing here prints them,
/// and transport errors are shown without their URL (which may carry billing's `api_key`).
pub struct Raw<'a> {
    pub method: reqwest::Method,
    pub url: String,
    pub headers: Vec<(&'a str, String)>,
    pub content_type: &'a str,
    pub body: Vec<u8>,
}

/// The method alone: the URL's query and the headers may hold credentials.
impl std::fmt::Debug for Raw<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Raw")
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

impl Raw<'_> {
    /// Sends the request; the answer's status and body.
    pub async fn send(self) -> (u16, Vec<u8>) {
        // reqwest is built without a default TLS provider; a plain-HTTP client still wants one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::new();
        let mut request = http
            .request(self.method, &self.url)
            .header(reqwest::header::CONTENT_TYPE, self.content_type)
            .body(self.body);
        for (name, value) in self.headers {
            request = request.header(name, value);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|error| panic!("no answer: {}", error.without_url()));
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .unwrap_or_else(|error| panic!("the answer was cut short: {}", error.without_url()));
        (status, body.to_vec())
    }
}

/// `body` as the documented type `T` of the answer `what`.
pub fn decode<T: DeserializeOwned>(what: &str, body: &[u8]) -> T {
    serde_json::from_slice(body).unwrap_or_else(|error| {
        panic!(
            "{what}: the body does not decode into {}: {error}; body: {}",
            std::any::type_name::<T>(),
            String::from_utf8_lossy(body)
        )
    })
}
