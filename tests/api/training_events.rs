//! Training events (Sec. 5(2)–11) and their attendance (Sec. 12(1)(a)).
//!
//! There is no test clock: events are dated relative to today (a trainer
//! may record an event that already happened, if their credential was
//! current on its days), and the five years of Sec. 11(11) are made by
//! backdating an earlier event in the database.

use crate::credentials::held_credential;
use crate::support::{access_token, login, register, staff};
use chrono::{Days, Months, NaiveDate};
use kecs_api::workflows::sweeper;
use kecs_domain::account::Role;
use kecs_domain::rules::Level;
use kecs_tests::{Backend, TestApp, both_backends};
use serde_json::{Value, json};

pub(crate) fn today() -> NaiveDate {
    kecs_api::workflows::now().date()
}

pub(crate) fn days_ago(days: u64) -> NaiveDate {
    today() - Days::new(days)
}

/// A signed-in trainer holding a credential of `level` issued on
/// `issued_on`: (token, credential number).
pub(crate) fn trainer(
    app: &TestApp,
    n: u32,
    level: Level,
    issued_on: NaiveDate,
) -> (String, String) {
    let username = format!("trainer{n}");
    let ssn = format!("{:03}-45-{:04}", 100 + n, 1000 + n);
    let token = access_token(&register(
        app,
        &username,
        &format!("{username}@example.org"),
        &ssn,
    ));
    (token, held_credential(app, &username, level, issued_on))
}

pub(crate) fn a_year_ago() -> NaiveDate {
    today().checked_sub_months(Months::new(12)).unwrap()
}

pub(crate) fn face_to_face(number: &str, ends_on: NaiveDate, minutes: u32) -> Value {
    json!({
        "title": "Safe sleep for infants",
        "sponsor": "Frankfort Child Care Council",
        "starts_on": ends_on.to_string(),
        "ends_on": ends_on.to_string(),
        "minutes": minutes,
        "delivery": {"face_to_face": true},
        "topics": ["health_safety_nutrition"],
        "purposes": ["child_care_training_requirements"],
        "credential_number": number,
    })
}

pub(crate) fn with(mut body: Value, key: &str, value: Value) -> Value {
    body[key] = value;
    body
}

pub(crate) fn create(app: &TestApp, token: &str, body: &Value) -> String {
    let reply = app.post_as("/api/v1/training-events", token, body);
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json()["id"].as_str().unwrap().to_owned()
}

/// (field, rule, citation) of every error of a problem.
fn unmet(reply: &kecs_tests::Reply) -> Vec<(String, String, String)> {
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

pub(crate) fn trainee(
    first: &str,
    last4: Option<&str>,
    same_centre: bool,
    head_start: bool,
) -> Value {
    json!({
        "first_name": first,
        "last_name": "Doe",
        "date_of_birth": "1990-05-17",
        "ssn_last4": last4,
        "employer": {
            "name": "Little Acorns",
            "works_at_trainers_centre": same_centre,
            "head_start_program": head_start,
        },
    })
}

pub(crate) fn enter(
    app: &TestApp,
    token: &str,
    event: &str,
    trainees: Vec<Value>,
) -> kecs_tests::Reply {
    app.post_as(
        &format!("/api/v1/training-events/{event}/attendance"),
        token,
        &json!({"trainees": trainees}),
    )
}

/// (case, token, body, expected (field, rule))
type AuthorityCase<'a> = (&'a str, &'a str, Value, Vec<(&'a str, &'a str)>);

fn events_are_checked_against_what_each_trainer_may_train(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (level_3, level_3_number) = trainer(&app, 1, Level::Level3, a_year_ago());
    let (level_1, level_1_number) = trainer(&app, 2, Level::Level1, a_year_ago());
    let (specialty, specialty_number) = trainer(&app, 3, Level::Specialty, a_year_ago());
    // Issued four years ago: its three years ran out a year ago.
    let lapsed_on = today().checked_sub_months(Months::new(48)).unwrap();
    let (lapsed, lapsed_number) = trainer(&app, 4, Level::Level4, lapsed_on);
    let day = days_ago(1);

    // Sec. 5(2): a Level 3 trainer with a Level 1 co-trainer on one topic.
    let accepted = app.post_as(
        "/api/v1/training-events",
        &level_3,
        &with(
            face_to_face(&level_3_number, day, 60),
            "co_trainers",
            json!([level_1_number]),
        ),
    );
    assert_eq!(accepted.status, 201, "{}", accepted.text);
    let event = accepted.json();
    assert_eq!(event["trainer_level"], "level_3");
    assert_eq!(event["co_trainers"][0]["level"], "level_1");
    assert_eq!(event["clock_hours"], 1.0);
    assert_eq!(
        event["attendance"]["due_on"],
        (day + Days::new(10)).to_string()
    );
    let id = event["id"].as_str().unwrap().to_owned();

    // (case, token, body, expected (field, rule))
    let cases: Vec<AuthorityCase> = vec![
        (
            "Sec. 11(5) 60 minutes",
            &level_3,
            face_to_face(&level_3_number, day, 60),
            vec![],
        ),
        (
            "Sec. 11(5) 59 minutes",
            &level_3,
            face_to_face(&level_3_number, day, 59),
            vec![
                ("minutes", "sec11_5_minimum_one_clock_hour"),
                ("minutes", "sec11_5_fifteen_minute_intervals"),
            ],
        ),
        (
            "Sec. 11(5) 75 minutes",
            &level_3,
            face_to_face(&level_3_number, day, 75),
            vec![],
        ),
        (
            "Sec. 11(5) 80 minutes",
            &level_3,
            face_to_face(&level_3_number, day, 80),
            vec![("minutes", "sec11_5_fifteen_minute_intervals")],
        ),
        (
            "Sec. 10(3) a Specialty trainer on a general topic",
            &specialty,
            with(
                face_to_face(&specialty_number, day, 60),
                "within_area_of_expertise",
                json!(true),
            ),
            vec![("credential_number", "sec10_3_no_general_topics")],
        ),
        (
            "Sec. 5(2) a Level 1 trainer alone",
            &level_1,
            face_to_face(&level_1_number, day, 60),
            vec![("credential_number", "sec5_2_co_trainer_only")],
        ),
        (
            "Sec. 11(3) a lapsed credential",
            &lapsed,
            face_to_face(&lapsed_number, day, 60),
            vec![("credential_number", "sec11_3_current_credential")],
        ),
        (
            "every unmet rule at once",
            &level_1,
            face_to_face(&level_1_number, day, 70),
            vec![
                ("credential_number", "sec5_2_co_trainer_only"),
                ("minutes", "sec11_5_fifteen_minute_intervals"),
            ],
        ),
    ];
    for (case, token, body, expected) in cases {
        let reply = app.post_as("/api/v1/training-events", token, &body);
        if expected.is_empty() {
            assert_eq!(reply.status, 201, "{case}: {}", reply.text);
            continue;
        }
        assert_eq!(reply.status, 422, "{case}: {}", reply.text);
        assert_eq!(reply.code(), "training_refused", "{case}");
        let found = unmet(&reply);
        let rules: Vec<(&str, &str)> = found
            .iter()
            .map(|(field, rule, _)| (field.as_str(), rule.as_str()))
            .collect();
        assert_eq!(rules, expected, "{case}");
        assert!(
            found
                .iter()
                .all(|(_, _, citation)| citation.starts_with("922 KAR 2:240 Section ")),
            "{case}: {found:?}"
        );
    }

    // Not a credential of the caller's, and an unknown co-trainer.
    let reply = app.post_as(
        "/api/v1/training-events",
        &level_3,
        &with(
            face_to_face(&level_1_number, day, 60),
            "co_trainers",
            json!(["KYT-0000-000000"]),
        ),
    );
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(
        reply.problem_fields(),
        ["credential_number", "co_trainers[0]"]
    );

    // Staff may not record events.
    let (staff_token, _) = staff(&app, Role::Specialist, "spec-events");
    let reply = app.post_as(
        "/api/v1/training-events",
        &staff_token,
        &face_to_face(&level_3_number, day, 60),
    );
    assert_eq!(reply.status, 403, "{}", reply.text);

    // The co-trainer sees the event; another trainer does not.
    let path = format!("/api/v1/training-events/{id}");
    assert_eq!(app.get(&path, Some(&level_1)).status, 200);
    assert_eq!(app.get(&path, Some(&specialty)).status, 404);
    let mine = app.get("/api/v1/training-events?limit=2", Some(&level_3));
    assert_eq!(mine.status, 200, "{}", mine.text);
    let page = mine.json();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let next = page["next_cursor"].as_str().unwrap();
    let rest = app.get(
        &format!("/api/v1/training-events?limit=2&cursor={next}"),
        Some(&level_3),
    );
    assert_eq!(
        rest.json()["items"].as_array().unwrap().len(),
        1,
        "{}",
        rest.text
    );
    assert_eq!(rest.json()["next_cursor"], Value::Null);
    let theirs = app.get("/api/v1/training-events", Some(&specialty));
    assert_eq!(theirs.json()["items"].as_array().unwrap().len(), 0);
}

fn attendance_is_due_within_ten_days_and_staff_see_what_is_late(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, number) = trainer(&app, 1, Level::Level4, a_year_ago());
    let (other, _) = trainer(&app, 2, Level::Level4, a_year_ago());
    let day_9 = create(&app, &token, &face_to_face(&number, days_ago(9), 60));
    let day_10 = create(&app, &token, &face_to_face(&number, days_ago(10), 60));
    let day_11 = create(&app, &token, &face_to_face(&number, days_ago(11), 90));
    let missing = create(&app, &token, &face_to_face(&number, days_ago(12), 60));
    let future = create(
        &app,
        &token,
        &face_to_face(&number, today() + Days::new(3), 60),
    );

    // Thirty trainees on day 9, new participants all.
    let thirty: Vec<Value> = (0..30)
        .map(|i| {
            trainee(
                &format!("Trainee{}", char::from(b'a' + (i % 26) as u8)),
                None,
                false,
                false,
            )
        })
        .collect();
    let reply = enter(&app, &token, &day_9, thirty);
    assert_eq!(reply.status, 201, "{}", reply.text);
    let rows = reply.json()["items"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 30);
    assert!(
        rows.iter()
            .all(|r| r["late"] == false && r["matched"] == "new_participant")
    );
    assert!(!reply.text.contains("ssn"), "{}", reply.text);

    // Sec. 12(1)(a): day 10 is in time, day 11 is late but kept.
    let reply = enter(
        &app,
        &token,
        &day_10,
        vec![trainee("Ann", None, false, false)],
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.json()["items"][0]["late"], false);
    let reply = enter(
        &app,
        &token,
        &day_11,
        vec![trainee("Bea", None, false, false)],
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.json()["items"][0]["late"], true);
    assert_eq!(reply.json()["items"][0]["minutes"], 90);
    let event = app.get(&format!("/api/v1/training-events/{day_11}"), Some(&token));
    assert_eq!(event.json()["attendance"]["late"], true, "{}", event.text);

    // Once only; not before the training ends; not by another trainer.
    let again = enter(
        &app,
        &token,
        &day_10,
        vec![trainee("Cal", None, false, false)],
    );
    assert_eq!(again.status, 409, "{}", again.text);
    assert_eq!(again.code(), "attendance_already_entered");
    let early = enter(
        &app,
        &token,
        &future,
        vec![trainee("Cal", None, false, false)],
    );
    assert_eq!(early.status, 409, "{}", early.text);
    assert_eq!(early.code(), "training_not_ended");
    let theirs = enter(
        &app,
        &other,
        &missing,
        vec![trainee("Cal", None, false, false)],
    );
    assert_eq!(theirs.status, 404, "{}", theirs.text);

    // Staff see the late one and the missing one, not those in time.
    let (specialist, _) = staff(&app, Role::Specialist, "spec-late");
    let reply = app.get(
        "/api/v1/review/training-events/late-attendance",
        Some(&specialist),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    let listed: Vec<String> = reply.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed, [missing.clone(), day_11.clone()]);
    let trainers_view = app.get(
        "/api/v1/review/training-events/late-attendance",
        Some(&token),
    );
    assert_eq!(trainers_view.status, 403);
}

fn a_roster_reports_every_bad_row_and_saves_nothing_until_all_are_good(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, number) = trainer(&app, 1, Level::Level3, a_year_ago());
    // A person on record with an account: Jane Doe, 1990-05-17, SSN …-2222.
    register(&app, "trainee", "trainee@example.org", "222-33-2222");
    let event = create(&app, &token, &face_to_face(&number, days_ago(2), 60));
    let path = format!("/api/v1/training-events/{event}/attendance");
    let header = "first_name,last_name,date_of_birth,ssn_last4,employer_name,works_at_trainers_centre,head_start_program,disciplinary_directive\n";

    // Two malformed rows: both named by line and field.
    let sheet = format!(
        "{header}Ann,Lee,1990-01-31,,Little Acorns,no,no,\nBea,Kim,31/01/1990,,Little Acorns,no,no,\nCal,Ray,1991-02-03,12345,Little Acorns,maybe,no,\n"
    );
    let reply = app.send("POST", &path, Some(&token), "text/csv", sheet.into_bytes());
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(reply.code(), "validation_failed");
    assert_eq!(
        reply.problem_fields(),
        [
            "line 3: date_of_birth",
            "line 4: ssn_last4",
            "line 4: employer.works_at_trainers_centre",
        ]
    );

    // A malformed row and a same-centre row (Sec. 11(1)): one refusal.
    let sheet = format!(
        "{header}Ann,Lee,1990-01-31,,Little Acorns,no,no,\nBea,Kim,1990-13-01,,Little Acorns,no,no,\nCal,Ray,1991-02-03,,Own Centre,yes,no,\n"
    );
    let reply = app.send("POST", &path, Some(&token), "text/csv", sheet.into_bytes());
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(reply.code(), "attendance_refused");
    assert_eq!(
        unmet(&reply),
        [
            (
                "line 3: date_of_birth".to_owned(),
                String::new(),
                String::new()
            ),
            (
                "line 4: employer".to_owned(),
                "sec11_1_same_centre_employee".to_owned(),
                "922 KAR 2:240 Section 11(1)".to_owned()
            ),
        ]
    );
    let saved = app.get(&path, Some(&token));
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.json()["items"], json!([]), "nothing saved");

    // Head Start lifts the same-centre rule; a row matches a person on record.
    let sheet = format!(
        "{header}Jane,Doe,1990-05-17,2222,Little Acorns,no,no,\nRay,Cal,1991-02-03,,\"Own Centre, Inc.\",yes,yes,\n"
    );
    let reply = app.send("POST", &path, Some(&token), "text/csv", sheet.into_bytes());
    assert_eq!(reply.status, 201, "{}", reply.text);
    let rows = app.get(&path, Some(&token)).json()["items"].clone();
    assert_eq!(rows[0]["matched"], "person_on_record");
    assert!(rows[0]["account_id"].is_string(), "{rows}");
    assert_eq!(rows[1]["matched"], "new_participant");
    assert_eq!(rows[1]["employer"]["name"], "Own Centre, Inc.");
    assert_eq!(rows[1]["employer"]["head_start_program"], true);
    // The last four digits as a value (not inside a random id).
    assert!(!rows.to_string().contains("\"2222\""), "{rows}");
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r.get("ssn_last4").is_none()),
        "{rows}"
    );
}

/// Moves an event's days back to end on `ends_on`.
fn backdate(app: &TestApp, event: &str, ends_on: NaiveDate) {
    use diesel::prelude::*;
    use kecs_persistence::schema::training_events::dsl;
    app.state
        .db
        .transaction(|conn| {
            diesel::update(dsl::training_events.filter(dsl::id.eq(event)))
                .set((dsl::starts_on.eq(ends_on), dsl::ends_on.eq(ends_on)))
                .execute(conn)
                .map_err(kecs_persistence::PersistenceError::from)
        })
        .unwrap();
}

fn an_online_training_is_not_repeated_within_five_years(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, number) = trainer(&app, 1, Level::Level5, a_year_ago());
    register(&app, "trainee", "trainee@example.org", "222-33-2222");
    let online = |ends_on: NaiveDate| {
        with(
            face_to_face(&number, ends_on, 120),
            "delivery",
            json!({
                "face_to_face": false,
                "synchronous": false,
                "modes": ["reading_article", "discussion"],
                "gauges_participation": true,
            }),
        )
    };
    let earlier = create(&app, &token, &online(days_ago(3)));
    let reply = enter(
        &app,
        &token,
        &earlier,
        vec![trainee("Jane", Some("2222"), false, false)],
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.json()["items"][0]["matched"], "person_on_record");

    let repeat_starts = days_ago(1);
    let repeat = create(&app, &token, &online(repeat_starts));
    let five_years_before = repeat_starts.checked_sub_months(Months::new(60)).unwrap();

    // 4 years 364 days: refused, with the clause.
    backdate(&app, &earlier, five_years_before + Days::new(1));
    let reply = enter(
        &app,
        &token,
        &repeat,
        vec![trainee("Jane", Some("2222"), false, false)],
    );
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(reply.code(), "attendance_refused");
    assert_eq!(
        unmet(&reply),
        [(
            "trainees[0].disciplinary_directive".to_owned(),
            "sec11_11_online_training_not_repeated".to_owned(),
            "922 KAR 2:240 Section 11(11)".to_owned()
        )]
    );

    // Five years: accepted.
    backdate(&app, &earlier, five_years_before);
    let reply = enter(
        &app,
        &token,
        &repeat,
        vec![trainee("Jane", Some("2222"), false, false)],
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
}

fn a_directive_allows_the_repeat(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, number) = trainer(&app, 1, Level::Level5, a_year_ago());
    register(&app, "trainee", "trainee@example.org", "222-33-2222");
    let online = |ends_on: NaiveDate| {
        with(
            face_to_face(&number, ends_on, 60),
            "delivery",
            json!({"face_to_face": false, "synchronous": true, "modes": ["watching_video", "discussion"], "interactive": true}),
        )
    };
    let earlier = create(&app, &token, &online(days_ago(3)));
    assert_eq!(
        enter(
            &app,
            &token,
            &earlier,
            vec![trainee("Jane", Some("2222"), false, false)]
        )
        .status,
        201
    );
    let repeat = create(&app, &token, &online(days_ago(1)));
    let mut row = trainee("Jane", Some("2222"), false, false);
    row["disciplinary_directive"] = json!("Employer corrective action plan of 2026-11-01");
    let reply = enter(&app, &token, &repeat, vec![row]);
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(
        reply.json()["items"][0]["disciplinary_directive"],
        "Employer corrective action plan of 2026-11-01"
    );
}

fn the_sweeper_reminds_the_trainer_once_before_and_once_after_the_ten_days(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, number) = trainer(&app, 1, Level::Level3, a_year_ago());
    create(&app, &token, &face_to_face(&number, days_ago(8), 60));
    let now = kecs_api::workflows::now();
    sweeper::run_once(&app.state, now).unwrap();
    sweeper::run_once(&app.state, now).unwrap();
    app.drain_outbox();
    let reminder = app.wait_for_mail("trainer1@example.org", "Enter the attendance");
    assert!(
        reminder.body.contains("Section 12(1)(a)"),
        "{}",
        reminder.body
    );

    let later = now + chrono::Duration::days(3);
    sweeper::run_once(&app.state, later).unwrap();
    sweeper::run_once(&app.state, later).unwrap();
    app.drain_outbox();
    app.wait_for_mail("trainer1@example.org", "overdue");
    assert_eq!(
        app.mails_to("trainer1@example.org")
            .iter()
            .filter(|m| m.subject.contains("attendance"))
            .count(),
        2
    );
}

/// A conference's roster of 500 is about 85 KiB as JSON, past the 64 KiB
/// of other bodies: a roster has 1 MiB, and past that gets 413.
fn a_conference_roster_of_five_hundred_is_entered_in_one_request(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, number) = trainer(&app, 1, Level::Level3, a_year_ago());
    let event = create(&app, &token, &face_to_face(&number, days_ago(1), 180));
    const FIRSTS: [&str; 20] = [
        "Ava", "Ben", "Carla", "Dmitri", "Elena", "Farah", "Gus", "Hana", "Ivan", "June", "Kofi",
        "Lena", "Marco", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tia",
    ];
    const LASTS: [&str; 25] = [
        "Adams", "Baker", "Clark", "Davis", "Evans", "Foster", "Garcia", "Hughes", "Ito",
        "Johnson", "King", "Lopez", "Miller", "Nguyen", "Owens", "Patel", "Reed", "Smith",
        "Turner", "Walker", "Young", "Zimmer", "Brooks", "Carter", "Dunn",
    ];
    let roster: Vec<Value> = (0..500)
        .map(|i| {
            let mut row = trainee(FIRSTS[i % 20], None, false, false);
            row["last_name"] = json!(LASTS[i / 20]);
            row
        })
        .collect();
    let body = json!({"trainees": roster});
    assert!(
        body.to_string().len() > 64 * 1024,
        "the roster is past 64 KiB"
    );
    let reply = enter(&app, &token, &event, roster);
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.json()["items"].as_array().unwrap().len(), 500);

    let other = create(&app, &token, &face_to_face(&number, days_ago(1), 60));
    let huge = format!(
        "first_name,last_name,date_of_birth,employer_name\n{}",
        "Ann,Lee,1990-01-31,Little Acorns\n".repeat(40_000)
    );
    assert!(huge.len() > 1024 * 1024);
    let reply = app.send(
        "POST",
        &format!("/api/v1/training-events/{other}/attendance"),
        Some(&token),
        "text/csv",
        huge.into_bytes(),
    );
    assert_eq!(reply.status, 413, "{}", reply.text);
    let saved = app.get(
        &format!("/api/v1/training-events/{other}/attendance"),
        Some(&token),
    );
    assert_eq!(saved.json()["items"], json!([]));
}

/// `kecs seed-demo` records a trainer with a current Level 3 credential
/// once, who can sign in and record an event.
fn the_demo_trainer_is_seeded_once_and_may_train(backend: Backend) {
    let app = TestApp::spawn(backend);
    let number = kecs_api::workflows::demo::seed_trainer(&app.state)
        .unwrap()
        .expect("added the first time");
    assert_eq!(
        kecs_api::workflows::demo::seed_trainer(&app.state).unwrap(),
        None,
        "not twice"
    );
    let signed_in = login(
        &app,
        kecs_api::workflows::demo::DEMO_TRAINER,
        kecs_api::workflows::demo::DEMO_PASSWORD,
    );
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    let token = access_token(&signed_in);
    let held = app.get("/api/v1/me/credentials", Some(&token));
    assert_eq!(held.json()["items"][0]["number"], number.as_str());
    assert_eq!(held.json()["items"][0]["level"], "level_3");
    create(&app, &token, &face_to_face(&number, days_ago(1), 60));
}

both_backends!(
    a_conference_roster_of_five_hundred_is_entered_in_one_request,
    the_demo_trainer_is_seeded_once_and_may_train,
    events_are_checked_against_what_each_trainer_may_train,
    attendance_is_due_within_ten_days_and_staff_see_what_is_late,
    a_roster_reports_every_bad_row_and_saves_nothing_until_all_are_good,
    an_online_training_is_not_repeated_within_five_years,
    a_directive_allows_the_repeat,
    the_sweeper_reminds_the_trainer_once_before_and_once_after_the_ten_days,
);
