//! The user guide's walk, through the API: request types → clarifying
//! questions → elements (one submitted by the employer through a mailed
//! link) → Character & Fitness → an overview with every required element
//! complete, ready for payment.

use crate::applications::{
    ALL_TOPICS, character_and_fitness_all_no, ready_applicant, start_level_1,
};
use kecs_tests::{Backend, Reply, TestApp, both_backends};
use serde_json::{Value, json};

fn put(app: &TestApp, token: &str, id: &str, key: &str, body: Value) -> Reply {
    let reply = app.put_as(
        &format!("/api/v1/applications/{id}/elements/{key}"),
        token,
        &body,
    );
    assert_eq!(reply.status, 200, "{key}: {}", reply.text);
    reply
}

/// The invitee's side: no account, only the token of the mailed link.
fn as_invitee(app: &TestApp, method: &str, path: &str, token: &str, body: &Value) -> Reply {
    app.send_invited(method, path, token, body)
}

fn invite_employer(app: &TestApp, token: &str, id: &str) -> String {
    let invited = app.post_as(
        &format!("/api/v1/applications/{id}/elements/experience_verification/invitation"),
        token,
        &json!({"name": "Sunshine Child Care Center", "email": "director@sunshine.example.org"}),
    );
    assert_eq!(invited.status, 202, "{}", invited.text);
    app.wait_for_mails("director@sunshine.example.org", "asks you to complete", 1)
        .pop()
        .unwrap()
        .link_token()
}

fn the_guide_walk_ends_ready_for_payment(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    assert_eq!(app.get("/api/v1/request-types", None).status, 200);
    let started = start_level_1(&app, &token);
    let id = started["id"].as_str().unwrap().to_owned();

    put(
        &app,
        &token,
        &id,
        "personal_information",
        json!({"high_school_diploma": true}),
    );
    put(
        &app,
        &token,
        &id,
        "required_trainings",
        json!({"intro_training_clock_hours": 2, "data_system_training_clock_hours": 2}),
    );
    put(&app, &token, &id, "topics", json!({"topics": ALL_TOPICS}));
    put(
        &app,
        &token,
        &id,
        "experience",
        json!({"ece_experience_years": 3.5, "employer": {"name": "Sunshine Child Care Center", "email": "director@sunshine.example.org"}}),
    );
    put(
        &app,
        &token,
        &id,
        "attestation",
        json!({"attested": true, "signature": "Jane Doe"}),
    );

    // The employer's part: the owner may not fill it in.
    let by_owner = app.put_as(
        &format!("/api/v1/applications/{id}/elements/experience_verification"),
        &token,
        &json!({"verified": true}),
    );
    assert_eq!(by_owner.status, 409);
    assert_eq!(by_owner.code(), "submitted_by_another");
    let link = invite_employer(&app, &token, &id);
    let waiting = app
        .get(&format!("/api/v1/applications/{id}"), Some(&token))
        .json();
    let verification = waiting["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == "experience_verification")
        .unwrap();
    assert_eq!(verification["status"], "in_progress", "{verification}");

    let path = format!("/api/v1/applications/{id}/elements/experience_verification");
    let seen = as_invitee(&app, "GET", &path, &link, &Value::Null);
    assert_eq!(seen.status, 200, "{}", seen.text);
    assert_eq!(seen.json()["applicant_name"], "Jane Doe");
    // Addressed to the employer, with the experience the applicant claims.
    let requirements = seen.json()["requirements"].to_string();
    assert!(
        requirements.contains("Jane Doe names you as the employer"),
        "{requirements}"
    );
    assert!(!requirements.contains("you claim"), "{requirements}");
    assert_eq!(
        seen.json()["applicant_claims"]["ece_experience_years"],
        3.5,
        "{}",
        seen.text
    );
    assert_eq!(
        seen.json()["applicant_claims"]["employer"]["name"],
        "Sunshine Child Care Center"
    );
    // The applicant reads their own words, and no applicant_claims.
    let own = app.get(&path, Some(&token)).json();
    assert!(
        own["requirements"].to_string().contains("you claim"),
        "{own}"
    );
    assert!(own.get("applicant_claims").is_none(), "{own}");
    let submitted = as_invitee(
        &app,
        "PUT",
        &path,
        &link,
        &json!({"verified": true, "ece_experience_years": 3.5, "verifier_name": "Pat Director"}),
    );
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    assert_eq!(submitted.json()["status"], "complete", "{}", submitted.text);
    assert!(
        app.wait_for_mail("jane.doe@example.org", "was submitted")
            .body
            .contains("Sunshine")
    );

    let done = app.put_as(
        &format!("/api/v1/applications/{id}/character-and-fitness"),
        &token,
        &character_and_fitness_all_no(),
    );
    assert_eq!(done.status, 200, "{}", done.text);
    let overview = app
        .get(&format!("/api/v1/applications/{id}"), Some(&token))
        .json();
    for element in overview["elements"].as_array().unwrap() {
        if element["required"] == true {
            assert_eq!(element["status"], "complete", "{element}");
        }
    }
    assert_eq!(overview["evaluation"]["eligible"], true, "{overview}");
    assert_eq!(overview["ready_for_payment"], true, "{overview}");
    assert_eq!(overview["status"], "in_progress");
    assert!(overview["expires_at"].as_str().unwrap().ends_with('Z'));

    // What is on file now makes the engine find Level 1 eligible.
    let board = app.get("/api/v1/me/dashboard", Some(&token)).json();
    assert_eq!(
        board["eligible_request_types"],
        json!(["new_level_1"]),
        "{board}"
    );
    let eligibility = app.get("/api/v1/me/eligibility", Some(&token)).json();
    let level_1 = eligibility["levels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["level"] == "level_1")
        .unwrap();
    assert_eq!(level_1["eligible"], true, "{level_1}");
}

fn a_third_party_link_works_once_and_only_for_its_element(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let link = invite_employer(&app, &token, &id);
    let own = format!("/api/v1/applications/{id}/elements/experience_verification");

    for other in [
        format!("/api/v1/applications/{id}/elements/experience"),
        format!("/api/v1/applications/{id}/elements/topics"),
    ] {
        assert_eq!(
            as_invitee(&app, "GET", &other, &link, &Value::Null).status,
            404,
            "{other}"
        );
        assert_eq!(
            as_invitee(
                &app,
                "PUT",
                &other,
                &link,
                &json!({"topics": ["child_assessments"]})
            )
            .status,
            404,
            "{other}"
        );
    }
    assert_eq!(
        app.get(&format!("/api/v1/applications/{id}"), None).status,
        401,
        "a link opens one element, not the application"
    );
    let forged = as_invitee(&app, "GET", &own, "not-the-token", &Value::Null);
    assert_eq!(forged.status, 401, "no link carried it: {}", forged.text);
    assert_eq!(
        as_invitee(
            &app,
            "PUT",
            &own,
            "not-the-token",
            &json!({"verified": true})
        )
        .status,
        401
    );

    // An incomplete submission is refused and does not use the link up.
    let incomplete = as_invitee(&app, "PUT", &own, &link, &json!({"verified": true}));
    assert_eq!(incomplete.status, 422, "{}", incomplete.text);
    assert_eq!(incomplete.code(), "element_incomplete");
    // Each missing part named by the field that supplies it.
    assert_eq!(
        incomplete.problem_fields(),
        ["verifier_name"],
        "{}",
        incomplete.text
    );
    let first = as_invitee(
        &app,
        "PUT",
        &own,
        &link,
        &json!({"verified": true, "ece_experience_years": 3, "verifier_name": "Pat Director"}),
    );
    assert_eq!(first.status, 200, "{}", first.text);
    let again = as_invitee(&app, "PUT", &own, &link, &json!({"verified": false}));
    assert_eq!(again.status, 409);
    assert_eq!(again.code(), "invitation_used");
    let stored = app.get(&own, Some(&token)).json();
    assert_eq!(stored["data"]["verified"], true);
    let reinvite = app.post_as(
        &format!("/api/v1/applications/{id}/elements/experience_verification/invitation"),
        &token,
        &json!({"name": "Someone Else", "email": "else@example.org"}),
    );
    assert_eq!(
        reinvite.status, 409,
        "a submitted element cannot be reopened by a new link"
    );
}

fn a_new_invitation_replaces_the_old_link(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let old = invite_employer(&app, &token, &id);
    let resent = app.post_as(
        &format!("/api/v1/applications/{id}/elements/experience_verification/invitation"),
        &token,
        &json!({"name": "Sunshine Child Care Center", "email": "director@sunshine.example.org"}),
    );
    assert_eq!(resent.status, 202);
    let new = app
        .wait_for_mails("director@sunshine.example.org", "asks you to complete", 2)
        .into_iter()
        .map(|m| m.link_token())
        .find(|t| *t != old)
        .unwrap();
    let own = format!("/api/v1/applications/{id}/elements/experience_verification");
    let stale = as_invitee(&app, "PUT", &own, &old, &json!({"verified": true}));
    assert_eq!(stale.code(), "invitation_replaced");
    assert_eq!(
        as_invitee(
            &app,
            "PUT",
            &own,
            &new,
            &json!({"verified": true, "ece_experience_years": 3, "verifier_name": "Pat Director"})
        )
        .status,
        200
    );
    let bad = app.post_as(
        &format!("/api/v1/applications/{id}/elements/topics/invitation"),
        &token,
        &json!({"name": "X", "email": "x@example.org"}),
    );
    assert_eq!(bad.code(), "submitted_by_applicant");
    let invalid = app.post_as(
        &format!("/api/v1/applications/{id}/elements/experience_verification/invitation"),
        &token,
        &json!({"name": "", "email": "nope"}),
    );
    assert_eq!(invalid.problem_fields(), ["name", "email"]);
}

/// The employer is named once, in `experience`: an invitation with no body
/// goes to them. Until they are named, it names the fields to send.
fn the_invitation_goes_to_the_employer_already_named(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/applications/{id}/elements/experience_verification/invitation");
    let unnamed = app.post_bare(&path, &token);
    assert_eq!(unnamed.status, 422, "{}", unnamed.text);
    assert_eq!(unnamed.problem_fields(), ["name", "email"]);
    assert!(unnamed.text.contains("`experience`"), "{}", unnamed.text);
    let half = app.post_as(&path, &token, &json!({"name": "Only A Name"}));
    assert_eq!(half.problem_fields(), ["email"]);

    put(
        &app,
        &token,
        &id,
        "experience",
        json!({"ece_experience_years": 3.5, "employer": {"name": "Sunshine Child Care Center", "email": "director@sunshine.example.org"}}),
    );
    let invited = app.post_bare(&path, &token);
    assert_eq!(invited.status, 202, "{}", invited.text);
    assert_eq!(invited.json()["name"], "Sunshine Child Care Center");
    assert_eq!(invited.json()["email"], "director@sunshine.example.org");
    app.wait_for_mails("director@sunshine.example.org", "asks you to complete", 1);
}

both_backends!(
    the_invitation_goes_to_the_employer_already_named,
    the_guide_walk_ends_ready_for_payment,
    a_third_party_link_works_once_and_only_for_its_element,
    a_new_invitation_replaces_the_old_link,
);

/// A Level 1 application with every required element complete, as the walk
/// above leaves it: (the applicant's token, the application id).
pub fn ready_for_payment(
    app: &TestApp,
    username: &str,
    email: &str,
    ssn: &str,
) -> (String, String) {
    let token = ready_applicant(app, username, email, ssn);
    let id = start_level_1(app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    put(
        app,
        &token,
        &id,
        "personal_information",
        json!({"high_school_diploma": true}),
    );
    put(
        app,
        &token,
        &id,
        "required_trainings",
        json!({"intro_training_clock_hours": 2, "data_system_training_clock_hours": 2}),
    );
    put(app, &token, &id, "topics", json!({"topics": ALL_TOPICS}));
    put(
        app,
        &token,
        &id,
        "experience",
        json!({"ece_experience_years": 3, "employer": {"name": "Employer", "email": format!("employer-of-{username}@example.org")}}),
    );
    put(
        app,
        &token,
        &id,
        "attestation",
        json!({"attested": true, "signature": "Jane Doe"}),
    );
    let invited = app.post_as(
        &format!("/api/v1/applications/{id}/elements/experience_verification/invitation"),
        &token,
        &json!({"name": "Employer", "email": format!("employer-of-{username}@example.org")}),
    );
    assert_eq!(invited.status, 202, "{}", invited.text);
    let link = app
        .wait_for_mails(
            &format!("employer-of-{username}@example.org"),
            "asks you to complete",
            1,
        )
        .pop()
        .unwrap()
        .link_token();
    let path = format!("/api/v1/applications/{id}/elements/experience_verification");
    assert_eq!(
        as_invitee(
            app,
            "PUT",
            &path,
            &link,
            &json!({"verified": true, "ece_experience_years": 3, "verifier_name": "Pat Director"})
        )
        .status,
        200
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
    let overview = app
        .get(&format!("/api/v1/applications/{id}"), Some(&token))
        .json();
    assert_eq!(overview["ready_for_payment"], true, "{overview}");
    (token, id)
}
