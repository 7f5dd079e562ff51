//! The clarifying answers as `applications.answers` holds them: one JSON
//! object, each answer by its question's key (`questions::FIRST_TIME_APPLICANT`
//! and the others), left out while unanswered; `renewal_level` is a level's
//! name (`level_3`).

use super::StoredFormatError;
use kecs_domain::application::Answers;
use kecs_domain::rules::Level;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredAnswers {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first_time_applicant: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    conducts_online_training: Option<bool>,
    /// A rule id of the rules engine's qualifying paths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    qualification_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    renewal_level: Option<String>,
}

pub(crate) fn read(json: &str) -> Result<Answers, StoredFormatError> {
    let stored: StoredAnswers = super::parse(json)?;
    let renewal_level = stored
        .renewal_level
        .as_deref()
        .map(Level::parse)
        .transpose()
        .map_err(|e| StoredFormatError::field("renewal_level", e))?;
    Ok(Answers {
        first_time_applicant: stored.first_time_applicant,
        conducts_online_training: stored.conducts_online_training,
        qualification_path: stored.qualification_path,
        renewal_level,
    })
}

pub(crate) fn write(answers: &Answers) -> Result<String, StoredFormatError> {
    super::write(&StoredAnswers {
        first_time_applicant: answers.first_time_applicant,
        conducts_online_training: answers.conducts_online_training,
        qualification_path: answers.qualification_path.clone(),
        renewal_level: answers.renewal_level.map(|level| level.as_str().to_owned()),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rows_as_stored_read_back() {
        // (row, answers): rows exactly as the API has written them.
        let cases = [
            (
                r#"{"conducts_online_training":false,"first_time_applicant":true,"qualification_path":"sec7_1_a_2_ece_experience_and_related_bachelor"}"#,
                Answers {
                    first_time_applicant: Some(true),
                    conducts_online_training: Some(false),
                    qualification_path: Some(
                        "sec7_1_a_2_ece_experience_and_related_bachelor".to_owned(),
                    ),
                    renewal_level: None,
                },
            ),
            (
                r#"{"conducts_online_training":true,"renewal_level":"level_3"}"#,
                Answers {
                    conducts_online_training: Some(true),
                    renewal_level: Some(Level::Level3),
                    ..Answers::default()
                },
            ),
            ("{}", Answers::default()),
        ];
        for (row, answers) in cases {
            assert_eq!(read(row).unwrap(), answers, "{row}");
            assert_eq!(write(&answers).unwrap(), row, "written as stored");
        }
    }

    #[test]
    fn every_answer_round_trips() {
        for renewal_level in [None, Some(Level::Level2), Some(Level::Specialty)] {
            let answers = Answers {
                first_time_applicant: Some(false),
                conducts_online_training: Some(true),
                qualification_path: Some(
                    "sec7_1_a_1_ece_experience_and_associate_or_credit_hours".to_owned(),
                ),
                renewal_level,
            };
            assert_eq!(read(&write(&answers).unwrap()).unwrap(), answers);
        }
    }

    #[test]
    fn unreadable_answers_are_an_error() {
        for row in [
            "",
            "not json",
            "null",
            r#"{"first_time_applicant":"yes"}"#,
            r#"{"renewal_level":"level_9"}"#,
            r#"{"renewal_level":3}"#,
            r#"{"favourite_colour":"blue"}"#,
        ] {
            assert!(read(row).is_err(), "{row}");
        }
    }
}
