//! Path parameters as the generated routers read them: whole segments, and parameters that
//! are part of a segment (`/flags/{country}.{format}`, `/thumbnail.{extension}`).

use crate::percent::percent_bytes;

/// Segment `index` of a path (`/users/42` → `42` at 2), percent-decoded (invalid UTF-8
/// replaced).
pub fn path_segment(path: &str, index: usize) -> Option<String> {
    path.split('/')
        .nth(index)
        .map(|segment| String::from_utf8_lossy(&percent_bytes(segment)).into_owned())
}

/// The raw values of the `{name}`s of `template` (`{country}.{format}`,
/// `thumbnail.{extension}`) in `segment`, when it matches: its literal text where the
/// template has it, and a non-empty value for each parameter (up to the next literal text;
/// the last literal text is the segment's end).
pub fn segment_values<'a>(segment: &'a str, template: &'a str) -> Option<Vec<(&'a str, &'a str)>> {
    // The template as alternating pieces: (is a parameter, its name or literal text).
    let mut pieces: Vec<(bool, &str)> = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let length = rest[start..].find('}')?;
        pieces.push((false, &rest[..start]));
        pieces.push((true, &rest[start + 1..start + length]));
        rest = &rest[start + length + 1..];
    }
    pieces.push((false, rest));
    let mut values = Vec::new();
    let mut at = 0;
    for (position, &(parameter, text)) in pieces.iter().enumerate() {
        if !parameter {
            if !segment[at..].starts_with(text) {
                return None;
            }
            at += text.len();
            continue;
        }
        let next = pieces.get(position + 1).map_or("", |piece| piece.1);
        let end = if position + 2 == pieces.len() {
            // The last parameter ends where the segment's closing literal text begins.
            segment
                .len()
                .checked_sub(next.len())
                .filter(|end| *end >= at && segment[*end..] == *next)?
        } else if next.is_empty() {
            at
        } else {
            at + segment[at..].find(next)?
        };
        if end == at {
            return None;
        }
        values.push((text, &segment[at..end]));
        at = end;
    }
    (at == segment.len()).then_some(values)
}

/// Parameter `name` of segment `index`, a segment with more than the parameter (`template`,
/// as [`segment_values`] reads it), percent-decoded.
pub fn path_part(path: &str, index: usize, template: &str, name: &str) -> Option<String> {
    let segment = path.split('/').nth(index)?;
    segment_values(segment, template)?
        .into_iter()
        .find(|(parameter, _)| *parameter == name)
        .map(|(_, value)| String::from_utf8_lossy(&percent_bytes(value)).into_owned())
}

/// Whether `path` matches `template` segment by segment where a segment holds a parameter
/// and more (the router matched the rest).
pub fn path_matches(path: &str, template: &str) -> bool {
    path.split('/')
        .zip(template.split('/'))
        .all(|(segment, pattern)| {
            !pattern.contains('{')
                || (pattern.starts_with('{')
                    && pattern.ends_with('}')
                    && pattern.matches('{').count() == 1)
                || segment_values(segment, pattern).is_some()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_counted_from_the_leading_slash_and_decoded() {
        assert_eq!(path_segment("/users/42", 2).as_deref(), Some("42"));
        assert_eq!(path_segment("/users/a%20b", 2).as_deref(), Some("a b"));
        assert_eq!(path_segment("/users", 2), None);
    }

    #[test]
    fn partial_segments_split_on_their_literal_text() {
        assert_eq!(
            segment_values("fr.svg", "{country}.{format}"),
            Some(vec![("country", "fr"), ("format", "svg")])
        );
        assert_eq!(
            segment_values("thumbnail.png", "thumbnail.{extension}"),
            Some(vec![("extension", "png")])
        );
        assert_eq!(
            segment_values("a.b.tar.gz", "{name}.tar.gz"),
            Some(vec![("name", "a.b")])
        );
        assert_eq!(segment_values("thumb.png", "thumbnail.{extension}"), None);
        assert_eq!(segment_values(".svg", "{country}.{format}"), None);
        assert_eq!(segment_values("fr.", "{country}.{format}"), None);
    }

    #[test]
    fn a_part_is_read_and_decoded() {
        assert_eq!(
            path_part("/flags/f%20r.svg", 2, "{country}.{format}", "country").as_deref(),
            Some("f r")
        );
        assert_eq!(
            path_part("/flags/fr", 2, "{country}.{format}", "country"),
            None
        );
    }

    #[test]
    fn only_partial_segments_are_matched_again() {
        assert!(path_matches("/flags/fr.svg", "/flags/{country}.{format}"));
        assert!(!path_matches("/flags/fr", "/flags/{country}.{format}"));
        assert!(path_matches("/users/42", "/users/{id}"));
        assert!(path_matches("/thumbnail.png", "/thumbnail.{extension}"));
        assert!(!path_matches("/thumbnail-png", "/thumbnail.{extension}"));
    }
}
