//! The cl2c face: camelCase profile of the caller, tenant + API key, problem details.

use std::sync::Arc;

use profile_api::canonical::types as canonical;
use profile_api::cl2c::errors::error_body;
use profile_api::cl2c::operations::*;
use profile_api::cl2c::server::Api;
use profile_api::cl2c::types;
use serde_json::Value;

use crate::shared::{Shared, envelope, merge};
use crate::store::User;

#[derive(Debug, Clone)]
pub struct Cl2c(pub Arc<Shared>);

fn error(status: u16, message: &str) -> types::DefaultError {
    envelope(error_body(status, message)).unwrap_or_else(|problem| {
        tracing::error!(%problem, "cl2c error envelope");
        types::DefaultError {
            messages: vec![message.to_owned()],
            source: "API Gateway".into(),
            exception: "CL2C.ApiException".into(),
            error_id: "error".into(),
            support_message: "Please contact support with this error ID.".into(),
            status_code: i64::from(status),
        }
    })
}

/// The profile as cl2c shows it. `authenticated`, `authValidUpto` and `authLocation` describe
/// the caller's session (dialect-only: the canonical profile has no such fields).
fn profile(user: &User) -> types::Profile {
    let text = |field: &str| {
        user.profile
            .get(field)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    types::Profile {
        id: user.ids.cl2c.clone(),
        user_name: text("username").unwrap_or_default(),
        first_name: text("first_name").unwrap_or_default(),
        last_name: text("last_name"),
        email: text("email").unwrap_or_default(),
        email_confirmed: user
            .profile
            .get("email_verified")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        authenticated: true,
        auth_valid_upto: Some("2099-12-31T23:59:59Z".into()),
        auth_location: Some("Reference".into()),
        phone_number: text("phone_number"),
        wallet_address: text("wallet_address"),
    }
}

impl Api for Cl2c {
    async fn update_profile(&self, request: UpdateProfileRequest) -> UpdateProfileResponse {
        let shared = &self.0;
        let credentials = &request.credentials;
        let caller = if credentials.tenant.as_deref() == Some(shared.fixtures.app.tenant.as_str()) {
            let key = credentials.api_key.as_deref().unwrap_or_default();
            shared.store.find(|user| user.cl2c_key == key)
        } else {
            None
        };
        let Some(caller) = caller else {
            return UpdateProfileResponse::Unauthorized(error(
                401,
                "Invalid or missing tenant or API key.",
            ));
        };
        let UpdateProfileBody::Json(body) = &request.body;
        let patch = canonical::ProfilePatch::from(body);
        let result = shared.store.update(caller, |user, _| {
            if body.id.as_ref().is_some_and(|id| *id != user.ids.cl2c) {
                return Err(());
            }
            merge(&mut user.profile, &patch);
            if let Some(token) = &body.push_token {
                user.profile
                    .insert("push_token".into(), Value::String(token.clone()));
            }
            Ok(profile(user))
        });
        match result {
            Some(Ok(view)) => UpdateProfileResponse::Ok(view),
            Some(Err(())) => UpdateProfileResponse::Forbidden(error(
                403,
                "You can only update your own profile.",
            )),
            None => UpdateProfileResponse::Unauthorized(error(
                401,
                "Invalid or missing tenant or API key.",
            )),
        }
    }
}
