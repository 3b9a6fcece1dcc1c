//! The community face: Django REST framework's user update, bearer token, ownership.

use std::sync::Arc;

use profile_api::canonical::types as canonical;
use profile_api::community::errors::{error_body, validation_body};
use profile_api::community::operations::*;
use profile_api::community::server::Api;
use profile_api::community::types;
use profile_api::support::{FieldError, Location, Upload};
use serde_json::Value;

use crate::shared::{Shared, canonical_profile_as, envelope, merge, username_taken};
use crate::store::User;

#[derive(Debug, Clone)]
pub struct Community(pub Arc<Shared>);

const IMAGE_MESSAGE: &str =
    "Upload a valid image. The file you uploaded was either not an image or a corrupted image.";

fn error(status: u16, message: &str) -> types::Error {
    envelope(error_body(status, message)).unwrap_or_else(|problem| {
        tracing::error!(%problem, "community error envelope");
        types::Error {
            detail: message.to_owned(),
        }
    })
}

fn invalid(errors: &[FieldError]) -> types::BadRequestError {
    envelope(validation_body(errors)).unwrap_or_else(|problem| {
        tracing::error!(%problem, "community validation envelope");
        types::BadRequestError::Error(types::Error {
            detail: "Invalid input.".into(),
        })
    })
}

fn user_view(user: &User) -> Option<types::User> {
    let mut view =
        types::User::try_from(&canonical_profile_as(user, user.ids.community.to_string()))
            .map_err(|e| tracing::error!(error = %e, "community user conversion"))
            .ok()?;
    view.id = Some(user.ids.community);
    Some(view)
}

/// A file part of the body: its field, the canonical field its URL goes to, the file.
type ImagePart<'a> = (&'static str, &'static str, &'a Upload);

/// An uploaded avatar or cover, stored under a URL of its own.
fn store_image(
    user: &mut User,
    field: &str,
    canonical_field: &str,
    upload: &Upload,
    errors: &mut Vec<FieldError>,
) {
    match crate::images::detect(&upload.bytes) {
        Some(kind) => {
            let extension = kind.trim_start_matches("image/");
            let url = format!(
                "https://images.example.com/community/{}/{field}.{extension}",
                user.ids.community
            );
            user.profile
                .insert(canonical_field.into(), Value::String(url));
        }
        None => errors.push(FieldError::new(
            field.to_owned(),
            Location::Body,
            "content-type",
            IMAGE_MESSAGE,
        )),
    }
}

impl Api for Community {
    async fn update_user(&self, request: UpdateUserRequest) -> UpdateUserResponse {
        let shared = &self.0;
        let Some(caller) = shared.by_token(request.credentials.bearer.as_deref()) else {
            return UpdateUserResponse::Unauthorized(error(401, "Invalid token."));
        };
        let Some(target) = shared.store.find(|user| user.ids.community == request.id) else {
            return UpdateUserResponse::NotFound(error(404, "Not found."));
        };
        if target != caller {
            return UpdateUserResponse::Forbidden(error(
                403,
                "You do not have permission to perform this action.",
            ));
        }
        let (patch, username, files): (canonical::ProfilePatch, Option<String>, Vec<ImagePart>) =
            match &request.body {
                UpdateUserBody::Json(body) | UpdateUserBody::Form(body) => {
                    (body.into(), body.username.clone(), Vec::new())
                }
                UpdateUserBody::Multipart(body) => {
                    let mut files = Vec::new();
                    if let Some(avatar) = &body.avatar {
                        files.push(("avatar", "image_url", avatar));
                    }
                    if let Some(cover) = &body.cover {
                        files.push(("cover", "cover_url", cover));
                    }
                    (body.into(), body.username.clone(), files)
                }
            };
        let result = shared.store.update(target, |user, others| {
            let mut errors = Vec::new();
            if let Some(username) = &username
                && username_taken(others, username)
            {
                errors.push(FieldError::new(
                    "username",
                    Location::Body,
                    "unique",
                    "A user with that username already exists.",
                ));
            }
            for (field, canonical_field, upload) in &files {
                store_image(user, field, canonical_field, upload, &mut errors);
            }
            if !errors.is_empty() {
                return Err(errors);
            }
            merge(&mut user.profile, &patch);
            Ok(user.clone())
        });
        match result {
            Some(Ok(user)) => match user_view(&user) {
                Some(view) => UpdateUserResponse::Ok(view),
                None => UpdateUserResponse::NotFound(error(404, "Not found.")),
            },
            Some(Err(errors)) => UpdateUserResponse::BadRequest(invalid(&errors)),
            None => UpdateUserResponse::NotFound(error(404, "Not found.")),
        }
    }
}
