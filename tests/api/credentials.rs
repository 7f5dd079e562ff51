//! After approval: the letter of approval, the public register, renewal
//! (Sec. 13), expiry and its reminders, revocation and the hearing request
//! (Sec. 15), and the admin's decision on a denial review (Sec. 14(3)).

use crate::applications::{character_and_fitness_all_no, ready_applicant};
use crate::guide_walk::ready_for_payment;
use crate::support::{application_status as status, pay, staff};
use chrono::{Days, NaiveDate};
use kecs_api::workflows::sweeper;
use kecs_domain::account::Role;
use kecs_domain::application::{Answers, ApplicationStatus};
use kecs_domain::credential::award;
use kecs_domain::rules::Level;
use kecs_persistence::repo::{accounts, applications, credentials};
use kecs_tests::{Backend, TestApp, both_backends};
use serde_json::{Value, json};

fn today() -> NaiveDate {
    kecs_api::workflows::now().date()
}

/// A Level 1 application under review: (applicant, application, specialist).
pub(crate) fn under_review(
    app: &TestApp,
    username: &str,
    email: &str,
    ssn: &str,
) -> (String, String, String) {
    let (token, id) = ready_for_payment(app, username, email, ssn);
    pay(app, &token, &id);
    let (specialist, _) = staff(app, Role::Specialist, &format!("spec-{username}"));
    let assigned = app.post_as(
        &format!("/api/v1/review/applications/{id}/assign"),
        &specialist,
        &json!({}),
    );
    assert_eq!(assigned.status, 200, "{}", assigned.text);
    (token, id, specialist)
}

pub(crate) fn account_id(app: &TestApp, username: &str) -> String {
    app.state
        .db
        .read(|conn| accounts::find_by_username_key(conn, username))
        .unwrap()
        .expect("the account")
        .id
}

/// A credential the applicant already holds (as carried over from the
/// earlier licensing system): `level`, issued on `issued_on`.
pub(crate) fn held_credential(
    app: &TestApp,
    username: &str,
    level: Level,
    issued_on: NaiveDate,
) -> String {
    let account = account_id(app, username);
    let now = kecs_api::workflows::now();
    app.state
        .db
        .transaction(|conn| {
            let earlier = applications::insert(
                conn,
                &applications::NewApplication {
                    account_id: &account,
                    credential: level,
                    renewal: false,
                    request_types: &[],
                    answers: &Answers::default(),
                    expires_at: now,
                    elements: &[],
                    renews_credential_id: None,
                },
                now,
            )?;
            applications::change_status(
                conn,
                &earlier.id,
                ApplicationStatus::InProgress,
                ApplicationStatus::Approved,
                now,
            )?;
            credentials::issue(
                conn,
                &account,
                &earlier.id,
                &award(level, issued_on),
                &credentials::Holder {
                    display_name: "Jane Doe",
                    first_name_key: "jane",
                    last_name_key: "doe",
                },
                None,
                now,
            )
        })
        .unwrap()
        .number
}

/// The issue date of a credential that expires `days` from today.
fn issued_for_expiry_in(days: u64) -> NaiveDate {
    (today() + Days::new(days))
        .checked_sub_months(chrono::Months::new(36))
        .unwrap()
}

fn credential(app: &TestApp, token: &str, number: &str) -> Value {
    let reply = app.get(&format!("/api/v1/credentials/{number}"), Some(token));
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()
}

fn the_award_its_letter_and_the_public_register(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id, specialist) = under_review(&app, "jdoe", "jane.doe@example.org", "123-45-6789");

    // The specialist sees the whole file; the applicant does not see this view.
    let file = app.get(
        &format!("/api/v1/review/applications/{id}"),
        Some(&specialist),
    );
    assert_eq!(file.status, 200, "{}", file.text);
    let file = file.json();
    assert_eq!(file["applicant"]["email"], "jane.doe@example.org");
    assert!(file["evaluation"]["eligible"].is_boolean(), "{file}");
    assert!(
        file["element_data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["key"] == "character_and_fitness" && e["data"].is_object()),
        "{file}"
    );
    // The whole SSN in either spelling: its last four digits alone can turn
    // up inside a random id.
    for ssn in ["123-45-6789", "123456789"] {
        assert!(!file.to_string().contains(ssn), "no SSN in the file");
    }
    assert_eq!(
        app.get(&format!("/api/v1/review/applications/{id}"), Some(&token))
            .status,
        403
    );
    assert_eq!(
        app.get(
            "/api/v1/review/applications/no-such-application",
            Some(&specialist)
        )
        .status,
        404
    );
    let mine = app
        .get(
            "/api/v1/review/queue?status=pending_review&mine=true",
            Some(&specialist),
        )
        .json();
    assert_eq!(mine["items"][0]["id"], id.as_str(), "{mine}");
    assert_eq!(
        app.get("/api/v1/review/queue?status=approved", Some(&specialist))
            .status,
        422
    );

    let approved = app.post_as(
        &format!("/api/v1/review/applications/{id}/approve"),
        &specialist,
        &json!({}),
    );
    assert_eq!(approved.status, 201, "{}", approved.text);
    let awarded = approved.json();
    let number = awarded["number"].as_str().unwrap().to_owned();
    assert_eq!(awarded["status"], "active");
    assert_eq!(awarded["renewable"], false, "Level 1: Sec. 13(1)(b)");
    assert_eq!(
        awarded["letter"],
        format!("/api/v1/credentials/{number}/letter").as_str()
    );
    let mail = app.wait_for_mail("jane.doe@example.org", "was approved");
    // The mail links to the front end's page for the letter, not the API.
    assert!(
        mail.body
            .contains(&format!("https://kecs.test/credentials/{number}/letter")),
        "{mail:?}"
    );
    assert!(!mail.body.contains("/api/v1/"), "{mail:?}");

    // The letter: a PDF for the holder and staff, nobody else.
    let letter = app.get(
        &format!("/api/v1/credentials/{number}/letter"),
        Some(&token),
    );
    assert_eq!(letter.status, 200, "{}", letter.text);
    assert_eq!(letter.header("content-type"), Some("application/pdf"));
    assert!(letter.text.starts_with("%PDF-"));
    assert!(letter.text.contains(&number));
    assert!(
        letter
            .header("content-disposition")
            .unwrap()
            .contains(&format!("letter-of-approval-{number}.pdf"))
    );
    assert_eq!(
        app.get(
            &format!("/api/v1/credentials/{number}/letter"),
            Some(&specialist)
        )
        .status,
        200
    );
    let stranger = ready_applicant(&app, "other", "other@example.org", "345-67-8912");
    assert_eq!(
        app.get(
            &format!("/api/v1/credentials/{number}/letter"),
            Some(&stranger)
        )
        .status,
        404
    );
    assert_eq!(
        app.get(&format!("/api/v1/credentials/{number}/letter"), None)
            .status,
        401
    );
    assert_eq!(
        app.get("/api/v1/credentials/KYT-1999-000001/letter", Some(&token))
            .status,
        404
    );

    let not_revoked = app.post_as(
        &format!("/api/v1/credentials/{number}/hearing-request"),
        &token,
        &json!({"statement": "Nothing to hear."}),
    );
    assert_eq!(not_revoked.code(), "not_revoked", "{}", not_revoked.text);

    // The public register: the name and the credential, nothing personal.
    let found = app.get("/api/v1/public/trainers?name=Do&level=level_1", None);
    assert_eq!(found.status, 200, "{}", found.text);
    let found = found.json();
    let trainer = &found["items"][0];
    assert_eq!(trainer["name"], "Jane Doe");
    assert_eq!(trainer["credential_number"], number.as_str());
    assert_eq!(trainer["status"], "active");
    assert!(!trainer["may_train"].as_array().unwrap().is_empty());
    let mut fields: Vec<&str> = trainer
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "credential_number",
            "expires_on",
            "level",
            "may_train",
            "name",
            "specialty_area",
            "status"
        ]
    );
    for personal in [
        "1990-05-17",
        "jane.doe@example.org",
        "123-45-6789",
        "123456789",
        "jdoe",
        "Main St",
    ] {
        assert!(
            !found.to_string().contains(personal),
            "{personal} leaked: {found}"
        );
    }
    let page = app
        .get(&format!("/api/v1/public/trainers/{number}"), None)
        .json();
    assert_eq!(page["name"], "Jane Doe");
    assert!(!page.to_string().contains("1990-05-17"));
    for (query, expected) in [
        ("name=jane%20doe", 1),
        ("name=smith", 0),
        ("level=level_2", 0),
        ("status=revoked", 0),
        ("name=%25", 0),
    ] {
        let reply = app.get(&format!("/api/v1/public/trainers?{query}"), None);
        assert_eq!(reply.status, 200, "{query}: {}", reply.text);
        assert_eq!(
            reply.json()["items"].as_array().unwrap().len(),
            expected,
            "{query}"
        );
    }
    for bad in [
        "level=level_9",
        "limit=0",
        "cursor=nonsense",
        "status=lapsed",
    ] {
        let reply = app.get(&format!("/api/v1/public/trainers?{bad}"), None);
        assert_eq!(reply.status, 422, "{bad}: {}", reply.text);
    }
    assert_eq!(
        app.get("/api/v1/public/trainers/KYT-1999-000001", None)
            .status,
        404
    );

    // Level 1 offers no renewal.
    let renewal = app.post_as(
        "/api/v1/applications",
        &token,
        &json!({"request_types": ["renewal"], "answers": {"renewal_level": "level_1", "conducts_online_training": false}}),
    );
    assert_eq!(renewal.status, 422, "{}", renewal.text);
    assert!(
        renewal.text.contains("Section 13(1)(b)"),
        "{}",
        renewal.text
    );
}

/// Starts, completes and pays for a Level 5 renewal; returns its id.
fn renew_level_5(app: &TestApp, token: &str) -> String {
    let started = app.post_as(
        "/api/v1/applications",
        token,
        &json!({"request_types": ["renewal"], "answers": {"renewal_level": "level_5", "conducts_online_training": false}}),
    );
    assert_eq!(started.status, 201, "{}", started.text);
    let id = started.json()["id"].as_str().unwrap().to_owned();
    for (key, data) in [
        (
            "required_trainings",
            json!({"data_system_training_previously_verified": true}),
        ),
        (
            "attestation",
            json!({"attested": true, "signature": "Jane Doe"}),
        ),
    ] {
        let saved = app.put_as(
            &format!("/api/v1/applications/{id}/elements/{key}"),
            token,
            &data,
        );
        assert_eq!(saved.status, 200, "{key}: {}", saved.text);
    }
    let answered = app.put_as(
        &format!("/api/v1/applications/{id}/character-and-fitness"),
        token,
        &character_and_fitness_all_no(),
    );
    assert_eq!(answered.status, 200, "{}", answered.text);
    let overview = app
        .get(&format!("/api/v1/applications/{id}"), Some(token))
        .json();
    assert_eq!(overview["ready_for_payment"], true, "{overview}");
    pay(app, token, &id);
    id
}

fn renewal_extends_three_years_then_revocation_bars_reapplication(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    // It expires in 60 days.
    let number = held_credential(&app, "jdoe", Level::Level5, issued_for_expiry_in(60));
    let before = credential(&app, &token, &number);
    let previous_expiry: NaiveDate = before["expires_on"].as_str().unwrap().parse().unwrap();
    assert!(previous_expiry > today());

    let id = renew_level_5(&app, &token);
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    let queue = app
        .get(
            "/api/v1/review/queue?renewal=true&level=level_5",
            Some(&specialist),
        )
        .json();
    assert_eq!(queue["items"][0]["id"], id.as_str(), "{queue}");
    app.post_as(
        &format!("/api/v1/review/applications/{id}/assign"),
        &specialist,
        &json!({}),
    );
    let approved = app.post_as(
        &format!("/api/v1/review/applications/{id}/approve"),
        &specialist,
        &json!({}),
    );
    assert_eq!(approved.status, 201, "{}", approved.text);
    let renewed = approved.json();
    assert_eq!(
        renewed["number"],
        number.as_str(),
        "the same credential, renewed"
    );
    assert_eq!(
        renewed["expires_on"],
        kecs_domain::rules::calendar::add_years(previous_expiry, 3)
            .to_string()
            .as_str(),
        "three years from the previous expiry"
    );
    assert_eq!(renewed["renewed_on"], today().to_string().as_str());
    assert_eq!(status(&app, &token, &id), "approved");
    let mail = app.wait_for_mail("jane.doe@example.org", "was renewed");
    assert!(mail.body.contains("Section 13(6)"), "{mail:?}");
    assert_eq!(
        app.get(
            &format!("/api/v1/credentials/{number}/letter"),
            Some(&token)
        )
        .status,
        200
    );
    assert_eq!(
        app.get("/api/v1/me/credentials", Some(&token)).json()["items"][0]["number"],
        number.as_str()
    );

    // Revocation: admins only, on a ground of Sec. 15(1).
    let (admin, _) = staff(&app, Role::Admin, "admin1");
    let revoke = format!("/api/v1/admin/credentials/{number}/revoke");
    let body = json!({"reason": "falsified_record", "statement": "Sign-in sheets were altered."});
    assert_eq!(app.post_as(&revoke, &specialist, &body).status, 403);
    assert_eq!(app.post_as(&revoke, &token, &body).status, 403);
    let bad = app.post_as(
        &revoke,
        &admin,
        &json!({"reason": "dislike", "statement": "x"}),
    );
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(
        app.post_as(
            &revoke,
            &admin,
            &json!({"reason": "falsified_record", "statement": " "})
        )
        .problem_fields(),
        ["statement"]
    );
    assert_eq!(
        app.post_as(
            "/api/v1/admin/credentials/KYT-1999-000001/revoke",
            &admin,
            &body
        )
        .status,
        404
    );
    let revoked = app.post_as(&revoke, &admin, &body);
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    let revoked = revoked.json();
    assert_eq!(revoked["status"], "revoked");
    assert_eq!(
        revoked["revocation"]["citation"],
        "922 KAR 2:240 Section 15(1)(a)"
    );
    let reapply_from = kecs_domain::rules::deadlines::reapplication_allowed_on(today());
    assert_eq!(
        revoked["revocation"]["reapply_from"],
        reapply_from.to_string().as_str()
    );
    assert_eq!(
        app.post_as(&revoke, &admin, &body).code(),
        "already_revoked"
    );
    let mail = app.wait_for_mail("jane.doe@example.org", "was revoked");
    assert!(
        mail.body.contains("922 KAR 2:260") && mail.body.contains(&reapply_from.to_string()),
        "{mail:?}"
    );
    let letter = app.get(
        &format!("/api/v1/credentials/{number}/letter"),
        Some(&token),
    );
    assert_eq!(letter.status, 409);
    assert_eq!(letter.code(), "credential_revoked");

    // The hearing request (Sec. 15(2)(a)), once, by the holder.
    let hearing = format!("/api/v1/credentials/{number}/hearing-request");
    let stranger = ready_applicant(&app, "other", "other@example.org", "345-67-8912");
    assert_eq!(
        app.post_as(&hearing, &stranger, &json!({"statement": "Me too"}))
            .status,
        404
    );
    assert_eq!(
        app.post_as(&hearing, &token, &json!({"statement": "<b>no</b>"}))
            .problem_fields(),
        ["statement"]
    );
    assert_eq!(
        app.post_as(&hearing, &admin, &json!({"statement": "Staff"}))
            .status,
        403
    );
    let requested = app.post_as(
        &hearing,
        &token,
        &json!({"statement": "The sheets were corrected, not altered."}),
    );
    assert_eq!(requested.status, 201, "{}", requested.text);
    assert!(requested.json()["revocation"]["hearing_requested_at"].is_string());
    assert_eq!(
        app.post_as(&hearing, &token, &json!({"statement": "Again"}))
            .code(),
        "hearing_already_requested"
    );

    // No new application for two years (Sec. 15(2)(b)).
    let again = app.post_as(
        "/api/v1/applications",
        &token,
        &json!({"request_types": ["new_level_1"], "answers": {"first_time_applicant": false, "conducts_online_training": false}}),
    );
    assert_eq!(again.status, 422, "{}", again.text);
    assert_eq!(again.code(), "reapplication_barred");
    assert_eq!(again.json()["citation"], "922 KAR 2:240 Section 15(2)(b)");
    let activity = app.get("/api/v1/me/dashboard", Some(&token)).json()["activity"].clone();
    let messages: Vec<&str> = activity
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["message"].as_str())
        .collect();
    for expected in [
        "Your credential was revoked.",
        "You requested a hearing on the revocation.",
        "Your application was approved.",
        "A certification specialist is reviewing your application.",
    ] {
        assert!(messages.contains(&expected), "{expected}: {messages:?}");
    }
    let public = app
        .get("/api/v1/public/trainers?status=revoked", None)
        .json();
    assert_eq!(public["items"][0]["credential_number"], number.as_str());
}

fn credentials_expire_after_their_term_with_reminders_first(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let soon = held_credential(&app, "jdoe", Level::Level3, issued_for_expiry_in(80));
    let very_soon = held_credential(&app, "jdoe", Level::Level2, issued_for_expiry_in(20));
    let ended = held_credential(&app, "jdoe", Level::Level4, today() - Days::new(3 * 366));

    let now = kecs_api::workflows::now();
    let report = sweeper::run_once(&app.state, now).unwrap();
    assert_eq!(report.credentials_expired, 1, "{report:?}");
    assert_eq!(report.credentials_reminded, 2, "{report:?}");
    assert_eq!(credential(&app, &token, &ended)["status"], "expired");
    assert_eq!(credential(&app, &token, &soon)["status"], "active");
    app.wait_for_mail("jane.doe@example.org", "has expired");
    let ninety = app.wait_for_mail("jane.doe@example.org", "expires in 90 days");
    assert!(ninety.body.contains(&soon), "{ninety:?}");
    let thirty = app.wait_for_mail("jane.doe@example.org", "expires in 30 days");
    assert!(thirty.body.contains(&very_soon), "{thirty:?}");

    // A second sweep sends nothing again; later, the 30-day reminder.
    let again = sweeper::run_once(&app.state, now).unwrap();
    assert_eq!(
        (again.credentials_expired, again.credentials_reminded),
        (0, 0)
    );
    let later = now + chrono::Duration::days(55);
    let report = sweeper::run_once(&app.state, later).unwrap();
    assert_eq!(report.credentials_reminded, 1, "{report:?}");
    app.wait_for_mails("jane.doe@example.org", "expires in 30 days", 2);
}

/// Denies the application under review and requests its review.
fn denied_and_review_requested(app: &TestApp, token: &str, id: &str, specialist: &str) {
    let denied = app.post_as(
        &format!("/api/v1/review/applications/{id}/deny"),
        specialist,
        &json!({"reasons": [{"citation": "922 KAR 2:240 Section 5(1)", "message": "Under three years."}]}),
    );
    assert_eq!(denied.status, 200, "{}", denied.text);
    let requested = app.post_as(
        &format!("/api/v1/applications/{id}/denial-review"),
        token,
        &json!({"statement": "My employer letter shows four years."}),
    );
    assert_eq!(requested.status, 201, "{}", requested.text);
}

fn a_denial_review_is_extended_with_notice_and_decided_by_an_admin(backend: Backend) {
    use diesel::prelude::*;
    let app = TestApp::spawn(backend);
    let (token, id, specialist) = under_review(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let (admin, _) = staff(&app, Role::Admin, "admin1");
    let decision = format!("/api/v1/admin/denial-reviews/{id}/decision");
    let upheld = json!({"decision": "upheld", "order": "The denial stands: the experience shown is under three years."});

    // Before any denial there is nothing to decide.
    assert_eq!(app.post_as(&decision, &admin, &upheld).status, 404);
    denied_and_review_requested(&app, &token, &id, &specialist);

    let open = app.get("/api/v1/admin/denial-reviews", Some(&admin));
    assert_eq!(open.status, 200, "{}", open.text);
    let open = open.json();
    assert_eq!(open["next_cursor"], Value::Null);
    let open = &open["items"];
    assert_eq!(open[0]["application_id"], id.as_str());
    assert_eq!(open[0]["overdue"], false);
    assert_eq!(
        open[0]["order_due_on"],
        (today() + Days::new(30)).to_string().as_str()
    );
    assert_eq!(
        app.get("/api/v1/admin/denial-reviews?overdue=true", Some(&admin))
            .json()["items"],
        json!([])
    );
    assert_eq!(
        app.get(
            "/api/v1/admin/denial-reviews?limit=0&cursor=bm9wZQ",
            Some(&admin)
        )
        .problem_fields(),
        ["limit", "cursor"]
    );
    assert_eq!(
        app.get("/api/v1/admin/denial-reviews", Some(&specialist))
            .status,
        403
    );
    assert_eq!(
        app.get("/api/v1/admin/denial-reviews?overdue=maybe", Some(&admin))
            .status,
        422
    );

    let extension = format!("/api/v1/admin/denial-reviews/{id}/extension");
    assert_eq!(
        app.post_as(
            &extension,
            &admin,
            &json!({"reason": "Waiting on the employer.", "decide_by": "soon"})
        )
        .problem_fields(),
        ["decide_by"]
    );
    let decide_by = today() + Days::new(45);
    let by_specialist = app.post_as(
        &extension,
        &specialist,
        &json!({"reason": "More time.", "decide_by": decide_by.to_string()}),
    );
    assert_eq!(by_specialist.status, 403);
    assert_eq!(
        app.post_as(
            &extension,
            &admin,
            &json!({"reason": "More time.", "decide_by": today().to_string()})
        )
        .problem_fields(),
        ["decide_by"],
        "not later than the date due now"
    );
    let extended = app.post_as(
        &extension,
        &admin,
        &json!({"reason": "Waiting on the employer's records.", "decide_by": decide_by.to_string()}),
    );
    assert_eq!(extended.status, 200, "{}", extended.text);
    assert_eq!(
        extended.json()["order_due_on"],
        decide_by.to_string().as_str()
    );
    let notice = app.wait_for_mail("jane.doe@example.org", "needs more time");
    assert!(notice.body.contains(&decide_by.to_string()), "{notice:?}");

    assert_eq!(app.post_as(&decision, &specialist, &upheld).status, 403);
    assert_eq!(app.post_as(&decision, &token, &upheld).status, 403);
    assert_eq!(
        app.post_as(
            &decision,
            &admin,
            &json!({"decision": "maybe", "order": "x"})
        )
        .problem_fields(),
        ["decision"]
    );
    let decided = app.post_as(&decision, &admin, &upheld);
    assert_eq!(decided.status, 200, "{}", decided.text);
    assert_eq!(decided.json()["decision"], "upheld");
    assert!(decided.json()["credential"].is_null());
    assert_eq!(status(&app, &token, &id), "denied");
    assert_eq!(
        app.post_as(&decision, &admin, &upheld).code(),
        "review_already_decided"
    );
    let order = app.wait_for_mail("jane.doe@example.org", "is decided");
    assert!(order.body.contains("The denial is upheld"), "{order:?}");

    // A second applicant's review runs past its 30 days: it shows as
    // overdue, an extension can no longer be notified, and the designee
    // overturns the denial, which awards the credential.
    let (token2, id2, specialist2) =
        under_review(&app, "rroe", "rich.roe@example.org", "234-56-7890");
    denied_and_review_requested(&app, &token2, &id2, &specialist2);
    let past = today() - Days::new(1);
    app.state
        .db
        .transaction(|conn| {
            use kecs_persistence::schema::denials::dsl;
            diesel::update(dsl::denials.filter(dsl::application_id.eq(&id2)))
                .set(dsl::review_due_on.eq(past))
                .execute(conn)
                .map_err(kecs_persistence::PersistenceError::from)
        })
        .unwrap();
    let overdue = app
        .get("/api/v1/admin/denial-reviews?overdue=true", Some(&admin))
        .json()["items"]
        .clone();
    assert_eq!(overdue.as_array().unwrap().len(), 1, "{overdue}");
    assert_eq!(overdue[0]["application_id"], id2.as_str());
    assert_eq!(overdue[0]["overdue"], true);
    let late = app.post_as(
        &format!("/api/v1/admin/denial-reviews/{id2}/extension"),
        &admin,
        &json!({"reason": "More time.", "decide_by": (today() + Days::new(10)).to_string()}),
    );
    assert_eq!(late.status, 422, "{}", late.text);
    assert_eq!(late.code(), "extension_too_late");
    assert_eq!(late.json()["citation"], "922 KAR 2:240 Section 14(3)(c)");
    let overturned = app.post_as(
        &format!("/api/v1/admin/denial-reviews/{id2}/decision"),
        &admin,
        &json!({"decision": "overturned", "order": "The employer's letter shows four years."}),
    );
    assert_eq!(overturned.status, 200, "{}", overturned.text);
    let number = overturned.json()["credential"]["number"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(status(&app, &token2, &id2), "approved");
    assert_eq!(credential(&app, &token2, &number)["status"], "active");
    app.wait_for_mail("rich.roe@example.org", "was approved");
}

/// Every decision refused outside its state, with the reason.
fn decisions_out_of_their_state_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (token, id) = ready_for_payment(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    let (admin, _) = staff(&app, Role::Admin, "admin1");
    let decide = |verb: &str, who: &str, body: Value| {
        app.post_as(
            &format!("/api/v1/review/applications/{id}/{verb}"),
            who,
            &body,
        )
    };
    let deny = json!({"reasons": [{"citation": "922 KAR 2:240 Section 5(1)", "message": "Under three years."}]});
    let ret = json!({"deficiencies": [{"element": "topics", "message": "More detail."}]});

    // In progress (unpaid): nothing to review yet.
    let early = decide("assign", &specialist, json!({}));
    assert_eq!(
        (early.status, early.code().as_str()),
        (409, "invalid_transition"),
        "{}",
        early.text
    );
    for (verb, body) in [
        ("approve", json!({})),
        ("deny", deny.clone()),
        ("return", ret.clone()),
    ] {
        let refused = decide(verb, &specialist, body);
        assert_eq!(refused.status, 409, "{verb}: {}", refused.text);
        assert_eq!(refused.code(), "invalid_transition", "{verb}");
    }
    let review = app.post_as(
        &format!("/api/v1/applications/{id}/denial-review"),
        &token,
        &json!({"statement": "Why?"}),
    );
    assert_eq!(review.code(), "not_denied");
    assert_eq!(
        app.post_as(
            &format!("/api/v1/applications/{id}/resubmit"),
            &token,
            &json!({})
        )
        .code(),
        "not_deficient"
    );

    // Submitted: applicants never act as staff; an admin assigns only a specialist.
    pay(&app, &token, &id);
    assert_eq!(decide("assign", &token, json!({})).status, 403);
    let to_admin = decide("assign", &admin, json!({"specialist_id": "nobody"}));
    assert_eq!(to_admin.problem_fields(), ["specialist_id"]);
    assert_eq!(decide("approve", &specialist, json!({})).status, 409);
    assert_eq!(decide("assign", &specialist, json!({})).status, 200);
    // Under review, a second self-assignment is refused; an admin re-assigns.
    let (other, other_id) = staff(&app, Role::Specialist, "spec2");
    assert_eq!(decide("assign", &other, json!({})).status, 409);
    let reassigned = decide("assign", &admin, json!({"specialist_id": other_id}));
    assert_eq!(reassigned.status, 200, "{}", reassigned.text);
    let stale = decide("approve", &specialist, json!({}));
    assert_eq!(stale.code(), "not_assigned_to_you");
    assert_eq!(
        decide("approve", &admin, json!({})).status,
        403,
        "admins do not decide"
    );

    // Decided: nothing more.
    assert_eq!(decide("deny", &other, deny.clone()).status, 200);
    for (verb, body) in [("approve", json!({})), ("deny", deny), ("return", ret)] {
        assert_eq!(
            decide(verb, &other, body).code(),
            "invalid_transition",
            "{verb}"
        );
    }
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

fn put(app: &TestApp, token: &str, id: &str, key: &str, data: Value) {
    let saved = app.put_as(
        &format!("/api/v1/applications/{id}/elements/{key}"),
        token,
        &data,
    );
    assert_eq!(saved.status, 200, "{key}: {}", saved.text);
}

/// Sends the invitation for a third party's element and saves it as them.
fn completed_by_invitee(app: &TestApp, token: &str, id: &str, key: &str, email: &str, data: Value) {
    let invited = app.post_as(
        &format!("/api/v1/applications/{id}/elements/{key}/invitation"),
        token,
        &json!({"name": "Pat Third", "email": email}),
    );
    assert_eq!(invited.status, 202, "{key}: {}", invited.text);
    let link = app
        .wait_for_mails(email, "asks you to complete", 1)
        .pop()
        .unwrap()
        .link_token();
    let saved = app.send_invited(
        "PUT",
        &format!("/api/v1/applications/{id}/elements/{key}"),
        &link,
        &data,
    );
    assert_eq!(saved.status, 200, "{key} by the invitee: {}", saved.text);
}

fn ready(app: &TestApp, token: &str, id: &str) {
    let answered = app.put_as(
        &format!("/api/v1/applications/{id}/character-and-fitness"),
        token,
        &character_and_fitness_all_no(),
    );
    assert_eq!(answered.status, 200, "{}", answered.text);
    let overview = app
        .get(&format!("/api/v1/applications/{id}"), Some(token))
        .json();
    assert_eq!(overview["ready_for_payment"], true, "{overview}");
}

/// One credential's whole life through the API: a Level 3 application is
/// paid, reviewed, returned as deficient, resubmitted and approved; its
/// letter is downloaded; it is renewed (Sec. 13(3)) and then revoked.
fn the_whole_life_of_a_level_3_credential(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let (specialist, _) = staff(&app, Role::Specialist, "spec1");
    let (admin, _) = staff(&app, Role::Admin, "admin1");
    let started = app.post_as(
        "/api/v1/applications",
        &token,
        &json!({"request_types": ["new_level_3"], "answers": {
            "first_time_applicant": true,
            "conducts_online_training": false,
            "qualification_path": "sec7_1_a_1_ece_experience_and_associate_or_credit_hours",
        }}),
    );
    assert_eq!(started.status, 201, "{}", started.text);
    let id = started.json()["id"].as_str().unwrap().to_owned();
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
        "education",
        json!({"degrees": [{"level": "associate", "field": "ece"}]}),
    );
    put(
        &app,
        &token,
        &id,
        "experience",
        json!({"ece_experience_years": 3, "employer": {"name": "Employer", "email": "employer@example.org"}}),
    );
    put(
        &app,
        &token,
        &id,
        "required_trainings",
        json!({"intro_training_clock_hours": 2, "data_system_training_clock_hours": 2}),
    );
    put(
        &app,
        &token,
        &id,
        "topics",
        json!({"topics": crate::support::ALL_TOPICS}),
    );
    put(
        &app,
        &token,
        &id,
        "seminar",
        json!({"completed_on": (today() - Days::new(30)).to_string()}),
    );
    put(
        &app,
        &token,
        &id,
        "attestation",
        json!({"attested": true, "signature": "Jane Doe"}),
    );
    completed_by_invitee(
        &app,
        &token,
        &id,
        "experience_verification",
        "employer@example.org",
        json!({"verified": true, "ece_experience_years": 3, "verifier_name": "Pat Director"}),
    );
    ready(&app, &token, &id);
    pay(&app, &token, &id);
    assert_eq!(status(&app, &token, &id), "submitted");

    let review = |verb: &str, body: Value| {
        let reply = app.post_as(
            &format!("/api/v1/review/applications/{id}/{verb}"),
            &specialist,
            &body,
        );
        assert!(reply.status < 300, "{verb}: {}", reply.text);
        reply
    };
    review("assign", json!({}));
    assert_eq!(status(&app, &token, &id), "pending_review");
    review(
        "return",
        json!({"deficiencies": [{"element": "topics", "message": "Describe each topic."}]}),
    );
    assert_eq!(status(&app, &token, &id), "deficient");
    put(
        &app,
        &token,
        &id,
        "topics",
        json!({"topics": crate::support::ALL_TOPICS}),
    );
    ready(&app, &token, &id);
    let resubmitted = app.post_as(
        &format!("/api/v1/applications/{id}/resubmit"),
        &token,
        &json!({}),
    );
    assert_eq!(resubmitted.status, 200, "{}", resubmitted.text);
    app.wait_for_mail("jane.doe@example.org", "resubmitted");
    review("assign", json!({}));
    let credential = review("approve", json!({})).json();
    assert_eq!(credential["level"], "level_3");
    assert_eq!(credential["renewable"], true);
    let number = credential["number"].as_str().unwrap().to_owned();
    let letter = app.get(
        &format!("/api/v1/credentials/{number}/letter"),
        Some(&token),
    );
    assert_eq!(letter.status, 200);
    assert!(letter.text.starts_with("%PDF-"));

    // Renewal: 30 clock hours since the issue date, the coach's observation.
    let renewal = app.post_as(
        "/api/v1/applications",
        &token,
        &json!({"request_types": ["renewal"], "answers": {"renewal_level": "level_3", "conducts_online_training": false}}),
    );
    assert_eq!(renewal.status, 201, "{}", renewal.text);
    let renewal = renewal.json()["id"].as_str().unwrap().to_owned();
    let on = today().to_string();
    put(
        &app,
        &token,
        &renewal,
        "required_trainings",
        json!({"data_system_training_previously_verified": true}),
    );
    put(
        &app,
        &token,
        &renewal,
        "continuing_education",
        json!({"issued_on": credential["issued_on"], "ce_hours": [
            {"category": "training_adults", "clock_hours": 7, "completed_on": on},
            {"category": "early_care_and_education", "clock_hours": 8, "completed_on": on},
            {"category": "related_professional", "clock_hours": 15, "completed_on": on},
        ]}),
    );
    put(
        &app,
        &token,
        &renewal,
        "attestation",
        json!({"attested": true, "signature": "Jane Doe"}),
    );
    completed_by_invitee(
        &app,
        &token,
        &renewal,
        "coach_observation",
        "coach@example.org",
        json!({"observed_on": on, "coach": {"name": "Casey Coach", "email": "coach@example.org"}}),
    );
    ready(&app, &token, &renewal);
    pay(&app, &token, &renewal);
    let assigned = app.post_as(
        &format!("/api/v1/review/applications/{renewal}/assign"),
        &specialist,
        &json!({}),
    );
    assert_eq!(assigned.status, 200, "{}", assigned.text);
    let renewed = app.post_as(
        &format!("/api/v1/review/applications/{renewal}/approve"),
        &specialist,
        &json!({}),
    );
    assert_eq!(renewed.status, 201, "{}", renewed.text);
    let renewed = renewed.json();
    assert_eq!(renewed["number"], number.as_str());
    let previous: NaiveDate = credential["expires_on"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        renewed["expires_on"],
        kecs_domain::rules::calendar::add_years(previous, 3)
            .to_string()
            .as_str()
    );

    let revoked = app.post_as(
        &format!("/api/v1/admin/credentials/{number}/revoke"),
        &admin,
        &json!({"reason": "training_rules_not_followed", "statement": "Trainings were held without preapproval."}),
    );
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    assert_eq!(
        revoked.json()["revocation"]["citation"],
        "922 KAR 2:240 Section 15(1)(b)"
    );
    assert_eq!(
        app.get(&format!("/api/v1/public/trainers/{number}"), None)
            .json()["status"],
        "revoked"
    );
}

both_backends!(
    the_whole_life_of_a_level_3_credential,
    decisions_out_of_their_state_are_refused,
    the_award_its_letter_and_the_public_register,
    renewal_extends_three_years_then_revocation_bars_reapplication,
    credentials_expire_after_their_term_with_reminders_first,
    a_denial_review_is_extended_with_notice_and_decided_by_an_admin,
);
