//! The Markdown reference of one API (`docs/<module>.md`), from `templates/api.md.j2`.

use serde::Serialize;

use super::{CodegenError, render_template, source_of};
use crate::model::{Api, Constraints, Field, IntegerWidth, TypeDef, TypeKind, TypeRef};

const TEMPLATE: &str = include_str!("../../../templates/api.md.j2");

/// The reference of `api`, headed by `header` (as an HTML comment).
pub fn api_reference(api: &Api, header: &str) -> Result<String, CodegenError> {
    let context = Reference {
        header: format!("<!-- {} -->", header.trim()),
        title: api.title.trim(),
        version: api.version.trim(),
        description: api
            .description
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty()),
        module: &api.module,
        source: source_of(api),
        operations: api
            .operations
            .iter()
            .map(|operation| OperationRow {
                method: operation.method.as_str(),
                path: &operation.path,
                id: &operation.id,
                summary: operation.summary.as_deref().unwrap_or_default(),
            })
            .collect(),
        types: api.types.iter().map(type_entry).collect(),
    };
    render_template("api.md.j2", TEMPLATE, &context)
}

/// A table cell: one line, `|` escaped.
pub fn cell(text: String) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

#[derive(Serialize)]
struct Reference<'a> {
    header: String,
    title: &'a str,
    version: &'a str,
    description: Option<&'a str>,
    module: &'a str,
    source: String,
    operations: Vec<OperationRow<'a>>,
    types: Vec<TypeEntry<'a>>,
}

#[derive(Serialize)]
struct OperationRow<'a> {
    method: &'static str,
    path: &'a str,
    id: &'a str,
    summary: &'a str,
}

#[derive(Serialize)]
struct TypeEntry<'a> {
    name: &'a str,
    /// `struct`, `enum`, `union` or `alias`.
    kind: &'static str,
    description: Option<&'a str>,
    /// The component schema, or the pointer of an inline schema.
    origin: String,
    fields: Vec<FieldRow<'a>>,
    additional: Option<String>,
    values: Vec<String>,
    variants: Vec<VariantRow<'a>>,
    discriminator: Option<&'a str>,
    alias: Option<String>,
    constraints: String,
}

#[derive(Serialize)]
struct FieldRow<'a> {
    name: &'a str,
    ty: String,
    required: &'static str,
    notes: String,
    description: &'a str,
}

#[derive(Serialize)]
struct VariantRow<'a> {
    name: &'a str,
    ty: String,
    tag: Option<String>,
}

fn type_entry(def: &TypeDef) -> TypeEntry<'_> {
    let mut entry = TypeEntry {
        name: def.rust_name.strip_prefix("r#").unwrap_or(&def.rust_name),
        kind: "",
        description: def
            .description
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty()),
        origin: match &def.component {
            Some(component) => format!("component schema `{component}`"),
            None => format!("inline schema at `{}`", def.pointer),
        },
        fields: Vec::new(),
        additional: None,
        values: Vec::new(),
        variants: Vec::new(),
        discriminator: None,
        alias: None,
        constraints: constraints(&def.constraints).join(", "),
    };
    match &def.kind {
        TypeKind::Struct(struct_def) => {
            entry.kind = "struct";
            entry.fields = struct_def.fields.iter().map(field_row).collect();
            entry.additional = struct_def.additional.as_ref().map(type_text);
        }
        TypeKind::StringEnum(values) => {
            entry.kind = "enum";
            entry.values = values.iter().map(|value| code(&value.value)).collect();
        }
        TypeKind::Union(union) => {
            entry.kind = "union";
            entry.discriminator = union.discriminator.as_deref();
            entry.variants = union
                .variants
                .iter()
                .map(|variant| VariantRow {
                    name: &variant.rust_name,
                    ty: type_text(&variant.ty),
                    tag: variant.tag.as_deref().map(code),
                })
                .collect();
        }
        TypeKind::Alias(target) => {
            entry.kind = "alias";
            entry.alias = Some(type_text(target));
        }
    }
    entry
}

fn field_row(field: &Field) -> FieldRow<'_> {
    let mut notes = Vec::new();
    if field.nullable {
        notes.push("nullable".to_owned());
    }
    if field.read_only {
        notes.push("read-only".to_owned());
    }
    if field.write_only {
        notes.push("write-only".to_owned());
    }
    notes.extend(constraints(&field.constraints));
    if let Some(default) = &field.default {
        notes.push(format!("default {}", code(&default.to_string())));
    }
    if field.privileged {
        notes.push("privileged: ignored unless the caller may set it".to_owned());
    }
    if field.unique {
        notes.push("unique among users".to_owned());
    }
    if let Some(key_of) = &field.key_of {
        notes.push(format!(
            "a `{}` of {} in `{}`'s response",
            key_of.key,
            code(&key_of.pointer),
            key_of.operation
        ));
    }
    FieldRow {
        name: &field.name,
        ty: type_text(&field.ty),
        required: if field.required { "yes" } else { "no" },
        notes: notes.join(", "),
        description: field.description.as_deref().unwrap_or_default(),
    }
}

/// Every constraint, in a fixed order, in the spec's own words.
fn constraints(constraints: &Constraints) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(format) = &constraints.format {
        out.push(format!("format {}", code(format)));
    }
    if let Some(min) = constraints.min_length {
        out.push(format!("minLength {min}"));
    }
    if let Some(max) = constraints.max_length {
        out.push(format!("maxLength {max}"));
    }
    if let Some(pattern) = &constraints.pattern {
        out.push(format!("pattern {}", code(pattern)));
    }
    if !constraints.enumeration.is_empty() {
        let values: Vec<String> = constraints
            .enumeration
            .iter()
            .map(|value| code(&value.to_string()))
            .collect();
        out.push(format!("one of {}", values.join(", ")));
    }
    if let Some(min) = constraints.minimum {
        let word = if constraints.exclusive_minimum {
            "exclusiveMinimum"
        } else {
            "minimum"
        };
        out.push(format!("{word} {}", number(min)));
    }
    if let Some(max) = constraints.maximum {
        let word = if constraints.exclusive_maximum {
            "exclusiveMaximum"
        } else {
            "maximum"
        };
        out.push(format!("{word} {}", number(max)));
    }
    if let Some(min) = constraints.min_items {
        out.push(format!("minItems {min}"));
    }
    if let Some(max) = constraints.max_items {
        out.push(format!("maxItems {max}"));
    }
    if constraints.unique_items {
        out.push("uniqueItems".to_owned());
    }
    out
}

/// `1` rather than `1.0` for whole numbers.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        value.to_string()
    }
}

/// A Markdown code span that survives backticks in `text`.
fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest > 0 {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// A type as the reference shows it; named types link to their section.
fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => {
            let name = name.strip_prefix("r#").unwrap_or(name);
            format!("[{name}](#{})", name.to_lowercase())
        }
        TypeRef::String => "string".into(),
        TypeRef::Integer(IntegerWidth::I32) => "integer (int32)".into(),
        TypeRef::Integer(IntegerWidth::I64) => "integer (int64)".into(),
        TypeRef::Number => "number".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::Binary => "file".into(),
        TypeRef::Array(item) => format!("array of {}", type_text(item)),
        TypeRef::Map(value) => format!("map of string to {}", type_text(value)),
        TypeRef::Any => "any".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_one_line_with_pipes_escaped() {
        assert_eq!(cell("a | b\n  c".into()), "a \\| b c");
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "`` a`b ``");
    }

    #[test]
    fn whole_numbers_print_without_a_fraction() {
        assert_eq!(number(255.0), "255");
        assert_eq!(number(0.5), "0.5");
    }
}
