//! Walls an adversary probed: the applicant verifying their own experience,
//! staff powers outliving a demotion or a disabled account, approval of an
//! application whose payment went back, and one account filling the store
//! or the queue.

use crate::applications::{ready_applicant, start_level_1};
use crate::guide_walk::ready_for_payment;
use crate::support::{access_token, application_status, login, pay, refresh_token};
use kecs_api::workflows::staff;
use kecs_domain::account::Role;
use kecs_tests::{Backend, Reply, TestApp, both_backends};
use serde_json::json;

const STAFF_PASSWORD: &str = "Staff-Password-123";

fn invite(app: &TestApp, token: &str, id: &str, email: &str) -> Reply {
    app.post_as(
        &format!("/api/v1/applications/{id}/elements/experience_verification/invitation"),
        token,
        &json!({"name": "My Employer", "email": email}),
    )
}

fn the_applicant_cannot_be_their_own_third_party(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for own in [
        "jane.doe@example.org",
        "Jane.Doe@Example.ORG",
        "  JANE.DOE@EXAMPLE.ORG ",
    ] {
        let refused = invite(&app, &token, &id, own);
        assert_eq!(refused.status, 422, "{own}: {}", refused.text);
        assert_eq!(refused.code(), "third_party_is_applicant", "{own}");
        assert_eq!(refused.problem_fields(), ["email"], "{own}");
        assert!(
            refused.json()["citation"]
                .as_str()
                .unwrap()
                .contains("Section 3(1)(a)"),
            "{}",
            refused.text
        );
    }
    app.drain_outbox();
    assert!(
        app.mails_to("jane.doe@example.org")
            .iter()
            .all(|m| !m.subject.contains("asks you to complete")),
        "no link reached the applicant"
    );
    assert_eq!(
        invite(&app, &token, &id, "director@sunshine.example.org").status,
        202
    );
}

fn a_third_partys_submission_records_who_verified_it_and_from_where(backend: Backend) {
    let app = TestApp::spawn(backend);
    // The walk invites `employer-of-jdoe@example.org` as "Employer", who
    // submits the verification through the mailed link.
    let (token, id) = ready_for_payment(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    pay(&app, &token, &id);
    let (specialist, _) = crate::support::staff(&app, Role::Specialist, "spec1");
    let file = app.get(
        &format!("/api/v1/review/applications/{id}"),
        Some(&specialist),
    );
    assert_eq!(file.status, 200, "{}", file.text);
    let elements = file.json()["element_data"].as_array().unwrap().clone();
    let verified = elements
        .iter()
        .find(|e| e["key"] == "experience_verification")
        .unwrap();
    assert_eq!(
        verified["verified_by"],
        json!({"name": "Employer", "email": "employer-of-jdoe@example.org", "from_address": "127.0.0.1"}),
        "{verified}"
    );
    let own = elements.iter().find(|e| e["key"] == "experience").unwrap();
    assert!(own["verified_by"].is_null(), "{own}");
}

fn staff_login(app: &TestApp, username: &str) -> Reply {
    login(app, username, STAFF_PASSWORD)
}

fn a_demoted_admin_loses_admin_routes_at_once(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (admin, _) = crate::support::staff(&app, Role::Admin, "admin1");
    assert_eq!(
        app.get("/api/v1/admin/announcements", Some(&admin)).status,
        200
    );

    staff::set_role(&app.state, "admin1", Role::Specialist).unwrap();
    let refused = app.get("/api/v1/admin/announcements", Some(&admin));
    assert_eq!(refused.status, 403, "the admin token outlived the demotion");
    assert_eq!(refused.code(), "forbidden");
    // Still staff: the specialist's routes answer the same token.
    assert_eq!(app.get("/api/v1/review/queue", Some(&admin)).status, 200);

    staff::set_role(&app.state, "admin1", Role::Admin).unwrap();
    assert_eq!(
        app.get("/api/v1/admin/announcements", Some(&admin)).status,
        200
    );
    // Applicants are not managed as staff.
    ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    assert!(staff::set_role(&app.state, "jdoe", Role::Admin).is_err());
    assert!(staff::disable(&app.state, "jdoe").is_err());
}

fn a_disabled_specialist_is_shut_out_at_once(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (specialist, _) = crate::support::staff(&app, Role::Specialist, "spec1");
    let session = staff_login(&app, "spec1");
    let refresh = refresh_token(&session);
    assert_eq!(
        app.get("/api/v1/review/queue", Some(&specialist)).status,
        200
    );

    staff::disable(&app.state, "spec1").unwrap();
    let shut = app.get("/api/v1/review/queue", Some(&specialist));
    assert_eq!(shut.status, 401, "{}", shut.text);
    assert_eq!(shut.code(), "unauthorized");
    assert_eq!(
        app.get("/api/v1/review/queue", Some(&access_token(&session)))
            .status,
        401
    );
    let sign_in = staff_login(&app, "spec1");
    let wrong_password = login(&app, "spec1", "Not-The-Password-1");
    assert_eq!(sign_in.status, 401);
    assert_eq!(
        sign_in.json()["detail"],
        wrong_password.json()["detail"],
        "a disabled account reads like a wrong password"
    );
    let refreshed = app.post("/api/v1/auth/refresh", &json!({"refresh_token": refresh}));
    assert_eq!(refreshed.status, 401, "{}", refreshed.text);

    staff::enable(&app.state, "spec1").unwrap();
    let back = staff_login(&app, "spec1");
    assert_eq!(back.status, 200, "{}", back.text);
    assert_eq!(
        app.get("/api/v1/review/queue", Some(&access_token(&back)))
            .status,
        200
    );
    // Sessions ended by the disabling stay ended.
    assert_eq!(
        app.post("/api/v1/auth/refresh", &json!({"refresh_token": refresh}))
            .status,
        401
    );
}

fn a_fully_refunded_application_is_not_approved(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id) = ready_for_payment(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    pay(&app, &token, &id);
    let (specialist, _) = crate::support::staff(&app, Role::Specialist, "spec1");
    let (admin, _) = crate::support::staff(&app, Role::Admin, "admin1");
    let assigned = app.post_as(
        &format!("/api/v1/review/applications/{id}/assign"),
        &specialist,
        &json!({}),
    );
    assert_eq!(assigned.status, 200, "{}", assigned.text);
    // The same Idempotency-Key `pay` used answers with that payment again.
    let payment = app
        .send_with(
            "POST",
            &format!("/api/v1/applications/{id}/payments"),
            &token,
            &[("idempotency-key", &format!("pay-{id}"))],
            &json!({}),
        )
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/payments/{payment}/refunds");
    let partial = app.post_as(&path, &admin, &json!({"amount": 1000, "reason": "Part"}));
    assert_eq!(partial.status, 201, "{}", partial.text);
    let rest = app.post_as(&path, &admin, &json!({"reason": "Refunded in full"}));
    assert_eq!(rest.status, 201, "{}", rest.text);

    let approve = format!("/api/v1/review/applications/{id}/approve");
    let refused = app.post_as(&approve, &specialist, &json!({}));
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert_eq!(refused.code(), "payment_refunded");
    assert_eq!(application_status(&app, &token, &id), "pending_review");
}

const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

fn the_attachment_cap_holds_under_a_burst(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("KECS_MAX_ATTACHMENTS_PER_ELEMENT", "5")]);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/applications/{id}/elements/experience/attachments");
    let replies: Vec<Reply> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..30)
            .map(|i| {
                let (app, token, path) = (&app, &token, &path);
                scope.spawn(move || {
                    let name = format!("letter {i}.pdf");
                    app.post_multipart(
                        path,
                        token,
                        &[
                            ("file", Some(name.as_str()), PDF),
                            ("description", None, b"Letter"),
                            ("type", None, b"verification_letter"),
                        ],
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        5,
        "{statuses:?}"
    );
    for refused in replies.iter().filter(|r| r.status != 201) {
        assert_eq!(refused.status, 409, "{}", refused.text);
        assert_eq!(refused.code(), "attachment_limit_reached");
        assert!(refused.json()["detail"].as_str().unwrap().contains('5'));
    }
    let listed = app
        .get(
            &format!("/api/v1/applications/{id}/elements/experience"),
            Some(&token),
        )
        .json()["attachments"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(listed, 5);
    assert_eq!(
        app.stored_files().len(),
        5,
        "refused uploads leave no bytes"
    );
}

fn the_open_application_cap_holds_under_a_burst(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("KECS_MAX_OPEN_APPLICATIONS", "2")]);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let body = json!({"request_types": ["new_level_1"], "answers": {"first_time_applicant": true, "conducts_online_training": false}});
    let replies: Vec<Reply> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..10)
            .map(|_| {
                let (app, token, body) = (&app, &token, &body);
                scope.spawn(move || app.post_as("/api/v1/applications", token, body))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let started: Vec<String> = replies
        .iter()
        .filter(|r| r.status == 201)
        .map(|r| r.json()["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        started.len(),
        2,
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    for refused in replies.iter().filter(|r| r.status != 201) {
        assert_eq!(refused.status, 409, "{}", refused.text);
        assert_eq!(refused.code(), "open_application_limit_reached");
    }
    // A withdrawn application is closed and frees its place.
    let withdrawn = app.post_as(
        &format!("/api/v1/applications/{}/withdraw", started[0]),
        &token,
        &json!({}),
    );
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.text);
    assert_eq!(
        app.post_as("/api/v1/applications", &token, &body).status,
        201
    );
    assert_eq!(
        app.post_as("/api/v1/applications", &token, &body).status,
        409
    );
}

both_backends!(
    the_applicant_cannot_be_their_own_third_party,
    a_third_partys_submission_records_who_verified_it_and_from_where,
    a_demoted_admin_loses_admin_routes_at_once,
    a_disabled_specialist_is_shut_out_at_once,
    a_fully_refunded_application_is_not_approved,
    the_attachment_cap_holds_under_a_burst,
    the_open_application_cap_holds_under_a_burst,
);
