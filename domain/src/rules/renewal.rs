//! Renewal, Sec. 13: what a trainer must show to renew each level.
//!
//! Readings (also in `docs/RULES.md`):
//! - "Since the previous issue date" (Sec. 13(3)(b)) includes the issue date
//!   itself; hours completed the day before do not count. Hours dated after
//!   the evaluation date (`as_of`) are not yet completed and do not count.
//! - The 30 clock hours are the sum of the three categories: at least 7 on
//!   training adults (13(3)(b)1), at least 8 in early care and education
//!   (13(3)(b)2), and "any remaining clock hours" in related professional
//!   training or in either of the first two (13(3)(b)3). Hours beyond the
//!   minimum in the first two categories therefore count toward the 30.
//! - `data_system_training_verified` means the verification of Sec. 13(3)(c),
//!   13(4)(b), 13(5)(b)3 is on file, now or from before ("if verification has
//!   not been previously provided").
//! - The DCC-200 (13(3)(a), 13(4)(a), 13(5)(b)1) is the renewal application
//!   itself; its completeness is the application workflow's, not a rule here.
//! - The regulation sets no window in which a renewal must be filed and no
//!   consequence for filing after expiry, so the engine does not refuse a
//!   late renewal; it reports when the credential expires.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use super::Unmet;
use super::citation::sec;
use super::deadlines::credential_expires_on;
use super::level::Level;
use super::quantities::{ClockHours, ParseError};

/// Sec. 13(3)(b): "thirty (30) clock hours of continuing education".
pub const CE_TOTAL: ClockHours = ClockHours::whole(30);
/// Sec. 13(3)(b)1: "a minimum of seven (7) clock hours of training on how to
/// train other adults".
pub const CE_TRAINING_ADULTS: ClockHours = ClockHours::whole(7);
/// Sec. 13(3)(b)2: "a minimum of eight (8) clock hours in early care and
/// education".
pub const CE_EARLY_CARE_AND_EDUCATION: ClockHours = ClockHours::whole(8);

/// The categories of continuing education of Sec. 13(3)(b).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CeCategory {
    /// Sec. 13(3)(b)1: how to train other adults (adult learning theory,
    /// affecting change in behavior, or organization of training).
    TrainingAdults,
    /// Sec. 13(3)(b)2.
    EarlyCareAndEducation,
    /// Sec. 13(3)(b)3.a: training required for other related professional
    /// licensure, certification, or credential.
    RelatedProfessional,
}

impl CeCategory {
    pub const ALL: [CeCategory; 3] = [
        CeCategory::TrainingAdults,
        CeCategory::EarlyCareAndEducation,
        CeCategory::RelatedProfessional,
    ];

    /// The contract's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            CeCategory::TrainingAdults => "training_adults",
            CeCategory::EarlyCareAndEducation => "early_care_and_education",
            CeCategory::RelatedProfessional => "related_professional",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        Self::ALL
            .into_iter()
            .find(|category| category.as_str() == raw)
            .ok_or_else(|| ParseError::Unknown {
                kind: "continuing education category",
                value: raw.to_owned(),
                expected: "training_adults, early_care_and_education, related_professional",
            })
    }
}

impl FromStr for CeCategory {
    type Err = ParseError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

impl fmt::Display for CeCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One continuing-education record: `{category, clock_hours, completed_on}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CeEntry {
    pub category: CeCategory,
    pub clock_hours: ClockHours,
    pub completed_on: NaiveDate,
}

/// The contract's `POST /eligibility/renewal` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenewalRequest {
    /// The level being renewed.
    pub level: Level,
    /// The previous issue date of the credential.
    pub issued_on: NaiveDate,
    /// The evaluation date; the caller resolves the default ("today").
    pub as_of: NaiveDate,
    pub ce_hours: Vec<CeEntry>,
    /// A training coach has observed the trainer (Sec. 13(3)(d)).
    pub coach_observation: bool,
    /// The data-system training is verified (Sec. 13(3)(c), 13(4)(b),
    /// 13(5)(b)3).
    pub data_system_training_verified: bool,
    /// A current license, certification, or credential in the area of
    /// expertise (Sec. 13(5)(b)2).
    pub current_license: bool,
}

/// How the continuing-education hours were counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CeSummary {
    pub training_adults: ClockHours,
    pub early_care_and_education: ClockHours,
    pub related_professional: ClockHours,
    /// The sum of the three above.
    pub total: ClockHours,
    /// Hours completed before the previous issue date: not counted.
    pub before_issue_date: ClockHours,
    /// Hours dated after the evaluation date: not counted.
    pub after_as_of: ClockHours,
}

impl CeSummary {
    /// Counts the entries completed from `issued_on` through `as_of`.
    pub fn count(entries: &[CeEntry], issued_on: NaiveDate, as_of: NaiveDate) -> Self {
        let mut summary = Self::default();
        for entry in entries {
            let hours = entry.clock_hours;
            if entry.completed_on < issued_on {
                summary.before_issue_date = summary.before_issue_date + hours;
                continue;
            }
            if entry.completed_on > as_of {
                summary.after_as_of = summary.after_as_of + hours;
                continue;
            }
            match entry.category {
                CeCategory::TrainingAdults => {
                    summary.training_adults = summary.training_adults + hours;
                }
                CeCategory::EarlyCareAndEducation => {
                    summary.early_care_and_education = summary.early_care_and_education + hours;
                }
                CeCategory::RelatedProfessional => {
                    summary.related_professional = summary.related_professional + hours;
                }
            }
            summary.total = summary.total + hours;
        }
        summary
    }
}

/// What the engine decides for a renewal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenewalEvaluation {
    pub level: Level,
    pub eligible: bool,
    pub unmet: Vec<Unmet>,
    /// The continuing education as counted (all zero-hour categories are
    /// still reported; only Levels 2–4 need it).
    pub continuing_education: CeSummary,
    /// When the credential being renewed expires (Sec. 13(1)(a), 13(2),
    /// 13(5)(a): three years from its issue date).
    pub expires_on: NaiveDate,
}

/// Sec. 13 for the level of `request`; Sec. 14(2) refuses renewal to whoever
/// fails it.
pub fn evaluate_renewal(request: &RenewalRequest) -> RenewalEvaluation {
    let ce = CeSummary::count(&request.ce_hours, request.issued_on, request.as_of);
    let unmet = match request.level {
        Level::Level1 => vec![Unmet::new(
            "sec13_1_b_not_renewable",
            sec(13, "(1)(b)"),
            "A Level 1 credential is valid for three years and cannot be renewed; apply for \
             another level instead.",
        )],
        Level::Level2 | Level::Level3 | Level::Level4 => levels_2_to_4(request, &ce),
        Level::Level5 => {
            let mut unmet = Vec::new();
            if !request.data_system_training_verified {
                unmet.push(data_system_unmet(
                    "sec13_4_b_data_system_training",
                    sec(13, "(4)(b)"),
                ));
            }
            unmet
        }
        Level::Specialty => {
            let mut unmet = Vec::new();
            if !request.current_license {
                unmet.push(Unmet::new(
                    "sec13_5_b_2_current_license",
                    sec(13, "(5)(b)2"),
                    "Renewing a Specialty Level credential needs proof of a current license, \
                     certification, or credential in the area of expertise; none is recorded.",
                ));
            }
            if !request.data_system_training_verified {
                unmet.push(data_system_unmet(
                    "sec13_5_b_3_data_system_training",
                    sec(13, "(5)(b)3"),
                ));
            }
            unmet
        }
    };
    RenewalEvaluation {
        level: request.level,
        eligible: unmet.is_empty(),
        unmet,
        continuing_education: ce,
        expires_on: credential_expires_on(request.issued_on),
    }
}

fn data_system_unmet(rule: &'static str, citation: super::Citation) -> Unmet {
    Unmet::new(
        rule,
        citation,
        "Renewal needs verification of the cabinet-approved training on the \
         cabinet-designated data system (Section 2(4)); it has not been provided.",
    )
}

/// Sec. 13(3)(b)–(d).
fn levels_2_to_4(request: &RenewalRequest, ce: &CeSummary) -> Vec<Unmet> {
    let mut unmet = Vec::new();
    let level = request.level.title();
    let issued_on = request.issued_on;

    if ce.total < CE_TOTAL {
        let mut message = format!(
            "Renewing a {level} credential needs 30 clock hours of continuing education since \
             the previous issue date, {issued_on}; {} count, {} to go.",
            ce.total,
            ce.total.shortfall_to(CE_TOTAL)
        );
        if ce.before_issue_date > ClockHours::ZERO {
            message.push_str(&format!(
                " {} clock hours completed before {issued_on} do not count.",
                ce.before_issue_date
            ));
        }
        if ce.after_as_of > ClockHours::ZERO {
            message.push_str(&format!(
                " {} clock hours dated after {} are not yet completed.",
                ce.after_as_of, request.as_of
            ));
        }
        unmet.push(Unmet::new(
            "sec13_3_b_continuing_education",
            sec(13, "(3)(b)"),
            message,
        ));
    }
    if ce.training_adults < CE_TRAINING_ADULTS {
        unmet.push(Unmet::new(
            "sec13_3_b_1_training_adults",
            sec(13, "(3)(b)1"),
            format!(
                "At least 7 of the clock hours must be training on how to train other adults \
                 (adult learning theory, affecting change in behavior, or organization of \
                 training); {} count since {issued_on}.",
                ce.training_adults
            ),
        ));
    }
    if ce.early_care_and_education < CE_EARLY_CARE_AND_EDUCATION {
        unmet.push(Unmet::new(
            "sec13_3_b_2_early_care_and_education",
            sec(13, "(3)(b)2"),
            format!(
                "At least 8 of the clock hours must be in early care and education; {} count \
                 since {issued_on}.",
                ce.early_care_and_education
            ),
        ));
    }
    if !request.data_system_training_verified {
        unmet.push(data_system_unmet(
            "sec13_3_c_data_system_training",
            sec(13, "(3)(c)"),
        ));
    }
    if !request.coach_observation {
        unmet.push(Unmet::new(
            "sec13_3_d_coach_observation",
            sec(13, "(3)(d)"),
            format!(
                "Renewing a {level} credential needs verification that a training coach has \
                 observed the trainer; none is recorded."
            ),
        ));
    }
    unmet
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(raw: &str) -> NaiveDate {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").unwrap()
    }

    fn entry(category: CeCategory, minutes: u32, on: &str) -> CeEntry {
        CeEntry {
            category,
            clock_hours: ClockHours::from_minutes(minutes),
            completed_on: d(on),
        }
    }

    use CeCategory::{
        EarlyCareAndEducation as Ece, RelatedProfessional as Rel, TrainingAdults as Adults,
    };
    const H: u32 = 60;

    /// A Level 3 renewal with 7 + 8 + 15 hours, coach and data system done.
    fn complete(level: Level) -> RenewalRequest {
        RenewalRequest {
            level,
            issued_on: d("2022-06-01"),
            as_of: d("2025-05-15"),
            ce_hours: vec![
                entry(Adults, 7 * H, "2023-01-10"),
                entry(Ece, 8 * H, "2023-02-10"),
                entry(Rel, 15 * H, "2024-03-10"),
            ],
            coach_observation: true,
            data_system_training_verified: true,
            current_license: false,
        }
    }

    fn rules(request: &RenewalRequest) -> Vec<&'static str> {
        evaluate_renewal(request)
            .unmet
            .iter()
            .map(|u| u.rule)
            .collect()
    }

    #[test]
    fn a_complete_renewal_of_levels_2_to_4_is_eligible() {
        for level in [Level::Level2, Level::Level3, Level::Level4] {
            let evaluation = evaluate_renewal(&complete(level));
            assert!(
                evaluation.eligible,
                "Sec. 13(3): {level} {:?}",
                evaluation.unmet
            );
            assert_eq!(evaluation.continuing_education.total, ClockHours::whole(30));
        }
    }

    #[test]
    fn continuing_education_at_its_boundaries() {
        type Change = fn(&mut RenewalRequest);
        // (citation, change, expected unmet rule ids)
        let cases: [(&str, Change, &[&str]); 9] = [
            (
                "Sec. 13(3)(b)1 6 hours",
                |r| r.ce_hours[0] = entry(Adults, 6 * H, "2023-01-10"),
                &[
                    "sec13_3_b_continuing_education",
                    "sec13_3_b_1_training_adults",
                ],
            ),
            (
                "Sec. 13(3)(b)1 6 hours, total made up",
                |r| {
                    r.ce_hours[0] = entry(Adults, 6 * H, "2023-01-10");
                    r.ce_hours.push(entry(Rel, H, "2023-01-11"));
                },
                &["sec13_3_b_1_training_adults"],
            ),
            (
                "Sec. 13(3)(b)1 6.75 hours",
                |r| {
                    r.ce_hours[0] = entry(Adults, 7 * H - 15, "2023-01-10");
                    r.ce_hours.push(entry(Rel, 15, "2023-01-11"));
                },
                &["sec13_3_b_1_training_adults"],
            ),
            (
                "Sec. 13(3)(b)2 7 hours",
                |r| {
                    r.ce_hours[1] = entry(Ece, 7 * H, "2023-02-10");
                    r.ce_hours.push(entry(Rel, H, "2023-01-11"));
                },
                &["sec13_3_b_2_early_care_and_education"],
            ),
            (
                "Sec. 13(3)(b) 29.75 hours",
                |r| r.ce_hours[2] = entry(Rel, 15 * H - 15, "2024-03-10"),
                &["sec13_3_b_continuing_education"],
            ),
            (
                "Sec. 13(3)(b)3.b remaining hours in categories 1 and 2",
                |r| {
                    r.ce_hours[2] = entry(Adults, 10 * H, "2024-03-10");
                    r.ce_hours.push(entry(Ece, 5 * H, "2024-03-11"));
                },
                &[],
            ),
            (
                "Sec. 13(3)(b) completed on the issue date counts",
                |r| {
                    r.ce_hours[0] = entry(Adults, 7 * H, "2022-06-01");
                },
                &[],
            ),
            (
                "Sec. 13(3)(b) completed the day before the issue date",
                |r| {
                    r.ce_hours[0] = entry(Adults, 7 * H, "2022-05-31");
                },
                &[
                    "sec13_3_b_continuing_education",
                    "sec13_3_b_1_training_adults",
                ],
            ),
            (
                "Sec. 13(3)(b) dated after the evaluation date",
                |r| {
                    r.ce_hours[1] = entry(Ece, 8 * H, "2025-05-16");
                },
                &[
                    "sec13_3_b_continuing_education",
                    "sec13_3_b_2_early_care_and_education",
                ],
            ),
        ];
        for (citation, change, expected) in cases {
            let mut request = complete(Level::Level3);
            change(&mut request);
            assert_eq!(rules(&request), expected, "{citation}");
        }
    }

    #[test]
    fn hours_before_the_issue_date_are_named_in_the_message() {
        let mut request = complete(Level::Level2);
        request.ce_hours[2] = entry(Rel, 15 * H, "2022-01-01");
        let evaluation = evaluate_renewal(&request);
        assert_eq!(
            evaluation.continuing_education.before_issue_date,
            ClockHours::whole(15)
        );
        let message = &evaluation.unmet[0].message;
        assert!(
            message.contains("15 clock hours completed before 2022-06-01"),
            "{message}"
        );
        assert!(message.contains("15 count, 15 to go"), "{message}");
    }

    #[test]
    fn each_level_renews_as_written() {
        // (citation, level, coach, data system, license, CE hours kept, expected)
        type Row = (
            &'static str,
            Level,
            bool,
            bool,
            bool,
            bool,
            &'static [&'static str],
        );
        let cases: [Row; 9] = [
            (
                "Sec. 13(1)(b)",
                Level::Level1,
                true,
                true,
                true,
                true,
                &["sec13_1_b_not_renewable"],
            ),
            (
                "Sec. 13(3)(c)",
                Level::Level2,
                true,
                false,
                false,
                true,
                &["sec13_3_c_data_system_training"],
            ),
            (
                "Sec. 13(3)(d)",
                Level::Level4,
                false,
                true,
                false,
                true,
                &["sec13_3_d_coach_observation"],
            ),
            (
                "Sec. 13(4) no CE or coach",
                Level::Level5,
                false,
                true,
                false,
                false,
                &[],
            ),
            (
                "Sec. 13(4)(b)",
                Level::Level5,
                true,
                false,
                true,
                true,
                &["sec13_4_b_data_system_training"],
            ),
            (
                "Sec. 13(5) no CE or coach",
                Level::Specialty,
                false,
                true,
                true,
                false,
                &[],
            ),
            (
                "Sec. 13(5)(b)2",
                Level::Specialty,
                true,
                true,
                false,
                true,
                &["sec13_5_b_2_current_license"],
            ),
            (
                "Sec. 13(5)(b)3",
                Level::Specialty,
                true,
                false,
                true,
                true,
                &["sec13_5_b_3_data_system_training"],
            ),
            (
                "Sec. 13(3) nothing",
                Level::Level3,
                false,
                false,
                false,
                false,
                &[
                    "sec13_3_b_continuing_education",
                    "sec13_3_b_1_training_adults",
                    "sec13_3_b_2_early_care_and_education",
                    "sec13_3_c_data_system_training",
                    "sec13_3_d_coach_observation",
                ],
            ),
        ];
        for (citation, level, coach, data_system, license, keep_ce, expected) in cases {
            let mut request = complete(level);
            request.coach_observation = coach;
            request.data_system_training_verified = data_system;
            request.current_license = license;
            if !keep_ce {
                request.ce_hours.clear();
            }
            assert_eq!(rules(&request), expected, "{citation}");
        }
    }

    #[test]
    fn the_evaluation_reports_the_expiry_date() {
        let mut request = complete(Level::Level5);
        request.issued_on = d("2024-02-29");
        assert_eq!(evaluate_renewal(&request).expires_on, d("2027-02-28"));
    }

    #[test]
    fn category_names_are_the_contracts() {
        for category in CeCategory::ALL {
            assert_eq!(CeCategory::parse(category.as_str()).unwrap(), category);
        }
        assert!(CeCategory::parse("adults").is_err());
    }
}
