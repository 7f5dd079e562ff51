//! What each element of an application records, as typed data. The API
//! parses a `PUT /applications/{id}/elements/{key}` body into one of these
//! (its DTOs are its own); quantities are already the rules engine's types,
//! so a value here is valid everywhere.
//!
//! Every `Option` means "not answered yet": drafts may be partial, and the
//! overview (`completeness`) says what is still missing. Character & Fitness
//! is not here: it has its own answers and check (`character_and_fitness`).
//!
//! Field choices beyond the brief, each from the regulation:
//! - `RequiredTrainings::data_system_training_previously_verified`: renewal
//!   needs the data-system verification only "if verification has not been
//!   previously provided" (Sec. 13(3)(c), 13(4)(b), 13(5)(b)3).
//! - `SpecialtyLicense::license_current_through`: renewal needs proof of a
//!   *current* license (Sec. 13(5)(b)2); an expired one does not count.
//! - `CoachObservation::coach` is a `ThirdParty` (name and email), so the
//!   coach can be asked to verify the observation (Sec. 13(3)(d)).
//! - `Experience` and `CoTraining` name the third party the applicant asks to
//!   submit the verifying element (`experience_verification`, and the
//!   co-trainer's confirmation of hours, Sec. 6(1)(b)).

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::rules::{CeEntry, ClockHours, CreditHours, Degree, ExperienceYears, Topic};

use super::ElementKey;

/// Someone the applicant names to complete an element: an employer, a
/// co-trainer, a training coach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThirdParty {
    pub name: String,
    pub email: String,
}

impl ThirdParty {
    /// The element in which the applicant names whoever submits `key`, so
    /// that the invitation goes to that person unless another is given:
    /// the employer of `experience` verifies it (Sec. 3(1)(a)); the
    /// co-trainer and the coach are named in their own element.
    pub const fn named_in(key: ElementKey) -> Option<ElementKey> {
        match key {
            ElementKey::ExperienceVerification => Some(ElementKey::Experience),
            ElementKey::CoTraining => Some(ElementKey::CoTraining),
            ElementKey::CoachObservation => Some(ElementKey::CoachObservation),
            _ => None,
        }
    }

    /// The third party `data` names, if it names one in full.
    pub fn named_by(data: &ElementData) -> Option<&ThirdParty> {
        match data {
            ElementData::Experience { employer, .. } => employer.as_ref(),
            ElementData::CoTraining { co_trainer, .. } => co_trainer.as_ref(),
            ElementData::CoachObservation { coach, .. } => coach.as_ref(),
            _ => None,
        }
        .filter(|party| party.is_named())
    }

    /// Both name and email are given (not blank).
    pub fn is_named(&self) -> bool {
        !self.name.trim().is_empty() && !self.email.trim().is_empty()
    }
}

/// The data of one element (every element but Character & Fitness).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElementData {
    /// Sec. 2(1)–(2). The date of birth (Sec. 2(1)) is the profile's.
    PersonalInformation { high_school_diploma: Option<bool> },
    /// Sec. 7(1)(a), 8(1)(a), 9(1)(a): degrees and coursework.
    Education {
        degrees: Vec<Degree>,
        /// Sec. 7(1)(a)1.b.
        ece_credit_hours: Option<CreditHours>,
        /// Sec. 8(1)(a)2.b, 8(1)(a)3.b, 9(1)(a)2.
        child_development_credit_hours: Option<CreditHours>,
    },
    /// Sec. 6(1)(a)1.a: a CDA or director's credential (922 KAR 2:230).
    CredentialsHeld {
        cda_or_director_credential: Option<bool>,
        /// Which credential, e.g. "CDA, Infant/Toddler".
        credential_name: Option<String>,
    },
    /// Sec. 5(1), 6(1)(a), 7(1)(a)–9(1)(a): full-time-equivalent years
    /// (Sec. 1(5)), and the employer asked to verify them.
    Experience {
        ece_experience_years: Option<ExperienceYears>,
        /// Sec. 6(1)(a)2.
        related_field_experience_years: Option<ExperienceYears>,
        employer: Option<ThirdParty>,
    },
    /// Submitted by the employer: the experience is verified (Sec. 3(1)(a),
    /// "documentation that the individual meets the … work experience
    /// requirements").
    ExperienceVerification {
        verified: Option<bool>,
        /// The years the employer verifies in early care and education.
        ece_experience_years: Option<ExperienceYears>,
        verifier_name: Option<String>,
    },
    /// Sec. 2(3), 2(4); Sec. 6(1)(a)2's formal training; renewal's
    /// data-system verification (Sec. 13(3)(c), 13(4)(b), 13(5)(b)3).
    RequiredTrainings {
        intro_training_clock_hours: Option<ClockHours>,
        data_system_training_clock_hours: Option<ClockHours>,
        formal_ece_training_clock_hours: Option<ClockHours>,
        data_system_training_previously_verified: Option<bool>,
    },
    /// Sec. 2(5)(a)–(g): topics with training or experience.
    Topics { topics: BTreeSet<Topic> },
    /// Sec. 4.
    Seminar { completed_on: Option<NaiveDate> },
    /// Sec. 3(4).
    SeminarWaiver {
        /// Sec. 3(4)(a).
        coursework_completed_on: Option<NaiveDate>,
        /// Sec. 3(4)(b).
        curriculum_matches: Option<bool>,
        coursework_description: Option<String>,
    },
    /// Sec. 3(2).
    OnlineTrainingCourse { completed_on: Option<NaiveDate> },
    /// Sec. 6(1)(b): the applicant names the Level 4 or 5 co-trainer, who
    /// confirms the clock hours.
    CoTraining {
        co_trainer: Option<ThirdParty>,
        clock_hours: Option<ClockHours>,
    },
    /// Sec. 10(1) for a new Specialty credential; Sec. 13(5)(b)2 for its
    /// renewal.
    SpecialtyLicense {
        area: Option<String>,
        license_or_certification: Option<bool>,
        related_experience_years: Option<ExperienceYears>,
        /// The last day the license is valid, when it expires.
        license_current_through: Option<NaiveDate>,
    },
    /// Sec. 13(3)(b): hours since the previous issue date.
    ContinuingEducation {
        /// The previous issue date of the credential being renewed.
        issued_on: Option<NaiveDate>,
        ce_hours: Vec<CeEntry>,
    },
    /// Submitted by the training coach, Sec. 13(3)(d).
    CoachObservation {
        observed_on: Option<NaiveDate>,
        coach: Option<ThirdParty>,
    },
    /// The applicant's declaration that the application is true (Sec. 3(1):
    /// the DCC-200; Sec. 15(1)(a): falsifying a record is ground for
    /// revocation).
    Attestation {
        attested: Option<bool>,
        signature: Option<String>,
    },
}

impl ElementData {
    /// The element this data belongs to.
    pub const fn key(&self) -> ElementKey {
        match self {
            ElementData::PersonalInformation { .. } => ElementKey::PersonalInformation,
            ElementData::Education { .. } => ElementKey::Education,
            ElementData::CredentialsHeld { .. } => ElementKey::CredentialsHeld,
            ElementData::Experience { .. } => ElementKey::Experience,
            ElementData::ExperienceVerification { .. } => ElementKey::ExperienceVerification,
            ElementData::RequiredTrainings { .. } => ElementKey::RequiredTrainings,
            ElementData::Topics { .. } => ElementKey::Topics,
            ElementData::Seminar { .. } => ElementKey::Seminar,
            ElementData::SeminarWaiver { .. } => ElementKey::SeminarWaiver,
            ElementData::OnlineTrainingCourse { .. } => ElementKey::OnlineTrainingCourse,
            ElementData::CoTraining { .. } => ElementKey::CoTraining,
            ElementData::SpecialtyLicense { .. } => ElementKey::SpecialtyLicense,
            ElementData::ContinuingEducation { .. } => ElementKey::ContinuingEducation,
            ElementData::CoachObservation { .. } => ElementKey::CoachObservation,
            ElementData::Attestation { .. } => ElementKey::Attestation,
        }
    }

    /// An element with nothing answered: what a draft starts from.
    pub fn empty(key: ElementKey) -> Option<Self> {
        Some(match key {
            ElementKey::PersonalInformation => ElementData::PersonalInformation {
                high_school_diploma: None,
            },
            ElementKey::Education => ElementData::Education {
                degrees: Vec::new(),
                ece_credit_hours: None,
                child_development_credit_hours: None,
            },
            ElementKey::CredentialsHeld => ElementData::CredentialsHeld {
                cda_or_director_credential: None,
                credential_name: None,
            },
            ElementKey::Experience => ElementData::Experience {
                ece_experience_years: None,
                related_field_experience_years: None,
                employer: None,
            },
            ElementKey::ExperienceVerification => ElementData::ExperienceVerification {
                verified: None,
                ece_experience_years: None,
                verifier_name: None,
            },
            ElementKey::RequiredTrainings => ElementData::RequiredTrainings {
                intro_training_clock_hours: None,
                data_system_training_clock_hours: None,
                formal_ece_training_clock_hours: None,
                data_system_training_previously_verified: None,
            },
            ElementKey::Topics => ElementData::Topics {
                topics: BTreeSet::new(),
            },
            ElementKey::Seminar => ElementData::Seminar { completed_on: None },
            ElementKey::SeminarWaiver => ElementData::SeminarWaiver {
                coursework_completed_on: None,
                curriculum_matches: None,
                coursework_description: None,
            },
            ElementKey::OnlineTrainingCourse => {
                ElementData::OnlineTrainingCourse { completed_on: None }
            }
            ElementKey::CoTraining => ElementData::CoTraining {
                co_trainer: None,
                clock_hours: None,
            },
            ElementKey::SpecialtyLicense => ElementData::SpecialtyLicense {
                area: None,
                license_or_certification: None,
                related_experience_years: None,
                license_current_through: None,
            },
            ElementKey::ContinuingEducation => ElementData::ContinuingEducation {
                issued_on: None,
                ce_hours: Vec::new(),
            },
            ElementKey::CoachObservation => ElementData::CoachObservation {
                observed_on: None,
                coach: None,
            },
            ElementKey::Attestation => ElementData::Attestation {
                attested: None,
                signature: None,
            },
            ElementKey::CharacterAndFitness => return None,
        })
    }
}

/// Whether an optional text is given (not blank).
pub(crate) fn given(text: &Option<String>) -> bool {
    text.as_deref().is_some_and(|t| !t.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_element_but_character_and_fitness_has_data_of_its_own_key() {
        for key in ElementKey::ALL {
            match ElementData::empty(key) {
                Some(data) => assert_eq!(data.key(), key),
                None => assert_eq!(key, ElementKey::CharacterAndFitness),
            }
        }
    }

    #[test]
    fn a_third_party_needs_a_name_and_an_email() {
        // (name, email, named)
        let cases = [
            ("Ann Boss", "ann@example.org", true),
            ("  ", "ann@example.org", false),
            ("Ann Boss", "", false),
        ];
        for (name, email, named) in cases {
            let party = ThirdParty {
                name: name.to_owned(),
                email: email.to_owned(),
            };
            assert_eq!(party.is_named(), named, "{name:?} {email:?}");
        }
    }

    #[test]
    fn blank_text_is_not_given() {
        assert!(!given(&None));
        assert!(!given(&Some(" \t".to_owned())));
        assert!(given(&Some("x".to_owned())));
    }
}
