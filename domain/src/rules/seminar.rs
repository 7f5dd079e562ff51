//! The trainer's seminar, Sec. 4, and its waiver, Sec. 3(4).
//!
//! Readings (also in `docs/RULES.md`):
//! - The seminar is required for Levels 2 to 5 only (Sec. 4: "applying for a
//!   Level 2 through 5"); Level 1 and the Specialty Level do not need it.
//! - Sec. 6(1)(c), 7(1)(b), 8(1)(b) and 9(1)(b) repeat the requirement "or
//!   equivalent, as approved by the cabinet". An equivalent the cabinet has
//!   approved is recorded by the caller as `seminar_completed`; the one
//!   equivalent the engine can decide from data is the Sec. 3(4) waiver.
//! - "Within the last ten (10) years" (Sec. 3(4)(a)) is counted back from the
//!   evaluation date (`as_of`, the date of the application): the coursework
//!   qualifies through its tenth anniversary, and is too old the day after.
//!   Coursework dated after the evaluation date is not yet completed.
//! - The waiver is for "a first-time applicant" only; a renewing or returning
//!   applicant must have the seminar itself.

use chrono::NaiveDate;

use super::Unmet;
use super::calendar::add_years;
use super::citation::{Citation, sec};
use super::level::Level;
use super::qualifications::{Qualifications, SeminarWaiver};
use super::quantities::ClockHours;

/// Sec. 4: "a seventeen (17) clock hour trainer's seminar, the Fundamentals of
/// Effective Training".
pub const SEMINAR: ClockHours = ClockHours::whole(17);
/// Sec. 3(4)(a): "within the last ten (10) years".
pub const WAIVER_COURSEWORK_YEARS: u32 = 10;

/// The last evaluation date on which coursework completed on
/// `coursework_completed_on` still counts for the waiver (its tenth
/// anniversary; 29 February → 28 February).
pub fn waiver_coursework_counts_through(coursework_completed_on: NaiveDate) -> NaiveDate {
    add_years(coursework_completed_on, WAIVER_COURSEWORK_YEARS)
}

/// Why the Sec. 3(4) waiver cannot be granted; empty when it can.
pub fn waiver_unmet(
    waiver: &SeminarWaiver,
    first_time_applicant: bool,
    as_of: NaiveDate,
) -> Vec<Unmet> {
    let mut unmet = Vec::new();
    if !first_time_applicant {
        unmet.push(Unmet::new(
            "sec3_4_first_time_applicant",
            sec(3, "(4)"),
            "Only a first-time applicant may be excused from the Fundamentals of Effective \
             Training seminar; this applicant is not recorded as applying for the first time.",
        ));
    }
    let completed_on = waiver.coursework_completed_on;
    let counts_through = waiver_coursework_counts_through(completed_on);
    if completed_on > as_of {
        unmet.push(Unmet::new(
            "sec3_4_a_coursework_within_ten_years",
            sec(3, "(4)(a)"),
            format!(
                "The equivalent coursework must already be completed; its completion date \
                 {completed_on} is after the evaluation date {as_of}."
            ),
        ));
    } else if counts_through < as_of {
        unmet.push(Unmet::new(
            "sec3_4_a_coursework_within_ten_years",
            sec(3, "(4)(a)"),
            format!(
                "The equivalent coursework must have been completed within the last 10 years; \
                 coursework completed on {completed_on} counted only through {counts_through}."
            ),
        ));
    }
    if !waiver.curriculum_matches {
        unmet.push(Unmet::new(
            "sec3_4_b_curriculum_matches",
            sec(3, "(4)(b)"),
            "The documentation must show that the coursework's curriculum matches the content \
             and focus of the Fundamentals of Effective Training seminar; it does not.",
        ));
    }
    unmet
}

/// Whether the Sec. 3(4) waiver was requested and can be granted.
pub fn seminar_waived(q: &Qualifications) -> bool {
    q.seminar_waiver
        .as_ref()
        .is_some_and(|waiver| waiver_unmet(waiver, q.first_time_applicant, q.as_of).is_empty())
}

/// The rule id and citation of the seminar requirement of `level`, as each
/// level's section repeats it; `None` for the levels that do not need it.
pub const fn seminar_rule(level: Level) -> Option<(&'static str, Citation)> {
    match level {
        Level::Level2 => Some(("sec6_1_c_trainers_seminar", sec(6, "(1)(c)"))),
        Level::Level3 => Some(("sec7_1_b_trainers_seminar", sec(7, "(1)(b)"))),
        Level::Level4 => Some(("sec8_1_b_trainers_seminar", sec(8, "(1)(b)"))),
        Level::Level5 => Some(("sec9_1_b_trainers_seminar", sec(9, "(1)(b)"))),
        Level::Level1 | Level::Specialty => None,
    }
}

/// Sec. 4 as each level requires it: nothing when the level does not need the
/// seminar, when it is completed, or when it is waived; otherwise the unmet
/// seminar, followed by the reasons a requested waiver fails.
pub fn seminar_requirement(q: &Qualifications, level: Level) -> Vec<Unmet> {
    let Some((rule, citation)) = seminar_rule(level) else {
        return Vec::new();
    };
    if q.seminar_completed {
        return Vec::new();
    }
    let waiver_reasons = match &q.seminar_waiver {
        Some(waiver) => waiver_unmet(waiver, q.first_time_applicant, q.as_of),
        None => Vec::new(),
    };
    if q.seminar_waiver.is_some() && waiver_reasons.is_empty() {
        return Vec::new();
    }
    let tail = if q.seminar_waiver.is_some() {
        "the waiver requested under Section 3(4) cannot be granted (reasons follow)"
    } else {
        "no waiver under Section 3(4) was requested"
    };
    let mut unmet = vec![Unmet::new(
        rule,
        citation,
        format!(
            "{} requires the 17 clock-hour Fundamentals of Effective Training seminar \
             (Section 4), or an equivalent approved by the cabinet. It is not recorded as \
             completed, and {tail}.",
            level.title()
        ),
    )];
    unmet.extend(waiver_reasons);
    unmet
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(raw: &str) -> NaiveDate {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").unwrap()
    }

    fn applicant(as_of: &str) -> Qualifications {
        let mut q = Qualifications::nothing_held(d("1980-01-01"), d(as_of));
        q.first_time_applicant = true;
        q
    }

    fn waiver(completed_on: &str, matches: bool) -> Option<SeminarWaiver> {
        Some(SeminarWaiver {
            coursework_completed_on: d(completed_on),
            curriculum_matches: matches,
        })
    }

    #[test]
    fn only_levels_2_to_5_need_the_seminar() {
        // (citation, level, needs it)
        let cases = [
            ("Sec. 4 / 5", Level::Level1, false),
            ("Sec. 4 / 6(1)(c)", Level::Level2, true),
            ("Sec. 4 / 7(1)(b)", Level::Level3, true),
            ("Sec. 4 / 8(1)(b)", Level::Level4, true),
            ("Sec. 4 / 9(1)(b)", Level::Level5, true),
            ("Sec. 4 / 10", Level::Specialty, false),
        ];
        let q = applicant("2025-06-01");
        for (citation, level, needed) in cases {
            assert_eq!(
                !seminar_requirement(&q, level).is_empty(),
                needed,
                "{citation}"
            );
        }
    }

    #[test]
    fn completing_the_seminar_meets_it() {
        let mut q = applicant("2025-06-01");
        q.seminar_completed = true;
        assert!(seminar_requirement(&q, Level::Level3).is_empty());
    }

    #[test]
    fn the_waiver_follows_section_3_4_to_the_day() {
        // (citation, as of, coursework completed on, curriculum matches,
        //  first-time applicant, expected unmet rule ids)
        type Row = (
            &'static str,
            &'static str,
            &'static str,
            bool,
            bool,
            &'static [&'static str],
        );
        let cases: [Row; 8] = [
            (
                "Sec. 3(4)(a) exactly ten years",
                "2025-06-01",
                "2015-06-01",
                true,
                true,
                &[],
            ),
            (
                "Sec. 3(4)(a) ten years and a day",
                "2025-06-02",
                "2015-06-01",
                true,
                true,
                &[
                    "sec7_1_b_trainers_seminar",
                    "sec3_4_a_coursework_within_ten_years",
                ],
            ),
            (
                "Sec. 3(4)(a) completed today",
                "2025-06-01",
                "2025-06-01",
                true,
                true,
                &[],
            ),
            (
                "Sec. 3(4)(a) not yet completed",
                "2025-06-01",
                "2025-06-02",
                true,
                true,
                &[
                    "sec7_1_b_trainers_seminar",
                    "sec3_4_a_coursework_within_ten_years",
                ],
            ),
            (
                "Sec. 3(4)(a) leap day",
                "2034-02-28",
                "2024-02-29",
                true,
                true,
                &[],
            ),
            (
                "Sec. 3(4)(a) leap day + 1",
                "2034-03-01",
                "2024-02-29",
                true,
                true,
                &[
                    "sec7_1_b_trainers_seminar",
                    "sec3_4_a_coursework_within_ten_years",
                ],
            ),
            (
                "Sec. 3(4)(b)",
                "2025-06-01",
                "2020-01-01",
                false,
                true,
                &["sec7_1_b_trainers_seminar", "sec3_4_b_curriculum_matches"],
            ),
            (
                "Sec. 3(4) first-time only",
                "2025-06-01",
                "2020-01-01",
                true,
                false,
                &["sec7_1_b_trainers_seminar", "sec3_4_first_time_applicant"],
            ),
        ];
        for (citation, as_of, completed_on, matches, first_time, expected) in cases {
            let mut q = applicant(as_of);
            q.first_time_applicant = first_time;
            q.seminar_waiver = waiver(completed_on, matches);
            let rules: Vec<_> = seminar_requirement(&q, Level::Level3)
                .iter()
                .map(|u| u.rule)
                .collect();
            assert_eq!(rules, expected, "{citation}");
            assert_eq!(seminar_waived(&q), expected.is_empty(), "{citation}");
        }
    }

    #[test]
    fn every_reason_a_waiver_fails_is_reported() {
        let mut q = applicant("2025-06-02");
        q.first_time_applicant = false;
        q.seminar_waiver = waiver("2010-01-01", false);
        let rules: Vec<_> = seminar_requirement(&q, Level::Level5)
            .iter()
            .map(|u| u.rule)
            .collect();
        assert_eq!(
            rules,
            [
                "sec9_1_b_trainers_seminar",
                "sec3_4_first_time_applicant",
                "sec3_4_a_coursework_within_ten_years",
                "sec3_4_b_curriculum_matches",
            ]
        );
    }

    #[test]
    fn the_seminar_finding_cites_the_levels_own_paragraph() {
        let q = applicant("2025-06-01");
        let unmet = seminar_requirement(&q, Level::Level2);
        assert_eq!(
            unmet[0].citation.to_string(),
            "922 KAR 2:240 Section 6(1)(c)"
        );
        assert!(
            unmet[0].message.contains("17 clock-hour"),
            "{}",
            unmet[0].message
        );
    }
}
