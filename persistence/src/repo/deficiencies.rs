//! The deficiencies a specialist cited when returning an application, open
//! until the resubmission that answers them.

use crate::schema::deficiencies as t;
use crate::{DbConnection, PersistenceError};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kecs_domain::application::{Deficiency, ElementKey};

#[derive(Insertable)]
#[diesel(table_name = t)]
struct NewDeficiencyRow<'a> {
    id: String,
    application_id: &'a str,
    element_key: &'a str,
    message: &'a str,
    cited_at: NaiveDateTime,
    cited_by: Option<&'a str>,
}

/// Records what each element lacks, as cited by `cited_by` at `now`.
pub fn insert(
    conn: &mut DbConnection,
    application_id: &str,
    cited: &[(ElementKey, String)],
    cited_by: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    let rows: Vec<NewDeficiencyRow<'_>> = cited
        .iter()
        .map(|(key, message)| NewDeficiencyRow {
            id: super::new_id(),
            application_id,
            element_key: key.as_str(),
            message,
            cited_at: now,
            cited_by,
        })
        .collect();
    for row in &rows {
        diesel::insert_into(t::table).values(row).execute(conn)?;
    }
    Ok(())
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = t)]
struct Row {
    id: String,
    application_id: String,
    element_key: String,
    message: String,
    cited_at: NaiveDateTime,
    cited_by: Option<String>,
    resolved_at: Option<NaiveDateTime>,
}

impl Row {
    fn into_domain(self) -> Result<Deficiency, PersistenceError> {
        let element = ElementKey::parse(&self.element_key).ok_or_else(|| {
            PersistenceError::Unavailable(format!(
                "deficiency {} of application {} has an unknown element",
                self.id, self.application_id
            ))
        })?;
        Ok(Deficiency {
            element,
            message: self.message,
            cited_at: self.cited_at,
            cited_by: self.cited_by,
            resolved_at: self.resolved_at,
        })
    }
}

/// Every deficiency of an application: the open ones first, then those of
/// earlier returns; each group newest first, in the order cited.
pub fn for_application(
    conn: &mut DbConnection,
    application_id: &str,
) -> Result<Vec<Deficiency>, PersistenceError> {
    let mut all = t::table
        .filter(t::application_id.eq(application_id))
        .order((t::cited_at.desc(), t::id.asc()))
        .select(Row::as_select())
        .load(conn)?
        .into_iter()
        .map(Row::into_domain)
        .collect::<Result<Vec<_>, _>>()?;
    // Stable: keeps the newest-first order within each group.
    all.sort_by_key(|d| !d.is_open());
    Ok(all)
}

/// Marks the open deficiencies resolved, as the resubmission is accepted.
pub fn resolve_open(
    conn: &mut DbConnection,
    application_id: &str,
    now: NaiveDateTime,
) -> Result<usize, PersistenceError> {
    Ok(diesel::update(
        t::table
            .filter(t::application_id.eq(application_id))
            .filter(t::resolved_at.is_null()),
    )
    .set(t::resolved_at.eq(now))
    .execute(conn)?)
}
