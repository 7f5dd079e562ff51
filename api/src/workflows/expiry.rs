//! An application found past its 90 days unpaid by a request, before the
//! sweep got to it: it is marked expired at once, and its owner told.

use super::mail_templates;
use super::record::record;
use super::{Ports, RequestContext, WorkflowError};
use kecs_domain::application::{Application, ApplicationStatus, Transition};
use kecs_persistence::repo::applications;
use serde_json::json;

/// Expires an application a request found past its expiry before the
/// sweep did. Best effort: the sweep does it anyway.
pub fn expire_now(state: &Ports, ctx: &RequestContext, application: &Application) {
    if let Err(error) = expire(state, ctx, application) {
        tracing::warn!(%error, application_id = %application.id, "could not mark an expired application");
    }
    state.outbox_signal.notify_one();
}

fn expire(
    state: &Ports,
    ctx: &RequestContext,
    application: &Application,
) -> Result<bool, WorkflowError> {
    let to = application
        .status
        .apply(Transition::Expire)
        .map_err(WorkflowError::internal)?;
    state.db.transaction(|conn| {
        if !applications::change_status(
            conn,
            &application.id,
            ApplicationStatus::InProgress,
            to,
            ctx.now,
        )? {
            return Ok(false); // another node, or a payment, got there first
        }
        // Mail is queued on the wall clock: `ctx.now` is the time the sweep
        // judges by, which tests move forward.
        record(conn, ctx, None)
            .tell_now(
                &application.account_id,
                &mail_templates::application_expired(&application.id),
            )?
            .audit(
                "application.expired",
                ("application", &application.id),
                json!({"expires_at": application.expires_at}),
            )?;
        Ok(true)
    })
}
