//! The string formats the validators check (`format: email`, `uri`, `uuid`, `date`,
//! `date-time`), each by a hand-written check that allocates nothing (a validator checks
//! every valid request with them).

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
    if value.is_ascii() {
        return is_ascii_email(value.as_bytes());
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
const ATEXT: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric()
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
            );
        byte += 1;
    }
    table
};

/// Letters, digits and `-`: what a domain label holds.
const LABEL: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || b == b'-';
        byte += 1;
    }
    table
};

/// [`is_email`] of an ASCII address, byte by byte: one pass, no searching twice.
fn is_ascii_email(bytes: &[u8]) -> bool {
    let Some(at) = bytes.iter().rposition(|&b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&bytes[..at], &bytes[at + 1..]);
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local[0] != b'.'
        && local[local.len() - 1] != b'.'
        && all_in(local, &ATEXT)
        && !local.windows(2).any(|pair| pair == b"..");
    if !local_ok || domain.len() > 253 {
        return false;
    }
    let mut labels = 0;
    let mut last: &[u8] = &[];
    for label in domain.split(|&b| b == b'.') {
        let label_ok = !label.is_empty()
            && label.len() <= 63
            && label[0] != b'-'
            && label[label.len() - 1] != b'-'
            && all_in(label, &LABEL);
        if !label_ok {
            return false;
        }
        labels += 1;
        last = label;
    }
    labels >= 2 && !last.iter().all(u8::is_ascii_digit)
}

/// Bytes that may follow an absolute URI's scheme: printable ASCII but space and
/// `<>"{}|\^` and the backquote (RFC 3986; anything else must be percent-encoded).
const URI_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0x21;
    while byte < 0x7F {
        table[byte] = !matches!(
            byte as u8,
            b'<' | b'>' | b'"' | b'{' | b'}' | b'|' | b'\\' | b'^' | b'`'
        );
        byte += 1;
    }
    table
};

/// An absolute URI (RFC 3986): a scheme, `:`, then ASCII without white space or control
/// characters (anything else must be percent-encoded: `format: uri` is not an IRI); `http`
/// and `https` need a host (`//host`).
#[inline]
pub fn is_uri(value: &str) -> bool {
    let bytes = value.as_bytes();
    let Some(colon) = bytes.iter().position(|&b| b == b':') else {
        return false;
    };
    let (scheme, rest) = (&bytes[..colon], &bytes[colon + 1..]);
    let scheme_ok = scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.');
    let rest_ok = !rest.is_empty() && all_in(rest, &URI_BYTES);
    if !scheme_ok || !rest_ok {
        return false;
    }
    if scheme.eq_ignore_ascii_case(b"http") || scheme.eq_ignore_ascii_case(b"https") {
        let Some(rest) = rest.strip_prefix(b"//") else {
            return false;
        };
        let end = rest
            .iter()
            .position(|&b| matches!(b, b'/' | b'?' | b'#'))
            .unwrap_or(rest.len());
        let authority = &rest[..end];
        let host = match authority.iter().rposition(|&b| b == b'@') {
            Some(at) => &authority[at + 1..],
            None => authority,
        };
        // A host, then maybe `:port`.
        host.first().is_some_and(|&b| b != b':')
    } else {
        true
    }
}

/// ASCII hex digits.
const HEX: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u8).is_ascii_hexdigit();
        byte += 1;
    }
    table
};

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

/// The number written by `digits` (ASCII digits only, at most nine of them).
fn number(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 9 {
        return None;
    }
    digits.iter().try_fold(0u32, |total, &b| {
        b.is_ascii_digit().then(|| total * 10 + u32::from(b - b'0'))
    })
}

/// A full date, `YYYY-MM-DD`, that exists (leap years included).
#[inline]
pub fn is_date(value: &str) -> bool {
    let bytes = value.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (
        number(&bytes[..4]),
        number(&bytes[5..7]),
        number(&bytes[8..]),
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
fn is_hours_minutes(text: &[u8]) -> bool {
    text.len() == 5
        && text[2] == b':'
        && number(&text[..2]).is_some_and(|hours| hours < 24)
        && number(&text[3..]).is_some_and(|minutes| minutes < 60)
}

/// An RFC 3339 date-time: a date, `T`, `hh:mm:ss` with optional fractional seconds, and an
/// offset (`Z` or `±hh:mm`).
#[inline]
pub fn is_date_time(value: &str) -> bool {
    // Byte by byte: every separator is ASCII, which never occurs inside a multi-byte
    // character, so splitting the bytes splits the text.
    let bytes = value.as_bytes();
    let Some(split) = bytes.iter().position(|&b| b == b'T' || b == b't') else {
        return false;
    };
    if !is_date(&value[..split]) {
        return false;
    }
    let time = &bytes[split + 1..];
    let (clock, offset) = match time.split_last() {
        Some((b'Z' | b'z', clock)) => (clock, None),
        _ => match time.iter().rposition(|&b| b == b'+' || b == b'-') {
            Some(at) => (&time[..at], Some(&time[at + 1..])),
            None => return false,
        },
    };
    if offset.is_some_and(|offset| !is_hours_minutes(offset)) {
        return false;
    }
    let (clock, fraction) = match clock.iter().position(|&b| b == b'.') {
        Some(dot) => (&clock[..dot], Some(&clock[dot + 1..])),
        None => (clock, None),
    };
    let fraction_ok = fraction
        .is_none_or(|fraction| !fraction.is_empty() && fraction.iter().all(u8::is_ascii_digit));
    fraction_ok
        && clock.len() == 8
        && clock[5] == b':'
        && is_hours_minutes(&clock[..5])
        // 60: a leap second.
        && number(&clock[6..]).is_some_and(|seconds| seconds <= 60)
}

#[cfg(test)]
mod tests {
    use super::*;

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
