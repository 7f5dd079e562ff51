//! Workflows: each use case of the product. A workflow takes parsed domain
//! values and the [`Ports`] it works through, runs in one transaction, and
//! records what changed in the audit log. They know no HTTP: the HTTP tree
//! calls them, the sweeper and the CLI too. Blocking (diesel, argon2): the
//! HTTP side runs them off its async threads.

pub mod applications;
pub mod attachment_store;
pub mod attachments;
pub mod credentials;
pub mod crypto;
pub mod dashboard;
pub mod demo;
pub mod denial_review;
mod error;
mod expiry;
pub mod gateway;
pub mod hashing;
pub mod human_check;
pub mod idempotency;
pub mod letter;
pub mod mail_templates;
pub mod notifications;
pub mod oidc;
pub mod operations;
pub mod orphans;
pub mod outbox;
pub mod payments;
pub mod pdf;
mod ports;
pub mod preapproval_records;
pub mod preapprovals;
pub mod profile;
pub mod providers;
mod record;
pub mod registration;
pub mod review;
pub mod sessions;
pub mod sponsors;
pub mod staff;
pub mod state_holidays;
pub mod sweeper;
pub mod throttle;
pub mod tokens;
pub mod training_agencies;
pub mod training_certificate;
pub mod training_certificates;
pub mod training_events;
pub mod training_records;
pub mod transcripts;

pub use error::{BoxError, WorkflowError, WorkflowResult};
pub use ports::{Ports, StartError, now, open_database};

use chrono::NaiveDateTime;

/// Facts about the request that workflows record: when, from where, which id.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub now: NaiveDateTime,
    pub request_id: Option<String>,
    pub client_address: Option<String>,
}

impl RequestContext {
    /// For work not started by a request (the CLI).
    pub fn detached() -> Self {
        Self {
            now: crate::workflows::now(),
            request_id: None,
            client_address: None,
        }
    }
}

/// Runs blocking work (diesel, argon2) off the async threads, inside the
/// caller's tracing span so its log lines keep the request id.
pub async fn blocking<T, E, F>(work: F) -> Result<T, E>
where
    F: FnOnce() -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<tokio::task::JoinError> + Send + 'static,
{
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(work)).await?
}
