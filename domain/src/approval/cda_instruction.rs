//! The planned program instruction a cabinet-approved training agency
//! provides a trainee (Sec. 18(3)): sixty clock hours with field-based
//! assignments toward the Commonwealth Child Care Credential (a), then an
//! additional sixty within two years toward the CDA (b).
//!
//! Readings (also in `docs/RULES.md`): each trainee is followed per agency;
//! the first sixty hours are complete on the day the sixtieth hour is
//! given, and the two years of (b) run from that day
//! (`deadlines::agency_cda_additional_hours_deadline`); (b) is "additional",
//! so it starts once (a) is complete; an agency records only the
//! instruction it was approved to offer.

use chrono::NaiveDate;

use super::agency::CdaInstruction;
use crate::rules::citation::sec;
use crate::rules::deadlines::agency_cda_additional_hours_deadline;
use crate::rules::{ClockHours, Unmet};
use crate::validation::Invalid;

/// Sec. 18(3)(a)–(b): sixty clock hours each.
pub const HOURS_PER_PART: ClockHours = ClockHours::whole(60);

/// Who a trainee is at an agency: name folded and date of birth.
pub fn trainee_key(first_name: &str, last_name: &str, date_of_birth: NaiveDate) -> String {
    let fold = |text: &str| {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!("{}|{}|{date_of_birth}", fold(first_name), fold(last_name))
}

/// Which sixty hours of Sec. 18(3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CdaPart {
    /// (a): toward the Commonwealth Child Care Credential.
    CommonwealthChildCareCredential,
    /// (b): toward the Child Development Associate Credential.
    ChildDevelopmentAssociate,
}

impl CdaPart {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::CommonwealthChildCareCredential => "commonwealth_child_care_credential",
            Self::ChildDevelopmentAssociate => "child_development_associate",
        }
    }

    pub const ALL: [CdaPart; 2] = [
        Self::CommonwealthChildCareCredential,
        Self::ChildDevelopmentAssociate,
    ];

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == raw)
            .ok_or_else(|| Invalid::new("is not a part of the instruction of Sec. 18(3)"))
    }

    fn offered_by(self, instruction: CdaInstruction) -> bool {
        match self {
            Self::CommonwealthChildCareCredential => instruction.commonwealth_child_care_credential,
            Self::ChildDevelopmentAssociate => instruction.child_development_associate,
        }
    }
}

/// One session of instruction given a trainee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    pub part: CdaPart,
    pub length: ClockHours,
    pub given_on: NaiveDate,
}

/// Where a trainee stands at one agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraineeProgress {
    pub part_a: ClockHours,
    /// The day the sixtieth hour of (a) was given.
    pub part_a_completed_on: Option<NaiveDate>,
    pub part_b: ClockHours,
    /// The last day of the two years for (b), once (a) is complete.
    pub part_b_due_by: Option<NaiveDate>,
}

impl TraineeProgress {
    /// The progress made by `sessions`, in the order given.
    pub fn of(sessions: &[Session]) -> Self {
        let mut ordered = sessions.to_vec();
        ordered.sort_by_key(|s| s.given_on);
        let mut part_a = ClockHours::ZERO;
        let mut part_b = ClockHours::ZERO;
        let mut completed = None;
        for session in ordered {
            match session.part {
                CdaPart::CommonwealthChildCareCredential => {
                    part_a = part_a + session.length;
                    if completed.is_none() && part_a >= HOURS_PER_PART {
                        completed = Some(session.given_on);
                    }
                }
                CdaPart::ChildDevelopmentAssociate => part_b = part_b + session.length,
            }
        }
        Self {
            part_a,
            part_a_completed_on: completed,
            part_b,
            part_b_due_by: completed.map(agency_cda_additional_hours_deadline),
        }
    }
}

fn unmet(rule: &'static str, clause: &'static str, message: String) -> Unmet {
    Unmet::new(rule, sec(18, clause), message)
}

/// Every rule the new session breaks, given the trainee's earlier sessions
/// at the agency, what the agency offers and the day it was approved (only
/// a cabinet-approved agency provides this instruction).
pub fn check_session(
    instruction: CdaInstruction,
    approved_on: NaiveDate,
    earlier: &[Session],
    session: Session,
) -> Vec<Unmet> {
    let mut found = Vec::new();
    if session.given_on < approved_on {
        found.push(unmet(
            "sec18_3_given_by_an_approved_agency",
            "(3)",
            format!(
                "The agency was approved on {approved_on}; instruction given on {} was not given \
                 by a cabinet-approved training agency.",
                session.given_on
            ),
        ));
    }
    if !session.part.offered_by(instruction) {
        found.push(unmet(
            "sec18_3_instruction_offered",
            "(3)",
            format!(
                "The agency was approved to provide {} instruction only; this is not part of it.",
                if instruction.commonwealth_child_care_credential {
                    "Commonwealth Child Care Credential"
                } else {
                    "Child Development Associate"
                }
            ),
        ));
    }
    let progress = TraineeProgress::of(earlier);
    match session.part {
        CdaPart::CommonwealthChildCareCredential => {
            let room = progress.part_a.shortfall_to(HOURS_PER_PART);
            if session.length > room {
                found.push(unmet(
                    "sec18_3_a_sixty_hours",
                    "(3)(a)",
                    format!(
                        "Sixty clock hours toward the Commonwealth Child Care Credential; {} are \
                         recorded, so at most {room} more.",
                        progress.part_a
                    ),
                ));
            }
        }
        CdaPart::ChildDevelopmentAssociate => {
            match progress.part_b_due_by {
                None => found.push(unmet(
                    "sec18_3_b_after_the_first_sixty",
                    "(3)(b)",
                    format!(
                        "The additional sixty hours follow the first sixty toward the \
                         Commonwealth Child Care Credential; {} of those are recorded.",
                        progress.part_a
                    ),
                )),
                Some(due) if session.given_on > due => found.push(unmet(
                    "sec18_3_b_within_two_years",
                    "(3)(b)",
                    format!(
                        "The additional sixty hours are provided within two years of completing \
                         the first sixty, by {due}; this session is dated {}.",
                        session.given_on
                    ),
                )),
                Some(_) => {}
            }
            let room = progress.part_b.shortfall_to(HOURS_PER_PART);
            if session.length > room {
                found.push(unmet(
                    "sec18_3_b_sixty_hours",
                    "(3)(b)",
                    format!(
                        "An additional sixty clock hours toward the CDA; {} are recorded, so at \
                         most {room} more.",
                        progress.part_b
                    ),
                ));
            }
        }
    }
    found
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(raw: &str) -> NaiveDate {
        raw.parse().unwrap()
    }

    const BOTH: CdaInstruction = CdaInstruction {
        commonwealth_child_care_credential: true,
        child_development_associate: true,
    };

    fn a(hours: u32, on: &str) -> Session {
        Session {
            part: CdaPart::CommonwealthChildCareCredential,
            length: ClockHours::whole(hours),
            given_on: day(on),
        }
    }

    fn b(hours: u32, on: &str) -> Session {
        Session {
            part: CdaPart::ChildDevelopmentAssociate,
            ..a(hours, on)
        }
    }

    fn rules(found: &[Unmet]) -> Vec<&'static str> {
        found.iter().map(|u| u.rule).collect()
    }

    #[test]
    fn sixty_hours_then_sixty_more_within_two_years() {
        // (what, earlier, new session, rules broken)
        let cases: Vec<(&str, Vec<Session>, Session, Vec<&str>)> = vec![
            (
                "(a) up to 60",
                vec![a(40, "2026-01-10")],
                a(20, "2026-02-01"),
                vec![],
            ),
            (
                "(a) past 60",
                vec![a(40, "2026-01-10")],
                a(21, "2026-02-01"),
                vec!["sec18_3_a_sixty_hours"],
            ),
            (
                "(b) before (a) is complete",
                vec![a(59, "2026-01-10")],
                b(1, "2026-02-01"),
                vec!["sec18_3_b_after_the_first_sixty"],
            ),
            (
                "(b) on the last day",
                vec![a(60, "2026-01-10")],
                b(10, "2028-01-10"),
                vec![],
            ),
            (
                "(b) a day late",
                vec![a(60, "2026-01-10")],
                b(10, "2028-01-11"),
                vec!["sec18_3_b_within_two_years"],
            ),
            (
                "(b) past 60",
                vec![a(60, "2026-01-10"), b(55, "2026-06-01")],
                b(6, "2026-07-01"),
                vec!["sec18_3_b_sixty_hours"],
            ),
        ];
        for (what, earlier, session, expected) in cases {
            assert_eq!(
                rules(&check_session(BOTH, day("2025-01-01"), &earlier, session)),
                expected,
                "{what}"
            );
        }
    }

    #[test]
    fn an_agency_records_only_what_it_offers() {
        let only_a = CdaInstruction {
            commonwealth_child_care_credential: true,
            child_development_associate: false,
        };
        let found = check_session(
            only_a,
            day("2025-01-01"),
            &[a(60, "2026-01-10")],
            b(1, "2026-02-01"),
        );
        assert_eq!(rules(&found), ["sec18_3_instruction_offered"]);
        let early = check_session(only_a, day("2026-03-01"), &[], a(1, "2026-02-28"));
        assert_eq!(rules(&early), ["sec18_3_given_by_an_approved_agency"]);
    }

    #[test]
    fn the_two_years_run_from_the_sixtieth_hour() {
        let progress =
            TraineeProgress::of(&[a(30, "2026-03-01"), a(30, "2026-01-10"), a(5, "2026-04-01")]);
        assert_eq!(progress.part_a, ClockHours::whole(65));
        assert_eq!(progress.part_a_completed_on, Some(day("2026-03-01")));
        assert_eq!(progress.part_b_due_by, Some(day("2028-03-01")));
    }
}
