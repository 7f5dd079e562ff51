//! Cabinet-approved training agencies through the API (Sec. 18): the
//! DCC-203 received and decided within 45 days, overdue from day 46, an
//! approval that confirms it does not rest on density alone (18(2)), and
//! the public list by district without personal data.

use crate::support::{access_token, register, staff};
use chrono::Days;
use kecs_domain::account::Role;
use kecs_tests::{Backend, TestApp, both_backends};
use serde_json::{Value, json};

fn today() -> chrono::NaiveDate {
    kecs_api::workflows::now().date()
}

fn applicant(app: &TestApp, n: u32) -> String {
    let username = format!("agent{n}");
    access_token(&register(
        app,
        &username,
        &format!("{username}@example.org"),
        &format!("{:03}-66-{:04}", 300 + n, 4000 + n),
    ))
}

fn dcc_203(name: &str, district: &str) -> Value {
    json!({
        "name": name,
        "district": district,
        "county": "Fayette",
        "address": "200 Main St, Lexington, KY 40507",
        "email": "director@agency.example.org",
        "phone": "859-555-0100",
        "instruction": {"commonwealth_child_care_credential": true, "child_development_associate": true},
    })
}

fn apply(app: &TestApp, token: &str, body: &Value) -> String {
    let reply = app.post_as("/api/v1/training-agencies", token, body);
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json()["id"].as_str().unwrap().to_owned()
}

fn received_days_ago(app: &TestApp, id: &str, days: u64) {
    let received = today() - Days::new(days);
    let due = kecs_domain::rules::deadlines::agency_application_decision_due(received);
    use diesel::RunQueryDsl;
    app.state
        .db
        .transaction(|conn| {
            diesel::sql_query(format!(
                "UPDATE training_agencies SET received_on = '{received}', decision_due_on = '{due}' WHERE id = '{id}'"
            ))
            .execute(conn)
            .map_err(kecs_persistence::PersistenceError::from)
        })
        .unwrap();
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

fn an_application_is_received_and_overdue_from_day_46(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = applicant(&app, 1);
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    let day_45 = apply(&app, &token, &dcc_203("Forty-Five", "bluegrass"));
    let day_46 = apply(&app, &token, &dcc_203("Forty-Six", "kipda"));
    let read = app.get(&format!("/api/v1/training-agencies/{day_45}"), Some(&token));
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.json()["status"], "submitted");
    assert_eq!(read.json()["received_on"], today().to_string());
    assert_eq!(
        read.json()["decision_due_on"],
        (today() + Days::new(45)).to_string()
    );
    app.drain_outbox();
    let mails = app.wait_for_mails(
        "agent1@example.org",
        "training agency application was received",
        2,
    );
    assert_eq!(mails.len(), 2);
    let mail = mails
        .iter()
        .find(|m| m.body.contains("Forty-Five"))
        .unwrap();
    assert!(mail.body.contains("Section 18(1)(b)"), "{}", mail.body);

    received_days_ago(&app, &day_45, 45);
    received_days_ago(&app, &day_46, 46);
    let overdue = app.get(
        "/api/v1/review/training-agencies?overdue=true",
        Some(&specialist),
    );
    assert_eq!(overdue.status, 200, "{}", overdue.text);
    assert_eq!(ids(&overdue.json()), std::slice::from_ref(&day_46));
    assert_eq!(overdue.json()["items"][0]["overdue"], true);
    let queue = app
        .get("/api/v1/review/training-agencies", Some(&specialist))
        .json();
    assert_eq!(
        ids(&queue),
        [day_46.clone(), day_45.clone()],
        "earliest due first"
    );
    let mine = app.get("/api/v1/me/training-agencies", Some(&token)).json();
    assert_eq!(mine["items"].as_array().unwrap().len(), 2);

    // Another applicant does not see it; an applicant has no queue.
    let stranger = applicant(&app, 2);
    assert_eq!(
        app.get(
            &format!("/api/v1/training-agencies/{day_45}"),
            Some(&stranger)
        )
        .status,
        404
    );
    assert_eq!(
        app.get("/api/v1/review/training-agencies", Some(&token))
            .status,
        403
    );
    assert_eq!(
        app.post_as(
            &format!("/api/v1/review/training-agencies/{day_45}/approve"),
            &token,
            &json!({"reasons": "Mine", "not_solely_density": true})
        )
        .status,
        403
    );
    // Nothing offered, a county that is not Kentucky's: every field at once.
    let mut bad = dcc_203("Bad", "bluegrass");
    bad["county"] = json!("Cook");
    bad["instruction"] =
        json!({"commonwealth_child_care_credential": false, "child_development_associate": false});
    let refused = app.post_as("/api/v1/training-agencies", &token, &bad);
    assert_eq!(refused.status, 422, "{}", refused.text);
    let mut fields = refused.problem_fields();
    fields.sort();
    assert_eq!(fields, ["county", "instruction"]);
}

fn an_approval_confirms_sec_18_2_and_lists_the_agency_publicly(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = applicant(&app, 1);
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    let id = apply(
        &app,
        &token,
        &dcc_203("Bluegrass Early Learning Institute", "bluegrass"),
    );
    let path = format!("/api/v1/review/training-agencies/{id}/approve");
    let unconfirmed = app.post_as(
        &path,
        &specialist,
        &json!({"reasons": "Meets the DCC-203."}),
    );
    assert_eq!(unconfirmed.status, 422, "{}", unconfirmed.text);
    let error = &unconfirmed.json()["errors"][0];
    assert_eq!(error["field"], "not_solely_density");
    assert_eq!(error["rule"], "sec18_2_not_solely_density");
    assert_eq!(error["citation"], "922 KAR 2:240 Section 18(2)");
    assert_eq!(
        app.get("/api/v1/public/training-agencies", None).json()["items"],
        json!([])
    );

    let approved = app.post_as(
        &path,
        &specialist,
        &json!({"reasons": "Meets the DCC-203; the district's other agencies were not a factor.", "not_solely_density": true}),
    );
    assert_eq!(approved.status, 200, "{}", approved.text);
    assert_eq!(approved.json()["status"], "approved");
    assert_eq!(approved.json()["decided_on"], today().to_string());
    let again = app.post_as(
        &format!("/api/v1/review/training-agencies/{id}/deny"),
        &specialist,
        &json!({"reasons": "Changed my mind."}),
    );
    assert_eq!(again.status, 409, "{}", again.text);
    assert_eq!(again.code(), "agency_already_decided");
    app.drain_outbox();
    let mail = app.wait_for_mail("agent1@example.org", "is cabinet-approved");
    assert!(
        mail.body.contains("other agencies were not a factor"),
        "{}",
        mail.body
    );
    let notes = app.get("/api/v1/me/notifications", Some(&token)).json();
    assert_eq!(
        notes["items"][0]["kind"], "training_agency.approved",
        "{notes}"
    );
    assert_eq!(
        notes["items"][0]["subject"]["href"],
        format!("/api/v1/training-agencies/{id}")
    );

    let public = app.get("/api/v1/public/training-agencies", None);
    assert_eq!(public.status, 200, "{}", public.text);
    let item = public.json()["items"][0].as_object().unwrap().clone();
    let mut fields: Vec<&str> = item.keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "approved_on",
            "county",
            "district",
            "id",
            "instruction",
            "name"
        ]
    );
    for personal in [
        "director@agency.example.org",
        "+18595550100",
        "859-555-0100",
        "200 Main St",
        "agent1",
    ] {
        assert!(
            !public.text.contains(personal),
            "{personal} in {}",
            public.text
        );
    }
    assert_eq!(item["district"], "bluegrass");
}

fn the_public_list_is_paginated_and_filtered_by_district(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = applicant(&app, 1);
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    for (name, district) in [
        ("Charlie", "purchase"),
        ("Alpha", "purchase"),
        ("Bravo", "pennyrile"),
        ("Delta", "purchase"),
    ] {
        let id = apply(&app, &token, &dcc_203(name, district));
        if name != "Delta" {
            let approved = app.post_as(
                &format!("/api/v1/review/training-agencies/{id}/approve"),
                &specialist,
                &json!({"reasons": "Meets the DCC-203.", "not_solely_density": true}),
            );
            assert_eq!(approved.status, 200, "{}", approved.text);
        }
    }
    let names = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let first = app
        .get("/api/v1/public/training-agencies?limit=2", None)
        .json();
    assert_eq!(names(&first), ["Alpha", "Bravo"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = app
        .get(
            &format!("/api/v1/public/training-agencies?limit=2&cursor={cursor}"),
            None,
        )
        .json();
    assert_eq!(names(&second), ["Charlie"]);
    assert_eq!(second["next_cursor"], Value::Null);
    let purchase = app
        .get("/api/v1/public/training-agencies?district=purchase", None)
        .json();
    assert_eq!(names(&purchase), ["Alpha", "Charlie"]);
    let bad = app.get("/api/v1/public/training-agencies?district=appalachia", None);
    assert_eq!(bad.status, 422, "{}", bad.text);
}

fn session(first: &str, part: &str, hours: u32, given_on: chrono::NaiveDate) -> Value {
    json!({
        "first_name": first,
        "last_name": "Trainee",
        "date_of_birth": "1995-06-30",
        "part": part,
        "minutes": hours * 60,
        "given_on": given_on.to_string(),
    })
}

fn an_agency_gives_sixty_hours_then_sixty_more_within_two_years(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = applicant(&app, 1);
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    let id = apply(
        &app,
        &token,
        &dcc_203("Bluegrass Early Learning Institute", "bluegrass"),
    );
    let path = format!("/api/v1/training-agencies/{id}/instruction");
    const A: &str = "commonwealth_child_care_credential";
    const B: &str = "child_development_associate";
    let early = app.post_as(&path, &token, &session("Ann", A, 10, today()));
    assert_eq!(early.status, 409, "{}", early.text);
    assert_eq!(early.code(), "agency_not_approved");
    app.post_as(
        &format!("/api/v1/review/training-agencies/{id}/approve"),
        &specialist,
        &json!({"reasons": "Meets the DCC-203.", "not_solely_density": true}),
    );

    let first = app.post_as(&path, &token, &session("Ann", A, 40, today()));
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(
        first.json()["commonwealth_child_care_credential_hours"],
        40.0
    );
    let before_sixty = app.post_as(&path, &token, &session("Ann", B, 1, today()));
    assert_eq!(before_sixty.status, 422, "{}", before_sixty.text);
    assert_eq!(
        before_sixty.json()["errors"][0]["rule"],
        "sec18_3_b_after_the_first_sixty"
    );
    let over = app.post_as(&path, &token, &session("ANN", A, 21, today()));
    assert_eq!(over.status, 422, "{}", over.text);
    assert_eq!(over.json()["errors"][0]["rule"], "sec18_3_a_sixty_hours");
    assert_eq!(
        over.json()["errors"][0]["citation"],
        "922 KAR 2:240 Section 18(3)(a)"
    );
    let sixty = app.post_as(&path, &token, &session("Ann", A, 20, today()));
    assert_eq!(sixty.status, 201, "{}", sixty.text);
    let due = today().checked_add_months(chrono::Months::new(24)).unwrap();
    assert_eq!(
        sixty.json()["commonwealth_child_care_credential_completed_on"],
        today().to_string()
    );
    assert_eq!(
        sixty.json()["child_development_associate_due_by"],
        due.to_string()
    );
    let more = app.post_as(&path, &token, &session("Ann", B, 60, today()));
    assert_eq!(more.status, 201, "{}", more.text);
    let past = app.post_as(&path, &token, &session("Ann", B, 1, today()));
    assert_eq!(
        past.json()["errors"][0]["rule"],
        "sec18_3_b_sixty_hours",
        "{}",
        past.text
    );

    // Instruction before the approval was not an approved agency's.
    let yesterday = today() - Days::new(1);
    let before = app.post_as(&path, &token, &session("Bo", A, 1, yesterday));
    assert_eq!(before.status, 422, "{}", before.text);
    assert_eq!(
        before.json()["errors"][0]["rule"],
        "sec18_3_given_by_an_approved_agency"
    );
    // Approved four years ago, the first sixty finished three years ago:
    // the two years for the next sixty have ended.
    let four_years_ago = today().checked_sub_months(chrono::Months::new(48)).unwrap();
    {
        use diesel::RunQueryDsl;
        app.state
            .db
            .transaction(|conn| {
                diesel::sql_query(format!(
                    "UPDATE training_agencies SET decided_on = '{four_years_ago}' WHERE id = '{id}'"
                ))
                .execute(conn)
                .map_err(kecs_persistence::PersistenceError::from)
            })
            .unwrap();
    }
    let three_years_ago = today().checked_sub_months(chrono::Months::new(36)).unwrap();
    assert_eq!(
        app.post_as(&path, &token, &session("Bo", A, 60, three_years_ago))
            .status,
        201
    );
    let late = app.post_as(&path, &token, &session("Bo", B, 10, today()));
    assert_eq!(late.status, 422, "{}", late.text);
    assert_eq!(late.json()["errors"][0]["field"], "given_on");
    assert_eq!(
        late.json()["errors"][0]["rule"],
        "sec18_3_b_within_two_years"
    );

    // Two sessions at once cannot both fit under the sixty hours.
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    app.post_as(&path, &token, &session("Cy", A, 40, today()))
                        .status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut sorted = statuses.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [201, 422], "{statuses:?}");

    let trainees = app.get(
        &format!("/api/v1/training-agencies/{id}/trainees"),
        Some(&specialist),
    );
    assert_eq!(trainees.status, 200, "{}", trainees.text);
    let listed = trainees.json();
    let mut names: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["first_name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Ann", "Bo", "Cy"], "{}", trainees.text);
    let stranger = applicant(&app, 2);
    assert_eq!(
        app.get(
            &format!("/api/v1/training-agencies/{id}/trainees"),
            Some(&stranger)
        )
        .status,
        404
    );
    assert_eq!(
        app.post_as(&path, &stranger, &session("Dee", A, 1, today()))
            .status,
        404
    );
    let future = app.post_as(&path, &token, &session("Dee", A, 1, today() + Days::new(1)));
    assert_eq!(future.status, 422);
    assert_eq!(future.problem_fields(), ["given_on"]);
}

both_backends!(
    an_application_is_received_and_overdue_from_day_46,
    an_approval_confirms_sec_18_2_and_lists_the_agency_publicly,
    the_public_list_is_paginated_and_filtered_by_district,
    an_agency_gives_sixty_hours_then_sixty_more_within_two_years,
);
