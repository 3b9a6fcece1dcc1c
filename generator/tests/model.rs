//! The model builder reads the project's specs and real-world ones without loss or panic.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

use std::path::Path;

use generator::model::{self, Api, TypeKind, TypeRef};
use generator::spec::ext::Dialect;
use generator::spec::{SpecSet, load_document};

fn project_apis() -> Vec<Api> {
    let set = SpecSet::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")).unwrap();
    Dialect::ALL
        .iter()
        .map(|d| model::build(set.get(*d)).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

fn field<'a>(api: &'a Api, component: &str, name: &str) -> &'a model::Field {
    let TypeKind::Struct(def) = &api
        .component(component)
        .unwrap_or_else(|| panic!("no {component}"))
        .kind
    else {
        panic!("{component} is not a struct")
    };
    def.fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no {component}.{name}"))
}

#[test]
fn the_project_specs_build_into_models() {
    let apis = project_apis();
    let by_module = |m: &str| apis.iter().find(|a| a.module == m).unwrap();

    let rpc = by_module("rpc");
    assert_eq!(
        field(rpc, "ProfileData", "UserProfile").ty,
        TypeRef::Array(Box::new(TypeRef::Named("UserProfileItem".into())))
    );
    assert_eq!(
        field(rpc, "ProfileUpdate", "first_name")
            .constraints
            .max_length,
        Some(255)
    );
    assert!(field(rpc, "ProfileUpdate", "languages").key_of.is_some());
    assert_eq!(
        field(rpc, "ProfileImageUpload", "image").ty,
        TypeRef::Binary
    );
    let update = rpc
        .operations
        .iter()
        .find(|o| o.id == "updateProfile")
        .unwrap();
    assert_eq!(
        update.security,
        vec![vec!["ApiKey".to_owned(), "Bearer".to_owned()]]
    );
    assert_eq!(update.body.as_ref().unwrap().contents.len(), 2);
    assert!(
        update
            .rules
            .iter()
            .any(|r| r.kind() == "required-when-changed")
    );

    let community = by_module("community");
    assert_eq!(
        field(community, "User", "id").ty,
        TypeRef::Integer(model::IntegerWidth::I64)
    );
    assert!(field(community, "User", "id").read_only);
    assert!(field(community, "UserUpdate", "username").unique);

    let billing = by_module("billing");
    // `allOf: [$ref]` with a sibling x-source is still the referenced type.
    assert_eq!(
        field(billing, "UserResponse", "data").ty,
        TypeRef::Named("User".into())
    );
    assert!(field(billing, "UserUpdate", "is_superuser").privileged);
    assert!(billing.security_schemes.iter().any(
        |s| matches!(&s.kind, model::SchemeKind::ApiKey { prefix: Some(p), .. } if p == "in-")
    ));

    let cl2c = by_module("cl2c");
    assert_eq!(
        field(cl2c, "ProfileUpdate", "firstName").rust_name,
        "first_name"
    );
    assert!(field(cl2c, "ProfileUpdate", "firstName").required);
    assert!(cl2c.error_envelope.is_some());
}

#[test]
fn the_real_world_corpus_builds_without_errors() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if !corpus.exists() {
        return; // a clone without shared/ beside it
    }
    for (file, min_operations) in [
        ("oxide-nexus.json", 150),
        ("github-api.json", 700),
        ("stripe-spec3.yaml", 400),
    ] {
        let document = load_document(&corpus.join(file)).unwrap_or_else(|e| panic!("{e}"));
        let api = model::build(&document).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(
            api.operations.len() >= min_operations,
            "{file}: {} operations",
            api.operations.len()
        );
        let mut names: Vec<&str> = api.types.iter().map(|t| t.rust_name.as_str()).collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "{file}: type names are not unique");
    }
}

#[test]
fn the_canonical_mapping_reads_into_the_model() {
    let set = SpecSet::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")).unwrap();
    let mappings = model::read_mapping(set.get(Dialect::Canonical));
    assert_eq!(mappings.len(), 5);
    let rpc = &mappings[&Dialect::Rpc];
    assert_eq!(
        rpc.credentials.get("Bearer").map(String::as_str),
        Some("Bearer")
    );
    let first_name = rpc
        .fields
        .iter()
        .find(|f| f.schema == "Profile" && f.pointer == "/first_name")
        .unwrap();
    assert!(
        first_name
            .dialect
            .iter()
            .any(|a| a.to_string() == "ProfileData#/UserProfile/0/first_name"),
        "{first_name:?}"
    );
    assert!(rpc.operations.iter().any(|o| o.canonical == "getProfile"));
    let cl2c = &mappings[&Dialect::Cl2c];
    assert!(cl2c.fields.iter().any(|f| {
        f.dialect
            .iter()
            .any(|a| a.to_string() == "ProfileUpdate#/firstName")
    }));
}

/// A `$ref` may name any JSON pointer in the document: a property of a component, a
/// parameter or body under `paths`, a schema-shaped node used as a response, a percent-encoded
/// path. Each is read as what its place needs; a pointer to nothing is still an error.
#[test]
fn a_ref_to_any_json_pointer_is_followed() {
    let text = r##"openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet/properties/owner'}
  /b:
    get:
      parameters:
        - $ref: '#/paths/~1a~1%7Bid%7D/get/parameters/1'
      responses:
        '200':
          $ref: '#/components/schemas/Good'
components:
  schemas:
    Good:
      description: OK, good
    Pet:
      type: object
      properties:
        owner:
          type: object
          properties:
            name: {type: string}
        null: {type: string}
        $ref: {type: string}
"##;
    let document = generator::spec::parse_document(Path::new("refs.yaml"), text.into()).unwrap();
    let api = model::build(&document).unwrap_or_else(|e| panic!("{e}"));
    let a = api.operations.iter().find(|o| o.path == "/a/{id}").unwrap();
    let Some((_, Some(TypeRef::Named(owner)))) = a.responses[0].contents.first() else {
        panic!("{:?}", a.responses[0].contents);
    };
    let TypeKind::Struct(def) = &api.type_named(owner).unwrap().kind else {
        panic!("{owner} is not a struct");
    };
    assert_eq!(def.fields[0].name, "name");
    let b = api.operations.iter().find(|o| o.path == "/b").unwrap();
    assert_eq!(b.parameters[0].name, "limit");
    assert_eq!(b.responses[0].description, "OK, good");
    let names: Vec<&str> = match &api.component("Pet").unwrap().kind {
        TypeKind::Struct(def) => def.fields.iter().map(|f| f.name.as_str()).collect(),
        other => panic!("{other:?}"),
    };
    assert_eq!(names, ["owner", "null", "$ref"]);
    generator::codegen::validate(&[api]).unwrap();

    let broken = text.replace("/properties/owner'", "/properties/nobody'");
    let document = generator::spec::parse_document(Path::new("refs.yaml"), broken).unwrap();
    let errors = model::build(&document).unwrap_err().to_string();
    assert!(errors.contains("refs.yaml:14:"), "{errors}");
}

/// `enum: [null]` (progenitor's buildomat: a value that can only be null) has no string to
/// make a variant of: it is not an (empty) string enum, whose generated code cannot hold null.
#[test]
fn an_enum_of_null_alone_is_not_a_string_enum() {
    let text = r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},
        "components":{"schemas":{"Nothing":{"enum":[null]},"Maybe":{"type":"string","nullable":true,"enum":["a",null]}}}}"#;
    let document = generator::spec::parse_document(Path::new("null.json"), text.into()).unwrap();
    let api = model::build(&document).unwrap();
    assert!(!matches!(
        api.component("Nothing").unwrap().kind,
        TypeKind::StringEnum(_)
    ));
    assert!(matches!(
        api.component("Maybe").unwrap().kind,
        TypeKind::StringEnum(_)
    ));
}
