//! Withdrawal: the applicant gives up an application, before submission or
//! while it is back as deficient, but not while its money is moving.

use super::{ApplicationStatus, Transition};
use crate::DomainError;
use crate::payment::PaymentStatus;

impl ApplicationStatus {
    /// The status once the applicant withdraws an application whose
    /// payments stand at `payments`.
    ///
    /// A payment being processed may still succeed, and a success submits
    /// the application; withdrawn meanwhile, the application would be closed
    /// and the money sent back. So the applicant waits for it to settle.
    pub fn withdraw(
        self,
        payments: impl IntoIterator<Item = PaymentStatus>,
    ) -> Result<ApplicationStatus, DomainError> {
        if payments.into_iter().any(PaymentStatus::being_processed) {
            return Err(DomainError::PaymentInProgress(
                "a payment of this application is being processed; wait for it to settle",
            ));
        }
        self.apply(Transition::Withdraw)
            .map_err(DomainError::Transition)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use ApplicationStatus as S;
    use PaymentStatus as P;

    #[test]
    fn an_application_in_the_applicants_hands_is_withdrawn_once_no_payment_is_processing() {
        // (status, its payments)
        let cases: [(S, &[P]); 5] = [
            (S::InProgress, &[]),
            (S::InProgress, &[P::Failed, P::Canceled]),
            (S::InProgress, &[P::RequiresPaymentMethod]),
            // Paid once already; resubmitted without paying again.
            (S::Deficient, &[P::Succeeded]),
            (S::Deficient, &[]),
        ];
        for (status, payments) in cases {
            assert_eq!(
                status.withdraw(payments.iter().copied()),
                Ok(S::Withdrawn),
                "{status:?} with {payments:?}"
            );
        }
    }

    #[test]
    fn withdrawal_waits_for_a_processing_payment_to_settle() {
        for payments in [&[P::Processing][..], &[P::Failed, P::Processing]] {
            let refusal = S::InProgress
                .withdraw(payments.iter().copied())
                .unwrap_err();
            assert_eq!(refusal.code(), ErrorCode::PaymentInProgress, "{payments:?}");
            assert_eq!(
                refusal.to_string(),
                "a payment of this application is being processed; wait for it to settle"
            );
        }
    }

    #[test]
    fn a_submitted_or_closed_application_is_not_withdrawn() {
        for status in [
            S::Submitted,
            S::PendingReview,
            S::Approved,
            S::Denied,
            S::Expired,
            S::Withdrawn,
        ] {
            let refusal = status.withdraw([]).unwrap_err();
            assert_eq!(refusal.code(), ErrorCode::InvalidTransition, "{status:?}");
            assert_eq!(
                refusal,
                DomainError::Transition(Transition::Withdraw.refused_from(status))
            );
        }
    }
}
