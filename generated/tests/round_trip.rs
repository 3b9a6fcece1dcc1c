//! Round trips through the generated code: for every dialect and the canonical API, the
//! generated client against the generated router, served over HTTP and backed by [`Memory`],
//! an in-memory implementation of every generated `Api` trait that answers whatever the test
//! queued and records every request it was handed.
//!
//! - every operation answers every documented status, in every body media type the operation
//!   lists, and the client decodes each into the variant the implementation returned, while
//!   the implementation receives exactly the request the client sent (parameters,
//!   credentials, JSON, form and multipart bodies, PNG uploads);
//! - the router's own answers reach the client typed, in the dialect's envelope: a validation
//!   error naming the field, and a 401 for each missing credential, neither ever reaching the
//!   implementation;
//! - what only the client decides: an undocumented status, a body that does not decode, no
//!   answer at all, and credentials that never show in an error.

#![cfg(all(feature = "server", feature = "client"))]

use std::any::Any;
use std::collections::VecDeque;
use std::fmt::Debug;
use std::future::Future;
use std::sync::{Arc, Mutex};

use profile_api::support::{ClientError, ServerConfig, Upload};
use profile_api::{billing, canonical, cl2c, community, manage, rpc};
use serde_json::json;

// ---------------------------------------------------------------------------------------------
// The in-memory implementation and the harness
// ---------------------------------------------------------------------------------------------

/// Answers each call with the next queued answer and records the request.
#[derive(Default)]
struct Memory {
    answers: Mutex<VecDeque<Box<dyn Any + Send>>>,
    requests: Mutex<Vec<Box<dyn Any + Send>>>,
}

impl Memory {
    fn answer<T: Any + Send>(&self, answer: T) {
        self.answers
            .lock()
            .expect("no test panicked holding the lock")
            .push_back(Box::new(answer));
    }

    fn take<R: Any + Send, T: Any>(&self, request: R) -> T {
        self.requests
            .lock()
            .expect("no test panicked holding the lock")
            .push(Box::new(request));
        let answer = self
            .answers
            .lock()
            .expect("no test panicked holding the lock")
            .pop_front()
            .expect("the test queued an answer");
        *answer
            .downcast::<T>()
            .expect("the queued answer is this operation's response")
    }

    /// How many requests reached the implementation.
    fn calls(&self) -> usize {
        self.requests
            .lock()
            .expect("no test panicked holding the lock")
            .len()
    }

    /// The last request the implementation was handed.
    fn last<R: Any + Clone>(&self) -> R {
        self.requests
            .lock()
            .expect("no test panicked holding the lock")
            .last()
            .and_then(|request| request.downcast_ref::<R>())
            .cloned()
            .expect("the implementation saw a request of this operation")
    }
}

/// `impl <module>::server::Api for Memory`: every method answers from the queue.
macro_rules! memory_api {
    ($module:ident { $($method:ident: $request:ident => $response:ident,)* }) => {
        impl $module::server::Api for Memory {
            $(
                fn $method(
                    &self,
                    request: $module::operations::$request,
                ) -> impl Future<Output = $module::operations::$response> + Send {
                    let answer = self.take(request);
                    async move { answer }
                }
            )*
        }
    };
}

memory_api!(manage {
    get_user_profile: GetUserProfileRequest => GetUserProfileResponse,
    put_user_profile: PutUserProfileRequest => PutUserProfileResponse,
    post_user_profile: PostUserProfileRequest => PostUserProfileResponse,
    delete_user_profile: DeleteUserProfileRequest => DeleteUserProfileResponse,
});

memory_api!(rpc {
    get_profile: GetProfileRequest => GetProfileResponse,
    update_profile: UpdateProfileRequest => UpdateProfileResponse,
    upload_profile_image: UploadProfileImageRequest => UploadProfileImageResponse,
    upload_profile_image_alias: UploadProfileImageAliasRequest => UploadProfileImageAliasResponse,
    get_local_info: GetLocalInfoRequest => GetLocalInfoResponse,
});

memory_api!(community {
    update_user: UpdateUserRequest => UpdateUserResponse,
});

memory_api!(billing {
    update_user: UpdateUserRequest => UpdateUserResponse,
});

memory_api!(cl2c {
    update_profile: UpdateProfileRequest => UpdateProfileResponse,
});

memory_api!(canonical {
    get_profile: GetProfileRequest => GetProfileResponse,
    replace_profile: ReplaceProfileRequest => ReplaceProfileResponse,
    delete_profile: DeleteProfileRequest => DeleteProfileResponse,
    update_profile: UpdateProfileRequest => UpdateProfileResponse,
    upload_profile_image: UploadProfileImageRequest => UploadProfileImageResponse,
    get_local_info: GetLocalInfoRequest => GetLocalInfoResponse,
    verify_email_change: VerifyEmailChangeRequest => VerifyEmailChangeResponse,
});

/// Serves `router` on a free local port; the base URL.
async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free local port");
    let address = listener.local_addr().expect("a bound address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}")
}

/// A fresh [`Memory`] served by the router `make` builds around it; the base URL.
async fn start(make: impl FnOnce(Arc<Memory>) -> axum::Router) -> (String, Arc<Memory>) {
    let memory = Arc::new(Memory::default());
    let base = serve(make(Arc::clone(&memory))).await;
    (base, memory)
}

/// Sends `request` once per answer, the implementation answering each in turn: the client
/// must decode exactly that answer, and the implementation must see exactly `request`.
/// Returns how many round trips it made.
macro_rules! round_trips {
    ($memory:expr, $client:expr, $method:ident, $request:expr, $answers:expr $(,)?) => {{
        let request = $request;
        let mut count = 0usize;
        for answer in $answers {
            $memory.answer(answer.clone());
            let calls = $memory.calls();
            let got = $client.$method(&request).await;
            assert_eq!(
                got,
                Ok(answer),
                "{} answered {:?}",
                stringify!($method),
                got
            );
            assert_eq!($memory.calls(), calls + 1, "{}", stringify!($method));
            assert_same(&$memory.last(), &request);
            count += 1;
        }
        count
    }};
}

fn assert_same<R: PartialEq + Debug>(seen: &R, sent: &R) {
    assert_eq!(
        seen, sent,
        "the implementation saw another request than the client sent"
    );
}

/// The statuses of a list of answers, to check that a list covers every documented one.
fn statuses<R>(answers: &[R], status: impl Fn(&R) -> u16) -> Vec<u16> {
    answers.iter().map(status).collect()
}

/// Builds a generated type from JSON.
fn from<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("the sample is valid for its type")
}

fn text(value: &str) -> Option<String> {
    Some(value.to_owned())
}

/// A 1×1 transparent PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

fn png(filename: &str) -> Upload {
    Upload {
        filename: text(filename),
        content_type: text("image/png"),
        bytes: PNG.to_vec(),
    }
}

const API_KEY: &str = "key-0123456789";
const TOKEN: &str = "token-0123456789";

// ---------------------------------------------------------------------------------------------
// manage: query parameters, form and JSON bodies, two header credentials
// ---------------------------------------------------------------------------------------------

mod manage_samples {
    use super::*;
    use manage::operations::*;
    use manage::types;

    pub fn credentials() -> Credentials {
        Credentials {
            api_key: text(API_KEY),
            bearer: text(TOKEN),
        }
    }

    pub fn update() -> types::ProfileUpdate {
        types::ProfileUpdate {
            user_id: "u-1".into(),
            profile_picture: text("https://example.com/ada.png"),
            first_name: text("Ada & Co"),
            last_name: text("Lovelace"),
            email: text("ada@example.com"),
            phone_number: text("+441234567890"),
        }
    }

    pub fn ok() -> types::ProfileResponse {
        from(json!({"status": "success", "data": {
            "user_id": "u-1", "first_name": "Ada", "last_name": "Lovelace",
            "email": "ada@example.com", "phone_number": "+441234567890",
            "profile_picture": "https://example.com/ada.png"}}))
    }

    pub fn invalid() -> types::ValidationError {
        from(json!({"status": "error", "message": "Validation failed.",
            "errors": {"email": ["Enter a valid email address."]}}))
    }

    pub fn error(message: &str) -> types::Error {
        from(json!({"status": "error", "message": message}))
    }

    pub fn get_answers() -> Vec<GetUserProfileResponse> {
        vec![
            GetUserProfileResponse::Ok(ok()),
            GetUserProfileResponse::BadRequest(invalid()),
            GetUserProfileResponse::Unauthorized(error("Invalid API key.")),
            GetUserProfileResponse::NotFound(error("User not found.")),
        ]
    }

    pub fn put_answers() -> Vec<PutUserProfileResponse> {
        vec![
            PutUserProfileResponse::Ok(ok()),
            PutUserProfileResponse::BadRequest(invalid()),
            PutUserProfileResponse::Unauthorized(error("Invalid API key.")),
            PutUserProfileResponse::NotFound(error("User not found.")),
            PutUserProfileResponse::PayloadTooLarge(error("Too large.")),
            PutUserProfileResponse::UnsupportedMediaType(error("Unsupported.")),
        ]
    }

    pub fn post_answers() -> Vec<PostUserProfileResponse> {
        vec![
            PostUserProfileResponse::Ok(ok()),
            PostUserProfileResponse::BadRequest(invalid()),
            PostUserProfileResponse::Unauthorized(error("Invalid API key.")),
            PostUserProfileResponse::NotFound(error("User not found.")),
            PostUserProfileResponse::PayloadTooLarge(error("Too large.")),
            PostUserProfileResponse::UnsupportedMediaType(error("Unsupported.")),
        ]
    }

    pub fn delete_answers() -> Vec<DeleteUserProfileResponse> {
        vec![
            DeleteUserProfileResponse::Ok(from(
                json!({"status": "success", "data": {"user_id": "u-1"}}),
            )),
            DeleteUserProfileResponse::BadRequest(invalid()),
            DeleteUserProfileResponse::Unauthorized(error("Invalid API key.")),
            DeleteUserProfileResponse::NotFound(error("User not found.")),
        ]
    }
}

async fn manage_client() -> (manage::client::Client, Arc<Memory>) {
    let (base, memory) = start(|api| manage::server::router(api, ServerConfig::default())).await;
    (
        manage::client::Client::new(&base).expect("a valid base URL"),
        memory,
    )
}

#[tokio::test]
async fn manage_every_operation_answers_every_documented_status() {
    use manage::operations::*;
    use manage_samples::*;
    let (client, memory) = manage_client().await;
    assert_eq!(
        statuses(&get_answers(), GetUserProfileResponse::status),
        [200, 400, 401, 404]
    );
    assert_eq!(
        statuses(&put_answers(), PutUserProfileResponse::status),
        [200, 400, 401, 404, 413, 415]
    );
    assert_eq!(
        statuses(&post_answers(), PostUserProfileResponse::status),
        [200, 400, 401, 404, 413, 415]
    );
    assert_eq!(
        statuses(&delete_answers(), DeleteUserProfileResponse::status),
        [200, 400, 401, 404]
    );
    let mut count = 0;
    count += round_trips!(
        memory,
        client,
        get_user_profile,
        GetUserProfileRequest {
            credentials: credentials(),
            user_id: "ada lovelace&co=1".into()
        },
        get_answers()
    );
    for body in [
        PutUserProfileBody::Form(update()),
        PutUserProfileBody::Json(update()),
    ] {
        count += round_trips!(
            memory,
            client,
            put_user_profile,
            PutUserProfileRequest {
                credentials: credentials(),
                body
            },
            put_answers()
        );
    }
    for body in [
        PostUserProfileBody::Form(update()),
        PostUserProfileBody::Json(update()),
    ] {
        count += round_trips!(
            memory,
            client,
            post_user_profile,
            PostUserProfileRequest {
                credentials: credentials(),
                body
            },
            post_answers()
        );
    }
    count += round_trips!(
        memory,
        client,
        delete_user_profile,
        DeleteUserProfileRequest {
            credentials: credentials(),
            user_id: "u-1".into()
        },
        delete_answers()
    );
    assert_eq!(count, 4 + 2 * 6 + 2 * 6 + 4);
}

#[tokio::test]
async fn manage_router_errors_reach_the_client_in_its_envelope() {
    use manage::operations::*;
    use manage::types::{ErrorStatus, ValidationErrorStatus};
    use manage_samples::*;
    let (client, memory) = manage_client().await;

    // A validation error from the router's validators, the field named in `errors`.
    let mut bad = update();
    bad.email = text("not an email");
    for body in [
        PutUserProfileBody::Form(bad.clone()),
        PutUserProfileBody::Json(bad.clone()),
    ] {
        let answer = client
            .put_user_profile(&PutUserProfileRequest {
                credentials: credentials(),
                body,
            })
            .await;
        let Ok(PutUserProfileResponse::BadRequest(error)) = answer else {
            panic!("expected a 400, got {answer:?}");
        };
        assert_eq!(error.status, ValidationErrorStatus::Error);
        assert!(error.errors.contains_key("email"), "{error:?}");
        assert!(!error.errors["email"].is_empty());
    }

    // A 401 for each missing credential, on every operation.
    let without = |api_key: bool| Credentials {
        api_key: api_key.then(|| API_KEY.to_owned()),
        bearer: (!api_key).then(|| TOKEN.to_owned()),
    };
    let mut unauthorized = 0;
    for has_key in [true, false] {
        let credentials = without(has_key);
        let answer = client
            .get_user_profile(&GetUserProfileRequest {
                credentials: credentials.clone(),
                user_id: "u-1".into(),
            })
            .await;
        let Ok(GetUserProfileResponse::Unauthorized(error)) = answer else {
            panic!("expected a 401, got {answer:?}");
        };
        assert_eq!(error.status, ErrorStatus::Error);
        assert!(!error.message.is_empty());
        let answer = client
            .put_user_profile(&PutUserProfileRequest {
                credentials: credentials.clone(),
                body: PutUserProfileBody::Json(update()),
            })
            .await;
        assert!(
            matches!(answer, Ok(PutUserProfileResponse::Unauthorized(ref e)) if e.status == ErrorStatus::Error),
            "{answer:?}"
        );
        let answer = client
            .post_user_profile(&PostUserProfileRequest {
                credentials: credentials.clone(),
                body: PostUserProfileBody::Form(update()),
            })
            .await;
        assert!(
            matches!(answer, Ok(PostUserProfileResponse::Unauthorized(ref e)) if e.status == ErrorStatus::Error),
            "{answer:?}"
        );
        let answer = client
            .delete_user_profile(&DeleteUserProfileRequest {
                credentials,
                user_id: "u-1".into(),
            })
            .await;
        assert!(
            matches!(answer, Ok(DeleteUserProfileResponse::Unauthorized(ref e)) if e.status == ErrorStatus::Error),
            "{answer:?}"
        );
        unauthorized += 4;
    }
    assert_eq!(unauthorized, 8);
    assert_eq!(memory.calls(), 0, "the router answered every one itself");
}

#[tokio::test]
async fn manage_a_body_over_the_limit_is_a_typed_413() {
    use manage::operations::*;
    use manage_samples::*;
    let config = ServerConfig {
        max_body_bytes: 256,
    };
    let (base, memory) = start(|api| manage::server::router(api, config)).await;
    let client = manage::client::Client::new(&base).expect("a valid base URL");
    let mut large = update();
    large.last_name = Some("x".repeat(1024));
    for body in [
        PutUserProfileBody::Form(large.clone()),
        PutUserProfileBody::Json(large.clone()),
    ] {
        let answer = client
            .put_user_profile(&PutUserProfileRequest {
                credentials: credentials(),
                body,
            })
            .await;
        let Ok(PutUserProfileResponse::PayloadTooLarge(error)) = answer else {
            panic!("expected a 413, got {answer:?}");
        };
        assert!(!error.message.is_empty());
    }
    assert_eq!(memory.calls(), 0);
}

// ---------------------------------------------------------------------------------------------
// rpc: multipart and form bodies, PNG uploads on two paths, the status_code/errors/data envelope
// ---------------------------------------------------------------------------------------------

mod rpc_samples {
    use super::*;
    use rpc::operations::*;
    use rpc::types;

    pub fn credentials() -> Credentials {
        Credentials {
            api_key: text(API_KEY),
            bearer: text(TOKEN),
        }
    }

    pub fn update() -> types::ProfileUpdate {
        types::ProfileUpdate {
            first_name: text("Ada"),
            last_name: text("Lovelace"),
            email: "ada@example.com".into(),
            phone_number: text("+441234567890"),
            languages: None,
            currencies: None,
            timezones: None,
            token_field: None,
            token_checksum_field: None,
        }
    }

    pub fn images() -> types::ProfileImageUpload {
        types::ProfileImageUpload {
            image: png("ada.png"),
            cropped_image: png("ada-cropped.png"),
        }
    }

    pub fn error(status: i64, message: &str) -> types::ErrorEnvelope {
        from(json!({"status_code": status, "errors": {"detail": [message]}, "data": {}}))
    }

    pub fn invalid() -> types::ValidationErrorEnvelope {
        from(
            json!({"status_code": 400, "errors": {"email": ["Enter a valid email address."]}, "data": {}}),
        )
    }

    pub fn image() -> types::ImageEnvelope {
        from(
            json!({"status_code": 200, "errors": {}, "data": {"image_url": "https://example.com/ada.png"}}),
        )
    }

    pub fn profile_answers() -> Vec<GetProfileResponse> {
        vec![
            GetProfileResponse::Ok(from(json!({"status_code": 200, "errors": {}, "data": {
                "UserProfile": [{"username": "ada", "first_name": "Ada", "last_name": "Lovelace",
                    "email": "ada@example.com", "phone_code": "+44", "phone_number": "1234567890",
                    "country_code": "GB"}],
                "ProfileImage": "/media/ada.png",
                "UserLocInfo": {"lan": "en", "tz": "Europe/London", "currency": "GBP"}}}))),
            GetProfileResponse::Unauthorized(error(401, "Invalid token.")),
        ]
    }

    pub fn update_answers() -> Vec<UpdateProfileResponse> {
        vec![
            UpdateProfileResponse::Ok(from(json!({"status_code": 200, "errors": {}, "data": {}}))),
            UpdateProfileResponse::BadRequest(invalid()),
            UpdateProfileResponse::Unauthorized(error(401, "Invalid token.")),
            UpdateProfileResponse::PayloadTooLarge(error(413, "Too large.")),
            UpdateProfileResponse::UnsupportedMediaType(error(415, "Unsupported.")),
        ]
    }

    pub fn upload_answers() -> Vec<UploadProfileImageResponse> {
        vec![
            UploadProfileImageResponse::Ok(image()),
            UploadProfileImageResponse::BadRequest(invalid()),
            UploadProfileImageResponse::Unauthorized(error(401, "Invalid token.")),
            UploadProfileImageResponse::PayloadTooLarge(error(413, "Too large.")),
            UploadProfileImageResponse::UnsupportedMediaType(error(415, "Unsupported.")),
            UploadProfileImageResponse::TooManyRequests(error(429, "Daily limit reached.")),
        ]
    }

    pub fn alias_answers() -> Vec<UploadProfileImageAliasResponse> {
        vec![
            UploadProfileImageAliasResponse::Ok(image()),
            UploadProfileImageAliasResponse::BadRequest(invalid()),
            UploadProfileImageAliasResponse::Unauthorized(error(401, "Invalid token.")),
            UploadProfileImageAliasResponse::PayloadTooLarge(error(413, "Too large.")),
            UploadProfileImageAliasResponse::UnsupportedMediaType(error(415, "Unsupported.")),
            UploadProfileImageAliasResponse::TooManyRequests(error(429, "Daily limit reached.")),
        ]
    }

    pub fn local_info_answers() -> Vec<GetLocalInfoResponse> {
        let items = json!([{"key": "en", "name": "English"}]);
        vec![
            GetLocalInfoResponse::Ok(from(json!({"status_code": 200, "errors": {}, "data": {
                "languages": items, "currencies": [{"key": "GBP", "name": "Pound"}],
                "timezones": [{"key": "Europe/London", "name": "London"}]}}))),
            GetLocalInfoResponse::Unauthorized(error(401, "Invalid token.")),
        ]
    }
}

async fn rpc_client() -> (rpc::client::Client, Arc<Memory>) {
    let (base, memory) = start(|api| rpc::server::router(api, ServerConfig::default())).await;
    (
        rpc::client::Client::new(&base).expect("a valid base URL"),
        memory,
    )
}

#[tokio::test]
async fn rpc_every_operation_answers_every_documented_status() {
    use rpc::operations::*;
    use rpc_samples::*;
    let (client, memory) = rpc_client().await;
    assert_eq!(
        statuses(&profile_answers(), GetProfileResponse::status),
        [200, 401]
    );
    assert_eq!(
        statuses(&update_answers(), UpdateProfileResponse::status),
        [200, 400, 401, 413, 415]
    );
    assert_eq!(
        statuses(&upload_answers(), UploadProfileImageResponse::status),
        [200, 400, 401, 413, 415, 429]
    );
    assert_eq!(
        statuses(&alias_answers(), UploadProfileImageAliasResponse::status),
        [200, 400, 401, 413, 415, 429]
    );
    assert_eq!(
        statuses(&local_info_answers(), GetLocalInfoResponse::status),
        [200, 401]
    );
    let mut count = 0;
    count += round_trips!(
        memory,
        client,
        get_profile,
        GetProfileRequest {
            credentials: credentials()
        },
        profile_answers()
    );
    for body in [
        UpdateProfileBody::Multipart(update()),
        UpdateProfileBody::Form(update()),
    ] {
        count += round_trips!(
            memory,
            client,
            update_profile,
            UpdateProfileRequest {
                credentials: credentials(),
                body
            },
            update_answers()
        );
    }
    count += round_trips!(
        memory,
        client,
        upload_profile_image,
        UploadProfileImageRequest {
            credentials: credentials(),
            body: UploadProfileImageBody::Multipart(images())
        },
        upload_answers()
    );
    count += round_trips!(
        memory,
        client,
        upload_profile_image_alias,
        UploadProfileImageAliasRequest {
            credentials: credentials(),
            body: UploadProfileImageAliasBody::Multipart(images())
        },
        alias_answers()
    );
    // The PNG arrived byte for byte, with its file name and media type.
    let seen: UploadProfileImageAliasRequest = memory.last();
    let UploadProfileImageAliasBody::Multipart(upload) = seen.body;
    assert_eq!(upload.image, png("ada.png"));
    count += round_trips!(
        memory,
        client,
        get_local_info,
        GetLocalInfoRequest {
            credentials: credentials()
        },
        local_info_answers()
    );
    assert_eq!(count, 2 + 2 * 5 + 6 + 6 + 2);
}

#[tokio::test]
async fn rpc_a_file_that_is_not_an_image_is_a_validation_error_on_its_field() {
    use rpc::operations::*;
    use rpc_samples::*;
    let (client, memory) = rpc_client().await;
    let mut upload = images();
    upload.cropped_image = Upload {
        filename: text("notes.txt"),
        content_type: text("text/plain"),
        bytes: b"not an image".to_vec(),
    };
    let answer = client
        .upload_profile_image(&UploadProfileImageRequest {
            credentials: credentials(),
            body: UploadProfileImageBody::Multipart(upload),
        })
        .await;
    let Ok(UploadProfileImageResponse::BadRequest(error)) = answer else {
        panic!("expected a 400, got {answer:?}");
    };
    assert_eq!(error.status_code, 400);
    assert!(error.errors.contains_key("cropped_image"), "{error:?}");
    assert!(!error.errors.contains_key("image"), "{error:?}");
    assert_eq!(memory.calls(), 0);
}

#[tokio::test]
async fn rpc_router_errors_reach_the_client_in_its_envelope() {
    use rpc::operations::*;
    use rpc_samples::*;
    let (client, memory) = rpc_client().await;

    let mut bad = update();
    bad.email = "not an email".into();
    for body in [
        UpdateProfileBody::Multipart(bad.clone()),
        UpdateProfileBody::Form(bad.clone()),
    ] {
        let answer = client
            .update_profile(&UpdateProfileRequest {
                credentials: credentials(),
                body,
            })
            .await;
        let Ok(UpdateProfileResponse::BadRequest(error)) = answer else {
            panic!("expected a 400, got {answer:?}");
        };
        assert_eq!(error.status_code, 400);
        assert!(error.errors.contains_key("email"), "{error:?}");
        assert!(error.data.is_empty());
    }

    let mut unauthorized = 0;
    for has_key in [true, false] {
        let credentials = Credentials {
            api_key: has_key.then(|| API_KEY.to_owned()),
            bearer: (!has_key).then(|| TOKEN.to_owned()),
        };
        let check = |error: &rpc::types::ErrorEnvelope| {
            assert_eq!(error.status_code, 401);
            assert!(!error.errors.detail.is_empty());
            assert!(error.data.is_empty());
        };
        match client
            .get_profile(&GetProfileRequest {
                credentials: credentials.clone(),
            })
            .await
        {
            Ok(GetProfileResponse::Unauthorized(error)) => check(&error),
            other => panic!("expected a 401, got {other:?}"),
        }
        match client
            .update_profile(&UpdateProfileRequest {
                credentials: credentials.clone(),
                body: UpdateProfileBody::Form(update()),
            })
            .await
        {
            Ok(UpdateProfileResponse::Unauthorized(error)) => check(&error),
            other => panic!("expected a 401, got {other:?}"),
        }
        match client
            .upload_profile_image(&UploadProfileImageRequest {
                credentials: credentials.clone(),
                body: UploadProfileImageBody::Multipart(images()),
            })
            .await
        {
            Ok(UploadProfileImageResponse::Unauthorized(error)) => check(&error),
            other => panic!("expected a 401, got {other:?}"),
        }
        match client
            .upload_profile_image_alias(&UploadProfileImageAliasRequest {
                credentials: credentials.clone(),
                body: UploadProfileImageAliasBody::Multipart(images()),
            })
            .await
        {
            Ok(UploadProfileImageAliasResponse::Unauthorized(error)) => check(&error),
            other => panic!("expected a 401, got {other:?}"),
        }
        match client
            .get_local_info(&GetLocalInfoRequest { credentials })
            .await
        {
            Ok(GetLocalInfoResponse::Unauthorized(error)) => check(&error),
            other => panic!("expected a 401, got {other:?}"),
        }
        unauthorized += 5;
    }
    assert_eq!(unauthorized, 10);
    assert_eq!(memory.calls(), 0, "the router answered every one itself");
}

// ---------------------------------------------------------------------------------------------
// community: an integer path id, JSON, form and multipart (with an avatar) bodies
// ---------------------------------------------------------------------------------------------

mod community_samples {
    use super::*;
    use community::operations::*;
    use community::types;

    pub fn credentials() -> Credentials {
        Credentials {
            bearer: text(TOKEN),
        }
    }

    pub fn update() -> types::UserUpdate {
        types::UserUpdate {
            username: text("ada_lovelace"),
            real_name: text("Ada Lovelace"),
            bio: text("Analyst & poet"),
            date_of_birth: text("1815-12-10"),
            website: text("https://example.com/ada"),
            ..Default::default()
        }
    }

    pub fn multipart() -> types::UserUpdateMultipart {
        types::UserUpdateMultipart {
            username: text("ada_lovelace"),
            bio: text("Analyst & poet"),
            avatar: Some(png("avatar.png")),
            ..Default::default()
        }
    }

    pub fn bodies() -> [UpdateUserBody; 3] {
        [
            UpdateUserBody::Json(update()),
            UpdateUserBody::Form(update()),
            UpdateUserBody::Multipart(multipart()),
        ]
    }

    pub fn error(detail: &str) -> types::Error {
        types::Error {
            detail: detail.into(),
        }
    }

    pub fn answers() -> Vec<UpdateUserResponse> {
        vec![
            UpdateUserResponse::Ok(types::User {
                id: Some(42),
                username: text("ada_lovelace"),
                tags: Some(vec![types::Tag {
                    id: Some(1),
                    name: text("math"),
                }]),
                ..Default::default()
            }),
            UpdateUserResponse::BadRequest(from(
                json!({"username": ["A user with that username already exists."]}),
            )),
            UpdateUserResponse::Unauthorized(error("Invalid token.")),
            UpdateUserResponse::Forbidden(error("Not yours.")),
            UpdateUserResponse::NotFound(error("Not found.")),
            UpdateUserResponse::PayloadTooLarge(error("Too large.")),
            UpdateUserResponse::UnsupportedMediaType(error("Unsupported.")),
        ]
    }
}

async fn community_client() -> (community::client::Client, Arc<Memory>) {
    let (base, memory) = start(|api| community::server::router(api, ServerConfig::default())).await;
    (
        community::client::Client::new(&base).expect("a valid base URL"),
        memory,
    )
}

#[tokio::test]
async fn community_every_operation_answers_every_documented_status() {
    use community::operations::*;
    use community_samples::*;
    let (client, memory) = community_client().await;
    assert_eq!(
        statuses(&answers(), UpdateUserResponse::status),
        [200, 400, 401, 403, 404, 413, 415]
    );
    let mut count = 0;
    for body in bodies() {
        count += round_trips!(
            memory,
            client,
            update_user,
            UpdateUserRequest {
                credentials: credentials(),
                id: 42,
                body
            },
            answers()
        );
    }
    assert_eq!(count, 3 * 7);
}

#[tokio::test]
async fn community_router_errors_reach_the_client_in_its_envelope() {
    use community::operations::*;
    use community::types::BadRequestError;
    use community_samples::*;
    let (client, memory) = community_client().await;

    let mut bad = update();
    bad.username = text("not valid!");
    for body in [
        UpdateUserBody::Json(bad.clone()),
        UpdateUserBody::Form(bad.clone()),
    ] {
        let answer = client
            .update_user(&UpdateUserRequest {
                credentials: credentials(),
                id: 42,
                body,
            })
            .await;
        let Ok(UpdateUserResponse::BadRequest(BadRequestError::ValidationError(error))) = answer
        else {
            panic!("expected a 400 with field errors, got {answer:?}");
        };
        assert!(
            error.additional_properties.contains_key("username"),
            "{error:?}"
        );
    }

    for body in bodies() {
        let answer = client
            .update_user(&UpdateUserRequest {
                credentials: Credentials::default(),
                id: 42,
                body,
            })
            .await;
        let Ok(UpdateUserResponse::Unauthorized(error)) = answer else {
            panic!("expected a 401, got {answer:?}");
        };
        assert!(!error.detail.is_empty());
    }
    assert_eq!(memory.calls(), 0, "the router answered every one itself");
}

// ---------------------------------------------------------------------------------------------
// billing: a UUID path parameter, the API key in the query, FastAPI's 422 envelope
// ---------------------------------------------------------------------------------------------

mod billing_samples {
    use super::*;
    use billing::operations::*;
    use billing::types;

    pub const USER: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

    pub fn credentials() -> Credentials {
        Credentials {
            api_key: text("in-secret-0123456789"),
        }
    }

    pub fn update() -> types::UserUpdate {
        types::UserUpdate {
            first_name: text("Ada"),
            email: text("ada@example.com"),
            birthdate: text("1815-12-10T00:00:00+00:00"),
            is_superuser: Some(true),
            ..Default::default()
        }
    }

    pub fn request(body: types::UserUpdate) -> UpdateUserRequest {
        UpdateUserRequest {
            credentials: credentials(),
            user_id: USER.into(),
            body: UpdateUserBody::Json(body),
        }
    }

    pub fn error(detail: &str) -> types::Error {
        types::Error {
            detail: detail.into(),
        }
    }

    pub fn answers() -> Vec<UpdateUserResponse> {
        vec![
            UpdateUserResponse::Ok(from(
                json!({"message": "Data updated successfully", "meta": {},
                "data": {"first_name": "Ada", "last_name": null, "email": "ada@example.com",
                    "id": USER, "is_active": true, "is_superuser": false, "is_enterprise": false,
                    "stripe_has_payment_method": false, "is_trial": false, "used_trial": false,
                    "is_paying": false, "follower_count": 3, "following_count": 5}}),
            )),
            UpdateUserResponse::Unauthorized(error("Invalid API key.")),
            UpdateUserResponse::Forbidden(error("Not yours.")),
            UpdateUserResponse::NotFound(error("Not found.")),
            UpdateUserResponse::PayloadTooLarge(error("Too large.")),
            UpdateUserResponse::UnprocessableEntity(from(json!({"detail": [
                {"loc": ["body", "email"], "msg": "value is not a valid email address", "type": "value_error"}]}))),
        ]
    }
}

async fn billing_client() -> (billing::client::Client, Arc<Memory>) {
    let (base, memory) = start(|api| billing::server::router(api, ServerConfig::default())).await;
    (
        billing::client::Client::new(&base).expect("a valid base URL"),
        memory,
    )
}

#[tokio::test]
async fn billing_every_operation_answers_every_documented_status() {
    use billing::operations::*;
    use billing_samples::*;
    let (client, memory) = billing_client().await;
    assert_eq!(
        statuses(&answers(), UpdateUserResponse::status),
        [200, 401, 403, 404, 413, 422]
    );
    let count = round_trips!(memory, client, update_user, request(update()), answers());
    assert_eq!(count, 6);
}

#[tokio::test]
async fn billing_router_errors_reach_the_client_in_its_envelope() {
    use billing::operations::*;
    use billing::types::ValidationErrorItemLocItem as Loc;
    use billing_samples::*;
    let (client, memory) = billing_client().await;
    let loc = |parts: &[&str]| {
        parts
            .iter()
            .map(|part| Loc::String((*part).into()))
            .collect::<Vec<_>>()
    };

    // A body field and a path parameter, each at its location.
    let mut bad = update();
    bad.email = text("not an email");
    let answer = client.update_user(&request(bad)).await;
    let Ok(UpdateUserResponse::UnprocessableEntity(error)) = answer else {
        panic!("expected a 422, got {answer:?}");
    };
    assert_eq!(error.detail.len(), 1, "{error:?}");
    assert_eq!(error.detail[0].loc, loc(&["body", "email"]));
    assert!(!error.detail[0].msg.is_empty());

    let mut not_uuid = request(update());
    not_uuid.user_id = "not-a-uuid".into();
    let answer = client.update_user(&not_uuid).await;
    let Ok(UpdateUserResponse::UnprocessableEntity(error)) = answer else {
        panic!("expected a 422, got {answer:?}");
    };
    assert!(
        error
            .detail
            .iter()
            .any(|item| item.loc == loc(&["path", "user_id"])),
        "{error:?}"
    );

    // The API key missing, and one without the `in-` prefix every key has.
    for api_key in [None, text("secret-without-prefix")] {
        let mut unauthorized = request(update());
        unauthorized.credentials.api_key = api_key;
        let answer = client.update_user(&unauthorized).await;
        let Ok(UpdateUserResponse::Unauthorized(error)) = answer else {
            panic!("expected a 401, got {answer:?}");
        };
        assert!(!error.detail.is_empty());
    }
    assert_eq!(memory.calls(), 0, "the router answered every one itself");
}

// ---------------------------------------------------------------------------------------------
// cl2c: camelCase JSON, tenant + API key headers, problem details and the gateway envelope
// ---------------------------------------------------------------------------------------------

mod cl2c_samples {
    use super::*;
    use cl2c::operations::*;
    use cl2c::types;

    pub fn credentials() -> Credentials {
        Credentials {
            tenant: text("tenant-7"),
            api_key: text(API_KEY),
        }
    }

    pub fn update() -> types::ProfileUpdate {
        types::ProfileUpdate {
            id: text("u-1"),
            first_name: "Ada".into(),
            last_name: text("Lovelace"),
            phone_number: text("+441234567890"),
            push_token: text("push-1"),
        }
    }

    pub fn request(body: types::ProfileUpdate) -> UpdateProfileRequest {
        UpdateProfileRequest {
            credentials: credentials(),
            body: UpdateProfileBody::Json(body),
        }
    }

    pub fn gateway(status: i64, message: &str) -> types::DefaultError {
        types::DefaultError {
            messages: vec![message.into()],
            source: "API Gateway".into(),
            exception: "CL2C.ApiException".into(),
            error_id: "err-000001".into(),
            support_message: "Please contact support with this error ID.".into(),
            status_code: status,
        }
    }

    pub fn answers() -> Vec<UpdateProfileResponse> {
        vec![
            UpdateProfileResponse::Ok(types::Profile {
                id: "u-1".into(),
                user_name: "ada".into(),
                first_name: "Ada".into(),
                last_name: text("Lovelace"),
                email: "ada@example.com".into(),
                email_confirmed: true,
                authenticated: true,
                auth_valid_upto: None,
                auth_location: None,
                phone_number: text("+441234567890"),
                wallet_address: None,
            }),
            UpdateProfileResponse::BadRequest(types::ProblemDetails {
                r#type: "https://tools.ietf.org/html/rfc9110#section-15.5.1".into(),
                title: "One or more validation errors occurred.".into(),
                status: 400,
                detail: "Validation failed.".into(),
                instance: "err-000002".into(),
                errors: [(
                    "firstName".to_owned(),
                    vec!["First name is required".to_owned()],
                )]
                .into(),
            }),
            UpdateProfileResponse::Unauthorized(gateway(401, "Unauthorized.")),
            UpdateProfileResponse::Forbidden(gateway(403, "Not yours.")),
            UpdateProfileResponse::PayloadTooLarge(gateway(413, "Too large.")),
            UpdateProfileResponse::UnsupportedMediaType(gateway(415, "Unsupported.")),
        ]
    }
}

async fn cl2c_client() -> (cl2c::client::Client, Arc<Memory>) {
    let (base, memory) = start(|api| cl2c::server::router(api, ServerConfig::default())).await;
    (
        cl2c::client::Client::new(&base).expect("a valid base URL"),
        memory,
    )
}

#[tokio::test]
async fn cl2c_every_operation_answers_every_documented_status() {
    use cl2c::operations::*;
    use cl2c_samples::*;
    let (client, memory) = cl2c_client().await;
    assert_eq!(
        statuses(&answers(), UpdateProfileResponse::status),
        [200, 400, 401, 403, 413, 415]
    );
    let count = round_trips!(memory, client, update_profile, request(update()), answers());
    assert_eq!(count, 6);
}

#[tokio::test]
async fn cl2c_router_errors_reach_the_client_in_its_envelope() {
    use cl2c::operations::*;
    use cl2c_samples::*;
    let (client, memory) = cl2c_client().await;

    let mut bad = update();
    bad.phone_number = text("12345");
    let answer = client.update_profile(&request(bad)).await;
    let Ok(UpdateProfileResponse::BadRequest(problem)) = answer else {
        panic!("expected a 400, got {answer:?}");
    };
    assert_eq!(problem.status, 400);
    assert!(
        problem.errors.contains_key("phoneNumber"),
        "camelCase field names: {problem:?}"
    );
    assert!(!problem.instance.is_empty());

    for has_tenant in [true, false] {
        let mut unauthorized = request(update());
        unauthorized.credentials = Credentials {
            tenant: has_tenant.then(|| "tenant-7".to_owned()),
            api_key: (!has_tenant).then(|| API_KEY.to_owned()),
        };
        let answer = client.update_profile(&unauthorized).await;
        let Ok(UpdateProfileResponse::Unauthorized(error)) = answer else {
            panic!("expected a 401, got {answer:?}");
        };
        assert_eq!(error.status_code, 401);
        assert_eq!(error.source, "API Gateway");
        assert!(
            !error.messages.is_empty() && !error.error_id.is_empty(),
            "{error:?}"
        );
    }
    assert_eq!(memory.calls(), 0, "the router answered every one itself");
}

// ---------------------------------------------------------------------------------------------
// canonical: string path ids (encoded), JSON bodies, a multipart upload, problem details
// ---------------------------------------------------------------------------------------------

mod canonical_samples {
    use super::*;
    use canonical::operations::*;
    use canonical::types;

    /// An id with characters that must be percent-encoded in a path segment.
    pub const ID: &str = "ada lovelace/1?#%";

    pub fn credentials() -> Credentials {
        Credentials {
            api_key: text(API_KEY),
            bearer: text(TOKEN),
        }
    }

    pub fn profile() -> types::Profile {
        types::Profile {
            id: text("u-1"),
            first_name: text("Ada"),
            email: text("ada@example.com"),
            followers_count: Some(3),
            community_badge: Some(true),
            ..Default::default()
        }
    }

    pub fn replace() -> types::ProfileReplace {
        from(json!({"first_name": "Ada", "email": "ada@example.com", "bio": "Analyst"}))
    }

    pub fn patch() -> types::ProfilePatch {
        types::ProfilePatch {
            last_name: text("Lovelace"),
            website: text("https://example.com/ada"),
            ..Default::default()
        }
    }

    pub fn problem(status: i64, detail: &str) -> types::Problem {
        types::Problem {
            r#type: "about:blank".into(),
            title: text("Request failed"),
            status,
            detail: detail.into(),
            instance: None,
            errors: None,
        }
    }

    pub fn invalid() -> types::Problem {
        types::Problem {
            r#type: "about:blank".into(),
            title: text("Validation failed"),
            status: 400,
            detail: "Validation failed.".into(),
            instance: None,
            errors: Some(
                [(
                    "email".to_owned(),
                    vec!["Enter a valid email address.".to_owned()],
                )]
                .into(),
            ),
        }
    }
}

async fn canonical_client() -> (canonical::client::Client, Arc<Memory>) {
    let (base, memory) = start(|api| {
        // Served under a prefix, as behind a gateway: the client appends to its base path.
        axum::Router::new().nest(
            "/api/v1",
            canonical::server::router(api, ServerConfig::default()),
        )
    })
    .await;
    (
        canonical::client::Client::new(&format!("{base}/api/v1")).expect("a valid base URL"),
        memory,
    )
}

#[tokio::test]
async fn canonical_every_operation_answers_every_documented_status() {
    use canonical::operations::*;
    use canonical_samples::*;
    let (client, memory) = canonical_client().await;
    let mut count = 0;

    let answers = vec![
        GetProfileResponse::Ok(profile()),
        GetProfileResponse::Unauthorized(problem(401, "No credentials.")),
        GetProfileResponse::Forbidden(problem(403, "Not yours.")),
        GetProfileResponse::NotFound(problem(404, "No such profile.")),
    ];
    assert_eq!(
        statuses(&answers, GetProfileResponse::status),
        [200, 401, 403, 404]
    );
    count += round_trips!(
        memory,
        client,
        get_profile,
        GetProfileRequest {
            credentials: credentials(),
            id: ID.into()
        },
        answers
    );

    let answers = vec![
        ReplaceProfileResponse::Ok(profile()),
        ReplaceProfileResponse::BadRequest(invalid()),
        ReplaceProfileResponse::Unauthorized(problem(401, "No credentials.")),
        ReplaceProfileResponse::Forbidden(problem(403, "Not yours.")),
        ReplaceProfileResponse::NotFound(problem(404, "No such profile.")),
        ReplaceProfileResponse::Conflict(problem(409, "Username taken.")),
        ReplaceProfileResponse::PayloadTooLarge(problem(413, "Too large.")),
        ReplaceProfileResponse::UnsupportedMediaType(problem(415, "Unsupported.")),
    ];
    assert_eq!(
        statuses(&answers, ReplaceProfileResponse::status),
        [200, 400, 401, 403, 404, 409, 413, 415]
    );
    count += round_trips!(
        memory,
        client,
        replace_profile,
        ReplaceProfileRequest {
            credentials: credentials(),
            id: ID.into(),
            body: ReplaceProfileBody::Json(replace())
        },
        answers
    );

    let answers = vec![
        DeleteProfileResponse::Ok(profile()),
        DeleteProfileResponse::Unauthorized(problem(401, "No credentials.")),
        DeleteProfileResponse::Forbidden(problem(403, "Not yours.")),
        DeleteProfileResponse::NotFound(problem(404, "No such profile.")),
    ];
    assert_eq!(
        statuses(&answers, DeleteProfileResponse::status),
        [200, 401, 403, 404]
    );
    count += round_trips!(
        memory,
        client,
        delete_profile,
        DeleteProfileRequest {
            credentials: credentials(),
            id: ID.into()
        },
        answers
    );

    let answers = vec![
        UpdateProfileResponse::Ok(profile()),
        UpdateProfileResponse::BadRequest(invalid()),
        UpdateProfileResponse::Unauthorized(problem(401, "No credentials.")),
        UpdateProfileResponse::Forbidden(problem(403, "Not yours.")),
        UpdateProfileResponse::NotFound(problem(404, "No such profile.")),
        UpdateProfileResponse::Conflict(problem(409, "Username taken.")),
        UpdateProfileResponse::PayloadTooLarge(problem(413, "Too large.")),
        UpdateProfileResponse::UnsupportedMediaType(problem(415, "Unsupported.")),
    ];
    assert_eq!(
        statuses(&answers, UpdateProfileResponse::status),
        [200, 400, 401, 403, 404, 409, 413, 415]
    );
    count += round_trips!(
        memory,
        client,
        update_profile,
        UpdateProfileRequest {
            credentials: credentials(),
            id: ID.into(),
            body: UpdateProfileBody::Json(patch())
        },
        answers
    );

    let answers = vec![
        UploadProfileImageResponse::Ok(canonical::types::ProfileImage {
            image_url: "https://example.com/ada.png".into(),
        }),
        UploadProfileImageResponse::BadRequest(invalid()),
        UploadProfileImageResponse::Unauthorized(problem(401, "No credentials.")),
        UploadProfileImageResponse::Forbidden(problem(403, "Not yours.")),
        UploadProfileImageResponse::NotFound(problem(404, "No such profile.")),
        UploadProfileImageResponse::PayloadTooLarge(problem(413, "Too large.")),
        UploadProfileImageResponse::UnsupportedMediaType(problem(415, "Unsupported.")),
        UploadProfileImageResponse::TooManyRequests(problem(429, "Daily limit reached.")),
    ];
    assert_eq!(
        statuses(&answers, UploadProfileImageResponse::status),
        [200, 400, 401, 403, 404, 413, 415, 429]
    );
    let images = canonical::types::ProfileImageUpload {
        image: png("ada.png"),
        cropped_image: png("ada-cropped.png"),
    };
    count += round_trips!(
        memory,
        client,
        upload_profile_image,
        UploadProfileImageRequest {
            credentials: credentials(),
            id: ID.into(),
            body: UploadProfileImageBody::Multipart(images)
        },
        answers
    );

    let answers = vec![
        GetLocalInfoResponse::Ok(canonical::types::LocalInfo {
            languages: vec![canonical::types::LocalInfoItem {
                key: "en".into(),
                name: "English".into(),
            }],
            currencies: Vec::new(),
            timezones: Vec::new(),
        }),
        GetLocalInfoResponse::Unauthorized(problem(401, "No credentials.")),
    ];
    assert_eq!(statuses(&answers, GetLocalInfoResponse::status), [200, 401]);
    count += round_trips!(
        memory,
        client,
        get_local_info,
        GetLocalInfoRequest {
            credentials: credentials()
        },
        answers
    );

    let answers = vec![
        VerifyEmailChangeResponse::Ok(profile()),
        VerifyEmailChangeResponse::BadRequest(invalid()),
        VerifyEmailChangeResponse::Unauthorized(problem(401, "No credentials.")),
        VerifyEmailChangeResponse::Forbidden(problem(403, "Not yours.")),
        VerifyEmailChangeResponse::NotFound(problem(404, "No such profile.")),
        VerifyEmailChangeResponse::PayloadTooLarge(problem(413, "Too large.")),
        VerifyEmailChangeResponse::UnsupportedMediaType(problem(415, "Unsupported.")),
    ];
    assert_eq!(
        statuses(&answers, VerifyEmailChangeResponse::status),
        [200, 400, 401, 403, 404, 413, 415]
    );
    let change = canonical::types::EmailChange {
        email: "ada@example.org".into(),
        token: "token-1".into(),
        token_checksum: "checksum-1".into(),
    };
    count += round_trips!(
        memory,
        client,
        verify_email_change,
        VerifyEmailChangeRequest {
            credentials: credentials(),
            id: ID.into(),
            body: VerifyEmailChangeBody::Json(change)
        },
        answers
    );

    assert_eq!(count, 4 + 8 + 4 + 8 + 8 + 2 + 7);
}

#[tokio::test]
async fn canonical_router_errors_reach_the_client_in_its_envelope() {
    use canonical::operations::*;
    use canonical_samples::*;
    let (client, memory) = canonical_client().await;

    let mut bad: canonical::types::ProfileReplace = replace();
    bad.email = "not an email".into();
    let answer = client
        .replace_profile(&ReplaceProfileRequest {
            credentials: credentials(),
            id: ID.into(),
            body: ReplaceProfileBody::Json(bad),
        })
        .await;
    let Ok(ReplaceProfileResponse::BadRequest(problem)) = answer else {
        panic!("expected a 400, got {answer:?}");
    };
    assert_eq!(problem.status, 400);
    assert!(
        problem
            .errors
            .as_ref()
            .is_some_and(|errors| errors.contains_key("email")),
        "{problem:?}"
    );

    let mut unauthorized = 0;
    for has_key in [true, false] {
        let credentials = Credentials {
            api_key: has_key.then(|| API_KEY.to_owned()),
            bearer: (!has_key).then(|| TOKEN.to_owned()),
        };
        let id = String::from(ID);
        let check = |problem: &canonical::types::Problem| {
            assert_eq!(problem.status, 401);
            assert_eq!(problem.r#type, "about:blank");
            assert!(!problem.detail.is_empty());
        };
        let statuses = [
            match client
                .get_profile(&GetProfileRequest {
                    credentials: credentials.clone(),
                    id: id.clone(),
                })
                .await
            {
                Ok(GetProfileResponse::Unauthorized(problem)) => check(&problem),
                other => panic!("expected a 401, got {other:?}"),
            },
            match client
                .replace_profile(&ReplaceProfileRequest {
                    credentials: credentials.clone(),
                    id: id.clone(),
                    body: ReplaceProfileBody::Json(replace()),
                })
                .await
            {
                Ok(ReplaceProfileResponse::Unauthorized(problem)) => check(&problem),
                other => panic!("expected a 401, got {other:?}"),
            },
            match client
                .delete_profile(&DeleteProfileRequest {
                    credentials: credentials.clone(),
                    id: id.clone(),
                })
                .await
            {
                Ok(DeleteProfileResponse::Unauthorized(problem)) => check(&problem),
                other => panic!("expected a 401, got {other:?}"),
            },
            match client
                .update_profile(&UpdateProfileRequest {
                    credentials: credentials.clone(),
                    id: id.clone(),
                    body: UpdateProfileBody::Json(patch()),
                })
                .await
            {
                Ok(UpdateProfileResponse::Unauthorized(problem)) => check(&problem),
                other => panic!("expected a 401, got {other:?}"),
            },
            match client
                .upload_profile_image(&UploadProfileImageRequest {
                    credentials: credentials.clone(),
                    id: id.clone(),
                    body: UploadProfileImageBody::Multipart(canonical::types::ProfileImageUpload {
                        image: png("a.png"),
                        cropped_image: png("b.png"),
                    }),
                })
                .await
            {
                Ok(UploadProfileImageResponse::Unauthorized(problem)) => check(&problem),
                other => panic!("expected a 401, got {other:?}"),
            },
            match client
                .get_local_info(&GetLocalInfoRequest {
                    credentials: credentials.clone(),
                })
                .await
            {
                Ok(GetLocalInfoResponse::Unauthorized(problem)) => check(&problem),
                other => panic!("expected a 401, got {other:?}"),
            },
            match client
                .verify_email_change(&VerifyEmailChangeRequest {
                    credentials,
                    id,
                    body: VerifyEmailChangeBody::Json(canonical::types::EmailChange {
                        email: "ada@example.org".into(),
                        token: "t".into(),
                        token_checksum: "c".into(),
                    }),
                })
                .await
            {
                Ok(VerifyEmailChangeResponse::Unauthorized(problem)) => check(&problem),
                other => panic!("expected a 401, got {other:?}"),
            },
        ];
        unauthorized += statuses.len();
    }
    assert_eq!(unauthorized, 14);
    assert_eq!(memory.calls(), 0, "the router answered every one itself");
}

// ---------------------------------------------------------------------------------------------
// What only the client decides
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_undocumented_status_is_an_error_with_the_body() {
    use rpc::operations::*;
    // The router answers 404 for a path it does not have; getProfile documents 200 and 401.
    let (base, memory) = start(|api| rpc::server::router(api, ServerConfig::default())).await;
    let client = rpc::client::Client::new(&format!("{base}/wrong/prefix/")).unwrap();
    let answer = client
        .get_profile(&GetProfileRequest {
            credentials: rpc_samples::credentials(),
        })
        .await;
    let Err(ClientError::UnexpectedStatus { status, body }) = answer else {
        panic!("expected an undocumented status, got {answer:?}");
    };
    assert_eq!(status, 404);
    let envelope: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        envelope["status_code"], 404,
        "the body is rpc's envelope: {body}"
    );
    assert_eq!(memory.calls(), 0);
}

#[tokio::test]
async fn a_body_that_does_not_decode_is_a_decode_error() {
    let router =
        axum::Router::new().fallback(|| async { (axum::http::StatusCode::OK, "{\"id\": 7}") });
    let base = serve(router).await;
    let client = cl2c::client::Client::new(&base).expect("a valid base URL");
    let answer = client
        .update_profile(&cl2c_samples::request(cl2c_samples::update()))
        .await;
    let Err(ClientError::Decode { status, message }) = answer else {
        panic!("expected a decode error, got {answer:?}");
    };
    assert_eq!(status, 200);
    assert!(!message.is_empty());
}

#[tokio::test]
async fn credentials_never_show_in_errors() {
    // Nothing listens on port 1: the request fails with the API key in its query.
    let client = billing::client::Client::new("http://127.0.0.1:1/").unwrap();
    let request = billing_samples::request(billing_samples::update());
    let error = client.update_user(&request).await.unwrap_err();
    assert!(matches!(error, ClientError::Transport { .. }), "{error:?}");
    let key = request.credentials.api_key.clone().unwrap();
    for shown in [
        format!("{error}"),
        format!("{error:?}"),
        format!("{request:?}"),
        format!("{client:?}"),
    ] {
        assert!(!shown.contains(&key), "{shown}");
    }

    // A credential a header cannot carry is refused before anything is sent, by name only.
    let client = cl2c::client::Client::new("http://127.0.0.1:1/").unwrap();
    let mut request = cl2c_samples::request(cl2c_samples::update());
    request.credentials.api_key = text("line\nbreak-secret");
    let error = client.update_profile(&request).await.unwrap_err();
    let ClientError::InvalidRequest { message } = &error else {
        panic!("expected an invalid request, got {error:?}");
    };
    assert!(
        message.contains("X-API-Key") && !message.contains("secret"),
        "{message}"
    );
}

#[tokio::test]
async fn base_urls_are_checked() {
    for bad in ["not a url", "ftp://example.com/", "mailto:ada@example.com"] {
        let error = manage::client::Client::new(bad).unwrap_err();
        assert!(
            matches!(error, ClientError::InvalidBaseUrl { .. }),
            "{bad}: {error:?}"
        );
    }
    let client =
        manage::client::Client::new("https://user:password@example.com/api/v1?x=1").unwrap();
    let shown = format!("{client:?}");
    assert!(
        shown.contains("https://example.com/api/v1") && !shown.contains("password"),
        "{shown}"
    );
    assert_eq!(
        client.base_url().as_str(),
        "https://user:password@example.com/api/v1?x=1"
    );
}

#[tokio::test]
async fn a_path_parameter_cannot_leave_its_segment() {
    use canonical::operations::*;
    let (client, memory) = canonical_client().await;
    for id in ["", ".", ".."] {
        let answer = client
            .get_profile(&GetProfileRequest {
                credentials: canonical_samples::credentials(),
                id: id.into(),
            })
            .await;
        assert!(
            matches!(answer, Err(ClientError::InvalidRequest { .. })),
            "{id:?}: {answer:?}"
        );
    }
    assert_eq!(memory.calls(), 0);
}

#[tokio::test]
async fn redirects_to_another_origin_are_not_followed() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // Another origin, which must never see the request (nor its credentials).
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&hits);
    let elsewhere = serve(axum::Router::new().fallback(move || {
        counted.fetch_add(1, Ordering::SeqCst);
        async { "{}" }
    }))
    .await;
    let target = format!("{elsewhere}/v1/cl2c/user");
    let redirecting = serve(axum::Router::new().fallback(move || async move {
        (
            axum::http::StatusCode::TEMPORARY_REDIRECT,
            [(axum::http::header::LOCATION, target)],
        )
    }))
    .await;
    let client = cl2c::client::Client::new(&redirecting).expect("a valid base URL");
    let answer = client
        .update_profile(&cl2c_samples::request(cl2c_samples::update()))
        .await;
    assert!(
        matches!(
            answer,
            Err(ClientError::UnexpectedStatus { status: 307, .. })
        ),
        "{answer:?}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_client_can_send_through_the_callers_http_client() {
    use community::operations::*;
    use community_samples::*;
    profile_api::support::client::install_tls_provider();
    let http = reqwest::Client::builder()
        .user_agent("round-trip-test")
        .build()
        .expect("an HTTP client");
    let (base, memory) = start(|api| community::server::router(api, ServerConfig::default())).await;
    let client = community::client::Client::with_http(&base, http).expect("a valid base URL");
    let count = round_trips!(
        memory,
        client,
        update_user,
        UpdateUserRequest {
            credentials: credentials(),
            id: 7,
            body: UpdateUserBody::Json(update()),
        },
        answers().into_iter().take(1),
    );
    assert_eq!(count, 1);
}
