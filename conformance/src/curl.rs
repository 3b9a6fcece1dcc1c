//! Reproductions: a request as a curl line that, pasted into a shell with the `CONFORMANCE_…`
//! variables set, sends the same bytes the harness sent. Credentials appear only as
//! `"$CONFORMANCE_API_KEY"`-style references (in the query through `--url-query`, which
//! percent-encodes them as the harness did); bodies that are not printable text are written
//! with `$'\xff'` quoting; large bodies and files go to the evidence directory and are sent
//! with `@file`.

use std::path::Path;

use crate::http::{Body, HttpRequest, PartValue, Transport};
use crate::secrets::Redactor;

/// Bodies longer than this are written to a file rather than into the line.
const INLINE_LIMIT: usize = 256;

/// A copy-paste curl line for `request`. `evidence` is the directory where bodies and files
/// too large or too binary for the line are written (named by their content's hash); without
/// one, the line says what it could not include.
pub fn curl_line(
    transport: &Transport,
    request: &HttpRequest,
    redactor: &Redactor,
    evidence: Option<&Path>,
) -> String {
    // Credentials in the query leave the URL: `--url-query` adds them from the environment.
    let mut bare = request.clone();
    let mut query_refs = Vec::new();
    bare.query
        .retain(|(name, value)| match redactor.reference(value) {
            Some(("", variable)) => {
                query_refs.push(format!(
                    " --url-query {}",
                    double_quoted(&format!("{name}=${variable}"))
                ));
                false
            }
            _ => true,
        });
    let mut line = format!(
        "curl -X {} {}",
        request.method.as_str(),
        single_quoted(transport.url(&bare).as_str())
    );
    for reference in query_refs {
        line.push_str(&reference);
    }
    for (name, value) in &request.headers {
        match redactor.reference(value) {
            Some((prefix, variable)) => line.push_str(&format!(
                " -H {}",
                double_quoted(&format!("{name}: {prefix}${variable}"))
            )),
            None => line.push_str(&format!(
                " -H {}",
                single_quoted(&format!("{name}: {value}"))
            )),
        }
    }
    match &request.body {
        Body::None => {}
        Body::Json(value) => {
            line.push_str(" -H 'content-type: application/json' --data-raw ");
            line.push_str(&single_quoted(&value.to_string()));
        }
        Body::Form(pairs) => {
            for (name, value) in pairs {
                line.push_str(&format!(
                    " --data-urlencode {}",
                    single_quoted(&format!("{name}={value}"))
                ));
            }
        }
        Body::Multipart(parts) => {
            for part in parts {
                match &part.value {
                    PartValue::Text(text) => line.push_str(&format!(
                        " -F {}",
                        single_quoted(&format!("{}={text}", part.name))
                    )),
                    PartValue::File {
                        filename,
                        content_type,
                        bytes,
                    } => match write_evidence(evidence, &format!("part-{}", safe(filename)), bytes)
                    {
                        Some(path) => line.push_str(&format!(
                            " -F {}",
                            single_quoted(&format!(
                                "{}=@{path};filename={filename};type={content_type}",
                                part.name
                            ))
                        )),
                        None => line.push_str(&format!(
                            " -F {} # {filename}: {} bytes, not written (no evidence directory)",
                            single_quoted(&format!(
                                "{}=@{filename};type={content_type}",
                                part.name
                            )),
                            bytes.len()
                        )),
                    },
                }
            }
        }
        Body::Raw {
            content_type,
            bytes,
        } => {
            line.push_str(&format!(
                " -H {}",
                single_quoted(&format!("content-type: {content_type}"))
            ));
            if bytes.len() <= INLINE_LIMIT {
                line.push_str(&format!(" --data-binary {}", shell_bytes(bytes)));
            } else {
                match write_evidence(evidence, "body.bin", bytes) {
                    Some(path) => line.push_str(&format!(
                        " --data-binary {} # {} bytes",
                        single_quoted(&format!("@{path}")),
                        bytes.len()
                    )),
                    None => line.push_str(&format!(
                        " --data-binary @body.bin # {} bytes, not written (no evidence directory)",
                        bytes.len()
                    )),
                }
            }
        }
    }
    // A secret that reached the line any other way (a body echoing it) is still hidden.
    redactor.redact(&line)
}

/// `text` in single quotes, for a POSIX shell.
fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// `text` in double quotes, `$NAME` references left to expand, everything else literal.
fn double_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_uppercase() || *n == '_') =>
            {
                out.push('$')
            }
            '"' | '\\' | '$' | '`' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Bytes exactly, as a shell word: plain single quotes when they are printable UTF-8, else
/// `$'…'` with `\xHH` for every other byte (bash, zsh and ksh read it).
fn shell_bytes(bytes: &[u8]) -> String {
    if let Ok(text) = std::str::from_utf8(bytes)
        && !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return single_quoted(text);
    }
    let mut out = String::from("$'");
    for &byte in bytes {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'\'' => out.push_str("\\'"),
            0x20..=0x7e => out.push(char::from(byte)),
            _ => out.push_str(&format!("\\x{byte:02x}")),
        }
    }
    out.push('\'');
    out
}

/// Writes `bytes` into the evidence directory under a name made from their hash; the path as
/// the line shows it.
fn write_evidence(dir: Option<&Path>, name: &str, bytes: &[u8]) -> Option<String> {
    let dir = dir?;
    let path = dir.join(format!("{:016x}-{name}", fnv1a(bytes)));
    if !path.exists() {
        std::fs::create_dir_all(dir).ok()?;
        std::fs::write(&path, bytes).ok()?;
    }
    Some(path.to_string_lossy().into_owned())
}

/// A file name's safe characters only.
fn safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_quoted_exactly() {
        assert_eq!(shell_bytes(b"{\"a\": 1}"), "'{\"a\": 1}'");
        assert_eq!(shell_bytes(b"it's"), "'it'\\''s'");
        assert_eq!(
            shell_bytes(b"{\"first_name\": \"\xff\xfe\xfd\"}"),
            "$'{\"first_name\": \"\\xff\\xfe\\xfd\"}'"
        );
        assert_eq!(shell_bytes(b"a\\b'\x00"), "$'a\\\\b\\'\\x00'");
    }

    #[test]
    fn references_expand_and_nothing_else_does() {
        assert_eq!(
            double_quoted("Authorization: Bearer $CONFORMANCE_TOKEN"),
            "\"Authorization: Bearer $CONFORMANCE_TOKEN\""
        );
        assert_eq!(
            double_quoted("a \"b\" $1 `c`"),
            "\"a \\\"b\\\" \\$1 \\`c\\`\""
        );
    }
}
