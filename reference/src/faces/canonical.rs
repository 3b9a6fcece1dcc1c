//! The canonical face: the unified API itself, RFC 9457 problem details.

use std::sync::Arc;

use profile_api::canonical::errors::{error_body, validation_body};
use profile_api::canonical::operations::*;
use profile_api::canonical::server::Api;
use profile_api::canonical::types;
use profile_api::support::{FieldError, Location};
use serde::Serialize;
use serde_json::Value;

use crate::shared::{
    Shared, UploadRefusal, canonical_profile, email_checksum, envelope, local_info, merge,
    patch_map, upload_image, username_taken,
};
use crate::store::{User, UserRef};

#[derive(Debug, Clone)]
pub struct Canonical(pub Arc<Shared>);

fn problem(status: u16, message: &str) -> types::Problem {
    envelope(error_body(status, message)).unwrap_or_else(|error| {
        tracing::error!(%error, "canonical problem envelope");
        types::Problem {
            r#type: "about:blank".into(),
            title: None,
            status: i64::from(status),
            detail: message.to_owned(),
            instance: None,
            errors: None,
        }
    })
}

fn invalid(errors: &[FieldError]) -> types::Problem {
    envelope(validation_body(errors)).unwrap_or_else(|_| problem(400, "Validation failed."))
}

/// Why a request about a profile was refused before its body was looked at.
enum Refusal {
    Unauthorized,
    Forbidden,
    NotFound,
}

impl Refusal {
    fn problem(&self) -> types::Problem {
        match self {
            Refusal::Unauthorized => problem(401, "Invalid API key or bearer token."),
            Refusal::Forbidden => problem(403, "You can only act on your own profile."),
            Refusal::NotFound => problem(404, "Not found."),
        }
    }
}

/// Builds the response enum's refusal variants.
macro_rules! refused {
    ($response:ident, $refusal:expr) => {
        match $refusal {
            Refusal::Unauthorized => $response::Unauthorized(Refusal::Unauthorized.problem()),
            Refusal::Forbidden => $response::Forbidden(Refusal::Forbidden.problem()),
            Refusal::NotFound => $response::NotFound(Refusal::NotFound.problem()),
        }
    };
}

/// Why a change was refused.
enum Rejection {
    Invalid(Vec<FieldError>),
    UsernameTaken,
    Gone,
}

impl Canonical {
    fn caller(&self, credentials: &Credentials) -> Option<UserRef> {
        if !self.0.app_key_ok(credentials.api_key.as_deref()) {
            return None;
        }
        self.0.by_token(credentials.bearer.as_deref())
    }

    /// The caller, and the profile `id` names, which must be theirs.
    fn own(&self, credentials: &Credentials, id: &str) -> Result<UserRef, Refusal> {
        let caller = self.caller(credentials).ok_or(Refusal::Unauthorized)?;
        let target = self
            .0
            .store
            .find(|user| user.ids.canonical == id)
            .ok_or(Refusal::NotFound)?;
        if target == caller {
            Ok(target)
        } else {
            Err(Refusal::Forbidden)
        }
    }

    fn change<T: Serialize>(
        &self,
        target: UserRef,
        patch: &T,
    ) -> Result<types::Profile, Rejection> {
        // Privileged fields are ignored for an ordinary caller, as billing's are.
        let patch = self.0.without_privileged(patch_map(patch));
        let info = &self.0.fixtures.local_info;
        let mut errors = Vec::new();
        for (field, list) in [
            ("language", &info.languages),
            ("currency", &info.currencies),
            ("timezone", &info.timezones),
        ] {
            if let Some(Value::String(value)) = patch.get(field)
                && !list.iter().any(|item| item.key == *value)
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
            return Err(Rejection::Invalid(errors));
        }
        let result = self.0.store.update(target, |user, others| {
            if let Some(Value::String(username)) = patch.get("username")
                && username_taken(others, username.as_str())
            {
                return Err(Rejection::UsernameTaken);
            }
            merge(&mut user.profile, &patch);
            Ok(view(user))
        });
        result.unwrap_or(Err(Rejection::Gone))
    }
}

/// The profile as the canonical API shows it. `push_token` is `writeOnly` in the spec: the
/// store keeps it (cl2c's `pushToken` writes it) but no response carries it.
fn view(user: &User) -> types::Profile {
    types::Profile {
        push_token: None,
        ..canonical_profile(user)
    }
}

impl Api for Canonical {
    async fn get_profile(&self, request: GetProfileRequest) -> GetProfileResponse {
        match self.own(&request.credentials, &request.id) {
            Ok(target) => match self.0.store.get(target) {
                Some(user) => GetProfileResponse::Ok(view(&user)),
                None => GetProfileResponse::NotFound(Refusal::NotFound.problem()),
            },
            Err(refusal) => refused!(GetProfileResponse, refusal),
        }
    }

    async fn replace_profile(&self, request: ReplaceProfileRequest) -> ReplaceProfileResponse {
        let target = match self.own(&request.credentials, &request.id) {
            Ok(target) => target,
            Err(refusal) => return refused!(ReplaceProfileResponse, refusal),
        };
        let ReplaceProfileBody::Json(body) = &request.body;
        match self.change(target, body) {
            Ok(profile) => ReplaceProfileResponse::Ok(profile),
            Err(Rejection::UsernameTaken) => ReplaceProfileResponse::Conflict(problem(
                409,
                "A user with that username already exists.",
            )),
            Err(Rejection::Invalid(errors)) => ReplaceProfileResponse::BadRequest(invalid(&errors)),
            Err(Rejection::Gone) => ReplaceProfileResponse::NotFound(Refusal::NotFound.problem()),
        }
    }

    async fn update_profile(&self, request: UpdateProfileRequest) -> UpdateProfileResponse {
        let target = match self.own(&request.credentials, &request.id) {
            Ok(target) => target,
            Err(refusal) => return refused!(UpdateProfileResponse, refusal),
        };
        let UpdateProfileBody::Json(body) = &request.body;
        match self.change(target, body) {
            Ok(profile) => UpdateProfileResponse::Ok(profile),
            Err(Rejection::UsernameTaken) => UpdateProfileResponse::Conflict(problem(
                409,
                "A user with that username already exists.",
            )),
            Err(Rejection::Invalid(errors)) => UpdateProfileResponse::BadRequest(invalid(&errors)),
            Err(Rejection::Gone) => UpdateProfileResponse::NotFound(Refusal::NotFound.problem()),
        }
    }

    async fn delete_profile(&self, request: DeleteProfileRequest) -> DeleteProfileResponse {
        let target = match self.own(&request.credentials, &request.id) {
            Ok(target) => target,
            Err(refusal) => return refused!(DeleteProfileResponse, refusal),
        };
        let deleted = self
            .0
            .store
            .update(target, |user, _| -> Result<types::Profile, ()> {
                user.deleted = true;
                Ok(view(user))
            });
        match deleted {
            Some(Ok(profile)) => DeleteProfileResponse::Ok(profile),
            _ => DeleteProfileResponse::NotFound(Refusal::NotFound.problem()),
        }
    }

    async fn upload_profile_image(
        &self,
        request: UploadProfileImageRequest,
    ) -> UploadProfileImageResponse {
        let target = match self.own(&request.credentials, &request.id) {
            Ok(target) => target,
            Err(refusal) => return refused!(UploadProfileImageResponse, refusal),
        };
        let UploadProfileImageBody::Multipart(body) = &request.body;
        match upload_image(
            &self.0,
            target,
            &body.image.bytes,
            &body.cropped_image.bytes,
        ) {
            Ok(image_url) => UploadProfileImageResponse::Ok(types::ProfileImage { image_url }),
            Err(UploadRefusal::NotImages(fields)) => {
                let errors: Vec<FieldError> = fields
                    .into_iter()
                    .map(|field| {
                        FieldError::new(
                            field,
                            Location::Body,
                            "content-type",
                            "Upload a valid image: PNG, JPEG or GIF.",
                        )
                    })
                    .collect();
                UploadProfileImageResponse::BadRequest(invalid(&errors))
            }
            // The canonical spec's own message (rpc's names the hours left instead).
            Err(UploadRefusal::Throttled(_)) => UploadProfileImageResponse::TooManyRequests(
                problem(429, UploadProfileImageRequest::THROTTLE_MESSAGE),
            ),
            Err(UploadRefusal::Gone) => {
                UploadProfileImageResponse::NotFound(Refusal::NotFound.problem())
            }
        }
    }

    async fn get_local_info(&self, request: GetLocalInfoRequest) -> GetLocalInfoResponse {
        if self.caller(&request.credentials).is_none() {
            return GetLocalInfoResponse::Unauthorized(Refusal::Unauthorized.problem());
        }
        GetLocalInfoResponse::Ok(local_info(&self.0))
    }

    async fn verify_email_change(
        &self,
        request: VerifyEmailChangeRequest,
    ) -> VerifyEmailChangeResponse {
        let target = match self.own(&request.credentials, &request.id) {
            Ok(target) => target,
            Err(refusal) => return refused!(VerifyEmailChangeResponse, refusal),
        };
        let VerifyEmailChangeBody::Json(body) = &request.body;
        let result = self.0.store.update(target, |user, _| {
            if body.token != user.email_token
                || body.token_checksum != email_checksum(&body.token, &body.email)
            {
                return Err(vec![FieldError::new(
                    "token",
                    Location::Body,
                    "verified-token",
                    VerifyEmailChangeRequest::VERIFIED_TOKEN_MESSAGE,
                )]);
            }
            user.profile
                .insert("email".into(), Value::String(body.email.clone()));
            Ok(view(user))
        });
        match result {
            Some(Ok(profile)) => VerifyEmailChangeResponse::Ok(profile),
            Some(Err(errors)) => VerifyEmailChangeResponse::BadRequest(invalid(&errors)),
            None => VerifyEmailChangeResponse::NotFound(Refusal::NotFound.problem()),
        }
    }
}
