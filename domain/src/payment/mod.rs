//! Payments and invoices. Amounts are integer cents: money is never a float.
//!
//! A payment awaits its payment method; confirming it charges it
//! (`processing`); the gateway settles it (`succeeded` or `failed`); a
//! succeeded payment submits its application, and may be refunded.
//!
//! Modules, one concept each:
//! - `status`: where a payment stands.
//! - `invoice`: what an application costs.
//! - `confirmation`: whether confirming charges the payment, and whether
//!   its application may be paid for.
//! - `settlement`: what a success does to the application.
//! - `refund`: what may go back.

mod confirmation;
mod invoice;
mod refund;
mod settlement;
mod status;

pub use confirmation::{Confirmation, another_payment_being_processed, check_payable};
pub use invoice::{CURRENCY, Invoice, InvoiceLine, invoice};
pub use refund::{Refundable, check_still_paid};
pub use settlement::{OnSuccess, on_success};
pub use status::PaymentStatus;

use chrono::NaiveDateTime;

/// A payment of an application's invoice, and where it stands with the
/// gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub id: String,
    pub application_id: String,
    pub account_id: String,
    pub amount_cents: i64,
    pub currency: String,
    pub status: PaymentStatus,
    pub payment_method: Option<String>,
    pub failure_reason: Option<String>,
    pub gateway_reference: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub succeeded_at: Option<NaiveDateTime>,
    pub refunded_cents: i64,
}
