//! Applications for preapproval of training events (Sec. 16), their
//! presenters, the cabinet's requests for information, and the count of
//! applications naming each uncredentialed presenter a year (16(6)).

use crate::schema::{
    accounts, preapproval_attendance as pa, preapproval_information_requests as ir,
    preapproval_presenters as pp, preapprovals as p, presenter_years as py, sponsors as s,
};
use crate::stored;
use crate::{DbConnection, PersistenceError};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use kecs_domain::application::{Denial, DenialReason, ReviewDecision};
use kecs_domain::approval::{
    ApprovedTraining, InformationRequest, Preapproval, PreapprovalStatus, Presenter, Resume,
};
use kecs_domain::rules::preapproval::{EventKind, UNCREDENTIALED_PRESENTER_EVENTS_PER_YEAR};
use kecs_domain::rules::{ClockHours, Topic};
use kecs_domain::training::{
    AttendanceRecord, EmployerAtTraining, EventPlan, Trainee, TraineeMatch,
};

fn corrupt(id: &str, what: impl std::fmt::Display) -> PersistenceError {
    PersistenceError::Unavailable(format!("preapproval {id} has an unreadable {what}"))
}

/// Title folded for search: lower case, words single-spaced.
pub fn title_key(title: &str) -> String {
    super::sponsors::name_key(title)
}

fn topics_column(topics: impl IntoIterator<Item = Topic>) -> String {
    let names: Vec<&str> = topics.into_iter().map(Topic::as_str).collect();
    format!(",{},", names.join(","))
}

pub struct NewPresenter<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub date_of_birth: Option<NaiveDate>,
    pub credential_number: Option<&'a str>,
}

pub struct NewPreapproval<'a> {
    pub sponsor_id: &'a str,
    pub kind: EventKind,
    pub plan: &'a EventPlan,
    pub presenters: &'a [NewPresenter<'a>],
    pub created_by: &'a str,
}

/// Records a draft application with its presenters.
pub fn insert(
    conn: &mut DbConnection,
    new: &NewPreapproval<'_>,
    now: NaiveDateTime,
) -> Result<Preapproval, PersistenceError> {
    let id = super::new_id();
    let plan = stored::event_plan::write(new.plan)
        .map_err(|e| super::applications::unwritable("the event of a preapproval", e))?;
    diesel::insert_into(p::table)
        .values((
            p::id.eq(&id),
            p::sponsor_id.eq(new.sponsor_id),
            p::kind.eq(new.kind.as_str()),
            p::plan.eq(plan),
            p::title.eq(&new.plan.title),
            p::title_key.eq(title_key(&new.plan.title)),
            p::starts_on.eq(new.plan.starts_on),
            p::ends_on.eq(new.plan.ends_on),
            p::online.eq(new.plan.is_online()),
            p::topics.eq(topics_column(new.plan.topics.iter().copied())),
            p::status.eq(PreapprovalStatus::Draft.as_str()),
            p::created_by.eq(new.created_by),
            p::created_at.eq(now),
            p::updated_at.eq(now),
        ))
        .execute(conn)?;
    for (index, presenter) in new.presenters.iter().enumerate() {
        diesel::insert_into(pp::table)
            .values((
                pp::preapproval_id.eq(&id),
                pp::position.eq(i32::try_from(index + 1).unwrap_or(i32::MAX)),
                pp::first_name.eq(presenter.first_name),
                pp::last_name.eq(presenter.last_name),
                pp::email.eq(presenter.email),
                pp::date_of_birth.eq(presenter.date_of_birth),
                pp::credential_number.eq(presenter.credential_number),
            ))
            .execute(conn)?;
    }
    get(conn, &id)
}

/// Replaces a draft's event and presenters. A presenter at the same place
/// with the same name, date of birth and credential keeps their résumé;
/// returns the storage keys of the résumés no longer referenced.
pub fn replace_draft(
    conn: &mut DbConnection,
    draft: &Preapproval,
    kind: EventKind,
    plan: &EventPlan,
    presenters: &[NewPresenter<'_>],
    now: NaiveDateTime,
) -> Result<Vec<String>, PersistenceError> {
    let stored = stored::event_plan::write(plan)
        .map_err(|e| super::applications::unwritable("the event of a preapproval", e))?;
    diesel::update(p::table.filter(p::id.eq(&draft.id)))
        .set((
            p::kind.eq(kind.as_str()),
            p::plan.eq(stored),
            p::title.eq(&plan.title),
            p::title_key.eq(title_key(&plan.title)),
            p::starts_on.eq(plan.starts_on),
            p::ends_on.eq(plan.ends_on),
            p::online.eq(plan.is_online()),
            p::topics.eq(topics_column(plan.topics.iter().copied())),
            p::updated_at.eq(now),
        ))
        .execute(conn)?;
    diesel::delete(pp::table.filter(pp::preapproval_id.eq(&draft.id))).execute(conn)?;
    let fold = |text: &str| text.trim().to_lowercase();
    let mut kept = Vec::new();
    for (index, presenter) in presenters.iter().enumerate() {
        let position = i32::try_from(index + 1).unwrap_or(i32::MAX);
        let resume = draft
            .presenters
            .iter()
            .find(|old| {
                old.position == position
                    && fold(&old.first_name) == fold(presenter.first_name)
                    && fold(&old.last_name) == fold(presenter.last_name)
                    && old.date_of_birth == presenter.date_of_birth
                    && old.credential_number.as_deref() == presenter.credential_number
            })
            .and_then(|old| old.resume.clone());
        if let Some(resume) = &resume {
            kept.push(resume.storage_key.clone());
        }
        diesel::insert_into(pp::table)
            .values((
                pp::preapproval_id.eq(&draft.id),
                pp::position.eq(position),
                pp::first_name.eq(presenter.first_name),
                pp::last_name.eq(presenter.last_name),
                pp::email.eq(presenter.email),
                pp::date_of_birth.eq(presenter.date_of_birth),
                pp::credential_number.eq(presenter.credential_number),
                pp::resume_file_name.eq(resume.as_ref().map(|r| r.file_name.as_str())),
                pp::resume_content_type.eq(resume.as_ref().map(|r| r.content_type.as_str())),
                pp::resume_size_bytes.eq(resume.as_ref().map(|r| r.size_bytes)),
                pp::resume_storage_key.eq(resume.as_ref().map(|r| r.storage_key.as_str())),
                pp::resume_uploaded_at.eq(resume.as_ref().map(|r| r.uploaded_at)),
            ))
            .execute(conn)?;
    }
    Ok(draft
        .presenters
        .iter()
        .filter_map(|old| old.resume.as_ref().map(|r| r.storage_key.clone()))
        .filter(|key| !kept.contains(key))
        .collect())
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = p)]
struct Row {
    id: String,
    sponsor_id: String,
    kind: String,
    plan: String,
    status: String,
    created_by: String,
    created_at: NaiveDateTime,
    received_on: Option<NaiveDate>,
    decision_due_on: Option<NaiveDate>,
    decided_on: Option<NaiveDate>,
    approval_note: Option<String>,
    approval_expires_on: Option<NaiveDate>,
    denial_reasons: Option<String>,
    review_requested_at: Option<NaiveDateTime>,
    review_statement: Option<String>,
    review_due_on: Option<NaiveDate>,
    review_extended_on: Option<NaiveDate>,
    review_extension_reason: Option<String>,
    review_extended_until: Option<NaiveDate>,
    review_decision: Option<String>,
    review_order: Option<String>,
    review_decided_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = pp)]
struct PresenterRow {
    position: i32,
    first_name: String,
    last_name: String,
    email: String,
    date_of_birth: Option<NaiveDate>,
    credential_number: Option<String>,
    resume_file_name: Option<String>,
    resume_content_type: Option<String>,
    resume_size_bytes: Option<i64>,
    resume_storage_key: Option<String>,
    resume_uploaded_at: Option<NaiveDateTime>,
}

impl PresenterRow {
    fn into_domain(self) -> Presenter {
        let resume = match (
            self.resume_file_name,
            self.resume_content_type,
            self.resume_size_bytes,
            self.resume_storage_key,
            self.resume_uploaded_at,
        ) {
            (
                Some(file_name),
                Some(content_type),
                Some(size_bytes),
                Some(storage_key),
                Some(at),
            ) => Some(Resume {
                file_name,
                content_type,
                size_bytes,
                storage_key,
                uploaded_at: at,
            }),
            _ => None,
        };
        Presenter {
            position: self.position,
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            date_of_birth: self.date_of_birth,
            credential_number: self.credential_number,
            resume,
        }
    }
}

fn load(
    conn: &mut DbConnection,
    row: Row,
    sponsor_name: String,
) -> Result<Preapproval, PersistenceError> {
    let status = PreapprovalStatus::parse(&row.status).map_err(|_| corrupt(&row.id, "status"))?;
    let kind = EventKind::parse(&row.kind).map_err(|_| corrupt(&row.id, "kind"))?;
    let plan = stored::event_plan::read(&row.plan)
        .map_err(|e| corrupt(&row.id, format_args!("event: {e}")))?;
    let presenters = pp::table
        .filter(pp::preapproval_id.eq(&row.id))
        .order(pp::position)
        .select(PresenterRow::as_select())
        .load(conn)?
        .into_iter()
        .map(PresenterRow::into_domain)
        .collect();
    let information_requests = ir::table
        .filter(ir::preapproval_id.eq(&row.id))
        .order(ir::requested_at)
        .select((ir::requested_at, ir::message, ir::answered_at, ir::answer))
        .load::<(NaiveDateTime, String, Option<NaiveDateTime>, Option<String>)>(conn)?
        .into_iter()
        .map(
            |(requested_at, message, answered_at, answer)| InformationRequest {
                requested_at,
                message,
                answered_at,
                answer,
            },
        )
        .collect();
    let denial = match (&row.denial_reasons, row.decided_on) {
        (Some(raw), Some(denied_on)) => {
            let reasons: Vec<DenialReason> = stored::denial_reasons::read(raw)
                .map_err(|e| corrupt(&row.id, format_args!("denial: {e}")))?;
            let review_decision = match row.review_decision.as_deref() {
                Some(raw) => Some(
                    ReviewDecision::parse(raw)
                        .ok_or_else(|| corrupt(&row.id, "review decision"))?,
                ),
                None => None,
            };
            Some(Denial {
                application_id: row.id.clone(),
                reasons,
                denied_on,
                review_requested_at: row.review_requested_at,
                review_statement: row.review_statement.clone(),
                review_due_on: row.review_due_on,
                review_extended_on: row.review_extended_on,
                review_extension_reason: row.review_extension_reason.clone(),
                review_extended_until: row.review_extended_until,
                review_decision,
                review_order: row.review_order.clone(),
                review_decided_at: row.review_decided_at,
            })
        }
        _ => None,
    };
    Ok(Preapproval {
        id: row.id,
        sponsor_id: row.sponsor_id,
        sponsor_name,
        kind,
        plan,
        presenters,
        status,
        created_by: row.created_by,
        created_at: row.created_at,
        received_on: row.received_on,
        information_requests,
        decision_due_on: row.decision_due_on,
        decided_on: row.decided_on,
        approval_note: row.approval_note,
        approval_expires_on: row.approval_expires_on,
        denial,
    })
}

fn load_all(
    conn: &mut DbConnection,
    rows: Vec<(Row, String)>,
) -> Result<Vec<Preapproval>, PersistenceError> {
    rows.into_iter()
        .map(|(row, sponsor)| load(conn, row, sponsor))
        .collect()
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<Preapproval, PersistenceError> {
    let (row, sponsor) = p::table
        .inner_join(s::table)
        .filter(p::id.eq(id))
        .select((Row::as_select(), s::name))
        .first::<(Row, String)>(conn)?;
    load(conn, row, sponsor)
}

/// A sponsor's applications, the latest first.
pub fn of_sponsor(
    conn: &mut DbConnection,
    sponsor_id: &str,
) -> Result<Vec<Preapproval>, PersistenceError> {
    let rows = p::table
        .inner_join(s::table)
        .filter(p::sponsor_id.eq(sponsor_id))
        .order((p::created_at.desc(), p::id.desc()))
        .select((Row::as_select(), s::name))
        .load::<(Row, String)>(conn)?;
    load_all(conn, rows)
}

/// Moves the status, if it still is `from`: whether it moved.
pub fn change_status(
    conn: &mut DbConnection,
    id: &str,
    from: PreapprovalStatus,
    to: PreapprovalStatus,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    Ok(
        diesel::update(p::table.filter(p::id.eq(id).and(p::status.eq(from.as_str()))))
            .set((p::status.eq(to.as_str()), p::updated_at.eq(now)))
            .execute(conn)?
            == 1,
    )
}

pub fn mark_received(
    conn: &mut DbConnection,
    id: &str,
    received_on: NaiveDate,
) -> Result<(), PersistenceError> {
    diesel::update(p::table.filter(p::id.eq(id)))
        .set(p::received_on.eq(received_on))
        .execute(conn)?;
    Ok(())
}

pub fn set_decision_due(
    conn: &mut DbConnection,
    id: &str,
    due: Option<NaiveDate>,
) -> Result<(), PersistenceError> {
    diesel::update(p::table.filter(p::id.eq(id)))
        .set(p::decision_due_on.eq(due))
        .execute(conn)?;
    Ok(())
}

/// Attaches a presenter's résumé while the application is a draft: whether
/// it was (a presenter at that position, on a draft).
pub fn attach_resume(
    conn: &mut DbConnection,
    id: &str,
    position: i32,
    resume: &Resume,
) -> Result<Option<String>, PersistenceError> {
    let previous: Option<Option<String>> = pp::table
        .filter(pp::preapproval_id.eq(id).and(pp::position.eq(position)))
        .select(pp::resume_storage_key)
        .first(conn)
        .optional()?;
    let Some(previous) = previous else {
        return Err(PersistenceError::NotFound);
    };
    diesel::update(pp::table.filter(pp::preapproval_id.eq(id).and(pp::position.eq(position))))
        .set((
            pp::resume_file_name.eq(&resume.file_name),
            pp::resume_content_type.eq(&resume.content_type),
            pp::resume_size_bytes.eq(resume.size_bytes),
            pp::resume_storage_key.eq(&resume.storage_key),
            pp::resume_uploaded_at.eq(resume.uploaded_at),
        ))
        .execute(conn)?;
    Ok(previous)
}

pub fn add_information_request(
    conn: &mut DbConnection,
    id: &str,
    requested_by: &str,
    message: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::insert_into(ir::table)
        .values((
            ir::preapproval_id.eq(id),
            ir::requested_at.eq(now),
            ir::requested_by.eq(requested_by),
            ir::message.eq(message),
        ))
        .execute(conn)?;
    Ok(())
}

/// Answers the open request: whether there was one.
pub fn answer_information_request(
    conn: &mut DbConnection,
    id: &str,
    answer: &str,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    Ok(
        diesel::update(ir::table.filter(ir::preapproval_id.eq(id).and(ir::answered_at.is_null())))
            .set((ir::answered_at.eq(now), ir::answer.eq(answer)))
            .execute(conn)?
            == 1,
    )
}

/// Records an approval; after a review overturned a denial, `decided_on`
/// stays the denial's day and only the approval's own fields are set.
pub fn record_approval(
    conn: &mut DbConnection,
    id: &str,
    decided: Option<(&str, NaiveDate)>,
    note: Option<&str>,
    expires_on: Option<NaiveDate>,
) -> Result<(), PersistenceError> {
    if let Some((decided_by, decided_on)) = decided {
        diesel::update(p::table.filter(p::id.eq(id)))
            .set((p::decided_by.eq(decided_by), p::decided_on.eq(decided_on)))
            .execute(conn)?;
    }
    diesel::update(p::table.filter(p::id.eq(id)))
        .set((
            p::approval_note.eq(note),
            p::approval_expires_on.eq(expires_on),
            p::decision_due_on.eq(None::<NaiveDate>),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn record_denial(
    conn: &mut DbConnection,
    id: &str,
    decided_by: &str,
    decided_on: NaiveDate,
    reasons: &[DenialReason],
) -> Result<(), PersistenceError> {
    let reasons = stored::denial_reasons::write(reasons)
        .map_err(|e| super::applications::unwritable("the reasons of a denial", e))?;
    diesel::update(p::table.filter(p::id.eq(id)))
        .set((
            p::decided_by.eq(decided_by),
            p::decided_on.eq(decided_on),
            p::denial_reasons.eq(reasons),
            p::decision_due_on.eq(None::<NaiveDate>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records the request for review, once: whether it was the first.
pub fn request_review(
    conn: &mut DbConnection,
    id: &str,
    statement: &str,
    due: NaiveDate,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    Ok(
        diesel::update(p::table.filter(p::id.eq(id).and(p::review_requested_at.is_null())))
            .set((
                p::review_requested_at.eq(now),
                p::review_statement.eq(statement),
                p::review_due_on.eq(due),
                p::review_order_due_on.eq(due),
            ))
            .execute(conn)?
            == 1,
    )
}

/// Records an extension of a requested, undecided review with its notice
/// (Sec. 14(3)(c)1-2): whether there was such a review.
pub fn extend_review(
    conn: &mut DbConnection,
    id: &str,
    reason: &str,
    until: NaiveDate,
    notified_on: NaiveDate,
) -> Result<bool, PersistenceError> {
    Ok(diesel::update(
        p::table.filter(
            p::id
                .eq(id)
                .and(p::review_requested_at.is_not_null())
                .and(p::review_decided_at.is_null()),
        ),
    )
    .set((
        p::review_extended_on.eq(notified_on),
        p::review_extension_reason.eq(reason),
        p::review_extended_until.eq(until),
        p::review_order_due_on.eq(until),
    ))
    .execute(conn)?
        == 1)
}

/// Records the written order, once: whether it was the first.
pub fn decide_review(
    conn: &mut DbConnection,
    id: &str,
    decision: ReviewDecision,
    order: &str,
    decided_by: &str,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    Ok(diesel::update(
        p::table.filter(
            p::id
                .eq(id)
                .and(p::review_requested_at.is_not_null())
                .and(p::review_decided_at.is_null()),
        ),
    )
    .set((
        p::review_decision.eq(decision.as_str()),
        p::review_order.eq(order),
        p::review_decided_by.eq(decided_by),
        p::review_decided_at.eq(now),
    ))
    .execute(conn)?
        == 1)
}

/// Counts one more application naming the presenter in `year` (Sec.
/// 16(6)): false, and nothing counted, when five are counted already. The
/// conditional increment is one statement, so concurrent submissions
/// cannot both take the fifth place.
pub fn count_presenter(
    conn: &mut DbConnection,
    presenter_key: &str,
    year: i32,
) -> Result<bool, PersistenceError> {
    let limit = i32::try_from(UNCREDENTIALED_PRESENTER_EVENTS_PER_YEAR).unwrap_or(i32::MAX);
    let exists = py::table
        .filter(py::presenter_key.eq(presenter_key).and(py::year.eq(year)))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if !exists {
        // In a savepoint: a concurrent first insert leaves this transaction
        // usable, and the row is there either way.
        let inserted = conn.transaction(|conn| {
            diesel::insert_into(py::table)
                .values((
                    py::presenter_key.eq(presenter_key),
                    py::year.eq(year),
                    py::applications.eq(0),
                ))
                .execute(conn)
                .map_err(PersistenceError::from)
        });
        match inserted {
            Ok(_) | Err(PersistenceError::Conflict { .. }) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(diesel::update(
        py::table.filter(
            py::presenter_key
                .eq(presenter_key)
                .and(py::year.eq(year))
                .and(py::applications.lt(limit)),
        ),
    )
    .set(py::applications.eq(py::applications + 1))
    .execute(conn)?
        == 1)
}

/// Which applications the queue lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// Received and complete: the clock runs; ordered by decision due.
    AwaitingDecision,
    /// Information was asked for; ordered by receipt.
    AwaitingInformation,
    /// A review of the denial was requested and awaits its written order;
    /// ordered by the day the order is due.
    AwaitingReviewOrder,
}

/// A page of the queue after `(date, id)`: for awaiting decision the due
/// date, earliest first (only those due before `overdue_on` if given); for
/// awaiting information the day of receipt.
pub fn queue(
    conn: &mut DbConnection,
    which: Queue,
    overdue_on: Option<NaiveDate>,
    after: Option<&(NaiveDate, String)>,
    limit: i64,
) -> Result<Vec<Preapproval>, PersistenceError> {
    let mut query = p::table
        .inner_join(s::table)
        .select((Row::as_select(), s::name))
        .into_boxed();
    match which {
        Queue::AwaitingDecision => {
            query = query
                .filter(p::status.eq(PreapprovalStatus::Submitted.as_str()))
                .filter(p::decision_due_on.is_not_null())
                .order((p::decision_due_on, p::id));
            if let Some(today) = overdue_on {
                query = query.filter(p::decision_due_on.lt(today));
            }
            if let Some((due, id)) = after {
                query = query.filter(
                    p::decision_due_on
                        .gt(*due)
                        .or(p::decision_due_on.eq(*due).and(p::id.gt(id.clone()))),
                );
            }
        }
        Queue::AwaitingReviewOrder => {
            query = query
                .filter(p::review_order_due_on.is_not_null())
                .filter(p::review_decided_at.is_null())
                .order((p::review_order_due_on, p::id));
            if let Some(today) = overdue_on {
                query = query.filter(p::review_order_due_on.lt(today));
            }
            if let Some((due, id)) = after {
                query = query.filter(
                    p::review_order_due_on
                        .gt(*due)
                        .or(p::review_order_due_on.eq(*due).and(p::id.gt(id.clone()))),
                );
            }
        }
        Queue::AwaitingInformation => {
            query = query
                .filter(p::status.eq(PreapprovalStatus::InformationRequested.as_str()))
                .filter(p::received_on.is_not_null())
                .order((p::received_on, p::id));
            if let Some((received, id)) = after {
                query = query.filter(
                    p::received_on
                        .gt(*received)
                        .or(p::received_on.eq(*received).and(p::id.gt(id.clone()))),
                );
            }
        }
    }
    let rows = query.limit(limit).load::<(Row, String)>(conn)?;
    load_all(conn, rows)
}

/// Every received application whose clock the holidays move.
pub fn awaiting_decision(conn: &mut DbConnection) -> Result<Vec<Preapproval>, PersistenceError> {
    let rows = p::table
        .inner_join(s::table)
        .filter(p::status.eq(PreapprovalStatus::Submitted.as_str()))
        .select((Row::as_select(), s::name))
        .load::<(Row, String)>(conn)?;
    load_all(conn, rows)
}

/// The public list's search (Sec. 17(3)).
#[derive(Debug, Clone, Default)]
pub struct ApprovedSearch {
    /// Words the title contains, folded.
    pub title: Option<String>,
    pub topic: Option<Topic>,
    pub online: Option<bool>,
    /// Words the sponsor's name contains, folded.
    pub sponsor: Option<String>,
    /// Events starting on or after / on or before.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

fn like_contains(folded: &str) -> String {
    let escaped = folded
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = p)]
struct ListedRow {
    id: String,
    kind: String,
    plan: String,
    decided_on: Option<NaiveDate>,
    approval_expires_on: Option<NaiveDate>,
    review_decided_at: Option<NaiveDateTime>,
}

/// Approved applications listed on `today` (Sec. 16(7), 17(3)), by start
/// then id, after `(starts_on, id)`: one query, the event and the sponsor's
/// name only (the public list shows no person).
pub fn listed(
    conn: &mut DbConnection,
    search: &ApprovedSearch,
    today: NaiveDate,
    after: Option<&(NaiveDate, String)>,
    limit: i64,
) -> Result<Vec<ApprovedTraining>, PersistenceError> {
    let mut query = p::table
        .inner_join(s::table)
        .filter(p::status.eq(PreapprovalStatus::Approved.as_str()))
        .filter(
            p::approval_expires_on
                .gt(today)
                .or(p::approval_expires_on.is_null().and(p::ends_on.ge(today))),
        )
        .select((ListedRow::as_select(), s::name))
        .order((p::starts_on, p::id))
        .into_boxed();
    if let Some(title) = &search.title {
        query = query.filter(p::title_key.like(like_contains(title)).escape('\\'));
    }
    if let Some(sponsor) = &search.sponsor {
        query = query.filter(s::name_key.like(like_contains(sponsor)).escape('\\'));
    }
    if let Some(topic) = search.topic {
        query = query.filter(p::topics.like(format!("%,{},%", topic.as_str())));
    }
    if let Some(online) = search.online {
        query = query.filter(p::online.eq(online));
    }
    if let Some(from) = search.from {
        query = query.filter(p::starts_on.ge(from));
    }
    if let Some(to) = search.to {
        query = query.filter(p::starts_on.le(to));
    }
    if let Some((starts_on, id)) = after {
        query = query.filter(
            p::starts_on
                .gt(*starts_on)
                .or(p::starts_on.eq(*starts_on).and(p::id.gt(id.clone()))),
        );
    }
    let rows = query.limit(limit).load::<(ListedRow, String)>(conn)?;
    rows.into_iter()
        .map(|(row, sponsor_name)| {
            let kind = EventKind::parse(&row.kind).map_err(|_| corrupt(&row.id, "kind"))?;
            let plan = stored::event_plan::read(&row.plan)
                .map_err(|e| corrupt(&row.id, format_args!("event: {e}")))?;
            // An approval overturning a denial dates from the written order.
            let approved_on = row
                .review_decided_at
                .map(|at| at.date())
                .or(row.decided_on)
                .ok_or_else(|| corrupt(&row.id, "approval date"))?;
            Ok(ApprovedTraining {
                id: row.id,
                kind,
                plan,
                sponsor_name,
                approved_on,
                expires_on: row.approval_expires_on,
            })
        })
        .collect()
}

// ---- the sponsor's records (Sec. 17(1)) -------------------------------------

/// A trainee as the sponsor enters them, matched or not to a person.
pub struct NewTrainee<'a> {
    pub person_id: Option<&'a str>,
    pub trainee: &'a Trainee,
}

/// Appends rows to the approved event's roster, numbered after those
/// already entered (the caller holds the sponsor's lock).
pub fn insert_attendance(
    conn: &mut DbConnection,
    preapproval: &Preapproval,
    rows: &[NewTrainee<'_>],
    entered_by: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    let last: Option<i32> = pa::table
        .filter(pa::preapproval_id.eq(&preapproval.id))
        .select(diesel::dsl::max(pa::line))
        .first(conn)?;
    let minutes = i32::try_from(preapproval.plan.length.minutes()).unwrap_or(i32::MAX);
    for (offset, row) in rows.iter().enumerate() {
        let line = last.unwrap_or(0) + i32::try_from(offset + 1).unwrap_or(i32::MAX);
        diesel::insert_into(pa::table)
            .values((
                pa::id.eq(super::new_id()),
                pa::preapproval_id.eq(&preapproval.id),
                pa::line.eq(line),
                pa::person_id.eq(row.person_id),
                pa::first_name.eq(&row.trainee.first_name),
                pa::last_name.eq(&row.trainee.last_name),
                pa::date_of_birth.eq(row.trainee.date_of_birth),
                pa::employer_name.eq(&row.trainee.employer.name),
                pa::employer_is_presenters_centre.eq(row.trainee.employer.works_at_trainers_centre),
                pa::employer_head_start.eq(row.trainee.employer.head_start_program),
                pa::disciplinary_directive.eq(row.trainee.disciplinary_directive.as_deref()),
                pa::clock_minutes.eq(minutes),
                pa::entered_by.eq(entered_by),
                pa::entered_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = pa)]
struct AttendanceRow {
    id: String,
    preapproval_id: String,
    line: i32,
    person_id: Option<String>,
    first_name: String,
    last_name: String,
    date_of_birth: NaiveDate,
    employer_name: String,
    employer_is_presenters_centre: bool,
    employer_head_start: bool,
    disciplinary_directive: Option<String>,
    clock_minutes: i32,
    entered_at: NaiveDateTime,
}

/// The event's roster, in its order, each row with the account of the
/// person it matched, if they have one.
pub fn attendance(
    conn: &mut DbConnection,
    id: &str,
) -> Result<Vec<AttendanceRecord>, PersistenceError> {
    let rows: Vec<(AttendanceRow, Option<String>)> = pa::table
        .left_join(accounts::table.on(accounts::person_id.eq(pa::person_id)))
        .filter(pa::preapproval_id.eq(id))
        .order(pa::line.asc())
        .select((AttendanceRow::as_select(), accounts::id.nullable()))
        .load(conn)?;
    rows.into_iter()
        .map(|(row, account_id)| {
            Ok(AttendanceRecord {
                matched: match row.person_id {
                    Some(person_id) => TraineeMatch::OnRecord {
                        person_id,
                        account_id,
                    },
                    None => TraineeMatch::NewParticipant,
                },
                line: u32::try_from(row.line).map_err(|_| corrupt(&row.preapproval_id, "line"))?,
                clock_hours: ClockHours::from_minutes(
                    u32::try_from(row.clock_minutes)
                        .map_err(|_| corrupt(&row.preapproval_id, "clock hours"))?,
                ),
                trainee: Trainee {
                    first_name: row.first_name,
                    last_name: row.last_name,
                    date_of_birth: row.date_of_birth,
                    employer: EmployerAtTraining {
                        name: row.employer_name,
                        works_at_trainers_centre: row.employer_is_presenters_centre,
                        head_start_program: row.employer_head_start,
                    },
                    disciplinary_directive: row.disciplinary_directive,
                },
                id: row.id,
                event_id: row.preapproval_id,
                entered_at: row.entered_at,
                late: false,
            })
        })
        .collect()
}
