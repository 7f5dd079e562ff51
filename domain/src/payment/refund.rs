//! Refunds: money going back from a payment that took it.

use super::PaymentStatus;
use crate::DomainError;

/// A payment as a refund sees it: what it took, and how much of that has
/// gone back so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refundable {
    pub status: PaymentStatus,
    pub amount_cents: i64,
    pub refunded_cents: i64,
}

impl Refundable {
    /// What may still go back.
    pub const fn left_cents(self) -> i64 {
        self.amount_cents.saturating_sub(self.refunded_cents)
    }

    /// The payment once `amount_cents` more of it went back. Only a
    /// succeeded payment took money, and never more goes back than it took,
    /// however many refunds it is split into.
    pub fn refund(self, amount_cents: i64) -> Result<Refundable, DomainError> {
        if amount_cents <= 0 {
            return Err(DomainError::RefundNotPositive);
        }
        if self.status != PaymentStatus::Succeeded {
            return Err(DomainError::NotRefundable);
        }
        if amount_cents > self.left_cents() {
            return Err(DomainError::RefundExceedsWhatIsLeft(self.left_cents()));
        }
        Ok(Refundable {
            refunded_cents: self.refunded_cents + amount_cents,
            ..self
        })
    }
}

/// Whether the application is still paid for, for approval: refused while
/// every succeeded payment of it went back in full (an admin's refund). An
/// application with no succeeded payment (resubmitted, or a zero invoice)
/// is not judged here; a payment that took nothing is not "refunded".
pub fn check_still_paid(payments: impl IntoIterator<Item = Refundable>) -> Result<(), DomainError> {
    let mut any_succeeded = false;
    for payment in payments {
        if payment.status != PaymentStatus::Succeeded {
            continue;
        }
        any_succeeded = true;
        if payment.refunded_cents == 0 || payment.left_cents() > 0 {
            return Ok(());
        }
    }
    if any_succeeded {
        Err(DomainError::PaymentRefunded)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use PaymentStatus as P;

    fn paid(status: PaymentStatus, refunded_cents: i64) -> Refundable {
        Refundable {
            status,
            amount_cents: 5000,
            refunded_cents,
        }
    }

    #[test]
    fn a_succeeded_payment_is_refunded_up_to_what_is_left() {
        // (refunded so far, refund asked, refunded after)
        let cases = [
            (0, 5000, 5000),
            (0, 1, 1),
            (3000, 2000, 5000),
            (1000, 500, 1500),
        ];
        for (before, amount, after) in cases {
            assert_eq!(
                paid(P::Succeeded, before).refund(amount),
                Ok(paid(P::Succeeded, after)),
                "{amount} of {before} refunded"
            );
        }
    }

    #[test]
    fn a_refund_is_refused_unless_positive_of_a_succeeded_payment_and_within_what_is_left() {
        // (payment, refund asked, refusal)
        let cases = [
            (paid(P::Succeeded, 0), 0, DomainError::RefundNotPositive),
            (paid(P::Succeeded, 0), -100, DomainError::RefundNotPositive),
            (paid(P::Processing, 0), 100, DomainError::NotRefundable),
            (paid(P::Failed, 0), 100, DomainError::NotRefundable),
            (paid(P::Canceled, 0), 100, DomainError::NotRefundable),
            (
                paid(P::RequiresPaymentMethod, 0),
                100,
                DomainError::NotRefundable,
            ),
            (
                paid(P::Succeeded, 0),
                5001,
                DomainError::RefundExceedsWhatIsLeft(5000),
            ),
            (
                paid(P::Succeeded, 4000),
                1001,
                DomainError::RefundExceedsWhatIsLeft(1000),
            ),
            (
                paid(P::Succeeded, 5000),
                1,
                DomainError::RefundExceedsWhatIsLeft(0),
            ),
        ];
        for (payment, amount, refusal) in cases {
            assert_eq!(
                payment.refund(amount),
                Err(refusal),
                "{amount} of {payment:?}"
            );
        }
    }

    #[test]
    fn an_amount_refused_names_the_amount_field_as_a_validation_failure() {
        for (refusal, message) in [
            (
                DomainError::RefundNotPositive,
                "must be a positive number of cents",
            ),
            (
                DomainError::RefundExceedsWhatIsLeft(1000),
                "is more than what is left to refund (1000 cents)",
            ),
        ] {
            assert_eq!(refusal.code(), ErrorCode::ValidationFailed);
            let fields = refusal.fields().unwrap();
            let field = fields.iter().next().unwrap();
            assert_eq!(
                (field.field.as_str(), field.message.as_str()),
                ("amount", message)
            );
            // Read as the field error it was before the rule moved here.
            assert_eq!(refusal.to_string(), fields.to_string());
        }
    }

    #[test]
    fn approval_needs_a_payment_not_refunded_in_full() {
        let free = Refundable {
            status: P::Succeeded,
            amount_cents: 0,
            refunded_cents: 0,
        };
        // (payments, still paid)
        let cases: [(Vec<Refundable>, bool); 8] = [
            (vec![], true),
            (vec![paid(P::Succeeded, 0)], true),
            (vec![paid(P::Succeeded, 4999)], true),
            (vec![paid(P::Succeeded, 5000)], false),
            (vec![paid(P::Succeeded, 5000), paid(P::Failed, 0)], false),
            (vec![paid(P::Succeeded, 5000), paid(P::Succeeded, 0)], true),
            (vec![paid(P::Canceled, 0)], true),
            (vec![free], true),
        ];
        for (payments, still_paid) in cases {
            let outcome = check_still_paid(payments.clone());
            assert_eq!(outcome.is_ok(), still_paid, "{payments:?}");
            if let Err(refusal) = outcome {
                assert_eq!(refusal, DomainError::PaymentRefunded);
                assert_eq!(refusal.code(), ErrorCode::PaymentRefunded);
            }
        }
    }

    #[test]
    fn what_is_left_is_what_was_taken_less_what_went_back() {
        assert_eq!(paid(P::Succeeded, 0).left_cents(), 5000);
        assert_eq!(paid(P::Succeeded, 1200).left_cents(), 3800);
        assert_eq!(paid(P::Succeeded, 5000).left_cents(), 0);
    }
}
