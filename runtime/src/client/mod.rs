//! The runtime of the generated clients: a base URL and a reqwest client ([`Base`]), one
//! request being put together ([`Call`]), form and multipart fields ([`Fields`]), and the
//! answer ([`Received`]).

mod call;
mod encode;
mod fields;
mod received;

use std::fmt;
use std::time::Duration;

use reqwest::redirect::Policy;
use reqwest::{Method, Url};

pub use call::Call;
pub use fields::Fields;
pub use received::Received;

use crate::ClientError;
use encode::{invalid, texts, transport};

/// A base URL and the HTTP client that sends to it.
#[derive(Clone)]
pub struct Base {
    url: Url,
    http: reqwest::Client,
}

/// Shows the base URL's origin and path only: no user info, no query (either may hold a
/// credential).
impl fmt::Debug for Base {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = format!(
            "{}{}",
            self.url.origin().ascii_serialization(),
            self.url.path()
        );
        f.debug_struct("Base")
            .field("base_url", &shown)
            .finish_non_exhaustive()
    }
}

impl Base {
    /// See the generated `Client::new`: timeouts, and redirects followed only within the
    /// base URL's origin (a credential is never sent to another host).
    pub fn new(base_url: &str) -> Result<Base, ClientError> {
        let url = parse_base(base_url)?;
        install_tls_provider();
        let origin = url.origin();
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .redirect(Policy::custom(move |attempt| {
                if attempt.url().origin() != origin || attempt.previous().len() >= 10 {
                    attempt.stop()
                } else {
                    attempt.follow()
                }
            }))
            .build()
            .map_err(transport)?;
        Ok(Base { url, http })
    }

    /// See the generated `Client::with_http`.
    pub fn with_http(base_url: &str, http: reqwest::Client) -> Result<Base, ClientError> {
        Ok(Base {
            url: parse_base(base_url)?,
            http,
        })
    }

    /// The base URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// A request to the base URL's path followed by `segments` (each percent-encoded, `/`
    /// included, so a value cannot add a segment).
    pub fn call(&self, method: Method, segments: &[&str]) -> Result<Call, ClientError> {
        // `.` and `..` would be resolved away by the URL, addressing another resource.
        if segments
            .iter()
            .any(|segment| matches!(*segment, "." | ".."))
        {
            return Err(invalid("a path segment is `.` or `..`".into()));
        }
        let mut url = self.url.clone();
        match url.path_segments_mut() {
            Ok(mut path) => {
                path.pop_if_empty().extend(segments);
            }
            Err(()) => {
                return Err(ClientError::InvalidBaseUrl {
                    message: "the base URL cannot have a path".into(),
                });
            }
        }
        Ok(Call::new(self.http.clone(), method, url))
    }
}

/// The text of a path parameter (list items joined with `,`); an empty one is an error,
/// since it would address another resource.
pub fn path_value<T>(name: &str, value: &T) -> Result<String, ClientError>
where
    T: serde::Serialize + ?Sized,
{
    let text = texts(name, value)?.join(",");
    if text.is_empty() {
        return Err(invalid(format!("path parameter `{name}` is empty")));
    }
    Ok(text)
}

/// Installs rustls's ring provider as the process default, once (a provider the application
/// installed first stays).
pub fn install_tls_provider() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

fn parse_base(base_url: &str) -> Result<Url, ClientError> {
    let mut url = Url::parse(base_url).map_err(|error| ClientError::InvalidBaseUrl {
        message: error.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ClientError::InvalidBaseUrl {
            message: format!("the scheme is {:?}, not http or https", url.scheme()),
        });
    }
    url.set_fragment(None);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_is_absolute_http() {
        assert!(Base::new("https://api.example.com/v1").is_ok());
        assert!(matches!(
            Base::new("ftp://example.com"),
            Err(ClientError::InvalidBaseUrl { message }) if message.contains("\"ftp\"")
        ));
        assert!(matches!(
            Base::new("/relative"),
            Err(ClientError::InvalidBaseUrl { .. })
        ));
    }

    #[test]
    fn debug_shows_no_user_info_or_query() {
        let base = Base::new("https://user:pw@api.example.com/v1?key=secret#f").unwrap();
        let shown = format!("{base:?}");
        assert!(shown.contains("https://api.example.com/v1"), "{shown}");
        assert!(
            !shown.contains("secret") && !shown.contains("pw"),
            "{shown}"
        );
    }

    #[test]
    fn segments_are_encoded_one_by_one() {
        let base = Base::new("https://api.example.com/v1/").unwrap();
        let call = base.call(Method::GET, &["users", "a/b c"]).unwrap();
        assert_eq!(
            call.url().as_str(),
            "https://api.example.com/v1/users/a%2Fb%20c"
        );
        assert!(base.call(Method::GET, &["users", ".."]).is_err());
    }

    #[test]
    fn path_values_join_lists_and_refuse_empty_text() {
        assert_eq!(path_value("id", &42).unwrap(), "42");
        assert_eq!(path_value("ids", &["a", "b"]).unwrap(), "a,b");
        assert!(matches!(
            path_value("id", ""),
            Err(ClientError::InvalidRequest { message }) if message.contains("`id`")
        ));
    }
}
