//! The education and experience of each level, Sec. 5(1), 6(1)(a), 7(1)(a),
//! 8(1)(a), 9(1)(a) and 10(1), as a table of alternative paths.
//!
//! A level is met when any one of its paths is met, and a path when all of
//! its requirements are. When no path is met, the engine reports one finding
//! per path (its own rule id and citation) saying what that path still lacks:
//! the applicant sees every way to the level and how far each is, and no
//! path is favoured by a guess at which is "nearest".
//!
//! Readings (also in `docs/RULES.md`):
//! - A higher degree meets a requirement for a lower one, and a degree in a
//!   field closer to early care and education meets a requirement for a
//!   farther one (`Degree::satisfies`).
//! - Sec. 6(1)(a)2 asks for ten years "in a field related to early care and
//!   education". Years in early care and education itself count toward them
//!   (they are at least as related), so the two kinds of experience are added.
//!   Experience in a related field never counts as experience "in the early
//!   care and education field".
//! - "Equivalent" clock or credit hours (Sec. 6(1)(a)2, 7(1)(a)1.b,
//!   8(1)(a)2.b, 9(1)(a)2) are converted by whoever reviews the documents; the
//!   regulation sets no conversion rate between credit and clock hours, so the
//!   engine does not convert one into the other.
//! - Experience years are full-time equivalents (see `ExperienceYears`).

use super::Unmet;
use super::citation::{Citation, sec};
use super::level::Level;
use super::qualifications::{DegreeField, DegreeLevel, Qualifications};
use super::quantities::{ClockHours, CreditHours, ExperienceYears};

/// One thing a path needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// Years of full-time, paid experience in the early care and education
    /// field.
    EceExperience(ExperienceYears),
    /// Years of full-time, paid experience in a field related to early care
    /// and education; years in early care and education count too.
    RelatedFieldExperience(ExperienceYears),
    /// A CDA or director's credential (922 KAR 2:230).
    CdaOrDirectorCredential,
    /// The equivalent of so many clock hours of formal early care and
    /// education training.
    FormalEceTraining(ClockHours),
    /// A degree of at least this level, in at least this field.
    Degree(DegreeLevel, DegreeField),
    /// The equivalent of so many credit hours of early care and education
    /// coursework.
    EceCreditHours(CreditHours),
    /// The equivalent of so many credit hours in child development.
    ChildDevelopmentCreditHours(CreditHours),
    /// Any one of these (Sec. 7(1)(a)1.a or b).
    AnyOf(Vec<Requirement>),
    /// An area of expertise is named (Sec. 10(1), "in the individual's area of
    /// expertise").
    AreaOfExpertise,
    /// A license, certification, or equivalent in the area of expertise.
    SpecialtyLicenseOrCertification,
    /// Years of experience related to the area of expertise.
    SpecialtyRelatedExperience(ExperienceYears),
}

impl Requirement {
    pub fn is_met(&self, q: &Qualifications) -> bool {
        match self {
            Requirement::EceExperience(years) => q.ece_experience_years >= *years,
            Requirement::RelatedFieldExperience(years) => {
                q.related_field_experience_years + q.ece_experience_years >= *years
            }
            Requirement::CdaOrDirectorCredential => q.cda_or_director_credential,
            Requirement::FormalEceTraining(hours) => q.formal_ece_training_clock_hours >= *hours,
            Requirement::Degree(level, field) => q.holds_degree(*level, *field),
            Requirement::EceCreditHours(hours) => q.ece_credit_hours >= *hours,
            Requirement::ChildDevelopmentCreditHours(hours) => {
                q.child_development_credit_hours >= *hours
            }
            Requirement::AnyOf(choices) => choices.iter().any(|choice| choice.is_met(q)),
            Requirement::AreaOfExpertise => q
                .specialty
                .as_ref()
                .is_some_and(|specialty| !specialty.area.trim().is_empty()),
            Requirement::SpecialtyLicenseOrCertification => q
                .specialty
                .as_ref()
                .is_some_and(|specialty| specialty.license_or_certification),
            Requirement::SpecialtyRelatedExperience(years) => q
                .specialty
                .as_ref()
                .is_some_and(|specialty| specialty.related_experience_years >= *years),
        }
    }

    /// What is needed, in the regulation's words.
    pub fn describe(&self) -> String {
        match self {
            Requirement::EceExperience(years) => format!(
                "{years} {} of full-time, paid experience in the early care and education field",
                plural_years(*years)
            ),
            Requirement::RelatedFieldExperience(years) => format!(
                "{years} {} of full-time, paid experience in a field related to early care and \
                 education, years in early care and education included",
                plural_years(*years)
            ),
            Requirement::CdaOrDirectorCredential => "a CDA or director's credential".to_owned(),
            Requirement::FormalEceTraining(hours) => format!(
                "the equivalent of {hours} clock hours of formal early care and education training"
            ),
            Requirement::Degree(level, field) => match field {
                DegreeField::Unrelated => format!("{} or higher, in any field", level.phrase()),
                DegreeField::Related => format!(
                    "{} or higher in {} (or in early care and education)",
                    level.phrase(),
                    field.phrase()
                ),
                DegreeField::Ece => format!("{} or higher in {}", level.phrase(), field.phrase()),
            },
            Requirement::EceCreditHours(hours) => format!(
                "the equivalent of {hours} credit hours in early care and education coursework"
            ),
            Requirement::ChildDevelopmentCreditHours(hours) => {
                format!("the equivalent of {hours} credit hours in child development")
            }
            Requirement::AnyOf(choices) => choices
                .iter()
                .map(Requirement::describe)
                .collect::<Vec<_>>()
                .join(", or "),
            Requirement::AreaOfExpertise => "a named area of expertise".to_owned(),
            Requirement::SpecialtyLicenseOrCertification => {
                "a license, certification, or equivalent in the area of expertise".to_owned()
            }
            Requirement::SpecialtyRelatedExperience(years) => format!(
                "{years} {} of experience related to the area of expertise",
                plural_years(*years)
            ),
        }
    }

    /// What the document records toward it, for the finding's message.
    fn recorded(&self, q: &Qualifications) -> String {
        match self {
            Requirement::EceExperience(_) => format!("{} years recorded", q.ece_experience_years),
            Requirement::RelatedFieldExperience(_) => format!(
                "{} years in a related field and {} in early care and education recorded",
                q.related_field_experience_years, q.ece_experience_years
            ),
            Requirement::FormalEceTraining(_) => {
                format!("{} clock hours recorded", q.formal_ece_training_clock_hours)
            }
            Requirement::EceCreditHours(_) => {
                format!("{} credit hours recorded", q.ece_credit_hours)
            }
            Requirement::ChildDevelopmentCreditHours(_) => {
                format!("{} credit hours recorded", q.child_development_credit_hours)
            }
            Requirement::AnyOf(choices) => {
                let quantities: Vec<_> = choices
                    .iter()
                    .filter(|choice| choice.is_quantity())
                    .map(|choice| choice.recorded(q))
                    .collect();
                if quantities.is_empty() {
                    "none recorded".to_owned()
                } else {
                    quantities.join("; ")
                }
            }
            Requirement::SpecialtyRelatedExperience(_) => match &q.specialty {
                Some(specialty) => format!("{} years recorded", specialty.related_experience_years),
                None => "none recorded".to_owned(),
            },
            Requirement::Degree(..) => "no qualifying degree recorded".to_owned(),
            Requirement::CdaOrDirectorCredential | Requirement::SpecialtyLicenseOrCertification => {
                "none recorded".to_owned()
            }
            Requirement::AreaOfExpertise => "none given".to_owned(),
        }
    }

    fn is_quantity(&self) -> bool {
        matches!(
            self,
            Requirement::EceExperience(_)
                | Requirement::RelatedFieldExperience(_)
                | Requirement::FormalEceTraining(_)
                | Requirement::EceCreditHours(_)
                | Requirement::ChildDevelopmentCreditHours(_)
                | Requirement::SpecialtyRelatedExperience(_)
        )
    }
}

fn plural_years(years: ExperienceYears) -> &'static str {
    if years == ExperienceYears::whole(1) {
        "year"
    } else {
        "years"
    }
}

/// One alternative way to a level, e.g. Sec. 7(1)(a)2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualifyingPath {
    pub level: Level,
    /// Stable id of the finding when the path is not met.
    pub rule: &'static str,
    pub citation: Citation,
    /// The path in a line, for a person choosing between paths.
    pub summary: &'static str,
    pub requirements: Vec<Requirement>,
}

impl QualifyingPath {
    pub fn is_met(&self, q: &Qualifications) -> bool {
        self.requirements
            .iter()
            .all(|requirement| requirement.is_met(q))
    }

    /// The finding for this path, or `None` when it is met.
    pub fn unmet(&self, q: &Qualifications, paths_of_level: usize) -> Option<Unmet> {
        let lacking: Vec<String> = self
            .requirements
            .iter()
            .filter(|requirement| !requirement.is_met(q))
            .map(|requirement| format!("{} ({})", requirement.describe(), requirement.recorded(q)))
            .collect();
        if lacking.is_empty() {
            return None;
        }
        let way = if paths_of_level > 1 {
            format!(" (one of {paths_of_level} ways to qualify)")
        } else {
            String::new()
        };
        Some(Unmet::new(
            self.rule,
            self.citation,
            format!(
                "{} by Section {}{}{way} still needs {}.",
                self.level.title(),
                self.citation.section(),
                self.citation.subdivision(),
                lacking.join("; and ")
            ),
        ))
    }
}

fn path(
    level: Level,
    rule: &'static str,
    citation: Citation,
    summary: &'static str,
    requirements: Vec<Requirement>,
) -> QualifyingPath {
    QualifyingPath {
        level,
        rule,
        citation,
        summary,
        requirements,
    }
}

/// The alternative paths of a level, in the regulation's order. Each row is
/// the clause it cites.
pub fn qualifying_paths(level: Level) -> Vec<QualifyingPath> {
    use DegreeField::{Ece, Related, Unrelated};
    use DegreeLevel::{Associate, Bachelor, Master};
    use Requirement as R;
    let years = ExperienceYears::whole;
    match level {
        // Sec. 5(1): "three (3) years of full-time, paid experience in the
        // early care and education field".
        Level::Level1 => vec![path(
            level,
            "sec5_1_ece_experience",
            sec(5, "(1)"),
            "3 years of full-time, paid experience in early care and education",
            vec![R::EceExperience(years(3))],
        )],
        Level::Level2 => vec![
            // Sec. 6(1)(a)1.a and b.
            path(
                level,
                "sec6_1_a_1_cda_and_ece_experience",
                sec(6, "(1)(a)1"),
                "a CDA or director's credential and 3 years of full-time, paid experience in \
                 early care and education",
                vec![R::CdaOrDirectorCredential, R::EceExperience(years(3))],
            ),
            // Sec. 6(1)(a)2.
            path(
                level,
                "sec6_1_a_2_related_experience_and_formal_training",
                sec(6, "(1)(a)2"),
                "10 years of full-time, paid experience in a field related to early care and \
                 education and the equivalent of 45 clock hours of formal early care and \
                 education training",
                vec![
                    R::RelatedFieldExperience(years(10)),
                    R::FormalEceTraining(ClockHours::whole(45)),
                ],
            ),
        ],
        Level::Level3 => vec![
            // Sec. 7(1)(a)1.a or b.
            path(
                level,
                "sec7_1_a_1_ece_experience_and_associate_or_credit_hours",
                sec(7, "(1)(a)1"),
                "3 years of full-time, paid experience in early care and education and an \
                 associate degree in early care and education or 30 credit hours of early \
                 care and education coursework",
                vec![
                    R::EceExperience(years(3)),
                    R::AnyOf(vec![
                        R::Degree(Associate, Ece),
                        R::EceCreditHours(CreditHours::whole(30)),
                    ]),
                ],
            ),
            // Sec. 7(1)(a)2.
            path(
                level,
                "sec7_1_a_2_ece_experience_and_related_bachelor",
                sec(7, "(1)(a)2"),
                "1 year of full-time, paid experience in early care and education and a \
                 bachelor's degree in a field related to early care and education",
                vec![R::EceExperience(years(1)), R::Degree(Bachelor, Related)],
            ),
            // Sec. 7(1)(a)3.
            path(
                level,
                "sec7_1_a_3_ece_experience_and_unrelated_bachelor",
                sec(7, "(1)(a)3"),
                "10 years of full-time, paid experience in early care and education and a \
                 bachelor's degree in a field not related to early care and education",
                vec![R::EceExperience(years(10)), R::Degree(Bachelor, Unrelated)],
            ),
        ],
        Level::Level4 => vec![
            // Sec. 8(1)(a)1.
            path(
                level,
                "sec8_1_a_1_ece_experience_and_ece_bachelor",
                sec(8, "(1)(a)1"),
                "1 year of full-time, paid experience in early care and education and a \
                 bachelor's degree in early care and education",
                vec![R::EceExperience(years(1)), R::Degree(Bachelor, Ece)],
            ),
            // Sec. 8(1)(a)2.a and b.
            path(
                level,
                "sec8_1_a_2_ece_experience_related_bachelor_and_child_development",
                sec(8, "(1)(a)2"),
                "1 year of full-time, paid experience in early care and education, a \
                 bachelor's degree in a field related to early care and education and 3 \
                 credit hours in child development",
                vec![
                    R::EceExperience(years(1)),
                    R::Degree(Bachelor, Related),
                    R::ChildDevelopmentCreditHours(CreditHours::whole(3)),
                ],
            ),
            // Sec. 8(1)(a)3.a and b: "at least ten (10) years".
            path(
                level,
                "sec8_1_a_3_ece_experience_unrelated_bachelor_and_child_development",
                sec(8, "(1)(a)3"),
                "10 years of full-time, paid experience in early care and education, a \
                 bachelor's degree in a field not related to early care and education and 3 \
                 credit hours in child development",
                vec![
                    R::EceExperience(years(10)),
                    R::Degree(Bachelor, Unrelated),
                    R::ChildDevelopmentCreditHours(CreditHours::whole(3)),
                ],
            ),
        ],
        Level::Level5 => vec![
            // Sec. 9(1)(a)1: "master's degree or higher in early care and
            // education".
            path(
                level,
                "sec9_1_a_1_ece_experience_and_ece_master",
                sec(9, "(1)(a)1"),
                "1 year of full-time, paid experience in early care and education and a \
                 master's degree or higher in early care and education",
                vec![R::EceExperience(years(1)), R::Degree(Master, Ece)],
            ),
            // Sec. 9(1)(a)2.
            path(
                level,
                "sec9_1_a_2_ece_experience_related_master_and_child_development",
                sec(9, "(1)(a)2"),
                "1 year of full-time, paid experience in early care and education, a master's \
                 degree in a field related to early care and education and 3 credit hours in \
                 child development",
                vec![
                    R::EceExperience(years(1)),
                    R::Degree(Master, Related),
                    R::ChildDevelopmentCreditHours(CreditHours::whole(3)),
                ],
            ),
        ],
        // Sec. 10(1)(a) and (b), "in the individual's area of expertise".
        Level::Specialty => vec![path(
            level,
            "sec10_1_area_of_expertise",
            sec(10, "(1)"),
            "in an area of expertise, a license, certification, or equivalent and 3 years of \
             related experience",
            vec![
                R::AreaOfExpertise,
                R::SpecialtyLicenseOrCertification,
                R::SpecialtyRelatedExperience(years(3)),
            ],
        )],
    }
}

/// The outcome of a level's education and experience requirements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathOutcome {
    /// The first path met, in the regulation's order.
    pub met_by: Option<Citation>,
    /// One finding per path when none is met; empty otherwise.
    pub unmet: Vec<Unmet>,
}

/// Sec. 5(1), 6(1)(a), 7(1)(a), 8(1)(a), 9(1)(a), 10(1) for `level`.
pub fn level_requirements(q: &Qualifications, level: Level) -> PathOutcome {
    let paths = qualifying_paths(level);
    if let Some(met) = paths.iter().find(|path| path.is_met(q)) {
        return PathOutcome {
            met_by: Some(met.citation),
            unmet: Vec::new(),
        };
    }
    PathOutcome {
        met_by: None,
        unmet: paths
            .iter()
            .filter_map(|path| path.unmet(q, paths.len()))
            .collect(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::rules::qualifications::{Degree, SpecialtyQualification};
    use chrono::NaiveDate;

    fn nothing() -> Qualifications {
        let day = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        Qualifications::nothing_held(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(), day)
    }

    fn years(months: u32) -> ExperienceYears {
        ExperienceYears::from_months(months)
    }

    fn degree(level: DegreeLevel, field: DegreeField) -> Vec<Degree> {
        vec![Degree::new(level, field)]
    }

    /// A document built from a few facts, for the tables below.
    #[derive(Clone)]
    struct Facts(Qualifications);

    fn f() -> Facts {
        Facts(nothing())
    }

    impl Facts {
        fn ece(mut self, months: u32) -> Self {
            self.0.ece_experience_years = years(months);
            self
        }
        fn related(mut self, months: u32) -> Self {
            self.0.related_field_experience_years = years(months);
            self
        }
        fn cda(mut self) -> Self {
            self.0.cda_or_director_credential = true;
            self
        }
        fn formal(mut self, minutes: u32) -> Self {
            self.0.formal_ece_training_clock_hours = ClockHours::from_minutes(minutes);
            self
        }
        fn degree(mut self, level: DegreeLevel, field: DegreeField) -> Self {
            self.0.degrees = degree(level, field);
            self
        }
        fn ece_credits(mut self, hundredths: u32) -> Self {
            self.0.ece_credit_hours = CreditHours::from_hundredths(hundredths);
            self
        }
        fn cd_credits(mut self, hundredths: u32) -> Self {
            self.0.child_development_credit_hours = CreditHours::from_hundredths(hundredths);
            self
        }
    }

    const Y: u32 = 12; // months in a year
    const H: u32 = 60; // minutes in a clock hour
    const C: u32 = 100; // hundredths in a credit hour

    /// Rows: (citation and case, facts, the path met — `None` when none is).
    fn check(level: Level, rows: &[(&str, Facts, Option<&str>)]) {
        for (citation, facts, met_by) in rows {
            let outcome = level_requirements(&facts.0, level);
            assert_eq!(
                outcome.met_by.map(|c| c.to_string()),
                met_by.map(|m| format!("922 KAR 2:240 Section {m}")),
                "{citation}: {:?}",
                outcome.unmet
            );
            assert_eq!(outcome.unmet.is_empty(), met_by.is_some(), "{citation}");
        }
    }

    #[test]
    fn level_1_needs_three_years_of_ece_experience() {
        check(
            Level::Level1,
            &[
                ("Sec. 5(1) 3 years", f().ece(3 * Y), Some("5(1)")),
                ("Sec. 5(1) a month short", f().ece(3 * Y - 1), None),
                (
                    "Sec. 5(1) related field does not count",
                    f().related(20 * Y),
                    None,
                ),
            ],
        );
    }

    #[test]
    fn level_2_paths_at_their_boundaries() {
        check(
            Level::Level2,
            &[
                ("Sec. 6(1)(a)1", f().cda().ece(3 * Y), Some("6(1)(a)1")),
                ("Sec. 6(1)(a)1.b short", f().cda().ece(3 * Y - 1), None),
                ("Sec. 6(1)(a)1.a missing", f().ece(9 * Y), None),
                (
                    "Sec. 6(1)(a)2",
                    f().related(10 * Y).formal(45 * H),
                    Some("6(1)(a)2"),
                ),
                (
                    "Sec. 6(1)(a)2 44.75 hours",
                    f().related(10 * Y).formal(45 * H - 15),
                    None,
                ),
                (
                    "Sec. 6(1)(a)2 9 years 11 months",
                    f().related(10 * Y - 1).formal(45 * H),
                    None,
                ),
                (
                    "Sec. 6(1)(a)2 ECE years count as related",
                    f().related(6 * Y).ece(4 * Y).formal(45 * H),
                    Some("6(1)(a)2"),
                ),
            ],
        );
    }

    #[test]
    fn level_3_paths_at_their_boundaries() {
        use DegreeField::*;
        use DegreeLevel::*;
        check(
            Level::Level3,
            &[
                (
                    "Sec. 7(1)(a)1.a",
                    f().ece(3 * Y).degree(Associate, Ece),
                    Some("7(1)(a)1"),
                ),
                (
                    "Sec. 7(1)(a)1.b 30 credits",
                    f().ece(3 * Y).ece_credits(30 * C),
                    Some("7(1)(a)1"),
                ),
                (
                    "Sec. 7(1)(a)1.b 29 credits",
                    f().ece(3 * Y).ece_credits(29 * C),
                    None,
                ),
                (
                    "Sec. 7(1)(a)1.b 29.99 credits",
                    f().ece(3 * Y).ece_credits(30 * C - 1),
                    None,
                ),
                (
                    "Sec. 7(1)(a)1 a month short",
                    f().ece(3 * Y - 1).ece_credits(30 * C),
                    None,
                ),
                (
                    "Sec. 7(1)(a)1.a related associate",
                    f().ece(3 * Y).degree(Associate, Related),
                    None,
                ),
                (
                    "Sec. 7(1)(a)1.a master's",
                    f().ece(3 * Y).degree(Master, Ece),
                    Some("7(1)(a)1"),
                ),
                (
                    "Sec. 7(1)(a)2",
                    f().ece(Y).degree(Bachelor, Related),
                    Some("7(1)(a)2"),
                ),
                (
                    "Sec. 7(1)(a)2 11 months",
                    f().ece(Y - 1).degree(Bachelor, Related),
                    None,
                ),
                (
                    "Sec. 7(1)(a)2 ECE is closer",
                    f().ece(Y).degree(Bachelor, Ece),
                    Some("7(1)(a)2"),
                ),
                (
                    "Sec. 7(1)(a)3",
                    f().ece(10 * Y).degree(Bachelor, Unrelated),
                    Some("7(1)(a)3"),
                ),
                (
                    "Sec. 7(1)(a)3 a month short",
                    f().ece(10 * Y - 1).degree(Bachelor, Unrelated),
                    None,
                ),
                (
                    "Sec. 7(1)(a)3 associate",
                    f().ece(10 * Y).degree(Associate, Unrelated),
                    None,
                ),
            ],
        );
    }

    #[test]
    fn level_4_paths_at_their_boundaries() {
        use DegreeField::*;
        use DegreeLevel::*;
        check(
            Level::Level4,
            &[
                (
                    "Sec. 8(1)(a)1",
                    f().ece(Y).degree(Bachelor, Ece),
                    Some("8(1)(a)1"),
                ),
                (
                    "Sec. 8(1)(a)1 no experience",
                    f().degree(Bachelor, Ece),
                    None,
                ),
                (
                    "Sec. 8(1)(a)1 associate",
                    f().ece(Y).degree(Associate, Ece).ece_credits(60 * C),
                    None,
                ),
                (
                    "Sec. 8(1)(a)2",
                    f().ece(Y).degree(Bachelor, Related).cd_credits(3 * C),
                    Some("8(1)(a)2"),
                ),
                (
                    "Sec. 8(1)(a)2.b 2.99 credit hours",
                    f().ece(Y).degree(Bachelor, Related).cd_credits(3 * C - 1),
                    None,
                ),
                (
                    "Sec. 8(1)(a)3",
                    f().ece(10 * Y)
                        .degree(Bachelor, Unrelated)
                        .cd_credits(3 * C),
                    Some("8(1)(a)3"),
                ),
                (
                    "Sec. 8(1)(a)3 a month short",
                    f().ece(10 * Y - 1)
                        .degree(Bachelor, Unrelated)
                        .cd_credits(3 * C),
                    None,
                ),
                (
                    "Sec. 8(1)(a)3.b missing",
                    f().ece(10 * Y).degree(Bachelor, Unrelated),
                    None,
                ),
            ],
        );
    }

    #[test]
    fn level_5_paths_at_their_boundaries() {
        use DegreeField::*;
        use DegreeLevel::*;
        check(
            Level::Level5,
            &[
                (
                    "Sec. 9(1)(a)1",
                    f().ece(Y).degree(Master, Ece),
                    Some("9(1)(a)1"),
                ),
                (
                    "Sec. 9(1)(a)1 or higher",
                    f().ece(Y).degree(Doctorate, Ece),
                    Some("9(1)(a)1"),
                ),
                (
                    "Sec. 9(1)(a)1 bachelor's",
                    f().ece(20 * Y).degree(Bachelor, Ece).cd_credits(30 * C),
                    None,
                ),
                (
                    "Sec. 9(1)(a) 11 months",
                    f().ece(Y - 1).degree(Master, Ece),
                    None,
                ),
                (
                    "Sec. 9(1)(a)2",
                    f().ece(Y).degree(Master, Related).cd_credits(3 * C),
                    Some("9(1)(a)2"),
                ),
                (
                    "Sec. 9(1)(a)2 no child development",
                    f().ece(Y).degree(Master, Related),
                    None,
                ),
                (
                    "Sec. 9(1)(a)2 unrelated master's",
                    f().ece(Y).degree(Master, Unrelated).cd_credits(3 * C),
                    None,
                ),
            ],
        );
    }

    #[test]
    fn specialty_needs_a_license_and_three_years_in_the_area() {
        // (citation, specialty, met)
        let specialty = |area: &str, license: bool, months: u32| {
            Some(SpecialtyQualification {
                area: area.to_owned(),
                license_or_certification: license,
                related_experience_years: years(months),
            })
        };
        let rows = [
            ("Sec. 10(1)", specialty("Pediatric CPR", true, 3 * Y), true),
            (
                "Sec. 10(1)(b) a month short",
                specialty("Pediatric CPR", true, 3 * Y - 1),
                false,
            ),
            (
                "Sec. 10(1)(a)",
                specialty("Pediatric CPR", false, 5 * Y),
                false,
            ),
            (
                "Sec. 10(1) no area named",
                specialty("  ", true, 5 * Y),
                false,
            ),
            ("Sec. 10(1) nothing", None, false),
        ];
        for (citation, specialty, met) in rows {
            let mut q = nothing();
            q.ece_experience_years = ExperienceYears::whole(30);
            q.specialty = specialty;
            let outcome = level_requirements(&q, Level::Specialty);
            assert_eq!(outcome.met_by.is_some(), met, "{citation}");
        }
    }

    #[test]
    fn when_no_path_is_met_each_path_says_what_it_lacks() {
        let mut q = nothing();
        q.ece_experience_years = years(30);
        q.ece_credit_hours = CreditHours::whole(29);
        let outcome = level_requirements(&q, Level::Level3);
        let rules: Vec<_> = outcome.unmet.iter().map(|u| u.rule).collect();
        assert_eq!(
            rules,
            [
                "sec7_1_a_1_ece_experience_and_associate_or_credit_hours",
                "sec7_1_a_2_ece_experience_and_related_bachelor",
                "sec7_1_a_3_ece_experience_and_unrelated_bachelor",
            ]
        );
        let first = &outcome.unmet[0];
        assert_eq!(first.citation.to_string(), "922 KAR 2:240 Section 7(1)(a)1");
        assert!(
            first
                .message
                .starts_with("Level 3 by Section 7(1)(a)1 (one of 3 ways"),
            "{}",
            first.message
        );
        assert!(
            first.message.contains("(2.5 years recorded)"),
            "{}",
            first.message
        );
        assert!(
            first.message.contains("(29 credit hours recorded)"),
            "{}",
            first.message
        );
        // The second path lacks only the degree: experience is already enough.
        let second = &outcome.unmet[1].message;
        assert!(!second.contains("experience in the early care"), "{second}");
        assert!(second.contains("a bachelor's degree or higher"), "{second}");
    }

    #[test]
    fn the_first_path_met_is_reported() {
        let mut q = nothing();
        q.ece_experience_years = ExperienceYears::whole(10);
        q.degrees = degree(DegreeLevel::Bachelor, DegreeField::Ece);
        q.ece_credit_hours = CreditHours::whole(30);
        let outcome = level_requirements(&q, Level::Level3);
        assert_eq!(outcome.met_by, Some(sec(7, "(1)(a)1")));
    }

    #[test]
    fn every_path_has_a_unique_rule_id_that_names_its_clause() {
        let mut seen = std::collections::BTreeSet::new();
        for level in Level::ALL {
            for path in qualifying_paths(level) {
                assert!(seen.insert(path.rule), "duplicate {}", path.rule);
                let clause = format!("{}{}", path.citation.section(), path.citation.subdivision());
                let from_rule: String = clause
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect::<String>()
                    .split('_')
                    .filter(|part| !part.is_empty())
                    .collect::<Vec<_>>()
                    .join("_");
                assert!(
                    path.rule.starts_with(&format!("sec{from_rule}_")),
                    "{} vs {clause}",
                    path.rule
                );
            }
        }
    }
}
