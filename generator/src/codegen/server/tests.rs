//! Snapshot tests of operations.rs, errors.rs, validate.rs and server.rs, one small hand-built
//! model per feature: a validator with every kind of constraint; a JSON + form + multipart
//! body; path, query and header parameters (one called `type`); header, query and bearer
//! credentials; a `default` response; an error envelope with `$each-error`, and none at all.
//!
//! Review changes with `cargo insta review`; CI runs with `INSTA_UPDATE=no`.

use serde_json::json;

use super::*;
use crate::codegen::errors::emit_errors;
use crate::codegen::operations::emit_operations;
use crate::codegen::test_models::{self, def, strukt};
use crate::codegen::validate::{ecma_to_rust, emit_validate};
use crate::codegen::{CodegenError, render, validate};
use crate::model::{
    BodyContent, Constraints, EnumValue, Field, IntegerWidth, Parameter, RequestBody, Response,
    SchemeKind, SecurityScheme, StatusSpec, StructDef, TypeDef, UnionDef, UnionVariant,
};
use crate::spec::ext::{Constraint, Messages, parse_error_envelope};

fn api(module: &str, types: Vec<TypeDef>, operations: Vec<Operation>) -> Api {
    Api {
        dialect: None,
        module: module.into(),
        title: format!("The {module} fixture"),
        version: "1.0.0".into(),
        description: None,
        types,
        operations,
        security_schemes: Vec::new(),
        error_envelope: None,
        type_index: Default::default(),
    }
}

fn field(name: &str, rust_name: &str, ty: TypeRef) -> Field {
    test_models::field(name, rust_name, ty, false)
}

fn required(mut field: Field) -> Field {
    field.required = true;
    field
}

fn constrained(mut field: Field, constraints: Constraints) -> Field {
    field.constraints = constraints;
    field
}

fn messages(mut field: Field, pairs: &[(Constraint, &str)]) -> Field {
    field.messages = pairs
        .iter()
        .map(|(constraint, text)| (*constraint, (*text).to_owned()))
        .collect();
    field
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.into())
}

fn operation(id: &str, stem: &str, method: Method, path: &str) -> Operation {
    Operation {
        id: id.into(),
        rust_name: crate::model::names::snake_ident(id),
        type_stem: stem.into(),
        method,
        path: path.into(),
        summary: Some(format!("The {id} operation")),
        description: None,
        parameters: Vec::new(),
        body: None,
        responses: vec![response(StatusSpec::Code(200), "Ok", None)],
        security: Vec::new(),
        rules: Vec::new(),
    }
}

fn response(status: StatusSpec, variant: &str, body: Option<TypeRef>) -> Response {
    Response {
        status,
        variant: variant.into(),
        description: format!("{variant}."),
        contents: vec![("application/json".into(), body)],
        headers: Vec::new(),
        links: Vec::new(),
    }
}

fn json_body(ty: TypeRef) -> RequestBody {
    RequestBody {
        required: true,
        contents: vec![content("application/json", ty)],
    }
}

fn content(media_type: &str, ty: TypeRef) -> BodyContent {
    BodyContent {
        media_type: media_type.into(),
        kind: MediaKind::of(media_type),
        ty,
        part_content_types: Vec::new(),
    }
}

fn parameter(
    name: &str,
    rust_name: &str,
    location: ParameterLocation,
    ty: TypeRef,
    required: bool,
) -> Parameter {
    Parameter {
        name: name.into(),
        rust_name: rust_name.into(),
        location,
        required,
        ty,
        constraints: Constraints::default(),
        messages: Messages::new(),
        documented_messages: Default::default(),
        description: None,
        example: None,
        style: Default::default(),
        explode: true,
    }
}

/// Every kind of constraint a validator checks, nested structs, arrays of structs, a union and
/// a string enum; read from a JSON body, so `parse_account` is there too.
fn every_constraint() -> Api {
    let account = strukt(
        "Account",
        vec![
            messages(
                required(constrained(
                    field("name", "name", TypeRef::String),
                    Constraints {
                        min_length: Some(1),
                        max_length: Some(20),
                        pattern: Some(r"^\w[\w.-]*$".into()),
                        ..Constraints::default()
                    },
                )),
                &[
                    (Constraint::Required, "A name is required."),
                    (Constraint::MaxLength, "Twenty characters at most."),
                    (
                        Constraint::Pattern,
                        "Letters, digits, dots and dashes only.",
                    ),
                ],
            ),
            constrained(
                field("email", "email", TypeRef::String),
                Constraints {
                    format: Some("email".into()),
                    ..Constraints::default()
                },
            ),
            constrained(
                field("website", "website", TypeRef::String),
                Constraints {
                    format: Some("uri".into()),
                    max_length: Some(2048),
                    ..Constraints::default()
                },
            ),
            constrained(
                field("id", "id", TypeRef::String),
                Constraints {
                    format: Some("uuid".into()),
                    ..Constraints::default()
                },
            ),
            constrained(
                field("born", "born", TypeRef::String),
                Constraints {
                    format: Some("date".into()),
                    ..Constraints::default()
                },
            ),
            constrained(
                field("seenAt", "seen_at", TypeRef::String),
                Constraints {
                    format: Some("date-time".into()),
                    ..Constraints::default()
                },
            ),
            constrained(
                field("plan", "plan", TypeRef::String),
                Constraints {
                    enumeration: vec![json!("free"), json!("pro")],
                    ..Constraints::default()
                },
            ),
            constrained(
                field("age", "age", TypeRef::Integer(IntegerWidth::I32)),
                Constraints {
                    minimum: Some(0.0),
                    maximum: Some(150.0),
                    ..Constraints::default()
                },
            ),
            constrained(
                field("score", "score", TypeRef::Number),
                Constraints {
                    minimum: Some(0.0),
                    exclusive_minimum: true,
                    maximum: Some(1.0),
                    ..Constraints::default()
                },
            ),
            constrained(
                field("level", "level", TypeRef::Integer(IntegerWidth::I64)),
                Constraints {
                    enumeration: vec![json!(1), json!(2), json!(3)],
                    ..Constraints::default()
                },
            ),
            constrained(
                field("tags", "tags", TypeRef::Array(Box::new(TypeRef::String))),
                Constraints {
                    min_items: Some(1),
                    max_items: Some(3),
                    unique_items: true,
                    ..Constraints::default()
                },
            ),
            field("home", "home", named("Address")),
            field(
                "previous",
                "previous",
                TypeRef::Array(Box::new(named("Address"))),
            ),
            field("kind", "kind", named("Kind")),
            field("contact", "contact", named("Contact")),
            {
                let mut nullable = field("nickname", "nickname", TypeRef::String);
                nullable.nullable = true;
                nullable
            },
            field("active", "active", TypeRef::Boolean),
            field("extra", "extra", TypeRef::Any),
        ],
    );
    let address = strukt(
        "Address",
        vec![required(constrained(
            field("city", "city", TypeRef::String),
            Constraints {
                max_length: Some(100),
                ..Constraints::default()
            },
        ))],
    );
    let kind = def(
        "Kind",
        TypeKind::StringEnum(vec![
            EnumValue {
                value: "person".into(),
                rust_name: "Person".into(),
            },
            EnumValue {
                value: "company".into(),
                rust_name: "Company".into(),
            },
        ]),
    );
    let contact = def(
        "Contact",
        TypeKind::Union(UnionDef {
            variants: vec![
                UnionVariant {
                    rust_name: "Address".into(),
                    ty: named("Address"),
                    tag: None,
                },
                UnionVariant {
                    rust_name: "Phone".into(),
                    ty: TypeRef::String,
                    tag: None,
                },
            ],
            discriminator: None,
        }),
    );
    let mut create = operation("createAccount", "CreateAccount", Method::Post, "/accounts");
    create.body = Some(json_body(named("Account")));
    api(
        "constraints",
        vec![account, address, kind, contact],
        vec![create],
    )
}

/// One operation taking JSON, a form or multipart (with file parts limited to images).
fn bodies() -> Api {
    let profile = strukt(
        "ProfileUpdate",
        vec![
            required(constrained(
                field("first_name", "first_name", TypeRef::String),
                Constraints {
                    max_length: Some(255),
                    ..Constraints::default()
                },
            )),
            field("age", "age", TypeRef::Integer(IntegerWidth::I64)),
            field("newsletter", "newsletter", TypeRef::Boolean),
            field(
                "languages",
                "languages",
                TypeRef::Array(Box::new(TypeRef::String)),
            ),
            messages(
                field("avatar", "avatar", TypeRef::Binary),
                &[(Constraint::ContentType, "Upload a valid image.")],
            ),
        ],
    );
    let mut update = operation("updateProfile", "UpdateProfile", Method::Put, "/profile");
    let mut multipart = content("multipart/form-data", named("ProfileUpdate"));
    multipart.part_content_types = vec![(
        "avatar".into(),
        vec!["image/png".into(), "image/jpeg".into()],
    )];
    update.body = Some(RequestBody {
        required: true,
        contents: vec![
            content("application/json", named("ProfileUpdate")),
            content("application/x-www-form-urlencoded", named("ProfileUpdate")),
            multipart,
        ],
    });
    update.responses = vec![
        response(StatusSpec::Code(200), "Ok", Some(named("ProfileUpdate"))),
        response(StatusSpec::Code(204), "NoContent", None),
    ];
    let mut raw = operation("uploadNote", "UploadNote", Method::Post, "/notes");
    raw.body = Some(RequestBody {
        required: false,
        contents: vec![
            content("text/plain", TypeRef::String),
            content("application/octet-stream", TypeRef::Binary),
        ],
    });
    // A form whose unknown fields are kept (`additionalProperties` of strings), read from JSON
    // too (its additional values checked for length).
    let labels = def(
        "Labels",
        TypeKind::Struct(StructDef {
            fields: vec![field("name", "name", TypeRef::String)],
            additional: Some(named("Label")),
        }),
    );
    let mut label = def("Label", TypeKind::Alias(TypeRef::String));
    label.constraints.max_length = Some(10);
    let mut tag = operation("tagThing", "TagThing", Method::Post, "/tags");
    tag.body = Some(RequestBody {
        required: false,
        contents: vec![
            content("application/x-www-form-urlencoded", named("Labels")),
            content("application/merge-patch+json", named("Labels")),
            content("application/json", named("Labels")),
        ],
    });
    api(
        "bodies",
        vec![profile, labels, label],
        vec![update, raw, tag],
    )
}

/// Path, query and header parameters, one named `type`, one an array, constrained.
fn parameters() -> Api {
    let mut list = operation("listItems", "ListItems", Method::Get, "/items/{type}/{id}");
    let mut id = parameter(
        "id",
        "id",
        ParameterLocation::Path,
        TypeRef::Integer(IntegerWidth::I64),
        true,
    );
    id.messages = [(Constraint::Type, "A valid integer is required.".to_owned())]
        .into_iter()
        .collect();
    let mut limit = parameter(
        "limit",
        "limit",
        ParameterLocation::Query,
        TypeRef::Integer(IntegerWidth::I32),
        false,
    );
    limit.constraints = Constraints {
        minimum: Some(1.0),
        maximum: Some(100.0),
        ..Constraints::default()
    };
    let mut trace = parameter(
        "X-Trace-Id",
        "x_trace_id",
        ParameterLocation::Header,
        TypeRef::String,
        true,
    );
    trace.constraints = Constraints {
        pattern: Some(r"^[0-9a-f]{8}$".into()),
        ..Constraints::default()
    };
    list.parameters = vec![
        parameter(
            "type",
            "r#type",
            ParameterLocation::Path,
            TypeRef::String,
            true,
        ),
        id,
        limit,
        parameter(
            "tag",
            "tag",
            ParameterLocation::Query,
            TypeRef::Array(Box::new(TypeRef::String)),
            false,
        ),
        trace,
        parameter(
            "session",
            "session",
            ParameterLocation::Cookie,
            TypeRef::String,
            false,
        ),
    ];
    list.responses = vec![response(
        StatusSpec::Code(200),
        "Ok",
        Some(TypeRef::Array(Box::new(TypeRef::String))),
    )];
    let mut delete = operation(
        "deleteItem",
        "DeleteItem",
        Method::Delete,
        "/items/{type}/{id}",
    );
    delete.parameters = list.parameters[..2].to_vec();
    delete.responses = vec![response(StatusSpec::Code(204), "NoContent", None)];
    api("parameters", Vec::new(), vec![list, delete])
}

/// A header key, a query key with a prefix, a bearer token; operations needing both header
/// credentials, either of two, or none.
fn credentials() -> Api {
    let mut fixture = api("credentials", Vec::new(), Vec::new());
    fixture.security_schemes = vec![
        SecurityScheme {
            name: "ApiKey".into(),
            rust_name: "api_key".into(),
            kind: SchemeKind::ApiKey {
                location: ParameterLocation::Header,
                parameter: "X-API-Key".into(),
                prefix: None,
            },
        },
        SecurityScheme {
            name: "QueryKey".into(),
            rust_name: "query_key".into(),
            kind: SchemeKind::ApiKey {
                location: ParameterLocation::Query,
                parameter: "api_key".into(),
                prefix: Some("in-".into()),
            },
        },
        SecurityScheme {
            name: "Bearer".into(),
            rust_name: "bearer".into(),
            kind: SchemeKind::Bearer,
        },
    ];
    let mut both = operation("getMe", "GetMe", Method::Get, "/me");
    both.security = vec![vec!["ApiKey".into(), "Bearer".into()]];
    let mut either = operation("getReport", "GetReport", Method::Get, "/report");
    either.security = vec![vec!["QueryKey".into()], vec!["Bearer".into()]];
    let open = operation("health", "Health", Method::Get, "/health");
    fixture.operations = vec![both, either, open];
    fixture
}

/// Exact codes, a `4XX` range and `default`, with and without bodies.
fn default_response() -> Api {
    let error = strukt(
        "Error",
        vec![required(field("message", "message", TypeRef::String))],
    );
    let mut get = operation("getThing", "GetThing", Method::Get, "/thing");
    get.responses = vec![
        response(StatusSpec::Code(200), "Ok", Some(TypeRef::String)),
        response(StatusSpec::Code(304), "NotModified", None),
        response(StatusSpec::Range(4), "Status4xx", Some(named("Error"))),
        response(StatusSpec::Default, "Default", Some(named("Error"))),
    ];
    let mut ping = operation("ping", "Ping", Method::Head, "/ping");
    ping.responses = vec![response(StatusSpec::Default, "Default", None)];
    api("responses", vec![error], vec![get, ping])
}

/// A FastAPI-like envelope: `$each-error` with `$loc`, `$kind`, `$message`, and
/// `body-error-status`.
fn each_error_envelope() -> Api {
    let mut fixture = api("fastapi", Vec::new(), Vec::new());
    fixture.error_envelope = Some(
        parse_error_envelope(&json!({
            "validation": {
                "status": 422,
                "schema": "#/components/schemas/HTTPValidationError",
                "body": {
                    "detail": {"$each-error": {
                        "loc": "$loc",
                        "msg": "$message",
                        "type": "$kind",
                        "field": "$field",
                    }},
                    "id": "$error-id",
                },
            },
            "other": {
                "schema": "#/components/schemas/Error",
                "body": {"detail": "$message", "code": "$status", "meta": {"retry": false, "tags": ["a", 1]}},
            },
            "body-error-status": 422,
        }))
        .unwrap(),
    );
    fixture
}

fn rendered(name: &str, api: &Api, tokens: TokenStream) -> String {
    validate(std::slice::from_ref(api)).unwrap();
    let text = render(name, tokens, "fixture").unwrap();
    syn::parse_file(&text).unwrap_or_else(|error| panic!("{name}: {error}"));
    text
}

#[test]
fn validator_with_every_constraint() {
    let api = every_constraint();
    insta::assert_snapshot!(rendered("validate.rs", &api, emit_validate(&api)));
}

#[test]
fn json_form_and_multipart_bodies() {
    let api = bodies();
    let text = [
        rendered("operations.rs", &api, emit_operations(&api)),
        rendered("validate.rs", &api, emit_validate(&api)),
        rendered("server.rs", &api, emit_server(&api)),
    ]
    .join("\n// ----- next file -----\n\n");
    insta::assert_snapshot!(text);
}

#[test]
fn path_query_header_and_cookie_parameters() {
    let api = parameters();
    let text = [
        rendered("operations.rs", &api, emit_operations(&api)),
        rendered("server.rs", &api, emit_server(&api)),
    ]
    .join("\n// ----- next file -----\n\n");
    insta::assert_snapshot!(text);
}

#[test]
fn header_query_and_bearer_credentials() {
    let api = credentials();
    let text = [
        rendered("operations.rs", &api, emit_operations(&api)),
        rendered("server.rs", &api, emit_server(&api)),
    ]
    .join("\n// ----- next file -----\n\n");
    insta::assert_snapshot!(text);
}

#[test]
fn default_and_range_responses() {
    let api = default_response();
    let text = [
        rendered("operations.rs", &api, emit_operations(&api)),
        rendered("server.rs", &api, emit_server(&api)),
    ]
    .join("\n// ----- next file -----\n\n");
    insta::assert_snapshot!(text);
}

#[test]
fn errors_from_an_each_error_template() {
    let api = each_error_envelope();
    insta::assert_snapshot!(rendered("errors.rs", &api, emit_errors(&api)));
}

#[test]
fn errors_without_an_envelope_are_problem_details() {
    let api = api("plain", Vec::new(), Vec::new());
    insta::assert_snapshot!(rendered("errors.rs", &api, emit_errors(&api)));
}

/// The server snapshots' models.
pub(crate) fn fixtures() -> Vec<Api> {
    vec![
        every_constraint(),
        bodies(),
        parameters(),
        credentials(),
        default_response(),
        each_error_envelope(),
    ]
}

#[test]
fn every_fixture_is_deterministic_and_fully_qualified() {
    for api in fixtures() {
        for (name, emit) in [
            ("operations.rs", emit_operations as fn(&Api) -> TokenStream),
            ("errors.rs", emit_errors),
            ("validate.rs", emit_validate),
            ("server.rs", emit_server),
        ] {
            let first = rendered(name, &api, emit(&api));
            assert_eq!(first, rendered(name, &api, emit(&api)), "{name}");
            // Nothing leans on the prelude: no bare `Option<`, `Vec<`, `String` or `Result<`.
            for bare in [" Option<", " Vec<", " Result<", ": String", "<String"] {
                assert!(
                    !first.contains(bare),
                    "{} {name} uses a bare {bare:?}",
                    api.module
                );
            }
        }
    }
}

#[test]
fn ecma_patterns_translate_to_the_same_meaning() {
    let cases = [
        (r"^\+?1?\d{9,15}$", "^\\+?1?[0-9]{9,15}$"),
        (r"^[\w.-]+$", "^[0-9A-Za-z_.-]+$"),
        (
            r"^\S+@\S+$",
            "^[^\\t\\n\\x0B\\x0C\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]+@[^\\t\\n\\x0B\\x0C\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]+$",
        ),
        (r"a.b", "a[^\\n\\r\\x{2028}\\x{2029}]b"),
        (r"\bword\b", "(?-u:\\b)word(?-u:\\b)"),
        (r"\u00e9\x41\/", "\\x{00e9}\\x{41}/"),
        (r"[^\D]", "[^[^0-9]]"),
        (r"[a&&b]", "[a\\&\\&b]"),
        (r"a #b", "a\\x20\\#b"),
    ];
    for (ecma, rust) in cases {
        let translated = ecma_to_rust(ecma).unwrap();
        assert_eq!(translated, rust, "{ecma}");
        regex::Regex::new(&translated).unwrap_or_else(|error| panic!("{ecma}: {error}"));
    }
    // ECMA `\d` is ASCII only; the regex crate's is any Unicode digit.
    let digits = regex::Regex::new(&ecma_to_rust(r"^\d+$").unwrap()).unwrap();
    assert!(digits.is_match("0123456789"));
    assert!(!digits.is_match("١٢٣"));
    for unsupported in [r"(?=a)b", r"(a)\1", r"(?<!a)b", "[a", "a\\"] {
        assert!(ecma_to_rust(unsupported).is_err(), "{unsupported}");
    }
}

#[test]
fn look_around_and_backreferences_fall_back_to_a_backtracking_engine() {
    use crate::codegen::validate::{PatternEngine, compile_check, translate_pattern};
    let cases = [
        // oxide-nexus: a name that is not a UUID.
        (
            r"^(?![0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$)^[a-z][a-z0-9-]*[a-zA-Z0-9]$",
            "not-a-uuid",
            "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        ),
        (r"^(\w)\1$", "aa", "ab"),
        (r"^(?<!x)\d+$", "42", "4x"),
        (r"^(?=.*\d)\w+$", "a1", "ab"),
    ];
    for (ecma, matching, other) in cases {
        let translated = translate_pattern(ecma).unwrap();
        assert_eq!(translated.engine, PatternEngine::Backtracking, "{ecma}");
        compile_check(&translated).unwrap();
        let regex = fancy_regex::Regex::new(&translated.source).unwrap();
        assert!(
            regex.is_match(matching).unwrap(),
            "{ecma} should match {matching}"
        );
        assert!(
            !regex.is_match(other).unwrap(),
            "{ecma} should not match {other}"
        );
    }
    // Everything else stays with the regex crate.
    assert_eq!(
        translate_pattern(r"^\d+$").unwrap().engine,
        PatternEngine::Regex
    );
    assert!(translate_pattern("[a").is_err());
}

#[test]
fn models_the_router_cannot_serve_are_errors_not_panics() {
    let mut fixture = parameters();
    fixture.operations.push(operation(
        "other",
        "Other",
        Method::Get,
        "/items/{kind}/{id}",
    ));
    fixture.operations.push(operation(
        "partial",
        "Partial",
        Method::Get,
        "/files/{}.json",
    ));
    fixture.operations.push(operation(
        "again",
        "Again",
        Method::Delete,
        "/items/{type}/{id}",
    ));
    fixture
        .operations
        .push(operation("colon", "Colon", Method::Get, "/a/:b"));
    let mut thumbnail = operation("thumbnail", "Thumbnail", Method::Get, "/items/x.{ext}/{id}");
    thumbnail.parameters = ["ext", "id"]
        .map(|name| parameter(name, name, ParameterLocation::Path, TypeRef::String, true))
        .to_vec();
    fixture.operations.push(thumbnail);
    let mut pattern = operation("pattern", "Pattern", Method::Get, "/pattern");
    let mut query = parameter("q", "q", ParameterLocation::Query, TypeRef::String, false);
    query.constraints.pattern = Some(r"a\q".into());
    pattern.parameters = vec![query];
    fixture.operations.push(pattern);
    let error = validate(&[fixture]).unwrap_err();
    assert!(matches!(error, CodegenError::InvalidModel(_)));
    let message = error.to_string();
    for expected in [
        "differ only in their parameters' names",
        "has unbalanced braces or an empty `{}`",
        "fall on one route: a segment with a parameter and more text",
        "two operations are DELETE /items/{type}/{id}",
        "starts with `:` or `*`",
        "pattern \"a\\\\q\" cannot be translated: unknown escape \\q",
    ] {
        assert!(
            message.contains(expected),
            "{expected:?} not in:\n{message}"
        );
    }
}

/// `/reports/{name}.json` and `/reports/{id}.csv` fall on one route (`/reports/{part2}`):
/// their literal text tells them apart, so one dispatcher per method serves both (405 for
/// the path of the other template, 404 for neither). Templates whose literal text could both
/// match a segment (`{x}.json` and `{y}.{z}`; `a.{x}` and `a.b{y}`) are still refused.
#[test]
fn partial_segments_told_apart_by_their_text_share_a_route() {
    let path_parameter =
        |name: &str| parameter(name, name, ParameterLocation::Path, TypeRef::String, true);
    let mut json = operation(
        "getReportJson",
        "GetReportJson",
        Method::Get,
        "/reports/{name}.json",
    );
    json.parameters = vec![path_parameter("name")];
    let mut csv = operation(
        "getReportCsv",
        "GetReportCsv",
        Method::Get,
        "/reports/{id}.csv",
    );
    csv.parameters = vec![path_parameter("id")];
    let mut delete = operation(
        "deleteReportCsv",
        "DeleteReportCsv",
        Method::Delete,
        "/reports/{id}.csv",
    );
    delete.parameters = vec![path_parameter("id")];
    let fixture = api("reports", Vec::new(), vec![json, csv, delete]);
    validate(std::slice::from_ref(&fixture)).unwrap();
    let server = rendered("reports", &fixture, emit_server(&fixture));
    assert_eq!(
        server.matches("\"/reports/{part2}\"").count(),
        1,
        "{server}"
    );
    assert_eq!(server.matches(".route(").count(), 1, "{server}");
    for expected in [
        "get(dispatch_0_get::<A>)",
        ".delete(dispatch_0_delete::<A>)",
        "async fn dispatch_0_get<A: Api>(",
        "async fn dispatch_0_delete<A: Api>(",
        "return method_not_allowed(",
    ] {
        assert!(server.contains(expected), "{expected:?} not in:\n{server}");
    }

    for (first, second) in [
        ("/reports/{name}.json", "/reports/{a}.{b}"),
        ("/reports/a.{x}", "/reports/a.b{y}"),
        ("/reports/{x}.tar.gz", "/reports/{y}.gz"),
    ] {
        let mut one = operation("one", "One", Method::Get, first);
        let mut two = operation("two", "Two", Method::Get, second);
        let names = |path: &str| -> Vec<Parameter> {
            path.split(['{', '}'])
                .skip(1)
                .step_by(2)
                .map(&path_parameter)
                .collect()
        };
        one.parameters = names(first);
        two.parameters = names(second);
        let error = validate(&[api("reports", Vec::new(), vec![one, two])]).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("fall on one route")
                && message.contains(first)
                && message.contains(second),
            "{first} {second}: {message}"
        );
    }
}

#[test]
fn request_fields_never_collide() {
    let mut clash = operation("clash", "Clash", Method::Post, "/clash");
    clash.parameters = vec![
        parameter(
            "credentials",
            "credentials",
            ParameterLocation::Query,
            TypeRef::String,
            true,
        ),
        parameter(
            "body",
            "body",
            ParameterLocation::Query,
            TypeRef::String,
            true,
        ),
    ];
    clash.body = Some(json_body(TypeRef::Any));
    let fields = crate::codegen::operations::request_fields(&clash);
    let names: Vec<String> = std::iter::once(fields.credentials.to_string())
        .chain(fields.parameters.iter().map(|(name, _)| name.to_string()))
        .chain(fields.body.iter().map(ToString::to_string))
        .collect();
    assert_eq!(names, ["credentials", "credentials_2", "body", "body_2"]);
    let fixture = api("clash", Vec::new(), vec![clash]);
    let text = rendered("server.rs", &fixture, emit_server(&fixture));
    assert!(
        text.contains("credentials_2: parameter_credentials_2"),
        "{text}"
    );
}
