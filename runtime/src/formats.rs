//! The string formats the validators check (`format: email`, `uri`, `uuid`, `date`,
//! `date-time`), each by a hand-written check that allocates nothing (a validator checks
//! every valid request with them).

/// A table of the 256 bytes, `true` where `$test` holds of `$b` (a `const` block: a closure
/// cannot be called there).
macro_rules! byte_table {
    (|$b:ident| $test:expr) => {{
        let mut table = [false; 256];
        let mut index = 0;
        while index < 256 {
            let $b = index as u8;
            table[index] = $test;
            index += 1;
        }
        table
    }};
}

/// Whether every byte of `bytes` is in `table`: eight at a time, without a branch per byte
/// (the checks run on every valid request).
fn all_in(bytes: &[u8], table: &[bool; 256]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        if !chunk
            .iter()
            .fold(true, |all, &b| all & table[usize::from(b)])
        {
            return false;
        }
    }
    chunks.remainder().iter().all(|&b| table[usize::from(b)])
}

/// An email address: `local@domain`, the domain made of at least two dot-separated labels of
/// letters, digits and inner hyphens.
#[inline]
pub fn is_email(value: &str) -> bool {
    // The ASCII check refuses every byte past ASCII: only then is the text looked at again.
    if is_ascii_email(value.as_bytes()) {
        return true;
    }
    if value.is_ascii() {
        return false;
    }
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| {
            if c.is_ascii() {
                ATEXT[usize::from(c as u8)]
            } else {
                c.is_alphanumeric()
            }
        });
    if !local_ok || domain.len() > 253 {
        return false;
    }
    let mut labels = 0;
    let mut last = "";
    for label in domain.split('.') {
        let label_ok = !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-');
        if !label_ok {
            return false;
        }
        labels += 1;
        last = label;
    }
    // An all-digit top label is an IP address's, not a domain's.
    labels >= 2 && !last.bytes().all(|b| b.is_ascii_digit())
}

/// RFC 5322's `atext` (letters, digits and its specials) and `.`: what a local part holds.
const ATEXT: [bool; 256] = byte_table!(|b| b.is_ascii_alphanumeric()
    || matches!(
        b,
        b'!' | b'#'
            | b'$'
            | b'%'
            | b'&'
            | b'\''
            | b'*'
            | b'+'
            | b'/'
            | b'='
            | b'?'
            | b'^'
            | b'_'
            | b'`'
            | b'{'
            | b'|'
            | b'}'
            | b'~'
            | b'.'
            | b'-'
    ));

/// Letters, digits and `-`: what a domain label holds.
const LABEL: [bool; 256] = byte_table!(|b| b.is_ascii_alphanumeric() || b == b'-');

/// [`LABEL`] and `.`: what a domain holds.
const LABEL_OR_DOT: [bool; 256] = byte_table!(|b| LABEL[b as usize] || b == b'.');

/// [`is_email`] of an ASCII address, byte by byte: one pass over each part.
fn is_ascii_email(bytes: &[u8]) -> bool {
    let Some(at) = bytes.iter().rposition(|&b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&bytes[..at], &bytes[at + 1..]);
    let (Some(&first), Some(&last)) = (local.first(), local.last()) else {
        return false;
    };
    if local.len() > 64 || first == b'.' || last == b'.' || domain.len() > 253 {
        return false;
    }
    // Every byte `atext` or `.`, and no `.` right after another: one pass, no branch per byte.
    let mut ok = true;
    let mut previous = 0u8;
    for &b in local {
        ok &= ATEXT[usize::from(b)] & !(b == b'.' && previous == b'.');
        previous = b;
    }
    if !ok {
        return false;
    }
    // Labels of letters, digits and inner hyphens, 1 to 63 bytes; at least two; the last
    // not all digits (an IP address's, not a domain's). The bytes first, in one pass with no
    // branch per byte, then each label's ends.
    if !all_in(domain, &LABEL_OR_DOT) {
        return false;
    }
    let mut labels = 0;
    let mut last: &[u8] = &[];
    for label in domain.split(|&b| b == b'.') {
        let (Some(&first), Some(&end)) = (label.first(), label.last()) else {
            return false;
        };
        if label.len() > 63 || first == b'-' || end == b'-' {
            return false;
        }
        labels += 1;
        last = label;
    }
    labels >= 2 && !last.iter().all(u8::is_ascii_digit)
}

/// Bytes that may follow an absolute URI's scheme: printable ASCII but space and
/// `<>"{}|\^` and the backquote (RFC 3986; anything else must be percent-encoded).
const URI_BYTES: [bool; 256] = byte_table!(|b| b > 0x20
    && b < 0x7F
    && !matches!(
        b,
        b'<' | b'>' | b'"' | b'{' | b'}' | b'|' | b'\\' | b'^' | b'`'
    ));

/// Letters, digits, `+`, `-` and `.`: what a URI scheme holds after its first letter.
const SCHEME: [bool; 256] =
    byte_table!(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));

/// An absolute URI (RFC 3986): a scheme, `:`, then ASCII without white space or control
/// characters (anything else must be percent-encoded: `format: uri` is not an IRI); `http`
/// and `https` need a host (`//host`).
#[inline]
pub fn is_uri(value: &str) -> bool {
    let bytes = value.as_bytes();
    // Most are `http://` or `https://` (any case): the scheme in one comparison.
    if let Some(rest) = after_http(bytes) {
        // One pass tells whether every byte may be there and whether any is an `@`; without
        // one, the host starts right after `//`.
        let (allowed, at_sign) = uri_bytes(rest);
        return allowed
            && if at_sign {
                has_host(rest)
            } else {
                rest.first()
                    .is_some_and(|&b| !matches!(b, b':' | b'/' | b'?' | b'#'))
            };
    }
    if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    // The scheme runs to the first byte that cannot be in one, which must be the `:`.
    let colon = bytes
        .iter()
        .position(|&b| !SCHEME[usize::from(b)])
        .unwrap_or(bytes.len());
    if bytes.get(colon) != Some(&b':') {
        return false;
    }
    let (scheme, rest) = (&bytes[..colon], &bytes[colon + 1..]);
    if rest.is_empty() || !all_in(rest, &URI_BYTES) {
        return false;
    }
    if !(scheme.eq_ignore_ascii_case(b"http") || scheme.eq_ignore_ascii_case(b"https")) {
        return true;
    }
    rest.strip_prefix(b"//").is_some_and(has_host)
}

/// [`URI_BYTES`] with a second bit for `@`.
const URI_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = URI_BYTES[byte] as u8 | (((byte == b'@' as usize) as u8) << 1);
        byte += 1;
    }
    table
};

/// Whether every byte of `rest` is in [`URI_BYTES`], and whether one is an `@`: eight bytes at
/// a time, without a branch per byte.
#[inline]
fn uri_bytes(rest: &[u8]) -> (bool, bool) {
    let (mut all, mut any) = (1u8, 0u8);
    let mut chunks = rest.chunks_exact(8);
    for chunk in &mut chunks {
        for &b in chunk {
            let class = URI_CLASS[usize::from(b)];
            all &= class;
            any |= class;
        }
    }
    for &b in chunks.remainder() {
        let class = URI_CLASS[usize::from(b)];
        all &= class;
        any |= class;
    }
    (all & 1 == 1, any & 2 == 2)
}

/// What follows `http://` or `https://` (the scheme in any case), when `bytes` starts with
/// one of them: eight bytes read as one number, letters folded to lower case by a mask.
#[inline]
fn after_http(bytes: &[u8]) -> Option<&[u8]> {
    let first: [u8; 8] = bytes.get(..8)?.try_into().ok()?;
    let word = u64::from_le_bytes(first);
    // 0x20 on the letters' bytes: `https` is five, `http` four.
    const HTTPS: u64 = u64::from_le_bytes(*b"https://");
    const HTTP: u64 = u64::from_le_bytes(*b"http://\0");
    if word | 0x20_2020_2020 == HTTPS {
        Some(&bytes[8..])
    } else if (word & 0x00FF_FFFF_FFFF_FFFF) | 0x2020_2020 == HTTP {
        Some(&bytes[7..])
    } else {
        None
    }
}

/// Whether the authority at the start of `rest` (up to `/`, `?` or `#`) has a host: what
/// follows its last `@` (there is seldom one) and ends at a `:`, `/`, `?` or `#` is not empty.
#[inline]
fn has_host(rest: &[u8]) -> bool {
    let host_start = match rest.iter().position(|&b| HOST_STOP[usize::from(b)]) {
        Some(at) if rest[at] == b'@' => {
            let authority_end = rest
                .iter()
                .position(|&b| matches!(b, b'/' | b'?' | b'#'))
                .unwrap_or(rest.len());
            rest[..authority_end]
                .iter()
                .rposition(|&b| b == b'@')
                .map_or(0, |at| at + 1)
        }
        _ => 0,
    };
    rest.get(host_start)
        .is_some_and(|&b| !matches!(b, b':' | b'/' | b'?' | b'#'))
}

/// `/`, `?`, `#` (where a URI's authority ends) and `@` (where its user information does).
const HOST_STOP: [bool; 256] = byte_table!(|b| matches!(b, b'/' | b'?' | b'#' | b'@'));

/// ASCII hex digits.
const HEX: [bool; 256] = byte_table!(|b| b.is_ascii_hexdigit());

/// A UUID in its hyphenated form (`3fa85f64-5717-4562-b3fc-2c963f66afa6`, any case).
#[inline]
pub fn is_uuid(value: &str) -> bool {
    let bytes = value.as_bytes();
    let hex = |range: std::ops::Range<usize>| bytes[range].iter().all(|&b| HEX[usize::from(b)]);
    bytes.len() == 36
        && bytes[8] == b'-'
        && bytes[13] == b'-'
        && bytes[18] == b'-'
        && bytes[23] == b'-'
        && hex(0..8)
        && hex(9..13)
        && hex(14..18)
        && hex(19..23)
        && hex(24..36)
}

/// The number written by the `N` ASCII digits of `bytes` (exactly `N` bytes, all digits):
/// every digit read without a branch, then one test.
#[inline]
fn number<const N: usize>(bytes: &[u8]) -> Option<u32> {
    let digits: &[u8; N] = bytes.try_into().ok()?;
    let mut total = 0u32;
    let mut all_digits = true;
    for &b in digits {
        let digit = b.wrapping_sub(b'0');
        all_digits &= digit < 10;
        // No overflow: at most four digits of at most 255 each.
        total = total * 10 + u32::from(digit);
    }
    all_digits.then_some(total)
}

/// A full date, `YYYY-MM-DD`, that exists (leap years included).
#[inline]
pub fn is_date(value: &str) -> bool {
    let bytes = value.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (
        number::<4>(&bytes[..4]),
        number::<2>(&bytes[5..7]),
        number::<2>(&bytes[8..]),
    ) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// `hh:mm` with hours below 24 and minutes below 60.
#[inline]
fn is_hours_minutes(text: &[u8]) -> bool {
    text.len() == 5
        && text[2] == b':'
        && number::<2>(&text[..2]).is_some_and(|hours| hours < 24)
        && number::<2>(&text[3..]).is_some_and(|minutes| minutes < 60)
}

/// An RFC 3339 date-time: a date, `T`, `hh:mm:ss` with optional fractional seconds, and an
/// offset (`Z` or `±hh:mm`).
#[inline]
pub fn is_date_time(value: &str) -> bool {
    // A fixed layout, read by position: `YYYY-MM-DD` `T` `hh:mm:ss` [`.` digits] (`Z` | ±`hh:mm`).
    let bytes = value.as_bytes();
    if bytes.len() < 20 || !matches!(bytes[10], b'T' | b't') || !is_date(&value[..10]) {
        return false;
    }
    let clock = &bytes[11..19];
    let clock_ok = clock[5] == b':'
        && is_hours_minutes(&clock[..5])
        // 60: a leap second.
        && number::<2>(&clock[6..]).is_some_and(|seconds| seconds <= 60);
    if !clock_ok {
        return false;
    }
    let mut rest = &bytes[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        rest = &fraction[digits..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', offset @ ..] => is_hours_minutes(offset),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first, plainer checks (string splitting, allocating): what the fast ones must agree
    /// with on every input.
    mod reference {
        pub(super) fn is_email(value: &str) -> bool {
            let Some((local, domain)) = value.rsplit_once('@') else {
                return false;
            };
            let local_ok = !local.is_empty()
                && local.len() <= 64
                && !local.starts_with('.')
                && !local.ends_with('.')
                && !local.contains("..")
                && local
                    .chars()
                    .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
            let labels: Vec<&str> = domain.split('.').collect();
            let domain_ok = labels.len() >= 2
                && domain.len() <= 253
                && labels.iter().all(|label| {
                    !label.is_empty()
                        && label.len() <= 63
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                        && label.chars().all(|c| c.is_alphanumeric() || c == '-')
                })
                && labels
                    .last()
                    .is_some_and(|top| !top.chars().all(|c| c.is_ascii_digit()));
            local_ok && domain_ok
        }

        /// An absolute URI (RFC 3986): a scheme, `:`, then ASCII without white space or control
        /// characters (anything else must be percent-encoded: `format: uri` is not an IRI); `http`
        /// and `https` need a host (`//host`).
        pub(super) fn is_uri(value: &str) -> bool {
            let Some((scheme, rest)) = value.split_once(':') else {
                return false;
            };
            let scheme_ok = scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.');
            let rest_ok = !rest.is_empty()
                && !rest.chars().any(|c| {
                    !c.is_ascii()
                        || c.is_whitespace()
                        || c.is_control()
                        || "<>\"{}|\\^`".contains(c)
                });
            let host_ok =
                if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
                    rest.strip_prefix("//").is_some_and(|rest| {
                        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
                        let host = authority.rsplit('@').next().unwrap_or_default();
                        let host = host.split(':').next().unwrap_or_default();
                        !host.is_empty()
                    })
                } else {
                    true
                };
            scheme_ok && rest_ok && host_ok
        }

        /// A UUID in its hyphenated form (`3fa85f64-5717-4562-b3fc-2c963f66afa6`, any case).
        pub(super) fn is_uuid(value: &str) -> bool {
            value.len() == 36
                && value.char_indices().all(|(index, c)| match index {
                    8 | 13 | 18 | 23 => c == '-',
                    _ => c.is_ascii_hexdigit(),
                })
        }

        fn digits(text: &str) -> Option<u32> {
            if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            text.parse().ok()
        }

        /// A full date, `YYYY-MM-DD`, that exists (leap years included).
        pub(super) fn is_date(value: &str) -> bool {
            let parts: Vec<&str> = value.split('-').collect();
            let [year, month, day] = parts.as_slice() else {
                return false;
            };
            if year.len() != 4 || month.len() != 2 || day.len() != 2 {
                return false;
            }
            let (Some(year), Some(month), Some(day)) = (digits(year), digits(month), digits(day))
            else {
                return false;
            };
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let days = match month {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => return false,
            };
            (1..=days).contains(&day)
        }

        /// An RFC 3339 date-time: a date, `T`, `hh:mm:ss` with optional fractional seconds, and an
        /// offset (`Z` or `±hh:mm`).
        pub(super) fn is_date_time(value: &str) -> bool {
            let Some((date, time)) = value.split_once(['T', 't']) else {
                return false;
            };
            if !is_date(date) {
                return false;
            }
            let (clock, offset) =
                if let Some(clock) = time.strip_suffix('Z').or_else(|| time.strip_suffix('z')) {
                    (clock, None)
                } else {
                    match time.rfind(['+', '-']) {
                        Some(at) => (&time[..at], Some(&time[at + 1..])),
                        None => return false,
                    }
                };
            let offset_ok = match offset {
                None => true,
                Some(offset) => match offset.split_once(':') {
                    Some((hours, minutes)) => {
                        hours.len() == 2
                            && minutes.len() == 2
                            && digits(hours).is_some_and(|hours| hours < 24)
                            && digits(minutes).is_some_and(|minutes| minutes < 60)
                    }
                    None => false,
                },
            };
            let (clock, fraction) = match clock.split_once('.') {
                Some((clock, fraction)) => (clock, Some(fraction)),
                None => (clock, None),
            };
            let fraction_ok = fraction.is_none_or(|fraction| {
                !fraction.is_empty() && fraction.chars().all(|c| c.is_ascii_digit())
            });
            let parts: Vec<&str> = clock.split(':').collect();
            let clock_ok = match parts.as_slice() {
                [hours, minutes, seconds] => {
                    hours.len() == 2
                        && minutes.len() == 2
                        && seconds.len() == 2
                        && digits(hours).is_some_and(|hours| hours < 24)
                        && digits(minutes).is_some_and(|minutes| minutes < 60)
                        // 60: a leap second.
                        && digits(seconds).is_some_and(|seconds| seconds <= 60)
                }
                _ => false,
            };
            offset_ok && fraction_ok && clock_ok
        }
    }

    /// Every string one edit away from `seeds`: each byte replaced by each of `alphabet`,
    /// deleted, or doubled.
    fn neighbours(seeds: &[&str], alphabet: &str) -> Vec<String> {
        let mut found = Vec::new();
        for seed in seeds {
            let chars: Vec<char> = seed.chars().collect();
            found.push((*seed).to_owned());
            for index in 0..chars.len() {
                let (before, after) = (&chars[..index], &chars[index + 1..]);
                let text = |middle: &str| {
                    before.iter().collect::<String>() + middle + &after.iter().collect::<String>()
                };
                found.push(text(""));
                found.push(text(&format!("{0}{0}", chars[index])));
                for c in alphabet.chars() {
                    found.push(text(&c.to_string()));
                }
            }
        }
        found
    }

    #[test]
    fn the_fast_checks_agree_with_the_reference_ones() {
        let alphabet = "aZ09.-_@:/?#+Tt Zz\u{e9}\u{A0}<%";
        for text in neighbours(
            &["jane.doe@example.com", "a@b.co", "x.y@1.2.3.4", "é@ü.de"],
            alphabet,
        ) {
            assert_eq!(
                is_email(&text),
                reference::is_email(&text),
                "email {text:?}"
            );
        }
        for text in neighbours(
            &[
                "https://u@example.com:80/p?q#f",
                "http://x",
                "HtTpS://a@b/c@d",
                "HTTP://ab",
                "mailto:a@b.co",
                "urn:a",
            ],
            alphabet,
        ) {
            assert_eq!(is_uri(&text), reference::is_uri(&text), "uri {text:?}");
        }
        for text in neighbours(
            &[
                "2024-05-31T12:30:00.250+02:00",
                "2024-02-29t23:59:60z",
                "2000-01-01T00:00:00-05:30",
            ],
            "0123456789:.+-TtZz ",
        ) {
            assert_eq!(
                is_date_time(&text),
                reference::is_date_time(&text),
                "date-time {text:?}"
            );
        }
        for text in neighbours(&["3fa85f64-5717-4562-b3fc-2c963f66afa6"], "0aG-") {
            assert_eq!(is_uuid(&text), reference::is_uuid(&text), "uuid {text:?}");
        }
        for text in neighbours(&["2024-02-29", "1900-12-31"], "0123456789-") {
            assert_eq!(is_date(&text), reference::is_date(&text), "date {text:?}");
        }
    }

    #[test]
    fn emails() {
        for valid in [
            "a@b.co",
            "first.last+tag@mail.example.org",
            "élise@exemple.fr",
        ] {
            assert!(is_email(valid), "{valid}");
        }
        for invalid in [
            "",
            "plain",
            "@b.co",
            "a@b",
            "a@b.",
            ".a@b.co",
            "a.@b.co",
            "a..b@c.co",
            "a@-b.co",
            "a@b-.co",
            "a@b.123",
            "a b@c.co",
            "a@b..co",
        ] {
            assert!(!is_email(invalid), "{invalid}");
        }
        assert!(!is_email(&format!("{}@b.co", "a".repeat(65))));
    }

    #[test]
    fn uris() {
        for valid in [
            "https://example.com",
            "http://user@host:8080/p?q#f",
            "mailto:a@b.co",
            "urn:isbn:0451450523",
            "HTTPS://EXAMPLE.COM",
        ] {
            assert!(is_uri(valid), "{valid}");
        }
        for invalid in [
            "",
            "example.com",
            "https:",
            "https:example.com",
            "https://",
            "https://:80/",
            "1http://x.y",
            "https://exa mple.com",
            "https://example.com/é",
            "https://example.com/{x}",
        ] {
            assert!(!is_uri(invalid), "{invalid}");
        }
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("3fa85f64-5717-4562-b3fc-2c963f66afa6"));
        assert!(is_uuid("3FA85F64-5717-4562-B3FC-2C963F66AFA6"));
        assert!(!is_uuid("3fa85f64571745621b3fc2c963f66afa6"));
        assert!(!is_uuid("3fa85f64-5717-4562-b3fc-2c963f66afag"));
        assert!(!is_uuid("3fa85f64-5717-4562-b3fc-2c963f66afa"));
        assert!(!is_uuid("3fa85f6-45717-4562-b3fc-2c963f66afa6"));
    }

    #[test]
    fn dates_exist() {
        assert!(is_date("2024-02-29"));
        assert!(is_date("2000-02-29"));
        assert!(!is_date("1900-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2024-04-31"));
        assert!(!is_date("2024-13-01"));
        assert!(!is_date("2024-00-10"));
        assert!(!is_date("24-01-01"));
        assert!(!is_date("2024-1-01"));
        assert!(!is_date("2024-01-01-"));
        assert!(!is_date("+024-01-01"));
    }

    #[test]
    fn date_times_have_a_clock_and_an_offset() {
        for valid in [
            "2024-01-31T12:30:00Z",
            "2024-01-31t12:30:00z",
            "2024-01-31T12:30:00.123456Z",
            "2024-01-31T23:59:60+01:00",
            "2024-01-31T00:00:00-05:30",
        ] {
            assert!(is_date_time(valid), "{valid}");
        }
        for invalid in [
            "2024-01-31",
            "2024-01-31T12:30:00",
            "2024-01-31 12:30:00Z",
            "2024-01-31T24:00:00Z",
            "2024-01-31T12:60:00Z",
            "2024-01-31T12:30:61Z",
            "2024-01-31T12:30Z",
            "2024-01-31T12:30:00.Z",
            "2024-01-31T12:30:00+1:00",
            "2024-01-31T12:30:00+24:00",
            "2024-01-31T12:30:00+0100",
            "2024-02-30T12:30:00Z",
        ] {
            assert!(!is_date_time(invalid), "{invalid}");
        }
    }
}
