//! Media types: whether one an operation lists covers the one a request or a part sends.

/// Whether a media type an operation lists (`application/json`, `image/*`, `*/*`) covers
/// `essence` (lowercase, without parameters).
pub fn media_type_matches(listed: &str, essence: &str) -> bool {
    let listed = listed
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if listed == "*/*" {
        return true;
    }
    match listed.strip_suffix("/*") {
        Some(kind) => essence
            .split_once('/')
            .is_some_and(|(essence_kind, _)| essence_kind == kind),
        None => listed == essence,
    }
}

/// Whether a part's media type is one of `allowed` (none given: it is not).
pub fn media_type_allowed(content_type: Option<&str>, allowed: &[&str]) -> bool {
    let Some(content_type) = content_type else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    allowed
        .iter()
        .any(|listed| media_type_matches(listed, &essence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_cover_their_kind() {
        assert!(media_type_matches("application/json", "application/json"));
        assert!(media_type_matches(
            "Application/JSON; charset=utf-8",
            "application/json"
        ));
        assert!(media_type_matches("image/*", "image/png"));
        assert!(!media_type_matches("image/*", "text/plain"));
        assert!(media_type_matches("*/*", "anything/at-all"));
        assert!(!media_type_matches("text/plain", "text/html"));
    }

    #[test]
    fn a_part_without_a_media_type_is_not_allowed() {
        assert!(media_type_allowed(Some("IMAGE/PNG; q=1"), &["image/png"]));
        assert!(!media_type_allowed(
            Some("text/plain"),
            &["image/png", "image/jpeg"]
        ));
        assert!(!media_type_allowed(None, &["*/*"]));
    }
}
