//! A denied application: the reasons given, each citing the regulation, and
//! the applicant's request for its review, decided by a written order
//! (Sec. 14(3)).

use crate::rules::deadlines::denial_review_request_deadline;
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

impl Denial {
    /// Sec. 14(3)(b): the last day a review of this denial may be requested.
    pub fn review_request_by(&self) -> NaiveDate {
        denial_review_request_deadline(self.denied_on)
    }

    /// The day the written order is due (Sec. 14(3)(c)): the date given in a
    /// notified extension if there is one, else 30 days after the request
    /// (as recorded when it was made). `None` before a review is requested.
    pub fn order_due_on(&self) -> Option<NaiveDate> {
        self.review_extended_until.or(self.review_due_on)
    }
}

/// Where a denial stands for the person denied, and the date that matters
/// next: what they may still do, or what they are waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// Sec. 14(3)(b): a review may be requested through this day.
    ReviewMayBeRequested { until: NaiveDate },
    /// Sec. 14(3)(b): the 10 days ran out on this day with no request.
    ReviewNoLongerPossible { ended_on: NaiveDate },
    /// Sec. 14(3)(c): the written order is due by this day.
    OrderDue { by: NaiveDate },
    /// Sec. 14(3)(c)1-2: the review was extended with notice to this day.
    OrderExtended { until: NaiveDate },
    /// The order was due by this day and has not been issued.
    OrderOverdue { was_due: NaiveDate },
    /// Sec. 14(3)(c): the written order upheld the denial on this day.
    Upheld { on: NaiveDate },
    /// Sec. 14(3)(c): the written order overturned the denial on this day.
    Overturned { on: NaiveDate },
}

impl NextStep {
    pub const fn as_str(self) -> &'static str {
        match self {
            NextStep::ReviewMayBeRequested { .. } => "review_may_be_requested",
            NextStep::ReviewNoLongerPossible { .. } => "review_no_longer_possible",
            NextStep::OrderDue { .. } => "order_due",
            NextStep::OrderExtended { .. } => "order_extended",
            NextStep::OrderOverdue { .. } => "order_overdue",
            NextStep::Upheld { .. } => "upheld",
            NextStep::Overturned { .. } => "overturned",
        }
    }

    pub const fn date(self) -> NaiveDate {
        match self {
            NextStep::ReviewMayBeRequested { until: d }
            | NextStep::ReviewNoLongerPossible { ended_on: d }
            | NextStep::OrderDue { by: d }
            | NextStep::OrderExtended { until: d }
            | NextStep::OrderOverdue { was_due: d }
            | NextStep::Upheld { on: d }
            | NextStep::Overturned { on: d } => d,
        }
    }

    /// One sentence for the person denied.
    pub fn sentence(self) -> String {
        match self {
            NextStep::ReviewMayBeRequested { until } => {
                format!("You may ask for a review of this denial until {until}.")
            }
            NextStep::ReviewNoLongerPossible { ended_on } => format!(
                "A review of this denial could be asked for until {ended_on}; that time has \
                 passed and the denial stands."
            ),
            NextStep::OrderDue { by } => {
                format!("Your review was requested; the written order is due by {by}.")
            }
            NextStep::OrderExtended { until } => {
                format!("Your review was extended; the written order is now due by {until}.")
            }
            NextStep::OrderOverdue { was_due } => format!(
                "Your review was requested; the written order was due by {was_due} and has not \
                 been issued yet."
            ),
            NextStep::Upheld { on } => format!(
                "The denial was upheld on review on {on}: the written order gives the reasons."
            ),
            NextStep::Overturned { on } => format!(
                "The denial was overturned on review on {on}: the application is approved and \
                 the credential awarded."
            ),
        }
    }
}

/// What comes next for the person denied, on `today` (Sec. 14(3)).
pub fn next_step(denial: &Denial, today: NaiveDate) -> NextStep {
    if let (Some(decision), Some(decided_at)) = (denial.review_decision, denial.review_decided_at) {
        let on = decided_at.date();
        return match decision {
            ReviewDecision::Upheld => NextStep::Upheld { on },
            ReviewDecision::Overturned => NextStep::Overturned { on },
        };
    }
    let Some(due) = denial.order_due_on() else {
        let until = denial.review_request_by();
        return if today <= until {
            NextStep::ReviewMayBeRequested { until }
        } else {
            NextStep::ReviewNoLongerPossible { ended_on: until }
        };
    };
    if due < today {
        NextStep::OrderOverdue { was_due: due }
    } else if denial.review_extended_until.is_some() {
        NextStep::OrderExtended { until: due }
    } else {
        NextStep::OrderDue { by: due }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(raw: &str) -> NaiveDate {
        raw.parse().unwrap()
    }

    fn at(raw: &str) -> NaiveDateTime {
        day(raw).and_hms_opt(15, 0, 0).unwrap()
    }

    fn denied_on(raw: &str) -> Denial {
        Denial {
            application_id: "a".into(),
            reasons: vec![],
            denied_on: day(raw),
            review_requested_at: None,
            review_statement: None,
            review_due_on: None,
            review_extended_on: None,
            review_extension_reason: None,
            review_extended_until: None,
            review_decision: None,
            review_order: None,
            review_decided_at: None,
        }
    }

    #[test]
    fn the_next_step_follows_the_denial_through_its_review() {
        let requested = Denial {
            review_requested_at: Some(at("2026-12-05")),
            review_due_on: Some(day("2027-01-04")),
            ..denied_on("2026-12-01")
        };
        let extended = Denial {
            review_extended_on: Some(day("2026-12-20")),
            review_extension_reason: Some("Records awaited.".into()),
            review_extended_until: Some(day("2027-01-20")),
            ..requested.clone()
        };
        let decided = |decision| Denial {
            review_decision: Some(decision),
            review_order: Some("Order.".into()),
            review_decided_at: Some(at("2027-01-10")),
            ..extended.clone()
        };
        // (clause, denial, today, next step)
        let cases = [
            (
                "Sec. 14(3)(b) the day of the denial",
                denied_on("2026-12-01"),
                "2026-12-01",
                NextStep::ReviewMayBeRequested {
                    until: day("2026-12-11"),
                },
            ),
            (
                "Sec. 14(3)(b) the tenth day",
                denied_on("2026-12-01"),
                "2026-12-11",
                NextStep::ReviewMayBeRequested {
                    until: day("2026-12-11"),
                },
            ),
            (
                "Sec. 14(3)(b) the eleventh day",
                denied_on("2026-12-01"),
                "2026-12-12",
                NextStep::ReviewNoLongerPossible {
                    ended_on: day("2026-12-11"),
                },
            ),
            (
                "Sec. 14(3)(c) requested",
                requested.clone(),
                "2027-01-04",
                NextStep::OrderDue {
                    by: day("2027-01-04"),
                },
            ),
            (
                "Sec. 14(3)(c) past the 30 days",
                requested,
                "2027-01-05",
                NextStep::OrderOverdue {
                    was_due: day("2027-01-04"),
                },
            ),
            (
                "Sec. 14(3)(c)1-2 extended",
                extended.clone(),
                "2027-01-05",
                NextStep::OrderExtended {
                    until: day("2027-01-20"),
                },
            ),
            (
                "Sec. 14(3)(c) past the extension",
                extended.clone(),
                "2027-01-21",
                NextStep::OrderOverdue {
                    was_due: day("2027-01-20"),
                },
            ),
            (
                "Sec. 14(3)(c) upheld",
                decided(ReviewDecision::Upheld),
                "2027-03-01",
                NextStep::Upheld {
                    on: day("2027-01-10"),
                },
            ),
            (
                "Sec. 14(3)(c) overturned",
                decided(ReviewDecision::Overturned),
                "2027-03-01",
                NextStep::Overturned {
                    on: day("2027-01-10"),
                },
            ),
        ];
        for (clause, denial, today, expected) in cases {
            let step = next_step(&denial, day(today));
            assert_eq!(step, expected, "{clause}");
            assert!(
                step.sentence().contains(&step.date().to_string()),
                "{clause}: {}",
                step.sentence()
            );
        }
    }

    #[test]
    fn decisions_round_trip() {
        for decision in ReviewDecision::ALL {
            assert_eq!(ReviewDecision::parse(decision.as_str()), Some(decision));
        }
        assert_eq!(ReviewDecision::parse("reversed"), None);
    }
}
