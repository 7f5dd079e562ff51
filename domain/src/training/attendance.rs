//! The roster of a training event (Sec. 12(1)(a)): who attended, where they
//! worked at the time, and the rules each row must meet (Sec. 11(1),
//! 11(11)).
//!
//! Readings (also in `docs/RULES.md`):
//! - Sec. 12(1)(a) "within ten (10) days of the training": counted from the
//!   training's last day; entered on day 10 is in time, from day 11 the
//!   roster is still accepted but recorded as late, for the cabinet.
//! - Sec. 11(11) "the same online training course": an online event of the
//!   same title and the same sponsoring organisation (compared without
//!   case, spacing or punctuation). Only a trainee matched to a person on
//!   record can be recognised; a new participant has no history.
//! - The five years run from the last day of the earlier course to the
//!   first day of the repeat.

use chrono::{NaiveDate, NaiveDateTime};

use crate::rules::deadlines::{check_attendance_entry, check_online_training_repeat};
use crate::rules::training::check_same_centre;
use crate::rules::{ClockHours, Unmet};

/// Where a trainee worked when trained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerAtTraining {
    pub name: String,
    /// The trainer's own child care center or family child care home.
    pub works_at_trainers_centre: bool,
    /// A Head Start program (42 U.S.C. 9831-9852).
    pub head_start_program: bool,
}

/// One row of a roster, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trainee {
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub employer: EmployerAtTraining,
    /// Sec. 11(11)(b): the state agency's or employer's directive requiring
    /// the repeat, as named by the trainer.
    pub disciplinary_directive: Option<String>,
}

/// The same course taken online before by a trainee on record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousOnlineTraining {
    pub ended_on: NaiveDate,
}

/// Every rule the row breaks, each with the field it concerns (relative to
/// the row: `employer`, `disciplinary_directive`).
pub fn check_trainee(
    trainee: &Trainee,
    event_starts_on: NaiveDate,
    previous: &[PreviousOnlineTraining],
) -> Vec<(&'static str, Unmet)> {
    let mut unmet = Vec::new();
    if let Err(found) = check_same_centre(
        trainee.employer.works_at_trainers_centre,
        trainee.employer.head_start_program,
    ) {
        unmet.push(("employer", found));
    }
    let directive = trainee.disciplinary_directive.is_some();
    if let Some(latest) = previous.iter().map(|p| p.ended_on).max()
        && let Err(found) = check_online_training_repeat(latest, event_starts_on, directive)
    {
        unmet.push(("disciplinary_directive", found));
    }
    unmet
}

/// Sec. 12(1)(a): entered after the ten days.
pub fn attendance_late(training_ended_on: NaiveDate, entered_on: NaiveDate) -> bool {
    check_attendance_entry(training_ended_on, entered_on).is_err()
}

/// How a row was matched when entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraineeMatch {
    /// A person on record (name, date of birth and the last four SSN
    /// digits agree), with their account if they have one.
    OnRecord {
        person_id: String,
        account_id: Option<String>,
    },
    /// Nobody on record matched: a participant without an account.
    NewParticipant,
}

/// A row of attendance as kept: what certificates and transcripts are made
/// from (Sec. 12(2)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceRecord {
    pub id: String,
    pub event_id: String,
    /// The row's place on the roster, from 1.
    pub line: u32,
    pub matched: TraineeMatch,
    pub trainee: Trainee,
    /// The event's clock hours, copied when entered.
    pub clock_hours: ClockHours,
    pub entered_at: NaiveDateTime,
    pub late: bool,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn trainee(same_centre: bool, head_start: bool, directive: Option<&str>) -> Trainee {
        Trainee {
            first_name: "Ann".to_owned(),
            last_name: "Lee".to_owned(),
            date_of_birth: day(1990, 1, 1),
            employer: EmployerAtTraining {
                name: "Little Acorns".to_owned(),
                works_at_trainers_centre: same_centre,
                head_start_program: head_start,
            },
            disciplinary_directive: directive.map(str::to_owned),
        }
    }

    #[test]
    fn rows_follow_section_11_1_and_11_11() {
        let starts = day(2026, 6, 1);
        let before = |y, m, d| vec![PreviousOnlineTraining { ended_on: day(y, m, d) }];
        // (citation, trainee, previous, expected rules)
        let cases: Vec<(&str, Trainee, Vec<PreviousOnlineTraining>, Vec<&str>)> = vec![
            ("Sec. 11(1)", trainee(true, false, None), vec![], vec!["sec11_1_same_centre_employee"]),
            ("Sec. 11(1) Head Start", trainee(true, true, None), vec![], vec![]),
            ("Sec. 11(11) 4 years 364 days", trainee(false, false, None), before(2021, 6, 2), vec!["sec11_11_online_training_not_repeated"]),
            ("Sec. 11(11) five years", trainee(false, false, None), before(2021, 6, 1), vec![]),
            ("Sec. 11(11)(b) directive", trainee(false, false, Some("Cabinet order 12")), before(2025, 6, 1), vec![]),
        ];
        for (citation, trainee, previous, expected) in cases {
            let rules: Vec<_> = check_trainee(&trainee, starts, &previous)
                .iter()
                .map(|(_, u)| u.rule)
                .collect();
            assert_eq!(rules, expected, "{citation}");
        }
    }

    #[test]
    fn attendance_is_late_from_day_eleven() {
        let ended = day(2026, 11, 2);
        assert!(!attendance_late(ended, day(2026, 11, 12)), "Sec. 12(1)(a) day 10");
        assert!(attendance_late(ended, day(2026, 11, 13)), "Sec. 12(1)(a) day 11");
    }
}
