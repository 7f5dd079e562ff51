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

/// The tail of a state change, in its transaction: whom it is mailed to and
/// the audit entry, written as one chain at each workflow:
/// `record(conn, ctx, actor).tell(account, &mail)?.audit(action, subject, details)?`.
pub(crate) struct Record<'c, 'a> {
    conn: &'c mut DbConnection,
    ctx: &'a RequestContext,
    actor: Option<&'a str>,
}

/// Starts the tail of a change made by `actor` (`None`: the system).
pub(crate) fn record<'c, 'a>(
    conn: &'c mut DbConnection,
    ctx: &'a RequestContext,
    actor: Option<&'a str>,
) -> Record<'c, 'a> {
    Record { conn, ctx, actor }
}

impl Record<'_, '_> {
    /// Mails the account about the change, queued at the request's time.
    pub(crate) fn tell(self, account_id: &str, mail: &Mail) -> Result<Self, WorkflowError> {
        let now = self.ctx.now;
        mail_account(self.conn, account_id, mail, now)?;
        Ok(self)
    }

    /// Mails the account, queued on the wall clock: a sweep judges by
    /// `ctx.now`, which tests move forward, but its mail leaves now.
    pub(crate) fn tell_now(self, account_id: &str, mail: &Mail) -> Result<Self, WorkflowError> {
        mail_account(self.conn, account_id, mail, super::now())?;
        Ok(self)
    }

    /// Writes the audit entry: who did what to which record.
    pub(crate) fn audit(
        self,
        action: &str,
        subject: (&str, &str),
        details: serde_json::Value,
    ) -> Result<(), WorkflowError> {
        audit(self.conn, self.ctx, self.actor, action, subject, details)
    }
}
