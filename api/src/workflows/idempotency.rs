//! Requests that move money carry an `Idempotency-Key`: the first request
//! with a key runs, and its answer is kept so a retry gets that answer again
//! instead of a second payment. The answer is opaque here (the HTTP side
//! says what status and body it was).

use super::{Ports, WorkflowError};
use chrono::NaiveDateTime;
use kecs_domain::DomainError;
use kecs_persistence::repo::idempotency::{self, Begin};

/// What a request with a key may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keyed {
    /// First use of the key: run the request, then `finish` it.
    Run,
    /// The key finished before: answer this again.
    Replay { status: u16, body: String },
}

/// Claims `key` for the request named by `fingerprint`: refused if the key
/// was used for another request, or while its first request still runs.
pub fn begin(
    ports: &Ports,
    account_id: &str,
    key: &str,
    fingerprint: &str,
    now: NaiveDateTime,
) -> Result<Keyed, WorkflowError> {
    let begun = ports
        .db
        .transaction(|conn| idempotency::begin(conn, account_id, key, fingerprint, now))?;
    match begun {
        Begin::Started => Ok(Keyed::Run),
        Begin::Replay { status, body } => Ok(Keyed::Replay { status, body }),
        Begin::Mismatch => Err(DomainError::IdempotencyKeyReused.into()),
        Begin::InFlight => Err(DomainError::IdempotencyInFlight.into()),
    }
}

/// Keeps the answer for retries, or — `None`, when the server was at fault —
/// releases the key so a retry runs again.
pub fn finish(
    ports: &Ports,
    account_id: &str,
    key: &str,
    answer: Option<(u16, &str)>,
    now: NaiveDateTime,
) -> Result<(), WorkflowError> {
    Ok(ports.db.transaction(|conn| match answer {
        Some((status, body)) => idempotency::complete(conn, account_id, key, status, body, now),
        None => idempotency::release(conn, account_id, key),
    })?)
}
