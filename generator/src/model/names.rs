//! Rust identifiers from OpenAPI names: always valid, never a keyword that breaks the build,
//! and unique where they must be (`type`, `self`, `first-name`, `Etc/GMT+1` all work).

use std::collections::BTreeSet;

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_OK: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];
/// Keywords that cannot be raw identifiers: they get a trailing underscore.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Splits a name into lowercase words: on non-alphanumerics, on lower→upper and on
/// acronym→word boundaries (`HTTPValidationError` → http, validation, error).
pub fn words(name: &str) -> Vec<String> {
    if name.is_ascii() {
        return ascii_name_words(name.as_bytes());
    }
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (index, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let previous = index.checked_sub(1).map(|i| chars[i]);
        let next = chars.get(index + 1);
        let boundary = match previous {
            Some(p) if p.is_alphanumeric() => {
                (c.is_uppercase() && (p.is_lowercase() || p.is_ascii_digit()))
                    || (c.is_uppercase()
                        && p.is_uppercase()
                        && next.is_some_and(|n| n.is_lowercase()))
            }
            _ => false,
        };
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// [`words`] of an ASCII name, byte by byte (the same rules: on ASCII, `char`'s Unicode
/// classes are the ASCII ones). Names are split for every type, field and operation, and
/// Stripe's spec has hundreds of thousands.
fn ascii_name_words(name: &[u8]) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    for (index, &c) in name.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let boundary = match index.checked_sub(1).map(|i| name[i]) {
            Some(p) if p.is_ascii_alphanumeric() => {
                c.is_ascii_uppercase()
                    && (p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_ascii_uppercase()
                            && name.get(index + 1).is_some_and(u8::is_ascii_lowercase)))
            }
            _ => false,
        };
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(char::from(c.to_ascii_lowercase()));
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Only ASCII letters, digits and `_` survive: other characters become words' separators,
/// and non-ASCII letters are transliterated to `u<hex>` so distinct names stay distinct.
fn ascii_words(name: &str) -> Vec<String> {
    words(name)
        .into_iter()
        .map(|word| {
            if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return word;
            }
            let mut ascii = String::with_capacity(word.len() + 8);
            for c in word.chars() {
                if c.is_ascii_alphanumeric() {
                    ascii.push(c);
                } else {
                    ascii.push_str(&format!("u{:x}", c as u32));
                }
            }
            ascii
        })
        .collect()
}

/// A snake_case identifier for a field, parameter, function or module.
pub fn snake_ident(name: &str) -> String {
    let words = ascii_words(name);
    let mut ident = if words.is_empty() {
        String::from("value")
    } else {
        words.join("_")
    };
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    escape_keyword(ident)
}

/// The module an OpenAPI file generates into, from its file name: `stripe-spec3.yaml` →
/// `stripe_spec3` (lower-case ASCII letters, digits and `_`; `spec_` before a name that
/// would not start with a letter).
pub fn module_for_file(path: &std::path::Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        name.insert_str(0, "spec_");
    }
    name
}

/// A PascalCase identifier for a type or an enum variant.
pub fn pascal_ident(name: &str) -> String {
    let mut ident = String::with_capacity(name.len());
    for word in ascii_words(name) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            ident.push(first.to_ascii_uppercase());
            ident.push_str(chars.as_str());
        }
    }
    if ident.is_empty() {
        ident = String::from("Value");
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, 'V');
    }
    escape_keyword(ident)
}

/// `r#type` for raw-able keywords, `self_` for the rest.
fn escape_keyword(ident: String) -> String {
    if RAW_OK.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else if NOT_RAW.contains(&ident.as_str()) {
        format!("{ident}_")
    } else {
        ident
    }
}

/// Hands out identifiers unique within one scope (a module's types, a struct's fields).
#[derive(Debug, Clone, Default)]
pub struct NameSet {
    used: BTreeSet<String>,
}

impl NameSet {
    /// Marks names as taken (e.g. the module's own helper items).
    pub fn reserve<I: IntoIterator<Item = S>, S: Into<String>>(&mut self, names: I) {
        self.used.extend(names.into_iter().map(Into::into));
    }

    /// `candidate`, or `candidate2`, `candidate3`, … (`candidate_2` for snake_case names).
    pub fn unique(&mut self, candidate: String) -> String {
        let bare = candidate.trim_start_matches("r#").to_owned();
        if self.used.insert(bare.clone()) {
            return candidate;
        }
        let separator = if bare.contains('_') || bare.chars().all(|c| !c.is_uppercase()) {
            "_"
        } else {
            ""
        };
        let base = bare.trim_end_matches('_');
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|name| self.used.insert(name.clone()))
            .unwrap_or(bare)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_are_named_after_their_files() {
        let module = |name: &str| module_for_file(std::path::Path::new(name));
        assert_eq!(module("stripe-spec3.yaml"), "stripe_spec3");
        assert_eq!(module("dir/GitHub.API.json"), "github_api");
        assert_eq!(module("3d.yaml"), "spec_3d");
    }

    #[test]
    fn snake_case_handles_keywords_and_odd_names() {
        assert_eq!(snake_ident("type"), "r#type");
        assert_eq!(snake_ident("self"), "self_");
        assert_eq!(snake_ident("first-name"), "first_name");
        assert_eq!(snake_ident("firstName"), "first_name");
        assert_eq!(snake_ident("UserProfile"), "user_profile");
        assert_eq!(snake_ident("Etc/GMT+1"), "etc_gmt_1");
        assert_eq!(snake_ident("123abc"), "_123abc");
        assert_eq!(snake_ident(""), "value");
        assert_eq!(snake_ident("+"), "value");
        assert_eq!(snake_ident("X-API-Key"), "x_api_key");
        assert_eq!(snake_ident("café"), "cafue9");
    }

    /// The byte-by-byte reading of ASCII names splits them as the `char` one does.
    #[test]
    fn ascii_names_split_as_any_name() {
        fn by_chars(name: &str) -> Vec<String> {
            // The general rules, reached through a non-ASCII suffix that is its own word.
            let mut words = words(&format!("{name} é"));
            assert_eq!(words.pop().as_deref(), Some("é"), "{name:?}");
            words
        }
        for name in [
            "HTTPValidationError",
            "userProfile_ID2x",
            "ABC",
            "aB",
            "A1b",
            "a1B",
            "X-API-Key",
            "__proto__",
            "Etc/GMT+1",
            "v1_2Beta",
            "",
            "ETag",
            "getURLs",
        ] {
            assert_eq!(words(name), by_chars(name), "{name:?}");
        }
    }

    #[test]
    fn pascal_case_handles_acronyms_and_odd_names() {
        assert_eq!(pascal_ident("HTTPValidationError"), "HttpValidationError");
        assert_eq!(pascal_ident("user_profile"), "UserProfile");
        assert_eq!(pascal_ident("Etc/GMT+1"), "EtcGmt1");
        assert_eq!(pascal_ident("1st"), "V1st");
        assert_eq!(pascal_ident("Self"), "Self_");
        assert_eq!(pascal_ident(""), "Value");
    }

    #[test]
    fn name_sets_make_collisions_unique() {
        let mut names = NameSet::default();
        assert_eq!(names.unique("Profile".into()), "Profile");
        assert_eq!(names.unique("Profile".into()), "Profile2");
        assert_eq!(names.unique("first_name".into()), "first_name");
        assert_eq!(names.unique("first_name".into()), "first_name_2");
        assert_eq!(names.unique("r#type".into()), "r#type");
        assert_eq!(names.unique("r#type".into()), "type_2");
    }

    #[test]
    fn every_identifier_parses_as_rust() {
        for name in [
            "type",
            "self",
            "Self",
            "super",
            "crate",
            "_",
            "first-name",
            "Etc/GMT+1",
            "",
            "9",
            "async",
            "gen",
            "ÿ",
        ] {
            assert!(
                syn_like(&snake_ident(name)),
                "{name:?} -> {}",
                snake_ident(name)
            );
            assert!(
                syn_like(&pascal_ident(name)),
                "{name:?} -> {}",
                pascal_ident(name)
            );
        }
    }

    /// A cheap stand-in for `syn::parse_str::<Ident>` (checked for real by the emitters).
    fn syn_like(ident: &str) -> bool {
        let bare = ident.strip_prefix("r#").unwrap_or(ident);
        !bare.is_empty()
            && !bare.starts_with(|c: char| c.is_ascii_digit())
            && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && bare != "_"
    }
}
