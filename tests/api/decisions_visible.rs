//! Issue 12: the person a decision concerns reads it. A denied applicant sees
//! the cited reasons, until when a review may be asked for (Sec. 14(3)(b)),
//! the review with its due date, extension and written order (Sec.
//! 14(3)(c)), and what comes next; a revoked credential's holder sees the
//! ground, the facts found and when they may apply again (Sec. 15).

use crate::applications::ready_applicant;
use crate::credentials::{account_id, held_credential, under_review};
use crate::support::staff;
use chrono::{Days, NaiveDate};
use kecs_domain::account::Role;
use kecs_domain::rules::Level;
use kecs_domain::rules::deadlines::{
    denial_review_order_deadline, denial_review_request_deadline, reapplication_allowed_on,
};
use kecs_tests::{Backend, TestApp, both_backends};
use serde_json::{Value, json};

fn today() -> NaiveDate {
    kecs_api::workflows::now().date()
}

fn overview(app: &TestApp, token: &str, id: &str) -> Value {
    let reply = app.get(&format!("/api/v1/applications/{id}"), Some(token));
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()
}

/// The applicant's denial, checked to carry none of the staff's accounts.
fn denial(app: &TestApp, token: &str, id: &str, staff_ids: &[&str]) -> Value {
    let denial = overview(app, token, id)["denial"].clone();
    let text = denial.to_string();
    for staff_id in staff_ids {
        assert!(!text.contains(staff_id), "staff account shown: {text}");
    }
    denial
}

fn the_applicant_follows_a_denial_through_its_review(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id, specialist) = under_review(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let specialist_id = account_id(&app, "spec-jdoe");
    let (admin, admin_id) = staff(&app, Role::Admin, "admin1");
    let staff_ids = [specialist_id.as_str(), admin_id.as_str()];
    assert_eq!(
        overview(&app, &token, &id)["denial"],
        Value::Null,
        "never denied"
    );

    let denied = app.post_as(
        &format!("/api/v1/review/applications/{id}/deny"),
        &specialist,
        &json!({"reasons": [
            {"citation": "922 KAR 2:240 Section 5(1)", "message": "Under three years of experience."},
            {"citation": "922 KAR 2:240 Section 3(1)(a)", "message": "The transcript is not official."},
        ]}),
    );
    assert_eq!(denied.status, 200, "{}", denied.text);
    let request_by = denial_review_request_deadline(today()).to_string();
    let seen = denial(&app, &token, &id, &staff_ids);
    assert_eq!(seen["denied_on"], today().to_string().as_str(), "{seen}");
    assert_eq!(
        seen["reasons"],
        json!([
            {"citation": "922 KAR 2:240 Section 5(1)", "message": "Under three years of experience."},
            {"citation": "922 KAR 2:240 Section 3(1)(a)", "message": "The transcript is not official."},
        ])
    );
    assert_eq!(seen["review_request_by"], request_by.as_str());
    assert_eq!(
        request_by,
        (today() + Days::new(10)).to_string(),
        "Sec. 14(3)(b)"
    );
    assert_eq!(seen["review"], Value::Null, "{seen}");
    assert_eq!(seen["next_step"]["kind"], "review_may_be_requested");
    assert_eq!(seen["next_step"]["date"], request_by.as_str());
    assert_eq!(
        seen["next_step"]["message"],
        format!("You may ask for a review of this denial until {request_by}.").as_str()
    );

    // Nobody else reads it, and the reviewer's file is as it was: one
    // `denial`, the staff's case.
    let other = ready_applicant(&app, "rroe", "rich.roe@example.org", "234-56-7890");
    let foreign = app.get(&format!("/api/v1/applications/{id}"), Some(&other));
    assert_eq!(foreign.status, 404, "{}", foreign.text);
    let file = app.get(&format!("/api/v1/review/applications/{id}"), Some(&admin));
    assert_eq!(file.status, 200, "{}", file.text);
    assert_eq!(file.text.matches("\"denial\"").count(), 1, "{}", file.text);
    let file = file.json();
    assert_eq!(file["denial"]["application_id"], id.as_str());
    assert_eq!(file["denial"]["overdue"], false);
    assert!(file["ready_for_payment"].is_boolean(), "{file}");
    assert!(file["denial"].get("next_step").is_none(), "{file}");

    let requested = app.post_as(
        &format!("/api/v1/applications/{id}/denial-review"),
        &token,
        &json!({"statement": "My employer letter shows four years."}),
    );
    assert_eq!(requested.status, 201, "{}", requested.text);
    let due = denial_review_order_deadline(today()).to_string();
    let seen = denial(&app, &token, &id, &staff_ids);
    let review = &seen["review"];
    assert!(review["requested_at"].is_string(), "{seen}");
    assert_eq!(review["statement"], "My employer letter shows four years.");
    assert_eq!(review["order_due_on"], due.as_str(), "Sec. 14(3)(c)");
    assert_eq!(review["extension"], Value::Null);
    assert_eq!(review["decision"], Value::Null);
    assert_eq!(review["order"], Value::Null);
    assert_eq!(review["decided_at"], Value::Null);
    assert_eq!(seen["review_request_by"], request_by.as_str());
    assert_eq!(seen["next_step"]["kind"], "order_due");
    assert_eq!(seen["next_step"]["date"], due.as_str());
    assert_eq!(
        seen["next_step"]["message"],
        format!("Your review was requested; the written order is due by {due}.").as_str()
    );

    let decide_by = (today() + Days::new(45)).to_string();
    let extended = app.post_as(
        &format!("/api/v1/admin/denial-reviews/{id}/extension"),
        &admin,
        &json!({"reason": "Waiting on the employer's records.", "decide_by": decide_by}),
    );
    assert_eq!(extended.status, 200, "{}", extended.text);
    let seen = denial(&app, &token, &id, &staff_ids);
    assert_eq!(
        seen["review"]["extension"],
        json!({
            "until": decide_by,
            "reason": "Waiting on the employer's records.",
            "notified_on": today().to_string(),
        })
    );
    assert_eq!(seen["review"]["order_due_on"], decide_by.as_str());
    assert_eq!(seen["next_step"]["kind"], "order_extended");
    assert_eq!(seen["next_step"]["date"], decide_by.as_str());

    let order = "The denial stands: the experience shown is under three years.";
    let decided = app.post_as(
        &format!("/api/v1/admin/denial-reviews/{id}/decision"),
        &admin,
        &json!({"decision": "upheld", "order": order}),
    );
    assert_eq!(decided.status, 200, "{}", decided.text);
    let seen = denial(&app, &token, &id, &staff_ids);
    assert_eq!(seen["review"]["decision"], "upheld");
    assert_eq!(seen["review"]["order"], order);
    assert!(seen["review"]["decided_at"].is_string(), "{seen}");
    assert_eq!(seen["next_step"]["kind"], "upheld");
    assert_eq!(seen["next_step"]["date"], today().to_string().as_str());
    assert!(
        seen["next_step"]["message"]
            .as_str()
            .unwrap()
            .starts_with("The denial was upheld on review"),
        "{seen}"
    );
}

/// An overturned denial is still shown on the (now approved) application,
/// with the order that overturned it.
fn an_overturned_denial_stays_on_the_approved_application(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id, specialist) = under_review(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let (admin, _) = staff(&app, Role::Admin, "admin1");
    let denied = app.post_as(
        &format!("/api/v1/review/applications/{id}/deny"),
        &specialist,
        &json!({"reasons": [{"citation": "922 KAR 2:240 Section 5(1)", "message": "Under three years."}]}),
    );
    assert_eq!(denied.status, 200, "{}", denied.text);
    let requested = app.post_as(
        &format!("/api/v1/applications/{id}/denial-review"),
        &token,
        &json!({"statement": "Four years."}),
    );
    assert_eq!(requested.status, 201, "{}", requested.text);
    let overturned = app.post_as(
        &format!("/api/v1/admin/denial-reviews/{id}/decision"),
        &admin,
        &json!({"decision": "overturned", "order": "The employer's letter shows four years."}),
    );
    assert_eq!(overturned.status, 200, "{}", overturned.text);
    let seen = overview(&app, &token, &id);
    assert_eq!(seen["status"], "approved");
    assert_eq!(seen["denial"]["review"]["decision"], "overturned", "{seen}");
    assert_eq!(
        seen["denial"]["review"]["order"],
        "The employer's letter shows four years."
    );
    assert_eq!(seen["denial"]["next_step"]["kind"], "overturned");
}

fn a_revoked_credential_shows_its_ground_and_when_its_holder_may_reapply(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let number = held_credential(&app, "jdoe", Level::Level3, today() - Days::new(100));
    let path = format!("/api/v1/credentials/{number}");
    assert_eq!(
        app.get(&path, Some(&token)).json()["revocation"],
        Value::Null
    );

    let (admin, admin_id) = staff(&app, Role::Admin, "admin1");
    let statement = "Attendance was entered for a session that never took place.";
    let revoked = app.post_as(
        &format!("/api/v1/admin/credentials/{number}/revoke"),
        &admin,
        &json!({"reason": "training_rules_not_followed", "statement": statement}),
    );
    assert_eq!(revoked.status, 200, "{}", revoked.text);

    let reapply_from = reapplication_allowed_on(today()).to_string();
    let expected = json!({
        "reason": "training_rules_not_followed",
        "ground": "failed to comply with the requirements of Section 11 or 12",
        "citation": "922 KAR 2:240 Section 15(1)(b)",
        "explanation": statement,
        "revoked_on": today().to_string(),
        "reapply_from": reapply_from,
        "hearing_requested_at": null,
        "hearing": null,
        // None cited: the events concerned are optional (Sec. 15(1)(b)).
        "training_events": [],
    });
    let held = app.get(&path, Some(&token));
    assert_eq!(held.status, 200, "{}", held.text);
    assert_eq!(held.json()["revocation"], expected);
    assert!(!held.text.contains(&admin_id), "who revoked is not shown");
    assert_eq!(
        app.get("/api/v1/me/credentials", Some(&token)).json()["items"][0]["revocation"],
        expected
    );
    // Sec. 15(2)(b): two years from the revocation.
    assert_eq!(
        reapply_from,
        kecs_domain::rules::calendar::add_years(today(), 2).to_string()
    );

    let heard = app.post_as(
        &format!("{path}/hearing-request"),
        &token,
        &json!({"statement": "The session took place; here is the sign-in sheet."}),
    );
    assert_eq!(heard.status, 201, "{}", heard.text);
    let revocation = app.get(&path, Some(&token)).json()["revocation"].clone();
    assert!(
        revocation["hearing"]["requested_at"].is_string(),
        "{revocation}"
    );
    assert_eq!(
        revocation["hearing"]["requested_at"],
        revocation["hearing_requested_at"]
    );
    assert_eq!(
        revocation["hearing"]["statement"],
        "The session took place; here is the sign-in sheet."
    );

    // Nobody else reads it; staff still do.
    let other = ready_applicant(&app, "rroe", "rich.roe@example.org", "234-56-7890");
    assert_eq!(app.get(&path, Some(&other)).status, 404);
    let by_staff = app.get(&path, Some(&admin));
    assert_eq!(by_staff.status, 200, "{}", by_staff.text);
    assert_eq!(by_staff.json()["revocation"]["explanation"], statement);
}

both_backends!(
    the_applicant_follows_a_denial_through_its_review,
    an_overturned_denial_stays_on_the_approved_application,
    a_revoked_credential_shows_its_ground_and_when_its_holder_may_reapply,
);
