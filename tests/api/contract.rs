//! The committed `openapi.yaml` is exactly what the code generates.

#[test]
fn committed_openapi_yaml_matches_the_generated_spec() {
    let generated = kecs_api::http::server::openapi_yaml().unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi.yaml differs from the spec the code generates: run `make openapi` and commit the result"
    );
}

#[test]
fn every_operation_documents_its_errors_and_has_a_unique_id() {
    let spec = serde_json::to_value(kecs_api::http::server::openapi()).unwrap();
    let mut ids = std::collections::HashSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(
                ids.insert(id.to_owned()),
                "operationId {id} is used twice (again at {method} {path})"
            );
            let responses = operation["responses"].as_object().unwrap();
            assert!(
                !responses.is_empty(),
                "{method} {path} documents no response"
            );
            assert!(
                responses.keys().any(|status| status.starts_with('4')),
                "{method} {path} documents no 4xx problem"
            );
        }
    }
}

/// Every JSON body is read by `ApiJson`, which answers a body that is not
/// JSON with 400, one over the limit with 413, another media type with 415
/// and a wrong field with 422: each such operation documents all four, so a
/// client generated from the contract expects what the server says. (The
/// payment webhook reads its raw bytes to check the signature first.)
#[test]
fn every_json_body_documents_the_problems_of_reading_it() {
    let spec = serde_json::to_value(kecs_api::http::server::openapi()).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if path == "/api/v1/payments/webhook"
                || operation["requestBody"]["content"]["application/json"].is_null()
            {
                continue;
            }
            let responses = operation["responses"].as_object().unwrap();
            for status in ["400", "413", "415", "422"] {
                assert!(
                    responses.contains_key(status),
                    "{method} {path} reads a JSON body but does not document {status}"
                );
            }
        }
    }
}

#[test]
fn the_problem_code_lists_exactly_the_table_of_codes() {
    let table = kecs_api::http::error::all_codes();
    let spec = serde_json::to_value(kecs_api::http::server::openapi()).unwrap();
    let listed: Vec<&str> = spec["components"]["schemas"]["Problem"]["properties"]["code"]["enum"]
        .as_array()
        .expect("the problem's code lists its values")
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(listed, table);
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml")).unwrap();
    for code in table {
        assert!(
            committed.contains(&format!("| `{code}` |")),
            "openapi.yaml does not document the code {code}"
        );
    }
}

/// Every object schema a request body may carry: the bodies' schemas and
/// all they refer to, nested. (Responses may echo what others said, e.g. the
/// email an identity provider reports, which the server does not parse.)
fn request_object_schemas(spec: &serde_json::Value) -> Vec<&serde_json::Value> {
    fn walk<'a>(
        spec: &'a serde_json::Value,
        value: &'a serde_json::Value,
        seen: &mut std::collections::HashSet<String>,
        found: &mut Vec<&'a serde_json::Value>,
    ) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(|r| r.as_str()) {
                    if seen.insert(reference.to_owned()) {
                        let name = reference.trim_start_matches("#/components/schemas/");
                        walk(spec, &spec["components"]["schemas"][name], seen, found);
                    }
                    return;
                }
                if map
                    .get("properties")
                    .is_some_and(serde_json::Value::is_object)
                {
                    found.push(value);
                }
                map.values().for_each(|v| walk(spec, v, seen, found));
            }
            serde_json::Value::Array(items) => {
                items.iter().for_each(|v| walk(spec, v, seen, found))
            }
            _ => {}
        }
    }
    let (mut seen, mut found) = (std::collections::HashSet::new(), Vec::new());
    for item in spec["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            walk(spec, &operation["requestBody"], &mut seen, &mut found);
        }
    }
    found
}

/// Issue 12: the shape rules the server enforces are stated in the contract,
/// so a form can be validated from it and Schemathesis' positive data is
/// accepted. These are the ones most easily lost in a refactor.
#[test]
fn the_contract_states_the_bounds_the_server_enforces() {
    let spec = serde_json::to_value(kecs_api::http::server::openapi()).unwrap();
    let mut limits = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for param in operation["parameters"].as_array().into_iter().flatten() {
                let schema = &param["schema"];
                match (param["name"].as_str(), param["in"].as_str()) {
                    (Some("limit"), Some("query")) => {
                        limits += 1;
                        assert_eq!(
                            schema["minimum"], 1,
                            "{method} {path}: limit has no minimum 1"
                        );
                        assert!(
                            schema["maximum"].as_i64().is_some_and(|max| max >= 1),
                            "{method} {path}: limit has no maximum"
                        );
                    }
                    (Some("Idempotency-Key"), Some("header")) => {
                        assert_eq!(schema["pattern"], "^[!-~]{1,255}$", "{method} {path}");
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(limits >= 4, "only {limits} limit parameters found");

    let (mut emails, mut statements) = (0, 0);
    for schema in request_object_schemas(&spec) {
        let properties = schema["properties"].as_object().unwrap();
        if let Some(email) = properties.get("email") {
            emails += 1;
            assert_eq!(
                email["format"], "email",
                "an email property has no format: {schema}"
            );
            assert_eq!(
                email["maxLength"], 254,
                "an email property has no maxLength: {schema}"
            );
        }
        if let Some(statement) = properties.get("statement")
            && schema["required"]
                .as_array()
                .is_some_and(|r| r.contains(&"statement".into()))
        {
            statements += 1;
            assert_eq!(
                statement["minLength"], 1,
                "a statement has no minLength: {schema}"
            );
            assert_eq!(
                statement["maxLength"], 5000,
                "a statement has no maxLength: {schema}"
            );
            assert!(
                statement["pattern"].is_string(),
                "a statement has no pattern: {schema}"
            );
        }
        if let Some(method) = properties.get("payment_method")
            && schema["required"]
                .as_array()
                .is_some_and(|r| r.contains(&"payment_method".into()))
        {
            assert_eq!(method["pattern"], "^pm_[A-Za-z0-9_]{0,97}$");
        }
    }
    assert!(
        emails >= 5 && statements >= 3,
        "{emails} emails, {statements} statements found"
    );
}
