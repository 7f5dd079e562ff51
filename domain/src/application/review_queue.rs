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
}
