//! Periodic upkeep, run on every API node at once: expiring unpaid
//! applications, reminding before they expire, expiring credentials and
//! reminding their holders 90 and 30 days ahead, forgetting old throttle
//! events. Each step is a conditional update or an insert under a unique key,
//! so two nodes never expire one application twice nor send one reminder
//! twice.

use super::RequestContext;
use super::mail_templates;
use super::sessions::{audit, enqueue_mail};
use crate::error::ApiError;
use crate::state::AppState;
use chrono::{Duration, NaiveDateTime};
use kecs_domain::application::{ApplicationStatus, Transition};
use kecs_persistence::repo::{accounts, applications, throttle};
use serde_json::json;

/// Reminders before an unpaid application expires (issue 4: at 30 and 7 days).
pub const REMINDERS: [(&str, i64); 2] = [("expiry_30_days", 30), ("expiry_7_days", 7)];
const BATCH: i64 = 200;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SweepReport {
    pub expired: usize,
    pub reminded: usize,
    pub canceled_payments: usize,
    /// Charges a dead node left `processing`, settled from the gateway.
    pub reconciled_payments: usize,
    /// Credentials past their three years, and expiry reminders sent.
    pub credentials_expired: usize,
    pub credentials_reminded: usize,
}

/// One pass at `now`. Safe to run concurrently on several nodes.
pub fn run_once(state: &AppState, now: NaiveDateTime) -> Result<SweepReport, ApiError> {
    let ctx = RequestContext {
        now,
        request_id: None,
        client_address: None,
    };
    let mut report = SweepReport::default();
    loop {
        let due = state
            .db
            .read(|conn| applications::due_to_expire(conn, now, BATCH))?;
        if due.is_empty() {
            break;
        }
        for application in &due {
            report.expired += usize::from(expire(state, &ctx, application)?);
        }
        if due.len() < usize::try_from(BATCH).unwrap_or(usize::MAX) {
            break;
        }
    }
    for (kind, days) in REMINDERS {
        let due = state.db.read(|conn| {
            applications::due_for_reminder(conn, kind, now, Duration::days(days), BATCH)
        })?;
        for application in &due {
            report.reminded += usize::from(remind(state, &ctx, application, kind, days)?);
        }
    }
    (report.credentials_expired, report.credentials_reminded) =
        super::credentials::sweep(state, &ctx, BATCH)?;
    report.reconciled_payments = super::payments::reconcile_stuck(state, &ctx, BATCH)?;
    report.canceled_payments = state
        .db
        .transaction(|conn| kecs_persistence::repo::payments::cancel_abandoned(conn, now))?;
    state.db.transaction(|conn| {
        throttle::prune(conn, now - Duration::days(1))?;
        // Idempotency keys are kept at least 24 hours; two days to be safe.
        kecs_persistence::repo::idempotency::prune(conn, now - Duration::days(2))
    })?;
    if report.expired + report.reminded + report.credentials_expired + report.credentials_reminded
        > 0
    {
        state.outbox_signal.notify_one();
    }
    Ok(report)
}

/// Expires an application a request found past its expiry before the
/// sweep did. Best effort: the sweep does it anyway.
pub fn expire_now(
    state: &AppState,
    ctx: &RequestContext,
    application: &applications::StoredApplication,
) {
    if let Err(error) = expire(state, ctx, application) {
        tracing::warn!(%error, application_id = %application.id, "could not mark an expired application");
    }
    state.outbox_signal.notify_one();
}

fn expire(
    state: &AppState,
    ctx: &RequestContext,
    application: &applications::StoredApplication,
) -> Result<bool, ApiError> {
    let to = application
        .status
        .apply(Transition::Expire)
        .map_err(ApiError::internal)?;
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
        let owner = accounts::get(conn, &application.account_id)?;
        // Mail is queued on the wall clock: `ctx.now` is the time the sweep
        // judges by, which tests move forward.
        enqueue_mail(
            conn,
            &owner.email,
            &mail_templates::application_expired(&application.id),
            crate::state::now(),
        )?;
        audit(
            conn,
            ctx,
            None,
            "application.expired",
            ("application", &application.id),
            json!({"expires_at": application.expires_at}),
        )?;
        Ok(true)
    })
}

fn remind(
    state: &AppState,
    ctx: &RequestContext,
    application: &applications::StoredApplication,
    kind: &str,
    days: i64,
) -> Result<bool, ApiError> {
    let outcome = state.db.transaction(|conn| {
        applications::record_reminder(conn, &application.id, kind, ctx.now)?;
        let owner = accounts::get(conn, &application.account_id)?;
        let expires_at = application.expires_at.format("%Y-%m-%d %H:%M").to_string();
        enqueue_mail(
            conn,
            &owner.email,
            &mail_templates::expiry_reminder(&application.id, days, &expires_at),
            crate::state::now(),
        )?;
        audit(
            conn,
            ctx,
            None,
            "application.expiry_reminder_sent",
            ("application", &application.id),
            json!({"kind": kind}),
        )?;
        Ok::<_, ApiError>(())
    });
    match outcome {
        Ok(()) => Ok(true),
        Err(ApiError::Conflict { .. }) => Ok(false),
        Err(other) => Err(other),
    }
}

/// Sweeps every `interval` until the process ends.
pub async fn run(state: actix_web::web::Data<AppState>, interval: std::time::Duration) {
    loop {
        let for_work = state.clone();
        match actix_web::web::block(move || run_once(&for_work, crate::state::now())).await {
            Ok(Ok(report)) if report.expired + report.reminded > 0 => {
                tracing::info!(
                    expired = report.expired,
                    reminded = report.reminded,
                    "sweep done"
                );
            }
            Ok(Ok(_)) => {}
            Ok(Err(error)) => tracing::warn!(%error, "sweep failed"),
            Err(error) => tracing::error!(%error, "sweep panicked"),
        }
        tokio::time::sleep(interval).await;
    }
}
