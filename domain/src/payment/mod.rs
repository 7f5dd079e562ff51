//! Payments and invoices. Amounts are integer cents: money is never a float.
//!
//! Modules, one concept each:
//! - `status`: where a payment stands.
//! - `invoice`: what an application costs.

mod invoice;
mod status;

pub use invoice::{CURRENCY, Invoice, InvoiceLine, invoice};
pub use status::PaymentStatus;
