//! rpc: five operations on the caller (no ids), credentials `apikey` and a bearer token,
//! every answer in `{status_code, errors, data}` (`errors.detail` unless a 400).

use profile_api::adapters::rpc::Adapter;
use profile_api::canonical::operations::{
    self as canon, GetLocalInfoResponse as CanonicalLocalInfo,
    GetProfileResponse as CanonicalProfile, ReplaceProfileResponse,
    UpdateProfileResponse as CanonicalUpdate, UploadProfileImageResponse as CanonicalUpload,
    VerifyEmailChangeResponse,
};
use profile_api::canonical::types::{EmailChange, Profile, ProfilePatch, ProfileReplace};
use profile_api::rpc::client::Client;
use profile_api::rpc::operations::*;
use profile_api::rpc::types::{
    ErrorEnvelope, LocalInfo, ProfileData, ProfileImageUpload, ProfileUpdate,
    ValidationErrorEnvelope,
};
use profile_api::support::Upload;

use crate::coverage::{Adapted, Gap, Statuses};
use crate::emulator::{self, Emulator, Fixtures};
use crate::payloads::{UNLISTED_MEDIA_TYPE, huge_png, over_a_mebibyte, png, text_file};
use crate::raw::{self, Raw};
use crate::read_back::{assert_problem, assert_read_back};
use crate::requests;

/// rpc has no ids: the caller's canonical id is its username (`../shared/emulators/README.md`).
const ME: &str = "testuser";
/// The email-change token pair that verifies (`../shared/emulators/README.md`).
const EMAIL_TOKEN: &str = "evt-7hQ2kP9x";
const EMAIL_CHECKSUM: &str = "evc-4wD9mR2z";
/// Image uploads a day before 429 (`../shared/emulators/README.md`).
const DAILY_UPLOADS: usize = 1000;

const GAPS: &[Gap] = &[
    Gap {
        operation: "updateProfile",
        status: 415,
        reason: UNLISTED_MEDIA_TYPE,
    },
    Gap {
        operation: "uploadProfileImage",
        status: 415,
        reason: UNLISTED_MEDIA_TYPE,
    },
    Gap {
        operation: "uploadProfileImageAlias",
        status: 415,
        reason: UNLISTED_MEDIA_TYPE,
    },
];

fn caller(fixtures: &Fixtures) -> Credentials {
    Credentials {
        api_key: Some(fixtures.key.clone()),
        bearer: Some(fixtures.token.clone()),
    }
}

/// Each way the credentials can be wrong: every one is a 401.
fn refused(fixtures: &Fixtures) -> Vec<(&'static str, Credentials)> {
    let me = caller(fixtures);
    vec![
        ("no credentials", Credentials::default()),
        (
            "no apikey",
            Credentials {
                api_key: None,
                ..me.clone()
            },
        ),
        (
            "a wrong apikey",
            Credentials {
                api_key: Some("ak-wrong".into()),
                ..me.clone()
            },
        ),
        (
            "no bearer token",
            Credentials {
                bearer: None,
                ..me.clone()
            },
        ),
        (
            "a wrong bearer token",
            Credentials {
                bearer: Some("tk-wrong".into()),
                ..me
            },
        ),
    ]
}

fn assert_error(what: &str, error: &ErrorEnvelope, status: i64) {
    assert_eq!(error.status_code, status, "{what}: status_code");
    assert!(
        !error.errors.detail.is_empty() && error.errors.detail.iter().all(|m| !m.is_empty()),
        "{what}: errors.detail: {error:?}"
    );
    assert!(error.data.is_empty(), "{what}: data is empty");
}

/// A 400 naming exactly `fields`; returns the messages by field.
fn assert_invalid<'a>(
    what: &str,
    error: &'a ValidationErrorEnvelope,
    fields: &[&str],
) -> &'a std::collections::BTreeMap<String, Vec<String>> {
    assert_eq!(error.status_code, 400, "{what}: status_code");
    assert_eq!(
        error.errors.keys().map(String::as_str).collect::<Vec<_>>(),
        fields,
        "{what}: the fields named"
    );
    assert!(
        error.errors.values().all(|messages| !messages.is_empty()),
        "{what}: every field has a message: {:?}",
        error.errors
    );
    assert!(error.data.is_empty(), "{what}: data is empty");
    &error.errors
}

/// An update that changes nothing but sends the (required) current email.
fn update(email: &str) -> ProfileUpdate {
    ProfileUpdate {
        first_name: None,
        last_name: None,
        email: email.to_owned(),
        phone_number: None,
        languages: None,
        currencies: None,
        timezones: None,
        token_field: None,
        token_checksum_field: None,
    }
}

async fn profile(client: &Client, me: &Credentials) -> ProfileData {
    let answer = client
        .get_profile(&GetProfileRequest {
            credentials: me.clone(),
        })
        .await
        .expect("an answer");
    let GetProfileResponse::Ok(envelope) = answer else {
        panic!("getProfile: {answer:?}");
    };
    envelope.data
}

#[tokio::test]
async fn rpc_client() {
    let Some((emulator, fixtures)) = emulator::start("rpc") else {
        return;
    };
    let client = Client::new(emulator.base_url()).expect("the emulator's URL is a base URL");
    fixtures.assert_hidden("the client's Debug", &format!("{client:?}"));
    let me = caller(&fixtures);
    let mut statuses = Statuses::default();

    let local = get_local_info(&client, &fixtures, &mut statuses).await;
    get_profile(&client, &fixtures, &mut statuses).await;
    update_profile(&client, &fixtures, &local, &mut statuses).await;
    update_errors(&client, &fixtures, &mut statuses).await;
    for alias in [false, true] {
        upload(&client, &fixtures, alias, &mut statuses).await;
    }
    unlisted_media_types(&emulator, &fixtures, &mut statuses).await;
    // Last: the daily upload limit, shared by both paths, stays spent for the emulator's
    // life, and the emulator checks it before anything else of an upload.
    upload_limit(&client, &me, &mut statuses).await;
    statuses.assert_complete("rpc", GAPS);
}

async fn get_local_info(
    client: &Client,
    fixtures: &Fixtures,
    statuses: &mut Statuses,
) -> LocalInfo {
    let ask = |credentials| GetLocalInfoRequest { credentials };
    let answer = expect!(
        statuses,
        "getLocalInfo",
        client.get_local_info(&ask(caller(fixtures))),
        GetLocalInfoResponse::Ok
    );
    assert_eq!(answer.status_code, 200);
    assert!(answer.errors.is_empty(), "a success has no errors");
    let keys = |items: &[profile_api::rpc::types::LocalInfoItem]| {
        items
            .iter()
            .map(|item| item.key.clone())
            .collect::<Vec<_>>()
    };
    // The emulator's lists (README): the update below picks from them.
    assert_eq!(keys(&answer.data.languages), ["en", "fr", "de"]);
    assert_eq!(keys(&answer.data.currencies), ["USD", "EUR"]);
    assert_eq!(keys(&answer.data.timezones), ["UTC", "Europe/Paris"]);
    for (how, credentials) in refused(fixtures) {
        let error = expect!(
            statuses,
            "getLocalInfo",
            client.get_local_info(&ask(credentials)),
            GetLocalInfoResponse::Unauthorized
        );
        assert_error(how, &error, 401);
    }
    answer.data
}

async fn get_profile(client: &Client, fixtures: &Fixtures, statuses: &mut Statuses) {
    let ask = |credentials| GetProfileRequest { credentials };
    let answer = expect!(
        statuses,
        "getProfile",
        client.get_profile(&ask(caller(fixtures))),
        GetProfileResponse::Ok
    );
    assert_eq!(answer.status_code, 200);
    assert!(answer.errors.is_empty(), "a success has no errors");
    assert_eq!(
        answer.data.user_profile.len(),
        1,
        "UserProfile is one object"
    );
    assert_eq!(answer.data.user_profile[0].username, ME);
    for (how, credentials) in refused(fixtures) {
        let error = expect!(
            statuses,
            "getProfile",
            client.get_profile(&ask(credentials)),
            GetProfileResponse::Unauthorized
        );
        assert_error(how, &error, 401);
    }
}

/// The profile read back holds every field `written` gives.
fn assert_written(read: &ProfileData, written: &ProfileUpdate) {
    let user = &read.user_profile[0];
    let some = |value: &String| Some(value.clone());
    assert_eq!(user.email, written.email);
    for (field, read, written) in [
        ("first_name", some(&user.first_name), &written.first_name),
        ("last_name", some(&user.last_name), &written.last_name),
        (
            "phone_number",
            some(&user.phone_number),
            &written.phone_number,
        ),
        (
            "languages",
            some(&read.user_loc_info.lan),
            &written.languages,
        ),
        (
            "currencies",
            some(&read.user_loc_info.currency),
            &written.currencies,
        ),
        (
            "timezones",
            some(&read.user_loc_info.tz),
            &written.timezones,
        ),
    ] {
        if written.is_some() {
            assert_eq!(&read, written, "{field} read back");
        }
    }
}

async fn update_profile(
    client: &Client,
    fixtures: &Fixtures,
    local: &LocalInfo,
    statuses: &mut Statuses,
) {
    let me = caller(fixtures);
    let email = profile(client, &me).await.user_profile[0].email.clone();
    let last = |items: &[profile_api::rpc::types::LocalInfoItem]| {
        items.last().map(|item| item.key.clone())
    };
    // Multipart (as the seed sends it): names, phone and the local settings.
    let written = ProfileUpdate {
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        phone_number: Some("+14155550123".into()),
        languages: last(&local.languages),
        currencies: last(&local.currencies),
        timezones: last(&local.timezones),
        ..update(&email)
    };
    let request = UpdateProfileRequest {
        credentials: me.clone(),
        body: UpdateProfileBody::Multipart(written.clone()),
    };
    fixtures.assert_hidden("a request's Debug", &format!("{request:?}"));
    let answer = expect!(
        statuses,
        "updateProfile",
        client.update_profile(&request),
        UpdateProfileResponse::Ok
    );
    assert_eq!(answer.status_code, 200);
    assert!(
        answer.errors.is_empty() && answer.data.is_empty(),
        "{answer:?}"
    );
    assert_written(&profile(client, &me).await, &written);

    // Form, with a changed email and the token pair that verifies it.
    let written = ProfileUpdate {
        first_name: Some("Grace".into()),
        token_field: Some(EMAIL_TOKEN.into()),
        token_checksum_field: Some(EMAIL_CHECKSUM.into()),
        ..update("grace@example.com")
    };
    let answer = expect!(
        statuses,
        "updateProfile",
        client.update_profile(&UpdateProfileRequest {
            credentials: me.clone(),
            body: UpdateProfileBody::Form(written.clone()),
        }),
        UpdateProfileResponse::Ok
    );
    assert_eq!(answer.status_code, 200);
    assert_written(&profile(client, &me).await, &written);
}

async fn update_errors(client: &Client, fixtures: &Fixtures, statuses: &mut Statuses) {
    let me = caller(fixtures);
    let email = profile(client, &me).await.user_profile[0].email.clone();
    let send = |credentials: Credentials, body: ProfileUpdate| UpdateProfileRequest {
        credentials,
        body: UpdateProfileBody::Multipart(body),
    };
    let invalid = ProfileUpdate {
        phone_number: Some("12".into()),
        languages: Some("xx".into()),
        ..update("")
    };
    let error = expect!(
        statuses,
        "updateProfile",
        client.update_profile(&send(me.clone(), invalid)),
        UpdateProfileResponse::BadRequest
    );
    assert_invalid(
        "no email, a bad phone and language",
        &error,
        &["email", "languages", "phone_number"],
    );

    // A changed email needs the token pair: each missing one is named, a wrong one too, in
    // the messages the spec gives.
    let error = expect!(
        statuses,
        "updateProfile",
        client.update_profile(&send(me.clone(), update("new@example.com"))),
        UpdateProfileResponse::BadRequest
    );
    let errors = assert_invalid(
        "an email change without tokens",
        &error,
        &["token_checksum_field", "token_field"],
    );
    for messages in errors.values() {
        assert_eq!(
            messages,
            &[UpdateProfileRequest::REQUIRED_WHEN_CHANGED_MESSAGE]
        );
    }
    let wrong = ProfileUpdate {
        token_field: Some("evt-wrong".into()),
        token_checksum_field: Some(EMAIL_CHECKSUM.into()),
        ..update("new@example.com")
    };
    let error = expect!(
        statuses,
        "updateProfile",
        client.update_profile(&send(me.clone(), wrong)),
        UpdateProfileResponse::BadRequest
    );
    let errors = assert_invalid("a token that does not verify", &error, &["token_field"]);
    assert_eq!(
        errors["token_field"],
        [UpdateProfileRequest::VERIFIED_TOKEN_MESSAGE]
    );

    for (how, credentials) in refused(fixtures) {
        let error = expect!(
            statuses,
            "updateProfile",
            client.update_profile(&send(credentials, update(&email))),
            UpdateProfileResponse::Unauthorized
        );
        assert_error(how, &error, 401);
    }
    let huge = ProfileUpdate {
        first_name: Some(over_a_mebibyte()),
        ..update(&email)
    };
    let error = expect!(
        statuses,
        "updateProfile",
        client.update_profile(&send(me, huge)),
        UpdateProfileResponse::PayloadTooLarge
    );
    assert_error("a body over 1 MiB", &error, 413);
}

/// One upload of `image` (and a PNG as the cropped image), through the path or its alias,
/// with its answer's status recorded; `Ok(image_url)` for a 200, `Err((status, body))` else.
async fn send_upload(
    client: &Client,
    credentials: &Credentials,
    alias: bool,
    image: Upload,
    statuses: &mut Statuses,
) -> Result<String, (u16, Result<ValidationErrorEnvelope, ErrorEnvelope>)> {
    let body = ProfileImageUpload {
        image,
        cropped_image: png("cropped.png"),
    };
    // The two operations have their own types; their answers are read the same way.
    let (operation, answer) = if alias {
        let request = UploadProfileImageAliasRequest {
            credentials: credentials.clone(),
            body: UploadProfileImageAliasBody::Multipart(body),
        };
        let answer = client.upload_profile_image_alias(&request).await;
        let answer = answer.unwrap_or_else(|error| panic!("uploadProfileImageAlias: {error}"));
        use UploadProfileImageAliasResponse as R;
        let status = answer.status();
        let read = match answer {
            R::Ok(ok) => Ok(ok.data.image_url),
            R::BadRequest(body) => Err((status, Ok(body))),
            R::Unauthorized(body)
            | R::PayloadTooLarge(body)
            | R::UnsupportedMediaType(body)
            | R::TooManyRequests(body) => Err((status, Err(body))),
        };
        ("uploadProfileImageAlias", read)
    } else {
        let request = UploadProfileImageRequest {
            credentials: credentials.clone(),
            body: UploadProfileImageBody::Multipart(body),
        };
        let answer = client.upload_profile_image(&request).await;
        let answer = answer.unwrap_or_else(|error| panic!("uploadProfileImage: {error}"));
        use UploadProfileImageResponse as R;
        let status = answer.status();
        let read = match answer {
            R::Ok(ok) => Ok(ok.data.image_url),
            R::BadRequest(body) => Err((status, Ok(body))),
            R::Unauthorized(body)
            | R::PayloadTooLarge(body)
            | R::UnsupportedMediaType(body)
            | R::TooManyRequests(body) => Err((status, Err(body))),
        };
        ("uploadProfileImage", read)
    };
    statuses.client(
        operation,
        answer.as_ref().map_or_else(|(status, _)| *status, |_| 200),
    );
    answer
}

async fn upload(client: &Client, fixtures: &Fixtures, alias: bool, statuses: &mut Statuses) {
    let me = caller(fixtures);
    let url = send_upload(client, &me, alias, png("portrait.png"), statuses)
        .await
        .unwrap_or_else(|answer| panic!("a PNG upload: {answer:?}"));
    assert!(
        url.starts_with("http") && url.ends_with(".png"),
        "image_url {url:?}"
    );
    assert_eq!(
        profile(client, &me).await.profile_image,
        url,
        "ProfileImage after the upload"
    );

    let answer = send_upload(client, &me, alias, text_file("notes.txt"), statuses).await;
    let Err((400, Ok(error))) = answer else {
        panic!("a text file as the image: {answer:?}");
    };
    assert_invalid("a text file as the image", &error, &["image"]);
    for (how, credentials) in refused(fixtures) {
        let answer = send_upload(client, &credentials, alias, png("portrait.png"), statuses).await;
        let Err((401, Err(error))) = answer else {
            panic!("{how}: {answer:?}");
        };
        assert_error(how, &error, 401);
    }
    let answer = send_upload(client, &me, alias, huge_png("huge.png"), statuses).await;
    let Err((413, Err(error))) = answer else {
        panic!("an image over 1 MiB: {answer:?}");
    };
    assert_error("an image over 1 MiB", &error, 413);
}

/// Uploads until the daily limit answers 429, through both paths (they share the limit).
async fn upload_limit(client: &Client, me: &Credentials, statuses: &mut Statuses) {
    let mut accepted = 0;
    let refusal = loop {
        match send_upload(client, me, false, png("again.png"), statuses).await {
            Ok(_) => accepted += 1,
            Err(refusal) => break refusal,
        }
        assert!(accepted <= DAILY_UPLOADS, "no 429 after {accepted} uploads");
    };
    let (429, Err(error)) = refusal else {
        panic!("after {accepted} more uploads: {refusal:?}");
    };
    // Two uploads were accepted earlier in the test (one through each path).
    assert_eq!(
        accepted + 2,
        DAILY_UPLOADS,
        "uploads accepted before the 429"
    );
    assert_throttled(&error);
    let answer = send_upload(client, me, true, png("again.png"), statuses).await;
    let Err((429, Err(error))) = answer else {
        panic!("the alias after the limit: {answer:?}");
    };
    assert_throttled(&error);
}

/// The 429's message is the spec's, up to its first placeholder (the time left).
fn assert_throttled(error: &ErrorEnvelope) {
    assert_error("over the daily limit", error, 429);
    let fixed = UploadProfileImageRequest::THROTTLE_MESSAGE
        .split(" <")
        .next()
        .unwrap_or_default();
    assert!(
        error.errors.detail[0].starts_with(fixed),
        "the 429 message {:?} starts with {fixed:?}",
        error.errors.detail
    );
}

/// The body operations with a body in a media type they do not list (415).
async fn unlisted_media_types(emulator: &Emulator, fixtures: &Fixtures, statuses: &mut Statuses) {
    for (operation, path) in [
        ("updateProfile", "/user/update/profile/"),
        ("uploadProfileImage", "/user/profile-image/"),
        ("uploadProfileImageAlias", "/user/profile/profile-image/"),
    ] {
        let (status, body) = Raw {
            method: reqwest::Method::POST,
            url: format!("{}{path}", emulator.base_url()),
            headers: vec![
                ("apikey", fixtures.key.clone()),
                ("Authorization", format!("Bearer {}", fixtures.token)),
            ],
            content_type: "application/json",
            body: br#"{"email": "test.user@example.com"}"#.to_vec(),
        }
        .send()
        .await;
        assert_eq!(status, 415, "{operation} with a JSON body");
        let error: ErrorEnvelope = raw::decode(operation, &body);
        assert_error(operation, &error, 415);
        statuses.raw(operation, status);
    }
}

#[tokio::test]
async fn rpc_canonical() {
    let Some((emulator, fixtures)) = emulator::start("rpc") else {
        return;
    };
    let client = Client::new(emulator.base_url()).expect("the emulator's URL is a base URL");
    let adapter = Adapter::new(client, Credentials::default());
    fixtures.assert_hidden("the adapter's Debug", &format!("{adapter:?}"));
    let me = canon::Credentials {
        api_key: Some(fixtures.key.clone()),
        bearer: Some(fixtures.token.clone()),
    };
    let mut adapted = Adapted::default();

    let local = canonical!(
        "getLocalInfo",
        adapter.get_local_info(&requests::get_local_info(&me)),
        CanonicalLocalInfo::Ok
    );
    assert_eq!(local.languages.len(), 3, "{local:?}");
    adapted.served("getLocalInfo");
    let before = read_profile(&adapter, &me).await;
    assert_eq!(before.username.as_deref(), Some(ME));
    adapted.served("getProfile");
    let email = before.email.clone().expect("rpc gives the email");

    // updateProfile: every field rpc maps (the email unchanged: a change needs a token).
    let patch = ProfilePatch {
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        email: Some(email.clone()),
        phone_number: Some("+14155550123".into()),
        language: Some("fr".into()),
        currency: Some("EUR".into()),
        timezone: Some("Europe/Paris".into()),
        ..ProfilePatch::default()
    };
    canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(&me, ME, patch.clone())),
        CanonicalUpdate::Ok
    );
    let read = read_profile(&adapter, &me).await;
    assert_read_back("rpc", "getProfile after updateProfile", &patch, &read, &[]);
    adapted.served("updateProfile");

    let replace = ProfileReplace {
        last_name: Some("Hopper".into()),
        phone_number: Some("2025550199".into()),
        language: Some("de".into()),
        currency: Some("USD".into()),
        timezone: Some("UTC".into()),
        ..requests::replace("Grace", &email)
    };
    canonical!(
        "replaceProfile",
        adapter.replace_profile(&requests::replace_profile(&me, ME, replace.clone())),
        ReplaceProfileResponse::Ok
    );
    let read = read_profile(&adapter, &me).await;
    assert_read_back(
        "rpc",
        "getProfile after replaceProfile",
        &replace,
        &read,
        &[],
    );
    adapted.served("replaceProfile");

    // verifyEmailChange: the email rpc changes only with the token pair.
    let change = EmailChange {
        email: "grace@example.com".into(),
        token: EMAIL_TOKEN.into(),
        token_checksum: EMAIL_CHECKSUM.into(),
    };
    canonical!(
        "verifyEmailChange",
        adapter.verify_email_change(&requests::verify_email_change(&me, ME, change.clone())),
        VerifyEmailChangeResponse::Ok
    );
    let read = read_profile(&adapter, &me).await;
    assert_eq!(
        read.email.as_deref(),
        Some(change.email.as_str()),
        "email after verifyEmailChange"
    );
    adapted.served("verifyEmailChange");

    let image = canonical!(
        "uploadProfileImage",
        adapter.upload_profile_image(&requests::upload_profile_image(&me, ME)),
        CanonicalUpload::Ok
    );
    let read = read_profile(&adapter, &me).await;
    assert_eq!(
        read.image_url.as_ref(),
        Some(&image.image_url),
        "image_url after the upload"
    );
    adapted.served("uploadProfileImage");

    // Errors carried over under canonical names: languages is language, token_field token.
    let invalid = ProfilePatch {
        email: Some("grace@example.com".into()),
        language: Some("xx".into()),
        ..ProfilePatch::default()
    };
    let problem = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(&me, ME, invalid)),
        CanonicalUpdate::BadRequest
    );
    assert_problem("an unknown language", &problem, 400, &["language"]);
    let wrong = EmailChange {
        token: "evt-wrong".into(),
        ..change
    };
    let problem = canonical!(
        "verifyEmailChange",
        adapter.verify_email_change(&requests::verify_email_change(
            &me,
            ME,
            EmailChange {
                email: "other@example.com".into(),
                ..wrong
            }
        )),
        VerifyEmailChangeResponse::BadRequest
    );
    assert_problem("a token that does not verify", &problem, 400, &["token"]);
    let nobody = canon::Credentials::default();
    let problem = canonical!(
        "getLocalInfo",
        adapter.get_local_info(&requests::get_local_info(&nobody)),
        CanonicalLocalInfo::Unauthorized
    );
    assert_problem("no credentials", &problem, 401, &[]);

    // The daily limit (one upload spent above): the canonical 429.
    let mut accepted = 1;
    let refusal = loop {
        match adapter
            .upload_profile_image(&requests::upload_profile_image(&me, ME))
            .await
        {
            Ok(CanonicalUpload::Ok(_)) => accepted += 1,
            other => break other,
        }
        assert!(accepted <= DAILY_UPLOADS, "no 429 after {accepted} uploads");
    };
    let Ok(CanonicalUpload::TooManyRequests(problem)) = refusal else {
        panic!("after {accepted} uploads: {refusal:?}");
    };
    assert_eq!(accepted, DAILY_UPLOADS, "uploads accepted before the 429");
    assert_problem("over the daily limit", &problem, 429, &[]);

    let delete = requests::delete_profile(&me, ME);
    adapted.refused("deleteProfile", adapter.delete_profile(&delete).await);
    adapted.assert_complete("rpc");
}

async fn read_profile(adapter: &Adapter, me: &canon::Credentials) -> Profile {
    canonical!(
        "getProfile",
        adapter.get_profile(&requests::get_profile(me, ME)),
        CanonicalProfile::Ok
    )
}
