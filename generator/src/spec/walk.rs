//! Walking schemas in a raw document: following `$ref`s, finding properties and array items,
//! listing every field of a component. Shared by the checks and the mapping cross-check.

use serde_json::Value;

use super::ext::FieldAddress;
use super::pointer;

const SCHEMAS: &str = "#/components/schemas/";

/// The component name of a `#/components/schemas/Name` reference.
pub fn component_name(reference: &str) -> Option<&str> {
    reference
        .strip_prefix(SCHEMAS)
        .filter(|name| !name.contains('/'))
}

/// A schema node and where it is: the component that holds it and its document pointer.
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    pub component: &'a str,
    pub value: &'a Value,
}

/// The component schema `name`.
pub fn component<'a>(document: &'a Value, name: &'a str) -> Option<Node<'a>> {
    let value = document.get("components")?.get("schemas")?.get(name)?;
    Some(Node {
        component: name,
        value,
    })
}

/// Follows `$ref` (and a one-item `allOf`, the 3.0 idiom for a `$ref` with siblings) to the
/// schema that holds the content. Gives up after 32 hops, so a cycle cannot hang it.
pub fn resolve<'a>(document: &'a Value, mut node: Node<'a>) -> Result<Node<'a>, String> {
    for _ in 0..32 {
        if let Some(reference) = node.value.get("$ref").and_then(Value::as_str) {
            let name = component_name(reference).ok_or_else(|| {
                format!("{reference:?} is not a reference to #/components/schemas/<name>")
            })?;
            node =
                component(document, name).ok_or_else(|| format!("{reference:?} does not exist"))?;
            continue;
        }
        match node.value.get("allOf").and_then(Value::as_array) {
            Some(members) if members.len() == 1 && node.value.get("properties").is_none() => {
                node = Node {
                    component: node.component,
                    value: &members[0],
                };
            }
            _ => return Ok(node),
        }
    }
    Err("too many nested $ref (a cycle?)".into())
}

/// The names of a schema's properties, own and from `allOf` members.
pub fn property_names(document: &Value, node: Node<'_>) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(properties) = node.value.get("properties").and_then(Value::as_object) {
        names.extend(properties.keys().cloned());
    }
    for member in node
        .value
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Ok(member) = resolve(
            document,
            Node {
                component: node.component,
                value: member,
            },
        ) {
            names.extend(property_names(document, member));
        }
    }
    names
}

/// A property of a schema (own or from an `allOf` member), with the component holding it.
pub fn property<'a>(document: &'a Value, node: Node<'a>, name: &str) -> Option<Node<'a>> {
    if let Some(value) = node.value.get("properties").and_then(|p| p.get(name)) {
        return Some(Node {
            component: node.component,
            value,
        });
    }
    for member in node
        .value
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let member = resolve(
            document,
            Node {
                component: node.component,
                value: member,
            },
        )
        .ok()?;
        if member
            .value
            .get("properties")
            .and_then(|p| p.get(name))
            .is_some()
        {
            return property(document, member, name);
        }
    }
    None
}

/// Where walking an address went: each (component, local pointer) it passed through.
pub type Trail = Vec<FieldAddress>;

/// Walks `address` through the dialect document: property names step into properties, numbers
/// into array items. Returns every field passed on the way (containers included), each named
/// by the component that holds it, so coverage can be computed per component.
pub fn walk(document: &Value, address: &FieldAddress) -> Result<Trail, String> {
    let mut node = component(document, &address.schema)
        .ok_or_else(|| format!("schema {} does not exist", address.schema))?;
    let mut local = String::new();
    let mut trail = Vec::new();
    for segment in pointer::segments(&address.pointer) {
        let resolved = resolve(document, node)?;
        if resolved.component != node.component {
            local.clear();
        }
        node = resolved;
        let is_array = node.value.get("type").and_then(Value::as_str) == Some("array")
            || node.value.get("items").is_some();
        if is_array && segment.parse::<usize>().is_ok() {
            let items = node
                .value
                .get("items")
                .ok_or_else(|| format!("{local:?} has no items"))?;
            node = Node {
                component: node.component,
                value: items,
            };
            local = pointer::join(&local, "0");
            continue;
        }
        let next = property(document, node, &segment).ok_or_else(|| {
            let known = property_names(document, node);
            format!(
                "{} has no field {segment:?}{} (it has: {})",
                node.component,
                if local.is_empty() {
                    String::new()
                } else {
                    format!(" at {local}")
                },
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            )
        })?;
        if next.component != node.component {
            local.clear();
        }
        local = pointer::join(&local, &segment);
        trail.push(FieldAddress {
            schema: next.component.to_owned(),
            pointer: local.clone(),
        });
        node = next;
    }
    Ok(trail)
}

/// Every field of component `name`: its properties and, recursively, those of inline objects
/// and inline array items (`/list/0/field`); fields behind a `$ref` belong to that component.
/// Each comes with its pointer in the document, to point at it in errors.
pub fn fields(document: &Value, name: &str) -> Vec<(FieldAddress, String)> {
    let mut found = Vec::new();
    if let Some(node) = component(document, name) {
        let doc_pointer = format!("/components/schemas/{}", pointer::escape(name));
        collect_fields(node.value, name, "", &doc_pointer, &mut found);
    }
    found
}

fn collect_fields(
    schema: &Value,
    component: &str,
    local: &str,
    doc_pointer: &str,
    found: &mut Vec<(FieldAddress, String)>,
) {
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (property, value) in properties {
            let local = pointer::join(local, property);
            let doc_pointer = format!("{}/properties/{}", doc_pointer, pointer::escape(property));
            found.push((
                FieldAddress {
                    schema: component.to_owned(),
                    pointer: local.clone(),
                },
                doc_pointer.clone(),
            ));
            collect_fields(value, component, &local, &doc_pointer, found);
        }
    }
    if let Some(items) = schema.get("items") {
        collect_fields(
            items,
            component,
            &pointer::join(local, "0"),
            &format!("{doc_pointer}/items"),
            found,
        );
    }
    for (index, member) in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        collect_fields(
            member,
            component,
            local,
            &format!("{doc_pointer}/allOf/{index}"),
            found,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document() -> Value {
        json!({"components": {"schemas": {
            "Envelope": {"properties": {"data": {"allOf": [{"$ref": "#/components/schemas/Data"}]}}},
            "Data": {"properties": {
                "UserProfile": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                "Inline": {"type": "object", "properties": {"lan": {"type": "string"}}}
            }},
            "Item": {"properties": {"first_name": {"type": "string"}}}
        }}})
    }

    #[test]
    fn walks_through_refs_all_of_and_items() {
        let document = document();
        let trail = walk(
            &document,
            &FieldAddress::parse("Envelope#/data/UserProfile/0/first_name").unwrap(),
        )
        .unwrap();
        let trail: Vec<String> = trail.iter().map(ToString::to_string).collect();
        assert_eq!(
            trail,
            ["Envelope#/data", "Data#/UserProfile", "Item#/first_name"]
        );
    }

    #[test]
    fn a_wrong_field_names_what_exists() {
        let document = document();
        let error = walk(
            &document,
            &FieldAddress::parse("Data#/Inline/lang").unwrap(),
        )
        .unwrap_err();
        assert!(
            error.contains("no field \"lang\"") && error.contains("lan"),
            "{error}"
        );
        assert!(walk(&document, &FieldAddress::parse("Nope#/a").unwrap()).is_err());
    }

    #[test]
    fn lists_inline_fields_but_not_referenced_ones() {
        let document = document();
        let fields: Vec<String> = fields(&document, "Data")
            .iter()
            .map(|(a, _)| a.to_string())
            .collect();
        assert_eq!(
            fields,
            ["Data#/UserProfile", "Data#/Inline", "Data#/Inline/lan"]
        );
    }
}
