//! community: one operation, `PUT /api/v2/user/{id}/` (JSON, form, or multipart with the
//! avatar and cover files), a bearer token, errors as Django REST framework writes them.
//! There is no read: the whole User in each update's answer is what the next request sees.

use profile_api::adapters::community::Adapter;
use profile_api::canonical::operations::{
    self as canon, ReplaceProfileResponse, UpdateProfileResponse as CanonicalUpdate,
    UploadProfileImageResponse,
};
use profile_api::canonical::types::{Profile, ProfilePatch, ProfileReplace};
use profile_api::community::client::Client;
use profile_api::community::operations::*;
use profile_api::community::types::{
    BadRequestError, Error, User, UserUpdate, UserUpdateMultipart,
};

use crate::coverage::{Adapted, Gap, Statuses};
use crate::emulator::{self, Emulator, Fixtures};
use crate::payloads::{UNLISTED_MEDIA_TYPE, over_a_mebibyte, png};
use crate::raw::{self, Raw};
use crate::read_back::{assert_problem, assert_read_back};
use crate::requests;

/// The emulator's users (`../shared/emulators/README.md`): the caller, another user (whose
/// username is `taken_name`), and an id no user has.
const ME: i64 = 1;
const OTHER: i64 = 2;
const OTHERS_USERNAME: &str = "taken_name";
const UNKNOWN: i64 = 999;

const GAPS: &[Gap] = &[Gap {
    operation: "updateUser",
    status: 415,
    reason: UNLISTED_MEDIA_TYPE,
}];

fn caller(fixtures: &Fixtures) -> Credentials {
    Credentials {
        bearer: Some(fixtures.token.clone()),
    }
}

fn assert_error(what: &str, error: &Error) {
    assert!(!error.detail.is_empty(), "{what}: detail");
}

/// A DRF 400 naming exactly `fields`.
fn assert_invalid(what: &str, error: &BadRequestError, fields: &[&str]) {
    let BadRequestError::ValidationError(error) = error else {
        panic!("{what}: expected the field errors, got {error:?}");
    };
    assert_eq!(error.non_field_errors, None, "{what}: non_field_errors");
    assert_eq!(
        error
            .additional_properties
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        fields,
        "{what}: the fields named"
    );
    assert!(
        error.additional_properties.values().all(|m| !m.is_empty()),
        "{what}: every field has a message: {error:?}"
    );
}

fn nothing() -> UserUpdate {
    UserUpdate::default()
}

async fn put(
    client: &Client,
    credentials: &Credentials,
    id: i64,
    body: UpdateUserBody,
) -> UpdateUserResponse {
    client
        .update_user(&UpdateUserRequest {
            credentials: credentials.clone(),
            id,
            body,
        })
        .await
        .unwrap_or_else(|error| panic!("updateUser: {error}"))
}

/// What the next request sees: the User answered to an update that changes nothing.
async fn read(client: &Client, me: &Credentials) -> User {
    match put(client, me, ME, UpdateUserBody::Json(nothing())).await {
        UpdateUserResponse::Ok(user) => user,
        other => panic!("an empty update: {other:?}"),
    }
}

/// The User answered holds every field written.
fn assert_written(user: &User, written: &UserUpdate) {
    let user = serde_json::to_value(user).expect("a User serializes");
    let written = serde_json::to_value(written).expect("an update serializes");
    for (field, value) in written.as_object().expect("an object") {
        assert_eq!(&user[field], value, "{field} in the answer");
    }
}

#[tokio::test]
async fn community_client() {
    let Some((emulator, fixtures)) = emulator::start("community") else {
        return;
    };
    let client = Client::new(emulator.base_url()).expect("the emulator's URL is a base URL");
    fixtures.assert_hidden("the client's Debug", &format!("{client:?}"));
    let me = caller(&fixtures);
    let mut statuses = Statuses::default();

    // JSON: every writable field; read-only ones (counters, reputation) stay as they were.
    let before = read(&client, &me).await;
    let written = UserUpdate {
        username: Some("ada_l".into()),
        real_name: Some("Ada Lovelace".into()),
        bio: Some("Analyst".into()),
        location: Some("London".into()),
        location_lat_lng: Some("51.5074,-0.1278".into()),
        position_lat_lng: Some("51.5,-0.12".into()),
        date_of_birth: Some("1815-12-10".into()),
        description: Some("First programmer".into()),
        gender: Some("female".into()),
        website: Some("https://ada.example.org".into()),
        company_name: Some("Analytical Engines".into()),
        company_role: Some("Programmer".into()),
    };
    let request = UpdateUserRequest {
        credentials: me.clone(),
        id: ME,
        body: UpdateUserBody::Json(written.clone()),
    };
    fixtures.assert_hidden("a request's Debug", &format!("{request:?}"));
    let user = expect!(
        statuses,
        "updateUser",
        client.update_user(&request),
        UpdateUserResponse::Ok
    );
    assert_eq!(user.id, Some(ME));
    assert_written(&user, &written);
    assert_eq!(user.reputation, before.reputation, "read-only reputation");
    assert_eq!(
        user.followers_counter, before.followers_counter,
        "read-only counter"
    );
    assert_eq!(
        read(&client, &me).await,
        user,
        "the next request sees the update"
    );

    // Form.
    let written = UserUpdate {
        bio: Some("Countess".into()),
        company_role: Some("Analyst".into()),
        ..nothing()
    };
    let user = expect!(
        statuses,
        "updateUser",
        client.update_user(&UpdateUserRequest {
            body: UpdateUserBody::Form(written.clone()),
            ..request.clone()
        }),
        UpdateUserResponse::Ok
    );
    assert_written(&user, &written);
    assert_eq!(
        read(&client, &me).await,
        user,
        "the next request sees the update"
    );

    // Multipart with both files: each becomes a URL of the stored image.
    let written = UserUpdateMultipart {
        gender: Some("unspecified".into()),
        avatar: Some(png("avatar.png")),
        cover: Some(png("cover.png")),
        ..UserUpdateMultipart::default()
    };
    let user = expect!(
        statuses,
        "updateUser",
        client.update_user(&UpdateUserRequest {
            body: UpdateUserBody::Multipart(written),
            ..request.clone()
        }),
        UpdateUserResponse::Ok
    );
    assert_eq!(user.gender.as_deref(), Some("unspecified"));
    for (file, url) in [("avatar", &user.avatar), ("cover", &user.cover)] {
        let url = url.as_deref().unwrap_or_default();
        assert!(
            url.starts_with("http") && url.ends_with(".png"),
            "{file} URL {url:?}"
        );
        assert_ne!(
            Some(url),
            before.avatar.as_deref(),
            "{file} is the new image"
        );
    }
    assert_eq!(
        read(&client, &me).await,
        user,
        "the next request sees the update"
    );

    errors(&client, &fixtures, &mut statuses).await;
    unlisted_media_type(&emulator, &fixtures, &mut statuses).await;
    statuses.assert_complete("community", GAPS);
}

async fn errors(client: &Client, fixtures: &Fixtures, statuses: &mut Statuses) {
    let me = caller(fixtures);
    let json = |credentials: &Credentials, id, body| UpdateUserRequest {
        credentials: credentials.clone(),
        id,
        body: UpdateUserBody::Json(body),
    };
    let invalid = UserUpdate {
        username: Some("not valid!".into()),
        date_of_birth: Some("1815-13-10".into()),
        website: Some("ftp://example.org".into()),
        ..nothing()
    };
    let error = expect!(
        statuses,
        "updateUser",
        client.update_user(&json(&me, ME, invalid)),
        UpdateUserResponse::BadRequest
    );
    assert_invalid(
        "a bad username, date and website",
        &error,
        &["date_of_birth", "username", "website"],
    );
    let taken = UserUpdate {
        username: Some(OTHERS_USERNAME.into()),
        ..nothing()
    };
    let error = expect!(
        statuses,
        "updateUser",
        client.update_user(&json(&me, ME, taken)),
        UpdateUserResponse::BadRequest
    );
    assert_invalid("another user's username", &error, &["username"]);

    let wrong = Credentials {
        bearer: Some("tk-wrong".into()),
    };
    for (how, credentials) in [
        ("no token", Credentials::default()),
        ("a wrong token", wrong),
    ] {
        let error = expect!(
            statuses,
            "updateUser",
            client.update_user(&json(&credentials, ME, nothing())),
            UpdateUserResponse::Unauthorized
        );
        assert_error(how, &error);
    }
    let error = expect!(
        statuses,
        "updateUser",
        client.update_user(&json(&me, OTHER, nothing())),
        UpdateUserResponse::Forbidden
    );
    assert_error("another user's id", &error);
    // The other user's own token may update that user: 403 is about the caller.
    let theirs = Credentials {
        bearer: Some(fixtures.other_token.clone()),
    };
    let answer = put(client, &theirs, OTHER, UpdateUserBody::Json(nothing())).await;
    assert_eq!(
        answer.status(),
        200,
        "the other user updates itself: {answer:?}"
    );
    let error = expect!(
        statuses,
        "updateUser",
        client.update_user(&json(&me, UNKNOWN, nothing())),
        UpdateUserResponse::NotFound
    );
    assert_error("an unknown id", &error);
    let huge = UserUpdate {
        bio: Some(over_a_mebibyte()),
        ..nothing()
    };
    let error = expect!(
        statuses,
        "updateUser",
        client.update_user(&json(&me, ME, huge)),
        UpdateUserResponse::PayloadTooLarge
    );
    assert_error("a body over 1 MiB", &error);
}

async fn unlisted_media_type(emulator: &Emulator, fixtures: &Fixtures, statuses: &mut Statuses) {
    let (status, body) = Raw {
        method: reqwest::Method::PUT,
        url: format!("{}/api/v2/user/{ME}/", emulator.base_url()),
        headers: vec![("Authorization", format!("Bearer {}", fixtures.token))],
        content_type: "text/plain",
        body: b"bio=plain".to_vec(),
    }
    .send()
    .await;
    assert_eq!(status, 415, "updateUser with a text/plain body");
    let error: Error = raw::decode("updateUser", &body);
    assert_error("updateUser", &error);
    statuses.raw("updateUser", status);
}

#[tokio::test]
async fn community_canonical() {
    let Some((emulator, fixtures)) = emulator::start("community") else {
        return;
    };
    let client = Client::new(emulator.base_url()).expect("the emulator's URL is a base URL");
    let adapter = Adapter::new(client, Credentials::default());
    fixtures.assert_hidden("the adapter's Debug", &format!("{adapter:?}"));
    let me = canon::Credentials {
        api_key: None,
        bearer: Some(fixtures.token.clone()),
    };
    let id = ME.to_string();
    let mut adapted = Adapted::default();

    // updateProfile with every field community maps, read back by the next request.
    let patch = ProfilePatch {
        username: Some("ada_l".into()),
        full_name: Some("Ada Lovelace".into()),
        location: Some("London".into()),
        location_lat_lng: Some("51.5074,-0.1278".into()),
        position_lat_lng: Some("51.5,-0.12".into()),
        date_of_birth: Some("1815-12-10".into()),
        gender: Some("female".into()),
        bio: Some("Analyst".into()),
        description: Some("First programmer".into()),
        website: Some("https://ada.example.org".into()),
        company_name: Some("Analytical Engines".into()),
        company_role: Some("Programmer".into()),
        ..ProfilePatch::default()
    };
    let answered = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(&me, &id, patch.clone())),
        CanonicalUpdate::Ok
    );
    assert_eq!(answered.id.as_deref(), Some(id.as_str()));
    assert_read_back(
        "community",
        "updateProfile's answer",
        &patch,
        &answered,
        &[],
    );
    let profile = read_profile(&adapter, &me).await;
    assert_read_back("community", "the next request", &patch, &profile, &[]);
    adapted.served("updateProfile");

    // replaceProfile: first_name and email are required there but community keeps neither.
    let replace = ProfileReplace {
        username: Some("grace_h".into()),
        full_name: Some("Grace Hopper".into()),
        location: Some("Arlington".into()),
        location_lat_lng: Some("38.88,-77.1".into()),
        position_lat_lng: Some("38.9,-77.0".into()),
        date_of_birth: Some("1906-12-09".into()),
        gender: Some("female".into()),
        bio: Some("Admiral".into()),
        description: Some("COBOL".into()),
        website: Some("http://grace.example.org".into()),
        company_name: Some("US Navy".into()),
        company_role: Some("Rear admiral".into()),
        ..requests::replace("Grace", "grace@example.com")
    };
    canonical!(
        "replaceProfile",
        adapter.replace_profile(&requests::replace_profile(&me, &id, replace.clone())),
        ReplaceProfileResponse::Ok
    );
    let profile = read_profile(&adapter, &me).await;
    assert_read_back(
        "community",
        "the next request after replaceProfile",
        &replace,
        &profile,
        &[],
    );
    assert_eq!(
        profile.first_name, None,
        "community has no first_name to read back"
    );
    adapted.served("replaceProfile");

    let image = canonical!(
        "uploadProfileImage",
        adapter.upload_profile_image(&requests::upload_profile_image(&me, &id)),
        UploadProfileImageResponse::Ok
    );
    assert!(image.image_url.ends_with(".png"), "{image:?}");
    let profile = read_profile(&adapter, &me).await;
    assert_eq!(
        profile.image_url.as_ref(),
        Some(&image.image_url),
        "image_url after the upload"
    );
    adapted.served("uploadProfileImage");

    // Errors carried over under canonical names (real_name is full_name), statuses kept.
    let invalid = ProfilePatch {
        full_name: Some("x".repeat(256)),
        website: Some("not a URL".into()),
        ..ProfilePatch::default()
    };
    let problem = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(&me, &id, invalid)),
        CanonicalUpdate::BadRequest
    );
    assert_problem(
        "a long full_name and a bad website",
        &problem,
        400,
        &["full_name", "website"],
    );
    // A username another user holds: the canonical API's 409, with the unique message.
    let taken = ProfilePatch {
        username: Some(OTHERS_USERNAME.into()),
        ..ProfilePatch::default()
    };
    let problem = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(&me, &id, taken)),
        CanonicalUpdate::Conflict
    );
    assert_problem("another user's username", &problem, 409, &[]);
    assert_eq!(problem.detail, "A user with that username already exists.");
    // Taken and otherwise invalid: a validation error still, naming both.
    let mixed = ProfilePatch {
        username: Some(OTHERS_USERNAME.into()),
        website: Some("not a URL".into()),
        ..ProfilePatch::default()
    };
    let problem = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(&me, &id, mixed)),
        CanonicalUpdate::BadRequest
    );
    assert_problem(
        "a taken username and a bad website",
        &problem,
        400,
        &["username", "website"],
    );
    let problem = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(
            &me,
            &OTHER.to_string(),
            ProfilePatch::default()
        )),
        CanonicalUpdate::Forbidden
    );
    assert_problem("another user's id", &problem, 403, &[]);
    let problem = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(
            &me,
            "not-a-number",
            ProfilePatch::default()
        )),
        CanonicalUpdate::NotFound
    );
    assert_problem("an id community cannot hold", &problem, 404, &[]);

    let get = requests::get_profile(&me, &id);
    adapted.refused("getProfile", adapter.get_profile(&get).await);
    let delete = requests::delete_profile(&me, &id);
    adapted.refused("deleteProfile", adapter.delete_profile(&delete).await);
    let local = requests::get_local_info(&me);
    adapted.refused("getLocalInfo", adapter.get_local_info(&local).await);
    let verify = requests::verify_email_change(&me, &id, requests::some_email_change());
    adapted.refused(
        "verifyEmailChange",
        adapter.verify_email_change(&verify).await,
    );
    adapted.assert_complete("community");
}

/// What the next request sees: the canonical profile answered to an empty update (community
/// has no read; canonical getProfile is unsupported there).
async fn read_profile(adapter: &Adapter, me: &canon::Credentials) -> Profile {
    canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(
            me,
            &ME.to_string(),
            ProfilePatch::default()
        )),
        CanonicalUpdate::Ok
    )
}
