//! What every state change leaves behind, written once: the move of an
//! application's status that the database enforces, the mail to the person
//! it concerns, and the audit entry — all in the change's own transaction,
//! so they commit together or not at all.

use super::mail_templates::Mail;
use super::{RequestContext, WorkflowError};
use chrono::NaiveDateTime;
use kecs_domain::DomainError;
use kecs_domain::application::{Application, ApplicationStatus, Transition};
use kecs_persistence::DbConnection;
use kecs_persistence::repo::applications;
use kecs_persistence::repo::audit::{self, AuditEntry};
use kecs_persistence::repo::{accounts, outbox};

/// Moves `application` by `transition`: the domain decides the new status,
/// and the conditional update refuses it if another request moved the
/// application first (`application_changed`).
pub(crate) fn move_application(
    conn: &mut DbConnection,
    application: &Application,
    transition: Transition,
    now: NaiveDateTime,
) -> Result<ApplicationStatus, WorkflowError> {
    let to = application
        .status
        .apply(transition)
        .map_err(DomainError::Transition)?;
    if !applications::change_status(conn, &application.id, application.status, to, now)? {
        return Err(DomainError::ApplicationChanged.into());
    }
    Ok(to)
}

/// Queues `mail` to an address; the outbox delivers it after commit.
pub fn enqueue_mail(
    conn: &mut DbConnection,
    to: &str,
    mail: &Mail,
    now: NaiveDateTime,
) -> Result<(), WorkflowError> {
    outbox::enqueue(conn, to, &mail.subject, &mail.body, now)?;
    Ok(())
}

/// Queues `mail` to the account's address as it is now.
pub(crate) fn mail_account(
    conn: &mut DbConnection,
    account_id: &str,
    mail: &Mail,
    now: NaiveDateTime,
) -> Result<(), WorkflowError> {
    let account = accounts::get(conn, account_id)?;
    enqueue_mail(conn, &account.email, mail, now)
}

/// Records who did what to which record, with the request it came from.
pub fn audit(
    conn: &mut DbConnection,
    ctx: &RequestContext,
    actor: Option<&str>,
    action: &str,
    subject: (&str, &str),
    details: serde_json::Value,
) -> Result<(), WorkflowError> {
    audit::record(
        conn,
        &AuditEntry {
            actor_account_id: actor,
            action,
            subject_type: subject.0,
            subject_id: subject.1,
            request_id: ctx.request_id.as_deref(),
            details,
        },
        ctx.now,
    )?;
    Ok(())
}
