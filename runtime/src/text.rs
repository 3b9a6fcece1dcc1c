//! Scalars read from text (a query string, a header, a form field) or from loose JSON
//! numbers.

use serde_json::Value;

/// A JSON integer (`1.0` counts), within `i64`.
#[allow(
    clippy::float_cmp,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss
)]
pub fn json_i64(value: &Value) -> Option<i64> {
    if let Some(integer) = value.as_i64() {
        return Some(integer);
    }
    let number = value.as_f64()?;
    // `i64::MAX as f64` rounds up to 2^63, which is already out of range: hence `<`.
    if number.fract() == 0.0 && number >= i64::MIN as f64 && number < i64::MAX as f64 {
        Some(number as i64)
    } else {
        None
    }
}

/// An integer written as text (surrounding white space allowed).
pub fn text_i64(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

/// A finite number written as text (surrounding white space allowed).
pub fn text_f64(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite())
}

/// A boolean written as text: `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off` (any case).
pub fn text_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// The items of a comma-separated list (a header or path parameter of array type).
pub fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn json_integers_include_whole_floats_within_range() {
        assert_eq!(json_i64(&json!(7)), Some(7));
        assert_eq!(json_i64(&json!(7.0)), Some(7));
        assert_eq!(json_i64(&json!(7.5)), None);
        assert_eq!(json_i64(&json!(1e300)), None);
        assert_eq!(json_i64(&json!("7")), None);
    }

    #[test]
    fn text_scalars() {
        assert_eq!(text_i64(" 42 "), Some(42));
        assert_eq!(text_i64("4.2"), None);
        assert_eq!(text_f64("4.5"), Some(4.5));
        assert_eq!(text_f64("inf"), None);
        assert_eq!(text_f64("NaN"), None);
        assert_eq!(text_bool("Yes"), Some(true));
        assert_eq!(text_bool("off"), Some(false));
        assert_eq!(text_bool("maybe"), None);
    }

    #[test]
    fn lists_drop_empty_items() {
        assert_eq!(split_list("a, b,,c "), ["a", "b", "c"]);
        assert!(split_list("").is_empty());
    }
}
