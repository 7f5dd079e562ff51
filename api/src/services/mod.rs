//! Workflows: each takes parsed domain values, runs in one transaction, and
//! records what changed in the audit log. Blocking: call through
//! `extract::blocking`.

pub mod applications;
pub mod attachments;
pub mod credentials;
pub mod dashboard;
pub mod demo;
pub mod denial_review;
pub mod mail_templates;
pub mod payments;
pub mod profile;
pub mod registration;
pub mod review;
pub mod sessions;
pub mod staff;
pub mod sweeper;
pub mod throttle;

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
            now: crate::state::now(),
            request_id: None,
            client_address: None,
        }
    }
}
