//! Announcements the cabinet shows on applicants' dashboards for a while.

use chrono::NaiveDateTime;

/// An announcement, shown from `starts_at` until `ends_at` (for good
/// without one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    pub id: String,
    pub title: String,
    pub body: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}
