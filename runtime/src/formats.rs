//! The string formats the validators check (`format: email`, `uri`, `uuid`, `date`,
//! `date-time`), each by a hand-written check.

/// An email address: `local@domain`, the domain made of at least two dot-separated labels of
/// letters, digits and inner hyphens.
pub fn is_email(value: &str) -> bool {
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
pub fn is_uri(value: &str) -> bool {
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
            !c.is_ascii() || c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c)
        });
    let host_ok = if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
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
pub fn is_uuid(value: &str) -> bool {
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
pub fn is_date(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return false;
    };
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(year), digits(month), digits(day)) else {
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
pub fn is_date_time(value: &str) -> bool {
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
