//! Trainer's credentials.

use crate::schema::credentials as t;
use crate::{DbConnection, PersistenceError};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use kecs_domain::credential::{Award, credential_number};
use kecs_domain::rules::Level;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = t)]
struct Row {
    id: String,
    number: String,
    issue_year: i32,
    sequence: i32,
    account_id: String,
    application_id: String,
    level: String,
    issued_on: NaiveDate,
    expires_on: NaiveDate,
    status: String,
    renewable: bool,
    created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub id: String,
    pub number: String,
    pub account_id: String,
    pub application_id: String,
    pub level: Level,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub status: String,
    pub renewable: bool,
}

impl Row {
    fn into_domain(self) -> Result<Credential, PersistenceError> {
        Ok(Credential {
            level: Level::parse(&self.level).map_err(|_| {
                PersistenceError::Unavailable(format!(
                    "credential {} has an unknown level",
                    self.number
                ))
            })?,
            id: self.id,
            number: self.number,
            account_id: self.account_id,
            application_id: self.application_id,
            issued_on: self.issued_on,
            expires_on: self.expires_on,
            status: self.status,
            renewable: self.renewable,
        })
    }
}

/// Issues a credential with the next number of its year. Two approvals at
/// once may pick the same sequence; the unique constraint refuses the
/// second, which takes the next one (inside a savepoint, so the surrounding
/// transaction survives on PostgreSQL).
pub fn issue(
    conn: &mut DbConnection,
    account_id: &str,
    application_id: &str,
    award: &Award,
    now: NaiveDateTime,
) -> Result<Credential, PersistenceError> {
    let year = award.issued_on.year();
    for _ in 0..5 {
        let last: Option<i32> = t::table
            .filter(t::issue_year.eq(year))
            .select(diesel::dsl::max(t::sequence))
            .first(conn)?;
        let sequence = last.unwrap_or(0) + 1;
        let number = credential_number(year, u32::try_from(sequence).unwrap_or(0));
        let id = super::new_id();
        let inserted = conn.transaction::<_, DieselError, _>(|conn| {
            diesel::insert_into(t::table)
                .values((
                    t::id.eq(&id),
                    t::number.eq(&number),
                    t::issue_year.eq(year),
                    t::sequence.eq(sequence),
                    t::account_id.eq(account_id),
                    t::application_id.eq(application_id),
                    t::level.eq(award.level.as_str()),
                    t::issued_on.eq(award.issued_on),
                    t::expires_on.eq(award.expires_on),
                    t::status.eq("active"),
                    t::renewable.eq(award.renewable),
                    t::created_at.eq(now),
                ))
                .execute(conn)
        });
        match inserted {
            Ok(_) => return get_by_number(conn, &number),
            // Another approval took this number; an application approved
            // twice is a real conflict and is not retried.
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info))
                if !format!(
                    "{} {}",
                    info.constraint_name().unwrap_or(""),
                    info.message()
                )
                .contains("application") =>
            {
                continue;
            }
            Err(other) => return Err(other.into()),
        }
    }
    Err(PersistenceError::Unavailable(
        "could not allocate a credential number".to_owned(),
    ))
}

pub fn get_by_number(
    conn: &mut DbConnection,
    number: &str,
) -> Result<Credential, PersistenceError> {
    t::table
        .filter(t::number.eq(number))
        .select(Row::as_select())
        .first(conn)?
        .into_domain()
}

pub fn for_account(
    conn: &mut DbConnection,
    account_id: &str,
) -> Result<Vec<Credential>, PersistenceError> {
    t::table
        .filter(t::account_id.eq(account_id))
        .order((t::issued_on.desc(), t::id.desc()))
        .select(Row::as_select())
        .load(conn)?
        .into_iter()
        .map(Row::into_domain)
        .collect()
}
