//! `application/x-www-form-urlencoded` texts (query strings, form bodies) and the fields of
//! forms and multipart bodies, as name/value pairs in the order they were sent.

use crate::Upload;
use crate::percent::percent_bytes;

/// The pairs of an `application/x-www-form-urlencoded` text (a query string or a form body):
/// `+` is a space, `%XX` a byte, invalid UTF-8 replaced.
pub fn parse_form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (form_decode(key), form_decode(value))
        })
        .collect()
}

fn form_decode(text: &str) -> String {
    let bytes = percent_bytes(&text.replace('+', " "));
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The last value of `name` among `pairs` (a query string, a form).
pub fn last_value(pairs: &[(String, String)], name: &str) -> Option<String> {
    pairs
        .iter()
        .rev()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
}

/// Every value of `name` among `pairs`, in order.
pub fn all_values(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
        .collect()
}

/// The last text value of field `name` of a form: a text field, else a file part's contents
/// as text.
pub fn form_text(
    pairs: &[(String, String)],
    files: &[(String, Upload)],
    name: &str,
) -> Option<String> {
    if let Some(text) = last_value(pairs, name) {
        return Some(text);
    }
    files
        .iter()
        .rev()
        .find(|(key, _)| key == name)
        .map(|(_, upload)| String::from_utf8_lossy(&upload.bytes).into_owned())
}

/// Every text value of field `name` of a form, in order.
pub fn form_texts(
    pairs: &[(String, String)],
    files: &[(String, Upload)],
    name: &str,
) -> Vec<String> {
    let texts = all_values(pairs, name);
    if !texts.is_empty() {
        return texts;
    }
    files
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, upload)| String::from_utf8_lossy(&upload.bytes).into_owned())
        .collect()
}

/// The last file of field `name`, taken out of `files`; `Err(text)` when the field was sent
/// as text instead of a file; `None` when it was not sent.
pub fn form_file(
    pairs: &[(String, String)],
    files: &mut Vec<(String, Upload)>,
    name: &str,
) -> Option<Result<Upload, String>> {
    if let Some(position) = files.iter().rposition(|(key, _)| key == name) {
        return Some(Ok(files.remove(position).1));
    }
    last_value(pairs, name).map(Err)
}

/// Every file of field `name`, in order, taken out of `files`.
pub fn form_files(files: &mut Vec<(String, Upload)>, name: &str) -> Vec<Upload> {
    let mut found = Vec::new();
    let mut index = 0;
    while index < files.len() {
        if files[index].0 == name {
            found.push(files.remove(index).1);
        } else {
            index += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
            .collect()
    }

    fn file(name: &str, bytes: &[u8]) -> (String, Upload) {
        (
            name.to_owned(),
            Upload {
                filename: Some(format!("{name}.txt")),
                content_type: None,
                bytes: bytes.to_vec(),
            },
        )
    }

    #[test]
    fn form_texts_decode_plus_and_percent() {
        assert_eq!(
            parse_form("a=1+2&b=%C3%A9&&c&d=x%3Dy"),
            pairs(&[("a", "1 2"), ("b", "é"), ("c", ""), ("d", "x=y")])
        );
        assert_eq!(parse_form("bad=%FF"), pairs(&[("bad", "\u{FFFD}")]));
    }

    #[test]
    fn the_last_value_wins_and_all_are_kept_in_order() {
        let sent = pairs(&[("tag", "a"), ("other", "x"), ("tag", "b")]);
        assert_eq!(last_value(&sent, "tag").as_deref(), Some("b"));
        assert_eq!(all_values(&sent, "tag"), ["a", "b"]);
        assert_eq!(last_value(&sent, "none"), None);
    }

    #[test]
    fn a_text_field_may_come_as_a_file_part() {
        let files = vec![file("note", b"hello")];
        assert_eq!(form_text(&[], &files, "note").as_deref(), Some("hello"));
        assert_eq!(form_texts(&[], &files, "note"), ["hello"]);
        let sent = pairs(&[("note", "typed")]);
        assert_eq!(form_text(&sent, &files, "note").as_deref(), Some("typed"));
    }

    #[test]
    fn files_are_taken_out_and_text_in_their_place_is_an_error() {
        let mut files = vec![file("a", b"1"), file("b", b"2"), file("a", b"3")];
        let last = form_file(&[], &mut files, "a").unwrap().unwrap();
        assert_eq!(last.bytes, b"3");
        assert_eq!(form_files(&mut files, "a").len(), 1);
        assert_eq!(files.len(), 1);
        let sent = pairs(&[("c", "text")]);
        assert_eq!(form_file(&sent, &mut files, "c"), Some(Err("text".into())));
        assert_eq!(form_file(&sent, &mut files, "d"), None);
    }
}
