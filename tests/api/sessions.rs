//! Sign-in, refresh rotation, sign-out, throttling, recovery, roles.

use crate::support::{PASSWORD, access_token, login, refresh_token, register};
use kecs_domain::account::{EmailAddress, Password, Role, Username};
use kecs_tests::{Backend, TestApp, both_backends};
use serde_json::json;

fn a_wrong_password_or_unknown_user_gets_the_same_401(backend: Backend) {
    let app = TestApp::spawn(backend);
    register(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let wrong = login(&app, "jdoe", "Wrong-Password-123!");
    let unknown = login(&app, "nobody", PASSWORD);
    assert_eq!((wrong.status, unknown.status), (401, 401));
    assert_eq!(wrong.json()["detail"], unknown.json()["detail"]);
    assert_eq!(wrong.header("www-authenticate"), Some("Bearer"));
}

fn repeated_failures_lock_the_username_even_for_the_right_password(backend: Backend) {
    let app = TestApp::spawn(backend);
    register(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    for _ in 0..5 {
        assert_eq!(login(&app, "jdoe", "Wrong-Password-123!").status, 401);
    }
    let locked = login(&app, "jdoe", PASSWORD);
    assert_eq!(locked.status, 429, "{}", locked.text);
    let retry_after: u64 = locked.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry_after));
    // Another account is not affected by jdoe's lock.
    register(&app, "other", "other@example.org", "123-45-6780");
    assert_eq!(login(&app, "other", PASSWORD).status, 200);
}

fn a_refresh_token_works_once_and_its_reuse_ends_the_session(backend: Backend) {
    let app = TestApp::spawn(backend);
    let first = register(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let original = refresh_token(&first);
    let rotated = app.post("/api/v1/auth/refresh", &json!({"refresh_token": original}));
    assert_eq!(rotated.status, 200);
    let successor = refresh_token(&rotated);
    assert_ne!(successor, original);
    assert_eq!(
        app.get("/api/v1/me/profile", Some(&access_token(&rotated)))
            .status,
        200
    );

    let replay = app.post("/api/v1/auth/refresh", &json!({"refresh_token": original}));
    assert_eq!(replay.status, 401);
    let after_replay = app.post("/api/v1/auth/refresh", &json!({"refresh_token": successor}));
    assert_eq!(after_replay.status, 401, "the family should be revoked");
    // A separate sign-in is a separate family and still works.
    let fresh = login(&app, "jdoe", PASSWORD);
    assert_eq!(
        app.post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": refresh_token(&fresh)})
        )
        .status,
        200
    );
}

fn logout_ends_the_session(backend: Backend) {
    let app = TestApp::spawn(backend);
    let session = register(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let token = refresh_token(&session);
    assert_eq!(
        app.post("/api/v1/auth/logout", &json!({"refresh_token": token}))
            .status,
        204
    );
    assert_eq!(
        app.post("/api/v1/auth/refresh", &json!({"refresh_token": token}))
            .status,
        401
    );
    assert_eq!(
        app.post("/api/v1/auth/logout", &json!({"refresh_token": token}))
            .status,
        204
    );
}

fn protected_routes_need_a_valid_access_token(backend: Backend) {
    let app = TestApp::spawn(backend);
    let session = register(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    assert_eq!(app.get("/api/v1/me/profile", None).status, 401);
    assert_eq!(app.get("/api/v1/me/profile", Some("not-a-jwt")).status, 401);
    let mut tampered = access_token(&session);
    tampered.push('x');
    assert_eq!(app.get("/api/v1/me/profile", Some(&tampered)).status, 401);
    // A claim token is signed by the same key but is no access token.
    app.seed_demo_people();
    let claim = app
        .post(
            "/api/v1/accounts/search",
            &crate::support::search_end_user(),
        )
        .json()["matches"][0]["claim_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(app.get("/api/v1/me/profile", Some(&claim)).status, 401);
    assert_eq!(
        app.get("/api/v1/me/profile", Some(&access_token(&session)))
            .status,
        200
    );
}

fn staff_sign_in_but_have_no_applicant_profile(backend: Backend) {
    let app = TestApp::spawn(backend);
    kecs_api::workflows::staff::add(
        &app.state,
        Role::Specialist,
        Username::parse("spec1").unwrap(),
        EmailAddress::parse("spec1@ky.gov").unwrap(),
        Password::parse("Specialist-Pass-123").unwrap(),
    )
    .unwrap();
    let session = login(&app, "spec1", "Specialist-Pass-123");
    assert_eq!(session.status, 200, "{}", session.text);
    assert_eq!(session.json()["account"]["role"], "specialist");
    let profile = app.get("/api/v1/me/profile", Some(&access_token(&session)));
    assert_eq!(profile.status, 403);
    assert_eq!(profile.code(), "forbidden");
}

fn forgot_username_mails_it_and_reveals_nothing(backend: Backend) {
    let app = TestApp::spawn(backend);
    register(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let known = app.post(
        "/api/v1/auth/forgot-username",
        &json!({"email": "JANE.DOE@example.org"}),
    );
    let unknown = app.post(
        "/api/v1/auth/forgot-username",
        &json!({"email": "nobody@example.org"}),
    );
    assert_eq!((known.status, unknown.status), (202, 202));
    assert_eq!(known.text, unknown.text);
    let mail = app.wait_for_mail("jane.doe@example.org", "Your username");
    assert!(mail.body.contains("Username: jdoe"), "{mail:?}");
    app.drain_outbox();
    assert!(app.mails_to("nobody@example.org").is_empty());
    // Longer than any address (the contract's maxLength 254): refused, named.
    let too_long = format!("{}@example.org", "a".repeat(243));
    let refused = app.post(
        "/api/v1/auth/forgot-username",
        &json!({ "email": too_long }),
    );
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.problem_fields(), ["email"]);
}

fn a_password_reset_works_once_and_ends_every_session(backend: Backend) {
    let app = TestApp::spawn(backend);
    let session = register(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let known = app.post("/api/v1/auth/forgot-password", &json!({"username": "jdoe"}));
    let unknown = app.post(
        "/api/v1/auth/forgot-password",
        &json!({"username": "nobody"}),
    );
    assert_eq!((known.status, unknown.status), (202, 202));
    let token = app
        .wait_for_mail("jane.doe@example.org", "Reset your password")
        .link_token();
    let new_password = "Another-Horse-7-Staple";
    let short = app.post(
        "/api/v1/auth/reset-password",
        &json!({"token": token, "password": "Short-1!", "password_confirmation": "Short-1!"}),
    );
    assert_eq!(short.status, 422);
    assert_eq!(short.problem_fields(), ["password"]);
    let reset = app.post(
        "/api/v1/auth/reset-password",
        &json!({"token": token, "password": new_password, "password_confirmation": new_password}),
    );
    assert_eq!(reset.status, 204, "{}", reset.text);
    let again = app.post(
        "/api/v1/auth/reset-password",
        &json!({"token": token, "password": new_password, "password_confirmation": new_password}),
    );
    assert_eq!(again.status, 422);
    assert_eq!(login(&app, "jdoe", PASSWORD).status, 401);
    assert_eq!(login(&app, "jdoe", new_password).status, 200);
    assert_eq!(
        app.post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": refresh_token(&session)})
        )
        .status,
        401
    );
    let notice = app.wait_for_mail("jane.doe@example.org", "password was changed");
    assert!(
        notice.body.contains("every signed-in session was ended"),
        "{notice:?}"
    );
}

both_backends!(
    a_wrong_password_or_unknown_user_gets_the_same_401,
    repeated_failures_lock_the_username_even_for_the_right_password,
    a_refresh_token_works_once_and_its_reuse_ends_the_session,
    logout_ends_the_session,
    protected_routes_need_a_valid_access_token,
    staff_sign_in_but_have_no_applicant_profile,
    forgot_username_mails_it_and_reveals_nothing,
    a_password_reset_works_once_and_ends_every_session,
);
