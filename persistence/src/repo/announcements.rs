//! Announcements shown on applicants' dashboards.

use crate::schema::announcements as t;
use crate::{DbConnection, PersistenceError};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kecs_domain::announcement::Announcement;

#[derive(Queryable, Selectable)]
#[diesel(table_name = t)]
struct Row {
    id: String,
    title: String,
    body: String,
    starts_at: NaiveDateTime,
    ends_at: Option<NaiveDateTime>,
    created_by: String,
    created_at: NaiveDateTime,
}

impl From<Row> for Announcement {
    fn from(row: Row) -> Self {
        Announcement {
            id: row.id,
            title: row.title,
            body: row.body,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            created_by: row.created_by,
            created_at: row.created_at,
        }
    }
}

pub struct NewAnnouncement<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub created_by: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = t)]
struct NewAnnouncementRow<'a> {
    id: &'a str,
    title: &'a str,
    body: &'a str,
    starts_at: NaiveDateTime,
    ends_at: Option<NaiveDateTime>,
    created_by: &'a str,
    created_at: NaiveDateTime,
}

pub fn insert(
    conn: &mut DbConnection,
    new: &NewAnnouncement<'_>,
    now: NaiveDateTime,
) -> Result<Announcement, PersistenceError> {
    let id = super::new_id();
    diesel::insert_into(t::table)
        .values(&NewAnnouncementRow {
            id: &id,
            title: new.title,
            body: new.body,
            starts_at: new.starts_at,
            ends_at: new.ends_at,
            created_by: new.created_by,
            created_at: now,
        })
        .execute(conn)?;
    Ok(t::table
        .filter(t::id.eq(&id))
        .select(Row::as_select())
        .first::<Row>(conn)?
        .into())
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
        .select(Row::as_select())
        .load::<Row>(conn)?
        .into_iter()
        .map(Announcement::from)
        .collect())
}

/// Every announcement, newest first (for admins).
pub fn all(conn: &mut DbConnection) -> Result<Vec<Announcement>, PersistenceError> {
    Ok(t::table
        .order((t::starts_at.desc(), t::id.desc()))
        .limit(200)
        .select(Row::as_select())
        .load::<Row>(conn)?
        .into_iter()
        .map(Announcement::from)
        .collect())
}

pub fn delete(conn: &mut DbConnection, id: &str) -> Result<bool, PersistenceError> {
    Ok(diesel::delete(t::table.filter(t::id.eq(id))).execute(conn)? == 1)
}
