//! An OpenAPI 3.1 document (spec/fixtures/openapi31.yaml) generated through the 3.0 model:
//! `type: [string, "null"]` is an optional nullable field, `const` a one-value enum,
//! `oneOf` with `{type: "null"}` a nullable reference, numeric exclusive bounds are checked.
//!
//! Hand-written (generated/tests/ is not generated).

use profile_api::openapi31::{Pet, PetKind};
use profile_api::support::Validate;
use serde_json::json;

#[test]
fn a_3_1_document_reads_and_validates_as_its_3_0_form() {
    let pet: Pet = serde_json::from_value(json!({
        "id": 1, "kind": "pet", "name": null, "parent": null, "owner": {"name": "ann"}
    }))
    .expect("a pet");
    assert_eq!(pet.kind, PetKind::Pet);
    assert_eq!(pet.name, None);
    assert!(pet.validate().is_empty());
    assert!(serde_json::from_value::<Pet>(json!({"id": 1, "kind": "dog"})).is_err());
    for id in [0, 1_000_000] {
        let pet: Pet = serde_json::from_value(json!({"id": id, "kind": "pet"})).expect("a pet");
        let errors = pet.validate();
        assert_eq!(errors.len(), 1, "{id}: {errors:?}");
    }
}
