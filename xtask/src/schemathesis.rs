//! `cargo xtask schemathesis`: Schemathesis (PyPI), a property-based API tester nobody here
//! wrote, run with the project's specs against every face of the reference server.
//!
//! Every face gets a fresh reference server (in-process, ephemeral port, the default
//! fixtures), so one face's destructive or throttled operations cannot change what the next
//! face sees. Schemathesis runs from a scratch directory (it writes `.hypothesis/` and its
//! reports into the current one) with every check, positive and negative data, every phase, a
//! fixed seed and a bounded number of examples. The face's credentials reach it through the
//! environment, named by `${…}` placeholders in the `schemathesis.toml` written into the
//! scratch directory (its OpenAPI-aware `[auth.openapi.<scheme>]`, which also covers billing's
//! `api_key` query parameter): neither the command line nor the file holds one, and output
//! sanitization masks them in what Schemathesis prints. The output is searched for every
//! credential of the fixtures all the same; a hit is a failure (and is masked here).
//!
//! Where Schemathesis and a seed disagree, the seed and `shared/dialects.md` win: each such
//! exclusion is one constant below (listed in [`EXCLUSIONS`]), with its reason, and is printed
//! next to the command line of its face.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use generator::spec::Document;
use generator::spec::ext::Dialect;
use reference::{FACES, FaceCredentials, Fixtures};
use serde_json::Value;

use crate::cli::SchemathesisArgs;
use crate::{Failure, project_root};

/// The Schemathesis release this command is written against; CI installs exactly this one.
pub const PINNED_VERSION: &str = "4.32.5";

/// The seed of every run: the same seed sends the same requests.
pub const DEFAULT_SEED: u64 = 20_240_115;

/// Schemathesis' `--max-examples`: generated test cases per operation and phase (the
/// coverage phase adds its boundary cases). 100 keeps all six faces near a minute on two cores.
pub const DEFAULT_MAX_EXAMPLES: u32 = 100;

/// Every phase: the spec's examples, coverage (boundary and negative values of every keyword),
/// fuzzing, and stateful sequences over the links Schemathesis infers.
const PHASES: &str = "examples,coverage,fuzzing,stateful";

/// Seconds each request may take.
const REQUEST_TIMEOUT: &str = "10";

/// The environment variables the written config reads the credentials from.
const ENV_API_KEY: &str = "XTASK_ST_API_KEY";
const ENV_TOKEN: &str = "XTASK_ST_TOKEN";
const ENV_TENANT: &str = "XTASK_ST_TENANT";
const ENV_OTHER_TOKEN: &str = "XTASK_ST_OTHER_TOKEN";
const ENV_EMAIL_TOKEN: &str = "XTASK_ST_EMAIL_TOKEN";

/// Header, query and body names whose values Schemathesis masks. Giving the list replaces its
/// defaults, so the credential-like ones are repeated here; cl2c's `tenant` is the one
/// credential name the defaults miss. (Names containing `token`, `key`, `auth`, `secret`,
/// `password`, `session` or `credential` are masked anyway.)
const SANITIZED_KEYS: &[&str] = &[
    "api_key",
    "api-key",
    "apikey",
    "x-api-key",
    "x_api_key",
    "authorization",
    "auth",
    "token",
    "tenant",
    "cookie",
    "set-cookie",
    "credentials",
    "password",
    "secret",
    "session",
];

/// The warnings Schemathesis shows by default (`low_valid_rate` is opt-in). Every one of them
/// fails the run unless an exclusion names it.
const WARNINGS: &[&str] = &[
    "missing_auth",
    "missing_test_data",
    "base_url_mismatch",
    "validation_mismatch",
    "missing_deserializer",
    "unused_openapi_auth",
    "unsupported_regex",
    "method_not_allowed",
    "constants_extraction",
    "unmatched_filter",
    "unresolvable_reference",
    "rate_limited",
    "dictionary_mismatch",
    "timeout_units",
];

/// The statuses Schemathesis' `positive_data_acceptance` accepts by default; an
/// [`Excluded::Accept`] adds to them.
const POSITIVE_DEFAULT: &[&str] = &["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"];

/// The address verified email changes move the caller to.
const NEW_EMAIL: &str = "schemathesis.new@example.com";

// ---------------------------------------------------------------------------------------
// Exclusions

/// Values Schemathesis cannot derive from a schema but the seed's rules need: an existing
/// user, a key local-info lists, a real image, a verified token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Datum {
    /// The caller's own id on the face.
    CallerId,
    /// An existing user who is not the caller.
    OtherUserId,
    /// The caller's stored email address (changing it needs a verified token).
    CallerEmail,
    /// [`NEW_EMAIL`].
    NewEmail,
    /// The caller's email-change token (a credential: passed through the environment).
    EmailToken,
    /// The checksum of [`Datum::EmailToken`] and [`NEW_EMAIL`].
    EmailChecksum,
    /// The keys local-info lists (`languages`, `currencies`, `timezones`).
    LocalInfoKeys(&'static str),
    /// A GIF: image parts must be PNG, JPEG or GIF by content, and random bytes are not.
    Image,
}

/// Who an operation runs as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Identity {
    /// The fixtures' second user, with their own bearer token.
    OtherUser,
}

/// What an exclusion leaves out, changes or supplies.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Excluded {
    /// A check also accepts these statuses on one operation (its `expected-statuses`).
    Accept {
        operation: &'static str,
        check: &'static str,
        statuses: &'static [&'static str],
    },
    /// A parameter (`location.name`, as Schemathesis' `parameters` config names it) takes a
    /// supplied value: with probability 1.0 always, in every phase (the parameter is then
    /// never generated, negative values included); below 1.0 that share of the fuzzing
    /// phase's values (a dictionary), the rest generated.
    Supply {
        operation: Option<&'static str>,
        parameter: &'static str,
        datum: Datum,
        probability: f64,
    },
    /// One operation runs as another identity than the caller.
    RunAs {
        operation: &'static str,
        identity: Identity,
    },
    /// A Schemathesis warning neither shown nor failed on, on one operation or every one.
    Warning {
        operation: Option<&'static str>,
        warning: &'static str,
    },
    /// An operation need not have accepted a positive case (see [`judge`]).
    Unreached { operation: &'static str },
}

/// One place where the run deliberately departs from "everything, everywhere", and why.
#[derive(Debug, Clone, Copy)]
struct Exclusion {
    /// A face, or [`EVERY_FACE`].
    face: &'static str,
    excluded: Excluded,
    /// The seed line or `shared/dialects.md` rule that wins over Schemathesis.
    reason: &'static str,
}

const EVERY_FACE: &str = "*";

const fn supply(
    face: &'static str,
    operation: Option<&'static str>,
    parameter: &'static str,
    datum: Datum,
    probability: f64,
    reason: &'static str,
) -> Exclusion {
    Exclusion {
        face,
        excluded: Excluded::Supply {
            operation,
            parameter,
            datum,
            probability,
        },
        reason,
    }
}

const fn accept_400(
    face: &'static str,
    operation: &'static str,
    reason: &'static str,
) -> Exclusion {
    Exclusion {
        face,
        excluded: Excluded::Accept {
            operation,
            check: "positive_data_acceptance",
            statuses: &["400"],
        },
        reason,
    }
}

const fn ignore_warning(
    face: &'static str,
    operation: Option<&'static str>,
    warning: &'static str,
    reason: &'static str,
) -> Exclusion {
    Exclusion {
        face,
        excluded: Excluded::Warning { operation, warning },
        reason,
    }
}

// Every face.

/// Schemathesis warns "missing test data" when a phase's positive cases all answer 404. Its
/// coverage phase draws path and query ids without the supplied dictionaries, so every id
/// there names nobody; the fuzzing phase then reaches the user. In its place this command
/// requires every operation to have accepted at least one positive case (see
/// `unreached`), which is stricter.
const EVERY_MISSING_TEST_DATA: Exclusion = ignore_warning(
    EVERY_FACE,
    None,
    "missing_test_data",
    "dialects.md: an unknown user id is 404 (target-must-exist); the coverage phase cannot know one, so this command checks instead that every operation accepted a positive case",
);

// canonical

const CANONICAL_OWN_ID: Exclusion = supply(
    "canonical",
    None,
    "path.id",
    Datum::CallerId,
    0.5,
    "dialects.md canonical (owner-only): an id other than the caller's is 403, an unknown one 404; half the fuzzed ids are the caller's",
);
const CANONICAL_DELETE_OTHER_ID: Exclusion = supply(
    "canonical",
    Some("deleteProfile"),
    "path.id",
    Datum::OtherUserId,
    1.0,
    "dialects.md conventions: operations that destroy data run only on the other user (deleting the caller would end the run's credentials)",
);
const CANONICAL_DELETE_AS_OTHER: Exclusion = Exclusion {
    face: "canonical",
    excluded: Excluded::RunAs {
        operation: "deleteProfile",
        identity: Identity::OtherUser,
    },
    reason: "dialects.md conventions: DELETE runs on the other user, and canonical's owner-only rule lets only them delete their own profile",
};
const CANONICAL_DELETE_AUTH: Exclusion = ignore_warning(
    "canonical",
    Some("deleteProfile"),
    "missing_auth",
    "the other user deletes their profile once (200); their token goes with it, so every later DELETE is 401 (dialects.md: the user then answers 404, their credentials 401)",
);
const CANONICAL_DELETE_ONCE: Exclusion = Exclusion {
    face: "canonical",
    excluded: Excluded::Unreached {
        operation: "deleteProfile",
    },
    reason: "a profile can be deleted once (dialects.md: the user then answers 404), and Schemathesis may spend that one 200 on a case it does not count as positive",
};
const CANONICAL_LANGUAGE_KEYS: Exclusion = supply(
    "canonical",
    None,
    "body.language",
    Datum::LocalInfoKeys("languages"),
    0.8,
    "canonical x-key-of (dialects.md rpc: each must be a key listed by local-info, else 400)",
);
const CANONICAL_CURRENCY_KEYS: Exclusion = supply(
    "canonical",
    None,
    "body.currency",
    Datum::LocalInfoKeys("currencies"),
    0.8,
    "canonical x-key-of (dialects.md rpc: each must be a key listed by local-info, else 400)",
);
const CANONICAL_TIMEZONE_KEYS: Exclusion = supply(
    "canonical",
    None,
    "body.timezone",
    Datum::LocalInfoKeys("timezones"),
    0.8,
    "canonical x-key-of (dialects.md rpc: each must be a key listed by local-info, else 400)",
);
const CANONICAL_REPLACE_KEY_OF: Exclusion = accept_400(
    "canonical",
    "replaceProfile",
    "canonical x-key-of: a language, currency or timezone local-info does not list is 400 (dialects.md rpc); no schema keyword says so, and the coverage phase sends boundary strings",
);
const CANONICAL_UPDATE_KEY_OF: Exclusion = accept_400(
    "canonical",
    "updateProfile",
    "canonical x-key-of: a language, currency or timezone local-info does not list is 400 (dialects.md rpc); no schema keyword says so, and the coverage phase sends boundary strings",
);
const CANONICAL_IMAGE: Exclusion = supply(
    "canonical",
    Some("uploadProfileImage"),
    "body.image",
    Datum::Image,
    1.0,
    "dialects.md rpc: a part that is not a PNG, JPEG or GIF gives 400 on that field",
);
const CANONICAL_CROPPED_IMAGE: Exclusion = supply(
    "canonical",
    Some("uploadProfileImage"),
    "body.cropped_image",
    Datum::Image,
    1.0,
    "dialects.md rpc: a part that is not a PNG, JPEG or GIF gives 400 on that field",
);
const CANONICAL_UPLOAD_MULTIPART: Exclusion = accept_400(
    "canonical",
    "uploadProfileImage",
    "dialects.md canonical rules: a body that cannot be read is 400; Schemathesis names extra multipart parts with control characters, which a part header cannot carry (RFC 7578, RFC 9110 field values)",
);
const CANONICAL_UPLOAD_THROTTLE: Exclusion = ignore_warning(
    "canonical",
    Some("uploadProfileImage"),
    "rate_limited",
    "dialects.md rpc: over the daily limit (20 uploads per user in the fixtures) uploads answer 429, shared with rpc's upload",
);
const CANONICAL_NEW_EMAIL: Exclusion = supply(
    "canonical",
    Some("verifyEmailChange"),
    "body.email",
    Datum::NewEmail,
    1.0,
    "canonical x-rules verified-token (dialects.md rpc): the token and checksum must verify against the new address, else 400",
);
const CANONICAL_EMAIL_TOKEN: Exclusion = supply(
    "canonical",
    Some("verifyEmailChange"),
    "body.token",
    Datum::EmailToken,
    1.0,
    "canonical x-rules verified-token (dialects.md rpc): only the caller's email token verifies",
);
const CANONICAL_EMAIL_CHECKSUM: Exclusion = supply(
    "canonical",
    Some("verifyEmailChange"),
    "body.token_checksum",
    Datum::EmailChecksum,
    1.0,
    "canonical x-rules verified-token (dialects.md rpc): the checksum of the token and the new address",
);
const CANONICAL_EMAIL_STATEFUL: Exclusion = accept_400(
    "canonical",
    "verifyEmailChange",
    "canonical x-rules verified-token: the stateful phase feeds addresses from earlier responses into email, and a token that does not verify against them is 400 \"Token is not matching.\" (dialects.md rpc)",
);

// manage

const MANAGE_OWN_ID: Exclusion = supply(
    "manage",
    None,
    "query.user_id",
    Datum::CallerId,
    0.5,
    "dialects.md manage: an unknown user_id is 404; half the fuzzed ids name the caller",
);
const MANAGE_OWN_BODY_ID: Exclusion = supply(
    "manage",
    None,
    "body.user_id",
    Datum::CallerId,
    0.5,
    "dialects.md manage: POST and PUT update the user named by user_id, an unknown one is 404; half the fuzzed ids name the caller",
);
const MANAGE_DELETE_OTHER_ID: Exclusion = supply(
    "manage",
    Some("deleteUserProfile"),
    "query.user_id",
    Datum::OtherUserId,
    1.0,
    "dialects.md conventions: operations that destroy data run only on the other user (the spec's example user_id is the caller, whose deletion would end the run's credentials)",
);

const MANAGE_DELETE_ONCE: Exclusion = Exclusion {
    face: "manage",
    excluded: Excluded::Unreached {
        operation: "deleteUserProfile",
    },
    reason: "a user can be deleted once (dialects.md manage: the user then answers 404), and Schemathesis may spend that one 200 on a case it does not count as positive",
};

// rpc

const RPC_LANGUAGE_KEYS: Exclusion = supply(
    "rpc",
    Some("updateProfile"),
    "body.languages",
    Datum::LocalInfoKeys("languages"),
    0.8,
    "dialects.md rpc: languages must be a key listed by local-info, else 400",
);
const RPC_CURRENCY_KEYS: Exclusion = supply(
    "rpc",
    Some("updateProfile"),
    "body.currencies",
    Datum::LocalInfoKeys("currencies"),
    0.8,
    "dialects.md rpc: currencies must be a key listed by local-info, else 400",
);
const RPC_TIMEZONE_KEYS: Exclusion = supply(
    "rpc",
    Some("updateProfile"),
    "body.timezones",
    Datum::LocalInfoKeys("timezones"),
    0.8,
    "dialects.md rpc: timezones must be a key listed by local-info, else 400",
);
const RPC_SAME_EMAIL: Exclusion = supply(
    "rpc",
    Some("updateProfile"),
    "body.email",
    Datum::CallerEmail,
    0.8,
    "dialects.md rpc: an email that differs from the stored one needs token_field and token_checksum_field (400 without them)",
);
const RPC_UPDATE_RULES: Exclusion = accept_400(
    "rpc",
    "updateProfile",
    "dialects.md rpc: a languages/currencies/timezones value local-info does not list, or a changed email without a verified token, is 400, which no schema keyword says; and multipart part names with control characters are an unreadable body (400, RFC 7578)",
);
const RPC_UPDATE_MISMATCH: Exclusion = ignore_warning(
    "rpc",
    Some("updateProfile"),
    "validation_mismatch",
    "dialects.md rpc: the coverage phase's boundary values for languages, currencies and timezones are not keys local-info lists (400), and a changed email needs a verified token (400): stricter than the schema by the seed's rules",
);
const RPC_IMAGE: Exclusion = supply(
    "rpc",
    Some("uploadProfileImage"),
    "body.image",
    Datum::Image,
    1.0,
    "dialects.md rpc: a part that is not a PNG, JPEG or GIF gives 400 on that field",
);
const RPC_CROPPED_IMAGE: Exclusion = supply(
    "rpc",
    Some("uploadProfileImage"),
    "body.cropped_image",
    Datum::Image,
    1.0,
    "dialects.md rpc: a part that is not a PNG, JPEG or GIF gives 400 on that field",
);
const RPC_ALIAS_IMAGE: Exclusion = supply(
    "rpc",
    Some("uploadProfileImageAlias"),
    "body.image",
    Datum::Image,
    1.0,
    "dialects.md rpc: a part that is not a PNG, JPEG or GIF gives 400 on that field",
);
const RPC_ALIAS_CROPPED_IMAGE: Exclusion = supply(
    "rpc",
    Some("uploadProfileImageAlias"),
    "body.cropped_image",
    Datum::Image,
    1.0,
    "dialects.md rpc: a part that is not a PNG, JPEG or GIF gives 400 on that field",
);
const RPC_ALIAS_AS_OTHER: Exclusion = Exclusion {
    face: "rpc",
    excluded: Excluded::RunAs {
        operation: "uploadProfileImageAlias",
        identity: Identity::OtherUser,
    },
    reason: "dialects.md rpc: the daily upload limit is per user; the alias uploads as the other user so that each path gets a budget of its own",
};
const RPC_UPLOAD_MULTIPART: Exclusion = accept_400(
    "rpc",
    "uploadProfileImage",
    "dialects.md canonical rules: a body that cannot be read is 400; Schemathesis names extra multipart parts with control characters, which a part header cannot carry (RFC 7578, RFC 9110 field values)",
);
const RPC_ALIAS_MULTIPART: Exclusion = accept_400(
    "rpc",
    "uploadProfileImageAlias",
    "dialects.md canonical rules: a body that cannot be read is 400; Schemathesis names extra multipart parts with control characters, which a part header cannot carry (RFC 7578, RFC 9110 field values)",
);
const RPC_UPLOAD_THROTTLE: Exclusion = ignore_warning(
    "rpc",
    Some("uploadProfileImage"),
    "rate_limited",
    "dialects.md rpc: over the daily limit (20 uploads per user in the fixtures) uploads answer 429 with the seed's message",
);
const RPC_ALIAS_THROTTLE: Exclusion = ignore_warning(
    "rpc",
    Some("uploadProfileImageAlias"),
    "rate_limited",
    "dialects.md rpc: over the daily limit (20 uploads per user in the fixtures) uploads answer 429 with the seed's message",
);

// community

const COMMUNITY_OWN_ID: Exclusion = supply(
    "community",
    None,
    "path.id",
    Datum::CallerId,
    0.5,
    "dialects.md community: another user's id is 403, an unknown one 404; half the fuzzed ids are the caller's",
);
const COMMUNITY_AVATAR: Exclusion = supply(
    "community",
    None,
    "body.avatar",
    Datum::Image,
    0.8,
    "community spec: the avatar part is image/png, image/jpeg or image/gif (DRF ImageField); any other content is 400",
);
const COMMUNITY_COVER: Exclusion = supply(
    "community",
    None,
    "body.cover",
    Datum::Image,
    0.8,
    "community spec: the cover part is image/png, image/jpeg or image/gif (DRF ImageField); any other content is 400",
);
const COMMUNITY_UPDATE_RULES: Exclusion = accept_400(
    "community",
    "updateUser",
    "dialects.md community: a taken username is 400 on username (x-unique, no schema keyword), an avatar or cover that is not an image is 400, and multipart part names with control characters are an unreadable body (400, RFC 7578)",
);

// billing

const BILLING_OWN_ID: Exclusion = supply(
    "billing",
    None,
    "path.user_id",
    Datum::CallerId,
    0.5,
    "dialects.md billing: another user's id is 403, an unknown one 404; half the fuzzed ids are the caller's",
);

/// Every exclusion, face by face.
const EXCLUSIONS: &[Exclusion] = &[
    EVERY_MISSING_TEST_DATA,
    CANONICAL_OWN_ID,
    CANONICAL_DELETE_OTHER_ID,
    CANONICAL_DELETE_AS_OTHER,
    CANONICAL_DELETE_AUTH,
    CANONICAL_DELETE_ONCE,
    CANONICAL_LANGUAGE_KEYS,
    CANONICAL_CURRENCY_KEYS,
    CANONICAL_TIMEZONE_KEYS,
    CANONICAL_REPLACE_KEY_OF,
    CANONICAL_UPDATE_KEY_OF,
    CANONICAL_IMAGE,
    CANONICAL_CROPPED_IMAGE,
    CANONICAL_UPLOAD_MULTIPART,
    CANONICAL_UPLOAD_THROTTLE,
    CANONICAL_NEW_EMAIL,
    CANONICAL_EMAIL_TOKEN,
    CANONICAL_EMAIL_CHECKSUM,
    CANONICAL_EMAIL_STATEFUL,
    MANAGE_OWN_ID,
    MANAGE_OWN_BODY_ID,
    MANAGE_DELETE_OTHER_ID,
    MANAGE_DELETE_ONCE,
    RPC_LANGUAGE_KEYS,
    RPC_CURRENCY_KEYS,
    RPC_TIMEZONE_KEYS,
    RPC_SAME_EMAIL,
    RPC_UPDATE_RULES,
    RPC_UPDATE_MISMATCH,
    RPC_IMAGE,
    RPC_CROPPED_IMAGE,
    RPC_ALIAS_IMAGE,
    RPC_ALIAS_CROPPED_IMAGE,
    RPC_ALIAS_AS_OTHER,
    RPC_UPLOAD_MULTIPART,
    RPC_ALIAS_MULTIPART,
    RPC_UPLOAD_THROTTLE,
    RPC_ALIAS_THROTTLE,
    COMMUNITY_OWN_ID,
    COMMUNITY_AVATAR,
    COMMUNITY_COVER,
    COMMUNITY_UPDATE_RULES,
    BILLING_OWN_ID,
];

fn exclusions_of(face: &str) -> impl Iterator<Item = &'static Exclusion> + '_ {
    EXCLUSIONS
        .iter()
        .filter(move |e| e.face == face || e.face == EVERY_FACE)
}

impl Exclusion {
    /// One line for the run's log.
    fn describe(&self) -> String {
        let what = match self.excluded {
            Excluded::Accept {
                operation,
                check,
                statuses,
            } => format!(
                "{check} on {operation} also accepts {}",
                statuses.join(", ")
            ),
            Excluded::Supply {
                operation,
                parameter,
                datum,
                probability,
            } => {
                let share = if probability >= 1.0 {
                    "always".to_owned()
                } else {
                    format!("{:.0}% of fuzzed values", probability * 100.0)
                };
                format!(
                    "{parameter} on {} is {} ({share})",
                    operation.unwrap_or("every operation"),
                    datum_name(datum)
                )
            }
            Excluded::RunAs {
                operation,
                identity: Identity::OtherUser,
            } => format!("{operation} runs as the other user"),
            Excluded::Warning { operation, warning } => format!(
                "warning {warning} ignored on {}",
                operation.unwrap_or("every operation")
            ),
            Excluded::Unreached { operation } => {
                format!("{operation} need not accept a positive case")
            }
        };
        format!("{what}: {}", self.reason)
    }
}

// ---------------------------------------------------------------------------------------
// The run

/// What one face's run came to.
#[derive(Debug, Default)]
struct FaceResult {
    face: &'static str,
    operations: u64,
    test_cases: u64,
    failures: u64,
    errors: u64,
    warnings: u64,
    /// Operations no positive case got a 2xx from.
    unreached: Vec<String>,
    leaked: bool,
    seconds: f64,
}

impl FaceResult {
    fn failed(&self) -> bool {
        self.failures > 0
            || self.errors > 0
            || self.warnings > 0
            || !self.unreached.is_empty()
            || self.leaked
    }
}

pub fn run(args: &SchemathesisArgs) -> Result<(), Failure> {
    let program = find_schemathesis()?;
    let all: Vec<&'static str> = FACES.iter().map(|(face, _)| *face).collect();
    let faces: Vec<&'static str> = if args.face.is_empty() {
        all
    } else {
        args.face
            .iter()
            .map(|name| {
                all.iter()
                    .copied()
                    .find(|face| face == name)
                    .ok_or_else(|| {
                        Failure::Usage(format!("unknown face {name:?}: one of {}", all.join(", ")))
                    })
            })
            .collect::<Result<_, _>>()?
    };
    let version = version_of(&program)?;
    if version != PINNED_VERSION {
        println!(
            "note: {} is Schemathesis {version}; this command is pinned to {PINNED_VERSION}",
            program.display()
        );
    }
    let scratch = scratch_dir()?;
    let fixtures = Fixtures::default_set();
    let secrets = secrets_of(&fixtures);
    let started = Instant::now();
    let mut results = Vec::new();
    for face in faces {
        results.push(run_face(
            args, &program, &scratch, &fixtures, &secrets, face,
        )?);
    }
    let wall = started.elapsed().as_secs_f64();
    print!("{}", summary(&results, args, wall));
    let failed: Vec<&str> = results
        .iter()
        .filter(|r| r.failed())
        .map(|r| r.face)
        .collect();
    if failed.is_empty() {
        let _ = std::fs::remove_dir_all(&scratch);
        Ok(())
    } else {
        Err(Failure::Check(format!(
            "Schemathesis found problems on {} (its reports are kept in {})",
            failed.join(", "),
            scratch.display()
        )))
    }
}

/// `SCHEMATHESIS=/path`, else the pinned one in the venv under `target/` (made the first time).
fn find_schemathesis() -> Result<PathBuf, Failure> {
    if let Some(path) = std::env::var_os("SCHEMATHESIS").filter(|path| !path.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    Ok(crate::venv::ensure()?.schemathesis)
}

fn missing_tool(what: &str) -> String {
    format!(
        "{what}: remove {} to have it made again, or set SCHEMATHESIS to a schemathesis {PINNED_VERSION}",
        crate::venv::dir().display()
    )
}

fn version_of(program: &Path) -> Result<String, Failure> {
    let output = Command::new(program)
        .arg("--version")
        .output()
        .map_err(|e| {
            Failure::Usage(missing_tool(&format!(
                "cannot run {}: {e}",
                program.display()
            )))
        })?;
    let text = String::from_utf8_lossy(&output.stdout);
    Ok(text
        .split_whitespace()
        .last()
        .unwrap_or_default()
        .to_owned())
}

fn scratch_dir() -> Result<PathBuf, Failure> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir =
        std::env::temp_dir().join(format!("xtask-schemathesis-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::Usage(format!("cannot create {}: {e}", dir.display())))?;
    Ok(dir)
}

/// Every credential in the fixtures: none may appear in what Schemathesis prints.
fn secrets_of(fixtures: &Fixtures) -> Vec<String> {
    let mut secrets = vec![fixtures.app.api_key.clone(), fixtures.app.tenant.clone()];
    for user in &fixtures.users {
        secrets.extend([
            user.token.clone(),
            user.billing_key.clone(),
            user.cl2c_key.clone(),
            user.email_token.clone(),
        ]);
    }
    secrets.retain(|secret| !secret.is_empty());
    secrets
}

/// A face's spec, read once.
struct FaceSpec {
    path: PathBuf,
    document: Document,
}

impl FaceSpec {
    fn load(face: &str) -> Result<FaceSpec, Failure> {
        let file = Dialect::from_name(face)
            .map_or_else(|| format!("dialects/{face}.yaml"), Dialect::spec_file);
        let path = project_root().join("spec").join(file);
        let document = generator::spec::load_document(&path)
            .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", path.display())))?;
        Ok(FaceSpec { path, document })
    }

    /// Every operation: its `operationId` and Schemathesis' label (`METHOD /path`).
    fn operations(&self) -> Vec<(String, String)> {
        let mut found = Vec::new();
        let Some(paths) = self.document.at("/paths").and_then(Value::as_object) else {
            return found;
        };
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, operation) in item {
                if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                    found.push((id.to_owned(), format!("{} {path}", method.to_uppercase())));
                }
            }
        }
        found
    }

    /// Whether a `location.name` parameter is an integer in the spec (community's id).
    fn is_integer(&self, parameter: &str) -> bool {
        let Some((location, name)) = parameter.split_once('.') else {
            return false;
        };
        let Some(paths) = self.document.at("/paths").and_then(Value::as_object) else {
            return false;
        };
        paths
            .values()
            .filter_map(Value::as_object)
            .flat_map(|item| item.values())
            .filter_map(|operation| operation.get("parameters").and_then(Value::as_array))
            .flatten()
            .any(|p| {
                p.get("in").and_then(Value::as_str) == Some(location)
                    && p.get("name").and_then(Value::as_str) == Some(name)
                    && p.pointer("/schema/type").and_then(Value::as_str) == Some("integer")
            })
    }

    /// The face's security schemes, each filled from the environment.
    fn auth_config(&self) -> Result<String, Failure> {
        let mut config = String::new();
        let schemes = self
            .document
            .at("/components/securitySchemes")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for (name, scheme) in &schemes {
            let kind = scheme
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let field = match kind {
                "http" => format!("bearer = \"${{{ENV_TOKEN}}}\""),
                "apiKey" => {
                    let header = scheme
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    let variable = if header.eq_ignore_ascii_case("tenant") {
                        ENV_TENANT
                    } else {
                        ENV_API_KEY
                    };
                    format!("api_key = \"${{{variable}}}\"")
                }
                other => {
                    return Err(Failure::Usage(format!(
                        "{}: security scheme {name} of type {other:?} is not supported here",
                        self.path.display()
                    )));
                }
            };
            let _ = writeln!(config, "[auth.openapi.{name}]\n{field}\n");
        }
        Ok(config)
    }
}

fn datum_name(datum: Datum) -> String {
    match datum {
        Datum::CallerId => "caller_id".into(),
        Datum::OtherUserId => "other_user_id".into(),
        Datum::CallerEmail => "caller_email".into(),
        Datum::NewEmail => "new_email".into(),
        Datum::EmailToken => "email_token".into(),
        Datum::EmailChecksum => "email_checksum".into(),
        Datum::LocalInfoKeys(list) => format!("{list}_keys"),
        Datum::Image => "gif_image".into(),
    }
}

/// What the run knows about the face's users, for the data it supplies.
struct Users<'a> {
    fixtures: &'a Fixtures,
    credentials: &'a FaceCredentials,
}

impl Users<'_> {
    /// The values of a datum (TOML), or the `${…}` placeholder of a credential.
    fn values(&self, datum: Datum, integer: bool) -> Vec<String> {
        let text = |value: &str| {
            if integer && value.parse::<i64>().is_ok() {
                value.to_owned()
            } else {
                toml_string(value)
            }
        };
        let caller = self.fixtures.users.first();
        let info = &self.fixtures.local_info;
        match datum {
            Datum::CallerId => self.credentials.user_id.iter().map(|v| text(v)).collect(),
            Datum::OtherUserId => self
                .credentials
                .other_user_id
                .iter()
                .map(|v| text(v))
                .collect(),
            Datum::CallerEmail => caller
                .and_then(|user| user.profile.get("email"))
                .and_then(Value::as_str)
                .map(text)
                .into_iter()
                .collect(),
            Datum::NewEmail => vec![text(NEW_EMAIL)],
            Datum::EmailToken => vec![format!("\"${{{ENV_EMAIL_TOKEN}}}\"")],
            Datum::EmailChecksum => caller
                .map(|user| text(&reference::email_checksum(&user.email_token, NEW_EMAIL)))
                .into_iter()
                .collect(),
            Datum::LocalInfoKeys(list) => {
                let items = match list {
                    "languages" => &info.languages,
                    "currencies" => &info.currencies,
                    _ => &info.timezones,
                };
                items.iter().map(|item| text(&item.key)).collect()
            }
            // Header and logical screen of a 1×1 GIF, and its trailer: what a server that
            // sniffs content needs (bytes below 0x80 only: Schemathesis sends text).
            Datum::Image => vec![text("GIF89a\u{1}\u{0}\u{1}\u{0}\u{0}\u{0}\u{0};")],
        }
    }
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_list(items: &[&str]) -> String {
    let items: Vec<String> = items.iter().map(|item| toml_string(item)).collect();
    format!("[{}]", items.join(", "))
}

/// The warnings setting: every one shown and failed on, except `hidden`.
fn warnings_except(hidden: &[&str]) -> String {
    let shown: Vec<&str> = WARNINGS
        .iter()
        .copied()
        .filter(|w| !hidden.contains(w))
        .collect();
    format!("{{ display = {}, fail-on = true }}", toml_list(&shown))
}

/// What the written config says about one operation.
#[derive(Debug, Default)]
struct OperationSettings {
    lines: Vec<String>,
    parameters: Vec<String>,
    headers: Vec<String>,
    hidden_warnings: Vec<&'static str>,
}

/// `schemathesis.toml` for one face: no credential in it, only `${…}` placeholders.
fn config_for(face: &str, spec: &FaceSpec, users: &Users) -> Result<String, Failure> {
    let mut config = format!(
        "# Written by `cargo xtask schemathesis` for the {face} face. Credentials come from the\n\
         # environment (${{…}}); none is written here.\n"
    );
    let face_hidden: Vec<&str> = exclusions_of(face)
        .filter_map(|e| match e.excluded {
            Excluded::Warning {
                operation: None,
                warning,
            } => Some(warning),
            _ => None,
        })
        .collect();
    let _ = writeln!(
        config,
        "warnings = {}\n\n[output.sanitization]\nenabled = true\nkeys-to-sanitize = {}\n",
        warnings_except(&face_hidden),
        toml_list(SANITIZED_KEYS)
    );
    config.push_str(&spec.auth_config()?);
    let mut dictionaries: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut global_parameters: Vec<String> = Vec::new();
    let mut operations: BTreeMap<&str, OperationSettings> = BTreeMap::new();
    for exclusion in exclusions_of(face) {
        match exclusion.excluded {
            Excluded::Warning { operation, warning } => {
                if let Some(operation) = operation {
                    operations
                        .entry(operation)
                        .or_default()
                        .hidden_warnings
                        .push(warning);
                }
            }
            Excluded::Accept {
                operation,
                check,
                statuses,
            } => {
                let mut accepted: Vec<&str> = match check {
                    "positive_data_acceptance" => POSITIVE_DEFAULT.to_vec(),
                    _ => Vec::new(),
                };
                accepted.extend(statuses.iter().copied());
                operations.entry(operation).or_default().lines.push(format!(
                    "checks.{check}.expected-statuses = {}",
                    toml_list(&accepted)
                ));
            }
            Excluded::Supply {
                operation,
                parameter,
                datum,
                probability,
            } => {
                let values = users.values(datum, spec.is_integer(parameter));
                let binding = if probability >= 1.0 {
                    // Always: a fixed value, in every phase.
                    let value = values.first().cloned().unwrap_or_else(|| "\"\"".into());
                    format!("{} = {value}", toml_string(parameter))
                } else {
                    let name = format!(
                        "{}{}",
                        datum_name(datum),
                        if spec.is_integer(parameter) {
                            "_int"
                        } else {
                            ""
                        }
                    );
                    let binding = format!(
                        "{} = {{ dictionary = \"{name}\", probability = {probability:?} }}",
                        toml_string(parameter)
                    );
                    dictionaries.insert(name, values);
                    binding
                };
                match operation {
                    Some(operation) => operations
                        .entry(operation)
                        .or_default()
                        .parameters
                        .push(binding),
                    None => global_parameters.push(binding),
                }
            }
            Excluded::Unreached { .. } => {}
            Excluded::RunAs {
                operation,
                identity: Identity::OtherUser,
            } => operations
                .entry(operation)
                .or_default()
                .headers
                .push(format!("Authorization = \"Bearer ${{{ENV_OTHER_TOKEN}}}\"")),
        }
    }
    for (name, values) in &dictionaries {
        let _ = writeln!(
            config,
            "[dictionaries.{name}]\nvalues = [{}]\n",
            values.join(", ")
        );
    }
    if !global_parameters.is_empty() {
        let _ = writeln!(config, "[parameters]\n{}\n", global_parameters.join("\n"));
    }
    for (operation, settings) in &operations {
        let _ = writeln!(
            config,
            "[[operations]]\ninclude-operation-id = {}",
            toml_string(operation)
        );
        for line in &settings.lines {
            let _ = writeln!(config, "{line}");
        }
        if !settings.parameters.is_empty() {
            let _ = writeln!(
                config,
                "parameters = {{ {} }}",
                settings.parameters.join(", ")
            );
        }
        if !settings.headers.is_empty() {
            let _ = writeln!(config, "headers = {{ {} }}", settings.headers.join(", "));
        }
        if !settings.hidden_warnings.is_empty() {
            let mut hidden = face_hidden.clone();
            hidden.extend(settings.hidden_warnings.iter().copied());
            let _ = writeln!(config, "warnings = {}", warnings_except(&hidden));
        }
        config.push('\n');
    }
    Ok(config)
}

fn run_face(
    args: &SchemathesisArgs,
    program: &Path,
    scratch: &Path,
    fixtures: &Fixtures,
    secrets: &[String],
    face: &'static str,
) -> Result<FaceResult, Failure> {
    let dir = scratch.join(face);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::Usage(format!("cannot create {}: {e}", dir.display())))?;
    let spec = FaceSpec::load(face)?;
    let credentials = fixtures.face_credentials(face);
    let users = Users {
        fixtures,
        credentials: &credentials,
    };
    let config_path = dir.join("schemathesis.toml");
    std::fs::write(&config_path, config_for(face, &spec, &users)?)
        .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", config_path.display())))?;
    // A fresh server per face: manage's and canonical's DELETE and the daily upload limit
    // change the store.
    let server = reference::start(fixtures.clone(), ([127, 0, 0, 1], 0).into())
        .map_err(|e| Failure::Usage(format!("cannot start the reference server: {e}")))?;
    let base_url = server.base_url(face);
    let mut command = Command::new(program);
    command
        .current_dir(&dir)
        .arg("--config-file")
        .arg(&config_path)
        .arg("run")
        .arg(&spec.path)
        .args(["--url", &base_url])
        .args(["--checks", "all"])
        .args(["--mode", "all"])
        .args(["--phases", PHASES])
        .args(["--seed", &args.seed.to_string()])
        .args(["--max-examples", &args.max_examples.to_string()])
        .args(["--workers", "1"])
        .args(["--request-timeout", REQUEST_TIMEOUT])
        .args(["--generation-database", "none"])
        .args(["--output-sanitize", "true"])
        .args(["--report", "json,junit", "--report-dir", "reports"])
        .arg("--no-color");
    let caller = fixtures.users.first();
    let env = [
        (ENV_API_KEY, credentials.api_key.clone()),
        (ENV_TOKEN, credentials.token.clone()),
        (ENV_TENANT, credentials.tenant.clone()),
        (ENV_OTHER_TOKEN, credentials.other_token.clone()),
        (ENV_EMAIL_TOKEN, caller.map(|user| user.email_token.clone())),
    ];
    for (name, value) in env {
        command.env(name, value.unwrap_or_default());
    }
    println!("== {face}: {}", shown_command(&command, &dir));
    for exclusion in exclusions_of(face) {
        println!("   excluded: {}", exclusion.describe());
    }
    let started = Instant::now();
    let output = command.output().map_err(|e| {
        Failure::Usage(missing_tool(&format!(
            "cannot run {}: {e}",
            program.display()
        )))
    })?;
    let seconds = started.elapsed().as_secs_f64();
    server.stop();
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    let mut leaked = false;
    for secret in secrets {
        if text.contains(secret.as_str()) {
            leaked = true;
            text = text.replace(secret.as_str(), "[fixture credential]");
        }
    }
    print!("{text}");
    if leaked {
        println!("error: a fixture credential appeared in Schemathesis' output (masked above)");
    }
    let report = read_report(&dir.join("reports"))?;
    let result = judge(face, &spec, &report, leaked, seconds);
    for label in &result.unreached {
        println!("error: {face}: no positive case of {label} was accepted (2xx)");
    }
    if !output.status.success() && !result.failed() {
        return Err(Failure::Usage(format!(
            "schemathesis exited with {} on {face} but reported no failure: see its output above",
            output.status
        )));
    }
    Ok(result)
}

/// A face's numbers from Schemathesis' JSON report, with what this command adds: every
/// operation must have accepted a positive case, and ignored warnings do not count.
fn judge(
    face: &'static str,
    spec: &FaceSpec,
    report: &Value,
    leaked: bool,
    seconds: f64,
) -> FaceResult {
    let count = |pointer: &str| report.pointer(pointer).and_then(Value::as_u64).unwrap_or(0);
    let operations = spec.operations();
    let id_of = |label: &str| {
        operations
            .iter()
            .find(|(_, l)| l == label)
            .map(|(id, _)| id.as_str())
    };
    let ignored = |warning: &str, label: &str| {
        exclusions_of(face).any(|e| match e.excluded {
            Excluded::Warning {
                operation,
                warning: w,
            } => w == warning && operation.is_none_or(|op| Some(op) == id_of(label)),
            _ => false,
        })
    };
    let warnings = report
        .get("warnings")
        .and_then(Value::as_object)
        .map_or(0, |all| {
            all.iter()
                .flat_map(|(warning, labels)| {
                    labels
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .filter(move |label| !ignored(warning, label))
                })
                .count() as u64
        });
    let accepted = |label: &str| {
        report
            .pointer("/valid_rates")
            .and_then(|rates| rates.get(label))
            .and_then(Value::as_object)
            .map_or(0, |phases| {
                phases
                    .values()
                    .filter_map(|p| p.get("accepted").and_then(Value::as_u64))
                    .sum::<u64>()
            })
    };
    let excused = |id: &str| {
        exclusions_of(face)
            .any(|e| matches!(e.excluded, Excluded::Unreached { operation } if operation == id))
    };
    let unreached = operations
        .iter()
        .filter(|(id, label)| accepted(label) == 0 && !excused(id))
        .map(|(_, label)| label.clone())
        .collect();
    FaceResult {
        face,
        operations: count("/operations/tested"),
        test_cases: count("/test_cases/generated"),
        failures: count("/test_cases/unique_failures"),
        errors: count("/test_cases/errored")
            + report
                .get("errors")
                .and_then(Value::as_array)
                .map_or(0, Vec::len) as u64,
        warnings,
        unreached,
        leaked,
        seconds,
    }
}

/// The command line as run, from the face's scratch directory (no credential is on it).
fn shown_command(command: &Command, dir: &Path) -> String {
    let root = project_root();
    let mut line = String::from("schemathesis");
    for arg in command.get_args() {
        let arg = Path::new(arg);
        let shown = if let Ok(rest) = arg.strip_prefix(dir) {
            format!("./{}", rest.display())
        } else if let Ok(rest) = arg.strip_prefix(&root) {
            rest.display().to_string()
        } else {
            arg.display().to_string()
        };
        line.push(' ');
        line.push_str(&shown);
    }
    line
}

/// Schemathesis' JSON report of one run.
fn read_report(dir: &Path) -> Result<Value, Failure> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Failure::Usage(format!(
            "schemathesis wrote no report into {}: {e}",
            dir.display()
        ))
    })?;
    let path = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "json"))
        .ok_or_else(|| Failure::Usage(format!("no JSON report in {}", dir.display())))?;
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Failure::Usage(format!("{}: not JSON: {e}", path.display())))
}

fn summary(results: &[FaceResult], args: &SchemathesisArgs, wall: f64) -> String {
    let mut out = format!(
        "\nSchemathesis {PINNED_VERSION} summary (seed {}, --max-examples {})\n",
        args.seed, args.max_examples
    );
    let _ = writeln!(
        out,
        "  {:<10} {:>10} {:>10} {:>8} {:>6} {:>8} {:>9} {:>7}",
        "face",
        "operations",
        "test cases",
        "failures",
        "errors",
        "warnings",
        "unreached",
        "seconds"
    );
    for r in results {
        let _ = writeln!(
            out,
            "  {:<10} {:>10} {:>10} {:>8} {:>6} {:>8} {:>9} {:>7.1}{}",
            r.face,
            r.operations,
            r.test_cases,
            r.failures,
            r.errors,
            r.warnings,
            r.unreached.len(),
            r.seconds,
            if r.leaked {
                "  (a credential leaked)"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(out, "  wall time {wall:.1} s");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users_of(fixtures: &Fixtures, face: &str) -> FaceCredentials {
        fixtures.face_credentials(face)
    }

    #[test]
    fn every_exclusion_names_what_the_spec_has() {
        for exclusion in EXCLUSIONS {
            assert!(
                !exclusion.reason.is_empty(),
                "{exclusion:?} needs its reason"
            );
            if exclusion.face == EVERY_FACE {
                continue;
            }
            let spec = FaceSpec::load(exclusion.face).unwrap_or_else(|e| panic!("{e}"));
            let ids: Vec<String> = spec.operations().into_iter().map(|(id, _)| id).collect();
            let operation = match exclusion.excluded {
                Excluded::Accept { operation, .. }
                | Excluded::RunAs { operation, .. }
                | Excluded::Unreached { operation } => Some(operation),
                Excluded::Supply { operation, .. } | Excluded::Warning { operation, .. } => {
                    operation
                }
            };
            if let Some(operation) = operation {
                assert!(
                    ids.iter().any(|id| id == operation),
                    "{}: no operation {operation}",
                    exclusion.face
                );
            }
            if let Excluded::Warning { warning, .. } = exclusion.excluded {
                assert!(WARNINGS.contains(&warning), "unknown warning {warning}");
            }
            if let Excluded::Supply {
                parameter,
                datum,
                probability,
                ..
            } = exclusion.excluded
            {
                let name = parameter.split_once('.').map_or("", |(_, name)| name);
                assert!(
                    spec.document.text.contains(&format!("{name}:"))
                        || spec.document.text.contains(&format!("name: {name}")),
                    "{}: no parameter or field {parameter}",
                    exclusion.face
                );
                // A credential travels as a `${…}` placeholder, which only fixed values take.
                if datum == Datum::EmailToken {
                    assert!(probability >= 1.0, "{exclusion:?}");
                }
            }
        }
    }

    #[test]
    fn the_written_config_holds_no_credential() {
        let fixtures = Fixtures::default_set();
        let secrets = secrets_of(&fixtures);
        for (face, _) in FACES {
            let spec = FaceSpec::load(face).unwrap_or_else(|e| panic!("{e}"));
            let credentials = users_of(&fixtures, face);
            let users = Users {
                fixtures: &fixtures,
                credentials: &credentials,
            };
            let config = config_for(face, &spec, &users).unwrap_or_else(|e| panic!("{e}"));
            for secret in &secrets {
                assert!(!config.contains(secret.as_str()), "{face}: {config}");
            }
            assert!(config.contains("[auth.openapi."), "{face}: {config}");
        }
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(toml_string("GIF\u{0};"), "\"GIF\\u0000;\"");
    }
}
