//! Orphaned attachment bytes (stored, no row refers to them) are removed by
//! the sweeper once the grace period has passed, and only then; bytes a row
//! refers to are never touched.

use crate::applications::{ready_applicant, start_level_1};
use chrono::Duration;
use kecs_persistence::repo::{attachments, unreferenced_objects};
use kecs_tests::{Backend, TestApp, both_backends};

pub const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Uploads `bytes` as a PDF to the experience element: the attachment.
pub fn upload(app: &TestApp, token: &str, application: &str, bytes: &[u8]) -> serde_json::Value {
    let reply = app.post_multipart(
        &format!("/api/v1/applications/{application}/elements/experience/attachments"),
        token,
        &[
            ("file", Some("letter.pdf"), bytes),
            ("description", None, b"Letter from my employer"),
            ("type", None, b"verification_letter"),
        ],
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json()
}

/// One pass of the orphan sweep at `at`.
pub fn sweep_orphans(app: &TestApp, at: chrono::NaiveDateTime) -> usize {
    actix_web::rt::System::new()
        .block_on(kecs_api::workflows::orphans::sweep(&app.state, at))
        .unwrap()
}

fn notes(app: &TestApp) -> Vec<String> {
    app.state
        .db
        .read(|conn| {
            unreferenced_objects::due(conn, kecs_api::workflows::now() + Duration::days(365), 100)
        })
        .unwrap()
}

/// Two orphans as a node that died leaves them: one whose row was deleted
/// before its bytes were, one whose bytes were stored before its row was
/// recorded (the same state: noted bytes, no row), and a noted key whose
/// bytes never arrived. `stored` lists the keys in the store. The sweep
/// leaves them alone within the grace period, then removes exactly them.
pub fn orphans_are_swept_after_the_grace_period(app: &TestApp, stored: &dyn Fn() -> Vec<String>) {
    let token = ready_applicant(app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let application = start_level_1(app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let kept = upload(app, &token, &application, PDF);
    let orphans: Vec<_> = (0..2)
        .map(|_| upload(app, &token, &application, PDF))
        .collect();
    assert_eq!(stored().len(), 3, "{:?}", stored());
    assert!(notes(app).is_empty(), "recorded uploads leave no note");
    let now = kecs_api::workflows::now();
    app.state
        .db
        .transaction(|conn| {
            for orphan in &orphans {
                let id = orphan["id"].as_str().unwrap();
                attachments::delete(conn, &application, id)?;
                let key = format!("applications/{application}/{id}");
                unreferenced_objects::note(conn, &key, now)?;
            }
            unreferenced_objects::note(
                conn,
                &format!("applications/{application}/never-stored"),
                now,
            )
        })
        .unwrap();

    assert_eq!(sweep_orphans(app, now), 0, "within the grace period");
    assert_eq!(stored().len(), 3);
    let later = now + Duration::hours(1) + Duration::seconds(1);
    assert_eq!(sweep_orphans(app, later), 3);
    let left = stored();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].ends_with(kept["id"].as_str().unwrap()), "{left:?}");
    assert!(notes(app).is_empty(), "{:?}", notes(app));
    assert_eq!(sweep_orphans(app, later), 0, "nothing twice");

    let location = format!(
        "/api/v1/applications/{application}/attachments/{}",
        kept["id"].as_str().unwrap()
    );
    let downloaded = app.get(&location, Some(&token));
    assert_eq!(downloaded.status, 200);
    assert_eq!(downloaded.bytes, PDF);
}

fn orphans_in_the_file_store_are_swept_after_the_grace_period(backend: Backend) {
    let app = TestApp::spawn(backend);
    let stored = || {
        app.stored_files()
            .iter()
            .map(|p| p.display().to_string())
            .collect()
    };
    orphans_are_swept_after_the_grace_period(&app, &stored);
}

/// An upload slower than the grace period: the sweeper claimed its note
/// first, so the upload may not record its row over bytes being removed.
fn an_upload_whose_note_the_sweeper_claimed_is_not_recorded(backend: Backend) {
    let app = TestApp::spawn(backend);
    let now = kecs_api::workflows::now();
    let (settled, claimed_first) = app
        .state
        .db
        .transaction(|conn| {
            unreferenced_objects::note(conn, "applications/a/slow", now)?;
            unreferenced_objects::note(conn, "applications/a/quick", now)?;
            let claimed = unreferenced_objects::claim(conn, "applications/a/slow", now)?;
            Ok::<_, kecs_persistence::PersistenceError>((
                unreferenced_objects::settle(conn, "applications/a/slow")?,
                claimed,
            ))
        })
        .unwrap();
    assert!(claimed_first);
    assert!(!settled, "a claimed note cannot be settled");
    let (settled, claimed_after) = app
        .state
        .db
        .transaction(|conn| {
            let settled = unreferenced_objects::settle(conn, "applications/a/quick")?;
            Ok::<_, kecs_persistence::PersistenceError>((
                settled,
                unreferenced_objects::claim(conn, "applications/a/quick", now)?,
            ))
        })
        .unwrap();
    assert!(settled);
    assert!(!claimed_after, "a settled note cannot be claimed");
}

both_backends!(
    orphans_in_the_file_store_are_swept_after_the_grace_period,
    an_upload_whose_note_the_sweeper_claimed_is_not_recorded,
);
