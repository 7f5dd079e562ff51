//! Applications and their elements.

use crate::schema::{application_elements as e, application_reminders as r, applications as a};
use crate::stored::{self, StoredFormatError};
use crate::{DbConnection, PersistenceError};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kecs_domain::application::{
    Answers, Application, ApplicationStatus, Element, ElementContent, ElementKey,
    QueuedApplication, RequestType, ReviewQueueFilter, Transition, Verifier,
};
use kecs_domain::rules::Level;

#[derive(Queryable, Selectable)]
#[diesel(table_name = a)]
struct ApplicationRow {
    id: String,
    account_id: String,
    status: String,
    credential_level: String,
    renewal: bool,
    request_types: String,
    answers: String,
    started_at: NaiveDateTime,
    expires_at: NaiveDateTime,
    submitted_at: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
    updated_at: NaiveDateTime,
    assigned_to: Option<String>,
    renews_credential_id: Option<String>,
}

fn corrupt(id: &str, what: &str) -> PersistenceError {
    PersistenceError::Unavailable(format!("application {id} has an unreadable {what}"))
}

/// Stored JSON of application `id` that does not read back.
fn unreadable(id: &str, what: &str, error: StoredFormatError) -> PersistenceError {
    PersistenceError::Unavailable(format!("application {id} has unreadable {what}: {error}"))
}

/// A value that could not be written in its stored format.
pub(crate) fn unwritable(what: &str, error: StoredFormatError) -> PersistenceError {
    PersistenceError::Unavailable(format!("could not write {what}: {error}"))
}

impl ApplicationRow {
    fn into_domain(self) -> Result<Application, PersistenceError> {
        let status =
            ApplicationStatus::parse(&self.status).ok_or_else(|| corrupt(&self.id, "status"))?;
        let credential =
            Level::parse(&self.credential_level).map_err(|_| corrupt(&self.id, "level"))?;
        let request_types = stored::request_types::read(&self.request_types)
            .map_err(|e| unreadable(&self.id, "request types", e))?;
        let answers =
            stored::answers::read(&self.answers).map_err(|e| unreadable(&self.id, "answers", e))?;
        Ok(Application {
            id: self.id,
            account_id: self.account_id,
            status,
            credential,
            renewal: self.renewal,
            request_types,
            answers,
            started_at: self.started_at,
            expires_at: self.expires_at,
            submitted_at: self.submitted_at,
            closed_at: self.closed_at,
            updated_at: self.updated_at,
            assigned_to: self.assigned_to,
            renews_credential_id: self.renews_credential_id,
        })
    }
}

pub struct NewApplication<'a> {
    pub account_id: &'a str,
    pub credential: Level,
    pub renewal: bool,
    pub request_types: &'a [RequestType],
    pub answers: &'a Answers,
    pub expires_at: NaiveDateTime,
    /// The elements of the plan, in display order.
    pub elements: &'a [ElementKey],
    /// For a renewal: the credential it renews.
    pub renews_credential_id: Option<&'a str>,
}

/// An application row to insert (the bulk loader inserts many at once, so
/// `None` is written as NULL: SQLite's multi-row inserts take no DEFAULT).
#[derive(Insertable)]
#[diesel(table_name = a, treat_none_as_default_value = false)]
pub(crate) struct NewApplicationRow<'a> {
    pub(crate) id: String,
    pub(crate) account_id: &'a str,
    pub(crate) status: &'a str,
    pub(crate) credential_level: &'a str,
    pub(crate) renewal: bool,
    pub(crate) request_types: String,
    pub(crate) answers: String,
    pub(crate) started_at: NaiveDateTime,
    pub(crate) expires_at: NaiveDateTime,
    pub(crate) submitted_at: Option<NaiveDateTime>,
    pub(crate) closed_at: Option<NaiveDateTime>,
    pub(crate) updated_at: NaiveDateTime,
    pub(crate) renews_credential_id: Option<&'a str>,
}

impl NewApplicationRow<'_> {
    pub(crate) const COLUMNS: usize = 13;
}

/// An element row to insert; see `NewApplicationRow` for `None`.
#[derive(Insertable)]
#[diesel(table_name = e, treat_none_as_default_value = false)]
pub(crate) struct NewElementRow<'a> {
    pub(crate) application_id: &'a str,
    pub(crate) element_key: &'a str,
    pub(crate) position: i32,
    pub(crate) data: Option<String>,
    pub(crate) version: i32,
    pub(crate) updated_at: Option<NaiveDateTime>,
    pub(crate) updated_by: Option<&'a str>,
}

impl NewElementRow<'_> {
    pub(crate) const COLUMNS: usize = 7;
}

#[derive(Insertable)]
#[diesel(table_name = r)]
struct NewReminderRow<'a> {
    application_id: &'a str,
    kind: &'a str,
    sent_at: NaiveDateTime,
}

/// An element's position in display order, as the column holds it.
pub(crate) fn position(index: usize) -> i32 {
    i32::try_from(index).unwrap_or(i32::MAX)
}

/// Records a new application and an empty row for each of its elements.
pub fn insert(
    conn: &mut DbConnection,
    new: &NewApplication<'_>,
    now: NaiveDateTime,
) -> Result<Application, PersistenceError> {
    let id = super::new_id();
    let answers = stored::answers::write(new.answers).map_err(|e| unwritable("the answers", e))?;
    let request_types = stored::request_types::write(new.request_types)
        .map_err(|e| unwritable("the request types", e))?;
    diesel::insert_into(a::table)
        .values(&NewApplicationRow {
            id: id.clone(),
            account_id: new.account_id,
            status: ApplicationStatus::InProgress.as_str(),
            credential_level: new.credential.as_str(),
            renewal: new.renewal,
            request_types,
            answers,
            started_at: now,
            expires_at: new.expires_at,
            submitted_at: None,
            closed_at: None,
            updated_at: now,
            renews_credential_id: new.renews_credential_id,
        })
        .execute(conn)?;
    // One statement per row: multi-row inserts do not compile through the
    // MultiConnection, and an application has a dozen elements at most.
    for (index, key) in new.elements.iter().enumerate() {
        diesel::insert_into(e::table)
            .values(&NewElementRow {
                application_id: &id,
                element_key: key.as_str(),
                position: position(index),
                data: None,
                version: 0,
                updated_at: None,
                updated_by: None,
            })
            .execute(conn)?;
    }
    get(conn, &id)
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<Application, PersistenceError> {
    a::table
        .filter(a::id.eq(id))
        .select(ApplicationRow::as_select())
        .first(conn)?
        .into_domain()
}

/// The application if `account_id` owns it. Someone else's is `NotFound`,
/// exactly like one that does not exist, so ids cannot be probed.
pub fn get_owned(
    conn: &mut DbConnection,
    id: &str,
    account_id: &str,
) -> Result<Application, PersistenceError> {
    a::table
        .filter(a::id.eq(id))
        .filter(a::account_id.eq(account_id))
        .select(ApplicationRow::as_select())
        .first(conn)?
        .into_domain()
}

/// An account's applications, newest first, `limit` at a time; `before` is
/// the `(started_at, id)` of the last one of the previous page.
pub fn list_owned(
    conn: &mut DbConnection,
    account_id: &str,
    before: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> Result<Vec<Application>, PersistenceError> {
    let mut query = a::table.filter(a::account_id.eq(account_id)).into_boxed();
    if let Some((started_at, id)) = before {
        query = query.filter(
            a::started_at
                .lt(started_at)
                .or(a::started_at.eq(started_at).and(a::id.lt(id))),
        );
    }
    query
        .order((a::started_at.desc(), a::id.desc()))
        .limit(limit)
        .select(ApplicationRow::as_select())
        .load(conn)?
        .into_iter()
        .map(ApplicationRow::into_domain)
        .collect()
}

/// How many of the applicant's applications are open (not closed: see
/// `ApplicationStatus::closes`).
pub fn count_open(conn: &mut DbConnection, account_id: &str) -> Result<usize, PersistenceError> {
    let open: Vec<&str> = ApplicationStatus::ALL
        .into_iter()
        .filter(|status| !status.closes())
        .map(ApplicationStatus::as_str)
        .collect();
    let count: i64 = a::table
        .filter(a::account_id.eq(account_id))
        .filter(a::status.eq_any(open))
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

/// Why a write to an application was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotEditable {
    /// Its status does not allow changes (submitted, approved, …).
    Status(ApplicationStatus),
    /// Its 90 days ran out unpaid; it has just been marked expired.
    ExpiredNow,
}

/// Claims the application for a change: succeeds only while it is editable
/// and not past its expiry. The conditional update takes the row's write
/// lock until the transaction ends, so a concurrent submission or expiry
/// waits for this change (or this change for it) — never both at once.
pub fn claim_for_edit(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> Result<Result<Application, NotEditable>, PersistenceError> {
    let editable = ApplicationStatus::EDITABLE.map(ApplicationStatus::as_str);
    let claimed = diesel::update(
        a::table
            .filter(a::id.eq(id))
            .filter(a::status.eq_any(editable))
            .filter(
                a::status
                    .ne(ApplicationStatus::AWAITING_PAYMENT.as_str())
                    .or(a::expires_at.gt(now)),
            ),
    )
    .set(a::updated_at.eq(now))
    .execute(conn)?;
    let application = get(conn, id)?;
    if claimed == 1 {
        return Ok(Ok(application));
    }
    if application.status.awaiting_payment() {
        return Ok(Err(NotEditable::ExpiredNow));
    }
    Ok(Err(NotEditable::Status(application.status)))
}

/// Moves an application from `from` to `to`; `false` when it was no longer
/// in `from` (another request moved it first).
pub fn change_status(
    conn: &mut DbConnection,
    id: &str,
    from: ApplicationStatus,
    to: ApplicationStatus,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let target = a::table
        .filter(a::id.eq(id))
        .filter(a::status.eq(from.as_str()));
    let changed = if to == ApplicationStatus::Submitted {
        diesel::update(target)
            .set((
                a::status.eq(to.as_str()),
                a::submitted_at.eq(now),
                a::updated_at.eq(now),
            ))
            .execute(conn)?
    } else if to.closes() {
        diesel::update(target)
            .set((
                a::status.eq(to.as_str()),
                a::closed_at.eq(now),
                a::updated_at.eq(now),
            ))
            .execute(conn)?
    } else {
        diesel::update(target)
            .set((a::status.eq(to.as_str()), a::updated_at.eq(now)))
            .execute(conn)?
    };
    Ok(changed == 1)
}

/// In-progress applications whose 90 days have run out, oldest first.
pub fn due_to_expire(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Application>, PersistenceError> {
    a::table
        .filter(a::status.eq(ApplicationStatus::AWAITING_PAYMENT.as_str()))
        .filter(a::expires_at.le(now))
        .order(a::expires_at.asc())
        .limit(limit)
        .select(ApplicationRow::as_select())
        .load(conn)?
        .into_iter()
        .map(ApplicationRow::into_domain)
        .collect()
}

#[derive(QueryableByName)]
struct ExpiredRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    email: String,
    #[diesel(sql_type = diesel::sql_types::Timestamp)]
    expires_at: NaiveDateTime,
}

/// An application a sweep has just expired, and whom to tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expired {
    pub id: String,
    pub owner_email: String,
    pub expires_at: NaiveDateTime,
}

/// Moves up to `limit` in-progress applications whose 90 days have run out
/// to `to` (expired), oldest first, in one conditional update; returns those this call
/// expired. On PostgreSQL rows another node's sweep holds are skipped (`FOR
/// UPDATE SKIP LOCKED`), so concurrent sweeps take disjoint batches instead
/// of waiting; on SQLite the write transaction is already exclusive. Either
/// way an application is returned by exactly one call, ever.
pub fn expire_due(
    conn: &mut DbConnection,
    to: ApplicationStatus,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Expired>, PersistenceError> {
    use crate::schema::accounts as acc;
    let in_progress = ApplicationStatus::AWAITING_PAYMENT.as_str();
    let due = a::table
        .filter(a::status.eq(in_progress))
        .filter(a::expires_at.le(now))
        .order(a::expires_at.asc())
        .limit(limit)
        .select(a::id);
    let changes = (
        a::status.eq(to.as_str()),
        a::closed_at.eq(now),
        a::updated_at.eq(now),
    );
    // On SQLite: select, then update (diesel does not take a subselect of
    // the same table as an update target); the database stays locked until
    // the transaction ends, and the update checks the status again all the
    // same.
    let expired: Vec<(String, String, NaiveDateTime)> = match &mut *conn {
        // One statement: the due rows are locked, updated and joined to
        // their owners where they lie, instead of sending the batch's ids
        // back to the server twice and looking each one up again.
        DbConnection::Postgres(pg) => diesel::sql_query(
            "WITH due AS ( \
                 SELECT id FROM applications \
                 WHERE status = $1 AND expires_at <= $2 \
                 ORDER BY expires_at LIMIT $3 \
                 FOR UPDATE SKIP LOCKED \
             ), expired AS ( \
                 UPDATE applications SET status = $4, closed_at = $2, updated_at = $2 \
                 FROM due WHERE applications.id = due.id AND applications.status = $1 \
                 RETURNING applications.id, applications.account_id, applications.expires_at \
             ) \
             SELECT expired.id, accounts.email, expired.expires_at \
             FROM expired JOIN accounts ON accounts.id = expired.account_id",
        )
        .bind::<diesel::sql_types::Text, _>(in_progress)
        .bind::<diesel::sql_types::Timestamp, _>(now)
        .bind::<diesel::sql_types::BigInt, _>(limit)
        .bind::<diesel::sql_types::Text, _>(to.as_str())
        .load::<ExpiredRow>(pg)?
        .into_iter()
        .map(|row| (row.id, row.email, row.expires_at))
        .collect(),
        DbConnection::Sqlite(sqlite) => {
            let due: Vec<String> = due.load(sqlite)?;
            let mut found = Vec::with_capacity(due.len());
            for chunk in due.chunks(super::MAX_BINDS) {
                let ids: Vec<String> = diesel::update(
                    a::table
                        .filter(a::id.eq_any(chunk))
                        .filter(a::status.eq(in_progress)),
                )
                .set(changes)
                .returning(a::id)
                .get_results(sqlite)?;
                found.extend(
                    a::table
                        .inner_join(acc::table)
                        .filter(a::id.eq_any(&ids))
                        .select((a::id, acc::email, a::expires_at))
                        .load::<(String, String, NaiveDateTime)>(sqlite)?,
                );
            }
            found
        }
    };
    Ok(expired
        .into_iter()
        .map(|(id, owner_email, expires_at)| Expired {
            id,
            owner_email,
            expires_at,
        })
        .collect())
}

type ElementTuple = (
    String,
    Option<String>,
    i32,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn element_from(
    application_id: &str,
    (key, data, version, updated_at, finalized_at, name, email, from_address): ElementTuple,
) -> Result<Element, PersistenceError> {
    let key = ElementKey::parse(&key).ok_or_else(|| corrupt(application_id, "element key"))?;
    Ok(Element {
        key,
        data: data
            .map(|json| stored::element_content::read(key, &json))
            .transpose()
            .map_err(|e| unreadable(application_id, key.as_str(), e))?,
        version,
        updated_at,
        finalized_at,
        verified_by: name.zip(email).map(|(name, email)| Verifier {
            name,
            email,
            from_address,
        }),
    })
}

const ELEMENT_COLUMNS: (
    e::element_key,
    e::data,
    e::version,
    e::updated_at,
    e::finalized_at,
    e::verified_by_name,
    e::verified_by_email,
    e::verified_from_address,
) = (
    e::element_key,
    e::data,
    e::version,
    e::updated_at,
    e::finalized_at,
    e::verified_by_name,
    e::verified_by_email,
    e::verified_from_address,
);

/// Every element of an application, in display order.
pub fn elements(
    conn: &mut DbConnection,
    application_id: &str,
) -> Result<Vec<Element>, PersistenceError> {
    e::table
        .filter(e::application_id.eq(application_id))
        .order(e::position.asc())
        .select(ELEMENT_COLUMNS)
        .load::<ElementTuple>(conn)?
        .into_iter()
        .map(|row| element_from(application_id, row))
        .collect()
}

pub fn element(
    conn: &mut DbConnection,
    application_id: &str,
    key: ElementKey,
) -> Result<Element, PersistenceError> {
    element_from(
        application_id,
        e::table
            .filter(e::application_id.eq(application_id))
            .filter(e::element_key.eq(key.as_str()))
            .select(ELEMENT_COLUMNS)
            .first::<ElementTuple>(conn)?,
    )
}

/// Why an element save was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveRefused {
    /// `If-Match` named a version that is no longer current.
    Stale { current: i32 },
    /// The element is final (submitted Character & Fitness, a third party's
    /// submission).
    Final,
}

/// A save of one element's data (the element is the one `data` belongs to).
#[derive(Clone, Copy)]
pub struct ElementSave<'a> {
    pub application_id: &'a str,
    pub data: &'a ElementContent,
    /// The version the client read (`If-Match`); `None` saves over whatever is there.
    pub expected_version: Option<i32>,
    /// Makes the element final: no later save is accepted.
    pub finalize: bool,
    /// Who saved it: an account id, or `third_party:<email>`.
    pub actor: &'a str,
    /// The third party who verified it (an invitee's submission), recorded
    /// with the data.
    pub verifier: Option<&'a Verifier>,
}

/// Saves an element's data. With `expected_version` the save happens only
/// if the element is still at that version (compare-and-set, so of two
/// concurrent saves from the same version exactly one wins). Returns the
/// new version.
pub fn save_element(
    conn: &mut DbConnection,
    save: &ElementSave<'_>,
    now: NaiveDateTime,
) -> Result<Result<i32, SaveRefused>, PersistenceError> {
    let ElementSave {
        application_id,
        data,
        expected_version,
        finalize,
        actor,
        verifier,
    } = *save;
    let key = data.key();
    let data = stored::element_content::write(data)
        .map_err(|e| unwritable(&format!("the {} element", key.as_str()), e))?;
    let current = element(conn, application_id, key)?;
    if current.finalized_at.is_some() {
        return Ok(Err(SaveRefused::Final));
    }
    let version = expected_version.unwrap_or(current.version);
    let target = e::table
        .filter(e::application_id.eq(application_id))
        .filter(e::element_key.eq(key.as_str()))
        .filter(e::version.eq(version))
        .filter(e::finalized_at.is_null());
    let saved = diesel::update(target)
        .set((
            e::data.eq(Some(data)),
            e::version.eq(version + 1),
            e::updated_at.eq(now),
            e::updated_by.eq(actor),
            e::finalized_at.eq(finalize.then_some(now)),
            e::verified_by_name.eq(verifier.map(|v| v.name.as_str())),
            e::verified_by_email.eq(verifier.map(|v| v.email.as_str())),
            e::verified_from_address.eq(verifier.and_then(|v| v.from_address.as_deref())),
        ))
        .execute(conn)?;
    if saved == 1 {
        return Ok(Ok(version + 1));
    }
    let current = element(conn, application_id, key)?;
    if current.finalized_at.is_some() {
        return Ok(Err(SaveRefused::Final));
    }
    Ok(Err(SaveRefused::Stale {
        current: current.version,
    }))
}

/// Empties an element so it must be entered again (Character & Fitness of
/// an application returned as deficient).
pub fn clear_element(
    conn: &mut DbConnection,
    application_id: &str,
    key: ElementKey,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::update(
        e::table
            .filter(e::application_id.eq(application_id))
            .filter(e::element_key.eq(key.as_str())),
    )
    .set((
        e::data.eq(None::<String>),
        e::version.eq(e::version + 1),
        e::updated_at.eq(now),
        e::finalized_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(())
}

/// Makes a third party's element no longer final, its data kept, so the
/// applicant can send a new link and the invitee submit it again (an element
/// a specialist returned as deficient).
pub fn reopen_element(
    conn: &mut DbConnection,
    application_id: &str,
    key: ElementKey,
) -> Result<(), PersistenceError> {
    diesel::update(
        e::table
            .filter(e::application_id.eq(application_id))
            .filter(e::element_key.eq(key.as_str())),
    )
    .set((
        e::version.eq(e::version + 1),
        e::finalized_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(())
}

/// In-progress applications that expire within `within` of `now` and have
/// not had the reminder `kind` yet.
pub fn due_for_reminder(
    conn: &mut DbConnection,
    kind: &str,
    now: NaiveDateTime,
    within: chrono::Duration,
    limit: i64,
) -> Result<Vec<Application>, PersistenceError> {
    a::table
        .filter(a::status.eq(ApplicationStatus::AWAITING_PAYMENT.as_str()))
        .filter(a::expires_at.gt(now))
        .filter(a::expires_at.le(now + within))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            r::table
                .filter(r::application_id.eq(a::id))
                .filter(r::kind.eq(kind)),
        )))
        .order(a::expires_at.asc())
        .limit(limit)
        .select(ApplicationRow::as_select())
        .load(conn)?
        .into_iter()
        .map(ApplicationRow::into_domain)
        .collect()
}

/// Records that reminder `kind` went out; `Conflict` when another node
/// recorded it first (its transaction sends the mail, this one must not).
pub fn record_reminder(
    conn: &mut DbConnection,
    application_id: &str,
    kind: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::insert_into(r::table)
        .values(&NewReminderRow {
            application_id,
            kind,
            sent_at: now,
        })
        .execute(conn)
        .map_err(|error| match PersistenceError::from(error) {
            PersistenceError::Query(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => PersistenceError::Conflict { what: "reminder" },
            other => other,
        })?;
    Ok(())
}

/// Applications for review, oldest submission first.
pub fn review_queue(
    conn: &mut DbConnection,
    filter: &ReviewQueueFilter,
    limit: i64,
) -> Result<Vec<QueuedApplication>, PersistenceError> {
    use crate::schema::{accounts as acc, people as p};
    let mut query = a::table
        .inner_join(acc::table.inner_join(p::table))
        .filter(a::status.eq(filter.status.as_str()))
        .into_boxed();
    if let Some(level) = filter.level {
        query = query.filter(a::credential_level.eq(level.as_str()));
    }
    if let Some(renewal) = filter.renewal {
        query = query.filter(a::renewal.eq(renewal));
    }
    if let Some(reviewer) = &filter.assigned_to {
        query = query.filter(a::assigned_to.eq(reviewer.clone()));
    }
    if let Some((submitted_at, id)) = &filter.after {
        query = query.filter(
            a::submitted_at
                .gt(*submitted_at)
                .or(a::submitted_at.eq(*submitted_at).and(a::id.gt(id.clone()))),
        );
    }
    query
        .order((a::submitted_at.asc(), a::id.asc()))
        .limit(limit)
        .select((
            ApplicationRow::as_select(),
            p::first_name,
            p::middle_name,
            p::last_name,
        ))
        .load::<(ApplicationRow, String, Option<String>, String)>(conn)?
        .into_iter()
        .map(|(row, first, middle, last)| {
            Ok(QueuedApplication {
                application: row.into_domain()?,
                applicant_name: [Some(first), middle, Some(last)]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" "),
            })
        })
        .collect()
}

/// Assigns a reviewer. From `submitted` it also moves the application to
/// `pending_review`; an application already pending review is re-assigned
/// only when `reassign` (admins). `false` when the application was not in a
/// state that allows it.
pub fn assign(
    conn: &mut DbConnection,
    id: &str,
    reviewer: &str,
    reassign: bool,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    // Of the statuses assigning applies to, the row is in one at most.
    for (from, to) in Transition::Assign.moves() {
        let moved = diesel::update(
            a::table
                .filter(a::id.eq(id))
                .filter(a::status.eq(from.as_str())),
        )
        .set((
            a::status.eq(to.as_str()),
            a::assigned_to.eq(reviewer),
            a::updated_at.eq(now),
        ))
        .execute(conn)?;
        if moved == 1 {
            return Ok(true);
        }
    }
    if !reassign {
        return Ok(false);
    }
    // Re-assigning leaves the status: the application is already where
    // assigning leads.
    let assigned: Vec<&str> = Transition::Assign
        .moves()
        .map(|(_, to)| to.as_str())
        .collect();
    let reassigned = diesel::update(
        a::table
            .filter(a::id.eq(id))
            .filter(a::status.eq_any(assigned)),
    )
    .set((a::assigned_to.eq(reviewer), a::updated_at.eq(now)))
    .execute(conn)?;
    Ok(reassigned == 1)
}

/// Takes the application row's write lock for the rest of the transaction.
/// Every transaction that changes both an application and one of its
/// payments locks the application first, so two of them can never wait on
/// each other (a deadlock PostgreSQL would break by aborting one).
pub fn lock(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> Result<(), PersistenceError> {
    diesel::update(a::table.filter(a::id.eq(id)))
        .set(a::updated_at.eq(now))
        .execute(conn)?;
    Ok(())
}
