//! Invoices and payments. A payment that succeeds submits the application in
//! the same transaction; the database's partial unique indexes make the
//! charge and the success exactly-once, whatever the concurrency.

use super::RequestContext;
use super::applications::{self as application_service, owned};
use super::sessions::{audit, enqueue_mail};
use crate::error::ApiError;
use crate::gateway::ChargeOutcome;
use crate::state::AppState;
use chrono::Duration;
use kecs_domain::application::{ApplicationStatus, Transition};
use kecs_domain::payment::{self, Invoice, PaymentStatus};
use kecs_domain::validation::FieldErrors;
use kecs_persistence::repo::applications::{self, StoredApplication};
use kecs_persistence::repo::payments::{self, ChargeRefused, NewPayment, Payment};
use kecs_persistence::{DbConnection, PersistenceError};
use serde_json::json;

/// How long a payment waits for confirmation before the sweeper cancels it.
pub const PAYMENT_TTL: Duration = Duration::minutes(30);

fn invoice_for(
    conn: &mut DbConnection,
    application: &StoredApplication,
) -> Result<Invoice, ApiError> {
    let fees = payments::fees(conn)?;
    payment::invoice(&application.request_types, |t| fees.get(&t).copied()).ok_or_else(|| {
        ApiError::internal(format!(
            "the fee schedule does not price every request type of {}",
            application.id
        ))
    })
}

/// The caller's invoice for an application.
pub fn invoice(
    state: &AppState,
    account_id: &str,
    id: &str,
) -> Result<(StoredApplication, Invoice), ApiError> {
    state.db.read(|conn| {
        let application = owned(conn, id, account_id)?;
        let invoice = invoice_for(conn, &application)?;
        Ok((application, invoice))
    })
}

/// Creates a payment for the invoice: only for an in-progress application
/// whose every required element is complete (409 with what is missing).
pub fn create(
    state: &AppState,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
) -> Result<Payment, ApiError> {
    let view = application_service::view(state, ctx, account_id, id)?;
    application_service::edit(state, ctx, id, account_id, |conn, application| {
        if application.status != ApplicationStatus::InProgress {
            return Err(ApiError::Conflict {
                code: "not_payable",
                detail: format!(
                    "an application that is {} is not paid for (a deficient one is resubmitted without paying again)",
                    application.status
                ),
            });
        }
        if !view.overview.ready_for_payment {
            let mut missing = FieldErrors::new();
            for element in view.overview.elements.iter().filter(|e| {
                e.required && e.status != kecs_domain::application::ElementStatus::Complete
            }) {
                missing.push(
                    format!("elements.{}", element.key.as_str()),
                    format!(
                        "{} is {}",
                        element.title,
                        element.status.as_str().replace('_', " ")
                    ),
                );
            }
            return Err(ApiError::ConflictWithFields {
                code: "application_incomplete",
                detail: "every required element must be complete before payment".to_owned(),
                errors: missing,
            });
        }
        let invoice = invoice_for(conn, application)?;
        let payment = payments::insert(
            conn,
            &NewPayment {
                application_id: id,
                account_id,
                amount_cents: invoice.total_cents,
                currency: invoice.currency,
                expires_at: ctx.now + PAYMENT_TTL,
            },
            ctx.now,
        )?;
        audit(
            conn,
            ctx,
            Some(account_id),
            "payment.created",
            ("application", id),
            json!({"payment_id": payment.id, "amount_cents": payment.amount_cents}),
        )?;
        Ok(payment)
    })
}

fn owned_payment(conn: &mut DbConnection, id: &str, account_id: &str) -> Result<Payment, ApiError> {
    match payments::get(conn, id) {
        Ok(payment) if payment.account_id == account_id => Ok(payment),
        Ok(_) | Err(PersistenceError::NotFound) => Err(ApiError::NotFound),
        Err(other) => Err(other.into()),
    }
}

/// A payment its owner — or an admin — may see.
pub fn get(state: &AppState, caller: &crate::auth::Caller, id: &str) -> Result<Payment, ApiError> {
    state.db.read(|conn| {
        if caller.role == kecs_domain::account::Role::Admin {
            return payments::get(conn, id).map_err(|e| match e {
                PersistenceError::NotFound => ApiError::NotFound,
                other => other.into(),
            });
        }
        owned_payment(conn, id, &caller.account_id)
    })
}

fn conflict(code: &'static str, detail: &str) -> ApiError {
    ApiError::Conflict {
        code,
        detail: detail.to_owned(),
    }
}

/// Confirms a payment with a payment method: claim it for charging (one
/// transaction), charge (outside any transaction), record the outcome (one
/// transaction; success also submits the application).
pub fn confirm(
    state: &AppState,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
    method: &str,
) -> Result<Payment, ApiError> {
    enum Claim {
        Charge(Payment),
        AlreadySucceeded(Payment),
    }
    let claim = state.db.transaction(|conn| {
        let payment = owned_payment(conn, id, account_id)?;
        if payment.status == PaymentStatus::Succeeded {
            return Ok(Claim::AlreadySucceeded(payment));
        }
        if payment.status != PaymentStatus::RequiresPaymentMethod {
            return Err(conflict("payment_not_confirmable", &format!("this payment is {}; create a new payment", payment.status.as_str().replace('_', " "))));
        }
        if payment.expires_at <= ctx.now {
            return Err(conflict("payment_expired", "this payment was not confirmed in time; create a new payment"));
        }
        match applications::claim_for_edit(conn, &payment.application_id, ctx.now)? {
            Ok(application) if application.status == ApplicationStatus::InProgress => {}
            _ => return Err(conflict("not_payable", "the application can no longer be paid for (it was submitted, withdrawn or expired)")),
        }
        match payments::start_charging(conn, id, method, ctx.now)? {
            Ok(payment) => Ok(Claim::Charge(payment)),
            Err(ChargeRefused::AnotherInFlight) => Err(conflict("payment_in_progress", "another payment of this application is being processed")),
            Err(ChargeRefused::NotAwaiting(PaymentStatus::Succeeded)) => Ok(Claim::AlreadySucceeded(payments::get(conn, id)?)),
            Err(ChargeRefused::NotAwaiting(_)) => Err(conflict("payment_in_progress", "this payment is already being confirmed")),
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
    let settled = state.db.transaction(|conn| {
        match &outcome {
            ChargeOutcome::Succeeded { reference } => {
                payments::settle(conn, id, PaymentStatus::Succeeded, Some(reference), None, ctx.now)?;
                let application = applications::get(conn, &payment.application_id)?;
                let to = application.status.apply(Transition::Submit).map_err(ApiError::internal);
                let submitted = match to {
                    Ok(to) => applications::change_status(conn, &application.id, application.status, to, ctx.now)?,
                    Err(_) => false,
                };
                if submitted {
                    let owner = kecs_persistence::repo::accounts::get(conn, account_id)?;
                    let amount = format!("${}.{:02}", payment.amount_cents / 100, payment.amount_cents % 100);
                    enqueue_mail(conn, &owner.email, &super::mail_templates::application_submitted(&application.id, &amount), ctx.now)?;
                    audit(conn, ctx, Some(account_id), "application.submitted", ("application", &application.id), json!({"payment_id": id}))?;
                } else {
                    // Paid for an application that closed meanwhile: the
                    // money must go back (automatic refunds come with the
                    // refund flow); recorded so it cannot be missed.
                    tracing::error!(payment_id = %id, application_id = %application.id, "payment succeeded for an application that is no longer in progress");
                    audit(conn, ctx, None, "payment.succeeded_for_closed_application", ("application", &application.id), json!({"payment_id": id}))?;
                }
                audit(conn, ctx, Some(account_id), "payment.succeeded", ("application", &payment.application_id), json!({"payment_id": id, "amount_cents": payment.amount_cents}))?;
            }
            ChargeOutcome::Declined { reason } => {
                payments::settle(conn, id, PaymentStatus::Failed, None, Some(reason), ctx.now)?;
                audit(conn, ctx, Some(account_id), "payment.failed", ("application", &payment.application_id), json!({"payment_id": id, "reason": reason}))?;
            }
            ChargeOutcome::Pending { reference } => {
                audit(conn, ctx, Some(account_id), "payment.pending", ("application", &payment.application_id), json!({"payment_id": id, "reference": reference}))?;
            }
        }
        Ok::<_, ApiError>(payments::get(conn, id)?)
    })?;
    state.outbox_signal.notify_one();
    Ok(settled)
}
