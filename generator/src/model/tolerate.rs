//! Problems that do not stop generation: the model is repaired and each repair is a warning
//! with its file and line (`cargo xtask codegen --spec --strict` makes them errors).
//!
//! - a path parameter the operation declares but its path template does not name: the
//!   parameter is dropped (no request can carry it);
//! - an enum value listed twice: listed once.

use std::collections::BTreeSet;

use super::{Api, ParameterLocation, TypeKind};
use crate::spec::{Document, SpecError, SpecErrors, pointer};

/// [`super::build`], then the repairs; the warnings are the document's own (see
/// [`Document::warnings`]) and the repairs', in line order.
pub fn build_tolerant(document: &Document) -> Result<(Api, Vec<SpecError>), SpecErrors> {
    let mut api = super::build(document)?;
    let mut warnings = document.warnings.clone();
    warnings.extend(repair(&mut api, document));
    warnings.sort_by_key(|warning| warning.location);
    Ok((api, warnings))
}

/// Repairs `api` in place; one warning per repair.
pub fn repair(api: &mut Api, document: &Document) -> Vec<SpecError> {
    // `(pointer, message)`, located together at the end: the text is read once.
    let mut warnings = Vec::new();
    for operation in &mut api.operations {
        let named = template_names(&operation.path);
        let at = format!(
            "{}/{}",
            pointer::join("/paths", &operation.path),
            operation.method.as_str().to_ascii_lowercase()
        );
        operation.parameters.retain(|parameter| {
            let keep = parameter.location != ParameterLocation::Path
                || named.contains(parameter.name.as_str());
            if !keep {
                warnings.push((
                    at.clone(),
                    format!(
                        "path parameter `{}` is declared but not in the path template {:?}: ignored",
                        parameter.name, operation.path
                    ),
                ));
            }
            keep
        });
    }
    for def in &mut api.types {
        if let TypeKind::StringEnum(values) = &mut def.kind {
            let mut seen = BTreeSet::new();
            values.retain(|value| {
                let first = seen.insert(value.value.clone());
                if !first {
                    warnings.push((
                        def.pointer.clone(),
                        format!("enum value {:?} is listed twice: kept once", value.value),
                    ));
                }
                first
            });
        }
    }
    document.errors_at(warnings)
}

/// The `{name}`s of a path template.
fn template_names(path: &str) -> BTreeSet<&str> {
    let mut names = BTreeSet::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(length) = rest[start..].find('}') else {
            break;
        };
        names.insert(&rest[start + 1..start + length]);
        rest = &rest[start + length + 1..];
    }
    names
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn document(text: &str) -> Document {
        crate::spec::parse_document(Path::new("t.yaml"), text.to_owned()).unwrap()
    }

    #[test]
    fn a_declared_path_parameter_missing_from_the_template_is_dropped_with_a_warning() {
        let document = document(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /items/{id}:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: ghost, in: path, required: true, schema: {type: string}}\n      responses:\n        '204': {description: none}\n",
        );
        let (api, warnings) = build_tolerant(&document).unwrap();
        let names: Vec<&str> = api.operations[0]
            .parameters
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["id"]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let line = warnings[0].to_string();
        assert!(line.starts_with("t.yaml:5:"), "{line}");
        assert!(line.contains("`ghost`"), "{line}");
        crate::codegen::validate(&[api]).unwrap();
    }

    #[test]
    fn a_duplicate_enum_value_is_kept_once_with_a_warning() {
        let document = document(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Colour:\n      type: string\n      enum: [red, green, red]\n",
        );
        let (api, warnings) = build_tolerant(&document).unwrap();
        let TypeKind::StringEnum(values) = &api.types[0].kind else {
            panic!("{:?}", api.types[0].kind);
        };
        assert_eq!(values.len(), 2);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].to_string().starts_with("t.yaml:6:"),
            "{}",
            warnings[0]
        );
        crate::codegen::validate(&[api]).unwrap();
    }

    #[test]
    fn template_names_are_every_braced_name() {
        let names = template_names("/a/{x}.{y}/b{z}");
        assert_eq!(names, BTreeSet::from(["x", "y", "z"]));
    }
}
