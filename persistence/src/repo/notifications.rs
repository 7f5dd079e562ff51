//! An account's notifications: the audited events of chosen kinds whose
//! subject is the account, one of its applications or one of its
//! credentials, with whether the account has read each. The audit log is
//! the one record of what happened; only the read marks are kept here.

use crate::schema::{
    applications, audit_events as t, credentials, notification_reads as r, preapprovals,
    sponsor_representatives, training_agencies,
};
use crate::{DbConnection, PersistenceError};
use chrono::NaiveDateTime;
use diesel::dsl::{exists, not};
use diesel::prelude::*;

/// One audited event, as the account it concerns reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct NotificationEvent {
    pub id: String,
    pub occurred_at: NaiveDateTime,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub details: serde_json::Value,
    pub read: bool,
}

type Backend = <DbConnection as diesel::Connection>::Backend;
type Boxed<'a> = t::BoxedQuery<'a, Backend>;

/// Events of `actions` about the account, its applications or its
/// credentials, the sponsors it represents and their applications for
/// preapproval, and the training agencies it applied for. The subqueries
/// keep it one statement however many the account has.
fn concerning<'a>(account_id: &'a str, actions: &'a [&'a str]) -> Boxed<'a> {
    let owned_applications = applications::table
        .filter(applications::account_id.eq(account_id))
        .select(applications::id);
    let held_credentials = credentials::table
        .filter(credentials::account_id.eq(account_id))
        .select(credentials::number);
    let represented = || {
        sponsor_representatives::table
            .filter(sponsor_representatives::account_id.eq(account_id))
            .select(sponsor_representatives::sponsor_id)
    };
    let sponsored = preapprovals::table
        .filter(preapprovals::sponsor_id.eq_any(represented()))
        .select(preapprovals::id);
    let agencies = training_agencies::table
        .filter(training_agencies::applicant_account_id.eq(account_id))
        .select(training_agencies::id);
    t::table
        .filter(t::action.eq_any(actions))
        .filter(
            t::subject_type
                .eq("account")
                .and(t::subject_id.eq(account_id))
                .or(t::subject_type
                    .eq("application")
                    .and(t::subject_id.eq_any(owned_applications)))
                .or(t::subject_type
                    .eq("credential")
                    .and(t::subject_id.eq_any(held_credentials)))
                .or(t::subject_type
                    .eq("sponsor")
                    .and(t::subject_id.eq_any(represented())))
                .or(t::subject_type
                    .eq("preapproval")
                    .and(t::subject_id.eq_any(sponsored)))
                .or(t::subject_type
                    .eq("training_agency")
                    .and(t::subject_id.eq_any(agencies))),
        )
        .into_boxed()
}

/// The account's notifications, newest first, `limit` at a time; `before`
/// is the `(occurred_at, id)` of the last one of the previous page.
pub fn page(
    conn: &mut DbConnection,
    account_id: &str,
    actions: &[&str],
    before: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> Result<Vec<NotificationEvent>, PersistenceError> {
    let mut query = concerning(account_id, actions);
    if let Some((at, id)) = before {
        query = query.filter(
            t::occurred_at
                .lt(at)
                .or(t::occurred_at.eq(at).and(t::id.lt(id))),
        );
    }
    let rows: Vec<(String, NaiveDateTime, String, String, String, String)> = query
        .order((t::occurred_at.desc(), t::id.desc()))
        .limit(limit)
        .select((
            t::id,
            t::occurred_at,
            t::action,
            t::subject_type,
            t::subject_id,
            t::details,
        ))
        .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|row| row.0.as_str()).collect();
    let read: Vec<String> = r::table
        .filter(r::account_id.eq(account_id))
        .filter(r::audit_event_id.eq_any(&ids))
        .select(r::audit_event_id)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, occurred_at, action, subject_type, subject_id, details)| NotificationEvent {
                read: read.contains(&id),
                id,
                occurred_at,
                action,
                subject_type,
                subject_id,
                details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
            },
        )
        .collect())
}

/// How many of the account's notifications it has not read.
pub fn unread_count(
    conn: &mut DbConnection,
    account_id: &str,
    actions: &[&str],
) -> Result<i64, PersistenceError> {
    Ok(concerning(account_id, actions)
        .filter(not(exists(
            r::table
                .filter(r::account_id.eq(account_id))
                .filter(r::audit_event_id.eq(t::id)),
        )))
        .count()
        .get_result(conn)?)
}

/// Whether `id` is one of the account's notifications.
pub fn is_for(
    conn: &mut DbConnection,
    account_id: &str,
    actions: &[&str],
    id: &str,
) -> Result<bool, PersistenceError> {
    let found: i64 = concerning(account_id, actions)
        .filter(t::id.eq(id))
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

/// Marks the notifications `ids` read; already read ones keep their first
/// read time. Returns how many were newly marked.
pub fn mark_read(
    conn: &mut DbConnection,
    account_id: &str,
    ids: &[String],
    now: NaiveDateTime,
) -> Result<usize, PersistenceError> {
    let mut marked = 0;
    for id in ids {
        let mark = diesel::insert_into(r::table)
            .values((
                r::account_id.eq(account_id),
                r::audit_event_id.eq(id.as_str()),
                r::read_at.eq(now),
            ))
            .on_conflict((r::account_id, r::audit_event_id))
            .do_nothing();
        // On the concrete connection: the `MultiConnection` does not
        // compile `ON CONFLICT`.
        marked += match conn {
            DbConnection::Postgres(pg) => mark.execute(pg)?,
            DbConnection::Sqlite(sqlite) => mark.execute(sqlite)?,
        };
    }
    Ok(marked)
}

/// The ids of the account's unread notifications, oldest first.
pub fn unread_ids(
    conn: &mut DbConnection,
    account_id: &str,
    actions: &[&str],
) -> Result<Vec<String>, PersistenceError> {
    Ok(concerning(account_id, actions)
        .filter(not(exists(
            r::table
                .filter(r::account_id.eq(account_id))
                .filter(r::audit_event_id.eq(t::id)),
        )))
        .order((t::occurred_at.asc(), t::id.asc()))
        .select(t::id)
        .load(conn)?)
}
