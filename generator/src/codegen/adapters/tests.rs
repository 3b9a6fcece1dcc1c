//! Snapshot tests of the adapter emitter, one small hand-built pair of models per feature.
//!
//! Review changes with `cargo insta review` (CI runs with `INSTA_UPDATE=no`).

use serde_json::json;

use super::*;
use crate::codegen::test_models::{self, def, strukt};
use crate::model::{Constraints, FieldLink, TypeDef};
use crate::spec::ext::{FieldAddress, parse_error_envelope};

fn api(module: &str, dialect: Dialect, types: Vec<TypeDef>) -> Api {
    Api {
        dialect: Some(dialect),
        module: module.into(),
        title: format!("The {module} fixture"),
        version: "1.0.0".into(),
        description: None,
        types,
        operations: Vec::new(),
        security_schemes: Vec::new(),
        error_envelope: None,
        type_index: Default::default(),
    }
}

fn field(name: &str, ty: TypeRef) -> Field {
    test_models::field(name, name, ty, true)
}

fn optional(mut field: Field) -> Field {
    field.required = false;
    field
}

fn formatted(mut field: Field, format: &str) -> Field {
    field.constraints.format = Some(format.into());
    field
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.into())
}

fn array(item: TypeRef) -> TypeRef {
    TypeRef::Array(Box::new(item))
}

/// `(canonical schema, pointer, [dialect addresses])`.
fn mapping(fields: &[(&str, &str, &[&str])]) -> DialectMapping {
    DialectMapping {
        fields: fields
            .iter()
            .map(|(schema, pointer, addresses)| FieldLink {
                schema: (*schema).into(),
                pointer: (*pointer).into(),
                dialect: addresses
                    .iter()
                    .map(|address| FieldAddress::parse(address).expect("a field address"))
                    .collect(),
            })
            .collect(),
        ..Default::default()
    }
}

/// Every snapshot's models (canonical, dialect, mapping), by test name: the fixture crates
/// generate and compile each ([`crate::codegen::fixture_crates`]).
pub(crate) fn fixtures() -> Vec<(&'static str, (Api, Api, DialectMapping))> {
    vec![
        (
            "nested_pointers_read_and_build_first_items_and_objects",
            nested_pointers_read_and_build_first_items_and_objects_models(),
        ),
        (
            "integer_ids_and_string_ids",
            integer_ids_and_string_ids_models(),
        ),
        ("dates_and_date_times", dates_and_date_times_models()),
        ("missing_required_fields", missing_required_fields_models()),
        (
            "arrays_of_objects_convert_item_by_item_and_enums_by_value",
            arrays_of_objects_convert_item_by_item_and_enums_by_value_models(),
        ),
        (
            "error_envelopes_are_read_into_the_canonical_problem",
            error_envelopes_are_read_into_the_canonical_problem_models(),
        ),
        ("operations", operations::models()),
    ]
}

fn emitted(canonical: &Api, dialect: &Api, mapping: &DialectMapping) -> String {
    let tokens = match emit_dialect(canonical, dialect, mapping) {
        Ok(tokens) => tokens,
        Err(problems) => panic!("{problems:?}"),
    };
    render("adapters/fixture.rs", tokens, "fixture").expect("the adapters parse")
}

fn nested_pointers_read_and_build_first_items_and_objects_models() -> (Api, Api, DialectMapping) {
    let canonical = api(
        "canonical",
        Dialect::Canonical,
        vec![strukt(
            "Profile",
            vec![
                optional(field("first_name", TypeRef::String)),
                optional(field("language", TypeRef::String)),
            ],
        )],
    );
    let dialect = api(
        "rpc",
        Dialect::Rpc,
        vec![
            strukt(
                "Data",
                vec![
                    Field {
                        rust_name: "user_profile".into(),
                        ..field("UserProfile", array(named("Item")))
                    },
                    Field {
                        rust_name: "user_loc_info".into(),
                        ..field("UserLocInfo", named("Loc"))
                    },
                ],
            ),
            strukt("Item", vec![field("first_name", TypeRef::String)]),
            strukt("Loc", vec![optional(field("lan", TypeRef::String))]),
        ],
    );
    let mapping = mapping(&[
        (
            "Profile",
            "/first_name",
            &["Data#/UserProfile/0/first_name"],
        ),
        ("Profile", "/language", &["Data#/UserLocInfo/lan"]),
    ]);
    (canonical, dialect, mapping)
}

#[test]
fn nested_pointers_read_and_build_first_items_and_objects() {
    let (canonical, dialect, mapping) =
        nested_pointers_read_and_build_first_items_and_objects_models();
    insta::assert_snapshot!(emitted(&canonical, &dialect, &mapping));
}

fn integer_ids_and_string_ids_models() -> (Api, Api, DialectMapping) {
    let canonical = api(
        "canonical",
        Dialect::Canonical,
        vec![strukt("User", vec![optional(field("id", TypeRef::String))])],
    );
    let dialect = api(
        "community",
        Dialect::Community,
        vec![strukt(
            "Account",
            vec![field("id", TypeRef::Integer(IntegerWidth::I64))],
        )],
    );
    let mapping = mapping(&[("User", "/id", &["Account#/id"])]);
    (canonical, dialect, mapping)
}

#[test]
fn integer_ids_and_string_ids() {
    let (canonical, dialect, mapping) = integer_ids_and_string_ids_models();
    insta::assert_snapshot!(emitted(&canonical, &dialect, &mapping));
}

fn dates_and_date_times_models() -> (Api, Api, DialectMapping) {
    let canonical = api(
        "canonical",
        Dialect::Canonical,
        vec![strukt(
            "Person",
            vec![optional(formatted(
                field("date_of_birth", TypeRef::String),
                "date",
            ))],
        )],
    );
    let dialect = api(
        "billing",
        Dialect::Billing,
        vec![strukt(
            "User",
            vec![formatted(field("birthdate", TypeRef::String), "date-time")],
        )],
    );
    let mapping = mapping(&[("Person", "/date_of_birth", &["User#/birthdate"])]);
    (canonical, dialect, mapping)
}

#[test]
fn dates_and_date_times() {
    let (canonical, dialect, mapping) = dates_and_date_times_models();
    insta::assert_snapshot!(emitted(&canonical, &dialect, &mapping));
}

fn missing_required_fields_models() -> (Api, Api, DialectMapping) {
    // `Update.user_id` has no canonical source: canonical → Update always fails. `Replace.name`
    // is required but `Update.name` optional: Update → Replace fails when it is absent.
    let canonical = api(
        "canonical",
        Dialect::Canonical,
        vec![strukt("Replace", vec![field("name", TypeRef::String)])],
    );
    let dialect = api(
        "manage",
        Dialect::Manage,
        vec![strukt(
            "Update",
            vec![
                field("user_id", TypeRef::String),
                optional(field("name", TypeRef::String)),
            ],
        )],
    );
    let mapping = mapping(&[("Replace", "/name", &["Update#/name"])]);
    (canonical, dialect, mapping)
}

#[test]
fn missing_required_fields() {
    let (canonical, dialect, mapping) = missing_required_fields_models();
    insta::assert_snapshot!(emitted(&canonical, &dialect, &mapping));
}

fn arrays_of_objects_convert_item_by_item_and_enums_by_value_models() -> (Api, Api, DialectMapping)
{
    let status = |values: &[&str]| {
        TypeKind::StringEnum(
            values
                .iter()
                .map(|value| crate::model::EnumValue {
                    value: (*value).into(),
                    rust_name: crate::model::names::pascal_ident(value),
                })
                .collect(),
        )
    };
    let mut tag_item = strukt(
        "ProfileTagsItem",
        vec![optional(field("id", TypeRef::Integer(IntegerWidth::I64)))],
    );
    tag_item.component = None;
    let canonical = api(
        "canonical",
        Dialect::Canonical,
        vec![
            strukt(
                "Profile",
                vec![
                    optional(field("tags", array(named("ProfileTagsItem")))),
                    optional(field("state", TypeRef::String)),
                ],
            ),
            tag_item,
        ],
    );
    let dialect = api(
        "community",
        Dialect::Community,
        vec![
            strukt(
                "User",
                vec![
                    optional(field("tags", array(named("Tag")))),
                    field("state", named("State")),
                ],
            ),
            strukt(
                "Tag",
                vec![field("id", TypeRef::Integer(IntegerWidth::I32))],
            ),
            def("State", status(&["active", "gone"])),
        ],
    );
    let mapping = mapping(&[
        ("Profile", "/tags", &["User#/tags"]),
        ("Profile", "/tags/0/id", &["User#/tags/0/id"]),
        ("Profile", "/state", &["User#/state"]),
    ]);
    (canonical, dialect, mapping)
}

#[test]
fn arrays_of_objects_convert_item_by_item_and_enums_by_value() {
    let (canonical, dialect, mapping) =
        arrays_of_objects_convert_item_by_item_and_enums_by_value_models();
    insta::assert_snapshot!(emitted(&canonical, &dialect, &mapping));
}

fn error_envelopes_are_read_into_the_canonical_problem_models() -> (Api, Api, DialectMapping) {
    let mut canonical = api(
        "canonical",
        Dialect::Canonical,
        vec![strukt(
            "Problem",
            vec![
                Field {
                    rust_name: "r#type".into(),
                    ..field("type", TypeRef::String)
                },
                field("status", TypeRef::Integer(IntegerWidth::I64)),
                field("detail", TypeRef::String),
                optional(field("instance", TypeRef::String)),
                optional(field(
                    "errors",
                    TypeRef::Map(Box::new(array(TypeRef::String))),
                )),
            ],
        )],
    );
    canonical.error_envelope = Some(
        parse_error_envelope(&json!({
            "validation": {
                "status": 400,
                "schema": "#/components/schemas/Problem",
                "body": {"type": "about:blank", "status": "$status", "detail": "$message", "errors": "$errors"},
                "body-field": "non_field_errors"
            },
            "other": {
                "schema": "#/components/schemas/Problem",
                "body": {"type": "about:blank", "status": "$status", "detail": "$message"}
            }
        }))
        .expect("a valid envelope"),
    );
    let mut dialect = api(
        "billing",
        Dialect::Billing,
        vec![
            strukt("Error", vec![field("detail", TypeRef::String)]),
            strukt("Invalid", vec![field("detail", array(TypeRef::Any))]),
        ],
    );
    dialect.error_envelope = Some(
        parse_error_envelope(&json!({
            "validation": {
                "status": 422,
                "schema": "#/components/schemas/Invalid",
                "body": {"detail": {"$each-error": {"loc": "$loc", "msg": "$message", "type": "$kind"}}}
            },
            "other": {
                "schema": "#/components/schemas/Error",
                "body": {"detail": "$message", "id": "$error-id"}
            },
            "body-error-status": 400
        }))
        .expect("a valid envelope"),
    );
    let mapping = mapping(&[
        ("Problem", "/detail", &["Error#/detail"]),
        ("Problem", "/instance", &["Error#/id"]),
    ]);
    (canonical, dialect, mapping)
}

#[test]
fn error_envelopes_are_read_into_the_canonical_problem() {
    let (canonical, dialect, mapping) =
        error_envelopes_are_read_into_the_canonical_problem_models();
    insta::assert_snapshot!(emitted(&canonical, &dialect, &mapping));
    let helpers = emit_problem_helpers(&canonical).expect("a canonical problem type");
    insta::assert_snapshot!(
        "canonical_problem_helpers",
        render("adapters/mod.rs", helpers, "fixture").expect("the helpers parse")
    );
}

#[test]
fn unconvertible_types_are_reported() {
    let canonical = api(
        "canonical",
        Dialect::Canonical,
        vec![strukt(
            "User",
            vec![optional(field("flag", TypeRef::Boolean))],
        )],
    );
    let dialect = api(
        "manage",
        Dialect::Manage,
        vec![strukt("Account", vec![field("flag", TypeRef::String)])],
    );
    let mapping = mapping(&[("User", "/flag", &["Account#/flag"])]);
    let problems = emit_dialect(&canonical, &dialect, &mapping).expect_err("not convertible");
    let message = &problems[0].message;
    assert!(
        message.contains("no conversion from string to boolean"),
        "{message}"
    );
    assert!(message.contains("User#/flag"), "{message}");
}

#[test]
fn recursive_fields_are_reported() {
    let tree = |name: &str| {
        strukt(
            name,
            vec![
                optional(field("child", named(name))),
                optional(field("name", TypeRef::String)),
            ],
        )
    };
    let canonical = api("canonical", Dialect::Canonical, vec![tree("Tree")]);
    let dialect = api("manage", Dialect::Manage, vec![tree("Node")]);
    let mapping = mapping(&[("Tree", "/child/name", &["Node#/child/name"])]);
    let problems = emit_dialect(&canonical, &dialect, &mapping).expect_err("boxed");
    assert!(
        problems[0].message.contains("recursive (boxed) field"),
        "{}",
        problems[0].message
    );
}

#[test]
fn output_is_deterministic() {
    let canonical = api(
        "canonical",
        Dialect::Canonical,
        vec![strukt(
            "User",
            vec![
                optional(field("a", TypeRef::String)),
                optional(field("b", TypeRef::String)),
            ],
        )],
    );
    let dialect = api(
        "manage",
        Dialect::Manage,
        vec![
            strukt("One", vec![optional(field("a", TypeRef::String))]),
            strukt("Two", vec![optional(field("b", TypeRef::String))]),
        ],
    );
    let forward = mapping(&[("User", "/a", &["One#/a"]), ("User", "/b", &["Two#/b"])]);
    let backward = mapping(&[("User", "/b", &["Two#/b"]), ("User", "/a", &["One#/a"])]);
    assert_eq!(
        emitted(&canonical, &dialect, &forward),
        emitted(&canonical, &dialect, &backward)
    );
}

mod operations {
    use super::*;
    use crate::model::{
        BodyContent, Method, Operation, OperationLink, Parameter, ParameterLocation, RequestBody,
        Response, SchemeKind, SecurityScheme,
    };

    fn scheme(name: &str, rust_name: &str, kind: SchemeKind) -> SecurityScheme {
        SecurityScheme {
            name: name.into(),
            rust_name: rust_name.into(),
            kind,
        }
    }

    fn operation(id: &str, rust_name: &str, method: Method, path: &str) -> Operation {
        Operation {
            id: id.into(),
            rust_name: rust_name.into(),
            type_stem: crate::model::names::pascal_ident(id),
            method,
            path: path.into(),
            summary: None,
            description: None,
            parameters: Vec::new(),
            body: None,
            responses: Vec::new(),
            security: Vec::new(),
            rules: Vec::new(),
        }
    }

    fn path_parameter(name: &str, ty: TypeRef) -> Parameter {
        Parameter {
            name: name.into(),
            rust_name: name.into(),
            location: ParameterLocation::Path,
            required: true,
            ty,
            constraints: Constraints::default(),
            messages: Default::default(),
            documented_messages: Default::default(),
            description: None,
            example: None,
            style: Default::default(),
            explode: true,
        }
    }

    fn json_body(ty: &str) -> RequestBody {
        RequestBody {
            required: true,
            contents: vec![BodyContent {
                media_type: "application/json".into(),
                kind: crate::model::MediaKind::Json,
                ty: named(ty),
                part_content_types: Vec::new(),
            }],
        }
    }

    fn response(status: StatusSpec, variant: &str, body: &str) -> Response {
        Response {
            status,
            variant: variant.into(),
            description: String::new(),
            contents: vec![("application/json".into(), Some(named(body)))],
            headers: Vec::new(),
            links: Vec::new(),
        }
    }

    fn canonical() -> Api {
        let mut api = api(
            "canonical",
            Dialect::Canonical,
            vec![
                strukt(
                    "Profile",
                    vec![
                        optional(field("id", TypeRef::String)),
                        optional(field("name", TypeRef::String)),
                    ],
                ),
                strukt(
                    "Problem",
                    vec![
                        Field {
                            rust_name: "r#type".into(),
                            ..field("type", TypeRef::String)
                        },
                        field("status", TypeRef::Integer(IntegerWidth::I64)),
                        field("detail", TypeRef::String),
                        optional(field(
                            "errors",
                            TypeRef::Map(Box::new(array(TypeRef::String))),
                        )),
                    ],
                ),
            ],
        );
        api.error_envelope = Some(
            parse_error_envelope(&json!({
                "validation": {
                    "schema": "#/components/schemas/Problem",
                    "body": {"type": "about:blank", "status": "$status", "detail": "$message", "errors": "$errors"}
                },
                "other": {
                    "schema": "#/components/schemas/Problem",
                    "body": {"type": "about:blank", "status": "$status", "detail": "$message"}
                }
            }))
            .expect("a valid envelope"),
        );
        api.security_schemes = vec![
            scheme(
                "ApiKey",
                "api_key",
                SchemeKind::ApiKey {
                    location: ParameterLocation::Header,
                    parameter: "X-API-Key".into(),
                    prefix: None,
                },
            ),
            scheme("Bearer", "bearer", SchemeKind::Bearer),
        ];
        let mut get = operation("getProfile", "get_profile", Method::Get, "/profiles/{id}");
        get.parameters = vec![path_parameter("id", TypeRef::String)];
        get.responses = vec![
            response(StatusSpec::Code(200), "Ok", "Profile"),
            response(StatusSpec::Code(404), "NotFound", "Problem"),
        ];
        let mut update = operation(
            "updateProfile",
            "update_profile",
            Method::Patch,
            "/profiles/{id}",
        );
        update.parameters = vec![path_parameter("id", TypeRef::String)];
        update.body = Some(json_body("Profile"));
        update.responses = vec![
            response(StatusSpec::Code(200), "Ok", "Profile"),
            response(StatusSpec::Code(400), "BadRequest", "Problem"),
            response(StatusSpec::Code(404), "NotFound", "Problem"),
        ];
        let mut delete = operation(
            "deleteProfile",
            "delete_profile",
            Method::Delete,
            "/profiles/{id}",
        );
        delete.parameters = vec![path_parameter("id", TypeRef::String)];
        delete.responses = vec![response(StatusSpec::Code(200), "Ok", "Profile")];
        api.operations = vec![get, update, delete];
        api
    }

    fn dialect() -> Api {
        let mut api = api(
            "community",
            Dialect::Community,
            vec![
                strukt(
                    "User",
                    vec![
                        optional(field("id", TypeRef::Integer(IntegerWidth::I64))),
                        optional(field("username", TypeRef::String)),
                    ],
                ),
                strukt("Envelope", vec![field("data", named("User"))]),
                strukt("Error", vec![field("detail", TypeRef::String)]),
            ],
        );
        api.error_envelope = Some(
            parse_error_envelope(&json!({
                "validation": {"schema": "#/components/schemas/Error", "body": "$errors"},
                "other": {"schema": "#/components/schemas/Error", "body": {"detail": "$message"}}
            }))
            .expect("a valid envelope"),
        );
        api.security_schemes = vec![scheme("Bearer", "bearer", SchemeKind::Bearer)];
        let mut read = operation("readUser", "read_user", Method::Get, "/users/{user_id}");
        read.parameters = vec![path_parameter(
            "user_id",
            TypeRef::Integer(IntegerWidth::I64),
        )];
        read.responses = vec![
            response(StatusSpec::Code(200), "Ok", "Envelope"),
            response(StatusSpec::Code(404), "NotFound", "Error"),
        ];
        let mut write = operation("writeUser", "write_user", Method::Put, "/users/{user_id}");
        write.parameters = vec![path_parameter(
            "user_id",
            TypeRef::Integer(IntegerWidth::I64),
        )];
        write.body = Some(json_body("User"));
        write.responses = vec![
            response(StatusSpec::Code(200), "Ok", "User"),
            response(StatusSpec::Code(400), "BadRequest", "Error"),
            response(StatusSpec::Default, "Default", "Error"),
        ];
        api.operations = vec![read, write];
        api
    }

    fn link(
        canonical: &str,
        operation: &str,
        request: Option<&str>,
        response: &str,
    ) -> OperationLink {
        OperationLink {
            canonical: canonical.into(),
            mapping: OperationMapping::Supported {
                operation: operation.into(),
                parameters: [("id".to_owned(), "user_id".to_owned())].into(),
                request: request.map(Into::into),
                response: Some(response.into()),
            },
        }
    }

    /// The canonical and community models and the mapping of the operation-level adapter.
    pub(super) fn models() -> (Api, Api, DialectMapping) {
        let mut mapping = mapping(&[
            ("Profile", "/id", &["User#/id"]),
            ("Profile", "/name", &["User#/username"]),
        ]);
        mapping.credentials = [("Bearer".to_owned(), "Bearer".to_owned())].into();
        mapping.operations = vec![
            link("getProfile", "readUser", None, "/data"),
            link("updateProfile", "writeUser", Some("User"), ""),
            OperationLink {
                canonical: "deleteProfile".into(),
                mapping: OperationMapping::Unsupported {
                    reason: "community deletes nothing.".into(),
                },
            },
        ];
        (canonical(), dialect(), mapping)
    }

    #[test]
    fn the_adapter_converts_parameters_bodies_and_answers() {
        let (canonical, dialect, mapping) = models();
        insta::assert_snapshot!(emitted(&canonical, &dialect, &mapping));
        let answers = emit_error_answers(&canonical).expect("a canonical problem type");
        insta::assert_snapshot!(
            "canonical_error_answers",
            render("adapters/mod.rs", answers, "fixture").expect("the answers parse")
        );
    }

    #[test]
    fn a_mapping_onto_a_missing_operation_is_reported() {
        let mapping = DialectMapping {
            operations: vec![link("getProfile", "eraseUser", None, "/data")],
            ..DialectMapping::default()
        };
        let problems = emit_dialect(&canonical(), &dialect(), &mapping).expect_err("no eraseUser");
        assert!(
            problems[0].message.contains("has no operation eraseUser"),
            "{}",
            problems[0].message
        );
    }
}
