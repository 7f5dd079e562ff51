//! What an element's row holds (`application_elements.data`): the
//! element's data, or, in the Character & Fitness element's row, its
//! answers. The element's key says which.

use super::{StoredFormatError, character_and_fitness, element_data};
use kecs_domain::application::{ElementContent, ElementKey};

/// Reads the stored JSON of element `key`.
pub(crate) fn read(key: ElementKey, json: &str) -> Result<ElementContent, StoredFormatError> {
    match key {
        ElementKey::CharacterAndFitness => {
            character_and_fitness::read(json).map(ElementContent::CharacterAndFitness)
        }
        _ => element_data::read(key, json).map(ElementContent::Data),
    }
}

/// The stored JSON of this content.
pub(crate) fn write(content: &ElementContent) -> Result<String, StoredFormatError> {
    match content {
        ElementContent::Data(data) => element_data::write(data),
        ElementContent::CharacterAndFitness(answers) => character_and_fitness::write(answers),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use kecs_domain::application::{CharacterAndFitnessAnswer, CharacterAndFitnessAnswers};

    #[test]
    fn the_key_chooses_the_format() {
        let answers = r#"{"answers":[{"answer":false,"key":"falsified_record","statement":null}]}"#;
        assert_eq!(
            read(ElementKey::CharacterAndFitness, answers).unwrap(),
            ElementContent::CharacterAndFitness(CharacterAndFitnessAnswers {
                answers: vec![CharacterAndFitnessAnswer {
                    key: "falsified_record".to_owned(),
                    answer: false,
                    statement: None,
                }],
            })
        );
        // The same JSON is no other element's data, and no element's data
        // is Character & Fitness answers.
        assert!(read(ElementKey::Attestation, answers).is_err());
        let attestation = r#"{"attested":true}"#;
        assert!(read(ElementKey::CharacterAndFitness, attestation).is_err());
        let content = read(ElementKey::Attestation, attestation).unwrap();
        assert_eq!(content.key(), ElementKey::Attestation);
        assert_eq!(write(&content).unwrap(), attestation);
    }
}
