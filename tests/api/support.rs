//! Arrangements several tests share.

use kecs_domain::account::{EmailAddress, Password, Role, Username};
use kecs_tests::{Reply, TestApp};
use serde_json::{Value, json};

pub const PASSWORD: &str = "Correct-Horse-9-Battery";

/// A new-account body for a person not on record.
pub fn new_account(username: &str, email: &str, ssn: &str) -> Value {
    json!({
        "username": username,
        "email": email,
        "password": PASSWORD,
        "password_confirmation": PASSWORD,
        "first_name": "Jane",
        "last_name": "Doe",
        "date_of_birth": "1990-05-17",
        "ssn": ssn,
    })
}

/// Creates an account and returns the registration reply.
pub fn register(app: &TestApp, username: &str, email: &str, ssn: &str) -> Reply {
    let reply = app.post("/api/v1/accounts", &new_account(username, email, ssn));
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply
}

pub fn access_token(reply: &Reply) -> String {
    reply.json()["access_token"].as_str().unwrap().to_owned()
}

pub fn refresh_token(reply: &Reply) -> String {
    reply.json()["refresh_token"].as_str().unwrap().to_owned()
}

pub fn login(app: &TestApp, username: &str, password: &str) -> Reply {
    app.post(
        "/api/v1/auth/login",
        &json!({"username": username, "password": password}),
    )
}

/// The search body for the demo person End D. User.
pub fn search_end_user() -> Value {
    json!({"first_name": "End", "last_name": "User", "ssn_last4": "1120", "date_of_birth": "1947-03-01"})
}

pub fn profile_update(email: &str) -> Value {
    json!({
        "email": email,
        "mailing_address": {"line1": "275 E Main St", "city": "Frankfort", "state": "KY", "postal_code": "40621"},
        "phone": "(502) 555-0123",
    })
}

/// The seven topics of Sec. 2(5).
pub const ALL_TOPICS: [&str; 7] = [
    "child_growth_and_development",
    "health_safety_nutrition",
    "professional_development",
    "learning_environments_and_curriculum",
    "child_assessments",
    "family_and_community_partnerships",
    "program_management_and_evaluation",
];

/// A staff account, signed in: (access token, account id).
pub fn staff(app: &TestApp, role: Role, username: &str) -> (String, String) {
    let account = kecs_api::workflows::staff::add(
        &app.state,
        role,
        Username::parse(username).unwrap(),
        EmailAddress::parse(&format!("{username}@ky.gov")).unwrap(),
        Password::parse("Staff-Password-123").unwrap(),
    )
    .unwrap();
    (
        access_token(&login(app, username, "Staff-Password-123")),
        account.id,
    )
}

/// Pays for an application ready for payment.
pub fn pay(app: &TestApp, token: &str, id: &str) {
    let payment = app
        .send_with(
            "POST",
            &format!("/api/v1/applications/{id}/payments"),
            token,
            &[("idempotency-key", &format!("pay-{id}"))],
            &json!({}),
        )
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let paid = app.post_as(
        &format!("/api/v1/payments/{payment}/confirm"),
        token,
        &json!({"payment_method": "pm_card_visa"}),
    );
    assert_eq!(paid.json()["status"], "succeeded", "{}", paid.text);
}

/// The application's status, as its owner reads it.
pub fn application_status(app: &TestApp, token: &str, id: &str) -> String {
    app.get(&format!("/api/v1/applications/{id}"), Some(token))
        .json()["status"]
        .as_str()
        .unwrap()
        .to_owned()
}
