//! The Character & Fitness answers as the element's row holds them:
//! `{"answers": [{"key", "answer", "statement"}]}`, one entry per question
//! answered, in the order given; `statement` is `null` with a "no".

use super::StoredFormatError;
use kecs_domain::application::{CharacterAndFitnessAnswer, CharacterAndFitnessAnswers};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredCharacterAndFitness {
    answers: Vec<StoredAnswer>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredAnswer {
    /// A question's key (`character_and_fitness::QUESTIONS`).
    key: String,
    answer: bool,
    /// Written as `null` when there is none; rows the demo seeding wrote
    /// leave it out.
    #[serde(default)]
    statement: Option<String>,
}

pub(crate) fn read(json: &str) -> Result<CharacterAndFitnessAnswers, StoredFormatError> {
    let stored: StoredCharacterAndFitness = super::parse(json)?;
    Ok(CharacterAndFitnessAnswers {
        answers: stored
            .answers
            .into_iter()
            .map(|a| CharacterAndFitnessAnswer {
                key: a.key,
                answer: a.answer,
                statement: a.statement,
            })
            .collect(),
    })
}

pub(crate) fn write(answers: &CharacterAndFitnessAnswers) -> Result<String, StoredFormatError> {
    super::write(&StoredCharacterAndFitness {
        answers: answers
            .answers
            .iter()
            .map(|a| StoredAnswer {
                key: a.key.clone(),
                answer: a.answer,
                statement: a.statement.clone(),
            })
            .collect(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn answer(key: &str, answer: bool, statement: Option<&str>) -> CharacterAndFitnessAnswer {
        CharacterAndFitnessAnswer {
            key: key.to_owned(),
            answer,
            statement: statement.map(str::to_owned),
        }
    }

    #[test]
    fn rows_as_stored_read_back() {
        // As the API wrote a submission: every statement present, null with a "no".
        let submitted = r#"{"answers":[{"answer":false,"key":"criminal_conviction","statement":null},{"answer":true,"key":"pending_charges","statement":"A traffic matter, dismissed."}]}"#;
        let answers = CharacterAndFitnessAnswers {
            answers: vec![
                answer("criminal_conviction", false, None),
                answer(
                    "pending_charges",
                    true,
                    Some("A traffic matter, dismissed."),
                ),
            ],
        };
        assert_eq!(read(submitted).unwrap(), answers);
        assert_eq!(write(&answers).unwrap(), submitted, "written as stored");
        // As the demo seeding wrote them: no statement at all.
        let seeded = r#"{"answers":[{"answer":false,"key":"falsified_record"}]}"#;
        assert_eq!(
            read(seeded).unwrap(),
            CharacterAndFitnessAnswers {
                answers: vec![answer("falsified_record", false, None)],
            }
        );
    }

    #[test]
    fn answers_round_trip_in_their_order() {
        let answers = CharacterAndFitnessAnswers {
            answers: vec![
                answer("records_confidentiality_breach", false, None),
                answer(
                    "criminal_conviction",
                    true,
                    Some("In 1999; expunged.\nSee letter."),
                ),
            ],
        };
        assert_eq!(read(&write(&answers).unwrap()).unwrap(), answers);
        let none = CharacterAndFitnessAnswers::default();
        assert_eq!(read(&write(&none).unwrap()).unwrap(), none);
    }

    #[test]
    fn unreadable_answers_are_an_error_that_quotes_no_statement() {
        for row in [
            "",
            "{}",
            r#"{"answers":null}"#,
            r#"{"answers":[{"key":"criminal_conviction"}]}"#,
            r#"{"answers":[{"key":"criminal_conviction","answer":"no"}]}"#,
            r#"{"answers":[{"key":"criminal_conviction","answer":true,"statement":7}]}"#,
            r#"{"answers":[],"signature":"x"}"#,
        ] {
            assert!(read(row).is_err(), "{row}");
        }
        let personal = r#"{"answers":[{"key":"pending_charges","answer":"private words"}]}"#;
        let error = read(personal).unwrap_err().to_string();
        assert!(!error.contains("private"), "{error}");
    }
}
