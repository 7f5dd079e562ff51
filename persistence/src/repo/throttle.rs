//! Sliding-window counters shared by every API node (sign-in failures per
//! account and per address, account searches per address).

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

pub fn record(
    conn: &mut DbConnection,
    bucket: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::insert_into(t::table)
        .values(&NewThrottleEventRow {
            id: super::new_id(),
            bucket,
            occurred_at: now,
        })
        .execute(conn)?;
    Ok(())
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

pub fn clear(conn: &mut DbConnection, bucket: &str) -> Result<(), PersistenceError> {
    diesel::delete(t::table.filter(t::bucket.eq(bucket))).execute(conn)?;
    Ok(())
}

/// Forgets events older than any window looks at.
pub fn prune(conn: &mut DbConnection, before: NaiveDateTime) -> Result<usize, PersistenceError> {
    Ok(diesel::delete(t::table.filter(t::occurred_at.lt(before))).execute(conn)?)
}
