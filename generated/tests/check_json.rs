//! `check_<type>_json(&Value)` reports exactly what `parse_<type>(Value)` reports (the same
//! field errors, paths and messages, in the same order) on the benchmark's payloads and on every
//! one-field change of them: each field removed, `null`, of another JSON type, and set to values
//! that break each kind of constraint (lengths in bytes and in characters, patterns, formats,
//! enums, ranges, nested objects and lists).

use profile_api::support::FieldError;
use serde_json::{Value, json};

type Parse = fn(Value) -> Result<(), Vec<FieldError>>;
type Check = fn(&Value) -> Result<(), Vec<FieldError>>;

struct Body {
    label: &'static str,
    base: Value,
    parse: Parse,
    check: Check,
}

fn bodies() -> Vec<Body> {
    vec![
        Body {
            label: "manage ProfileUpdate",
            base: json!({
                "user_id": "123456",
                "profile_picture": "https://example.com/profile_pictures/123456.jpg",
                "first_name": "Jane",
                "last_name": "Doe",
                "email": "jane.doe@example.com",
                "phone_number": "+14155550123"
            }),
            parse: |value| profile_api::manage::validate::parse_profile_update(value).map(drop),
            check: profile_api::manage::validate::check_profile_update_json,
        },
        Body {
            label: "billing UserUpdate",
            base: json!({
                "first_name": "Jane",
                "last_name": "Doe",
                "email": "jane.doe@example.com",
                "is_active": true,
                "birthdate": "1990-04-01T00:00:00Z",
                "role_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                "phone": "+14155550123",
                "country": "France",
                "address": null,
                "active_billing_plan_id": "9b2d1e8a-44c1-4e9b-8d7f-0c6a5e4b3a21",
                "is_trial": false,
                "stripe_last_payment_date": "2024-05-31T12:30:00.250+02:00"
            }),
            parse: |value| profile_api::billing::validate::parse_user_update(value).map(drop),
            check: profile_api::billing::validate::check_user_update_json,
        },
        Body {
            label: "canonical ProfileReplace",
            base: canonical_profile(),
            parse: |value| profile_api::canonical::validate::parse_profile_replace(value).map(drop),
            check: profile_api::canonical::validate::check_profile_replace_json,
        },
        Body {
            label: "canonical ProfilePatch",
            base: canonical_profile(),
            parse: |value| profile_api::canonical::validate::parse_profile_patch(value).map(drop),
            check: profile_api::canonical::validate::check_profile_patch_json,
        },
        Body {
            label: "canonical EmailChange",
            base: json!({
                "email": "jane.doe@example.com",
                "token": "abc",
                "token_checksum": "def"
            }),
            parse: |value| profile_api::canonical::validate::parse_email_change(value).map(drop),
            check: profile_api::canonical::validate::check_email_change_json,
        },
        Body {
            label: "cl2c ProfileUpdate",
            base: json!({
                "id": "123",
                "firstName": "Jane",
                "lastName": "Doe",
                "phoneNumber": "+14155550123",
                "pushToken": "token"
            }),
            parse: |value| profile_api::cl2c::validate::parse_profile_update(value).map(drop),
            check: profile_api::cl2c::validate::check_profile_update_json,
        },
        Body {
            label: "community UserUpdate",
            base: json!({
                "username": "jane_doe",
                "real_name": "Jane Doe",
                "bio": "Hello",
                "location": "Paris",
                "location_lat_lng": "48.85,2.35",
                "position_lat_lng": "48.85,2.35",
                "date_of_birth": "1990-04-01",
                "description": "x",
                "gender": "f",
                "website": "https://jane.example.com",
                "company_name": "ACME",
                "company_role": "CEO"
            }),
            parse: |value| profile_api::community::validate::parse_user_update(value).map(drop),
            check: profile_api::community::validate::check_user_update_json,
        },
        Body {
            label: "edge_cases Item",
            base: json!({
                "type": "a",
                "self": 3,
                "name": "thing",
                "slug": "a-slug",
                "first-name": "Jane",
                "optional_nullable": null,
                "tags": [["a", "b"], []],
                "scores": {"x": 1.5},
                "anything": {"any": ["thing"]},
                "created": "2024-05-31T12:30:00Z",
                "String": "text",
                "Option": {"Some": "x", "None": true}
            }),
            parse: |value| profile_api::edge_cases::validate::parse_item(value).map(drop),
            check: profile_api::edge_cases::validate::check_item_json,
        },
    ]
}

fn canonical_profile() -> Value {
    json!({
        "username": "jane_doe-42",
        "first_name": "Jane",
        "last_name": "Doe",
        "full_name": "Jane Doe",
        "email": "jane.doe@example.com",
        "phone_number": "+14155550123",
        "country": "France",
        "state": "IDF",
        "address": "1 rue de Rivoli",
        "location": "Paris",
        "location_lat_lng": "48.85,2.35",
        "position_lat_lng": "48.85,2.35",
        "date_of_birth": "1990-04-01",
        "gender": "f",
        "bio": "Hello",
        "description": "x",
        "website": "https://jane.example.com",
        "company_name": "ACME",
        "company_role": "CEO",
        "image_url": "https://example.com/profile_pictures/123456.jpg",
        "language": "fr",
        "is_active": true,
        "role_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    })
}

/// Values that break (or meet) each kind of constraint, and every JSON type.
fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(false),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1e12),
        json!(2_147_483_648_i64),
        json!(""),
        json!(" "),
        json!("x"),
        json!("J".repeat(300)),
        json!("é".repeat(200)),
        json!("é".repeat(2100)),
        json!("jane doe!"),
        json!("jane.doe@"),
        json!("jane.doe@example"),
        json!("jane.doe.example.com"),
        json!("1990-02-30"),
        json!("1990-13-01"),
        json!("1990-02-30T00:00:00Z"),
        json!("yesterday"),
        json!("https://example.com/a.jpg"),
        json!("ftp://example.com/a b.jpg"),
        json!("jane.example.com"),
        json!("3fa85f64-5717-4562-b3fc"),
        json!("not-a-uuid"),
        json!("555-0123"),
        json!("0014155550123"),
        json!("+14155550123"),
        json!("a"),
        json!("b-c"),
        json!("Etc/GMT+1"),
        json!("+1"),
        json!("zz"),
        json!([]),
        json!(["a"]),
        json!([["a"], [1], "b", null]),
        json!({}),
        json!({"a": 1.0, "b": "x", "c": null}),
        json!({"Some": 1, "None": "x"}),
        json!({"Some": null, "None": null}),
    ]
}

fn same(body: &Body, value: &Value, what: &str) {
    let parsed = (body.parse)(value.clone()).err();
    let checked = (body.check)(value).err();
    assert_eq!(
        parsed, checked,
        "{} {what}: parse and check disagree on {value}",
        body.label
    );
}

#[test]
fn check_reports_what_parse_reports() {
    let replacements = replacements();
    for body in bodies() {
        same(&body, &body.base, "as is");
        for top in [Value::Null, json!([]), json!("x"), json!(1), json!({})] {
            same(&body, &top, "not the object");
        }
        let Value::Object(base) = &body.base else {
            panic!("{}: the base payload is an object", body.label);
        };
        let mut all_broken = base.clone();
        for key in base.keys() {
            let mut without = base.clone();
            without.remove(key);
            same(&body, &Value::Object(without), &format!("without {key}"));
            for replacement in &replacements {
                let mut changed = base.clone();
                changed.insert(key.clone(), replacement.clone());
                same(&body, &Value::Object(changed), &format!("{key} changed"));
            }
            all_broken.insert(key.clone(), json!([1]));
        }
        // Members in the reverse of the schema's order: the errors still come in the schema's
        // order (check puts them back by reading the document again, as parse does).
        let reversed = |object: &serde_json::Map<String, Value>| -> Value {
            Value::Object(
                object
                    .iter()
                    .rev()
                    .map(|(key, value)| (key.clone(), value.clone()))
                    .collect(),
            )
        };
        same(&body, &reversed(base), "reversed");
        same(
            &body,
            &reversed(&all_broken),
            "reversed, every field of the wrong type",
        );
        same(
            &body,
            &Value::Object(all_broken),
            "every field of the wrong type",
        );
    }
}

#[test]
fn the_benchmark_payloads_are_what_they_say() {
    let valid = bodies();
    for body in &valid[..3] {
        assert_eq!((body.check)(&body.base), Ok(()), "{}", body.label);
    }
}
