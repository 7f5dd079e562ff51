//! A trainee's transcript: the trainings they attended, with their clock
//! hours summed by core content area and by year; and, for a credentialed
//! trainer renewing, the continuing education those trainings document
//! (Sec. 13(3)(b)).
//!
//! Readings (also in `docs/RULES.md`):
//! - A training that covers several core content areas counts its whole
//!   length under each of them (the certificate lists them all, Sec.
//!   12(2)(g), without dividing the hours), so the sums by area may exceed
//!   the total; the total counts each training once.
//! - A training's year is the year it ended (when its certificate's hours
//!   were completed).
//! - Sec. 13(3)(b): a training toward a trainer's credential (Sec.
//!   11(4)(c)) teaches how to train other adults (13(3)(b)1); every other
//!   training a credentialed trainer gives is in early care and education
//!   (13(3)(b)2). Training for another professional licence (13(3)(b)3.a)
//!   is not given through kecs, so the applicant adds it by hand. Only
//!   trainings completed since the credential's previous issue date count.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::rules::{CeCategory, CeEntry, ClockHours, Topic, TrainingPurpose};

/// One training a trainee attended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptEntry {
    /// None until the trainer signs the certificates (Sec. 12(2)).
    pub certificate_number: Option<String>,
    pub training_name: String,
    pub sponsoring_organization: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub clock_hours: ClockHours,
    pub core_content_areas: Vec<Topic>,
    pub purposes: Vec<TrainingPurpose>,
}

impl TranscriptEntry {
    /// Sec. 13(3)(b): which kind of continuing education the training is.
    pub fn ce_category(&self) -> CeCategory {
        if self
            .purposes
            .iter()
            .any(|purpose| matches!(purpose, TrainingPurpose::TrainerCredential(_)))
        {
            CeCategory::TrainingAdults
        } else {
            CeCategory::EarlyCareAndEducation
        }
    }
}

/// The trainings, newest first, with their sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    pub entries: Vec<TranscriptEntry>,
    pub total: ClockHours,
    /// In the order of Sec. 2(5); areas without hours are left out.
    pub by_content_area: Vec<(Topic, ClockHours)>,
    /// Oldest year first.
    pub by_year: Vec<(i32, ClockHours)>,
}

impl Transcript {
    pub fn of(mut entries: Vec<TranscriptEntry>) -> Self {
        entries.sort_by(|a, b| {
            (b.ends_on, b.starts_on, &b.certificate_number).cmp(&(
                a.ends_on,
                a.starts_on,
                &a.certificate_number,
            ))
        });
        let total = entries.iter().map(|entry| entry.clock_hours).sum();
        let mut by_area: BTreeMap<Topic, ClockHours> = BTreeMap::new();
        let mut by_year: BTreeMap<i32, ClockHours> = BTreeMap::new();
        for entry in &entries {
            for area in &entry.core_content_areas {
                let sum = by_area.entry(*area).or_insert(ClockHours::from_minutes(0));
                *sum = *sum + entry.clock_hours;
            }
            let sum = by_year
                .entry(entry.ends_on.year())
                .or_insert(ClockHours::from_minutes(0));
            *sum = *sum + entry.clock_hours;
        }
        let by_content_area = Topic::ALL
            .into_iter()
            .filter_map(|topic| by_area.get(&topic).map(|hours| (topic, *hours)))
            .collect();
        Self {
            entries,
            total,
            by_content_area,
            by_year: by_year.into_iter().collect(),
        }
    }

    /// Sec. 13(3)(b): the continuing education these trainings document
    /// since `previous_issue_date`, one entry per training, oldest first, as
    /// the renewal's `continuing_education` element takes it.
    pub fn continuing_education_since(&self, previous_issue_date: NaiveDate) -> Vec<CeEntry> {
        let mut entries: Vec<CeEntry> = self
            .entries
            .iter()
            .filter(|entry| entry.ends_on >= previous_issue_date)
            .map(|entry| CeEntry {
                category: entry.ce_category(),
                clock_hours: entry.clock_hours,
                completed_on: entry.ends_on,
            })
            .collect();
        entries.reverse();
        entries
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::rules::Level;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn entry(
        number: &str,
        ends_on: &str,
        minutes: u32,
        areas: &[Topic],
        purposes: &[TrainingPurpose],
    ) -> TranscriptEntry {
        TranscriptEntry {
            certificate_number: Some(number.to_owned()),
            training_name: format!("Training {number}"),
            sponsoring_organization: "Sponsor".to_owned(),
            starts_on: day(ends_on),
            ends_on: day(ends_on),
            clock_hours: ClockHours::from_minutes(minutes),
            core_content_areas: areas.to_vec(),
            purposes: purposes.to_vec(),
        }
    }

    #[test]
    fn sums_by_area_count_each_area_and_the_total_counts_each_training_once() {
        let transcript = Transcript::of(vec![
            entry(
                "C-1",
                "2025-03-01",
                90,
                &[Topic::ChildAssessments, Topic::HealthSafetyNutrition],
                &[TrainingPurpose::ChildCareTrainingRequirements],
            ),
            entry(
                "C-2",
                "2026-05-01",
                60,
                &[Topic::HealthSafetyNutrition],
                &[TrainingPurpose::Cda],
            ),
        ]);
        assert_eq!(transcript.total, ClockHours::from_minutes(150));
        assert_eq!(
            transcript.by_content_area,
            vec![
                (Topic::HealthSafetyNutrition, ClockHours::from_minutes(150)),
                (Topic::ChildAssessments, ClockHours::from_minutes(90)),
            ]
        );
        assert_eq!(
            transcript.by_year,
            vec![
                (2025, ClockHours::from_minutes(90)),
                (2026, ClockHours::from_minutes(60))
            ]
        );
        assert_eq!(
            transcript.entries[0].certificate_number.as_deref(),
            Some("C-2")
        );
    }

    #[test]
    fn continuing_education_counts_trainings_since_the_previous_issue_by_category() {
        let transcript = Transcript::of(vec![
            entry("C-1", "2023-12-31", 120, &[], &[TrainingPurpose::Cda]),
            entry(
                "C-2",
                "2024-01-01",
                420,
                &[],
                &[TrainingPurpose::TrainerCredential(Level::Level2)],
            ),
            entry(
                "C-3",
                "2025-06-01",
                480,
                &[Topic::ChildAssessments],
                &[TrainingPurpose::ChildCareTrainingRequirements],
            ),
        ]);
        let ce = transcript.continuing_education_since(day("2024-01-01"));
        assert_eq!(
            ce,
            vec![
                CeEntry {
                    category: CeCategory::TrainingAdults,
                    clock_hours: ClockHours::whole(7),
                    completed_on: day("2024-01-01"),
                },
                CeEntry {
                    category: CeCategory::EarlyCareAndEducation,
                    clock_hours: ClockHours::whole(8),
                    completed_on: day("2025-06-01"),
                },
            ]
        );
    }
}
