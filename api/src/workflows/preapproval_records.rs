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
use super::training_events::{RosterRow, match_person};
use super::{Ports, RequestContext, WorkflowError};
use kecs_domain::DomainError;
use kecs_domain::approval::preapproval::online_approval_expired;
use kecs_domain::approval::{Preapproval, PreapprovalStatus};
use kecs_domain::training::{AttendanceRecord, check_trainee};
use kecs_domain::validation::FieldErrors;
use kecs_persistence::repo::preapprovals::{self, NewTrainee};
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
