//! Announcements shown on applicants' dashboards.

use crate::schema::announcements as t;
use crate::{DbConnection, PersistenceError};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = t)]
pub struct Announcement {
    pub id: String,
    pub title: String,
    pub body: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

pub struct NewAnnouncement<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub created_by: &'a str,
}

pub fn insert(
    conn: &mut DbConnection,
    new: &NewAnnouncement<'_>,
    now: NaiveDateTime,
) -> Result<Announcement, PersistenceError> {
    let id = super::new_id();
    diesel::insert_into(t::table)
        .values((
            t::id.eq(&id),
            t::title.eq(new.title),
            t::body.eq(new.body),
            t::starts_at.eq(new.starts_at),
            t::ends_at.eq(new.ends_at),
            t::created_by.eq(new.created_by),
            t::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(t::table
        .filter(t::id.eq(&id))
        .select(Announcement::as_select())
        .first(conn)?)
}

/// Those showing at `now`, newest first.
pub fn active(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> Result<Vec<Announcement>, PersistenceError> {
    Ok(t::table
        .filter(t::starts_at.le(now))
        .filter(t::ends_at.is_null().or(t::ends_at.gt(now)))
        .order((t::starts_at.desc(), t::id.desc()))
        .limit(20)
        .select(Announcement::as_select())
        .load(conn)?)
}

/// Every announcement, newest first (for admins).
pub fn all(conn: &mut DbConnection) -> Result<Vec<Announcement>, PersistenceError> {
    Ok(t::table
        .order((t::starts_at.desc(), t::id.desc()))
        .limit(200)
        .select(Announcement::as_select())
        .load(conn)?)
}

pub fn delete(conn: &mut DbConnection, id: &str) -> Result<bool, PersistenceError> {
    Ok(diesel::delete(t::table.filter(t::id.eq(id))).execute(conn)? == 1)
}
