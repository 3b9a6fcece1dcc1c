//! JSON pointers (RFC 6901): the address of every node a check talks about.

/// Splits a pointer such as `/paths/~1users/get` into its unescaped segments.
pub fn segments(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Escapes one segment for use in a pointer.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Appends a segment to a pointer.
pub fn join(pointer: &str, segment: &str) -> String {
    format!("{pointer}/{}", escape(segment))
}

/// Builds a pointer from segments.
pub fn from_segments<S: AsRef<str>>(segments: &[S]) -> String {
    segments.iter().fold(String::new(), |pointer, segment| {
        join(&pointer, segment.as_ref())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_escaped_segments() {
        let pointer = from_segments(&["paths", "/user/{id}/", "get", "a~b"]);
        assert_eq!(pointer, "/paths/~1user~1{id}~1/get/a~0b");
        assert_eq!(
            segments(&pointer),
            vec!["paths", "/user/{id}/", "get", "a~b"]
        );
        assert!(segments("").is_empty());
    }
}
