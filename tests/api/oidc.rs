//! Sign in with an OpenID provider, against a real one: `oidc-provider-mock`
//! (PyPI), started on a free port for each test and stopped after it. Its
//! authorization form is POSTed with the subject to sign in as, the way a
//! person would submit it, and its redirect carries the code and state
//! back to the callback, as the front end's page would.

use crate::support::{PASSWORD, access_token, new_account, register, search_end_user};
use kecs_tests::{Backend, Reply, TestApp, both_backends};
use serde_json::{Value, json};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

const MOCK_VERSION: &str = "0.3.4";

/// Installs the provider for this user once, unless it is there already.
fn ensure_installed() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let present = Command::new("python3")
            .args(["-c", "import oidc_provider_mock"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if present {
            return;
        }
        let installed = Command::new("python3")
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--user",
                &format!("oidc-provider-mock=={MOCK_VERSION}"),
            ])
            .status()
            .expect("python3 runs");
        assert!(
            installed.success(),
            "pip could not install oidc-provider-mock"
        );
    });
}

/// A running provider; stopped when dropped.
struct Provider {
    child: Child,
    issuer: String,
    agent: ureq::Agent,
}

impl Provider {
    fn start() -> Provider {
        ensure_installed();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("python3")
            .args([
                "-m",
                "oidc_provider_mock",
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the provider starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into();
        let provider = Provider {
            child,
            issuer: format!("http://127.0.0.1:{port}"),
            agent,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let discovery = provider
                .agent
                .get(format!(
                    "{}/.well-known/openid-configuration",
                    provider.issuer
                ))
                .call();
            if discovery.is_ok_and(|r| r.status() == 200) {
                return provider;
            }
            assert!(Instant::now() < deadline, "the provider did not answer");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Settings that configure the provider as `mock`.
    fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("KECS_OIDC_PROVIDERS", "mock".to_owned()),
            ("KECS_OIDC_MOCK_ISSUER", self.issuer.clone()),
            ("KECS_OIDC_MOCK_CLIENT_ID", "kecs".to_owned()),
            ("KECS_OIDC_MOCK_CLIENT_SECRET", "kecs-secret".to_owned()),
            ("KECS_OIDC_MOCK_NAME", "Mock".to_owned()),
        ]
    }

    /// Submits the authorization form as `subject` (or denies it), and
    /// returns the query the provider redirects back with.
    fn authorize(&self, authorization_url: &str, form: &[(&str, &str)]) -> String {
        let response = self
            .agent
            .post(authorization_url)
            .send_form(form.iter().copied())
            .unwrap();
        assert_eq!(response.status(), 302, "the provider did not redirect back");
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            location.starts_with("https://kecs.test/sign-in/mock/callback?"),
            "{location}"
        );
        location.split_once('?').unwrap().1.to_owned()
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(backend: Backend, provider: &Provider) -> TestApp {
    let settings = provider.settings();
    let borrowed: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    TestApp::spawn_with(backend, &borrowed)
}

fn subject() -> String {
    format!("person-{}", uuid::Uuid::new_v4().simple())
}

fn authorization_url(reply: &Reply) -> String {
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["authorization_url"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Signs in at the provider as `subject` and hands the answer to the callback.
fn sign_in_as(app: &TestApp, provider: &Provider, subject: &str) -> Reply {
    let url = authorization_url(&app.get("/api/v1/auth/oidc/mock/start", None));
    let query = provider.authorize(&url, &[("sub", subject)]);
    app.get(&format!("/api/v1/auth/oidc/mock/callback?{query}"), None)
}

/// Links `subject` to the account of `token`; the callback's reply.
fn link_as(app: &TestApp, provider: &Provider, token: &str, subject: &str) -> Reply {
    let url = authorization_url(&app.post_as("/api/v1/me/identities/mock", token, &json!({})));
    let query = provider.authorize(&url, &[("sub", subject)]);
    app.get(&format!("/api/v1/auth/oidc/mock/callback?{query}"), None)
}

fn outcome(reply: &Reply) -> String {
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["outcome"].as_str().unwrap().to_owned()
}

fn a_linked_identity_signs_in_to_its_account(backend: Backend) {
    let provider = Provider::start();
    let app = spawn(backend, &provider);
    let registered = register(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let token = access_token(&registered);
    let account_id = registered.json()["account"]["id"].clone();
    let person = subject();

    let buttons = app.get("/api/v1/auth/providers", None).json();
    assert_eq!(
        buttons["sign_in"],
        json!([{"id": "mock", "name": "Mock", "start_url": "/api/v1/auth/oidc/mock/start"}])
    );

    let linked = link_as(&app, &provider, &token, &person);
    assert_eq!(outcome(&linked), "linked");
    assert_eq!(linked.json()["identity"]["subject"], person);
    assert_eq!(linked.json()["identity"]["issuer"], provider.issuer);
    let listed = app.get("/api/v1/me/identities", Some(&token));
    assert_eq!(listed.json()["items"].as_array().unwrap().len(), 1);
    let feed = app.get("/api/v1/me/dashboard", Some(&token)).json()["activity"].clone();
    assert_eq!(feed[0]["action"], "identity.linked", "{feed}");
    assert_eq!(
        feed[0]["message"],
        "You linked your Mock sign-in to this account."
    );
    assert_eq!(listed.json()["items"][0]["provider"], "mock");

    let signed_in = sign_in_as(&app, &provider, &person);
    assert_eq!(outcome(&signed_in), "signed_in");
    let body = signed_in.json();
    assert_eq!(body["account"]["id"], account_id);
    assert_eq!(body["token_type"], "Bearer");
    let fresh = body["access_token"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/me/profile", Some(fresh)).status, 200);
    // The refresh token is a real one, as from /auth/login.
    let refreshed = app.post(
        "/api/v1/auth/refresh",
        &json!({"refresh_token": body["refresh_token"]}),
    );
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
}

fn an_unlinked_identity_registers_a_new_account_and_is_linked(backend: Backend) {
    let provider = Provider::start();
    let app = spawn(backend, &provider);
    let person = subject();
    let first = sign_in_as(&app, &provider, &person);
    assert_eq!(outcome(&first), "registration_required");
    // The mock provider's email claim is the subject; shown, never matched.
    assert_eq!(first.json()["email"], person);
    let registration_token = first.json()["registration_token"].clone();

    let mut body = new_account("jdoe", "jane.doe@example.org", "123-45-6789");
    body["registration_token"] = registration_token.clone();
    let created = app.post("/api/v1/accounts", &body);
    assert_eq!(created.status, 201, "{}", created.text);

    let again = sign_in_as(&app, &provider, &person);
    assert_eq!(outcome(&again), "signed_in");
    assert_eq!(
        again.json()["account"]["id"],
        created.json()["account"]["id"]
    );

    // The same token cannot link the identity to a second account: the
    // whole registration is refused.
    let mut second = new_account("other", "other@example.org", "123-45-6780");
    second["registration_token"] = registration_token;
    let refused = app.post("/api/v1/accounts", &second);
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert_eq!(refused.code(), "identity_linked_elsewhere");
    let mut forged = new_account("third", "third@example.org", "123-45-6781");
    forged["registration_token"] = json!("not-a-token");
    let invalid = app.post("/api/v1/accounts", &forged);
    assert_eq!(invalid.status, 422);
    assert_eq!(invalid.problem_fields(), ["registration_token"]);
}

fn an_unlinked_identity_claims_its_record_and_is_linked(backend: Backend) {
    let provider = Provider::start();
    let app = spawn(backend, &provider);
    app.seed_demo_people();
    let person = subject();
    let first = sign_in_as(&app, &provider, &person);
    assert_eq!(outcome(&first), "registration_required");
    let claim_token = app
        .post("/api/v1/accounts/search", &search_end_user())
        .json()["matches"][0]["claim_token"]
        .clone();
    let claimed = app.post(
        "/api/v1/accounts/claim",
        &json!({
            "claim_token": claim_token,
            "username": "enduser",
            "email": "end.user@example.org",
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
            "registration_token": first.json()["registration_token"],
        }),
    );
    assert_eq!(claimed.status, 201, "{}", claimed.text);
    let again = sign_in_as(&app, &provider, &person);
    assert_eq!(outcome(&again), "signed_in");
    assert_eq!(again.json()["account"]["username"], "enduser");
}

fn a_state_that_was_never_issued_is_refused(backend: Backend) {
    let provider = Provider::start();
    let app = spawn(backend, &provider);
    let url = authorization_url(&app.get("/api/v1/auth/oidc/mock/start", None));
    let query = provider.authorize(&url, &[("sub", &subject())]);
    let code = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("code="))
        .unwrap();
    let forged = app.get(
        &format!("/api/v1/auth/oidc/mock/callback?code={code}&state=forged-state"),
        None,
    );
    assert_eq!(forged.status, 422, "{}", forged.text);
    assert_eq!(forged.code(), "sign_in_expired");
    let missing = app.get(
        &format!("/api/v1/auth/oidc/mock/callback?code={code}"),
        None,
    );
    assert_eq!(missing.code(), "sign_in_expired");
}

fn a_replayed_callback_is_refused(backend: Backend) {
    let provider = Provider::start();
    let app = spawn(backend, &provider);
    let url = authorization_url(&app.get("/api/v1/auth/oidc/mock/start", None));
    let query = provider.authorize(&url, &[("sub", &subject())]);
    let path = format!("/api/v1/auth/oidc/mock/callback?{query}");
    assert_eq!(outcome(&app.get(&path, None)), "registration_required");
    let replayed = app.get(&path, None);
    assert_eq!(replayed.status, 422, "{}", replayed.text);
    assert_eq!(replayed.code(), "sign_in_expired");
}

/// Two nodes (here: two threads) take the same callback at once: exactly
/// one finishes the sign-in, the other is told it was used.
fn racing_callbacks_with_one_state_finish_one_sign_in(backend: Backend) {
    let provider = Provider::start();
    let app = spawn(backend, &provider);
    let url = authorization_url(&app.get("/api/v1/auth/oidc/mock/start", None));
    let query = provider.authorize(&url, &[("sub", &subject())]);
    let path = format!("/api/v1/auth/oidc/mock/callback?{query}");
    let replies: Vec<Reply> = std::thread::scope(|scope| {
        let racers: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| app.get(&path, None)))
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let finished = replies.iter().filter(|r| r.status == 200).count();
    let used = replies
        .iter()
        .filter(|r| r.status == 422 && r.code() == "sign_in_expired")
        .count();
    assert_eq!(
        (finished, used),
        (1, 3),
        "{:?}",
        replies.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
}

fn an_identity_linked_to_one_account_cannot_be_linked_to_another(backend: Backend) {
    let provider = Provider::start();
    let app = spawn(backend, &provider);
    let first = access_token(&register(&app, "first", "first@example.org", "123-45-6789"));
    let second = access_token(&register(
        &app,
        "second",
        "second@example.org",
        "123-45-6780",
    ));
    let person = subject();
    assert_eq!(
        outcome(&link_as(&app, &provider, &first, &person)),
        "linked"
    );
    let refused = link_as(&app, &provider, &second, &person);
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert_eq!(refused.code(), "identity_linked_elsewhere");
    let listed = app.get("/api/v1/me/identities", Some(&second));
    assert_eq!(listed.json()["items"], json!([]));
    // A second identity at the same provider for one account: refused too.
    let another = link_as(&app, &provider, &first, &subject());
    assert_eq!(another.status, 409, "{}", another.text);
    assert_eq!(another.code(), "provider_already_linked");
}

fn an_unlinked_identity_no_longer_reaches_the_account(backend: Backend) {
    let provider = Provider::start();
    let app = spawn(backend, &provider);
    let token = access_token(&register(
        &app,
        "jdoe",
        "jane.doe@example.org",
        "123-45-6789",
    ));
    let person = subject();
    assert_eq!(
        outcome(&link_as(&app, &provider, &token, &person)),
        "linked"
    );
    assert_eq!(
        app.delete_as("/api/v1/me/identities/mock", &token).status,
        204
    );
    assert_eq!(
        app.delete_as("/api/v1/me/identities/mock", &token).status,
        404
    );
    assert_eq!(
        outcome(&sign_in_as(&app, &provider, &person)),
        "registration_required"
    );
}

fn a_refusal_at_the_provider_is_a_problem(backend: Backend) {
    let provider = Provider::start();
    let app = spawn(backend, &provider);
    let url = authorization_url(&app.get("/api/v1/auth/oidc/mock/start", None));
    let query = provider.authorize(&url, &[("action", "deny")]);
    let refused = app.get(&format!("/api/v1/auth/oidc/mock/callback?{query}"), None);
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.code(), "provider_refused");
}

fn the_start_redirects_a_browser_and_keeps_return_to_on_this_site(backend: Backend) {
    let provider = Provider::start();
    let app = spawn(backend, &provider);
    // Through an agent that does not follow redirects, as the test app's does.
    let redirected = provider
        .agent
        .get(format!(
            "{}/api/v1/auth/oidc/mock/start?redirect=true",
            app.base
        ))
        .call()
        .unwrap();
    assert_eq!(redirected.status(), 302);
    let location = redirected.headers()["location"].to_str().unwrap();
    assert!(location.starts_with(&format!("{}/oauth2/authorize?", provider.issuer)));
    for needle in [
        "code_challenge=",
        "code_challenge_method=S256",
        "nonce=",
        "state=",
    ] {
        assert!(location.contains(needle), "{needle} missing: {location}");
    }
    let elsewhere = app.get(
        "/api/v1/auth/oidc/mock/start?return_to=https%3A%2F%2Fevil.example%2F",
        None,
    );
    assert_eq!(elsewhere.status, 422);
    assert_eq!(elsewhere.problem_fields(), ["return_to"]);
    let url = authorization_url(&app.get(
        "/api/v1/auth/oidc/mock/start?return_to=%2Fapplications",
        None,
    ));
    let query = provider.authorize(&url, &[("sub", &subject())]);
    let done = app.get(&format!("/api/v1/auth/oidc/mock/callback?{query}"), None);
    assert_eq!(done.json()["return_to"], "/applications");
}

fn without_providers_the_routes_are_not_found(backend: Backend) {
    let app = TestApp::spawn(backend);
    let start = app.get("/api/v1/auth/oidc/microsoft/start", None);
    assert_eq!(start.status, 404, "{}", start.text);
    let callback = app.get("/api/v1/auth/oidc/microsoft/callback?code=x&state=y", None);
    assert_eq!(callback.status, 404);
    let token = access_token(&register(
        &app,
        "jdoe",
        "jane.doe@example.org",
        "123-45-6789",
    ));
    assert_eq!(
        app.post_as("/api/v1/me/identities/microsoft", &token, &json!({}))
            .status,
        404
    );
    let listed: Value = app.get("/api/v1/me/identities", Some(&token)).json();
    assert_eq!(listed["items"], json!([]));
    // Whose identities, without a token, is nobody's business.
    assert_eq!(app.get("/api/v1/me/identities", None).status, 401);
    assert_eq!(
        app.send(
            "POST",
            "/api/v1/me/identities/microsoft",
            None,
            "application/json",
            b"{}".to_vec()
        )
        .status,
        401
    );
    assert_eq!(
        app.get("/api/v1/auth/providers", None).json()["sign_in"],
        json!([])
    );
}

both_backends!(
    a_linked_identity_signs_in_to_its_account,
    an_unlinked_identity_registers_a_new_account_and_is_linked,
    an_unlinked_identity_claims_its_record_and_is_linked,
    a_state_that_was_never_issued_is_refused,
    a_replayed_callback_is_refused,
    racing_callbacks_with_one_state_finish_one_sign_in,
    an_identity_linked_to_one_account_cannot_be_linked_to_another,
    an_unlinked_identity_no_longer_reaches_the_account,
    a_refusal_at_the_provider_is_a_problem,
    the_start_redirects_a_browser_and_keeps_return_to_on_this_site,
    without_providers_the_routes_are_not_found,
);
