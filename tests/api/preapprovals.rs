//! Training approval through the API (Sec. 16–17): sponsors apply for
//! preapproval 30 days ahead, the cabinet decides within ten working days
//! that skip weekends, state holidays and the days it waits for
//! information, an uncredentialed presenter is named on at most five
//! applications a year, a denial is reviewed, a non-compliant sponsor is
//! barred for two years, and the public list shows approved trainings
//! without personal data.
//!
//! The clock is the wall clock; where a test needs an earlier day it moves
//! the rows' dates back, as the sweeper tests do.

use crate::support::{access_token, register, staff};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use kecs_domain::account::Role;
use kecs_tests::{Backend, Reply, TestApp, both_backends};
use serde_json::{Value, json};

const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

fn today() -> NaiveDate {
    kecs_api::workflows::now().date()
}

fn in_days(days: i64) -> NaiveDate {
    today() + chrono::Duration::days(days)
}

/// A representative signed in, and the sponsor they registered.
fn registered_sponsor(app: &TestApp, n: u32) -> (String, String) {
    let username = format!("rep{n}");
    let token = access_token(&register(
        app,
        &username,
        &format!("{username}@example.org"),
        &format!("{:03}-55-{:04}", 200 + n, 3000 + n),
    ));
    let reply = app.post_as(
        "/api/v1/sponsors",
        &token,
        &json!({
            "name": format!("Bluegrass Child Care Council {n}"),
            "email": format!("council{n}@example.org"),
            "phone": "502-555-0100",
            "address": "100 Main St, Frankfort, KY 40601",
        }),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    (token, reply.json()["id"].as_str().unwrap().to_owned())
}

fn presenter(first: &str) -> Value {
    json!({
        "first_name": first,
        "last_name": "Presenter",
        "email": format!("{}@example.org", first.to_lowercase()),
        "date_of_birth": "1975-04-12",
    })
}

fn workshop(title: &str, starts_on: NaiveDate, presenters: Vec<Value>) -> Value {
    json!({
        "kind": "workshop",
        "title": title,
        "starts_on": starts_on.to_string(),
        "ends_on": starts_on.to_string(),
        "minutes": 120,
        "delivery": {"face_to_face": true},
        "topics": ["health_safety_nutrition"],
        "purposes": ["child_care_training_requirements"],
        "county": "Franklin",
        "presenters": presenters,
    })
}

fn online(title: &str, starts_on: NaiveDate) -> Value {
    json!({
        "kind": "online_training",
        "title": title,
        "starts_on": starts_on.to_string(),
        "ends_on": starts_on.to_string(),
        "minutes": 90,
        "delivery": {"face_to_face": false, "synchronous": false, "modes": ["watching_video", "discussion", "assignment"], "gauges_participation": true},
        "topics": ["child_growth_and_development"],
        "purposes": ["cda"],
        "presenters": [presenter("Olive")],
    })
}

fn draft(app: &TestApp, token: &str, sponsor: &str, body: &Value) -> String {
    let reply = app.post_as(
        &format!("/api/v1/sponsors/{sponsor}/preapprovals"),
        token,
        body,
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json()["id"].as_str().unwrap().to_owned()
}

fn attach(app: &TestApp, token: &str, id: &str, position: u32) -> Reply {
    app.post_multipart(
        &format!("/api/v1/preapprovals/{id}/presenters/{position}/resume"),
        token,
        &[("file", Some("resume.pdf"), PDF)],
    )
}

fn submit(app: &TestApp, token: &str, id: &str) -> Reply {
    app.send(
        "POST",
        &format!("/api/v1/preapprovals/{id}/submit"),
        Some(token),
        "application/json",
        Vec::new(),
    )
}

/// Drafts, attaches every presenter's résumé and submits: the id.
fn apply(app: &TestApp, token: &str, sponsor: &str, body: &Value) -> String {
    let id = draft(app, token, sponsor, body);
    for position in 1..=body["presenters"].as_array().unwrap().len() {
        let attached = attach(app, token, &id, u32::try_from(position).unwrap());
        assert_eq!(attached.status, 200, "{}", attached.text);
    }
    let submitted = submit(app, token, &id);
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    id
}

/// (field, rule, citation) of every error of a problem.
fn unmet(reply: &Reply) -> Vec<(String, String, String)> {
    reply.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or("").to_owned(),
                e["rule"].as_str().unwrap_or("").to_owned(),
                e["citation"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// The `n`-th working day after `from`, skipping weekends and `skip`
/// (written here independently of the server's calendar).
fn working_day_after(from: NaiveDate, n: u32, skip: &[NaiveDate]) -> NaiveDate {
    let mut day = from;
    let mut counted = 0;
    while counted < n {
        day = day + Days::new(1);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !skip.contains(&day) {
            counted += 1;
        }
    }
    day
}

fn run_sql(app: &TestApp, sql: &str) {
    use diesel::RunQueryDsl;
    app.state
        .db
        .transaction(|conn| {
            diesel::sql_query(sql)
                .execute(conn)
                .map_err(kecs_persistence::PersistenceError::from)
        })
        .unwrap();
}

fn get(app: &TestApp, token: &str, id: &str) -> Value {
    let reply = app.get(&format!("/api/v1/preapprovals/{id}"), Some(token));
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()
}

fn applications_are_due_thirty_days_before_the_event(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, sponsor) = registered_sponsor(&app, 1);
    let ahead_31 = apply(
        &app,
        &token,
        &sponsor,
        &workshop("Ahead", in_days(31), vec![presenter("Ann")]),
    );
    assert_eq!(get(&app, &token, &ahead_31)["status"], "submitted");
    assert_eq!(
        get(&app, &token, &ahead_31)["received_on"],
        today().to_string()
    );

    let late = draft(
        &app,
        &token,
        &sponsor,
        &workshop("Late", in_days(29), vec![presenter("Ann")]),
    );
    assert_eq!(attach(&app, &token, &late, 1).status, 200);
    let refused = submit(&app, &token, &late);
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.code(), "preapproval_refused");
    assert_eq!(
        unmet(&refused),
        [(
            "starts_on".to_owned(),
            "sec16_2_apply_thirty_days_before".to_owned(),
            "922 KAR 2:240 Section 16(2)".to_owned()
        )]
    );
    let read = get(&app, &token, &late);
    assert_eq!(read["status"], "draft");
    assert_eq!(read["apply_by"], in_days(-1).to_string());

    // Every rule at once: no résumé (16(4)(b)) and too late (16(2)).
    let both = draft(
        &app,
        &token,
        &sponsor,
        &workshop("Both", in_days(10), vec![presenter("Bea")]),
    );
    let refused = submit(&app, &token, &both);
    let fields: Vec<String> = unmet(&refused).into_iter().map(|(f, _, _)| f).collect();
    assert_eq!(
        fields,
        ["starts_on", "presenters[0].resume"],
        "{}",
        refused.text
    );
    // A presenter holding no credential must be identified by birth date.
    let mut nameless = workshop("Who", in_days(40), vec![presenter("Cy")]);
    nameless["presenters"][0]["date_of_birth"] = Value::Null;
    let reply = app.post_as(
        &format!("/api/v1/sponsors/{sponsor}/preapprovals"),
        &token,
        &nameless,
    );
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(reply.problem_fields(), ["presenters[0].date_of_birth"]);
}

fn the_decision_date_skips_weekends_and_recorded_state_holidays(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, sponsor) = registered_sponsor(&app, 1);
    let (admin, _) = staff(&app, Role::Admin, "admin1");
    let first = apply(
        &app,
        &token,
        &sponsor,
        &workshop("First", in_days(45), vec![presenter("Ann")]),
    );
    let due = working_day_after(today(), 10, &[]);
    let read = get(&app, &token, &first);
    assert_eq!(read["decision_due_on"], due.to_string());
    assert_eq!(read["clock"], "running");
    assert!(!matches!(due.weekday(), Weekday::Sat | Weekday::Sun));

    // A holiday recorded within the ten days moves the running clock.
    let holiday = working_day_after(today(), 3, &[]);
    let recorded = app.put_as(
        &format!("/api/v1/admin/state-holidays/{holiday}"),
        &admin,
        &json!({"name": "Governor's Day"}),
    );
    assert_eq!(recorded.status, 201, "{}", recorded.text);
    let moved = working_day_after(today(), 10, &[holiday]);
    assert_eq!(moved, working_day_after(due, 1, &[]));
    assert_eq!(
        get(&app, &token, &first)["decision_due_on"],
        moved.to_string()
    );
    let second = apply(
        &app,
        &token,
        &sponsor,
        &workshop("Second", in_days(45), vec![presenter("Ben")]),
    );
    assert_eq!(
        get(&app, &token, &second)["decision_due_on"],
        moved.to_string()
    );
    let listed = app.get(
        &format!("/api/v1/state-holidays?year={}", holiday.year()),
        Some(&token),
    );
    assert_eq!(
        listed.json()["items"][0]["day"],
        holiday.to_string(),
        "{}",
        listed.text
    );
    // The same day twice is refused; removed, the clock moves back.
    let again = app.put_as(
        &format!("/api/v1/admin/state-holidays/{holiday}"),
        &admin,
        &json!({"name": "Again"}),
    );
    assert_eq!(again.status, 409, "{}", again.text);
    assert_eq!(again.code(), "holiday_taken");
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    let forbidden = app.put_as(
        &format!("/api/v1/admin/state-holidays/{holiday}"),
        &specialist,
        &json!({"name": "No"}),
    );
    assert_eq!(forbidden.status, 403);
    assert_eq!(
        app.delete_as(&format!("/api/v1/admin/state-holidays/{holiday}"), &admin)
            .status,
        204
    );
    assert_eq!(
        get(&app, &token, &first)["decision_due_on"],
        due.to_string()
    );

    // The queue orders by the due date; past it, the decision is overdue.
    let queue = app
        .get("/api/v1/review/preapprovals", Some(&specialist))
        .json();
    assert_eq!(queue["items"].as_array().unwrap().len(), 2, "{queue}");
    run_sql(
        &app,
        &format!(
            "UPDATE preapprovals SET decision_due_on = '{}' WHERE id = '{first}'",
            in_days(-1)
        ),
    );
    let overdue = app
        .get(
            "/api/v1/review/preapprovals?overdue=true",
            Some(&specialist),
        )
        .json();
    let ids: Vec<&str> = overdue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [first.as_str()], "{overdue}");
    assert_eq!(overdue["items"][0]["overdue"], true);
    assert_eq!(
        app.get("/api/v1/review/preapprovals", Some(&token)).status,
        403
    );
}

fn the_clock_waits_while_information_is_requested(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, sponsor) = registered_sponsor(&app, 1);
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    let id = apply(
        &app,
        &token,
        &sponsor,
        &workshop("Asked", in_days(60), vec![presenter("Ann")]),
    );
    let asked = app.post_as(
        &format!("/api/v1/review/preapprovals/{id}/information-requests"),
        &specialist,
        &json!({"message": "Send the agenda with times."}),
    );
    assert_eq!(asked.status, 200, "{}", asked.text);
    let read = get(&app, &token, &id);
    assert_eq!(read["status"], "information_requested");
    assert_eq!(read["clock"], "stopped");
    assert_eq!(read["decision_due_on"], Value::Null);
    assert!(
        read["next_step"]["message"]
            .as_str()
            .unwrap()
            .contains("Answer"),
        "{read}"
    );
    app.drain_outbox();
    let mail = app.wait_for_mail("council1@example.org", "more information");
    assert!(mail.body.contains("Send the agenda"), "{}", mail.body);
    // The representative's notifications carry it, with what was asked.
    let notes = app.get("/api/v1/me/notifications", Some(&token)).json();
    let note = &notes["items"][0];
    assert_eq!(note["kind"], "preapproval.information_requested", "{notes}");
    assert_eq!(note["details"]["request"], "Send the agenda with times.");
    assert_eq!(note["subject"]["type"], "preapproval");
    assert_eq!(
        note["subject"]["href"],
        format!("/api/v1/preapprovals/{id}")
    );
    assert_eq!(notes["unread_count"], 1);
    let waiting = app
        .get(
            "/api/v1/review/preapprovals?waiting=information",
            Some(&specialist),
        )
        .json();
    assert_eq!(waiting["items"][0]["id"], id.as_str(), "{waiting}");
    let deciding = app
        .get("/api/v1/review/preapprovals", Some(&specialist))
        .json();
    assert_eq!(deciding["items"].as_array().unwrap().len(), 0, "{deciding}");
    // Staff cannot decide while the clock waits.
    let early = app.post_as(
        &format!("/api/v1/review/preapprovals/{id}/approve"),
        &specialist,
        &json!({}),
    );
    assert_eq!(early.status, 409, "{}", early.text);
    assert_eq!(early.code(), "preapproval_not_now");

    // Received six days ago, asked four days ago, answered today: the days
    // after the request through today do not count.
    let received = in_days(-6);
    let requested = in_days(-4);
    run_sql(
        &app,
        &format!("UPDATE preapprovals SET received_on = '{received}' WHERE id = '{id}'"),
    );
    run_sql(
        &app,
        &format!(
            "UPDATE preapproval_information_requests SET requested_at = '{requested} 12:00:00' WHERE preapproval_id = '{id}'"
        ),
    );
    let answered = app.post_as(
        &format!("/api/v1/preapprovals/{id}/information"),
        &token,
        &json!({"answer": "The agenda: 9:00 to 11:00."}),
    );
    assert_eq!(answered.status, 200, "{}", answered.text);
    let paused: Vec<NaiveDate> = (-3..=0).map(in_days).collect();
    let due = working_day_after(received, 10, &paused);
    assert_eq!(
        answered.json()["decision_due_on"],
        due.to_string(),
        "{}",
        answered.text
    );
    assert_eq!(answered.json()["clock"], "running");
    assert_eq!(
        answered.json()["information_requests"][0]["answer"],
        "The agenda: 9:00 to 11:00."
    );
    assert!(due > working_day_after(received, 10, &[]));
    let again = app.post_as(
        &format!("/api/v1/preapprovals/{id}/information"),
        &token,
        &json!({"answer": "Twice"}),
    );
    assert_eq!(again.status, 409, "{}", again.text);
}

fn an_uncredentialed_presenter_is_named_on_five_applications_a_year(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, sponsor) = registered_sponsor(&app, 1);
    let (other_token, other_sponsor) = registered_sponsor(&app, 2);
    for n in 0..4 {
        apply(
            &app,
            &token,
            &sponsor,
            &workshop(&format!("Event {n}"), in_days(40), vec![presenter("Pat")]),
        );
    }
    // Another sponsor names the same person (the name in another case).
    let mut same_person = workshop("Elsewhere", in_days(40), vec![presenter("Pat")]);
    same_person["presenters"][0]["first_name"] = json!("PAT");
    apply(&app, &other_token, &other_sponsor, &same_person);
    let sixth = draft(
        &app,
        &token,
        &sponsor,
        &workshop(
            "Sixth",
            in_days(40),
            vec![presenter("Ann"), presenter("Pat")],
        ),
    );
    assert_eq!(attach(&app, &token, &sixth, 1).status, 200);
    assert_eq!(attach(&app, &token, &sixth, 2).status, 200);
    let refused = submit(&app, &token, &sixth);
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(
        unmet(&refused),
        [(
            "presenters[1]".to_owned(),
            "sec16_6_five_events_per_calendar_year".to_owned(),
            "922 KAR 2:240 Section 16(6)".to_owned()
        )]
    );
    // Nothing was counted for Ann by the refused submission.
    assert_eq!(get(&app, &token, &sixth)["status"], "draft");

    // The five were made last year: this is the first of the new year.
    run_sql(&app, "UPDATE presenter_years SET year = year - 1");
    run_sql(
        &app,
        "UPDATE preapprovals SET received_on = received_on - 365 WHERE received_on IS NOT NULL",
    );
    let accepted = submit(&app, &token, &sixth);
    assert_eq!(accepted.status, 200, "{}", accepted.text);
}

fn concurrent_submissions_cannot_pass_the_fifth_application(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, sponsor) = registered_sponsor(&app, 1);
    let (other_token, other_sponsor) = registered_sponsor(&app, 2);
    for n in 0..3 {
        apply(
            &app,
            &token,
            &sponsor,
            &workshop(&format!("Event {n}"), in_days(40), vec![presenter("Pat")]),
        );
    }
    // Two sponsors submit the fourth and fifth... and a sixth, at once.
    let mut ready = Vec::new();
    for (n, (t, s)) in [
        (&token, &sponsor),
        (&other_token, &other_sponsor),
        (&other_token, &other_sponsor),
    ]
    .into_iter()
    .enumerate()
    {
        let id = draft(
            &app,
            t,
            s,
            &workshop(&format!("Race {n}"), in_days(40), vec![presenter("Pat")]),
        );
        assert_eq!(attach(&app, t, &id, 1).status, 200);
        ready.push((t.clone(), id));
    }
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = ready
            .iter()
            .map(|(t, id)| scope.spawn(|| submit(&app, t, id).status))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut sorted = statuses.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [200, 200, 422], "{statuses:?}");
}

fn an_online_approval_is_listed_until_the_day_before_its_second_anniversary(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, sponsor) = registered_sponsor(&app, 1);
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    let id = apply(
        &app,
        &token,
        &sponsor,
        &online("Responsive caregiving online", in_days(35)),
    );
    assert_eq!(get(&app, &token, &id)["form"], "DCC-201a");
    let approved = app.send(
        "POST",
        &format!("/api/v1/review/preapprovals/{id}/approve"),
        Some(&specialist),
        "application/json",
        Vec::new(),
    );
    assert_eq!(approved.status, 200, "{}", approved.text);
    let expires = kecs_domain::rules::preapproval::online_training_approval_expires_on(today());
    assert_eq!(
        approved.json()["approval"]["expires_on"],
        expires.to_string()
    );
    app.drain_outbox();
    let mail = app.wait_for_mail("council1@example.org", "is preapproved");
    assert!(mail.body.contains(&expires.to_string()), "{}", mail.body);
    let listed = |app: &TestApp| -> Vec<String> {
        app.get("/api/v1/public/approved-trainings", None).json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(listed(&app), std::slice::from_ref(&id));

    // Approved two years ago tomorrow: today is the last day it is listed.
    let approved_on = today().checked_sub_months(chrono::Months::new(24)).unwrap() + Days::new(1);
    let set_approval = |approved_on: NaiveDate| {
        let expires_on =
            kecs_domain::rules::preapproval::online_training_approval_expires_on(approved_on);
        run_sql(
            &app,
            &format!(
                "UPDATE preapprovals SET decided_on = '{approved_on}', approval_expires_on = '{expires_on}' WHERE id = '{id}'"
            ),
        );
        expires_on
    };
    assert_eq!(set_approval(approved_on), in_days(1));
    assert_eq!(listed(&app), std::slice::from_ref(&id));
    // On its second anniversary it is gone.
    assert_eq!(set_approval(approved_on - Days::new(1)), today());
    assert!(listed(&app).is_empty());
}

fn a_denied_sponsor_requests_a_review_within_ten_days_and_reads_the_order(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, sponsor) = registered_sponsor(&app, 1);
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    let (admin, _) = staff(&app, Role::Admin, "admin1");
    let id = apply(
        &app,
        &token,
        &sponsor,
        &workshop("Denied", in_days(40), vec![presenter("Ann")]),
    );
    let denied = app.post_as(
        &format!("/api/v1/review/preapprovals/{id}/deny"),
        &specialist,
        &json!({"reasons": [{"citation": "922 KAR 2:240 Section 16(4)", "message": "The vita shows no early care and education work."}]}),
    );
    assert_eq!(denied.status, 200, "{}", denied.text);
    let read = get(&app, &token, &id);
    assert_eq!(read["status"], "denied");
    assert_eq!(
        read["denial"]["reasons"][0]["citation"],
        "922 KAR 2:240 Section 16(4)"
    );
    assert_eq!(read["denial"]["review_request_by"], in_days(10).to_string());
    assert_eq!(
        read["denial"]["next_step"]["kind"],
        "review_may_be_requested"
    );
    assert_eq!(read["next_step"]["date"], in_days(10).to_string());
    app.drain_outbox();
    let mail = app.wait_for_mail("council1@example.org", "was denied");
    assert!(mail.body.contains("Section 16(9)"), "{}", mail.body);

    let requested = app.post_as(
        &format!("/api/v1/preapprovals/{id}/review-request"),
        &token,
        &json!({"statement": "The presenter directed a centre for ten years."}),
    );
    assert_eq!(requested.status, 201, "{}", requested.text);
    assert_eq!(
        requested.json()["denial"]["review"]["order_due_on"],
        in_days(30).to_string()
    );
    let twice = app.post_as(
        &format!("/api/v1/preapprovals/{id}/review-request"),
        &token,
        &json!({"statement": "Again"}),
    );
    assert_eq!(twice.status, 409, "{}", twice.text);
    // The designee lists the reviews by the order's due date and extends
    // this one with notice (Sec. 14(3)(c)1-2).
    let reviews = app
        .get("/api/v1/review/preapprovals?waiting=review", Some(&admin))
        .json();
    assert_eq!(reviews["items"][0]["id"], id.as_str(), "{reviews}");
    let extended = app.post_as(
        &format!("/api/v1/admin/preapprovals/{id}/review-extension"),
        &admin,
        &json!({"reason": "The presenter's references are being checked.", "decide_by": in_days(45).to_string()}),
    );
    assert_eq!(extended.status, 200, "{}", extended.text);
    let review = &extended.json()["denial"]["review"];
    assert_eq!(review["order_due_on"], in_days(45).to_string());
    assert_eq!(review["extension"]["until"], in_days(45).to_string());
    assert_eq!(
        extended.json()["denial"]["next_step"]["kind"],
        "order_extended"
    );
    let shorter = app.post_as(
        &format!("/api/v1/admin/preapprovals/{id}/review-extension"),
        &admin,
        &json!({"reason": "Sooner", "decide_by": in_days(40).to_string()}),
    );
    assert_eq!(shorter.status, 422, "{}", shorter.text);
    app.drain_outbox();
    app.wait_for_mail("council1@example.org", "is extended");

    // Only an admin, the commissioner's designee, issues the order.
    let by_specialist = app.post_as(
        &format!("/api/v1/admin/preapprovals/{id}/review-decision"),
        &specialist,
        &json!({"decision": "upheld", "order": "No."}),
    );
    assert_eq!(by_specialist.status, 403);
    let ordered = app.post_as(
        &format!("/api/v1/admin/preapprovals/{id}/review-decision"),
        &admin,
        &json!({"decision": "overturned", "order": "The vita meets Section 16(4); the event is preapproved."}),
    );
    assert_eq!(ordered.status, 200, "{}", ordered.text);
    let read = get(&app, &token, &id);
    assert_eq!(read["status"], "approved");
    assert_eq!(read["denial"]["review"]["decision"], "overturned");
    assert_eq!(
        read["denial"]["review"]["order"],
        "The vita meets Section 16(4); the event is preapproved."
    );
    assert_eq!(read["approval"]["approved_on"], today().to_string());
    let listed = app.get("/api/v1/public/approved-trainings", None).json();
    assert_eq!(listed["items"][0]["id"], id.as_str(), "{listed}");
    assert_eq!(listed["items"][0]["approved_on"], today().to_string());
    assert!(
        read["denial"]["next_step"]["message"]
            .as_str()
            .unwrap()
            .contains("preapproved")
    );

    // Past the ten days, a review is refused with the clause.
    let late = apply(
        &app,
        &token,
        &sponsor,
        &workshop("Late review", in_days(40), vec![presenter("Ben")]),
    );
    app.post_as(
        &format!("/api/v1/review/preapprovals/{late}/deny"),
        &specialist,
        &json!({"reasons": [{"citation": "922 KAR 2:240 Section 16(4)", "message": "No vita."}]}),
    );
    run_sql(
        &app,
        &format!(
            "UPDATE preapprovals SET decided_on = '{}' WHERE id = '{late}'",
            in_days(-11)
        ),
    );
    let refused = app.post_as(
        &format!("/api/v1/preapprovals/{late}/review-request"),
        &token,
        &json!({"statement": "Late"}),
    );
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.code(), "review_request_too_late");
}

fn a_barred_sponsor_is_refused_until_the_bar_ends(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, sponsor) = registered_sponsor(&app, 1);
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    let found = app.post_as(
        &format!("/api/v1/review/sponsors/{sponsor}/non-compliance"),
        &specialist,
        &json!({"finding": "No trainee records were kept for the March workshop."}),
    );
    assert_eq!(found.status, 200, "{}", found.text);
    let until = kecs_domain::rules::preapproval::sponsor_preapproval_barred_until(today());
    assert_eq!(found.json()["barred_until"], until.to_string());
    let read = app
        .get(&format!("/api/v1/sponsors/{sponsor}"), Some(&token))
        .json();
    assert_eq!(read["barred_until"], until.to_string());
    app.drain_outbox();
    app.wait_for_mail("council1@example.org", "barred");

    let id = draft(
        &app,
        &token,
        &sponsor,
        &workshop("Barred", in_days(40), vec![presenter("Ann")]),
    );
    assert_eq!(attach(&app, &token, &id, 1).status, 200);
    let refused = submit(&app, &token, &id);
    assert_eq!(refused.status, 422, "{}", refused.text);
    let rules = unmet(&refused);
    assert_eq!(rules[0].0, "sponsor_id");
    assert_eq!(rules[0].1, "sec16_10_sponsor_barred_two_years");
    assert!(
        refused.text.contains(&until.to_string()),
        "{}",
        refused.text
    );

    // Found two years ago tomorrow: still barred today.
    let two_years_ago = today().checked_sub_months(chrono::Months::new(24)).unwrap();
    run_sql(
        &app,
        &format!(
            "UPDATE sponsor_findings SET found_on = '{}'",
            two_years_ago + Days::new(1)
        ),
    );
    assert_eq!(submit(&app, &token, &id).status, 422);
    // Found two years ago today: the bar has ended.
    run_sql(
        &app,
        &format!("UPDATE sponsor_findings SET found_on = '{two_years_ago}'"),
    );
    let accepted = submit(&app, &token, &id);
    assert_eq!(accepted.status, 200, "{}", accepted.text);
}

fn the_public_list_is_paginated_and_shows_no_personal_data(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, sponsor) = registered_sponsor(&app, 1);
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    let mut ids = Vec::new();
    for (n, days) in [(0, 50), (1, 40), (2, 45)] {
        let id = apply(
            &app,
            &token,
            &sponsor,
            &workshop(
                &format!("Infant sleep {n}"),
                in_days(days),
                vec![presenter("Priscilla")],
            ),
        );
        let approved = app.post_as(
            &format!("/api/v1/review/preapprovals/{id}/approve"),
            &specialist,
            &json!({"note": "Fine."}),
        );
        assert_eq!(approved.status, 200, "{}", approved.text);
        ids.push(id);
    }
    // Not approved: never listed.
    apply(
        &app,
        &token,
        &sponsor,
        &workshop(
            "Infant sleep pending",
            in_days(41),
            vec![presenter("Priscilla")],
        ),
    );

    let first = app.get("/api/v1/public/approved-trainings?limit=2", None);
    assert_eq!(first.status, 200, "{}", first.text);
    let page = first.json();
    let order: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(order, [ids[1].as_str(), ids[2].as_str()], "by start date");
    let cursor = page["next_cursor"].as_str().unwrap();
    let second = app
        .get(
            &format!("/api/v1/public/approved-trainings?limit=2&cursor={cursor}"),
            None,
        )
        .json();
    assert_eq!(second["items"][0]["id"], ids[0].as_str());
    assert_eq!(second["next_cursor"], Value::Null);

    let item = page["items"][0].as_object().unwrap();
    let mut fields: Vec<&str> = item.keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "approved_on",
            "clock_hours",
            "county",
            "delivery",
            "ends_on",
            "expires_on",
            "form",
            "id",
            "kind",
            "purposes",
            "sponsor",
            "starts_on",
            "title",
            "topics",
        ]
    );
    for personal in [
        "Priscilla",
        "priscilla@example.org",
        "1975-04-12",
        "rep1",
        "council1@example.org",
        "Fine.",
    ] {
        assert!(
            !first.text.contains(personal),
            "{personal} in {}",
            first.text
        );
    }

    // Searches: title words, sponsor words, topic, delivery, dates.
    let count = |query: &str| {
        let reply = app.get(&format!("/api/v1/public/approved-trainings?{query}"), None);
        assert_eq!(reply.status, 200, "{query}: {}", reply.text);
        reply.json()["items"].as_array().unwrap().len()
    };
    assert_eq!(count("title=SLEEP%201"), 1);
    assert_eq!(count("sponsor=bluegrass"), 3);
    assert_eq!(count("sponsor=nobody"), 0);
    assert_eq!(count("topic=health_safety_nutrition"), 3);
    assert_eq!(count("topic=child_assessments"), 0);
    assert_eq!(count("delivery=online"), 0);
    assert_eq!(count("delivery=face_to_face"), 3);
    assert_eq!(
        count(&format!("from={}&to={}", in_days(44), in_days(46))),
        1
    );
    let bad = app.get(
        "/api/v1/public/approved-trainings?topic=knitting&limit=0",
        None,
    );
    assert_eq!(bad.status, 422, "{}", bad.text);
    let mut fields = bad.problem_fields();
    fields.sort();
    assert_eq!(fields, ["limit", "topic"]);
}

fn sponsors_and_their_applications_are_their_representatives_and_staffs_only(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, sponsor) = registered_sponsor(&app, 1);
    let (stranger, _) = sponsor_less(&app);
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    let id = draft(
        &app,
        &token,
        &sponsor,
        &workshop("Mine", in_days(40), vec![presenter("Ann")]),
    );
    for path in [
        format!("/api/v1/sponsors/{sponsor}"),
        format!("/api/v1/sponsors/{sponsor}/preapprovals"),
        format!("/api/v1/preapprovals/{id}"),
    ] {
        assert_eq!(app.get(&path, Some(&stranger)).status, 404, "{path}");
        assert_eq!(app.get(&path, Some(&specialist)).status, 200, "{path}");
        assert_eq!(app.get(&path, Some(&token)).status, 200, "{path}");
    }
    assert_eq!(attach(&app, &stranger, &id, 1).status, 404);
    assert_eq!(submit(&app, &stranger, &id).status, 404);
    let foreign = app.post_as(
        &format!("/api/v1/sponsors/{sponsor}/preapprovals"),
        &stranger,
        &workshop("Theirs", in_days(40), vec![presenter("Ann")]),
    );
    assert_eq!(foreign.status, 404);
    assert_eq!(
        app.post_as(
            &format!("/api/v1/review/preapprovals/{id}/approve"),
            &token,
            &json!({})
        )
        .status,
        403
    );
    assert_eq!(
        app.post_as(
            "/api/v1/sponsors",
            &specialist,
            &json!({"name": "x", "email": "x@example.org", "phone": "502-555-0100", "address": "x"})
        )
        .status,
        403
    );

    // A representative adds another; the added account may then apply.
    let added = app.post_as(
        &format!("/api/v1/sponsors/{sponsor}/representatives"),
        &token,
        &json!({"username": "stranger"}),
    );
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(
        app.get(&format!("/api/v1/preapprovals/{id}"), Some(&stranger))
            .status,
        200
    );
    let mine = app.get("/api/v1/me/sponsors", Some(&stranger)).json();
    assert_eq!(mine["items"][0]["id"], sponsor.as_str());
    // The résumé is theirs and staff's to download.
    assert_eq!(attach(&app, &stranger, &id, 1).status, 200);
    let resume = app.get(
        &format!("/api/v1/preapprovals/{id}/presenters/1/resume"),
        Some(&specialist),
    );
    assert_eq!(resume.status, 200);
    assert!(resume.text.starts_with("%PDF"));
}

fn sponsors_keep_the_trainees_of_approved_events_with_their_employers(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, sponsor) = registered_sponsor(&app, 1);
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    let (stranger, _) = sponsor_less(&app);
    let jane = access_token(&register(
        &app,
        "trainee",
        "trainee@example.org",
        "222-33-2222",
    ));
    let online_id = apply(
        &app,
        &token,
        &sponsor,
        &online("Responsive caregiving online", in_days(35)),
    );
    let path = format!("/api/v1/preapprovals/{online_id}/attendance");
    // Not approved yet: no attendance.
    let early = app.post_as(&path, &token, &json!({"trainees": [trainee("Ann", false)]}));
    assert_eq!(early.status, 409, "{}", early.text);
    assert_eq!(early.code(), "preapproval_not_now");
    let approved = app.post_as(
        &format!("/api/v1/review/preapprovals/{online_id}/approve"),
        &specialist,
        &json!({}),
    );
    assert_eq!(approved.status, 200, "{}", approved.text);

    // In parts, as an online training is taken over its two years.
    let first = app.post_as(
        &path,
        &token,
        &json!({"trainees": [trainee("Ann", false), trainee("Ben", false)]}),
    );
    assert_eq!(first.status, 201, "{}", first.text);
    let sheet = "first_name,last_name,date_of_birth,ssn_last4,employer_name,works_at_trainers_centre,head_start_program,disciplinary_directive\nCal,Doe,1991-02-03,,\"Sunny Days, LLC\",no,no,\nJane,Doe,1990-05-17,2222,Little Acorns,no,no,\n";
    let second = app.send(
        "POST",
        &path,
        Some(&token),
        "text/csv",
        sheet.as_bytes().to_vec(),
    );
    assert_eq!(second.status, 201, "{}", second.text);
    let roster = app.get(&path, Some(&specialist)).json();
    let lines: Vec<(u64, &str)> = roster["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["first_name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(lines, [(1, "Ann"), (2, "Ben"), (3, "Cal"), (4, "Jane")]);
    assert_eq!(roster["items"][3]["matched"], "person_on_record");
    assert_eq!(roster["items"][2]["employer"]["name"], "Sunny Days, LLC");
    // Sec. 11(1): a presenter's own centre's staff, refused with the clause; nothing saved.
    let own = app.post_as(
        &path,
        &token,
        &json!({"trainees": [trainee("Dee", false), trainee("Eve", true)]}),
    );
    assert_eq!(own.status, 422, "{}", own.text);
    assert_eq!(unmet(&own)[0].0, "trainees[1].employer");
    assert_eq!(
        app.get(&path, Some(&token)).json()["items"]
            .as_array()
            .unwrap()
            .len(),
        4
    );

    // The records for the cabinet: the application on every row.
    let records = app.get(
        &format!("/api/v1/preapprovals/{online_id}/records"),
        Some(&specialist),
    );
    assert_eq!(records.status, 200, "{}", records.text);
    let mut lines = records.text.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("preapproval_id,form,kind,status,title,sponsor")
    );
    let ann = lines.next().unwrap();
    assert!(
        ann.contains("DCC-201a")
            && ann.contains("Responsive caregiving online")
            && ann.contains("Olive Presenter")
            && ann.contains("Little Acorns"),
        "{ann}"
    );
    assert_eq!(records.text.lines().count(), 5);
    assert_eq!(app.get(&path, Some(&stranger)).status, 404);
    assert_eq!(
        app.get(
            &format!("/api/v1/preapprovals/{online_id}/records"),
            Some(&stranger)
        )
        .status,
        404
    );
    assert_eq!(
        app.post_as(
            &path,
            &stranger,
            &json!({"trainees": [trainee("Fay", false)]})
        )
        .status,
        404
    );

    // Certificates as Sec. 12(2) asks, the presenter signing without a
    // credential (Sec. 17(2)); each verifies publicly.
    let certificates = format!("/api/v1/preapprovals/{online_id}/certificates");
    let no_one = app.post_as(
        &certificates,
        &token,
        &json!({"presenter": 9, "signature": "Olive Presenter"}),
    );
    assert_eq!(no_one.status, 422, "{}", no_one.text);
    assert_eq!(no_one.problem_fields(), ["presenter"]);
    let signed = app.post_as(
        &certificates,
        &token,
        &json!({"presenter": 1, "signature": "Olive Presenter"}),
    );
    assert_eq!(signed.status, 201, "{}", signed.text);
    let issued = signed.json()["items"].as_array().unwrap().clone();
    assert_eq!(issued.len(), 4);
    assert_eq!(issued[0]["trainee_name"], "Ann Doe");
    let again = app.post_as(
        &certificates,
        &token,
        &json!({"presenter": 1, "signature": "Olive Presenter"}),
    );
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.json()["items"].as_array().unwrap().len(), 4);
    // The trainee on record has the certificate, mailed, and the training
    // on their transcript.
    app.drain_outbox();
    app.wait_for_mail("trainee@example.org", "certificate of training");
    let mine = app.get("/api/v1/me/certificates", Some(&jane)).json();
    assert_eq!(mine["items"][0]["number"], issued[3]["number"], "{mine}");
    let transcript = app.get("/api/v1/me/transcript", Some(&jane)).json();
    let trainings = transcript["trainings"].to_string();
    assert!(
        trainings.contains("Responsive caregiving online"),
        "{transcript}"
    );
    assert!(
        trainings.contains("Bluegrass Child Care Council 1"),
        "{transcript}"
    );
    let number = issued[0]["number"].as_str().unwrap();
    let public = app.get(&format!("/api/v1/public/certificates/{number}"), None);
    assert_eq!(public.status, 200, "{}", public.text);
    let public = public.json();
    assert_eq!(public["training_name"], "Responsive caregiving online");
    assert_eq!(
        public["sponsoring_organization"],
        "Bluegrass Child Care Council 1"
    );
    assert_eq!(public["trainer_name"], "Olive Presenter");
    assert_eq!(public["trainer_credential_number"], Value::Null);
    assert_eq!(public["clock_hours"], 1.5);
    let pdf = app.get(issued[0]["pdf"].as_str().unwrap(), Some(&specialist));
    assert_eq!(pdf.status, 200);
    assert!(pdf.text.starts_with("%PDF"));
    assert_eq!(app.get(&certificates, Some(&stranger)).status, 404);

    // After the approval expired (Sec. 16(7)), attendance does not count.
    run_sql(
        &app,
        &format!(
            "UPDATE preapprovals SET approval_expires_on = '{}' WHERE id = '{online_id}'",
            today()
        ),
    );
    let expired = app.post_as(&path, &token, &json!({"trainees": [trainee("Gus", false)]}));
    assert_eq!(expired.status, 422, "{}", expired.text);
    assert_eq!(unmet(&expired)[0].1, "sec16_7_online_approval_expired");

    // Any other event's roster is taken once it has ended.
    let workshop_id = apply(
        &app,
        &token,
        &sponsor,
        &workshop("On site", in_days(40), vec![presenter("Ann")]),
    );
    app.post_as(
        &format!("/api/v1/review/preapprovals/{workshop_id}/approve"),
        &specialist,
        &json!({}),
    );
    let before = app.post_as(
        &format!("/api/v1/preapprovals/{workshop_id}/attendance"),
        &token,
        &json!({"trainees": [trainee("Hal", false)]}),
    );
    assert_eq!(before.status, 409, "{}", before.text);
    assert_eq!(before.code(), "training_not_ended");
}

fn trainee(first: &str, same_centre: bool) -> Value {
    json!({
        "first_name": first,
        "last_name": "Doe",
        "date_of_birth": "1990-05-17",
        "employer": {"name": "Little Acorns", "works_at_trainers_centre": same_centre, "head_start_program": false},
    })
}

fn a_draft_is_revised_keeping_the_resumes_of_unchanged_presenters(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, sponsor) = registered_sponsor(&app, 1);
    let id = draft(
        &app,
        &token,
        &sponsor,
        &workshop("Draft", in_days(40), vec![presenter("Ann")]),
    );
    assert_eq!(attach(&app, &token, &id, 1).status, 200);
    let path = format!("/api/v1/preapprovals/{id}");
    let revised = app.put_as(
        &path,
        &token,
        &workshop(
            "Safe sleep, revised",
            in_days(45),
            vec![presenter("Ann"), presenter("Ben")],
        ),
    );
    assert_eq!(revised.status, 200, "{}", revised.text);
    let body = revised.json();
    assert_eq!(body["event"]["title"], "Safe sleep, revised");
    assert_eq!(body["event"]["starts_on"], in_days(45).to_string());
    assert!(body["presenters"][0]["resume"].is_object(), "{body}");
    assert!(body["presenters"][1]["resume"].is_null(), "{body}");
    let refused = submit(&app, &token, &id);
    assert_eq!(
        unmet(&refused)[0].0,
        "presenters[1].resume",
        "{}",
        refused.text
    );
    // Another presenter in Ann's place: her résumé goes with her.
    let replaced = app.put_as(
        &path,
        &token,
        &workshop("Safe sleep", in_days(45), vec![presenter("Cy")]),
    );
    assert!(replaced.json()["presenters"][0]["resume"].is_null());
    assert_eq!(attach(&app, &token, &id, 1).status, 200);
    assert_eq!(submit(&app, &token, &id).status, 200);
    let late = app.put_as(
        &path,
        &token,
        &workshop("Too late", in_days(45), vec![presenter("Cy")]),
    );
    assert_eq!(late.status, 409, "{}", late.text);
    assert_eq!(late.code(), "preapproval_not_now");
    let (stranger, _) = sponsor_less(&app);
    assert_eq!(
        app.put_as(
            &path,
            &stranger,
            &workshop("Mine", in_days(45), vec![presenter("Cy")])
        )
        .status,
        404
    );
}

fn sponsor_less(app: &TestApp) -> (String, ()) {
    (
        access_token(&register(
            app,
            "stranger",
            "stranger@example.org",
            "299-55-3999",
        )),
        (),
    )
}

both_backends!(
    applications_are_due_thirty_days_before_the_event,
    the_decision_date_skips_weekends_and_recorded_state_holidays,
    the_clock_waits_while_information_is_requested,
    an_uncredentialed_presenter_is_named_on_five_applications_a_year,
    concurrent_submissions_cannot_pass_the_fifth_application,
    an_online_approval_is_listed_until_the_day_before_its_second_anniversary,
    a_denied_sponsor_requests_a_review_within_ten_days_and_reads_the_order,
    a_barred_sponsor_is_refused_until_the_bar_ends,
    the_public_list_is_paginated_and_shows_no_personal_data,
    sponsors_and_their_applications_are_their_representatives_and_staffs_only,
    sponsors_keep_the_trainees_of_approved_events_with_their_employers,
    a_draft_is_revised_keeping_the_resumes_of_unchanged_presenters,
);
