//! Single-use links for a third party to submit one element.

use crate::schema::element_invitations as t;
use crate::{DbConnection, PersistenceError};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kecs_domain::application::{ElementKey, Invitation};

type Row = (
    String,
    String,
    String,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

const COLUMNS: (
    t::id,
    t::application_id,
    t::element_key,
    t::name,
    t::email,
    t::expires_at,
    t::used_at,
    t::revoked_at,
) = (
    t::id,
    t::application_id,
    t::element_key,
    t::name,
    t::email,
    t::expires_at,
    t::used_at,
    t::revoked_at,
);

fn from_row(
    (id, application_id, key, name, email, expires_at, used_at, revoked_at): Row,
) -> Result<Invitation, PersistenceError> {
    Ok(Invitation {
        element_key: ElementKey::parse(&key).ok_or_else(|| {
            PersistenceError::Unavailable(format!("invitation {id} has an unknown element"))
        })?,
        id,
        application_id,
        name,
        email,
        expires_at,
        used_at,
        revoked_at,
    })
}

pub struct NewInvitation<'a> {
    pub application_id: &'a str,
    pub element_key: ElementKey,
    pub name: &'a str,
    pub email: &'a str,
    pub token_hash: &'a str,
    pub expires_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = t)]
struct NewInvitationRow<'a> {
    id: String,
    application_id: &'a str,
    element_key: &'a str,
    name: &'a str,
    email: &'a str,
    token_hash: &'a str,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
}

/// Records an invitation and revokes the element's earlier live ones: only
/// the newest link works.
pub fn issue(
    conn: &mut DbConnection,
    new: &NewInvitation<'_>,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::update(
        t::table
            .filter(t::application_id.eq(new.application_id))
            .filter(t::element_key.eq(new.element_key.as_str()))
            .filter(t::used_at.is_null())
            .filter(t::revoked_at.is_null()),
    )
    .set(t::revoked_at.eq(now))
    .execute(conn)?;
    diesel::insert_into(t::table)
        .values(&NewInvitationRow {
            id: super::new_id(),
            application_id: new.application_id,
            element_key: new.element_key.as_str(),
            name: new.name,
            email: new.email,
            token_hash: new.token_hash,
            created_at: now,
            expires_at: new.expires_at,
        })
        .execute(conn)?;
    Ok(())
}

/// The invitation of a token, used or not.
pub fn find(
    conn: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<Invitation>, PersistenceError> {
    t::table
        .filter(t::token_hash.eq(token_hash))
        .select(COLUMNS)
        .first::<Row>(conn)
        .optional()?
        .map(from_row)
        .transpose()
}

/// Uses the invitation up; `false` when it was used, revoked or expired
/// meanwhile (of two racing submissions exactly one succeeds).
pub fn consume(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let used = diesel::update(
        t::table
            .filter(t::id.eq(id))
            .filter(t::used_at.is_null())
            .filter(t::revoked_at.is_null())
            .filter(t::expires_at.gt(now)),
    )
    .set(t::used_at.eq(now))
    .execute(conn)?;
    Ok(used == 1)
}

/// Elements of an application awaiting a third party: a live invitation out.
pub fn pending_elements(
    conn: &mut DbConnection,
    application_id: &str,
    now: NaiveDateTime,
) -> Result<Vec<ElementKey>, PersistenceError> {
    let keys: Vec<String> = t::table
        .filter(t::application_id.eq(application_id))
        .filter(t::used_at.is_null())
        .filter(t::revoked_at.is_null())
        .filter(t::expires_at.gt(now))
        .select(t::element_key)
        .load(conn)?;
    Ok(keys.iter().filter_map(|k| ElementKey::parse(k)).collect())
}
