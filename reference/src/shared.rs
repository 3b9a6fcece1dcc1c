//! What every face shares: the store, the fixtures, and the conversions between the store's
//! canonical profiles and the typed values of the generated code.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use profile_api::canonical::types as canonical;

use crate::faults::Fault;
use crate::fixtures::Fixtures;
use crate::store::{Store, User, UserRef};

/// The state behind every face.
#[derive(Debug)]
pub struct Shared {
    pub store: Store,
    pub fixtures: Fixtures,
    /// A fault injected for the mutation self-test, if any (see `faults`).
    pub fault: Option<Fault>,
}

impl Shared {
    pub fn new(fixtures: Fixtures, fault: Option<Fault>) -> Shared {
        let store = Store::new(&fixtures);
        let store = if fault == Some(Fault::UpdateNotStored) {
            store.discarding_writes()
        } else {
            store
        };
        Shared {
            store,
            fixtures,
            fault,
        }
    }

    /// Drops privileged fields from a patch (unless the server is faulty on purpose).
    pub fn without_privileged(&self, patch: Map<String, Value>) -> Map<String, Value> {
        if self.fault == Some(Fault::PrivilegedWritable) {
            patch
        } else {
            without_privileged(patch)
        }
    }

    /// The user a bearer token belongs to.
    pub fn by_token(&self, token: Option<&str>) -> Option<UserRef> {
        let token = token?;
        self.store.find(|user| user.token == token)
    }

    /// Whether the shared application key is right.
    pub fn app_key_ok(&self, key: Option<&str>) -> bool {
        key == Some(self.fixtures.app.api_key.as_str())
    }
}

/// The canonical typed profile of a stored user.
pub fn canonical_profile(user: &User) -> canonical::Profile {
    serde_json::from_value(Value::Object(user.profile.clone())).unwrap_or_default()
}

/// The canonical profile with the id a face knows the user by (community's integer, billing's
/// UUID, …), ready for the generated canonical → dialect conversion.
pub fn canonical_profile_as(user: &User, face_id: String) -> canonical::Profile {
    canonical::Profile {
        id: Some(face_id),
        ..canonical_profile(user)
    }
}

/// Merges a canonical patch (any serializable canonical value) into a stored profile: every
/// field it carries replaces the stored one; absent fields stay as they were.
pub fn merge<T: Serialize>(profile: &mut Map<String, Value>, patch: &T) {
    if let Ok(Value::Object(fields)) = serde_json::to_value(patch) {
        for (key, value) in fields {
            if !value.is_null() {
                profile.insert(key, value);
            }
        }
    }
}

/// The site's local info (languages, currencies, timezones), as the canonical API shows it;
/// other faces convert it with the generated adapters.
pub fn local_info(shared: &Shared) -> canonical::LocalInfo {
    let items = |list: &[crate::fixtures::KeyName]| {
        list.iter()
            .map(|item| canonical::LocalInfoItem {
                key: item.key.clone(),
                name: item.name.clone(),
            })
            .collect()
    };
    let info = &shared.fixtures.local_info;
    canonical::LocalInfo {
        languages: items(&info.languages),
        currencies: items(&info.currencies),
        timezones: items(&info.timezones),
    }
}

/// A typed error envelope from the JSON an `errors.rs` renders. The spec checks prove every
/// template fits its schema, and the reference tests render every one; should one still not
/// fit, the face answers with what it can and logs it.
pub fn envelope<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_json::from_value(value)
        .map_err(|error| format!("an error envelope does not fit its own schema: {error}"))
}

/// A stable checksum of an email-change token (FNV-1a over `token:new email`, hex).
/// rpc's `token_checksum_field` must be this value; see reference/README.md.
pub fn email_checksum(token: &str, email: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in token
        .bytes()
        .chain(std::iter::once(b':'))
        .chain(email.bytes())
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The canonical fields an ordinary caller may send and the server ignores: the spec's
/// `x-privileged` fields (spec/canonical.yaml, mapped from billing's), as the generator emits
/// them.
pub const PRIVILEGED: &[&str] = canonical::ProfilePatch::PRIVILEGED;

/// Drops privileged fields from a patch.
fn without_privileged(mut patch: Map<String, Value>) -> Map<String, Value> {
    patch.retain(|key, _| !PRIVILEGED.contains(&key.as_str()));
    patch
}

/// A patch as a JSON map (null fields dropped).
pub fn patch_map<T: Serialize>(patch: &T) -> Map<String, Value> {
    match serde_json::to_value(patch) {
        Ok(Value::Object(map)) => map.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        _ => Map::new(),
    }
}

/// Whether another user already holds `username`.
pub fn username_taken(others: &[User], username: &str) -> bool {
    others.iter().any(|other| {
        !other.deleted && other.profile.get("username").and_then(Value::as_str) == Some(username)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_keeps_what_the_patch_does_not_carry() {
        let mut profile = Map::new();
        profile.insert("first_name".into(), "Alice".into());
        profile.insert("email".into(), "a@example.com".into());
        merge(
            &mut profile,
            &serde_json::json!({"first_name": "Alicia", "email": null}),
        );
        assert_eq!(profile["first_name"], "Alicia");
        assert_eq!(profile["email"], "a@example.com");
    }

    #[test]
    fn checksums_are_stable() {
        assert_eq!(email_checksum("t", "a@b.c"), email_checksum("t", "a@b.c"));
        assert_ne!(email_checksum("t", "a@b.c"), email_checksum("t", "x@b.c"));
    }
}

/// Why an image upload was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadRefusal {
    /// These parts are not PNG, JPEG or GIF images.
    NotImages(Vec<&'static str>),
    /// Over the daily limit: the message says when uploads open again.
    Throttled(String),
    /// The user is gone.
    Gone,
}

/// Stores a profile image (rpc's and canonical's upload), within the user's daily limit; the
/// limit is per user across faces. Returns the image's URL.
pub fn upload_image(
    shared: &Shared,
    caller: UserRef,
    image: &[u8],
    cropped: &[u8],
) -> Result<String, UploadRefusal> {
    let not_images: Vec<&'static str> = [("image", image), ("cropped_image", cropped)]
        .into_iter()
        .filter(|(_, bytes)| crate::images::detect(bytes).is_none())
        .map(|(field, _)| field)
        .collect();
    if !not_images.is_empty() {
        return Err(UploadRefusal::NotImages(not_images));
    }
    let extension =
        crate::images::detect(image).map_or("jpg", |kind| kind.trim_start_matches("image/"));
    let limit = shared.fixtures.limits.daily_image_uploads;
    let now = now();
    let day = now / 86_400;
    let result = shared.store.update(caller, |user, _| {
        let (stored_day, count) = user.uploads;
        let count = if stored_day == day { count } else { 0 };
        if count >= limit && shared.fault != Some(Fault::ThrottleNotEnforced) {
            let left = 86_400 - now % 86_400;
            return Err(UploadRefusal::Throttled(format!(
                "Your daily profile update limit exceeded. Expected available in {:02} hours {} minutes and {:02} seconds.",
                left / 3600,
                left % 3600 / 60,
                left % 60
            )));
        }
        user.uploads = (day, count + 1);
        let url = format!("https://images.example.com/profile/{}/{}.{extension}", user.ids.canonical, count + 1);
        user.profile.insert("image_url".into(), Value::String(url.clone()));
        Ok(url)
    });
    result.unwrap_or(Err(UploadRefusal::Gone))
}
