//! General training requirements, Sec. 11. (The five-year rule on repeating
//! online training, Sec. 11(11), is a period: see `deadlines`.)
//!
//! Readings (also in `docs/RULES.md`):
//! - Sec. 11(5): a training lasts at least one clock hour, and beyond it only
//!   whole 15-minute steps: 1, 1.25, 1.5 … hours; 1.1 hours is refused.
//! - Sec. 11(1): the exception for "an employee of a child care center program
//!   authorized by 42 U.S.C. 9831-9852" (Head Start) lifts the same-centre
//!   restriction when the centre is such a program; since trainer and trainee
//!   work at the same centre, it does not matter whose employment the
//!   exception names. The restriction binds training toward the purposes of
//!   11(1)(a)–(c), which are all the purposes a credentialed trainer trains
//!   for (see `TrainingPurpose`).
//! - Sec. 11(6)(a) "a combination of alternative modes of delivery" means at
//!   least two modes; 11(6)(b) then refuses exactly the four listed
//!   combinations (an article or a video, each with or without questions).
//! - Sec. 11(2), (9), (10) (monitoring, consistency with the seminar's
//!   principles, audits) are the cabinet's judgement, not machine rules.

use std::collections::BTreeSet;

use super::Unmet;
use super::authority::{ProposedTraining, may_train};
use super::citation::sec;
use super::level::Level;
use super::quantities::ClockHours;

/// Sec. 11(5): "a minimum of one (1) clock hour".
pub const MINIMUM_TRAINING: ClockHours = ClockHours::whole(1);
/// Sec. 11(5): "may increase in fifteen (15) minute intervals".
pub const TRAINING_STEP_MINUTES: u32 = 15;

/// Sec. 11(5).
pub fn check_training_length(length: ClockHours) -> Vec<Unmet> {
    let mut unmet = Vec::new();
    if length < MINIMUM_TRAINING {
        unmet.push(Unmet::new(
            "sec11_5_minimum_one_clock_hour",
            sec(11, "(5)"),
            format!("A training must last at least one clock hour; this one lasts {length}."),
        ));
    }
    if length.minutes().rem_euclid(TRAINING_STEP_MINUTES) != 0 {
        unmet.push(Unmet::new(
            "sec11_5_fifteen_minute_intervals",
            sec(11, "(5)"),
            format!(
                "A training may only grow in 15-minute steps (1, 1.25, 1.5 … clock hours); this \
                 one lasts {} minutes.",
                length.minutes()
            ),
        ));
    }
    unmet
}

/// Sec. 11(1): no credentialed owner or employee trains an employee of the
/// same child care center or family child care home toward the requirements
/// of 11(1)(a)–(c), except in a Head Start program (42 U.S.C. 9831-9852).
pub fn check_same_centre(
    trainee_works_at_trainers_centre_or_home: bool,
    head_start_program: bool,
) -> Result<(), Unmet> {
    if !trainee_works_at_trainers_centre_or_home || head_start_program {
        return Ok(());
    }
    Err(Unmet::new(
        "sec11_1_same_centre_employee",
        sec(11, "(1)"),
        "A credentialed owner or employee may not train an employee of the same child care \
         center or family child care home to meet training requirements, unless the center is \
         a Head Start program (42 U.S.C. 9831-9852).",
    ))
}

/// Sec. 11(3): only a trainer with a current credential may train toward
/// the purposes of 11(3)(a)–(c). (Whether it is current on a date:
/// `deadlines::credential_current`.)
pub fn check_current_credential(credential_current: bool) -> Result<(), Unmet> {
    if credential_current {
        return Ok(());
    }
    Err(Unmet::new(
        "sec11_3_current_credential",
        sec(11, "(3)"),
        "A trainer must hold a current Kentucky Early Care and Education Trainer's Credential \
         to train individuals to meet training requirements.",
    ))
}

/// Sec. 11(4): post-secondary early care and education coursework sponsored
/// by an accredited institution of higher learning meets the training
/// requirements of 11(4)(a)–(c), without a credentialed trainer.
pub fn accredited_coursework_meets_training_requirements(
    early_care_and_education_coursework: bool,
    accredited_institution: bool,
) -> bool {
    early_care_and_education_coursework && accredited_institution
}

/// A way a training not given face to face delivers its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeliveryMode {
    ReadingArticle,
    WatchingVideo,
    AnsweringQuestions,
    Discussion,
    InteractiveActivity,
    Assignment,
}

impl DeliveryMode {
    pub const ALL: [DeliveryMode; 6] = [
        DeliveryMode::ReadingArticle,
        DeliveryMode::WatchingVideo,
        DeliveryMode::AnsweringQuestions,
        DeliveryMode::Discussion,
        DeliveryMode::InteractiveActivity,
        DeliveryMode::Assignment,
    ];

    /// The contract's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            DeliveryMode::ReadingArticle => "reading_article",
            DeliveryMode::WatchingVideo => "watching_video",
            DeliveryMode::AnsweringQuestions => "answering_questions",
            DeliveryMode::Discussion => "discussion",
            DeliveryMode::InteractiveActivity => "interactive_activity",
            DeliveryMode::Assignment => "assignment",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, super::quantities::ParseError> {
        Self::ALL
            .into_iter()
            .find(|mode| mode.as_str() == raw)
            .ok_or_else(|| super::quantities::ParseError::Unknown {
                kind: "delivery mode",
                value: raw.to_owned(),
                expected: "reading_article, watching_video, answering_questions, discussion, \
                           interactive_activity, assignment",
            })
    }
}

/// How a training is delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Trainer and trainees in the same place at the same time.
    pub face_to_face: bool,
    /// Same time, not the same place (Sec. 1(6)); otherwise asynchronous
    /// (Sec. 1(2)). Ignored when face to face.
    pub synchronous: bool,
    pub modes: BTreeSet<DeliveryMode>,
    /// Sec. 11(7): interactive modes showing the participant is verifiably
    /// and actively engaged.
    pub interactive: bool,
    /// Sec. 11(8): a method to gauge participation.
    pub gauges_participation: bool,
}

/// Sec. 11(6)–(8) for a training not given face to face.
pub fn check_delivery(delivery: &Delivery) -> Vec<Unmet> {
    use DeliveryMode::{AnsweringQuestions, ReadingArticle, WatchingVideo};
    let mut unmet = Vec::new();
    if delivery.face_to_face {
        return unmet;
    }
    if delivery.modes.len() < 2 {
        unmet.push(Unmet::new(
            "sec11_6_a_combination_of_modes",
            sec(11, "(6)(a)"),
            "A training that is not face to face must combine alternative modes of delivery.",
        ));
    }
    let barred: [&[DeliveryMode]; 4] = [
        &[ReadingArticle],
        &[ReadingArticle, AnsweringQuestions],
        &[WatchingVideo],
        &[WatchingVideo, AnsweringQuestions],
    ];
    let modes: Vec<DeliveryMode> = delivery.modes.iter().copied().collect();
    if barred.contains(&modes.as_slice()) {
        unmet.push(Unmet::new(
            "sec11_6_b_not_solely_article_or_video",
            sec(11, "(6)(b)"),
            "A training that is not face to face may not consist solely of reading an article or \
             watching a video, with or without answering questions.",
        ));
    }
    if delivery.synchronous && !delivery.interactive {
        unmet.push(Unmet::new(
            "sec11_7_synchronous_interactive",
            sec(11, "(7)"),
            "A synchronous training must contain interactive modes that show the participant is \
             verifiably and actively engaged.",
        ));
    }
    if !delivery.synchronous && !delivery.gauges_participation {
        unmet.push(Unmet::new(
            "sec11_8_asynchronous_gauges_participation",
            sec(11, "(8)"),
            "An asynchronous training must include a method to gauge participation.",
        ));
    }
    unmet
}

/// A training a credentialed trainer proposes to give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingSession {
    pub trainer_level: Level,
    /// See `deadlines::credential_current`; a revoked credential is not current.
    pub trainer_credential_current: bool,
    /// Sec. 6(1)(b), for a Level 2 trainer.
    pub trainer_co_training_clock_hours_with_level_4_or_5: ClockHours,
    pub training: ProposedTraining,
    pub length: ClockHours,
    pub delivery: Delivery,
    /// A trainee is employed at the trainer's own center or home (Sec. 11(1)).
    pub trains_employee_of_own_centre_or_home: bool,
    /// That center is a Head Start program (Sec. 11(1)).
    pub head_start_program: bool,
}

/// Every rule of Sec. 5(2)–11 a training session breaks; empty when it may
/// go ahead.
pub fn check_training_session(session: &TrainingSession) -> Vec<Unmet> {
    let mut unmet = Vec::new();
    unmet.extend(check_current_credential(session.trainer_credential_current).err());
    unmet.extend(may_train(session.trainer_level).check(
        &session.training,
        session.trainer_co_training_clock_hours_with_level_4_or_5,
    ));
    unmet.extend(
        check_same_centre(
            session.trains_employee_of_own_centre_or_home,
            session.head_start_program,
        )
        .err(),
    );
    unmet.extend(check_training_length(session.length));
    unmet.extend(check_delivery(&session.delivery));
    unmet
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::rules::authority::TrainingPurpose;
    use crate::rules::qualifications::Topic;
    use DeliveryMode::*;

    #[test]
    fn a_training_is_at_least_an_hour_in_fifteen_minute_steps() {
        // (citation, minutes, expected rule ids)
        let cases: [(&str, u32, &[&str]); 7] = [
            ("Sec. 11(5) one hour", 60, &[]),
            (
                "Sec. 11(5) 45 minutes",
                45,
                &["sec11_5_minimum_one_clock_hour"],
            ),
            (
                "Sec. 11(5) 59 minutes",
                59,
                &[
                    "sec11_5_minimum_one_clock_hour",
                    "sec11_5_fifteen_minute_intervals",
                ],
            ),
            ("Sec. 11(5) 1.25 hours", 75, &[]),
            (
                "Sec. 11(5) 1.1 hours",
                66,
                &["sec11_5_fifteen_minute_intervals"],
            ),
            (
                "Sec. 11(5) 74 minutes",
                74,
                &["sec11_5_fifteen_minute_intervals"],
            ),
            ("Sec. 11(5) 17 hours", 17 * 60, &[]),
        ];
        for (citation, minutes, expected) in cases {
            let rules: Vec<_> = check_training_length(ClockHours::from_minutes(minutes))
                .iter()
                .map(|u| u.rule)
                .collect();
            assert_eq!(rules, expected, "{citation}");
        }
    }

    #[test]
    fn same_centre_training_only_in_head_start() {
        // (citation, same centre, Head Start, allowed)
        let cases = [
            ("Sec. 11(1)", true, false, false),
            ("Sec. 11(1) Head Start exception", true, true, true),
            ("Sec. 11(1) other centre", false, false, true),
        ];
        for (citation, same, head_start, allowed) in cases {
            assert_eq!(
                check_same_centre(same, head_start).is_ok(),
                allowed,
                "{citation}"
            );
        }
    }

    #[test]
    fn only_a_current_credential_trains() {
        assert!(check_current_credential(true).is_ok(), "Sec. 11(3)");
        assert_eq!(
            check_current_credential(false).unwrap_err().rule,
            "sec11_3_current_credential"
        );
    }

    #[test]
    fn accredited_ece_coursework_counts() {
        assert!(
            accredited_coursework_meets_training_requirements(true, true),
            "Sec. 11(4)"
        );
        assert!(
            !accredited_coursework_meets_training_requirements(true, false),
            "Sec. 11(4)"
        );
        assert!(
            !accredited_coursework_meets_training_requirements(false, true),
            "Sec. 11(4)"
        );
    }

    fn online(synchronous: bool, modes: &[DeliveryMode]) -> Delivery {
        Delivery {
            face_to_face: false,
            synchronous,
            modes: modes.iter().copied().collect(),
            interactive: true,
            gauges_participation: true,
        }
    }

    #[test]
    fn online_delivery_follows_section_11_6_to_8() {
        // (citation, delivery, expected rule ids)
        let cases: Vec<(&str, Delivery, Vec<&str>)> = vec![
            (
                "Sec. 11(6)",
                online(false, &[ReadingArticle, Discussion]),
                vec![],
            ),
            (
                "Sec. 11(6)(a)",
                online(false, &[Discussion]),
                vec!["sec11_6_a_combination_of_modes"],
            ),
            (
                "Sec. 11(6)(b)1",
                online(false, &[ReadingArticle]),
                vec![
                    "sec11_6_a_combination_of_modes",
                    "sec11_6_b_not_solely_article_or_video",
                ],
            ),
            (
                "Sec. 11(6)(b)2",
                online(false, &[ReadingArticle, AnsweringQuestions]),
                vec!["sec11_6_b_not_solely_article_or_video"],
            ),
            (
                "Sec. 11(6)(b)4",
                online(true, &[WatchingVideo, AnsweringQuestions]),
                vec!["sec11_6_b_not_solely_article_or_video"],
            ),
            (
                "Sec. 11(6)(b) article and video",
                online(false, &[ReadingArticle, WatchingVideo]),
                vec![],
            ),
            (
                "Sec. 11(7)",
                Delivery {
                    interactive: false,
                    ..online(true, &[Discussion, Assignment])
                },
                vec!["sec11_7_synchronous_interactive"],
            ),
            (
                "Sec. 11(8)",
                Delivery {
                    gauges_participation: false,
                    ..online(false, &[InteractiveActivity, Assignment])
                },
                vec!["sec11_8_asynchronous_gauges_participation"],
            ),
            (
                "Sec. 11(6) face to face",
                Delivery {
                    face_to_face: true,
                    ..online(false, &[])
                },
                vec![],
            ),
        ];
        for (citation, delivery, expected) in cases {
            let rules: Vec<_> = check_delivery(&delivery).iter().map(|u| u.rule).collect();
            assert_eq!(rules, expected, "{citation}");
        }
    }

    #[test]
    fn a_session_reports_every_broken_rule() {
        let session = TrainingSession {
            trainer_level: Level::Specialty,
            trainer_credential_current: false,
            trainer_co_training_clock_hours_with_level_4_or_5: ClockHours::ZERO,
            training: ProposedTraining {
                purpose: TrainingPurpose::ChildCareTrainingRequirements,
                topic: Some(Topic::HealthSafetyNutrition),
                within_area_of_expertise: true,
                co_trainer: None,
            },
            length: ClockHours::from_minutes(50),
            delivery: Delivery {
                face_to_face: true,
                ..online(false, &[])
            },
            trains_employee_of_own_centre_or_home: true,
            head_start_program: false,
        };
        let rules: Vec<_> = check_training_session(&session)
            .iter()
            .map(|u| u.rule)
            .collect();
        assert_eq!(
            rules,
            [
                "sec11_3_current_credential",
                "sec10_3_no_general_topics",
                "sec11_1_same_centre_employee",
                "sec11_5_minimum_one_clock_hour",
                "sec11_5_fifteen_minute_intervals",
            ]
        );
    }
}
