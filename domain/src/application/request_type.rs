use crate::rules::{Citation, Level};

/// What an applicant may ask for. The guide lets one application carry
/// several ("You can select more than 1 request type at a time"): one
/// credential request, plus the seminar waiver of Sec. 3(4) with a new
/// Level 2-5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RequestType {
    NewLevel1,
    NewLevel2,
    NewLevel3,
    NewLevel4,
    NewLevel5,
    NewSpecialty,
    Renewal,
    SeminarWaiver,
}

impl RequestType {
    pub const ALL: [RequestType; 8] = [
        RequestType::NewLevel1,
        RequestType::NewLevel2,
        RequestType::NewLevel3,
        RequestType::NewLevel4,
        RequestType::NewLevel5,
        RequestType::NewSpecialty,
        RequestType::Renewal,
        RequestType::SeminarWaiver,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            RequestType::NewLevel1 => "new_level_1",
            RequestType::NewLevel2 => "new_level_2",
            RequestType::NewLevel3 => "new_level_3",
            RequestType::NewLevel4 => "new_level_4",
            RequestType::NewLevel5 => "new_level_5",
            RequestType::NewSpecialty => "new_specialty",
            RequestType::Renewal => "renewal",
            RequestType::SeminarWaiver => "seminar_waiver",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, crate::rules::ParseError> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == raw)
            .ok_or_else(|| crate::rules::ParseError::Unknown {
                kind: "request type",
                value: raw.to_owned(),
                expected: "new_level_1, new_level_2, new_level_3, new_level_4, new_level_5, new_specialty, renewal, seminar_waiver",
            })
    }

    pub const fn title(self) -> &'static str {
        match self {
            RequestType::NewLevel1 => "Level 1 Trainer's Credential",
            RequestType::NewLevel2 => "Level 2 Trainer's Credential",
            RequestType::NewLevel3 => "Level 3 Trainer's Credential",
            RequestType::NewLevel4 => "Level 4 Trainer's Credential",
            RequestType::NewLevel5 => "Level 5 Trainer's Credential",
            RequestType::NewSpecialty => "Specialty Trainer's Credential",
            RequestType::Renewal => "Renewal of a Trainer's Credential",
            RequestType::SeminarWaiver => {
                "Waiver of the Fundamentals of Effective Training seminar"
            }
        }
    }

    /// The level a new-credential request asks for.
    pub const fn new_level(self) -> Option<Level> {
        match self {
            RequestType::NewLevel1 => Some(Level::Level1),
            RequestType::NewLevel2 => Some(Level::Level2),
            RequestType::NewLevel3 => Some(Level::Level3),
            RequestType::NewLevel4 => Some(Level::Level4),
            RequestType::NewLevel5 => Some(Level::Level5),
            RequestType::NewSpecialty => Some(Level::Specialty),
            RequestType::Renewal | RequestType::SeminarWaiver => None,
        }
    }
}

/// One part of an application to complete, in the guide's words an
/// "element of the application".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ElementKey {
    PersonalInformation,
    Education,
    CredentialsHeld,
    Experience,
    ExperienceVerification,
    RequiredTrainings,
    Topics,
    Seminar,
    SeminarWaiver,
    OnlineTrainingCourse,
    CoTraining,
    SpecialtyLicense,
    ContinuingEducation,
    CoachObservation,
    CharacterAndFitness,
    Attestation,
}

impl ElementKey {
    pub const ALL: [ElementKey; 16] = [
        ElementKey::PersonalInformation,
        ElementKey::Education,
        ElementKey::CredentialsHeld,
        ElementKey::Experience,
        ElementKey::ExperienceVerification,
        ElementKey::RequiredTrainings,
        ElementKey::Topics,
        ElementKey::Seminar,
        ElementKey::SeminarWaiver,
        ElementKey::OnlineTrainingCourse,
        ElementKey::CoTraining,
        ElementKey::SpecialtyLicense,
        ElementKey::ContinuingEducation,
        ElementKey::CoachObservation,
        ElementKey::CharacterAndFitness,
        ElementKey::Attestation,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ElementKey::PersonalInformation => "personal_information",
            ElementKey::Education => "education",
            ElementKey::CredentialsHeld => "credentials_held",
            ElementKey::Experience => "experience",
            ElementKey::ExperienceVerification => "experience_verification",
            ElementKey::RequiredTrainings => "required_trainings",
            ElementKey::Topics => "topics",
            ElementKey::Seminar => "seminar",
            ElementKey::SeminarWaiver => "seminar_waiver",
            ElementKey::OnlineTrainingCourse => "online_training_course",
            ElementKey::CoTraining => "co_training",
            ElementKey::SpecialtyLicense => "specialty_license",
            ElementKey::ContinuingEducation => "continuing_education",
            ElementKey::CoachObservation => "coach_observation",
            ElementKey::CharacterAndFitness => "character_and_fitness",
            ElementKey::Attestation => "attestation",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// The name shown in the application's left navigation and overview.
    pub const fn title(self) -> &'static str {
        match self {
            ElementKey::PersonalInformation => "Personal Information",
            ElementKey::Education => "Education",
            ElementKey::CredentialsHeld => "Credentials Held",
            ElementKey::Experience => "Experience",
            ElementKey::ExperienceVerification => "Experience Verification",
            ElementKey::RequiredTrainings => "Required Trainings",
            ElementKey::Topics => "Topics of Early Care and Education",
            ElementKey::Seminar => "Fundamentals of Effective Training Seminar",
            ElementKey::SeminarWaiver => "Seminar Waiver",
            ElementKey::OnlineTrainingCourse => "Online Training Development Course",
            ElementKey::CoTraining => "Co-Training",
            ElementKey::SpecialtyLicense => "Specialty License or Certification",
            ElementKey::ContinuingEducation => "Continuing Education",
            ElementKey::CoachObservation => "Training Coach Observation",
            ElementKey::CharacterAndFitness => "Character & Fitness",
            ElementKey::Attestation => "Attestation",
        }
    }

    /// Whether someone other than the applicant completes the element.
    pub const fn submitted_by(self) -> Submitter {
        match self {
            ElementKey::ExperienceVerification => Submitter::Employer,
            ElementKey::CoTraining => Submitter::CoTrainer,
            ElementKey::CoachObservation => Submitter::TrainingCoach,
            _ => Submitter::Applicant,
        }
    }
}

/// Who completes an element ("Submitted By" in the guide). Elements of a
/// third party are completed through a single-use link mailed to the person
/// the applicant names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Submitter {
    Applicant,
    /// An employer verifying the applicant's experience.
    Employer,
    /// The Level 4 or 5 trainer confirming co-training hours (Sec. 6(1)(b)).
    CoTrainer,
    /// A training coach who observed the trainer (Sec. 13(3)(d)).
    TrainingCoach,
}

impl Submitter {
    pub const fn as_str(self) -> &'static str {
        match self {
            Submitter::Applicant => "applicant",
            Submitter::Employer => "employer",
            Submitter::CoTrainer => "co_trainer",
            Submitter::TrainingCoach => "training_coach",
        }
    }

    /// The clause that has this third party verify the element: the
    /// employer documents the work experience (Sec. 3(1)(a)), the co-trainer
    /// confirms the co-training hours (Sec. 6(1)(b)), the coach the
    /// observation (Sec. 13(3)(d)). `None` for the applicant's own elements.
    pub const fn verifies_under(self) -> Option<Citation> {
        match self {
            Submitter::Applicant => None,
            Submitter::Employer => Some(Citation::new(3, "(1)(a)")),
            Submitter::CoTrainer => Some(Citation::new(6, "(1)(b)")),
            Submitter::TrainingCoach => Some(Citation::new(13, "(3)(d)")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for t in RequestType::ALL {
            assert_eq!(RequestType::parse(t.as_str()).unwrap(), t);
        }
        for k in ElementKey::ALL {
            assert_eq!(ElementKey::parse(k.as_str()), Some(k));
        }
        assert!(RequestType::parse("level_9").is_err());
        assert_eq!(ElementKey::parse("../etc"), None);
    }
}
