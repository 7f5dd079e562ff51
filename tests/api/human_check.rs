//! The registration guide's "I'm not a robot" check, verified against a
//! stub siteverify endpoint the test runs: every guarded route works with a
//! token the provider accepts, and fails closed (422 `human_check_failed`
//! naming `Human-Check-Token`) on a refusal, a timeout, an unreadable
//! answer, a non-2xx status or no token at all, before doing its work.

use crate::support::{new_account, search_end_user};
use kecs_tests::{Backend, Reply, TestApp, both_backends};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SECRET: &str = "stub-secret-0123456789";
const SITE_KEY: &str = "stub-site-key-6LeIxAcT";
/// The server's timeout for one verification; the stub's slow answer comes
/// long after it.
const TIMEOUT_MS: u64 = 300;
const SLOW_ANSWER: Duration = Duration::from_secs(3);

/// A siteverify endpoint on a free port that answers by the token it is
/// sent, and keeps every form it received.
struct StubVerifier {
    url: String,
    received: Arc<Mutex<Vec<HashMap<String, String>>>>,
}

impl StubVerifier {
    fn start() -> StubVerifier {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/siteverify", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = log.clone();
                // One thread per request: a slow answer holds up no other.
                std::thread::spawn(move || answer(stream, &log));
            }
        });
        StubVerifier { url, received }
    }

    /// The forms received so far, forgotten here.
    fn take(&self) -> Vec<HashMap<String, String>> {
        std::mem::take(&mut *self.received.lock().unwrap())
    }
}

fn answer(stream: TcpStream, log: &Mutex<Vec<HashMap<String, String>>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut content_length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            content_length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; content_length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let form = parse_form(&String::from_utf8_lossy(&body));
    let token = form.get("response").cloned().unwrap_or_default();
    log.lock().unwrap().push(form);
    let (status, body) = match token.as_str() {
        "pass" => ("200 OK", r#"{"success":true,"hostname":"kecs.test"}"#),
        "refuse" => (
            "200 OK",
            r#"{"success":false,"error-codes":["invalid-input-response"]}"#,
        ),
        // Would pass, were it not too late.
        "slow" => {
            std::thread::sleep(SLOW_ANSWER);
            ("200 OK", r#"{"success":true}"#)
        }
        "garbage" => ("200 OK", "<html>upstream says hello</html>"),
        // A failed status, whatever its body says.
        "broken" => ("500 Internal Server Error", r#"{"success":true}"#),
        _ => ("200 OK", r#"{"success":false}"#),
    };
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
}

fn parse_form(body: &str) -> HashMap<String, String> {
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

fn decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if raw.get(i + 1..i + 3).is_some() => {
                out.push(u8::from_str_radix(&raw[i + 1..i + 3], 16).unwrap());
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn spawn_with_check(backend: Backend, stub: &StubVerifier) -> TestApp {
    let timeout = TIMEOUT_MS.to_string();
    TestApp::spawn_with(
        backend,
        &[
            ("KECS_HUMAN_CHECK", "recaptcha"),
            ("KECS_HUMAN_CHECK_SECRET", SECRET),
            ("KECS_HUMAN_CHECK_SITE_KEY", SITE_KEY),
            ("KECS_HUMAN_CHECK_VERIFY_URL", &stub.url),
            ("KECS_HUMAN_CHECK_TIMEOUT_MS", &timeout),
        ],
    )
}

fn post(app: &TestApp, path: &str, token: Option<&str>, body: &Value) -> Reply {
    match token {
        Some(token) => app.post_with(path, &[("Human-Check-Token", token)], body),
        None => app.post_with(path, &[], body),
    }
}

fn assert_check_failed(reply: &Reply, case: &str) {
    assert_eq!(reply.status, 422, "{case}: {}", reply.text);
    assert_eq!(reply.code(), "human_check_failed", "{case}: {}", reply.text);
    assert_eq!(
        reply.problem_fields(),
        ["Human-Check-Token"],
        "{case}: {}",
        reply.text
    );
}

/// Tokens the stub fails, each a way the check must fail closed.
const FAILING: [&str; 4] = ["refuse", "slow", "garbage", "broken"];

/// Every way of failing the check is refused before the route does its
/// work, then the same request with an accepted token succeeds; the stub
/// was asked about each token sent (never about a missing one) with the
/// secret and the client's address.
fn guarded(app: &TestApp, stub: &StubVerifier, path: &str, body: &Value, success: u16) -> Reply {
    stub.take();
    assert_check_failed(&post(app, path, None, body), "no token");
    assert_check_failed(&post(app, path, Some("  "), body), "a blank token");
    for token in FAILING {
        let started = Instant::now();
        let reply = post(app, path, Some(token), body);
        assert_check_failed(&reply, token);
        if token == "slow" {
            assert!(
                started.elapsed() < SLOW_ANSWER - Duration::from_millis(500),
                "the check waited {:?} for a slow provider",
                started.elapsed()
            );
        }
    }
    let passed = post(app, path, Some("pass"), body);
    assert_eq!(passed.status, success, "{path}: {}", passed.text);
    let received = stub.take();
    let tokens: Vec<&str> = received.iter().map(|f| f["response"].as_str()).collect();
    assert_eq!(tokens, [&FAILING[..], &["pass"]].concat(), "{path}");
    for form in &received {
        assert_eq!(form["secret"], SECRET, "{path}");
        assert_eq!(form["remoteip"], "127.0.0.1", "{path}");
    }
    passed
}

fn search_is_guarded(backend: Backend) {
    let stub = StubVerifier::start();
    let app = spawn_with_check(backend, &stub);
    app.seed_demo_people();
    let found = guarded(
        &app,
        &stub,
        "/api/v1/accounts/search",
        &search_end_user(),
        200,
    );
    assert_eq!(found.json()["matches"].as_array().unwrap().len(), 1);
}

fn create_is_guarded(backend: Backend) {
    let stub = StubVerifier::start();
    let app = spawn_with_check(backend, &stub);
    // Refused attempts made nothing: the same details then make a new account.
    let body = new_account("jdoe", "jane.doe@example.org", "123-45-6789");
    let created = guarded(&app, &stub, "/api/v1/accounts", &body, 201);
    assert_eq!(created.json()["account"]["username"], "jdoe");
}

fn claim_is_guarded(backend: Backend) {
    let stub = StubVerifier::start();
    let app = spawn_with_check(backend, &stub);
    app.seed_demo_people();
    let found = post(
        &app,
        "/api/v1/accounts/search",
        Some("pass"),
        &search_end_user(),
    );
    let claim_token = found.json()["matches"][0]["claim_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = json!({
        "claim_token": claim_token,
        "username": "enduser",
        "email": "end.user@example.org",
        "password": crate::support::PASSWORD,
        "password_confirmation": crate::support::PASSWORD,
    });
    // Refused attempts claimed nothing: the record is still there to claim.
    let claimed = guarded(&app, &stub, "/api/v1/accounts/claim", &body, 201);
    assert_eq!(claimed.json()["account"]["username"], "enduser");
}

/// An account to remember, made through the check.
fn account(app: &TestApp) {
    let made = post(
        app,
        "/api/v1/accounts",
        Some("pass"),
        &new_account("jdoe", "jane.doe@example.org", "123-45-6789"),
    );
    assert_eq!(made.status, 201, "{}", made.text);
}

fn forgot_username_is_guarded(backend: Backend) {
    let stub = StubVerifier::start();
    let app = spawn_with_check(backend, &stub);
    account(&app);
    let body = json!({"email": "jane.doe@example.org"});
    guarded(&app, &stub, "/api/v1/auth/forgot-username", &body, 202);
    // One mail, for the accepted request only.
    app.wait_for_mail("jane.doe@example.org", "Your username");
    app.drain_outbox();
    let reminders = app
        .mails_to("jane.doe@example.org")
        .into_iter()
        .filter(|m| m.subject.contains("Your username"))
        .count();
    assert_eq!(reminders, 1);
}

fn forgot_password_is_guarded(backend: Backend) {
    let stub = StubVerifier::start();
    let app = spawn_with_check(backend, &stub);
    account(&app);
    let body = json!({"username": "jdoe"});
    guarded(&app, &stub, "/api/v1/auth/forgot-password", &body, 202);
    app.wait_for_mail("jane.doe@example.org", "Reset your password");
}

/// The throttle counts an attempt before the provider is asked, and a
/// failed check stays counted: made-up tokens get no more calls to the
/// provider than the route allows attempts.
fn failed_checks_count_against_the_throttle(backend: Backend) {
    let stub = StubVerifier::start();
    let app = spawn_with_check(backend, &stub);
    let body = json!({"username": "jdoe"});
    for _ in 0..10 {
        let reply = post(&app, "/api/v1/auth/forgot-password", Some("refuse"), &body);
        assert_check_failed(&reply, "refuse");
    }
    let throttled = post(&app, "/api/v1/auth/forgot-password", Some("pass"), &body);
    assert_eq!(throttled.status, 429, "{}", throttled.text);
    assert_eq!(stub.take().len(), 10);
}

fn providers_name_the_widget_when_the_check_is_on(backend: Backend) {
    let stub = StubVerifier::start();
    let app = spawn_with_check(backend, &stub);
    let providers = app.get("/api/v1/auth/providers", None);
    assert_eq!(providers.status, 200, "{}", providers.text);
    assert_eq!(
        providers.json(),
        json!({
            "sign_in": [],
            "human_check": {"provider": "recaptcha", "site_key": SITE_KEY},
        })
    );
    assert!(!providers.text.contains(SECRET));
}

/// Off (the development default): no widget, and the guarded routes need
/// no token.
fn with_the_check_off_no_token_is_needed(backend: Backend) {
    let app = TestApp::spawn(backend);
    let providers = app.get("/api/v1/auth/providers", None);
    assert_eq!(
        providers.json(),
        json!({"sign_in": [], "human_check": null})
    );
    app.seed_demo_people();
    let found = app.post("/api/v1/accounts/search", &search_end_user());
    assert_eq!(found.status, 200, "{}", found.text);
    let forgot = app.post(
        "/api/v1/auth/forgot-username",
        &json!({"email": "nobody@example.org"}),
    );
    assert_eq!(forgot.status, 202, "{}", forgot.text);
}

both_backends!(
    search_is_guarded,
    create_is_guarded,
    claim_is_guarded,
    forgot_username_is_guarded,
    forgot_password_is_guarded,
    failed_checks_count_against_the_throttle,
    providers_name_the_widget_when_the_check_is_on,
    with_the_check_off_no_token_is_needed,
);
