//! The checks: each a small named rule with a stable id, selectable with `--checks` and
//! `--exclude-checks` (by id or name). `cargo xtask conformance --list-checks` prints this table.
//!
//! A check is a variant of [`Check`]: the dispatch in `rules` and `passive` matches on it
//! exhaustively, so a check declared here but implemented nowhere does not compile.

/// The family a check belongs to: one module of `rules` each, and the passive checks that
/// judge every exchange the others made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// Field limits, formats, required fields, documented messages, file parts.
    Fields,
    /// Credentials, ownership, unknown ids: who may do what to whom.
    Credentials,
    /// What the server stores: privileged and read-only fields, read-after-write,
    /// uniqueness, deletion, throttling.
    StoredState,
    /// Bodies a server must refuse politely.
    Bodies,
    /// Judged on every exchange the active checks made.
    Passive,
}

macro_rules! checks {
    ($($variant:ident = $id:literal $name:literal $family:ident $about:literal;)*) => {
        /// One check, with a stable id (`CF101`) and name (`max-length`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Check {
            $($variant,)*
        }

        /// Every check, in the order runs report them.
        pub const ALL: &[Check] = &[$(Check::$variant),*];

        impl Check {
            pub const fn id(self) -> &'static str {
                match self { $(Check::$variant => $id,)* }
            }

            pub const fn name(self) -> &'static str {
                match self { $(Check::$variant => $name,)* }
            }

            /// What the check sends and what makes it fail.
            pub const fn about(self) -> &'static str {
                match self { $(Check::$variant => $about,)* }
            }

            pub const fn family(self) -> Family {
                match self { $(Check::$variant => Family::$family,)* }
            }
        }
    };
}

checks! {
    PositiveData = "CF100" "positive-data" Fields "random valid bodies (every optional field on or off) are accepted";
    MaxLength = "CF101" "max-length" Fields "a value of exactly maxLength is accepted; one longer is rejected naming the field";
    MinLength = "CF102" "min-length" Fields "a value of exactly minLength is accepted; one shorter is rejected naming the field";
    Range = "CF103" "range" Fields "minimum/maximum: the limit is accepted, one past it is rejected naming the field";
    Pattern = "CF110" "pattern" Fields "values the pattern matches are accepted; one it does not is rejected naming the field";
    Format = "CF111" "format" Fields "valid email/uri/uuid/date/date-time/time/ipv4/ipv6/hostname/byte values are accepted; an invalid one is rejected naming the field";
    Enum = "CF112" "enum" Fields "every listed value is accepted; another is rejected naming the field";
    KeyOf = "CF113" "key-of" Fields "a key listed by the referenced operation is accepted; another is rejected naming the field";
    WrongType = "CF114" "wrong-type" Fields "a JSON value of the wrong type is rejected naming the field";
    FilePart = "CF115" "file-part" Fields "a multipart file of each media type its encoding lists (real PNG/JPEG/GIF bytes) is accepted; text or a truncated header is rejected naming the part; a missing required part is rejected naming it";
    Required = "CF120" "required" Fields "a request without a required field is rejected naming the field";
    RequiredWhenChanged = "CF121" "required-when-changed" Fields "changing the trigger field without its companion fields is rejected naming each";
    VerifiedToken = "CF122" "verified-token" Fields "a token that does not verify is rejected naming the token field";
    DocumentedMessage = "CF123" "documented-message" Fields "a validation error on a field whose message the vendor documents (x-documented-messages) carries that exact text";
    CredentialMissing = "CF200" "credential-missing" Credentials "each credential missing alone gives 401 in the auth envelope";
    CredentialWrong = "CF201" "credential-wrong" Credentials "each credential wrong alone gives 401 in the auth envelope";
    CredentialValid = "CF202" "credential-valid" Credentials "valid credentials are not refused";
    Ownership = "CF300" "ownership" Credentials "another user's resource gives the documented status (403)";
    TargetExists = "CF301" "target-exists" Credentials "an unknown id gives the documented status (404)";
    PrivilegedIgnored = "CF302" "privileged-ignored" StoredState "privileged fields sent by an ordinary caller do not change the stored value";
    ReadOnlyIgnored = "CF303" "read-only-ignored" StoredState "read-only fields sent in a request do not change the stored value";
    ReadAfterWrite = "CF304" "read-after-write" StoredState "an accepted update is what the next read returns";
    Unique = "CF305" "unique" StoredState "a value another user holds is rejected naming the field";
    Destructive = "CF306" "destructive" StoredState "after a delete the resource answers the documented status (404); runs only with --destructive";
    Throttle = "CF307" "throttle" StoredState "calls over the documented limit get the throttle status (429); runs as the other user, whose quota it uses";
    Lifecycle = "CF308" "lifecycle" StoredState "a resource the harness creates can be read back, updated and read, deleted and then not found (404/410); an id no one created is a 4xx";
    Pagination = "CF309" "pagination" StoredState "a list paged by limit and offset answers at most limit items, and consecutive pages of one item do not repeat an item";
    ErrorEnvelope = "CF400" "error-envelope" Passive "every error body has the envelope documented for its status";
    ResponseSchema = "CF401" "response-schema" Passive "every 2xx body matches its documented schema";
    ContentType = "CF402" "content-type" Passive "every response has a documented content type";
    StatusDocumented = "CF403" "status-documented" Passive "every response's status is documented for its operation (exact, range or default); a warning, a failure with --strict";
    ResponseHeaders = "CF404" "response-headers" Passive "every header a response documents as required is there, and every documented header's value fits its schema";
    NoServerError = "CF500" "no-server-error" Passive "no request gets a 5xx, a hang or a broken connection";
    MalformedJson = "CF501" "malformed-json" Bodies "a body that is not JSON gets a 4xx in the error envelope";
    InvalidUtf8 = "CF502" "invalid-utf8" Bodies "a body that is not UTF-8 gets a 400 in the error envelope";
    UnsupportedMediaType = "CF503" "unsupported-media-type" Bodies "a content type the operation does not list gets 415 (or the API's body error status)";
    OversizedBody = "CF504" "oversized-body" Bodies "a body over 1 MiB gets 413";
}

impl Check {
    /// What the check sends and what makes it fail, at length (`conformance explain`).
    pub fn explanation(self) -> &'static str {
        match self {
            Check::PositiveData => {
                "Sends valid requests as the caller: proptest draws values for every body field and parameter from its schema (each optional field on or off, `--cases` per operation). Fails when one of them is not answered with a 2xx; the report shows the smallest such request (shrunk)."
            }
            Check::MaxLength => {
                "For every string field with maxLength: sends a value of exactly maxLength characters (must be accepted) and one character more (must be refused with the API's validation status, naming the field). Fails on either answer being wrong."
            }
            Check::MinLength => {
                "For every string field with minLength above 0: a value of exactly minLength (accepted) and one character less (refused naming the field)."
            }
            Check::Range => {
                "For every number with minimum or maximum: the limit itself (accepted, unless exclusive) and a value past it (refused naming the field)."
            }
            Check::Pattern => {
                "For every field with a pattern (ECMA-262): values generated from the pattern are accepted; a value it does not match is refused naming the field."
            }
            Check::Format => {
                "For email, uri, uuid, date, date-time, time, ipv4, ipv6, hostname and byte (base64) fields: valid values are accepted; a malformed one (and the empty string) is refused naming the field."
            }
            Check::Enum => {
                "For every enum field: each listed value is accepted; an unlisted one is refused naming the field."
            }
            Check::KeyOf => {
                "For fields whose value must be a key another operation lists (x-key-of): a listed key is accepted; another value is refused naming the field."
            }
            Check::WrongType => {
                "Sends a JSON value of the wrong type (a number for a string, a string for a boolean, …) in each field; it must be refused naming the field, never coerced."
            }
            Check::FilePart => {
                "For multipart file parts: one real PNG, JPEG and GIF file per listed media type is accepted; a text file or a cut-off image header sent as image/png is refused naming the part; a required part left out is refused naming it."
            }
            Check::Required => {
                "Leaves out each required field or parameter in turn; the request must be refused naming it."
            }
            Check::RequiredWhenChanged => {
                "Changes the trigger field of a required-when-changed rule (rpc's email) without its companion fields; the answer must name each missing companion."
            }
            Check::VerifiedToken => {
                "Sends a token that cannot verify (a verified-token rule); the answer must refuse it naming the token field."
            }
            Check::DocumentedMessage => {
                "Where the vendor's document gives a message text (x-documented-messages), breaks that constraint alone and requires the exact text among the field's messages. Framework defaults chosen by the spec are never enforced."
            }
            Check::CredentialMissing => {
                "Leaves out each credential in turn (the others valid); the answer must be 401 in the documented envelope. On operations that destroy data this runs on the other user's id, and a read afterwards shows nothing was deleted."
            }
            Check::CredentialWrong => {
                "Replaces each credential in turn by a wrong one (with the scheme's prefix too, where one is documented); the answer must be 401 in the documented envelope."
            }
            Check::CredentialValid => {
                "Sends one valid request with every credential; it must not be refused with 401 or 403."
            }
            Check::Ownership => {
                "The caller acts on the other user's resource (--other-user-id); the answer must be the documented status (403). On a delete, a read afterwards shows nothing was deleted."
            }
            Check::TargetExists => {
                "The caller names an id that belongs to no one; the answer must be the documented status (404)."
            }
            Check::PrivilegedIgnored => {
                "Sends privileged fields (x-privileged) with changed values as an ordinary caller; the request may succeed, but a read afterwards must show the stored values unchanged."
            }
            Check::ReadOnlyIgnored => {
                "Sends read-only fields with changed values; a read afterwards must show them unchanged."
            }
            Check::ReadAfterWrite => {
                "After an accepted update, reads the profile back (the rule's read operation); every value written must be what the read returns."
            }
            Check::Unique => {
                "Sends a value another user holds in a unique field (x-unique); it must be refused naming the field."
            }
            Check::Destructive => {
                "Only with --destructive, and only on --other-user-id: deletes, then reads; the read must answer the documented status (404)."
            }
            Check::Pagination => {
                "For a GET with integer query parameters named limit (or page_size, per_page, size) and offset (or skip): asks for limit=2 (the page must hold at most 2 items), then limit=1 at offset 0 and at offset 1; when both pages hold one item, they must differ (an offset that is ignored answers the first item twice). Items are the answer's array, or the one array property of its object. Skipped when the API holds fewer than two items."
            }
            Check::Lifecycle => {
                "For each resource a POST creates and a GET on its path/{id} reads (a plain spec's CRUD): creates one with valid data, reads it back by the id from the Location header or the body, updates it (PUT or PATCH) and reads it, deletes it and reads again (404 or 410), and reads an id no one created (a 4xx). It deletes only what it created itself. A failure shows the whole sequence."
            }
            Check::Throttle => {
                "As the other user (whose quota it uses), calls the operation until the documented throttle status comes; it passes only after at least one accepted call, and fails if the first call is already throttled or the limit never comes within 50 calls."
            }
            Check::ErrorEnvelope => {
                "Passive: every error answer of the run must have the envelope documented for its status (x-error-envelope): its keys, their types, and the values the contract fixes."
            }
            Check::ResponseSchema => {
                "Passive: every 2xx answer of the run must match the documented response schema."
            }
            Check::ContentType => {
                "Passive: every answer must carry a content type documented for its status."
            }
            Check::StatusDocumented => {
                "Passive: every answer's status must be one the operation documents (the exact code, its range such as 4XX, or default). An undocumented status is a warning (a client cannot know what it means), and a failure with --strict."
            }
            Check::ResponseHeaders => {
                "Passive: every answer whose documented response lists headers must carry each one marked `required: true` (a 201 without its `Location`, say), and every documented header it carries must read as its schema's type and meet its constraints (an integer `X-Rate-Limit` that says `many`, a value outside its enum or pattern)."
            }
            Check::NoServerError => {
                "Passive: no request may get a 5xx, a hang past --timeout or a broken connection."
            }
            Check::MalformedJson => {
                "Sends a body that is not JSON with a JSON content type; it must be refused with a 4xx (the API's body-error status where it has one) in the error envelope."
            }
            Check::InvalidUtf8 => {
                "Sends a body with bytes that are not UTF-8; it must be refused with 400 in the error envelope (FastAPI's billing too)."
            }
            Check::UnsupportedMediaType => {
                "Sends text/plain to an operation that does not list it; the answer must be 415 (or the API's documented body-error status)."
            }
            Check::OversizedBody => "Sends a body of 1 MiB and 64 bytes; the answer must be 413.",
        }
    }
}

/// Finds a check by id (`CF101`) or name (`max-length`), case-insensitively.
pub fn find(key: &str) -> Option<Check> {
    ALL.iter()
        .copied()
        .find(|c| c.id().eq_ignore_ascii_case(key) || c.name().eq_ignore_ascii_case(key))
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
                    .all(|c| c.id() != check.id() && c.name() != check.name()),
                "{check:?}"
            );
            assert_eq!(find(check.id()), Some(*check));
            assert_eq!(find(&check.name().to_uppercase()), Some(*check));
        }
        let selection = Selection::parse(&["CF101,pattern".into()], &[]).unwrap();
        assert!(
            selection.includes(Check::MaxLength)
                && selection.includes(Check::Pattern)
                && !selection.includes(Check::Enum)
        );
        assert!(Selection::parse(&["nope".into()], &[]).is_err());
    }

    /// conformance/README.md's table is this list: ids, names and rules cannot drift.
    #[test]
    fn the_readme_table_lists_every_check() {
        let readme = include_str!("../README.md");
        let rows: Vec<&str> = readme.lines().filter(|l| l.starts_with("| CF")).collect();
        let expected: Vec<String> = ALL
            .iter()
            .map(|c| format!("| {} | `{}` | {} |", c.id(), c.name(), c.about()))
            .collect();
        assert_eq!(rows, expected, "update the table in conformance/README.md");
    }
}
