//! manage: `GET POST PUT DELETE …/ManageUserProfile`, credentials `X-API-Key` and a bearer
//! token, errors `{status, message}` (a 400 adds `errors` by field).

use profile_api::adapters::manage::Adapter;
use profile_api::canonical::operations::{
    self as canon, DeleteProfileResponse, GetProfileResponse, ReplaceProfileResponse,
    UpdateProfileResponse,
};
use profile_api::canonical::types::{Profile, ProfilePatch, ProfileReplace};
use profile_api::manage::client::Client;
use profile_api::manage::operations::*;
use profile_api::manage::types::{
    DeletedResponseStatus, ErrorStatus, ProfileResponseStatus, ProfileUpdate, ValidationErrorStatus,
};
use profile_api::manage::types::{Error, ValidationError};

use crate::coverage::{Adapted, Gap, Statuses};
use crate::emulator::{self, Fixtures};
use crate::payloads::{UNLISTED_MEDIA_TYPE, over_a_mebibyte};
use crate::raw::{self, Raw};
use crate::read_back::{assert_problem, assert_read_back};
use crate::requests;

/// The emulator's users (`../shared/emulators/README.md`): the caller, another user, and an
/// id no user has.
const ME: &str = "123456";
const OTHER: &str = "654321";
const UNKNOWN: &str = "999999";
const PATH: &str = "/Documentation/en/Developer/APIs/UserManagement/ManageUserProfile";

const GAPS: &[Gap] = &[
    Gap {
        operation: "putUserProfile",
        status: 415,
        reason: UNLISTED_MEDIA_TYPE,
    },
    Gap {
        operation: "postUserProfile",
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
            "no API key",
            Credentials {
                api_key: None,
                ..me.clone()
            },
        ),
        (
            "a wrong API key",
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

fn assert_error(what: &str, error: &Error) {
    assert_eq!(error.status, ErrorStatus::Error, "{what}: envelope status");
    assert!(!error.message.is_empty(), "{what}: envelope message");
}

fn assert_invalid(what: &str, error: &ValidationError, fields: &[&str]) {
    assert_eq!(
        error.status,
        ValidationErrorStatus::Error,
        "{what}: envelope status"
    );
    assert!(!error.message.is_empty(), "{what}: envelope message");
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
}

fn update(user_id: &str) -> ProfileUpdate {
    ProfileUpdate {
        user_id: user_id.to_owned(),
        profile_picture: None,
        first_name: None,
        last_name: None,
        email: None,
        phone_number: None,
    }
}

#[tokio::test]
async fn manage_client() {
    let Some((emulator, fixtures)) = emulator::start("manage") else {
        return;
    };
    let client = Client::new(emulator.base_url()).expect("the emulator's URL is a base URL");
    let me = caller(&fixtures);
    fixtures.assert_hidden("the client's Debug", &format!("{client:?}"));
    let mut statuses = Statuses::default();

    get_user_profile(&client, &fixtures, &mut statuses).await;
    // PUT and POST are the same update: each written in one media type, read back by GET.
    let written = ProfileUpdate {
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        email: Some("ada@example.com".into()),
        phone_number: Some("+441234567890".into()),
        profile_picture: Some("https://example.com/ada.png".into()),
        ..update(ME)
    };
    let put = PutUserProfileRequest {
        credentials: me.clone(),
        body: PutUserProfileBody::Form(written.clone()),
    };
    fixtures.assert_hidden("a request's Debug", &format!("{put:?}"));
    let answer = expect!(
        statuses,
        "putUserProfile",
        client.put_user_profile(&put),
        PutUserProfileResponse::Ok
    );
    assert_eq!(answer.status, ProfileResponseStatus::Success);
    assert_written(&answer.data, &written);
    assert_read(&client, &me, &written).await;
    put_errors(&client, &fixtures, &mut statuses).await;

    let written = ProfileUpdate {
        first_name: Some("Grace".into()),
        last_name: Some("Hopper".into()),
        email: Some("grace@example.com".into()),
        phone_number: Some("+15550001111".into()),
        profile_picture: Some("http://example.org/grace.jpg".into()),
        ..update(ME)
    };
    let post = PostUserProfileRequest {
        credentials: me.clone(),
        body: PostUserProfileBody::Json(written.clone()),
    };
    let answer = expect!(
        statuses,
        "postUserProfile",
        client.post_user_profile(&post),
        PostUserProfileResponse::Ok
    );
    assert_written(&answer.data, &written);
    assert_read(&client, &me, &written).await;
    post_errors(&client, &fixtures, &mut statuses).await;

    delete_user_profile(&client, &fixtures, &mut statuses).await;
    unlisted_media_types(&emulator, &fixtures, &mut statuses).await;
    statuses.assert_complete("manage", GAPS);
}

/// The profile answered holds every field written.
fn assert_written(profile: &profile_api::manage::types::Profile, written: &ProfileUpdate) {
    assert_eq!(profile.user_id, written.user_id);
    assert_eq!(Some(&profile.first_name), written.first_name.as_ref());
    assert_eq!(Some(&profile.last_name), written.last_name.as_ref());
    assert_eq!(Some(&profile.email), written.email.as_ref());
    assert_eq!(Some(&profile.phone_number), written.phone_number.as_ref());
    assert_eq!(
        Some(&profile.profile_picture),
        written.profile_picture.as_ref()
    );
}

/// The next GET shows the write.
async fn assert_read(client: &Client, me: &Credentials, written: &ProfileUpdate) {
    let read = client
        .get_user_profile(&GetUserProfileRequest {
            credentials: me.clone(),
            user_id: written.user_id.clone(),
        })
        .await
        .expect("an answer");
    let GetUserProfileResponse::Ok(read) = read else {
        panic!("getUserProfile after a write: {read:?}");
    };
    assert_written(&read.data, written);
}

async fn get_user_profile(client: &Client, fixtures: &Fixtures, statuses: &mut Statuses) {
    let get = |credentials: Credentials, user_id: &str| GetUserProfileRequest {
        credentials,
        user_id: user_id.to_owned(),
    };
    let me = caller(fixtures);
    let answer = expect!(
        statuses,
        "getUserProfile",
        client.get_user_profile(&get(me.clone(), ME)),
        GetUserProfileResponse::Ok
    );
    assert_eq!(answer.status, ProfileResponseStatus::Success);
    assert_eq!(answer.data.user_id, ME);
    assert!(answer.data.email.contains('@'), "{answer:?}");

    let invalid = expect!(
        statuses,
        "getUserProfile",
        client.get_user_profile(&get(me.clone(), "")),
        GetUserProfileResponse::BadRequest
    );
    assert_invalid("GET without user_id", &invalid, &["user_id"]);
    for (how, credentials) in refused(fixtures) {
        let error = expect!(
            statuses,
            "getUserProfile",
            client.get_user_profile(&get(credentials, ME)),
            GetUserProfileResponse::Unauthorized
        );
        assert_error(how, &error);
    }
    let error = expect!(
        statuses,
        "getUserProfile",
        client.get_user_profile(&get(me, UNKNOWN)),
        GetUserProfileResponse::NotFound
    );
    assert_error("GET an unknown user", &error);
}

/// PUT's and POST's errors: the same checks through each operation's own types.
macro_rules! update_errors {
    ($name:ident, $operation:literal, $method:ident, $request:ident, $body:ident, $response:ident) => {
        async fn $name(client: &Client, fixtures: &Fixtures, statuses: &mut Statuses) {
            let send = |credentials: Credentials, body: ProfileUpdate| $request {
                credentials,
                body: $body::Form(body),
            };
            let me = caller(fixtures);
            let invalid = ProfileUpdate {
                email: Some("not-an-address".into()),
                phone_number: Some("12".into()),
                ..update(ME)
            };
            let error = expect!(
                statuses,
                $operation,
                client.$method(&send(me.clone(), invalid)),
                $response::BadRequest
            );
            assert_invalid(
                "an invalid email and phone",
                &error,
                &["email", "phone_number"],
            );
            let no_user = update("");
            let error = expect!(
                statuses,
                $operation,
                client.$method(&send(me.clone(), no_user)),
                $response::BadRequest
            );
            assert_invalid("no user_id", &error, &["user_id"]);
            for (how, credentials) in refused(fixtures) {
                let error = expect!(
                    statuses,
                    $operation,
                    client.$method(&send(credentials, update(ME))),
                    $response::Unauthorized
                );
                assert_error(how, &error);
            }
            let error = expect!(
                statuses,
                $operation,
                client.$method(&send(me.clone(), update(UNKNOWN))),
                $response::NotFound
            );
            assert_error("an unknown user", &error);
            let huge = ProfileUpdate {
                first_name: Some(over_a_mebibyte()),
                ..update(ME)
            };
            let error = expect!(
                statuses,
                $operation,
                client.$method(&send(me, huge)),
                $response::PayloadTooLarge
            );
            assert_error("a body over 1 MiB", &error);
        }
    };
}

update_errors!(
    put_errors,
    "putUserProfile",
    put_user_profile,
    PutUserProfileRequest,
    PutUserProfileBody,
    PutUserProfileResponse
);
update_errors!(
    post_errors,
    "postUserProfile",
    post_user_profile,
    PostUserProfileRequest,
    PostUserProfileBody,
    PostUserProfileResponse
);

async fn delete_user_profile(client: &Client, fixtures: &Fixtures, statuses: &mut Statuses) {
    let delete = |credentials: Credentials, user_id: &str| DeleteUserProfileRequest {
        credentials,
        user_id: user_id.to_owned(),
    };
    let me = caller(fixtures);
    let invalid = expect!(
        statuses,
        "deleteUserProfile",
        client.delete_user_profile(&delete(me.clone(), "")),
        DeleteUserProfileResponse::BadRequest
    );
    assert_invalid("DELETE without user_id", &invalid, &["user_id"]);
    for (how, credentials) in refused(fixtures) {
        let error = expect!(
            statuses,
            "deleteUserProfile",
            client.delete_user_profile(&delete(credentials, OTHER)),
            DeleteUserProfileResponse::Unauthorized
        );
        assert_error(how, &error);
    }
    let deleted = expect!(
        statuses,
        "deleteUserProfile",
        client.delete_user_profile(&delete(me.clone(), OTHER)),
        DeleteUserProfileResponse::Ok
    );
    assert_eq!(deleted.status, DeletedResponseStatus::Success);
    assert_eq!(deleted.data.user_id, OTHER);
    // Deleted means gone: the user now answers 404, to a read and to a second delete.
    let gone = client
        .get_user_profile(&GetUserProfileRequest {
            credentials: me.clone(),
            user_id: OTHER.into(),
        })
        .await
        .expect("an answer");
    assert_eq!(gone.status(), 404, "a deleted user is not found: {gone:?}");
    let error = expect!(
        statuses,
        "deleteUserProfile",
        client.delete_user_profile(&delete(me, OTHER)),
        DeleteUserProfileResponse::NotFound
    );
    assert_error("DELETE a deleted user", &error);
}

/// PUT and POST with a body in a media type neither lists (415), decoded as `Error`.
async fn unlisted_media_types(
    emulator: &emulator::Emulator,
    fixtures: &Fixtures,
    statuses: &mut Statuses,
) {
    for (operation, method) in [
        ("putUserProfile", reqwest::Method::PUT),
        ("postUserProfile", reqwest::Method::POST),
    ] {
        let (status, body) = Raw {
            method,
            url: format!("{}{PATH}", emulator.base_url()),
            headers: vec![
                ("X-API-Key", fixtures.key.clone()),
                ("Authorization", format!("Bearer {}", fixtures.token)),
            ],
            content_type: "text/plain",
            body: format!("user_id={ME}").into_bytes(),
        }
        .send()
        .await;
        assert_eq!(status, 415, "{operation} with a text/plain body");
        let error: Error = raw::decode(operation, &body);
        assert_error(operation, &error);
        statuses.raw(operation, status);
    }
}

#[tokio::test]
async fn manage_canonical() {
    let Some((emulator, fixtures)) = emulator::start("manage") else {
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

    // updateProfile (POST), read back with getProfile (GET).
    let patch = ProfilePatch {
        first_name: Some("Grace".into()),
        last_name: Some("Hopper".into()),
        email: Some("grace@example.com".into()),
        phone_number: Some("+15550001111".into()),
        image_url: Some("https://example.com/grace.png".into()),
        ..ProfilePatch::default()
    };
    let update = requests::update_profile(&me, ME, patch.clone());
    fixtures.assert_hidden("a canonical request's Debug", &format!("{update:?}"));
    let answered = canonical!(
        "updateProfile",
        adapter.update_profile(&update),
        UpdateProfileResponse::Ok
    );
    assert_read_back("manage", "updateProfile's answer", &patch, &answered, &[]);
    let profile = read_profile(&adapter, &me).await;
    assert_eq!(profile.id.as_deref(), Some(ME));
    assert_read_back(
        "manage",
        "getProfile after updateProfile",
        &patch,
        &profile,
        &[],
    );
    adapted.served("updateProfile");
    adapted.served("getProfile");

    // replaceProfile (PUT), read back.
    let replace = ProfileReplace {
        last_name: Some("Lovelace".into()),
        phone_number: Some("+441234567890".into()),
        image_url: Some("http://example.org/ada.jpg".into()),
        ..requests::replace("Ada", "ada@example.com")
    };
    canonical!(
        "replaceProfile",
        adapter.replace_profile(&requests::replace_profile(&me, ME, replace.clone())),
        ReplaceProfileResponse::Ok
    );
    let profile = read_profile(&adapter, &me).await;
    assert_read_back(
        "manage",
        "getProfile after replaceProfile",
        &replace,
        &profile,
        &[],
    );
    adapted.served("replaceProfile");

    // Errors carried over: manage's field names become canonical ones (profile_picture is
    // image_url), its statuses stay.
    let invalid = ProfilePatch {
        email: Some("not-an-address".into()),
        image_url: Some("not a URL".into()),
        ..ProfilePatch::default()
    };
    let problem = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(&me, ME, invalid)),
        UpdateProfileResponse::BadRequest
    );
    assert_problem(
        "an invalid email and image_url",
        &problem,
        400,
        &["email", "image_url"],
    );
    let nobody = canon::Credentials::default();
    let problem = canonical!(
        "getProfile",
        adapter.get_profile(&requests::get_profile(&nobody, ME)),
        GetProfileResponse::Unauthorized
    );
    assert_problem("no credentials", &problem, 401, &[]);

    // deleteProfile, after which the profile is not found.
    let deleted = canonical!(
        "deleteProfile",
        adapter.delete_profile(&requests::delete_profile(&me, OTHER)),
        DeleteProfileResponse::Ok
    );
    assert_eq!(deleted.id.as_deref(), Some(OTHER));
    adapted.served("deleteProfile");
    let problem = canonical!(
        "getProfile",
        adapter.get_profile(&requests::get_profile(&me, OTHER)),
        GetProfileResponse::NotFound
    );
    assert_problem("a deleted profile", &problem, 404, &[]);

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
    adapted.assert_complete("manage");
}

/// The caller's canonical profile, through getProfile.
async fn read_profile(adapter: &Adapter, me: &canon::Credentials) -> Profile {
    canonical!(
        "getProfile",
        adapter.get_profile(&requests::get_profile(me, ME)),
        GetProfileResponse::Ok
    )
}
