//! Bad input on every endpoint: a 4xx problem naming the field, never a 500,
//! and nothing written.

use crate::support::{
    PASSWORD, access_token, new_account, profile_update, register, search_end_user,
};
use kecs_tests::{Backend, Reply, TestApp, both_backends};
use serde_json::{Value, json};

/// Every endpoint that takes a JSON body, with a body it would accept.
fn endpoints(token: &str) -> Vec<(&'static str, &'static str, Option<String>, Value)> {
    vec![
        ("POST", "/api/v1/accounts/search", None, search_end_user()),
        (
            "POST",
            "/api/v1/accounts/claim",
            None,
            json!({"claim_token": "x", "username": "someone", "email": "someone@example.org", "password": PASSWORD, "password_confirmation": PASSWORD}),
        ),
        (
            "POST",
            "/api/v1/accounts",
            None,
            new_account("someone", "someone@example.org", "123-45-6780"),
        ),
        (
            "POST",
            "/api/v1/accounts/confirm-email",
            None,
            json!({"token": "x"}),
        ),
        (
            "POST",
            "/api/v1/auth/login",
            None,
            json!({"username": "jdoe", "password": PASSWORD}),
        ),
        (
            "POST",
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": "x"}),
        ),
        (
            "POST",
            "/api/v1/auth/logout",
            None,
            json!({"refresh_token": "x"}),
        ),
        (
            "POST",
            "/api/v1/auth/forgot-username",
            None,
            json!({"email": "x@example.org"}),
        ),
        (
            "POST",
            "/api/v1/auth/forgot-password",
            None,
            json!({"username": "jdoe"}),
        ),
        (
            "POST",
            "/api/v1/auth/reset-password",
            None,
            json!({"token": "x", "password": PASSWORD, "password_confirmation": PASSWORD}),
        ),
        (
            "PUT",
            "/api/v1/me/profile",
            Some(token.to_owned()),
            profile_update("jane.doe@example.org"),
        ),
    ]
}

fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &Option<String>,
    content_type: &str,
    body: Vec<u8>,
) -> Reply {
    app.send(method, path, token.as_deref(), content_type, body)
}

fn assert_problem(reply: &Reply, status: u16, context: &str) {
    assert_eq!(reply.status, status, "{context}: {}", reply.text);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json"),
        "{context}"
    );
    assert_eq!(reply.json()["status"], status, "{context}");
}

fn missing_and_mistyped_fields_are_named(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = access_token(&register(
        &app,
        "jdoe",
        "jane.doe@example.org",
        "123-45-6789",
    ));
    for (method, path, auth, valid) in endpoints(&token) {
        let fields: Vec<String> = valid.as_object().unwrap().keys().cloned().collect();
        for field in &fields {
            let mut missing = valid.clone();
            missing.as_object_mut().unwrap().remove(field);
            let reply = send(
                &app,
                method,
                path,
                &auth,
                "application/json",
                missing.to_string().into_bytes(),
            );
            assert_problem(&reply, 422, &format!("{path} without {field}"));
            assert_eq!(
                reply.problem_fields(),
                std::slice::from_ref(field),
                "{path} without {field}"
            );

            let mut mistyped = valid.clone();
            mistyped[field] = if valid[field].is_object() {
                json!("text")
            } else {
                json!(12345)
            };
            let reply = send(
                &app,
                method,
                path,
                &auth,
                "application/json",
                mistyped.to_string().into_bytes(),
            );
            assert_problem(&reply, 422, &format!("{path} with a number for {field}"));
            assert_eq!(
                reply.problem_fields(),
                std::slice::from_ref(field),
                "{path} with a number for {field}"
            );
        }
    }
}

fn malformed_oversized_and_non_json_bodies_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = access_token(&register(
        &app,
        "jdoe",
        "jane.doe@example.org",
        "123-45-6789",
    ));
    let ten_megabytes =
        format!("{{\"first_name\":\"{}\"}}", "a".repeat(10 * 1024 * 1024)).into_bytes();
    for (method, path, auth, valid) in endpoints(&token) {
        assert_problem(
            &send(
                &app,
                method,
                path,
                &auth,
                "application/json",
                b"{\"a\":".to_vec(),
            ),
            400,
            path,
        );
        assert_problem(
            &send(&app, method, path, &auth, "application/json", Vec::new()),
            400,
            path,
        );
        assert_problem(
            &send(
                &app,
                method,
                path,
                &auth,
                "text/plain",
                valid.to_string().into_bytes(),
            ),
            415,
            path,
        );
        assert_problem(
            &send(
                &app,
                method,
                path,
                &auth,
                "application/json",
                ten_megabytes.clone(),
            ),
            413,
            path,
        );
    }
}

fn impossible_dates_are_named(backend: Backend) {
    let app = TestApp::spawn(backend);
    for date in [
        "02/30/1990",
        "1990-02-30",
        "03/01/1947",
        "1990-13-01",
        "2999-01-01",
        "",
    ] {
        let mut body = new_account("someone", "someone@example.org", "123-45-6780");
        body["date_of_birth"] = json!(date);
        let reply = app.post("/api/v1/accounts", &body);
        assert_problem(&reply, 422, date);
        assert_eq!(reply.problem_fields(), ["date_of_birth"], "{date}");
        let mut search = search_end_user();
        search["date_of_birth"] = json!(date);
        assert_eq!(
            app.post("/api/v1/accounts/search", &search)
                .problem_fields(),
            ["date_of_birth"],
            "{date}"
        );
    }
}

fn passwords_breaking_the_rule_are_refused_with_the_reason(backend: Backend) {
    let app = TestApp::spawn(backend);
    let cases = [
        ("Abcdefghij12!x", "at least 15"),
        ("abcdefghijk12345!", "upper case"),
        ("ABCDEFGHIJK12345!", "lower case"),
        ("Abcdefghijklmnop!", "digit"),
        ("Abcdefghijk123456", "special"),
        ("Password1234567!", "too common"),
        ("xx-Someone-2024!!", "username"),
    ];
    for (password, reason) in cases {
        let mut body = new_account("someone", "someone@example.org", "123-45-6780");
        body["password"] = json!(password);
        body["password_confirmation"] = json!(password);
        let reply = app.post("/api/v1/accounts", &body);
        assert_problem(&reply, 422, password);
        let errors = reply.json()["errors"].clone();
        assert_eq!(errors[0]["field"], "password", "{password}");
        assert!(
            errors[0]["message"].as_str().unwrap().contains(reason),
            "{password}: {errors}"
        );
    }
    let mut mismatch = new_account("someone", "someone@example.org", "123-45-6780");
    mismatch["password_confirmation"] = json!("Correct-Horse-9-Batterx");
    assert_eq!(
        app.post("/api/v1/accounts", &mismatch).problem_fields(),
        ["password_confirmation"]
    );
}

fn sql_and_script_fragments_are_refused_or_inert(backend: Backend) {
    let app = TestApp::spawn(backend);
    register(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let fragments = [
        "Robert'); DROP TABLE people;--",
        "<script>alert(1)</script>",
        "' OR '1'='1",
    ];
    for fragment in fragments {
        for field in [
            "first_name",
            "last_name",
            "username",
            "email",
            "ssn",
            "middle_name",
        ] {
            let mut body = new_account("someone", "someone@example.org", "123-45-6780");
            body[field] = json!(fragment);
            let reply = app.post("/api/v1/accounts", &body);
            assert_problem(&reply, 422, &format!("{field} = {fragment}"));
            assert_eq!(reply.problem_fields(), [field], "{field} = {fragment}");
        }
        let login = app.post(
            "/api/v1/auth/login",
            &json!({"username": fragment, "password": fragment}),
        );
        assert_problem(&login, 401, fragment);
        let search = app.post(
            "/api/v1/accounts/search",
            &json!({"first_name": fragment, "last_name": "User", "ssn_last4": "1120", "date_of_birth": "1947-03-01"}),
        );
        assert_eq!(search.problem_fields(), ["first_name"]);
    }
    // The tables are intact and nothing was written by the refused requests.
    assert_eq!(crate::support::login(&app, "jdoe", PASSWORD).status, 200);
    let people: i64 = app
        .state
        .db
        .read(|conn| {
            use diesel::prelude::*;
            kecs_persistence::schema::people::table
                .count()
                .get_result(conn)
                .map_err(kecs_persistence::PersistenceError::from)
        })
        .unwrap();
    assert_eq!(people, 1);
}

/// A form with several holes hears of all of them in one answer: every
/// missing and unknown field, at any depth, beside the mistyped one.
fn every_missing_and_unknown_field_is_named_at_once(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = access_token(&register(
        &app,
        "jdoe",
        "jane.doe@example.org",
        "123-45-6789",
    ));
    let reply = app.post_as(
        "/api/v1/sponsors",
        &token,
        &json!({"name": "Council", "emial": "typo@example.org"}),
    );
    assert_eq!(reply.status, 422, "{}", reply.text);
    let mut fields = reply.problem_fields();
    fields.sort();
    assert_eq!(
        fields,
        ["address", "email", "emial", "phone"],
        "{}",
        reply.text
    );

    let reply = app.post_as(
        "/api/v1/training-agencies",
        &token,
        &json!({"name": "Agency", "district": "bluegrass", "county": 7, "instruction": {"commonwealth_child_care_credential": true, "cda": true}}),
    );
    assert_eq!(reply.status, 422, "{}", reply.text);
    let mut fields = reply.problem_fields();
    fields.sort();
    assert_eq!(
        fields,
        [
            "address",
            "county",
            "email",
            "instruction.cda",
            "instruction.child_development_associate",
            "phone",
        ],
        "{}",
        reply.text
    );
}

both_backends!(
    every_missing_and_unknown_field_is_named_at_once,
    missing_and_mistyped_fields_are_named,
    malformed_oversized_and_non_json_bodies_are_refused,
    impossible_dates_are_named,
    passwords_breaking_the_rule_are_refused_with_the_reason,
    sql_and_script_fragments_are_refused_or_inert,
);
