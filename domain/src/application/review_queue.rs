//! The certification specialists' queue of applications to review.

use super::ApplicationStatus;
use crate::rules::Level;

/// What the review queue is filtered by.
#[derive(Debug, Clone)]
pub struct ReviewQueueFilter {
    /// `submitted` (waiting for a specialist) or `pending_review`.
    pub status: ApplicationStatus,
    pub level: Option<Level>,
    pub renewal: Option<bool>,
    pub assigned_to: Option<String>,
    /// The page starts after this (submitted at, id): the last item of
    /// the previous page.
    pub after: Option<(chrono::NaiveDateTime, String)>,
}

/// One application in the queue, with the name a specialist knows the
/// applicant by.
#[derive(Debug, Clone)]
pub struct QueuedApplication {
    pub application: super::Application,
    pub applicant_name: String,
}
