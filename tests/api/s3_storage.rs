//! Attachments in an S3-compatible bucket, against a real S3 server: moto
//! (PyPI `moto[server]`), started on a free port for each test and stopped
//! after it, with the bucket made first. The server is configured as an
//! operator would (`KECS_ATTACHMENTS=s3://bucket/prefix` and the `AWS_*`
//! variables), and the bucket is listed over plain HTTP to see what is
//! really stored.

use crate::applications::{ready_applicant, start_level_1};
use crate::orphans::{PDF, orphans_are_swept_after_the_grace_period, upload};
use kecs_tests::{Backend, TestApp, both_backends};
use serde_json::json;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

const MOTO_VERSION: &str = "5.2.1";
const BUCKET: &str = "kecs-attachments";
const PREFIX: &str = "tenant-a";

/// Installs moto's server for this user once, unless it is there already.
fn ensure_installed() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let present = Command::new("python3")
            .args(["-c", "import moto.server, flask_cors"])
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
                &format!("moto[server]=={MOTO_VERSION}"),
            ])
            .status()
            .expect("python3 runs");
        assert!(installed.success(), "pip could not install moto[server]");
    });
}

/// A running S3 server with the bucket made; stopped when dropped.
struct S3Server {
    child: Child,
    endpoint: String,
    agent: ureq::Agent,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl S3Server {
    fn start() -> S3Server {
        ensure_installed();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("python3")
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into();
        let server = S3Server {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            agent,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let made = server
                .agent
                .put(format!("{}/{BUCKET}", server.endpoint))
                .send_empty();
            if made.is_ok_and(|r| r.status() == 200) {
                return server;
            }
            assert!(Instant::now() < deadline, "moto did not answer");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn settings(&self, bucket: &str) -> Vec<(&'static str, String)> {
        vec![
            ("KECS_ATTACHMENTS", format!("s3://{bucket}/{PREFIX}")),
            ("AWS_ACCESS_KEY_ID", "kecs-test".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "kecs-test-secret".to_owned()),
            ("AWS_REGION", "us-east-1".to_owned()),
            ("AWS_ENDPOINT", self.endpoint.clone()),
            ("AWS_ALLOW_HTTP", "true".to_owned()),
        ]
    }

    fn spawn_app(&self, backend: Backend, bucket: &str) -> TestApp {
        let settings = self.settings(bucket);
        let borrowed: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
        TestApp::spawn_with(backend, &borrowed)
    }

    /// Every key in the bucket (ListObjectsV2, unsigned: moto allows it).
    fn keys(&self) -> Vec<String> {
        let mut response = self
            .agent
            .get(format!("{}/{BUCKET}?list-type=2", self.endpoint))
            .call()
            .unwrap();
        assert_eq!(response.status(), 200);
        let xml = response.body_mut().read_to_string().unwrap();
        xml.split("<Key>")
            .skip(1)
            .filter_map(|rest| rest.split_once("</Key>").map(|(key, _)| key.to_owned()))
            .collect()
    }
}

/// A document large enough to arrive in many chunks: a PDF header, then
/// filler the type check does not read.
fn large_pdf() -> Vec<u8> {
    let mut bytes = PDF.to_vec();
    bytes.extend((0..3 * 1024 * 1024).map(|i: u32| (i % 251) as u8));
    bytes
}

fn an_attachment_is_stored_streamed_and_deleted_in_the_bucket(backend: Backend) {
    let s3 = S3Server::start();
    let app = s3.spawn_app(backend, BUCKET);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let application = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let document = large_pdf();
    let attachment = upload(&app, &token, &application, &document);
    let id = attachment["id"].as_str().unwrap();
    assert_eq!(
        s3.keys(),
        vec![format!("{PREFIX}/applications/{application}/{id}")],
        "stored under the configured prefix"
    );

    let location = format!("/api/v1/applications/{application}/attachments/{id}");
    let downloaded = app.get(&location, Some(&token));
    assert_eq!(downloaded.status, 200);
    assert_eq!(downloaded.bytes.len(), document.len());
    assert!(downloaded.bytes == document, "the bytes came back changed");
    assert_eq!(
        downloaded.header("transfer-encoding"),
        Some("chunked"),
        "streamed from the bucket, not buffered whole: {:?}",
        downloaded.headers
    );

    assert_eq!(app.delete_as(&location, &token).status, 204);
    assert!(s3.keys().is_empty(), "{:?}", s3.keys());
    assert_eq!(app.get(&location, Some(&token)).status, 404);
}

/// Refused before any byte is stored (a closed application), and refused
/// because the store refuses (no such bucket): neither leaves an object, a
/// row, or a note for the sweeper.
fn a_refused_upload_leaves_neither_object_nor_row(backend: Backend) {
    let s3 = S3Server::start();
    let app = s3.spawn_app(backend, BUCKET);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let application = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/applications/{application}/elements/experience/attachments");
    let parts: [(&str, Option<&str>, &[u8]); 3] = [
        ("file", Some("letter.pdf"), PDF),
        ("description", None, b"Letter from my employer"),
        ("type", None, b"verification_letter"),
    ];
    let withdrawn = app.post_as(
        &format!("/api/v1/applications/{application}/withdraw"),
        &token,
        &json!({}),
    );
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.text);
    let closed = app.post_multipart(&path, &token, &parts);
    assert_eq!(closed.status, 409, "{}", closed.text);
    assert!(s3.keys().is_empty(), "{:?}", s3.keys());

    let missing = s3.spawn_app(backend, "kecs-no-such-bucket");
    let token = ready_applicant(&missing, "jdoe", "jane.doe@example.org", "123-45-6789");
    let application = start_level_1(&missing, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/applications/{application}/elements/experience/attachments");
    let refused = missing.post_multipart(&path, &token, &parts);
    assert_eq!(refused.status, 503, "{}", refused.text);
    assert_eq!(
        refused.header("content-type"),
        Some("application/problem+json")
    );
    let (rows, notes) = missing
        .state
        .db
        .read(|conn| {
            Ok::<_, kecs_persistence::PersistenceError>((
                kecs_persistence::repo::attachments::for_application(conn, &application)?,
                kecs_persistence::repo::unreferenced_objects::due(
                    conn,
                    kecs_api::workflows::now() + chrono::Duration::days(365),
                    10,
                )?,
            ))
        })
        .unwrap();
    assert!(rows.is_empty(), "a dangling row: {rows:?}");
    assert!(notes.is_empty(), "a note for bytes never stored: {notes:?}");
    assert!(s3.keys().is_empty(), "{:?}", s3.keys());
}

fn orphans_in_the_bucket_are_swept_after_the_grace_period(backend: Backend) {
    let s3 = S3Server::start();
    let app = s3.spawn_app(backend, BUCKET);
    orphans_are_swept_after_the_grace_period(&app, &|| s3.keys());
}

both_backends!(
    an_attachment_is_stored_streamed_and_deleted_in_the_bucket,
    a_refused_upload_leaves_neither_object_nor_row,
    orphans_in_the_bucket_are_swept_after_the_grace_period,
);
