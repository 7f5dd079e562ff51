//! Certificates of training (Sec. 12(2)), one per attendance row, and the
//! transcript a person's attendance rows make.

use std::collections::HashMap;

use crate::schema::{training_attendance as att, training_certificates as tc};
use crate::{DbConnection, PersistenceError};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use kecs_domain::rules::ClockHours;
use kecs_domain::rules::certificate::Certificate;
use kecs_domain::training::TrainingEvent;
use kecs_domain::training::certificate::{Signature, TrainingCertificate, content_area_titles};
use kecs_domain::transcript::TranscriptEntry;

use super::training_events;

/// A certificate to issue for one attendance row.
pub struct NewCertificate<'a> {
    pub number: &'a str,
    pub attendance_id: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = tc)]
struct NewCertificateRow<'a> {
    id: String,
    number: &'a str,
    attendance_id: &'a str,
    event_id: &'a str,
    signed_by: &'a str,
    issued_at: NaiveDateTime,
    trainer_name: &'a str,
    trainer_credential_number: &'a str,
    trainer_credential_expires_on: NaiveDate,
}

/// Issues the certificates of an event under one signature; a row that has
/// one already (signed meanwhile) is left alone by the unique constraint
/// on `attendance_id`. Returns the numbers issued.
pub fn issue<'a>(
    conn: &mut DbConnection,
    event_id: &str,
    certificates: &[NewCertificate<'a>],
    signature: &Signature,
) -> Result<Vec<&'a str>, PersistenceError> {
    let mut issued = Vec::new();
    for certificate in certificates {
        let row = NewCertificateRow {
            id: super::new_id(),
            number: certificate.number,
            attendance_id: certificate.attendance_id,
            event_id,
            signed_by: &signature.signed_by,
            issued_at: signature.signed_at,
            trainer_name: &signature.trainer_name,
            trainer_credential_number: &signature.credential_number,
            trainer_credential_expires_on: signature.credential_expires_on,
        };
        let insert = diesel::insert_into(tc::table)
            .values(&row)
            .on_conflict(tc::attendance_id)
            .do_nothing();
        // On the concrete connection: the `MultiConnection` does not compile
        // `ON CONFLICT`.
        let inserted = match conn {
            DbConnection::Postgres(pg) => insert.execute(pg)?,
            DbConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
        };
        if inserted == 1 {
            issued.push(certificate.number);
        }
    }
    Ok(issued)
}

/// The attendance rows of an event that have a certificate.
pub fn certified_attendance(
    conn: &mut DbConnection,
    event_id: &str,
) -> Result<Vec<String>, PersistenceError> {
    Ok(tc::table
        .filter(tc::event_id.eq(event_id))
        .select(tc::attendance_id)
        .load(conn)?)
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = tc)]
struct CertificateRow {
    number: String,
    attendance_id: String,
    event_id: String,
    signed_by: String,
    issued_at: NaiveDateTime,
    trainer_name: String,
    trainer_credential_number: String,
    trainer_credential_expires_on: NaiveDate,
}

/// What a certificate takes from its attendance row.
#[derive(Queryable)]
struct TraineeColumns {
    person_id: Option<String>,
    first_name: String,
    last_name: String,
    clock_minutes: i32,
}

type Joined = (CertificateRow, TraineeColumns);

fn unreadable(number: &str) -> PersistenceError {
    PersistenceError::Unavailable(format!("certificate {number} has unreadable clock hours"))
}

fn certificate_of(
    event: &TrainingEvent,
    (row, trainee): Joined,
) -> Result<TrainingCertificate, PersistenceError> {
    let minutes = u32::try_from(trainee.clock_minutes).map_err(|_| unreadable(&row.number))?;
    Ok(TrainingCertificate {
        certificate: Certificate {
            training_name: event.plan.title.clone(),
            sponsoring_organization: event.plan.sponsor.clone(),
            trainee_name: format!("{} {}", trainee.first_name, trainee.last_name),
            clock_hours: ClockHours::from_minutes(minutes),
            starts_on: Some(event.plan.starts_on),
            ends_on: Some(event.plan.ends_on),
            trainer_signature: true,
            trainer_credentialed: true,
            trainer_credential_number: Some(row.trainer_credential_number),
            trainer_credential_expires_on: Some(row.trainer_credential_expires_on),
            core_content_areas: content_area_titles(event.plan.topics.iter().copied()),
        },
        number: row.number,
        event_id: row.event_id,
        attendance_id: row.attendance_id,
        person_id: trainee.person_id,
        trainer_account_id: event.trainer_account_id.clone(),
        signed_by: row.signed_by,
        issued_at: row.issued_at,
        trainer_name: row.trainer_name,
    })
}

/// Each certificate with its event, each event read once.
fn with_events(
    conn: &mut DbConnection,
    rows: Vec<Joined>,
) -> Result<Vec<TrainingCertificate>, PersistenceError> {
    let mut events: HashMap<String, TrainingEvent> = HashMap::new();
    let mut certificates = Vec::with_capacity(rows.len());
    for row in rows {
        if !events.contains_key(&row.0.event_id) {
            let event =
                training_events::get(conn, &row.0.event_id)?.ok_or(PersistenceError::NotFound)?;
            events.insert(event.id.clone(), event);
        }
        let event = events
            .get(&row.0.event_id)
            .ok_or(PersistenceError::NotFound)?;
        certificates.push(certificate_of(event, row)?);
    }
    Ok(certificates)
}

macro_rules! certificates {
    () => {
        tc::table.inner_join(att::table.on(att::id.eq(tc::attendance_id)))
    };
}

macro_rules! columns {
    () => {
        (
            CertificateRow::as_select(),
            (
                att::person_id,
                att::first_name,
                att::last_name,
                att::clock_minutes,
            ),
        )
    };
}

/// The certificates of an event, in the roster's order.
pub fn for_event(
    conn: &mut DbConnection,
    event_id: &str,
) -> Result<Vec<TrainingCertificate>, PersistenceError> {
    let rows: Vec<Joined> = certificates!()
        .filter(tc::event_id.eq(event_id))
        .order(att::line.asc())
        .select(columns!())
        .load(conn)?;
    with_events(conn, rows)
}

/// The certificates of a person on record, newest training first.
pub fn for_person(
    conn: &mut DbConnection,
    person_id: &str,
) -> Result<Vec<TrainingCertificate>, PersistenceError> {
    let rows: Vec<Joined> = certificates!()
        .filter(att::person_id.eq(person_id))
        .order((tc::issued_at.desc(), tc::number.asc()))
        .select(columns!())
        .load(conn)?;
    let mut found = with_events(conn, rows)?;
    // And those of approved events the person attended (Sec. 17(2)).
    found.extend(super::preapproval_certificates::for_person(
        conn, person_id,
    )?);
    found.sort_by(|a, b| {
        (b.certificate.ends_on, &a.number).cmp(&(a.certificate.ends_on, &b.number))
    });
    Ok(found)
}

pub fn by_number(
    conn: &mut DbConnection,
    number: &str,
) -> Result<Option<TrainingCertificate>, PersistenceError> {
    let row: Option<Joined> = certificates!()
        .filter(tc::number.eq(number))
        .select(columns!())
        .first(conn)
        .optional()?;
    Ok(with_events(conn, row.into_iter().collect())?.pop())
}

/// The trainings a person on record attended, each with its certificate's
/// number once issued.
pub fn transcript_entries(
    conn: &mut DbConnection,
    person_id: &str,
) -> Result<Vec<TranscriptEntry>, PersistenceError> {
    let rows = training_events::attended_by(conn, person_id)?;
    let mut entries = Vec::with_capacity(rows.len());
    for (plan, minutes, number) in rows {
        entries.push(TranscriptEntry {
            certificate_number: number,
            clock_hours: ClockHours::from_minutes(
                u32::try_from(minutes).map_err(|_| unreadable(person_id))?,
            ),
            core_content_areas: plan.topics.iter().copied().collect(),
            purposes: plan.purposes.iter().copied().collect(),
            training_name: plan.title,
            sponsoring_organization: plan.sponsor,
            starts_on: plan.starts_on,
            ends_on: plan.ends_on,
        });
    }
    // And the approved events whose sponsors' rosters name the person
    // (Sec. 17(1)): training approved by the cabinet counts the same.
    entries.extend(super::preapproval_certificates::transcript_entries(
        conn, person_id,
    )?);
    Ok(entries)
}
