//! Health, readiness, metrics, request ids, documentation, framework errors.

use crate::support::register;
use chrono::{Duration, NaiveDateTime};
use kecs_api::workflows::sweeper;
use kecs_domain::application::{Answers, ElementKey, RequestType, expires_at};
use kecs_domain::rules::Level;
use kecs_persistence::repo::applications::{self, NewApplication};
use kecs_persistence::repo::{outbox, payments};
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
    // A concrete path is not an instance of a templated one: the webhook is
    // not a payment called "webhook", whatever the router could match.
    let webhook = app.get("/api/v1/payments/webhook", None);
    assert_eq!(webhook.status, 405, "{}", webhook.text);
    assert_eq!(webhook.header("allow"), Some("POST"));
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

/// The value of the sample `series` (name and labels as exposed).
fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics.lines().find_map(|line| {
        let value = line.strip_prefix(series)?.strip_prefix(' ')?;
        value.parse().ok()
    })
}

/// An account and an application of it, started long ago.
fn an_application(app: &TestApp, started_at: NaiveDateTime) -> (String, String) {
    let account_id = register(app, "jdoe", "jane.doe@example.org", "123-45-6789").json()["account"]
        ["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let application = app
        .state
        .db
        .transaction(|conn| {
            applications::insert(
                conn,
                &NewApplication {
                    account_id: &account_id,
                    credential: Level::Level1,
                    renewal: false,
                    request_types: &[RequestType::NewLevel1],
                    answers: &Answers::default(),
                    expires_at: expires_at(started_at),
                    elements: &[ElementKey::PersonalInformation],
                    renews_credential_id: None,
                },
                started_at,
            )
        })
        .unwrap();
    (account_id, application.id)
}

fn metrics_show_the_mail_backlog_payments_processing_and_the_pool(backend: Backend) {
    // Mail that cannot be delivered stays queued (port 1 refuses).
    let app = TestApp::spawn_with(backend, &[("KECS_MAIL", "smtp://127.0.0.1:1")]);
    let now = kecs_api::workflows::now();
    let (account_id, application_id) = an_application(&app, now);
    app.state
        .db
        .transaction(|conn| {
            outbox::enqueue(
                conn,
                "waiting@example.org",
                "Queued an hour ago",
                "Still here.",
                now - Duration::hours(1),
            )?;
            let payment = payments::insert(
                conn,
                &payments::NewPayment {
                    application_id: &application_id,
                    account_id: &account_id,
                    amount_cents: 5_000,
                    currency: "USD",
                    expires_at: now + Duration::hours(1),
                },
                now,
            )?;
            payments::start_charging(conn, &payment.id, "pm_card_visa", now)?
                .map(|_| ())
                .map_err(|refused| {
                    kecs_persistence::PersistenceError::Unavailable(format!("{refused:?}"))
                })
        })
        .unwrap();

    let metrics = app.get("/metrics", None);
    assert_eq!(metrics.status, 200);
    let text = &metrics.text;
    assert_eq!(sample(text, "kecs_database_up"), Some(1.0), "{text}");
    // The registration's confirmation and the hour-old mail, at least.
    assert!(
        sample(text, "kecs_outbox_backlog").unwrap() >= 2.0,
        "{text}"
    );
    let age = sample(text, "kecs_outbox_oldest_age_seconds").unwrap();
    assert!((3_600.0..3_900.0).contains(&age), "{age}");
    assert_eq!(
        sample(text, "kecs_payments_processing"),
        Some(1.0),
        "{text}"
    );
    let max = sample(text, "kecs_db_pool_max_connections").unwrap();
    let in_use = sample(text, r#"kecs_db_pool_connections{state="in_use"}"#).unwrap();
    let idle = sample(text, r#"kecs_db_pool_connections{state="idle"}"#).unwrap();
    assert!(in_use + idle >= 1.0 && in_use + idle <= max, "{text}");
    assert!(sample(text, "kecs_db_pool_waiting").is_some(), "{text}");
    // The HTTP figures are still there beside them.
    assert!(text.contains("http_requests_total"), "{text}");

    // Once sent, the backlog no longer counts the mail.
    app.state
        .db
        .transaction(|conn| {
            use diesel::prelude::*;
            use kecs_persistence::schema::outbox::dsl as o;
            diesel::update(o::outbox.filter(o::sent_at.is_null()))
                .set(o::sent_at.eq(Some(now)))
                .execute(conn)
                .map_err(kecs_persistence::PersistenceError::from)
        })
        .unwrap();
    let text = app.get("/metrics", None).text;
    assert_eq!(sample(&text, "kecs_outbox_backlog"), Some(0.0), "{text}");
    assert_eq!(
        sample(&text, "kecs_outbox_oldest_age_seconds"),
        Some(0.0),
        "{text}"
    );
}

fn metrics_show_each_sweep_its_duration_and_counts(backend: Backend) {
    let app = TestApp::spawn(backend);
    let now = kecs_api::workflows::now();
    an_application(&app, now - Duration::days(91));
    let before = app.get("/metrics", None).text;
    let runs_before = sample(&before, r#"kecs_sweeps_total{outcome="ok"}"#).unwrap_or(0.0);

    sweeper::run_once(&app.state, now).unwrap();
    let text = app.get("/metrics", None).text;
    assert!(
        sample(&text, r#"kecs_sweeps_total{outcome="ok"}"#).unwrap() >= runs_before + 1.0,
        "{text}"
    );
    // The server's own sweep may have got to it first: either counts here.
    assert_eq!(
        sample(
            &text,
            r#"kecs_sweep_items_total{kind="applications_expired"}"#
        ),
        Some(1.0),
        "{text}"
    );
    assert!(
        sample(
            &text,
            r#"kecs_sweep_last_items{kind="credentials_expired"}"#
        )
        .is_some(),
        "{text}"
    );
    let last = sample(&text, "kecs_sweep_last_duration_seconds").unwrap();
    assert!((0.0..60.0).contains(&last), "{last}");
    assert!(
        sample(&text, "kecs_sweep_seconds_total").unwrap() >= last,
        "{text}"
    );
    assert!(sample(&text, "kecs_sweep_last_run_timestamp_seconds").unwrap() > 1.7e9);
    assert_eq!(
        sample(&text, r#"kecs_sweeps_total{outcome="failed"}"#),
        Some(0.0)
    );
}

both_backends!(
    metrics_show_the_mail_backlog_payments_processing_and_the_pool,
    metrics_show_each_sweep_its_duration_and_counts,
    health_and_readiness_answer_ok,
    every_response_carries_a_request_id_and_keeps_a_plain_one_from_the_client,
    metrics_count_requests_by_route_pattern_and_status,
    unknown_paths_are_json_problems,
    a_known_path_with_another_method_is_405_with_allow,
    swagger_ui_and_the_spec_are_served,
);
