//! The registration guide: search → claim, or create; confirm the email.

use crate::support::{PASSWORD, access_token, login, new_account, register, search_end_user};
use kecs_tests::{Backend, TestApp, both_backends};
use serde_json::json;

fn search_finds_a_record_only_on_all_four_facts(backend: Backend) {
    let app = TestApp::spawn(backend);
    app.seed_demo_people();
    let found = app.post("/api/v1/accounts/search", &search_end_user());
    assert_eq!(found.status, 200, "{}", found.text);
    let matches = found.json()["matches"].as_array().unwrap().clone();
    assert_eq!(matches.len(), 1);
    assert_eq!(matches[0]["first_name"], "End");
    assert_eq!(matches[0]["last_name"], "User");
    assert_eq!(matches[0]["middle_name"], "D");
    assert!(matches[0]["claim_token"].as_str().unwrap().len() > 20);
    assert!(matches[0].get("date_of_birth").is_none() && matches[0].get("id").is_none());

    let case_folded = json!({"first_name": "end", "last_name": "USER", "ssn_last4": "1120", "date_of_birth": "1947-03-01"});
    assert_eq!(
        app.post("/api/v1/accounts/search", &case_folded).json()["matches"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    for (field, wrong) in [
        ("first_name", json!("Ann")),
        ("last_name", json!("Users")),
        ("ssn_last4", json!("1121")),
        ("date_of_birth", json!("1947-03-02")),
    ] {
        let mut body = search_end_user();
        body[field] = wrong;
        let reply = app.post("/api/v1/accounts/search", &body);
        assert_eq!(reply.status, 200);
        assert!(
            reply.json()["matches"].as_array().unwrap().is_empty(),
            "matched with a wrong {field}"
        );
    }
}

fn claim_keeps_the_recorded_name_date_of_birth_and_ssn(backend: Backend) {
    let app = TestApp::spawn(backend);
    app.seed_demo_people();
    let token = app
        .post("/api/v1/accounts/search", &search_end_user())
        .json()["matches"][0]["claim_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut claim = json!({"claim_token": token, "username": "enduser", "email": "end.user@example.org", "password": PASSWORD, "password_confirmation": PASSWORD});
    claim["first_name"] = json!("Changed");
    let refused = app.post("/api/v1/accounts/claim", &claim);
    assert_eq!(refused.status, 422);
    assert_eq!(refused.problem_fields(), ["first_name"]);

    claim.as_object_mut().unwrap().remove("first_name");
    let claimed = app.post("/api/v1/accounts/claim", &claim);
    assert_eq!(claimed.status, 201, "{}", claimed.text);
    assert_eq!(claimed.json()["account"]["role"], "applicant");
    let profile = app
        .get("/api/v1/me/profile", Some(&access_token(&claimed)))
        .json();
    assert_eq!(profile["first_name"], "End");
    assert_eq!(profile["middle_name"], "D");
    assert_eq!(profile["last_name"], "User");
    assert_eq!(profile["date_of_birth"], "1947-03-01");
    assert!(profile.get("ssn").is_none());

    // The recorded SSN is this account's: a new account with it is refused.
    let mut again = new_account("someoneelse", "else@example.org", "078-05-1120");
    again["date_of_birth"] = json!("1947-03-01");
    let conflict = app.post("/api/v1/accounts", &again);
    assert_eq!(conflict.status, 409);
    assert_eq!(conflict.code(), "already_on_record");
}

fn a_claimed_record_is_no_longer_offered_nor_claimable_twice(backend: Backend) {
    let app = TestApp::spawn(backend);
    app.seed_demo_people();
    let token = app
        .post("/api/v1/accounts/search", &search_end_user())
        .json()["matches"][0]["claim_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let claim = |username: &str, email: &str| {
        app.post(
            "/api/v1/accounts/claim",
            &json!({"claim_token": token, "username": username, "email": email, "password": PASSWORD, "password_confirmation": PASSWORD}),
        )
    };
    assert_eq!(claim("enduser", "end.user@example.org").status, 201);
    let second = claim("enduser2", "end.user2@example.org");
    assert_eq!(second.status, 409);
    assert_eq!(second.code(), "already_claimed");
    let after = app.post("/api/v1/accounts/search", &search_end_user());
    assert!(after.json()["matches"].as_array().unwrap().is_empty());
}

fn concurrent_claims_of_one_record_give_exactly_one_account(backend: Backend) {
    let app = TestApp::spawn(backend);
    app.seed_demo_people();
    let token = app
        .post("/api/v1/accounts/search", &search_end_user())
        .json()["matches"][0]["claim_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..6)
            .map(|i| {
                let (app, token) = (&app, token.clone());
                scope.spawn(move || {
                    app.post(
                        "/api/v1/accounts/claim",
                        &json!({"claim_token": token, "username": format!("racer{i}"), "email": format!("racer{i}@example.org"), "password": PASSWORD, "password_confirmation": PASSWORD}),
                    )
                    .status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
}

fn the_whole_registration_guide_walk(backend: Backend) {
    let app = TestApp::spawn(backend);
    app.seed_demo_people();
    // Search finds nothing for a new person: create a new account.
    let search = json!({"first_name": "Jane", "last_name": "Doe", "ssn_last4": "6789", "date_of_birth": "1990-05-17"});
    assert!(
        app.post("/api/v1/accounts/search", &search).json()["matches"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let created = register(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    assert_eq!(created.json()["account"]["email_confirmed"], false);
    // The SSN in any spelling, or its last four as a value; four digits
    // alone can turn up inside a random id.
    for leak in ["123-45-6789", "123456789", "\"6789\""] {
        assert!(
            !created.text.contains(leak),
            "the SSN leaked: {}",
            created.text
        );
    }

    // Confirm the email from the mail the transport wrote.
    let mail = app.wait_for_mail("jane.doe@example.org", "Confirm");
    assert!(mail.subject.contains("Confirm"), "{mail:?}");
    assert!(mail.body.contains("https://kecs.test/confirm-email?token="));
    let confirmed = app.post(
        "/api/v1/accounts/confirm-email",
        &json!({"token": mail.link_token()}),
    );
    assert_eq!(confirmed.status, 204, "{}", confirmed.text);
    let reused = app.post(
        "/api/v1/accounts/confirm-email",
        &json!({"token": mail.link_token()}),
    );
    assert_eq!(reused.status, 422);
    assert_eq!(reused.problem_fields(), ["token"]);

    // Sign in, refresh, edit the profile.
    let session = login(&app, "JDoe", PASSWORD);
    assert_eq!(session.status, 200, "{}", session.text);
    assert_eq!(session.json()["account"]["email_confirmed"], true);
    let refreshed = app.post(
        "/api/v1/auth/refresh",
        &json!({"refresh_token": session.json()["refresh_token"]}),
    );
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
    let token = access_token(&refreshed);
    let before = app.get("/api/v1/me/profile", Some(&token)).json();
    assert_eq!(before["ready_to_apply"], false);
    let updated = app.put_as(
        "/api/v1/me/profile",
        &token,
        &crate::support::profile_update("jane.doe@example.org"),
    );
    assert_eq!(updated.status, 200, "{}", updated.text);
    let profile = updated.json();
    assert_eq!(profile["phone"], "+15025550123");
    assert_eq!(profile["mailing_address"]["state"], "KY");
    assert_eq!(profile["ready_to_apply"], true);
    assert_eq!(app.get("/api/v1/me/profile", Some(&token)).json(), profile);
}

fn a_person_already_on_record_is_pointed_to_search_and_claim(backend: Backend) {
    let app = TestApp::spawn(backend);
    app.seed_demo_people();
    let mut body = new_account("enduser", "end.user@example.org", "078-05-1120");
    body["date_of_birth"] = json!("1947-03-01");
    let reply = app.post("/api/v1/accounts", &body);
    assert_eq!(reply.status, 409);
    assert_eq!(reply.code(), "already_on_record");
    assert!(
        reply.json()["detail"]
            .as_str()
            .unwrap()
            .contains("/api/v1/accounts/search")
    );
    let mut other_birthday = body.clone();
    other_birthday["date_of_birth"] = json!("1950-01-01");
    assert_eq!(
        app.post("/api/v1/accounts", &other_birthday).code(),
        "already_on_record"
    );
}

fn usernames_and_emails_are_unique_without_regard_to_case(backend: Backend) {
    let app = TestApp::spawn(backend);
    register(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let same_username = app.post(
        "/api/v1/accounts",
        &new_account("JDOE", "other@example.org", "123-45-6780"),
    );
    assert_eq!(same_username.status, 409);
    assert_eq!(same_username.code(), "username_taken");
    let same_email = app.post(
        "/api/v1/accounts",
        &new_account("other", "Jane.Doe@Example.org", "123-45-6781"),
    );
    assert_eq!(same_email.status, 409);
    assert_eq!(same_email.code(), "email_taken");
    // Nothing half-written: the refused person is not on record.
    let retry = app.post(
        "/api/v1/accounts",
        &new_account("other", "other@example.org", "123-45-6781"),
    );
    assert_eq!(retry.status, 201, "{}", retry.text);
}

fn the_ssn_is_encrypted_at_rest_and_searchable_only_by_keyed_hash(backend: Backend) {
    use diesel::prelude::*;
    let app = TestApp::spawn(backend);
    let created = register(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let (ciphertext, hash, last4): (Vec<u8>, String, String) = app
        .state
        .db
        .read(|conn| {
            kecs_persistence::schema::people::table
                .select((
                    kecs_persistence::schema::people::ssn_ciphertext,
                    kecs_persistence::schema::people::ssn_hash,
                    kecs_persistence::schema::people::ssn_last4_hash,
                ))
                .first(conn)
                .map_err(kecs_persistence::PersistenceError::from)
        })
        .unwrap();
    assert!(!ciphertext.windows(9).any(|w| w == b"123456789"));
    // Keyed hashes, not the digits (a hex digest may contain any four).
    assert!(hash.len() >= 32 && last4.len() >= 32, "{hash} {last4}");
    assert!(!hash.contains("123456789") && last4 != "6789");
    let ssn = app.state.vault.decrypt(&ciphertext).unwrap();
    assert_eq!(ssn.expose_digits(), "123456789");
    let profile = app.get("/api/v1/me/profile", Some(&access_token(&created)));
    for leak in ["123-45-6789", "123456789", "\"6789\""] {
        assert!(!profile.text.contains(leak), "{}", profile.text);
    }
}

both_backends!(
    search_finds_a_record_only_on_all_four_facts,
    claim_keeps_the_recorded_name_date_of_birth_and_ssn,
    a_claimed_record_is_no_longer_offered_nor_claimable_twice,
    concurrent_claims_of_one_record_give_exactly_one_account,
    the_whole_registration_guide_walk,
    a_person_already_on_record_is_pointed_to_search_and_claim,
    usernames_and_emails_are_unique_without_regard_to_case,
    the_ssn_is_encrypted_at_rest_and_searchable_only_by_keyed_hash,
);
