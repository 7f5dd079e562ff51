//! The life of a training, after it is given: the lead trainer signs the
//! certificates of training (Sec. 12(2)), trainer and trainees download
//! them, anyone confirms one by its number, a trainee reads their
//! transcript, and a renewing trainer's continuing education (Sec.
//! 13(3)(b)) starts from theirs.
//!
//! There is no test clock: events are dated relative to today (see
//! `training_events`' tests, whose helpers are copied here).

use crate::applications::ready_applicant;
use crate::credentials::held_credential;
use crate::support::{access_token, register, staff};
use chrono::{Days, Months, NaiveDate};
use kecs_api::workflows::pdf::shown_text;
use kecs_domain::account::Role;
use kecs_domain::rules::Level;
use kecs_tests::{Backend, TestApp, both_backends};
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn today() -> NaiveDate {
    kecs_api::workflows::now().date()
}

fn days_ago(days: u64) -> NaiveDate {
    today() - Days::new(days)
}

fn a_year_ago() -> NaiveDate {
    today().checked_sub_months(Months::new(12)).unwrap()
}

/// A signed-in trainer (Jane Doe, as every test account) holding a
/// credential of `level` issued a year ago: (token, credential number).
fn trainer(app: &TestApp, n: u32, level: Level) -> (String, String) {
    let username = format!("trainer{n}");
    let token = access_token(&register(
        app,
        &username,
        &format!("{username}@example.org"),
        &ssn(n),
    ));
    (token, held_credential(app, &username, level, a_year_ago()))
}

/// Distinct SSNs; the last four digits match a trainee on a roster.
fn ssn(n: u32) -> String {
    format!("{:03}-45-{:04}", 100 + n, 1000 + n)
}

fn last4(n: u32) -> String {
    format!("{:04}", 1000 + n)
}

fn face_to_face(number: &str, title: &str, topic: &str, ends_on: NaiveDate, minutes: u32) -> Value {
    json!({
        "title": title,
        "sponsor": "Frankfort Child Care Council",
        "starts_on": ends_on.to_string(),
        "ends_on": ends_on.to_string(),
        "minutes": minutes,
        "delivery": {"face_to_face": true},
        "topics": [topic],
        "purposes": ["child_care_training_requirements"],
        "credential_number": number,
    })
}

fn create(app: &TestApp, token: &str, body: &Value) -> String {
    let reply = app.post_as("/api/v1/training-events", token, body);
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json()["id"].as_str().unwrap().to_owned()
}

/// A roster row: matched to the person on record of account `n` (every
/// test account is Jane Doe, born 1990-05-17), or a new participant.
fn trainee(first: &str, last: &str, last4: Option<&str>) -> Value {
    json!({
        "first_name": first,
        "last_name": last,
        "date_of_birth": "1990-05-17",
        "ssn_last4": last4,
        "employer": {
            "name": "Little Acorns",
            "works_at_trainers_centre": false,
            "head_start_program": false,
        },
    })
}

fn enter(app: &TestApp, token: &str, event: &str, trainees: Vec<Value>) {
    let reply = app.post_as(
        &format!("/api/v1/training-events/{event}/attendance"),
        token,
        &json!({"trainees": trainees}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
}

fn sign(app: &TestApp, token: &str, event: &str) -> kecs_tests::Reply {
    app.post_as(
        &format!("/api/v1/training-events/{event}/certificates"),
        token,
        &json!({"signature": "Terry Trainer"}),
    )
}

fn numbers(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["number"].as_str().unwrap().to_owned())
        .collect()
}

fn is_number(raw: &str) -> bool {
    raw.strip_prefix("TC-").is_some_and(|rest| {
        rest.len() == 12
            && rest
                .bytes()
                .all(|b| b"0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(&b))
    })
}

fn a_training_from_signature_to_transcript_and_renewal(backend: Backend) {
    let app = TestApp::spawn(backend);
    // The lead: Level 3, with a profile ready to renew.
    let lead = ready_applicant(&app, "lead", "lead@example.org", &ssn(1));
    let lead_number = held_credential(&app, "lead", Level::Level3, a_year_ago());
    let (co_trainer, co_number) = trainer(&app, 2, Level::Level1);
    let (other_trainer, other_number) = trainer(&app, 3, Level::Level4);
    // Three trainees with accounts; the others are new participants.
    let trainees: Vec<String> = (4..7)
        .map(|n| {
            access_token(&register(
                &app,
                &format!("trainee{n}"),
                &format!("trainee{n}@example.org"),
                &ssn(n),
            ))
        })
        .collect();
    let (specialist, _) = staff(&app, Role::Specialist, "spec");

    // The lead is trained by another trainer, five days ago: 2 hours.
    let attended = create(
        &app,
        &other_trainer,
        &face_to_face(
            &other_number,
            "Observing young children",
            "child_growth_and_development",
            days_ago(5),
            120,
        ),
    );
    // No roster yet: nothing to certify (Sec. 12(1)(a)).
    let early = sign(&app, &other_trainer, &attended);
    assert_eq!(early.status, 409, "{}", early.text);
    assert_eq!(early.code(), "no_attendance_yet");
    enter(
        &app,
        &other_trainer,
        &attended,
        vec![trainee("Jane", "Doe", Some(&last4(1)))],
    );

    // The lead's event, with a Level 1 co-trainer (Sec. 5(2)), ended nine
    // days ago; its roster is entered on day 9 of the ten.
    let mut body = face_to_face(
        &lead_number,
        "Safe sleep for infants",
        "health_safety_nutrition",
        days_ago(9),
        90,
    );
    body["co_trainers"] = json!([co_number]);
    let event = create(&app, &lead, &body);
    let mut roster: Vec<Value> = (4..7)
        .map(|n| trainee("Jane", "Doe", Some(&last4(n))))
        .collect();
    roster.extend(
        (0..27u8).map(|i| trainee("Pat", &format!("Lee{}", char::from(b'a' + i % 26)), None)),
    );
    enter(&app, &lead, &event, roster);

    // Only the lead signs: a co-trainer finds nothing, staff may not.
    let path = format!("/api/v1/training-events/{event}/certificates");
    assert_eq!(sign(&app, &co_trainer, &event).status, 404);
    assert_eq!(sign(&app, &specialist, &event).status, 403);
    assert_eq!(app.get(&path, Some(&co_trainer)).status, 404);
    let blank = app.post_as(&path, &lead, &json!({"signature": " "}));
    assert_eq!(blank.status, 422, "{}", blank.text);
    assert_eq!(blank.problem_fields(), ["signature"]);

    let signed = sign(&app, &lead, &event);
    assert_eq!(signed.status, 201, "{}", signed.text);
    let issued = numbers(&signed.json());
    assert_eq!(issued.len(), 30);
    assert!(issued.iter().all(|n| is_number(n)), "{issued:?}");
    assert_eq!(issued.iter().collect::<BTreeSet<_>>().len(), 30);
    // Signing again issues none twice.
    let again = sign(&app, &lead, &event);
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(numbers(&again.json()), issued);
    let listed = app.get(&path, Some(&lead));
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(numbers(&listed.json()), issued);
    assert_eq!(listed.json()["items"][0]["trainee_name"], "Jane Doe");

    // Each matched trainee with an account is told.
    for n in 4..7 {
        let mail = app.wait_for_mail(&format!("trainee{n}@example.org"), "certificate");
        let number = &issued[(n - 4) as usize];
        // Links to the front end's pages (KECS_PUBLIC_URL), not to the API.
        for page in [
            format!("https://kecs.test/certificates/{number}\n"),
            format!("https://kecs.test/certificates/{number}/verify\n"),
        ] {
            assert!(mail.body.contains(&page), "{page} in {}", mail.body);
        }
        assert!(!mail.body.contains("/api/"), "{}", mail.body);
    }

    // The certificate shows every item of Sec. 12(2).
    let credential = app.get(&format!("/api/v1/credentials/{lead_number}"), Some(&lead));
    let expires_on = credential.json()["expires_on"].as_str().unwrap().to_owned();
    let first = &issued[0];
    let pdf = app.get(&format!("{path}/{first}"), Some(&lead));
    assert_eq!(pdf.status, 200, "{}", pdf.text);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(
        pdf.header("content-disposition")
            .is_some_and(|d| d.contains(&format!("certificate-{first}.pdf"))),
        "{:?}",
        pdf.headers
    );
    let text = shown_text(&pdf.bytes).join("\n");
    let day = days_ago(9).to_string();
    for (item, expected) in [
        (
            "Sec. 12(2)(a)",
            "Training: Safe sleep for infants".to_owned(),
        ),
        (
            "Sec. 12(2)(b)",
            "Sponsoring organization: Frankfort Child Care Council".to_owned(),
        ),
        ("Sec. 12(2)(c)", "Trainee: Jane Doe".to_owned()),
        ("Sec. 12(2)(d)", "Clock hours: 1.5".to_owned()),
        (
            "Sec. 12(2)(e)",
            format!("Training start and end date: {day} to {day}"),
        ),
        (
            "Sec. 12(2)(f)1",
            format!("Trainer's signature: /s/ Terry Trainer (signed {}", today()),
        ),
        (
            "Sec. 12(2)(f)2",
            format!("Trainer's credential number: {lead_number}"),
        ),
        (
            "Sec. 12(2)(f)3",
            format!("Credential number expiration date: {expires_on}"),
        ),
        (
            "Sec. 12(2)(g)",
            "Core content areas: Health, safety, and nutrition".to_owned(),
        ),
        ("the number", format!("Certificate number: {first}")),
    ] {
        assert!(text.contains(&expected), "{item}: {expected} in\n{text}");
    }
    // Another event's path does not open it.
    assert_eq!(
        app.get(
            &format!("/api/v1/training-events/{attended}/certificates/{first}"),
            Some(&lead)
        )
        .status,
        404
    );

    // The trainee downloads their own, and no one else's.
    let mine = app.get("/api/v1/me/certificates", Some(&trainees[0]));
    assert_eq!(mine.status, 200, "{}", mine.text);
    assert_eq!(numbers(&mine.json()), std::slice::from_ref(first));
    let own = app.get(
        &format!("/api/v1/me/certificates/{first}"),
        Some(&trainees[0]),
    );
    assert_eq!(own.status, 200, "{}", own.text);
    assert!(
        shown_text(&own.bytes)
            .join("\n")
            .contains("Trainee: Jane Doe")
    );
    for stranger in [&trainees[1], &lead] {
        let theirs = app.get(&format!("/api/v1/me/certificates/{first}"), Some(stranger));
        assert_eq!(theirs.status, 404, "{}", theirs.text);
    }
    assert_eq!(
        app.get(
            &format!("/api/v1/me/certificates/{first}"),
            Some(&specialist)
        )
        .status,
        403
    );

    // Anyone confirms it, seeing of the trainee only the name.
    let public = app.get(&format!("/api/v1/public/certificates/{first}"), None);
    assert_eq!(public.status, 200, "{}", public.text);
    assert_eq!(public.header("cache-control"), Some("public, max-age=60"));
    let body = public.json();
    let fields: BTreeSet<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        BTreeSet::from([
            "number",
            "training_name",
            "sponsoring_organization",
            "trainee_name",
            "clock_hours",
            "starts_on",
            "ends_on",
            "core_content_areas",
            "trainer_name",
            "trainer_credential_number",
            "trainer_credential_expires_on",
            "issued_at",
        ])
    );
    for personal in [
        "date_of_birth",
        "employer",
        "person_id",
        "account_id",
        "ssn_last4",
    ] {
        assert!(body.get(personal).is_none(), "{personal} in {body}");
        assert!(!public.text.contains("1990-05-17"), "{body}");
        assert!(!public.text.contains("Little Acorns"), "{body}");
    }
    assert_eq!(body["trainee_name"], "Jane Doe");
    assert_eq!(body["clock_hours"], 1.5);
    assert_eq!(body["trainer_credential_number"], lead_number.as_str());
    assert_eq!(body["trainer_credential_expires_on"], expires_on.as_str());
    assert_eq!(
        body["core_content_areas"],
        json!(["Health, safety, and nutrition"])
    );
    // An unknown number and a malformed one: the same 404.
    for unknown in ["TC-000000000000", "TC-nope", "KYT-2026-000001"] {
        let missing = app.get(&format!("/api/v1/public/certificates/{unknown}"), None);
        assert_eq!(missing.status, 404, "{unknown}: {}", missing.text);
        assert_eq!(missing.code(), "not_found");
    }

    // The trainee's transcript: JSON, CSV and PDF.
    let transcript = app.get("/api/v1/me/transcript", Some(&trainees[0]));
    assert_eq!(transcript.status, 200, "{}", transcript.text);
    let transcript = transcript.json();
    assert_eq!(
        transcript["trainings"][0]["certificate_number"],
        first.as_str()
    );
    assert_eq!(transcript["trainings"][0]["clock_hours"], 1.5);
    assert_eq!(transcript["total_clock_hours"], 1.5);
    assert_eq!(
        transcript["by_content_area"],
        json!([{"area": "health_safety_nutrition", "clock_hours": 1.5}])
    );
    assert_eq!(
        transcript["by_year"],
        json!([{"year": chrono::Datelike::year(&days_ago(9)), "clock_hours": 1.5}])
    );
    let bearer = format!("Bearer {}", trainees[0]);
    let csv = app.get_with(
        "/api/v1/me/transcript",
        &[("Authorization", &bearer), ("Accept", "text/csv")],
    );
    assert_eq!(csv.status, 200, "{}", csv.text);
    assert!(
        csv.header("content-type")
            .is_some_and(|t| t.starts_with("text/csv"))
    );
    let lines: Vec<&str> = csv.text.lines().collect();
    assert_eq!(
        lines,
        [
            "training_name,sponsoring_organization,starts_on,ends_on,clock_hours,core_content_areas,certificate_number".to_owned(),
            format!("Safe sleep for infants,Frankfort Child Care Council,{day},{day},1.5,health_safety_nutrition,{first}"),
        ]
    );
    let pdf = app.get_with(
        "/api/v1/me/transcript",
        &[("Authorization", &bearer), ("Accept", "application/pdf")],
    );
    assert_eq!(pdf.status, 200, "{}", pdf.text);
    let text = shown_text(&pdf.bytes).join("\n");
    assert!(text.contains("Total clock hours: 1.5"), "{text}");
    assert!(text.contains(first.as_str()), "{text}");
    let refused = app.get_with(
        "/api/v1/me/transcript",
        &[("Authorization", &bearer), ("Accept", "image/png")],
    );
    assert_eq!(refused.status, 406, "{}", refused.text);
    assert_eq!(refused.code(), "not_acceptable");

    // The lead renews: the two hours they attended are already there
    // (Sec. 13(3)(b)2), dated since the credential's issue date, as a draft
    // they still edit.
    let renewal = app.post_as(
        "/api/v1/applications",
        &lead,
        &json!({"request_types": ["renewal"], "answers": {"renewal_level": "level_3", "conducts_online_training": false}}),
    );
    assert_eq!(renewal.status, 201, "{}", renewal.text);
    let renewal = renewal.json()["id"].as_str().unwrap().to_owned();
    let element_path = format!("/api/v1/applications/{renewal}/elements/continuing_education");
    let element = app.get(&element_path, Some(&lead));
    assert_eq!(element.status, 200, "{}", element.text);
    let data = &element.json()["data"];
    assert_eq!(data["issued_on"], a_year_ago().to_string(), "{data}");
    assert_eq!(
        data["ce_hours"],
        json!([{"category": "early_care_and_education", "clock_hours": 2.0, "completed_on": days_ago(5).to_string()}]),
        "{data}"
    );
    let edited = app.put_as(
        &element_path,
        &lead,
        &json!({"issued_on": a_year_ago().to_string(), "ce_hours": [
            {"category": "early_care_and_education", "clock_hours": 2, "completed_on": days_ago(5).to_string()},
            {"category": "related_professional", "clock_hours": 15, "completed_on": days_ago(3).to_string()},
        ]}),
    );
    assert_eq!(edited.status, 200, "{}", edited.text);
}

fn a_certificate_missing_an_item_of_section_12_2_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (lead, number) = trainer(&app, 1, Level::Level4);
    // No core content area (Sec. 12(2)(g)).
    let mut body = face_to_face(
        &number,
        "Office hours",
        "health_safety_nutrition",
        days_ago(2),
        60,
    );
    body["topics"] = json!([]);
    body["purposes"] = json!(["cda"]);
    let event = create(&app, &lead, &body);
    enter(&app, &lead, &event, vec![trainee("Pat", "Lee", None)]);
    let refused = sign(&app, &lead, &event);
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.code(), "certificate_refused");
    let errors = &refused.json()["errors"][0];
    assert_eq!(errors["field"], "topics");
    assert_eq!(errors["rule"], "sec12_2_g_core_content_areas");
    assert!(
        errors["citation"]
            .as_str()
            .unwrap()
            .contains("Section 12(2)(g)"),
        "{errors}"
    );
    let listed = app.get(
        &format!("/api/v1/training-events/{event}/certificates"),
        Some(&lead),
    );
    assert_eq!(listed.json()["items"], json!([]));
}

both_backends!(
    a_training_from_signature_to_transcript_and_renewal,
    a_certificate_missing_an_item_of_section_12_2_is_refused,
);
