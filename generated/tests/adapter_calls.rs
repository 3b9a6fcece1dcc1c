//! The generated `Adapter`s end to end: a canonical request through each dialect's adapter,
//! its client and HTTP, into the dialect's generated router backed by [`Memory`] (which
//! answers whatever the test queued and records what it was handed), and the answer back as
//! the canonical response.

#![cfg(all(feature = "server", feature = "client"))]

use std::any::Any;
use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex};

use profile_api::adapters;
use profile_api::support::{AdapterError, ServerConfig};
use profile_api::{billing, canonical, cl2c, community, manage, rpc};

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
            .expect("not poisoned")
            .push_back(Box::new(answer));
    }

    fn take<R: Any + Send, T: Any>(&self, request: R) -> T {
        self.requests
            .lock()
            .expect("not poisoned")
            .push(Box::new(request));
        let answer = self
            .answers
            .lock()
            .expect("not poisoned")
            .pop_front()
            .expect("the test queued an answer");
        *answer
            .downcast::<T>()
            .expect("the queued answer is this operation's response")
    }

    fn calls(&self) -> usize {
        self.requests.lock().expect("not poisoned").len()
    }

    fn last<R: Any + Clone>(&self) -> R {
        self.requests
            .lock()
            .expect("not poisoned")
            .last()
            .and_then(|request| request.downcast_ref::<R>())
            .cloned()
            .expect("the implementation saw a request of this operation")
    }
}

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

/// Serves the router `make` builds around a fresh [`Memory`]; the base URL and the memory.
async fn start(make: impl FnOnce(Arc<Memory>) -> axum::Router) -> (String, Arc<Memory>) {
    let memory = Arc::new(Memory::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let address = listener.local_addr().expect("a bound address");
    let router = make(Arc::clone(&memory));
    tokio::spawn(async move { axum::serve(listener, router).await });
    (format!("http://{address}"), memory)
}

fn credentials() -> canonical::operations::Credentials {
    canonical::operations::Credentials {
        api_key: Some("in-key".into()),
        bearer: Some("token".into()),
    }
}

fn text(value: &str) -> Option<String> {
    Some(value.to_owned())
}

fn patch(body: canonical::types::ProfilePatch) -> canonical::operations::UpdateProfileRequest {
    canonical::operations::UpdateProfileRequest {
        credentials: credentials(),
        id: "u-1".into(),
        body: canonical::operations::UpdateProfileBody::Json(body),
    }
}

// ---------------------------------------------------------------------------------------------
// manage
// ---------------------------------------------------------------------------------------------

async fn manage_adapter() -> (adapters::manage::Adapter, Arc<Memory>) {
    let (base, memory) =
        start(|memory| manage::server::router(memory, ServerConfig::default())).await;
    let client = manage::client::Client::new(&base).expect("a valid base URL");
    (
        adapters::manage::Adapter::new(client, Default::default()),
        memory,
    )
}

fn manage_profile() -> manage::types::Profile {
    manage::types::Profile {
        user_id: "u-1".into(),
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        email: "ada@example.com".into(),
        phone_number: "+441234567890".into(),
        profile_picture: "https://example.com/a.png".into(),
    }
}

#[tokio::test]
async fn manage_get_profile_sends_the_id_as_user_id() {
    let (adapter, memory) = manage_adapter().await;
    memory.answer(manage::operations::GetUserProfileResponse::Ok(
        manage::types::ProfileResponse {
            status: manage::types::ProfileResponseStatus::Success,
            data: manage_profile(),
        },
    ));
    let request = canonical::operations::GetProfileRequest {
        credentials: credentials(),
        id: "u-1".into(),
    };
    let answer = adapter
        .get_profile(&request)
        .await
        .expect("a canonical answer");
    let canonical::operations::GetProfileResponse::Ok(profile) = answer else {
        panic!("expected Ok, got {answer:?}");
    };
    assert_eq!(profile.id.as_deref(), Some("u-1"));
    assert_eq!(
        profile.image_url.as_deref(),
        Some("https://example.com/a.png")
    );
    let sent: manage::operations::GetUserProfileRequest = memory.last();
    assert_eq!(sent.user_id, "u-1");
    assert_eq!(sent.credentials.api_key.as_deref(), Some("in-key"));
    assert_eq!(sent.credentials.bearer.as_deref(), Some("token"));
}

#[tokio::test]
async fn manage_update_puts_the_id_into_the_body_and_renames_error_fields() {
    let (adapter, memory) = manage_adapter().await;
    memory.answer(manage::operations::PostUserProfileResponse::BadRequest(
        manage::types::ValidationError {
            status: manage::types::ValidationErrorStatus::Error,
            message: "Invalid input.".into(),
            errors: [(
                "profile_picture".to_owned(),
                vec!["Enter a valid URL.".to_owned()],
            )]
            .into(),
        },
    ));
    let request = patch(canonical::types::ProfilePatch {
        image_url: text("https://example.com/new.png"),
        ..Default::default()
    });
    let answer = adapter
        .update_profile(&request)
        .await
        .expect("a canonical answer");
    let canonical::operations::UpdateProfileResponse::BadRequest(problem) = answer else {
        panic!("expected BadRequest, got {answer:?}");
    };
    assert_eq!(problem.status, 400);
    assert_eq!(problem.detail, "Invalid input.");
    assert_eq!(
        problem.errors.unwrap_or_default()["image_url"],
        vec!["Enter a valid URL.".to_owned()]
    );
    let sent: manage::operations::PostUserProfileRequest = memory.last();
    let manage::operations::PostUserProfileBody::Json(body) = sent.body else {
        panic!("the adapter sends JSON");
    };
    assert_eq!(body.user_id, "u-1");
    assert_eq!(
        body.profile_picture.as_deref(),
        Some("https://example.com/new.png")
    );
}

#[tokio::test]
async fn manage_not_found_is_the_canonical_not_found() {
    let (adapter, memory) = manage_adapter().await;
    memory.answer(manage::operations::DeleteUserProfileResponse::NotFound(
        manage::types::Error {
            status: manage::types::ErrorStatus::Error,
            message: "User not found.".into(),
        },
    ));
    let request = canonical::operations::DeleteProfileRequest {
        credentials: credentials(),
        id: "u-9".into(),
    };
    let answer = adapter
        .delete_profile(&request)
        .await
        .expect("a canonical answer");
    let canonical::operations::DeleteProfileResponse::NotFound(problem) = answer else {
        panic!("expected NotFound, got {answer:?}");
    };
    assert_eq!(
        (problem.status, problem.detail.as_str()),
        (404, "User not found.")
    );
    assert_eq!(problem.title.as_deref(), Some("Request failed"));
}

#[tokio::test]
async fn manage_unsupported_operations_call_nothing() {
    let (adapter, memory) = manage_adapter().await;
    let request = canonical::operations::GetLocalInfoRequest {
        credentials: credentials(),
    };
    let error = adapter
        .get_local_info(&request)
        .await
        .expect_err("manage has no local info");
    assert!(matches!(
        error,
        AdapterError::Unsupported {
            operation: "getLocalInfo",
            ..
        }
    ));
    assert_eq!(adapters::error_problem(&error).status, 501);
    assert_eq!(memory.calls(), 0);
}

// ---------------------------------------------------------------------------------------------
// rpc
// ---------------------------------------------------------------------------------------------

async fn rpc_adapter() -> (adapters::rpc::Adapter, Arc<Memory>) {
    let (base, memory) = start(|memory| rpc::server::router(memory, ServerConfig::default())).await;
    let client = rpc::client::Client::new(&base).expect("a valid base URL");
    (
        adapters::rpc::Adapter::new(client, Default::default()),
        memory,
    )
}

#[tokio::test]
async fn rpc_get_profile_reads_the_nested_data() {
    let (adapter, memory) = rpc_adapter().await;
    memory.answer(rpc::operations::GetProfileResponse::Ok(
        rpc::types::ProfileEnvelope {
            status_code: 200,
            errors: Default::default(),
            data: rpc::types::ProfileData {
                user_profile: vec![rpc::types::UserProfileItem {
                    username: "ada".into(),
                    first_name: "Ada".into(),
                    last_name: "Lovelace".into(),
                    email: "ada@example.com".into(),
                    phone_code: "+44".into(),
                    phone_number: "1234567890".into(),
                    country_code: "GB".into(),
                }],
                profile_image: "https://example.com/a.png".into(),
                user_loc_info: rpc::types::UserLocInfo {
                    lan: "en".into(),
                    tz: "UTC".into(),
                    currency: "GBP".into(),
                },
            },
        },
    ));
    let request = canonical::operations::GetProfileRequest {
        credentials: credentials(),
        id: "me".into(),
    };
    let answer = adapter
        .get_profile(&request)
        .await
        .expect("a canonical answer");
    let canonical::operations::GetProfileResponse::Ok(profile) = answer else {
        panic!("expected Ok, got {answer:?}");
    };
    assert_eq!(profile.first_name.as_deref(), Some("Ada"));
    assert_eq!(profile.timezone.as_deref(), Some("UTC"));
    assert_eq!(profile.id, None, "rpc exposes no id");
}

#[tokio::test]
async fn rpc_update_answers_an_empty_profile_and_requires_email() {
    let (adapter, memory) = rpc_adapter().await;
    memory.answer(rpc::operations::UpdateProfileResponse::Ok(
        rpc::types::EmptyEnvelope {
            status_code: 200,
            errors: Default::default(),
            data: Default::default(),
        },
    ));
    let request = patch(canonical::types::ProfilePatch {
        email: text("ada@example.com"),
        language: text("fr"),
        ..Default::default()
    });
    let answer = adapter
        .update_profile(&request)
        .await
        .expect("a canonical answer");
    assert_eq!(
        answer,
        canonical::operations::UpdateProfileResponse::Ok(Default::default())
    );
    let sent: rpc::operations::UpdateProfileRequest = memory.last();
    let body = match sent.body {
        rpc::operations::UpdateProfileBody::Multipart(body)
        | rpc::operations::UpdateProfileBody::Form(body) => body,
    };
    assert_eq!(body.languages.as_deref(), Some("fr"));

    let without_email = patch(canonical::types::ProfilePatch::default());
    let error = adapter
        .update_profile(&without_email)
        .await
        .expect_err("rpc requires email");
    assert_eq!(error, AdapterError::Missing { field: "email" });
    assert_eq!(memory.calls(), 1, "nothing was sent");
}

// ---------------------------------------------------------------------------------------------
// community
// ---------------------------------------------------------------------------------------------

async fn community_adapter() -> (adapters::community::Adapter, Arc<Memory>) {
    let (base, memory) =
        start(|memory| community::server::router(memory, ServerConfig::default())).await;
    let client = community::client::Client::new(&base).expect("a valid base URL");
    (
        adapters::community::Adapter::new(client, Default::default()),
        memory,
    )
}

#[tokio::test]
async fn community_takes_integer_ids_and_answers_string_ids() {
    let (adapter, memory) = community_adapter().await;
    memory.answer(community::operations::UpdateUserResponse::Ok(
        community::types::User {
            id: Some(42),
            real_name: text("Ada Lovelace"),
            ..Default::default()
        },
    ));
    let mut request = patch(canonical::types::ProfilePatch {
        full_name: text("Ada Lovelace"),
        ..Default::default()
    });
    request.id = "42".into();
    let answer = adapter
        .update_profile(&request)
        .await
        .expect("a canonical answer");
    let canonical::operations::UpdateProfileResponse::Ok(profile) = answer else {
        panic!("expected Ok, got {answer:?}");
    };
    assert_eq!(profile.id.as_deref(), Some("42"));
    let sent: community::operations::UpdateUserRequest = memory.last();
    assert_eq!(sent.id, 42);
    assert_eq!(sent.credentials.bearer.as_deref(), Some("token"));
}

#[tokio::test]
async fn community_cannot_name_a_non_integer_id() {
    let (adapter, memory) = community_adapter().await;
    let answer = adapter
        .update_profile(&patch(Default::default()))
        .await
        .expect("a canonical answer");
    let canonical::operations::UpdateProfileResponse::NotFound(problem) = answer else {
        panic!("expected NotFound, got {answer:?}");
    };
    assert_eq!(problem.status, 404);
    assert!(problem.detail.contains("u-1"), "{}", problem.detail);
    assert_eq!(memory.calls(), 0, "nothing was sent");
}

#[tokio::test]
async fn community_validation_errors_use_canonical_names() {
    let (adapter, memory) = community_adapter().await;
    memory.answer(community::operations::UpdateUserResponse::BadRequest(
        community::types::BadRequestError::ValidationError(community::types::ValidationError {
            non_field_errors: None,
            additional_properties: [(
                "real_name".to_owned(),
                vec!["Ensure this field has no more than 255 characters.".to_owned()],
            )]
            .into(),
        }),
    ));
    let mut request = patch(canonical::types::ProfilePatch {
        full_name: text("A"),
        ..Default::default()
    });
    request.id = "7".into();
    let answer = adapter
        .update_profile(&request)
        .await
        .expect("a canonical answer");
    let canonical::operations::UpdateProfileResponse::BadRequest(problem) = answer else {
        panic!("expected BadRequest, got {answer:?}");
    };
    assert!(problem.errors.unwrap_or_default().contains_key("full_name"));
}

#[tokio::test]
async fn community_uploads_the_image_as_avatar() {
    let (adapter, memory) = community_adapter().await;
    memory.answer(community::operations::UpdateUserResponse::Ok(
        community::types::User {
            avatar: text("https://example.com/a.png"),
            ..Default::default()
        },
    ));
    let png = profile_api::support::Upload {
        filename: text("a.png"),
        content_type: text("image/png"),
        bytes: vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0],
    };
    let request = canonical::operations::UploadProfileImageRequest {
        credentials: credentials(),
        id: "5".into(),
        body: canonical::operations::UploadProfileImageBody::Multipart(
            canonical::types::ProfileImageUpload {
                image: png.clone(),
                cropped_image: png,
            },
        ),
    };
    let answer = adapter
        .upload_profile_image(&request)
        .await
        .expect("a canonical answer");
    assert_eq!(
        answer,
        canonical::operations::UploadProfileImageResponse::Ok(canonical::types::ProfileImage {
            image_url: "https://example.com/a.png".into(),
        })
    );
    let sent: community::operations::UpdateUserRequest = memory.last();
    let community::operations::UpdateUserBody::Multipart(body) = sent.body else {
        panic!("an upload is multipart");
    };
    assert_eq!(body.avatar.map(|avatar| avatar.bytes.len()), Some(12));
}

// ---------------------------------------------------------------------------------------------
// billing
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn billing_writes_dates_as_date_times_and_reads_422_as_400() {
    let (base, memory) =
        start(|memory| billing::server::router(memory, ServerConfig::default())).await;
    let client = billing::client::Client::new(&base).expect("a valid base URL");
    let adapter = adapters::billing::Adapter::new(client, Default::default());
    memory.answer(
        billing::operations::UpdateUserResponse::UnprocessableEntity(
            billing::types::HttpValidationError {
                detail: vec![billing::types::ValidationErrorItem {
                    loc: vec![
                        billing::types::ValidationErrorItemLocItem::String("body".into()),
                        billing::types::ValidationErrorItemLocItem::String("birthdate".into()),
                    ],
                    msg: "Input should be a valid datetime".into(),
                    r#type: "format".into(),
                }],
            },
        ),
    );
    let mut request = patch(canonical::types::ProfilePatch {
        date_of_birth: text("1990-05-17"),
        ..Default::default()
    });
    request.id = "7f1c0e0a-4a43-4f43-9d2c-1b7d2f6b9e10".into();
    let answer = adapter
        .update_profile(&request)
        .await
        .expect("a canonical answer");
    let canonical::operations::UpdateProfileResponse::BadRequest(problem) = answer else {
        panic!("expected BadRequest, got {answer:?}");
    };
    assert_eq!(problem.status, 400);
    assert_eq!(
        problem.errors.unwrap_or_default()["date_of_birth"],
        vec!["Input should be a valid datetime".to_owned()]
    );
    let sent: billing::operations::UpdateUserRequest = memory.last();
    let billing::operations::UpdateUserBody::Json(body) = sent.body;
    assert_eq!(body.birthdate.as_deref(), Some("1990-05-17T00:00:00Z"));
    assert_eq!(sent.user_id, request.id);
    assert_eq!(sent.credentials.api_key.as_deref(), Some("in-key"));
}

// ---------------------------------------------------------------------------------------------
// cl2c
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn cl2c_sends_the_configured_tenant_and_keeps_error_ids() {
    let (base, memory) =
        start(|memory| cl2c::server::router(memory, ServerConfig::default())).await;
    let client = cl2c::client::Client::new(&base).expect("a valid base URL");
    let adapter = adapters::cl2c::Adapter::new(
        client,
        cl2c::operations::Credentials {
            tenant: text("tenant-1"),
            api_key: None,
        },
    );
    memory.answer(cl2c::operations::UpdateProfileResponse::Forbidden(
        cl2c::types::DefaultError {
            messages: vec!["Not your profile.".into()],
            source: "API Gateway".into(),
            exception: "CL2C.ApiException".into(),
            error_id: "err-7".into(),
            support_message: "Please contact support with this error ID.".into(),
            status_code: 403,
        },
    ));
    let request = patch(canonical::types::ProfilePatch {
        first_name: text("Ada"),
        ..Default::default()
    });
    let answer = adapter
        .update_profile(&request)
        .await
        .expect("a canonical answer");
    let canonical::operations::UpdateProfileResponse::Forbidden(problem) = answer else {
        panic!("expected Forbidden, got {answer:?}");
    };
    assert_eq!(problem.detail, "Not your profile.");
    assert_eq!(problem.instance.as_deref(), Some("err-7"));
    let sent: cl2c::operations::UpdateProfileRequest = memory.last();
    assert_eq!(sent.credentials.tenant.as_deref(), Some("tenant-1"));
    assert_eq!(sent.credentials.api_key.as_deref(), Some("in-key"));
    let cl2c::operations::UpdateProfileBody::Json(body) = sent.body;
    assert_eq!(body.id.as_deref(), Some("u-1"));
    assert_eq!(body.first_name, "Ada");
}
