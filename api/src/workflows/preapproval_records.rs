//! The sponsor's records of an approved event (Sec. 17(1)): its trainees,
//! each with their employer at the time of training, entered into kecs
//! (17(1)(b)) and exported with a copy of the approved application for
//! the cabinet (17(1)(a)).
//!
//! Choices where the regulation is silent (also in `docs/RULES.md`): a
//! roster may be entered in several parts (an online training is taken
//! over its two years), each appended; any other event's roster once it
//! has ended, as a trainer's (Sec. 12(1)(a)); an online training's only
//! while its approval lasts (16(7)). The rows meet the same rule as a
//! trainer's roster: Sec. 11(1) (a presenter does not train their own
//! centre's staff, unless Head Start).

use super::preapprovals::lock_for_representative;
use super::record::record;
use super::sponsors::visible;
use super::tokens::Caller;
use super::training_certificates::{fresh_number, tell_certified};
use super::training_events::{RosterRow, match_person};
use super::{Ports, RequestContext, WorkflowError};
use kecs_domain::DomainError;
use kecs_domain::approval::certificate::{PresenterSignature, check_certificates};
use kecs_domain::approval::preapproval::online_approval_expired;
use kecs_domain::approval::{Preapproval, PreapprovalStatus};
use kecs_domain::training::certificate::TrainingCertificate;
use kecs_domain::training::{AttendanceRecord, check_trainee};
use kecs_domain::validation::FieldErrors;
use kecs_persistence::repo::preapprovals::{self, NewTrainee};
use kecs_persistence::repo::{credentials, preapproval_certificates};
use serde_json::json;

/// Appends trainees to an approved event's roster: every bad row reported
/// at once (with `invalid`, the rows that did not parse), nothing saved
/// unless all are good.
pub fn enter_attendance(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
    rows: &[RosterRow],
    invalid: FieldErrors,
) -> Result<Vec<AttendanceRecord>, WorkflowError> {
    let today = ctx.now.date();
    state.change(|conn| {
        let preapproval = lock_for_representative(conn, account_id, id)?;
        if preapproval.status != PreapprovalStatus::Approved {
            return Err(DomainError::PreapprovalNotNow {
                status: preapproval.status.as_str(),
                step: "take attendance",
            }
            .into());
        }
        let mut errors = invalid;
        match preapproval.approval_expires_on {
            Some(expires_on) if today >= expires_on => {
                errors.push_unmet("trainees", &online_approval_expired(expires_on));
            }
            Some(_) => {}
            None if today < preapproval.plan.ends_on => {
                return Err(DomainError::TrainingNotEnded(preapproval.plan.ends_on).into());
            }
            None => {}
        }
        if rows.is_empty() && errors.is_empty() {
            errors.push("trainees", "must list at least one trainee");
        }
        let mut matched = Vec::with_capacity(rows.len());
        for row in rows {
            matched.push(match_person(state, conn, row)?);
        }
        for row in rows {
            for (field, unmet) in check_trainee(&row.trainee, preapproval.plan.starts_on, &[]) {
                errors.push_unmet(row.source.field(field), &unmet);
            }
        }
        if errors.breaks_a_rule() {
            return Err(DomainError::AttendanceRefused(errors).into());
        }
        errors.into_result().map_err(WorkflowError::Invalid)?;
        let new_rows: Vec<NewTrainee<'_>> = rows
            .iter()
            .zip(&matched)
            .map(|(row, person)| NewTrainee {
                person_id: person.as_deref(),
                trainee: &row.trainee,
            })
            .collect();
        preapprovals::insert_attendance(conn, &preapproval, &new_rows, account_id, ctx.now)?;
        record(conn, ctx, Some(account_id)).audit(
            "preapproval.attendance_entered",
            ("preapproval", id),
            json!({
                "trainees": rows.len(),
                "matched_on_record": matched.iter().flatten().count(),
            }),
        )?;
        Ok(preapprovals::attendance(conn, id)?)
    })
}

/// The application and its roster, for its sponsor's representatives and
/// staff (Sec. 17(1)(a)2: provided to the cabinet on request).
pub fn records(
    state: &Ports,
    caller: &Caller,
    id: &str,
) -> Result<(Preapproval, Vec<AttendanceRecord>), WorkflowError> {
    state.db.read(|conn| {
        let preapproval = preapprovals::get(conn, id)?;
        visible(conn, caller, &preapproval.sponsor_id)?;
        let roster = preapprovals::attendance(conn, id)?;
        Ok((preapproval, roster))
    })
}

/// The representative records the presenter's signature (`signed_by`, for
/// the presenter at `position`): a certificate (Sec. 17(2) → 12(2)) is
/// issued for every roster row that has none yet, and each trainee with an
/// account is mailed. Returns every certificate of the event and how many
/// this signature issued.
pub fn sign_certificates(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
    position: i32,
    signed_by: &str,
) -> Result<(Vec<TrainingCertificate>, usize), WorkflowError> {
    let issued = state.change(|conn| {
        let preapproval = lock_for_representative(conn, account_id, id)?;
        if preapproval.status != PreapprovalStatus::Approved {
            return Err(DomainError::PreapprovalNotNow {
                status: preapproval.status.as_str(),
                step: "issue certificates",
            }
            .into());
        }
        let presenter = preapproval
            .presenters
            .iter()
            .find(|p| p.position == position)
            .ok_or_else(|| {
                WorkflowError::field("presenter", "names no presenter of this application")
            })?;
        let credential = match &presenter.credential_number {
            Some(number) => {
                let credential = credentials::get_by_number(conn, number)?;
                Some((credential.number, credential.expires_on))
            }
            None => None,
        };
        let signature = PresenterSignature {
            signed_by: signed_by.to_owned(),
            signed_at: ctx.now,
            presenter_name: presenter.full_name(),
            credential,
        };
        let certified = preapproval_certificates::certified(conn, id)?;
        let roster = preapprovals::attendance(conn, id)?;
        if roster.is_empty() {
            return Err(DomainError::NoAttendanceYet.into());
        }
        let pending: Vec<AttendanceRecord> = roster
            .into_iter()
            .filter(|r| !certified.contains(&r.id))
            .collect();
        let refused = check_certificates(&preapproval, &pending, &signature);
        if !refused.is_empty() {
            return Err(DomainError::CertificateRefused(refused).into());
        }
        let numbers: Vec<String> = pending.iter().map(|_| fresh_number()).collect();
        let new: Vec<(&str, &str)> = numbers
            .iter()
            .zip(&pending)
            .map(|(number, row)| (number.as_str(), row.id.as_str()))
            .collect();
        let issued = preapproval_certificates::issue(conn, id, &new, account_id, &signature)?;
        let (told, mailed) = tell_certified(
            record(conn, ctx, Some(account_id)),
            &state.config.public_url,
            &preapproval.plan.title,
            pending.iter().zip(&numbers),
            &issued,
        )?;
        told.audit(
            "preapproval.certificates_issued",
            ("preapproval", id),
            json!({
                "issued": issued.len(),
                "already_issued": certified.len(),
                "mailed": mailed,
                "signed_by": signed_by,
                "presenter": position,
            }),
        )?;
        Ok(issued.len())
    })?;
    let all = state
        .db
        .read(|conn| preapproval_certificates::for_preapproval(conn, id))?;
    Ok((all, issued))
}

/// The event's certificates, for its representatives and staff.
pub fn certificates(
    state: &Ports,
    caller: &Caller,
    id: &str,
) -> Result<Vec<TrainingCertificate>, WorkflowError> {
    state.db.read(|conn| {
        let preapproval = preapprovals::get(conn, id)?;
        visible(conn, caller, &preapproval.sponsor_id)?;
        Ok(preapproval_certificates::for_preapproval(conn, id)?)
    })
}

/// One certificate of the event as a PDF.
pub fn certificate_pdf(
    state: &Ports,
    caller: &Caller,
    id: &str,
    number: &str,
) -> Result<(TrainingCertificate, Vec<u8>), WorkflowError> {
    let certificate = certificates(state, caller, id)?
        .into_iter()
        .find(|c| c.number == number)
        .ok_or(WorkflowError::NotFound)?;
    let pdf = super::training_certificates::pdf_of(state, &certificate);
    Ok((certificate, pdf))
}
