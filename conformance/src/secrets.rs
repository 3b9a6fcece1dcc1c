//! The credentials a run uses, and the one place that hides them from every output.

use generator::model::{ParameterLocation, SchemeKind, SecurityScheme};

/// What the user gave (flags or environment). Every field is optional: a rule whose
/// credentials are missing is skipped, not passed.
#[derive(Clone, Default)]
pub struct Credentials {
    pub api_key: Option<String>,
    pub token: Option<String>,
    pub tenant: Option<String>,
    pub user_id: Option<String>,
    pub other_user_id: Option<String>,
    pub other_token: Option<String>,
}

// Hand-written so that `{:?}` can never print a secret.
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = |value: &Option<String>| {
            if value.is_some() {
                "[redacted]"
            } else {
                "none"
            }
        };
        f.debug_struct("Credentials")
            .field("api_key", &shown(&self.api_key))
            .field("token", &shown(&self.token))
            .field("tenant", &shown(&self.tenant))
            .field("user_id", &self.user_id)
            .field("other_user_id", &self.other_user_id)
            .field("other_token", &shown(&self.other_token))
            .finish()
    }
}

/// Which credential a security scheme carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialKind {
    ApiKey,
    Token,
    Tenant,
}

impl CredentialKind {
    pub fn of(scheme: &SecurityScheme) -> CredentialKind {
        match &scheme.kind {
            SchemeKind::Bearer | SchemeKind::OAuth | SchemeKind::Basic => CredentialKind::Token,
            SchemeKind::ApiKey { parameter, .. } if parameter.eq_ignore_ascii_case("tenant") => {
                CredentialKind::Tenant
            }
            SchemeKind::ApiKey { .. } => CredentialKind::ApiKey,
        }
    }

    pub fn flag(self) -> &'static str {
        match self {
            CredentialKind::ApiKey => "--api-key",
            CredentialKind::Token => "--token",
            CredentialKind::Tenant => "--tenant",
        }
    }
}

impl Credentials {
    /// The caller's value for a scheme.
    pub fn for_scheme(&self, scheme: &SecurityScheme) -> Option<&str> {
        match CredentialKind::of(scheme) {
            CredentialKind::ApiKey => self.api_key.as_deref(),
            CredentialKind::Token => self.token.as_deref(),
            CredentialKind::Tenant => self.tenant.as_deref(),
        }
    }

    /// The same, acting as the other user (only the bearer token differs).
    pub fn for_scheme_as_other(&self, scheme: &SecurityScheme) -> Option<&str> {
        match CredentialKind::of(scheme) {
            CredentialKind::Token => self.other_token.as_deref(),
            _ => self.for_scheme(scheme),
        }
    }

    /// A redactor that knows every secret of this run.
    pub fn redactor(&self) -> Redactor {
        let mut secrets: Vec<String> =
            [&self.api_key, &self.token, &self.tenant, &self.other_token]
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect();
        // Longest first, so a secret that contains another is hidden whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        Redactor { secrets }
    }
}

/// Replaces every secret in a text with `[redacted]`. Every report, snapshot and log line
/// passes through one of these.
#[derive(Clone, Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} secrets)", self.secrets.len())
    }
}

pub const REDACTED: &str = "[redacted]";

impl Redactor {
    pub fn redact(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in &self.secrets {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), REDACTED);
            }
        }
        text
    }
}

/// Where a scheme's credential goes, and how it is written.
pub fn placement(scheme: &SecurityScheme, value: &str) -> (ParameterLocation, String, String) {
    match &scheme.kind {
        SchemeKind::ApiKey {
            location,
            parameter,
            ..
        } => (*location, parameter.clone(), value.to_owned()),
        SchemeKind::Basic => (
            ParameterLocation::Header,
            "Authorization".into(),
            format!("Basic {value}"),
        ),
        SchemeKind::Bearer | SchemeKind::OAuth => (
            ParameterLocation::Header,
            "Authorization".into(),
            format!("Bearer {value}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_survive_redaction_or_debug() {
        let credentials = Credentials {
            api_key: Some("key-123".into()),
            token: Some("tok".into()),
            other_token: Some("tok-longer".into()),
            user_id: Some("42".into()),
            ..Credentials::default()
        };
        let redactor = credentials.redactor();
        assert_eq!(
            redactor.redact("Bearer tok-longer and key-123 for 42"),
            "Bearer [redacted] and [redacted] for 42"
        );
        let debug = format!("{credentials:?}");
        assert!(
            !debug.contains("key-123") && !debug.contains("\"tok"),
            "{debug}"
        );
        assert!(debug.contains("42"));
    }
}
