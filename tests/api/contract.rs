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
