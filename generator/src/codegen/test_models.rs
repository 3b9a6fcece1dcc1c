//! Builders of small hand-made models, shared by the emitters' snapshot tests.

use crate::model::{Constraints, Field, StructDef, TypeDef, TypeKind, TypeRef};

/// A component schema named `name` (a raw identifier's `r#` is not part of the component).
pub fn def(name: &str, kind: TypeKind) -> TypeDef {
    let component = name.trim_start_matches("r#");
    TypeDef {
        rust_name: name.into(),
        component: Some(component.into()),
        pointer: format!("/components/schemas/{component}"),
        description: None,
        kind,
        constraints: Constraints::default(),
    }
}

/// A struct schema with `fields` and no additional properties.
pub fn strukt(name: &str, fields: Vec<Field>) -> TypeDef {
    def(
        name,
        TypeKind::Struct(StructDef {
            fields,
            additional: None,
        }),
    )
}

/// A plain field: no constraints, messages or flags beyond `required`.
pub fn field(name: &str, rust_name: &str, ty: TypeRef, required: bool) -> Field {
    Field {
        name: name.into(),
        rust_name: rust_name.into(),
        ty,
        required,
        nullable: false,
        read_only: false,
        write_only: false,
        default: None,
        description: None,
        constraints: Constraints::default(),
        messages: Default::default(),
        documented_messages: Default::default(),
        privileged: false,
        unique: false,
        key_of: None,
    }
}
