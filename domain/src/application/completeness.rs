//! The overview of an application ("Click on Overview at any time to see the
//! status of your application"): each element's status and what it still
//! lacks, and whether the application may proceed to payment.
//!
//! Completeness is the rules engine's decision, not a checkbox: the element
//! data are merged into one `rules::Qualifications` (what is missing is "not
//! held"), evaluated with `evaluate_level` (or `evaluate_renewal`), and each
//! `Unmet` is attributed by its rule id to the element that documents it.
//! Each element adds its own checks for what the engine does not see (the
//! employer to ask, the signature, …).
//!
//! Statuses:
//! - `not_started`: nothing saved for the element (and no request out).
//! - `in_progress`: **waiting on someone else** — the element is submitted by
//!   a third party (employer, co-trainer, training coach), the request to
//!   them is out and they have not submitted yet. The caller passes these
//!   keys as `third_party_pending`. An applicant's own drafts are never
//!   `in_progress`: a saved draft is `complete` or `incomplete`, so the
//!   overview always says what is missing.
//! - `complete`: saved, and nothing is missing.
//! - `incomplete`: saved, with every missing item listed.
//!
//! Character & Fitness is `complete` exactly when submitted (its answers are
//! checked by `character_and_fitness::check` before submission), otherwise
//! `not_started`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::rules::citation::sec;
use crate::rules::eligibility::{DATA_SYSTEM_TRAINING, online_training_development_course};
use crate::rules::{
    Citation, LevelEvaluation, Qualifications, RenewalEvaluation, RenewalRequest, Requirement,
    SeminarWaiver as WaiverDocument, SpecialtyQualification, Unmet, evaluate_level,
    evaluate_renewal, qualifying_paths,
};

use super::element_data::{ElementData, given};
use super::plan::{ApplicationPlan, element_of_requirement, section};
use super::{ElementKey, Submitter};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ElementStatus {
    NotStarted,
    InProgress,
    Complete,
    Incomplete,
}

impl ElementStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            ElementStatus::NotStarted => "not_started",
            ElementStatus::InProgress => "in_progress",
            ElementStatus::Complete => "complete",
            ElementStatus::Incomplete => "incomplete",
        }
    }
}

/// One thing an element still lacks: the contract's `{rule, citation,
/// message}`. `rule` is the engine's rule id, or an element check's own id
/// (`experience_employer_named`, `attestation_signed`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub rule: &'static str,
    pub citation: Option<Citation>,
    pub message: String,
    /// The element's fields (their names in the element's data) that would
    /// supply what is missing; empty when it is about no one field (e.g. the
    /// applicant's age, from the profile).
    pub fields: Vec<&'static str>,
}

impl From<Unmet> for Missing {
    fn from(unmet: Unmet) -> Self {
        Self {
            fields: fields_for_rule(unmet.rule).to_vec(),
            rule: unmet.rule,
            citation: Some(unmet.citation),
            message: unmet.message,
        }
    }
}

/// The element fields that supply an engine finding, by rule id (beside
/// `element_for_rule`, which names the element).
fn fields_for_rule(rule: &str) -> &'static [&'static str] {
    match rule {
        "sec2_2_high_school_diploma" => &["high_school_diploma"],
        "sec2_3_introduction_training" => &["intro_training_clock_hours"],
        "sec2_4_data_system_training"
        | "sec13_3_c_data_system_training"
        | "sec13_4_b_data_system_training"
        | "sec13_5_b_3_data_system_training" => &[
            "data_system_training_clock_hours",
            "data_system_training_previously_verified",
        ],
        "sec3_2_online_training_development_course"
        | "sec6_1_c_trainers_seminar"
        | "sec7_1_b_trainers_seminar"
        | "sec8_1_b_trainers_seminar"
        | "sec9_1_b_trainers_seminar" => &["completed_on"],
        "sec3_4_a_coursework_within_ten_years" => &["coursework_completed_on"],
        "sec3_4_b_curriculum_matches" => &["curriculum_matches"],
        "sec13_3_b_continuing_education"
        | "sec13_3_b_1_training_adults"
        | "sec13_3_b_2_early_care_and_education" => &["ce_hours"],
        "sec13_3_d_coach_observation" => &["observed_on"],
        "sec13_5_b_2_current_license" => &["license_current_through"],
        _ if rule.starts_with("sec2_5_") => &["topics"],
        _ => &[],
    }
}

/// The element fields that document a requirement of a level's path.
fn fields_for_requirement(requirement: &Requirement) -> Vec<&'static str> {
    match requirement {
        Requirement::EceExperience(_) => vec!["ece_experience_years"],
        Requirement::RelatedFieldExperience(_) => vec!["related_field_experience_years"],
        Requirement::CdaOrDirectorCredential => vec!["cda_or_director_credential"],
        Requirement::FormalEceTraining(_) => vec!["formal_ece_training_clock_hours"],
        Requirement::Degree(..) => vec!["degrees"],
        Requirement::EceCreditHours(_) => vec!["ece_credit_hours"],
        Requirement::ChildDevelopmentCreditHours(_) => vec!["child_development_credit_hours"],
        Requirement::AnyOf(any) => {
            let mut fields: Vec<&'static str> =
                any.iter().flat_map(fields_for_requirement).collect();
            fields.dedup();
            fields
        }
        Requirement::AreaOfExpertise => vec!["area"],
        Requirement::SpecialtyLicenseOrCertification => vec!["license_or_certification"],
        Requirement::SpecialtyRelatedExperience(_) => vec!["related_experience_years"],
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementOverview {
    pub key: ElementKey,
    pub title: &'static str,
    pub required: bool,
    pub submitted_by: Submitter,
    pub status: ElementStatus,
    /// Empty when `not_started` or `complete`.
    pub missing: Vec<Missing>,
}

/// The engine's evaluation behind the overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evaluation {
    NewCredential(LevelEvaluation),
    /// For renewals. `expires_on` is counted from the previous issue date of
    /// the `continuing_education` element; Level 5 and Specialty renewals
    /// record no such date, and `today` stands in (the credential on file
    /// knows the real expiry). A Sec. 3(2) finding for an online trainer is
    /// added to `unmet` (Sec. 3(2) names trainers too).
    Renewal(RenewalEvaluation),
}

impl Evaluation {
    pub fn eligible(&self) -> bool {
        match self {
            Evaluation::NewCredential(e) => e.eligible,
            Evaluation::Renewal(e) => e.eligible,
        }
    }

    pub fn unmet(&self) -> &[Unmet] {
        match self {
            Evaluation::NewCredential(e) => &e.unmet,
            Evaluation::Renewal(e) => &e.unmet,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    /// In the plan's order.
    pub elements: Vec<ElementOverview>,
    /// Findings of the engine that no element of the plan documents; they
    /// block payment too. Empty for every plan `plan()` makes (tested).
    pub other_missing: Vec<Missing>,
    /// Every required element is complete and nothing else is missing:
    /// "Proceed to Payment" is available.
    pub ready_for_payment: bool,
    pub evaluation: Evaluation,
}

impl Overview {
    pub fn element(&self, key: ElementKey) -> Option<&ElementOverview> {
        self.elements.iter().find(|e| e.key == key)
    }
}

/// The overview of an application planned as `plan`, for an applicant born
/// on `date_of_birth`, evaluated on `today`, with the saved element `data`.
pub fn overview(
    plan: &ApplicationPlan,
    date_of_birth: NaiveDate,
    today: NaiveDate,
    data: &BTreeMap<ElementKey, ElementData>,
    character_and_fitness_submitted: bool,
    third_party_pending: &BTreeSet<ElementKey>,
) -> Overview {
    let q = qualifications(plan, date_of_birth, today, data);
    let evaluation = if plan.renewal {
        Evaluation::Renewal(renewal_evaluation(plan, &q, today, data))
    } else {
        Evaluation::NewCredential(evaluate_level(&q, plan.credential))
    };

    let mut by_element: BTreeMap<ElementKey, Vec<Missing>> = BTreeMap::new();
    let mut other_missing = Vec::new();
    let path_rules: Vec<&'static str> = qualifying_paths(plan.credential)
        .iter()
        .map(|p| p.rule)
        .collect();
    let mut path_unmet = false;
    for unmet in evaluation.unmet() {
        if path_rules.contains(&unmet.rule) {
            path_unmet = true;
            continue;
        }
        match element_for_rule(unmet.rule, plan).filter(|key| plan.has(*key)) {
            Some(key) => by_element
                .entry(key)
                .or_default()
                .push(unmet.clone().into()),
            None => other_missing.push(unmet.clone().into()),
        }
    }
    if path_unmet {
        // No path of the level is met: report what the chosen path lacks,
        // requirement by requirement, on the element that documents it.
        match &plan.qualification_path {
            Some(path) => {
                for requirement in path.requirements.iter().filter(|r| !r.is_met(&q)) {
                    let key = element_of_requirement(requirement);
                    let missing = Missing {
                        fields: fields_for_requirement(requirement),
                        rule: path.rule,
                        citation: Some(path.citation),
                        message: format!(
                            "{} by {} needs {}.",
                            plan.credential.title(),
                            section(path.citation),
                            requirement.describe()
                        ),
                    };
                    if plan.has(key) {
                        by_element.entry(key).or_default().push(missing);
                    } else {
                        other_missing.push(missing);
                    }
                }
            }
            None => other_missing.extend(
                evaluation
                    .unmet()
                    .iter()
                    .filter(|u| path_rules.contains(&u.rule))
                    .cloned()
                    .map(Missing::from),
            ),
        }
    }
    if let Evaluation::NewCredential(level) = &evaluation {
        for restriction in &level.restrictions {
            if restriction.rule == "sec6_1_b_co_training_before_solo"
                && plan.has(ElementKey::CoTraining)
            {
                by_element
                    .entry(ElementKey::CoTraining)
                    .or_default()
                    .push(Missing {
                        fields: vec!["clock_hours"],
                        rule: restriction.rule,
                        citation: Some(restriction.citation),
                        message: restriction.message.clone(),
                    });
            }
        }
    }

    let elements: Vec<ElementOverview> = plan
        .elements
        .iter()
        .map(|spec| {
            let saved = data.get(&spec.key);
            let (status, missing) = if spec.key == ElementKey::CharacterAndFitness {
                if character_and_fitness_submitted {
                    (ElementStatus::Complete, Vec::new())
                } else {
                    (ElementStatus::NotStarted, Vec::new())
                }
            } else {
                let mut missing = by_element.remove(&spec.key).unwrap_or_default();
                if let Some(saved) = saved {
                    missing.extend(element_checks(plan, saved, today));
                }
                if third_party_pending.contains(&spec.key) {
                    (ElementStatus::InProgress, missing)
                } else if saved.is_none() {
                    (ElementStatus::NotStarted, Vec::new())
                } else if missing.is_empty() {
                    (ElementStatus::Complete, missing)
                } else {
                    (ElementStatus::Incomplete, missing)
                }
            };
            ElementOverview {
                key: spec.key,
                title: spec.title,
                required: spec.required,
                submitted_by: spec.submitted_by,
                status,
                missing,
            }
        })
        .collect();

    let ready_for_payment = other_missing.is_empty()
        && elements
            .iter()
            .filter(|e| e.required)
            .all(|e| e.status == ElementStatus::Complete);
    Overview {
        elements,
        other_missing,
        ready_for_payment,
        evaluation,
    }
}

/// The element that documents an engine finding, by rule id (the level's
/// path rules are attributed requirement by requirement instead).
fn element_for_rule(rule: &str, plan: &ApplicationPlan) -> Option<ElementKey> {
    use ElementKey as K;
    let key = match rule {
        // Sec. 2(1)–(2).
        "sec2_1_age" | "sec2_2_high_school_diploma" => K::PersonalInformation,
        // Sec. 2(3)–(4); renewal's data-system verification.
        "sec2_3_introduction_training"
        | "sec2_4_data_system_training"
        | "sec13_3_c_data_system_training"
        | "sec13_4_b_data_system_training"
        | "sec13_5_b_3_data_system_training" => K::RequiredTrainings,
        // Sec. 3(2).
        "sec3_2_online_training_development_course" => K::OnlineTrainingCourse,
        // Sec. 4 as each level repeats it: the seminar, or the waiver asked
        // for instead.
        "sec6_1_c_trainers_seminar"
        | "sec7_1_b_trainers_seminar"
        | "sec8_1_b_trainers_seminar"
        | "sec9_1_b_trainers_seminar" => {
            if plan.has(K::Seminar) {
                K::Seminar
            } else {
                K::SeminarWaiver
            }
        }
        // Sec. 13(3)(b), (d), 13(5)(b)2.
        "sec13_3_b_continuing_education"
        | "sec13_3_b_1_training_adults"
        | "sec13_3_b_2_early_care_and_education" => K::ContinuingEducation,
        "sec13_3_d_coach_observation" => K::CoachObservation,
        "sec13_5_b_2_current_license" => K::SpecialtyLicense,
        // Sec. 2(5)(a)–(g); Sec. 3(4)(a)–(b).
        _ if rule.starts_with("sec2_5_") => K::Topics,
        _ if rule.starts_with("sec3_4") => K::SeminarWaiver,
        _ => return None,
    };
    Some(key)
}

/// One `Qualifications` from every element's data; what is not recorded is
/// not held. Dates after `today` are not yet completed.
pub fn qualifications(
    plan: &ApplicationPlan,
    date_of_birth: NaiveDate,
    today: NaiveDate,
    data: &BTreeMap<ElementKey, ElementData>,
) -> Qualifications {
    let mut q = Qualifications::nothing_held(date_of_birth, today);
    q.first_time_applicant = plan.answers.first_time_applicant == Some(true);
    q.conducts_online_training = plan.answers.conducts_online_training == Some(true);
    let done = |on: &Option<NaiveDate>| on.is_some_and(|on| on <= today);
    for element in data.values() {
        match element {
            ElementData::PersonalInformation {
                high_school_diploma,
            } => q.high_school_diploma = *high_school_diploma == Some(true),
            ElementData::Education {
                degrees,
                ece_credit_hours,
                child_development_credit_hours,
            } => {
                q.degrees = degrees.clone();
                q.ece_credit_hours = ece_credit_hours.unwrap_or_default();
                q.child_development_credit_hours =
                    child_development_credit_hours.unwrap_or_default();
            }
            ElementData::CredentialsHeld {
                cda_or_director_credential,
                ..
            } => q.cda_or_director_credential = *cda_or_director_credential == Some(true),
            ElementData::Experience {
                ece_experience_years,
                related_field_experience_years,
                ..
            } => {
                q.ece_experience_years = ece_experience_years.unwrap_or_default();
                q.related_field_experience_years =
                    related_field_experience_years.unwrap_or_default();
            }
            // The employer's verification is documentation for the
            // specialist; the engine decides on the experience claimed.
            ElementData::ExperienceVerification { .. } => {}
            ElementData::RequiredTrainings {
                intro_training_clock_hours,
                data_system_training_clock_hours,
                formal_ece_training_clock_hours,
                ..
            } => {
                q.intro_training_clock_hours = intro_training_clock_hours.unwrap_or_default();
                q.data_system_training_clock_hours =
                    data_system_training_clock_hours.unwrap_or_default();
                q.formal_ece_training_clock_hours =
                    formal_ece_training_clock_hours.unwrap_or_default();
            }
            ElementData::Topics { topics } => q.topics = topics.clone(),
            ElementData::Seminar { completed_on } => q.seminar_completed = done(completed_on),
            ElementData::SeminarWaiver {
                coursework_completed_on,
                curriculum_matches,
                ..
            } => {
                // Only when the waiver is part of the plan: a stray element
                // must not excuse the seminar.
                if plan.has(ElementKey::SeminarWaiver) {
                    q.seminar_waiver = coursework_completed_on.map(|on| WaiverDocument {
                        coursework_completed_on: on,
                        curriculum_matches: *curriculum_matches == Some(true),
                    });
                }
            }
            ElementData::OnlineTrainingCourse { completed_on } => {
                q.online_training_development_course = done(completed_on);
            }
            ElementData::CoTraining { clock_hours, .. } => {
                q.co_training_clock_hours_with_level_4_or_5 = clock_hours.unwrap_or_default();
            }
            ElementData::SpecialtyLicense {
                area,
                license_or_certification,
                related_experience_years,
                license_current_through,
            } => {
                q.specialty = Some(SpecialtyQualification {
                    area: area.clone().unwrap_or_default(),
                    license_or_certification: license_current(
                        *license_or_certification,
                        *license_current_through,
                        today,
                    ),
                    related_experience_years: related_experience_years.unwrap_or_default(),
                });
            }
            ElementData::ContinuingEducation { .. }
            | ElementData::CoachObservation { .. }
            | ElementData::Attestation { .. } => {}
        }
    }
    q
}

/// A license is held when answered yes and not expired before `today`
/// (Sec. 10(1)(a) "a license"; Sec. 13(5)(b)2 "current license").
fn license_current(
    held: Option<bool>,
    current_through: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    held == Some(true) && current_through.is_none_or(|through| through >= today)
}

/// Sec. 13 for the renewed level, from the elements; plus Sec. 3(2) for an
/// online trainer.
fn renewal_evaluation(
    plan: &ApplicationPlan,
    q: &Qualifications,
    today: NaiveDate,
    data: &BTreeMap<ElementKey, ElementData>,
) -> RenewalEvaluation {
    let mut request = RenewalRequest {
        level: plan.credential,
        issued_on: today,
        as_of: today,
        ce_hours: Vec::new(),
        coach_observation: false,
        data_system_training_verified: false,
        current_license: q
            .specialty
            .as_ref()
            .is_some_and(|s| s.license_or_certification),
    };
    for element in data.values() {
        match element {
            ElementData::ContinuingEducation {
                issued_on,
                ce_hours,
            } => {
                if let Some(issued_on) = issued_on {
                    request.issued_on = *issued_on;
                }
                request.ce_hours = ce_hours.clone();
            }
            ElementData::CoachObservation { observed_on, .. } => {
                request.coach_observation = observed_on.is_some_and(|on| on <= today);
            }
            ElementData::RequiredTrainings {
                data_system_training_clock_hours,
                data_system_training_previously_verified,
                ..
            } => {
                request.data_system_training_verified = *data_system_training_previously_verified
                    == Some(true)
                    || data_system_training_clock_hours.unwrap_or_default() >= DATA_SYSTEM_TRAINING;
            }
            _ => {}
        }
    }
    let mut evaluation = evaluate_renewal(&request);
    if let Some(unmet) = online_training_development_course(q) {
        evaluation.unmet.push(unmet);
        evaluation.eligible = false;
    }
    evaluation
}

/// The element's own checks: what the engine cannot see in the data.
/// Each depends on this element's data and the plan only, so adding another
/// element's data never makes an element incomplete.
fn element_checks(plan: &ApplicationPlan, data: &ElementData, today: NaiveDate) -> Vec<Missing> {
    let mut missing = Vec::new();
    let mut check = |ok: bool,
                     rule: &'static str,
                     citation: Citation,
                     fields: &[&'static str],
                     message: &str| {
        if !ok {
            missing.push(Missing {
                fields: fields.to_vec(),
                rule,
                citation: Some(citation),
                message: message.to_owned(),
            });
        }
    };
    match data {
        ElementData::Experience { employer, .. } => check(
            !plan.has(ElementKey::ExperienceVerification)
                || employer.as_ref().is_some_and(|e| e.is_named()),
            "experience_employer_named",
            sec(3, "(1)(a)"),
            &["employer"],
            "Name the employer (name and email) who will verify this experience.",
        ),
        ElementData::ExperienceVerification {
            verified,
            verifier_name,
            ..
        } => {
            check(
                *verified == Some(true),
                "experience_verified",
                sec(3, "(1)(a)"),
                &["verified"],
                "The employer has not confirmed the experience.",
            );
            check(
                given(verifier_name),
                "experience_verifier_named",
                sec(3, "(1)(a)"),
                &["verifier_name"],
                "The name of the person verifying the experience is missing.",
            );
        }
        ElementData::CredentialsHeld {
            cda_or_director_credential,
            credential_name,
        } => check(
            *cda_or_director_credential != Some(true) || given(credential_name),
            "credential_named",
            sec(6, "(1)(a)1"),
            &["credential_name"],
            "Name the CDA or director's credential held.",
        ),
        ElementData::Seminar {
            completed_on: Some(on),
        } if *on > today => check(
            false,
            "seminar_completed_on",
            sec(4, ""),
            &["completed_on"],
            "The seminar's completion date is after today; record it once completed.",
        ),
        ElementData::SeminarWaiver {
            coursework_description,
            ..
        } => check(
            given(coursework_description),
            "seminar_waiver_coursework_described",
            sec(3, "(4)(b)"),
            &["coursework_description"],
            "Describe the coursework and how its curriculum matches the seminar, and attach \
             the documentation.",
        ),
        ElementData::CoTraining { co_trainer, .. } => check(
            co_trainer.as_ref().is_some_and(|c| c.is_named()),
            "co_trainer_named",
            sec(6, "(1)(b)"),
            &["co_trainer"],
            "Name the Level 4 or 5 trainer (name and email) who will confirm the co-training \
             hours.",
        ),
        ElementData::SpecialtyLicense { area, .. } if plan.renewal => check(
            given(area),
            "specialty_area_named",
            sec(13, "(5)(b)2"),
            &["area"],
            "Name the area of expertise of the license, certification, or credential.",
        ),
        ElementData::ContinuingEducation { issued_on, .. } => check(
            issued_on.is_some(),
            "continuing_education_issued_on",
            sec(13, "(3)(b)"),
            &["issued_on"],
            "Give the previous issue date of the credential; continuing education counts from \
             it.",
        ),
        ElementData::CoachObservation { coach, .. } => check(
            coach.as_ref().is_some_and(|c| c.is_named()),
            "coach_named",
            sec(13, "(3)(d)"),
            &["coach"],
            "Name the training coach (name and email) who observed you.",
        ),
        ElementData::Attestation {
            attested,
            signature,
        } => {
            check(
                *attested == Some(true),
                "attestation_attested",
                sec(3, "(1)(a)"),
                &["attested"],
                "Attest that the application is true and complete.",
            );
            check(
                given(signature),
                "attestation_signed",
                sec(3, "(1)(a)"),
                &["signature"],
                "Sign the application.",
            );
        }
        _ => {}
    }
    missing
}
