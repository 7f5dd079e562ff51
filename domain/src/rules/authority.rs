//! What the holder of each level may train: Sec. 5(2), 6(2), 7(2), 8(2),
//! 9(2), 10(2)–(3), with Sec. 6(1)(b) and 11(3).
//!
//! Readings (also in `docs/RULES.md`):
//! - Sec. 5(2) and 10(3) refer to the topics "pursuant to Section 2(1)(e)";
//!   Section 2(1) is the age requirement and has no paragraph (e). The topics
//!   of early care and education are listed in Section 2(5), and the engine
//!   reads both references as Section 2(5).
//! - "A credentialed trainer at a higher level" (5(2)) is a Level 2–5
//!   trainer: the Specialty Level is not on the Level 1–5 ladder.
//! - A Level 1 co-trainer's training counts for what the lead trainer may
//!   train; Level 1 has no authority of its own.
//! - Until the Level 2 co-training of Sec. 6(1)(b) is done, a Level 2 trainer
//!   trains only alongside a Level 4 or 5 trainer: training with a Level 2 or
//!   3 partner would not build the required hours, and reading "solo" as
//!   "without any partner" would let two new Level 2 trainers bypass the
//!   paragraph together.
//! - A Specialty trainer may train "in the individual's approved area of
//!   expertise" (10(2)) and never on a general topic of Sec. 2(5) (10(3)).
//!   The other levels are not limited by topic.

use std::fmt;

use super::Unmet;
use super::citation::{Citation, sec};
use super::evaluation::LEVEL_2_CO_TRAINING;
use super::level::Level;
use super::qualifications::Topic;
use super::quantities::ClockHours;

/// The training requirements named in paragraph (a) of Sec. 6(2)–10(2) and
/// 11(1), (3), (4) and 16(1).
pub const CHILD_CARE_TRAINING_REQUIREMENTS: &str = "KRS 199.896(15) and (16); KRS 199.8982(1)(a)6 \
     and (2); 922 KAR 2:090, 922 KAR 2:100, 922 KAR 2:180, 922 KAR 2:230, or 922 KAR 2:250";

/// What a training counts toward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TrainingPurpose {
    /// The training requirements of KRS 199.896(15) and (16), KRS
    /// 199.8982(1)(a)6 and (2), and 922 KAR 2:090, 2:100, 2:180, 2:230 or
    /// 2:250 (paragraph (a) of each level's subsection (2)).
    ChildCareTrainingRequirements,
    /// The requirements of the CDA (paragraph (b)), in full.
    Cda,
    /// The final sixty hours required for the CDA (Sec. 6(2)(b)).
    CdaFinalSixtyHours,
    /// The requirements of a trainer's credential at this level (paragraph
    /// (c)).
    TrainerCredential(Level),
}

impl TrainingPurpose {
    fn describe(self) -> String {
        match self {
            TrainingPurpose::ChildCareTrainingRequirements => {
                format!("the training requirements of {CHILD_CARE_TRAINING_REQUIREMENTS}")
            }
            TrainingPurpose::Cda => "the requirements of the CDA".to_owned(),
            TrainingPurpose::CdaFinalSixtyHours => {
                "the final sixty hours required for the CDA".to_owned()
            }
            TrainingPurpose::TrainerCredential(level) => {
                format!(
                    "the requirements of a {} trainer's credential",
                    level.title()
                )
            }
        }
    }
}

/// How far a level may train toward the CDA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CdaAuthority {
    None,
    /// Sec. 6(2)(b): only the final sixty hours, and only co-training with a
    /// Level 4 or 5 trainer.
    FinalSixtyHoursWithLevel4Or5CoTrainer,
    /// Sec. 7(2)(b), 8(2)(b), 9(2)(b), 10(2)(b).
    Full,
}

/// What the holder of a level may train.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingAuthority {
    pub level: Level,
    /// Sec. 5(2): only as a co-trainer, on a single topic, with a trainer at a
    /// higher level.
    pub co_trainer_only: bool,
    /// Paragraph (a) of subsection (2).
    pub child_care_training_requirements: bool,
    /// Paragraph (b) of subsection (2).
    pub cda: CdaAuthority,
    /// Paragraph (c) of subsection (2): the trainer's credential levels whose
    /// requirements the holder may train for.
    pub trainer_credential_levels: Vec<Level>,
    /// Sec. 10(2): only in the approved area of expertise.
    pub area_of_expertise_only: bool,
    /// Sec. 10(3): never on the general topics of Sec. 2(5).
    pub general_topics_barred: bool,
    /// The clauses this authority comes from.
    pub citations: Vec<Citation>,
}

impl TrainingAuthority {
    /// The authority in sentences, for people (e.g. the public trainer
    /// listing).
    pub fn sentences(&self) -> Vec<String> {
        if self.co_trainer_only {
            return vec![
                "May only train as a co-trainer, on a single topic of early care and education, \
                 with a credentialed trainer at a higher level (Level 2 to 5)."
                    .to_owned(),
            ];
        }
        let mut sentences = Vec::new();
        let scope = if self.area_of_expertise_only {
            "In the approved area of expertise only, may provide training"
        } else {
            "May provide training"
        };
        if self.child_care_training_requirements {
            sentences.push(format!(
                "{scope} to meet the training requirements of {CHILD_CARE_TRAINING_REQUIREMENTS}."
            ));
        }
        match self.cda {
            CdaAuthority::None => {}
            CdaAuthority::FinalSixtyHoursWithLevel4Or5CoTrainer => sentences.push(format!(
                "{scope} for the final sixty hours required for the CDA, when co-training with a \
                 Level 4 or Level 5 trainer."
            )),
            CdaAuthority::Full => {
                sentences.push(format!("{scope} for the requirements of the CDA."))
            }
        }
        match self.trainer_credential_levels.as_slice() {
            [] => {}
            [only] => sentences.push(format!(
                "{scope} for the requirements of a {} trainer's credential.",
                only.title()
            )),
            [first, last] => sentences.push(format!(
                "{scope} for the requirements of a {} or {} trainer's credential.",
                first.title(),
                last.title()
            )),
            [first, .., last] => sentences.push(format!(
                "{scope} for the requirements of a {} through {} trainer's credential.",
                first.title(),
                last.title()
            )),
        }
        if self.general_topics_barred {
            sentences.push(
                "May not provide training on the general topics of early care and education."
                    .to_owned(),
            );
        }
        sentences
    }

    /// Whether the holder may, on its own authority, train toward `purpose`
    /// (the co-trainer conditions are checked by `check`).
    pub fn covers(&self, purpose: TrainingPurpose) -> bool {
        match purpose {
            TrainingPurpose::ChildCareTrainingRequirements => self.child_care_training_requirements,
            TrainingPurpose::Cda => self.cda == CdaAuthority::Full,
            TrainingPurpose::CdaFinalSixtyHours => self.cda != CdaAuthority::None,
            TrainingPurpose::TrainerCredential(level) => {
                self.trainer_credential_levels.contains(&level)
            }
        }
    }

    /// Every reason the holder of this level may not give `training`; empty
    /// when it may. `co_training_done` is the holder's co-training with a
    /// Level 4 or 5 trainer (Sec. 6(1)(b); ignored for other levels).
    pub fn check(&self, training: &ProposedTraining, co_training_done: ClockHours) -> Vec<Unmet> {
        let mut unmet = Vec::new();
        let co_trainer_rank = training.co_trainer.and_then(Level::rank);
        let with_level_4_or_5 = co_trainer_rank.is_some_and(|rank| rank >= 4);

        if self.co_trainer_only {
            // Sec. 5(2): the lead trainer's authority decides the purpose.
            let lead = training
                .co_trainer
                .filter(|lead| lead.rank().is_some_and(|rank| rank > 1));
            match lead {
                None => unmet.push(Unmet::new(
                    "sec5_2_co_trainer_only",
                    sec(5, "(2)"),
                    "A Level 1 trainer may only train as a co-trainer with a credentialed \
                     trainer at a higher level (Level 2 to 5).",
                )),
                Some(lead) => {
                    if training.topic.is_none() {
                        unmet.push(Unmet::new(
                            "sec5_2_single_topic",
                            sec(5, "(2)"),
                            "A Level 1 trainer may only co-train on a single topic of early care \
                             and education (Section 2(5)).",
                        ));
                    }
                    if !may_train(lead).covers(training.purpose) {
                        unmet.push(purpose_unmet(lead, training.purpose));
                    }
                }
            }
            return unmet;
        }

        if !self.covers(training.purpose) {
            unmet.push(purpose_unmet(self.level, training.purpose));
        }
        if self.cda == CdaAuthority::FinalSixtyHoursWithLevel4Or5CoTrainer
            && training.purpose == TrainingPurpose::CdaFinalSixtyHours
            && !with_level_4_or_5
        {
            unmet.push(Unmet::new(
                "sec6_2_b_cda_with_level_4_or_5",
                sec(6, "(2)(b)"),
                "A Level 2 trainer may train for the final sixty hours of the CDA only when \
                 co-training with a Level 4 or Level 5 trainer.",
            ));
        }
        if self.level == Level::Level2
            && co_training_done < LEVEL_2_CO_TRAINING
            && !with_level_4_or_5
        {
            unmet.push(Unmet::new(
                "sec6_1_b_co_training_before_solo",
                sec(6, "(1)(b)"),
                format!(
                    "A Level 2 trainer must co-train at least 12 clock hours with a Level 4 or 5 \
                     trainer before training without one; {co_training_done} clock hours are \
                     recorded."
                ),
            ));
        }
        if let (true, Some(topic)) = (self.general_topics_barred, training.topic) {
            unmet.push(Unmet::new(
                "sec10_3_no_general_topics",
                sec(10, "(3)"),
                format!(
                    "A Specialty Level trainer may not provide training on the general topic \
                     \"{}\" of early care and education.",
                    topic.title()
                ),
            ));
        }
        if self.area_of_expertise_only && !training.within_area_of_expertise {
            unmet.push(Unmet::new(
                "sec10_2_area_of_expertise",
                sec(10, "(2)"),
                "A Specialty Level trainer may provide training only in the approved area of \
                 expertise.",
            ));
        }
        unmet
    }
}

fn purpose_unmet(level: Level, purpose: TrainingPurpose) -> Unmet {
    let (rule, citation) = match level {
        // Level 1 has no purpose of its own: it co-trains under the lead's.
        Level::Level1 => ("sec5_2_co_trainer_only", sec(5, "(2)")),
        Level::Level2 => ("sec6_2_purpose", sec(6, "(2)")),
        Level::Level3 => ("sec7_2_purpose", sec(7, "(2)")),
        Level::Level4 => ("sec8_2_purpose", sec(8, "(2)")),
        Level::Level5 => ("sec9_2_purpose", sec(9, "(2)")),
        Level::Specialty => ("sec10_2_purpose", sec(10, "(2)")),
    };
    Unmet::new(
        rule,
        citation,
        format!(
            "A {} trainer may not provide training for {}.",
            level.title(),
            purpose.describe()
        ),
    )
}

/// A training someone proposes to give (or co-give).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProposedTraining {
    pub purpose: TrainingPurpose,
    /// The general topic of Sec. 2(5) the training is on, if any.
    pub topic: Option<Topic>,
    /// For a Specialty trainer: the training is in the approved area of
    /// expertise.
    pub within_area_of_expertise: bool,
    /// The level of the credentialed trainer training alongside, if any (for
    /// a Level 1 co-trainer: the lead trainer).
    pub co_trainer: Option<Level>,
}

/// What the holder of `level` may train.
pub fn may_train(level: Level) -> TrainingAuthority {
    let up_to = |rank: usize| Level::ALL[..rank].to_vec();
    let full = |level: Level, rank: usize, subsection: Citation| TrainingAuthority {
        level,
        co_trainer_only: false,
        child_care_training_requirements: true,
        cda: CdaAuthority::Full,
        trainer_credential_levels: up_to(rank),
        area_of_expertise_only: false,
        general_topics_barred: false,
        citations: vec![subsection, sec(11, "(3)")],
    };
    match level {
        Level::Level1 => TrainingAuthority {
            level,
            co_trainer_only: true,
            child_care_training_requirements: false,
            cda: CdaAuthority::None,
            trainer_credential_levels: Vec::new(),
            area_of_expertise_only: false,
            general_topics_barred: false,
            citations: vec![sec(5, "(2)"), sec(11, "(3)")],
        },
        Level::Level2 => TrainingAuthority {
            level,
            co_trainer_only: false,
            child_care_training_requirements: true,
            cda: CdaAuthority::FinalSixtyHoursWithLevel4Or5CoTrainer,
            trainer_credential_levels: up_to(2),
            area_of_expertise_only: false,
            general_topics_barred: false,
            citations: vec![sec(6, "(2)"), sec(6, "(1)(b)"), sec(11, "(3)")],
        },
        Level::Level3 => full(level, 3, sec(7, "(2)")),
        Level::Level4 => full(level, 4, sec(8, "(2)")),
        Level::Level5 => full(level, 5, sec(9, "(2)")),
        Level::Specialty => TrainingAuthority {
            area_of_expertise_only: true,
            general_topics_barred: true,
            citations: vec![sec(10, "(2)"), sec(10, "(3)"), sec(11, "(3)")],
            ..full(level, 5, sec(10, "(2)"))
        },
    }
}

impl fmt::Display for TrainingAuthority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sentences().join(" "))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use Level::*;
    use TrainingPurpose::*;

    #[test]
    fn each_level_may_train_as_its_section_says() {
        // (citation, level, co-trainer only, paragraph (a), CDA, credential levels)
        let cases = [
            ("Sec. 5(2)", Level1, true, false, CdaAuthority::None, vec![]),
            (
                "Sec. 6(2)",
                Level2,
                false,
                true,
                CdaAuthority::FinalSixtyHoursWithLevel4Or5CoTrainer,
                vec![Level1, Level2],
            ),
            (
                "Sec. 7(2)",
                Level3,
                false,
                true,
                CdaAuthority::Full,
                vec![Level1, Level2, Level3],
            ),
            (
                "Sec. 8(2)",
                Level4,
                false,
                true,
                CdaAuthority::Full,
                vec![Level1, Level2, Level3, Level4],
            ),
            (
                "Sec. 9(2)",
                Level5,
                false,
                true,
                CdaAuthority::Full,
                vec![Level1, Level2, Level3, Level4, Level5],
            ),
            (
                "Sec. 10(2)",
                Specialty,
                false,
                true,
                CdaAuthority::Full,
                vec![Level1, Level2, Level3, Level4, Level5],
            ),
        ];
        for (citation, level, co_only, paragraph_a, cda, levels) in cases {
            let authority = may_train(level);
            assert_eq!(authority.co_trainer_only, co_only, "{citation}");
            assert_eq!(
                authority.child_care_training_requirements, paragraph_a,
                "{citation}"
            );
            assert_eq!(authority.cda, cda, "{citation}");
            assert_eq!(authority.trainer_credential_levels, levels, "{citation}");
            assert_eq!(
                authority.area_of_expertise_only,
                level == Specialty,
                "{citation}"
            );
            assert_eq!(
                authority.general_topics_barred,
                level == Specialty,
                "Sec. 10(3)"
            );
            assert!(!authority.sentences().is_empty(), "{citation}");
        }
    }

    fn training(purpose: TrainingPurpose, co_trainer: Option<Level>) -> ProposedTraining {
        ProposedTraining {
            purpose,
            topic: Some(Topic::ChildGrowthAndDevelopment),
            within_area_of_expertise: false,
            co_trainer,
        }
    }

    #[test]
    fn proposed_trainings_are_checked_against_the_authority() {
        let done = ClockHours::whole(12);
        let short = ClockHours::from_minutes(12 * 60 - 15);
        // (citation, trainer, training, co-training done, expected rule ids)
        let cases: Vec<(&str, Level, ProposedTraining, ClockHours, Vec<&str>)> = vec![
            (
                "Sec. 5(2) alone",
                Level1,
                training(ChildCareTrainingRequirements, None),
                done,
                vec!["sec5_2_co_trainer_only"],
            ),
            (
                "Sec. 5(2) with Level 2",
                Level1,
                training(ChildCareTrainingRequirements, Some(Level2)),
                done,
                vec![],
            ),
            (
                "Sec. 5(2) Specialty is not higher",
                Level1,
                training(ChildCareTrainingRequirements, Some(Specialty)),
                done,
                vec!["sec5_2_co_trainer_only"],
            ),
            (
                "Sec. 5(2) with Level 1",
                Level1,
                training(ChildCareTrainingRequirements, Some(Level1)),
                done,
                vec!["sec5_2_co_trainer_only"],
            ),
            (
                "Sec. 5(2) single topic",
                Level1,
                ProposedTraining {
                    topic: None,
                    ..training(ChildCareTrainingRequirements, Some(Level3))
                },
                done,
                vec!["sec5_2_single_topic"],
            ),
            (
                "Sec. 5(2) lead's authority",
                Level1,
                training(TrainerCredential(Level3), Some(Level2)),
                done,
                vec!["sec6_2_purpose"],
            ),
            (
                "Sec. 6(2)(a)",
                Level2,
                training(ChildCareTrainingRequirements, None),
                done,
                vec![],
            ),
            (
                "Sec. 6(2)(b) full CDA",
                Level2,
                training(Cda, Some(Level5)),
                done,
                vec!["sec6_2_purpose"],
            ),
            (
                "Sec. 6(2)(b) final 60 with Level 4",
                Level2,
                training(CdaFinalSixtyHours, Some(Level4)),
                done,
                vec![],
            ),
            (
                "Sec. 6(2)(b) final 60 with Level 3",
                Level2,
                training(CdaFinalSixtyHours, Some(Level3)),
                done,
                vec!["sec6_2_b_cda_with_level_4_or_5"],
            ),
            (
                "Sec. 6(2)(b) final 60 alone",
                Level2,
                training(CdaFinalSixtyHours, None),
                done,
                vec!["sec6_2_b_cda_with_level_4_or_5"],
            ),
            (
                "Sec. 6(2)(c) Level 2 credential",
                Level2,
                training(TrainerCredential(Level2), None),
                done,
                vec![],
            ),
            (
                "Sec. 6(2)(c) Level 3 credential",
                Level2,
                training(TrainerCredential(Level3), None),
                done,
                vec!["sec6_2_purpose"],
            ),
            (
                "Sec. 6(1)(b) 11.75 hours, alone",
                Level2,
                training(ChildCareTrainingRequirements, None),
                short,
                vec!["sec6_1_b_co_training_before_solo"],
            ),
            (
                "Sec. 6(1)(b) 11.75 hours, with Level 3",
                Level2,
                training(ChildCareTrainingRequirements, Some(Level3)),
                short,
                vec!["sec6_1_b_co_training_before_solo"],
            ),
            (
                "Sec. 6(1)(b) 11.75 hours, with Level 5",
                Level2,
                training(ChildCareTrainingRequirements, Some(Level5)),
                short,
                vec![],
            ),
            (
                "Sec. 7(2)(b)",
                Level3,
                training(Cda, None),
                ClockHours::ZERO,
                vec![],
            ),
            (
                "Sec. 7(2)(c)",
                Level3,
                training(TrainerCredential(Level4), None),
                ClockHours::ZERO,
                vec!["sec7_2_purpose"],
            ),
            (
                "Sec. 8(2)(c)",
                Level4,
                training(TrainerCredential(Level4), None),
                ClockHours::ZERO,
                vec![],
            ),
            (
                "Sec. 9(2)(c)",
                Level5,
                training(TrainerCredential(Level5), None),
                ClockHours::ZERO,
                vec![],
            ),
            (
                "Sec. 9(2)(c) no Specialty requirements",
                Level5,
                training(TrainerCredential(Specialty), None),
                ClockHours::ZERO,
                vec!["sec9_2_purpose"],
            ),
            (
                "Sec. 10(3)",
                Specialty,
                ProposedTraining {
                    within_area_of_expertise: true,
                    ..training(Cda, None)
                },
                ClockHours::ZERO,
                vec!["sec10_3_no_general_topics"],
            ),
            (
                "Sec. 10(2)",
                Specialty,
                ProposedTraining {
                    topic: None,
                    ..training(Cda, None)
                },
                ClockHours::ZERO,
                vec!["sec10_2_area_of_expertise"],
            ),
            (
                "Sec. 10(2) in area",
                Specialty,
                ProposedTraining {
                    topic: None,
                    within_area_of_expertise: true,
                    ..training(TrainerCredential(Level5), None)
                },
                ClockHours::ZERO,
                vec![],
            ),
        ];
        for (citation, level, proposed, co_training, expected) in cases {
            let rules: Vec<_> = may_train(level)
                .check(&proposed, co_training)
                .iter()
                .map(|u| u.rule)
                .collect();
            assert_eq!(rules, expected, "{citation}");
        }
    }

    #[test]
    fn sentences_read_well() {
        let specialty = may_train(Specialty).to_string();
        assert!(
            specialty.starts_with("In the approved area of expertise only"),
            "{specialty}"
        );
        assert!(specialty.contains("Level 1 through Level 5"), "{specialty}");
        assert!(specialty.contains("general topics"), "{specialty}");
        let level_2 = may_train(Level2).to_string();
        assert!(level_2.contains("final sixty hours"), "{level_2}");
        assert!(
            level_2.contains("a Level 1 or Level 2 trainer's"),
            "{level_2}"
        );
    }
}
