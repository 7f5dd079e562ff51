//! Sponsoring organisations, their representatives and the cabinet's
//! findings of non-compliance (Sec. 16(8)–(10)).

use crate::schema::{sponsor_findings as f, sponsor_representatives as r, sponsors as s};
use crate::{DbConnection, PersistenceError};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use kecs_domain::approval::{NonComplianceFinding, Sponsor};

/// A sponsor's name folded for search: lower case, words single-spaced.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

pub struct NewSponsor<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub address: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = s)]
struct NewRow<'a> {
    id: &'a str,
    name: &'a str,
    name_key: String,
    email: &'a str,
    phone: &'a str,
    address: &'a str,
    created_by: &'a str,
    created_at: NaiveDateTime,
}

/// Registers the organisation with its first representative.
pub fn insert(
    conn: &mut DbConnection,
    new: &NewSponsor<'_>,
    representative: &str,
    now: NaiveDateTime,
) -> Result<Sponsor, PersistenceError> {
    let id = super::new_id();
    diesel::insert_into(s::table)
        .values(&NewRow {
            id: &id,
            name: new.name,
            name_key: name_key(new.name),
            email: new.email,
            phone: new.phone,
            address: new.address,
            created_by: representative,
            created_at: now,
        })
        .execute(conn)?;
    add_representative(conn, &id, representative, now)?;
    get(conn, &id)
}

/// `Conflict { what: "representative" }` when the account already is one.
pub fn add_representative(
    conn: &mut DbConnection,
    sponsor_id: &str,
    account_id: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::insert_into(r::table)
        .values((
            r::sponsor_id.eq(sponsor_id),
            r::account_id.eq(account_id),
            r::added_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn is_representative(
    conn: &mut DbConnection,
    sponsor_id: &str,
    account_id: &str,
) -> Result<bool, PersistenceError> {
    Ok(r::table
        .filter(
            r::sponsor_id
                .eq(sponsor_id)
                .and(r::account_id.eq(account_id)),
        )
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// The account ids of the sponsor's representatives, earliest first.
pub fn representatives(
    conn: &mut DbConnection,
    sponsor_id: &str,
) -> Result<Vec<String>, PersistenceError> {
    Ok(r::table
        .filter(r::sponsor_id.eq(sponsor_id))
        .order((r::added_at, r::account_id))
        .select(r::account_id)
        .load(conn)?)
}

type Row = (String, String, String, String, String, NaiveDateTime);

fn columns() -> (
    s::id,
    s::name,
    s::email,
    s::phone,
    s::address,
    s::created_at,
) {
    (
        s::id,
        s::name,
        s::email,
        s::phone,
        s::address,
        s::created_at,
    )
}

fn into_domain(conn: &mut DbConnection, row: Row) -> Result<Sponsor, PersistenceError> {
    let (id, name, email, phone, address, created_at) = row;
    let findings = f::table
        .filter(f::sponsor_id.eq(&id))
        .order((f::found_on.desc(), f::recorded_at.desc()))
        .select((f::found_on, f::finding, f::recorded_at))
        .load::<(NaiveDate, String, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(found_on, finding, recorded_at)| NonComplianceFinding {
            found_on,
            finding,
            recorded_at,
        })
        .collect();
    Ok(Sponsor {
        id,
        name,
        email,
        phone,
        address,
        findings,
        created_at,
    })
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<Sponsor, PersistenceError> {
    let row: Row = s::table
        .filter(s::id.eq(id))
        .select(columns())
        .first(conn)?;
    into_domain(conn, row)
}

/// The sponsors the account represents, by name.
pub fn represented_by(
    conn: &mut DbConnection,
    account_id: &str,
) -> Result<Vec<Sponsor>, PersistenceError> {
    let rows: Vec<Row> = s::table
        .inner_join(r::table)
        .filter(r::account_id.eq(account_id))
        .order((s::name_key, s::id))
        .select(columns())
        .load(conn)?;
    rows.into_iter().map(|row| into_domain(conn, row)).collect()
}

/// Records a finding of non-compliance with Sec. 17 (Sec. 16(10)).
pub fn record_finding(
    conn: &mut DbConnection,
    sponsor_id: &str,
    found_on: NaiveDate,
    finding: &str,
    recorded_by: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::insert_into(f::table)
        .values((
            f::id.eq(super::new_id()),
            f::sponsor_id.eq(sponsor_id),
            f::found_on.eq(found_on),
            f::finding.eq(finding),
            f::recorded_by.eq(recorded_by),
            f::recorded_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Serialises changes to one sponsor's applications (a row lock on
/// PostgreSQL; SQLite's writer is single anyway).
pub fn lock(conn: &mut DbConnection, id: &str) -> Result<(), PersistenceError> {
    let touched = diesel::update(s::table.filter(s::id.eq(id)))
        .set(s::name.eq(s::name))
        .execute(conn)?;
    if touched == 0 {
        return Err(PersistenceError::NotFound);
    }
    Ok(())
}
