//! The life of an application: `in_progress` → (paid) `submitted` →
//! `pending_review` (a certification specialist assigned) → `approved` |
//! `denied` | `deficient` (back to the applicant, who resubmits without
//! paying again). `expired` (unpaid 90 days after it was started) and
//! `withdrawn` are terminal.

use chrono::{Duration, NaiveDateTime};
use std::fmt;

/// The guide: "If payment is not received within 90 days, the application
/// will expire."
pub const EXPIRES_AFTER_DAYS: i64 = 90;

/// When an application started at `started_at` expires unless paid.
pub fn expires_at(started_at: NaiveDateTime) -> NaiveDateTime {
    started_at + Duration::days(EXPIRES_AFTER_DAYS)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApplicationStatus {
    InProgress,
    Submitted,
    PendingReview,
    Deficient,
    Approved,
    Denied,
    Expired,
    Withdrawn,
}

/// A change of status, as the workflows ask for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// Payment received (or a zero invoice confirmed); also resubmission of
    /// a deficient application, which is not paid again.
    Submit,
    Assign,
    Approve,
    Deny,
    ReturnAsDeficient,
    Withdraw,
    Expire,
    /// The commissioner's designee overturns a denial on review
    /// (Sec. 14(3)(c)): the order awards the credential.
    OverturnDenial,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an application that is {from} cannot be {verb}")]
pub struct TransitionError {
    pub from: ApplicationStatus,
    pub verb: &'static str,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 8] = [
        ApplicationStatus::InProgress,
        ApplicationStatus::Submitted,
        ApplicationStatus::PendingReview,
        ApplicationStatus::Deficient,
        ApplicationStatus::Approved,
        ApplicationStatus::Denied,
        ApplicationStatus::Expired,
        ApplicationStatus::Withdrawn,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::InProgress => "in_progress",
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::PendingReview => "pending_review",
            ApplicationStatus::Deficient => "deficient",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Denied => "denied",
            ApplicationStatus::Expired => "expired",
            ApplicationStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// The statuses in which the applicant may still change elements,
    /// attachments and answers: before submission, and again once returned
    /// as deficient.
    pub const EDITABLE: [ApplicationStatus; 2] =
        [ApplicationStatus::InProgress, ApplicationStatus::Deficient];

    /// The status in which the 90-day expiry runs: until payment ("If
    /// payment is not received within 90 days, the application will
    /// expire").
    pub const AWAITING_PAYMENT: ApplicationStatus = ApplicationStatus::InProgress;

    /// Whether the applicant may still change the application (one of
    /// [`Self::EDITABLE`]).
    pub const fn editable(self) -> bool {
        matches!(
            self,
            ApplicationStatus::InProgress | ApplicationStatus::Deficient
        )
    }

    /// Whether the 90-day expiry still runs: only until payment.
    pub const fn awaiting_payment(self) -> bool {
        matches!(self, Self::AWAITING_PAYMENT)
    }

    /// Whether moving to this status closes the application: a decision
    /// (approved, denied), an expiry or a withdrawal ends it. Only a denial
    /// overturned on review (Sec. 14(3)(c)) moves a closed application on.
    pub const fn closes(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Approved
                | ApplicationStatus::Denied
                | ApplicationStatus::Expired
                | ApplicationStatus::Withdrawn
        )
    }

    /// The status after `transition`, or why it is not allowed.
    pub fn apply(self, transition: Transition) -> Result<Self, TransitionError> {
        use ApplicationStatus as S;
        use Transition as T;
        let next = match (self, transition) {
            (S::InProgress | S::Deficient, T::Submit) => S::Submitted,
            (S::Submitted, T::Assign) => S::PendingReview,
            (S::PendingReview, T::Approve) => S::Approved,
            (S::PendingReview, T::Deny) => S::Denied,
            (S::PendingReview, T::ReturnAsDeficient) => S::Deficient,
            // "Withdraw before submission": a deficient application has
            // been submitted once, but is back in the applicant's hands.
            (S::InProgress | S::Deficient, T::Withdraw) => S::Withdrawn,
            (S::InProgress, T::Expire) => S::Expired,
            (S::Denied, T::OverturnDenial) => S::Approved,
            (from, transition) => {
                return Err(TransitionError {
                    from,
                    verb: transition.verb(),
                });
            }
        };
        Ok(next)
    }
}

impl Transition {
    pub const ALL: [Transition; 8] = [
        Transition::Submit,
        Transition::Assign,
        Transition::Approve,
        Transition::Deny,
        Transition::ReturnAsDeficient,
        Transition::Withdraw,
        Transition::Expire,
        Transition::OverturnDenial,
    ];

    /// Every status this transition applies to, with the status it leads
    /// to (`Assign`: submitted → pending review): what a conditional
    /// `UPDATE … WHERE status = from` needs.
    pub fn moves(self) -> impl Iterator<Item = (ApplicationStatus, ApplicationStatus)> {
        ApplicationStatus::ALL
            .into_iter()
            .filter_map(move |from| from.apply(self).ok().map(|to| (from, to)))
    }

    const fn verb(self) -> &'static str {
        match self {
            Transition::Submit => "submitted",
            Transition::Assign => "assigned",
            Transition::Approve => "approved",
            Transition::Deny => "denied",
            Transition::ReturnAsDeficient => "returned as deficient",
            Transition::Withdraw => "withdrawn",
            Transition::Expire => "expired",
            Transition::OverturnDenial => "approved on review of its denial",
        }
    }
}

impl fmt::Display for ApplicationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str().replace('_', " "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus as S;
    use Transition as T;

    #[test]
    fn every_transition_from_every_status() {
        // (from, transition, Some(to) when allowed)
        let allowed = [
            (S::InProgress, T::Submit, S::Submitted),
            (S::Deficient, T::Submit, S::Submitted),
            (S::Submitted, T::Assign, S::PendingReview),
            (S::PendingReview, T::Approve, S::Approved),
            (S::PendingReview, T::Deny, S::Denied),
            (S::PendingReview, T::ReturnAsDeficient, S::Deficient),
            (S::InProgress, T::Withdraw, S::Withdrawn),
            (S::Deficient, T::Withdraw, S::Withdrawn),
            (S::InProgress, T::Expire, S::Expired),
            (S::Denied, T::OverturnDenial, S::Approved),
        ];
        for from in S::ALL {
            for transition in T::ALL {
                let expected = allowed
                    .iter()
                    .find(|(f, t, _)| *f == from && *t == transition)
                    .map(|(_, _, to)| *to);
                assert_eq!(
                    from.apply(transition).ok(),
                    expected,
                    "{from:?} + {transition:?}"
                );
            }
        }
    }

    #[test]
    fn terminal_statuses_refuse_everything_with_a_reason() {
        let err = S::Expired.apply(T::Withdraw).unwrap_err();
        assert_eq!(
            err.to_string(),
            "an application that is expired cannot be withdrawn"
        );
        assert!(!S::Expired.editable() && !S::Withdrawn.editable() && !S::Submitted.editable());
    }

    #[test]
    fn editable_lists_exactly_the_statuses_that_are_editable() {
        let editable: Vec<_> = S::ALL.into_iter().filter(|s| s.editable()).collect();
        assert_eq!(editable, S::EDITABLE);
        // Everything the applicant may still change may also be withdrawn
        // or submitted; nothing else may.
        for status in S::ALL {
            assert_eq!(
                status.apply(T::Withdraw).is_ok(),
                status.editable(),
                "{status:?}"
            );
            assert_eq!(
                status.apply(T::Submit).is_ok(),
                status.editable(),
                "{status:?}"
            );
        }
    }

    #[test]
    fn only_the_status_awaiting_payment_expires() {
        let expiring: Vec<_> = S::ALL
            .into_iter()
            .filter(|s| s.apply(T::Expire).is_ok())
            .collect();
        assert_eq!(expiring, [S::AWAITING_PAYMENT]);
        for status in S::ALL {
            assert_eq!(
                status.awaiting_payment(),
                status == S::AWAITING_PAYMENT,
                "{status:?}"
            );
        }
    }

    #[test]
    fn decisions_expiry_and_withdrawal_close_an_application() {
        let closing: Vec<_> = S::ALL.into_iter().filter(|s| s.closes()).collect();
        assert_eq!(closing, [S::Approved, S::Denied, S::Expired, S::Withdrawn]);
        for status in closing {
            // Closed: only a denial overturned on review moves on.
            for transition in T::ALL {
                assert_eq!(
                    status.apply(transition).is_ok(),
                    (status, transition) == (S::Denied, T::OverturnDenial),
                    "{status:?} + {transition:?}"
                );
            }
        }
        for status in [S::InProgress, S::Submitted, S::PendingReview, S::Deficient] {
            assert!(!status.closes(), "{status:?}");
        }
    }

    #[test]
    fn moves_are_the_allowed_transitions() {
        assert_eq!(
            T::Assign.moves().collect::<Vec<_>>(),
            [(S::Submitted, S::PendingReview)]
        );
        assert_eq!(
            T::Submit.moves().collect::<Vec<_>>(),
            [(S::InProgress, S::Submitted), (S::Deficient, S::Submitted)]
        );
        for transition in T::ALL {
            for (from, to) in transition.moves() {
                assert_eq!(from.apply(transition), Ok(to));
            }
        }
    }

    #[test]
    fn expiry_is_ninety_days_after_start() {
        let started = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        assert_eq!(expires_at(started).to_string(), "2026-04-01 12:00:00");
    }
}
