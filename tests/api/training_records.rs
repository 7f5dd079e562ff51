//! The records of training as the cabinet reads them (Sec. 11(2), (10),
//! 12(1)(b)–(c)): staff search events by trainer, date, topic and county,
//! and export a trainer's records as CSV; a trainer exports their own.

use crate::support::staff;
use crate::training_events::{
    a_year_ago, create, days_ago, enter, face_to_face, trainee, trainer, with,
};
use kecs_domain::account::Role;
use kecs_domain::rules::Level;
use kecs_tests::{Backend, TestApp, both_backends};
use serde_json::{Value, json};

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect()
}

fn staff_search_events_by_trainer_date_topic_and_county(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (alice, alice_number) = trainer(&app, 1, Level::Level3, a_year_ago());
    let (bob, bob_number) = trainer(&app, 2, Level::Level3, a_year_ago());
    let franklin = create(
        &app,
        &alice,
        &with(
            face_to_face(&alice_number, days_ago(30), 60),
            "county",
            json!("franklin county"),
        ),
    );
    let fayette = create(
        &app,
        &alice,
        &with(
            with(
                face_to_face(&alice_number, days_ago(20), 90),
                "county",
                json!("Fayette"),
            ),
            "topics",
            json!(["child_assessments"]),
        ),
    );
    let bobs = create(
        &app,
        &bob,
        &with(
            face_to_face(&bob_number, days_ago(10), 60),
            "county",
            json!("Franklin"),
        ),
    );
    let read = app.get(&format!("/api/v1/training-events/{franklin}"), Some(&alice));
    assert_eq!(read.json()["county"], "Franklin", "{}", read.text);

    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    let search = |query: &str| {
        let reply = app.get(
            &format!("/api/v1/review/training-events{query}"),
            Some(&specialist),
        );
        assert_eq!(reply.status, 200, "{query}: {}", reply.text);
        ids(&reply.json())
    };
    // Latest start first.
    assert_eq!(
        search(""),
        [bobs.as_str(), fayette.as_str(), franklin.as_str()]
    );
    assert_eq!(
        search(&format!("?trainer={alice_number}")),
        [fayette.as_str(), franklin.as_str()]
    );
    assert_eq!(
        search("?county=FRANKLIN"),
        [bobs.as_str(), franklin.as_str()]
    );
    assert_eq!(search("?topic=child_assessments"), [fayette.as_str()]);
    assert_eq!(
        search(&format!("?from={}&to={}", days_ago(25), days_ago(15))),
        [fayette.as_str()]
    );
    assert_eq!(
        search(&format!("?trainer={alice_number}&county=Franklin")),
        [franklin.as_str()]
    );
    // Paged: the cursor continues where the page ended.
    let first = app
        .get("/api/v1/review/training-events?limit=2", Some(&specialist))
        .json();
    assert_eq!(ids(&first), [bobs.as_str(), fayette.as_str()]);
    let next = first["next_cursor"].as_str().unwrap();
    let second = app
        .get(
            &format!("/api/v1/review/training-events?limit=2&cursor={next}"),
            Some(&specialist),
        )
        .json();
    assert_eq!(ids(&second), [franklin.as_str()]);
    assert_eq!(second["next_cursor"], Value::Null);

    let bad = app.get(
        "/api/v1/review/training-events?county=Cook&topic=knitting&from=yesterday",
        Some(&specialist),
    );
    assert_eq!(bad.status, 422, "{}", bad.text);
    let mut fields = bad.problem_fields();
    fields.sort();
    assert_eq!(fields, ["county", "from", "topic"]);
    let refused = create_reply(&app, &alice, &alice_number);
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.problem_fields(), ["county"]);

    // A trainer may not search the cabinet's records.
    let trainer_search = app.get("/api/v1/review/training-events", Some(&alice));
    assert_eq!(trainer_search.status, 403, "{}", trainer_search.text);
}

fn create_reply(app: &TestApp, token: &str, number: &str) -> kecs_tests::Reply {
    app.post_as(
        "/api/v1/training-events",
        token,
        &with(
            face_to_face(number, days_ago(5), 60),
            "county",
            json!("Cook"),
        ),
    )
}

fn records_export_as_csv_one_row_per_trainee(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (alice, alice_number) = trainer(&app, 1, Level::Level3, a_year_ago());
    let (bob, bob_number) = trainer(&app, 2, Level::Level3, a_year_ago());
    let event = create(
        &app,
        &alice,
        &with(
            face_to_face(&alice_number, days_ago(3), 75),
            "county",
            json!("Boyle"),
        ),
    );
    let entered = enter(
        &app,
        &alice,
        &event,
        vec![
            trainee("Ann-Marie", None, false, false),
            trainee("Ben", None, false, true),
        ],
    );
    assert_eq!(entered.status, 201, "{}", entered.text);
    let _empty = create(&app, &alice, &face_to_face(&alice_number, days_ago(1), 60));
    let _bobs = create(&app, &bob, &face_to_face(&bob_number, days_ago(2), 60));

    let (admin, _) = staff(&app, Role::Admin, "admin1");
    let export = app.get(
        &format!("/api/v1/review/trainers/{alice_number}/training-records"),
        Some(&admin),
    );
    assert_eq!(export.status, 200, "{}", export.text);
    assert!(
        export
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/csv")),
        "{:?}",
        export.header("content-type")
    );
    let mut reader = csv::Reader::from_reader(export.text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let column = |row: &csv::StringRecord, name: &str| -> String {
        row[headers.iter().position(|h| h == name).unwrap()].to_owned()
    };
    // Two trainees of one event, and one row for the event without attendance.
    assert_eq!(rows.len(), 3, "{}", export.text);
    let trainees: Vec<String> = rows
        .iter()
        .map(|row| column(row, "trainee_first_name"))
        .collect();
    assert_eq!(trainees, ["", "Ann-Marie", "Ben"]);
    assert_eq!(column(&rows[1], "county"), "Boyle");
    assert_eq!(column(&rows[1], "clock_hours"), "1.25");
    assert_eq!(column(&rows[1], "employer"), "Little Acorns");
    assert_eq!(column(&rows[2], "employer_head_start"), "true");
    assert_eq!(column(&rows[1], "lead_credential"), alice_number);
    assert!(!export.text.contains(&bob_number), "{}", export.text);

    let unknown = app.get(
        "/api/v1/review/trainers/KYT-1999-999999/training-records",
        Some(&admin),
    );
    assert_eq!(unknown.status, 404, "{}", unknown.text);
    let as_trainer = app.get(
        &format!("/api/v1/review/trainers/{alice_number}/training-records"),
        Some(&bob),
    );
    assert_eq!(as_trainer.status, 403, "{}", as_trainer.text);

    // The trainer's own export holds only their events.
    let mine = app.get("/api/v1/me/training-records", Some(&bob));
    assert_eq!(mine.status, 200, "{}", mine.text);
    assert!(mine.text.contains(&bob_number) && !mine.text.contains(&alice_number));
    let staff_own = app.get("/api/v1/me/training-records", Some(&admin));
    assert_eq!(staff_own.status, 403, "{}", staff_own.text);
}

/// Sec. 15(1)(b): a revocation for breaking Sec. 11 or 12 cites the events
/// concerned, and the holder reads them with the ground.
fn a_revocation_for_training_rules_cites_the_events_concerned(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (alice, alice_number) = trainer(&app, 1, Level::Level3, a_year_ago());
    let (bob, bob_number) = trainer(&app, 2, Level::Level3, a_year_ago());
    let first = create(
        &app,
        &alice,
        &with(
            face_to_face(&alice_number, days_ago(20), 60),
            "title",
            json!("Sleep safety"),
        ),
    );
    let second = create(&app, &alice, &face_to_face(&alice_number, days_ago(10), 60));
    let bobs = create(&app, &bob, &face_to_face(&bob_number, days_ago(10), 60));
    let (admin, _) = staff(&app, Role::Admin, "admin1");
    let revoke = format!("/api/v1/admin/credentials/{alice_number}/revoke");

    // Another ground cites no events.
    let refused = app.post_as(
        &revoke,
        &admin,
        &json!({"reason": "falsified_record", "statement": "Altered sheets.", "training_events": [first]}),
    );
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.problem_fields(), ["training_events"]);
    let error = &refused.json()["errors"][0];
    assert_eq!(error["rule"], "sec15_1_b_events_only_for_training_rules");
    assert_eq!(error["citation"], "922 KAR 2:240 Section 15(1)(b)");

    // Someone else's event, and one cited twice: each named; nothing revoked.
    let refused = app.post_as(
        &revoke,
        &admin,
        &json!({"reason": "training_rules_not_followed", "statement": "Attendance was never entered.",
                "training_events": [first, bobs, first]}),
    );
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(
        refused.problem_fields(),
        ["training_events[1]", "training_events[2]"]
    );
    let held = app.get("/api/v1/me/credentials", Some(&alice)).json();
    assert_eq!(held["items"][0]["status"], "active", "{held}");

    let revoked = app.post_as(
        &revoke,
        &admin,
        &json!({"reason": "training_rules_not_followed", "statement": "Attendance was never entered.",
                "training_events": [second, first]}),
    );
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    let cited: Vec<Value> = revoked.json()["revocation"]["training_events"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(cited.len(), 2);
    assert_eq!(cited[0]["id"], second.as_str());
    assert_eq!(cited[1]["id"], first.as_str());
    assert_eq!(cited[1]["title"], "Sleep safety");
    assert_eq!(cited[1]["ends_on"], days_ago(20).to_string());

    // The holder reads the same, with the ground's citation.
    let held = app.get("/api/v1/me/credentials", Some(&alice)).json();
    let revocation = &held["items"][0]["revocation"];
    assert_eq!(revocation["citation"], "922 KAR 2:240 Section 15(1)(b)");
    assert_eq!(revocation["training_events"], json!(cited));
    let public = app.get(&format!("/api/v1/credentials/{alice_number}"), Some(&alice));
    assert_eq!(public.json()["revocation"]["training_events"], json!(cited));
}

both_backends!(
    a_revocation_for_training_rules_cites_the_events_concerned,
    staff_search_events_by_trainer_date_topic_and_county,
    records_export_as_csv_one_row_per_trainee,
);
