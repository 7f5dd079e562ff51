//! Identities at OpenID providers, linked to accounts by (issuer, subject).

use crate::schema::external_identities as x;
use crate::{DbConnection, PersistenceError};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// An identity at a provider, as linked to an account.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ExternalIdentity {
    pub id: String,
    pub account_id: String,
    pub provider: String,
    pub issuer: String,
    pub subject: String,
    pub linked_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = x)]
struct NewIdentityRow<'a> {
    id: String,
    account_id: &'a str,
    provider: &'a str,
    issuer: &'a str,
    subject: &'a str,
    linked_at: NaiveDateTime,
}

const COLUMNS: (
    x::id,
    x::account_id,
    x::provider,
    x::issuer,
    x::subject,
    x::linked_at,
) = (
    x::id,
    x::account_id,
    x::provider,
    x::issuer,
    x::subject,
    x::linked_at,
);

/// The account an identity signs in to, if it is linked.
pub fn find(
    conn: &mut DbConnection,
    issuer: &str,
    subject: &str,
) -> Result<Option<ExternalIdentity>, PersistenceError> {
    Ok(x::table
        .filter(x::issuer.eq(issuer))
        .filter(x::subject.eq(subject))
        .select(COLUMNS)
        .first(conn)
        .optional()?)
}

/// Links an identity. The unique constraints refuse an identity linked to
/// another account (`Conflict { what: "identity" }`) and a second identity
/// of one provider on an account (`Conflict { what: "identity_provider" }`),
/// even when two requests race.
pub fn link(
    conn: &mut DbConnection,
    account_id: &str,
    provider: &str,
    issuer: &str,
    subject: &str,
    now: NaiveDateTime,
) -> Result<ExternalIdentity, PersistenceError> {
    let id = super::new_id();
    diesel::insert_into(x::table)
        .values(&NewIdentityRow {
            id: id.clone(),
            account_id,
            provider,
            issuer,
            subject,
            linked_at: now,
        })
        .execute(conn)?;
    Ok(ExternalIdentity {
        id,
        account_id: account_id.to_owned(),
        provider: provider.to_owned(),
        issuer: issuer.to_owned(),
        subject: subject.to_owned(),
        linked_at: now,
    })
}

/// The account's identities, oldest link first.
pub fn list_for_account(
    conn: &mut DbConnection,
    account_id: &str,
) -> Result<Vec<ExternalIdentity>, PersistenceError> {
    Ok(x::table
        .filter(x::account_id.eq(account_id))
        .order((x::linked_at.asc(), x::id.asc()))
        .select(COLUMNS)
        .load(conn)?)
}

/// Unlinks the account's identity at `provider`; the one removed, if any.
pub fn unlink(
    conn: &mut DbConnection,
    account_id: &str,
    provider: &str,
) -> Result<Option<ExternalIdentity>, PersistenceError> {
    let target = x::table
        .filter(x::account_id.eq(account_id))
        .filter(x::provider.eq(provider));
    let found: Option<ExternalIdentity> = target.select(COLUMNS).first(conn).optional()?;
    let Some(found) = found else {
        return Ok(None);
    };
    let removed = diesel::delete(target.filter(x::id.eq(&found.id))).execute(conn)?;
    Ok((removed == 1).then_some(found))
}
