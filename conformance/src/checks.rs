//! The checks: each a small named rule with a stable id, selectable with `--checks` and
//! `--exclude-checks` (by id or name). `cargo xtask conformance --list-checks` prints this table.

/// One check's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    pub id: &'static str,
    pub name: &'static str,
    pub about: &'static str,
}

macro_rules! checks {
    ($($constant:ident = $id:literal $name:literal $about:literal;)*) => {
        $(pub const $constant: Check = Check { id: $id, name: $name, about: $about };)*
        /// Every check, in the order runs report them.
        pub const ALL: &[Check] = &[$($constant),*];
    };
}

checks! {
    POSITIVE_DATA = "CF100" "positive-data" "random valid bodies (every optional field on or off) are accepted";
    MAX_LENGTH = "CF101" "max-length" "a value of exactly maxLength is accepted; one longer is rejected naming the field";
    MIN_LENGTH = "CF102" "min-length" "a value of exactly minLength is accepted; one shorter is rejected naming the field";
    RANGE = "CF103" "range" "minimum/maximum: the limit is accepted, one past it is rejected naming the field";
    PATTERN = "CF110" "pattern" "values the pattern matches are accepted; one it does not is rejected naming the field";
    FORMAT = "CF111" "format" "valid email/uri/uuid/date/date-time values are accepted; an invalid one is rejected naming the field";
    ENUM = "CF112" "enum" "every listed value is accepted; another is rejected naming the field";
    KEY_OF = "CF113" "key-of" "a key listed by the referenced operation is accepted; another is rejected naming the field";
    WRONG_TYPE = "CF114" "wrong-type" "a JSON value of the wrong type is rejected naming the field";
    FILE_PART = "CF115" "file-part" "a multipart file of each media type its encoding lists (real PNG/JPEG/GIF bytes) is accepted; text or a truncated header is rejected naming the part; a missing required part is rejected naming it";
    REQUIRED = "CF120" "required" "a request without a required field is rejected naming the field";
    REQUIRED_WHEN_CHANGED = "CF121" "required-when-changed" "changing the trigger field without its companion fields is rejected naming each";
    VERIFIED_TOKEN = "CF122" "verified-token" "a token that does not verify is rejected naming the token field";
    DOCUMENTED_MESSAGE = "CF123" "documented-message" "a validation error on a field whose message the vendor documents (x-documented-messages) carries that exact text";
    CREDENTIAL_MISSING = "CF200" "credential-missing" "each credential missing alone gives 401 in the auth envelope";
    CREDENTIAL_WRONG = "CF201" "credential-wrong" "each credential wrong alone gives 401 in the auth envelope";
    CREDENTIAL_VALID = "CF202" "credential-valid" "valid credentials are not refused";
    OWNERSHIP = "CF300" "ownership" "another user's resource gives the documented status (403)";
    TARGET_EXISTS = "CF301" "target-exists" "an unknown id gives the documented status (404)";
    PRIVILEGED_IGNORED = "CF302" "privileged-ignored" "privileged fields sent by an ordinary caller do not change the stored value";
    READ_ONLY_IGNORED = "CF303" "read-only-ignored" "read-only fields sent in a request do not change the stored value";
    READ_AFTER_WRITE = "CF304" "read-after-write" "an accepted update is what the next read returns";
    UNIQUE = "CF305" "unique" "a value another user holds is rejected naming the field";
    DESTRUCTIVE = "CF306" "destructive" "after a delete the resource answers the documented status (404); runs only with --destructive";
    THROTTLE = "CF307" "throttle" "calls over the documented limit get the throttle status (429); runs as the other user, whose quota it uses";
    ERROR_ENVELOPE = "CF400" "error-envelope" "every error body has the envelope documented for its status";
    RESPONSE_SCHEMA = "CF401" "response-schema" "every 2xx body matches its documented schema";
    CONTENT_TYPE = "CF402" "content-type" "every response has a documented content type";
    NO_SERVER_ERROR = "CF500" "no-server-error" "no request gets a 5xx, a hang or a broken connection";
    MALFORMED_JSON = "CF501" "malformed-json" "a body that is not JSON gets a 4xx in the error envelope";
    INVALID_UTF8 = "CF502" "invalid-utf8" "a body that is not UTF-8 gets a 4xx in the error envelope";
    UNSUPPORTED_MEDIA_TYPE = "CF503" "unsupported-media-type" "a content type the operation does not list gets 415 (or the API's body error status)";
    OVERSIZED_BODY = "CF504" "oversized-body" "a body over 1 MiB gets 413";
}

/// Finds a check by id (`CF101`) or name (`max-length`), case-insensitively.
pub fn find(key: &str) -> Option<Check> {
    ALL.iter()
        .copied()
        .find(|c| c.id.eq_ignore_ascii_case(key) || c.name.eq_ignore_ascii_case(key))
}

/// Which checks a run performs.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub only: Vec<Check>,
    pub exclude: Vec<Check>,
}

impl Selection {
    /// Parses comma-separated lists of ids or names; an unknown one is a usage error.
    pub fn parse(only: &[String], exclude: &[String]) -> Result<Selection, String> {
        let parse = |items: &[String]| -> Result<Vec<Check>, String> {
            items
                .iter()
                .flat_map(|item| item.split(','))
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| {
                    find(item).ok_or_else(|| format!("unknown check {item:?}: see --list-checks"))
                })
                .collect()
        };
        Ok(Selection {
            only: parse(only)?,
            exclude: parse(exclude)?,
        })
    }

    pub fn includes(&self, check: Check) -> bool {
        (self.only.is_empty() || self.only.contains(&check)) && !self.exclude.contains(&check)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique_and_findable() {
        for (index, check) in ALL.iter().enumerate() {
            assert!(
                ALL[index + 1..]
                    .iter()
                    .all(|c| c.id != check.id && c.name != check.name),
                "{check:?}"
            );
            assert_eq!(find(check.id), Some(*check));
            assert_eq!(find(&check.name.to_uppercase()), Some(*check));
        }
        let selection = Selection::parse(&["CF101,pattern".into()], &[]).unwrap();
        assert!(
            selection.includes(MAX_LENGTH)
                && selection.includes(PATTERN)
                && !selection.includes(ENUM)
        );
        assert!(Selection::parse(&["nope".into()], &[]).is_err());
    }
}
