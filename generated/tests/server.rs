//! The generated routers over HTTP: cl2c, billing, rpc and community served on in-memory
//! implementations and called with reqwest. The router answers every client mistake itself,
//! in the dialect's own envelope (shared/dialects.md), before the implementation sees the
//! request.
//!
//! Hand-written (generated/tests/ is not generated); full client round trips are in the
//! client's tests.

#![cfg(feature = "server")]

use std::sync::{Arc, Mutex};

use profile_api::support::ServerConfig;
use profile_api::{billing, cl2c, community, rpc};
use serde_json::{Value, json};

const TENANT: &str = "tenant-1";
const API_KEY: &str = "key-1";
const BILLING_KEY: &str = "in-secret";
const BILLING_USER: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

/// Serves `router` on a free local port; the base URL.
async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let address = listener.local_addr().expect("a bound address");
    tokio::spawn(async move {
        axum::serve(listener, router)
            .await
            .expect("the server runs");
    });
    format!("http://{address}")
}

fn http() -> reqwest::Client {
    // reqwest is built without a TLS provider: install ring once (a second install fails
    // harmlessly).
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// Status and JSON body of an answer; `Value::Null` when the body is not JSON.
async fn answer(response: reqwest::Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    let media = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.bytes().await.expect("a body");
    (
        status,
        media,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    )
}

// ---------------------------------------------------------------------------------------------
// cl2c: problem details for a validation 400, the default error envelope for everything else
// ---------------------------------------------------------------------------------------------

/// The caller's profile, updated in place.
struct Cl2c {
    profile: Mutex<cl2c::types::Profile>,
}

impl Cl2c {
    fn new() -> Arc<Cl2c> {
        Arc::new(Cl2c {
            profile: Mutex::new(cl2c::types::Profile {
                id: "3fa85f64-5717-4562-b3fc-2c963f66afa6".into(),
                user_name: "john_doe".into(),
                first_name: "John".into(),
                last_name: Some("Doe".into()),
                email: "john.doe@example.com".into(),
                email_confirmed: true,
                authenticated: true,
                auth_valid_upto: None,
                auth_location: None,
                phone_number: None,
                wallet_address: None,
            }),
        })
    }
}

impl cl2c::server::Api for Cl2c {
    async fn update_profile(
        &self,
        request: cl2c::operations::UpdateProfileRequest,
    ) -> cl2c::operations::UpdateProfileResponse {
        let credentials = &request.credentials;
        if credentials.tenant.as_deref() != Some(TENANT)
            || credentials.api_key.as_deref() != Some(API_KEY)
        {
            let body = cl2c::errors::error_body(401, "Invalid or missing tenant or API key.");
            return cl2c::operations::UpdateProfileResponse::Unauthorized(
                serde_json::from_value(body).expect("the envelope is a DefaultError"),
            );
        }
        let cl2c::operations::UpdateProfileBody::Json(update) = request.body;
        let mut profile = self.profile.lock().expect("not poisoned");
        profile.first_name = update.first_name;
        if let Some(last_name) = update.last_name {
            profile.last_name = Some(last_name);
        }
        if let Some(phone_number) = update.phone_number {
            profile.phone_number = Some(phone_number);
        }
        cl2c::operations::UpdateProfileResponse::Ok(profile.clone())
    }
}

async fn cl2c_server(config: ServerConfig) -> String {
    serve(cl2c::server::router(Cl2c::new(), config)).await
}

fn cl2c_put(base: &str) -> reqwest::RequestBuilder {
    http()
        .put(format!("{base}/v1/cl2c/user"))
        .header("tenant", TENANT)
        .header("X-API-Key", API_KEY)
}

/// The default error envelope with `status`; its message.
fn default_envelope(body: &Value, status: u16) -> String {
    let object = body.as_object().expect("an object");
    for key in [
        "messages",
        "source",
        "exception",
        "errorId",
        "supportMessage",
        "statusCode",
    ] {
        assert!(object.contains_key(key), "{key} missing in {body}");
    }
    assert_eq!(body["statusCode"], json!(status), "{body}");
    assert_eq!(body["source"], json!("API Gateway"));
    assert_eq!(body["exception"], json!("CL2C.ApiException"));
    assert!(
        body["errorId"]
            .as_str()
            .is_some_and(|id| id.starts_with("err-"))
    );
    body["messages"][0]
        .as_str()
        .expect("one message")
        .to_owned()
}

#[tokio::test]
async fn cl2c_valid_update_is_answered_by_the_implementation() {
    let base = cl2c_server(ServerConfig::default()).await;
    let response = cl2c_put(&base)
        .json(&json!({"firstName": "Jane", "phoneNumber": "+14155550100", "unknown": 1}))
        .send()
        .await
        .expect("an answer");
    let (status, media, body) = answer(response).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(media, "application/json");
    assert_eq!(body["firstName"], json!("Jane"));
    assert_eq!(body["phoneNumber"], json!("+14155550100"));
    assert_eq!(body["lastName"], json!("Doe"));
}

#[tokio::test]
async fn cl2c_missing_credential_is_401_in_the_default_envelope() {
    let base = cl2c_server(ServerConfig::default()).await;
    let response = http()
        .put(format!("{base}/v1/cl2c/user"))
        .header("tenant", TENANT)
        // The body is not even read: credentials come first.
        .body("not json at all")
        .send()
        .await
        .expect("an answer");
    let (status, _, body) = answer(response).await;
    assert_eq!(status, 401, "{body}");
    let message = default_envelope(&body, 401);
    assert!(!message.is_empty());
}

#[tokio::test]
async fn cl2c_wrong_credential_is_401_from_the_implementation() {
    let base = cl2c_server(ServerConfig::default()).await;
    let response = http()
        .put(format!("{base}/v1/cl2c/user"))
        .header("tenant", TENANT)
        .header("X-API-Key", "wrong")
        .json(&json!({"firstName": "Jane"}))
        .send()
        .await
        .expect("an answer");
    let (status, _, body) = answer(response).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(
        default_envelope(&body, 401),
        "Invalid or missing tenant or API key."
    );
}

#[tokio::test]
async fn cl2c_validation_errors_are_problem_details_with_every_field() {
    let base = cl2c_server(ServerConfig::default()).await;
    let response = cl2c_put(&base)
        .json(&json!({
            "firstName": "x".repeat(256),
            "lastName": 7,
            "phoneNumber": "0123",
        }))
        .send()
        .await
        .expect("an answer");
    let (status, _, body) = answer(response).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["status"], json!(400));
    assert_eq!(
        body["title"],
        json!("One or more validation errors occurred.")
    );
    assert_eq!(
        body["type"],
        json!("https://tools.ietf.org/html/rfc9110#section-15.5.1")
    );
    assert!(body["instance"].is_string());
    assert_eq!(
        body["errors"],
        json!({
            "firstName": ["The length of 'First Name' must be 255 characters or fewer."],
            "lastName": ["Not a valid string."],
            "phoneNumber": ["Invalid phone number format"],
        })
    );
}

#[tokio::test]
async fn cl2c_required_field_uses_the_spec_message() {
    let base = cl2c_server(ServerConfig::default()).await;
    let response = cl2c_put(&base)
        .json(&json!({"lastName": "Doe"}))
        .send()
        .await
        .expect("an answer");
    let (status, _, body) = answer(response).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["errors"],
        json!({"firstName": ["First name is required"]})
    );
}

#[tokio::test]
async fn cl2c_body_that_is_not_an_object_is_reported_on_the_body_field() {
    let base = cl2c_server(ServerConfig::default()).await;
    let response = cl2c_put(&base)
        .json(&json!(["firstName"]))
        .send()
        .await
        .expect("an answer");
    let (status, _, body) = answer(response).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["errors"]["$"].is_array(), "{body}");
}

/// The messages of a cl2c 400 on the body as a whole: problem details, `errors["$"]`
/// (every cl2c 400 is problem details; only other statuses use the default envelope).
fn whole_body_problem(body: &Value) -> String {
    assert_eq!(body["status"], json!(400), "{body}");
    assert!(
        body["type"].is_string() && body["title"].is_string(),
        "{body}"
    );
    let messages = body["errors"]["$"].as_array().expect("errors on \"$\"");
    messages
        .iter()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn cl2c_bad_json_is_400_problem_details_on_the_body() {
    let base = cl2c_server(ServerConfig::default()).await;
    let response = cl2c_put(&base)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body("{\"firstName\": ")
        .send()
        .await
        .expect("an answer");
    let (status, _, body) = answer(response).await;
    assert_eq!(status, 400, "{body}");
    let message = whole_body_problem(&body);
    assert!(message.contains("not valid JSON"), "{message}");
}

#[tokio::test]
async fn cl2c_invalid_utf8_is_400_problem_details_on_the_body() {
    let base = cl2c_server(ServerConfig::default()).await;
    let response = cl2c_put(&base)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(b"{\"firstName\": \"\xff\"}".to_vec())
        .send()
        .await
        .expect("an answer");
    let (status, _, body) = answer(response).await;
    assert_eq!(status, 400, "{body}");
    assert!(whole_body_problem(&body).contains("UTF-8"), "{body}");
}

#[tokio::test]
async fn cl2c_wrong_content_type_is_415() {
    let base = cl2c_server(ServerConfig::default()).await;
    let response = cl2c_put(&base)
        .header(reqwest::header::CONTENT_TYPE, "text/plain")
        .body("firstName=Jane")
        .send()
        .await
        .expect("an answer");
    let (status, _, body) = answer(response).await;
    assert_eq!(status, 415, "{body}");
    assert!(default_envelope(&body, 415).contains("text/plain"));
}

#[tokio::test]
async fn cl2c_oversized_body_is_413() {
    // Announced by Content-Length: answered before the body is read.
    let base = cl2c_server(ServerConfig {
        max_body_bytes: 1024,
    })
    .await;
    let big = json!({"firstName": "Jane", "pushToken": "x".repeat(2000)});
    let response = cl2c_put(&base).json(&big).send().await.expect("an answer");
    let (status, _, body) = answer(response).await;
    assert_eq!(status, 413, "{body}");
    assert!(default_envelope(&body, 413).contains("1024"));
}

#[tokio::test]
async fn cl2c_oversized_streamed_body_is_413() {
    // No Content-Length (chunked): the limit holds while reading.
    let base = cl2c_server(ServerConfig {
        max_body_bytes: 1024,
    })
    .await;
    let address = base.trim_start_matches("http://").to_owned();
    let chunk = format!("{{\"pushToken\": \"{}\"}}", "x".repeat(4096));
    let request = format!(
        "PUT /v1/cl2c/user HTTP/1.1\r\nHost: {address}\r\ntenant: {TENANT}\r\nX-API-Key: {API_KEY}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
         {:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len()
    );
    let raw = tokio::task::spawn_blocking(move || raw_exchange(&address, request.as_bytes()))
        .await
        .expect("the exchange ran");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a head and a body");
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    let body: Value = serde_json::from_str(body).expect("a JSON body");
    default_envelope(&body, 413);
}

/// Sends `request` as it is and reads the answer until the server closes.
fn raw_exchange(address: &str, request: &[u8]) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).expect("connected");
    stream.write_all(request).expect("sent");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn cl2c_default_limit_is_one_mebibyte() {
    let base = cl2c_server(ServerConfig::default()).await;
    let big = json!({"firstName": "Jane", "pushToken": "x".repeat(1024 * 1024)});
    let response = cl2c_put(&base).json(&big).send().await.expect("an answer");
    let (status, _, body) = answer(response).await;
    assert_eq!(status, 413, "{body}");
}

#[tokio::test]
async fn cl2c_unknown_path_and_wrong_method_answer_in_the_envelope() {
    let base = cl2c_server(ServerConfig::default()).await;
    let (status, _, body) = answer(
        http()
            .get(format!("{base}/v1/nowhere"))
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 404, "{body}");
    default_envelope(&body, 404);
    let (status, _, body) = answer(
        http()
            .delete(format!("{base}/v1/cl2c/user"))
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 405, "{body}");
    assert!(default_envelope(&body, 405).contains("DELETE"));
}

// ---------------------------------------------------------------------------------------------
// billing: FastAPI, 422 for validation errors and unreadable bodies, {"detail": …} otherwise
// ---------------------------------------------------------------------------------------------

struct Billing;

impl billing::server::Api for Billing {
    async fn update_user(
        &self,
        request: billing::operations::UpdateUserRequest,
    ) -> billing::operations::UpdateUserResponse {
        let billing::operations::UpdateUserBody::Json(update) = request.body;
        let data = json!({
            "id": request.user_id,
            "email": update.email.unwrap_or_else(|| "user@example.com".into()),
            "first_name": update.first_name,
            "is_active": true,
            "is_superuser": false,
            "is_enterprise": false,
            "stripe_has_payment_method": false,
            "is_trial": false,
            "used_trial": false,
            "is_paying": false,
            "follower_count": 0,
            "following_count": 0,
        });
        billing::operations::UpdateUserResponse::Ok(
            serde_json::from_value(json!({
                "message": "Data updated successfully",
                "meta": {},
                "data": data,
            }))
            .expect("a UserResponse"),
        )
    }
}

async fn billing_server() -> String {
    serve(billing::server::router(
        Arc::new(Billing),
        ServerConfig::default(),
    ))
    .await
}

fn billing_put(base: &str, user: &str) -> reqwest::RequestBuilder {
    http().put(format!("{base}/api/v1/user/{user}?api_key={BILLING_KEY}"))
}

#[tokio::test]
async fn billing_valid_update_is_200() {
    let base = billing_server().await;
    let (status, _, body) = answer(
        billing_put(&base, BILLING_USER)
            .json(&json!({"first_name": "Ada", "email": "ada@example.com", "is_superuser": true}))
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["message"], json!("Data updated successfully"));
    assert_eq!(body["data"]["id"], json!(BILLING_USER));
    assert_eq!(body["data"]["first_name"], json!("Ada"));
}

#[tokio::test]
async fn billing_non_uuid_user_id_is_422_on_the_path() {
    let base = billing_server().await;
    let (status, _, body) = answer(
        billing_put(&base, "not-a-uuid")
            .json(&json!({"first_name": "Ada"}))
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body,
        json!({"detail": [{
            "loc": ["path", "user_id"],
            "msg": "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]",
            "type": "format",
        }]})
    );
}

#[tokio::test]
async fn billing_reports_parameter_and_body_errors_together() {
    let base = billing_server().await;
    let (status, _, body) = answer(
        billing_put(&base, "42")
            .json(&json!({"first_name": "x".repeat(256), "email": "nope", "is_active": "yes"}))
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let locs: Vec<&Value> = body["detail"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| &item["loc"])
        .collect();
    assert_eq!(
        locs,
        [
            &json!(["path", "user_id"]),
            &json!(["body", "first_name"]),
            &json!(["body", "email"]),
            &json!(["body", "is_active"]),
        ]
    );
    assert_eq!(
        body["detail"][1]["msg"],
        json!("String should have at most 255 characters")
    );
    assert_eq!(body["detail"][1]["type"], json!("maxLength"));
    assert_eq!(
        body["detail"][3]["msg"],
        json!("Input should be a valid boolean")
    );
}

#[tokio::test]
async fn billing_missing_api_key_is_401_detail() {
    let base = billing_server().await;
    let (status, _, body) = answer(
        http()
            .put(format!("{base}/api/v1/user/{BILLING_USER}"))
            .json(&json!({"first_name": "Ada"}))
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 401, "{body}");
    assert!(body["detail"].is_string(), "{body}");
    // A key without the scheme's `in-` prefix is no key either.
    let (status, _, _) = answer(
        http()
            .put(format!("{base}/api/v1/user/{BILLING_USER}?api_key=secret"))
            .json(&json!({"first_name": "Ada"}))
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn billing_bad_json_and_wrong_content_type_are_422_on_the_body() {
    let base = billing_server().await;
    let (status, _, body) = answer(
        billing_put(&base, BILLING_USER)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body("{oops")
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["detail"][0]["loc"], json!(["body"]));
    assert_eq!(body["detail"][0]["type"], json!("json_invalid"));

    let (status, _, body) = answer(
        billing_put(&base, BILLING_USER)
            .header(reqwest::header::CONTENT_TYPE, "application/xml")
            .body("<user/>")
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["detail"][0]["loc"], json!(["body"]));
    assert_eq!(body["detail"][0]["type"], json!("content-type"));
}

// ---------------------------------------------------------------------------------------------
// rpc: `{"status_code", "errors", "data"}` for every answer; forms and multipart bodies
// ---------------------------------------------------------------------------------------------

struct Rpc;

fn rpc_error<T: serde::de::DeserializeOwned>(status: u16, message: &str) -> T {
    serde_json::from_value(rpc::errors::error_body(status, message)).expect("an ErrorEnvelope")
}

fn rpc_empty() -> rpc::types::EmptyEnvelope {
    rpc::types::EmptyEnvelope {
        status_code: 200,
        errors: Default::default(),
        data: Default::default(),
    }
}

impl rpc::server::Api for Rpc {
    async fn get_profile(
        &self,
        _request: rpc::operations::GetProfileRequest,
    ) -> rpc::operations::GetProfileResponse {
        rpc::operations::GetProfileResponse::Unauthorized(rpc_error(401, "Not used here."))
    }

    async fn update_profile(
        &self,
        _request: rpc::operations::UpdateProfileRequest,
    ) -> rpc::operations::UpdateProfileResponse {
        rpc::operations::UpdateProfileResponse::Ok(rpc_empty())
    }

    async fn upload_profile_image(
        &self,
        request: rpc::operations::UploadProfileImageRequest,
    ) -> rpc::operations::UploadProfileImageResponse {
        let rpc::operations::UploadProfileImageBody::Multipart(upload) = request.body;
        rpc::operations::UploadProfileImageResponse::Ok(rpc::types::ImageEnvelope {
            status_code: 200,
            errors: Default::default(),
            data: rpc::types::ImageData {
                image_url: format!("/media/{}", upload.image.filename.unwrap_or_default()),
            },
        })
    }

    async fn upload_profile_image_alias(
        &self,
        request: rpc::operations::UploadProfileImageAliasRequest,
    ) -> rpc::operations::UploadProfileImageAliasResponse {
        let rpc::operations::UploadProfileImageAliasBody::Multipart(_) = request.body;
        rpc::operations::UploadProfileImageAliasResponse::TooManyRequests(rpc_error(
            429,
            "Your daily profile update limit exceeded.",
        ))
    }

    async fn get_local_info(
        &self,
        _request: rpc::operations::GetLocalInfoRequest,
    ) -> rpc::operations::GetLocalInfoResponse {
        rpc::operations::GetLocalInfoResponse::Unauthorized(rpc_error(401, "Not used here."))
    }
}

async fn rpc_server() -> String {
    serve(rpc::server::router(Arc::new(Rpc), ServerConfig::default())).await
}

fn rpc_post(base: &str, path: &str) -> reqwest::RequestBuilder {
    http()
        .post(format!("{base}{path}"))
        .header("apikey", API_KEY)
        .bearer_auth("token-1")
}

#[tokio::test]
async fn rpc_missing_bearer_is_401_in_the_rpc_envelope() {
    let base = rpc_server().await;
    let (status, _, body) = answer(
        http()
            .post(format!("{base}/user/update/profile/"))
            .header("apikey", API_KEY)
            .form(&[("email", "ada@example.com")])
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(
        body,
        json!({
            "status_code": 401,
            "errors": {"detail": ["Authentication credentials were not provided."]},
            "data": {},
        })
    );
}

#[tokio::test]
async fn rpc_form_update_validates_every_field() {
    let base = rpc_server().await;
    let (status, _, body) = answer(
        rpc_post(&base, "/user/update/profile/")
            .form(&[
                ("first_name", "x".repeat(256).as_str()),
                ("phone_number", "12"),
            ])
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body,
        json!({
            "status_code": 400,
            "errors": {
                "first_name": ["Ensure this field has no more than 255 characters."],
                "email": ["This field is required."],
                "phone_number": ["Phone number must be entered in the format: '999999999'. Up to 15 digits allowed."],
            },
            "data": {},
        })
    );
    let (status, _, body) = answer(
        rpc_post(&base, "/user/update/profile/")
            .form(&[("email", "ada@example.com")])
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status_code"], json!(200));
}

#[tokio::test]
async fn rpc_multipart_image_parts_are_checked() {
    let base = rpc_server().await;
    let part = |mime: &str| {
        reqwest::multipart::Part::bytes(vec![0x89, b'P', b'N', b'G'])
            .file_name("me.png")
            .mime_str(mime)
            .expect("a media type")
    };
    let form = reqwest::multipart::Form::new()
        .part("image", part("text/plain"))
        .text("cropped_image", "not a file");
    let (status, _, body) = answer(
        rpc_post(&base, "/user/profile-image/")
            .multipart(form)
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["errors"]["image"],
        json!([
            "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
        ])
    );
    assert!(body["errors"]["cropped_image"].is_array(), "{body}");

    let form = reqwest::multipart::Form::new()
        .part("image", part("image/png"))
        .part("cropped_image", part("image/png"));
    let (status, _, body) = answer(
        rpc_post(&base, "/user/profile-image/")
            .multipart(form)
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["image_url"], json!("/media/me.png"));
}

// ---------------------------------------------------------------------------------------------
// community: Django REST framework, `{"field": [...]}` and `{"detail": "..."}`
// ---------------------------------------------------------------------------------------------

struct Community;

impl community::server::Api for Community {
    async fn update_user(
        &self,
        request: community::operations::UpdateUserRequest,
    ) -> community::operations::UpdateUserResponse {
        community::operations::UpdateUserResponse::Ok(community::types::User {
            id: Some(request.id),
            ..serde_json::from_value(json!({})).expect("every field is optional")
        })
    }
}

#[tokio::test]
async fn community_errors_follow_django_rest_framework() {
    let base = serve(community::server::router(
        Arc::new(Community),
        ServerConfig::default(),
    ))
    .await;
    let put = |id: &str| {
        http()
            .put(format!("{base}/api/v2/user/{id}/"))
            .bearer_auth("token-1")
    };
    let (status, _, body) = answer(
        put("abc")
            .json(&json!({"username": "bad name!"}))
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["id"], json!(["A valid integer is required."]));
    assert!(body["username"].is_array(), "{body}");

    let (status, _, body) = answer(
        put("7")
            .json(&json!("just a string"))
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["non_field_errors"].is_array(), "{body}");

    let (status, _, body) = answer(
        put("7")
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body("{")
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["detail"].is_string(), "{body}");

    let (status, _, body) = answer(
        put("7")
            .json(&json!({"username": "ada_l"}))
            .send()
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["id"], json!(7));
}

#[test]
fn uri_format_is_ascii_as_rfc_3986_says() {
    use profile_api::support::is_uri;
    assert!(is_uri("https://example.com/caf%C3%A9.png"));
    assert!(!is_uri("https://\u{c0d2b}"), "an IRI is not a URI");
    assert!(!is_uri("https://exämple.com/a.png"), "an IRI is not a URI");
}
