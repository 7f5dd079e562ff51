//! Holding under attack at the HTTP layer: no byte gives a 500, one rule
//! for the characters of text, every error a problem, nothing with a token
//! or personal data cached, slow bodies cut.

use crate::applications::{ready_applicant, start_level_1};
use crate::support::{PASSWORD, access_token, login, refresh_token, register, staff};
use hmac::{Hmac, Mac};
use kecs_domain::account::Role;
use kecs_tests::{Backend, Reply, TestApp, WEBHOOK_SECRET, both_backends};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

fn signed_webhook(app: &TestApp, body: &Value) -> Reply {
    let bytes = body.to_string().into_bytes();
    let now = chrono::Utc::now().timestamp();
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(WEBHOOK_SECRET.as_bytes()).unwrap();
    mac.update(format!("{now}.").as_bytes());
    mac.update(&bytes);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    app.send_signed(
        "/api/v1/payments/webhook",
        &format!("t={now},v1={hex}"),
        bytes,
    )
}

/// A 422 problem naming exactly `fields`, never a 5xx.
fn assert_refused(reply: &Reply, fields: &[&str], what: &str) {
    assert!(
        reply.status < 500,
        "{what}: {} {}",
        reply.status,
        reply.text
    );
    assert_eq!(reply.status, 422, "{what}: {}", reply.text);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json"),
        "{what}"
    );
    assert_eq!(reply.code(), "validation_failed", "{what}");
    assert_eq!(reply.problem_fields(), fields, "{what}: {}", reply.text);
}

/// A NUL anywhere — path, query, JSON string, the webhook's event — is a
/// 422 naming the field on both backends. PostgreSQL cannot store a NUL
/// and answered 500 on each of these.
fn nul_anywhere_is_a_problem_naming_the_field(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let (reviewer, _) = staff(&app, Role::Specialist, "spec");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let public = app.get("/api/v1/public/trainers/KYT-2024-%00", None);
    assert_refused(&public, &["number"], "public trainer number");
    let search = app.get("/api/v1/public/trainers?name=Do%00e", None);
    assert_refused(&search, &["name"], "public register name");
    let overview = app.get(&format!("/api/v1/applications/{id}%00"), Some(&token));
    assert_refused(&overview, &["id"], "application id");
    let credential = app.get("/api/v1/credentials/KYT%00", Some(&token));
    assert_refused(&credential, &["number"], "credential number");

    for (path, body, field) in [
        (
            "/api/v1/auth/login",
            json!({"username": "jd\u{0}oe", "password": PASSWORD}),
            "username",
        ),
        (
            "/api/v1/auth/login",
            json!({"username": "jdoe", "password": format!("{PASSWORD}\u{0}")}),
            "password",
        ),
        (
            "/api/v1/auth/forgot-password",
            json!({"username": "jdoe\u{0}"}),
            "username",
        ),
        (
            "/api/v1/auth/forgot-username",
            json!({"email": "jane.doe\u{0}@example.org"}),
            "email",
        ),
    ] {
        assert_refused(&app.post(path, &body), &[field], path);
    }

    let deny = app.post_as(
        &format!("/api/v1/review/applications/{id}/deny"),
        &reviewer,
        &json!({"reasons": [{"citation": "922 KAR 2:240 Section 5(1)\u{0}", "message": "Under three years."}]}),
    );
    assert_refused(&deny, &["reasons[0].citation"], "a denial's citation");

    let webhook = signed_webhook(
        &app,
        &json!({"id": "evt_\u{0}1", "type": "payment.succeeded", "data": {"payment_id": "p", "reference": "ch_1"}}),
    );
    assert_refused(&webhook, &["id"], "a webhook's event id");

    // The account still signs in: nothing above changed anything.
    assert_eq!(login(&app, "jdoe", PASSWORD).status, 200);
}

/// A right-to-left override would make "nursing" read backwards on the
/// public register and "gpj.exe" pass for "exe.jpg" in a download: refused
/// in a Specialty area and in a file name, while text over several lines is
/// still taken in a body.
fn bidirectional_controls_are_refused_in_text_and_file_names(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let created = app.post_as(
        "/api/v1/applications",
        &token,
        &json!({"request_types": ["new_specialty"], "answers": {"first_time_applicant": true, "conducts_online_training": false}}),
    );
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let specialty = format!("/api/v1/applications/{id}/elements/specialty_license");
    let overridden = app.put_as(
        &specialty,
        &token,
        &json!({"area": "\u{202E}gnisruN", "license_or_certification": true, "related_experience_years": 3}),
    );
    assert_refused(&overridden, &["area"], "a Specialty area");
    let isolated = app.put_as(
        &specialty,
        &token,
        &json!({"area": "Nursing\u{2067}", "license_or_certification": true, "related_experience_years": 3}),
    );
    assert_refused(&isolated, &["area"], "an isolate");
    let plain = app.put_as(
        &specialty,
        &token,
        &json!({"area": "Nursing", "license_or_certification": true, "related_experience_years": 3}),
    );
    assert_eq!(plain.status, 200, "{}", plain.text);

    let upload = format!("/api/v1/applications/{id}/elements/experience/attachments");
    let named = app.post_multipart(
        &upload,
        &token,
        &[
            ("file", Some("letter\u{202E}fdp.exe"), PDF),
            ("description", None, b"Letter from my employer"),
            ("type", None, b"verification_letter"),
        ],
    );
    assert_refused(&named, &["file"], "a file name");
    let described = app.post_multipart(
        &upload,
        &token,
        &[
            ("file", Some("letter.pdf"), PDF),
            (
                "description",
                None,
                "Letter\u{0} from my employer".as_bytes(),
            ),
            ("type", None, b"verification_letter"),
        ],
    );
    assert_refused(&described, &["description"], "a description");
    assert!(app.stored_files().is_empty());
}

/// A stored name outside ASCII comes back as RFC 6266 asks: the name
/// itself percent-encoded in `filename*`, an ASCII fallback in `filename`,
/// no raw byte of it in the header.
fn non_ascii_file_names_download_as_rfc_6266(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let created = app.post_multipart(
        &format!("/api/v1/applications/{id}/elements/experience/attachments"),
        &token,
        &[
            ("file", Some("Résumé 2024.pdf"), PDF),
            ("description", None, b"My CV"),
            ("type", None, b"other"),
        ],
    );
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.json()["file_name"], "Résumé 2024.pdf");
    let downloaded = app.get(created.header("location").unwrap(), Some(&token));
    assert_eq!(downloaded.status, 200);
    let disposition = downloaded.header("content-disposition").unwrap_or("");
    assert!(
        disposition.starts_with("attachment;"),
        "{disposition:?} (empty: the header was not ASCII)"
    );
    assert!(
        disposition.contains("filename*=UTF-8''R%C3%A9sum%C3%A9%202024.pdf"),
        "{disposition}"
    );
    assert!(
        disposition.contains("filename=\"R_sum_ 2024.pdf\""),
        "{disposition}"
    );
}

/// Sends `request` on a fresh connection and reads until the server closes
/// it (or `within` passes): the raw answer.
fn raw_exchange(app: &TestApp, request: &[u8], within: Duration) -> String {
    let mut stream = TcpStream::connect(app.base.trim_start_matches("http://")).unwrap();
    stream.set_read_timeout(Some(within)).unwrap();
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// The raw answer split into its status, lower-cased head and body.
fn split_answer(answer: &str) -> (u16, String, String) {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((answer, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_default();
    (status, head.to_ascii_lowercase(), body.to_owned())
}

/// A problem with `code` and `status`, its length exact, sent on a closing
/// connection and never cached; its code in the table with that status.
fn assert_raw_problem(answer: &str, status: u16, code: &str) {
    let (got, head, body) = split_answer(answer);
    assert_eq!(got, status, "{answer:?}");
    assert!(
        head.contains("\r\ncontent-type: application/problem+json\r\n"),
        "{answer:?}"
    );
    assert!(head.contains("\r\nconnection: close\r\n"), "{answer:?}");
    assert!(
        head.contains("\r\ncache-control: no-store\r\n"),
        "{answer:?}"
    );
    assert!(
        head.contains(&format!("\r\ncontent-length: {}\r\n", body.len())),
        "{answer:?}"
    );
    let problem: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body:?}"));
    assert_eq!(problem["code"], code, "{body}");
    assert_eq!(problem["status"], status, "{body}");
    assert_eq!(problem["type"], format!("/problems/{code}"), "{body}");
    assert!(problem["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(problem["detail"].as_str().is_some_and(|t| !t.is_empty()));
    let table = kecs_api::http::error::code_table();
    assert!(
        table.iter().any(|&(c, s, _)| c == code && s == status),
        "{code} {status} is not in the table"
    );
}

/// Errors actix makes inside the app (an unknown file under Swagger UI, a
/// query it cannot decode) are problems with a code from the table, and so
/// are those its HTTP/1 dispatcher writes itself before any service runs: a
/// head too large (431), a request line it cannot parse (400). Before, these
/// two were bodiless.
fn framework_errors_are_problems(backend: Backend) {
    let app = TestApp::spawn(backend);
    let missing = app.get("/swagger-ui/no-such-file.js", None);
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(missing.code(), "not_found");

    let undecodable = app.get("/api/v1/public/trainers?name=%zz", None);
    assert_eq!(
        undecodable.header("content-type"),
        Some("application/problem+json"),
        "{}",
        undecodable.text
    );
    assert_eq!(undecodable.problem_fields(), ["name"]);

    let huge = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(200 * 1024)
    );
    let answer = raw_exchange(&app, huge.as_bytes(), Duration::from_secs(10));
    assert!(answer.starts_with("HTTP/1.1 431 "), "{answer:?}");
    assert_raw_problem(&answer, 431, "request_header_fields_too_large");
    let answer = raw_exchange(&app, b"NOT HTTP AT ALL\r\n\r\n", Duration::from_secs(10));
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer:?}");
    assert_raw_problem(&answer, 400, "bad_request");
    // A good request pipelined before a bad one gets its own answer intact,
    // then the problem.
    let answer = raw_exchange(
        &app,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /\x01 HTTP/1.1\r\n\r\n",
        Duration::from_secs(10),
    );
    let (first, rest) = answer
        .split_once("HTTP/1.1 400 ")
        .unwrap_or_else(|| panic!("{answer:?}"));
    assert!(first.starts_with("HTTP/1.1 200 OK\r\n"), "{answer:?}");
    assert_raw_problem(&format!("HTTP/1.1 400 {rest}"), 400, "bad_request");
    // The server is still there for everyone else.
    assert_eq!(app.get("/api/v1/public/trainers", None).status, 200);
}

/// A request head that does not arrive in time is cut with a 408 problem
/// (after actix's 5 s), where the dispatcher wrote a bodiless 408.
fn slow_heads_are_cut_with_a_408_problem(backend: Backend) {
    let app = TestApp::spawn(backend);
    let mut stream = TcpStream::connect(app.base.trim_start_matches("http://")).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer:?}");
    assert_raw_problem(&answer, 408, "request_timeout");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "closed after {:?}",
        started.elapsed()
    );
}

/// Reads one answer (head and a `content-length` body) off `stream`.
fn read_one(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let mut byte = [0u8; 1];
    while !answer.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        answer.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&answer).to_ascii_lowercase();
    let length: usize = head
        .split("\r\n")
        .find_map(|l| l.strip_prefix("content-length: "))
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("no length: {head}"));
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).unwrap();
    answer.extend_from_slice(&body);
    String::from_utf8_lossy(&answer).into_owned()
}

/// The connection the dispatcher writes through leaves ordinary answers
/// alone: on one kept-alive connection a 200, an answer to `HEAD` (a
/// length and no body) and a 404 problem arrive exactly as framed, and the
/// connection stays open.
fn kept_alive_connections_are_untouched(backend: Backend) {
    let app = TestApp::spawn(backend);
    let expected_health = app.get("/healthz", None);
    assert_eq!(expected_health.status, 200);
    let mut stream = TcpStream::connect(app.base.trim_start_matches("http://")).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let first = read_one(&mut stream);
    let (status, head, body) = split_answer(&first);
    assert_eq!(status, 200, "{first:?}");
    assert!(!head.contains("connection: close"), "{first:?}");
    assert_eq!(body, expected_health.text);

    // Pipelined: a HEAD (whose answer has a length but no body) then a GET.
    stream
        .write_all(
            b"HEAD /api/v1/public/trainers/KYT-1999-000001 HTTP/1.1\r\nHost: x\r\n\r\nGET /api/v1/public/trainers/KYT-1999-000001 HTTP/1.1\r\nHost: x\r\n\r\n",
        )
        .unwrap();
    let mut head_answer = Vec::new();
    let mut byte = [0u8; 1];
    while !head_answer.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        head_answer.push(byte[0]);
    }
    let head_answer = String::from_utf8_lossy(&head_answer).into_owned();
    assert!(
        head_answer
            .to_ascii_lowercase()
            .contains("content-type: application/problem+json"),
        "{head_answer:?}"
    );
    let second = read_one(&mut stream);
    let (status, _, body) = split_answer(&second);
    assert_eq!(status, 404, "{second:?}");
    let problem: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {second:?}"));
    assert_eq!(problem["code"], "not_found");
    let expected = app.get("/api/v1/public/trainers/KYT-1999-000001", None);
    assert_eq!(body, expected.text);

    // Still open: a third request on the same connection is answered.
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let third = read_one(&mut stream);
    assert!(third.starts_with("HTTP/1.1 200 OK\r\n"), "{third:?}");
}

/// No answer carrying a token or personal data may be kept by a browser or
/// a proxy: `no-store`, problems included. The public register may be
/// cached a minute.
fn tokens_and_personal_data_are_not_stored(backend: Backend) {
    let app = TestApp::spawn(backend);
    let registered = register(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let signed_in = login(&app, "jdoe", PASSWORD);
    let refreshed = app.post(
        "/api/v1/auth/refresh",
        &json!({"refresh_token": refresh_token(&signed_in)}),
    );
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
    let claim = app.post(
        "/api/v1/accounts/claim",
        &json!({"claim_token": "x", "username": "someone", "email": "someone@example.org", "password": PASSWORD, "password_confirmation": PASSWORD}),
    );
    let profile = app.get("/api/v1/me/profile", Some(&access_token(&signed_in)));
    let bad_login = login(&app, "jdoe", "Wrong-Password-123");
    for (what, reply) in [
        ("accounts", &registered),
        ("login", &signed_in),
        ("refresh", &refreshed),
        ("claim", &claim),
        ("profile", &profile),
        ("a refused login", &bad_login),
    ] {
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{what}");
    }
    let register_page = app.get("/api/v1/public/trainers", None);
    assert_eq!(register_page.status, 200);
    assert_eq!(
        register_page.header("cache-control"),
        Some("public, max-age=60")
    );
    let unknown = app.get("/api/v1/public/trainers/KYT-1999-000001", None);
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.header("cache-control"), Some("no-store"));
}

/// Sends the head of `request` at once, then its body a byte every 500 ms;
/// returns the raw answer and how long the server took to close.
fn trickle(app: &TestApp, head: String) -> (String, Duration) {
    let mut stream = TcpStream::connect(app.base.trim_start_matches("http://")).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(8)))
        .unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    let started = Instant::now();
    let done = Arc::new(AtomicBool::new(false));
    let mut writer = stream.try_clone().unwrap();
    let stop = done.clone();
    let sender = std::thread::spawn(move || {
        for _ in 0..100 {
            std::thread::sleep(Duration::from_millis(500));
            if stop.load(Ordering::SeqCst) || writer.write_all(b" ").is_err() {
                return;
            }
        }
    });
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let elapsed = started.elapsed();
    done.store(true, Ordering::SeqCst);
    sender.join().unwrap();
    (String::from_utf8_lossy(&answer).into_owned(), elapsed)
}

/// A body trickled a byte at a time is cut with 408, a problem, and the
/// connection closed within the configured time — on a JSON body, the
/// webhook and an upload. Before, such connections stayed open for good.
fn slow_bodies_are_cut_with_408(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("KECS_BODY_TIMEOUT_SECS", "2")]);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let heads = [
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{".to_owned(),
        "POST /api/v1/payments/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nKecs-Signature: t=1,v1=00\r\nContent-Length: 100\r\n\r\n{".to_owned(),
        format!(
            "POST /api/v1/applications/{id}/elements/experience/attachments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF"
        ),
    ];
    for head in heads {
        let what = head.lines().next().unwrap_or_default().to_owned();
        let (answer, elapsed) = trickle(&app, head);
        assert!(answer.starts_with("HTTP/1.1 408"), "{what}: {answer:?}");
        let lower = answer.to_ascii_lowercase();
        assert!(lower.contains("connection: close"), "{what}: {answer}");
        assert!(
            lower.contains("content-type: application/problem+json"),
            "{what}: {answer}"
        );
        assert!(
            answer.contains("\"code\":\"request_timeout\""),
            "{what}: {answer}"
        );
        assert!(
            elapsed < Duration::from_secs(5),
            "{what}: closed after {elapsed:?}"
        );
    }
    // A body sent at once is untouched by the deadline.
    assert_eq!(login(&app, "jdoe", PASSWORD).status, 200);
}

both_backends!(
    nul_anywhere_is_a_problem_naming_the_field,
    bidirectional_controls_are_refused_in_text_and_file_names,
    non_ascii_file_names_download_as_rfc_6266,
    framework_errors_are_problems,
    slow_heads_are_cut_with_a_408_problem,
    kept_alive_connections_are_untouched,
    tokens_and_personal_data_are_not_stored,
    slow_bodies_are_cut_with_408,
);
