//! Values the checks send: a field that makes a body too large, images by their magic bytes,
//! and the reasons a status is beyond the generated client.

use profile_api::support::Upload;

/// Why a 415 is beyond the generated client: it sends only the media types the operation
/// lists, by construction (the body enum has one variant per listed type).
pub const UNLISTED_MEDIA_TYPE: &str =
    "415: the client sends only the media types the operation lists (one body variant each)";

/// A text field that puts any body over the emulators' 1 MiB limit (413).
pub fn over_a_mebibyte() -> String {
    "a".repeat(1024 * 1024 + 1)
}

/// A PNG as the emulators recognise it (by its signature), named `name`.
pub fn png(name: &str) -> Upload {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(b"\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0");
    Upload {
        filename: Some(name.to_owned()),
        content_type: Some("image/png".to_owned()),
        bytes,
    }
}

/// A file that is no image at all.
pub fn text_file(name: &str) -> Upload {
    Upload {
        filename: Some(name.to_owned()),
        content_type: Some("text/plain".to_owned()),
        bytes: b"not an image".to_vec(),
    }
}

/// A PNG over the 1 MiB body limit.
pub fn huge_png(name: &str) -> Upload {
    let mut upload = png(name);
    upload.bytes.resize(1024 * 1024 + 1, 0);
    upload
}
