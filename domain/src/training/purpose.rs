//! The purposes of Sec. 5(2)–10(2) as the contract names them.

use crate::rules::quantities::ParseError;
use crate::rules::{Level, TrainingPurpose};

/// `child_care_training_requirements`, `cda`, `cda_final_sixty_hours`,
/// `trainer_credential_level_1` … `trainer_credential_level_5`,
/// `trainer_credential_specialty`.
pub fn purpose_name(purpose: TrainingPurpose) -> String {
    match purpose {
        TrainingPurpose::ChildCareTrainingRequirements => {
            "child_care_training_requirements".to_owned()
        }
        TrainingPurpose::Cda => "cda".to_owned(),
        TrainingPurpose::CdaFinalSixtyHours => "cda_final_sixty_hours".to_owned(),
        TrainingPurpose::TrainerCredential(level) => {
            format!("trainer_credential_{}", level.as_str())
        }
    }
}

pub fn parse_purpose(raw: &str) -> Result<TrainingPurpose, ParseError> {
    match raw {
        "child_care_training_requirements" => Ok(TrainingPurpose::ChildCareTrainingRequirements),
        "cda" => Ok(TrainingPurpose::Cda),
        "cda_final_sixty_hours" => Ok(TrainingPurpose::CdaFinalSixtyHours),
        other => other
            .strip_prefix("trainer_credential_")
            .and_then(|level| Level::parse(level).ok())
            .map(TrainingPurpose::TrainerCredential)
            .ok_or_else(|| ParseError::Unknown {
                kind: "purpose",
                value: raw.to_owned(),
                expected: "child_care_training_requirements, cda, cda_final_sixty_hours, \
                           trainer_credential_level_1 … trainer_credential_level_5, \
                           trainer_credential_specialty",
            }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_purpose_round_trips() {
        let mut purposes = vec![
            TrainingPurpose::ChildCareTrainingRequirements,
            TrainingPurpose::Cda,
            TrainingPurpose::CdaFinalSixtyHours,
        ];
        purposes.extend(Level::ALL.map(TrainingPurpose::TrainerCredential));
        for purpose in purposes {
            assert_eq!(parse_purpose(&purpose_name(purpose)).unwrap(), purpose);
        }
        assert!(parse_purpose("trainer_credential_level_9").is_err());
    }
}
