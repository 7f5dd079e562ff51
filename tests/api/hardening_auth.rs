//! Holding under attack: throttles decided before any password is checked,
//! so concurrent bursts cannot get past them; a bound on argon2 runs at
//! once; account creation that neither tells SSNs apart nor can be tried
//! without limit.

use crate::support::{PASSWORD, login, new_account, register};
use kecs_tests::{Backend, Reply, TestApp, both_backends};
use serde_json::json;

/// Sends `n` requests at once, each from its own thread, and returns the
/// replies in the order of `i`.
fn burst(n: usize, send: impl Fn(usize) -> Reply + Sync) -> Vec<Reply> {
    let send = &send;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n).map(|i| scope.spawn(move || send(i))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn count(replies: &[Reply], status: u16) -> usize {
    replies.iter().filter(|r| r.status == status).count()
}

fn statuses(replies: &[Reply]) -> Vec<u16> {
    replies.iter().map(|r| r.status).collect()
}

/// 40 wrong passwords at once for one username: the lock after five
/// failures is decided before each check, so no more than five passwords
/// are ever checked, and the right one afterwards is refused too.
fn a_burst_of_sign_ins_for_one_username_checks_at_most_five_passwords(backend: Backend) {
    let app = TestApp::spawn(backend);
    register(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let replies = burst(40, |i| {
        login(&app, "jdoe", &format!("Wrong-Password-{i:03}!"))
    });
    let all = statuses(&replies);
    assert!(count(&replies, 401) <= 5, "{all:?}");
    assert!(count(&replies, 429) >= 35, "{all:?}");
    assert!(all.iter().all(|s| [401, 429, 503].contains(s)), "{all:?}");
    let right = login(&app, "jdoe", PASSWORD);
    assert_eq!(right.status, 429, "{}", right.text);
    assert!(right.header("retry-after").is_some());
}

/// 60 wrong sign-ins at once from one address, each for another username:
/// the address limit (30 per 15 minutes) holds under the race.
fn a_burst_of_sign_ins_from_one_address_checks_at_most_thirty(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("KECS_PASSWORD_HASH_CONCURRENCY", "4")]);
    let replies = burst(60, |i| login(&app, &format!("nobody{i}"), PASSWORD));
    let all = statuses(&replies);
    assert!(count(&replies, 401) <= 30, "{all:?}");
    assert!(count(&replies, 429) >= 30, "{all:?}");
    assert!(all.iter().all(|s| [401, 429, 503].contains(s)), "{all:?}");
    let throttled = replies.iter().find(|r| r.status == 429).unwrap();
    assert_eq!(throttled.code(), "too_many_requests");
    assert!(throttled.header("retry-after").is_some());
}

fn problem_of(reply: &Reply) -> (u16, String, String, String) {
    let body = reply.json();
    let text = |key: &str| body[key].as_str().unwrap_or_default().to_owned();
    (reply.status, text("code"), text("title"), text("detail"))
}

/// Whether an SSN has an account, and whether the date of birth sent goes
/// with it, cannot be read from the refusal: every case answers alike.
fn every_already_on_record_case_gets_the_same_answer(backend: Backend) {
    let app = TestApp::spawn(backend);
    app.seed_demo_people();
    register(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let attempt = |n: usize, ssn: &str, date_of_birth: &str| {
        let mut body = new_account(&format!("user{n}"), &format!("user{n}@example.org"), ssn);
        body["date_of_birth"] = json!(date_of_birth);
        app.post("/api/v1/accounts", &body)
    };
    let answers = [
        // On record without an account (End D. User), same date of birth…
        attempt(1, "078-05-1120", "1947-03-01"),
        // …and another one.
        attempt(2, "078-05-1120", "1950-01-01"),
        // On record with an account (jdoe), same date of birth…
        attempt(3, "123-45-6789", "1990-05-17"),
        // …and another one.
        attempt(4, "123-45-6789", "1950-01-01"),
    ];
    let first = problem_of(&answers[0]);
    assert_eq!(first.0, 409, "{}", answers[0].text);
    assert_eq!(first.1, "already_on_record");
    assert!(first.3.contains("/api/v1/accounts/search"), "{}", first.3);
    for answer in &answers[1..] {
        assert_eq!(problem_of(answer), first, "{}", answer.text);
    }
    // A taken username is named whatever the SSN: checked before it.
    let taken = |ssn: &str| {
        app.post(
            "/api/v1/accounts",
            &new_account("JDOE", "someone@example.org", ssn),
        )
    };
    let on_record = taken("078-05-1120");
    let unknown = taken("123-45-6780");
    assert_eq!(problem_of(&on_record).1, "username_taken");
    assert_eq!(problem_of(&on_record), problem_of(&unknown));
}

/// Ten creations per address per hour, decided before any work: a burst of
/// sixteen creates ten accounts and no more.
fn account_creation_is_throttled_per_address_even_in_a_burst(backend: Backend) {
    use diesel::prelude::*;
    // A slot for every creation, so none is refused 503 under a loaded machine.
    let app = TestApp::spawn_with(backend, &[("KECS_PASSWORD_HASH_CONCURRENCY", "16")]);
    let replies = burst(16, |i| {
        app.post(
            "/api/v1/accounts",
            &new_account(
                &format!("racer{i}"),
                &format!("racer{i}@example.org"),
                &format!("123-45-{:04}", 6000 + i),
            ),
        )
    });
    let all = statuses(&replies);
    assert_eq!(count(&replies, 201), 10, "{all:?}");
    assert_eq!(count(&replies, 429), 6, "{all:?}");
    let people: i64 = app
        .state
        .db
        .read(|conn| {
            kecs_persistence::schema::people::table
                .count()
                .get_result(conn)
                .map_err(kecs_persistence::PersistenceError::from)
        })
        .unwrap();
    assert_eq!(people, 10);
    let later = app.post(
        "/api/v1/accounts",
        &new_account("latecomer", "late@example.org", "123-45-6100"),
    );
    assert_eq!(later.status, 429, "{}", later.text);
    let retry_after: u64 = later.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
}

/// With one hashing slot and no wait, a burst of sign-ins gets some 503s
/// that say when to retry, never a 500; a refused one was not counted as a
/// failure of its username.
fn password_hashing_past_its_bound_answers_503_with_retry_after(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        &[
            ("KECS_PASSWORD_HASH_CONCURRENCY", "1"),
            ("KECS_PASSWORD_HASH_WAIT_MS", "0"),
        ],
    );
    let replies = burst(8, |i| login(&app, &format!("nobody{i}"), PASSWORD));
    let all = statuses(&replies);
    assert!(all.iter().all(|s| [401, 503].contains(s)), "{all:?}");
    assert!(count(&replies, 503) >= 1, "{all:?}");
    assert!(count(&replies, 401) >= 1, "{all:?}");
    let busy = replies.iter().find(|r| r.status == 503).unwrap();
    assert_eq!(busy.code(), "unavailable");
    let retry_after: u64 = busy.header("retry-after").unwrap().parse().unwrap();
    assert!(retry_after >= 1);
    let counted = app
        .state
        .db
        .read(|conn| {
            kecs_persistence::repo::throttle::count_since(
                conn,
                "sign-in:ip:127.0.0.1",
                chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap().into(),
            )
        })
        .unwrap()
        .0;
    assert_eq!(counted, count(&replies, 401) as i64, "{all:?}");
}

both_backends!(
    a_burst_of_sign_ins_for_one_username_checks_at_most_five_passwords,
    a_burst_of_sign_ins_from_one_address_checks_at_most_thirty,
    every_already_on_record_case_gets_the_same_answer,
    account_creation_is_throttled_per_address_even_in_a_burst,
    password_hashing_past_its_bound_answers_503_with_retry_after,
);
