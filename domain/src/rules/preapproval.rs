//! Preapproval of conferences, seminars, institutes, workshops, independent
//! studies and online training, Sec. 16.
//!
//! Readings (also in `docs/RULES.md`):
//! - "Shall apply thirty (30) days prior to the date of the training event"
//!   (16(2)) means at least 30 days before: the last day to apply is the event
//!   date minus 30 days.
//! - "Ten (10) working days of receipt of a complete application" (16(2))
//!   counts Monday–Friday after the day of receipt; state holidays are passed
//!   in by the caller when known (`calendar::working_days_after_excluding`).
//! - "May apply for a maximum of five (5) … events per calendar year" (16(6))
//!   counts applications by the calendar year in which they are made — the
//!   verb is "apply" — whatever their outcome.
//! - The two-year refusal after a sponsor's non-compliance (16(10)) runs from
//!   the cabinet's finding of non-compliance.
//! - A denied preapproval is reviewed as a denied credential is (16(9) →
//!   14(3)(a)–(c)): use `deadlines::denial_review_request_deadline` and
//!   `deadlines::denial_review_order_due`.

use chrono::{Datelike, NaiveDate};

use super::Unmet;
use super::calendar::{add_days, add_years, sub_days, working_days_after_excluding};
use super::citation::sec;

/// Sec. 16(2): "thirty (30) days prior to the date of the training event".
pub const APPLICATION_DAYS_BEFORE_EVENT: u64 = 30;
/// Sec. 16(2): "within ten (10) working days".
pub const DECISION_WORKING_DAYS: u32 = 10;
/// Sec. 16(6): "a maximum of five (5) cabinet-approved training events per
/// calendar year".
pub const UNCREDENTIALED_PRESENTER_EVENTS_PER_YEAR: usize = 5;
/// Sec. 16(7): "expire two (2) years from date of approval".
pub const ONLINE_APPROVAL_YEARS: u32 = 2;
/// Sec. 16(10): "deny preapproval of future training for two (2) years".
pub const SPONSOR_BAN_YEARS: u32 = 2;

/// The kinds of training event Sec. 16(1) names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    Conference,
    Seminar,
    Institute,
    Workshop,
    IndependentStudy,
    OnlineTraining,
}

impl EventKind {
    pub const ALL: [EventKind; 6] = [
        EventKind::Conference,
        EventKind::Seminar,
        EventKind::Institute,
        EventKind::Workshop,
        EventKind::IndependentStudy,
        EventKind::OnlineTraining,
    ];

    pub fn parse(raw: &str) -> Result<Self, crate::validation::Invalid> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == raw)
            .ok_or_else(|| crate::validation::Invalid::new("is not a kind of event of Sec. 16(1)"))
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            EventKind::Conference => "conference",
            EventKind::Seminar => "seminar",
            EventKind::Institute => "institute",
            EventKind::Workshop => "workshop",
            EventKind::IndependentStudy => "independent_study",
            EventKind::OnlineTraining => "online_training",
        }
    }
}

/// Whether an event must be preapproved: when its presenter does not hold a
/// current credential (16(1)), and always for an independent study, whoever
/// presents it (16(11)).
pub fn preapproval_required(kind: EventKind, presenter_holds_current_credential: bool) -> bool {
    !presenter_holds_current_credential || kind == EventKind::IndependentStudy
}

/// Sec. 16(2): the last day to apply for preapproval of an event on
/// `event_on`.
pub fn event_preapproval_latest_application(event_on: NaiveDate) -> NaiveDate {
    sub_days(event_on, APPLICATION_DAYS_BEFORE_EVENT)
}

pub fn check_event_preapproval_application(
    event_on: NaiveDate,
    applied_on: NaiveDate,
) -> Result<(), Unmet> {
    let latest = event_preapproval_latest_application(event_on);
    if applied_on <= latest {
        return Ok(());
    }
    Err(Unmet::new(
        "sec16_2_apply_thirty_days_before",
        sec(16, "(2)"),
        format!(
            "Preapproval must be applied for 30 days before the training event of {event_on}, \
             by {latest}; the application is dated {applied_on}."
        ),
    ))
}

/// Sec. 16(2): the last day for the cabinet's determination on a complete
/// application received on `received_on`, skipping weekends and `holidays`.
pub fn event_preapproval_decision_due(received_on: NaiveDate, holidays: &[NaiveDate]) -> NaiveDate {
    working_days_after_excluding(received_on, DECISION_WORKING_DAYS, holidays)
}

/// Sec. 16(2) with the clock stopped while the cabinet waits for information:
/// the ten working days run from `received_on`, and the days after each
/// request up to and including the day the information arrives do not count
/// (the answer's day is treated like the day of receipt). `None` while a
/// request is unanswered: no decision is due until the application is
/// complete again. Reading recorded in `docs/RULES.md`.
pub fn event_preapproval_decision_due_with_pauses(
    received_on: NaiveDate,
    pauses: &[(NaiveDate, Option<NaiveDate>)],
    holidays: &[NaiveDate],
) -> Option<NaiveDate> {
    let mut stopped: Vec<NaiveDate> = holidays.to_vec();
    for (requested_on, answered_on) in pauses {
        let answered_on = (*answered_on)?;
        let mut day = add_days(*requested_on, 1);
        while day <= answered_on && day < NaiveDate::MAX {
            stopped.push(day);
            day = add_days(day, 1);
        }
    }
    Some(working_days_after_excluding(
        received_on,
        DECISION_WORKING_DAYS,
        &stopped,
    ))
}

/// Sec. 16(6): an individual without a credential may apply for at most five
/// events a calendar year. `earlier_applications_on` are the dates of that
/// person's earlier applications (any year; only `applying_on`'s year
/// counts).
pub fn check_uncredentialed_presenter_limit(
    earlier_applications_on: &[NaiveDate],
    applying_on: NaiveDate,
) -> Result<(), Unmet> {
    let year = applying_on.year();
    let this_year = earlier_applications_on
        .iter()
        .filter(|applied_on| applied_on.year() == year)
        .count();
    if this_year < UNCREDENTIALED_PRESENTER_EVENTS_PER_YEAR {
        return Ok(());
    }
    Err(Unmet::new(
        "sec16_6_five_events_per_calendar_year",
        sec(16, "(6)"),
        format!(
            "An individual not holding a trainer's credential may apply for at most 5 training \
             events per calendar year; {this_year} applications are already recorded for {year}."
        ),
    ))
}

/// Sec. 16(7): the day the approval of an online training approved on
/// `approved_on` expires (two years; no longer valid from this day).
pub fn online_training_approval_expires_on(approved_on: NaiveDate) -> NaiveDate {
    add_years(approved_on, ONLINE_APPROVAL_YEARS)
}

pub fn online_training_approval_current(approved_on: NaiveDate, on: NaiveDate) -> bool {
    approved_on <= on && on < online_training_approval_expires_on(approved_on)
}

/// Sec. 16(10): the first day a sponsor found not to comply with Sec. 17 on
/// `non_compliance_found_on` may again be granted preapproval.
pub fn sponsor_preapproval_barred_until(non_compliance_found_on: NaiveDate) -> NaiveDate {
    add_years(non_compliance_found_on, SPONSOR_BAN_YEARS)
}

pub fn check_sponsor_not_barred(
    last_non_compliance_found_on: Option<NaiveDate>,
    applied_on: NaiveDate,
) -> Result<(), Unmet> {
    let Some(found_on) = last_non_compliance_found_on else {
        return Ok(());
    };
    let until = sponsor_preapproval_barred_until(found_on);
    if applied_on >= until {
        return Ok(());
    }
    Err(Unmet::new(
        "sec16_10_sponsor_barred_two_years",
        sec(16, "(10)"),
        format!(
            "The sponsor failed to comply with Section 17 (found on {found_on}); preapproval of \
             its future training is denied until {until}."
        ),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(raw: &str) -> NaiveDate {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn who_needs_preapproval() {
        // (citation, kind, presenter credentialed, required)
        let cases = [
            ("Sec. 16(1)", EventKind::Workshop, false, true),
            ("Sec. 16(1)", EventKind::Workshop, true, false),
            ("Sec. 16(1)", EventKind::OnlineTraining, false, true),
            ("Sec. 16(11)", EventKind::IndependentStudy, true, true),
            ("Sec. 16(11)", EventKind::IndependentStudy, false, true),
        ];
        for (citation, kind, credentialed, required) in cases {
            assert_eq!(
                preapproval_required(kind, credentialed),
                required,
                "{citation} {}",
                kind.as_str()
            );
        }
    }

    #[test]
    fn applications_are_due_thirty_days_ahead() {
        // (citation, event, applied, in time)
        let cases = [
            ("Sec. 16(2)", "2025-05-31", "2025-05-01", true),
            ("Sec. 16(2)", "2025-05-31", "2025-05-02", false),
            (
                "Sec. 16(2) across a leap day",
                "2024-03-15",
                "2024-02-14",
                true,
            ),
            (
                "Sec. 16(2) across a leap day",
                "2024-03-15",
                "2024-02-15",
                false,
            ),
        ];
        for (citation, event, applied, in_time) in cases {
            let result = check_event_preapproval_application(d(event), d(applied));
            assert_eq!(result.is_ok(), in_time, "{citation}: {event} {applied}");
            if let Err(unmet) = result {
                assert_eq!(unmet.rule, "sec16_2_apply_thirty_days_before");
            }
        }
    }

    #[test]
    fn the_clock_stops_while_information_is_requested() {
        // Received Monday 2025-06-02: due 2025-06-16 without a request.
        let received = d("2025-06-02");
        assert_eq!(
            event_preapproval_decision_due_with_pauses(received, &[], &[]),
            Some(d("2025-06-16")),
            "Sec. 16(2) no request"
        );
        // Information requested Wednesday 06-04, still unanswered: no due date.
        assert_eq!(
            event_preapproval_decision_due_with_pauses(received, &[(d("2025-06-04"), None)], &[]),
            None,
            "Sec. 16(2) clock stopped"
        );
        // Answered Monday 06-09: Thu 06-05, Fri 06-06 and Mon 06-09 do not
        // count, so the due date moves three working days to 2025-06-19.
        assert_eq!(
            event_preapproval_decision_due_with_pauses(
                received,
                &[(d("2025-06-04"), Some(d("2025-06-09")))],
                &[],
            ),
            Some(d("2025-06-19")),
            "Sec. 16(2) clock restarted"
        );
        // With Juneteenth recorded as a holiday as well: 2025-06-20.
        assert_eq!(
            event_preapproval_decision_due_with_pauses(
                received,
                &[(d("2025-06-04"), Some(d("2025-06-09")))],
                &[d("2025-06-19")],
            ),
            Some(d("2025-06-20")),
            "Sec. 16(2) clock restarted, holiday"
        );
    }

    #[test]
    fn the_decision_is_due_in_ten_working_days() {
        // 2025-06-02 is a Monday; 2025-06-19 (Juneteenth) given as a holiday.
        let cases: [(&str, &str, &[&str], &str); 3] = [
            ("Sec. 16(2)", "2025-06-02", &[], "2025-06-16"),
            (
                "Sec. 16(2) received Saturday",
                "2025-06-07",
                &[],
                "2025-06-20",
            ),
            (
                "Sec. 16(2) with a holiday",
                "2025-06-09",
                &["2025-06-19"],
                "2025-06-24",
            ),
        ];
        for (citation, received, holidays, due) in cases {
            let holidays: Vec<_> = holidays.iter().map(|h| d(h)).collect();
            assert_eq!(
                event_preapproval_decision_due(d(received), &holidays),
                d(due),
                "{citation}"
            );
        }
    }

    #[test]
    fn an_uncredentialed_presenter_applies_for_at_most_five_events_a_year() {
        let four = [
            d("2025-01-10"),
            d("2025-02-10"),
            d("2025-03-10"),
            d("2024-12-31"),
            d("2025-04-10"),
        ];
        // (citation, earlier applications, applying on, allowed)
        let cases: [(&str, &[NaiveDate], &str, bool); 4] = [
            ("Sec. 16(6) fifth of the year", &four, "2025-05-10", true),
            (
                "Sec. 16(6) sixth of the year",
                &[four[0], four[1], four[2], four[4], d("2025-05-10")],
                "2025-06-10",
                false,
            ),
            (
                "Sec. 16(6) new calendar year",
                &[four[0], four[1], four[2], four[4], d("2025-05-10")],
                "2026-01-01",
                true,
            ),
            ("Sec. 16(6) none", &[], "2025-01-01", true),
        ];
        for (citation, earlier, on, allowed) in cases {
            assert_eq!(
                check_uncredentialed_presenter_limit(earlier, d(on)).is_ok(),
                allowed,
                "{citation}"
            );
        }
    }

    #[test]
    fn online_approval_lasts_two_years() {
        // (citation, approved, on, current)
        let cases = [
            ("Sec. 16(7)", "2023-09-01", "2025-08-31", true),
            ("Sec. 16(7)", "2023-09-01", "2025-09-01", false),
            ("Sec. 16(7) leap day", "2024-02-29", "2026-02-27", true),
            ("Sec. 16(7) leap day", "2024-02-29", "2026-02-28", false),
        ];
        for (citation, approved, on, current) in cases {
            assert_eq!(
                online_training_approval_current(d(approved), d(on)),
                current,
                "{citation}"
            );
        }
    }

    #[test]
    fn a_non_compliant_sponsor_waits_two_years() {
        // (citation, finding, applied, allowed)
        let cases = [
            ("Sec. 16(10)", Some("2024-04-01"), "2026-03-31", false),
            ("Sec. 16(10)", Some("2024-04-01"), "2026-04-01", true),
            ("Sec. 16(10) never found", None, "2024-04-02", true),
        ];
        for (citation, finding, applied, allowed) in cases {
            let result = check_sponsor_not_barred(finding.map(d), d(applied));
            assert_eq!(result.is_ok(), allowed, "{citation}");
        }
    }
}
