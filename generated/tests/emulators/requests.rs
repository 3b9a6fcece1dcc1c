//! The canonical requests the vendors' canonical tests send through their adapters.

use profile_api::canonical::operations::*;
use profile_api::canonical::types::{
    EmailChange, ProfileImageUpload, ProfilePatch, ProfileReplace,
};

use crate::payloads::png;

pub fn get_profile(credentials: &Credentials, id: &str) -> GetProfileRequest {
    GetProfileRequest {
        credentials: credentials.clone(),
        id: id.to_owned(),
    }
}

pub fn update_profile(
    credentials: &Credentials,
    id: &str,
    patch: ProfilePatch,
) -> UpdateProfileRequest {
    UpdateProfileRequest {
        credentials: credentials.clone(),
        id: id.to_owned(),
        body: UpdateProfileBody::Json(patch),
    }
}

pub fn replace_profile(
    credentials: &Credentials,
    id: &str,
    replace: ProfileReplace,
) -> ReplaceProfileRequest {
    ReplaceProfileRequest {
        credentials: credentials.clone(),
        id: id.to_owned(),
        body: ReplaceProfileBody::Json(replace),
    }
}

pub fn delete_profile(credentials: &Credentials, id: &str) -> DeleteProfileRequest {
    DeleteProfileRequest {
        credentials: credentials.clone(),
        id: id.to_owned(),
    }
}

/// A PNG as the image and as its cropped version.
pub fn upload_profile_image(credentials: &Credentials, id: &str) -> UploadProfileImageRequest {
    UploadProfileImageRequest {
        credentials: credentials.clone(),
        id: id.to_owned(),
        body: UploadProfileImageBody::Multipart(ProfileImageUpload {
            image: png("portrait.png"),
            cropped_image: png("portrait-cropped.png"),
        }),
    }
}

pub fn get_local_info(credentials: &Credentials) -> GetLocalInfoRequest {
    GetLocalInfoRequest {
        credentials: credentials.clone(),
    }
}

pub fn verify_email_change(
    credentials: &Credentials,
    id: &str,
    change: EmailChange,
) -> VerifyEmailChangeRequest {
    VerifyEmailChangeRequest {
        credentials: credentials.clone(),
        id: id.to_owned(),
        body: VerifyEmailChangeBody::Json(change),
    }
}

/// Any email change: for the vendors that refuse the operation before looking at it.
pub fn some_email_change() -> EmailChange {
    EmailChange {
        email: "new@example.com".into(),
        token: "token".into(),
        token_checksum: "checksum".into(),
    }
}

/// A `ProfileReplace` with its required fields (`first_name`, `email`) set and every other
/// field absent: the generated struct has no `Default`, since two fields are required.
pub fn replace(first_name: &str, email: &str) -> ProfileReplace {
    serde_json::from_value(serde_json::json!({"first_name": first_name, "email": email}))
        .expect("a ProfileReplace with only its required fields")
}
