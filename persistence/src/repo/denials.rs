//! Denials and the applicant's requests for their review.

use crate::schema::denials as t;
use crate::{DbConnection, PersistenceError};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Denial {
    pub application_id: String,
    /// `[{citation, message}]`.
    pub reasons: serde_json::Value,
    pub denied_on: NaiveDate,
    pub review_requested_at: Option<NaiveDateTime>,
    pub review_due_on: Option<NaiveDate>,
}

pub fn insert(
    conn: &mut DbConnection,
    application_id: &str,
    reasons: &serde_json::Value,
    denied_by: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::insert_into(t::table)
        .values((
            t::application_id.eq(application_id),
            t::reasons.eq(reasons.to_string()),
            t::denied_by.eq(denied_by),
            t::denied_on.eq(now.date()),
            t::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConnection, application_id: &str) -> Result<Denial, PersistenceError> {
    let (application_id, reasons, denied_on, review_requested_at, review_due_on): (
        String,
        String,
        NaiveDate,
        Option<NaiveDateTime>,
        Option<NaiveDate>,
    ) = t::table
        .filter(t::application_id.eq(application_id))
        .select((
            t::application_id,
            t::reasons,
            t::denied_on,
            t::review_requested_at,
            t::review_due_on,
        ))
        .first(conn)?;
    Ok(Denial {
        application_id,
        reasons: serde_json::from_str(&reasons).unwrap_or(serde_json::Value::Null),
        denied_on,
        review_requested_at,
        review_due_on,
    })
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
