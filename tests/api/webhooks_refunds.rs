//! Gateway webhooks (signed, applied once, in any order) and refunds (never
//! more than was paid; automatic when money arrives for a closed application).

use crate::guide_walk::ready_for_payment;

use hmac::{Hmac, Mac};
use kecs_domain::account::Role;
use kecs_tests::{Backend, Reply, TestApp, WEBHOOK_SECRET, both_backends};
use serde_json::{Value, json};
use sha2::Sha256;

fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={timestamp},v1={hex}")
}

fn deliver(app: &TestApp, body: &Value, signature_header: Option<String>) -> Reply {
    let bytes = body.to_string().into_bytes();
    let url = "/api/v1/payments/webhook";
    match signature_header {
        Some(header) => app.send_signed(url, &header, bytes),
        None => app.send("POST", url, None, "application/json", bytes),
    }
}

fn signed(app: &TestApp, body: &Value) -> Reply {
    let now = chrono::Utc::now().timestamp();
    deliver(
        app,
        body,
        Some(signature(WEBHOOK_SECRET, now, body.to_string().as_bytes())),
    )
}

fn event(id: &str, kind: &str, payment: &str) -> Value {
    json!({"id": id, "type": kind, "data": {"payment_id": payment, "reference": format!("ch_{payment}"), "reason": "insufficient funds"}})
}

/// A payment left `processing` by the sandbox (pm_card_processing).
fn processing_payment(app: &TestApp) -> (String, String, String) {
    let (token, id) = ready_for_payment(app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let payment = app
        .send_with(
            "POST",
            &format!("/api/v1/applications/{id}/payments"),
            &token,
            &[("idempotency-key", "k1")],
            &json!({}),
        )
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let confirmed = app.post_as(
        &format!("/api/v1/payments/{payment}/confirm"),
        &token,
        &json!({"payment_method": "pm_card_processing"}),
    );
    assert_eq!(
        confirmed.json()["status"],
        "processing",
        "{}",
        confirmed.text
    );
    (token, id, payment)
}

fn a_signed_webhook_settles_a_processing_payment_once(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id, payment) = processing_payment(&app);
    assert_eq!(
        app.get(&format!("/api/v1/applications/{id}"), Some(&token))
            .json()["status"],
        "in_progress"
    );
    // Withdrawal waits while the payment is being processed.
    assert_eq!(
        app.post_as(
            &format!("/api/v1/applications/{id}/withdraw"),
            &token,
            &json!({})
        )
        .code(),
        "payment_in_progress"
    );

    let first = signed(&app, &event("evt_1", "payment.succeeded", &payment));
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.json()["applied"], true);
    assert_eq!(
        app.get(&format!("/api/v1/applications/{id}"), Some(&token))
            .json()["status"],
        "submitted"
    );
    let redelivered = signed(&app, &event("evt_1", "payment.succeeded", &payment));
    assert_eq!(redelivered.json()["applied"], false);
    // A failure arriving after the success changes nothing.
    let late = signed(&app, &event("evt_2", "payment.failed", &payment));
    assert_eq!(late.json()["applied"], false);
    let read = app
        .get(&format!("/api/v1/payments/{payment}"), Some(&token))
        .json();
    assert_eq!(read["status"], "succeeded");
    let succeeded = app
        .state
        .db
        .read(|conn| kecs_persistence::repo::payments::for_application(conn, &id))
        .unwrap()
        .iter()
        .filter(|p| p.status.as_str() == "succeeded")
        .count();
    assert_eq!(succeeded, 1);
}

fn webhooks_without_a_good_signature_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (_, _, payment) = processing_payment(&app);
    let body = event("evt_1", "payment.succeeded", &payment);
    let now = chrono::Utc::now().timestamp();
    let bytes = body.to_string().into_bytes();
    assert_eq!(deliver(&app, &body, None).status, 401);
    assert_eq!(
        deliver(
            &app,
            &body,
            Some(signature("the-wrong-secret-entirely-0000000", now, &bytes))
        )
        .status,
        401
    );
    assert_eq!(
        deliver(
            &app,
            &body,
            Some(signature(WEBHOOK_SECRET, now - 301, &bytes))
        )
        .status,
        401,
        "stale"
    );
    assert_eq!(
        deliver(&app, &body, Some("t=abc,v1=zz".to_owned())).status,
        401
    );
    let tampered = event("evt_1", "payment.succeeded", "another-payment");
    assert_eq!(
        deliver(
            &app,
            &tampered,
            Some(signature(WEBHOOK_SECRET, now, &bytes))
        )
        .status,
        401
    );
    let read = app
        .state
        .db
        .read(|conn| kecs_persistence::repo::payments::get(conn, &payment))
        .unwrap();
    assert_eq!(read.status.as_str(), "processing", "nothing was applied");
}

fn refunds_never_exceed_what_was_paid(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id) = ready_for_payment(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let payment = app
        .send_with(
            "POST",
            &format!("/api/v1/applications/{id}/payments"),
            &token,
            &[("idempotency-key", "k1")],
            &json!({}),
        )
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post_as(
        &format!("/api/v1/payments/{payment}/confirm"),
        &token,
        &json!({"payment_method": "pm_card_visa"}),
    );
    let admin = crate::support::staff(&app, Role::Admin, "admin1").0;
    let path = format!("/api/v1/payments/{payment}/refunds");
    assert_eq!(
        app.post_as(&path, &token, &json!({"amount": 100, "reason": "x"}))
            .status,
        403
    );
    let partial = app.post_as(
        &path,
        &admin,
        &json!({"amount": 2000, "reason": "Duplicate seminar fee"}),
    );
    assert_eq!(partial.status, 201, "{}", partial.text);
    assert_eq!(partial.json()["refunded"], 2000);
    let too_much = app.post_as(
        &path,
        &admin,
        &json!({"amount": 3001, "reason": "Too much"}),
    );
    assert_eq!(too_much.status, 422, "{}", too_much.text);
    assert_eq!(too_much.problem_fields(), ["amount"]);
    assert_eq!(
        app.post_as(&path, &admin, &json!({"amount": -5, "reason": "Negative"}))
            .status,
        422
    );
    let rest = app.post_as(
        &path,
        &admin,
        &json!({"reason": "Application withdrawn by the cabinet"}),
    );
    assert_eq!(rest.status, 201, "{}", rest.text);
    assert_eq!(rest.json()["refunded"], 5000);
    assert_eq!(
        app.post_as(&path, &admin, &json!({"amount": 1, "reason": "One more"}))
            .status,
        422
    );
    assert_eq!(
        app.get(&format!("/api/v1/payments/{payment}"), Some(&admin))
            .json()["status"],
        "succeeded"
    );
}

fn money_arriving_for_an_expired_application_goes_back(backend: Backend) {
    use diesel::prelude::*;
    let app = TestApp::spawn(backend);
    let (token, id, payment) = processing_payment(&app);
    // The application runs out of time while its payment is processing.
    let past = kecs_api::workflows::now() - chrono::Duration::minutes(1);
    app.state
        .db
        .transaction(|conn| {
            use kecs_persistence::schema::applications::dsl;
            diesel::update(dsl::applications.filter(dsl::id.eq(&id)))
                .set(dsl::expires_at.eq(past))
                .execute(conn)
                .map_err(kecs_persistence::PersistenceError::from)
        })
        .unwrap();
    assert_eq!(
        kecs_api::workflows::sweeper::run_once(&app.state, kecs_api::workflows::now())
            .unwrap()
            .expired,
        1
    );
    let settled = signed(&app, &event("evt_late", "payment.succeeded", &payment));
    assert_eq!(settled.json()["applied"], true);
    assert_eq!(
        app.get(&format!("/api/v1/applications/{id}"), Some(&token))
            .json()["status"],
        "expired"
    );
    let stored = app
        .state
        .db
        .read(|conn| kecs_persistence::repo::payments::get(conn, &payment))
        .unwrap();
    assert_eq!(stored.status.as_str(), "succeeded");
    assert_eq!(
        stored.refunded_cents, stored.amount_cents,
        "the money went back"
    );
}

both_backends!(
    a_signed_webhook_settles_a_processing_payment_once,
    webhooks_without_a_good_signature_are_refused,
    refunds_never_exceed_what_was_paid,
    money_arriving_for_an_expired_application_goes_back,
);
