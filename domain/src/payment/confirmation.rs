//! Confirming a payment: whether it is charged now, and whether its
//! application may still be paid for.

use super::PaymentStatus;
use crate::DomainError;
use crate::application::ApplicationStatus;
use chrono::NaiveDateTime;

/// What confirming a payment comes to, when it is not refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    /// Charge it with the payment method given.
    Charge,
    /// It succeeded already: the confirmation answers with it, so a retried
    /// request never charges twice.
    AlreadySucceeded,
}

impl PaymentStatus {
    /// Confirming, at `now`, a payment in this status that may be confirmed
    /// until `expires_at`. Only a payment still awaiting its payment method
    /// is charged: one being processed has its outcome coming, and a failed
    /// or canceled one is over (the applicant creates a new payment).
    pub fn confirm(
        self,
        expires_at: NaiveDateTime,
        now: NaiveDateTime,
    ) -> Result<Confirmation, DomainError> {
        match self {
            PaymentStatus::Succeeded => Ok(Confirmation::AlreadySucceeded),
            PaymentStatus::Processing => Err(DomainError::PaymentInProgress(
                "this payment is being processed; GET it for the outcome",
            )),
            PaymentStatus::Failed | PaymentStatus::Canceled => {
                Err(DomainError::PaymentNotConfirmable(self))
            }
            PaymentStatus::RequiresPaymentMethod if expires_at <= now => {
                Err(DomainError::PaymentExpired)
            }
            PaymentStatus::RequiresPaymentMethod => Ok(Confirmation::Charge),
        }
    }

    /// Confirming a payment that [`Self::confirm`] let through but that was
    /// found in this status when claimed for charging: another confirmation
    /// took it in between. `Ok` when that one's charge succeeded already,
    /// so this confirmation answers with the payment as it is now.
    pub fn check_confirmed_meanwhile(self) -> Result<(), DomainError> {
        match self {
            PaymentStatus::Succeeded => Ok(()),
            _ => Err(DomainError::PaymentInProgress(
                "this payment is already being confirmed",
            )),
        }
    }
}

/// Confirming a payment while another payment of the same application is
/// being charged: one charge at a time, or both could succeed for one
/// application.
pub fn another_payment_being_processed() -> DomainError {
    DomainError::PaymentInProgress("another payment of this application is being processed")
}

/// Whether an application in status `application` may be paid for: only
/// while it awaits payment. A submitted one is paid already, a deficient
/// one is resubmitted without paying again, and a closed one takes no
/// money.
pub fn check_payable(application: ApplicationStatus) -> Result<(), DomainError> {
    if application.awaiting_payment() {
        Ok(())
    } else {
        Err(DomainError::NotPayable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use PaymentStatus as P;
    use chrono::{Duration, NaiveDate};

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }

    #[test]
    fn confirming_charges_only_a_payment_awaiting_its_method_in_time() {
        let later = now() + Duration::minutes(30);
        let earlier = now() - Duration::seconds(1);
        // (status, expires_at, outcome)
        let cases = [
            (P::RequiresPaymentMethod, later, Ok(Confirmation::Charge)),
            (P::Succeeded, later, Ok(Confirmation::AlreadySucceeded)),
            // Succeeded is answered whatever the clock: it is the outcome.
            (P::Succeeded, earlier, Ok(Confirmation::AlreadySucceeded)),
            (P::Processing, later, Err(ErrorCode::PaymentInProgress)),
            (P::Failed, later, Err(ErrorCode::PaymentNotConfirmable)),
            (P::Canceled, later, Err(ErrorCode::PaymentNotConfirmable)),
            (
                P::RequiresPaymentMethod,
                now(),
                Err(ErrorCode::PaymentExpired),
            ),
            (
                P::RequiresPaymentMethod,
                earlier,
                Err(ErrorCode::PaymentExpired),
            ),
            // A failed payment says so, not that it expired.
            (P::Failed, earlier, Err(ErrorCode::PaymentNotConfirmable)),
        ];
        for (status, expires_at, outcome) in cases {
            assert_eq!(
                status.confirm(expires_at, now()).map_err(|e| e.code()),
                outcome,
                "{status:?} expiring {expires_at}"
            );
        }
    }

    #[test]
    fn refusals_to_confirm_say_what_to_do() {
        let later = now() + Duration::minutes(30);
        let cases = [
            (
                P::Processing,
                "this payment is being processed; GET it for the outcome",
            ),
            (P::Failed, "this payment is failed; create a new payment"),
            (
                P::Canceled,
                "this payment is canceled; create a new payment",
            ),
        ];
        for (status, message) in cases {
            let refusal = status.confirm(later, now()).unwrap_err();
            assert_eq!(refusal.to_string(), message);
        }
        assert_eq!(
            P::RequiresPaymentMethod
                .confirm(now(), now())
                .unwrap_err()
                .to_string(),
            "this payment was not confirmed in time; create a new payment"
        );
    }

    #[test]
    fn a_payment_confirmed_meanwhile_is_answered_if_it_succeeded_else_refused_as_in_progress() {
        for status in P::ALL {
            let outcome = status.check_confirmed_meanwhile();
            if status == P::Succeeded {
                assert_eq!(outcome, Ok(()));
            } else {
                assert_eq!(
                    outcome,
                    Err(DomainError::PaymentInProgress(
                        "this payment is already being confirmed"
                    )),
                    "{status:?}"
                );
            }
        }
    }

    #[test]
    fn one_payment_of_an_application_is_charged_at_a_time() {
        let refusal = another_payment_being_processed();
        assert_eq!(refusal.code(), ErrorCode::PaymentInProgress);
        assert_eq!(
            refusal.to_string(),
            "another payment of this application is being processed"
        );
    }

    #[test]
    fn only_an_application_awaiting_payment_is_payable() {
        for status in ApplicationStatus::ALL {
            let payable = status == ApplicationStatus::InProgress;
            assert_eq!(
                check_payable(status).map_err(|e| e.code()),
                if payable {
                    Ok(())
                } else {
                    Err(ErrorCode::NotPayable)
                },
                "{status:?}"
            );
        }
    }
}
