//! billing: one operation, `PUT /api/v1/user/{user_id}?api_key=…` (JSON), errors as FastAPI
//! writes them (`{"detail": …}`, validation 422). There is no read: the user in each
//! update's answer is what the next request sees.

use profile_api::adapters::billing::Adapter;
use profile_api::billing::client::Client;
use profile_api::billing::operations::*;
use profile_api::billing::types::{
    Error, HttpValidationError, User, UserUpdate, ValidationErrorItemLocItem,
};
use profile_api::canonical::operations::{
    self as canon, ReplaceProfileResponse, UpdateProfileResponse as CanonicalUpdate,
};
use profile_api::canonical::types::{Profile, ProfilePatch, ProfileReplace};
use serde_json::Value;

use crate::coverage::{Adapted, Gap, Statuses};
use crate::emulator::{self, Emulator, Fixtures};
use crate::payloads::over_a_mebibyte;
use crate::raw::{self, Raw};
use crate::read_back::{NotReadBack, assert_problem, assert_read_back};
use crate::requests;

/// The emulator's users (`../shared/emulators/README.md`): the caller, another user, and a
/// UUID no user has.
const ME: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
const OTHER: &str = "7d1e8a30-9c1f-4b7e-9a56-0f4f2b6c1d11";
const UNKNOWN: &str = "00000000-0000-4000-8000-000000000000";

const GAPS: &[Gap] = &[Gap {
    operation: "updateUser",
    status: 400,
    reason: "400 answers only a body that is not UTF-8: the client serializes Rust strings, \
             always valid UTF-8",
}];

/// Why the privileged fields are not read back as written.
const PRIVILEGED: &str = "x-privileged: billing ignores it for an ordinary caller (the seed sends is_superuser \
     true and gets false back); asserted unchanged instead";

fn caller(fixtures: &Fixtures) -> Credentials {
    Credentials {
        api_key: Some(fixtures.billing_key.clone()),
    }
}

fn assert_error(what: &str, error: &Error) {
    assert!(!error.detail.is_empty(), "{what}: detail");
}

/// A 422 whose items name exactly `locations` (`[where, field]`), each with a message and
/// a kind.
fn assert_invalid(what: &str, error: &HttpValidationError, locations: &[[&str; 2]]) {
    let named: Vec<Vec<String>> = error
        .detail
        .iter()
        .map(|item| {
            item.loc
                .iter()
                .map(|part| match part {
                    ValidationErrorItemLocItem::String(text) => text.clone(),
                    ValidationErrorItemLocItem::Integer(index) => index.to_string(),
                })
                .collect()
        })
        .collect();
    let expected: Vec<Vec<String>> = locations
        .iter()
        .map(|loc| loc.iter().map(|part| (*part).to_owned()).collect())
        .collect();
    assert_eq!(named, expected, "{what}: the items' loc");
    assert!(
        error
            .detail
            .iter()
            .all(|item| !item.msg.is_empty() && !item.r#type.is_empty()),
        "{what}: every item has msg and type: {error:?}"
    );
}

async fn put(
    client: &Client,
    credentials: &Credentials,
    user_id: &str,
    body: UserUpdate,
) -> UpdateUserResponse {
    client
        .update_user(&UpdateUserRequest {
            credentials: credentials.clone(),
            user_id: user_id.to_owned(),
            body: UpdateUserBody::Json(body),
        })
        .await
        .unwrap_or_else(|error| panic!("updateUser: {error}"))
}

/// What the next request sees: the user answered to an update that changes nothing.
async fn read(client: &Client, me: &Credentials) -> User {
    match put(client, me, ME, UserUpdate::default()).await {
        UpdateUserResponse::Ok(answer) => answer.data,
        other => panic!("an empty update: {other:?}"),
    }
}

#[tokio::test]
async fn billing_client() {
    let Some((emulator, fixtures)) = emulator::start("billing") else {
        return;
    };
    let client = Client::new(emulator.base_url()).expect("the emulator's URL is a base URL");
    fixtures.assert_hidden("the client's Debug", &format!("{client:?}"));
    let me = caller(&fixtures);
    let mut statuses = Statuses::default();

    let before = read(&client, &me).await;
    let written = UserUpdate {
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        email: Some("ada@example.com".into()),
        birthdate: Some("1815-12-10T00:00:00Z".into()),
        phone: Some("+441234567890".into()),
        state: Some("Greater London".into()),
        country: Some("GB".into()),
        address: Some("12 St James's Square".into()),
        // Privileged: ignored for an ordinary caller.
        is_superuser: Some(true),
        role_id: Some("11111111-2222-4333-8444-555555555555".into()),
        stripe_customer_id: Some("cus_forged".into()),
        ..UserUpdate::default()
    };
    let request = UpdateUserRequest {
        credentials: me.clone(),
        user_id: ME.into(),
        body: UpdateUserBody::Json(written.clone()),
    };
    fixtures.assert_hidden("a request's Debug", &format!("{request:?}"));
    let answer = expect!(
        statuses,
        "updateUser",
        client.update_user(&request),
        UpdateUserResponse::Ok
    );
    assert!(!answer.message.is_empty(), "the success message");
    assert!(answer.meta.is_empty(), "meta is empty");
    let user = answer.data;
    assert_eq!(user.id, ME);
    let user_json = serde_json::to_value(&user).expect("a User serializes");
    let before_json = serde_json::to_value(&before).expect("a User serializes");
    let written_json = serde_json::to_value(&written).expect("an update serializes");
    for (field, value) in written_json.as_object().expect("an object") {
        let expected = if UserUpdate::PRIVILEGED.contains(&field.as_str()) {
            &before_json[field]
        } else {
            value
        };
        assert_eq!(&user_json[field], expected, "{field} in the answer");
    }
    assert_eq!(
        read(&client, &me).await,
        user,
        "the next request sees the update"
    );
    // null leaves a field unchanged.
    let nulls: UserUpdate = serde_json::from_value(serde_json::json!({"first_name": null}))
        .expect("an update with a null");
    assert_eq!(nulls.first_name, None);
    let answer = expect!(
        statuses,
        "updateUser",
        client.update_user(&UpdateUserRequest {
            body: UpdateUserBody::Json(nulls),
            ..request.clone()
        }),
        UpdateUserResponse::Ok
    );
    assert_eq!(answer.data, user);

    errors(&client, &fixtures, &mut statuses).await;
    not_utf8(&emulator, &fixtures, &mut statuses).await;
    no_answer(&request, &fixtures).await;
    statuses.assert_complete("billing", GAPS);
}

async fn errors(client: &Client, fixtures: &Fixtures, statuses: &mut Statuses) {
    let me = caller(fixtures);
    let send = |credentials: &Credentials, user_id: &str, body| UpdateUserRequest {
        credentials: credentials.clone(),
        user_id: user_id.to_owned(),
        body: UpdateUserBody::Json(body),
    };
    let invalid = UserUpdate {
        email: Some("not-an-address".into()),
        birthdate: Some("1815-12-10".into()),
        role_id: Some("not-a-uuid".into()),
        ..UserUpdate::default()
    };
    let error = expect!(
        statuses,
        "updateUser",
        client.update_user(&send(&me, ME, invalid)),
        UpdateUserResponse::UnprocessableEntity
    );
    assert_invalid(
        "a bad email, date-time and UUID",
        &error,
        &[
            ["body", "email"],
            ["body", "birthdate"],
            ["body", "role_id"],
        ],
    );
    let error = expect!(
        statuses,
        "updateUser",
        client.update_user(&send(&me, "not-a-uuid", UserUpdate::default())),
        UpdateUserResponse::UnprocessableEntity
    );
    assert_invalid(
        "a user_id that is not a UUID",
        &error,
        &[["path", "user_id"]],
    );

    for (how, key) in [
        ("no api_key", None),
        ("a wrong api_key", Some("in-wrong")),
        ("an api_key without the in- prefix", Some("ak-wrong")),
    ] {
        let credentials = Credentials {
            api_key: key.map(str::to_owned),
        };
        let error = expect!(
            statuses,
            "updateUser",
            client.update_user(&send(&credentials, ME, UserUpdate::default())),
            UpdateUserResponse::Unauthorized
        );
        assert_error(how, &error);
    }
    let error = expect!(
        statuses,
        "updateUser",
        client.update_user(&send(&me, OTHER, UserUpdate::default())),
        UpdateUserResponse::Forbidden
    );
    assert_error("another user's id", &error);
    let error = expect!(
        statuses,
        "updateUser",
        client.update_user(&send(&me, UNKNOWN, UserUpdate::default())),
        UpdateUserResponse::NotFound
    );
    assert_error("an unknown id", &error);
    let huge = UserUpdate {
        address: Some(over_a_mebibyte()),
        ..UserUpdate::default()
    };
    let error = expect!(
        statuses,
        "updateUser",
        client.update_user(&send(&me, ME, huge)),
        UpdateUserResponse::PayloadTooLarge
    );
    assert_error("a body over 1 MiB", &error);
}

/// A failed call names no credential, though billing's is in the URL's query.
async fn no_answer(request: &UpdateUserRequest, fixtures: &Fixtures) {
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let client = Client::new(&format!("http://127.0.0.1:{port}")).expect("a base URL");
    let error = client
        .update_user(request)
        .await
        .expect_err("nothing answers");
    assert!(
        matches!(error, profile_api::support::ClientError::Transport { .. }),
        "no answer is a transport error: {error}"
    );
    fixtures.assert_hidden("a transport error's Display", &error.to_string());
    fixtures.assert_hidden("a transport error's Debug", &format!("{error:?}"));
}

/// A body that is not UTF-8: FastAPI's 400 "There was an error parsing the body", `Error`.
async fn not_utf8(emulator: &Emulator, fixtures: &Fixtures, statuses: &mut Statuses) {
    let mut url =
        reqwest::Url::parse(&format!("{}/api/v1/user/{ME}", emulator.base_url())).expect("a URL");
    url.query_pairs_mut()
        .append_pair("api_key", &fixtures.billing_key);
    let (status, body) = Raw {
        method: reqwest::Method::PUT,
        url: url.into(),
        headers: Vec::new(),
        content_type: "application/json",
        body: b"{\"first_name\": \"\xff\xfe\"}".to_vec(),
    }
    .send()
    .await;
    assert_eq!(status, 400, "updateUser with a body that is not UTF-8");
    let error: Error = raw::decode("updateUser", &body);
    assert_error("updateUser", &error);
    statuses.raw("updateUser", status);
}

#[tokio::test]
async fn billing_canonical() {
    let Some((emulator, fixtures)) = emulator::start("billing") else {
        return;
    };
    let client = Client::new(emulator.base_url()).expect("the emulator's URL is a base URL");
    let adapter = Adapter::new(client, Credentials::default());
    fixtures.assert_hidden("the adapter's Debug", &format!("{adapter:?}"));
    let me = canon::Credentials {
        api_key: Some(fixtures.billing_key.clone()),
        bearer: None,
    };
    let mut adapted = Adapted::default();
    let not_read_back: Vec<NotReadBack> = UserUpdate::PRIVILEGED
        .iter()
        .map(|field| NotReadBack {
            field,
            reason: PRIVILEGED,
        })
        .collect();

    let before = read_profile(&adapter, &me).await;
    // Every field billing maps: the ordinary ones and, to show they are ignored, the
    // privileged ones, each set to something else than billing holds.
    let patch: ProfilePatch = serde_json::from_value(serde_json::json!({
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "phone_number": "+441234567890",
        "country": "GB",
        "state": "Greater London",
        "address": "12 St James's Square",
        "date_of_birth": "1815-12-10",
        "is_active": false,
        "is_superuser": true,
        "is_enterprise": true,
        "role_id": "11111111-2222-4333-8444-555555555555",
        "active_billing_plan_id": "11111111-2222-4333-8444-555555555555",
        "next_billing_plan_id": "11111111-2222-4333-8444-555555555555",
        "stripe_customer_id": "cus_forged",
        "stripe_subscription_id": "sub_forged",
        "stripe_subscription_status": "canceled",
        "stripe_has_payment_method": true,
        "is_trial": true,
        "used_trial": true,
        "is_paying": true,
        "stripe_last_payment_date": "2001-01-01T00:00:00Z",
        "billing_updated_at": "2001-01-01T00:00:00Z",
        "last_credits_refresh": "2001-01-01T00:00:00Z",
        "next_credits_refresh": "2001-01-01T00:00:00Z",
    }))
    .expect("a ProfilePatch");
    let answered = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(&me, ME, patch.clone())),
        CanonicalUpdate::Ok
    );
    assert_eq!(answered.id.as_deref(), Some(ME));
    assert_read_back(
        "billing",
        "updateProfile's answer",
        &patch,
        &answered,
        &not_read_back,
    );
    let profile = read_profile(&adapter, &me).await;
    let compared = assert_read_back(
        "billing",
        "the next request",
        &patch,
        &profile,
        &not_read_back,
    );
    assert_eq!(
        compared.len(),
        8,
        "the ordinary fields compared: {compared:?}"
    );
    assert_unchanged(&before, &profile, &patch);
    adapted.served("updateProfile");

    let replace = ProfileReplace {
        last_name: Some("Hopper".into()),
        phone_number: Some("+15550001111".into()),
        country: Some("US".into()),
        state: Some("VA".into()),
        address: Some("1 Navy Yard".into()),
        date_of_birth: Some("1906-12-09".into()),
        ..requests::replace("Grace", "grace@example.com")
    };
    canonical!(
        "replaceProfile",
        adapter.replace_profile(&requests::replace_profile(&me, ME, replace.clone())),
        ReplaceProfileResponse::Ok
    );
    let profile = read_profile(&adapter, &me).await;
    let compared = assert_read_back(
        "billing",
        "the next request after replaceProfile",
        &replace,
        &profile,
        &not_read_back,
    );
    assert_eq!(
        compared.len(),
        8,
        "the ordinary fields compared: {compared:?}"
    );
    adapted.served("replaceProfile");

    // Errors carried over: billing's 422 is the canonical 400, its names canonical ones
    // (phone is phone_number, the path's user_id is id), other statuses kept.
    let invalid = ProfilePatch {
        email: Some("not-an-address".into()),
        phone_number: Some("9".repeat(256)),
        ..ProfilePatch::default()
    };
    let problem = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(&me, ME, invalid)),
        CanonicalUpdate::BadRequest
    );
    assert_problem(
        "a bad email and a long phone",
        &problem,
        400,
        &["email", "phone_number"],
    );
    let nothing = ProfilePatch::default();
    let problem = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(
            &me,
            "not-a-uuid",
            nothing.clone()
        )),
        CanonicalUpdate::BadRequest
    );
    assert_problem("an id that is not a UUID", &problem, 400, &["id"]);
    let nobody = canon::Credentials::default();
    let problem = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(&nobody, ME, nothing.clone())),
        CanonicalUpdate::Unauthorized
    );
    assert_problem("no credentials", &problem, 401, &[]);
    let problem = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(&me, OTHER, nothing.clone())),
        CanonicalUpdate::Forbidden
    );
    assert_problem("another user's id", &problem, 403, &[]);
    let problem = canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(&me, UNKNOWN, nothing)),
        CanonicalUpdate::NotFound
    );
    assert_problem("an unknown id", &problem, 404, &[]);

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
    adapted.assert_complete("billing");
}

/// Every privileged field `patch` wrote reads back as it was before: billing ignored it.
fn assert_unchanged(before: &Profile, after: &Profile, patch: &ProfilePatch) {
    let before = serde_json::to_value(before).expect("a profile serializes");
    let after = serde_json::to_value(after).expect("a profile serializes");
    let patch = serde_json::to_value(patch).expect("a patch serializes");
    for field in UserUpdate::PRIVILEGED {
        assert_ne!(patch[field], Value::Null, "the patch writes {field}");
        assert_ne!(patch[field], before[field], "the patch changes {field}");
        assert_eq!(
            after[field], before[field],
            "privileged {field} is unchanged"
        );
    }
}

/// What the next request sees: the canonical profile answered to an empty update (billing
/// has no read; canonical getProfile is unsupported there).
async fn read_profile(adapter: &Adapter, me: &canon::Credentials) -> Profile {
    canonical!(
        "updateProfile",
        adapter.update_profile(&requests::update_profile(me, ME, ProfilePatch::default())),
        CanonicalUpdate::Ok
    )
}
