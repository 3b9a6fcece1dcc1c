//! Servers for the harness's own tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod cl2c;

/// The harness's credentials for a face of the reference server (its fixtures' users).
pub fn reference_credentials(face: reference::FaceCredentials) -> conformance::Credentials {
    conformance::Credentials {
        api_key: face.api_key,
        token: face.token,
        tenant: face.tenant,
        user_id: face.user_id,
        other_user_id: face.other_user_id,
        other_token: face.other_token,
    }
}
