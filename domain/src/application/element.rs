//! One element of an application as kept: what was saved in it, at which
//! version, and whether it is final.

use super::{CharacterAndFitnessAnswers, ElementData, ElementKey};
use chrono::NaiveDateTime;

/// What an element's row holds once saved: the element's data, or, in the
/// Character & Fitness element, its answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElementContent {
    Data(ElementData),
    CharacterAndFitness(CharacterAndFitnessAnswers),
}

impl ElementContent {
    /// The element this content belongs to.
    pub const fn key(&self) -> ElementKey {
        match self {
            ElementContent::Data(data) => data.key(),
            ElementContent::CharacterAndFitness(_) => ElementKey::CharacterAndFitness,
        }
    }

    /// The element's data (`None` for Character & Fitness).
    pub const fn data(&self) -> Option<&ElementData> {
        match self {
            ElementContent::Data(data) => Some(data),
            ElementContent::CharacterAndFitness(_) => None,
        }
    }
}

/// One element of an application as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub key: ElementKey,
    /// What was saved; `None` before the first save (or once cleared).
    pub data: Option<ElementContent>,
    pub version: i32,
    pub updated_at: Option<NaiveDateTime>,
    pub finalized_at: Option<NaiveDateTime>,
    /// Who verified a third party's element; `None` for the applicant's own.
    pub verified_by: Option<Verifier>,
}

/// The third party who verified an element through their invitation link,
/// kept so the reviewing specialist sees who vouched for it and from where
/// (the employer, co-trainer or coach verifies, never the applicant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verifier {
    /// The invitation's addressee, as the applicant named them.
    pub name: String,
    pub email: String,
    /// The client address the submission came from, when known.
    pub from_address: Option<String>,
}
