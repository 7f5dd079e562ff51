//! Sliding-window counters shared by every API node (sign-in failures per
//! account and per address, account searches per address).
//!
//! An attempt is reserved before the work it guards ([`reserve`]): the bucket
//! is locked, its window counted and the attempt recorded in one transaction,
//! so a burst of concurrent attempts can never get past the limit.

use crate::schema::throttle_buckets as b;
use crate::schema::throttle_events as t;
use crate::{DbConnection, PersistenceError};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Insertable)]
#[diesel(table_name = t)]
struct NewThrottleEventRow<'a> {
    id: String,
    bucket: &'a str,
    occurred_at: NaiveDateTime,
}

/// Events in `bucket` since `since`, and the oldest of them (from which the
/// caller computes when the window frees up).
pub fn count_since(
    conn: &mut DbConnection,
    bucket: &str,
    since: NaiveDateTime,
) -> Result<(i64, Option<NaiveDateTime>), PersistenceError> {
    let window = t::table
        .filter(t::bucket.eq(bucket))
        .filter(t::occurred_at.gt(since));
    let count: i64 = window.count().get_result(conn)?;
    let oldest: Option<NaiveDateTime> = window
        .select(diesel::dsl::min(t::occurred_at))
        .first(conn)?;
    Ok((count, oldest))
}

/// What a reservation came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    /// Recorded under this event id (kept to release it, should the attempt
    /// turn out not to count).
    Granted(String),
    /// The bucket is at its limit; its oldest event in the window tells when
    /// it frees up.
    Full { oldest: Option<NaiveDateTime> },
}

/// Records an attempt in `bucket` unless `max` are already recorded since
/// `since`. Must run inside a transaction: the upsert of the bucket's row
/// comes first and, on PostgreSQL, holds that row's lock until commit, so
/// concurrent reservations of one bucket count one after another; SQLite
/// has a single writer (`Database::transaction`) to the same effect.
pub fn reserve(
    conn: &mut DbConnection,
    bucket: &str,
    since: NaiveDateTime,
    max: i64,
    now: NaiveDateTime,
) -> Result<Reservation, PersistenceError> {
    lock_bucket(conn, bucket, now)?;
    let (count, oldest) = count_since(conn, bucket, since)?;
    if count >= max {
        return Ok(Reservation::Full { oldest });
    }
    let id = super::new_id();
    diesel::insert_into(t::table)
        .values(&NewThrottleEventRow {
            id: id.clone(),
            bucket,
            occurred_at: now,
        })
        .execute(conn)?;
    Ok(Reservation::Granted(id))
}

/// `INSERT … ON CONFLICT (bucket) DO UPDATE`: the same statement on both
/// backends, run on the concrete connection because the `MultiConnection`
/// does not compile `ON CONFLICT`.
fn lock_bucket(
    conn: &mut DbConnection,
    bucket: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    let row = (b::bucket.eq(bucket), b::touched_at.eq(now));
    let upsert = diesel::insert_into(b::table)
        .values(row)
        .on_conflict(b::bucket)
        .do_update()
        .set(b::touched_at.eq(now));
    match conn {
        DbConnection::Postgres(pg) => upsert.execute(pg)?,
        DbConnection::Sqlite(sqlite) => upsert.execute(sqlite)?,
    };
    Ok(())
}

/// Takes back reserved attempts that did not count after all (a sign-in
/// that succeeded, work refused before it was done).
pub fn release(conn: &mut DbConnection, event_ids: &[String]) -> Result<(), PersistenceError> {
    diesel::delete(t::table.filter(t::id.eq_any(event_ids))).execute(conn)?;
    Ok(())
}

pub fn clear(conn: &mut DbConnection, bucket: &str) -> Result<(), PersistenceError> {
    diesel::delete(t::table.filter(t::bucket.eq(bucket))).execute(conn)?;
    Ok(())
}

/// Forgets events older than any window looks at, and the buckets no
/// attempt touched since.
pub fn prune(conn: &mut DbConnection, before: NaiveDateTime) -> Result<usize, PersistenceError> {
    diesel::delete(b::table.filter(b::touched_at.lt(before))).execute(conn)?;
    Ok(diesel::delete(t::table.filter(t::occurred_at.lt(before))).execute(conn)?)
}
