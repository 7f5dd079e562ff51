//! Invoices and payments. A payment that succeeds submits the application in
//! the same transaction; the database's partial unique indexes make the
//! charge and the success exactly-once, whatever the concurrency.

use super::RequestContext;
use super::applications::{self as application_service, owned};
use super::record::{audit, enqueue_mail, record};
use crate::workflows::Ports;
use crate::workflows::WorkflowError;
use crate::workflows::gateway::ChargeOutcome;
use chrono::Duration;
use kecs_domain::DomainError;
use kecs_domain::application::Application;
use kecs_domain::payment::{
    self, Confirmation, Invoice, OnSuccess, Payment, PaymentStatus, Refundable,
};
use kecs_persistence::repo::applications;
use kecs_persistence::repo::payments::{self, ChargeRefused, NewPayment};
use kecs_persistence::{DbConnection, PersistenceError};
use serde_json::json;

fn invoice_for(
    conn: &mut DbConnection,
    application: &Application,
) -> Result<Invoice, WorkflowError> {
    let fees = payments::fees(conn)?;
    payment::invoice(&application.request_types, |t| fees.get(&t).copied()).ok_or_else(|| {
        WorkflowError::internal(format!(
            "the fee schedule does not price every request type of {}",
            application.id
        ))
    })
}

/// The caller's invoice for an application.
pub fn invoice(
    state: &Ports,
    account_id: &str,
    id: &str,
) -> Result<(Application, Invoice), WorkflowError> {
    state.db.read(|conn| {
        let application = owned(conn, id, account_id)?;
        let invoice = invoice_for(conn, &application)?;
        Ok((application, invoice))
    })
}

/// Creates a payment for the invoice: only for an in-progress application
/// whose every required element is complete (409 with what is missing).
pub fn create(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
) -> Result<Payment, WorkflowError> {
    application_service::edit(state, ctx, id, account_id, |conn, application| {
        // Judged inside the transaction that claimed the application, so no
        // element can change between the check and the payment.
        application_service::plan_view_ready(conn, application, ctx.now)?;
        let invoice = invoice_for(conn, application)?;
        let payment = payments::insert(
            conn,
            &NewPayment {
                application_id: id,
                account_id,
                amount_cents: invoice.total_cents,
                currency: invoice.currency,
                expires_at: ctx.now
                    + Duration::seconds(
                        i64::try_from(state.config.payment_ttl.as_secs()).unwrap_or(1800),
                    ),
            },
            ctx.now,
        )?;
        record(conn, ctx, Some(account_id)).audit(
            "payment.created",
            ("application", id),
            json!({"payment_id": payment.id, "amount_cents": payment.amount_cents}),
        )?;
        Ok(payment)
    })
}

fn owned_payment(
    conn: &mut DbConnection,
    id: &str,
    account_id: &str,
) -> Result<Payment, WorkflowError> {
    match payments::get(conn, id) {
        Ok(payment) if payment.account_id == account_id => Ok(payment),
        Ok(_) | Err(PersistenceError::NotFound) => Err(WorkflowError::NotFound),
        Err(other) => Err(other.into()),
    }
}

/// A payment its owner — or an admin — may see.
pub fn get(
    state: &Ports,
    caller: &crate::workflows::tokens::Caller,
    id: &str,
) -> Result<Payment, WorkflowError> {
    state.db.read(|conn| {
        if caller.role == kecs_domain::account::Role::Admin {
            return payments::get(conn, id).map_err(WorkflowError::from);
        }
        owned_payment(conn, id, &caller.account_id)
    })
}

/// Confirms a payment with a payment method: claim it for charging (one
/// transaction), charge (outside any transaction), record the outcome (one
/// transaction; success also submits the application).
pub fn confirm(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
    method: &str,
) -> Result<Payment, WorkflowError> {
    enum Claim {
        Charge(Payment),
        AlreadySucceeded(Payment),
    }
    let claim = state.db.transaction::<_, WorkflowError>(|conn| {
        let payment = owned_payment(conn, id, account_id)?;
        if payment.status.confirm(payment.expires_at, ctx.now)? == Confirmation::AlreadySucceeded {
            return Ok(Claim::AlreadySucceeded(payment));
        }
        match applications::claim_for_edit(conn, &payment.application_id, ctx.now)? {
            Ok(application) => payment::check_payable(application.status)?,
            Err(_) => return Err(DomainError::NotPayable.into()),
        }
        match payments::start_charging(conn, id, method, ctx.now)? {
            Ok(payment) => Ok(Claim::Charge(payment)),
            Err(ChargeRefused::AnotherInFlight) => {
                Err(payment::another_payment_being_processed().into())
            }
            Err(ChargeRefused::NotAwaiting(status)) => {
                status.check_confirmed_meanwhile()?;
                Ok(Claim::AlreadySucceeded(payments::get(conn, id)?))
            }
        }
    })?;
    let payment = match claim {
        Claim::AlreadySucceeded(payment) => return Ok(payment),
        Claim::Charge(payment) => payment,
    };
    // A zero invoice is confirmed without a gateway.
    let outcome = if payment.amount_cents == 0 {
        ChargeOutcome::Succeeded {
            reference: "no_charge".to_owned(),
        }
    } else {
        state
            .gateway
            .charge(&payment.id, payment.amount_cents, &payment.currency, method)
    };
    let (settled, closed) = state
        .db
        .transaction(|conn| apply_outcome(conn, ctx, &payment, &outcome, Some(account_id)))?;
    after_settlement(state, ctx, &settled, closed);
    Ok(settled)
}

/// Finishes charges a node claimed but never recorded (it died between the
/// claim and the gateway's answer): asks the gateway again under the same
/// idempotency key — so nothing is charged twice — and records its answer
/// exactly as a confirmation would have. A charge the gateway still holds
/// as pending waits for its webhook. Returns how many were settled.
pub fn reconcile_stuck(
    state: &Ports,
    ctx: &RequestContext,
    limit: i64,
) -> Result<usize, WorkflowError> {
    let before = ctx.now
        - chrono::Duration::from_std(state.config.payment_reconcile_after)
            .unwrap_or(chrono::Duration::minutes(2));
    let stuck = state
        .db
        .read(|conn| payments::stuck_processing(conn, before, limit))?;
    let mut settled_count = 0;
    for payment in stuck {
        let Some(method) = payment.payment_method.clone() else {
            continue;
        };
        let outcome = if payment.amount_cents == 0 {
            ChargeOutcome::Succeeded {
                reference: "no_charge".to_owned(),
            }
        } else {
            state.gateway.charge(
                &payment.id,
                payment.amount_cents,
                &payment.currency,
                &method,
            )
        };
        if matches!(outcome, ChargeOutcome::Pending { .. }) {
            continue;
        }
        let (settled, closed) = state
            .db
            .transaction(|conn| apply_outcome(conn, ctx, &payment, &outcome, None))?;
        tracing::warn!(payment_id = %payment.id, status = settled.status.as_str(), "reconciled a charge left processing");
        after_settlement(state, ctx, &settled, closed);
        settled_count += 1;
    }
    Ok(settled_count)
}

/// Records the gateway's answer for a payment being charged, in the
/// caller's transaction: a success also submits the application. Returns
/// the payment, and whether it succeeded for an application that closed
/// meanwhile (its money must go back).
fn apply_outcome(
    conn: &mut DbConnection,
    ctx: &RequestContext,
    payment: &Payment,
    outcome: &ChargeOutcome,
    actor: Option<&str>,
) -> Result<(Payment, bool), WorkflowError> {
    let id = payment.id.as_str();
    // The application first, then the payment: the order confirmation's
    // claim takes them in.
    applications::lock(conn, &payment.application_id, ctx.now)?;
    let mut closed = false;
    match outcome {
        ChargeOutcome::Succeeded { reference } => {
            if !payments::settle(
                conn,
                id,
                PaymentStatus::Succeeded,
                Some(reference),
                None,
                ctx.now,
            )? {
                return Ok((payments::get(conn, id)?, false)); // settled already (a racing webhook)
            }
            let application = applications::get(conn, &payment.application_id)?;
            let submitted = match payment::on_success(application.status) {
                OnSuccess::Submit(to) => applications::change_status(
                    conn,
                    &application.id,
                    application.status,
                    to,
                    ctx.now,
                )?,
                OnSuccess::Refund => false,
            };
            if submitted {
                let owner = kecs_persistence::repo::accounts::get(conn, &payment.account_id)?;
                let amount = format!(
                    "${}.{:02}",
                    payment.amount_cents / 100,
                    payment.amount_cents % 100
                );
                enqueue_mail(
                    conn,
                    &owner.email,
                    &super::mail_templates::application_submitted(&application.id, &amount),
                    ctx.now,
                )?;
                record(conn, ctx, actor).audit(
                    "application.submitted",
                    ("application", &application.id),
                    json!({"payment_id": id}),
                )?;
            } else {
                closed = true;
                record(conn, ctx, None).audit(
                    "payment.succeeded_for_closed_application",
                    ("application", &application.id),
                    json!({"payment_id": id}),
                )?;
            }
            record(conn, ctx, actor).audit(
                "payment.succeeded",
                ("application", &payment.application_id),
                json!({"payment_id": id, "amount_cents": payment.amount_cents}),
            )?;
        }
        ChargeOutcome::Declined { reason } => {
            if payments::settle(conn, id, PaymentStatus::Failed, None, Some(reason), ctx.now)? {
                record(conn, ctx, actor).audit(
                    "payment.failed",
                    ("application", &payment.application_id),
                    json!({"payment_id": id, "reason": reason}),
                )?;
            }
        }
        ChargeOutcome::Pending { reference } => {
            // Recorded, so reconciliation leaves it to the webhook.
            payments::record_pending_reference(conn, id, reference, ctx.now)?;
            record(conn, ctx, actor).audit(
                "payment.pending",
                ("application", &payment.application_id),
                json!({"payment_id": id, "reference": reference}),
            )?;
        }
    }
    Ok((payments::get(conn, id)?, closed))
}

/// After a settlement commits: mail goes out, and money taken for an
/// application that closed meanwhile (expired, withdrawn) goes back.
fn after_settlement(state: &Ports, ctx: &RequestContext, payment: &Payment, closed: bool) {
    state.outbox_signal.notify_one();
    if closed {
        let reason = "the application closed before its payment settled";
        if let Err(error) = refund(state, ctx, &payment.id, payment.amount_cents, reason, None) {
            tracing::error!(%error, payment_id = %payment.id, "automatic refund failed; refund it by hand");
        }
    }
}

/// Refunds `amount` of a succeeded payment — never more than was paid, in
/// total, whatever the concurrency. `actor` is the admin, or `None` for an
/// automatic refund.
pub fn refund(
    state: &Ports,
    ctx: &RequestContext,
    payment_id: &str,
    amount: i64,
    reason: &str,
    actor: Option<&str>,
) -> Result<(Payment, String), WorkflowError> {
    // Refused before any payment is read, so a bad amount is never a 404.
    if amount <= 0 {
        return Err(DomainError::RefundNotPositive.into());
    }
    let payment = state.db.transaction::<_, WorkflowError>(|conn| {
        let payment = payments::get(conn, payment_id)?;
        let refundable = Refundable {
            status: payment.status,
            amount_cents: payment.amount_cents,
            refunded_cents: payment.refunded_cents,
        };
        refundable.refund(amount)?;
        // The reservation is the guard under concurrency: two refunds read
        // the same amount left, only the one it fits reserves it.
        if !payments::reserve_refund(conn, payment_id, amount, ctx.now)? {
            return Err(DomainError::RefundExceedsWhatIsLeft(refundable.left_cents()).into());
        }
        Ok(payment)
    })?;
    let reference = payment.gateway_reference.clone().unwrap_or_default();
    match state.gateway.refund(&reference, amount) {
        Ok(refund_reference) => state.db.transaction(|conn| {
            let refund_id = payments::record_refund(
                conn,
                &payments::NewRefund { payment_id, amount_cents: amount, reason, automatic: actor.is_none(), gateway_reference: &refund_reference, created_by: actor },
                ctx.now,
            )?;
            record(conn, ctx, actor).audit("payment.refunded", ("application", &payment.application_id), json!({"payment_id": payment_id, "refund_id": refund_id, "amount_cents": amount, "automatic": actor.is_none()}))?;
            Ok((payments::get(conn, payment_id)?, refund_id))
        }),
        Err(why) => {
            state.db.transaction(|conn| payments::release_refund(conn, payment_id, amount))?;
            Err(DomainError::RefundRefused(why.to_string()).into())
        }
    }
}

/// A gateway event, verified by the caller.
pub struct GatewayEvent {
    pub id: String,
    pub payment_id: String,
    pub outcome: ChargeOutcome,
}

/// Applies a gateway event once, however often it is delivered and in
/// whatever order: it only settles a payment still being processed.
pub fn apply_event(
    state: &Ports,
    ctx: &RequestContext,
    event: &GatewayEvent,
) -> Result<bool, WorkflowError> {
    let kind = match event.outcome {
        ChargeOutcome::Succeeded { .. } => "payment.succeeded",
        ChargeOutcome::Declined { .. } => "payment.failed",
        ChargeOutcome::Pending { .. } => "payment.processing",
    };
    let applied = state.db.transaction(|conn| {
        if !payments::first_delivery(conn, &event.id, kind, ctx.now)? {
            return Ok(None);
        }
        let payment = match payments::get(conn, &event.payment_id) {
            Ok(payment) => payment,
            Err(PersistenceError::NotFound) => return Ok(None),
            Err(other) => return Err(other.into()),
        };
        if payment.status != PaymentStatus::Processing {
            return Ok(None); // settled already: a late or out-of-order event
        }
        apply_outcome(conn, ctx, &payment, &event.outcome, None).map(Some)
    })?;
    match applied {
        Some((payment, closed)) => {
            after_settlement(state, ctx, &payment, closed);
            Ok(true)
        }
        None => Ok(false),
    }
}

/// The fee schedule.
pub fn fee_schedule(
    state: &Ports,
) -> Result<std::collections::BTreeMap<kecs_domain::application::RequestType, i64>, WorkflowError> {
    Ok(state.db.read(payments::fees)?)
}

/// Changes one fee; applications already invoiced keep the amount of their
/// payment.
pub fn set_fee(
    state: &Ports,
    ctx: &RequestContext,
    admin_id: &str,
    request_type: kecs_domain::application::RequestType,
    amount_cents: i64,
) -> Result<(), WorkflowError> {
    if !(0..=10_000_000).contains(&amount_cents) {
        return Err(WorkflowError::field(
            "amount",
            "must be 0 to 10000000 cents",
        ));
    }
    state.db.transaction(|conn| {
        payments::set_fee(conn, request_type, amount_cents, admin_id, ctx.now)?;
        audit(
            conn,
            ctx,
            Some(admin_id),
            "fee.changed",
            ("fee", request_type.as_str()),
            json!({"amount_cents": amount_cents}),
        )
    })
}
