//! A denied application: the reasons given, each citing the regulation, and
//! the applicant's request for its review, decided by a written order
//! (Sec. 14(3)).

use chrono::{NaiveDate, NaiveDateTime};

/// One reason for a denial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DenialReason {
    /// The clause of 922 KAR 2:240 the denial rests on.
    pub citation: String,
    pub message: String,
}

/// The written order's outcome (Sec. 14(3)(c)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewDecision {
    /// The denial stands.
    Upheld,
    /// The application is approved and the credential awarded.
    Overturned,
}

impl ReviewDecision {
    pub const ALL: [ReviewDecision; 2] = [ReviewDecision::Upheld, ReviewDecision::Overturned];

    pub const fn as_str(self) -> &'static str {
        match self {
            ReviewDecision::Upheld => "upheld",
            ReviewDecision::Overturned => "overturned",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == raw)
    }
}

/// An application denied with reasons, and the review its applicant may
/// request within 10 days (Sec. 14(3)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    pub application_id: String,
    pub reasons: Vec<DenialReason>,
    pub denied_on: NaiveDate,
    pub review_requested_at: Option<NaiveDateTime>,
    pub review_statement: Option<String>,
    pub review_due_on: Option<NaiveDate>,
    pub review_extended_on: Option<NaiveDate>,
    pub review_extension_reason: Option<String>,
    pub review_extended_until: Option<NaiveDate>,
    pub review_decision: Option<ReviewDecision>,
    pub review_order: Option<String>,
    pub review_decided_at: Option<NaiveDateTime>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_round_trip() {
        for decision in ReviewDecision::ALL {
            assert_eq!(ReviewDecision::parse(decision.as_str()), Some(decision));
        }
        assert_eq!(ReviewDecision::parse("reversed"), None);
    }
}
