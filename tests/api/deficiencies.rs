//! "Why was I returned?": the deficiencies a specialist cites are shown on
//! the applicant's overview and on each element, resubmission waits until
//! every cited element is saved again, and the answered ones stay as history.

use crate::applications::{character_and_fitness_all_no, ready_applicant};
use crate::guide_walk::ready_for_payment;
use crate::support::{ALL_TOPICS, pay, staff};
use kecs_domain::account::Role;
use kecs_tests::{Backend, Reply, TestApp, both_backends};
use serde_json::{Value, json};

const TOPICS_LACK: &str = "Describe your training on each topic.";
const TRAININGS_LACK: &str = "The introduction training certificate is illegible.";

/// A paid Level 1 application under review by a specialist:
/// (applicant token, application id, specialist token).
fn under_review(app: &TestApp) -> (String, String, String) {
    let (token, id) = ready_for_payment(app, "jdoe", "jane.doe@example.org", "123-45-6789");
    pay(app, &token, &id);
    let (specialist, _) = staff(app, Role::Specialist, "spec1");
    assign(app, &specialist, &id);
    (token, id, specialist)
}

fn assign(app: &TestApp, specialist: &str, id: &str) {
    let assigned = app.post_bare(
        &format!("/api/v1/review/applications/{id}/assign"),
        specialist,
    );
    assert_eq!(assigned.status, 200, "{}", assigned.text);
}

fn return_with(app: &TestApp, specialist: &str, id: &str, deficiencies: Value) {
    let returned = app.post_as(
        &format!("/api/v1/review/applications/{id}/return"),
        specialist,
        &json!({ "deficiencies": deficiencies }),
    );
    assert_eq!(returned.status, 200, "{}", returned.text);
}

fn overview(app: &TestApp, token: &str, id: &str) -> Value {
    let reply = app.get(&format!("/api/v1/applications/{id}"), Some(token));
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()
}

fn element_in<'a>(overview: &'a Value, key: &str) -> &'a Value {
    overview["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == key)
        .unwrap()
}

fn put(app: &TestApp, token: &str, id: &str, key: &str, body: Value) {
    let saved = app.put_as(
        &format!("/api/v1/applications/{id}/elements/{key}"),
        token,
        &body,
    );
    assert_eq!(saved.status, 200, "{key}: {}", saved.text);
}

fn re_answer_character_and_fitness(app: &TestApp, token: &str, id: &str) {
    let answered = app.put_as(
        &format!("/api/v1/applications/{id}/character-and-fitness"),
        token,
        &character_and_fitness_all_no(),
    );
    assert_eq!(answered.status, 200, "{}", answered.text);
}

fn resubmit(app: &TestApp, token: &str, id: &str) -> Reply {
    app.post_as(
        &format!("/api/v1/applications/{id}/resubmit"),
        token,
        &json!({}),
    )
}

fn sorted(mut fields: Vec<String>) -> Vec<String> {
    fields.sort();
    fields
}

fn the_applicant_reads_why_and_resubmits_only_once_each_cited_element_is_saved(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id, specialist) = under_review(&app);
    assert_eq!(
        overview(&app, &token, &id)["deficiencies"],
        json!([]),
        "never returned"
    );
    return_with(
        &app,
        &specialist,
        &id,
        json!([
            {"element": "topics", "message": TOPICS_LACK},
            {"element": "required_trainings", "message": TRAININGS_LACK},
        ]),
    );

    // The overview and each element say what is deficient and since when.
    let returned = overview(&app, &token, &id);
    assert_eq!(returned["status"], "deficient");
    let listed = returned["deficiencies"].as_array().unwrap();
    assert_eq!(listed.len(), 2, "{returned}");
    for d in listed {
        assert!(d["cited_at"].as_str().unwrap().ends_with('Z'), "{d}");
        assert_eq!(d["resolved_at"], Value::Null, "{d}");
    }
    let topics = listed.iter().find(|d| d["element"] == "topics").unwrap();
    assert_eq!(topics["message"], TOPICS_LACK);
    let on_topics = &element_in(&returned, "topics")["deficiencies"];
    assert_eq!(on_topics[0]["message"], TOPICS_LACK, "{on_topics}");
    assert_eq!(on_topics[0]["cited_at"], topics["cited_at"]);
    assert_eq!(on_topics.as_array().unwrap().len(), 1);
    assert_eq!(
        element_in(&returned, "personal_information")["deficiencies"],
        json!([]),
        "an element not cited has none"
    );
    let element = app.get(
        &format!("/api/v1/applications/{id}/elements/required_trainings"),
        Some(&token),
    );
    assert_eq!(element.status, 200, "{}", element.text);
    assert_eq!(
        element.json()["deficiencies"][0]["message"],
        TRAININGS_LACK,
        "{}",
        element.text
    );

    // Character & Fitness alone is not enough: each cited element is named.
    re_answer_character_and_fitness(&app, &token, &id);
    let early = resubmit(&app, &token, &id);
    assert_eq!(early.status, 422, "{}", early.text);
    assert_eq!(early.code(), "deficiencies_not_addressed");
    assert_eq!(
        sorted(early.problem_fields()),
        ["required_trainings", "topics"]
    );

    // One saved, the other still named.
    put(&app, &token, &id, "topics", json!({"topics": ALL_TOPICS}));
    let still = resubmit(&app, &token, &id);
    assert_eq!(still.status, 422, "{}", still.text);
    assert_eq!(still.problem_fields(), ["required_trainings"]);

    put(
        &app,
        &token,
        &id,
        "required_trainings",
        json!({"intro_training_clock_hours": 2, "data_system_training_clock_hours": 2}),
    );
    let resubmitted = resubmit(&app, &token, &id);
    assert_eq!(resubmitted.status, 200, "{}", resubmitted.text);
    assert_eq!(resubmitted.json()["status"], "submitted");

    // Answered: kept as history with when, none open.
    let after = overview(&app, &token, &id);
    let history = after["deficiencies"].as_array().unwrap();
    assert_eq!(history.len(), 2, "{after}");
    for d in history {
        assert!(d["resolved_at"].as_str().unwrap().ends_with('Z'), "{d}");
    }
    for element in after["elements"].as_array().unwrap() {
        assert_eq!(element["deficiencies"], json!([]), "{element}");
    }
}

fn open_deficiencies_come_before_those_of_earlier_returns(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id, specialist) = under_review(&app);
    return_with(
        &app,
        &specialist,
        &id,
        json!([{"element": "topics", "message": TOPICS_LACK}]),
    );
    re_answer_character_and_fitness(&app, &token, &id);
    put(&app, &token, &id, "topics", json!({"topics": ALL_TOPICS}));
    assert_eq!(resubmit(&app, &token, &id).status, 200);

    assign(&app, &specialist, &id);
    return_with(
        &app,
        &specialist,
        &id,
        json!([{"element": "attestation", "message": "Sign with your full legal name."}]),
    );
    let listed = overview(&app, &token, &id)["deficiencies"].clone();
    assert_eq!(listed[0]["element"], "attestation", "{listed}");
    assert_eq!(listed[0]["resolved_at"], Value::Null);
    assert_eq!(listed[1]["element"], "topics");
    assert!(listed[1]["resolved_at"].is_string(), "{listed}");
    assert_eq!(listed.as_array().unwrap().len(), 2);

    // The earlier return's element need not be saved again.
    re_answer_character_and_fitness(&app, &token, &id);
    let early = resubmit(&app, &token, &id);
    assert_eq!(early.problem_fields(), ["attestation"], "{}", early.text);
}

fn a_cited_third_party_element_is_submitted_again_through_a_new_link(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id, specialist) = under_review(&app);
    return_with(
        &app,
        &specialist,
        &id,
        json!([{"element": "experience_verification", "message": "Your employer must give the years."}]),
    );
    let returned = overview(&app, &token, &id);
    assert_eq!(
        element_in(&returned, "experience_verification")["deficiencies"][0]["message"],
        "Your employer must give the years."
    );
    re_answer_character_and_fitness(&app, &token, &id);
    let early = resubmit(&app, &token, &id);
    assert_eq!(early.problem_fields(), ["experience_verification"]);

    // Reopened for the employer: a new link (to an address of its own, so
    // the mail is told apart from the first), submitted again.
    let employer = "director-of-jdoe@example.org";
    let invited = app.post_as(
        &format!("/api/v1/applications/{id}/elements/experience_verification/invitation"),
        &token,
        &json!({"name": "Employer", "email": employer}),
    );
    assert_eq!(invited.status, 202, "{}", invited.text);
    let link = app
        .wait_for_mail(employer, "asks you to complete")
        .link_token();
    let submitted = app.send_invited(
        "PUT",
        &format!("/api/v1/applications/{id}/elements/experience_verification"),
        &link,
        &json!({"verified": true, "ece_experience_years": 4, "verifier_name": "Pat Director"}),
    );
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    let resubmitted = resubmit(&app, &token, &id);
    assert_eq!(resubmitted.status, 200, "{}", resubmitted.text);
}

fn another_applicant_cannot_read_them(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (_, id, specialist) = under_review(&app);
    return_with(
        &app,
        &specialist,
        &id,
        json!([{"element": "topics", "message": TOPICS_LACK}]),
    );
    let other = ready_applicant(&app, "rroe", "rich.roe@example.org", "123-45-6780");
    let overview = app.get(&format!("/api/v1/applications/{id}"), Some(&other));
    assert_eq!(overview.status, 404, "{}", overview.text);
    assert!(!overview.text.contains(TOPICS_LACK));
    let element = app.get(
        &format!("/api/v1/applications/{id}/elements/topics"),
        Some(&other),
    );
    assert_eq!(element.status, 404, "{}", element.text);
    let resubmitted = resubmit(&app, &other, &id);
    assert_eq!(resubmitted.status, 404, "{}", resubmitted.text);
}

both_backends!(
    the_applicant_reads_why_and_resubmits_only_once_each_cited_element_is_saved,
    open_deficiencies_come_before_those_of_earlier_returns,
    a_cited_third_party_element_is_submitted_again_through_a_new_link,
    another_applicant_cannot_read_them,
);
