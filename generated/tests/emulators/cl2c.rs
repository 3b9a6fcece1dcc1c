//! cl2c: one operation, `PUT /v1/cl2c/user` on the caller (JSON, camelCase), credentials in
//! the `tenant` and `X-API-Key` headers, 400s as problem details, every other error in the
//! seed's default envelope. There is no read: the profile in each update's answer is what
//! the next request sees.

use profile_api::adapters::cl2c::Adapter;
use profile_api::canonical::operations::{
    self as canon, ReplaceProfileResponse, UpdateProfileResponse as CanonicalUpdate,
};
use profile_api::canonical::types::{Profile, ProfilePatch, ProfileReplace};
use profile_api::cl2c::client::Client;
use profile_api::cl2c::operations::*;
use profile_api::cl2c::types::{DefaultError, ProblemDetails, ProfileUpdate};

use crate::coverage::{Adapted, Gap, Statuses};
use crate::emulator::{self, Emulator, Fixtures};
use crate::payloads::{UNLISTED_MEDIA_TYPE, over_a_mebibyte};
use crate::raw::{self, Raw};
use crate::read_back::{NotReadBack, assert_problem, assert_read_back};
use crate::requests;

/// The caller's id, and another (any id but the caller's is refused)
/// (`../shared/emulators/README.md`).
const ME: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const OTHER: &str = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d";

const GAPS: &[Gap] = &[Gap {
    operation: "updateProfile",
    status: 415,
    reason: UNLISTED_MEDIA_TYPE,
}];

const NOT_READ_BACK: &[NotReadBack] = &[NotReadBack {
    field: "push_token",
    reason: "write-only: cl2c's profile (the seed's answer) has no pushToken",
}];

fn caller(fixtures: &Fixtures) -> Credentials {
    Credentials {
        api_key: Some(fixtures.key.clone()),
        tenant: Some(fixtures.tenant.clone()),
    }
}

/// Each way the credentials can be wrong: every one is a 401.
fn refused(fixtures: &Fixtures) -> Vec<(&'static str, Credentials)> {
    let me = caller(fixtures);
    vec![
        ("no credentials", Credentials::default()),
        (
            "no tenant",
            Credentials {
                tenant: None,
                ..me.clone()
            },
        ),
        (
            "a wrong tenant",
            Credentials {
                tenant: Some("tn-wrong".into()),
                ..me.clone()
            },
        ),
        (
            "no X-API-Key",
            Credentials {
                api_key: None,
                ..me.clone()
            },
        ),
        (
            "a wrong X-API-Key",
            Credentials {
                api_key: Some("ak-wrong".into()),
                ..me
            },
        ),
    ]
}

/// The default error envelope, with the status it came with.
fn assert_error(what: &str, error: &DefaultError, status: i64) {
    assert_eq!(error.status_code, status, "{what}: statusCode");
    assert!(
        !error.messages.is_empty() && error.messages.iter().all(|m| !m.is_empty()),
        "{what}: messages: {error:?}"
    );
    for (name, value) in [
        ("source", &error.source),
        ("exception", &error.exception),
        ("errorId", &error.error_id),
        ("supportMessage", &error.support_message),
    ] {
        assert!(!value.is_empty(), "{what}: {name}");
    }
}

/// Problem details naming exactly `fields` (camelCase).
fn assert_invalid(what: &str, problem: &ProblemDetails, fields: &[&str]) {
    assert_eq!(problem.status, 400, "{what}: status");
    for (name, value) in [
        ("type", &problem.r#type),
        ("title", &problem.title),
        ("detail", &problem.detail),
        ("instance", &problem.instance),
    ] {
        assert!(!value.is_empty(), "{what}: {name}");
    }
    assert_eq!(
        problem
            .errors
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        fields,
        "{what}: the fields named"
    );
    assert!(
        problem.errors.values().all(|messages| !messages.is_empty()),
        "{what}: every field has a message: {problem:?}"
    );
}

fn named(first_name: &str) -> ProfileUpdate {
    ProfileUpdate {
        id: None,
        first_name: first_name.to_owned(),
        last_name: None,
        phone_number: None,
        push_token: None,
    }
}

#[tokio::test]
async fn cl2c_client() {
    let Some((emulator, fixtures)) = emulator::start("cl2c") else {
        return;
    };
    let client = Client::new(emulator.base_url()).expect("the emulator's URL is a base URL");
    fixtures.assert_hidden("the client's Debug", &format!("{client:?}"));
    let me = caller(&fixtures);
    let mut statuses = Statuses::default();
    let send = |credentials: &Credentials, body: ProfileUpdate| UpdateProfileRequest {
        credentials: credentials.clone(),
        body: UpdateProfileBody::Json(body),
    };

    let written = ProfileUpdate {
        id: Some(ME.into()),
        last_name: Some("Lovelace".into()),
        phone_number: Some("+441234567890".into()),
        push_token: Some("push-ada".into()),
        ..named("Ada")
    };
    let request = send(&me, written.clone());
    fixtures.assert_hidden("a request's Debug", &format!("{request:?}"));
    let profile = expect!(
        statuses,
        "updateProfile",
        client.update_profile(&request),
        UpdateProfileResponse::Ok
    );
    assert_eq!(profile.id, ME);
    assert_eq!(profile.first_name, written.first_name);
    assert_eq!(profile.last_name, written.last_name);
    assert_eq!(profile.phone_number, written.phone_number);
    // The next request sees the update (firstName is required, so it is sent again).
    let next = expect!(
        statuses,
        "updateProfile",
        client.update_profile(&send(&me, named("Ada"))),
        UpdateProfileResponse::Ok
    );
    assert_eq!(next, profile, "the next request sees the update");

    let invalid = ProfileUpdate {
        phone_number: Some("0123".into()),
        last_name: Some("x".repeat(256)),
        ..named("")
    };
    let problem = expect!(
        statuses,
        "updateProfile",
        client.update_profile(&send(&me, invalid)),
        UpdateProfileResponse::BadRequest
    );
    assert_invalid(
        "no first name, a long last name, a bad phone",
        &problem,
        &["firstName", "lastName", "phoneNumber"],
    );
    for (how, credentials) in refused(&fixtures) {
        let error = expect!(
            statuses,
            "updateProfile",
            client.update_profile(&send(&credentials, named("Ada"))),
            UpdateProfileResponse::Unauthorized
        );
        assert_error(how, &error, 401);
    }
    let foreign = ProfileUpdate {
        id: Some(OTHER.into()),
        ..named("Ada")
    };
    let error = expect!(
        statuses,
        "updateProfile",
        client.update_profile(&send(&me, foreign)),
        UpdateProfileResponse::Forbidden
    );
    assert_error("another user's id", &error, 403);
    let error = expect!(
        statuses,
        "updateProfile",
        client.update_profile(&send(&me, named(&over_a_mebibyte()))),
        UpdateProfileResponse::PayloadTooLarge
    );
    assert_error("a body over 1 MiB", &error, 413);

    unlisted_media_type(&emulator, &fixtures, &mut statuses).await;
    statuses.assert_complete("cl2c", GAPS);
}

async fn unlisted_media_type(emulator: &Emulator, fixtures: &Fixtures, statuses: &mut Statuses) {
    let (status, body) = Raw {
        method: reqwest::Method::PUT,
        url: format!("{}/v1/cl2c/user", emulator.base_url()),
        headers: vec![
            ("tenant", fixtures.tenant.clone()),
            ("X-API-Key", fixtures.key.clone()),
        ],
        content_type: "application/x-www-form-urlencoded",
        body: b"firstName=Ada".to_vec(),
    }
    .send()
    .await;
    assert_eq!(status, 415, "updateProfile with a form body");
    let error: DefaultError = raw::decode("updateProfile", &body);
    assert_error("updateProfile", &error, 415);
    statuses.raw("updateProfile", status);
}

#[tokio::test]
async fn cl2c_canonical() {
    let Some((emulator, fixtures)) = emulator::start("cl2c") else {
        return;
    };
    let client = Client::new(emulator.base_url()).expect("the emulator's URL is a base URL");
    // The tenant has no canonical counterpart: the adapter sends it on every call.
    let adapter = Adapter::new(
        client,
        Credentials {
            api_key: None,
            tenant: Some(fixtures.tenant.clone()),
        },
    );
    fixtures.assert_hidden("the adapter's Debug", &format!("{adapter:?}"));
    let me = canon::Credentials {
        api_key: Some(fixtures.key.clone()),
        bearer: None,
    };
    let mut adapted = Adapted::default();

    let patch = ProfilePatch {
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        phone_number: Some("+441234567890".into()),
        push_token: Some("push-ada".into()),
        ..ProfilePatch::default()
    };
    let answered = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(&me, ME, patch.clone())),
        CanonicalUpdate::Ok
    );
    assert_eq!(answered.id.as_deref(), Some(ME));
    assert_read_back(
        "cl2c",
        "updateProfile's answer",
        &patch,
        &answered,
        NOT_READ_BACK,
    );
    let profile = read_profile(&adapter, &me, "Ada").await;
    assert_read_back("cl2c", "the next request", &patch, &profile, NOT_READ_BACK);
    assert_eq!(profile.push_token, None, "cl2c never answers a push token");
    adapted.served("updateProfile");

    let replace = ProfileReplace {
        last_name: Some("Hopper".into()),
        phone_number: Some("+15550001111".into()),
        push_token: Some("push-grace".into()),
        ..requests::replace("Grace", "grace@example.com")
    };
    canonical!(
        "replaceProfile",
        adapter.replace_profile(&requests::replace_profile(&me, ME, replace.clone())),
        ReplaceProfileResponse::Ok
    );
    let profile = read_profile(&adapter, &me, "Grace").await;
    assert_read_back(
        "cl2c",
        "the next request after replaceProfile",
        &replace,
        &profile,
        NOT_READ_BACK,
    );
    adapted.served("replaceProfile");

    // Errors carried over under canonical names (phoneNumber is phone_number).
    let invalid = ProfilePatch {
        first_name: Some("Ada".into()),
        phone_number: Some("0123".into()),
        ..ProfilePatch::default()
    };
    let problem = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(&me, ME, invalid)),
        CanonicalUpdate::BadRequest
    );
    assert_problem("a bad phone", &problem, 400, &["phone_number"]);
    let named = ProfilePatch {
        first_name: Some("Ada".into()),
        ..ProfilePatch::default()
    };
    let problem = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(&me, OTHER, named.clone())),
        CanonicalUpdate::Forbidden
    );
    assert_problem("another user's id", &problem, 403, &[]);
    let nobody = canon::Credentials::default();
    let problem = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(&nobody, ME, named)),
        CanonicalUpdate::Unauthorized
    );
    assert_problem("no API key", &problem, 401, &[]);

    let get = requests::get_profile(&me, ME);
    adapted.refused("getProfile", adapter.get_profile(&get).await);
    let delete = requests::delete_profile(&me, ME);
    adapted.refused("deleteProfile", adapter.delete_profile(&delete).await);
    let upload = requests::upload_profile_image(&me, ME);
    adapted.refused(
        "uploadProfileImage",
        adapter.upload_profile_image(&upload).await,
    );
    let local = requests::get_local_info(&me);
    adapted.refused("getLocalInfo", adapter.get_local_info(&local).await);
    let verify = requests::verify_email_change(&me, ME, requests::some_email_change());
    adapted.refused(
        "verifyEmailChange",
        adapter.verify_email_change(&verify).await,
    );
    adapted.assert_complete("cl2c");
}

/// What the next request sees: the canonical profile answered to an update that sends only
/// the (required) first name, unchanged (cl2c has no read; getProfile is unsupported there).
async fn read_profile(adapter: &Adapter, me: &canon::Credentials, first_name: &str) -> Profile {
    let patch = ProfilePatch {
        first_name: Some(first_name.to_owned()),
        ..ProfilePatch::default()
    };
    canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(me, ME, patch)),
        CanonicalUpdate::Ok
    )
}
