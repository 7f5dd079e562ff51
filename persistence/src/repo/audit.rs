//! The append-only audit log: every change, who made it, when, and from
//! which request. Nothing here updates or deletes.

use crate::schema::audit_events as t;
use crate::{DbConnection, PersistenceError};
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub struct AuditEntry<'a> {
    pub actor_account_id: Option<&'a str>,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: &'a str,
    pub request_id: Option<&'a str>,
    /// Never personal data beyond ids: no SSN, password or token.
    pub details: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub occurred_at: NaiveDateTime,
    pub actor_account_id: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub request_id: Option<String>,
    pub details: serde_json::Value,
}

#[derive(Insertable)]
#[diesel(table_name = t)]
struct NewAuditEventRow<'a> {
    id: String,
    occurred_at: NaiveDateTime,
    actor_account_id: Option<&'a str>,
    action: &'a str,
    subject_type: &'a str,
    subject_id: &'a str,
    request_id: Option<&'a str>,
    details: String,
}

pub fn record(
    conn: &mut DbConnection,
    entry: &AuditEntry<'_>,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::insert_into(t::table)
        .values(&NewAuditEventRow {
            id: super::new_ordered_id(),
            occurred_at: now,
            actor_account_id: entry.actor_account_id,
            action: entry.action,
            subject_type: entry.subject_type,
            subject_id: entry.subject_id,
            request_id: entry.request_id,
            details: entry.details.to_string(),
        })
        .execute(conn)?;
    Ok(())
}

/// An applicant's activity feed: what they did, and what happened to their
/// applications (a third party's submission, a decision, an expiry) and
/// credentials (renewal reminders, expiry, revocation), newest first.
pub fn feed(
    conn: &mut DbConnection,
    account_id: &str,
    application_ids: &[String],
    credential_numbers: &[String],
    limit: i64,
) -> Result<Vec<AuditEvent>, PersistenceError> {
    type Row = (
        NaiveDateTime,
        Option<String>,
        String,
        String,
        String,
        Option<String>,
        String,
    );
    let rows: Vec<Row> = t::table
        .filter(
            t::actor_account_id
                .eq(account_id)
                .or(t::subject_type
                    .eq("application")
                    .and(t::subject_id.eq_any(application_ids)))
                .or(t::subject_type
                    .eq("credential")
                    .and(t::subject_id.eq_any(credential_numbers))),
        )
        .order((t::occurred_at.desc(), t::id.desc()))
        .limit(limit)
        .select((
            t::occurred_at,
            t::actor_account_id,
            t::action,
            t::subject_type,
            t::subject_id,
            t::request_id,
            t::details,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(
                occurred_at,
                actor_account_id,
                action,
                subject_type,
                subject_id,
                request_id,
                details,
            )| AuditEvent {
                occurred_at,
                actor_account_id,
                action,
                subject_type,
                subject_id,
                request_id,
                details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
            },
        )
        .collect())
}

/// The actions recorded on one subject, oldest first (for an operator
/// tracing what happened to an application or credential).
pub fn actions_on(
    conn: &mut DbConnection,
    subject_type: &str,
    subject_id: &str,
) -> Result<Vec<String>, PersistenceError> {
    Ok(t::table
        .filter(t::subject_type.eq(subject_type))
        .filter(t::subject_id.eq(subject_id))
        .order((t::occurred_at.asc(), t::id.asc()))
        .select(t::action)
        .load(conn)?)
}

#[derive(Insertable)]
#[diesel(table_name = t, treat_none_as_default_value = false)]
struct AuditRow<'a> {
    id: String,
    occurred_at: NaiveDateTime,
    actor_account_id: Option<&'a str>,
    action: &'a str,
    subject_type: &'a str,
    subject_id: &'a str,
    request_id: Option<&'a str>,
    details: String,
}

/// Records many entries at once (a sweep's batch), in few statements.
pub fn record_many(
    conn: &mut DbConnection,
    entries: &[AuditEntry<'_>],
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    let rows: Vec<AuditRow<'_>> = entries
        .iter()
        .map(|entry| AuditRow {
            id: super::new_ordered_id(),
            occurred_at: now,
            actor_account_id: entry.actor_account_id,
            action: entry.action,
            subject_type: entry.subject_type,
            subject_id: entry.subject_id,
            request_id: entry.request_id,
            details: entry.details.to_string(),
        })
        .collect();
    insert_chunked!(conn, t::table, &rows, 8);
    Ok(())
}
