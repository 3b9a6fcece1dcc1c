//! The billing face: FastAPI user update, `api_key` in the query, privileged fields ignored.

use std::sync::Arc;

use profile_api::billing::errors::error_body;
use profile_api::billing::operations::*;
use profile_api::billing::server::Api;
use profile_api::billing::types;
use profile_api::canonical::types as canonical;

use crate::shared::{Shared, canonical_profile_as, envelope, merge, patch_map};
use crate::store::User;
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct Billing(pub Arc<Shared>);

fn error(status: u16, message: &str) -> types::Error {
    envelope(error_body(status, message)).unwrap_or_else(|problem| {
        tracing::error!(%problem, "billing error envelope");
        types::Error {
            detail: message.to_owned(),
        }
    })
}

/// Where billing's `birthdate` keeps its time of day: the canonical `date_of_birth` is a date,
/// and a read must return what billing wrote.
const BIRTHDATE: &str = "billing_birthdate";

fn user_view(user: &User) -> Option<types::User> {
    let mut view = types::User::try_from(&canonical_profile_as(user, user.ids.billing.clone()))
        .map_err(|e| tracing::error!(error = %e, "billing user conversion"))
        .ok()?;
    // The exact date-time billing was given, as long as the canonical date still agrees.
    if let (Some(exact), Some(date)) = (
        user.profile.get(BIRTHDATE).and_then(Value::as_str),
        user.profile.get("date_of_birth").and_then(Value::as_str),
    ) && exact.starts_with(date)
    {
        view.birthdate = Some(exact.to_owned());
    }
    Some(view)
}

impl Api for Billing {
    async fn update_user(&self, request: UpdateUserRequest) -> UpdateUserResponse {
        let shared = &self.0;
        let key = request.credentials.api_key.as_deref().unwrap_or_default();
        let caller = if key.starts_with("in-") {
            shared.store.find(|user| user.billing_key == key)
        } else {
            None
        };
        let Some(caller) = caller else {
            return UpdateUserResponse::Unauthorized(error(401, "Invalid API key"));
        };
        let Some(target) = shared
            .store
            .find(|user| user.ids.billing.eq_ignore_ascii_case(&request.user_id))
        else {
            return UpdateUserResponse::NotFound(error(404, "User not found"));
        };
        if target != caller {
            return UpdateUserResponse::Forbidden(error(403, "Not allowed to update another user"));
        }
        let UpdateUserBody::Json(body) = &request.body;
        let patch = match canonical::ProfilePatch::try_from(body) {
            Ok(patch) => self.0.without_privileged(patch_map(&patch)),
            Err(e) => {
                tracing::warn!(error = %e, "billing update conversion");
                return UpdateUserResponse::NotFound(error(404, "User not found"));
            }
        };
        let result = shared.store.update(target, |user, _| -> Result<User, ()> {
            merge(&mut user.profile, &patch);
            if let Some(exact) = &body.birthdate {
                user.profile
                    .insert(BIRTHDATE.into(), Value::String(exact.clone()));
            }
            Ok(user.clone())
        });
        match result.and_then(Result::ok).as_ref().and_then(user_view) {
            Some(data) => UpdateUserResponse::Ok(types::UserResponse {
                message: "Data updated successfully".into(),
                meta: Default::default(),
                data,
            }),
            None => UpdateUserResponse::NotFound(error(404, "User not found")),
        }
    }
}
