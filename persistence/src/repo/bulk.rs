//! Bulk loading for demo and benchmark data: many rows per statement.
//!
//! Multi-row inserts do not compile through the `MultiConnection` (its bind
//! collector cannot hold a batch), so each insert here is written once and
//! run on the concrete connection of the backend: `insert_into(…).values(&[…])`
//! in chunks under the bind-parameter limit of both backends (PostgreSQL
//! 65535, SQLite 32766). The caller chooses the transaction; a big one is
//! much faster than one per row. The rows are the repositories' own
//! `New…Row` structs, answers and element data in their stored formats, so
//! a row loaded here is the row the repository would have inserted.

use super::accounts::NewAccountRow;
use super::applications::{NewApplicationRow, NewElementRow, position, unwritable};
use super::credentials::{NewCredentialRow, NewNamePrefixRow};
use super::payments::NewPaymentRow;
use super::people::NewPersonRow;
use crate::schema::{
    accounts, application_elements, applications, credential_name_prefixes, credentials, payments,
    people,
};
use crate::stored;
use crate::{DbConnection, PersistenceError};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use kecs_domain::account::{EmailAddress, PersonName, Role, Username};
use kecs_domain::application::{
    Answers, ApplicationStatus, ElementContent, ElementKey, RequestType,
};
use kecs_domain::credential::{Award, credential_number};
use kecs_domain::payment::PaymentStatus;

/// A person on record with an applicant account: email confirmed, profile
/// complete. The SSN arrives encrypted and hashed, as for `people::insert`.
pub struct Applicant {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub date_of_birth: NaiveDate,
    pub ssn_ciphertext: Vec<u8>,
    pub ssn_hash: String,
    pub ssn_last4_hash: String,
    pub username: Username,
    pub email: EmailAddress,
}

/// Records the applicants, all with the one `password_hash`; returns their
/// account ids in order.
pub fn insert_applicants(
    conn: &mut DbConnection,
    applicants: &[Applicant],
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<Vec<String>, PersistenceError> {
    let person_rows: Vec<NewPersonRow<'_>> = applicants
        .iter()
        .map(|a| NewPersonRow {
            id: super::new_id(),
            first_name: a.first_name.as_str(),
            middle_name: None,
            last_name: a.last_name.as_str(),
            first_name_key: a.first_name.key(),
            last_name_key: a.last_name.key(),
            date_of_birth: a.date_of_birth,
            ssn_ciphertext: &a.ssn_ciphertext,
            ssn_hash: &a.ssn_hash,
            ssn_last4_hash: &a.ssn_last4_hash,
            created_at: now,
        })
        .collect();
    let account_rows: Vec<NewAccountRow<'_>> = applicants
        .iter()
        .zip(&person_rows)
        .map(|(a, person)| NewAccountRow {
            id: super::new_id(),
            person_id: Some(&person.id),
            role: Role::Applicant.as_str(),
            username: a.username.as_str(),
            username_key: a.username.key(),
            email: a.email.as_str(),
            email_key: a.email.key(),
            email_confirmed_at: Some(now),
            password_hash,
            address_line1: Some("275 E Main St"),
            address_city: Some("Frankfort"),
            address_state: Some("KY"),
            address_postal_code: Some("40621"),
            phone: Some("(502) 555-0123"),
            created_at: now,
            updated_at: now,
        })
        .collect();
    insert_chunked!(conn, people::table, &person_rows, NewPersonRow::COLUMNS);
    insert_chunked!(conn, accounts::table, &account_rows, NewAccountRow::COLUMNS);
    Ok(account_rows.into_iter().map(|row| row.id).collect())
}

/// Refreshes the planner's statistics after a bulk load, as a restore
/// would: until autovacuum gets to it, PostgreSQL plans the new rows as if
/// the tables were small (a sweep of a fresh backlog ran twice as slow).
pub fn analyze(conn: &mut DbConnection) -> Result<(), PersistenceError> {
    use diesel::connection::SimpleConnection;
    conn.batch_execute("ANALYZE")?;
    Ok(())
}

/// How many people are on record (demo data numbers its people after them).
pub fn people_count(conn: &mut DbConnection) -> Result<i64, PersistenceError> {
    Ok(people::table.count().get_result(conn)?)
}

/// A credential awarded for an application.
pub struct IssuedCredential<'a> {
    pub award: Award,
    pub holder_name: &'a str,
    pub first_name_key: &'a str,
    pub last_name_key: &'a str,
}

/// An application in any status, with its elements, and what its status
/// implies: the successful payment that submitted it, the credential that
/// approved it.
pub struct BulkApplication<'a> {
    pub account_id: &'a str,
    pub status: ApplicationStatus,
    pub credential: kecs_domain::rules::Level,
    pub request_types: &'a [RequestType],
    pub answers: &'a Answers,
    pub started_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    /// In display order, with the data saved so far.
    pub elements: Vec<(ElementKey, Option<&'a ElementContent>)>,
    /// A succeeded payment of this many cents.
    pub paid_cents: Option<i64>,
    pub issued: Option<IssuedCredential<'a>>,
}

/// Records the applications, their element rows, payments and credentials
/// (numbered after the last of each year); returns how many rows went in.
/// Answers and element data are written in their stored formats, as the
/// applications repository writes them.
pub fn insert_applications(
    conn: &mut DbConnection,
    batch: &[BulkApplication<'_>],
    now: NaiveDateTime,
) -> Result<usize, PersistenceError> {
    let rows: Vec<NewApplicationRow<'_>> = batch
        .iter()
        .map(|a| {
            Ok(NewApplicationRow {
                id: super::new_id(),
                account_id: a.account_id,
                status: a.status.as_str(),
                credential_level: a.credential.as_str(),
                renewal: false,
                request_types: stored::request_types::write(a.request_types)
                    .map_err(|e| unwritable("the request types", e))?,
                answers: stored::answers::write(a.answers)
                    .map_err(|e| unwritable("the answers", e))?,
                started_at: a.started_at,
                expires_at: a.expires_at,
                submitted_at: a.submitted_at,
                closed_at: a.closed_at,
                updated_at: a.closed_at.or(a.submitted_at).unwrap_or(a.started_at),
                renews_credential_id: None,
            })
        })
        .collect::<Result<_, PersistenceError>>()?;
    let mut elements = Vec::new();
    let mut paid = Vec::new();
    let mut issued = Vec::new();
    let mut next_sequence = std::collections::BTreeMap::<i32, i32>::new();
    for (application, row) in batch.iter().zip(&rows) {
        for (index, (key, data)) in application.elements.iter().enumerate() {
            elements.push(NewElementRow {
                application_id: &row.id,
                element_key: key.as_str(),
                position: position(index),
                data: data
                    .map(|content| match content.key() == *key {
                        true => stored::element_content::write(content)
                            .map_err(|e| unwritable(key.as_str(), e)),
                        false => Err(PersistenceError::Unavailable(format!(
                            "the {} element was given the data of {}",
                            key.as_str(),
                            content.key().as_str()
                        ))),
                    })
                    .transpose()?,
                version: i32::from(data.is_some()),
                updated_at: data.map(|_| row.started_at),
                updated_by: data.map(|_| application.account_id),
            });
        }
        if let Some(cents) = application.paid_cents {
            let at = application.submitted_at.unwrap_or(application.started_at);
            paid.push(NewPaymentRow {
                id: super::new_id(),
                application_id: &row.id,
                account_id: application.account_id,
                amount_cents: cents,
                currency: "USD",
                status: PaymentStatus::Succeeded.as_str(),
                payment_method: Some("pm_card_visa"),
                gateway_reference: Some(format!("demo_{}", super::new_id())),
                created_at: at,
                updated_at: at,
                expires_at: at,
                succeeded_at: Some(at),
                refunded_cents: 0,
            });
        }
        if let Some(credential) = &application.issued {
            let year = credential.award.issued_on.year();
            let sequence = match next_sequence.get_mut(&year) {
                Some(sequence) => sequence,
                None => next_sequence
                    .entry(year)
                    .or_insert(super::credentials::last_sequence(conn, year)?),
            };
            *sequence += 1;
            issued.push(NewCredentialRow {
                id: super::new_id(),
                number: credential_number(year, u32::try_from(*sequence).unwrap_or(0)),
                issue_year: year,
                sequence: *sequence,
                account_id: application.account_id,
                application_id: &row.id,
                level: credential.award.level.as_str(),
                issued_on: credential.award.issued_on,
                expires_on: credential.award.expires_on,
                status: kecs_domain::credential::CredentialStatus::Active.as_str(),
                renewable: credential.award.renewable,
                created_at: now,
                holder_name: credential.holder_name,
                first_name_key: credential.first_name_key,
                last_name_key: credential.last_name_key,
                specialty_area: None,
            });
        }
    }
    insert_chunked!(conn, applications::table, &rows, NewApplicationRow::COLUMNS);
    insert_chunked!(
        conn,
        application_elements::table,
        &elements,
        NewElementRow::COLUMNS
    );
    insert_chunked!(conn, payments::table, &paid, NewPaymentRow::COLUMNS);
    insert_chunked!(conn, credentials::table, &issued, NewCredentialRow::COLUMNS);
    let prefixes: Vec<NewNamePrefixRow> = issued.iter().flat_map(NewNamePrefixRow::of).collect();
    insert_chunked!(
        conn,
        credential_name_prefixes::table,
        &prefixes,
        NewNamePrefixRow::COLUMNS
    );
    Ok(rows.len() + elements.len() + paid.len() + issued.len() + prefixes.len())
}
