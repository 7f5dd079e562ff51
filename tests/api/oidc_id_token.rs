//! The checks on the ID token, each against a provider this test controls:
//! a tiny OpenID provider (discovery, keys, token endpoint) on a free port
//! that answers the code exchange with whatever ID token the test signed
//! (RS256, with a key made for these tests only). A token every check
//! passes signs in; one with a wrong nonce, another audience or issuer,
//! past its expiry, or with its signature tampered with is refused.

use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use kecs_tests::{Backend, Reply, TestApp, both_backends};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// A key made for these tests with `openssl genrsa 2048` (PKCS#1 DER, in
/// base64); it signs nothing else.
const TEST_KEY_DER_BASE64: &str = "MIIEoQIBAAKCAQEAnZowefI148wf2QlpfZgQYcneMa8wkVdI9nuCflUs/5q6SSxu\
0ebTVapGn4dPKXzh/SSFUDahYU/g/XqPSkPOIrCBmRF5rKt5WTWHhpJZ0y2Wfbcu\
iBFTrUxiZEDlJTwzFtUGIMSuklSRz4qBRQ4XRSbEVH17J3IliZBQUbL2aGU0CAU7\
UyRbyGoVK8gwcy1x7IKNC63h604nOX5LR1E1+gYPtL4pjWrh2vYZAnHtvj1l5lV/\
XUmSC7wDjPGcWbQfmkiVjwi1WBNFYoQSeeUeQl6Ki227ZHl3E1kcYduYtv3p3ET7\
ZdbsP3/QXmPdnA7kQbBXnH6nyoxNS0gmfleeNQIDAQABAoH/YKcvE5p3cjy9S116\
VIvtgAtNOSs3nerp1D/qx491CUza8gVN8WyeLus+ZJeW9NqhvZ2oJIlcb1GNqeZ/\
+gubX6rfz//nnv2Kbitl8iHO9LQAlxjAcLIvnxg5P0KNRUimDFqYZ4A3j4ZN5foL\
TU5W9xHPVgGehZJ7cuIOYAxhEaQI290r+oS4ql7Xt0GfuWrK00dPCEFD3l7TcRJp\
eljSaV2BQ2NI0FP+OsVNyBMpauxWZ8KiqZkMDFWJPyuGOdxs/BqZpH0us4mocmMV\
qrNjQmVrTIJW7QqLA+oGpjneuSoAUQc1XzPvP6SdH8l6EZfmLP3aKPhWoJ8W9tRJ\
L9cdAoGBAMxxyqCv1aqZDe80TpxmCF9N6CP4ah7VhnhMyKfm3QzR4Wp+upzMSc6h\
KsTwLuMpiRp3hBypLBEwEFggr7G7KWBO0usOuehM7C1KfKUN4OCTgMAUo9a8Hcp6\
6jSoCtdKcM+tv9wirJKbRg1Lbj90ujFf5QpySTolFN6oH40thSMDAoGBAMVYbruB\
kgjvnixZJd11bzyefNdyjKcp8PIVo/C/a4Tc1OIl4gucQgBhUCpoEJYB0GngzG1t\
nsrPopBi9AWxewJmUNbwrAdvEvD8PF6osp+VISsqRMaZD+c0OQdrIxFnmpiVMrzG\
kjUIYR7ECdXUDqLz6JsvY+b3D4lm9aS0FNhnAoGAC+w+8uwOO+q9I0wboYdZyaUT\
erWMCsxNEUr5EMGn9o1u5fUKEQbg7wn7Io0XTuwnMMHzlHBRP5db/Ke7V1Qg75rp\
Nggf02pZA7MqXb3XdYFkqs8JVwaVfi945SU/rJqMxa/OVpo3Ej238iKKBW1bRnHf\
O6K6nod3Fh0b6fHTp90CgYEAih772Za1TDXRgf6fJuHjigzvGafd073iGr2UsZJ4\
QVSCVwnmrPOfqj5x6kxNl4ALi58/1TMNGau7fs0TN8zhaGuOFvH5pXZTToFsC2CN\
LG4m+dwqqMlGPS7q30tYDv1xUWvTSBa/DAkiWHMi4xr5Z4nI+pxvkp7GrAd4098K\
W+8CgYAxMN1CIK2oNPcdMCQkpYYsyOa1BMzK/37QcoNAlT7xZSu3nGtanOtE3zVD\
6G77AErExG98xABayWUMua1cuFb2bKzSiA+v6x8T5T0bo2WSFB6rFslCDrF7y0hv\
djaNpTRzrF9TyR8zb234G/31CmnUv73tZ8vA7bnaEF2hOgYb5g==";
const TEST_KEY_N: &str = "nZowefI148wf2QlpfZgQYcneMa8wkVdI9nuCflUs_5q6SSxu0ebTVapGn4dPKXzh_SSFUDahYU_g_XqPSkPOIrCBmRF5rKt5WTWHhpJZ0y2WfbcuiBFTrUxiZEDlJTwzFtUGIMSuklSRz4qBRQ4XRSbEVH17J3IliZBQUbL2aGU0CAU7UyRbyGoVK8gwcy1x7IKNC63h604nOX5LR1E1-gYPtL4pjWrh2vYZAnHtvj1l5lV_XUmSC7wDjPGcWbQfmkiVjwi1WBNFYoQSeeUeQl6Ki227ZHl3E1kcYduYtv3p3ET7ZdbsP3_QXmPdnA7kQbBXnH6nyoxNS0gmfleeNQ";
const CLIENT_ID: &str = "kecs";

/// What the token endpoint answers next.
#[derive(Clone)]
enum Answer {
    IdToken(String),
    Refuse,
}

struct FakeProvider {
    issuer: String,
    answer: Arc<Mutex<Answer>>,
}

impl FakeProvider {
    fn start() -> FakeProvider {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let answer = Arc::new(Mutex::new(Answer::Refuse));
        let (served_issuer, served) = (issuer.clone(), Arc::clone(&answer));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                serve(stream, &served_issuer, &served);
            }
        });
        FakeProvider { issuer, answer }
    }

    fn answer_with(&self, answer: Answer) {
        *self.answer.lock().unwrap() = answer;
    }
}

/// One HTTP/1.1 request, answered and closed.
fn serve(stream: TcpStream, issuer: &str, answer: &Mutex<Answer>) {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let path = request_line.split_whitespace().nth(1).unwrap_or("");
    let (status, reply) = match path {
        "/.well-known/openid-configuration" => (
            "200 OK",
            json!({
                "issuer": issuer,
                "authorization_endpoint": format!("{issuer}/authorize"),
                "token_endpoint": format!("{issuer}/token"),
                "jwks_uri": format!("{issuer}/jwks"),
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
            }),
        ),
        "/jwks" => (
            "200 OK",
            json!({"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": "test-key", "n": TEST_KEY_N, "e": "AQAB"}]}),
        ),
        "/token" => match answer.lock().unwrap().clone() {
            Answer::IdToken(id_token) => (
                "200 OK",
                json!({"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": id_token}),
            ),
            Answer::Refuse => (
                "400 Bad Request",
                json!({"error": "invalid_grant", "error_description": "the code is not valid"}),
            ),
        },
        _ => ("404 Not Found", json!({})),
    };
    let text = reply.to_string();
    let mut stream = reader.into_inner();
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
}

fn sign(claims: &Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("test-key".to_owned());
    use base64::Engine;
    let der = base64::engine::general_purpose::STANDARD
        .decode(TEST_KEY_DER_BASE64)
        .unwrap();
    let key = EncodingKey::from_rsa_der(&der);
    encode(&header, claims, &key).unwrap()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn param<'a>(url: &'a str, name: &str) -> &'a str {
    url.split_once('?')
        .unwrap()
        .1
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap()
}

/// Starts a sign-in, has the provider answer the exchange with the ID token
/// `make` builds from (issuer, nonce), and returns the callback's reply.
fn sign_in_with(backend: Backend, make: impl Fn(&str, &str) -> Answer) -> Reply {
    let provider = FakeProvider::start();
    let app = TestApp::spawn_with(
        backend,
        &[
            ("KECS_OIDC_PROVIDERS", "fake"),
            ("KECS_OIDC_FAKE_ISSUER", &provider.issuer),
            ("KECS_OIDC_FAKE_CLIENT_ID", CLIENT_ID),
            ("KECS_OIDC_FAKE_CLIENT_SECRET", "fake-secret"),
        ],
    );
    let started = app.get("/api/v1/auth/oidc/fake/start", None);
    assert_eq!(started.status, 200, "{}", started.text);
    let url = started.json()["authorization_url"]
        .as_str()
        .unwrap()
        .to_owned();
    provider.answer_with(make(&provider.issuer, param(&url, "nonce")));
    app.get(
        &format!(
            "/api/v1/auth/oidc/fake/callback?code=the-code&state={}",
            param(&url, "state")
        ),
        None,
    )
}

fn claims(issuer: &str, nonce: &str) -> Value {
    json!({
        "iss": issuer,
        "sub": "fake-subject",
        "aud": CLIENT_ID,
        "iat": now(),
        "exp": now() + 300,
        "nonce": nonce,
        "email": "fake@example.org",
    })
}

fn assert_id_token_refused(reply: &Reply, why: &str) {
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(reply.code(), "id_token_invalid", "{}", reply.text);
    let detail = reply.json()["detail"].as_str().unwrap().to_owned();
    assert!(detail.contains(why), "{why:?} not in {detail:?}");
}

fn a_token_every_check_passes_is_accepted(backend: Backend) {
    let reply = sign_in_with(backend, |issuer, nonce| {
        Answer::IdToken(sign(&claims(issuer, nonce)))
    });
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json()["outcome"], "registration_required");
    assert_eq!(reply.json()["email"], "fake@example.org");
}

fn another_sign_ins_nonce_is_refused(backend: Backend) {
    let reply = sign_in_with(backend, |issuer, _| {
        Answer::IdToken(sign(&claims(issuer, "a-nonce-of-another-sign-in")))
    });
    assert_id_token_refused(&reply, "nonce");
}

fn a_token_for_another_client_is_refused(backend: Backend) {
    let reply = sign_in_with(backend, |issuer, nonce| {
        let mut claims = claims(issuer, nonce);
        claims["aud"] = json!("another-client");
        Answer::IdToken(sign(&claims))
    });
    assert_id_token_refused(&reply, "another client");
}

fn a_token_from_another_issuer_is_refused(backend: Backend) {
    let reply = sign_in_with(backend, |_, nonce| {
        Answer::IdToken(sign(&claims("https://login.example/other", nonce)))
    });
    assert_id_token_refused(&reply, "issuer");
}

fn an_expired_token_is_refused(backend: Backend) {
    let reply = sign_in_with(backend, |issuer, nonce| {
        let mut claims = claims(issuer, nonce);
        claims["iat"] = json!(now() - 3600);
        claims["exp"] = json!(now() - 600);
        Answer::IdToken(sign(&claims))
    });
    assert_id_token_refused(&reply, "expired");
}

fn a_tampered_signature_is_refused(backend: Backend) {
    let reply = sign_in_with(backend, |issuer, nonce| {
        let token = sign(&claims(issuer, nonce));
        let (signed, signature) = token.rsplit_once('.').unwrap();
        // Another signature of the same length: one character changed.
        let mut chars: Vec<char> = signature.chars().collect();
        chars[10] = if chars[10] == 'A' { 'B' } else { 'A' };
        Answer::IdToken(format!(
            "{signed}.{}",
            chars.into_iter().collect::<String>()
        ))
    });
    assert_id_token_refused(&reply, "signature");
}

fn a_token_with_claims_changed_after_signing_is_refused(backend: Backend) {
    let reply = sign_in_with(backend, |issuer, nonce| {
        use base64::Engine;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let token = sign(&claims(issuer, nonce));
        let parts: Vec<&str> = token.split('.').collect();
        let mut forged = claims(issuer, nonce);
        forged["sub"] = json!("someone-else");
        let payload = URL_SAFE_NO_PAD.encode(forged.to_string());
        Answer::IdToken(format!("{}.{payload}.{}", parts[0], parts[2]))
    });
    assert_id_token_refused(&reply, "signature");
}

fn a_code_the_provider_refuses_is_a_problem(backend: Backend) {
    let reply = sign_in_with(backend, |_, _| Answer::Refuse);
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(reply.code(), "code_exchange_failed");
}

both_backends!(
    a_token_every_check_passes_is_accepted,
    another_sign_ins_nonce_is_refused,
    a_token_for_another_client_is_refused,
    a_token_from_another_issuer_is_refused,
    an_expired_token_is_refused,
    a_tampered_signature_is_refused,
    a_token_with_claims_changed_after_signing_is_refused,
    a_code_the_provider_refuses_is_a_problem,
);
