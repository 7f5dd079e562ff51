//! Sign-ins started at an OpenID provider and not yet come back: one row
//! each, used up exactly once, so any node can take the callback and a
//! replayed one fails on all of them.

use crate::schema::oidc_pending as p;
use crate::{DbConnection, PersistenceError};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// What the sign-in was started for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PendingPurpose {
    SignIn,
    /// Linking an identity to this signed-in account.
    Link {
        account_id: String,
    },
}

/// A pending sign-in, as its callback needs it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub provider: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub purpose: PendingPurpose,
    pub return_to: Option<String>,
    pub expires_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = p)]
struct NewPendingRow<'a> {
    state_hash: &'a str,
    provider: &'a str,
    nonce: &'a str,
    pkce_verifier: &'a str,
    purpose: &'a str,
    account_id: Option<&'a str>,
    return_to: Option<&'a str>,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
}

type Row = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    NaiveDateTime,
);

/// Records a pending sign-in under the SHA-256 of its `state`.
pub fn insert(
    conn: &mut DbConnection,
    state_hash: &str,
    pending: &Pending,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    let (purpose, account_id) = match &pending.purpose {
        PendingPurpose::SignIn => ("sign_in", None),
        PendingPurpose::Link { account_id } => ("link", Some(account_id.as_str())),
    };
    diesel::insert_into(p::table)
        .values(&NewPendingRow {
            state_hash,
            provider: &pending.provider,
            nonce: &pending.nonce,
            pkce_verifier: &pending.pkce_verifier,
            purpose,
            account_id,
            return_to: pending.return_to.as_deref(),
            created_at: now,
            expires_at: pending.expires_at,
        })
        .execute(conn)?;
    Ok(())
}

/// Uses up the pending sign-in of `state_hash` at `provider`: returns it
/// when it exists, is not expired and was not used before. The update is
/// conditional on `consumed_at IS NULL`, so of two callbacks racing with
/// the same state exactly one gets it, whichever nodes they reach.
pub fn consume(
    conn: &mut DbConnection,
    state_hash: &str,
    provider: &str,
    now: NaiveDateTime,
) -> Result<Option<Pending>, PersistenceError> {
    let live = p::table
        .filter(p::state_hash.eq(state_hash))
        .filter(p::provider.eq(provider))
        .filter(p::consumed_at.is_null())
        .filter(p::expires_at.gt(now));
    let row: Option<Row> = live
        .select((
            p::nonce,
            p::pkce_verifier,
            p::purpose,
            p::provider,
            p::account_id,
            p::return_to,
            p::expires_at,
        ))
        .first(conn)
        .optional()?;
    let Some((nonce, pkce_verifier, purpose, provider, account_id, return_to, expires_at)) = row
    else {
        return Ok(None);
    };
    if diesel::update(live)
        .set(p::consumed_at.eq(now))
        .execute(conn)?
        != 1
    {
        return Ok(None);
    }
    let purpose = match (purpose.as_str(), account_id) {
        ("link", Some(account_id)) => PendingPurpose::Link { account_id },
        _ => PendingPurpose::SignIn,
    };
    Ok(Some(Pending {
        provider,
        nonce,
        pkce_verifier,
        purpose,
        return_to,
        expires_at,
    }))
}

/// Removes pending sign-ins that ended before `before` (used or not).
pub fn prune(conn: &mut DbConnection, before: NaiveDateTime) -> Result<usize, PersistenceError> {
    Ok(diesel::delete(p::table.filter(p::expires_at.lt(before))).execute(conn)?)
}
