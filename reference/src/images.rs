//! Real image detection for rpc's profile-image upload: by content, not by name or header.

/// A 1×1 PNG: what a server that takes any bytes as an image stores (the mutation self-test).
pub const SMALL_PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0dIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\x0d\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82";

/// The image format of a file, if it is a PNG, JPEG or GIF.
pub fn detect(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() >= 24 && &bytes[12..16] == b"IHDR" {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) && bytes.len() >= 4 {
        Some("image/jpeg")
    } else if (bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) && bytes.len() >= 13 {
        Some("image/gif")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01";
        assert_eq!(detect(png), Some("image/png"));
        assert_eq!(
            detect(b"GIF89a\x01\x00\x01\x00\x80\x00\x00"),
            Some("image/gif")
        );
        assert_eq!(
            detect(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some("image/jpeg")
        );
        assert_eq!(detect(b"\x89PNG but truncated"), None);
        assert_eq!(detect(b"not an image"), None);
        assert_eq!(detect(b""), None);
    }
}
