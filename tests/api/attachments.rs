//! Attachments: stored with their checked type and hash, streamed back,
//! refused cleanly when bad — leaving nothing stored.

use crate::applications::{ready_applicant, start_level_1};
use kecs_tests::{Backend, TestApp, both_backends};
use serde_json::{Value, json};

/// One multipart part: (name, file name, bytes).
type Part<'a> = (&'a str, Option<&'a str>, &'a [u8]);

const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const ELF: &[u8] = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0\x01\0\0\0";

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn upload_path(id: &str) -> String {
    format!("/api/v1/applications/{id}/elements/experience/attachments")
}

fn attachments_of(app: &TestApp, token: &str, id: &str) -> Vec<Value> {
    app.get(
        &format!("/api/v1/applications/{id}/elements/experience"),
        Some(token),
    )
    .json()["attachments"]
        .as_array()
        .unwrap()
        .clone()
}

fn an_attachment_is_stored_listed_streamed_and_deleted(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let created = app.post_multipart(
        &upload_path(&id),
        &token,
        &[
            ("file", Some("Employment letter 2024.pdf"), PDF),
            ("description", None, b"Letter from my employer"),
            ("type", None, b"verification_letter"),
        ],
    );
    assert_eq!(created.status, 201, "{}", created.text);
    let attachment = created.json();
    assert_eq!(attachment["content_type"], "application/pdf");
    assert_eq!(attachment["sha256"], sha256_hex(PDF));
    assert_eq!(attachment["size_bytes"], PDF.len());
    assert_eq!(attachment["type"], "verification_letter");
    let listed = attachments_of(&app, &token, &id);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["file_name"], "Employment letter 2024.pdf");

    let location = created.header("location").unwrap().to_owned();
    let downloaded = app.get(&location, Some(&token));
    assert_eq!(downloaded.status, 200);
    assert_eq!(downloaded.bytes, PDF);
    assert_eq!(downloaded.header("content-type"), Some("application/pdf"));
    assert_eq!(downloaded.header("x-content-type-options"), Some("nosniff"));
    assert!(
        downloaded
            .header("content-disposition")
            .unwrap()
            .contains("Employment letter 2024.pdf")
    );

    let other = ready_applicant(&app, "other", "other@example.org", "123-45-6780");
    assert_eq!(app.get(&location, Some(&other)).status, 404);
    assert_eq!(app.delete_as(&location, &other).status, 404);
    assert_eq!(app.get(&location, None).status, 401);

    assert_eq!(app.stored_files().len(), 1);
    assert_eq!(app.delete_as(&location, &token).status, 204);
    assert_eq!(app.get(&location, Some(&token)).status, 404);
    assert!(attachments_of(&app, &token, &id).is_empty());
    assert!(app.stored_files().is_empty(), "{:?}", app.stored_files());
}

fn bad_uploads_are_refused_and_leave_nothing_stored(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = upload_path(&id);
    let described = |file: (&'static str, &'static [u8])| -> Vec<Part<'static>> {
        vec![
            ("file", Some(file.0), file.1),
            ("description", None, b"A document"),
            ("type", None, b"other"),
        ]
    };
    let cases: Vec<(&str, Vec<Part>, &str)> = vec![
        (
            "an executable renamed .pdf",
            described(("transcript.pdf", ELF)),
            "file",
        ),
        (
            "plain text",
            described(("notes.pdf", b"just some text, not a pdf")),
            "file",
        ),
        ("an empty file", described(("empty.pdf", b"")), "file"),
        (
            "a path in the name",
            described(("../../etc/evil.pdf", PDF)),
            "file",
        ),
        ("a backslash path", described(("..\\evil.pdf", PDF)), "file"),
        (
            "no description",
            vec![("file", Some("a.pdf"), PDF), ("type", None, b"other")],
            "description",
        ),
        (
            "an unknown type",
            vec![
                ("file", Some("a.pdf"), PDF),
                ("description", None, b"x"),
                ("type", None, b"selfie"),
            ],
            "type",
        ),
        (
            "no file",
            vec![("description", None, b"x"), ("type", None, b"other")],
            "file",
        ),
    ];
    for (what, parts, field) in cases {
        let reply = app.post_multipart(&path, &token, &parts);
        assert_eq!(reply.status, 422, "{what}: {}", reply.text);
        assert!(
            reply.problem_fields().contains(&field.to_owned()),
            "{what}: {}",
            reply.text
        );
    }
    let big = vec![0x25u8; 10 * 1024 * 1024 + 1];
    let mut too_large = b"%PDF-1.7\n".to_vec();
    too_large.extend_from_slice(&big);
    let reply = app.post_multipart(
        &path,
        &token,
        &[
            ("file", Some("big.pdf"), &too_large),
            ("description", None, b"x"),
            ("type", None, b"other"),
        ],
    );
    assert_eq!(reply.status, 413, "{}", reply.text);
    let not_multipart = app.send(
        "POST",
        &path,
        Some(&token),
        "application/json",
        b"{}".to_vec(),
    );
    assert_eq!(not_multipart.status, 415, "{}", not_multipart.text);
    let no_such_element = app.post_multipart(
        &format!("/api/v1/applications/{id}/elements/seminar/attachments"),
        &token,
        &described(("a.pdf", PDF)),
    );
    assert_eq!(no_such_element.status, 404);

    assert!(app.stored_files().is_empty(), "{:?}", app.stored_files());
    assert!(attachments_of(&app, &token, &id).is_empty());
}

fn a_closed_application_takes_no_attachment_and_keeps_none(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.post_as(
            &format!("/api/v1/applications/{id}/withdraw"),
            &token,
            &json!({})
        )
        .status,
        200
    );
    let reply = app.post_multipart(
        &upload_path(&id),
        &token,
        &[
            ("file", Some("a.pdf"), PDF),
            ("description", None, b"x"),
            ("type", None, b"other"),
        ],
    );
    assert_eq!(reply.status, 409, "{}", reply.text);
    assert!(app.stored_files().is_empty());
    let other = ready_applicant(&app, "other", "other@example.org", "123-45-6780");
    let foreign = app.post_multipart(
        &upload_path(&id),
        &other,
        &[
            ("file", Some("a.pdf"), PDF),
            ("description", None, b"x"),
            ("type", None, b"other"),
        ],
    );
    assert_eq!(foreign.status, 404);
    assert!(app.stored_files().is_empty());
}

/// A store that refuses writes (a full disk, a lost mount): the upload
/// fails with a 503 problem and no attachment row is left behind; once the
/// store is back, the same upload goes through.
fn a_store_that_refuses_writes_fails_the_upload_cleanly(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = ready_applicant(&app, "jdoe", "jane.doe@example.org", "123-45-6789");
    let id = start_level_1(&app, &token)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let parts: [Part; 3] = [
        ("file", Some("letter.pdf"), PDF),
        ("description", None, b"Letter from my employer"),
        ("type", None, b"verification_letter"),
    ];
    // A regular file where the store's directory should be: every write
    // fails, whatever the process's privileges (CI runs as root, where a
    // read-only directory would not stop it).
    let _ = std::fs::remove_dir_all(&app.attachments_dir);
    std::fs::write(&app.attachments_dir, b"not a directory").unwrap();
    let refused = app.post_multipart(&upload_path(&id), &token, &parts);
    assert_eq!(refused.status, 503, "{}", refused.text);
    assert_eq!(
        refused.header("content-type"),
        Some("application/problem+json")
    );
    assert!(attachments_of(&app, &token, &id).is_empty());
    let rows = app
        .state
        .db
        .read(|conn| kecs_persistence::repo::attachments::for_application(conn, &id))
        .unwrap();
    assert!(rows.is_empty(), "a dangling row: {rows:?}");

    std::fs::remove_file(&app.attachments_dir).unwrap();
    std::fs::create_dir(&app.attachments_dir).unwrap();
    let stored = app.post_multipart(&upload_path(&id), &token, &parts);
    assert_eq!(stored.status, 201, "{}", stored.text);
    assert_eq!(attachments_of(&app, &token, &id).len(), 1);
}

both_backends!(
    a_store_that_refuses_writes_fails_the_upload_cleanly,
    an_attachment_is_stored_listed_streamed_and_deleted,
    bad_uploads_are_refused_and_leave_nothing_stored,
    a_closed_application_takes_no_attachment_and_keeps_none,
);
