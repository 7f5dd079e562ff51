//! Stored attachment bytes that no attachment row refers to, by their
//! storage key: noted before an upload stores its bytes (settled when its
//! row is recorded) and when an attachment row is deleted (forgotten once
//! its bytes are removed). What is left noted past the grace period is an
//! orphan: the node died, or the store failed, between the two steps.

use crate::schema::attachments;
use crate::schema::unreferenced_objects as t;
use crate::{DbConnection, PersistenceError};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Notes that the bytes under `storage_key` are (or are about to be) stored
/// with no row referring to them.
pub fn note(
    conn: &mut DbConnection,
    storage_key: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::insert_into(t::table)
        .values((t::storage_key.eq(storage_key), t::since.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// An upload recording its row: true if the note was still unclaimed and is
/// now gone; false if the sweeper claimed the bytes first (and the upload
/// must not be recorded).
pub fn settle(conn: &mut DbConnection, storage_key: &str) -> Result<bool, PersistenceError> {
    Ok(diesel::delete(
        t::table
            .filter(t::storage_key.eq(storage_key))
            .filter(t::claimed_at.is_null()),
    )
    .execute(conn)?
        == 1)
}

/// Keys noted before `cutoff`, oldest first.
pub fn due(
    conn: &mut DbConnection,
    cutoff: NaiveDateTime,
    limit: i64,
) -> Result<Vec<String>, PersistenceError> {
    Ok(t::table
        .filter(t::since.lt(cutoff))
        .order(t::since.asc())
        .select(t::storage_key)
        .limit(limit)
        .load(conn)?)
}

/// Claims the key for removal (an earlier claim stands): true if it is still
/// noted, so its bytes may go; false if an upload settled it meanwhile.
pub fn claim(
    conn: &mut DbConnection,
    storage_key: &str,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let claimed_at: Option<NaiveDateTime> = t::table
        .filter(t::storage_key.eq(storage_key))
        .select(t::claimed_at)
        .first(conn)
        .optional()?
        .flatten();
    Ok(
        diesel::update(t::table.filter(t::storage_key.eq(storage_key)))
            .set(t::claimed_at.eq(claimed_at.unwrap_or(now)))
            .execute(conn)?
            == 1,
    )
}

/// Whether an attachment row refers to the key (then its bytes stay).
pub fn referenced(conn: &mut DbConnection, storage_key: &str) -> Result<bool, PersistenceError> {
    Ok(diesel::select(diesel::dsl::exists(
        attachments::table.filter(attachments::storage_key.eq(storage_key)),
    ))
    .get_result(conn)?)
}

/// Drops the note once the bytes are gone (or were never there).
pub fn forget(conn: &mut DbConnection, storage_key: &str) -> Result<(), PersistenceError> {
    diesel::delete(t::table.filter(t::storage_key.eq(storage_key))).execute(conn)?;
    Ok(())
}
