//! A JSON value against a type of the model: the response-schema and envelope-schema checks.
//! Types, required fields, `nullable` and enums; formats and lengths of stored data are the
//! server's business on the way in, not on the way out.

use generator::model::{Api, TypeKind, TypeRef};
use serde_json::Value;

/// The first way `value` does not fit `ty`, as `path: problem`.
pub fn check(api: &Api, ty: &TypeRef, value: &Value) -> Result<(), String> {
    check_at(api, ty, value, "", 0)
}

fn check_at(api: &Api, ty: &TypeRef, value: &Value, at: &str, depth: usize) -> Result<(), String> {
    let here = || {
        if at.is_empty() {
            "the body".to_owned()
        } else {
            at.to_owned()
        }
    };
    if depth > 64 {
        return Ok(());
    }
    match ty {
        TypeRef::Any => Ok(()),
        TypeRef::String | TypeRef::Binary => expect(value.is_string(), here, "a string", value),
        TypeRef::Integer(_) => expect(value.is_i64() || value.is_u64(), here, "an integer", value),
        TypeRef::Number => expect(value.is_number(), here, "a number", value),
        TypeRef::Boolean => expect(value.is_boolean(), here, "a boolean", value),
        TypeRef::Array(item) => {
            let Some(items) = value.as_array() else {
                return expect(false, here, "a list", value);
            };
            items
                .iter()
                .enumerate()
                .try_for_each(|(i, v)| check_at(api, item, v, &format!("{at}/{i}"), depth + 1))
        }
        TypeRef::Map(item) => {
            let Some(map) = value.as_object() else {
                return expect(false, here, "an object", value);
            };
            map.iter()
                .try_for_each(|(k, v)| check_at(api, item, v, &format!("{at}/{k}"), depth + 1))
        }
        TypeRef::Named(name) => {
            let Some(def) = api.type_named(name) else {
                return Ok(());
            };
            match &def.kind {
                TypeKind::Alias(inner) => check_at(api, inner, value, at, depth + 1),
                TypeKind::StringEnum(values) => match value.as_str() {
                    Some(text) if values.iter().any(|v| v.value == text) => Ok(()),
                    _ => Err(format!(
                        "{} is {value}, expected one of {}",
                        here(),
                        values
                            .iter()
                            .map(|v| v.value.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                },
                TypeKind::Union(union) => {
                    if union
                        .variants
                        .iter()
                        .any(|v| check_at(api, &v.ty, value, at, depth + 1).is_ok())
                    {
                        Ok(())
                    } else {
                        Err(format!(
                            "{} fits none of {}",
                            here(),
                            union
                                .variants
                                .iter()
                                .map(|v| v.rust_name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    }
                }
                TypeKind::Struct(def) => {
                    let Some(object) = value.as_object() else {
                        return expect(false, here, "an object", value);
                    };
                    for field in &def.fields {
                        let path = format!("{at}/{}", field.name);
                        match object.get(&field.name) {
                            None if field.required && !field.write_only => {
                                return Err(format!("{path} is missing"));
                            }
                            None => {}
                            Some(Value::Null) if field.nullable => {}
                            Some(Value::Null) => {
                                return Err(format!(
                                    "{path} is null, which the schema does not allow"
                                ));
                            }
                            Some(inner) => {
                                check_at(api, &field.ty, inner, &path, depth + 1)?;
                                if let Some(text) = inner.as_str()
                                    && !field.constraints.enumeration.is_empty()
                                    && !field
                                        .constraints
                                        .enumeration
                                        .iter()
                                        .any(|v| v.as_str() == Some(text))
                                {
                                    return Err(format!(
                                        "{path} is {inner}, expected one of the enum values"
                                    ));
                                }
                            }
                        }
                    }
                    if let Some(additional) = &def.additional {
                        for (key, inner) in object {
                            if !def.fields.iter().any(|f| &f.name == key) {
                                check_at(
                                    api,
                                    additional,
                                    inner,
                                    &format!("{at}/{key}"),
                                    depth + 1,
                                )?;
                            }
                        }
                    }
                    Ok(())
                }
            }
        }
    }
}

fn expect(ok: bool, here: impl Fn() -> String, what: &str, value: &Value) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(format!("{} is {value}, expected {what}", here()))
    }
}
