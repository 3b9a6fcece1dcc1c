//! Error bodies against the API's `x-error-envelope`: does a body have the documented shape,
//! and which fields does it report?

use generator::spec::ext::{Placeholder, Template};
use serde_json::Value;

/// Whether `body` has the shape of `template` for an answer with `status`. Extra keys are
/// allowed (the schema says whether they are); every key of the template must be there.
pub fn check_template(template: &Template, body: &Value, status: u16) -> Result<(), String> {
    check_at(template, body, status, "")
}

fn check_at(template: &Template, body: &Value, status: u16, at: &str) -> Result<(), String> {
    let here = if at.is_empty() {
        "the body".to_owned()
    } else {
        at.to_owned()
    };
    match template {
        Template::Literal(expected) => {
            if body == expected {
                Ok(())
            } else {
                Err(format!("{here} is {body}, expected {expected}"))
            }
        }
        Template::Example(example) => {
            if std::mem::discriminant(body) == std::mem::discriminant(example) {
                Ok(())
            } else {
                Err(format!(
                    "{here} is {body}, expected a {} (such as {example})",
                    json_type(example)
                ))
            }
        }
        Template::Placeholder(placeholder) => match placeholder {
            Placeholder::Status => match body.as_u64() {
                Some(value) if value == u64::from(status) => Ok(()),
                _ => Err(format!(
                    "{here} is {body}, expected the HTTP status {status}"
                )),
            },
            Placeholder::Message
            | Placeholder::ErrorId
            | Placeholder::Field
            | Placeholder::Kind => {
                if body.is_string() {
                    Ok(())
                } else {
                    Err(format!("{here} is {body}, expected a string"))
                }
            }
            Placeholder::Errors => match body.as_object() {
                Some(map)
                    if map
                        .values()
                        .all(|v| v.as_array().is_some_and(|a| a.iter().all(Value::is_string))) =>
                {
                    Ok(())
                }
                _ => Err(format!(
                    "{here} is {body}, expected an object of field → list of messages"
                )),
            },
            Placeholder::Loc => match body.as_array() {
                Some(items)
                    if !items.is_empty()
                        && items.iter().all(|i| i.is_string() || i.is_number()) =>
                {
                    Ok(())
                }
                _ => Err(format!(
                    "{here} is {body}, expected a location list like [\"body\", \"field\"]"
                )),
            },
        },
        Template::Object(entries) => {
            let Some(object) = body.as_object() else {
                return Err(format!("{here} is {body}, expected an object"));
            };
            for (key, inner) in entries {
                let path = format!("{at}/{key}");
                match object.get(key) {
                    Some(value) => check_at(inner, value, status, &path)?,
                    None => return Err(format!("{path} is missing")),
                }
            }
            Ok(())
        }
        Template::Array(items) => {
            let Some(values) = body.as_array() else {
                return Err(format!("{here} is {body}, expected a list"));
            };
            if values.len() != items.len() {
                return Err(format!(
                    "{here} has {} items, expected {}",
                    values.len(),
                    items.len()
                ));
            }
            items
                .iter()
                .zip(values)
                .enumerate()
                .try_for_each(|(i, (t, v))| check_at(t, v, status, &format!("{at}/{i}")))
        }
        Template::EachError(item) => {
            let Some(values) = body.as_array() else {
                return Err(format!("{here} is {body}, expected a list of errors"));
            };
            if values.is_empty() {
                return Err(format!("{here} is an empty list of errors"));
            }
            values
                .iter()
                .enumerate()
                .try_for_each(|(i, v)| check_at(item, v, status, &format!("{at}/{i}")))
        }
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

/// The messages a validation error body gives for `field`, in body order.
pub fn messages_for(template: &Template, body: &Value, field: &str) -> Vec<String> {
    let mut found = Vec::new();
    collect_messages(template, body, field, &mut found);
    found
}

fn collect_messages(template: &Template, body: &Value, field: &str, found: &mut Vec<String>) {
    match template {
        Template::Placeholder(Placeholder::Errors) => {
            let messages = body.get(field).and_then(Value::as_array);
            found.extend(
                messages
                    .into_iter()
                    .flatten()
                    .filter_map(|m| m.as_str().map(str::to_owned)),
            );
        }
        Template::Object(entries) => {
            for (key, inner) in entries {
                if let Some(value) = body.get(key) {
                    collect_messages(inner, value, field, found);
                }
            }
        }
        Template::Array(items) => {
            for (inner, value) in items.iter().zip(body.as_array().into_iter().flatten()) {
                collect_messages(inner, value, field, found);
            }
        }
        Template::EachError(item) => {
            for value in body.as_array().into_iter().flatten() {
                if reported_fields(item, value).last().map(String::as_str) == Some(field) {
                    found.extend(message_of(item, value));
                }
            }
        }
        _ => {}
    }
}

/// The `$message` of one error item.
fn message_of(template: &Template, body: &Value) -> Option<String> {
    match template {
        Template::Placeholder(Placeholder::Message) => body.as_str().map(str::to_owned),
        Template::Object(entries) => entries
            .iter()
            .find_map(|(key, inner)| message_of(inner, body.get(key)?)),
        Template::Array(items) => items
            .iter()
            .zip(body.as_array().into_iter().flatten())
            .find_map(|(inner, value)| message_of(inner, value)),
        _ => None,
    }
}

/// Whether a message a server sent is the documented `expected`; `{name}` in `expected`
/// stands for any text (a value the message quotes).
pub fn message_matches(expected: &str, got: &str) -> bool {
    if !expected.contains('{') {
        return expected == got;
    }
    let mut pattern = String::from("^");
    let mut rest = expected;
    while let Some(open) = rest.find('{') {
        pattern.push_str(&regex::escape(&rest[..open]));
        match rest[open..].find('}') {
            Some(close) => {
                pattern.push_str(".*");
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    pattern.push_str(&regex::escape(rest));
    pattern.push('$');
    regex::Regex::new(&pattern).is_ok_and(|r| r.is_match(got))
}

/// The fields a validation error body reports, in body order.
pub fn reported_fields(template: &Template, body: &Value) -> Vec<String> {
    let mut found = Vec::new();
    collect(template, body, &mut found);
    found
}

fn collect(template: &Template, body: &Value, found: &mut Vec<String>) {
    match template {
        Template::Placeholder(Placeholder::Errors) => {
            if let Some(map) = body.as_object() {
                found.extend(map.keys().cloned());
            }
        }
        Template::Placeholder(Placeholder::Field) => {
            if let Some(field) = body.as_str() {
                found.push(field.to_owned());
            }
        }
        Template::Placeholder(Placeholder::Loc) => {
            // [location, field, …]: the field is the last string after the location.
            if let Some(field) = body
                .as_array()
                .and_then(|l| l.iter().skip(1).rev().find_map(Value::as_str))
            {
                found.push(field.to_owned());
            }
        }
        Template::Object(entries) => {
            for (key, inner) in entries {
                if let Some(value) = body.get(key) {
                    collect(inner, value, found);
                }
            }
        }
        Template::Array(items) => {
            for (inner, value) in items.iter().zip(body.as_array().into_iter().flatten()) {
                collect(inner, value, found);
            }
        }
        Template::EachError(item) => {
            for value in body.as_array().into_iter().flatten() {
                collect(item, value, found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template(value: Value, validation: bool) -> Template {
        Template::parse(&value, validation).unwrap()
    }

    #[test]
    fn documented_messages_are_found_per_field() {
        let drf = template(json!("$errors"), true);
        let body = json!({"email": ["Enter a valid email address."], "x": ["other"]});
        assert_eq!(
            messages_for(&drf, &body, "email"),
            ["Enter a valid email address."]
        );
        let fastapi = template(
            json!({"detail": {"$each-error": {"loc": "$loc", "msg": "$message", "type": "$kind"}}}),
            true,
        );
        let body = json!({"detail": [
            {"loc": ["body", "email"], "msg": "bad email", "type": "value_error"},
            {"loc": ["body", "name"], "msg": "too long", "type": "string_too_long"}
        ]});
        assert_eq!(messages_for(&fastapi, &body, "name"), ["too long"]);
        assert!(message_matches(
            "\"{input}\" is not a valid choice.",
            "\"xx\" is not a valid choice."
        ));
        assert!(!message_matches(
            "\"{input}\" is not a valid choice.",
            "not a valid choice."
        ));
        assert!(message_matches(
            "Token is not matching.",
            "Token is not matching."
        ));
    }

    #[test]
    fn rpc_envelopes_are_checked_and_read() {
        let validation = template(
            json!({"status_code": "$status", "errors": "$errors", "data": {}}),
            true,
        );
        let body = json!({"status_code": 400, "errors": {"first_name": ["Too long."]}, "data": {}});
        assert!(check_template(&validation, &body, 400).is_ok());
        assert!(
            check_template(&validation, &body, 401)
                .unwrap_err()
                .contains("HTTP status 401")
        );
        assert_eq!(reported_fields(&validation, &body), ["first_name"]);
        let other = template(
            json!({"status_code": "$status", "errors": {"detail": ["$message"]}, "data": {}}),
            false,
        );
        assert!(
            check_template(
                &other,
                &json!({"status_code": 401, "errors": {"detail": ["no"]}, "data": {}}),
                401
            )
            .is_ok()
        );
        assert!(
            check_template(&other, &json!({"detail": "no"}), 401)
                .unwrap_err()
                .contains("missing")
        );
    }

    #[test]
    fn fastapi_lists_report_their_fields() {
        let validation = template(
            json!({"detail": {"$each-error": {"loc": "$loc", "msg": "$message", "type": "$kind"}}}),
            true,
        );
        let body = json!({"detail": [{"loc": ["body", "email"], "msg": "bad", "type": "format"}, {"loc": ["path", "user_id"], "msg": "x", "type": "format"}]});
        assert!(check_template(&validation, &body, 422).is_ok());
        assert_eq!(reported_fields(&validation, &body), ["email", "user_id"]);
        assert!(check_template(&validation, &json!({"detail": []}), 422).is_err());
    }
}
