//! A training event: what a credentialed trainer gives, with whom, toward
//! what (Sec. 5(2)–11).
//!
//! Readings (also in `docs/RULES.md`):
//! - The training's days are dates (`starts_on`, `ends_on`); its length is
//!   the clock hours of Sec. 11(5), given in minutes.
//! - Sec. 11(3): every trainer on the event holds a credential that is
//!   current on each day of the training: issued on or before the first day,
//!   not yet expired on the last, and not revoked. An event may be recorded
//!   after it happened, so the days of the training decide, not the day of
//!   recording.
//! - Each trainer is checked against what their level may train (Sec.
//!   5(2)–10(3)) for every purpose and every topic of the event, with the
//!   highest-ranked other trainer on the event as their co-trainer.
//! - An event is online (Sec. 11(11)) when it is not face to face.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime};

use crate::rules::authority::{ProposedTraining, may_train};
use crate::rules::deadlines::attendance_entry_deadline;
use crate::rules::training::{Delivery, check_current_credential, check_delivery,
    check_training_length};
use crate::rules::{ClockHours, Level, Topic, TrainingPurpose, Unmet};
use crate::validation::FieldErrors;

/// What a trainer proposes (or records): everything but who trains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventPlan {
    pub title: String,
    /// The sponsoring organisation.
    pub sponsor: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub length: ClockHours,
    pub delivery: Delivery,
    /// Topics of early care and education of Sec. 2(5) the event covers.
    pub topics: BTreeSet<Topic>,
    pub purposes: BTreeSet<TrainingPurpose>,
    /// The trainer's statement that the event lies in a Specialty trainer's
    /// approved area of expertise (Sec. 10(2)); the cabinet judges it.
    pub within_area_of_expertise: bool,
}

impl EventPlan {
    /// Sec. 11(6): anything not face to face uses alternative modes of
    /// delivery, online; Sec. 11(11) limits repeating it.
    pub fn is_online(&self) -> bool {
        !self.delivery.face_to_face
    }

    /// "The same online training course" (Sec. 11(11)): the same title from
    /// the same sponsoring organisation, compared without case, spacing or
    /// punctuation.
    pub fn course_key(&self) -> String {
        format!("{}|{}", fold(&self.title), fold(&self.sponsor))
    }
}

fn fold(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A trainer on an event, by the credential they train under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainerOnEvent {
    pub credential_id: String,
    pub credential_number: String,
    pub account_id: String,
    pub level: Level,
    /// Current on every day of the training (see the module's readings).
    pub current_throughout: bool,
    /// Sec. 6(1)(b): clock hours co-trained with a Level 4 or 5 trainer on
    /// events recorded before this one (Level 2 only).
    pub co_training_done: ClockHours,
}

/// Every rule the event breaks, each under the field it concerns: the lead
/// trainer's under `credential_number`, the i-th co-trainer's under
/// `co_trainers[i]`, the length under `minutes`, the delivery under
/// `delivery`. Empty when it may go ahead.
pub fn check_event(plan: &EventPlan, lead: &TrainerOnEvent, co_trainers: &[TrainerOnEvent]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let everyone: Vec<&TrainerOnEvent> = std::iter::once(lead).chain(co_trainers).collect();
    for (index, trainer) in everyone.iter().enumerate() {
        let field = if index == 0 {
            "credential_number".to_owned()
        } else {
            format!("co_trainers[{}]", index - 1)
        };
        for unmet in check_trainer(plan, trainer, partner_of(&everyone, index)) {
            errors.push_unmet(field.clone(), &unmet);
        }
    }
    for unmet in check_training_length(plan.length) {
        errors.push_unmet("minutes", &unmet);
    }
    for unmet in check_delivery(&plan.delivery) {
        errors.push_unmet("delivery", &unmet);
    }
    errors
}

/// The highest-ranked other trainer on the event (a Specialty trainer, off
/// the ladder, only when nobody ranked is there).
fn partner_of(everyone: &[&TrainerOnEvent], index: usize) -> Option<Level> {
    let others = everyone
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, t)| t.level);
    others.max_by_key(|level| level.rank().map_or(0, |rank| rank + 1))
}

/// Every rule one trainer breaks on the event, each rule once.
fn check_trainer(plan: &EventPlan, trainer: &TrainerOnEvent, partner: Option<Level>) -> Vec<Unmet> {
    let mut unmet: Vec<Unmet> = Vec::new();
    let add = |found: Unmet, unmet: &mut Vec<Unmet>| {
        if !unmet.iter().any(|u| u.rule == found.rule && u.message == found.message) {
            unmet.push(found);
        }
    };
    if let Err(found) = check_current_credential(trainer.current_throughout) {
        add(found, &mut unmet);
    }
    let authority = may_train(trainer.level);
    let topics: Vec<Option<Topic>> = if plan.topics.is_empty() {
        vec![None]
    } else {
        plan.topics.iter().copied().map(Some).collect()
    };
    for &purpose in &plan.purposes {
        for &topic in &topics {
            let proposed = ProposedTraining {
                purpose,
                topic,
                within_area_of_expertise: plan.within_area_of_expertise,
                co_trainer: partner,
            };
            for found in authority.check(&proposed, trainer.co_training_done) {
                add(found, &mut unmet);
            }
        }
    }
    // Sec. 5(2) "a single topic": several topics are not one.
    if authority.co_trainer_only && plan.topics.len() > 1 {
        let single = authority.check(
            &ProposedTraining {
                purpose: TrainingPurpose::ChildCareTrainingRequirements,
                topic: None,
                within_area_of_expertise: plan.within_area_of_expertise,
                co_trainer: Some(Level::Level5),
            },
            trainer.co_training_done,
        );
        for found in single.into_iter().filter(|u| u.rule == "sec5_2_single_topic") {
            add(found, &mut unmet);
        }
    }
    unmet
}

/// A co-trainer as recorded on an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoTrainer {
    pub credential_id: String,
    pub credential_number: String,
    pub account_id: String,
    pub level: Level,
}

/// A training event as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingEvent {
    pub id: String,
    /// The lead trainer, who records the event and enters its attendance.
    pub trainer_account_id: String,
    pub credential_id: String,
    pub credential_number: String,
    pub trainer_level: Level,
    pub plan: EventPlan,
    pub co_trainers: Vec<CoTrainer>,
    pub created_at: NaiveDateTime,
    pub attendance_entered_at: Option<NaiveDateTime>,
    /// Entered after the ten days of Sec. 12(1)(a).
    pub attendance_late: bool,
}

impl TrainingEvent {
    /// Sec. 12(1)(a): the last day attendance is entered in time.
    pub fn attendance_due_on(&self) -> NaiveDate {
        attendance_entry_deadline(self.plan.ends_on)
    }

    /// Not entered, and the ten days are over.
    pub fn attendance_missing(&self, today: NaiveDate) -> bool {
        self.attendance_entered_at.is_none() && today > self.attendance_due_on()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::rules::training::DeliveryMode;
    use Level::*;

    fn face_to_face() -> Delivery {
        Delivery {
            face_to_face: true,
            synchronous: true,
            modes: BTreeSet::new(),
            interactive: true,
            gauges_participation: true,
        }
    }

    fn plan(minutes: u32, topics: &[Topic], purposes: &[TrainingPurpose]) -> EventPlan {
        let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        EventPlan {
            title: "Safe sleep".to_owned(),
            sponsor: "Frankfort Child Care Council".to_owned(),
            starts_on: day,
            ends_on: day,
            length: ClockHours::from_minutes(minutes),
            delivery: face_to_face(),
            topics: topics.iter().copied().collect(),
            purposes: purposes.iter().copied().collect(),
            within_area_of_expertise: false,
        }
    }

    fn trainer(level: Level, current: bool) -> TrainerOnEvent {
        TrainerOnEvent {
            credential_id: format!("c-{}", level.as_str()),
            credential_number: format!("KYT-{}", level.as_str()),
            account_id: format!("a-{}", level.as_str()),
            level,
            current_throughout: current,
            co_training_done: ClockHours::ZERO,
        }
    }

    fn rules(errors: &FieldErrors) -> Vec<(String, &'static str)> {
        errors
            .iter()
            .map(|e| (e.field.clone(), e.rule.unwrap_or("-")))
            .collect()
    }

    #[test]
    fn events_are_checked_for_every_trainer_and_rule() {
        use TrainingPurpose::*;
        let one = [Topic::HealthSafetyNutrition];
        let two = [Topic::HealthSafetyNutrition, Topic::ChildAssessments];
        // (citation, plan, lead, co-trainers, expected (field, rule))
        let cases: Vec<(&str, EventPlan, TrainerOnEvent, Vec<TrainerOnEvent>, Vec<(&str, &str)>)> = vec![
            ("Sec. 5(2) Level 3 with a Level 1 co-trainer", plan(60, &one, &[ChildCareTrainingRequirements]), trainer(Level3, true), vec![trainer(Level1, true)], vec![]),
            ("Sec. 5(2) Level 1 alone", plan(60, &one, &[ChildCareTrainingRequirements]), trainer(Level1, true), vec![], vec![("credential_number", "sec5_2_co_trainer_only")]),
            ("Sec. 5(2) Level 1 co-trainer on two topics", plan(60, &two, &[ChildCareTrainingRequirements]), trainer(Level3, true), vec![trainer(Level1, true)], vec![("co_trainers[0]", "sec5_2_single_topic")]),
            ("Sec. 6(2)(b) Level 2 final 60 with Level 4", plan(60, &one, &[CdaFinalSixtyHours]), trainer(Level2, true), vec![trainer(Level4, true)], vec![]),
            ("Sec. 6(2)(b) Level 2 final 60 with Level 3", plan(60, &one, &[CdaFinalSixtyHours]), trainer(Level2, true), vec![trainer(Level3, true)], vec![("credential_number", "sec6_2_b_cda_with_level_4_or_5"), ("credential_number", "sec6_1_b_co_training_before_solo")]),
            ("Sec. 10(3) Specialty on a general topic", plan(60, &one, &[ChildCareTrainingRequirements]), TrainerOnEvent { ..trainer(Specialty, true) }, vec![], vec![("credential_number", "sec10_3_no_general_topics")]),
            ("Sec. 7(2)(c) Level 3 toward Level 4", plan(60, &[], &[TrainerCredential(Level4)]), trainer(Level3, true), vec![], vec![("credential_number", "sec7_2_purpose")]),
            ("Sec. 11(3) lapsed", plan(60, &one, &[Cda]), trainer(Level4, false), vec![], vec![("credential_number", "sec11_3_current_credential")]),
            ("Sec. 11(3) lapsed co-trainer", plan(60, &one, &[Cda]), trainer(Level4, true), vec![trainer(Level3, false)], vec![("co_trainers[0]", "sec11_3_current_credential")]),
            ("Sec. 11(5) 59 minutes", plan(59, &one, &[Cda]), trainer(Level4, true), vec![], vec![("minutes", "sec11_5_minimum_one_clock_hour"), ("minutes", "sec11_5_fifteen_minute_intervals")]),
            ("Sec. 11(5) 80 minutes", plan(80, &one, &[Cda]), trainer(Level4, true), vec![], vec![("minutes", "sec11_5_fifteen_minute_intervals")]),
            ("Sec. 11(5) 75 minutes", plan(75, &one, &[Cda]), trainer(Level4, true), vec![], vec![]),
        ];
        for (citation, plan, lead, co, expected) in cases {
            let found = rules(&check_event(&plan, &lead, &co));
            let expected: Vec<(String, &str)> =
                expected.into_iter().map(|(f, r)| (f.to_owned(), r)).collect();
            assert_eq!(found, expected, "{citation}");
        }
    }

    #[test]
    fn online_delivery_is_checked_under_delivery() {
        let mut online = plan(60, &[Topic::ChildAssessments], &[TrainingPurpose::Cda]);
        online.delivery = Delivery {
            face_to_face: false,
            synchronous: false,
            modes: [DeliveryMode::WatchingVideo].into_iter().collect(),
            interactive: false,
            gauges_participation: true,
        };
        assert!(online.is_online());
        let found = rules(&check_event(&online, &trainer(Level5, true), &[]));
        assert_eq!(
            found,
            [
                ("delivery".to_owned(), "sec11_6_a_combination_of_modes"),
                ("delivery".to_owned(), "sec11_6_b_not_solely_article_or_video"),
            ]
        );
    }
}
