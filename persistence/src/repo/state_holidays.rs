//! Kentucky state holidays, which the cabinet's working days skip
//! (Sec. 16(2)); an admin keeps them per year.

use crate::schema::state_holidays as h;
use crate::{DbConnection, PersistenceError};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateHoliday {
    pub day: NaiveDate,
    pub name: String,
}

#[derive(Insertable)]
#[diesel(table_name = h)]
struct NewRow<'a> {
    day: NaiveDate,
    name: &'a str,
    recorded_by: &'a str,
    created_at: NaiveDateTime,
}

/// Records a holiday; `Conflict { what: "holiday" }` when the day is one.
pub fn insert(
    conn: &mut DbConnection,
    day: NaiveDate,
    name: &str,
    recorded_by: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::insert_into(h::table)
        .values(&NewRow {
            day,
            name,
            recorded_by,
            created_at: now,
        })
        .execute(conn)?;
    Ok(())
}

/// Whether a holiday was removed.
pub fn delete(conn: &mut DbConnection, day: NaiveDate) -> Result<bool, PersistenceError> {
    Ok(diesel::delete(h::table.filter(h::day.eq(day))).execute(conn)? == 1)
}

/// The holidays from `from` through `to`, in order.
pub fn between(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<StateHoliday>, PersistenceError> {
    Ok(h::table
        .filter(h::day.ge(from).and(h::day.le(to)))
        .order(h::day)
        .select((h::day, h::name))
        .load::<(NaiveDate, String)>(conn)?
        .into_iter()
        .map(|(day, name)| StateHoliday { day, name })
        .collect())
}
