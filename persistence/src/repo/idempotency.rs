//! `Idempotency-Key`: the first request with a key is recorded before it
//! runs; a retry with the same key and body gets the first response, with
//! another body a refusal, and while the first is still running a 409.

use crate::schema::idempotency_keys as t;
use crate::{DbConnection, PersistenceError};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// A request still "in flight" after this long is taken to have died (its
/// node crashed); a retry may run it again.
pub const ABANDONED_AFTER: Duration = Duration::minutes(2);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begin {
    /// First use of the key: run the request.
    Started,
    /// The key finished before: answer this again.
    Replay { status: u16, body: String },
    /// The key was used with another request.
    Mismatch,
    /// The first request with the key is still running.
    InFlight,
}

#[derive(Insertable)]
#[diesel(table_name = t)]
struct NewIdempotencyKeyRow<'a> {
    account_id: &'a str,
    idempotency_key: &'a str,
    request_hash: &'a str,
    created_at: NaiveDateTime,
}

pub fn begin(
    conn: &mut DbConnection,
    account_id: &str,
    key: &str,
    request_hash: &str,
    now: NaiveDateTime,
) -> Result<Begin, PersistenceError> {
    let existing: Option<(String, Option<i32>, Option<String>, NaiveDateTime)> = t::table
        .filter(t::account_id.eq(account_id))
        .filter(t::idempotency_key.eq(key))
        .select((
            t::request_hash,
            t::status_code,
            t::response_body,
            t::created_at,
        ))
        .first(conn)
        .optional()?;
    match existing {
        Some((hash, _, _, _)) if hash != request_hash => Ok(Begin::Mismatch),
        Some((_, Some(status), Some(body), _)) => Ok(Begin::Replay {
            status: u16::try_from(status).unwrap_or(500),
            body,
        }),
        Some((_, _, _, created_at)) if created_at + ABANDONED_AFTER > now => Ok(Begin::InFlight),
        Some(_) => {
            // Abandoned: take it over.
            diesel::update(
                t::table
                    .filter(t::account_id.eq(account_id))
                    .filter(t::idempotency_key.eq(key)),
            )
            .set(t::created_at.eq(now))
            .execute(conn)?;
            Ok(Begin::Started)
        }
        None => {
            // A savepoint, so a lost race does not abort the caller's
            // transaction on PostgreSQL.
            conn.transaction::<_, diesel::result::Error, _>(|conn| {
                diesel::insert_into(t::table)
                    .values(&NewIdempotencyKeyRow {
                        account_id,
                        idempotency_key: key,
                        request_hash,
                        created_at: now,
                    })
                    .execute(conn)
            })
            .map_err(PersistenceError::from)
            .map(|_| Begin::Started)
            .or_else(|error| match error {
                // A concurrent first use won the insert.
                PersistenceError::Query(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                )) => Ok(Begin::InFlight),
                other => Err(other),
            })
        }
    }
}

/// Stores the response the key answers with from now on.
pub fn complete(
    conn: &mut DbConnection,
    account_id: &str,
    key: &str,
    status: u16,
    body: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::update(
        t::table
            .filter(t::account_id.eq(account_id))
            .filter(t::idempotency_key.eq(key)),
    )
    .set((
        t::status_code.eq(i32::from(status)),
        t::response_body.eq(body),
        t::completed_at.eq(now),
    ))
    .execute(conn)?;
    Ok(())
}

/// Forgets a key whose request failed in a way worth retrying (the server,
/// not the request, was at fault).
pub fn release(
    conn: &mut DbConnection,
    account_id: &str,
    key: &str,
) -> Result<(), PersistenceError> {
    diesel::delete(
        t::table
            .filter(t::account_id.eq(account_id))
            .filter(t::idempotency_key.eq(key)),
    )
    .execute(conn)?;
    Ok(())
}

/// Forgets keys older than `before` (they are kept at least 24 hours).
pub fn prune(conn: &mut DbConnection, before: NaiveDateTime) -> Result<usize, PersistenceError> {
    Ok(diesel::delete(t::table.filter(t::created_at.lt(before))).execute(conn)?)
}
