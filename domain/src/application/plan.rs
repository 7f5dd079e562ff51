//! From the request types and clarifying answers to the list of elements an
//! application needs ("Elements of the application" in the guide), each with
//! its requirements, whether it is required (the red asterisk) and who
//! submits it ("Submitted By").
//!
//! Which elements, and why:
//!
//! Every new credential (Sec. 3(1)(a): the DCC-200 documents the education
//! and experience of the level; Sec. 14(1) denies for failing Sec. 2–4 or the
//! level's section):
//! - `personal_information` — age and diploma, Sec. 2(1)–(2).
//! - `required_trainings` — Sec. 2(3) and 2(4); also Sec. 6(1)(a)2's 45 clock
//!   hours of formal training when that path is chosen.
//! - `topics` — Sec. 2(5)(a)–(g). Sec. 2 binds every level, Specialty
//!   included (docs/RULES.md, reading 1).
//! - from the chosen path of Sec. 5(1)–10(1) (`rules::qualifying_paths`),
//!   one element per kind of requirement: `experience` for years in early
//!   care and education or a related field, `education` for degrees and
//!   credit hours, `credentials_held` for the CDA or director's credential,
//!   `specialty_license` for Sec. 10(1). So a CDA path asks for
//!   `credentials_held` and no `education`; Level 3 by Sec. 7(1)(a)2 asks for
//!   `education` and `experience`. The Specialty Level gets no `experience`
//!   element: its "three years of related experience" (Sec. 10(1)(b)) are in
//!   the area of expertise and recorded with the license.
//! - `experience_verification`, submitted by the employer the applicant
//!   names, whenever `experience` is asked (Sec. 3(1)(a): "documentation" of
//!   the work experience; an employer's verification is that documentation).
//! - `seminar` for Levels 2–5 (Sec. 4), or `seminar_waiver` instead when the
//!   waiver is requested (Sec. 3(4)).
//! - `online_training_course` when the applicant conducts online trainings
//!   or webinars (Sec. 3(2)).
//! - `co_training` for Level 2, submitted by the Level 4 or 5 co-trainer and
//!   **optional**: the 12 hours of Sec. 6(1)(b) bar solo training, not the
//!   award (the rules engine's reading 12), so they never block payment.
//! - `character_and_fitness` and `attestation` (the DCC-200's declaration).
//!
//! A renewal (Sec. 13):
//! - `required_trainings` — the data-system verification of Sec. 13(3)(c),
//!   13(4)(b), 13(5)(b)3 ("if … not previously provided").
//! - Levels 2–4: `continuing_education` (13(3)(b)) and `coach_observation`,
//!   submitted by the training coach (13(3)(d)).
//! - Specialty: `specialty_license`, proof of a current license (13(5)(b)2).
//! - `online_training_course` when conducting online trainings: Sec. 3(2)
//!   names "trainers" as well as applicants.
//! - `character_and_fitness` and `attestation`. (The DCC-200 of 13(3)(a),
//!   13(4)(a), 13(5)(b)1 is the application itself.)

use std::collections::BTreeSet;

use crate::rules::citation::sec;
use crate::rules::{Citation, Level, QualifyingPath, Requirement, Topic, qualifying_paths};

use super::questions::{
    Answers, CONDUCTS_ONLINE_TRAINING, FIRST_TIME_APPLICANT, QUALIFICATION_PATH, RENEWABLE_LEVELS,
    RENEWAL_LEVEL, new_level_of, questions,
};
use super::{ElementKey, RequestType, Submitter};

/// Why a selection or its answers cannot start an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    /// `request_types` or `answers.<question key>`.
    pub field: String,
    pub message: String,
    pub citation: Option<Citation>,
}

/// One element of an application, as the plan asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementSpec {
    pub key: ElementKey,
    pub title: &'static str,
    /// What the element must show, each sentence citing its clause.
    pub requirements: Vec<String>,
    /// The red asterisk: must be complete before payment.
    pub required: bool,
    pub submitted_by: Submitter,
}

/// The application the request types and answers choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationPlan {
    /// The level applied for, or being renewed.
    pub credential: Level,
    pub renewal: bool,
    /// As chosen, without duplicates, in `RequestType` order.
    pub request_types: Vec<RequestType>,
    pub answers: Answers,
    /// The path of the level's section the application documents (new
    /// credentials; the only path for Level 1 and Specialty).
    pub qualification_path: Option<QualifyingPath>,
    /// In display order (`ElementKey` order).
    pub elements: Vec<ElementSpec>,
}

impl ApplicationPlan {
    pub fn element(&self, key: ElementKey) -> Option<&ElementSpec> {
        self.elements.iter().find(|e| e.key == key)
    }

    pub fn has(&self, key: ElementKey) -> bool {
        self.element(key).is_some()
    }
}

/// "Section 7(1)(a)2".
pub(crate) fn section(citation: Citation) -> String {
    format!("Section {}{}", citation.section(), citation.subdivision())
}

/// The element that documents a requirement of a qualifying path.
pub(crate) fn element_of_requirement(requirement: &Requirement) -> ElementKey {
    match requirement {
        Requirement::EceExperience(_) | Requirement::RelatedFieldExperience(_) => {
            ElementKey::Experience
        }
        Requirement::CdaOrDirectorCredential => ElementKey::CredentialsHeld,
        Requirement::FormalEceTraining(_) => ElementKey::RequiredTrainings,
        Requirement::Degree(..)
        | Requirement::EceCreditHours(_)
        | Requirement::ChildDevelopmentCreditHours(_)
        | Requirement::AnyOf(_) => ElementKey::Education,
        Requirement::AreaOfExpertise
        | Requirement::SpecialtyLicenseOrCertification
        | Requirement::SpecialtyRelatedExperience(_) => ElementKey::SpecialtyLicense,
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Validates the selection and answers (every error, not the first) and
/// lists the elements of the application they choose.
pub fn plan(
    request_types: &[RequestType],
    answers: &Answers,
) -> Result<ApplicationPlan, Vec<PlanError>> {
    let mut errors = Vec::new();
    let mut error = |field: &str, message: String, citation: Option<Citation>| {
        errors.push(PlanError {
            field: field.to_owned(),
            message,
            citation,
        });
    };

    // The selection.
    if request_types.is_empty() {
        error(
            "request_types",
            "Choose at least one request type.".to_owned(),
            None,
        );
    }
    let mut chosen = BTreeSet::new();
    for request_type in request_types {
        if !chosen.insert(*request_type) {
            error(
                "request_types",
                format!("{} is chosen more than once.", request_type.as_str()),
                None,
            );
        }
    }
    let credentials: Vec<RequestType> = chosen
        .iter()
        .copied()
        .filter(|t| t.new_level().is_some() || *t == RequestType::Renewal)
        .collect();
    if credentials.len() > 1 {
        let names: Vec<_> = credentials.iter().map(|t| t.as_str()).collect();
        error(
            "request_types",
            format!(
                "An application is for one credential; {} were chosen together. Start a \
                 separate application for each.",
                names.join(" and ")
            ),
            None,
        );
    } else if credentials.is_empty() && !chosen.is_empty() {
        error(
            "request_types",
            "Choose the credential to apply for or renew; the seminar waiver goes with an \
             application for a new Level 2 to 5 credential."
                .to_owned(),
            Some(sec(3, "(4)")),
        );
    }
    let new_level = new_level_of(request_types);
    let renewal = chosen.contains(&RequestType::Renewal);
    let waiver = chosen.contains(&RequestType::SeminarWaiver);
    if waiver {
        match (new_level, renewal) {
            (Some(level), _) if !level.needs_seminar() => error(
                "request_types",
                format!(
                    "The seminar waiver of Section 3(4) excuses the seminar that Section 4 \
                     requires of Levels 2 through 5; {} does not require the seminar, so there \
                     is nothing to waive.",
                    level.title()
                ),
                Some(sec(3, "(4)")),
            ),
            (_, true) => error(
                "request_types",
                "Only a first-time applicant may seek the seminar waiver (Section 3(4)); it \
                 cannot go with a renewal."
                    .to_owned(),
                Some(sec(3, "(4)")),
            ),
            _ => {}
        }
        if answers.first_time_applicant == Some(false) {
            error(
                "answers.first_time_applicant",
                "Only a first-time applicant may seek the seminar waiver (Section 3(4))."
                    .to_owned(),
                Some(sec(3, "(4)")),
            );
        }
    }

    // The answers: required ones present …
    for question in questions(request_types).iter().filter(|q| q.required) {
        let answered = match question.key {
            FIRST_TIME_APPLICANT => answers.first_time_applicant.is_some(),
            CONDUCTS_ONLINE_TRAINING => answers.conducts_online_training.is_some(),
            QUALIFICATION_PATH => answers.qualification_path.is_some(),
            RENEWAL_LEVEL => answers.renewal_level.is_some(),
            _ => true,
        };
        if !answered {
            error(
                &format!("answers.{}", question.key),
                format!("Answer: {}", question.prompt),
                question.citation,
            );
        }
    }
    // … valid, and only where they apply.
    let mut qualification_path = None;
    if let Some(rule) = &answers.qualification_path {
        match new_level {
            Some(level) => {
                let paths = qualifying_paths(level);
                match paths.iter().find(|p| p.rule == rule.as_str()) {
                    Some(path) => qualification_path = Some(path.clone()),
                    None => {
                        let choices: Vec<_> = paths.iter().map(|p| p.rule).collect();
                        error(
                            "answers.qualification_path",
                            format!(
                                "{rule:?} is not a way to qualify for {} (Section {}); choose \
                                 one of: {}.",
                                level.title(),
                                level.section(),
                                choices.join(", ")
                            ),
                            Some(Citation::new(level.section(), "(1)")),
                        );
                    }
                }
            }
            None => error(
                "answers.qualification_path",
                "A qualification path is chosen only when applying for a new credential."
                    .to_owned(),
                None,
            ),
        }
    } else if let Some(level) = new_level {
        // A level with one path (Sec. 5(1), 10(1)) needs no choice.
        let paths = qualifying_paths(level);
        if let [only] = paths.as_slice() {
            qualification_path = Some(only.clone());
        }
    }
    if let Some(level) = answers.renewal_level {
        if !renewal {
            error(
                "answers.renewal_level",
                "The level to renew is answered only for a renewal.".to_owned(),
                None,
            );
        } else if level == Level::Level1 {
            error(
                "answers.renewal_level",
                "A Level 1 credential is valid for three years and is not renewable; apply \
                 for another level instead."
                    .to_owned(),
                Some(sec(13, "(1)(b)")),
            );
        } else if !RENEWABLE_LEVELS.contains(&level) {
            error(
                "answers.renewal_level",
                format!("{} cannot be renewed.", level.title()),
                Some(sec(13, "")),
            );
        }
    }
    if renewal && answers.first_time_applicant == Some(true) {
        error(
            "answers.first_time_applicant",
            "A renewal is not a first application for the credential.".to_owned(),
            Some(sec(13, "")),
        );
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    let online = answers.conducts_online_training == Some(true);
    let (credential, elements) = match (new_level, answers.renewal_level) {
        (Some(level), _) => (
            level,
            new_credential_elements(level, qualification_path.as_ref(), waiver, online),
        ),
        (None, Some(level)) if renewal => (level, renewal_elements(level, online)),
        // Unreachable after validation; refused rather than guessed.
        _ => {
            return Err(vec![PlanError {
                field: "request_types".to_owned(),
                message: "Choose the credential to apply for or renew.".to_owned(),
                citation: None,
            }]);
        }
    };
    Ok(ApplicationPlan {
        credential,
        renewal,
        request_types: chosen.into_iter().collect(),
        answers: answers.clone(),
        qualification_path,
        elements,
    })
}

fn spec(key: ElementKey, required: bool, requirements: Vec<String>) -> ElementSpec {
    ElementSpec {
        key,
        title: key.title(),
        requirements,
        required,
        submitted_by: key.submitted_by(),
    }
}

fn character_and_fitness() -> ElementSpec {
    spec(
        ElementKey::CharacterAndFitness,
        true,
        vec![
            "Answer every Character & Fitness question; each \"yes\" needs a statement. Once \
             submitted, the answers cannot be changed."
                .to_owned(),
        ],
    )
}

fn attestation() -> ElementSpec {
    spec(
        ElementKey::Attestation,
        true,
        vec![
            "Attest that the application (the DCC-200) is true and complete, and sign it \
             (Section 3(1)(a)); falsifying a record is ground for revocation (Section 15(1)(a))."
                .to_owned(),
        ],
    )
}

fn online_training_course() -> ElementSpec {
    spec(
        ElementKey::OnlineTrainingCourse,
        true,
        vec![
            "Completion of the cabinet-approved online training development course, required \
             of applicants and trainers who conduct online trainings or webinars (Section 3(2))."
                .to_owned(),
        ],
    )
}

fn new_credential_elements(
    level: Level,
    path: Option<&QualifyingPath>,
    waiver: bool,
    online: bool,
) -> Vec<ElementSpec> {
    let mut path_requirements: Vec<(ElementKey, String)> = Vec::new();
    if let Some(path) = path {
        for requirement in &path.requirements {
            path_requirements.push((
                element_of_requirement(requirement),
                format!(
                    "{} ({}).",
                    capitalized(&requirement.describe()),
                    section(path.citation)
                ),
            ));
        }
    }
    let from_path = |key: ElementKey| -> Vec<String> {
        path_requirements
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, sentence)| sentence.clone())
            .collect()
    };

    let mut elements = vec![spec(
        ElementKey::PersonalInformation,
        true,
        vec![
            "At least 21 years of age, from the date of birth on your profile (Section 2(1))."
                .to_owned(),
            "A high school diploma or equivalent (Section 2(2)).".to_owned(),
        ],
    )];
    for key in [
        ElementKey::Education,
        ElementKey::CredentialsHeld,
        ElementKey::SpecialtyLicense,
    ] {
        let requirements = from_path(key);
        if !requirements.is_empty() {
            elements.push(spec(key, true, requirements));
        }
    }
    let mut experience = from_path(ElementKey::Experience);
    if !experience.is_empty() {
        experience.push(
            "The name and email of an employer who can verify this experience (Section \
             3(1)(a)). Full-time means at least 30 hours a week or the equivalent (Section 1(5))."
                .to_owned(),
        );
        elements.push(spec(ElementKey::Experience, true, experience));
        elements.push(spec(
            ElementKey::ExperienceVerification,
            true,
            vec![
                "The employer's verification of the full-time, paid experience you claim \
                 (Section 3(1)(a))."
                    .to_owned(),
            ],
        ));
    }
    let mut trainings = vec![
        "At least 2 clock hours of the cabinet-approved Introduction to Kentucky Resources for \
         Early Care and Education Trainers training (Section 2(3))."
            .to_owned(),
        "At least 2 clock hours of cabinet-approved training on the cabinet-designated data \
         system (Section 2(4))."
            .to_owned(),
    ];
    trainings.extend(from_path(ElementKey::RequiredTrainings));
    elements.push(spec(ElementKey::RequiredTrainings, true, trainings));
    elements.push(spec(
        ElementKey::Topics,
        true,
        Topic::ALL
            .into_iter()
            .map(|topic| {
                format!(
                    "Training or experience in {} (Section 2(5)({})).",
                    topic.title().to_lowercase(),
                    topic.paragraph()
                )
            })
            .collect(),
    ));
    if level.needs_seminar() {
        let seminar_clause = match level {
            Level::Level2 => "Section 6(1)(c)",
            Level::Level3 => "Section 7(1)(b)",
            Level::Level4 => "Section 8(1)(b)",
            _ => "Section 9(1)(b)",
        };
        if waiver {
            elements.push(spec(
                ElementKey::SeminarWaiver,
                true,
                vec![
                    "Available to first-time applicants only (Section 3(4)).".to_owned(),
                    "Eligible coursework equivalent to the Fundamentals of Effective Training \
                     seminar, completed within the last 10 years (Section 3(4)(a))."
                        .to_owned(),
                    "Documentation that the coursework's curriculum matches the content and \
                     focus of the seminar (Section 3(4)(b))."
                        .to_owned(),
                ],
            ));
        } else {
            elements.push(spec(
                ElementKey::Seminar,
                true,
                vec![format!(
                    "The 17 clock-hour Fundamentals of Effective Training seminar, or an \
                     equivalent approved by the cabinet (Section 4; {seminar_clause})."
                )],
            ));
        }
    }
    if online {
        elements.push(online_training_course());
    }
    if level == Level::Level2 {
        elements.push(spec(
            ElementKey::CoTraining,
            false,
            vec![
                "At least 12 clock hours co-trained with a Level 4 or 5 trainer, confirmed by \
                 that trainer. Needed before training solo, not for the award (Section 6(1)(b))."
                    .to_owned(),
            ],
        ));
    }
    elements.push(character_and_fitness());
    elements.push(attestation());
    elements.sort_by_key(|e| e.key);
    elements
}

fn renewal_elements(level: Level, online: bool) -> Vec<ElementSpec> {
    let data_system_clause = match level {
        Level::Level5 => "Section 13(4)(b)",
        Level::Specialty => "Section 13(5)(b)3",
        _ => "Section 13(3)(c)",
    };
    let mut elements = vec![spec(
        ElementKey::RequiredTrainings,
        true,
        vec![format!(
            "Verification of the cabinet-approved training on the cabinet-designated data \
             system (Section 2(4)), unless provided before ({data_system_clause})."
        )],
    )];
    if matches!(level, Level::Level2 | Level::Level3 | Level::Level4) {
        elements.push(spec(
            ElementKey::ContinuingEducation,
            true,
            vec![
                "30 clock hours of continuing education since the previous issue date of the \
                 credential (Section 13(3)(b))."
                    .to_owned(),
                "Of them, at least 7 clock hours on how to train other adults (Section \
                 13(3)(b)1)."
                    .to_owned(),
                "Of them, at least 8 clock hours in early care and education (Section 13(3)(b)2)."
                    .to_owned(),
            ],
        ));
        elements.push(spec(
            ElementKey::CoachObservation,
            true,
            vec![
                "Verification that a training coach observed you before renewal, for coaching \
                 purposes (Section 13(3)(d))."
                    .to_owned(),
            ],
        ));
    }
    if level == Level::Specialty {
        elements.push(spec(
            ElementKey::SpecialtyLicense,
            true,
            vec![
                "Proof of a current license, certification, or credential in your area of \
                 expertise (Section 13(5)(b)2)."
                    .to_owned(),
            ],
        ));
    }
    if online {
        elements.push(online_training_course());
    }
    elements.push(character_and_fitness());
    elements.push(attestation());
    elements.sort_by_key(|e| e.key);
    elements
}

#[cfg(test)]
mod tests {
    use super::*;
    use ElementKey as K;
    use RequestType as T;

    fn answers(first_time: bool, online: bool, path: Option<&str>) -> Answers {
        Answers {
            first_time_applicant: Some(first_time),
            conducts_online_training: Some(online),
            qualification_path: path.map(str::to_owned),
            renewal_level: None,
        }
    }

    fn renewing(level: Level) -> Answers {
        Answers {
            first_time_applicant: None,
            conducts_online_training: Some(false),
            qualification_path: None,
            renewal_level: Some(level),
        }
    }

    fn keys(plan: &ApplicationPlan) -> Vec<ElementKey> {
        plan.elements.iter().map(|e| e.key).collect()
    }

    fn errors(request_types: &[RequestType], answers: &Answers) -> Vec<(String, Option<String>)> {
        plan(request_types, answers)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.citation.map(|c| c.to_string())))
            .collect()
    }

    #[test]
    fn elements_follow_the_level_and_path() {
        // (request types, answers, elements, clause)
        let cases: Vec<(&[T], Answers, Vec<K>, &str)> = vec![
            (
                &[T::NewLevel1],
                answers(true, false, None),
                vec![
                    K::PersonalInformation,
                    K::Experience,
                    K::ExperienceVerification,
                    K::RequiredTrainings,
                    K::Topics,
                    K::CharacterAndFitness,
                    K::Attestation,
                ],
                "Sec. 5(1): experience only; no seminar (Sec. 4)",
            ),
            (
                &[T::NewLevel2],
                answers(true, false, Some("sec6_1_a_1_cda_and_ece_experience")),
                vec![
                    K::PersonalInformation,
                    K::CredentialsHeld,
                    K::Experience,
                    K::ExperienceVerification,
                    K::RequiredTrainings,
                    K::Topics,
                    K::Seminar,
                    K::CoTraining,
                    K::CharacterAndFitness,
                    K::Attestation,
                ],
                "Sec. 6(1)(a)1: CDA + experience; 6(1)(b) co-training; 6(1)(c) seminar",
            ),
            (
                &[T::NewLevel2],
                answers(
                    true,
                    false,
                    Some("sec6_1_a_2_related_experience_and_formal_training"),
                ),
                vec![
                    K::PersonalInformation,
                    K::Experience,
                    K::ExperienceVerification,
                    K::RequiredTrainings,
                    K::Topics,
                    K::Seminar,
                    K::CoTraining,
                    K::CharacterAndFitness,
                    K::Attestation,
                ],
                "Sec. 6(1)(a)2: no CDA; formal training in required_trainings",
            ),
            (
                &[T::NewLevel3],
                answers(
                    true,
                    true,
                    Some("sec7_1_a_2_ece_experience_and_related_bachelor"),
                ),
                vec![
                    K::PersonalInformation,
                    K::Education,
                    K::Experience,
                    K::ExperienceVerification,
                    K::RequiredTrainings,
                    K::Topics,
                    K::Seminar,
                    K::OnlineTrainingCourse,
                    K::CharacterAndFitness,
                    K::Attestation,
                ],
                "Sec. 7(1)(a)2: degree + experience; Sec. 3(2) online course",
            ),
            (
                &[T::NewLevel5, T::SeminarWaiver],
                answers(
                    true,
                    false,
                    Some("sec9_1_a_1_ece_experience_and_ece_master"),
                ),
                vec![
                    K::PersonalInformation,
                    K::Education,
                    K::Experience,
                    K::ExperienceVerification,
                    K::RequiredTrainings,
                    K::Topics,
                    K::SeminarWaiver,
                    K::CharacterAndFitness,
                    K::Attestation,
                ],
                "Sec. 3(4): the waiver replaces the seminar",
            ),
            (
                &[T::NewSpecialty],
                answers(true, false, None),
                vec![
                    K::PersonalInformation,
                    K::RequiredTrainings,
                    K::Topics,
                    K::SpecialtyLicense,
                    K::CharacterAndFitness,
                    K::Attestation,
                ],
                "Sec. 10(1): license and related experience; Sec. 2 still binds",
            ),
            (
                &[T::Renewal],
                renewing(Level::Level3),
                vec![
                    K::RequiredTrainings,
                    K::ContinuingEducation,
                    K::CoachObservation,
                    K::CharacterAndFitness,
                    K::Attestation,
                ],
                "Sec. 13(3)(b)-(d)",
            ),
            (
                &[T::Renewal],
                renewing(Level::Level5),
                vec![K::RequiredTrainings, K::CharacterAndFitness, K::Attestation],
                "Sec. 13(4)",
            ),
            (
                &[T::Renewal],
                renewing(Level::Specialty),
                vec![
                    K::RequiredTrainings,
                    K::SpecialtyLicense,
                    K::CharacterAndFitness,
                    K::Attestation,
                ],
                "Sec. 13(5)(b)2-3",
            ),
        ];
        for (request_types, answers, expected, clause) in cases {
            let plan = plan(request_types, &answers).unwrap();
            assert_eq!(keys(&plan), expected, "{clause}");
        }
    }

    #[test]
    fn who_submits_and_what_is_required() {
        let plan = plan(
            &[T::NewLevel2],
            &answers(true, false, Some("sec6_1_a_1_cda_and_ece_experience")),
        )
        .unwrap();
        // (element, required, submitted by, clause)
        let cases = [
            (
                K::ExperienceVerification,
                true,
                Submitter::Employer,
                "Sec. 3(1)(a)",
            ),
            (
                K::CoTraining,
                false,
                Submitter::CoTrainer,
                "Sec. 6(1)(b): bars solo only",
            ),
            (
                K::CredentialsHeld,
                true,
                Submitter::Applicant,
                "Sec. 6(1)(a)1.a",
            ),
        ];
        for (key, required, submitter, clause) in cases {
            let element = plan.element(key).unwrap();
            assert_eq!(element.required, required, "{clause}");
            assert_eq!(element.submitted_by, submitter, "{clause}");
        }
        let renewal = super::plan(&[T::Renewal], &renewing(Level::Level2)).unwrap();
        let coach = renewal.element(K::CoachObservation).unwrap();
        assert_eq!(
            coach.submitted_by,
            Submitter::TrainingCoach,
            "Sec. 13(3)(d)"
        );
        assert!(renewal.renewal);
        assert_eq!(renewal.credential, Level::Level2);
    }

    #[test]
    fn requirements_cite_their_clauses() {
        let plan = plan(
            &[T::NewLevel3],
            &answers(
                true,
                false,
                Some("sec7_1_a_2_ece_experience_and_related_bachelor"),
            ),
        )
        .unwrap();
        // (element, a sentence it must contain)
        let cases = [
            (
                K::RequiredTrainings,
                "At least 2 clock hours of the cabinet-approved Introduction",
            ),
            (K::RequiredTrainings, "(Section 2(3))"),
            (
                K::Topics,
                "Training or experience in child assessments (Section 2(5)(e)).",
            ),
            (
                K::Education,
                "A bachelor's degree or higher in a field related to early care and education (or in early care and education) (Section 7(1)(a)2).",
            ),
            (
                K::Experience,
                "1 year of full-time, paid experience in the early care and education field (Section 7(1)(a)2).",
            ),
            (K::Seminar, "(Section 4; Section 7(1)(b))"),
            (K::PersonalInformation, "(Section 2(1))"),
        ];
        for (key, sentence) in cases {
            let element = plan.element(key).unwrap();
            assert!(
                element.requirements.iter().any(|r| r.contains(sentence)),
                "{key:?}: {sentence} in {:?}",
                element.requirements
            );
        }
        assert_eq!(
            plan.qualification_path.unwrap().rule,
            "sec7_1_a_2_ece_experience_and_related_bachelor"
        );
    }

    #[test]
    fn one_path_levels_need_no_choice() {
        // (request type, path, clause)
        let cases = [
            (T::NewLevel1, "sec5_1_ece_experience", "Sec. 5(1)"),
            (T::NewSpecialty, "sec10_1_area_of_expertise", "Sec. 10(1)"),
        ];
        for (request_type, rule, clause) in cases {
            let plan = plan(&[request_type], &answers(false, false, None)).unwrap();
            assert_eq!(plan.qualification_path.unwrap().rule, rule, "{clause}");
        }
    }

    /// (request types, answers, expected (field, citation) errors, clause)
    type ErrorRow = (
        &'static [T],
        Answers,
        Vec<(&'static str, Option<String>)>,
        &'static str,
    );

    #[test]
    fn invalid_selections_are_refused_with_every_reason() {
        let s = |c: &str| Some(c.to_owned());
        let l3 = Some("sec7_1_a_2_ece_experience_and_related_bachelor");
        // (request types, answers, expected (field, citation) errors, clause)
        let cases: Vec<ErrorRow> = vec![
            (
                &[],
                Answers::default(),
                vec![("request_types", None)],
                "nothing chosen",
            ),
            (
                &[T::NewLevel1, T::SeminarWaiver],
                answers(true, false, None),
                vec![("request_types", s("922 KAR 2:240 Section 3(4)"))],
                "Sec. 3(4): waiver with Level 1, which needs no seminar (Sec. 4)",
            ),
            (
                &[T::NewSpecialty, T::SeminarWaiver],
                answers(true, false, None),
                vec![("request_types", s("922 KAR 2:240 Section 3(4)"))],
                "Sec. 3(4): waiver with Specialty",
            ),
            (
                &[T::NewLevel3, T::SeminarWaiver],
                answers(false, false, l3),
                vec![(
                    "answers.first_time_applicant",
                    s("922 KAR 2:240 Section 3(4)"),
                )],
                "Sec. 3(4): first-time applicants only",
            ),
            (
                &[T::SeminarWaiver],
                answers(true, false, None),
                vec![("request_types", s("922 KAR 2:240 Section 3(4)"))],
                "the waiver alone is no application",
            ),
            (
                &[T::NewLevel2, T::NewLevel3],
                answers(true, false, None),
                vec![
                    ("request_types", None),
                    (
                        "answers.qualification_path",
                        s("922 KAR 2:240 Section 6(1)(a)"),
                    ),
                ],
                "two credentials at once",
            ),
            (
                &[T::NewLevel3, T::Renewal],
                Answers {
                    renewal_level: Some(Level::Level3),
                    ..answers(true, false, l3)
                },
                vec![
                    ("request_types", None),
                    (
                        "answers.first_time_applicant",
                        s("922 KAR 2:240 Section 13"),
                    ),
                ],
                "a new credential and a renewal at once",
            ),
            (
                &[T::NewLevel3, T::NewLevel3],
                answers(true, false, l3),
                vec![("request_types", None)],
                "duplicate",
            ),
            (
                &[T::Renewal],
                renewing(Level::Level1),
                vec![("answers.renewal_level", s("922 KAR 2:240 Section 13(1)(b)"))],
                "Sec. 13(1)(b): Level 1 is not renewable",
            ),
            (
                &[T::Renewal],
                Answers::default(),
                vec![
                    (
                        "answers.conducts_online_training",
                        s("922 KAR 2:240 Section 3(2)"),
                    ),
                    ("answers.renewal_level", s("922 KAR 2:240 Section 13")),
                ],
                "required answers",
            ),
            (
                &[T::NewLevel4],
                answers(
                    true,
                    false,
                    Some("sec7_1_a_2_ece_experience_and_related_bachelor"),
                ),
                vec![(
                    "answers.qualification_path",
                    s("922 KAR 2:240 Section 8(1)"),
                )],
                "Sec. 8(1)(a): a Level 3 path is not a Level 4 path",
            ),
            (
                &[T::Renewal],
                Answers {
                    qualification_path: s("sec5_1_ece_experience"),
                    ..renewing(Level::Level2)
                },
                vec![("answers.qualification_path", None)],
                "a path does not apply to a renewal",
            ),
            (
                &[T::NewLevel1],
                Answers {
                    renewal_level: Some(Level::Level2),
                    ..answers(true, false, None)
                },
                vec![("answers.renewal_level", None)],
                "a renewal level does not apply to a new credential",
            ),
        ];
        for (request_types, answers, expected, clause) in cases {
            let expected: Vec<(String, Option<String>)> = expected
                .into_iter()
                .map(|(f, c)| (f.to_owned(), c))
                .collect();
            assert_eq!(errors(request_types, &answers), expected, "{clause}");
        }
    }

    #[test]
    fn duplicates_are_removed_from_a_valid_plan_order() {
        let plan = plan(
            &[T::SeminarWaiver, T::NewLevel4],
            &answers(
                true,
                false,
                Some("sec8_1_a_1_ece_experience_and_ece_bachelor"),
            ),
        )
        .unwrap();
        assert_eq!(plan.request_types, [T::NewLevel4, T::SeminarWaiver]);
        assert_eq!(plan.credential, Level::Level4);
        assert!(!plan.renewal);
    }
}
