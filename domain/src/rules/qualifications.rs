//! The qualifications document: what a person holds, as the contract's
//! `POST /eligibility/evaluate` body lists it. Every field maps 1:1 to a field
//! of the contract; "missing" in the contract is "not held" here (`false`,
//! zero, empty, `None`).

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use super::quantities::{ClockHours, CreditHours, ExperienceYears, ParseError};

/// The seven topics of early care and education of Sec. 2(5)(a)–(g).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    ChildGrowthAndDevelopment,
    HealthSafetyNutrition,
    ProfessionalDevelopment,
    LearningEnvironmentsAndCurriculum,
    ChildAssessments,
    FamilyAndCommunityPartnerships,
    ProgramManagementAndEvaluation,
}

impl Topic {
    /// In the order of Sec. 2(5)(a)–(g).
    pub const ALL: [Topic; 7] = [
        Topic::ChildGrowthAndDevelopment,
        Topic::HealthSafetyNutrition,
        Topic::ProfessionalDevelopment,
        Topic::LearningEnvironmentsAndCurriculum,
        Topic::ChildAssessments,
        Topic::FamilyAndCommunityPartnerships,
        Topic::ProgramManagementAndEvaluation,
    ];

    /// The contract's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Topic::ChildGrowthAndDevelopment => "child_growth_and_development",
            Topic::HealthSafetyNutrition => "health_safety_nutrition",
            Topic::ProfessionalDevelopment => "professional_development",
            Topic::LearningEnvironmentsAndCurriculum => "learning_environments_and_curriculum",
            Topic::ChildAssessments => "child_assessments",
            Topic::FamilyAndCommunityPartnerships => "family_and_community_partnerships",
            Topic::ProgramManagementAndEvaluation => "program_management_and_evaluation",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        Self::ALL
            .into_iter()
            .find(|topic| topic.as_str() == raw)
            .ok_or_else(|| ParseError::Unknown {
                kind: "topic",
                value: raw.to_owned(),
                expected: "child_growth_and_development, health_safety_nutrition, \
                           professional_development, learning_environments_and_curriculum, \
                           child_assessments, family_and_community_partnerships, \
                           program_management_and_evaluation",
            })
    }

    /// The regulation's wording.
    pub const fn title(self) -> &'static str {
        match self {
            Topic::ChildGrowthAndDevelopment => "Child growth and development",
            Topic::HealthSafetyNutrition => "Health, safety, and nutrition",
            Topic::ProfessionalDevelopment => "Professional development",
            Topic::LearningEnvironmentsAndCurriculum => "Learning environments and curriculum",
            Topic::ChildAssessments => "Child assessments",
            Topic::FamilyAndCommunityPartnerships => "Family and community partnerships",
            Topic::ProgramManagementAndEvaluation => "Program management and evaluation",
        }
    }

    /// The paragraph letter of Sec. 2(5): `'a'` … `'g'`.
    pub const fn paragraph(self) -> char {
        match self {
            Topic::ChildGrowthAndDevelopment => 'a',
            Topic::HealthSafetyNutrition => 'b',
            Topic::ProfessionalDevelopment => 'c',
            Topic::LearningEnvironmentsAndCurriculum => 'd',
            Topic::ChildAssessments => 'e',
            Topic::FamilyAndCommunityPartnerships => 'f',
            Topic::ProgramManagementAndEvaluation => 'g',
        }
    }
}

impl FromStr for Topic {
    type Err = ParseError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How far a degree goes. Ordered: a doctorate is more than a master's, and
/// so on — Sec. 9(1)(a)1 says "master's degree or higher", and the engine
/// reads every degree requirement that way (see `Degree::satisfies`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DegreeLevel {
    Associate,
    Bachelor,
    Master,
    Doctorate,
}

impl DegreeLevel {
    pub const ALL: [DegreeLevel; 4] = [
        DegreeLevel::Associate,
        DegreeLevel::Bachelor,
        DegreeLevel::Master,
        DegreeLevel::Doctorate,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            DegreeLevel::Associate => "associate",
            DegreeLevel::Bachelor => "bachelor",
            DegreeLevel::Master => "master",
            DegreeLevel::Doctorate => "doctorate",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        Self::ALL
            .into_iter()
            .find(|level| level.as_str() == raw)
            .ok_or_else(|| ParseError::Unknown {
                kind: "degree level",
                value: raw.to_owned(),
                expected: "associate, bachelor, master, doctorate",
            })
    }

    /// "an associate degree", "a bachelor's degree", …
    pub const fn phrase(self) -> &'static str {
        match self {
            DegreeLevel::Associate => "an associate degree",
            DegreeLevel::Bachelor => "a bachelor's degree",
            DegreeLevel::Master => "a master's degree",
            DegreeLevel::Doctorate => "a doctorate",
        }
    }
}

impl FromStr for DegreeLevel {
    type Err = ParseError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

/// The field of a degree, as Sec. 7–9 sort them. Ordered by closeness to
/// early care and education: a degree *in* early care and education is taken
/// to satisfy a requirement for a degree in a related field, and any field
/// satisfies "a field not related" (see `Degree::satisfies`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DegreeField {
    /// "a field not related to early care and education".
    Unrelated,
    /// "a field related to early care and education".
    Related,
    /// "early care and education".
    Ece,
}

impl DegreeField {
    pub const ALL: [DegreeField; 3] = [
        DegreeField::Unrelated,
        DegreeField::Related,
        DegreeField::Ece,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            DegreeField::Unrelated => "unrelated",
            DegreeField::Related => "related",
            DegreeField::Ece => "ece",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        Self::ALL
            .into_iter()
            .find(|field| field.as_str() == raw)
            .ok_or_else(|| ParseError::Unknown {
                kind: "degree field",
                value: raw.to_owned(),
                expected: "ece, related, unrelated",
            })
    }

    /// The regulation's wording, after "in": "early care and education", …
    pub const fn phrase(self) -> &'static str {
        match self {
            DegreeField::Unrelated => "a field not related to early care and education",
            DegreeField::Related => "a field related to early care and education",
            DegreeField::Ece => "early care and education",
        }
    }
}

impl FromStr for DegreeField {
    type Err = ParseError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

/// A degree held: `{level, field}` in the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Degree {
    pub level: DegreeLevel,
    pub field: DegreeField,
}

impl Degree {
    pub const fn new(level: DegreeLevel, field: DegreeField) -> Self {
        Self { level, field }
    }

    /// Whether this degree meets a requirement for a degree of `level` in
    /// `field`.
    ///
    /// Reading: a higher degree satisfies a lower one (Sec. 9(1)(a)1 writes
    /// "or higher" once; nothing suggests a master's in early care and
    /// education should fail the associate degree of Sec. 7(1)(a)1.a), and a
    /// field closer to early care and education satisfies a farther one (a
    /// bachelor's in early care and education meets Sec. 7(1)(a)2's "field
    /// related to", and any bachelor's meets Sec. 7(1)(a)3's "field not
    /// related to", which only lowers the bar for people from other fields).
    /// Without this, holding a better degree could lose a level.
    pub fn satisfies(self, level: DegreeLevel, field: DegreeField) -> bool {
        self.level >= level && self.field >= field
    }
}

/// The Sec. 3(4) request to be excused from the seminar:
/// `seminar_waiver: {coursework_completed_on, curriculum_matches}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SeminarWaiver {
    /// When the equivalent coursework was completed (Sec. 3(4)(a)).
    pub coursework_completed_on: NaiveDate,
    /// The documentation shows the curriculum matches the content and focus
    /// of the seminar (Sec. 3(4)(b)) — a specialist's finding on documents.
    pub curriculum_matches: bool,
}

/// What a Specialty Level applicant holds in the area of expertise
/// (Sec. 10(1)): `specialty: {area, license_or_certification,
/// related_experience_years}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SpecialtyQualification {
    /// The area of expertise, in the applicant's words (e.g. "Pediatric first
    /// aid and CPR").
    pub area: String,
    /// "A license, certification, or equivalent" in that area (Sec. 10(1)(a)).
    pub license_or_certification: bool,
    /// "Three (3) years of related experience" (Sec. 10(1)(b)).
    pub related_experience_years: ExperienceYears,
}

/// The qualifications document (contract: "Rules (922 KAR 2:240) as a
/// service"). Field names are the contract's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qualifications {
    pub date_of_birth: NaiveDate,
    /// The evaluation date; the caller resolves the contract's default
    /// ("today"). Ages and the Sec. 3(4)(a) ten years are counted to it.
    pub as_of: NaiveDate,
    /// Sec. 2(2).
    pub high_school_diploma: bool,
    /// The Introduction to Kentucky Resources for Early Care and Education
    /// Trainers training, Sec. 2(3).
    pub intro_training_clock_hours: ClockHours,
    /// The training on the cabinet-designated data system, Sec. 2(4).
    pub data_system_training_clock_hours: ClockHours,
    /// Topics of Sec. 2(5) with training or experience.
    pub topics: BTreeSet<Topic>,
    /// Full-time-equivalent years of paid experience in the early care and
    /// education field (Sec. 5–9).
    pub ece_experience_years: ExperienceYears,
    /// Full-time-equivalent years of paid experience in a field related to
    /// early care and education (Sec. 6(1)(a)2).
    pub related_field_experience_years: ExperienceYears,
    /// A CDA or director's credential (Sec. 6(1)(a)1.a).
    pub cda_or_director_credential: bool,
    /// Formal early care and education training, or its equivalent, in clock
    /// hours (Sec. 6(1)(a)2).
    pub formal_ece_training_clock_hours: ClockHours,
    pub degrees: Vec<Degree>,
    /// Credit hours of early care and education coursework (Sec. 7(1)(a)1.b).
    pub ece_credit_hours: CreditHours,
    /// Credit hours in child development, or the equivalent (Sec. 8(1)(a)2.b,
    /// 8(1)(a)3.b, 9(1)(a)2).
    pub child_development_credit_hours: CreditHours,
    /// The Fundamentals of Effective Training seminar (Sec. 4), or an
    /// equivalent the cabinet approved (Sec. 6(1)(c), 7–9(1)(b)).
    pub seminar_completed: bool,
    pub seminar_waiver: Option<SeminarWaiver>,
    /// First application for the credential (Sec. 3(4)).
    pub first_time_applicant: bool,
    /// The applicant conducts online trainings or webinars (Sec. 3(2)).
    pub conducts_online_training: bool,
    /// The cabinet-approved online training development course (Sec. 3(2)).
    pub online_training_development_course: bool,
    /// Clock hours co-trained with a Level 4 or 5 trainer (Sec. 6(1)(b)).
    pub co_training_clock_hours_with_level_4_or_5: ClockHours,
    pub specialty: Option<SpecialtyQualification>,
}

impl Qualifications {
    /// A person who holds nothing yet: the contract's document with only
    /// `date_of_birth` (and the resolved `as_of`).
    pub fn nothing_held(date_of_birth: NaiveDate, as_of: NaiveDate) -> Self {
        Self {
            date_of_birth,
            as_of,
            high_school_diploma: false,
            intro_training_clock_hours: ClockHours::ZERO,
            data_system_training_clock_hours: ClockHours::ZERO,
            topics: BTreeSet::new(),
            ece_experience_years: ExperienceYears::ZERO,
            related_field_experience_years: ExperienceYears::ZERO,
            cda_or_director_credential: false,
            formal_ece_training_clock_hours: ClockHours::ZERO,
            degrees: Vec::new(),
            ece_credit_hours: CreditHours::ZERO,
            child_development_credit_hours: CreditHours::ZERO,
            seminar_completed: false,
            seminar_waiver: None,
            first_time_applicant: false,
            conducts_online_training: false,
            online_training_development_course: false,
            co_training_clock_hours_with_level_4_or_5: ClockHours::ZERO,
            specialty: None,
        }
    }

    /// Whether any degree held meets a requirement for `level` in `field`
    /// (reading in `Degree::satisfies`).
    pub fn holds_degree(&self, level: DegreeLevel, field: DegreeField) -> bool {
        self.degrees
            .iter()
            .any(|degree| degree.satisfies(level, field))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn topic_names_are_the_contracts() {
        let cases = [
            ("child_growth_and_development", 'a'),
            ("health_safety_nutrition", 'b'),
            ("professional_development", 'c'),
            ("learning_environments_and_curriculum", 'd'),
            ("child_assessments", 'e'),
            ("family_and_community_partnerships", 'f'),
            ("program_management_and_evaluation", 'g'),
        ];
        for (name, paragraph) in cases {
            let topic = Topic::parse(name).unwrap();
            assert_eq!(topic.as_str(), name);
            assert_eq!(topic.paragraph(), paragraph, "Sec. 2(5)({paragraph})");
        }
        assert!(Topic::parse("nutrition").is_err());
    }

    #[test]
    fn degree_names_are_the_contracts() {
        for level in DegreeLevel::ALL {
            assert_eq!(level.as_str().parse::<DegreeLevel>().unwrap(), level);
        }
        for field in DegreeField::ALL {
            assert_eq!(field.as_str().parse::<DegreeField>().unwrap(), field);
        }
        assert!(DegreeLevel::parse("phd").is_err());
        assert!(DegreeField::parse("ECE").is_err());
    }

    #[test]
    fn a_higher_or_closer_degree_satisfies_a_lower_or_farther_one() {
        use DegreeField::*;
        use DegreeLevel::*;
        // (held, required, satisfies, why)
        let cases = [
            (
                (Bachelor, Ece),
                (Associate, Ece),
                true,
                "Sec. 7(1)(a)1.a: higher degree",
            ),
            (
                (Associate, Ece),
                (Bachelor, Related),
                false,
                "Sec. 7(1)(a)2: lower degree",
            ),
            (
                (Bachelor, Ece),
                (Bachelor, Related),
                true,
                "Sec. 7(1)(a)2: closer field",
            ),
            (
                (Bachelor, Related),
                (Bachelor, Ece),
                false,
                "Sec. 8(1)(a)1: farther field",
            ),
            (
                (Master, Unrelated),
                (Bachelor, Unrelated),
                true,
                "Sec. 7(1)(a)3",
            ),
            (
                (Doctorate, Ece),
                (Master, Ece),
                true,
                "Sec. 9(1)(a)1: or higher",
            ),
            (
                (Doctorate, Related),
                (Master, Related),
                true,
                "Sec. 9(1)(a)2",
            ),
            ((Master, Related), (Master, Ece), false, "Sec. 9(1)(a)1"),
        ];
        for ((level, field), (need_level, need_field), expected, why) in cases {
            assert_eq!(
                Degree::new(level, field).satisfies(need_level, need_field),
                expected,
                "{why}"
            );
        }
    }

    #[test]
    fn nothing_held_holds_nothing() {
        let day = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        let q = Qualifications::nothing_held(day, day);
        assert!(!q.holds_degree(DegreeLevel::Associate, DegreeField::Unrelated));
        assert!(q.topics.is_empty());
        assert!(q.specialty.is_none());
    }
}
