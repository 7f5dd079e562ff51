//! What a payment that succeeded does to its application.

use crate::application::{ApplicationStatus, Transition};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnSuccess {
    /// The user guide: "Once payment has been made, the application will
    /// automatically be submitted."
    Submit(ApplicationStatus),
    /// The application no longer awaited payment when the money arrived
    /// (withdrawn or expired meanwhile): the money goes back.
    Refund,
}

/// What a payment's success does to its application, found in
/// `application` when the success is recorded.
pub fn on_success(application: ApplicationStatus) -> OnSuccess {
    // `apply` also submits a deficient application: that is its
    // resubmission, which is never paid for. Money arriving for one was
    // taken for nothing, so only the status awaiting payment is submitted.
    if !application.awaiting_payment() {
        return OnSuccess::Refund;
    }
    match application.apply(Transition::Submit) {
        Ok(submitted) => OnSuccess::Submit(submitted),
        Err(_) => OnSuccess::Refund,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus as S;

    #[test]
    fn a_success_submits_an_application_awaiting_payment_and_refunds_any_other() {
        // (status when the money arrives, what the success does)
        let cases = [
            (S::InProgress, OnSuccess::Submit(S::Submitted)),
            // Resubmitted without paying: a payment never submits it.
            (S::Deficient, OnSuccess::Refund),
            (S::Withdrawn, OnSuccess::Refund),
            (S::Expired, OnSuccess::Refund),
            (S::Submitted, OnSuccess::Refund),
            (S::PendingReview, OnSuccess::Refund),
            (S::Approved, OnSuccess::Refund),
            (S::Denied, OnSuccess::Refund),
        ];
        assert_eq!(cases.len(), S::ALL.len());
        for (status, outcome) in cases {
            assert_eq!(on_success(status), outcome, "{status:?}");
        }
    }
}
