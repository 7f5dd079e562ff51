//! Fees and payments.

use crate::schema::{fees as f, payments as t};
use crate::{DbConnection, PersistenceError};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use kecs_domain::application::RequestType;
use kecs_domain::payment::{Payment, PaymentStatus};
use std::collections::BTreeMap;

/// The fee schedule: cents per request type.
pub fn fees(conn: &mut DbConnection) -> Result<BTreeMap<RequestType, i64>, PersistenceError> {
    let rows: Vec<(String, i64)> = f::table
        .select((f::request_type, f::amount_cents))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(name, cents)| RequestType::parse(&name).ok().map(|t| (t, cents)))
        .collect())
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = t)]
struct Row {
    id: String,
    application_id: String,
    account_id: String,
    amount_cents: i64,
    currency: String,
    status: String,
    payment_method: Option<String>,
    failure_reason: Option<String>,
    gateway_reference: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    expires_at: NaiveDateTime,
    succeeded_at: Option<NaiveDateTime>,
    refunded_cents: i64,
}

impl Row {
    fn into_domain(self) -> Result<Payment, PersistenceError> {
        Ok(Payment {
            status: PaymentStatus::parse(&self.status).ok_or_else(|| {
                PersistenceError::Unavailable(format!("payment {} has an unknown status", self.id))
            })?,
            id: self.id,
            application_id: self.application_id,
            account_id: self.account_id,
            amount_cents: self.amount_cents,
            currency: self.currency,
            payment_method: self.payment_method,
            failure_reason: self.failure_reason,
            gateway_reference: self.gateway_reference,
            created_at: self.created_at,
            updated_at: self.updated_at,
            expires_at: self.expires_at,
            succeeded_at: self.succeeded_at,
            refunded_cents: self.refunded_cents,
        })
    }
}

pub struct NewPayment<'a> {
    pub application_id: &'a str,
    pub account_id: &'a str,
    pub amount_cents: i64,
    pub currency: &'a str,
    pub expires_at: NaiveDateTime,
}

/// A payment row to insert (the bulk loader inserts many at once, so `None`
/// is written as NULL: SQLite's multi-row inserts take no DEFAULT).
#[derive(Insertable)]
#[diesel(table_name = t, treat_none_as_default_value = false)]
pub(crate) struct NewPaymentRow<'a> {
    pub(crate) id: String,
    pub(crate) application_id: &'a str,
    pub(crate) account_id: &'a str,
    pub(crate) amount_cents: i64,
    pub(crate) currency: &'a str,
    pub(crate) status: &'a str,
    pub(crate) payment_method: Option<&'a str>,
    pub(crate) gateway_reference: Option<String>,
    pub(crate) created_at: NaiveDateTime,
    pub(crate) updated_at: NaiveDateTime,
    pub(crate) expires_at: NaiveDateTime,
    pub(crate) succeeded_at: Option<NaiveDateTime>,
    pub(crate) refunded_cents: i64,
}

impl NewPaymentRow<'_> {
    pub(crate) const COLUMNS: usize = 13;
}

pub fn insert(
    conn: &mut DbConnection,
    new: &NewPayment<'_>,
    now: NaiveDateTime,
) -> Result<Payment, PersistenceError> {
    let id = super::new_id();
    diesel::insert_into(t::table)
        .values(&NewPaymentRow {
            id: id.clone(),
            application_id: new.application_id,
            account_id: new.account_id,
            amount_cents: new.amount_cents,
            currency: new.currency,
            status: PaymentStatus::RequiresPaymentMethod.as_str(),
            payment_method: None,
            gateway_reference: None,
            created_at: now,
            updated_at: now,
            expires_at: new.expires_at,
            succeeded_at: None,
            refunded_cents: 0,
        })
        .execute(conn)?;
    get(conn, &id)
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<Payment, PersistenceError> {
    t::table
        .filter(t::id.eq(id))
        .select(Row::as_select())
        .first(conn)?
        .into_domain()
}

/// Why a payment could not start being charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeRefused {
    /// It is no longer awaiting a payment method (already confirmed, failed, …).
    NotAwaiting(PaymentStatus),
    /// Another payment of the same application is being charged.
    AnotherInFlight,
}

/// Claims the payment for charging: `requires_payment_method` → `processing`.
/// The conditional update lets one of many concurrent confirmations of the
/// payment through; the partial unique index lets one payment per
/// application through — so the gateway is called at most once.
pub fn start_charging(
    conn: &mut DbConnection,
    id: &str,
    method: &str,
    now: NaiveDateTime,
) -> Result<Result<Payment, ChargeRefused>, PersistenceError> {
    // A savepoint: on PostgreSQL a unique violation would otherwise abort
    // the whole surrounding transaction.
    let claimed = conn.transaction::<_, DieselError, _>(|conn| {
        diesel::update(
            t::table
                .filter(t::id.eq(id))
                .filter(t::status.eq(PaymentStatus::RequiresPaymentMethod.as_str())),
        )
        .set((
            t::status.eq(PaymentStatus::Processing.as_str()),
            t::payment_method.eq(method),
            t::updated_at.eq(now),
        ))
        .execute(conn)
    });
    match claimed {
        Ok(1) => Ok(Ok(get(conn, id)?)),
        Ok(_) => Ok(Err(ChargeRefused::NotAwaiting(get(conn, id)?.status))),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            Ok(Err(ChargeRefused::AnotherInFlight))
        }
        Err(other) => Err(other.into()),
    }
}

/// Records the gateway's answer for a payment being charged.
pub fn settle(
    conn: &mut DbConnection,
    id: &str,
    to: PaymentStatus,
    gateway_reference: Option<&str>,
    failure_reason: Option<&str>,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let target = t::table
        .filter(t::id.eq(id))
        .filter(t::status.eq(PaymentStatus::Processing.as_str()));
    let changed = diesel::update(target)
        .set((
            t::status.eq(to.as_str()),
            t::gateway_reference.eq(gateway_reference),
            t::failure_reason.eq(failure_reason),
            t::succeeded_at.eq((to == PaymentStatus::Succeeded).then_some(now)),
            t::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Records the reference of a charge the gateway accepted but has not
/// settled (its webhook will).
pub fn record_pending_reference(
    conn: &mut DbConnection,
    id: &str,
    reference: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::update(
        t::table
            .filter(t::id.eq(id))
            .filter(t::status.eq(PaymentStatus::Processing.as_str())),
    )
    .set((t::gateway_reference.eq(reference), t::updated_at.eq(now)))
    .execute(conn)?;
    Ok(())
}

/// Charges left `processing` with no answer recorded since before
/// `before`: a node died between claiming the charge and recording the
/// gateway's answer. (A pending charge has its reference recorded.)
pub fn stuck_processing(
    conn: &mut DbConnection,
    before: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Payment>, PersistenceError> {
    t::table
        .filter(t::status.eq(PaymentStatus::Processing.as_str()))
        .filter(t::gateway_reference.is_null())
        .filter(t::updated_at.lt(before))
        .order((t::updated_at.asc(), t::id.asc()))
        .limit(limit)
        .select(Row::as_select())
        .load(conn)?
        .into_iter()
        .map(Row::into_domain)
        .collect()
}

/// Payments of an application, oldest first.
pub fn for_application(
    conn: &mut DbConnection,
    application_id: &str,
) -> Result<Vec<Payment>, PersistenceError> {
    t::table
        .filter(t::application_id.eq(application_id))
        .order((t::created_at.asc(), t::id.asc()))
        .select(Row::as_select())
        .load(conn)?
        .into_iter()
        .map(Row::into_domain)
        .collect()
}

/// The application's payments, each row held for this transaction (an
/// `UPDATE` that changes nothing takes the row lock on PostgreSQL; SQLite
/// serializes writers): a refund reserved meanwhile is waited for and seen,
/// not missed, by a decision that depends on what was paid.
pub fn hold_for_application(
    conn: &mut DbConnection,
    application_id: &str,
) -> Result<Vec<Payment>, PersistenceError> {
    diesel::update(t::table.filter(t::application_id.eq(application_id)))
        .set(t::updated_at.eq(t::updated_at))
        .execute(conn)?;
    for_application(conn, application_id)
}

/// Cancels payments left unconfirmed past their time-to-live (abandoned in
/// the guide's words). Payments being processed wait for the gateway.
pub fn cancel_abandoned(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> Result<usize, PersistenceError> {
    Ok(diesel::update(
        t::table
            .filter(t::status.eq(PaymentStatus::RequiresPaymentMethod.as_str()))
            .filter(t::expires_at.le(now)),
    )
    .set((
        t::status.eq(PaymentStatus::Canceled.as_str()),
        t::updated_at.eq(now),
    ))
    .execute(conn)?)
}

/// Reserves `amount` of a succeeded payment for a refund: `false` when that
/// would give back more than was paid (checked by the update itself, so
/// concurrent refunds cannot add up past the amount).
pub fn reserve_refund(
    conn: &mut DbConnection,
    id: &str,
    amount: i64,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let reserved = diesel::update(
        t::table
            .filter(t::id.eq(id))
            .filter(t::status.eq(PaymentStatus::Succeeded.as_str()))
            .filter((t::refunded_cents + amount).le(t::amount_cents)),
    )
    .set((
        t::refunded_cents.eq(t::refunded_cents + amount),
        t::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(reserved == 1)
}

/// Gives a reservation back (the gateway refused the refund).
pub fn release_refund(
    conn: &mut DbConnection,
    id: &str,
    amount: i64,
) -> Result<(), PersistenceError> {
    diesel::update(t::table.filter(t::id.eq(id)))
        .set(t::refunded_cents.eq(t::refunded_cents - amount))
        .execute(conn)?;
    Ok(())
}

pub struct NewRefund<'a> {
    pub payment_id: &'a str,
    pub amount_cents: i64,
    pub reason: &'a str,
    pub automatic: bool,
    pub gateway_reference: &'a str,
    pub created_by: Option<&'a str>,
}

#[derive(Insertable)]
#[diesel(table_name = crate::schema::refunds)]
struct NewRefundRow<'a> {
    id: &'a str,
    payment_id: &'a str,
    amount_cents: i64,
    reason: &'a str,
    automatic: bool,
    gateway_reference: &'a str,
    created_by: Option<&'a str>,
    created_at: NaiveDateTime,
}

pub fn record_refund(
    conn: &mut DbConnection,
    refund: &NewRefund<'_>,
    now: NaiveDateTime,
) -> Result<String, PersistenceError> {
    use crate::schema::refunds as r;
    let id = super::new_id();
    diesel::insert_into(r::table)
        .values(&NewRefundRow {
            id: &id,
            payment_id: refund.payment_id,
            amount_cents: refund.amount_cents,
            reason: refund.reason,
            automatic: refund.automatic,
            gateway_reference: refund.gateway_reference,
            created_by: refund.created_by,
            created_at: now,
        })
        .execute(conn)?;
    Ok(id)
}

#[derive(Insertable)]
#[diesel(table_name = crate::schema::webhook_events)]
struct NewWebhookEventRow<'a> {
    id: &'a str,
    event_type: &'a str,
    received_at: NaiveDateTime,
}

/// Records a gateway event as applied; `false` when it had been already.
pub fn first_delivery(
    conn: &mut DbConnection,
    event_id: &str,
    event_type: &str,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    use crate::schema::webhook_events as w;
    let inserted = conn.transaction::<_, DieselError, _>(|conn| {
        diesel::insert_into(w::table)
            .values(&NewWebhookEventRow {
                id: event_id,
                event_type,
                received_at: now,
            })
            .execute(conn)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(other) => Err(other.into()),
    }
}

/// Sets a request type's fee.
pub fn set_fee(
    conn: &mut DbConnection,
    request_type: RequestType,
    amount_cents: i64,
    admin_id: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::update(f::table.filter(f::request_type.eq(request_type.as_str())))
        .set((
            f::amount_cents.eq(amount_cents),
            f::updated_at.eq(now),
            f::updated_by.eq(admin_id),
        ))
        .execute(conn)?;
    Ok(())
}

/// Payments being charged now (read at every metrics scrape; the partial
/// unique index on `processing` holds exactly these). Many, or old ones,
/// mean the gateway or a node is stuck.
pub fn processing_count(conn: &mut DbConnection) -> Result<i64, PersistenceError> {
    Ok(t::table
        .filter(t::status.eq(PaymentStatus::Processing.as_str()))
        .count()
        .get_result(conn)?)
}
