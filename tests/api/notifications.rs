//! "View All Notifications": what happened to the applicant's application,
//! newest first, in one voice with the decision's details, paged, with an
//! unread count that marking read lowers; nobody else's.

use crate::guide_walk::ready_for_payment;
use crate::support::{pay, register, staff};
use kecs_domain::account::Role;
use kecs_tests::{Backend, TestApp, both_backends};
use serde_json::{Value, json};

const LACK: &str = "Describe your training on each topic.";

/// A paid application returned as deficient: (applicant token, application
/// id, specialist's account id).
fn returned(app: &TestApp) -> (String, String, String) {
    let (token, id) = ready_for_payment(app, "jdoe", "jane.doe@example.org", "123-45-6789");
    pay(app, &token, &id);
    let (specialist, specialist_id) = staff(app, Role::Specialist, "spec1");
    let assigned = app.post_bare(
        &format!("/api/v1/review/applications/{id}/assign"),
        &specialist,
    );
    assert_eq!(assigned.status, 200, "{}", assigned.text);
    let returned = app.post_as(
        &format!("/api/v1/review/applications/{id}/return"),
        &specialist,
        &json!({"deficiencies": [{"element": "topics", "message": LACK}]}),
    );
    assert_eq!(returned.status, 200, "{}", returned.text);
    (token, id, specialist_id)
}

fn kinds(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_owned())
        .collect()
}

fn notifications_show_decisions_newest_first_with_their_details(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id, specialist_id) = returned(&app);

    let list = app.get("/api/v1/me/notifications", Some(&token));
    assert_eq!(list.status, 200, "{}", list.text);
    let body = list.json();
    let kinds = kinds(&body);
    assert_eq!(
        kinds.first().map(String::as_str),
        Some("application.returned_as_deficient"),
        "{kinds:?}"
    );
    for expected in [
        "application.assigned",
        "application.submitted",
        "payment.succeeded",
    ] {
        assert!(
            kinds.iter().any(|k| k == expected),
            "{expected} in {kinds:?}"
        );
    }
    // The applicant's own steps are activity, not news.
    assert!(
        !kinds.iter().any(|k| k == "application.element_saved"),
        "{kinds:?}"
    );
    assert!(!kinds.iter().any(|k| k == "session.started"), "{kinds:?}");

    let first = &body["items"][0];
    assert_eq!(
        first["message"],
        "Your application was returned: some elements need more."
    );
    assert_eq!(first["subject"]["type"], "application");
    assert_eq!(first["subject"]["id"], id.as_str());
    assert_eq!(
        first["subject"]["href"],
        format!("/api/v1/applications/{id}")
    );
    assert_eq!(first["details"]["deficiencies"][0]["element"], "topics");
    assert_eq!(first["details"]["deficiencies"][0]["message"], LACK);
    assert_eq!(first["read"], false);
    assert_eq!(body["unread_count"], json!(kinds.len()));
    // Who on staff decided stays in the audit log.
    assert!(!list.text.contains(&specialist_id), "{}", list.text);

    // Newest first, in pages that neither repeat nor skip.
    let mut seen = Vec::new();
    let mut path = "/api/v1/me/notifications?limit=1".to_owned();
    loop {
        let page = app.get(&path, Some(&token)).json();
        assert_eq!(page["items"].as_array().unwrap().len(), 1, "{page}");
        seen.push(page["items"][0]["kind"].as_str().unwrap().to_owned());
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/me/notifications?limit=1&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, kinds);
}

fn marking_read_lowers_the_unread_count_once(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, _, _) = returned(&app);
    let body = app.get("/api/v1/me/notifications", Some(&token)).json();
    let unread = body["unread_count"].as_i64().unwrap();
    assert!(unread >= 4, "{body}");
    let first = body["items"][0]["id"].as_str().unwrap().to_owned();

    for _ in 0..2 {
        let read = app.post_bare(&format!("/api/v1/me/notifications/{first}/read"), &token);
        assert_eq!(read.status, 200, "{}", read.text);
        assert_eq!(read.json()["unread_count"], json!(unread - 1));
    }
    let after = app.get("/api/v1/me/notifications", Some(&token)).json();
    assert_eq!(after["items"][0]["read"], true);
    assert_eq!(after["items"][1]["read"], false);
    assert_eq!(after["unread_count"], json!(unread - 1));

    let dashboard = app.get("/api/v1/me/dashboard", Some(&token)).json();
    assert_eq!(
        dashboard["notifications"]["unread_count"],
        json!(unread - 1)
    );
    assert_eq!(
        dashboard["notifications"]["latest"][0]["kind"],
        "application.returned_as_deficient"
    );

    let all = app.post_bare("/api/v1/me/notifications/read-all", &token);
    assert_eq!(all.status, 200, "{}", all.text);
    let after = app.get("/api/v1/me/notifications", Some(&token)).json();
    assert_eq!(after["unread_count"], 0);
    assert!(
        after["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["read"] == true),
        "{after}"
    );
}

fn nobody_reads_or_marks_another_accounts_notifications(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, _, _) = returned(&app);
    let theirs = app.get("/api/v1/me/notifications", Some(&token)).json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let other = register(&app, "rroe", "rick.roe@example.org", "234-56-7890");
    let other = crate::support::access_token(&other);
    let list = app.get("/api/v1/me/notifications", Some(&other)).json();
    assert_eq!(list["items"], json!([]), "{list}");
    assert_eq!(list["unread_count"], 0);
    let read = app.post_bare(&format!("/api/v1/me/notifications/{theirs}/read"), &other);
    assert_eq!(read.status, 404, "{}", read.text);
    // Still unread for its owner.
    let mine = app.get("/api/v1/me/notifications", Some(&token)).json();
    assert_eq!(mine["items"][0]["read"], false);

    let (specialist, _) = staff(&app, Role::Specialist, "spec2");
    let refused = app.get("/api/v1/me/notifications", Some(&specialist));
    assert_eq!(refused.status, 403, "{}", refused.text);
    let anonymous = app.get("/api/v1/me/notifications", None);
    assert_eq!(anonymous.status, 401, "{}", anonymous.text);
    let bad = app.get("/api/v1/me/notifications?limit=0", Some(&token));
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(bad.problem_fields(), ["limit"]);
}

both_backends!(
    notifications_show_decisions_newest_first_with_their_details,
    marking_read_lowers_the_unread_count_once,
    nobody_reads_or_marks_another_accounts_notifications,
);
