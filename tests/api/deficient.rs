//! An application returned as deficient comes back editable, with Character
//! & Fitness cleared for re-entry; the audit log says who did what from
//! which request.

use crate::applications::{character_and_fitness_all_no, ready_applicant, start_level_1};
use kecs_api::workflows::RequestContext;
use kecs_domain::application::ElementKey;
use kecs_tests::{Backend, TestApp, both_backends};
use serde_json::json;

fn set_status(app: &TestApp, id: &str, status: &str) {
    use diesel::prelude::*;
    use kecs_persistence::schema::applications::dsl;
    app.state
        .db
        .transaction(|conn| {
            diesel::update(dsl::applications.filter(dsl::id.eq(id)))
                .set(dsl::status.eq(status))
                .execute(conn)
                .map_err(kecs_persistence::PersistenceError::from)
        })
        .unwrap();
}

fn a_deficient_application_needs_character_and_fitness_again(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/applications/{id}/character-and-fitness");
    assert_eq!(
        app.put_as(&path, &token, &character_and_fitness_all_no())
            .status,
        200
    );
    assert_eq!(
        app.put_as(&path, &token, &character_and_fitness_all_no())
            .status,
        409,
        "final once submitted"
    );

    // Payment and assignment come with later issues: stand the application
    // where review leaves it.
    set_status(&app, &id, "pending_review");
    let reviewer = RequestContext {
        now: kecs_api::workflows::now(),
        request_id: Some("review-req-1".into()),
        client_address: None,
    };
    let returned = kecs_api::workflows::applications::return_as_deficient(
        &app.state,
        &reviewer,
        "specialist-1",
        &id,
        &[(
            ElementKey::Topics,
            "List the topics your training covered.".to_owned(),
        )],
    )
    .unwrap();
    assert_eq!(returned.status.as_str(), "deficient");

    let overview = app
        .get(&format!("/api/v1/applications/{id}"), Some(&token))
        .json();
    assert_eq!(overview["status"], "deficient");
    let cf = overview["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == "character_and_fitness")
        .unwrap();
    assert_eq!(cf["status"], "not_started", "{cf}");
    assert!(
        app.get(
            &format!("/api/v1/applications/{id}/elements/character_and_fitness"),
            Some(&token)
        )
        .json()["data"]
            .is_null()
    );
    // Its answers have their own route: the element path takes no PUT.
    let put = app.put_as(
        &format!("/api/v1/applications/{id}/elements/character_and_fitness"),
        &token,
        &json!({}),
    );
    assert_eq!(put.status, 405, "{}", put.text);
    assert_eq!(put.header("allow"), Some("GET"));
    // Editable again: the element and Character & Fitness are re-entered.
    assert_eq!(
        app.put_as(
            &format!("/api/v1/applications/{id}/elements/topics"),
            &token,
            &json!({"topics": ["child_assessments"]})
        )
        .status,
        200
    );
    assert_eq!(
        app.put_as(&path, &token, &character_and_fitness_all_no())
            .status,
        200
    );
    let mail = app.wait_for_mail("jane.doe@example.org", "needs changes");
    assert!(mail.body.contains("List the topics"), "{mail:?}");

    // A second return is refused: it is no longer under review.
    let again = kecs_api::workflows::applications::return_as_deficient(
        &app.state,
        &reviewer,
        "specialist-1",
        &id,
        &[],
    );
    assert!(again.is_err());
}

fn every_change_is_audited_with_its_request_id(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let saved = app.send_with(
        "PUT",
        &format!("/api/v1/applications/{id}/elements/topics"),
        &token,
        &[("x-request-id", "trace-topics-1")],
        &json!({"topics": ["child_assessments"]}),
    );
    assert_eq!(saved.status, 200);
    let events: Vec<(String, Option<String>, Option<String>)> = app
        .state
        .db
        .read(|conn| {
            use diesel::prelude::*;
            use kecs_persistence::schema::audit_events::dsl;
            dsl::audit_events
                .filter(dsl::subject_id.eq(&id))
                .select((dsl::action, dsl::actor_account_id, dsl::request_id))
                .load(conn)
                .map_err(kecs_persistence::PersistenceError::from)
        })
        .unwrap();
    let saved_event = events
        .iter()
        .find(|(action, _, _)| action == "application.element_saved")
        .unwrap();
    assert_eq!(saved_event.2.as_deref(), Some("trace-topics-1"));
    assert!(saved_event.1.is_some(), "who did it");
    assert!(
        events
            .iter()
            .any(|(action, _, _)| action == "application.started")
    );
}

both_backends!(
    a_deficient_application_needs_character_and_fitness_again,
    every_change_is_audited_with_its_request_id,
);
