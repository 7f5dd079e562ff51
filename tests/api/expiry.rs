//! Unpaid applications expire 90 days after they start; reminders go out at
//! 30 and 7 days before, once each, whichever node sweeps.

use crate::support::register;
use chrono::{Duration, NaiveDateTime};
use kecs_api::workflows::sweeper;
use kecs_domain::application::{
    Answers, Application, ApplicationStatus, ElementKey, RequestType, expires_at,
};
use kecs_domain::rules::Level;
use kecs_persistence::repo::applications::{self, NewApplication};
use kecs_tests::{Backend, TestApp, both_backends};

/// An application started at `started_at` by a new applicant.
fn started_application(app: &TestApp, started_at: NaiveDateTime) -> Application {
    let account_id = register(app, "jdoe", "jane.doe@example.org", "123-45-6789").json()["account"]
        ["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.state
        .db
        .transaction(|conn| {
            applications::insert(
                conn,
                &NewApplication {
                    account_id: &account_id,
                    credential: Level::Level1,
                    renewal: false,
                    request_types: &[RequestType::NewLevel1],
                    answers: &Answers::default(),
                    expires_at: expires_at(started_at),
                    elements: &[ElementKey::PersonalInformation, ElementKey::Experience],
                    renews_credential_id: None,
                },
                started_at,
            )
        })
        .unwrap()
}

fn at(days: i64, start: NaiveDateTime) -> NaiveDateTime {
    start + Duration::days(days)
}

fn reminders_go_out_at_30_and_7_days_then_the_application_expires_once(backend: Backend) {
    let app = TestApp::spawn(backend);
    let start = kecs_api::workflows::now();
    let application = started_application(&app, start);
    assert_eq!(application.expires_at, start + Duration::days(90));

    let quiet = sweeper::run_once(&app.state, at(59, start)).unwrap();
    assert_eq!((quiet.expired, quiet.reminded), (0, 0));
    assert_eq!(
        sweeper::run_once(&app.state, at(61, start))
            .unwrap()
            .reminded,
        1
    );
    assert_eq!(
        sweeper::run_once(&app.state, at(62, start))
            .unwrap()
            .reminded,
        0,
        "the 30-day reminder went out twice"
    );
    assert_eq!(
        sweeper::run_once(&app.state, at(84, start))
            .unwrap()
            .reminded,
        1
    );
    let report = sweeper::run_once(&app.state, at(90, start) + Duration::seconds(1)).unwrap();
    assert_eq!(report.expired, 1);
    assert_eq!(
        sweeper::run_once(&app.state, at(91, start))
            .unwrap()
            .expired,
        0
    );

    let stored = app
        .state
        .db
        .read(|conn| applications::get(conn, &application.id))
        .unwrap();
    assert_eq!(stored.status, ApplicationStatus::Expired);
    app.wait_for_mail("jane.doe@example.org", "has expired");
    app.drain_outbox();
    let subjects: Vec<String> = app
        .mails_to("jane.doe@example.org")
        .into_iter()
        .map(|m| m.subject)
        .collect();
    for expected in ["expires in 30 days", "expires in 7 days", "has expired"] {
        assert_eq!(
            subjects.iter().filter(|s| s.contains(expected)).count(),
            1,
            "{expected}: {subjects:?}"
        );
    }
}

fn sweepers_racing_on_several_nodes_expire_and_remind_exactly_once(backend: Backend) {
    let app = TestApp::spawn(backend);
    let start = kecs_api::workflows::now();
    let application = started_application(&app, start);
    let reports: Vec<sweeper::SweepReport> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| sweeper::run_once(&app.state, at(85, start)).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // At 85 days both the 30- and the 7-day reminders are due: each once.
    assert_eq!(
        reports.iter().map(|r| r.reminded).sum::<usize>(),
        2,
        "{reports:?}"
    );
    let reports: Vec<sweeper::SweepReport> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| sweeper::run_once(&app.state, at(95, start)).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        reports.iter().map(|r| r.expired).sum::<usize>(),
        1,
        "{reports:?}"
    );
    let stored = app
        .state
        .db
        .read(|conn| applications::get(conn, &application.id))
        .unwrap();
    assert_eq!(stored.status, ApplicationStatus::Expired);
}

fn an_application_past_its_expiry_refuses_edits_even_before_the_sweep(backend: Backend) {
    let app = TestApp::spawn(backend);
    let application = started_application(&app, kecs_api::workflows::now() - Duration::days(91));
    let refused = app
        .state
        .db
        .transaction(|conn| {
            applications::claim_for_edit(conn, &application.id, kecs_api::workflows::now())
        })
        .unwrap();
    assert_eq!(refused, Err(applications::NotEditable::ExpiredNow));
}

both_backends!(
    reminders_go_out_at_30_and_7_days_then_the_application_expires_once,
    sweepers_racing_on_several_nodes_expire_and_remind_exactly_once,
    an_application_past_its_expiry_refuses_edits_even_before_the_sweep,
);
