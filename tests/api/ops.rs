//! Health, readiness, metrics, request ids, documentation, framework errors.

use kecs_tests::{Backend, TestApp, both_backends};

fn health_and_readiness_answer_ok(backend: Backend) {
    let app = TestApp::spawn(backend);
    assert_eq!(app.get("/healthz", None).json()["status"], "ok");
    let ready = app.get("/readyz", None);
    assert_eq!(ready.status, 200);
    assert_eq!(ready.json()["status"], "ok");
}

fn every_response_carries_a_request_id_and_keeps_a_plain_one_from_the_client(backend: Backend) {
    let app = TestApp::spawn(backend);
    let minted = app.get("/healthz", None);
    assert_eq!(minted.header("x-request-id").unwrap().len(), 36);
    let failed = app.send(
        "POST",
        "/api/v1/auth/login",
        None,
        "application/json",
        b"{".to_vec(),
    );
    assert_eq!(failed.status, 400);
    assert!(failed.header("x-request-id").is_some());
    let echoed = app.get_with("/healthz", &[("x-request-id", "client-trace-42")]);
    assert_eq!(echoed.header("x-request-id"), Some("client-trace-42"));
    let replaced = app.get_with("/healthz", &[("x-request-id", "<script>alert(1)</script>")]);
    assert_ne!(
        replaced.header("x-request-id"),
        Some("<script>alert(1)</script>")
    );
}

fn metrics_count_requests_by_route_pattern_and_status(backend: Backend) {
    let app = TestApp::spawn(backend);
    app.get("/healthz", None);
    app.get("/healthz", None);
    app.get("/no/such/path", None);
    let metrics = app.get("/metrics", None);
    assert_eq!(metrics.status, 200);
    assert!(
        metrics
            .header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(
        metrics
            .text
            .contains(r#"http_requests_total{method="GET",route="/healthz",status="200"} 2"#),
        "{}",
        metrics.text
    );
    assert!(metrics.text.contains(r#"route="unmatched",status="404""#));
    assert!(
        metrics
            .text
            .contains("http_request_duration_seconds_bucket")
    );
}

fn unknown_paths_are_json_problems(backend: Backend) {
    let app = TestApp::spawn(backend);
    let reply = app.get("/api/v1/nothing-here", None);
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(reply.json()["status"], 404);
    assert_eq!(reply.code(), "not_found");
}

fn a_known_path_with_another_method_is_405_with_allow(backend: Backend) {
    let app = TestApp::spawn(backend);
    let health = app.send("POST", "/healthz", None, "application/json", b"{}".to_vec());
    assert_eq!(health.status, 405, "{}", health.text);
    assert_eq!(health.header("allow"), Some("GET"));
    assert_eq!(health.code(), "method_not_allowed");
    let profile = app.send(
        "POST",
        "/api/v1/me/profile",
        None,
        "application/json",
        b"{}".to_vec(),
    );
    assert_eq!(profile.status, 405);
    assert_eq!(profile.header("allow"), Some("GET, PATCH, PUT"));
    assert_eq!(
        app.send(
            "POST",
            "/api/v1/no-such-thing",
            None,
            "application/json",
            b"{}".to_vec()
        )
        .status,
        404
    );
}

fn swagger_ui_and_the_spec_are_served(backend: Backend) {
    let app = TestApp::spawn(backend);
    let ui = app.get("/swagger-ui/", None);
    assert_eq!(ui.status, 200);
    assert!(
        ui.text.contains("swagger"),
        "{}",
        &ui.text[..ui.text.len().min(300)]
    );
    let spec = app.get("/api-docs/openapi.json", None).json();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(spec["paths"]["/api/v1/accounts/search"]["post"].is_object());
}

both_backends!(
    health_and_readiness_answer_ok,
    every_response_carries_a_request_id_and_keeps_a_plain_one_from_the_client,
    metrics_count_requests_by_route_pattern_and_status,
    unknown_paths_are_json_problems,
    a_known_path_with_another_method_is_405_with_allow,
    swagger_ui_and_the_spec_are_served,
);
