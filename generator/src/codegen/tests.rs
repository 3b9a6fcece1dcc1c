//! Snapshot tests of the emitted types, one small hand-built model per feature.
//!
//! Snapshots live in `snapshots/`; review changes with `cargo insta review` (CI runs with
//! `INSTA_UPDATE=no`, so nothing is accepted silently).

use serde_json::json;

use super::*;
use crate::codegen::test_models::{self, def, strukt};
use crate::model::{
    Constraints, EnumValue, Field, IntegerWidth, Method, Operation, StructDef, TypeDef, UnionDef,
    UnionVariant,
};

fn api(module: &str, types: Vec<TypeDef>) -> Api {
    Api {
        dialect: None,
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

fn field(name: &str, rust_name: &str, ty: TypeRef) -> Field {
    test_models::field(name, rust_name, ty, true)
}

fn optional(mut field: Field) -> Field {
    field.required = false;
    field
}

fn nullable(mut field: Field) -> Field {
    field.nullable = true;
    field
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.into())
}

fn variant(rust_name: &str, ty: TypeRef, tag: Option<&str>) -> UnionVariant {
    UnionVariant {
        rust_name: rust_name.into(),
        ty,
        tag: tag.map(Into::into),
    }
}

fn union(name: &str, discriminator: Option<&str>, variants: Vec<UnionVariant>) -> TypeDef {
    def(
        name,
        TypeKind::Union(UnionDef {
            variants,
            discriminator: discriminator.map(Into::into),
        }),
    )
}

fn keyword_names() -> Api {
    let mut odd = strukt(
        "Odd",
        vec![
            field("type", "r#type", TypeRef::String),
            field("self", "self_", TypeRef::String),
            field("first-name", "first_name", TypeRef::String),
            field("firstName", "first_name_2", TypeRef::String),
            field("match", "r#match", TypeRef::Integer(IntegerWidth::I64)),
            field("plain", "plain", TypeRef::Boolean),
        ],
    );
    odd.description =
        Some("Field names that are keywords or not identifiers.\n\nSecond paragraph.".into());
    odd.kind = match odd.kind {
        TypeKind::Struct(mut s) => {
            s.fields[0].description = Some("The kind of thing.".into());
            TypeKind::Struct(s)
        }
        other => other,
    };
    // Types named like the prelude's: the emitted paths are fully qualified, so nothing breaks.
    let shadows = [
        "String", "Option", "Result", "Vec", "Value", "Box", "Upload",
    ]
    .into_iter()
    .map(|name| strukt(name, vec![field("inner", "inner", TypeRef::String)]));
    let mut types = vec![odd, def("r#Type", TypeKind::Alias(TypeRef::String))];
    types.extend(shadows);
    types.push(strukt(
        "UsesShadows",
        vec![
            field("name", "name", TypeRef::String),
            optional(field("maybe", "maybe", TypeRef::Integer(IntegerWidth::I32))),
            field("list", "list", TypeRef::Array(Box::new(TypeRef::Number))),
            field("any", "any", TypeRef::Any),
            field("file", "file", TypeRef::Binary),
            field("mine", "mine", named("String")),
        ],
    ));
    api("keywords", types)
}

fn optional_nullable() -> Api {
    api(
        "optional",
        vec![strukt(
            "Profile",
            vec![
                field("required", "required", TypeRef::String),
                optional(field("optional", "optional", TypeRef::String)),
                nullable(field(
                    "required_nullable",
                    "required_nullable",
                    TypeRef::String,
                )),
                optional(nullable(field(
                    "optional_nullable",
                    "optional_nullable",
                    TypeRef::String,
                ))),
                optional(nullable(field(
                    "tags",
                    "tags",
                    TypeRef::Map(Box::new(TypeRef::Array(Box::new(TypeRef::String)))),
                ))),
            ],
        )],
    )
}

fn string_enum() -> Api {
    let values = [
        ("active", "Active"),
        ("on-hold", "OnHold"),
        ("self", "Self_"),
        ("2fa", "V2fa"),
    ]
    .into_iter()
    .map(|(value, rust_name)| EnumValue {
        value: value.into(),
        rust_name: rust_name.into(),
    })
    .collect();
    let mut status = def("Status", TypeKind::StringEnum(values));
    status.description = Some("An account's status.".into());
    api("enums", vec![status])
}

fn untagged_union() -> Api {
    api(
        "untagged",
        vec![
            strukt("Card", vec![field("number", "number", TypeRef::String)]),
            union(
                "Payment",
                None,
                vec![
                    variant("Card", named("Card"), None),
                    variant("Reference", TypeRef::String, None),
                    variant("Amount", TypeRef::Integer(IntegerWidth::I64), None),
                    variant("Items", TypeRef::Array(Box::new(named("Card"))), None),
                ],
            ),
        ],
    )
}

fn discriminated_union() -> Api {
    api(
        "tagged",
        vec![
            strukt("Cat", vec![field("meows", "meows", TypeRef::Boolean)]),
            strukt("Dog", vec![field("barks", "barks", TypeRef::Boolean)]),
            // The tag is not a property of the variants: serde's internal tagging.
            union(
                "Pet",
                Some("petType"),
                vec![
                    variant("Cat", named("Cat"), Some("cat")),
                    variant("Dog", named("Dog"), Some("dog")),
                ],
            ),
            strukt(
                "Circle",
                vec![
                    field("kind", "kind", TypeRef::String),
                    field("radius", "radius", TypeRef::Number),
                ],
            ),
            strukt(
                "Square",
                vec![
                    field("kind", "kind", TypeRef::String),
                    field("side", "side", TypeRef::Number),
                ],
            ),
            // The variants declare the tag themselves: picked by the tag's value.
            union(
                "Shape",
                Some("kind"),
                vec![
                    variant("Circle", named("Circle"), Some("circle")),
                    variant("Square", named("Square"), Some("square")),
                ],
            ),
            // A variant that is not a struct: untagged after all.
            union(
                "Mixed",
                Some("kind"),
                vec![
                    variant("Circle", named("Circle"), Some("circle")),
                    variant("Text", TypeRef::String, Some("text")),
                ],
            ),
        ],
    )
}

fn additional_properties() -> Api {
    let mut labels = strukt(
        "Labels",
        vec![
            field("name", "name", TypeRef::String),
            optional(field(
                "additional_properties",
                "additional_properties",
                TypeRef::Boolean,
            )),
        ],
    );
    labels.kind = match labels.kind {
        TypeKind::Struct(s) => TypeKind::Struct(StructDef {
            additional: Some(TypeRef::String),
            ..s
        }),
        other => other,
    };
    let anything = def(
        "Anything",
        TypeKind::Struct(StructDef {
            fields: Vec::new(),
            additional: Some(TypeRef::Any),
        }),
    );
    api("additional", vec![labels, anything])
}

fn recursive() -> Api {
    api(
        "recursive",
        vec![
            // Directly, through Option, and through Vec (no Box needed there).
            strukt(
                "Node",
                vec![
                    field("value", "value", TypeRef::String),
                    optional(field("parent", "parent", named("Node"))),
                    field(
                        "children",
                        "children",
                        TypeRef::Array(Box::new(named("Node"))),
                    ),
                    optional(field("meta", "meta", named("Meta"))),
                ],
            ),
            strukt("Meta", vec![field("note", "note", TypeRef::String)]),
            // Mutual recursion: both fields boxed.
            strukt(
                "Employee",
                vec![optional(field("team", "team", named("Team")))],
            ),
            strukt("Team", vec![field("lead", "lead", named("Employee"))]),
            // Through a union.
            union(
                "Expr",
                None,
                vec![
                    variant("Number", TypeRef::Number, None),
                    variant("Sum", named("Sum"), None),
                ],
            ),
            strukt(
                "Sum",
                vec![
                    field("left", "left", named("Expr")),
                    field("right", "right", named("Expr")),
                ],
            ),
            // An alias that contains itself cannot be a type alias: it becomes a newtype.
            def(
                "Tree",
                TypeKind::Alias(TypeRef::Map(Box::new(named("Tree")))),
            ),
            def(
                "Forest",
                TypeKind::Alias(TypeRef::Array(Box::new(named("Tree")))),
            ),
        ],
    )
}

fn alias() -> Api {
    let mut id = def(
        "UserId",
        TypeKind::Alias(TypeRef::Integer(IntegerWidth::I64)),
    );
    id.description = Some("A user's id.".into());
    id.constraints.minimum = Some(1.0);
    api(
        "aliases",
        vec![
            id,
            def(
                "Names",
                TypeKind::Alias(TypeRef::Array(Box::new(TypeRef::String))),
            ),
            def(
                "Scores",
                TypeKind::Alias(TypeRef::Map(Box::new(TypeRef::Number))),
            ),
            def("Blob", TypeKind::Alias(TypeRef::Binary)),
            def("Json", TypeKind::Alias(TypeRef::Any)),
            def("Owner", TypeKind::Alias(named("UserId"))),
        ],
    )
}

/// The type fixtures of the snapshots, each under its snapshot's name.
pub(crate) fn fixtures() -> Vec<(&'static str, Api)> {
    vec![
        ("keyword_names", keyword_names()),
        ("optional_nullable", optional_nullable()),
        ("string_enum", string_enum()),
        ("untagged_union", untagged_union()),
        ("discriminated_union", discriminated_union()),
        ("additional_properties", additional_properties()),
        ("recursive", recursive()),
        ("alias", alias()),
    ]
}

fn file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a GeneratedFile {
    files
        .iter()
        .find(|file| file.path.as_path() == std::path::Path::new(path))
        .unwrap()
}

fn rendered(api: &Api) -> String {
    validate(std::slice::from_ref(api)).unwrap();
    render(&api.module, emit_types(api), "fixture").unwrap()
}

#[test]
fn keyword_and_odd_field_names() {
    insta::assert_snapshot!(rendered(&keyword_names()));
}

#[test]
fn optional_and_nullable_fields() {
    insta::assert_snapshot!(rendered(&optional_nullable()));
}

#[test]
fn string_enums() {
    insta::assert_snapshot!(rendered(&string_enum()));
}

#[test]
fn untagged_unions() {
    insta::assert_snapshot!(rendered(&untagged_union()));
}

#[test]
fn discriminated_unions() {
    insta::assert_snapshot!(rendered(&discriminated_union()));
}

#[test]
fn additional_properties_maps() {
    insta::assert_snapshot!(rendered(&additional_properties()));
}

#[test]
fn recursive_types() {
    insta::assert_snapshot!(rendered(&recursive()));
}

#[test]
fn aliases() {
    insta::assert_snapshot!(rendered(&alias()));
}

#[test]
fn every_fixture_renders_to_a_rust_file() {
    for (name, api) in fixtures() {
        let text = rendered(&api);
        syn::parse_file(&text).unwrap_or_else(|error| panic!("{name}: {error}"));
        assert!(text.starts_with("// fixture\n"), "{name}");
    }
}

#[test]
fn never_option_of_option() {
    for (name, api) in fixtures() {
        let text = rendered(&api);
        assert!(!text.contains("Option<::std::option::Option"), "{name}");
    }
}

fn with_operations(mut api: Api) -> Api {
    api.description = Some("A fixture with | pipes and\nline breaks.".into());
    api.operations = vec![Operation {
        id: "getNode".into(),
        rust_name: "get_node".into(),
        type_stem: "GetNode".into(),
        method: Method::Get,
        path: "/nodes/{id}".into(),
        summary: Some("Read one node | with a pipe".into()),
        description: None,
        parameters: vec![crate::model::Parameter {
            name: "id".into(),
            rust_name: "id".into(),
            location: crate::model::ParameterLocation::Path,
            required: true,
            ty: TypeRef::String,
            constraints: Constraints::default(),
            messages: Default::default(),
            documented_messages: Default::default(),
            description: None,
            example: None,
            style: Default::default(),
            explode: true,
        }],
        body: None,
        responses: Vec::new(),
        security: Vec::new(),
        rules: Vec::new(),
    }];
    api
}

#[test]
fn generation_is_deterministic() {
    let apis: Vec<Api> = fixtures()
        .into_iter()
        .map(|(_, api)| with_operations(api))
        .collect();
    let first = generate(&apis, &BTreeMap::new()).unwrap();
    let second = generate(&apis, &BTreeMap::new()).unwrap();
    assert_eq!(first, second);
    // The order of the input does not matter either.
    let reversed: Vec<Api> = apis.iter().rev().cloned().collect();
    assert_eq!(first, generate(&reversed, &BTreeMap::new()).unwrap());
}

#[test]
fn generates_the_crate_layout() {
    let apis = vec![with_operations(recursive()), alias()];
    let files = generate(&apis, &BTreeMap::new()).unwrap();
    let paths: Vec<String> = files
        .iter()
        .map(|file| file.path.display().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "Cargo.toml",
            "docs/aliases.md",
            "docs/recursive.md",
            "src/aliases/client.rs",
            "src/aliases/errors.rs",
            "src/aliases/mod.rs",
            "src/aliases/operations.rs",
            "src/aliases/server.rs",
            "src/aliases/types.rs",
            "src/aliases/validate.rs",
            "src/lib.rs",
            "src/recursive/client.rs",
            "src/recursive/errors.rs",
            "src/recursive/mod.rs",
            "src/recursive/operations.rs",
            "src/recursive/server.rs",
            "src/recursive/types.rs",
            "src/recursive/validate.rs",
            "src/support.rs",
        ]
    );
    for file in &files {
        let first_line = file.contents.lines().next().unwrap_or_default();
        assert!(
            first_line.contains("Generated by `cargo xtask codegen`"),
            "{}: {first_line}",
            file.path.display()
        );
        if file.path.extension().is_some_and(|ext| ext == "rs") {
            syn::parse_file(&file.contents)
                .unwrap_or_else(|error| panic!("{}: {error}", file.path.display()));
        }
    }
}

#[test]
fn cargo_manifest_snapshot() {
    let files = generate(&[alias()], &BTreeMap::new()).unwrap();
    let manifest = file(&files, "Cargo.toml");
    insta::assert_snapshot!(manifest.contents);
}

#[test]
fn lib_rs_snapshot() {
    let files = generate(&[alias(), recursive()], &BTreeMap::new()).unwrap();
    let lib = file(&files, "src/lib.rs");
    insta::assert_snapshot!(lib.contents);
}

#[test]
fn markdown_reference_snapshot() {
    let mut api = with_operations(recursive());
    let mut documented = additional_properties();
    api.types.append(&mut documented.types);
    if let TypeKind::Struct(node) = &mut api.types[0].kind {
        node.fields[0].constraints = Constraints {
            max_length: Some(255),
            pattern: Some("^[a-z`]+$".into()),
            enumeration: vec![json!("a"), json!("b")],
            ..Constraints::default()
        };
        node.fields[0].description = Some("The value | with a pipe.".into());
    }
    api.types.extend(string_enum().types);
    api.types.extend(discriminated_union().types);
    api.types.extend(alias().types);
    let files = generate(&[api], &BTreeMap::new()).unwrap();
    let reference = file(&files, "docs/recursive.md");
    insta::assert_snapshot!(reference.contents);
}

#[test]
fn invalid_models_are_errors_not_panics() {
    let mut broken = keyword_names();
    broken.types.push(strukt("Odd", Vec::new()));
    broken.types.push(strukt("Bad Name", Vec::new()));
    broken.types.push(strukt(
        "Dangling",
        vec![
            field("to", "to", named("Nowhere")),
            field("x", "self", TypeRef::String),
        ],
    ));
    let error = generate(&[broken, api("support", Vec::new())], &BTreeMap::new()).unwrap_err();
    let message = error.to_string();
    for expected in [
        "type name `Odd` is used twice",
        "type name `Bad Name` is not a valid Rust identifier",
        "type `Nowhere` is used but not defined",
        "field name `self` is not a valid Rust identifier",
        "module name `support`",
    ] {
        assert!(
            message.contains(expected),
            "{expected:?} not in:\n{message}"
        );
    }
}

#[test]
fn prefixed_identifiers_stay_snake_case() {
    assert_eq!(
        super::prefixed_ident("handle", "get_pet").to_string(),
        "handle_get_pet"
    );
    assert_eq!(
        super::prefixed_ident("handle", "r#type").to_string(),
        "handle_type"
    );
    assert_eq!(
        super::prefixed_ident("handle", "_123_tags").to_string(),
        "handle_u_123_tags"
    );
    assert_eq!(
        super::prefixed_ident("field", "__id").to_string(),
        "field_u_u_id"
    );
}

/// `is_ident`'s shortcut for plain names agrees with syn on every kind of name.
#[test]
fn plain_names_are_identifiers_as_syn_says() {
    for name in [
        "Profile",
        "first_name",
        "_",
        "__",
        "_1",
        "Self",
        "self",
        "r#type",
        "type",
        "a1",
        "A",
        "1a",
        "a-b",
        "é",
        "Ça_va",
        "crate",
        "Crate",
        "gen",
        "x_",
        "HTTP2",
        "",
        "r#Self",
    ] {
        let by_syn = match name.strip_prefix("r#") {
            Some(bare) => {
                !matches!(bare, "self" | "Self" | "super" | "crate" | "_")
                    && syn::parse_str::<syn::Ident>(name).is_ok()
            }
            None => syn::parse_str::<syn::Ident>(name).is_ok(),
        };
        assert_eq!(super::is_ident(name), by_syn, "{name:?}");
    }
}
