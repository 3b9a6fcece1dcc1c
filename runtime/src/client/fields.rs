//! The fields of a form or multipart body, in order.

use super::encode::{invalid, texts};
use crate::{ClientError, Upload};

/// The fields of a form or multipart body, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fields {
    entries: Vec<(String, Entry)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Entry {
    Text(String),
    File(Upload),
}

impl Fields {
    pub fn new() -> Fields {
        Fields::default()
    }

    /// A text field: one per value (lists repeat the name), none for `None`.
    pub fn text<T>(&mut self, name: &str, value: &T) -> Result<(), ClientError>
    where
        T: serde::Serialize + ?Sized,
    {
        for text in texts(name, value)? {
            self.entries.push((name.into(), Entry::Text(text)));
        }
        Ok(())
    }

    /// A file field (sent with its file name, or the field's name when it has none).
    pub fn file(&mut self, name: &str, upload: &Upload) {
        self.entries
            .push((name.into(), Entry::File(upload.clone())));
    }

    /// Every property of what `value` serializes to, which must be an object.
    pub fn object<T>(&mut self, value: &T) -> Result<(), ClientError>
    where
        T: serde::Serialize + ?Sized,
    {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(properties)) => {
                for (name, value) in &properties {
                    self.text(name, value)?;
                }
                Ok(())
            }
            Ok(_) => Err(invalid("a form body must be an object".into())),
            Err(error) => Err(invalid(format!("the body does not serialize: {error}"))),
        }
    }

    /// The fields as an `application/x-www-form-urlencoded` body holds them: a file as its
    /// text.
    pub(super) fn into_pairs(self) -> Vec<(String, String)> {
        self.entries
            .into_iter()
            .map(|(name, entry)| match entry {
                Entry::Text(text) => (name, text),
                Entry::File(upload) => (name, String::from_utf8_lossy(&upload.bytes).into_owned()),
            })
            .collect()
    }

    pub(super) fn into_multipart(self) -> Result<reqwest::multipart::Form, ClientError> {
        let mut form = reqwest::multipart::Form::new();
        for (name, entry) in self.entries {
            form = match entry {
                Entry::Text(text) => form.text(name, text),
                Entry::File(upload) => {
                    // A server tells a file from a text field by the part's file name: a
                    // file without one goes under its field's name.
                    let filename = upload.filename.unwrap_or_else(|| name.clone());
                    let mut part =
                        reqwest::multipart::Part::bytes(upload.bytes).file_name(filename);
                    if let Some(content_type) = &upload.content_type {
                        part = part.mime_str(content_type).map_err(|_| {
                            invalid(format!(
                                "the content type of file `{name}` is not a media type"
                            ))
                        })?;
                    }
                    form.part(name, part)
                }
            };
        }
        Ok(form)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_object_gives_one_field_per_property_and_list_item() {
        let mut fields = Fields::new();
        fields
            .object(&json!({"name": "a", "tags": ["x", "y"], "none": null}))
            .unwrap();
        fields.file(
            "photo",
            &Upload {
                filename: None,
                content_type: None,
                bytes: b"PNG".to_vec(),
            },
        );
        assert_eq!(
            fields.into_pairs(),
            [
                ("name".to_owned(), "a".to_owned()),
                ("tags".to_owned(), "x".to_owned()),
                ("tags".to_owned(), "y".to_owned()),
                ("photo".to_owned(), "PNG".to_owned()),
            ]
        );
        assert!(Fields::new().object(&[1]).is_err());
    }

    #[test]
    fn a_file_with_a_bad_media_type_is_refused() {
        let mut fields = Fields::new();
        fields.file(
            "photo",
            &Upload {
                filename: None,
                content_type: Some("not a type".into()),
                bytes: Vec::new(),
            },
        );
        assert!(fields.into_multipart().is_err());
    }
}
