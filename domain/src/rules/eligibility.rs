//! General eligibility, Sec. 2, and the online-training course of Sec. 3(2):
//! what every applicant must meet, whatever the level.
//!
//! Reading: Sec. 2 applies to every level, the Specialty Level included.
//! Its opening words are "Eligibility Criteria for the Kentucky Early Care and
//! Education Trainer's Credential", not for some levels, and Sec. 14(1)(a)
//! denies any credential to an individual who fails "Sections 2 through 4".
//! Sec. 10(3) keeps a Specialty trainer from *training on* the general topics;
//! it does not excuse the applicant from having training or experience in
//! them (Sec. 2(5)).

use chrono::NaiveDate;

use super::Unmet;
use super::calendar::{add_years, whole_years_between};
use super::citation::sec;
use super::qualifications::{Qualifications, Topic};
use super::quantities::ClockHours;

/// Sec. 2(1): "at least twenty-one (21) years of age".
pub const MINIMUM_AGE_YEARS: u32 = 21;
/// Sec. 2(3): "the two (2) clock hour … Introduction to Kentucky Resources for
/// Early Care and Education Trainers training".
pub const INTRODUCTION_TRAINING: ClockHours = ClockHours::whole(2);
/// Sec. 2(4): "two (2) clock hours of cabinet-approved training on the
/// cabinet-designated data system".
pub const DATA_SYSTEM_TRAINING: ClockHours = ClockHours::whole(2);

/// The day a person born on `date_of_birth` turns 21 (Sec. 2(1)); 29 February
/// birthdays count from 28 February in common years (see `calendar`).
pub fn minimum_age_reached_on(date_of_birth: NaiveDate) -> NaiveDate {
    add_years(date_of_birth, MINIMUM_AGE_YEARS)
}

/// The stable rule id of a missing Sec. 2(5) topic.
pub const fn topic_rule(topic: Topic) -> &'static str {
    match topic {
        Topic::ChildGrowthAndDevelopment => "sec2_5_a_child_growth_and_development",
        Topic::HealthSafetyNutrition => "sec2_5_b_health_safety_nutrition",
        Topic::ProfessionalDevelopment => "sec2_5_c_professional_development",
        Topic::LearningEnvironmentsAndCurriculum => "sec2_5_d_learning_environments_and_curriculum",
        Topic::ChildAssessments => "sec2_5_e_child_assessments",
        Topic::FamilyAndCommunityPartnerships => "sec2_5_f_family_and_community_partnerships",
        Topic::ProgramManagementAndEvaluation => "sec2_5_g_program_management_and_evaluation",
    }
}

const fn topic_citation(topic: Topic) -> super::Citation {
    match topic {
        Topic::ChildGrowthAndDevelopment => sec(2, "(5)(a)"),
        Topic::HealthSafetyNutrition => sec(2, "(5)(b)"),
        Topic::ProfessionalDevelopment => sec(2, "(5)(c)"),
        Topic::LearningEnvironmentsAndCurriculum => sec(2, "(5)(d)"),
        Topic::ChildAssessments => sec(2, "(5)(e)"),
        Topic::FamilyAndCommunityPartnerships => sec(2, "(5)(f)"),
        Topic::ProgramManagementAndEvaluation => sec(2, "(5)(g)"),
    }
}

/// Every unmet criterion of Sec. 2, in the order of its subsections (one
/// finding per missing topic of Sec. 2(5)).
pub fn general_eligibility(q: &Qualifications) -> Vec<Unmet> {
    let mut unmet = Vec::new();

    // Sec. 2(1): 21 on the evaluation date, counted to the day.
    let turns_21_on = minimum_age_reached_on(q.date_of_birth);
    if turns_21_on > q.as_of {
        let age = whole_years_between(q.date_of_birth, q.as_of);
        unmet.push(Unmet::new(
            "sec2_1_age",
            sec(2, "(1)"),
            format!(
                "An applicant must be at least 21 years old. On {} the applicant is {age}; \
                 they turn 21 on {turns_21_on}.",
                q.as_of
            ),
        ));
    }

    // Sec. 2(2).
    if !q.high_school_diploma {
        unmet.push(Unmet::new(
            "sec2_2_high_school_diploma",
            sec(2, "(2)"),
            "An applicant must have a high school diploma or equivalent; none is recorded.",
        ));
    }

    // Sec. 2(3).
    if q.intro_training_clock_hours < INTRODUCTION_TRAINING {
        unmet.push(Unmet::new(
            "sec2_3_introduction_training",
            sec(2, "(3)"),
            format!(
                "An applicant must complete the 2 clock-hour Introduction to Kentucky Resources \
                 for Early Care and Education Trainers training; {} clock hours are recorded.",
                q.intro_training_clock_hours
            ),
        ));
    }

    // Sec. 2(4).
    if q.data_system_training_clock_hours < DATA_SYSTEM_TRAINING {
        unmet.push(Unmet::new(
            "sec2_4_data_system_training",
            sec(2, "(4)"),
            format!(
                "An applicant must complete 2 clock hours of cabinet-approved training on the \
                 cabinet-designated data system; {} clock hours are recorded.",
                q.data_system_training_clock_hours
            ),
        ));
    }

    // Sec. 2(5)(a)–(g): each topic is its own requirement.
    for topic in Topic::ALL {
        if !q.topics.contains(&topic) {
            unmet.push(Unmet::new(
                topic_rule(topic),
                topic_citation(topic),
                format!(
                    "An applicant must have training or experience in \"{}\"; none is recorded.",
                    topic.title()
                ),
            ));
        }
    }

    unmet
}

/// Sec. 3(2): "Applicants and trainers conducting online trainings or
/// webinars shall complete the cabinet-approved online training development
/// course." A condition of every level for those who train online, since
/// Sec. 14(1)(a) denies a credential to whoever fails Sections 2 through 4.
pub fn online_training_development_course(q: &Qualifications) -> Option<Unmet> {
    (q.conducts_online_training && !q.online_training_development_course).then(|| {
        Unmet::new(
            "sec3_2_online_training_development_course",
            sec(3, "(2)"),
            "An applicant who conducts online trainings or webinars must complete the \
             cabinet-approved online training development course; it is not recorded.",
        )
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(raw: &str) -> NaiveDate {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").unwrap()
    }

    /// Meets all of Sec. 2 on 2025-06-01.
    fn eligible() -> Qualifications {
        let mut q = Qualifications::nothing_held(d("1990-01-01"), d("2025-06-01"));
        q.high_school_diploma = true;
        q.intro_training_clock_hours = ClockHours::whole(2);
        q.data_system_training_clock_hours = ClockHours::whole(2);
        q.topics = Topic::ALL.into_iter().collect();
        q
    }

    fn rules(q: &Qualifications) -> Vec<&'static str> {
        general_eligibility(q).iter().map(|u| u.rule).collect()
    }

    #[test]
    fn a_complete_applicant_meets_section_2() {
        assert!(general_eligibility(&eligible()).is_empty());
    }

    #[test]
    fn age_21_is_counted_to_the_day() {
        // (citation, date of birth, as of, meets)
        let cases = [
            ("Sec. 2(1)", "2004-05-10", "2025-05-10", true),
            ("Sec. 2(1)", "2004-05-10", "2025-05-09", false),
            ("Sec. 2(1)", "2004-05-10", "2030-01-01", true),
            ("Sec. 2(1) leap day", "2004-02-29", "2025-02-28", true),
            ("Sec. 2(1) leap day", "2004-02-29", "2025-02-27", false),
            ("Sec. 2(1) born later", "2026-01-01", "2025-05-09", false),
        ];
        for (citation, born, on, meets) in cases {
            let mut q = eligible();
            q.date_of_birth = d(born);
            q.as_of = d(on);
            assert_eq!(
                !rules(&q).contains(&"sec2_1_age"),
                meets,
                "{citation}: born {born}, on {on}"
            );
        }
    }

    #[test]
    fn the_age_message_says_when_the_applicant_turns_21() {
        let mut q = eligible();
        q.date_of_birth = d("2004-05-10");
        q.as_of = d("2025-05-09");
        let unmet = general_eligibility(&q);
        assert_eq!(unmet[0].citation.to_string(), "922 KAR 2:240 Section 2(1)");
        assert!(unmet[0].message.contains("is 20"), "{}", unmet[0].message);
        assert!(
            unmet[0].message.contains("2025-05-10"),
            "{}",
            unmet[0].message
        );
    }

    #[test]
    fn each_criterion_of_section_2_is_required_at_its_boundary() {
        type Change = fn(&mut Qualifications);
        // (citation, rule, change that breaks it, or keeps it at the boundary, met)
        let cases: [(&str, &str, Change, bool); 8] = [
            (
                "Sec. 2(2)",
                "sec2_2_high_school_diploma",
                |q| q.high_school_diploma = false,
                false,
            ),
            (
                "Sec. 2(3)",
                "sec2_3_introduction_training",
                |q| q.intro_training_clock_hours = ClockHours::from_minutes(119),
                false,
            ),
            (
                "Sec. 2(3)",
                "sec2_3_introduction_training",
                |q| q.intro_training_clock_hours = ClockHours::from_minutes(120),
                true,
            ),
            (
                "Sec. 2(4)",
                "sec2_4_data_system_training",
                |q| q.data_system_training_clock_hours = ClockHours::from_minutes(105),
                false,
            ),
            (
                "Sec. 2(4)",
                "sec2_4_data_system_training",
                |q| q.data_system_training_clock_hours = ClockHours::whole(3),
                true,
            ),
            (
                "Sec. 2(5)(a)",
                "sec2_5_a_child_growth_and_development",
                |q| {
                    q.topics.remove(&Topic::ChildGrowthAndDevelopment);
                },
                false,
            ),
            (
                "Sec. 2(5)(e)",
                "sec2_5_e_child_assessments",
                |q| {
                    q.topics.remove(&Topic::ChildAssessments);
                },
                false,
            ),
            (
                "Sec. 2(5)(g)",
                "sec2_5_g_program_management_and_evaluation",
                |q| {
                    q.topics.remove(&Topic::ProgramManagementAndEvaluation);
                },
                false,
            ),
        ];
        for (citation, rule, change, met) in cases {
            let mut q = eligible();
            change(&mut q);
            let found = general_eligibility(&q);
            assert_eq!(found.iter().all(|u| u.rule != rule), met, "{citation}");
            if !met {
                assert_eq!(found.len(), 1, "{citation}: only the broken criterion");
                assert!(
                    found[0].citation.to_string().ends_with(&citation[5..]),
                    "{citation}"
                );
            }
        }
    }

    #[test]
    fn every_unmet_criterion_is_reported_not_just_the_first() {
        let q = Qualifications::nothing_held(d("2010-01-01"), d("2025-01-01"));
        let found = rules(&q);
        assert_eq!(found.len(), 4 + 7, "{found:?}");
        assert_eq!(found[0], "sec2_1_age");
        assert_eq!(found[10], "sec2_5_g_program_management_and_evaluation");
    }

    #[test]
    fn the_online_course_is_required_only_of_online_trainers() {
        // (citation, conducts online, course done, unmet)
        let cases = [
            ("Sec. 3(2)", false, false, false),
            ("Sec. 3(2)", true, false, true),
            ("Sec. 3(2)", true, true, false),
            ("Sec. 3(2)", false, true, false),
        ];
        for (citation, online, course, unmet) in cases {
            let mut q = eligible();
            q.conducts_online_training = online;
            q.online_training_development_course = course;
            let found = online_training_development_course(&q);
            assert_eq!(found.is_some(), unmet, "{citation}: {online} {course}");
        }
    }
}
