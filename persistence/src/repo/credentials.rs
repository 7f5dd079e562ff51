//! Trainer's credentials: issue, renewal, expiry, revocation, and the public
//! register.

use crate::schema::credential_name_prefixes as p;
use crate::schema::credentials as t;
use crate::{DbConnection, PersistenceError};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{Bool, Text};
use kecs_domain::credential::{
    Award, CitedTrainingEvent, Credential, CredentialStatus, ExpiryReminder, PublicSearch,
    RevocationGround, credential_number, indexed_prefix_of, indexed_prefixes,
};
use kecs_domain::rules::Level;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = t)]
struct Row {
    id: String,
    number: String,
    account_id: String,
    application_id: String,
    level: String,
    issued_on: NaiveDate,
    expires_on: NaiveDate,
    status: String,
    renewable: bool,
    holder_name: String,
    specialty_area: Option<String>,
    renewed_on: Option<NaiveDate>,
    revoked_on: Option<NaiveDate>,
    revocation_ground: Option<String>,
    revocation_statement: Option<String>,
    hearing_requested_at: Option<NaiveDateTime>,
    hearing_statement: Option<String>,
    reminded_90_for: Option<NaiveDate>,
    reminded_30_for: Option<NaiveDate>,
}

fn corrupt(number: &str, what: &str) -> PersistenceError {
    PersistenceError::Unavailable(format!("credential {number} has an unknown {what}"))
}

impl Row {
    fn into_domain(self) -> Result<Credential, PersistenceError> {
        let level = Level::parse(&self.level).map_err(|_| corrupt(&self.number, "level"))?;
        let status =
            CredentialStatus::parse(&self.status).ok_or_else(|| corrupt(&self.number, "status"))?;
        let revocation_ground = match &self.revocation_ground {
            Some(raw) => Some(
                RevocationGround::parse(raw)
                    .ok_or_else(|| corrupt(&self.number, "revocation ground"))?,
            ),
            None => None,
        };
        Ok(Credential {
            level,
            status,
            revocation_ground,
            reminded_90: self.reminded_90_for == Some(self.expires_on),
            reminded_30: self.reminded_30_for == Some(self.expires_on),
            id: self.id,
            number: self.number,
            account_id: self.account_id,
            application_id: self.application_id,
            issued_on: self.issued_on,
            expires_on: self.expires_on,
            renewable: self.renewable,
            holder_name: self.holder_name,
            specialty_area: self.specialty_area,
            renewed_on: self.renewed_on,
            revoked_on: self.revoked_on,
            revocation_statement: self.revocation_statement,
            revocation_training_events: Vec::new(),
            hearing_requested_at: self.hearing_requested_at,
            hearing_statement: self.hearing_statement,
        })
    }
}

fn load(
    query: t::BoxedQuery<'_, <DbConnection as diesel::Connection>::Backend>,
    conn: &mut DbConnection,
) -> Result<Vec<Credential>, PersistenceError> {
    let mut credentials = query
        .select(Row::as_select())
        .load(conn)?
        .into_iter()
        .map(Row::into_domain)
        .collect::<Result<Vec<_>, _>>()?;
    // Only a revoked credential cites events; the others pay no query.
    for credential in &mut credentials {
        if credential.status == CredentialStatus::Revoked {
            credential.revocation_training_events = cited_training_events(conn, &credential.id)?;
        }
    }
    Ok(credentials)
}

/// The training events a revocation cites, in the order cited.
fn cited_training_events(
    conn: &mut DbConnection,
    credential_id: &str,
) -> Result<Vec<CitedTrainingEvent>, PersistenceError> {
    use crate::schema::revocation_training_events as r;
    use crate::schema::training_events as e;
    let rows: Vec<(String, String, NaiveDate, NaiveDate)> = r::table
        .inner_join(e::table)
        .filter(r::credential_id.eq(credential_id))
        .order(r::position.asc())
        .select((e::id, e::title, e::starts_on, e::ends_on))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, title, starts_on, ends_on)| CitedTrainingEvent {
            id,
            title,
            starts_on,
            ends_on,
        })
        .collect())
}

/// Of `event_ids`, those given under the credential: led with it, or
/// co-trained by its holder with it (Sec. 11, 12).
pub fn events_given_under(
    conn: &mut DbConnection,
    credential_id: &str,
    event_ids: &[String],
) -> Result<Vec<String>, PersistenceError> {
    use crate::schema::training_event_co_trainers as co;
    use crate::schema::training_events as e;
    let mut led: Vec<String> = e::table
        .filter(e::id.eq_any(event_ids))
        .filter(e::credential_id.eq(credential_id))
        .select(e::id)
        .load(conn)?;
    let co_trained: Vec<String> = co::table
        .filter(co::event_id.eq_any(event_ids))
        .filter(co::credential_id.eq(credential_id))
        .select(co::event_id)
        .load(conn)?;
    led.extend(co_trained);
    Ok(led)
}

/// A credential row to insert (the bulk loader inserts many at once, so
/// `None` is written as NULL: SQLite's multi-row inserts take no DEFAULT).
#[derive(Insertable)]
#[diesel(table_name = t, treat_none_as_default_value = false)]
pub(crate) struct NewCredentialRow<'a> {
    pub(crate) id: String,
    pub(crate) number: String,
    pub(crate) issue_year: i32,
    pub(crate) sequence: i32,
    pub(crate) account_id: &'a str,
    pub(crate) application_id: &'a str,
    pub(crate) level: &'a str,
    pub(crate) issued_on: NaiveDate,
    pub(crate) expires_on: NaiveDate,
    pub(crate) status: &'a str,
    pub(crate) renewable: bool,
    pub(crate) created_at: NaiveDateTime,
    pub(crate) holder_name: &'a str,
    pub(crate) first_name_key: &'a str,
    pub(crate) last_name_key: &'a str,
    pub(crate) specialty_area: Option<&'a str>,
}

impl NewCredentialRow<'_> {
    pub(crate) const COLUMNS: usize = 16;
}

/// One beginning of a holder's name, in register order (see the
/// `credential_name_prefixes` migration).
#[derive(Insertable)]
#[diesel(table_name = p)]
pub(crate) struct NewNamePrefixRow {
    pub(crate) prefix: String,
    pub(crate) last_name_key: String,
    pub(crate) number: String,
}

impl NewNamePrefixRow {
    pub(crate) const COLUMNS: usize = 3;

    /// The rows that let the public search find `row` by its name.
    pub(crate) fn of(row: &NewCredentialRow<'_>) -> Vec<Self> {
        indexed_prefixes(row.first_name_key, row.last_name_key)
            .into_iter()
            .map(|prefix| Self {
                prefix,
                last_name_key: row.last_name_key.to_owned(),
                number: row.number.clone(),
            })
            .collect()
    }
}

/// The holder as the credential records them.
pub struct Holder<'a> {
    pub display_name: &'a str,
    pub first_name_key: &'a str,
    pub last_name_key: &'a str,
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
    holder: &Holder<'_>,
    specialty_area: Option<&str>,
    now: NaiveDateTime,
) -> Result<Credential, PersistenceError> {
    let year = award.issued_on.year();
    for _ in 0..5 {
        let sequence = last_sequence(conn, year)? + 1;
        let number = credential_number(year, u32::try_from(sequence).unwrap_or(0));
        let row = NewCredentialRow {
            id: super::new_id(),
            number: number.clone(),
            issue_year: year,
            sequence,
            account_id,
            application_id,
            level: award.level.as_str(),
            issued_on: award.issued_on,
            expires_on: award.expires_on,
            status: CredentialStatus::Active.as_str(),
            renewable: award.renewable,
            created_at: now,
            holder_name: holder.display_name,
            first_name_key: holder.first_name_key,
            last_name_key: holder.last_name_key,
            specialty_area,
        };
        let prefixes = NewNamePrefixRow::of(&row);
        let inserted = conn.transaction::<_, DieselError, _>(|conn| {
            diesel::insert_into(t::table).values(&row).execute(conn)?;
            for prefix in &prefixes {
                diesel::insert_into(p::table).values(prefix).execute(conn)?;
            }
            Ok(())
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

/// The highest sequence number issued in `year` (0 before the first).
pub(crate) fn last_sequence(conn: &mut DbConnection, year: i32) -> Result<i32, PersistenceError> {
    let last: Option<i32> = t::table
        .filter(t::issue_year.eq(year))
        .select(diesel::dsl::max(t::sequence))
        .first(conn)?;
    Ok(last.unwrap_or(0))
}

pub fn get_by_number(
    conn: &mut DbConnection,
    number: &str,
) -> Result<Credential, PersistenceError> {
    load(t::table.filter(t::number.eq(number)).into_boxed(), conn)?
        .pop()
        .ok_or(PersistenceError::NotFound)
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<Credential, PersistenceError> {
    load(t::table.filter(t::id.eq(id)).into_boxed(), conn)?
        .pop()
        .ok_or(PersistenceError::NotFound)
}

pub fn for_account(
    conn: &mut DbConnection,
    account_id: &str,
) -> Result<Vec<Credential>, PersistenceError> {
    load(
        t::table
            .filter(t::account_id.eq(account_id))
            .order((t::issued_on.desc(), t::id.desc()))
            .into_boxed(),
        conn,
    )
}

/// The most recent revocation of any of the account's credentials.
pub fn last_revoked_on(
    conn: &mut DbConnection,
    account_id: &str,
) -> Result<Option<NaiveDate>, PersistenceError> {
    Ok(t::table
        .filter(t::account_id.eq(account_id))
        .select(diesel::dsl::max(t::revoked_on))
        .first(conn)?)
}

/// Extends a credential to `expires_on` on renewal; `false` if it was
/// revoked meanwhile.
pub fn renew(
    conn: &mut DbConnection,
    id: &str,
    expires_on: NaiveDate,
    today: NaiveDate,
) -> Result<bool, PersistenceError> {
    let updated = diesel::update(
        t::table
            .filter(t::id.eq(id))
            .filter(t::status.ne(CredentialStatus::Revoked.as_str())),
    )
    .set((
        t::expires_on.eq(expires_on),
        t::status.eq(CredentialStatus::Active.as_str()),
        t::renewed_on.eq(today),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Revokes; `false` when it was revoked already.
pub fn revoke(
    conn: &mut DbConnection,
    id: &str,
    ground: RevocationGround,
    statement: &str,
    cited_events: &[String],
    revoked_by: &str,
    today: NaiveDate,
) -> Result<bool, PersistenceError> {
    let updated = diesel::update(
        t::table
            .filter(t::id.eq(id))
            .filter(t::status.ne(CredentialStatus::Revoked.as_str())),
    )
    .set((
        t::status.eq(CredentialStatus::Revoked.as_str()),
        t::revoked_on.eq(today),
        t::revocation_ground.eq(ground.as_str()),
        t::revocation_statement.eq(statement),
        t::revoked_by.eq(revoked_by),
    ))
    .execute(conn)?;
    if updated == 1 && !cited_events.is_empty() {
        // One row at a time: multi-row inserts do not compile through the
        // MultiConnection (`bulk.rs`), and a revocation cites at most 50.
        for (position, event) in cited_events.iter().enumerate() {
            diesel::insert_into(crate::schema::revocation_training_events::table)
                .values(NewCitedEventRow {
                    credential_id: id,
                    event_id: event,
                    position: i32::try_from(position).unwrap_or(i32::MAX),
                })
                .execute(conn)?;
        }
    }
    Ok(updated == 1)
}

/// A training event a revocation cites.
#[derive(Insertable)]
#[diesel(table_name = crate::schema::revocation_training_events)]
struct NewCitedEventRow<'a> {
    credential_id: &'a str,
    event_id: &'a str,
    position: i32,
}

/// Records the holder's request for a hearing (Sec. 15(2)(a)); `false` when
/// one was recorded already.
pub fn request_hearing(
    conn: &mut DbConnection,
    id: &str,
    statement: &str,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let updated = diesel::update(
        t::table
            .filter(t::id.eq(id))
            .filter(t::status.eq(CredentialStatus::Revoked.as_str()))
            .filter(t::hearing_requested_at.is_null()),
    )
    .set((
        t::hearing_requested_at.eq(now),
        t::hearing_statement.eq(statement),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Active credentials whose term has run out by `today`, up to `limit`.
pub fn due_to_expire(
    conn: &mut DbConnection,
    today: NaiveDate,
    limit: i64,
) -> Result<Vec<Credential>, PersistenceError> {
    load(
        t::table
            .filter(t::status.eq(CredentialStatus::Active.as_str()))
            .filter(t::expires_on.le(today))
            .order(t::expires_on.asc())
            .limit(limit)
            .into_boxed(),
        conn,
    )
}

/// Marks an active credential expired; `false` if it changed meanwhile
/// (renewed or revoked).
pub fn expire(
    conn: &mut DbConnection,
    id: &str,
    today: NaiveDate,
) -> Result<bool, PersistenceError> {
    let updated = diesel::update(
        t::table
            .filter(t::id.eq(id))
            .filter(t::status.eq(CredentialStatus::Active.as_str()))
            .filter(t::expires_on.le(today)),
    )
    .set(t::status.eq(CredentialStatus::Expired.as_str()))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Active credentials with a reminder still unsent for their current
/// expiry: the 30-day one inside 30 days, the 90-day one inside 90 (the
/// domain's `expiry_reminder_due` picks which). Sent ones are filtered in
/// the query, so they never crowd unsent ones out of the batch.
pub fn reminder_candidates(
    conn: &mut DbConnection,
    today: NaiveDate,
    limit: i64,
) -> Result<Vec<Credential>, PersistenceError> {
    let near = today + chrono::Days::new(u64::from(ExpiryReminder::ThirtyDays.days()));
    let far = today + chrono::Days::new(u64::from(ExpiryReminder::NinetyDays.days()));
    let unsent_30 = t::reminded_30_for
        .is_null()
        .or(t::reminded_30_for.ne(t::expires_on.nullable()));
    let unsent_90 = t::reminded_90_for
        .is_null()
        .or(t::reminded_90_for.ne(t::expires_on.nullable()));
    load(
        t::table
            .filter(t::status.eq(CredentialStatus::Active.as_str()))
            .filter(t::expires_on.gt(today))
            .filter(
                t::expires_on.le(near).and(unsent_30).or(t::expires_on
                    .gt(near)
                    .and(t::expires_on.le(far))
                    .and(unsent_90)),
            )
            .order(t::expires_on.asc())
            .limit(limit)
            .into_boxed(),
        conn,
    )
}

/// Records that the reminder `days` ahead went out for `expires_on`. A
/// 30-day reminder also stands for the 90-day one.
pub fn mark_reminded(
    conn: &mut DbConnection,
    id: &str,
    days: u32,
    expires_on: NaiveDate,
) -> Result<bool, PersistenceError> {
    // The condition makes the reminder sent once, whichever node sweeps.
    let target = t::table
        .filter(t::id.eq(id))
        .filter(t::expires_on.eq(expires_on));
    let updated = if days <= 30 {
        diesel::update(
            target.filter(
                t::reminded_30_for
                    .is_null()
                    .or(t::reminded_30_for.ne(expires_on)),
            ),
        )
        .set((
            t::reminded_30_for.eq(expires_on),
            t::reminded_90_for.eq(expires_on),
        ))
        .execute(conn)?
    } else {
        diesel::update(
            target.filter(
                t::reminded_90_for
                    .is_null()
                    .or(t::reminded_90_for.ne(expires_on)),
            ),
        )
        .set(t::reminded_90_for.eq(expires_on))
        .execute(conn)?
    };
    Ok(updated == 1)
}

/// LIKE with the pattern characters of `word` taken literally.
fn prefix_pattern(word: &str) -> String {
    let mut pattern = String::with_capacity(word.len() + 1);
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// `[word, next)`: every key that begins with `word` sorts in it, `next`
/// being `word` with its last letter or digit stepped up ("smit" → "smiu").
/// None when the word ends otherwise (an apostrophe, a hyphen), where
/// collations that skip punctuation could disagree.
fn prefix_range(word: &str) -> Option<(String, String)> {
    let last = word.chars().last()?;
    if !last.is_alphanumeric() {
        return None;
    }
    let next = char::from_u32(u32::from(last) + 1)?;
    let mut until = word[..word.len() - last.len_utf8()].to_owned();
    until.push(next);
    Some((word.to_owned(), until))
}

/// The filter "`word` begins the first or the last name".
fn begins_a_name<QS>(word: &str) -> Box<dyn BoxableExpression<QS, Backend, SqlType = Bool>>
where
    t::last_name_key: SelectableExpression<QS>,
    t::first_name_key: SelectableExpression<QS>,
{
    let pattern = prefix_pattern(word);
    match prefix_range(word) {
        // The range lets an ordinary index find the candidates (SQLite
        // uses no index for LIKE with ESCAPE); LIKE stays the exact test.
        Some((from, until)) => Box::new(
            t::last_name_key
                .ge(from.clone())
                .and(t::last_name_key.lt(until.clone()))
                .and(t::last_name_key.like(pattern.clone()).escape('\\'))
                .or(t::first_name_key
                    .ge(from)
                    .and(t::first_name_key.lt(until))
                    .and(t::first_name_key.like(pattern).escape('\\'))),
        ),
        None => Box::new(
            t::last_name_key
                .like(pattern.clone())
                .escape('\\')
                .or(t::first_name_key.like(pattern).escape('\\')),
        ),
    }
}

type Backend = <DbConnection as diesel::Connection>::Backend;

/// `(last_name_key, number) > (key, number)` as a row value, which both
/// backends turn into an index range (the spelled-out `a > x OR (a = x AND
/// b > y)` is a filter, so every row before the cursor would be read again).
fn after_in_register_order(
    table: &str,
    (last_name_key, number): &(String, String),
) -> diesel::expression::SqlLiteral<Bool, impl diesel::query_builder::QueryFragment<Backend> + Clone>
{
    diesel::dsl::sql::<Bool>(&format!("({table}.last_name_key, {table}.number) > ("))
        .bind::<Text, _>(last_name_key.clone())
        .sql(", ")
        .bind::<Text, _>(number.clone())
        .sql(")")
}

/// The public register, by last name then number. Returns the rows with
/// their last-name key, for the caller's cursor.
///
/// With a name, the longest word is looked up in `credential_name_prefixes`,
/// whose key (prefix, last name, number) hands out the matches in register
/// order: the database reads about one page of it, however many names begin
/// with the word. The other words, and a word longer than the indexed
/// beginnings, are checked on each candidate. Without a name, the register
/// order index serves the same way.
pub fn public_search(
    conn: &mut DbConnection,
    search: &PublicSearch,
) -> Result<Vec<(Credential, String)>, PersistenceError> {
    let driver = search
        .name_words
        .iter()
        .enumerate()
        .max_by_key(|(at, word)| (word.chars().count(), std::cmp::Reverse(*at)));
    let rows: Vec<(Row, String)> = match driver {
        Some((_, driver_word))
            if search.name_words.len() == 1
                && indexed_prefix_of(driver_word).1
                && search.level.is_none()
                && search.status.is_none()
                && search.after.is_none() =>
        {
            // The common search, one short name word for the first page,
            // in a fixed shape: diesel keeps its prepared statement, so
            // neither backend parses or plans it again (a boxed query is
            // prepared anew for every request).
            p::table
                .inner_join(t::table.on(t::number.eq(p::number)))
                .filter(p::prefix.eq(indexed_prefix_of(driver_word).0))
                .order((p::last_name_key.asc(), p::number.asc()))
                .limit(search.limit)
                .select((Row::as_select(), p::last_name_key))
                .load(conn)?
        }
        Some((driver_at, driver_word)) => {
            let (prefix, whole) = indexed_prefix_of(driver_word);
            let mut query = p::table
                .inner_join(t::table.on(t::number.eq(p::number)))
                .filter(p::prefix.eq(prefix.to_owned()))
                .into_boxed();
            for (at, word) in search.name_words.iter().enumerate() {
                if at != driver_at || !whole {
                    query = query.filter(begins_a_name(word));
                }
            }
            if let Some(level) = search.level {
                query = query.filter(t::level.eq(level.as_str()));
            }
            if let Some(status) = search.status {
                query = query.filter(t::status.eq(status.as_str()));
            }
            if let Some(after) = &search.after {
                query = query.filter(after_in_register_order("credential_name_prefixes", after));
            }
            query
                .order((p::last_name_key.asc(), p::number.asc()))
                .limit(search.limit)
                .select((Row::as_select(), p::last_name_key))
                .load(conn)?
        }
        None => {
            let mut query = t::table.into_boxed();
            if let Some(level) = search.level {
                query = query.filter(t::level.eq(level.as_str()));
            }
            if let Some(status) = search.status {
                query = query.filter(t::status.eq(status.as_str()));
            }
            if let Some(after) = &search.after {
                query = query.filter(after_in_register_order("credentials", after));
            }
            query
                .order((t::last_name_key.asc(), t::number.asc()))
                .limit(search.limit)
                .select((Row::as_select(), t::last_name_key))
                .load(conn)?
        }
    };
    rows.into_iter()
        .map(|(row, key)| Ok((row.into_domain()?, key)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::prefix_range;

    #[test]
    fn a_prefix_range_holds_every_key_that_begins_with_the_word() {
        let (from, until) = prefix_range("smit").unwrap();
        for key in ["smit", "smith", "smith-jones", "smitz", "smit\u{10FFFF}"] {
            assert!(from.as_str() <= key && key < until.as_str(), "{key}");
        }
        for key in ["smis", "smiu", "sm"] {
            assert!(!(from.as_str() <= key && key < until.as_str()), "{key}");
        }
        assert_eq!(prefix_range("zoë").unwrap().1, "zoì");
        assert_eq!(prefix_range("o'"), None);
    }
}
