//! The request schemas of `openapi.yaml`, written out as values the handlers validate against
//! (a small subset of JSON Schema: just what the spec uses).

use serde_json::{Map, Value};

use crate::Bug;

/// A request schema.
#[derive(Debug)]
pub enum Schema {
    /// A string with a length in code points and an optional pattern (`^…$`, checked by hand).
    Str {
        min: usize,
        max: Option<usize>,
        pattern: Option<fn(&str) -> bool>,
    },
    /// A string from a list.
    Enum(&'static [&'static str]),
    /// An integer within bounds (a JSON number without a fraction, as JSON Schema counts them).
    Int { min: i64, max: i64 },
    /// A number within bounds.
    Num { min: f64, max: f64 },
    /// An array of at most `max` items.
    Arr { items: Box<Schema>, max: usize },
    /// An object; properties not listed are allowed and ignored.
    Obj {
        props: Vec<(&'static str, Schema)>,
        required: Vec<&'static str>,
    },
    /// The inner schema or null.
    Nullable(Box<Schema>),
    /// Anything (readOnly properties: ignored in requests).
    Any,
}

/// Why a value does not match: the field (a dotted path) and a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    pub field: String,
    pub message: String,
}

fn invalid(field: &str, message: impl Into<String>) -> Invalid {
    Invalid {
        field: if field.is_empty() {
            "body".into()
        } else {
            field.into()
        },
        message: message.into(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// An integer as JSON Schema sees one (`5` and `5.0`), as f64 for comparing with bounds.
pub fn integer_of(value: &Value) -> Option<f64> {
    if let Some(i) = value.as_i64() {
        return Some(i as f64);
    }
    if let Some(u) = value.as_u64() {
        return Some(u as f64);
    }
    value.as_f64().filter(|f| f.fract() == 0.0 && f.is_finite())
}

impl Schema {
    /// Checks `value` against the schema; `path` names it in the error.
    pub fn validate(&self, value: &Value, path: &str) -> Result<(), Invalid> {
        match self {
            Schema::Any => Ok(()),
            Schema::Nullable(inner) => {
                if value.is_null() {
                    Ok(())
                } else {
                    inner.validate(value, path)
                }
            }
            Schema::Str { min, max, pattern } => {
                let Some(s) = value.as_str() else {
                    return Err(invalid(path, "must be a string"));
                };
                let len = s.chars().count();
                if len < *min {
                    return Err(invalid(path, format!("must be at least {min} characters")));
                }
                if let Some(max) = max
                    && len > *max
                {
                    return Err(invalid(path, format!("must be at most {max} characters")));
                }
                if let Some(matches) = pattern
                    && !matches(s)
                {
                    return Err(invalid(path, "does not match the pattern"));
                }
                Ok(())
            }
            Schema::Enum(values) => match value.as_str() {
                Some(s) if values.contains(&s) => Ok(()),
                _ => Err(invalid(
                    path,
                    format!("must be one of {}", values.join(", ")),
                )),
            },
            Schema::Int { min, max } => {
                let Some(n) = integer_of(value) else {
                    return Err(invalid(path, "must be an integer"));
                };
                if n < *min as f64 || n > *max as f64 {
                    return Err(invalid(path, format!("must be within {min}..{max}")));
                }
                Ok(())
            }
            Schema::Num { min, max } => {
                let Some(n) = value.as_f64() else {
                    return Err(invalid(path, "must be a number"));
                };
                if n < *min || n > *max {
                    return Err(invalid(path, format!("must be within {min}..{max}")));
                }
                Ok(())
            }
            Schema::Arr { items, max } => {
                let Some(array) = value.as_array() else {
                    return Err(invalid(path, "must be an array"));
                };
                if array.len() > *max {
                    return Err(invalid(path, format!("must have at most {max} items")));
                }
                for (i, item) in array.iter().enumerate() {
                    items.validate(item, &format!("{path}[{i}]"))?;
                }
                Ok(())
            }
            Schema::Obj { props, required } => {
                let Some(object) = value.as_object() else {
                    return Err(invalid(path, "must be an object"));
                };
                for key in required {
                    if !object.contains_key(*key) {
                        return Err(invalid(&join(path, key), "is required"));
                    }
                }
                for (key, schema) in props {
                    if let Some(v) = object.get(*key) {
                        schema.validate(v, &join(path, key))?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// `^[a-z0-9-]+$`
pub fn tag_pattern(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `^[0-9]{5}$`
pub fn postcode_pattern(s: &str) -> bool {
    s.len() == 5 && s.chars().all(|c| c.is_ascii_digit())
}

/// `^[A-Za-z0-9-]{8,64}$`
pub fn request_id_pattern(s: &str) -> bool {
    (8..=64).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

pub const STATUSES: &[&str] = &["available", "pending", "sold"];

/// `Tag`.
pub fn tag() -> Schema {
    Schema::Str {
        min: 1,
        max: Some(20),
        pattern: Some(tag_pattern),
    }
}

fn owner() -> Schema {
    Schema::Obj {
        props: vec![
            (
                "name",
                Schema::Str {
                    min: 1,
                    max: Some(50),
                    pattern: None,
                },
            ),
            (
                "phone",
                Schema::Nullable(Box::new(Schema::Str {
                    min: 0,
                    max: Some(20),
                    pattern: None,
                })),
            ),
            (
                "address",
                Schema::Obj {
                    props: vec![
                        (
                            "street",
                            Schema::Str {
                                min: 0,
                                max: Some(100),
                                pattern: None,
                            },
                        ),
                        (
                            "city",
                            Schema::Str {
                                min: 1,
                                max: Some(50),
                                pattern: None,
                            },
                        ),
                        (
                            "postcode",
                            Schema::Str {
                                min: 0,
                                max: None,
                                pattern: Some(postcode_pattern),
                            },
                        ),
                    ],
                    required: vec!["city"],
                },
            ),
        ],
        required: vec!["name"],
    }
}

/// `Pet` as a request body (createPet, replacePet), or `PetPatch` (updatePet) when `patch`.
pub fn pet(bug: Bug, patch: bool) -> Schema {
    let name_max = if bug == Bug::MaxLengthNotEnforced && !patch {
        None
    } else {
        Some(50)
    };
    let nickname = Schema::Str {
        min: 0,
        max: Some(30),
        pattern: None,
    };
    let nickname = if bug == Bug::NullableRejected && patch {
        nickname
    } else {
        Schema::Nullable(Box::new(nickname))
    };
    let required = if patch {
        vec![]
    } else if bug == Bug::RequiredNotEnforced {
        vec!["name"]
    } else {
        vec!["name", "status"]
    };
    Schema::Obj {
        props: vec![
            ("id", Schema::Any),
            ("createdAt", Schema::Any),
            (
                "name",
                Schema::Str {
                    min: 1,
                    max: name_max,
                    pattern: None,
                },
            ),
            ("status", Schema::Enum(STATUSES)),
            (
                "tags",
                Schema::Arr {
                    items: Box::new(tag()),
                    max: 5,
                },
            ),
            ("nickname", nickname),
            (
                "age",
                Schema::Nullable(Box::new(Schema::Int { min: 0, max: 50 })),
            ),
            ("owner", owner()),
        ],
        required,
    }
}

/// `NewEvent`: oneOf Vaccination, Checkup by `kind`. With `Bug::OneOfNotValidated` only the
/// kind is looked at.
pub fn validate_event(bug: Bug, body: &Value) -> Result<(), Invalid> {
    let Some(object) = body.as_object() else {
        return Err(invalid("", "must be an object"));
    };
    let kind = object.get("kind").and_then(Value::as_str);
    let schema = match kind {
        Some("vaccination") => Schema::Obj {
            props: vec![
                (
                    "vaccine",
                    Schema::Str {
                        min: 1,
                        max: Some(50),
                        pattern: None,
                    },
                ),
                ("dose", Schema::Int { min: 1, max: 5 }),
            ],
            required: vec!["kind", "vaccine", "dose"],
        },
        Some("checkup") => Schema::Obj {
            props: vec![
                (
                    "weightKg",
                    Schema::Num {
                        min: 0.1,
                        max: 200.0,
                    },
                ),
                (
                    "notes",
                    Schema::Nullable(Box::new(Schema::Str {
                        min: 0,
                        max: Some(200),
                        pattern: None,
                    })),
                ),
            ],
            required: vec!["kind", "weightKg"],
        },
        _ => {
            return Err(invalid(
                "kind",
                "must be one of vaccination, checkup (the body matches neither Vaccination nor Checkup)",
            ));
        }
    };
    if bug == Bug::OneOfNotValidated {
        return Ok(());
    }
    schema.validate(&Value::Object(Map::clone(object)), "")
}
