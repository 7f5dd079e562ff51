//! Repositories: one module per aggregate, each function taking the
//! connection so several compose inside one transaction.

pub mod accounts;
pub mod announcements;
pub mod applications;
pub mod attachments;
pub mod audit;
pub mod credentials;
pub mod denials;
pub mod idempotency;
pub mod invitations;
pub mod one_time_tokens;
pub mod outbox;
pub mod payments;
pub mod people;
pub mod refresh_tokens;
pub mod throttle;

/// A fresh opaque id.
pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
