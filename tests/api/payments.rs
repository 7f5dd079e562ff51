//! Paying submits the application: invoice, idempotent payment creation,
//! confirmation through the sandbox gateway, exactly one success and one
//! charge whatever the concurrency.

use crate::applications::{ready_applicant, start_level_1};
use crate::guide_walk::ready_for_payment;
use kecs_tests::{Backend, Reply, TestApp, both_backends};
use serde_json::json;

fn create_payment(app: &TestApp, token: &str, id: &str, key: &str) -> Reply {
    app.send_with(
        "POST",
        &format!("/api/v1/applications/{id}/payments"),
        token,
        &[("idempotency-key", key)],
        &json!({}),
    )
}

fn confirm(app: &TestApp, token: &str, payment: &str, method: &str) -> Reply {
    app.post_as(
        &format!("/api/v1/payments/{payment}/confirm"),
        token,
        &json!({"payment_method": method}),
    )
}

/// (succeeded payments, payments the gateway was asked to charge) of an application.
fn ledger(app: &TestApp, application_id: &str) -> (usize, usize) {
    let payments = app
        .state
        .db
        .read(|conn| kecs_persistence::repo::payments::for_application(conn, application_id))
        .unwrap();
    let succeeded = payments
        .iter()
        .filter(|p| p.status.as_str() == "succeeded")
        .count();
    let charged = payments
        .iter()
        .filter(|p| p.gateway_reference.is_some())
        .count();
    (succeeded, charged)
}

fn the_payment_walk_submits_the_application(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id) = ready_for_payment(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let invoice = app.get(&format!("/api/v1/applications/{id}/invoice"), Some(&token));
    assert_eq!(invoice.status, 200, "{}", invoice.text);
    let invoice = invoice.json();
    assert_eq!(invoice["lines"].as_array().unwrap().len(), 1);
    assert_eq!(invoice["lines"][0]["request_type"], "new_level_1");
    assert_eq!(invoice["total"], 5000);
    assert_eq!(invoice["currency"], "USD");

    let created = create_payment(&app, &token, &id, "pay-1");
    assert_eq!(created.status, 201, "{}", created.text);
    let payment = created.json();
    assert_eq!(payment["status"], "requires_payment_method");
    assert_eq!(payment["amount"], 5000);
    let confirmed = confirm(
        &app,
        &token,
        payment["id"].as_str().unwrap(),
        "pm_card_visa",
    );
    assert_eq!(confirmed.status, 200, "{}", confirmed.text);
    assert_eq!(confirmed.json()["status"], "succeeded");

    let overview = app
        .get(&format!("/api/v1/applications/{id}"), Some(&token))
        .json();
    assert_eq!(overview["status"], "submitted");
    assert!(overview["submitted_at"].is_string());
    let board = app.get("/api/v1/me/dashboard", Some(&token)).json();
    assert_eq!(board["applications"][0]["status"], "submitted");
    assert!(
        app.wait_for_mail("jane.doe@example.org", "Your application was submitted")
            .body
            .contains("$50.00")
    );
    // Submitted: no more edits.
    let edit = app.put_as(
        &format!("/api/v1/applications/{id}/elements/topics"),
        &token,
        &json!({"topics": ["child_assessments"]}),
    );
    assert_eq!(edit.status, 409);
    assert_eq!(ledger(&app, &id), (1, 1));
}

fn no_payment_before_every_required_element_is_complete(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = create_payment(&app, &token, &id, "pay-early");
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert_eq!(refused.code(), "application_incomplete");
    assert!(
        refused
            .problem_fields()
            .contains(&"elements.topics".to_owned()),
        "{}",
        refused.text
    );
    let other = ready_applicant(&app, "other", "other@example.org", "123-45-6780");
    assert_eq!(create_payment(&app, &other, &id, "pay-x").status, 404);
    assert_eq!(
        app.get(&format!("/api/v1/applications/{id}/invoice"), Some(&other))
            .status,
        404
    );
}

fn idempotency_keys_replay_refuse_reuse_and_are_required(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id) = ready_for_payment(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let first = create_payment(&app, &token, &id, "key-A");
    let again = create_payment(&app, &token, &id, "key-A");
    assert_eq!((first.status, again.status), (201, 201));
    assert_eq!(
        first.json(),
        again.json(),
        "the retry must get the first response"
    );
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    let payments = app
        .state
        .db
        .read(|conn| kecs_persistence::repo::payments::for_application(conn, &id))
        .unwrap();
    assert_eq!(payments.len(), 1, "one payment for one key");

    let (token_b, id_b) = ready_for_payment(&app, "other", "other@example.org", "123-45-6780");
    let _ = token_b;
    let reused = app.send_with(
        "POST",
        &format!("/api/v1/applications/{id_b}/payments"),
        &token,
        &[("idempotency-key", "key-A")],
        &json!({}),
    );
    assert_eq!(reused.status, 422, "{}", reused.text);
    assert_eq!(reused.code(), "idempotency_key_reused");
    let missing = app.post_as(
        &format!("/api/v1/applications/{id}/payments"),
        &token,
        &json!({}),
    );
    assert_eq!(missing.status, 422);
    assert_eq!(missing.problem_fields(), ["Idempotency-Key"]);
    // Keys belong to their account: the same key by another applicant is theirs.
    let theirs = create_payment(&app, &token_b, &id_b, "key-A");
    assert_eq!(theirs.status, 201, "{}", theirs.text);
    let _ = id_b;
}

fn a_declined_card_leaves_the_application_payable(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id) = ready_for_payment(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let first = create_payment(&app, &token, &id, "pay-1").json();
    let declined = confirm(
        &app,
        &token,
        first["id"].as_str().unwrap(),
        "pm_card_chargeDeclined",
    );
    assert_eq!(declined.status, 200, "{}", declined.text);
    assert_eq!(declined.json()["status"], "failed");
    assert_eq!(declined.json()["failure_reason"], "Your card was declined.");
    assert_eq!(
        app.get(&format!("/api/v1/applications/{id}"), Some(&token))
            .json()["status"],
        "in_progress"
    );
    assert_eq!(
        confirm(&app, &token, first["id"].as_str().unwrap(), "pm_card_visa").status,
        409,
        "a failed payment is final"
    );

    let second = create_payment(&app, &token, &id, "pay-2").json();
    assert_eq!(
        confirm(&app, &token, second["id"].as_str().unwrap(), "pm_card_visa").json()["status"],
        "succeeded"
    );
    assert_eq!(
        app.get(&format!("/api/v1/applications/{id}"), Some(&token))
            .json()["status"],
        "submitted"
    );
    assert_eq!(ledger(&app, &id), (1, 1));
    let bad_method = confirm(&app, &token, second["id"].as_str().unwrap(), "card 4242");
    assert_eq!(bad_method.problem_fields(), ["payment_method"]);
}

fn twenty_parallel_confirmations_give_one_success_and_one_charge(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id) = ready_for_payment(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    // Two tabs' worth of payments, each confirmed ten times at once.
    let payments: Vec<String> = ["tab-1", "tab-2"]
        .iter()
        .map(|key| {
            create_payment(&app, &token, &id, key).json()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let statuses: Vec<(u16, String)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..20)
            .map(|i| {
                let (app, token, payment) = (&app, &token, payments[i % 2].clone());
                scope.spawn(move || {
                    let reply = confirm(app, token, &payment, "pm_card_visa");
                    (
                        reply.status,
                        reply.json()["status"].as_str().unwrap_or("").to_owned(),
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(
        statuses
            .iter()
            .all(|(status, _)| *status == 200 || *status == 409),
        "{statuses:?}"
    );
    assert!(
        statuses.iter().any(|(_, s)| s == "succeeded"),
        "{statuses:?}"
    );
    assert_eq!(ledger(&app, &id), (1, 1), "{statuses:?}");
    assert_eq!(
        app.get(&format!("/api/v1/applications/{id}"), Some(&token))
            .json()["status"],
        "submitted"
    );
}

fn unconfirmed_payments_are_canceled_after_their_time_to_live(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id) = ready_for_payment(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let payment = create_payment(&app, &token, &id, "pay-1").json();
    let later = kecs_api::workflows::now() + chrono::Duration::minutes(31);
    let report = kecs_api::workflows::sweeper::run_once(&app.state, later).unwrap();
    assert_eq!(report.canceled_payments, 1);
    let read = app
        .get(
            &format!("/api/v1/payments/{}", payment["id"].as_str().unwrap()),
            Some(&token),
        )
        .json();
    assert_eq!(read["status"], "canceled");
    assert_eq!(
        confirm(
            &app,
            &token,
            payment["id"].as_str().unwrap(),
            "pm_card_visa"
        )
        .status,
        409
    );
    assert_eq!(
        app.get(&format!("/api/v1/applications/{id}"), Some(&token))
            .json()["status"],
        "in_progress"
    );
}

fn admins_set_fees_and_a_free_application_submits_without_a_gateway(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id) = ready_for_payment(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    kecs_api::workflows::staff::add(
        &app.state,
        kecs_domain::account::Role::Admin,
        kecs_domain::account::Username::parse("admin1").unwrap(),
        kecs_domain::account::EmailAddress::parse("admin1@ky.gov").unwrap(),
        kecs_domain::account::Password::parse("Admin-Password-123").unwrap(),
    )
    .unwrap();
    let admin =
        crate::support::access_token(&crate::support::login(&app, "admin1", "Admin-Password-123"));
    assert_eq!(app.get("/api/v1/admin/fees", Some(&token)).status, 403);
    let fees = app.get("/api/v1/admin/fees", Some(&admin)).json();
    assert_eq!(fees["items"].as_array().unwrap().len(), 8);
    assert_eq!(fees["next_cursor"], serde_json::Value::Null);
    assert_eq!(
        app.put_as(
            "/api/v1/admin/fees/new_level_1",
            &token,
            &json!({"amount": 0})
        )
        .status,
        403
    );
    assert_eq!(
        app.put_as(
            "/api/v1/admin/fees/new_level_1",
            &admin,
            &json!({"amount": -1})
        )
        .problem_fields(),
        ["amount"]
    );
    assert_eq!(
        app.put_as(
            "/api/v1/admin/fees/new_level_9",
            &admin,
            &json!({"amount": 1})
        )
        .status,
        404
    );
    let set = app.put_as(
        "/api/v1/admin/fees/new_level_1",
        &admin,
        &json!({"amount": 0}),
    );
    assert_eq!(set.status, 200, "{}", set.text);
    assert!(
        set.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|fee| fee["request_type"] == "new_level_1" && fee["amount"] == 0),
        "{}",
        set.text
    );

    assert_eq!(
        app.get(&format!("/api/v1/applications/{id}/invoice"), Some(&token))
            .json()["total"],
        0
    );
    let payment = create_payment(&app, &token, &id, "free").json();
    assert_eq!(payment["amount"], 0);
    // Any payment method confirms a zero total; no gateway is called.
    let confirmed = confirm(
        &app,
        &token,
        payment["id"].as_str().unwrap(),
        "pm_card_chargeDeclined",
    );
    assert_eq!(
        confirmed.json()["status"],
        "succeeded",
        "{}",
        confirmed.text
    );
    assert_eq!(
        app.get(&format!("/api/v1/applications/{id}"), Some(&token))
            .json()["status"],
        "submitted"
    );
}

fn a_key_whose_first_request_is_still_running_is_409(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id) = ready_for_payment(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let account_id = app
        .state
        .db
        .read(|conn| kecs_persistence::repo::accounts::find_by_username_key(conn, "jdoe"))
        .unwrap()
        .unwrap()
        .id;
    // The first request with the key has begun and not finished.
    let fingerprint: String = {
        use sha2::{Digest, Sha256};
        Sha256::digest(format!("POST /api/v1/applications/{id}/payments").as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let began = app
        .state
        .db
        .transaction(|conn| {
            kecs_persistence::repo::idempotency::begin(
                conn,
                &account_id,
                "slow-key",
                &fingerprint,
                kecs_api::workflows::now(),
            )
        })
        .unwrap();
    assert_eq!(began, kecs_persistence::repo::idempotency::Begin::Started);
    let second = create_payment(&app, &token, &id, "slow-key");
    assert_eq!(second.status, 409, "{}", second.text);
    assert_eq!(second.code(), "idempotency_in_flight");
}

/// A node that dies after claiming a charge and before recording the
/// gateway's answer leaves the payment `processing`. The sweeper asks the
/// gateway again under the same idempotency key and records the answer
/// once: the application is submitted once, and a confirmation retried
/// meanwhile gets the settled payment.
fn a_charge_left_processing_by_a_dead_node_is_reconciled_once(backend: Backend) {
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
    let claimed_at = kecs_api::workflows::now();
    app.state
        .db
        .transaction(|conn| {
            kecs_persistence::repo::payments::start_charging(
                conn,
                &payment,
                "pm_card_visa",
                claimed_at,
            )
            .map(|claimed| assert!(claimed.is_ok()))
        })
        .unwrap();
    let retried = app.post_as(
        &format!("/api/v1/payments/{payment}/confirm"),
        &token,
        &json!({"payment_method": "pm_card_visa"}),
    );
    assert_eq!(retried.status, 409, "{}", retried.text);
    assert_eq!(retried.code(), "payment_in_progress");

    // Not yet: a charge may take a while at the gateway.
    let soon = kecs_api::workflows::sweeper::run_once(&app.state, claimed_at).unwrap();
    assert_eq!(soon.reconciled_payments, 0);
    let later = claimed_at + chrono::Duration::minutes(3);
    let report = kecs_api::workflows::sweeper::run_once(&app.state, later).unwrap();
    assert_eq!(report.reconciled_payments, 1, "{report:?}");
    let again = kecs_api::workflows::sweeper::run_once(&app.state, later).unwrap();
    assert_eq!(again.reconciled_payments, 0);

    let settled = app.get(&format!("/api/v1/payments/{payment}"), Some(&token));
    assert_eq!(settled.json()["status"], "succeeded", "{}", settled.text);
    assert_eq!(
        app.get(&format!("/api/v1/applications/{id}"), Some(&token))
            .json()["status"],
        "submitted"
    );
    let confirmed = app.post_as(
        &format!("/api/v1/payments/{payment}/confirm"),
        &token,
        &json!({"payment_method": "pm_card_visa"}),
    );
    assert_eq!(confirmed.status, 200, "{}", confirmed.text);
    assert_eq!(confirmed.json()["status"], "succeeded");
    app.wait_for_mails("jane.doe@example.org", "submitted", 1);
    let submitted = app
        .state
        .db
        .read(|conn| kecs_persistence::repo::audit::actions_on(conn, "application", &id))
        .unwrap()
        .into_iter()
        .filter(|action| action == "application.submitted")
        .count();
    assert_eq!(submitted, 1);
}

both_backends!(
    a_charge_left_processing_by_a_dead_node_is_reconciled_once,
    admins_set_fees_and_a_free_application_submits_without_a_gateway,
    a_key_whose_first_request_is_still_running_is_409,
    the_payment_walk_submits_the_application,
    no_payment_before_every_required_element_is_complete,
    idempotency_keys_replay_refuse_reuse_and_are_required,
    a_declined_card_leaves_the_application_payable,
    twenty_parallel_confirmations_give_one_success_and_one_charge,
    unconfirmed_payments_are_canceled_after_their_time_to_live,
);
