//! The users, credentials and limits the server starts with (`reference/fixtures.yaml`).

use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

/// The default fixtures, compiled in so the server needs no file at run time.
pub const DEFAULT_FIXTURES: &str = include_str!("../fixtures.yaml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixtures {
    pub app: App,
    #[serde(default)]
    pub limits: Limits,
    /// Canonical fields every profile starts with.
    #[serde(default)]
    pub profile_defaults: Map<String, Value>,
    pub users: Vec<UserFixture>,
    pub local_info: LocalInfo,
}

/// Keys shared by every user of the application.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct App {
    pub api_key: String,
    pub tenant: String,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("App { api_key: [redacted], tenant: [redacted] }")
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    pub max_body_bytes: usize,
    pub daily_image_uploads: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 1024 * 1024,
            daily_image_uploads: 20,
        }
    }
}

/// A user's id on each face.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaceIds {
    pub canonical: String,
    pub manage: String,
    pub community: i64,
    pub billing: String,
    pub cl2c: String,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserFixture {
    pub ids: FaceIds,
    pub token: String,
    pub billing_key: String,
    pub cl2c_key: String,
    pub email_token: String,
    /// Canonical profile fields (`spec/canonical.yaml` `Profile`).
    pub profile: Map<String, Value>,
}

impl std::fmt::Debug for UserFixture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserFixture")
            .field("ids", &self.ids)
            .field("credentials", &"[redacted]")
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalInfo {
    pub languages: Vec<KeyName>,
    pub currencies: Vec<KeyName>,
    pub timezones: Vec<KeyName>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyName {
    pub key: String,
    pub name: String,
}

/// Why fixtures could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

impl Fixtures {
    pub fn default_set() -> Fixtures {
        // The compiled-in file is checked by a test; a failure here is a build defect.
        Fixtures::parse("reference/fixtures.yaml", DEFAULT_FIXTURES)
            .unwrap_or_else(|error| panic!("{error}"))
    }

    pub fn load(path: &Path) -> Result<Fixtures, FixtureError> {
        let text = std::fs::read_to_string(path).map_err(|source| FixtureError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Fixtures::parse(&path.display().to_string(), &text)
    }

    pub fn parse(path: &str, text: &str) -> Result<Fixtures, FixtureError> {
        let fixtures: Fixtures =
            serde_saphyr::from_str(text).map_err(|e| FixtureError::Invalid {
                path: path.to_owned(),
                message: e.to_string().lines().next().unwrap_or_default().to_owned(),
            })?;
        if fixtures.users.len() < 2 {
            return Err(FixtureError::Invalid {
                path: path.into(),
                message: "at least two users are needed (a caller and another user)".into(),
            });
        }
        for user in &fixtures.users {
            if !user.billing_key.starts_with("in-") {
                return Err(FixtureError::Invalid {
                    path: path.into(),
                    message: format!("billing_key of {} must start with in-", user.ids.canonical),
                });
            }
        }
        Ok(fixtures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_fixtures_parse_and_never_print_secrets() {
        let fixtures = Fixtures::parse("fixtures.yaml", DEFAULT_FIXTURES).unwrap();
        assert_eq!(fixtures.users.len(), 2);
        let debug = format!("{fixtures:?}");
        assert!(
            !debug.contains("ref-app-key") && !debug.contains("ref-token-alice"),
            "{debug}"
        );
        assert!(Fixtures::parse("x", "app: {api_key: a, tenant: t}\nusers: []\nlocal_info: {languages: [], currencies: [], timezones: []}").is_err());
    }
}
