//! Review: submitted → pending review → deficient → resubmitted (no second
//! payment) → approved with a credential; and who may do what.

use crate::applications::character_and_fitness_all_no;
use crate::guide_walk::ready_for_payment;
use crate::support::{access_token, application_status as status, pay, staff};
use kecs_domain::account::Role;
use kecs_tests::{Backend, TestApp, both_backends};
use serde_json::json;

/// A paid, submitted Level 1 application: (applicant token, application id).
fn submitted(app: &TestApp) -> (String, String) {
    let (token, id) = ready_for_payment(app, "jdoe", "jane.doe@example.org", "123-45-6789");
    pay(app, &token, &id);
    (token, id)
}

fn the_life_of_an_application_through_review_to_a_credential(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id) = submitted(&app);
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    let (other_specialist, _) = staff(&app, Role::Specialist, "spec2");

    let queue = app.get("/api/v1/review/queue", Some(&specialist)).json();
    assert_eq!(queue["items"][0]["id"], id.as_str());
    assert_eq!(queue["items"][0]["applicant_name"], "Jane Doe");
    assert_eq!(queue["next_cursor"], serde_json::Value::Null);
    assert_eq!(app.get("/api/v1/review/queue", Some(&token)).status, 403);

    // Every field of the assignment is optional, so no body is needed.
    let assigned = app.post_bare(
        &format!("/api/v1/review/applications/{id}/assign"),
        &specialist,
    );
    assert_eq!(assigned.status, 200, "{}", assigned.text);
    assert_eq!(status(&app, &token, &id), "pending_review");
    assert_eq!(
        app.get("/api/v1/me/dashboard", Some(&token)).json()["applications"][0]["status"],
        "pending_review"
    );
    app.wait_for_mail("jane.doe@example.org", "pending review");
    assert!(
        app.get("/api/v1/review/queue", Some(&specialist)).json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let not_theirs = app.post_as(
        &format!("/api/v1/review/applications/{id}/approve"),
        &other_specialist,
        &json!({}),
    );
    assert_eq!(not_theirs.status, 409);
    assert_eq!(not_theirs.code(), "not_assigned_to_you");
    assert_eq!(
        app.post_as(
            &format!("/api/v1/review/applications/{id}/approve"),
            &token,
            &json!({})
        )
        .status,
        403
    );

    let returned = app.post_as(
        &format!("/api/v1/review/applications/{id}/return"),
        &specialist,
        &json!({"deficiencies": [{"element": "topics", "message": "Describe your training on each topic."}]}),
    );
    assert_eq!(returned.status, 200, "{}", returned.text);
    assert_eq!(status(&app, &token, &id), "deficient");
    let early = app.post_as(
        &format!("/api/v1/applications/{id}/resubmit"),
        &token,
        &json!({}),
    );
    assert_eq!(early.status, 409);
    assert!(
        early
            .problem_fields()
            .contains(&"elements.character_and_fitness".to_owned()),
        "{}",
        early.text
    );
    assert_eq!(
        app.put_as(
            &format!("/api/v1/applications/{id}/character-and-fitness"),
            &token,
            &character_and_fitness_all_no()
        )
        .status,
        200
    );
    // The element the specialist cited must be saved again too.
    assert_eq!(
        app.put_as(
            &format!("/api/v1/applications/{id}/elements/topics"),
            &token,
            &json!({"topics": crate::support::ALL_TOPICS})
        )
        .status,
        200
    );
    let resubmitted = app.post_as(
        &format!("/api/v1/applications/{id}/resubmit"),
        &token,
        &json!({}),
    );
    assert_eq!(resubmitted.status, 200, "{}", resubmitted.text);
    assert_eq!(status(&app, &token, &id), "submitted");
    let payments = app
        .state
        .db
        .read(|conn| kecs_persistence::repo::payments::for_application(conn, &id))
        .unwrap();
    assert_eq!(payments.len(), 1, "not paid again");

    app.post_as(
        &format!("/api/v1/review/applications/{id}/assign"),
        &specialist,
        &json!({}),
    );
    let approved = app.post_as(
        &format!("/api/v1/review/applications/{id}/approve"),
        &specialist,
        &json!({}),
    );
    assert_eq!(approved.status, 201, "{}", approved.text);
    let credential = approved.json();
    let number = credential["number"].as_str().unwrap().to_owned();
    let today = kecs_api::workflows::now().date();
    assert_eq!(
        number,
        format!("KYT-{}-000001", chrono::Datelike::year(&today))
    );
    assert_eq!(credential["level"], "level_1");
    assert_eq!(credential["renewable"], false, "Sec. 13(1)(b)");
    assert_eq!(
        credential["expires_on"],
        kecs_domain::rules::deadlines::credential_expires_on(today).to_string()
    );
    assert_eq!(status(&app, &token, &id), "approved");
    assert!(
        app.wait_for_mail("jane.doe@example.org", "approved")
            .body
            .contains(&number)
    );

    assert_eq!(
        app.get("/api/v1/me/credentials", Some(&token)).json()["items"][0]["number"],
        number.as_str()
    );
    assert_eq!(
        app.get("/api/v1/me/dashboard", Some(&token)).json()["active_credentials"][0]["number"],
        number.as_str()
    );
    assert_eq!(
        app.get(&format!("/api/v1/credentials/{number}"), Some(&token))
            .status,
        200
    );
    assert_eq!(
        app.get(&format!("/api/v1/credentials/{number}"), Some(&specialist))
            .status,
        200
    );
    let (stranger, _) = {
        let reply =
            crate::support::register(&app, "stranger", "stranger@example.org", "123-45-6780");
        (access_token(&reply), ())
    };
    assert_eq!(
        app.get(&format!("/api/v1/credentials/{number}"), Some(&stranger))
            .status,
        404
    );
    assert_eq!(
        app.post_as(
            &format!("/api/v1/review/applications/{id}/approve"),
            &specialist,
            &json!({})
        )
        .status,
        409
    );
}

fn who_may_assign(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id) = submitted(&app);
    let (specialist, specialist_id) = staff(&app, Role::Specialist, "spec1");
    let (admin, admin_id) = staff(&app, Role::Admin, "admin1");
    let path = format!("/api/v1/review/applications/{id}/assign");
    assert_eq!(app.post_as(&path, &token, &json!({})).status, 403);
    assert_eq!(
        app.post_as(&path, &specialist, &json!({"specialist_id": admin_id}))
            .status,
        403,
        "a specialist assigns only themself"
    );
    assert_eq!(
        app.post_as(&path, &admin, &json!({})).problem_fields(),
        ["specialist_id"]
    );
    assert_eq!(
        app.post_as(&path, &admin, &json!({"specialist_id": admin_id}))
            .problem_fields(),
        ["specialist_id"],
        "an admin is not a specialist"
    );
    assert_eq!(
        app.post_as(&path, &admin, &json!({"specialist_id": specialist_id}))
            .status,
        200
    );
    assert_eq!(status(&app, &token, &id), "pending_review");
    // A specialist cannot take what is already under review; an admin can re-assign.
    let (_, second_id) = staff(&app, Role::Specialist, "spec2");
    assert_eq!(app.post_as(&path, &specialist, &json!({})).status, 409);
    assert_eq!(
        app.post_as(&path, &admin, &json!({"specialist_id": second_id}))
            .status,
        200
    );
    let approve = app.post_as(
        &format!("/api/v1/review/applications/{id}/approve"),
        &specialist,
        &json!({}),
    );
    assert_eq!(approve.code(), "not_assigned_to_you");
    let bad_return = app.post_as(
        &format!("/api/v1/review/applications/{id}/return"),
        &specialist,
        &json!({"deficiencies": []}),
    );
    assert_eq!(bad_return.status, 422);
}

fn a_denial_cites_its_reasons_and_may_be_reviewed_within_ten_days(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id) = submitted(&app);
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    app.post_as(
        &format!("/api/v1/review/applications/{id}/assign"),
        &specialist,
        &json!({}),
    );
    let path = format!("/api/v1/review/applications/{id}/deny");
    let uncited = app.post_as(
        &path,
        &specialist,
        &json!({"reasons": [{"citation": "because", "message": "Not enough experience."}]}),
    );
    assert_eq!(uncited.status, 422);
    assert_eq!(uncited.problem_fields(), ["reasons[0].citation"]);
    assert_eq!(
        app.post_as(&path, &specialist, &json!({"reasons": []}))
            .problem_fields(),
        ["reasons"]
    );
    assert_eq!(
        app.post_as(&path, &token, &json!({"reasons": []})).status,
        403
    );

    let denied = app.post_as(
        &path,
        &specialist,
        &json!({"reasons": [{"citation": "922 KAR 2:240 Section 5(1)", "message": "The experience shown is under three years."}]}),
    );
    assert_eq!(denied.status, 200, "{}", denied.text);
    let today = kecs_api::workflows::now().date();
    let deadline = kecs_domain::rules::deadlines::denial_review_request_deadline(today).to_string();
    assert_eq!(denied.json()["review_request_deadline"], deadline.as_str());
    assert_eq!(status(&app, &token, &id), "denied");
    let mail = app.wait_for_mail("jane.doe@example.org", "denied");
    assert!(
        mail.body.contains("Section 5(1)") && mail.body.contains(&deadline),
        "{mail:?}"
    );

    let review = format!("/api/v1/applications/{id}/denial-review");
    assert_eq!(
        app.post_as(&review, &token, &json!({"statement": ""}))
            .problem_fields(),
        ["statement"]
    );
    let requested = app.post_as(
        &review,
        &token,
        &json!({"statement": "My employer letter shows four years."}),
    );
    assert_eq!(requested.status, 201, "{}", requested.text);
    assert!(requested.json()["order_due_on"].is_string());
    assert_eq!(
        app.post_as(&review, &token, &json!({"statement": "Again"}))
            .code(),
        "review_already_requested"
    );
}

fn a_review_request_after_ten_days_is_refused_with_the_clause(backend: Backend) {
    use diesel::prelude::*;
    let app = TestApp::spawn(backend);
    let (token, id) = submitted(&app);
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    app.post_as(
        &format!("/api/v1/review/applications/{id}/assign"),
        &specialist,
        &json!({}),
    );
    app.post_as(
        &format!("/api/v1/review/applications/{id}/deny"),
        &specialist,
        &json!({"reasons": [{"citation": "922 KAR 2:240 Section 5(1)", "message": "Under three years."}]}),
    );
    let eleven_days_ago = kecs_api::workflows::now().date() - chrono::Duration::days(11);
    app.state
        .db
        .transaction(|conn| {
            use kecs_persistence::schema::denials::dsl;
            diesel::update(dsl::denials.filter(dsl::application_id.eq(&id)))
                .set(dsl::denied_on.eq(eleven_days_ago))
                .execute(conn)
                .map_err(kecs_persistence::PersistenceError::from)
        })
        .unwrap();
    let late = app.post_as(
        &format!("/api/v1/applications/{id}/denial-review"),
        &token,
        &json!({"statement": "Please review."}),
    );
    assert_eq!(late.status, 422, "{}", late.text);
    assert_eq!(late.code(), "review_request_too_late");
    assert!(
        late.json()["citation"]
            .as_str()
            .unwrap()
            .contains("Section 14(3)"),
        "{}",
        late.text
    );
}

/// The queue is paged like every list, oldest submission first, and a
/// cursor that was not given out is refused.
fn the_queue_comes_in_pages(backend: Backend) {
    let app = TestApp::spawn(backend);
    let mut submitted_ids = Vec::new();
    for (username, ssn) in [
        ("first", "123-45-6781"),
        ("second", "123-45-6782"),
        ("third", "123-45-6783"),
    ] {
        let (token, id) =
            ready_for_payment(&app, username, &format!("{username}@example.org"), ssn);
        pay(&app, &token, &id);
        submitted_ids.push(id);
    }
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    let first = app
        .get("/api/v1/review/queue?limit=2", Some(&specialist))
        .json();
    let ids = |page: &serde_json::Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&first), submitted_ids[..2]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = app
        .get(
            &format!("/api/v1/review/queue?limit=2&cursor={cursor}"),
            Some(&specialist),
        )
        .json();
    assert_eq!(ids(&second), submitted_ids[2..]);
    assert_eq!(second["next_cursor"], serde_json::Value::Null);
    let forged = app.get(
        "/api/v1/review/queue?cursor=bm90LWEtY3Vyc29y",
        Some(&specialist),
    );
    assert_eq!(forged.status, 422);
    assert_eq!(forged.problem_fields(), ["cursor"]);
    let too_many = app.get("/api/v1/review/queue?limit=101", Some(&specialist));
    assert_eq!(too_many.problem_fields(), ["limit"]);
}

both_backends!(
    the_life_of_an_application_through_review_to_a_credential,
    the_queue_comes_in_pages,
    who_may_assign,
    a_denial_cites_its_reasons_and_may_be_reviewed_within_ten_days,
    a_review_request_after_ten_days_is_refused_with_the_clause,
);
