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
fn every_operation_documents_its_errors_and_has_an_id() {
    let spec = serde_json::to_value(kecs_api::server::openapi()).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            assert!(
                operation["operationId"].is_string(),
                "{method} {path} has no operationId"
            );
            let responses = operation["responses"].as_object().unwrap();
            assert!(
                !responses.is_empty(),
                "{method} {path} documents no response"
            );
            if path.starts_with("/api/") {
                assert!(
                    responses.keys().any(|status| status.starts_with('4')),
                    "{method} {path} documents no 4xx problem"
                );
            }
        }
    }
}
