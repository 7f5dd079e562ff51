//! Every missing and unknown field of a JSON body at once, read from the
//! body type's own schema (the one `openapi.yaml` publishes): serde stops at
//! the first, and a client filling a form wants to hear of all of them in
//! one answer.

use serde_json::{Map, Value};
use std::collections::HashMap;
use utoipa::ToSchema;

/// How deep a body's schema is followed (bodies are a few levels deep; the
/// bound keeps a recursive schema from looping).
const MAX_DEPTH: usize = 16;

/// `(field, message)` for each required field `value` lacks and each field
/// it has that `T` does not take, in the body's order, anywhere in it.
pub fn missing_and_unknown<T: ToSchema>(value: &Value) -> Vec<(String, String)> {
    let mut named = Vec::new();
    T::schemas(&mut named);
    let definitions: HashMap<String, Value> = named
        .into_iter()
        .filter_map(|(name, schema)| Some((name, serde_json::to_value(schema).ok()?)))
        .collect();
    let Ok(root) = serde_json::to_value(T::schema()) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    walk(&root, value, "", &definitions, &mut found, 0);
    found
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn walk(
    schema: &Value,
    value: &Value,
    path: &str,
    definitions: &HashMap<String, Value>,
    found: &mut Vec<(String, String)>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        if let Some(target) = definitions.get(name) {
            walk(target, value, path, definitions, found, depth + 1);
        }
        return;
    }
    for all in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        walk(all, value, path, definitions, found, depth + 1);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            // Only the shape of an optional value (`null` or one schema) is
            // certain; which of several a value meant is not.
            let real: Vec<&Value> = branches.iter().filter(|b| !is_null_type(b)).collect();
            if let [only] = real.as_slice()
                && !value.is_null()
            {
                walk(only, value, path, definitions, found, depth + 1);
            }
        }
    }
    match value {
        Value::Object(fields) => object(schema, fields, path, definitions, found, depth),
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (index, item) in items.iter().enumerate() {
                    let at = format!("{path}[{index}]");
                    walk(item_schema, item, &at, definitions, found, depth + 1);
                }
            }
        }
        _ => {}
    }
}

fn is_null_type(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
}

fn object(
    schema: &Value,
    fields: &Map<String, Value>,
    path: &str,
    definitions: &HashMap<String, Value>,
    found: &mut Vec<(String, String)>,
    depth: usize,
) {
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    for required in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !fields.contains_key(required) {
            found.push((join(path, required), "is required".to_owned()));
        }
    }
    // A map-like object (additionalProperties given) takes any key.
    let open = schema
        .get("additionalProperties")
        .is_some_and(|extra| extra != &Value::Bool(false));
    for (name, field) in fields {
        match properties.get(name) {
            Some(field_schema) => walk(
                field_schema,
                field,
                &join(path, name),
                definitions,
                found,
                depth + 1,
            ),
            None if !open => found.push((
                join(path, name),
                "is not a field of this request".to_owned(),
            )),
            None => {}
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Deserialize, ToSchema)]
    #[allow(dead_code)]
    struct Inner {
        name: String,
        email: String,
    }

    #[derive(Deserialize, ToSchema)]
    #[allow(dead_code)]
    struct Outer {
        title: String,
        count: u32,
        note: Option<String>,
        people: Vec<Inner>,
        lead: Option<Inner>,
    }

    #[test]
    fn every_missing_and_unknown_field_is_named_with_its_path() {
        let body = json!({
            "titel": "typo",
            "people": [{"name": "A"}, {"name": "B", "email": "b@example.org", "age": 3}],
            "lead": {"email": "l@example.org"},
        });
        let mut found: Vec<String> = missing_and_unknown::<Outer>(&body)
            .into_iter()
            .map(|(field, message)| format!("{field}: {message}"))
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                "count: is required",
                "lead.name: is required",
                "people[0].email: is required",
                "people[1].age: is not a field of this request",
                "titel: is not a field of this request",
                "title: is required",
            ]
        );
    }

    #[test]
    fn a_complete_body_has_nothing_to_report() {
        let body = json!({"title": "t", "count": 1, "people": [], "lead": null});
        assert!(missing_and_unknown::<Outer>(&body).is_empty());
    }
}
