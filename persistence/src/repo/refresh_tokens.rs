//! Refresh tokens: rotated on every use, revoked by family on reuse.

use crate::schema::refresh_tokens as t;
use crate::{DbConnection, PersistenceError};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshToken {
    pub id: String,
    pub account_id: String,
    pub family_id: String,
    pub expires_at: NaiveDateTime,
    pub rotated_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = t)]
struct NewRefreshTokenRow<'a> {
    id: String,
    account_id: &'a str,
    family_id: &'a str,
    token_hash: &'a str,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
}

pub fn insert(
    conn: &mut DbConnection,
    account_id: &str,
    family_id: &str,
    token_hash: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::insert_into(t::table)
        .values(&NewRefreshTokenRow {
            id: super::new_id(),
            account_id,
            family_id,
            token_hash,
            created_at: now,
            expires_at,
        })
        .execute(conn)?;
    Ok(())
}

type RefreshTokenRow = (
    String,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

pub fn find_by_hash(
    conn: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<RefreshToken>, PersistenceError> {
    let row: Option<RefreshTokenRow> = t::table
        .filter(t::token_hash.eq(token_hash))
        .select((
            t::id,
            t::account_id,
            t::family_id,
            t::expires_at,
            t::rotated_at,
            t::revoked_at,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(
        |(id, account_id, family_id, expires_at, rotated_at, revoked_at)| RefreshToken {
            id,
            account_id,
            family_id,
            expires_at,
            rotated_at,
            revoked_at,
        },
    ))
}

/// Marks a token used. `false` when it had already been rotated or revoked:
/// of two requests racing with one token, exactly one rotates it.
pub fn rotate(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let updated = diesel::update(
        t::table
            .filter(t::id.eq(id))
            .filter(t::rotated_at.is_null())
            .filter(t::revoked_at.is_null()),
    )
    .set(t::rotated_at.eq(now))
    .execute(conn)?;
    Ok(updated == 1)
}

pub fn revoke_family(
    conn: &mut DbConnection,
    family_id: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::update(
        t::table
            .filter(t::family_id.eq(family_id))
            .filter(t::revoked_at.is_null()),
    )
    .set(t::revoked_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// Ends every session of an account (after a password reset).
pub fn revoke_all_for_account(
    conn: &mut DbConnection,
    account_id: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::update(
        t::table
            .filter(t::account_id.eq(account_id))
            .filter(t::revoked_at.is_null()),
    )
    .set(t::revoked_at.eq(now))
    .execute(conn)?;
    Ok(())
}
