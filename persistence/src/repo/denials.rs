//! Denials and the applicant's requests for their review.

use crate::schema::denials as t;
use crate::stored;
use crate::{DbConnection, PersistenceError};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use kecs_domain::application::{Denial, DenialReason, ReviewDecision};

#[derive(Insertable)]
#[diesel(table_name = t)]
struct NewDenialRow<'a> {
    application_id: &'a str,
    reasons: String,
    denied_by: &'a str,
    denied_on: NaiveDate,
    created_at: NaiveDateTime,
}

pub fn insert(
    conn: &mut DbConnection,
    application_id: &str,
    reasons: &[DenialReason],
    denied_by: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    let reasons = stored::denial_reasons::write(reasons)
        .map_err(|e| super::applications::unwritable("the reasons of a denial", e))?;
    diesel::insert_into(t::table)
        .values(&NewDenialRow {
            application_id,
            reasons,
            denied_by,
            denied_on: now.date(),
            created_at: now,
        })
        .execute(conn)?;
    Ok(())
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = t)]
struct Row {
    application_id: String,
    reasons: String,
    denied_on: NaiveDate,
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

/// The denial of application `id` holds a value that does not read back.
fn unreadable(id: &str, what: impl std::fmt::Display) -> PersistenceError {
    PersistenceError::Unavailable(format!("the denial of application {id} has {what}"))
}

impl Row {
    fn into_domain(self) -> Result<Denial, PersistenceError> {
        let reasons = stored::denial_reasons::read(&self.reasons).map_err(|e| {
            unreadable(
                &self.application_id,
                format_args!("unreadable reasons: {e}"),
            )
        })?;
        let review_decision =
            match self.review_decision.as_deref() {
                Some(raw) => Some(ReviewDecision::parse(raw).ok_or_else(|| {
                    unreadable(&self.application_id, "an unknown review decision")
                })?),
                None => None,
            };
        Ok(Denial {
            application_id: self.application_id,
            reasons,
            denied_on: self.denied_on,
            review_requested_at: self.review_requested_at,
            review_statement: self.review_statement,
            review_due_on: self.review_due_on,
            review_extended_on: self.review_extended_on,
            review_extension_reason: self.review_extension_reason,
            review_extended_until: self.review_extended_until,
            review_decision,
            review_order: self.review_order,
            review_decided_at: self.review_decided_at,
        })
    }
}

pub fn get(conn: &mut DbConnection, application_id: &str) -> Result<Denial, PersistenceError> {
    t::table
        .filter(t::application_id.eq(application_id))
        .select(Row::as_select())
        .first(conn)?
        .into_domain()
}

/// The denial of an application, if it was ever denied.
pub fn find(
    conn: &mut DbConnection,
    application_id: &str,
) -> Result<Option<Denial>, PersistenceError> {
    t::table
        .filter(t::application_id.eq(application_id))
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .map(Row::into_domain)
        .transpose()
}

/// Requested reviews not yet decided, the earliest due first; with
/// `overdue_on`, only those whose order is past due on that day.
/// Open reviews, the earliest due first, from after `after` (the due date
/// and application id of the last one of the previous page).
pub fn open_reviews(
    conn: &mut DbConnection,
    overdue_on: Option<NaiveDate>,
    after: Option<(NaiveDate, String)>,
    limit: i64,
) -> Result<Vec<Denial>, PersistenceError> {
    let mut query = t::table
        .filter(t::review_requested_at.is_not_null())
        .filter(t::review_decided_at.is_null())
        .into_boxed();
    if let Some(today) = overdue_on {
        // Past the 30 days with no extension, or past the extension's date.
        query = query.filter(
            t::review_extended_until
                .is_null()
                .and(t::review_due_on.lt(today))
                .or(t::review_extended_until.lt(today)),
        );
    }
    if let Some((due_on, id)) = after {
        query = query.filter(
            t::review_due_on
                .gt(due_on)
                .or(t::review_due_on.eq(due_on).and(t::application_id.gt(id))),
        );
    }
    query
        .order((t::review_due_on.asc(), t::application_id.asc()))
        .limit(limit)
        .select(Row::as_select())
        .load(conn)?
        .into_iter()
        .map(Row::into_domain)
        .collect()
}

/// Records an extension of the review (Sec. 14(3)(c)1–2); `false` when the
/// review is not open.
pub fn extend_review(
    conn: &mut DbConnection,
    application_id: &str,
    reason: &str,
    until: NaiveDate,
    today: NaiveDate,
) -> Result<bool, PersistenceError> {
    let updated = diesel::update(
        t::table
            .filter(t::application_id.eq(application_id))
            .filter(t::review_requested_at.is_not_null())
            .filter(t::review_decided_at.is_null()),
    )
    .set((
        t::review_extended_on.eq(today),
        t::review_extension_reason.eq(reason),
        t::review_extended_until.eq(until),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Records the written order; `false` when the review is not open.
pub fn decide_review(
    conn: &mut DbConnection,
    application_id: &str,
    decision: ReviewDecision,
    order: &str,
    decided_by: &str,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let updated = diesel::update(
        t::table
            .filter(t::application_id.eq(application_id))
            .filter(t::review_requested_at.is_not_null())
            .filter(t::review_decided_at.is_null()),
    )
    .set((
        t::review_decision.eq(decision.as_str()),
        t::review_order.eq(order),
        t::review_decided_by.eq(decided_by),
        t::review_decided_at.eq(now),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Records the request for review; `false` when one was recorded already.
pub fn request_review(
    conn: &mut DbConnection,
    application_id: &str,
    statement: &str,
    due_on: NaiveDate,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let updated = diesel::update(
        t::table
            .filter(t::application_id.eq(application_id))
            .filter(t::review_requested_at.is_null()),
    )
    .set((
        t::review_requested_at.eq(now),
        t::review_statement.eq(statement),
        t::review_due_on.eq(due_on),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}
