//! Test support: a real kecs server on a free port, over its own database
//! (a SQLite file or a PostgreSQL schema), with its mail written to a
//! directory the test reads.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::{Connection, PgConnection, RunQueryDsl};
use kecs_api::config::Config;
use kecs_api::http::server;
use kecs_api::workflows::Ports;
use serde_json::Value;
use std::collections::HashMap;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the PostgreSQL half of the suite runs. `make test` sets it when a
/// server answers; a PostgreSQL test without it fails rather than skipping.
pub const POSTGRES_URL_VAR: &str = "KECS_TEST_POSTGRES_URL";

/// The webhook secret the test servers verify gateway events with.
pub const WEBHOOK_SECRET: &str = "test-webhook-secret-long-enough-for-the-rules";

/// Runs the test body once per backend: `both_backends!(a, b)` makes
/// `sqlite::a`, `postgres::a`, `sqlite::b`, ...
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name($crate::Backend::Sqlite) } )*
        }
        mod postgres {
            $( #[test] fn $name() { super::$name($crate::Backend::Postgres) } )*
        }
    };
}

/// A PostgreSQL schema made for one test and dropped after it.
struct PostgresSchema {
    admin_url: String,
    name: String,
}

impl Drop for PostgresSchema {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&self.admin_url) {
            let _ = diesel::sql_query(format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name))
                .execute(&mut conn);
        }
    }
}

fn with_search_path(url: &str, schema: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}options=-csearch_path%3D{schema}")
}

/// A database of its own (a SQLite file or a PostgreSQL schema) and the
/// settings a server over it uses.
struct Prepared {
    config: Config,
    mail_dir: PathBuf,
    attachments_dir: PathBuf,
    schema: Option<PostgresSchema>,
    dir: tempfile::TempDir,
}

fn prepare(backend: Backend, settings: &[(&str, &str)]) -> Prepared {
    let dir = tempfile::tempdir().unwrap();
    let mail_dir = dir.path().join("mail");
    let attachments_dir = dir.path().join("attachments");
    let (database_url, schema) = match backend {
        Backend::Sqlite => (dir.path().join("kecs.db").display().to_string(), None),
        Backend::Postgres => {
            let admin_url = std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| {
                panic!(
                    "{POSTGRES_URL_VAR} is not set, so the PostgreSQL half cannot run. \
                         `make test` sets it when PostgreSQL answers; or run \
                         `{POSTGRES_URL_VAR}=postgres://postgres@127.0.0.1:5432/postgres make test`"
                )
            });
            let name = format!("t_{}", uuid::Uuid::new_v4().simple());
            let mut conn = PgConnection::establish(&admin_url)
                .unwrap_or_else(|e| panic!("PostgreSQL at {POSTGRES_URL_VAR} is unreachable: {e}"));
            diesel::sql_query(format!("CREATE SCHEMA {name}"))
                .execute(&mut conn)
                .unwrap();
            let url = with_search_path(&admin_url, &name);
            (url, Some(PostgresSchema { admin_url, name }))
        }
    };
    let mut vars: HashMap<&str, String> = HashMap::from([
        ("DATABASE_URL", database_url),
        ("KECS_MAIL", format!("file:{}", mail_dir.display())),
        (
            "KECS_ATTACHMENTS",
            format!("file:{}", attachments_dir.display()),
        ),
        ("KECS_PUBLIC_URL", "https://kecs.test".to_owned()),
        ("KECS_DB_POOL_SIZE", "4".to_owned()),
        ("KECS_WEBHOOK_SECRET", WEBHOOK_SECRET.to_owned()),
        // argon2id takes about a second in a debug build and the tests
        // share the cores: concurrent tests wait their turn for a
        // hashing slot rather than be answered 503.
        ("KECS_PASSWORD_HASH_WAIT_MS", "30000".to_owned()),
    ]);
    for (name, value) in settings {
        vars.insert(*name, (*value).to_owned());
    }
    let config = Config::from_lookup(|name| vars.get(name).cloned()).unwrap();
    Prepared {
        config,
        mail_dir,
        attachments_dir,
        schema,
        dir,
    }
}

/// A migrated database with no server over it (and so no sweeper racing
/// what the test does to the schema).
pub struct TestDatabase {
    pub state: Ports,
    _schema: Option<PostgresSchema>,
    _dir: tempfile::TempDir,
}

impl TestDatabase {
    pub fn open(backend: Backend) -> TestDatabase {
        let prepared = prepare(backend, &[]);
        let db = kecs_api::workflows::open_database(&prepared.config).unwrap();
        TestDatabase {
            state: Ports::new(db, Arc::new(prepared.config)).unwrap(),
            _schema: prepared.schema,
            _dir: prepared.dir,
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub mail_dir: PathBuf,
    /// Where the server keeps attachment bytes.
    pub attachments_dir: PathBuf,
    /// The same database and keys as the server, for arranging what the API
    /// cannot (people on record, staff) and for looking under the hood.
    pub state: Ports,
    agent: ureq::Agent,
    system: actix_web::rt::System,
    _schema: Option<PostgresSchema>,
    _dir: tempfile::TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.system.stop();
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub text: String,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// The fields a validation problem names.
    pub fn problem_fields(&self) -> Vec<String> {
        self.json()["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or("").to_owned()
    }
}

impl TestApp {
    pub fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, &[])
    }

    /// A server whose configuration differs from the default by `settings`
    /// (environment variable names and values, as an operator would set them).
    pub fn spawn_with(backend: Backend, settings: &[(&str, &str)]) -> TestApp {
        let Prepared {
            config,
            mail_dir,
            attachments_dir,
            schema,
            dir,
        } = prepare(backend, settings);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state_config = config.clone();
        let (started, ready) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let system = actix_web::rt::System::new();
            system.block_on(async move {
                match server::start(config, listener, 2) {
                    Ok(server) => {
                        let _ = started.send(Ok(actix_web::rt::System::current()));
                        let _ = server.await;
                    }
                    Err(error) => {
                        let _ = started.send(Err(error.to_string()));
                    }
                }
            });
        });
        let system = ready
            .recv()
            .unwrap()
            .unwrap_or_else(|e| panic!("server did not start: {e}"));
        let db = kecs_api::workflows::open_database(&state_config).unwrap();
        let state = Ports::new(db, Arc::new(state_config)).unwrap();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            mail_dir,
            attachments_dir,
            state,
            agent,
            system,
            _schema: schema,
            _dir: dir,
        }
    }

    fn read(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
        let mut response = response.unwrap();
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()
            .unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        check_problem(status, &headers, &text);
        Reply {
            status,
            headers,
            text,
            bytes,
        }
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> Reply {
        let authorization = token.map(|token| format!("Bearer {token}"));
        match &authorization {
            Some(value) => self.get_with(path, &[("authorization", value)]),
            None => self.get_with(path, &[]),
        }
    }

    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Self::read(request.call())
    }

    pub fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        let url = format!("{}{path}", self.base);
        let mut request = match method {
            "POST" => self.agent.post(url),
            "PUT" => self.agent.put(url),
            "PATCH" => self.agent.patch(url),
            other => panic!("unsupported method {other}"),
        };
        request = request.header("content-type", content_type);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        Self::read(request.send(&body[..]))
    }

    /// A POST with no body at all: no `Content-Type`, `Content-Length: 0`.
    pub fn post_bare(&self, path: &str, token: &str) -> Reply {
        let request = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("authorization", format!("Bearer {token}"));
        Self::read(request.send_empty())
    }

    /// A JSON request with a bearer token and extra headers (`If-Match`, …).
    pub fn send_with(
        &self,
        method: &str,
        path: &str,
        token: &str,
        headers: &[(&str, &str)],
        body: &Value,
    ) -> Reply {
        let url = format!("{}{path}", self.base);
        let mut request = match method {
            "POST" => self.agent.post(url),
            "PUT" => self.agent.put(url),
            other => panic!("unsupported method {other}"),
        };
        request = request
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {token}"));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Self::read(request.send(body.to_string().as_bytes()))
    }

    /// A request as an invited third party: no account, the mailed token in
    /// the `Invitation-Token` header.
    pub fn send_invited(&self, method: &str, path: &str, invitation: &str, body: &Value) -> Reply {
        let url = format!("{}{path}", self.base);
        match method {
            "GET" => Self::read(
                self.agent
                    .get(url)
                    .header("invitation-token", invitation)
                    .call(),
            ),
            "PUT" => Self::read(
                self.agent
                    .put(url)
                    .header("invitation-token", invitation)
                    .header("content-type", "application/json")
                    .send(body.to_string().as_bytes()),
            ),
            other => panic!("unsupported method {other}"),
        }
    }

    /// A `multipart/form-data` POST: each part is (name, file name, bytes).
    pub fn post_multipart(
        &self,
        path: &str,
        token: &str,
        parts: &[(&str, Option<&str>, &[u8])],
    ) -> Reply {
        let boundary = "kecs-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, file_name, bytes) in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match file_name {
                Some(file_name) => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes(),
                ),
                None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
            }
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.send(
            "POST",
            path,
            Some(token),
            &format!("multipart/form-data; boundary={boundary}"),
            body,
        )
    }

    /// Files under the attachment store, at any depth.
    pub fn stored_files(&self) -> Vec<PathBuf> {
        fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.attachments_dir, &mut out);
        out
    }

    pub fn delete_as(&self, path: &str, token: &str) -> Reply {
        Self::read(
            self.agent
                .delete(format!("{}{path}", self.base))
                .header("authorization", format!("Bearer {token}"))
                .call(),
        )
    }

    /// A webhook delivery: raw JSON bytes with a `Kecs-Signature` header.
    pub fn send_signed(&self, path: &str, signature: &str, body: Vec<u8>) -> Reply {
        Self::read(
            self.agent
                .post(format!("{}{path}", self.base))
                .header("content-type", "application/json")
                .header("kecs-signature", signature)
                .send(&body[..]),
        )
    }

    pub fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(
            "POST",
            path,
            None,
            "application/json",
            body.to_string().into_bytes(),
        )
    }

    /// A JSON POST without a bearer token, with extra headers
    /// (`Human-Check-Token`, …).
    pub fn post_with(&self, path: &str, headers: &[(&str, &str)], body: &Value) -> Reply {
        let mut request = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Self::read(request.send(body.to_string().as_bytes()))
    }

    pub fn post_as(&self, path: &str, token: &str, body: &Value) -> Reply {
        self.send(
            "POST",
            path,
            Some(token),
            "application/json",
            body.to_string().into_bytes(),
        )
    }

    pub fn put_as(&self, path: &str, token: &str, body: &Value) -> Reply {
        self.send(
            "PUT",
            path,
            Some(token),
            "application/json",
            body.to_string().into_bytes(),
        )
    }

    /// Records the demo people (on record, without accounts).
    pub fn seed_demo_people(&self) {
        kecs_api::workflows::demo::seed_people(&self.state).unwrap();
    }

    /// Every mail sent to `to` so far, decoded, in no particular order.
    pub fn mails_to(&self, to: &str) -> Vec<Mail> {
        let Ok(entries) = std::fs::read_dir(&self.mail_dir) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .map(|raw| Mail::parse(&raw))
            .filter(|mail| mail.to.contains(to))
            .collect()
    }

    /// Waits (the outbox delivers asynchronously) until `n` mails to `to`
    /// whose subject contains `subject` have arrived, and returns them.
    /// Delivery order is not observable (a batch lands at once), so mails
    /// are told apart by subject and content, never by position.
    pub fn wait_for_mails(&self, to: &str, subject: &str, n: usize) -> Vec<Mail> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let mails: Vec<Mail> = self
                .mails_to(to)
                .into_iter()
                .filter(|m| m.subject.contains(subject))
                .collect();
            if mails.len() >= n {
                return mails;
            }
            assert!(
                Instant::now() < deadline,
                "{n} mail(s) to {to} about {subject:?} never arrived"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// The one mail to `to` about `subject`, once it has arrived.
    pub fn wait_for_mail(&self, to: &str, subject: &str) -> Mail {
        let mut mails = self.wait_for_mails(to, subject, 1);
        assert_eq!(
            mails.len(),
            1,
            "more than one mail to {to} about {subject:?}"
        );
        mails.remove(0)
    }

    /// Waits until the outbox has sent everything queued so far.
    pub fn drain_outbox(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let pending = self
                .state
                .db
                .read(kecs_persistence::repo::outbox::pending_count)
                .unwrap();
            if pending == 0 {
                return;
            }
            assert!(Instant::now() < deadline, "the outbox never drained");
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

/// A mail as the file transport wrote it.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mail {
    fn parse(raw: &str) -> Mail {
        let raw = raw.replace("\r\n", "\n");
        let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
        let header = |name: &str| {
            head.lines()
                .find_map(|line| line.strip_prefix(&format!("{name}: ")))
                .unwrap_or("")
                .to_owned()
        };
        let quoted_printable = head
            .to_ascii_lowercase()
            .contains("content-transfer-encoding: quoted-printable");
        Mail {
            to: header("To"),
            subject: header("Subject"),
            body: if quoted_printable {
                decode_quoted_printable(body)
            } else {
                body.to_owned()
            },
        }
    }

    /// The token of the first `?token=` link in the mail.
    pub fn link_token(&self) -> String {
        let start = self
            .body
            .find("token=")
            .unwrap_or_else(|| panic!("no link in: {}", self.body))
            + "token=".len();
        self.body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            .collect()
    }
}

fn decode_quoted_printable(body: &str) -> String {
    let joined = body.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'=')
            .then(|| joined.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        if let Some(byte) = escaped {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every problem the server answers with carries a code of the contract's
/// table, with that code's status: checked on every response of every test.
fn check_problem(status: u16, headers: &HashMap<String, String>, text: &str) {
    static TABLE: std::sync::LazyLock<HashMap<String, u16>> = std::sync::LazyLock::new(|| {
        kecs_api::http::error::code_table()
            .into_iter()
            .map(|(code, status, _)| (code.to_owned(), status))
            .collect()
    });
    static DOCUMENTED: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        let spec = serde_json::to_value(kecs_api::http::server::openapi()).unwrap();
        spec["components"]["schemas"]["Problem"]["properties"]["code"]["enum"]
            .as_array()
            .map(|codes| {
                codes
                    .iter()
                    .filter_map(|c| c.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    });
    let is_problem = headers
        .get("content-type")
        .is_some_and(|t| t.starts_with("application/problem+json"));
    if !is_problem {
        return;
    }
    let problem: Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("a problem that is not JSON ({e}): {text}"));
    let code = problem["code"].as_str().unwrap_or_default();
    assert_eq!(
        TABLE.get(code),
        Some(&status),
        "the problem's code {code:?} is not in the table of codes with status {status}: {text}"
    );
    assert!(
        DOCUMENTED.iter().any(|c| c == code),
        "the problem's code {code:?} is not listed in openapi.yaml: {text}"
    );
    assert_eq!(problem["status"], status, "{text}");
}
