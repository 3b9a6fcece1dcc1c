//! `minLength` and `maxLength` count characters (Unicode scalar values), and counting them
//! walks the whole string. Its byte length (known at once) settles most cases: a character is
//! one to four bytes, so `chars ≤ bytes ≤ 4 × chars`.

/// A character is at most this many bytes in UTF-8.
const MAX_CHAR_BYTES: usize = 4;

/// Whether `text` has fewer than `min` characters; counted only when the byte length cannot
/// tell.
#[inline]
pub fn shorter_than(text: &str, min: usize) -> bool {
    let bytes = text.len();
    if bytes < min {
        true
    } else if bytes >= min.saturating_mul(MAX_CHAR_BYTES) {
        false
    } else {
        text.chars().count() < min
    }
}

/// Whether `text` has more than `max` characters; counted only when the byte length cannot
/// tell.
#[inline]
pub fn longer_than(text: &str, max: usize) -> bool {
    let bytes = text.len();
    if bytes <= max {
        false
    } else if bytes > max.saturating_mul(MAX_CHAR_BYTES) {
        true
    } else {
        text.chars().count() > max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_length_settles_or_the_characters_are_counted() {
        for text in ["", "a", "ab", "é", "éé", "日本語", "🦀🦀", "a🦀b", "ééééé"] {
            let chars = text.chars().count();
            for bound in 0..12 {
                assert_eq!(
                    shorter_than(text, bound),
                    chars < bound,
                    "{text:?} < {bound}"
                );
                assert_eq!(
                    longer_than(text, bound),
                    chars > bound,
                    "{text:?} > {bound}"
                );
            }
        }
        assert!(!longer_than("x", usize::MAX));
        assert!(shorter_than("x", usize::MAX));
    }
}
