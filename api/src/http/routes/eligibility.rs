//! The rules of 922 KAR 2:240 as a service: what an educator may hold, and
//! whether a credential may be renewed. The rules themselves live in
//! `kecs_domain::rules`; this module only translates.

use crate::http::auth::Applicant;
use crate::http::error::{ApiError, Problem};
use crate::http::extract::{ApiJson, blocking};
use crate::http::responses::{ApplicantsOnly, ReadsJsonBody, SignedInAs};
use crate::workflows::Ports;
use crate::workflows::RequestContext;
use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use kecs_domain::account::parse_date;
use kecs_domain::rules::{
    self, CeEntry, ClockHours, CreditHours, Degree, ExperienceYears, LevelEvaluation,
    Qualifications, RenewalEvaluation, RenewalRequest, SeminarWaiver, SpecialtyQualification,
};
use kecs_domain::validation::{FieldErrors, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use utoipa::ToSchema;

pub use crate::http::wire::{
    CeCategoryName, DegreeFieldName, DegreeLevelName, LevelName, TopicName,
};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DegreeBody {
    pub level: DegreeLevelName,
    pub field: DegreeFieldName,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeminarWaiverBody {
    /// When the equivalent coursework was completed (Sec. 3(4)(a)).
    #[schema(format = Date, example = "2020-05-15")]
    pub coursework_completed_on: String,
    /// The curriculum matches the seminar's content and focus (Sec. 3(4)(b)).
    pub curriculum_matches: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecialtyBody {
    #[schema(example = "speech-language pathology")]
    pub area: String,
    pub license_or_certification: bool,
    #[schema(example = 3.0, minimum = 0)]
    pub related_experience_years: f64,
}

/// What an educator holds. Every field but `date_of_birth` is optional:
/// missing means not held. Hours and years may have fractions (clock hours
/// count in minutes; years in whole months).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QualificationsDocument {
    #[schema(format = Date, example = "1985-07-14")]
    pub date_of_birth: String,
    /// The evaluation date; today when absent.
    #[schema(format = Date, example = "2026-11-24")]
    pub as_of: Option<String>,
    pub high_school_diploma: Option<bool>,
    #[schema(minimum = 0, example = 2.0)]
    pub intro_training_clock_hours: Option<f64>,
    #[schema(minimum = 0, example = 2.0)]
    pub data_system_training_clock_hours: Option<f64>,
    pub topics: Option<Vec<TopicName>>,
    #[schema(minimum = 0, example = 3.0)]
    pub ece_experience_years: Option<f64>,
    #[schema(minimum = 0)]
    pub related_field_experience_years: Option<f64>,
    pub cda_or_director_credential: Option<bool>,
    #[schema(minimum = 0)]
    pub formal_ece_training_clock_hours: Option<f64>,
    pub degrees: Option<Vec<DegreeBody>>,
    #[schema(minimum = 0)]
    pub ece_credit_hours: Option<f64>,
    #[schema(minimum = 0)]
    pub child_development_credit_hours: Option<f64>,
    pub seminar_completed: Option<bool>,
    pub seminar_waiver: Option<SeminarWaiverBody>,
    pub first_time_applicant: Option<bool>,
    pub conducts_online_training: Option<bool>,
    pub online_training_development_course: Option<bool>,
    #[schema(minimum = 0)]
    pub co_training_clock_hours_with_level_4_or_5: Option<f64>,
    pub specialty: Option<SpecialtyBody>,
}

fn quantity<T>(
    errors: &mut FieldErrors,
    field: &str,
    raw: Option<f64>,
    parse: fn(f64) -> Result<T, rules::ParseError>,
) -> Option<T> {
    errors.check(
        field,
        parse(raw.unwrap_or(0.0)).map_err(|e| Invalid::new(e.to_string())),
    )
}

fn as_of(raw: Option<&str>, errors: &mut FieldErrors, today: NaiveDate) -> Option<NaiveDate> {
    match raw {
        None => Some(today),
        Some(raw) => errors.check("as_of", parse_date(raw)),
    }
}

impl QualificationsDocument {
    /// The engine's input, or every field that cannot be one.
    fn parse(self, today: NaiveDate) -> Result<Qualifications, FieldErrors> {
        let mut errors = FieldErrors::new();
        let as_of = as_of(self.as_of.as_deref(), &mut errors, today);
        let date_of_birth = errors.check("date_of_birth", parse_date(&self.date_of_birth));
        if let (Some(born), Some(as_of)) = (date_of_birth, as_of)
            && born > as_of
        {
            errors.push(
                "date_of_birth",
                "must not be after the evaluation date (as_of)",
            );
        }
        let intro = quantity(
            &mut errors,
            "intro_training_clock_hours",
            self.intro_training_clock_hours,
            ClockHours::parse,
        );
        let data_system = quantity(
            &mut errors,
            "data_system_training_clock_hours",
            self.data_system_training_clock_hours,
            ClockHours::parse,
        );
        let ece_years = quantity(
            &mut errors,
            "ece_experience_years",
            self.ece_experience_years,
            ExperienceYears::parse,
        );
        let related_years = quantity(
            &mut errors,
            "related_field_experience_years",
            self.related_field_experience_years,
            ExperienceYears::parse,
        );
        let formal = quantity(
            &mut errors,
            "formal_ece_training_clock_hours",
            self.formal_ece_training_clock_hours,
            ClockHours::parse,
        );
        let ece_credits = quantity(
            &mut errors,
            "ece_credit_hours",
            self.ece_credit_hours,
            CreditHours::parse,
        );
        let cd_credits = quantity(
            &mut errors,
            "child_development_credit_hours",
            self.child_development_credit_hours,
            CreditHours::parse,
        );
        let co_training = quantity(
            &mut errors,
            "co_training_clock_hours_with_level_4_or_5",
            self.co_training_clock_hours_with_level_4_or_5,
            ClockHours::parse,
        );
        let seminar_waiver = match self.seminar_waiver {
            None => Some(None),
            Some(waiver) => errors
                .check(
                    "seminar_waiver.coursework_completed_on",
                    parse_date(&waiver.coursework_completed_on),
                )
                .map(|on| {
                    Some(SeminarWaiver {
                        coursework_completed_on: on,
                        curriculum_matches: waiver.curriculum_matches,
                    })
                }),
        };
        let specialty = match self.specialty {
            None => Some(None),
            Some(specialty) => {
                let area = specialty.area.trim().to_owned();
                if area.is_empty() || area.chars().count() > 200 {
                    errors.push(
                        "specialty.area",
                        "must name the area of expertise (at most 200 characters)",
                    );
                }
                quantity(
                    &mut errors,
                    "specialty.related_experience_years",
                    Some(specialty.related_experience_years),
                    ExperienceYears::parse,
                )
                .map(|years| {
                    Some(SpecialtyQualification {
                        area,
                        license_or_certification: specialty.license_or_certification,
                        related_experience_years: years,
                    })
                })
            }
        };
        errors.into_result()?;
        let (
            Some(date_of_birth),
            Some(as_of),
            Some(intro),
            Some(data_system),
            Some(ece_years),
            Some(related_years),
            Some(formal),
            Some(ece_credits),
            Some(cd_credits),
            Some(co_training),
            Some(seminar_waiver),
            Some(specialty),
        ) = (
            date_of_birth,
            as_of,
            intro,
            data_system,
            ece_years,
            related_years,
            formal,
            ece_credits,
            cd_credits,
            co_training,
            seminar_waiver,
            specialty,
        )
        else {
            return Err(FieldErrors::single("body", "could not be read"));
        };
        Ok(Qualifications {
            date_of_birth,
            as_of,
            high_school_diploma: self.high_school_diploma.unwrap_or(false),
            intro_training_clock_hours: intro,
            data_system_training_clock_hours: data_system,
            topics: self
                .topics
                .unwrap_or_default()
                .into_iter()
                .map(|t| t.0)
                .collect::<BTreeSet<_>>(),
            ece_experience_years: ece_years,
            related_field_experience_years: related_years,
            cda_or_director_credential: self.cda_or_director_credential.unwrap_or(false),
            formal_ece_training_clock_hours: formal,
            degrees: self
                .degrees
                .unwrap_or_default()
                .into_iter()
                .map(|d| Degree {
                    level: d.level.0,
                    field: d.field.0,
                })
                .collect(),
            ece_credit_hours: ece_credits,
            child_development_credit_hours: cd_credits,
            seminar_completed: self.seminar_completed.unwrap_or(false),
            seminar_waiver,
            first_time_applicant: self.first_time_applicant.unwrap_or(false),
            conducts_online_training: self.conducts_online_training.unwrap_or(false),
            online_training_development_course: self
                .online_training_development_course
                .unwrap_or(false),
            co_training_clock_hours_with_level_4_or_5: co_training,
            specialty,
        })
    }
}

/// A requirement not met (or a limit on the holder), with the clause it
/// comes from.
#[derive(Serialize, ToSchema)]
pub struct UnmetBody {
    /// Stable id of the rule; ids are added, never renamed.
    #[schema(example = "sec2_1_age")]
    pub rule: &'static str,
    #[schema(example = "922 KAR 2:240 Section 2(1)")]
    pub citation: String,
    #[schema(example = "must be at least 21 years of age on 2026-11-24")]
    pub message: String,
}

impl From<&rules::Unmet> for UnmetBody {
    fn from(unmet: &rules::Unmet) -> Self {
        Self {
            rule: unmet.rule,
            citation: unmet.citation.to_string(),
            message: unmet.message.clone(),
        }
    }
}

impl From<&rules::Restriction> for UnmetBody {
    fn from(restriction: &rules::Restriction) -> Self {
        Self {
            rule: restriction.rule,
            citation: restriction.citation.to_string(),
            message: restriction.message.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LevelResult {
    pub level: LevelName,
    pub eligible: bool,
    /// Every unmet requirement; empty exactly when `eligible`.
    pub unmet: Vec<UnmetBody>,
    /// The clause of the level's qualifying path that is met, if any.
    #[schema(example = "922 KAR 2:240 Section 7(1)(a)2")]
    pub met_by: Option<String>,
    /// Whether a holder may train without a co-trainer (never at Level 1;
    /// at Level 2 only after 12 clock hours of co-training, Sec. 6(1)(b)).
    pub solo_training_allowed: bool,
    /// Limits on the holder that do not bar the award.
    pub restrictions: Vec<UnmetBody>,
    /// What a holder of this level may train, in sentences (Sec. 5(2)-10(3)).
    pub may_train: Vec<String>,
}

impl From<&LevelEvaluation> for LevelResult {
    fn from(evaluation: &LevelEvaluation) -> Self {
        Self {
            level: LevelName(evaluation.level),
            eligible: evaluation.eligible,
            unmet: evaluation.unmet.iter().map(UnmetBody::from).collect(),
            met_by: evaluation.met_by.as_ref().map(ToString::to_string),
            solo_training_allowed: evaluation.solo_training_allowed,
            restrictions: evaluation
                .restrictions
                .iter()
                .map(UnmetBody::from)
                .collect(),
            may_train: rules::may_train(evaluation.level).sentences(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EligibilityResponse {
    #[schema(value_type = String, format = Date)]
    pub as_of: NaiveDate,
    /// One result per level, in the order level_1 … level_5, specialty.
    pub levels: Vec<LevelResult>,
}

fn eligibility_response(qualifications: &Qualifications) -> EligibilityResponse {
    EligibilityResponse {
        as_of: qualifications.as_of,
        levels: rules::evaluate(qualifications)
            .iter()
            .map(LevelResult::from)
            .collect(),
    }
}

/// Evaluates a qualifications document against every level of 922 KAR
/// 2:240, listing every unmet requirement with its citation.
#[utoipa::path(
    tag = "eligibility",
    request_body = QualificationsDocument,
    responses(
        (status = 200, description = "The evaluation of every level", body = EligibilityResponse),
        ReadsJsonBody,
        (status = 422, description = "A field is invalid: negative hours, an unknown topic, a date of birth after the evaluation date", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/eligibility/evaluate")]
pub async fn evaluate(
    ctx: RequestContext,
    body: ApiJson<QualificationsDocument>,
) -> Result<HttpResponse, ApiError> {
    let qualifications = body.0.parse(ctx.now.date())?;
    Ok(HttpResponse::Ok().json(eligibility_response(&qualifications)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CeHoursBody {
    pub category: CeCategoryName,
    #[schema(minimum = 0, example = 7.5)]
    pub clock_hours: f64,
    #[schema(format = Date, example = "2025-03-10")]
    pub completed_on: String,
}

/// A renewal to check (Sec. 13). Booleans default to false and `ce_hours`
/// to none: missing means not held.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenewalCheckRequest {
    pub level: LevelName,
    /// The previous issue date of the credential.
    #[schema(format = Date, example = "2023-12-01")]
    pub issued_on: String,
    /// The evaluation date; today when absent.
    #[schema(format = Date)]
    pub as_of: Option<String>,
    pub ce_hours: Option<Vec<CeHoursBody>>,
    pub coach_observation: Option<bool>,
    pub data_system_training_verified: Option<bool>,
    pub current_license: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct ContinuingEducationBody {
    #[schema(example = 7.0)]
    pub training_adults: f64,
    pub early_care_and_education: f64,
    pub related_professional: f64,
    /// Hours counted (completed from the issue date through `as_of`).
    pub total: f64,
    /// Hours completed before the previous issue date: not counted.
    pub before_issue_date: f64,
    /// Hours dated after the evaluation date: not counted.
    pub after_as_of: f64,
}

#[derive(Serialize, ToSchema)]
pub struct RenewalResponse {
    pub level: LevelName,
    pub eligible: bool,
    pub unmet: Vec<UnmetBody>,
    pub continuing_education: ContinuingEducationBody,
    /// When the credential being renewed expires (three years from issue).
    #[schema(value_type = String, format = Date)]
    pub expires_on: NaiveDate,
}

impl From<RenewalEvaluation> for RenewalResponse {
    fn from(evaluation: RenewalEvaluation) -> Self {
        let ce = evaluation.continuing_education;
        Self {
            level: LevelName(evaluation.level),
            eligible: evaluation.eligible,
            unmet: evaluation.unmet.iter().map(UnmetBody::from).collect(),
            continuing_education: ContinuingEducationBody {
                training_adults: ce.training_adults.as_hours(),
                early_care_and_education: ce.early_care_and_education.as_hours(),
                related_professional: ce.related_professional.as_hours(),
                total: ce.total.as_hours(),
                before_issue_date: ce.before_issue_date.as_hours(),
                after_as_of: ce.after_as_of.as_hours(),
            },
            expires_on: evaluation.expires_on,
        }
    }
}

impl RenewalCheckRequest {
    fn parse(self, today: NaiveDate) -> Result<RenewalRequest, FieldErrors> {
        let mut errors = FieldErrors::new();
        let as_of = as_of(self.as_of.as_deref(), &mut errors, today);
        let issued_on = errors.check("issued_on", parse_date(&self.issued_on));
        if let (Some(issued_on), Some(as_of)) = (issued_on, as_of)
            && issued_on > as_of
        {
            errors.push("issued_on", "must not be after the evaluation date (as_of)");
        }
        let mut ce_hours = Vec::new();
        for (i, entry) in self.ce_hours.unwrap_or_default().into_iter().enumerate() {
            let clock_hours = quantity(
                &mut errors,
                &format!("ce_hours[{i}].clock_hours"),
                Some(entry.clock_hours),
                ClockHours::parse,
            );
            let completed_on = errors.check(
                &format!("ce_hours[{i}].completed_on"),
                parse_date(&entry.completed_on),
            );
            if let (Some(clock_hours), Some(completed_on)) = (clock_hours, completed_on) {
                ce_hours.push(CeEntry {
                    category: entry.category.0,
                    clock_hours,
                    completed_on,
                });
            }
        }
        errors.into_result()?;
        let (Some(as_of), Some(issued_on)) = (as_of, issued_on) else {
            return Err(FieldErrors::single("body", "could not be read"));
        };
        Ok(RenewalRequest {
            level: self.level.0,
            issued_on,
            as_of,
            ce_hours,
            coach_observation: self.coach_observation.unwrap_or(false),
            data_system_training_verified: self.data_system_training_verified.unwrap_or(false),
            current_license: self.current_license.unwrap_or(false),
        })
    }
}

/// Checks a renewal against Sec. 13: continuing education since the
/// previous issue date, data-system verification, coach observation, licence.
#[utoipa::path(
    tag = "eligibility",
    request_body = RenewalCheckRequest,
    responses(
        (status = 200, description = "Whether the credential may be renewed, and why not", body = RenewalResponse),
        ReadsJsonBody,
        (status = 422, description = "A field is invalid: an unknown level or category, negative hours, a bad date", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/eligibility/renewal")]
pub async fn renewal(
    ctx: RequestContext,
    body: ApiJson<RenewalCheckRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.0.parse(ctx.now.date())?;
    Ok(HttpResponse::Ok().json(RenewalResponse::from(rules::evaluate_renewal(&request))))
}

/// The evaluation of every level from what the applicant has on file: the
/// qualifications recorded in their most recent application (before any,
/// the date of birth alone).
#[utoipa::path(
    tag = "eligibility",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The evaluation of every level", body = EligibilityResponse),
        SignedInAs<ApplicantsOnly>,
    )
)]
#[get("/me/eligibility")]
pub async fn my_eligibility(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
) -> Result<HttpResponse, ApiError> {
    let now = ctx.now;
    let qualifications = blocking(move || {
        crate::workflows::applications::on_file(&state, &applicant.0.account_id, now)
    })
    .await?;
    Ok(HttpResponse::Ok().json(eligibility_response(&qualifications)))
}
