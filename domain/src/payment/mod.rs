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
pub use refund::Refundable;
pub use settlement::{OnSuccess, on_success};
pub use status::PaymentStatus;
