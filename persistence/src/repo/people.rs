//! People on record, with or without an account.

use crate::schema::{accounts, people};
use crate::{DbConnection, PersistenceError};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use kecs_domain::account::{PersonName, PersonOnRecord};

/// A person to record. The SSN arrives already encrypted and hashed: this
/// layer never sees it in clear.
pub struct NewPerson<'a> {
    pub first_name: &'a PersonName,
    pub middle_name: Option<&'a PersonName>,
    pub last_name: &'a PersonName,
    pub date_of_birth: NaiveDate,
    pub ssn_ciphertext: Vec<u8>,
    pub ssn_hash: String,
    pub ssn_last4_hash: String,
}

/// A person row to insert (the bulk loader inserts many at once, so `None`
/// is written as NULL: SQLite's multi-row inserts take no DEFAULT).
#[derive(Insertable)]
#[diesel(table_name = people, treat_none_as_default_value = false)]
pub(crate) struct NewPersonRow<'a> {
    pub(crate) id: String,
    pub(crate) first_name: &'a str,
    pub(crate) middle_name: Option<&'a str>,
    pub(crate) last_name: &'a str,
    pub(crate) first_name_key: String,
    pub(crate) last_name_key: String,
    pub(crate) date_of_birth: NaiveDate,
    pub(crate) ssn_ciphertext: &'a [u8],
    pub(crate) ssn_hash: &'a str,
    pub(crate) ssn_last4_hash: &'a str,
    pub(crate) created_at: NaiveDateTime,
}

impl NewPersonRow<'_> {
    pub(crate) const COLUMNS: usize = 11;
}

type PersonColumns = (
    people::id,
    people::first_name,
    people::middle_name,
    people::last_name,
    people::date_of_birth,
);

const PERSON_COLUMNS: PersonColumns = (
    people::id,
    people::first_name,
    people::middle_name,
    people::last_name,
    people::date_of_birth,
);

type PersonTuple = (String, String, Option<String>, String, NaiveDate);

fn on_record(
    (id, first_name, middle_name, last_name, date_of_birth): PersonTuple,
    claimed: bool,
) -> PersonOnRecord {
    PersonOnRecord {
        id,
        first_name,
        middle_name,
        last_name,
        date_of_birth,
        claimed,
    }
}

pub fn insert(
    conn: &mut DbConnection,
    person: &NewPerson<'_>,
    now: NaiveDateTime,
) -> Result<PersonOnRecord, PersistenceError> {
    let id = super::new_id();
    diesel::insert_into(people::table)
        .values(&NewPersonRow {
            id: id.clone(),
            first_name: person.first_name.as_str(),
            middle_name: person.middle_name.map(PersonName::as_str),
            last_name: person.last_name.as_str(),
            first_name_key: person.first_name.key(),
            last_name_key: person.last_name.key(),
            date_of_birth: person.date_of_birth,
            ssn_ciphertext: &person.ssn_ciphertext,
            ssn_hash: &person.ssn_hash,
            ssn_last4_hash: &person.ssn_last4_hash,
            created_at: now,
        })
        .execute(conn)?;
    Ok(PersonOnRecord {
        id,
        first_name: person.first_name.as_str().to_owned(),
        middle_name: person.middle_name.map(|n| n.as_str().to_owned()),
        last_name: person.last_name.as_str().to_owned(),
        date_of_birth: person.date_of_birth,
        claimed: false,
    })
}

/// Account search: a record matches only on all four of first name, last
/// name, date of birth and the keyed hash of the SSN's last four digits.
pub fn search(
    conn: &mut DbConnection,
    first_name_key: &str,
    last_name_key: &str,
    date_of_birth: NaiveDate,
    ssn_last4_hash: &str,
) -> Result<Vec<PersonOnRecord>, PersistenceError> {
    let rows: Vec<(PersonTuple, Option<String>)> = people::table
        .left_join(accounts::table)
        .filter(people::last_name_key.eq(last_name_key))
        .filter(people::date_of_birth.eq(date_of_birth))
        .filter(people::first_name_key.eq(first_name_key))
        .filter(people::ssn_last4_hash.eq(ssn_last4_hash))
        .order(people::created_at.asc())
        .limit(20)
        .select((PERSON_COLUMNS, accounts::id.nullable()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(person, account)| on_record(person, account.is_some()))
        .collect())
}

/// The person holding this SSN, if any (the keyed hash of all nine digits).
pub fn find_by_ssn_hash(
    conn: &mut DbConnection,
    ssn_hash: &str,
) -> Result<Option<PersonOnRecord>, PersistenceError> {
    let row: Option<(PersonTuple, Option<String>)> = people::table
        .left_join(accounts::table)
        .filter(people::ssn_hash.eq(ssn_hash))
        .select((PERSON_COLUMNS, accounts::id.nullable()))
        .first(conn)
        .optional()?;
    Ok(row.map(|(person, account)| on_record(person, account.is_some())))
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<PersonOnRecord, PersistenceError> {
    let (person, account): (PersonTuple, Option<String>) = people::table
        .left_join(accounts::table)
        .filter(people::id.eq(id))
        .select((PERSON_COLUMNS, accounts::id.nullable()))
        .first(conn)?;
    Ok(on_record(person, account.is_some()))
}
