//! The committed specs pass every check, and every check catches what it claims.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use generator::spec::ext::Dialect;
use generator::spec::{
    Document, Sources, SpecErrors, SpecSet, check_project_document, parse_document, pointer, walk,
};
use serde_json::Value;

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

fn load_all() -> (BTreeMap<Dialect, Document>, Sources) {
    let dir = spec_dir();
    let documents = Dialect::ALL
        .iter()
        .map(|d| {
            (
                *d,
                generator::spec::load_document(&dir.join(d.spec_file()))
                    .unwrap_or_else(|e| panic!("{e}")),
            )
        })
        .collect();
    (documents, Sources::load(&dir.join("seeds")).unwrap())
}

fn check(documents: BTreeMap<Dialect, Document>, sources: &Sources) -> Result<SpecSet, SpecErrors> {
    SpecSet::check(&spec_dir(), documents, sources)
}

#[test]
fn the_committed_specs_pass_every_check() {
    if let Err(errors) = SpecSet::load(&spec_dir()) {
        panic!("{errors}");
    }
}

#[test]
fn the_cited_seeds_are_verbatim_copies_of_the_shared_ones() {
    let shared = spec_dir().join("../../shared");
    if !shared.exists() {
        return; // a clone without shared/ beside it: nothing to compare with
    }
    let mut compared = 0;
    for entry in std::fs::read_dir(shared.join("seeds")).unwrap() {
        let path = entry.unwrap().path();
        let copy = spec_dir().join("seeds").join(path.file_name().unwrap());
        assert_eq!(
            std::fs::read(&path).unwrap(),
            std::fs::read(&copy).unwrap(),
            "{} differs",
            copy.display()
        );
        compared += 1;
    }
    // Compared as text: a failure shows the lines that differ, not two byte arrays.
    let contract = std::fs::read_to_string(shared.join("dialects.md")).unwrap();
    let copy = std::fs::read_to_string(spec_dir().join("seeds/dialects.md")).unwrap();
    let changed: Vec<String> = similar::TextDiff::from_lines(&copy, &contract)
        .iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .map(|c| {
            let sign = if c.tag() == similar::ChangeTag::Delete {
                '-'
            } else {
                '+'
            };
            format!("{sign}{}", c.value().trim_end())
        })
        .collect();
    assert!(
        changed.is_empty(),
        "spec/seeds/dialects.md differs from shared/dialects.md (copy it, then review the specs against the change):\n{}",
        changed.join("\n")
    );
    assert_eq!(compared, 5);
}

/// Every `x-mapping` string of a canonical schema property: (document pointer of the string,
/// dialect, canonical field label).
fn field_mappings(canonical: &Document) -> Vec<(String, Dialect, String)> {
    let raw = &canonical.raw;
    let mut found = Vec::new();
    for name in raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .unwrap()
        .keys()
    {
        for (field, at) in walk::fields(raw, name) {
            let Some(mapping) = raw
                .pointer(&at)
                .and_then(|p| p.get("x-mapping"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            let label = format!(
                "canonical field {name}.{}",
                field.pointer.trim_start_matches('/').replace('/', ".")
            );
            for (dialect, value) in mapping {
                let dialect = Dialect::from_name(dialect).unwrap();
                let base = pointer::join(&pointer::join(&at, "x-mapping"), dialect.name());
                match value {
                    Value::Array(items) => {
                        for index in 0..items.len() {
                            found.push((
                                pointer::join(&base, &index.to_string()),
                                dialect,
                                label.clone(),
                            ));
                        }
                    }
                    _ => found.push((base, dialect, label.clone())),
                }
            }
        }
    }
    found
}

#[test]
fn breaking_any_one_field_mapping_fails_naming_the_field() {
    let (documents, sources) = load_all();
    let mappings = field_mappings(&documents[&Dialect::Canonical]);
    assert!(
        mappings.len() >= 40,
        "only {} field mappings",
        mappings.len()
    );
    for (at, dialect, label) in mappings {
        let mut broken = documents.clone();
        let canonical = broken.get_mut(&Dialect::Canonical).unwrap();
        let address = canonical.raw.pointer_mut(&at).unwrap();
        *address = Value::String(format!("{}_broken", address.as_str().unwrap()));
        let errors = check(broken, &sources).expect_err(&at);
        assert!(
            errors.iter().any(|e| e.message.contains(&label)
                && e.message.contains(dialect.name())
                && e.message.contains("_broken")),
            "breaking {at} was reported without naming {label}: {errors}"
        );
    }
}

#[test]
fn breaking_any_one_operation_mapping_fails_naming_the_operation() {
    let (documents, sources) = load_all();
    let canonical = &documents[&Dialect::Canonical];
    let mut count = 0;
    for operation in generator::spec::operations(&canonical.raw) {
        let Some(mapping) = operation.value.get("x-mapping").and_then(Value::as_object) else {
            continue;
        };
        for (dialect, entry) in mapping {
            if entry.get("operation").is_none() {
                continue;
            }
            let at = format!("{}/x-mapping/{dialect}/operation", operation.pointer);
            let mut broken = documents.clone();
            let raw = &mut broken.get_mut(&Dialect::Canonical).unwrap().raw;
            *raw.pointer_mut(&at).unwrap() = Value::String("noSuchOperation".into());
            let errors = check(broken, &sources).expect_err(&at);
            let label = operation.id().unwrap();
            assert!(
                errors
                    .iter()
                    .any(|e| e.message.contains(label) && e.message.contains("noSuchOperation")),
                "breaking {at} was reported without naming {label}: {errors}"
            );
            count += 1;
        }
    }
    assert!(count >= 10, "only {count} operation mappings");
}

#[test]
fn dropping_a_mapping_leaves_the_dialect_field_reported() {
    let (documents, sources) = load_all();
    let canonical = &documents[&Dialect::Canonical];
    // Each address used once only: dropping it must leave its dialect field unmapped.
    let mappings = field_mappings(canonical);
    let text_of = |at: &str| {
        canonical
            .raw
            .pointer(at)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    };
    let mut tried = 0;
    for (at, dialect, _) in &mappings {
        let address = text_of(at);
        if mappings
            .iter()
            .filter(|(other, d, _)| d == dialect && text_of(other) == address)
            .count()
            != 1
        {
            continue;
        }
        let parsed = generator::spec::ext::FieldAddress::parse(&address).unwrap();
        let trail = walk::walk(&documents[dialect].raw, &parsed).unwrap();
        let last = trail.last().unwrap();
        let field = last.to_string();
        // Error envelopes are covered by x-error-envelope; mapping into them is optional.
        let envelope =
            generator::spec::ext::parse_error_envelope(&documents[dialect].raw["x-error-envelope"])
                .unwrap();
        if [envelope.validation.schema, envelope.other.schema]
            .iter()
            .any(|s| walk::component_name(s) == Some(last.schema.as_str()))
        {
            continue;
        }
        let mut broken = documents.clone();
        let raw = &mut broken.get_mut(&Dialect::Canonical).unwrap().raw;
        let (parent, key) = at.rsplit_once('/').unwrap();
        match raw.pointer_mut(parent).unwrap() {
            Value::Object(object) => {
                object.remove(key);
            }
            Value::Array(items) => {
                items.remove(key.parse::<usize>().unwrap());
            }
            _ => unreachable!(),
        }
        match check(broken, &sources) {
            // Still covered: another mapping walks through this field (a container of mapped fields).
            Ok(_) => assert!(
                mappings
                    .iter()
                    .any(|(other, d, _)| other != at && d == dialect && {
                        let other =
                            generator::spec::ext::FieldAddress::parse(&text_of(other)).unwrap();
                        walk::walk(&documents[dialect].raw, &other)
                            .unwrap()
                            .iter()
                            .any(|f| f.to_string() == field)
                    }),
                "dropping {at} ({address}) went unnoticed"
            ),
            Err(errors) => assert!(
                errors
                    .iter()
                    .any(|e| e.message.contains(&format!("{dialect} field {field}"))),
                "dropping {at} did not name {dialect} field {field}: {errors}"
            ),
        }
        tried += 1;
    }
    assert!(tried >= 20, "only {tried} single-use mappings");
}

// Small fixtures: each problem is reported with file, line and a clear message.

const FIXTURE_HEAD: &str = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n";

fn problems(text: &str) -> SpecErrors {
    let document = match parse_document(Path::new("fixture.yaml"), text.to_owned()) {
        Ok(document) => document,
        Err(error) => return error.into(),
    };
    let mut errors = SpecErrors::default();
    check_project_document(&document, None, &Sources::default(), &mut errors);
    errors.sorted()
}

#[test]
fn a_duplicate_key_is_reported_with_its_line() {
    let errors = problems(&format!(
        "{FIXTURE_HEAD}paths:\n  /a:\n    get:\n      responses: {{}}\n  /a:\n    put:\n      responses: {{}}\n"
    ));
    let error = errors.iter().next().unwrap();
    assert_eq!(error.location.unwrap().line, 9, "{errors}");
    assert!(error.to_string().starts_with("fixture.yaml:9:"), "{error}");
    assert!(
        error.message.to_lowercase().contains("duplicate"),
        "{error}"
    );
}

#[test]
fn a_dangling_ref_is_reported_with_its_line() {
    let text = format!(
        "{FIXTURE_HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      properties:\n        b:\n          $ref: '#/components/schemas/Missing'\n"
    );
    let errors = problems(&text);
    assert_eq!(errors.len(), 1, "{errors}");
    let error = errors.iter().next().unwrap();
    assert_eq!(error.location.unwrap().line, 11, "{error}");
    assert!(
        error
            .message
            .contains("dangling $ref \"#/components/schemas/Missing\""),
        "{error}"
    );
}

/// GitHub's spec has a schema property called `$ref`: in a map of names it is a name, not a
/// reference; a `$ref` beside it in the same schema is still checked.
#[test]
fn a_property_named_ref_is_a_name_not_a_reference() {
    let text = format!(
        "{FIXTURE_HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        $ref: {{type: string}}\n        null: {{type: string}}\n        b:\n          $ref: '#/components/schemas/A'\n"
    );
    let errors = problems(&text);
    assert!(errors.is_empty(), "{errors}");
    let broken = text.replace("schemas/A'", "schemas/Missing'");
    let errors = problems(&broken);
    assert_eq!(errors.len(), 1, "{errors}");
    assert!(errors.to_string().contains("dangling $ref"), "{errors}");
}

#[test]
fn malformed_extensions_are_reported_with_their_lines() {
    let text = format!(
        "{FIXTURE_HEAD}x-dialect: manage
x-colour: blue
paths:
  /a:
    put:
      operationId: putA
      x-rules:
        - rule: owner-only
          status: 403
        - rule: sometimes
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/A'
      responses: {{}}
components:
  schemas:
    A:
      properties:
        name:
          type: string
          maxLength: 5
          x-messages:
            maxLenght: too long
"
    );
    let errors = problems(&text);
    let has = |line: usize, needle: &str| {
        errors
            .iter()
            .any(|e| e.location.map(|l| l.line) == Some(line) && e.message.contains(needle))
    };
    assert!(has(6, "unknown extension x-colour"), "{errors}");
    assert!(
        has(12, "exactly one of `parameter` or `body-field`"),
        "{errors}"
    );
    assert!(has(14, "unknown rule \"sometimes\""), "{errors}");
    assert!(
        has(28, "malformed x-messages") && has(28, "maxLenght"),
        "{errors}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("no x-error-envelope")),
        "{errors}"
    );
    assert!(
        errors.iter().any(|e| e.message.contains("no x-source")),
        "{errors}"
    );
}

#[test]
fn an_x_source_must_cite_a_real_heading() {
    let dir = spec_dir();
    let sources = Sources::load(&dir.join("seeds")).unwrap();
    let good = generator::spec::ext::Source {
        file: "000_16b210d448e55586.txt".into(),
        heading: "Request Parameters".into(),
    };
    assert!(sources.check(&good).is_ok());
    let bad_heading = generator::spec::ext::Source {
        heading: "Request Parameter".into(),
        ..good.clone()
    };
    assert!(
        sources
            .check(&bad_heading)
            .unwrap_err()
            .contains("not a line of")
    );
    let bad_file = generator::spec::ext::Source {
        file: "nope.txt".into(),
        ..good
    };
    assert!(
        sources
            .check(&bad_file)
            .unwrap_err()
            .contains("not a source document")
    );
}
