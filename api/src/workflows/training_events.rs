//! Training events and their attendance: a credentialed trainer records an
//! event (Sec. 5(2)–11), enters who attended (Sec. 12(1)(a)); staff see
//! whose attendance is late; the sweeper reminds trainers of the ten days.

use super::RequestContext;
use super::mail_templates;
use super::record::record;
use crate::workflows::Ports;
use crate::workflows::WorkflowError;
use chrono::{NaiveDate, NaiveDateTime};
use kecs_domain::DomainError;
use kecs_domain::account::{PersonName, SsnLast4};
use kecs_domain::credential::{Credential, CredentialStatus};
use kecs_domain::rules::{ClockHours, Level};
use kecs_domain::training::{
    AttendanceRecord, EventPlan, PreviousOnlineTraining, Trainee, TrainerOnEvent, TrainingEvent,
    attendance_late, check_event, check_trainee,
};
use kecs_domain::validation::FieldErrors;
use kecs_persistence::DbConnection;
use kecs_persistence::PersistenceError;
use kecs_persistence::repo::training_events::{self, AttendanceNotice, NewAttendance};
use kecs_persistence::repo::{credentials, people};
use serde_json::json;
use std::collections::HashMap;

/// An event as the trainer asks to record it.
pub struct NewEvent {
    /// The credential the lead trainer trains under (their own).
    pub credential_number: String,
    pub co_trainer_numbers: Vec<String>,
    pub plan: EventPlan,
}

/// Sec. 11(3), read in `training::event`: current on every day of the
/// training, and not revoked.
fn current_throughout(credential: &Credential, plan: &EventPlan) -> bool {
    credential.status != CredentialStatus::Revoked
        && credential.issued_on <= plan.starts_on
        && plan.ends_on < credential.expires_on
}

fn on_event(
    conn: &mut DbConnection,
    credential: &Credential,
    plan: &EventPlan,
) -> Result<TrainerOnEvent, WorkflowError> {
    let co_training_done = if credential.level == Level::Level2 {
        training_events::co_training_with_level_4_or_5(conn, &credential.id, plan.starts_on)?
    } else {
        ClockHours::ZERO
    };
    Ok(TrainerOnEvent {
        credential_id: credential.id.clone(),
        credential_number: credential.number.clone(),
        account_id: credential.account_id.clone(),
        level: credential.level,
        current_throughout: current_throughout(credential, plan),
        co_training_done,
    })
}

fn find_credential(
    conn: &mut DbConnection,
    number: &str,
) -> Result<Option<Credential>, WorkflowError> {
    match credentials::get_by_number(conn, number) {
        Ok(credential) => Ok(Some(credential)),
        Err(PersistenceError::NotFound) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// Records an event the caller leads, after checking it against what each
/// trainer on it may train; one refusal lists every unmet rule.
pub fn create(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    new: &NewEvent,
) -> Result<TrainingEvent, WorkflowError> {
    state.change(|conn| {
        let mut invalid = FieldErrors::new();
        let lead = find_credential(conn, &new.credential_number)?
            .filter(|credential| credential.account_id == account_id);
        if lead.is_none() {
            invalid.push("credential_number", "is not a credential you hold");
        }
        let mut co_trainers = Vec::new();
        for (i, number) in new.co_trainer_numbers.iter().enumerate() {
            let field = format!("co_trainers[{i}]");
            if new.co_trainer_numbers[..i].contains(number) {
                invalid.push(field, "is named twice");
                continue;
            }
            match find_credential(conn, number)? {
                None => invalid.push(field, "no credential has this number"),
                Some(credential) if credential.account_id == account_id => {
                    invalid.push(field, "is a credential of yours; a co-trainer is another trainer")
                }
                Some(credential) => co_trainers.push(credential),
            }
        }
        let Some(lead) = lead else {
            return Err(WorkflowError::Invalid(invalid));
        };
        invalid.into_result().map_err(WorkflowError::Invalid)?;
        let lead = on_event(conn, &lead, &new.plan)?;
        let co_trainers = co_trainers
            .iter()
            .map(|credential| on_event(conn, credential, &new.plan))
            .collect::<Result<Vec<_>, _>>()?;
        let refused = check_event(&new.plan, &lead, &co_trainers);
        if !refused.is_empty() {
            return Err(DomainError::TrainingRefused(refused).into());
        }
        let event = training_events::insert(conn, &new.plan, &lead, &co_trainers, ctx.now)?;
        record(conn, ctx, Some(account_id)).audit(
            "training_event.recorded",
            ("training_event", &event.id),
            json!({
                "credential_number": event.credential_number,
                "co_trainers": event.co_trainers.iter().map(|c| &c.credential_number).collect::<Vec<_>>(),
                "starts_on": event.plan.starts_on,
                "ends_on": event.plan.ends_on,
                "clock_minutes": event.plan.length.minutes(),
            }),
        )?;
        Ok(event)
    })
}

/// Who may see an event: its lead trainer and its co-trainers.
fn sees(event: &TrainingEvent, account_id: &str) -> bool {
    event.trainer_account_id == account_id
        || event.co_trainers.iter().any(|c| c.account_id == account_id)
}

/// An event the caller leads or co-trains; anyone else's is 404.
pub fn event(state: &Ports, account_id: &str, id: &str) -> Result<TrainingEvent, WorkflowError> {
    state.db.read(|conn| {
        training_events::get(conn, id)?
            .filter(|event| sees(event, account_id))
            .ok_or(WorkflowError::NotFound)
    })
}

/// The events the caller leads or co-trains, newest recorded first.
pub fn events(
    state: &Ports,
    account_id: &str,
    after: Option<&(NaiveDateTime, String)>,
    limit: i64,
) -> Result<Vec<TrainingEvent>, WorkflowError> {
    Ok(state
        .db
        .read(|conn| training_events::visible_to(conn, account_id, after, limit))?)
}

/// An event with its roster, to those who see the event.
pub fn roster(
    state: &Ports,
    account_id: &str,
    id: &str,
) -> Result<(TrainingEvent, Vec<AttendanceRecord>), WorkflowError> {
    state.db.read(|conn| {
        let event = training_events::get(conn, id)?
            .filter(|event| sees(event, account_id))
            .ok_or(WorkflowError::NotFound)?;
        let rows = training_events::attendance(conn, &event.id)?;
        Ok((event, rows))
    })
}

/// Where a roster row came from, to name its fields in a refusal: the
/// `trainees` array of a JSON body, or a line of a CSV sign-in sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowSource {
    /// Index into `trainees`, from 0.
    Json(usize),
    /// Line of the file, the header being line 1.
    Csv(usize),
}

impl RowSource {
    /// `trainees[3].date_of_birth` or `line 4: date_of_birth`.
    pub fn field(self, name: &str) -> String {
        match self {
            RowSource::Json(index) => format!("trainees[{index}].{name}"),
            RowSource::Csv(line) => format!("line {line}: {name}"),
        }
    }
}

/// A roster row whose fields parsed.
pub struct RosterRow {
    pub source: RowSource,
    pub trainee: Trainee,
    /// To match the trainee to a person on record; never stored.
    pub ssn_last4: Option<SsnLast4>,
}

/// The person on record a row names: first and last name, date of birth
/// and the last four SSN digits all agree, and only one person does.
pub(crate) fn match_person(
    state: &Ports,
    conn: &mut DbConnection,
    row: &RosterRow,
) -> Result<Option<String>, WorkflowError> {
    let Some(last4) = &row.ssn_last4 else {
        return Ok(None);
    };
    let found = people::search(
        conn,
        &PersonName::key_of(&row.trainee.first_name),
        &PersonName::key_of(&row.trainee.last_name),
        row.trainee.date_of_birth,
        &state.vault.last4_hash(last4),
    )?;
    Ok(match found.as_slice() {
        [only] => Some(only.id.clone()),
        _ => None,
    })
}

/// Enters the whole roster of an event the caller leads, once: every bad
/// row is reported at once (with `invalid`, the rows that did not parse)
/// and nothing is saved unless all are good. Entered after the ten days of
/// Sec. 12(1)(a) it is kept, marked late.
pub fn enter_attendance(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    event_id: &str,
    rows: &[RosterRow],
    invalid: FieldErrors,
) -> Result<(TrainingEvent, Vec<AttendanceRecord>), WorkflowError> {
    let today = ctx.now.date();
    state.change(|conn| {
        let event = training_events::get(conn, event_id)?
            .filter(|event| sees(event, account_id))
            .ok_or(WorkflowError::NotFound)?;
        if event.trainer_account_id != account_id {
            return Err(WorkflowError::Forbidden);
        }
        if let Some(at) = event.attendance_entered_at {
            return Err(DomainError::AttendanceAlreadyEntered(at).into());
        }
        if today < event.plan.ends_on {
            return Err(DomainError::TrainingNotEnded(event.plan.ends_on).into());
        }
        let mut errors = invalid;
        if rows.is_empty() && errors.is_empty() {
            errors.push("trainees", "must list at least one trainee");
        }
        let mut matched = Vec::with_capacity(rows.len());
        for row in rows {
            matched.push(match_person(state, conn, row)?);
        }
        let mut previous: HashMap<String, Vec<PreviousOnlineTraining>> = HashMap::new();
        if event.plan.is_online() {
            let people: Vec<String> = matched.iter().flatten().cloned().collect();
            for (person, ended_on) in training_events::previous_online(
                conn,
                &people,
                &event.plan.course_key(),
                &event.id,
            )? {
                previous
                    .entry(person)
                    .or_default()
                    .push(PreviousOnlineTraining { ended_on });
            }
        }
        for (row, person) in rows.iter().zip(&matched) {
            let history = person
                .as_ref()
                .and_then(|p| previous.get(p))
                .map(Vec::as_slice)
                .unwrap_or_default();
            for (field, unmet) in check_trainee(&row.trainee, event.plan.starts_on, history) {
                errors.push_unmet(row.source.field(field), &unmet);
            }
        }
        if errors.breaks_a_rule() {
            return Err(DomainError::AttendanceRefused(errors).into());
        }
        errors.into_result().map_err(WorkflowError::Invalid)?;
        let late = attendance_late(event.plan.ends_on, today);
        if !training_events::mark_attendance_entered(conn, &event.id, late, ctx.now)? {
            return Err(DomainError::AttendanceAlreadyEntered(ctx.now).into());
        }
        let new_rows: Vec<NewAttendance<'_>> = rows
            .iter()
            .zip(&matched)
            .enumerate()
            .map(|(i, (row, person))| NewAttendance {
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                person_id: person.as_deref(),
                trainee: &row.trainee,
            })
            .collect();
        training_events::insert_attendance(conn, &event, &new_rows, late, ctx.now)?;
        record(conn, ctx, Some(account_id)).audit(
            "training_event.attendance_entered",
            ("training_event", &event.id),
            json!({
                "trainees": rows.len(),
                "matched_on_record": matched.iter().flatten().count(),
                "late": late,
                "due_on": event.attendance_due_on(),
            }),
        )?;
        let event = training_events::get(conn, &event.id)?.ok_or(WorkflowError::NotFound)?;
        let entered = training_events::attendance(conn, &event.id)?;
        Ok((event, entered))
    })
}

/// Staff's list of events whose attendance came late or is missing past
/// the ten days, oldest training first.
pub fn late_attendance(
    state: &Ports,
    today: NaiveDate,
    after: Option<&(NaiveDate, String)>,
    limit: i64,
) -> Result<Vec<TrainingEvent>, WorkflowError> {
    Ok(state
        .db
        .read(|conn| training_events::late_attendance(conn, today, after, limit))?)
}

/// The reminder goes out this many days before the ten days end.
pub const ATTENDANCE_REMINDER_DAYS_BEFORE: u64 = 2;

/// The sweeper's part: reminds each trainer once before the ten days of
/// Sec. 12(1)(a) end without attendance, and tells them once when they
/// ended. Returns how many mails were queued.
pub(crate) fn sweep(
    state: &Ports,
    ctx: &RequestContext,
    batch: i64,
) -> Result<usize, WorkflowError> {
    let today = ctx.now.date();
    let mut sent = 0;
    for notice in [
        AttendanceNotice::DueSoon {
            days_before: ATTENDANCE_REMINDER_DAYS_BEFORE,
        },
        AttendanceNotice::Overdue,
    ] {
        let due = state
            .db
            .read(|conn| training_events::due_for_notice(conn, notice, today, batch))?;
        for event in &due {
            let told = state.db.transaction(|conn| {
                if !training_events::mark_noticed(conn, &event.id, notice, ctx.now)? {
                    return Ok::<_, WorkflowError>(false);
                }
                let due_on = event.attendance_due_on().to_string();
                let (mail, action) = match notice {
                    AttendanceNotice::DueSoon { .. } => (
                        mail_templates::attendance_due_soon(&event.plan.title, &event.id, &due_on),
                        "training_event.attendance_reminder_sent",
                    ),
                    AttendanceNotice::Overdue => (
                        mail_templates::attendance_overdue(&event.plan.title, &event.id, &due_on),
                        "training_event.attendance_overdue_notice_sent",
                    ),
                };
                record(conn, ctx, None)
                    .tell_now(&event.trainer_account_id, &mail)?
                    .audit(
                        action,
                        ("training_event", &event.id),
                        json!({"due_on": due_on}),
                    )?;
                Ok(true)
            })?;
            sent += usize::from(told);
        }
    }
    Ok(sent)
}
