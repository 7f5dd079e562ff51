//! Sec. 15(1): the grounds on which the cabinet revokes a credential.

use crate::rules::Citation;

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

#[cfg(test)]
mod tests {
    use super::*;

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
