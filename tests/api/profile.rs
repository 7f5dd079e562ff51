//! The applicant's profile: contact details, validated; a new email is
//! confirmed again.

use crate::support::{access_token, profile_update, register};
use kecs_tests::{Backend, TestApp, both_backends};
use serde_json::json;

fn every_bad_contact_field_is_named(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = access_token(&register(
        &app,
        "jdoe",
        "jane.doe@example.org",
        "123-45-6789",
    ));
    let body = json!({
        "email": "not-an-email",
        "mailing_address": {"line1": "", "city": "<script>", "state": "ZZ", "postal_code": "4060"},
        "phone": "555-0123",
    });
    let reply = app.put_as("/api/v1/me/profile", &token, &body);
    assert_eq!(reply.status, 422);
    assert_eq!(
        reply.problem_fields(),
        [
            "email",
            "mailing_address.line1",
            "mailing_address.city",
            "mailing_address.state",
            "mailing_address.postal_code",
            "phone"
        ]
    );
    let unchanged = app.get("/api/v1/me/profile", Some(&token)).json();
    assert!(unchanged["mailing_address"].is_null() && unchanged["phone"].is_null());
}

fn name_and_date_of_birth_cannot_be_changed_through_the_profile(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = access_token(&register(
        &app,
        "jdoe",
        "jane.doe@example.org",
        "123-45-6789",
    ));
    let mut body = profile_update("jane.doe@example.org");
    body["last_name"] = json!("Smith");
    let reply = app.put_as("/api/v1/me/profile", &token, &body);
    assert_eq!(reply.status, 422);
    assert_eq!(reply.problem_fields(), ["last_name"]);
    assert_eq!(
        app.get("/api/v1/me/profile", Some(&token)).json()["last_name"],
        "Doe"
    );
}

fn a_new_email_must_be_confirmed_again_and_the_old_one_is_told(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = access_token(&register(
        &app,
        "jdoe",
        "jane.doe@example.org",
        "123-45-6789",
    ));
    let first = app.wait_for_mail("jane.doe@example.org", "Confirm");
    app.post(
        "/api/v1/accounts/confirm-email",
        &json!({"token": first.link_token()}),
    );
    let updated = app.put_as(
        "/api/v1/me/profile",
        &token,
        &profile_update("jane@new.example.org"),
    );
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.json()["email_confirmed"], false);
    assert_eq!(updated.json()["ready_to_apply"], false);
    let notice = app.wait_for_mail("jane.doe@example.org", "email address was changed");
    assert!(notice.body.contains("jane@new.example.org"));
    let confirm = app.wait_for_mail("jane@new.example.org", "Confirm");
    assert_eq!(
        app.post(
            "/api/v1/accounts/confirm-email",
            &json!({"token": confirm.link_token()})
        )
        .status,
        204
    );
    let profile = app.get("/api/v1/me/profile", Some(&token)).json();
    assert_eq!(profile["email"], "jane@new.example.org");
    assert_eq!(profile["ready_to_apply"], true);
}

fn an_email_used_by_another_account_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend);
    register(&app, "other", "other@example.org", "123-45-6780");
    let token = access_token(&register(
        &app,
        "jdoe",
        "jane.doe@example.org",
        "123-45-6789",
    ));
    let reply = app.put_as(
        "/api/v1/me/profile",
        &token,
        &profile_update("OTHER@example.org"),
    );
    assert_eq!(reply.status, 409);
    assert_eq!(reply.code(), "email_taken");
}

fn resend_confirmation_mails_a_new_link_and_retires_the_old(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = access_token(&register(
        &app,
        "jdoe",
        "jane.doe@example.org",
        "123-45-6789",
    ));
    let old = app
        .wait_for_mail("jane.doe@example.org", "Confirm")
        .link_token();
    assert_eq!(
        app.post_as("/api/v1/accounts/resend-confirmation", &token, &json!({}))
            .status,
        202
    );
    let new = app
        .wait_for_mails("jane.doe@example.org", "Confirm", 2)
        .into_iter()
        .map(|mail| mail.link_token())
        .find(|token| *token != old)
        .unwrap();
    assert_eq!(
        app.post("/api/v1/accounts/confirm-email", &json!({"token": old}))
            .status,
        422
    );
    assert_eq!(
        app.post("/api/v1/accounts/confirm-email", &json!({"token": new}))
            .status,
        204
    );
    let again = app.post_as("/api/v1/accounts/resend-confirmation", &token, &json!({}));
    assert_eq!(again.status, 409);
    assert_eq!(again.code(), "email_already_confirmed");
}

/// PATCH changes only what it is sent: the phone alone, with no email
/// repeated and no confirmation mail; bad fields are named all at once.
fn a_patch_changes_only_the_fields_sent(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = access_token(&register(
        &app,
        "jdoe",
        "jane.doe@example.org",
        "123-45-6789",
    ));
    let full = app.put_as(
        "/api/v1/me/profile",
        &token,
        &profile_update("jane.doe@example.org"),
    );
    assert_eq!(full.status, 200, "{}", full.text);
    let patch = |body: serde_json::Value| {
        app.send(
            "PATCH",
            "/api/v1/me/profile",
            Some(&token),
            "application/json",
            body.to_string().into_bytes(),
        )
    };
    let phoned = patch(json!({"phone": "(859) 555-0199"}));
    assert_eq!(phoned.status, 200, "{}", phoned.text);
    let profile = phoned.json();
    assert_eq!(profile["phone"], "+18595550199");
    assert_eq!(profile["email"], "jane.doe@example.org");
    assert_eq!(profile["mailing_address"], full.json()["mailing_address"]);
    assert_eq!(profile["email_confirmed"], full.json()["email_confirmed"]);

    let refused = patch(json!({"email": "nope", "phone": "1", "mailing_address": null}));
    assert_eq!(refused.status, 422);
    assert_eq!(refused.problem_fields(), ["email", "phone"]);
    assert_eq!(
        app.get("/api/v1/me/profile", Some(&token)).json()["phone"],
        "+18595550199"
    );
    let unknown = patch(json!({"last_name": "Smith"}));
    assert_eq!(unknown.problem_fields(), ["last_name"]);

    // No token is 401; staff have no applicant profile to change.
    let anonymous = app.send(
        "PATCH",
        "/api/v1/me/profile",
        None,
        "application/json",
        b"{}".to_vec(),
    );
    assert_eq!(anonymous.status, 401);
    let (specialist, _) =
        crate::support::staff(&app, kecs_domain::account::Role::Specialist, "spec1");
    let staff = app.send(
        "PATCH",
        "/api/v1/me/profile",
        Some(&specialist),
        "application/json",
        b"{}".to_vec(),
    );
    assert_eq!(staff.status, 403);
}

both_backends!(
    a_patch_changes_only_the_fields_sent,
    every_bad_contact_field_is_named,
    name_and_date_of_birth_cannot_be_changed_through_the_profile,
    a_new_email_must_be_confirmed_again_and_the_old_one_is_told,
    an_email_used_by_another_account_is_refused,
    resend_confirmation_mails_a_new_link_and_retires_the_old,
);
