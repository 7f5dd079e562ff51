use diesel::result::{DatabaseErrorKind, Error as DieselError};
use thiserror::Error;

/// What can go wrong below the API, in terms the API can answer.
#[derive(Debug, Error)]
pub enum PersistenceError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule refused the write; `what` names it (`username`,
    /// `email`, `ssn`, `person`, …) so the API can say which field clashed.
    #[error("conflict on {what}")]
    Conflict { what: &'static str },
    /// The database could not be reached or the pool had no connection in time.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error(transparent)]
    Query(DieselError),
}

/// Unique constraints by the column they guard. PostgreSQL reports the
/// constraint name, SQLite `table.column` in its message: both contain these.
const UNIQUE_COLUMNS: &[(&str, &str)] = &[
    ("username_key", "username"),
    ("email_key", "email"),
    ("ssn_hash", "ssn"),
    ("person_id", "person"),
    ("token_hash", "token"),
    // PostgreSQL names the constraint, SQLite the columns.
    ("external_identities_issuer_subject", "identity"),
    ("external_identities.issuer", "identity"),
    ("external_identities_account_provider", "identity_provider"),
    ("external_identities.account_id", "identity_provider"),
    ("state_holidays", "holiday"),
    ("preapproval_certificates", "certificate"),
    ("presenter_years", "presenter_year"),
    ("sponsor_representatives", "representative"),
];

impl From<DieselError> for PersistenceError {
    fn from(error: DieselError) -> Self {
        match &error {
            DieselError::NotFound => PersistenceError::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                let haystack = format!(
                    "{} {}",
                    info.constraint_name().unwrap_or(""),
                    info.message()
                );
                UNIQUE_COLUMNS
                    .iter()
                    .find(|(column, _)| haystack.contains(column))
                    .map(|(_, what)| PersistenceError::Conflict { what })
                    .unwrap_or(PersistenceError::Query(error))
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _)
            | DieselError::BrokenTransactionManager => {
                PersistenceError::Unavailable(error.to_string())
            }
            _ => PersistenceError::Query(error),
        }
    }
}

impl From<r2d2::Error> for PersistenceError {
    fn from(error: r2d2::Error) -> Self {
        PersistenceError::Unavailable(error.to_string())
    }
}
