//! The dashboard: announcements, applications with status and expiry, and
//! the activity feed from the audit log.

use crate::applications::{ready_applicant, start_level_1};
use crate::support::staff;
use kecs_domain::account::Role;
use kecs_tests::{Backend, TestApp, both_backends};
use serde_json::json;

fn the_dashboard_shows_applications_and_what_happened(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let empty = app.get("/api/v1/me/dashboard", Some(&token)).json();
    assert!(empty["applications"].as_array().unwrap().is_empty());
    assert!(empty["announcements"].as_array().unwrap().is_empty());
    assert!(empty["active_credentials"].as_array().unwrap().is_empty());
    assert!(
        empty["eligible_request_types"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing on file yet"
    );

    let started = start_level_1(&app, &token);
    let id = started["id"].as_str().unwrap();
    app.put_as(
        &format!("/api/v1/applications/{id}/elements/topics"),
        &token,
        &json!({"topics": ["child_assessments"]}),
    );
    let board = app.get("/api/v1/me/dashboard", Some(&token)).json();
    let applications = board["applications"].as_array().unwrap();
    assert_eq!(applications.len(), 1);
    assert_eq!(applications[0]["status"], "in_progress");
    assert_eq!(applications[0]["expires_at"], started["expires_at"]);
    let feed: Vec<(String, String)> = board["activity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["action"].as_str().unwrap().to_owned(),
                a["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        feed[0],
        (
            "application.element_saved".to_owned(),
            "You saved Topics of Early Care and Education.".to_owned()
        ),
        "{feed:?}"
    );
    assert!(
        feed.iter()
            .any(|(action, _)| action == "application.started")
    );
    assert!(
        feed.iter()
            .any(|(action, _)| action == "account.email_confirmed")
    );
    assert_eq!(board["activity"][0]["application_id"], id);

    // Someone else's activity is not in this feed.
    let other = ready_applicant(&app, "other", "other@example.org", "123-45-6780");
    start_level_1(&app, &other);
    let mine = app.get("/api/v1/me/dashboard", Some(&token)).json();
    assert_eq!(mine["applications"].as_array().unwrap().len(), 1);
    assert_eq!(mine["activity"], board["activity"]);
    let specialist = staff(&app, Role::Specialist, "spec1").0;
    assert_eq!(
        app.get("/api/v1/me/dashboard", Some(&specialist)).status,
        403
    );
}

fn admins_publish_announcements_for_a_period(backend: Backend) {
    let app = TestApp::spawn(backend);
    let applicant = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let admin = staff(&app, Role::Admin, "admin1").0;
    let specialist = staff(&app, Role::Specialist, "spec1").0;
    let notice = json!({"title": "Renewals", "body": "Renew by December 31."});
    assert_eq!(
        app.post_as("/api/v1/admin/announcements", &applicant, &notice)
            .status,
        403
    );
    assert_eq!(
        app.post_as("/api/v1/admin/announcements", &specialist, &notice)
            .status,
        403
    );
    let published = app.post_as("/api/v1/admin/announcements", &admin, &notice);
    assert_eq!(published.status, 201, "{}", published.text);
    let future = app.post_as(
        "/api/v1/admin/announcements",
        &admin,
        &json!({"title": "Later", "body": "Not yet", "starts_at": "2099-01-01T00:00:00Z"}),
    );
    assert_eq!(future.status, 201);
    let bad = app.post_as(
        "/api/v1/admin/announcements",
        &admin,
        &json!({"title": "", "body": "<b>x</b>", "ends_at": "soon"}),
    );
    assert_eq!(bad.problem_fields(), ["title", "body", "ends_at"]);

    let shown = app.get("/api/v1/me/dashboard", Some(&applicant)).json()["announcements"].clone();
    assert_eq!(shown.as_array().unwrap().len(), 1, "{shown}");
    assert_eq!(shown[0]["title"], "Renewals");
    assert_eq!(
        app.get("/api/v1/admin/announcements", Some(&admin)).json()["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let id = published.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.delete_as(&format!("/api/v1/admin/announcements/{id}"), &applicant)
            .status,
        403
    );
    assert_eq!(
        app.delete_as(&format!("/api/v1/admin/announcements/{id}"), &admin)
            .status,
        204
    );
    assert_eq!(
        app.delete_as(&format!("/api/v1/admin/announcements/{id}"), &admin)
            .status,
        404
    );
    assert!(
        app.get("/api/v1/me/dashboard", Some(&applicant)).json()["announcements"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

both_backends!(
    the_dashboard_shows_applications_and_what_happened,
    admins_publish_announcements_for_a_period,
);
