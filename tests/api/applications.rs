//! Applying for a credential, up to the point of payment.

pub use crate::support::ALL_TOPICS;
use crate::support::{access_token, profile_update, register};
use kecs_tests::{Backend, Reply, TestApp, both_backends};
use serde_json::{Value, json};

/// A signed-in applicant with a complete profile and a confirmed email.
pub fn ready_applicant(app: &TestApp, username: &str, email: &str, ssn: &str) -> String {
    let token = access_token(&register(app, username, email, ssn));
    let confirmation = app.wait_for_mail(email, "Confirm");
    assert_eq!(
        app.post(
            "/api/v1/accounts/confirm-email",
            &json!({"token": confirmation.link_token()})
        )
        .status,
        204
    );
    assert_eq!(
        app.put_as("/api/v1/me/profile", &token, &profile_update(email))
            .status,
        200
    );
    token
}

pub fn start_level_1(app: &TestApp, token: &str) -> Value {
    let reply = app.post_as(
        "/api/v1/applications",
        token,
        &json!({"request_types": ["new_level_1"], "answers": {"first_time_applicant": true, "conducts_online_training": false}}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json()
}

fn element<'a>(overview: &'a Value, key: &str) -> &'a Value {
    overview["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == key)
        .unwrap_or_else(|| panic!("no {key} in {overview}"))
}

fn put_element(app: &TestApp, token: &str, id: &str, key: &str, body: &Value) -> Reply {
    app.put_as(
        &format!("/api/v1/applications/{id}/elements/{key}"),
        token,
        body,
    )
}

pub fn character_and_fitness_all_no() -> Value {
    let keys = [
        "criminal_conviction",
        "pending_charges",
        "child_abuse_or_neglect_finding",
        "trainer_credential_revoked",
        "credential_denied_or_disciplined_elsewhere",
        "falsified_record",
        "training_requirements_violation",
        "records_confidentiality_breach",
    ];
    json!({"answers": keys.iter().map(|k| json!({"key": k, "answer": false})).collect::<Vec<_>>()})
}

fn an_application_needs_a_ready_profile(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = access_token(&register(
        &app,
        "jdoe",
        "jane.doe@example.org",
        "123-45-6789",
    ));
    let body = json!({"request_types": ["new_level_1"], "answers": {"first_time_applicant": true, "conducts_online_training": false}});
    let refused = app.post_as("/api/v1/applications", &token, &body);
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.code(), "profile_incomplete");
    assert_eq!(
        refused.problem_fields(),
        ["profile.mailing_address", "profile.phone", "profile.email"]
    );
    assert!(refused.text.contains("resend-confirmation"));
    assert_eq!(
        app.get("/api/v1/applications", Some(&token)).json()["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

fn request_types_list_their_questions(backend: Backend) {
    let app = TestApp::spawn(backend);
    let reply = app.get("/api/v1/request-types", None);
    assert_eq!(reply.status, 200);
    let body = reply.json();
    let keys: Vec<&str> = body["request_types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["key"].as_str().unwrap())
        .collect();
    assert!(
        keys.contains(&"new_level_3")
            && keys.contains(&"renewal")
            && keys.contains(&"seminar_waiver"),
        "{keys:?}"
    );
    let level_3 = body["request_types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "new_level_3")
        .unwrap();
    let path = level_3["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["key"] == "qualification_path")
        .unwrap();
    assert_eq!(path["kind"], "choice");
    assert!(
        path["choices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["value"] == "sec7_1_a_2_ece_experience_and_related_bachelor")
    );
    assert_eq!(
        body["character_and_fitness_questions"]
            .as_array()
            .unwrap()
            .len(),
        8
    );
}

fn an_invalid_selection_is_refused_with_the_clause(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let waiver_with_level_1 = app.post_as(
        "/api/v1/applications",
        &token,
        &json!({"request_types": ["new_level_1", "seminar_waiver"], "answers": {"first_time_applicant": true, "conducts_online_training": false}}),
    );
    assert_eq!(
        waiver_with_level_1.status, 422,
        "{}",
        waiver_with_level_1.text
    );
    assert_eq!(waiver_with_level_1.code(), "invalid_selection");
    assert!(
        waiver_with_level_1.json()["citation"]
            .as_str()
            .unwrap()
            .contains("Section 3(4)"),
        "{}",
        waiver_with_level_1.text
    );
    let unknown = app.post_as(
        "/api/v1/applications",
        &token,
        &json!({"request_types": ["new_level_9"]}),
    );
    assert_eq!(unknown.status, 422);
    assert_eq!(unknown.problem_fields(), ["request_types[0]"]);
}

fn elements_are_saved_as_drafts_and_judged_by_the_rules(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let started = start_level_1(&app, &token);
    let id = started["id"].as_str().unwrap();
    assert_eq!(started["status"], "in_progress");
    assert_eq!(started["ready_for_payment"], false);
    assert_eq!(
        element(&started, "required_trainings")["status"],
        "not_started"
    );

    // A draft with too few hours is incomplete, and says why, citing Sec. 2(3).
    let draft = put_element(
        &app,
        &token,
        id,
        "required_trainings",
        &json!({"intro_training_clock_hours": 1.5}),
    );
    assert_eq!(draft.status, 200, "{}", draft.text);
    let draft = draft.json();
    assert_eq!(draft["status"], "incomplete");
    let missing = draft["missing"].as_array().unwrap();
    assert!(
        missing
            .iter()
            .any(|m| m["rule"] == "sec2_3_introduction_training"
                && m["citation"] == "922 KAR 2:240 Section 2(3)"
                && m["fields"] == json!(["intro_training_clock_hours"])),
        "{draft}"
    );
    assert!(!draft["requirements"].as_array().unwrap().is_empty());

    let done = put_element(
        &app,
        &token,
        id,
        "required_trainings",
        &json!({"intro_training_clock_hours": 2, "data_system_training_clock_hours": 2}),
    );
    assert_eq!(done.json()["status"], "complete", "{}", done.text);
    let read = app.get(
        &format!("/api/v1/applications/{id}/elements/required_trainings"),
        Some(&token),
    );
    assert_eq!(read.json()["data"]["intro_training_clock_hours"], 2.0);

    let foreign_field = put_element(
        &app,
        &token,
        id,
        "topics",
        &json!({"intro_training_clock_hours": 2}),
    );
    assert_eq!(foreign_field.status, 422);
    assert_eq!(
        foreign_field.problem_fields(),
        ["intro_training_clock_hours"]
    );
    // The refusal says which fields the element does take.
    assert_eq!(
        foreign_field.json()["errors"][0]["message"],
        "is not a field of the topics element, which takes: topics"
    );
    let unknown_topic = put_element(&app, &token, id, "topics", &json!({"topics": ["knitting"]}));
    assert_eq!(unknown_topic.problem_fields(), ["topics[0]"]);
    assert_eq!(
        put_element(&app, &token, id, "seminar", &json!({})).status,
        404,
        "Level 1 has no seminar element"
    );
    assert_eq!(
        put_element(&app, &token, id, "no_such_element", &json!({})).status,
        404
    );
}

fn a_stale_if_match_is_refused_with_412(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/applications/{id}/elements/topics");
    let etag = app
        .get(&path, Some(&token))
        .header("etag")
        .unwrap()
        .to_owned();
    let first = app.send_with(
        "PUT",
        &path,
        &token,
        &[("if-match", &etag)],
        &json!({"topics": ["child_assessments"]}),
    );
    assert_eq!(first.status, 200, "{}", first.text);
    assert_ne!(first.header("etag").unwrap(), etag);
    let second = app.send_with(
        "PUT",
        &path,
        &token,
        &[("if-match", &etag)],
        &json!({"topics": ALL_TOPICS}),
    );
    assert_eq!(second.status, 412, "{}", second.text);
    assert_eq!(second.code(), "precondition_failed");
    assert_eq!(
        app.get(&path, Some(&token)).json()["data"]["topics"],
        json!(["child_assessments"])
    );
}

fn concurrent_saves_from_one_version_let_exactly_one_win(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/applications/{id}/elements/topics");
    let etag = app
        .get(&path, Some(&token))
        .header("etag")
        .unwrap()
        .to_owned();
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = ALL_TOPICS
            .iter()
            .map(|topic| {
                let (app, path, token, etag) = (&app, &path, &token, &etag);
                scope.spawn(move || {
                    app.send_with(
                        "PUT",
                        path,
                        token,
                        &[("if-match", etag)],
                        &json!({"topics": [topic]}),
                    )
                    .status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 412),
        "{statuses:?}"
    );
}

fn character_and_fitness_needs_statements_and_is_final(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/applications/{id}/character-and-fitness");
    let mut yes_without_statement = character_and_fitness_all_no();
    yes_without_statement["answers"][0]["answer"] = json!(true);
    let refused = app.put_as(&path, &token, &yes_without_statement);
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(
        refused.problem_fields(),
        ["answers.criminal_conviction.statement"]
    );
    let mut missing_one = character_and_fitness_all_no();
    missing_one["answers"].as_array_mut().unwrap().pop();
    assert_eq!(app.put_as(&path, &token, &missing_one).status, 422);

    let mut with_statement = yes_without_statement.clone();
    with_statement["answers"][0]["statement"] = json!("A 2009 traffic misdemeanour, resolved.");
    let accepted = app.put_as(&path, &token, &with_statement);
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    assert_eq!(
        element(&accepted.json(), "character_and_fitness")["status"],
        "complete"
    );
    let again = app.put_as(&path, &token, &character_and_fitness_all_no());
    assert_eq!(again.status, 409);
    assert_eq!(again.code(), "element_final");
}

fn another_applicants_application_is_a_404(backend: Backend) {
    let app = TestApp::spawn(backend);
    let owner = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &owner)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = ready_applicant(&app, "other", "other@example.org", "123-45-6780");
    for path in [
        format!("/api/v1/applications/{id}"),
        format!("/api/v1/applications/{id}/elements/topics"),
    ] {
        let reply = app.get(&path, Some(&other));
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(
            reply.text,
            app.get(
                "/api/v1/applications/00000000-0000-0000-0000-000000000000",
                Some(&other)
            )
            .text
        );
    }
    assert_eq!(
        put_element(
            &app,
            &other,
            &id,
            "topics",
            &json!({"topics": ["child_assessments"]})
        )
        .status,
        404
    );
    assert_eq!(
        app.post_as(
            &format!("/api/v1/applications/{id}/withdraw"),
            &other,
            &json!({})
        )
        .status,
        404
    );
    assert_eq!(
        app.put_as(
            &format!("/api/v1/applications/{id}/character-and-fitness"),
            &other,
            &character_and_fitness_all_no()
        )
        .status,
        404
    );
    assert!(
        app.get("/api/v1/applications", Some(&other)).json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        app.get(&format!("/api/v1/applications/{id}"), None).status,
        401
    );
}

fn a_withdrawn_application_refuses_every_write(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let withdrawn = app.post_as(
        &format!("/api/v1/applications/{id}/withdraw"),
        &token,
        &json!({}),
    );
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.text);
    assert_eq!(withdrawn.json()["status"], "withdrawn");
    let write = put_element(
        &app,
        &token,
        &id,
        "topics",
        &json!({"topics": ["child_assessments"]}),
    );
    assert_eq!(write.status, 409);
    assert_eq!(write.code(), "application_not_editable");
    assert_eq!(
        app.post_as(
            &format!("/api/v1/applications/{id}/withdraw"),
            &token,
            &json!({})
        )
        .status,
        409
    );
}

fn an_expired_application_refuses_writes_with_the_reason(backend: Backend) {
    use diesel::prelude::*;
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let past = kecs_api::workflows::now() - chrono::Duration::days(1);
    app.state
        .db
        .transaction(|conn| {
            use kecs_persistence::schema::applications::dsl::*;
            diesel::update(applications.filter(kecs_persistence::schema::applications::id.eq(&id)))
                .set(expires_at.eq(past))
                .execute(conn)
                .map_err(kecs_persistence::PersistenceError::from)
        })
        .unwrap();
    let write = put_element(
        &app,
        &token,
        &id,
        "topics",
        &json!({"topics": ["child_assessments"]}),
    );
    assert_eq!(write.status, 409, "{}", write.text);
    assert_eq!(write.code(), "application_expired");
    assert!(write.json()["detail"].as_str().unwrap().contains("90 days"));
    // The refusal also marked it expired, without waiting for the sweep.
    assert_eq!(
        app.get(&format!("/api/v1/applications/{id}"), Some(&token))
            .json()["status"],
        "expired"
    );
}

fn applications_are_listed_newest_first_a_page_at_a_time(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let ids: Vec<String> = (0..3)
        .map(|_| {
            start_level_1(&app, &token)["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let first = app.get("/api/v1/applications?limit=2", Some(&token)).json();
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let second = app
        .get(
            &format!("/api/v1/applications?limit=2&cursor={cursor}"),
            Some(&token),
        )
        .json();
    let listed: Vec<String> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["items"].as_array().unwrap())
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    let mut newest_first = ids.clone();
    newest_first.reverse();
    assert_eq!(listed, newest_first);
    assert!(second["next_cursor"].is_null());
    assert_eq!(
        app.get("/api/v1/applications?limit=0", Some(&token))
            .problem_fields(),
        ["limit"]
    );
    assert_eq!(
        app.get("/api/v1/applications?cursor=garbage", Some(&token))
            .problem_fields(),
        ["cursor"]
    );
    assert_eq!(
        app.get("/api/v1/applications?limit=abc", Some(&token))
            .status,
        422
    );
}

both_backends!(
    an_application_needs_a_ready_profile,
    request_types_list_their_questions,
    an_invalid_selection_is_refused_with_the_clause,
    elements_are_saved_as_drafts_and_judged_by_the_rules,
    a_stale_if_match_is_refused_with_412,
    concurrent_saves_from_one_version_let_exactly_one_win,
    character_and_fitness_needs_statements_and_is_final,
    another_applicants_application_is_a_404,
    a_withdrawn_application_refuses_every_write,
    an_expired_application_refuses_writes_with_the_reason,
    applications_are_listed_newest_first_a_page_at_a_time,
);
