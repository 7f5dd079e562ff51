//! The periods and deadlines of Sec. 11(11), 12, 13, 14, 15 and 18.
//! (Those of Sec. 16 are in `preapproval`.)
//!
//! Every `…_deadline`/`…_due` date is the *last* day on which the act is in
//! time; every `…_on`/`…_until` date of a period is the first day the period
//! is over. Days are calendar days and years keep the month and day, with
//! 29 February → 28 February (see `calendar`).

use chrono::NaiveDate;

use super::Unmet;
use super::calendar::{add_days, add_years};
use super::citation::sec;

/// Sec. 12(1)(a): "within ten (10) days of the training".
pub const ATTENDANCE_ENTRY_DAYS: u64 = 10;
/// Sec. 12(1)(b): "for three (3) years".
pub const RECORDS_RETENTION_YEARS: u32 = 3;
/// Sec. 13(1)(a), 13(2), 13(5)(a): three years.
pub const CREDENTIAL_VALIDITY_YEARS: u32 = 3;
/// Sec. 14(3)(b): "within ten (10) days of the denial".
pub const DENIAL_REVIEW_REQUEST_DAYS: u64 = 10;
/// Sec. 14(3)(c): "within thirty (30) days".
pub const DENIAL_REVIEW_ORDER_DAYS: u64 = 30;
/// Sec. 15(2)(b): "after a two (2) year period".
pub const REAPPLICATION_WAIT_YEARS: u32 = 2;
/// Sec. 11(11)(a): "Five (5) years have passed".
pub const ONLINE_TRAINING_REPEAT_YEARS: u32 = 5;
/// Sec. 18(1)(b): "within forty-five (45) days of receipt of the DCC-203".
pub const AGENCY_DECISION_DAYS: u64 = 45;
/// Sec. 18(3)(b): "an additional sixty (60) clock hours … within two (2)
/// years".
pub const AGENCY_CDA_ADDITIONAL_HOURS_YEARS: u32 = 2;

// --- Sec. 12: records -------------------------------------------------------

/// Sec. 12(1)(a): the last day to enter attendance and trainees in the
/// data system. Reading: counted from the training's last day, since
/// attendance is known only when the training ends.
pub fn attendance_entry_deadline(training_ended_on: NaiveDate) -> NaiveDate {
    add_days(training_ended_on, ATTENDANCE_ENTRY_DAYS)
}

pub fn check_attendance_entry(
    training_ended_on: NaiveDate,
    entered_on: NaiveDate,
) -> Result<(), Unmet> {
    let deadline = attendance_entry_deadline(training_ended_on);
    if entered_on <= deadline {
        return Ok(());
    }
    Err(Unmet::new(
        "sec12_1_a_attendance_within_ten_days",
        sec(12, "(1)(a)"),
        format!(
            "Training attendance must be entered in the cabinet-designated data system within \
             10 days of the training ({training_ended_on}), by {deadline}; it was entered on \
             {entered_on}."
        ),
    ))
}

/// Sec. 12(1)(b): the first day the records of a training may be discarded
/// (kept three years from the training's last day).
pub fn records_kept_until(training_ended_on: NaiveDate) -> NaiveDate {
    add_years(training_ended_on, RECORDS_RETENTION_YEARS)
}

// --- Sec. 13: validity ------------------------------------------------------

/// Sec. 13(1)(a), 13(2), 13(5)(a): the day a credential issued on `issued_on`
/// stops being valid, three years later. Reading: "valid for three years"
/// covers the three years from the issue date, so the credential is current
/// through the day before this date.
pub fn credential_expires_on(issued_on: NaiveDate) -> NaiveDate {
    add_years(issued_on, CREDENTIAL_VALIDITY_YEARS)
}

/// Whether a credential issued on `issued_on` (and not revoked — the caller
/// knows) is current on `on`, as Sec. 11(3) and 16(1) require.
pub fn credential_current(issued_on: NaiveDate, on: NaiveDate) -> bool {
    issued_on <= on && on < credential_expires_on(issued_on)
}

// --- Sec. 14: denial review -------------------------------------------------

/// Sec. 14(3)(b): the last day to request a review of a denial.
pub fn denial_review_request_deadline(denied_on: NaiveDate) -> NaiveDate {
    add_days(denied_on, DENIAL_REVIEW_REQUEST_DAYS)
}

pub fn check_denial_review_request(
    denied_on: NaiveDate,
    requested_on: NaiveDate,
) -> Result<(), Unmet> {
    let deadline = denial_review_request_deadline(denied_on);
    if requested_on <= deadline {
        return Ok(());
    }
    Err(Unmet::new(
        "sec14_3_b_review_requested_within_ten_days",
        sec(14, "(3)(b)"),
        format!(
            "A review of the denial of {denied_on} had to be requested within 10 days, by \
             {deadline}; the request is dated {requested_on}."
        ),
    ))
}

/// When the written order on a denial review is due (Sec. 14(3)(c)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewOrderDue {
    /// The order is due by this date.
    By(NaiveDate),
    /// Extenuating circumstances prolong the review and the requester was
    /// told in time (Sec. 14(3)(c)1–2); the regulation sets no new date.
    Extended { notified_on: NaiveDate },
}

/// Sec. 14(3)(c): the written order is due within 30 days, unless the
/// commissioner or designee notifies the requester of an extension.
///
/// Readings: the 30 days run from receipt of the request (the text's "upon
/// completion of the review" gives no date anyone can know in advance, and
/// the contract promises a decision "within 30 days"); an extension counts
/// only if notified on or before the day the order was due — a notice sent
/// after the deadline cannot cure a missed deadline.
pub fn denial_review_order_due(
    request_received_on: NaiveDate,
    extension_notified_on: Option<NaiveDate>,
) -> ReviewOrderDue {
    let due = denial_review_order_deadline(request_received_on);
    match extension_notified_on {
        Some(notified_on) if check_review_extension_notice(due, notified_on).is_ok() => {
            ReviewOrderDue::Extended { notified_on }
        }
        _ => ReviewOrderDue::By(due),
    }
}

/// Sec. 14(3)(c): the day the written order is due, 30 days after the
/// request was received, unless extended (see `denial_review_order_due`).
pub fn denial_review_order_deadline(request_received_on: NaiveDate) -> NaiveDate {
    add_days(request_received_on, DENIAL_REVIEW_ORDER_DAYS)
}

/// Sec. 14(3)(c)1–2: an extension of the review must be notified to the
/// requester by the day the order is due (the reading above).
pub fn check_review_extension_notice(
    order_due_on: NaiveDate,
    notified_on: NaiveDate,
) -> Result<(), Unmet> {
    if notified_on <= order_due_on {
        return Ok(());
    }
    Err(Unmet::new(
        "sec14_3_c_extension_notified_in_time",
        sec(14, "(3)(c)"),
        format!(
            "The order was due on {order_due_on}; an extension had to be notified by then, not on \
             {notified_on}."
        ),
    ))
}

// --- Sec. 15: revocation ----------------------------------------------------

/// Sec. 15(2)(b): the first day an individual whose credential was revoked
/// may reapply ("after a two (2) year period", counted from the revocation).
pub fn reapplication_allowed_on(revoked_on: NaiveDate) -> NaiveDate {
    add_years(revoked_on, REAPPLICATION_WAIT_YEARS)
}

pub fn check_reapplication(revoked_on: NaiveDate, applied_on: NaiveDate) -> Result<(), Unmet> {
    let allowed_on = reapplication_allowed_on(revoked_on);
    if applied_on >= allowed_on {
        return Ok(());
    }
    Err(Unmet::new(
        "sec15_2_b_reapplication_after_two_years",
        sec(15, "(2)(b)"),
        format!(
            "A credential revoked on {revoked_on} may be applied for again only after two years, \
             from {allowed_on}."
        ),
    ))
}

// --- Sec. 11(11): repeating online training ---------------------------------

/// Sec. 11(11)(a): the first day a trainee may repeat an online training
/// course completed on `completed_on`.
pub fn online_training_repeat_allowed_on(completed_on: NaiveDate) -> NaiveDate {
    add_years(completed_on, ONLINE_TRAINING_REPEAT_YEARS)
}

/// Sec. 11(11): an online training course (orientation included) is not
/// repeated unless five years have passed or a disciplinary directive of a
/// state agency or employer requires it.
pub fn check_online_training_repeat(
    previously_completed_on: NaiveDate,
    repeated_on: NaiveDate,
    disciplinary_directive: bool,
) -> Result<(), Unmet> {
    let allowed_on = online_training_repeat_allowed_on(previously_completed_on);
    if disciplinary_directive || repeated_on >= allowed_on {
        return Ok(());
    }
    Err(Unmet::new(
        "sec11_11_online_training_not_repeated",
        sec(11, "(11)"),
        format!(
            "An online training course completed on {previously_completed_on} may not be \
             repeated before {allowed_on} (five years), unless a disciplinary directive by a \
             state agency or employer requires it."
        ),
    ))
}

// --- Sec. 18: training agencies ---------------------------------------------

/// Sec. 18(1)(b): the last day to decide an application to become a
/// cabinet-approved training agency.
pub fn agency_application_decision_due(received_on: NaiveDate) -> NaiveDate {
    add_days(received_on, AGENCY_DECISION_DAYS)
}

/// Sec. 18(3)(b): the last day of the two years in which an agency's
/// additional 60 clock hours toward the CDA are to be provided. Reading: the
/// two years run from completion of the first 60 hours of Sec. 18(3)(a).
pub fn agency_cda_additional_hours_deadline(
    first_sixty_hours_completed_on: NaiveDate,
) -> NaiveDate {
    add_years(
        first_sixty_hours_completed_on,
        AGENCY_CDA_ADDITIONAL_HOURS_YEARS,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(raw: &str) -> NaiveDate {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn each_period_ends_as_the_regulation_counts_it() {
        type Period = fn(NaiveDate) -> NaiveDate;
        let cases: [(&str, Period, &str, &str); 12] = [
            (
                "Sec. 12(1)(a)",
                attendance_entry_deadline,
                "2025-03-25",
                "2025-04-04",
            ),
            (
                "Sec. 12(1)(b)",
                records_kept_until,
                "2025-03-25",
                "2028-03-25",
            ),
            (
                "Sec. 13(1)(a)",
                credential_expires_on,
                "2025-03-25",
                "2028-03-25",
            ),
            (
                "Sec. 13(2) leap day",
                credential_expires_on,
                "2024-02-29",
                "2027-02-28",
            ),
            (
                "Sec. 14(3)(b)",
                denial_review_request_deadline,
                "2025-12-25",
                "2026-01-04",
            ),
            (
                "Sec. 15(2)(b)",
                reapplication_allowed_on,
                "2025-03-25",
                "2027-03-25",
            ),
            (
                "Sec. 15(2)(b) leap day",
                reapplication_allowed_on,
                "2024-02-29",
                "2026-02-28",
            ),
            (
                "Sec. 11(11)(a)",
                online_training_repeat_allowed_on,
                "2020-07-01",
                "2025-07-01",
            ),
            (
                "Sec. 18(1)(b)",
                agency_application_decision_due,
                "2025-01-01",
                "2025-02-15",
            ),
            (
                "Sec. 18(3)(b)",
                agency_cda_additional_hours_deadline,
                "2025-01-01",
                "2027-01-01",
            ),
            (
                "Sec. 12(1)(a) across months",
                attendance_entry_deadline,
                "2025-02-25",
                "2025-03-07",
            ),
            (
                "Sec. 14(3)(b) leap year",
                denial_review_request_deadline,
                "2024-02-25",
                "2024-03-06",
            ),
        ];
        for (citation, period, from, to) in cases {
            assert_eq!(period(d(from)), d(to), "{citation}: from {from}");
        }
    }

    #[test]
    fn checks_accept_the_last_day_and_refuse_the_next() {
        type Check = fn(NaiveDate, NaiveDate) -> Result<(), Unmet>;
        // (citation, check, from, act on, in time, rule)
        let cases: [(&str, Check, &str, &str, bool, &str); 8] = [
            (
                "Sec. 12(1)(a)",
                check_attendance_entry,
                "2025-03-25",
                "2025-04-04",
                true,
                "",
            ),
            (
                "Sec. 12(1)(a)",
                check_attendance_entry,
                "2025-03-25",
                "2025-04-05",
                false,
                "sec12_1_a_attendance_within_ten_days",
            ),
            (
                "Sec. 14(3)(b)",
                check_denial_review_request,
                "2025-03-01",
                "2025-03-11",
                true,
                "",
            ),
            (
                "Sec. 14(3)(b)",
                check_denial_review_request,
                "2025-03-01",
                "2025-03-12",
                false,
                "sec14_3_b_review_requested_within_ten_days",
            ),
            (
                "Sec. 15(2)(b)",
                check_reapplication,
                "2025-03-01",
                "2027-03-01",
                true,
                "",
            ),
            (
                "Sec. 15(2)(b)",
                check_reapplication,
                "2025-03-01",
                "2027-02-28",
                false,
                "sec15_2_b_reapplication_after_two_years",
            ),
            (
                "Sec. 11(11)",
                |from, on| check_online_training_repeat(from, on, false),
                "2020-07-01",
                "2025-07-01",
                true,
                "",
            ),
            (
                "Sec. 11(11)",
                |from, on| check_online_training_repeat(from, on, false),
                "2020-07-01",
                "2025-06-30",
                false,
                "sec11_11_online_training_not_repeated",
            ),
        ];
        for (citation, check, from, on, in_time, rule) in cases {
            match check(d(from), d(on)) {
                Ok(()) => assert!(in_time, "{citation}: {on} should be refused"),
                Err(unmet) => {
                    assert!(!in_time, "{citation}: {on} should be in time");
                    assert_eq!(unmet.rule, rule, "{citation}");
                    assert!(
                        unmet.citation.to_string().ends_with(&citation[5..]),
                        "{citation}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_disciplinary_directive_allows_an_early_repeat() {
        // Sec. 11(11)(b).
        assert!(check_online_training_repeat(d("2024-01-01"), d("2024-02-01"), true).is_ok());
    }

    #[test]
    fn an_extension_notice_is_in_time_up_to_the_day_the_order_is_due() {
        let due = d("2025-03-31");
        assert!(check_review_extension_notice(due, d("2025-03-31")).is_ok());
        let late = check_review_extension_notice(due, d("2025-04-01")).unwrap_err();
        assert_eq!(late.citation.to_string(), "922 KAR 2:240 Section 14(3)(c)");
    }

    #[test]
    fn the_review_order_is_due_in_thirty_days_unless_extended_in_time() {
        // (citation, received, extension notice, due)
        let received = d("2025-03-01");
        let cases = [
            ("Sec. 14(3)(c)", None, ReviewOrderDue::By(d("2025-03-31"))),
            (
                "Sec. 14(3)(c)2 notified in time",
                Some(d("2025-03-31")),
                ReviewOrderDue::Extended {
                    notified_on: d("2025-03-31"),
                },
            ),
            (
                "Sec. 14(3)(c)2 notified too late",
                Some(d("2025-04-01")),
                ReviewOrderDue::By(d("2025-03-31")),
            ),
        ];
        for (citation, notice, due) in cases {
            assert_eq!(denial_review_order_due(received, notice), due, "{citation}");
        }
    }

    #[test]
    fn a_credential_is_current_for_three_years_from_issue() {
        // (citation, on, current)
        let cases = [
            ("Sec. 13(1)(a) issue day", "2025-03-25", true),
            ("Sec. 13(1)(a) last day", "2028-03-24", true),
            ("Sec. 13(1)(a) expiry day", "2028-03-25", false),
            ("Sec. 13(1)(a) before issue", "2025-03-24", false),
        ];
        for (citation, on, current) in cases {
            assert_eq!(
                credential_current(d("2025-03-25"), d(on)),
                current,
                "{citation}"
            );
        }
    }
}
