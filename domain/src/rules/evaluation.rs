//! Putting the sections together: which levels a qualifications document
//! earns, and for each level every requirement it does not meet.
//!
//! Sec. 14(1) denies a credential to an individual who fails Sections 2
//! through 4 or the level's own section (5 to 10); `evaluate_level` checks
//! exactly those, in that order, and never stops at the first failure.

use super::citation::{Citation, sec};
use super::eligibility::{general_eligibility, online_training_development_course};
use super::level::Level;
use super::levels::level_requirements;
use super::qualifications::Qualifications;
use super::quantities::ClockHours;
use super::seminar::seminar_requirement;
use super::{Restriction, Unmet};

/// Sec. 6(1)(b): "Co-train at least twelve (12) clock hours with a Level 4 or
/// 5 … trainer before training solo".
pub const LEVEL_2_CO_TRAINING: ClockHours = ClockHours::whole(12);

/// What the engine decides for one level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelEvaluation {
    pub level: Level,
    /// Every requirement of Sec. 2–4 and of the level's section is met.
    pub eligible: bool,
    /// Every unmet requirement (empty exactly when `eligible`).
    pub unmet: Vec<Unmet>,
    /// The path of the level's section that is met (e.g. Section 7(1)(a)2),
    /// whether or not the rest is.
    pub met_by: Option<Citation>,
    /// Whether a holder of the level may train without a co-trainer: never
    /// at Level 1 (Sec. 5(2)); at Level 2 only after the co-training of
    /// Sec. 6(1)(b).
    pub solo_training_allowed: bool,
    /// Limits on what the holder may do once awarded; they do not bar the
    /// award.
    pub restrictions: Vec<Restriction>,
}

/// The evaluation of every level, in the order `level_1` … `level_5`,
/// `specialty`.
pub fn evaluate(q: &Qualifications) -> Vec<LevelEvaluation> {
    Level::ALL
        .into_iter()
        .map(|level| evaluate_level(q, level))
        .collect()
}

/// Sec. 2, 3(2), 4 (with 3(4)) and the level's own section for `level`.
pub fn evaluate_level(q: &Qualifications, level: Level) -> LevelEvaluation {
    let mut unmet = general_eligibility(q);
    unmet.extend(online_training_development_course(q));
    unmet.extend(seminar_requirement(q, level));
    let paths = level_requirements(q, level);
    unmet.extend(paths.unmet);
    let (solo_training_allowed, restrictions) = restrictions_after_award(q, level);
    LevelEvaluation {
        level,
        eligible: unmet.is_empty(),
        unmet,
        met_by: paths.met_by,
        solo_training_allowed,
        restrictions,
    }
}

/// What limits the holder of `level` once awarded.
///
/// Reading of Sec. 6(1)(b): the twelve clock hours of co-training with a
/// Level 4 or 5 trainer limit *solo training*; they do not bar the award.
/// The paragraph says "before training solo", which only has meaning for a
/// person who may already train; before the award the applicant may not
/// train at all (Sec. 11(3) requires a current credential), so co-training
/// as a condition of the award would leave "before training solo" idle and
/// would have an uncredentialed person training. Sec. 5(2) shows the same
/// pattern for Level 1: a credential whose holder trains only alongside a
/// higher-level trainer. So a Level 2 applicant who meets Sec. 2–4 and
/// 6(1)(a) is eligible, and the evaluation says solo training is barred until
/// the co-training is done.
fn restrictions_after_award(q: &Qualifications, level: Level) -> (bool, Vec<Restriction>) {
    match level {
        Level::Level1 => (
            false,
            vec![Restriction::new(
                "sec5_2_co_trainer_only",
                sec(5, "(2)"),
                "A Level 1 trainer may only train as a co-trainer, on a single topic of early \
                 care and education, with a credentialed trainer at a higher level.",
            )],
        ),
        Level::Level2 if q.co_training_clock_hours_with_level_4_or_5 < LEVEL_2_CO_TRAINING => (
            false,
            vec![Restriction::new(
                "sec6_1_b_co_training_before_solo",
                sec(6, "(1)(b)"),
                format!(
                    "A Level 2 trainer may not train solo until they have co-trained at least 12 \
                     clock hours with a Level 4 or 5 trainer; {} clock hours are recorded, {} \
                     to go. This does not prevent the award of the credential.",
                    q.co_training_clock_hours_with_level_4_or_5,
                    q.co_training_clock_hours_with_level_4_or_5
                        .shortfall_to(LEVEL_2_CO_TRAINING)
                ),
            )],
        ),
        _ => (true, Vec::new()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::rules::qualifications::{Degree, DegreeField, DegreeLevel, Topic};
    use crate::rules::quantities::{CreditHours, ExperienceYears};
    use chrono::NaiveDate;

    fn d(raw: &str) -> NaiveDate {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").unwrap()
    }

    /// Meets Sec. 2 and the seminar, holds nothing else.
    fn ready() -> Qualifications {
        let mut q = Qualifications::nothing_held(d("1990-01-01"), d("2025-06-01"));
        q.high_school_diploma = true;
        q.intro_training_clock_hours = ClockHours::whole(2);
        q.data_system_training_clock_hours = ClockHours::whole(2);
        q.topics = Topic::ALL.into_iter().collect();
        q.seminar_completed = true;
        q
    }

    fn eligible_levels(q: &Qualifications) -> Vec<Level> {
        evaluate(q)
            .into_iter()
            .filter(|e| e.eligible)
            .map(|e| e.level)
            .collect()
    }

    #[test]
    fn evaluates_every_level_in_order() {
        let levels: Vec<_> = evaluate(&ready()).iter().map(|e| e.level).collect();
        assert_eq!(levels, Level::ALL);
    }

    #[test]
    fn eligible_exactly_when_nothing_is_unmet() {
        for evaluation in evaluate(&ready()) {
            assert_eq!(evaluation.eligible, evaluation.unmet.is_empty());
        }
    }

    #[test]
    fn a_master_in_ece_with_a_year_earns_levels_3_to_5() {
        let mut q = ready();
        q.ece_experience_years = ExperienceYears::whole(1);
        q.degrees = vec![Degree::new(DegreeLevel::Master, DegreeField::Ece)];
        // Level 2 needs a CDA or ten years: not met by a degree.
        assert_eq!(
            eligible_levels(&q),
            [Level::Level3, Level::Level4, Level::Level5]
        );
    }

    #[test]
    fn level_2_co_training_limits_solo_training_but_not_the_award() {
        // (citation, co-training minutes, eligible, solo allowed)
        let cases = [
            ("Sec. 6(1)(b) none", 0, true, false),
            ("Sec. 6(1)(b) 11.75 hours", 12 * 60 - 15, true, false),
            ("Sec. 6(1)(b) 12 hours", 12 * 60, true, true),
        ];
        for (citation, minutes, eligible, solo) in cases {
            let mut q = ready();
            q.cda_or_director_credential = true;
            q.ece_experience_years = ExperienceYears::whole(3);
            q.co_training_clock_hours_with_level_4_or_5 = ClockHours::from_minutes(minutes);
            let evaluation = evaluate_level(&q, Level::Level2);
            assert_eq!(evaluation.eligible, eligible, "{citation}");
            assert_eq!(evaluation.solo_training_allowed, solo, "{citation}");
            let restricted = evaluation
                .restrictions
                .iter()
                .any(|r| r.rule == "sec6_1_b_co_training_before_solo");
            assert_eq!(restricted, !solo, "{citation}");
        }
    }

    #[test]
    fn level_1_never_trains_solo() {
        let mut q = ready();
        q.ece_experience_years = ExperienceYears::whole(3);
        let evaluation = evaluate_level(&q, Level::Level1);
        assert!(evaluation.eligible);
        assert!(!evaluation.solo_training_allowed);
        assert_eq!(evaluation.restrictions[0].citation, sec(5, "(2)"));
    }

    #[test]
    fn the_seminar_binds_levels_2_to_5_only() {
        // (citation, level)
        let mut q = ready();
        q.seminar_completed = false;
        q.ece_experience_years = ExperienceYears::whole(3);
        q.cda_or_director_credential = true;
        q.ece_credit_hours = CreditHours::whole(30);
        q.specialty = Some(crate::rules::qualifications::SpecialtyQualification {
            area: "Nutrition".to_owned(),
            license_or_certification: true,
            related_experience_years: ExperienceYears::whole(3),
        });
        let cases = [
            ("Sec. 4: Level 1 not named", Level::Level1, true),
            ("Sec. 4 / 6(1)(c)", Level::Level2, false),
            ("Sec. 4 / 7(1)(b)", Level::Level3, false),
            ("Sec. 4: Specialty not named", Level::Specialty, true),
        ];
        for (citation, level, eligible) in cases {
            assert_eq!(evaluate_level(&q, level).eligible, eligible, "{citation}");
        }
    }

    #[test]
    fn an_applicant_with_nothing_hears_every_reason_for_a_level() {
        let q = Qualifications::nothing_held(d("2010-01-01"), d("2025-06-01"));
        let evaluation = evaluate_level(&q, Level::Level4);
        let rules: Vec<_> = evaluation.unmet.iter().map(|u| u.rule).collect();
        // Sec. 2 (4 + 7 topics), the seminar, three paths.
        assert_eq!(rules.len(), 11 + 1 + 3, "{rules:?}");
        assert!(rules.contains(&"sec8_1_b_trainers_seminar"));
        assert!(
            rules.contains(&"sec8_1_a_3_ece_experience_unrelated_bachelor_and_child_development")
        );
    }

    #[test]
    fn the_online_course_binds_every_level_of_an_online_trainer() {
        let mut q = ready();
        q.conducts_online_training = true;
        for evaluation in evaluate(&q) {
            assert!(
                evaluation
                    .unmet
                    .iter()
                    .any(|u| u.rule == "sec3_2_online_training_development_course"),
                "Sec. 3(2): {}",
                evaluation.level
            );
        }
    }
}
