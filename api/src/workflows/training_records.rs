//! The records of training (Sec. 12(1)(b)–(c)) as the cabinet and the
//! trainer read them: staff search every event by trainer, date, topic and
//! county (Sec. 11(2), (10): monitoring and audits) and export a trainer's
//! records; a trainer exports their own. Records are never deleted through
//! the API: there is no route that removes an event or its attendance, and
//! Sec. 12(1)(b) asks for three years (`deadlines::records_kept_until`).

use super::{Ports, WorkflowError};
use chrono::NaiveDate;
use kecs_domain::training::{AttendanceRecord, TrainingEvent};
use kecs_persistence::PersistenceError;
use kecs_persistence::repo::{credentials, training_events};

pub use kecs_persistence::repo::training_events::EventSearch;

/// An export holds at most this many events; a larger one is narrowed by
/// dates (staff) or split by year.
pub const EXPORT_MAX_EVENTS: i64 = 10_000;

/// A page of events matching `search`, latest start first.
pub fn search(
    state: &Ports,
    search: &EventSearch,
    after: Option<&(NaiveDate, String)>,
    limit: i64,
) -> Result<Vec<TrainingEvent>, WorkflowError> {
    Ok(state
        .db
        .read(|conn| training_events::search(conn, search, after, limit))?)
}

/// Every event of a trainer's (led or co-trained), each with its roster:
/// what the cabinet asks a trainer to submit (Sec. 12(1)(c)). An unknown
/// credential number is not found.
pub fn trainer_records(
    state: &Ports,
    credential_number: &str,
) -> Result<Vec<(TrainingEvent, Vec<AttendanceRecord>)>, WorkflowError> {
    Ok(state.db.read(|conn| {
        credentials::get_by_number(conn, credential_number)?;
        let search = EventSearch {
            trainer_credential: Some(credential_number.to_owned()),
            ..EventSearch::default()
        };
        let events = training_events::search(conn, &search, None, EXPORT_MAX_EVENTS)?;
        with_rosters(conn, events)
    })?)
}

/// The caller's own records: every event they led, with its roster.
pub fn my_records(
    state: &Ports,
    account_id: &str,
) -> Result<Vec<(TrainingEvent, Vec<AttendanceRecord>)>, WorkflowError> {
    Ok(state.db.read(|conn| {
        let events = training_events::led_by(conn, account_id)?;
        with_rosters(conn, events)
    })?)
}

fn with_rosters(
    conn: &mut kecs_persistence::DbConnection,
    events: Vec<TrainingEvent>,
) -> Result<Vec<(TrainingEvent, Vec<AttendanceRecord>)>, PersistenceError> {
    events
        .into_iter()
        .map(|event| {
            let roster = training_events::attendance(conn, &event.id)?;
            Ok((event, roster))
        })
        .collect()
}
