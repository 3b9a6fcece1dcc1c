//! The rpc face: RPC-style paths, `status_code`/`errors`/`data` envelope, the caller only.

use std::sync::Arc;

use profile_api::canonical::types as canonical;
use profile_api::rpc::errors::{error_body, validation_body};
use profile_api::rpc::operations::*;
use profile_api::rpc::server::Api;
use profile_api::rpc::types;
use profile_api::support::{FieldError, Location};
use serde_json::Value;

use crate::shared::{
    Shared, UploadRefusal, canonical_profile, email_checksum, envelope, local_info, merge,
    upload_image,
};
use crate::store::{User, UserRef};

#[derive(Debug, Clone)]
pub struct Rpc(pub Arc<Shared>);

const IMAGE_MESSAGE: &str =
    "Upload a valid image. The file you uploaded was either not an image or a corrupted image.";

fn error(status: u16, message: &str) -> types::ErrorEnvelope {
    envelope(error_body(status, message)).unwrap_or_else(|problem| {
        tracing::error!(%problem, "rpc error envelope");
        types::ErrorEnvelope {
            status_code: i64::from(status),
            errors: types::ErrorEnvelopeErrors {
                detail: vec![message.to_owned()],
            },
            data: Default::default(),
        }
    })
}

fn invalid(errors: &[FieldError]) -> types::ValidationErrorEnvelope {
    envelope(validation_body(errors)).unwrap_or_else(|problem| {
        tracing::error!(%problem, "rpc validation envelope");
        types::ValidationErrorEnvelope {
            status_code: 400,
            errors: Default::default(),
            data: Default::default(),
        }
    })
}

fn unauthorized() -> types::ErrorEnvelope {
    error(401, "Authentication credentials were not provided.")
}

impl Rpc {
    fn caller(&self, credentials: &Credentials) -> Option<UserRef> {
        let shared = &self.0;
        if !shared.app_key_ok(credentials.api_key.as_deref()) {
            return None;
        }
        shared.by_token(credentials.bearer.as_deref())
    }

    /// Keys listed by local-info.
    fn keys(&self, list: &str) -> Vec<&str> {
        let info = &self.0.fixtures.local_info;
        let items = match list {
            "languages" => &info.languages,
            "currencies" => &info.currencies,
            _ => &info.timezones,
        };
        items.iter().map(|item| item.key.as_str()).collect()
    }

    fn update(&self, caller: UserRef, body: &types::ProfileUpdate) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for (field, value) in [
            ("languages", &body.languages),
            ("currencies", &body.currencies),
            ("timezones", &body.timezones),
        ] {
            if let Some(value) = value
                && !self.keys(field).contains(&value.as_str())
            {
                errors.push(FieldError::new(
                    field,
                    Location::Body,
                    "key-of",
                    format!("\"{value}\" is not a valid choice."),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let patch = canonical::ProfilePatch::from(body);
        let result = self
            .0
            .store
            .update(caller, |user, _| -> Result<(), Vec<FieldError>> {
                let stored = user
                    .profile
                    .get("email")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                if body.email != stored {
                    // Changing the address needs its proof: the token and its checksum.
                    let mut missing = Vec::new();
                    for (field, value) in [
                        ("token_field", &body.token_field),
                        ("token_checksum_field", &body.token_checksum_field),
                    ] {
                        if value.as_deref().is_none_or(str::is_empty) {
                            missing.push(FieldError::new(
                                field,
                                Location::Body,
                                "required",
                                UpdateProfileRequest::REQUIRED_WHEN_CHANGED_MESSAGE,
                            ));
                        }
                    }
                    if !missing.is_empty() {
                        return Err(missing);
                    }
                    let token = body.token_field.as_deref().unwrap_or_default();
                    let checksum = body.token_checksum_field.as_deref().unwrap_or_default();
                    if token != user.email_token || checksum != email_checksum(token, &body.email) {
                        return Err(vec![FieldError::new(
                            "token_field",
                            Location::Body,
                            "verified-token",
                            UpdateProfileRequest::VERIFIED_TOKEN_MESSAGE,
                        )]);
                    }
                }
                merge(&mut user.profile, &patch);
                Ok(())
            });
        result.unwrap_or(Ok(()))
    }
}

fn profile_data(user: &User) -> Option<types::ProfileData> {
    types::ProfileData::try_from(&canonical_profile(user))
        .map_err(|e| tracing::error!(error = %e, "rpc profile conversion"))
        .ok()
}

macro_rules! upload_operation {
    ($name:ident, $request:ty, $body:ident, $response:ident) => {
        async fn $name(&self, request: $request) -> $response {
            let Some(caller) = self.caller(&request.credentials) else {
                return $response::Unauthorized(unauthorized());
            };
            let $body::Multipart(body) = &request.body;
            match upload_image(
                &self.0,
                caller,
                &body.image.bytes,
                &body.cropped_image.bytes,
            ) {
                Ok(image_url) => $response::Ok(types::ImageEnvelope {
                    status_code: 200,
                    errors: Default::default(),
                    data: types::ImageData { image_url },
                }),
                Err(UploadRefusal::NotImages(fields)) => {
                    let errors: Vec<FieldError> = fields
                        .into_iter()
                        .map(|f| FieldError::new(f, Location::Body, "content-type", IMAGE_MESSAGE))
                        .collect();
                    $response::BadRequest(invalid(&errors))
                }
                Err(UploadRefusal::Throttled(message)) => {
                    $response::TooManyRequests(error(429, &message))
                }
                Err(UploadRefusal::Gone) => $response::Unauthorized(unauthorized()),
            }
        }
    };
}

impl Api for Rpc {
    async fn get_profile(&self, request: GetProfileRequest) -> GetProfileResponse {
        let data = self
            .caller(&request.credentials)
            .and_then(|caller| self.0.store.get(caller))
            .and_then(|user| profile_data(&user));
        match data {
            Some(data) => GetProfileResponse::Ok(types::ProfileEnvelope {
                status_code: 200,
                errors: Default::default(),
                data,
            }),
            None => GetProfileResponse::Unauthorized(unauthorized()),
        }
    }

    async fn update_profile(&self, request: UpdateProfileRequest) -> UpdateProfileResponse {
        let Some(caller) = self.caller(&request.credentials) else {
            return UpdateProfileResponse::Unauthorized(unauthorized());
        };
        let body = match &request.body {
            UpdateProfileBody::Multipart(body) | UpdateProfileBody::Form(body) => body,
        };
        match self.update(caller, body) {
            Ok(()) => UpdateProfileResponse::Ok(types::EmptyEnvelope {
                status_code: 200,
                errors: Default::default(),
                data: Default::default(),
            }),
            Err(errors) => UpdateProfileResponse::BadRequest(invalid(&errors)),
        }
    }

    upload_operation!(
        upload_profile_image,
        UploadProfileImageRequest,
        UploadProfileImageBody,
        UploadProfileImageResponse
    );
    upload_operation!(
        upload_profile_image_alias,
        UploadProfileImageAliasRequest,
        UploadProfileImageAliasBody,
        UploadProfileImageAliasResponse
    );

    async fn get_local_info(&self, request: GetLocalInfoRequest) -> GetLocalInfoResponse {
        if self.caller(&request.credentials).is_none() {
            return GetLocalInfoResponse::Unauthorized(unauthorized());
        }
        let data = types::LocalInfo::try_from(&local_info(&self.0)).unwrap_or_else(|error| {
            tracing::error!(%error, "rpc local info conversion");
            types::LocalInfo {
                languages: Vec::new(),
                currencies: Vec::new(),
                timezones: Vec::new(),
            }
        });
        GetLocalInfoResponse::Ok(types::LocalInfoEnvelope {
            status_code: 200,
            errors: Default::default(),
            data,
        })
    }
}
