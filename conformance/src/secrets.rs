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
        let named = [
            (&self.api_key, "CONFORMANCE_API_KEY"),
            (&self.token, "CONFORMANCE_TOKEN"),
            (&self.tenant, "CONFORMANCE_TENANT"),
            (&self.other_token, "CONFORMANCE_OTHER_TOKEN"),
        ];
        let mut redactor = Redactor::new(named.iter().filter_map(|(s, _)| s.as_deref()));
        redactor.references = named
            .iter()
            .filter_map(|(secret, variable)| {
                secret
                    .as_ref()
                    .filter(|s| !s.is_empty())
                    .map(|s| (s.clone(), *variable))
            })
            .collect();
        redactor
    }
}

/// Replaces every secret in a text with `[redacted]`, in every form it can take on the way
/// out: raw, percent-encoded (any mix of raw and `%XX` characters, upper or lower hex, a space
/// as `+` or `%20`: a URL encoder may leave `/` or `=` raw), JSON-escaped, and base64 (as in a
/// Basic credential, standard or URL-safe alphabet, at any offset in a longer encoded text).
/// Every report, snapshot and log line passes through one of these.
#[derive(Clone, Default)]
pub struct Redactor {
    pattern: Option<regex::Regex>,
    /// Each secret and the environment variable that holds it, for reproductions.
    references: Vec<(String, &'static str)>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.pattern.is_some() {
            "Redactor(secrets)"
        } else {
            "Redactor(none)"
        })
    }
}

pub const REDACTED: &str = "[redacted]";

impl Redactor {
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Redactor {
        let mut forms: Vec<String> = Vec::new();
        for secret in secrets.into_iter().filter(|s| !s.is_empty()) {
            forms.push(encoded_forms(secret));
            let json = serde_json::to_string(secret).unwrap_or_default();
            let json = json.trim_matches('"');
            if json != secret {
                forms.push(regex::escape(json));
            }
            forms.extend(base64_forms(secret).iter().map(|f| regex::escape(f)));
        }
        if forms.is_empty() {
            return Redactor::default();
        }
        // Longest first, so a secret that contains another is hidden whole.
        forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
        forms.dedup();
        // The alternation only holds escaped literals: it always compiles, and the size
        // limit is far above what a handful of secrets need.
        let pattern = regex::RegexBuilder::new(&forms.join("|"))
            .size_limit(64 << 20)
            .build()
            .ok();
        Redactor {
            pattern,
            references: Vec::new(),
        }
    }

    /// [`Redactor::redact`], then at most `max_chars` characters with a `…` marker: clipping
    /// first could cut a secret in two, and half a secret is no longer recognised.
    pub fn redact_clipped(&self, text: &str, max_chars: usize) -> String {
        let mut redacted = self.redact(text);
        if let Some((cut, _)) = redacted.char_indices().nth(max_chars) {
            redacted.truncate(cut);
            redacted.push('…');
        }
        redacted
    }

    /// If `value` is a credential, alone or after `Bearer ` / `Basic `: that prefix and the
    /// environment variable that holds the credential (`CONFORMANCE_API_KEY`, …).
    pub fn reference<'v>(&self, value: &'v str) -> Option<(&'v str, &'static str)> {
        self.references.iter().find_map(|(secret, variable)| {
            let prefix = value.strip_suffix(secret.as_str())?;
            (prefix.is_empty() || prefix == "Bearer " || prefix == "Basic ")
                .then_some((prefix, *variable))
        })
    }

    pub fn redact(&self, text: &str) -> String {
        match &self.pattern {
            Some(pattern) => pattern.replace_all(text, REDACTED).into_owned(),
            None => text.to_owned(),
        }
    }
}

/// A pattern for `secret` with each character raw or percent-encoded (either hex case).
fn encoded_forms(secret: &str) -> String {
    let mut pattern = String::new();
    for c in secret.chars() {
        let mut alternatives = vec![regex::escape(c.encode_utf8(&mut [0; 4]))];
        if c == ' ' {
            alternatives.push(r"\+".into());
        }
        let mut utf8 = [0; 4];
        let (mut upper, mut lower) = (String::new(), String::new());
        for byte in c.encode_utf8(&mut utf8).bytes() {
            upper.push_str(&format!("%{byte:02X}"));
            lower.push_str(&format!("%{byte:02x}"));
        }
        alternatives.push(upper.clone());
        if lower != upper {
            alternatives.push(lower);
        }
        pattern.push_str(&format!("(?:{})", alternatives.join("|")));
    }
    pattern
}

/// The base64 text of `secret` alone, and the part of it that stays the same wherever the
/// secret sits in a longer encoded text (`user:secret` in a Basic credential), in the
/// standard and the URL-safe alphabet.
fn base64_forms(secret: &str) -> Vec<String> {
    let mut forms = Vec::new();
    for offset in 0..3 {
        let mut bytes = vec![0u8; offset];
        bytes.extend_from_slice(secret.as_bytes());
        let encoded = base64(&bytes);
        // Characters touched by the padding bytes before or by what follows are unstable.
        let skip = if offset == 0 { 0 } else { offset + 1 };
        let stable_len = (offset + secret.len()) / 3 * 4;
        if stable_len > skip + 4 {
            forms.push(encoded[skip..stable_len].to_owned());
        }
        if offset == 0 {
            forms.push(encoded.clone());
        }
    }
    let url_safe: Vec<String> = forms
        .iter()
        .map(|f| {
            f.replace('+', "-")
                .replace('/', "_")
                .trim_end_matches('=')
                .to_owned()
        })
        .collect();
    forms.extend(url_safe);
    forms.retain(|f| f.len() >= 4);
    forms
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
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

    #[test]
    fn secrets_are_redacted_in_every_encoding() {
        let key = "in-Q+7/w=z%41kR x";
        let redactor = Redactor::new([key]);
        let forms = [
            key.to_owned(),
            "in-Q%2B7%2Fw%3Dz%2541kR%20x".to_owned(),
            "in-Q%2b7%2fw%3dz%2541kR+x".to_owned(),
            // A URL encoder that leaves `/` and `=` raw.
            "in-Q%2B7/w=z%2541kR%20x".to_owned(),
            serde_json::to_string(key).unwrap(),
            format!("Basic {}", base64(key.as_bytes())),
            format!("Basic {}", base64(format!("user:{key}").as_bytes())),
            format!("Basic {}", base64(format!("ab:{key}").as_bytes())),
            format!("Basic {}", base64(format!("a:{key}").as_bytes())),
            format!("Basic {}", base64(format!("abc:{key}").as_bytes())),
        ];
        for form in forms {
            let text = format!("curl 'http://h/x?api_key={form}&b=1'");
            let redacted = redactor.redact(&text);
            assert!(redacted.contains(REDACTED), "{form} → {redacted}");
            for fragment in ["Q+7", "Q%2B7", "Q%2b7", "z%41", "z%2541"] {
                assert!(!redacted.contains(fragment), "{form} → {redacted}");
            }
        }
        assert_eq!(base64(b"hello"), "aGVsbG8=");
        assert_eq!(Redactor::new([]).redact("a+b"), "a+b");
    }
}
