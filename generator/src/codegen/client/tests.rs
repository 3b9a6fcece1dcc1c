//! Snapshot tests of the emitted clients, on small hand-built models: every body media type,
//! every parameter location (a keyword name among them), every kind of credential, exact
//! codes, a `2XX` range, `default`, and operations that leave a status undocumented.

use super::*;
use crate::codegen::test_models::{def, field, strukt};
use crate::codegen::{CodegenError, render, validate};
use crate::model::{BodyContent, Constraints, IntegerWidth, Parameter, Response};

fn parameter(
    name: &str,
    rust_name: &str,
    location: ParameterLocation,
    required: bool,
) -> Parameter {
    Parameter {
        name: name.into(),
        rust_name: rust_name.into(),
        location,
        required,
        ty: TypeRef::String,
        constraints: Constraints::default(),
        messages: Default::default(),
        documented_messages: Default::default(),
        description: None,
        example: None,
        style: Default::default(),
        explode: true,
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

fn response(status: StatusSpec, variant: &str, body: Option<&str>) -> Response {
    Response {
        status,
        variant: variant.into(),
        description: format!("{variant}."),
        contents: match body {
            Some(name) => vec![("application/json".into(), Some(TypeRef::Named(name.into())))],
            None => Vec::new(),
        },
        headers: Vec::new(),
        links: Vec::new(),
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

fn security(alternatives: &[&[&str]]) -> Vec<Vec<String>> {
    alternatives
        .iter()
        .map(|names| names.iter().map(|name| (*name).to_owned()).collect())
        .collect()
}

fn scheme(name: &str, rust_name: &str, kind: SchemeKind) -> SecurityScheme {
    SecurityScheme {
        name: name.into(),
        rust_name: rust_name.into(),
        kind,
    }
}

fn api_key(location: ParameterLocation, parameter: &str) -> SchemeKind {
    SchemeKind::ApiKey {
        location,
        parameter: parameter.into(),
        prefix: None,
    }
}

/// One API with every feature the client emitter handles.
pub(crate) fn fixture() -> Api {
    let named = |name: &str| TypeRef::Named(name.into());
    let types = vec![
        strukt(
            "ProfileUpdate",
            vec![
                field("first_name", "first_name", TypeRef::String, false),
                field("email", "email", TypeRef::String, true),
                field("type", "r#type", TypeRef::String, false),
                field("age", "age", TypeRef::Integer(IntegerWidth::I32), false),
            ],
        ),
        def("Picture", TypeKind::Alias(TypeRef::Binary)),
        strukt(
            "ImageUpload",
            vec![
                field("image", "image", TypeRef::Binary, true),
                field("cropped", "cropped", named("Picture"), false),
                field(
                    "extra",
                    "extra",
                    TypeRef::Array(Box::new(TypeRef::Binary)),
                    false,
                ),
                field("caption", "caption", TypeRef::String, false),
            ],
        ),
        def(
            "Labels",
            TypeKind::Alias(TypeRef::Map(Box::new(TypeRef::String))),
        ),
        strukt(
            "Profile",
            vec![field("email", "email", TypeRef::String, true)],
        ),
        strukt(
            "Error",
            vec![field("message", "message", TypeRef::String, true)],
        ),
    ];

    let mut update = operation(
        "updateProfile",
        "update_profile",
        Method::Put,
        "/users/{user_id}/profile",
    );
    update.summary = Some("Update a profile.".into());
    update.description = Some("Every field is optional\nbut `email`.".into());
    update.parameters = vec![
        parameter("user_id", "user_id", ParameterLocation::Path, true),
        parameter("type", "r#type", ParameterLocation::Query, false),
        parameter(
            "X-Request-Id",
            "x_request_id",
            ParameterLocation::Header,
            false,
        ),
        parameter("locale", "locale", ParameterLocation::Cookie, false),
    ];
    update.parameters[1].ty = TypeRef::Array(Box::new(TypeRef::String));
    update.body = Some(RequestBody {
        required: true,
        contents: vec![
            content("application/json", named("ProfileUpdate")),
            content("application/x-www-form-urlencoded", named("ProfileUpdate")),
            content("multipart/form-data", named("ProfileUpdate")),
        ],
    });
    update.responses = vec![
        response(StatusSpec::Code(200), "Ok", Some("Profile")),
        response(StatusSpec::Code(400), "BadRequest", Some("Error")),
        response(StatusSpec::Code(401), "Unauthorized", Some("Error")),
    ];
    update.security = security(&[&["ApiKey", "Bearer"]]);

    // A segment mixing text and two parameters, an optional multipart body with files, a
    // `2XX` range and `default`; either of two credentials.
    let mut upload = operation(
        "uploadImage",
        "upload_image",
        Method::Post,
        "/users/{user_id}/images/{name}-{size}.png",
    );
    upload.parameters = vec![
        parameter("user_id", "user_id", ParameterLocation::Path, true),
        parameter("name", "name", ParameterLocation::Path, true),
        parameter("size", "size", ParameterLocation::Path, true),
    ];
    upload.parameters[2].ty = TypeRef::Integer(IntegerWidth::I64);
    let mut multipart = content("multipart/form-data", named("ImageUpload"));
    multipart.part_content_types = vec![("image".into(), vec!["image/png".into()])];
    upload.body = Some(RequestBody {
        required: false,
        contents: vec![multipart],
    });
    upload.responses = vec![
        response(StatusSpec::Code(201), "Created", Some("Profile")),
        response(StatusSpec::Range(2), "Status2xx", Some("Profile")),
        response(StatusSpec::Default, "Default", Some("Error")),
    ];
    upload.security = security(&[&["QueryKey"], &["Bearer"]]);

    // No parameters, no credentials, no body: answers without bodies.
    let mut logout = operation("endSession", "end_session", Method::Delete, "/session/");
    logout.responses = vec![
        response(StatusSpec::Code(204), "NoContent", None),
        response(StatusSpec::Default, "Default", None),
    ];

    // Raw bodies, a form body that is a map, a range without a body; cookie and basic
    // credentials.
    let mut echo = operation("echo", "echo", Method::Post, "/echo");
    echo.body = Some(RequestBody {
        required: true,
        contents: vec![
            content("text/plain", TypeRef::String),
            content("application/octet-stream", TypeRef::Binary),
            content("application/x-www-form-urlencoded", named("Labels")),
            content("application/merge-patch+json", named("Labels")),
        ],
    });
    echo.responses = vec![
        response(StatusSpec::Code(200), "Ok", None),
        response(StatusSpec::Range(4), "Status4xx", None),
    ];
    echo.security = security(&[&["Session"], &["Basic"]]);

    // Bodies without a media type: nothing can be sent.
    let mut nothing = operation("sendNothing", "send_nothing", Method::Post, "/nothing");
    nothing.body = Some(RequestBody {
        required: true,
        contents: Vec::new(),
    });
    nothing.responses = vec![response(StatusSpec::Code(204), "NoContent", None)];
    let mut maybe_nothing = nothing.clone();
    maybe_nothing.id = "maybeNothing".into();
    maybe_nothing.rust_name = "maybe_nothing".into();
    maybe_nothing.type_stem = "MaybeNothing".into();
    maybe_nothing.path = "/maybe-nothing".into();
    if let Some(body) = &mut maybe_nothing.body {
        body.required = false;
    }

    Api {
        dialect: None,
        module: "fixture".into(),
        title: "The client fixture".into(),
        version: "1.0.0".into(),
        description: None,
        types,
        operations: vec![update, upload, logout, echo, nothing, maybe_nothing],
        security_schemes: vec![
            scheme(
                "ApiKey",
                "api_key",
                api_key(ParameterLocation::Header, "X-API-Key"),
            ),
            scheme(
                "QueryKey",
                "query_key",
                api_key(ParameterLocation::Query, "api_key"),
            ),
            scheme("Bearer", "bearer", SchemeKind::Bearer),
            scheme(
                "Session",
                "session",
                api_key(ParameterLocation::Cookie, "session"),
            ),
            scheme("Basic", "basic", SchemeKind::Basic),
        ],
        error_envelope: None,
        type_index: Default::default(),
    }
}

/// The client of `api`, after the checks the client relies on.
fn rendered(api: &Api) -> String {
    let mut problems = Vec::new();
    check(api, &mut |pointer, message| {
        problems.push(format!("{message} (at {pointer})"))
    });
    assert!(problems.is_empty(), "{problems:#?}");
    render(&api.module, emit_client(api), "fixture").unwrap()
}

/// The fixture's segment that mixes text and parameters (`{name}-{size}.png`) is one the
/// server routes too (whole, then split), so every check passes.
#[test]
fn the_fixture_passes_every_check() {
    if let Err(error) = validate(&[fixture()]) {
        panic!("{error}");
    }
}

#[test]
fn client_snapshot() {
    insta::assert_snapshot!(rendered(&fixture()));
}

#[test]
fn every_operation_gets_a_method_and_the_output_parses() {
    let api = fixture();
    let text = rendered(&api);
    syn::parse_file(&text).unwrap();
    for operation in &api.operations {
        let signature = format!("pub async fn {}(", operation.rust_name);
        assert!(text.contains(&signature), "{signature}");
    }
    assert_eq!(text, rendered(&api), "not deterministic");
}

/// The rendered client without whitespace, so that assertions do not depend on line breaks.
fn squashed(api: &Api) -> String {
    rendered(api).split_whitespace().collect()
}

/// The text of one method in [`squashed`] output.
fn method(text: &str, name: &str) -> String {
    let start = text
        .find(&format!("pubasyncfn{name}("))
        .unwrap_or_else(|| panic!("no method {name}"));
    let rest = &text[start + 1..];
    let end = rest.find("pubasyncfn").unwrap_or(rest.len());
    rest[..end].to_owned()
}

#[test]
fn responses_are_matched_code_then_range_then_default() {
    let text = squashed(&fixture());
    let upload = method(&text, "upload_image");
    let created = upload.find("201=>").unwrap();
    let range = upload.find("status@200..=299=>").unwrap();
    let default = upload.find("status=>").unwrap();
    assert!(created < range && range < default);
    // With `default` nothing is unexpected; without it, every other status is.
    assert!(!upload.contains("unexpected()"));
    let update = method(&text, "update_profile");
    assert!(update.contains("_=>::std::result::Result::Err(response.unexpected())"));
}

#[test]
fn credentials_follow_the_operation_security() {
    let text = squashed(&fixture());
    let update = method(&text, "update_profile");
    assert!(update.contains(
        r#"call.credential_header("X-API-Key","",request.credentials.api_key.as_deref()"#
    ));
    assert!(update.contains(
        r#"call.credential_header("Authorization","Bearer",request.credentials.bearer.as_deref()"#
    ));
    assert!(!update.contains("query_key"));
    let upload = method(&text, "upload_image");
    assert!(
        upload.contains(
            r#"call.credential_query("api_key",request.credentials.query_key.as_deref()"#
        )
    );
    assert!(!upload.contains("X-API-Key"));
    let echo = method(&text, "echo");
    assert!(
        echo.contains(r#"call.credential_cookie("session",request.credentials.session.as_deref()"#)
    );
    assert!(echo.contains(
        r#"call.credential_header("Authorization","Basic",request.credentials.basic.as_deref()"#
    ));
    // No credentials and nothing else to send: the request is not read.
    let logout = method(&text, "end_session");
    assert!(logout.contains("_request:&super::operations::EndSessionRequest"));
    assert!(!logout.contains("credential"));
}

#[test]
fn broken_models_are_problems_not_panics() {
    let mut api = fixture();
    api.operations[0].path = "/users/{id}/profile/{".into();
    api.operations[1].rust_name = "new".into();
    api.operations[2].rust_name = "echo".into();
    api.operations[3].rust_name = "not an ident".into();
    api.operations[3].responses[1].variant = "Ok".into();
    api.operations[0].parameters[2].name = "X Request".into();
    api.security_schemes[0].kind = api_key(ParameterLocation::Path, "key");
    api.security_schemes[4].rust_name = "session".into();
    let error = validate(&[api]).unwrap_err();
    assert!(matches!(error, CodegenError::InvalidModel(_)));
    let message = error.to_string();
    for expected in [
        "path template names `{id}`, which is not a path parameter",
        "path parameter `user_id` is not in the path template",
        "unbalanced braces",
        "operation function name `new` is a method of every generated Client",
        "operation function name `not an ident` is not a valid Rust identifier",
        "response variant `Ok` is used twice",
        "header parameter name \"X Request\" is not an HTTP token",
        "an apiKey cannot be sent in the path",
        "credential name `session` is used twice",
    ] {
        assert!(
            message.contains(expected),
            "{expected:?} not in:\n{message}"
        );
    }
    let mut twice = fixture();
    twice.operations[3].rust_name = "end_session".into();
    let message = validate(&[twice]).unwrap_err().to_string();
    assert!(
        message.contains("operation function name `end_session` is used twice"),
        "{message}"
    );
}

#[test]
fn path_templates_split_into_text_and_parameters() {
    assert_eq!(template_segments("/a/{id}/"), ["a", "{id}", ""]);
    assert_eq!(template_segments("/"), Vec::<&str>::new());
    assert_eq!(
        segment_pieces("{name}-{size}.png"),
        [
            Piece::Parameter("name"),
            Piece::Literal("-"),
            Piece::Parameter("size"),
            Piece::Literal(".png"),
        ]
    );
    assert_eq!(segment_pieces("a{b"), [Piece::Literal("a{b")]);
}
