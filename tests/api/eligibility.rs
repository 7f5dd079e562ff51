//! The rules as a service: the engine's answers, as the contract shapes them.

use crate::support::{ALL_TOPICS, access_token, login, register};
use kecs_domain::account::{EmailAddress, Password, Role, Username};
use kecs_tests::{Backend, TestApp, both_backends};
use serde_json::{Value, json};

/// Meets Sec. 2 and Level 1 (three years of early care and education).
fn level_1_document() -> Value {
    json!({
        "date_of_birth": "1985-07-14",
        "as_of": "2026-11-24",
        "high_school_diploma": true,
        "intro_training_clock_hours": 2,
        "data_system_training_clock_hours": 2,
        "topics": ALL_TOPICS,
        "ece_experience_years": 3,
    })
}

fn level<'a>(reply: &'a Value, name: &str) -> &'a Value {
    reply["levels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["level"] == name)
        .unwrap()
}

fn rules_of(level: &Value) -> Vec<String> {
    level["unmet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["rule"].as_str().unwrap().to_owned())
        .collect()
}

fn evaluate_answers_every_level_with_cited_reasons(backend: Backend) {
    let app = TestApp::spawn(backend);
    let reply = app.post("/api/v1/eligibility/evaluate", &level_1_document());
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["as_of"], "2026-11-24");
    let names: Vec<&str> = body["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["level"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "level_1",
            "level_2",
            "level_3",
            "level_4",
            "level_5",
            "specialty"
        ]
    );
    let level_1 = level(&body, "level_1");
    assert_eq!(level_1["eligible"], true, "{level_1}");
    assert!(level_1["unmet"].as_array().unwrap().is_empty());
    assert_eq!(level_1["solo_training_allowed"], false);
    assert!(
        level_1["may_train"][0]
            .as_str()
            .unwrap()
            .contains("co-trainer")
    );
    let level_3 = level(&body, "level_3");
    assert_eq!(level_3["eligible"], false);
    for unmet in level_3["unmet"].as_array().unwrap() {
        assert!(
            unmet["citation"]
                .as_str()
                .unwrap()
                .starts_with("922 KAR 2:240 Section "),
            "{unmet}"
        );
        assert!(!unmet["message"].as_str().unwrap().is_empty());
    }
}

fn every_unmet_requirement_is_listed_not_just_the_first(backend: Backend) {
    let app = TestApp::spawn(backend);
    let reply = app.post(
        "/api/v1/eligibility/evaluate",
        &json!({"date_of_birth": "2010-01-01", "as_of": "2026-11-24"}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    let rules = rules_of(level(&reply.json(), "level_1"));
    for expected in [
        "sec2_1_age",
        "sec2_2_high_school_diploma",
        "sec2_3_introduction_training",
        "sec2_4_data_system_training",
        "sec2_5_e_child_assessments",
        "sec5_1_ece_experience",
    ] {
        assert!(
            rules.iter().any(|r| r == expected),
            "{expected} missing from {rules:?}"
        );
    }
}

fn invalid_documents_are_refused_naming_the_field(backend: Backend) {
    let app = TestApp::spawn(backend);
    let cases = [
        ("intro_training_clock_hours", json!(-1)),
        ("ece_experience_years", json!(-0.5)),
        ("date_of_birth", json!("2030-01-01")),
        ("date_of_birth", json!("07/14/1985")),
        ("as_of", json!("2026-02-30")),
        ("topics[1]", json!(["child_assessments", "knitting"])),
        (
            "degrees[0].field",
            json!([{"level": "bachelor", "field": "basket_weaving"}]),
        ),
        (
            "seminar_waiver.coursework_completed_on",
            json!({"coursework_completed_on": "soon", "curriculum_matches": true}),
        ),
        (
            "specialty.related_experience_years",
            json!({"area": "nursing", "license_or_certification": true, "related_experience_years": -3}),
        ),
        ("favourite_colour", json!("blue")),
    ];
    for (field, value) in cases {
        let mut document = level_1_document();
        let key = field.split(['[', '.']).next().unwrap();
        document[key] = value;
        let reply = app.post("/api/v1/eligibility/evaluate", &document);
        assert_eq!(reply.status, 422, "{field}: {}", reply.text);
        assert_eq!(reply.problem_fields(), [field], "{}", reply.text);
    }
}

/// Level 2, issued 2023-12-01: 7 + 8 + 15 = 30 hours since then.
fn renewal_request(adult_hours: f64) -> Value {
    json!({
        "level": "level_2",
        "issued_on": "2023-12-01",
        "as_of": "2026-11-01",
        "ce_hours": [
            {"category": "training_adults", "clock_hours": adult_hours, "completed_on": "2024-02-01"},
            {"category": "early_care_and_education", "clock_hours": 8, "completed_on": "2024-06-01"},
            {"category": "related_professional", "clock_hours": 22.0 - adult_hours, "completed_on": "2025-06-01"},
        ],
        "coach_observation": true,
        "data_system_training_verified": true,
    })
}

fn renewal_needs_seven_hours_on_training_adults(backend: Backend) {
    let app = TestApp::spawn(backend);
    let enough = app.post("/api/v1/eligibility/renewal", &renewal_request(7.0));
    assert_eq!(enough.status, 200, "{}", enough.text);
    let body = enough.json();
    assert_eq!(body["eligible"], true, "{body}");
    assert_eq!(body["continuing_education"]["total"], 30.0);
    assert_eq!(body["expires_on"], "2026-12-01");

    let short = app
        .post("/api/v1/eligibility/renewal", &renewal_request(6.0))
        .json();
    assert_eq!(short["eligible"], false);
    let unmet = short["unmet"].as_array().unwrap();
    assert!(
        unmet
            .iter()
            .any(|u| u["rule"] == "sec13_3_b_1_training_adults"
                && u["citation"] == "922 KAR 2:240 Section 13(3)(b)1"),
        "{short}"
    );
}

fn level_1_is_not_renewable_and_bad_renewals_are_named(backend: Backend) {
    let app = TestApp::spawn(backend);
    let mut level_1 = renewal_request(7.0);
    level_1["level"] = json!("level_1");
    let reply = app.post("/api/v1/eligibility/renewal", &level_1).json();
    assert_eq!(reply["eligible"], false);
    assert_eq!(reply["unmet"][0]["rule"], "sec13_1_b_not_renewable");

    let cases = [
        ("level", json!("level_9")),
        ("issued_on", json!("2027-01-01")),
        (
            "ce_hours[0].clock_hours",
            json!([{"category": "training_adults", "clock_hours": -7, "completed_on": "2024-02-01"}]),
        ),
        (
            "ce_hours[0].category",
            json!([{"category": "gardening", "clock_hours": 7, "completed_on": "2024-02-01"}]),
        ),
    ];
    for (field, value) in cases {
        let mut request = renewal_request(7.0);
        request[field.split(['[', '.']).next().unwrap()] = value;
        let reply = app.post("/api/v1/eligibility/renewal", &request);
        assert_eq!(reply.status, 422, "{field}: {}", reply.text);
        assert_eq!(reply.problem_fields(), [field], "{}", reply.text);
    }
}

fn my_eligibility_evaluates_what_the_applicant_has_on_file(backend: Backend) {
    let app = TestApp::spawn(backend);
    assert_eq!(app.get("/api/v1/me/eligibility", None).status, 401);
    let token = access_token(&register(
        &app,
        "jdoe",
        "jane.doe@example.org",
        "123-45-6789",
    ));
    let reply = app.get("/api/v1/me/eligibility", Some(&token));
    assert_eq!(reply.status, 200, "{}", reply.text);
    let level_1 = level(&reply.json(), "level_1").clone();
    let rules = rules_of(&level_1);
    // Born 1990-05-17: old enough; nothing else is on file yet.
    assert!(!rules.iter().any(|r| r == "sec2_1_age"), "{rules:?}");
    assert!(
        rules.iter().any(|r| r == "sec2_2_high_school_diploma"),
        "{rules:?}"
    );

    kecs_api::workflows::staff::add(
        &app.state,
        Role::Admin,
        Username::parse("admin1").unwrap(),
        EmailAddress::parse("admin1@ky.gov").unwrap(),
        Password::parse("Admin-Password-123").unwrap(),
    )
    .unwrap();
    let admin = access_token(&login(&app, "admin1", "Admin-Password-123"));
    assert_eq!(app.get("/api/v1/me/eligibility", Some(&admin)).status, 403);
}

both_backends!(
    evaluate_answers_every_level_with_cited_reasons,
    every_unmet_requirement_is_listed_not_just_the_first,
    invalid_documents_are_refused_naming_the_field,
    renewal_needs_seven_hours_on_training_adults,
    level_1_is_not_renewable_and_bad_renewals_are_named,
    my_eligibility_evaluates_what_the_applicant_has_on_file,
);
