//! How a workflow fails, in the product's terms: a refusal the domain
//! decided, bad fields, or what went wrong around it (not found, not
//! allowed, the database away). The HTTP side turns each into a problem;
//! the CLI prints it.

use kecs_domain::DomainError;
use kecs_domain::validation::FieldErrors;
use kecs_persistence::PersistenceError;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    /// A rule or the state of things refuses it (with its code and, where a
    /// rule of 922 KAR 2:240 is broken, its citation).
    #[error(transparent)]
    Refused(#[from] DomainError),
    /// Fields that do not parse or do not hold, every one named.
    #[error("{0}")]
    Invalid(FieldErrors),
    /// Absent, or someone else's: the two are never told apart.
    #[error("no such resource")]
    NotFound,
    #[error("your role may not do this")]
    Forbidden,
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    Throttled { retry_after_secs: u64 },
    /// The version the client read is no longer current.
    #[error(
        "the element changed since you read it (now version {current}); reload it and apply your change again"
    )]
    Stale { current: i32 },
    /// The "I'm not a robot" check did not pass: the reason, for the
    /// `Human-Check-Token` field (`workflows::human_check`).
    #[error("the I'm not a robot check did not pass: Human-Check-Token {0}")]
    HumanCheckFailed(&'static str),
    /// Too many password hashes are running; this one waited its turn in
    /// vain. Worth a retry after the given time.
    #[error("the server is busy; try again in {retry_after_secs} seconds")]
    Busy { retry_after_secs: u64 },
    /// The database or the attachment store cannot be reached; worth a retry.
    #[error("unavailable: {0}")]
    Unavailable(#[source] BoxError),
    /// A fault of the system, never of the request; its source chain is
    /// logged, never shown.
    #[error("{context}")]
    Internal {
        context: String,
        #[source]
        source: Option<BoxError>,
    },
}

impl WorkflowError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        WorkflowError::Invalid(FieldErrors::single(field, message))
    }

    /// A fault described in words (no underlying error to chain).
    pub fn internal(context: impl std::fmt::Display) -> Self {
        WorkflowError::Internal {
            context: context.to_string(),
            source: None,
        }
    }

    /// A fault caused by `source`, kept whole for the log.
    pub fn caused_by(
        context: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        WorkflowError::Internal {
            context: context.into(),
            source: Some(Box::new(source)),
        }
    }
}

impl From<FieldErrors> for WorkflowError {
    fn from(errors: FieldErrors) -> Self {
        WorkflowError::Invalid(errors)
    }
}

impl From<PersistenceError> for WorkflowError {
    fn from(error: PersistenceError) -> Self {
        match error {
            PersistenceError::NotFound => WorkflowError::NotFound,
            PersistenceError::Conflict { what } => DomainError::AlreadyExists(what).into(),
            PersistenceError::Unavailable(_) => WorkflowError::Unavailable(Box::new(error)),
            other => WorkflowError::caused_by("the database failed", other),
        }
    }
}

impl From<tokio::task::JoinError> for WorkflowError {
    fn from(error: tokio::task::JoinError) -> Self {
        WorkflowError::caused_by("blocking work did not finish", error)
    }
}

impl From<object_store::Error> for WorkflowError {
    fn from(error: object_store::Error) -> Self {
        WorkflowError::Unavailable(Box::new(error))
    }
}

pub type WorkflowResult<T> = Result<T, WorkflowError>;
