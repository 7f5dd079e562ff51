//! Certificates of training (Sec. 12(2)): the lead trainer signs, a
//! certificate is issued for every trainee on the roster, each trainee with
//! an account is told; trainer and trainee download it; anyone confirms it
//! by its number.

use super::RequestContext;
use super::mail_templates;
use super::record::{Record, record};
use super::training_certificate::TrainingCertificatePdf;
use crate::workflows::{Ports, WorkflowError};
use kecs_domain::DomainError;
use kecs_domain::training::certificate::{
    NUMBER_LENGTH, Signature, TrainingCertificate, certificate_number, check_certificates,
    is_certificate_number,
};
use kecs_domain::training::{AttendanceRecord, TraineeMatch, TrainingEvent};
use kecs_persistence::DbConnection;
use kecs_persistence::repo::training_certificates::{self, NewCertificate};
use kecs_persistence::repo::{accounts, credentials, training_events};
use rand::Rng;
use serde_json::json;

/// A fresh certificate number from the operating system's CSPRNG (through
/// `rand`'s thread generator, reseeded from it): numbers are public and
/// open a page showing the trainee's name, so they must not be guessable
/// from one another.
pub(crate) fn fresh_number() -> String {
    let mut random = [0u8; NUMBER_LENGTH];
    rand::rng().fill(&mut random[..]);
    certificate_number(random)
}

/// Mails each trainee with an account whose certificate was just issued:
/// `rows` pairs roster rows with their new numbers, `issued` the numbers
/// actually recorded. Returns the record to go on with and how many were
/// mailed.
pub(crate) fn tell_certified<'c, 'a, 'r>(
    mut told: Record<'c, 'a>,
    public_url: &str,
    title: &str,
    rows: impl Iterator<Item = (&'r AttendanceRecord, &'r String)>,
    issued: &[&str],
) -> Result<(Record<'c, 'a>, usize), WorkflowError> {
    let mut mailed = 0;
    for (row, number) in rows {
        if let TraineeMatch::OnRecord {
            account_id: Some(trainee),
            ..
        } = &row.matched
            && issued.contains(&number.as_str())
        {
            told = told.tell(
                trainee,
                &mail_templates::certificate_issued(public_url, title, number),
            )?;
            mailed += 1;
        }
    }
    Ok((told, mailed))
}

/// An event the caller leads; anyone else's (a co-trainer's too) is 404.
fn led_by(
    conn: &mut DbConnection,
    account_id: &str,
    event_id: &str,
) -> Result<TrainingEvent, WorkflowError> {
    training_events::get(conn, event_id)?
        .filter(|event| event.trainer_account_id == account_id)
        .ok_or(WorkflowError::NotFound)
}

/// The lead trainer signs (`signed_by`: their name as signed): a
/// certificate is issued for every row of the roster that has none yet, so
/// signing again issues nothing twice. Returns the event's certificates and
/// how many this signature issued.
pub fn sign(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    event_id: &str,
    signed_by: &str,
) -> Result<(Vec<TrainingCertificate>, usize), WorkflowError> {
    let issued = state.change(|conn| {
        let event = led_by(conn, account_id, event_id)?;
        if event.attendance_entered_at.is_none() {
            return Err(DomainError::NoAttendanceYet.into());
        }
        let certified = training_certificates::certified_attendance(conn, &event.id)?;
        let pending: Vec<_> = training_events::attendance(conn, &event.id)?
            .into_iter()
            .filter(|row| !certified.contains(&row.id))
            .collect();
        let credential = credentials::get(conn, &event.credential_id)?;
        let signature = Signature {
            signed_by: signed_by.to_owned(),
            signed_at: ctx.now,
            trainer_name: credential.holder_name.clone(),
            credential_number: credential.number.clone(),
            credential_expires_on: credential.expires_on,
        };
        let refused = check_certificates(&event, &pending, &signature);
        if !refused.is_empty() {
            return Err(DomainError::CertificateRefused(refused).into());
        }
        let numbers: Vec<String> = pending.iter().map(|_| fresh_number()).collect();
        let new: Vec<NewCertificate<'_>> = pending
            .iter()
            .zip(&numbers)
            .map(|(row, number)| NewCertificate {
                number,
                attendance_id: &row.id,
            })
            .collect();
        let issued = training_certificates::issue(conn, &event.id, &new, &signature)?;
        let (told, mailed) = tell_certified(
            record(conn, ctx, Some(account_id)),
            &state.config.public_url,
            &event.plan.title,
            pending.iter().zip(&numbers),
            &issued,
        )?;
        told.audit(
            "training_event.certificates_issued",
            ("training_event", &event.id),
            json!({
                "issued": issued.len(),
                "already_issued": certified.len(),
                "mailed": mailed,
                "signed_by": signed_by,
                "credential_number": credential.number,
            }),
        )?;
        Ok(issued.len())
    })?;
    let all = state
        .db
        .read(|conn| training_certificates::for_event(conn, event_id))?;
    Ok((all, issued))
}

/// The certificates of an event the caller leads, in the roster's order.
pub fn event_certificates(
    state: &Ports,
    account_id: &str,
    event_id: &str,
) -> Result<Vec<TrainingCertificate>, WorkflowError> {
    state.db.read(|conn| {
        let event = led_by(conn, account_id, event_id)?;
        Ok(training_certificates::for_event(conn, &event.id)?)
    })
}

/// The certificate as a PDF, with the address that confirms it.
pub fn pdf_of(state: &Ports, certificate: &TrainingCertificate) -> Vec<u8> {
    let signed_at = certificate
        .issued_at
        .and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let verify_at = mail_templates::certificate_verification_page(
        &state.config.public_url,
        &certificate.number,
    );
    TrainingCertificatePdf {
        number: &certificate.number,
        certificate: &certificate.certificate,
        signed_by: &certificate.signed_by,
        signed_at: &signed_at,
        verify_at: &verify_at,
    }
    .render()
}

fn by_number(conn: &mut DbConnection, number: &str) -> Result<TrainingCertificate, WorkflowError> {
    if !is_certificate_number(number) {
        return Err(WorkflowError::NotFound);
    }
    if let Some(found) = training_certificates::by_number(conn, number)? {
        return Ok(found);
    }
    // A sponsor's certificate of an approved event (Sec. 17(2)) verifies
    // at the same address.
    kecs_persistence::repo::preapproval_certificates::by_number(conn, number)?
        .ok_or(WorkflowError::NotFound)
}

/// One certificate of an event the caller leads, as a PDF.
pub fn event_certificate_pdf(
    state: &Ports,
    account_id: &str,
    event_id: &str,
    number: &str,
) -> Result<(TrainingCertificate, Vec<u8>), WorkflowError> {
    let certificate = state.db.read(|conn| {
        let event = led_by(conn, account_id, event_id)?;
        Some(by_number(conn, number)?)
            .filter(|c| c.event_id == event.id)
            .ok_or(WorkflowError::NotFound)
    })?;
    let pdf = pdf_of(state, &certificate);
    Ok((certificate, pdf))
}

/// The person on record behind an account (an account without one has
/// attended nothing kecs knows of).
pub(crate) fn person_of(
    conn: &mut DbConnection,
    account_id: &str,
) -> Result<Option<String>, WorkflowError> {
    Ok(accounts::get(conn, account_id)?.person_id)
}

/// The caller's own certificates: those of roster rows matched to their
/// person on record; newest training first.
pub fn my_certificates(
    state: &Ports,
    account_id: &str,
) -> Result<Vec<TrainingCertificate>, WorkflowError> {
    state.db.read(|conn| match person_of(conn, account_id)? {
        Some(person) => Ok(training_certificates::for_person(conn, &person)?),
        None => Ok(Vec::new()),
    })
}

/// One of the caller's own certificates as a PDF; anyone else's is 404.
pub fn my_certificate_pdf(
    state: &Ports,
    account_id: &str,
    number: &str,
) -> Result<(TrainingCertificate, Vec<u8>), WorkflowError> {
    let certificate = state.db.read(|conn| {
        let person = person_of(conn, account_id)?;
        let certificate = by_number(conn, number)?;
        if person.is_none() || certificate.person_id != person {
            return Err(WorkflowError::NotFound);
        }
        Ok(certificate)
    })?;
    let pdf = pdf_of(state, &certificate);
    Ok((certificate, pdf))
}

/// A certificate by its number, for anyone to confirm; an unknown number
/// and a malformed one are the same 404.
pub fn public_certificate(
    state: &Ports,
    number: &str,
) -> Result<TrainingCertificate, WorkflowError> {
    state.db.read(|conn| by_number(conn, number))
}
