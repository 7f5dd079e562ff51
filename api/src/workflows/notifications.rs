//! "View All Notifications": what happened to the account, its applications
//! and its credentials that the account did not do itself — a decision, a
//! reminder, an expiry, a third party's submission, a payment's outcome, a
//! change to how it signs in. They are drawn from the audit log (one record
//! of what happened, written in the change's own transaction), so a
//! notification exists exactly when its change committed; only whether it
//! was read is kept beside it.
//!
//! Each carries one sentence in one voice (the dashboard's, `describe`), its
//! subject, and the details of the decision — the audit entry's fields an
//! applicant may see, never who on staff decided or a third party's address.

use super::dashboard::describe;
use super::{Ports, RequestContext, WorkflowError};
use chrono::NaiveDateTime;
use kecs_persistence::repo::audit::AuditEvent;
use kecs_persistence::repo::notifications::{self, NotificationEvent};
use serde_json::{Map, Value};

/// The audited actions an account is notified of.
pub const NOTIFIED: &[&str] = &[
    "account.password_reset",
    "identity.linked",
    "identity.unlinked",
    "session.revoked_on_reuse",
    "application.element_submitted_by_third_party",
    "application.expiry_reminder_sent",
    "application.expired",
    "application.submitted",
    "application.assigned",
    "application.returned_as_deficient",
    "application.approved",
    "application.denied",
    "application.denial_review_extended",
    "application.denial_review_decided",
    "payment.succeeded",
    "payment.failed",
    "payment.refunded",
    "payment.succeeded_for_closed_application",
    "credential.expiry_reminder_sent",
    "credential.expired",
    "credential.revoked",
    "sponsor.non_compliance_found",
    "preapproval.information_requested",
    "preapproval.approved",
    "preapproval.denied",
    "preapproval.denial_review_extended",
    "preapproval.denial_review_decided",
    "preapproval.certificates_issued",
    "training_agency.approved",
    "training_agency.denied",
];

/// The audit details an account may read, by name. Anything else an entry
/// records (who on staff acted, a verifier's address, request ids) stays in
/// the audit log.
const SHOWN_DETAILS: &[&str] = &[
    "element",
    "deficiencies",
    "reasons",
    "credential",
    "decision",
    "decide_by",
    "ground",
    "citation",
    "kind",
    "expires_at",
    "payment_id",
    "amount_cents",
    "reason",
    "refund_id",
    "provider",
    "request",
    "expires_on",
    "barred_until",
    "issued",
];

pub struct Notification {
    pub id: String,
    pub occurred_at: NaiveDateTime,
    /// The audited action, e.g. `application.denied`.
    pub kind: String,
    pub message: String,
    pub subject_type: String,
    pub subject_id: String,
    pub details: Map<String, Value>,
    pub read: bool,
}

impl From<NotificationEvent> for Notification {
    fn from(event: NotificationEvent) -> Self {
        let message = describe(&AuditEvent {
            occurred_at: event.occurred_at,
            actor_account_id: None,
            action: event.action.clone(),
            subject_type: event.subject_type.clone(),
            subject_id: event.subject_id.clone(),
            request_id: None,
            details: event.details.clone(),
        });
        let details = match event.details {
            Value::Object(fields) => fields
                .into_iter()
                .filter(|(name, value)| SHOWN_DETAILS.contains(&name.as_str()) && !value.is_null())
                .collect(),
            _ => Map::new(),
        };
        Self {
            id: event.id,
            occurred_at: event.occurred_at,
            kind: event.action,
            message,
            subject_type: event.subject_type,
            subject_id: event.subject_id,
            details,
            read: event.read,
        }
    }
}

pub struct NotificationPage {
    pub items: Vec<Notification>,
    pub unread: i64,
}

/// A page of the account's notifications, newest first, with how many are
/// unread in all.
pub fn page(
    state: &Ports,
    account_id: &str,
    before: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> Result<NotificationPage, WorkflowError> {
    Ok(state.db.read(|conn| {
        let items = notifications::page(conn, account_id, NOTIFIED, before, limit)?;
        let unread = notifications::unread_count(conn, account_id, NOTIFIED)?;
        Ok::<_, kecs_persistence::PersistenceError>(NotificationPage {
            items: items.into_iter().map(Notification::from).collect(),
            unread,
        })
    })?)
}

/// Marks one notification read; another account's (or none) is not found.
/// Returns how many remain unread.
pub fn mark_read(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
) -> Result<i64, WorkflowError> {
    Ok(state.db.transaction(|conn| {
        if !notifications::is_for(conn, account_id, NOTIFIED, id)? {
            return Err(kecs_persistence::PersistenceError::NotFound);
        }
        notifications::mark_read(conn, account_id, &[id.to_owned()], ctx.now)?;
        notifications::unread_count(conn, account_id, NOTIFIED)
    })?)
}

/// Marks every notification the account has read. Returns how many were
/// newly marked.
pub fn mark_all_read(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
) -> Result<usize, WorkflowError> {
    Ok(state.db.transaction(|conn| {
        let unread = notifications::unread_ids(conn, account_id, NOTIFIED)?;
        notifications::mark_read(conn, account_id, &unread, ctx.now)
    })?)
}
