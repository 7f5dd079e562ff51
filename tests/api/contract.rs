//! The committed `openapi.yaml` is exactly what the code generates.

#[test]
fn committed_openapi_yaml_matches_the_generated_spec() {
    let generated = kecs_api::server::openapi_yaml().unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi.yaml differs from the spec the code generates: run `make openapi` and commit the result"
    );
}

#[test]
fn every_operation_documents_its_errors_and_has_a_unique_id() {
    let spec = serde_json::to_value(kecs_api::server::openapi()).unwrap();
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
