//! Laws that hold over every qualifications document: adding a
//! qualification never removes an eligible level (nor a met path, nor solo
//! training), and adding continuing education or a verification never
//! removes a renewal.
//!
//! "Adding" means holding more of something: a degree, hours, years, a
//! topic, a credential, the seminar, the Sec. 3(4) waiver (an alternative to
//! the seminar), first-time status (which only opens the waiver). Changing
//! the evaluation date or starting to train online are not additions: the
//! first can age a waiver's coursework, the second brings the Sec. 3(2)
//! course with it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use proptest::prelude::*;

use super::Level;
use super::evaluation::evaluate;
use super::qualifications::{
    Degree, DegreeField, DegreeLevel, Qualifications, SeminarWaiver, SpecialtyQualification, Topic,
};
use super::quantities::{ClockHours, CreditHours, ExperienceYears};
use super::renewal::{CeCategory, CeEntry, RenewalRequest, evaluate_renewal};

fn day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1960, 1, 1)
        .unwrap()
        .checked_add_signed(chrono::Duration::days(offset))
        .unwrap()
}

fn degree() -> impl Strategy<Value = Degree> {
    (
        prop::sample::select(DegreeLevel::ALL.to_vec()),
        prop::sample::select(DegreeField::ALL.to_vec()),
    )
        .prop_map(|(level, field)| Degree::new(level, field))
}

fn topic() -> impl Strategy<Value = Topic> {
    prop::sample::select(Topic::ALL.to_vec())
}

fn waiver() -> impl Strategy<Value = SeminarWaiver> {
    (0i64..25_000, any::<bool>()).prop_map(|(offset, matches)| SeminarWaiver {
        coursework_completed_on: day(offset),
        curriculum_matches: matches,
    })
}

fn specialty() -> impl Strategy<Value = SpecialtyQualification> {
    (
        prop::sample::select(vec!["", "Pediatric CPR", "Nutrition"]),
        any::<bool>(),
        0u32..80,
    )
        .prop_map(|(area, license, months)| SpecialtyQualification {
            area: area.to_owned(),
            license_or_certification: license,
            related_experience_years: ExperienceYears::from_months(months),
        })
}

prop_compose! {
    fn qualifications()(
        born in 0i64..20_000,
        evaluated in 15_000i64..25_000,
        flags in prop::array::uniform5(any::<bool>()),
        diploma in prop::bool::weighted(0.8),
        intro in 60u32..240,
        data_system in 60u32..240,
        topics in prop_oneof![
            3 => Just(Topic::ALL.into_iter().collect()),
            1 => prop::collection::btree_set(topic(), 0..=7),
        ],
        ece_months in 0u32..160,
        related_months in 0u32..160,
        formal in 0u32..4_000,
        degrees in prop::collection::vec(degree(), 0..3),
        ece_credits in 0u32..4_000,
        cd_credits in 0u32..600,
        waiver in prop::option::of(waiver()),
        co_training in 0u32..1_000,
        specialty in prop::option::of(specialty()),
    ) -> Qualifications {
        let mut q = Qualifications::nothing_held(day(born), day(evaluated));
        q.high_school_diploma = diploma;
        q.intro_training_clock_hours = ClockHours::from_minutes(intro);
        q.data_system_training_clock_hours = ClockHours::from_minutes(data_system);
        q.topics = topics;
        q.ece_experience_years = ExperienceYears::from_months(ece_months);
        q.related_field_experience_years = ExperienceYears::from_months(related_months);
        q.cda_or_director_credential = flags[0];
        q.formal_ece_training_clock_hours = ClockHours::from_minutes(formal);
        q.degrees = degrees;
        q.ece_credit_hours = CreditHours::from_hundredths(ece_credits);
        q.child_development_credit_hours = CreditHours::from_hundredths(cd_credits);
        q.seminar_completed = flags[1];
        q.seminar_waiver = waiver;
        q.first_time_applicant = flags[2];
        q.conducts_online_training = flags[3];
        q.online_training_development_course = flags[4];
        q.co_training_clock_hours_with_level_4_or_5 = ClockHours::from_minutes(co_training);
        q.specialty = specialty;
        q
    }
}

/// One way of holding more.
#[derive(Debug, Clone)]
enum Addition {
    Degree(Degree),
    EceYears(u32),
    RelatedYears(u32),
    FormalTraining(u32),
    EceCredits(u32),
    ChildDevelopmentCredits(u32),
    Topic(Topic),
    CdaOrDirectorCredential,
    HighSchoolDiploma,
    IntroTraining(u32),
    DataSystemTraining(u32),
    Seminar,
    Waiver(SeminarWaiver),
    FirstTimeApplicant,
    OnlineTrainingCourse,
    CoTraining(u32),
    Specialty(SpecialtyQualification),
    SpecialtyLicense,
    SpecialtyYears(u32),
}

fn addition() -> impl Strategy<Value = Addition> {
    prop_oneof![
        degree().prop_map(Addition::Degree),
        (1u32..130).prop_map(Addition::EceYears),
        (1u32..130).prop_map(Addition::RelatedYears),
        (1u32..3_000).prop_map(Addition::FormalTraining),
        (1u32..3_500).prop_map(Addition::EceCredits),
        (1u32..400).prop_map(Addition::ChildDevelopmentCredits),
        topic().prop_map(Addition::Topic),
        Just(Addition::CdaOrDirectorCredential),
        Just(Addition::HighSchoolDiploma),
        (1u32..150).prop_map(Addition::IntroTraining),
        (1u32..150).prop_map(Addition::DataSystemTraining),
        Just(Addition::Seminar),
        waiver().prop_map(Addition::Waiver),
        Just(Addition::FirstTimeApplicant),
        Just(Addition::OnlineTrainingCourse),
        (1u32..800).prop_map(Addition::CoTraining),
        specialty().prop_map(Addition::Specialty),
        Just(Addition::SpecialtyLicense),
        (1u32..60).prop_map(Addition::SpecialtyYears),
    ]
}

impl Addition {
    /// `q` holding more; what it already held is kept.
    fn apply(&self, q: &Qualifications) -> Qualifications {
        let mut more = q.clone();
        let months = ExperienceYears::from_months;
        let minutes = ClockHours::from_minutes;
        match self {
            Addition::Degree(degree) => more.degrees.push(*degree),
            Addition::EceYears(m) => {
                more.ece_experience_years = q.ece_experience_years + months(*m)
            }
            Addition::RelatedYears(m) => {
                more.related_field_experience_years = q.related_field_experience_years + months(*m)
            }
            Addition::FormalTraining(m) => {
                more.formal_ece_training_clock_hours =
                    q.formal_ece_training_clock_hours + minutes(*m)
            }
            Addition::EceCredits(h) => {
                more.ece_credit_hours = q.ece_credit_hours + CreditHours::from_hundredths(*h)
            }
            Addition::ChildDevelopmentCredits(h) => {
                more.child_development_credit_hours =
                    q.child_development_credit_hours + CreditHours::from_hundredths(*h)
            }
            Addition::Topic(topic) => {
                more.topics.insert(*topic);
            }
            Addition::CdaOrDirectorCredential => more.cda_or_director_credential = true,
            Addition::HighSchoolDiploma => more.high_school_diploma = true,
            Addition::IntroTraining(m) => {
                more.intro_training_clock_hours = q.intro_training_clock_hours + minutes(*m)
            }
            Addition::DataSystemTraining(m) => {
                more.data_system_training_clock_hours =
                    q.data_system_training_clock_hours + minutes(*m)
            }
            Addition::Seminar => more.seminar_completed = true,
            // A waiver is added where none was requested; replacing one is
            // not "holding more".
            Addition::Waiver(waiver) => {
                more.seminar_waiver = q.seminar_waiver.or(Some(*waiver));
            }
            Addition::FirstTimeApplicant => more.first_time_applicant = true,
            Addition::OnlineTrainingCourse => more.online_training_development_course = true,
            Addition::CoTraining(m) => {
                more.co_training_clock_hours_with_level_4_or_5 =
                    q.co_training_clock_hours_with_level_4_or_5 + minutes(*m)
            }
            Addition::Specialty(specialty) => {
                if more.specialty.is_none() {
                    more.specialty = Some(specialty.clone());
                }
            }
            Addition::SpecialtyLicense => {
                if let Some(specialty) = more.specialty.as_mut() {
                    specialty.license_or_certification = true;
                }
            }
            Addition::SpecialtyYears(m) => {
                if let Some(specialty) = more.specialty.as_mut() {
                    specialty.related_experience_years =
                        specialty.related_experience_years + months(*m);
                }
            }
        }
        more
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// STYLE.md: "more qualifications never lose a level".
    #[test]
    fn adding_a_qualification_never_removes_an_eligible_level(
        q in qualifications(),
        additions in prop::collection::vec(addition(), 1..4),
    ) {
        let mut more = q.clone();
        for addition in &additions {
            more = addition.apply(&more);
        }
        let before = evaluate(&q);
        let after = evaluate(&more);
        for (b, a) in before.iter().zip(&after) {
            prop_assert_eq!(b.level, a.level);
            prop_assert!(!b.eligible || a.eligible, "{} lost by {:?}", b.level, additions);
            prop_assert!(b.met_by.is_none() || a.met_by.is_some(), "{} path lost", b.level);
            prop_assert!(!b.solo_training_allowed || a.solo_training_allowed);
        }
    }

    #[test]
    fn eligible_exactly_when_nothing_is_unmet_and_every_level_is_evaluated(q in qualifications()) {
        let evaluations = evaluate(&q);
        let levels: Vec<Level> = evaluations.iter().map(|e| e.level).collect();
        prop_assert_eq!(levels, Level::ALL.to_vec());
        for evaluation in &evaluations {
            prop_assert_eq!(evaluation.eligible, evaluation.unmet.is_empty());
            for unmet in &evaluation.unmet {
                prop_assert!(unmet.rule.starts_with("sec"));
                prop_assert!(!unmet.message.is_empty());
            }
        }
    }

    #[test]
    fn adding_continuing_education_or_verification_never_removes_a_renewal(
        level in prop::sample::select(Level::ALL.to_vec()),
        entries in prop::collection::vec((0usize..3, 0u32..900, 0i64..1_500), 0..8),
        extra in prop::collection::vec((0usize..3, 0u32..900, 0i64..1_500), 1..4),
        flags in prop::array::uniform3(any::<bool>()),
        added_flag in 0usize..4,
    ) {
        let issued_on = day(20_000);
        let entry = |(category, minutes, offset): (usize, u32, i64)| CeEntry {
            category: CeCategory::ALL[category],
            clock_hours: ClockHours::from_minutes(minutes),
            completed_on: day(19_800 + offset),
        };
        let request = RenewalRequest {
            level,
            issued_on,
            as_of: day(21_000),
            ce_hours: entries.into_iter().map(entry).collect(),
            coach_observation: flags[0],
            data_system_training_verified: flags[1],
            current_license: flags[2],
        };
        let mut more = request.clone();
        more.ce_hours.extend(extra.into_iter().map(entry));
        match added_flag {
            0 => more.coach_observation = true,
            1 => more.data_system_training_verified = true,
            2 => more.current_license = true,
            _ => {}
        }
        let before = evaluate_renewal(&request);
        let after = evaluate_renewal(&more);
        prop_assert!(!before.eligible || after.eligible);
        prop_assert_eq!(before.eligible, before.unmet.is_empty());
    }
}
