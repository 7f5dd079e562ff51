//! Sec. 15(1): the grounds on which the cabinet revokes a credential.

use crate::rules::{Citation, Unmet};
use chrono::NaiveDate;

/// At most this many training events are cited in one revocation.
pub const MAX_CITED_TRAINING_EVENTS: usize = 50;

/// A training event a revocation for breaking Sec. 11 or 12 cites: the
/// records the cabinet found wanting, shown to the holder with the ground.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedTrainingEvent {
    pub id: String,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RevocationGround {
    /// Sec. 15(1)(a).
    FalsifiedRecord,
    /// Sec. 15(1)(b): the training rules of Sections 11 and 12.
    TrainingRulesNotFollowed,
    /// Sec. 15(1)(c).
    ConfidentialityNotPreserved,
}

impl RevocationGround {
    pub const ALL: [RevocationGround; 3] = [
        RevocationGround::FalsifiedRecord,
        RevocationGround::TrainingRulesNotFollowed,
        RevocationGround::ConfidentialityNotPreserved,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            RevocationGround::FalsifiedRecord => "falsified_record",
            RevocationGround::TrainingRulesNotFollowed => "training_rules_not_followed",
            RevocationGround::ConfidentialityNotPreserved => "confidentiality_not_preserved",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == raw)
    }

    pub const fn citation(self) -> Citation {
        match self {
            RevocationGround::FalsifiedRecord => Citation::new(15, "(1)(a)"),
            RevocationGround::TrainingRulesNotFollowed => Citation::new(15, "(1)(b)"),
            RevocationGround::ConfidentialityNotPreserved => Citation::new(15, "(1)(c)"),
        }
    }

    /// The ground in the regulation's words, for the notice to the trainer.
    pub const fn description(self) -> &'static str {
        match self {
            RevocationGround::FalsifiedRecord => "falsified a record",
            RevocationGround::TrainingRulesNotFollowed => {
                "failed to comply with the requirements of Section 11 or 12"
            }
            RevocationGround::ConfidentialityNotPreserved => {
                "did not preserve the confidentiality of training and trainee records"
            }
        }
    }
}

impl RevocationGround {
    /// Training events are the records of Sec. 11 and 12, so only the
    /// ground of Sec. 15(1)(b) cites them; and a revocation cites a bounded
    /// number of them.
    pub fn check_cited_training(self, cited: usize) -> Result<(), Unmet> {
        if cited > 0 && self != RevocationGround::TrainingRulesNotFollowed {
            return Err(Unmet::new(
                "sec15_1_b_events_only_for_training_rules",
                Citation::new(15, "(1)(b)"),
                "training events are cited only when the ground is that the trainer did not \
                 follow Section 11 or 12 (training_rules_not_followed)",
            ));
        }
        if cited > MAX_CITED_TRAINING_EVENTS {
            return Err(Unmet::new(
                "sec15_1_b_cited_events_bounded",
                Citation::new(15, "(1)(b)"),
                format!("at most {MAX_CITED_TRAINING_EVENTS} training events are cited"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_training_ground_cites_training_events() {
        // (ground, events cited, rule broken)
        let cases = [
            (RevocationGround::TrainingRulesNotFollowed, 0, None),
            (RevocationGround::TrainingRulesNotFollowed, 1, None),
            (RevocationGround::TrainingRulesNotFollowed, 50, None),
            (
                RevocationGround::TrainingRulesNotFollowed,
                51,
                Some("sec15_1_b_cited_events_bounded"),
            ),
            (RevocationGround::FalsifiedRecord, 0, None),
            (
                RevocationGround::FalsifiedRecord,
                1,
                Some("sec15_1_b_events_only_for_training_rules"),
            ),
            (
                RevocationGround::ConfidentialityNotPreserved,
                2,
                Some("sec15_1_b_events_only_for_training_rules"),
            ),
        ];
        for (ground, cited, broken) in cases {
            let result = ground.check_cited_training(cited);
            assert_eq!(
                result.as_ref().err().map(|u| u.rule),
                broken,
                "{ground:?} {cited}"
            );
            if let Err(unmet) = result {
                assert_eq!(unmet.citation.to_string(), "922 KAR 2:240 Section 15(1)(b)");
            }
        }
    }

    #[test]
    fn every_ground_round_trips_and_cites_its_clause() {
        let clauses = ["(1)(a)", "(1)(b)", "(1)(c)"];
        for (ground, clause) in RevocationGround::ALL.into_iter().zip(clauses) {
            assert_eq!(RevocationGround::parse(ground.as_str()), Some(ground));
            assert_eq!(
                ground.citation().to_string(),
                format!("922 KAR 2:240 Section 15{clause}")
            );
        }
        assert_eq!(RevocationGround::parse("other"), None);
    }
}
