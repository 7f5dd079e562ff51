//! What an application costs: one line per request type, at its scheduled
//! fee.

use crate::application::RequestType;

/// The only currency the cabinet invoices in.
pub const CURRENCY: &str = "USD";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    pub request_type: RequestType,
    pub description: &'static str,
    pub amount_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    pub lines: Vec<InvoiceLine>,
    pub total_cents: i64,
    pub currency: &'static str,
}

/// One line per request type of the application, at its scheduled fee.
/// `None` when a request type has no fee in the schedule (a configuration
/// fault: the schedule must price every request type).
pub fn invoice(
    request_types: &[RequestType],
    fee_of: impl Fn(RequestType) -> Option<i64>,
) -> Option<Invoice> {
    let lines = request_types
        .iter()
        .map(|&request_type| {
            Some(InvoiceLine {
                request_type,
                description: request_type.title(),
                amount_cents: fee_of(request_type)?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let total_cents = lines
        .iter()
        .try_fold(0i64, |sum, line| sum.checked_add(line.amount_cents))?;
    Some(Invoice {
        lines,
        total_cents,
        currency: CURRENCY,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invoice_has_a_line_per_request_type_and_their_sum() {
        let fee = |t: RequestType| {
            Some(if t == RequestType::SeminarWaiver {
                1500
            } else {
                5000
            })
        };
        let invoice = invoice(&[RequestType::NewLevel3, RequestType::SeminarWaiver], fee).unwrap();
        assert_eq!(invoice.lines.len(), 2);
        assert_eq!(invoice.lines[1].amount_cents, 1500);
        assert_eq!(invoice.total_cents, 6500);
        assert_eq!(invoice.currency, "USD");
    }

    #[test]
    fn an_unpriced_request_type_or_an_overflow_gives_no_invoice() {
        assert!(invoice(&[RequestType::Renewal], |_| None).is_none());
        assert!(
            invoice(
                &[RequestType::NewLevel1, RequestType::SeminarWaiver],
                |_| Some(i64::MAX)
            )
            .is_none()
        );
    }
}
