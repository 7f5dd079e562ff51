//! Certificates of approved events (Sec. 17(2)), one per roster row.

use crate::schema::{
    preapproval_attendance as pa, preapproval_certificates as pc, preapprovals as p, sponsors as s,
};
use crate::{DbConnection, PersistenceError};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use kecs_domain::approval::PreapprovalStatus;
use kecs_domain::approval::certificate::{PresenterSignature, issued};
use kecs_domain::rules::ClockHours;
use kecs_domain::training::certificate::TrainingCertificate;
use kecs_domain::transcript::TranscriptEntry;

/// Issues a certificate for each `(number, attendance id)`, skipping rows
/// already certified (each in a savepoint, so a concurrent signer's row is
/// left as it is). Returns the numbers issued.
pub fn issue<'a>(
    conn: &mut DbConnection,
    preapproval_id: &str,
    new: &[(&'a str, &str)],
    signer_account_id: &str,
    signature: &PresenterSignature,
) -> Result<Vec<&'a str>, PersistenceError> {
    let mut issued = Vec::new();
    for (number, attendance_id) in new {
        let inserted = conn.transaction(|conn| {
            diesel::insert_into(pc::table)
                .values((
                    pc::id.eq(super::new_id()),
                    pc::number.eq(*number),
                    pc::attendance_id.eq(*attendance_id),
                    pc::preapproval_id.eq(preapproval_id),
                    pc::signed_by.eq(&signature.signed_by),
                    pc::signer_account_id.eq(signer_account_id),
                    pc::issued_at.eq(signature.signed_at),
                    pc::presenter_name.eq(&signature.presenter_name),
                    pc::presenter_credential_number
                        .eq(signature.credential.as_ref().map(|(n, _)| n.as_str())),
                    pc::presenter_credential_expires_on
                        .eq(signature.credential.as_ref().map(|(_, on)| *on)),
                ))
                .execute(conn)
                .map_err(PersistenceError::from)
        });
        match inserted {
            Ok(_) => issued.push(*number),
            Err(PersistenceError::Conflict { .. }) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(issued)
}

/// The attendance rows of the event already certified.
pub fn certified(
    conn: &mut DbConnection,
    preapproval_id: &str,
) -> Result<Vec<String>, PersistenceError> {
    Ok(pc::table
        .filter(pc::preapproval_id.eq(preapproval_id))
        .select(pc::attendance_id)
        .load(conn)?)
}

type Row = (
    String,
    String,
    String,
    String,
    NaiveDateTime,
    String,
    Option<String>,
    Option<NaiveDate>,
);

fn columns() -> (
    pc::number,
    pc::attendance_id,
    pc::signed_by,
    pc::signer_account_id,
    pc::issued_at,
    pc::presenter_name,
    pc::presenter_credential_number,
    pc::presenter_credential_expires_on,
) {
    (
        pc::number,
        pc::attendance_id,
        pc::signed_by,
        pc::signer_account_id,
        pc::issued_at,
        pc::presenter_name,
        pc::presenter_credential_number,
        pc::presenter_credential_expires_on,
    )
}

fn build(
    conn: &mut DbConnection,
    preapproval_id: &str,
    rows: Vec<Row>,
) -> Result<Vec<TrainingCertificate>, PersistenceError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let preapproval = super::preapprovals::get(conn, preapproval_id)?;
    let roster = super::preapprovals::attendance(conn, preapproval_id)?;
    let mut out = Vec::with_capacity(rows.len());
    for (
        number,
        attendance_id,
        signed_by,
        signer,
        issued_at,
        presenter,
        cred_number,
        cred_expires,
    ) in rows
    {
        let row = roster
            .iter()
            .find(|r| r.id == attendance_id)
            .ok_or_else(|| {
                PersistenceError::Unavailable(format!(
                    "certificate {number} names a roster row that is not there"
                ))
            })?;
        let signature = PresenterSignature {
            signed_by,
            signed_at: issued_at,
            presenter_name: presenter,
            credential: cred_number.zip(cred_expires),
        };
        out.push(issued(&preapproval, row, &number, &signer, &signature));
    }
    out.sort_by_key(|c| {
        roster
            .iter()
            .position(|r| r.id == c.attendance_id)
            .unwrap_or(usize::MAX)
    });
    Ok(out)
}

/// The event's certificates, in the roster's order.
pub fn for_preapproval(
    conn: &mut DbConnection,
    preapproval_id: &str,
) -> Result<Vec<TrainingCertificate>, PersistenceError> {
    let rows: Vec<Row> = pc::table
        .filter(pc::preapproval_id.eq(preapproval_id))
        .select(columns())
        .load(conn)?;
    build(conn, preapproval_id, rows)
}

pub fn by_number(
    conn: &mut DbConnection,
    number: &str,
) -> Result<Option<TrainingCertificate>, PersistenceError> {
    let found: Option<(String, Row)> = pc::table
        .filter(pc::number.eq(number))
        .select((pc::preapproval_id, columns()))
        .first(conn)
        .optional()?;
    match found {
        Some((preapproval_id, row)) => Ok(build(conn, &preapproval_id, vec![row])?.pop()),
        None => Ok(None),
    }
}

/// The approved events a person on record attended (their sponsors'
/// rosters, Sec. 17(1)), as transcript entries with each certificate's
/// number once issued.
pub fn transcript_entries(
    conn: &mut DbConnection,
    person_id: &str,
) -> Result<Vec<TranscriptEntry>, PersistenceError> {
    let rows: Vec<(String, String, String, i32, Option<String>)> = pa::table
        .inner_join(p::table.inner_join(s::table))
        .left_join(pc::table.on(pc::attendance_id.eq(pa::id)))
        .filter(pa::person_id.eq(person_id))
        .filter(p::status.eq(PreapprovalStatus::Approved.as_str()))
        .order((p::starts_on.desc(), p::id))
        .select((
            p::id,
            p::plan,
            s::name,
            pa::clock_minutes,
            pc::number.nullable(),
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, plan, sponsor, minutes, number)| {
            let plan = crate::stored::event_plan::read(&plan).map_err(|e| {
                PersistenceError::Unavailable(format!(
                    "preapproval {id} has an unreadable event: {e}"
                ))
            })?;
            Ok(TranscriptEntry {
                certificate_number: number,
                clock_hours: ClockHours::from_minutes(u32::try_from(minutes).unwrap_or(0)),
                core_content_areas: plan.topics.iter().copied().collect(),
                purposes: plan.purposes.iter().copied().collect(),
                training_name: plan.title,
                sponsoring_organization: sponsor,
                starts_on: plan.starts_on,
                ends_on: plan.ends_on,
            })
        })
        .collect()
}

/// The certificates of approved events issued to a person on record.
pub fn for_person(
    conn: &mut DbConnection,
    person_id: &str,
) -> Result<Vec<TrainingCertificate>, PersistenceError> {
    let numbers: Vec<String> = pc::table
        .inner_join(pa::table.on(pa::id.eq(pc::attendance_id)))
        .filter(pa::person_id.eq(person_id))
        .select(pc::number)
        .load(conn)?;
    let mut found = Vec::with_capacity(numbers.len());
    for number in numbers {
        found.extend(by_number(conn, &number)?);
    }
    Ok(found)
}
