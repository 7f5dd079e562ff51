//! Kentucky state holidays, which an admin keeps per year: the cabinet's
//! ten working days for a preapproval decision skip them (Sec. 16(2)), so
//! recording or removing one moves the due dates of the applications
//! awaiting a decision, in the same transaction.

use super::record::record;
use super::{Ports, RequestContext, WorkflowError};
use chrono::{Datelike, NaiveDate};
use kecs_domain::DomainError;
use kecs_persistence::DbConnection;
use kecs_persistence::PersistenceError;
use kecs_persistence::repo::preapprovals;
use kecs_persistence::repo::state_holidays::{self, StateHoliday};
use serde_json::json;

pub fn of_year(state: &Ports, year: i32) -> Result<Vec<StateHoliday>, WorkflowError> {
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(WorkflowError::field("year", "is not a year"));
    };
    Ok(state
        .db
        .read(|conn| state_holidays::between(conn, first, last))?)
}

/// The holidays that can fall within a decision's ten working days from
/// `received_on` (with room for the clock's pauses).
pub(crate) fn around(
    conn: &mut DbConnection,
    received_on: NaiveDate,
) -> Result<Vec<NaiveDate>, PersistenceError> {
    let until = received_on
        .checked_add_days(chrono::Days::new(366))
        .unwrap_or(NaiveDate::MAX);
    Ok(state_holidays::between(conn, received_on, until)?
        .into_iter()
        .map(|h| h.day)
        .collect())
}

/// Recomputes every running clock after the holidays changed.
fn move_due_dates(conn: &mut DbConnection) -> Result<usize, WorkflowError> {
    let mut moved = 0;
    for preapproval in preapprovals::awaiting_decision(conn)? {
        let Some(received_on) = preapproval.received_on else {
            continue;
        };
        let due = preapproval.decision_due(&around(conn, received_on)?);
        if due != preapproval.decision_due_on {
            preapprovals::set_decision_due(conn, &preapproval.id, due)?;
            moved += 1;
        }
    }
    Ok(moved)
}

pub fn record_holiday(
    state: &Ports,
    ctx: &RequestContext,
    admin_id: &str,
    day: NaiveDate,
    name: &str,
) -> Result<StateHoliday, WorkflowError> {
    state.change(|conn| {
        match state_holidays::insert(conn, day, name, admin_id, ctx.now) {
            Ok(()) => {}
            Err(PersistenceError::Conflict { .. }) => {
                return Err(DomainError::HolidayTaken(day).into());
            }
            Err(other) => return Err(other.into()),
        }
        let moved = move_due_dates(conn)?;
        record(conn, ctx, Some(admin_id)).audit(
            "state_holiday.recorded",
            ("state_holiday", &day.to_string()),
            json!({"name": name, "year": day.year(), "due_dates_moved": moved}),
        )?;
        Ok(StateHoliday {
            day,
            name: name.to_owned(),
        })
    })
}

pub fn remove_holiday(
    state: &Ports,
    ctx: &RequestContext,
    admin_id: &str,
    day: NaiveDate,
) -> Result<(), WorkflowError> {
    state.change(|conn| {
        if !state_holidays::delete(conn, day)? {
            return Err(WorkflowError::NotFound);
        }
        let moved = move_due_dates(conn)?;
        record(conn, ctx, Some(admin_id)).audit(
            "state_holiday.removed",
            ("state_holiday", &day.to_string()),
            json!({"due_dates_moved": moved}),
        )
    })
}
