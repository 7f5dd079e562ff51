//! Single-use tokens delivered by mail. Only their hash is stored.

use crate::schema::one_time_tokens as t;
use crate::{DbConnection, PersistenceError};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    ConfirmEmail,
    ResetPassword,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::ConfirmEmail => "confirm_email",
            Purpose::ResetPassword => "reset_password",
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = t)]
struct NewOneTimeTokenRow<'a> {
    id: String,
    account_id: &'a str,
    purpose: &'a str,
    token_hash: &'a str,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
}

/// Records a new token and retires the account's earlier unused ones of the
/// same purpose: only the newest link mailed works.
pub fn issue(
    conn: &mut DbConnection,
    account_id: &str,
    purpose: Purpose,
    token_hash: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::update(
        t::table
            .filter(t::account_id.eq(account_id))
            .filter(t::purpose.eq(purpose.as_str()))
            .filter(t::used_at.is_null()),
    )
    .set(t::used_at.eq(now))
    .execute(conn)?;
    diesel::insert_into(t::table)
        .values(&NewOneTimeTokenRow {
            id: super::new_id(),
            account_id,
            purpose: purpose.as_str(),
            token_hash,
            created_at: now,
            expires_at,
        })
        .execute(conn)?;
    Ok(())
}

/// Uses a token up: returns its account when the token exists, has this
/// purpose, has not expired and was not used before. The conditional update
/// makes the use exactly-once even when two requests race.
pub fn consume(
    conn: &mut DbConnection,
    purpose: Purpose,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<Option<String>, PersistenceError> {
    let live = t::table
        .filter(t::token_hash.eq(token_hash))
        .filter(t::purpose.eq(purpose.as_str()))
        .filter(t::used_at.is_null())
        .filter(t::expires_at.gt(now));
    let account_id: Option<String> = live.select(t::account_id).first(conn).optional()?;
    let Some(account_id) = account_id else {
        return Ok(None);
    };
    let used = diesel::update(live).set(t::used_at.eq(now)).execute(conn)?;
    Ok((used == 1).then_some(account_id))
}
