//! The manage face: one resource, GET/POST/PUT/DELETE, `X-API-Key` + bearer.

use std::sync::Arc;

use profile_api::canonical::types as canonical;
use profile_api::manage::errors::error_body;
use profile_api::manage::operations::*;
use profile_api::manage::server::Api;
use profile_api::manage::types;

use crate::shared::{Shared, canonical_profile_as, envelope, merge};
use crate::store::{User, UserRef};

#[derive(Debug, Clone)]
pub struct Manage(pub Arc<Shared>);

fn error(status: u16, message: &str) -> types::Error {
    envelope(error_body(status, message)).unwrap_or_else(|problem| {
        tracing::error!(%problem, "manage error envelope");
        types::Error {
            status: types::ErrorStatus::Error,
            message: message.to_owned(),
        }
    })
}

/// The user profile as manage shows it.
fn profile(user: &User) -> Result<types::Profile, types::Error> {
    let mut profile =
        types::Profile::try_from(&canonical_profile_as(user, user.ids.manage.clone())).map_err(
            |e| {
                tracing::error!(error = %e, "manage profile conversion");
                error(404, "Not found.")
            },
        )?;
    profile.user_id.clone_from(&user.ids.manage);
    Ok(profile)
}

fn ok(user: &User) -> Result<types::ProfileResponse, types::Error> {
    Ok(types::ProfileResponse {
        status: types::ProfileResponseStatus::Success,
        data: profile(user)?,
    })
}

enum Refusal {
    Unauthorized(types::Error),
    NotFound(types::Error),
}

impl Manage {
    /// The caller (both credentials right), then the user the request names.
    fn target(&self, credentials: &Credentials, user_id: &str) -> Result<UserRef, Refusal> {
        let shared = &self.0;
        if !shared.app_key_ok(credentials.api_key.as_deref())
            || shared.by_token(credentials.bearer.as_deref()).is_none()
        {
            return Err(Refusal::Unauthorized(error(
                401,
                "Invalid API key or token.",
            )));
        }
        shared
            .store
            .find(|user| user.ids.manage == user_id)
            .ok_or_else(|| Refusal::NotFound(error(404, "Not found.")))
    }

    fn update(
        &self,
        credentials: &Credentials,
        body: &types::ProfileUpdate,
    ) -> Result<types::ProfileResponse, Refusal> {
        let target = self.target(credentials, &body.user_id)?;
        let patch = canonical::ProfilePatch::from(body);
        let updated = self.0.store.update(target, |user, _| -> Result<User, ()> {
            merge(&mut user.profile, &patch);
            Ok(user.clone())
        });
        match updated {
            Some(Ok(user)) => ok(&user).map_err(Refusal::NotFound),
            _ => Err(Refusal::NotFound(error(404, "Not found."))),
        }
    }
}

impl Api for Manage {
    async fn get_user_profile(&self, request: GetUserProfileRequest) -> GetUserProfileResponse {
        let user = match self.target(&request.credentials, &request.user_id) {
            Ok(user) => self.0.store.get(user),
            Err(Refusal::Unauthorized(e)) => return GetUserProfileResponse::Unauthorized(e),
            Err(Refusal::NotFound(e)) => return GetUserProfileResponse::NotFound(e),
        };
        match user.as_ref().map(ok) {
            Some(Ok(body)) => GetUserProfileResponse::Ok(body),
            Some(Err(e)) => GetUserProfileResponse::NotFound(e),
            None => GetUserProfileResponse::NotFound(error(404, "Not found.")),
        }
    }

    async fn post_user_profile(&self, request: PostUserProfileRequest) -> PostUserProfileResponse {
        let body = match &request.body {
            PostUserProfileBody::Form(body) | PostUserProfileBody::Json(body) => body,
        };
        match self.update(&request.credentials, body) {
            Ok(body) => PostUserProfileResponse::Ok(body),
            Err(Refusal::Unauthorized(e)) => PostUserProfileResponse::Unauthorized(e),
            Err(Refusal::NotFound(e)) => PostUserProfileResponse::NotFound(e),
        }
    }

    async fn put_user_profile(&self, request: PutUserProfileRequest) -> PutUserProfileResponse {
        let body = match &request.body {
            PutUserProfileBody::Form(body) | PutUserProfileBody::Json(body) => body,
        };
        match self.update(&request.credentials, body) {
            Ok(body) => PutUserProfileResponse::Ok(body),
            Err(Refusal::Unauthorized(e)) => PutUserProfileResponse::Unauthorized(e),
            Err(Refusal::NotFound(e)) => PutUserProfileResponse::NotFound(e),
        }
    }

    async fn delete_user_profile(
        &self,
        request: DeleteUserProfileRequest,
    ) -> DeleteUserProfileResponse {
        let target = match self.target(&request.credentials, &request.user_id) {
            Ok(user) => user,
            Err(Refusal::Unauthorized(e)) => return DeleteUserProfileResponse::Unauthorized(e),
            Err(Refusal::NotFound(e)) => return DeleteUserProfileResponse::NotFound(e),
        };
        let deleted = self
            .0
            .store
            .update(target, |user, _| -> Result<String, ()> {
                user.deleted = true;
                Ok(user.ids.manage.clone())
            });
        match deleted {
            Some(Ok(user_id)) => DeleteUserProfileResponse::Ok(types::DeletedResponse {
                status: types::DeletedResponseStatus::Success,
                data: types::DeletedUser { user_id },
            }),
            _ => DeleteUserProfileResponse::NotFound(error(404, "Not found.")),
        }
    }
}
