//! Issue 12: the mailed links work with no front end. The server's own
//! pages confirm the email address and set a new password: a form that
//! posts back, the API's own messages beside the fields they name, a used
//! link refused with a 4xx page, and the effect seen through the API.

use crate::applications::{ready_applicant, start_level_1};
use crate::support::{PASSWORD, login, register};
use kecs_tests::{Backend, Reply, TestApp, both_backends};
use serde_json::json;

fn post_form(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> Reply {
    let body = fields
        .iter()
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect::<Vec<_>>()
        .join("&");
    app.send(
        "POST",
        path,
        None,
        "application/x-www-form-urlencoded",
        body.into_bytes(),
    )
}

/// Percent-encoding of a form value (the tokens and passwords here).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A page as the mailed link's reader gets it: HTML under a strict policy,
/// kept by no cache, its address (with the token) given to no other site.
fn assert_is_a_page(reply: &Reply, status: u16) {
    assert_eq!(reply.status, status, "{}", reply.text);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let policy = reply.header("content-security-policy").unwrap_or_default();
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains("form-action 'self'"), "{policy}");
    assert!(!policy.contains("script-src"), "no script at all: {policy}");
    assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert!(reply.text.starts_with("<!doctype html>"), "{}", reply.text);
    assert!(reply.text.contains("<html lang=\"en\">"));
    assert!(!reply.text.contains("<script"), "{}", reply.text);
}

fn the_confirmation_link_confirms_once_on_its_page(backend: Backend) {
    let app = TestApp::spawn(backend);
    register(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let token = app
        .wait_for_mail("jane.doe@example.org", "Confirm")
        .link_token();

    // Opening the link changes nothing: mail scanners open links too.
    let opened = app.get(&format!("/confirm-email?token={token}"), None);
    assert_is_a_page(&opened, 200);
    assert!(
        opened
            .text
            .contains("<form method=\"post\" action=\"/confirm-email\">")
    );
    assert!(
        opened
            .text
            .contains(&format!("name=\"token\" value=\"{token}\""))
    );
    let session = login(&app, "jdoe", PASSWORD);
    assert_eq!(session.json()["account"]["email_confirmed"], false);

    let confirmed = post_form(&app, "/confirm-email", &[("token", &token)]);
    assert_is_a_page(&confirmed, 200);
    assert!(
        confirmed.text.contains("Your email address is confirmed"),
        "{}",
        confirmed.text
    );
    let session = login(&app, "jdoe", PASSWORD);
    assert_eq!(session.json()["account"]["email_confirmed"], true);

    // The link works once: the API's own words, on a 4xx page.
    let again = post_form(&app, "/confirm-email", &[("token", &token)]);
    assert_is_a_page(&again, 422);
    assert!(
        again
            .text
            .contains("This link is invalid, was already used or has expired"),
        "{}",
        again.text
    );
    assert!(again.text.contains("role=\"alert\""), "{}", again.text);

    // A link cut short, and markup in a token, are shown as text.
    assert_is_a_page(&app.get("/confirm-email", None), 400);
    let marked = app.get("/confirm-email?token=%3Cb%3Ex%3C%2Fb%3E", None);
    assert_is_a_page(&marked, 200);
    assert!(
        marked.text.contains("value=\"&lt;b&gt;x&lt;/b&gt;\""),
        "{}",
        marked.text
    );
}

fn the_reset_link_sets_a_new_password_on_its_page(backend: Backend) {
    let app = TestApp::spawn(backend);
    register(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let asked = app.post("/api/v1/auth/forgot-password", &json!({"username": "jdoe"}));
    assert_eq!(asked.status, 202, "{}", asked.text);
    let token = app
        .wait_for_mail("jane.doe@example.org", "Reset your password")
        .link_token();

    let opened = app.get(&format!("/reset-password?token={token}"), None);
    assert_is_a_page(&opened, 200);
    for label in [
        "<label for=\"field-password\">New password</label>",
        "<label for=\"field-password_confirmation\">New password again</label>",
    ] {
        assert!(opened.text.contains(label), "{label} in {}", opened.text);
    }
    assert!(opened.text.contains("autocomplete=\"new-password\""));

    // The API's rule and words, beside the field they name.
    let weak = post_form(
        &app,
        "/reset-password",
        &[
            ("token", &token),
            ("password", "short"),
            ("password_confirmation", "short"),
        ],
    );
    assert_is_a_page(&weak, 422);
    let api = app.post(
        "/api/v1/auth/reset-password",
        &json!({"token": token, "password": "short", "password_confirmation": "short"}),
    );
    let api_message = api.json()["errors"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        weak.text.contains(&format!("New password {api_message}")),
        "{api_message} in {}",
        weak.text
    );
    assert!(weak.text.contains("aria-invalid=\"true\""));
    assert!(
        weak.text
            .contains("aria-describedby=\"field-password-error\"")
    );
    let new_password = "Another-Lantern-7-Harbour";
    let unmatched = post_form(
        &app,
        "/reset-password",
        &[
            ("token", &token),
            ("password", new_password),
            ("password_confirmation", "Another-Lantern-7-Harbor"),
        ],
    );
    assert_is_a_page(&unmatched, 422);
    assert!(
        unmatched
            .text
            .contains("New password again must match password"),
        "{}",
        unmatched.text
    );
    assert_eq!(
        login(&app, "jdoe", PASSWORD).status,
        200,
        "nothing changed yet"
    );

    let changed = post_form(
        &app,
        "/reset-password",
        &[
            ("token", &token),
            ("password", new_password),
            ("password_confirmation", new_password),
        ],
    );
    assert_is_a_page(&changed, 200);
    assert!(
        changed.text.contains("Your password is changed"),
        "{}",
        changed.text
    );
    assert_eq!(login(&app, "jdoe", new_password).status, 200);
    assert_ne!(login(&app, "jdoe", PASSWORD).status, 200);

    // Used: the link is refused, on the page, in the API's words.
    let again = post_form(
        &app,
        "/reset-password",
        &[
            ("token", &token),
            ("password", new_password),
            ("password_confirmation", new_password),
        ],
    );
    assert_is_a_page(&again, 422);
    assert!(
        again
            .text
            .contains("This link is invalid, was already used or has expired"),
        "{}",
        again.text
    );
}

fn the_third_partys_link_opens_their_element_as_a_form(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let saved = app.put_as(
        &format!("/api/v1/applications/{id}/elements/experience"),
        &token,
        &json!({"ece_experience_years": 3.5, "employer": {"name": "Sunshine Child Care Center", "email": "director@sunshine.example.org"}}),
    );
    assert_eq!(saved.status, 200, "{}", saved.text);
    let invited = app.post_as(
        &format!("/api/v1/applications/{id}/elements/experience_verification/invitation"),
        &token,
        &json!({}),
    );
    assert_eq!(invited.status, 202, "{}", invited.text);
    let link = app
        .wait_for_mails("director@sunshine.example.org", "asks you to complete", 1)
        .pop()
        .unwrap()
        .link_token();

    // Addressed to the employer, with what the applicant states, and a
    // labelled input for each field of the element's schema.
    let opened = app.get(&format!("/submit-element?token={link}"), None);
    assert_is_a_page(&opened, 200);
    for shown in [
        "Jane Doe asks you to complete",
        "Jane Doe names you as the employer",
        "3.5",
        "Sunshine Child Care Center, director@sunshine.example.org",
        "<legend>The employer confirms the experience claimed</legend>",
        "name=\"verified\" value=\"true\"",
        "<label for=\"field-ece_experience_years\">",
        "name=\"ece_experience_years\" type=\"number\" step=\"any\" inputmode=\"decimal\" min=\"0\" max=\"100\"",
        "<label for=\"field-verifier_name\">",
        "maxlength=\"2000\"",
    ] {
        assert!(opened.text.contains(shown), "{shown} in {}", opened.text);
    }

    // A value the schema's type refuses, and a submission short of what the
    // element needs: named beside their fields, the link not used up.
    let not_a_number = post_form(
        &app,
        "/submit-element",
        &[
            ("token", &link),
            ("verified", "true"),
            ("ece_experience_years", "three"),
        ],
    );
    assert_is_a_page(&not_a_number, 422);
    assert!(
        not_a_number.text.contains("must be a number"),
        "{}",
        not_a_number.text
    );
    assert!(
        not_a_number.text.contains("value=\"three\""),
        "what was typed stays"
    );
    let short = post_form(
        &app,
        "/submit-element",
        &[("token", &link), ("verified", "true")],
    );
    assert_is_a_page(&short, 422);
    assert!(
        short.text.contains("aria-invalid=\"true\""),
        "{}",
        short.text
    );
    assert_eq!(
        app.get(&format!("/submit-element?token={link}"), None)
            .status,
        200
    );

    let submitted = post_form(
        &app,
        "/submit-element",
        &[
            ("token", &link),
            ("verified", "true"),
            ("ece_experience_years", "3.5"),
            ("verifier_name", "Pat Director"),
        ],
    );
    assert_is_a_page(&submitted, 200);
    assert!(submitted.text.contains("Thank you"), "{}", submitted.text);
    // The effect, through the API: the element complete with what was sent.
    let element = app
        .get(
            &format!("/api/v1/applications/{id}/elements/experience_verification"),
            Some(&token),
        )
        .json();
    assert_eq!(element["status"], "complete", "{element}");
    assert_eq!(
        element["data"],
        json!({"verified": true, "ece_experience_years": 3.5, "verifier_name": "Pat Director"})
    );
    app.wait_for_mail("jane.doe@example.org", "was submitted");

    // Used up: a 4xx page, and a link no mail carried is refused too.
    let again = post_form(
        &app,
        "/submit-element",
        &[("token", &link), ("verified", "false")],
    );
    assert_is_a_page(&again, 409);
    assert_is_a_page(
        &app.get(&format!("/submit-element?token={link}"), None),
        409,
    );
    let forged = app.get("/submit-element?token=not-a-real-token", None);
    assert_is_a_page(&forged, 401);
    assert!(
        forged
            .text
            .contains("This link is not one the cabinet sent"),
        "{}",
        forged.text
    );
}

both_backends!(
    the_confirmation_link_confirms_once_on_its_page,
    the_reset_link_sets_a_new_password_on_its_page,
    the_third_partys_link_opens_their_element_as_a_form,
);
