//! Mail to send, written in the transaction of the change it reports and
//! delivered afterwards. Safe with several API nodes: each message is leased
//! by a conditional update before it is sent.

use crate::schema::outbox as t;
use crate::{DbConnection, PersistenceError};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i32,
}

pub fn enqueue(
    conn: &mut DbConnection,
    recipient: &str,
    subject: &str,
    body: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::insert_into(t::table)
        .values(&NewMessageRow::queued(recipient, subject, body, now))
        .execute(conn)?;
    Ok(())
}

/// A message to queue.
pub struct NewMessage<'a> {
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = t)]
struct NewMessageRow<'a> {
    id: String,
    recipient: &'a str,
    subject: &'a str,
    body: &'a str,
    created_at: NaiveDateTime,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
}

impl<'a> NewMessageRow<'a> {
    const COLUMNS: usize = 7;

    /// A message due at once, not tried yet.
    fn queued(recipient: &'a str, subject: &'a str, body: &'a str, now: NaiveDateTime) -> Self {
        Self {
            id: super::new_ordered_id(),
            recipient,
            subject,
            body,
            created_at: now,
            attempts: 0,
            next_attempt_at: now,
        }
    }
}

/// Queues many messages at once (a sweep's batch), in few statements.
pub fn enqueue_many(
    conn: &mut DbConnection,
    messages: &[NewMessage<'_>],
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    let rows: Vec<NewMessageRow<'_>> = messages
        .iter()
        .map(|m| NewMessageRow::queued(m.recipient, m.subject, m.body, now))
        .collect();
    insert_chunked!(conn, t::table, &rows, NewMessageRow::COLUMNS);
    Ok(())
}

/// Leases up to `limit` due messages for `lease`; a node that dies while
/// sending leaves the message to be retried when the lease runs out.
pub fn claim_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease: Duration,
    limit: i64,
) -> Result<Vec<OutboxMessage>, PersistenceError> {
    let free = t::claimed_until.is_null().or(t::claimed_until.lt(now));
    let candidates: Vec<(String, String, String, String, i32)> = t::table
        .filter(t::sent_at.is_null())
        .filter(t::next_attempt_at.le(now))
        .filter(free)
        .order(t::next_attempt_at.asc())
        .limit(limit)
        .select((t::id, t::recipient, t::subject, t::body, t::attempts))
        .load(conn)?;
    let mut claimed = Vec::with_capacity(candidates.len());
    for (id, recipient, subject, body, attempts) in candidates {
        let won = diesel::update(
            t::table
                .filter(t::id.eq(&id))
                .filter(t::sent_at.is_null())
                .filter(free),
        )
        .set(t::claimed_until.eq(now + lease))
        .execute(conn)?;
        if won == 1 {
            claimed.push(OutboxMessage {
                id,
                recipient,
                subject,
                body,
                attempts,
            });
        }
    }
    Ok(claimed)
}

pub fn mark_sent(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::update(t::table.filter(t::id.eq(id)))
        .set((
            t::sent_at.eq(now),
            t::claimed_until.eq(None::<NaiveDateTime>),
            t::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn mark_failed(
    conn: &mut DbConnection,
    id: &str,
    error: &str,
    retry_at: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::update(t::table.filter(t::id.eq(id)))
        .set((
            t::attempts.eq(t::attempts + 1),
            t::next_attempt_at.eq(retry_at),
            t::claimed_until.eq(None::<NaiveDateTime>),
            t::last_error.eq(error),
        ))
        .execute(conn)?;
    Ok(())
}

/// How many messages wait to be sent (for metrics and tests).
pub fn pending_count(conn: &mut DbConnection) -> Result<i64, PersistenceError> {
    Ok(t::table
        .filter(t::sent_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Messages not yet sent, and when the oldest of them was queued (read at
/// every metrics scrape: both come from the partial indexes on unsent mail).
pub fn backlog(conn: &mut DbConnection) -> Result<(i64, Option<NaiveDateTime>), PersistenceError> {
    let count = pending_count(conn)?;
    let oldest = t::table
        .filter(t::sent_at.is_null())
        .select(diesel::dsl::min(t::created_at))
        .first(conn)?;
    Ok((count, oldest))
}
