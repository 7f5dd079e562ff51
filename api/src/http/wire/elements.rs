//! The data of each element on the wire. Every field is optional: an element
//! is saved as a draft and completed over several visits; what is still
//! missing is reported by the overview, decided by the rules engine.

use super::element_data;
use super::enums::{CeCategoryName, DegreeFieldName, DegreeLevelName, TopicName};
use crate::http::extract::describe;
use kecs_domain::account::{EmailAddress, parse_date};
use kecs_domain::application::{ElementData, ElementKey, ThirdParty};
use kecs_domain::rules::{self, CeEntry, ClockHours, CreditHours, Degree, ExperienceYears};
use kecs_domain::validation::{FieldErrors, Invalid};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Free text in an element (names, descriptions): bounded, no markup.
const TEXT_MAX: usize = 2000;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThirdPartyBody {
    /// Plain text, not blank.
    #[schema(example = "Pat Director", min_length = 1, max_length = 2000)]
    #[schema(
        pattern = r"^[^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*[^\s<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub name: String,
    /// Where the single-use link to submit their part is mailed.
    #[schema(example = "director@centre.example.org")]
    #[schema(format = Email, max_length = 254)]
    pub email: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DegreeWire {
    pub level: DegreeLevelName,
    pub field: DegreeFieldName,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CeHoursWire {
    pub category: CeCategoryName,
    #[schema(minimum = 0, maximum = 10000)]
    pub clock_hours: f64,
    #[schema(format = Date)]
    pub completed_on: String,
}

/// Any element's fields in one flat record: what each element's own schema
/// (`element_data`) is read into, and how saved data is written back.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ElementBody {
    // personal_information (Sec. 2(2))
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high_school_diploma: Option<bool>,
    // education (Sec. 6-9)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub degrees: Option<Vec<DegreeWire>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ece_credit_hours: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child_development_credit_hours: Option<f64>,
    // credentials_held (Sec. 6(1)(a)1)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cda_or_director_credential: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_name: Option<String>,
    // experience, experience_verification, specialty_license
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ece_experience_years: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_field_experience_years: Option<f64>,
    /// experience: the employer who will verify it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employer: Option<ThirdPartyBody>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verifier_name: Option<String>,
    // required_trainings (Sec. 2(3), 2(4), 6(1)(a)2)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intro_training_clock_hours: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_system_training_clock_hours: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formal_ece_training_clock_hours: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_system_training_previously_verified: Option<bool>,
    // topics (Sec. 2(5))
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topics: Option<Vec<TopicName>>,
    // seminar, online_training_course, coach_observation
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_on: Option<String>,
    // seminar_waiver (Sec. 3(4))
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coursework_completed_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub curriculum_matches: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coursework_description: Option<String>,
    // co_training (Sec. 6(1)(b))
    #[serde(skip_serializing_if = "Option::is_none")]
    pub co_trainer: Option<ThirdPartyBody>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clock_hours: Option<f64>,
    // specialty_license (Sec. 10(1))
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_or_certification: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_experience_years: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_current_through: Option<String>,
    // continuing_education (Sec. 13(3)(b))
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ce_hours: Option<Vec<CeHoursWire>>,
    // coach_observation (Sec. 13(3)(d))
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coach: Option<ThirdPartyBody>,
    // attestation
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attested: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

/// How a quantity is read, and the most one element field may claim (the
/// schemas of `element_data` publish the same bounds): far beyond any real
/// claim, low enough that a typo is caught on the form.
type Quantity<T> = (fn(f64) -> Result<T, rules::ParseError>, f64);
const CLOCK_HOURS: Quantity<ClockHours> = (ClockHours::parse, 10_000.0);
const CREDIT_HOURS: Quantity<CreditHours> = (CreditHours::parse, 1_000.0);
const YEARS: Quantity<ExperienceYears> = (ExperienceYears::parse, 100.0);

struct Parser<'a> {
    errors: &'a mut FieldErrors,
}

impl Parser<'_> {
    fn quantity<T>(
        &mut self,
        field: &str,
        raw: Option<f64>,
        (parse, max): Quantity<T>,
    ) -> Option<T> {
        let value = raw?;
        if value > max {
            self.errors.push(field, format!("must be at most {max}"));
            return None;
        }
        self.errors
            .check(field, parse(value).map_err(|e| Invalid::new(e.to_string())))
    }

    fn date(&mut self, field: &str, raw: &Option<String>) -> Option<chrono::NaiveDate> {
        raw.as_deref()
            .and_then(|value| self.errors.check(field, parse_date(value)))
    }

    fn text(&mut self, field: &str, raw: &Option<String>) -> Option<String> {
        let value = raw.as_deref()?.trim();
        if value.chars().count() > TEXT_MAX {
            self.errors
                .push(field, format!("must be at most {TEXT_MAX} characters"));
            return None;
        }
        if value.chars().any(|c| c.is_control() && c != '\n') || value.contains('<') {
            self.errors.push(field, "must be plain text");
            return None;
        }
        (!value.is_empty()).then(|| value.to_owned())
    }

    fn third_party(&mut self, field: &str, raw: &Option<ThirdPartyBody>) -> Option<ThirdParty> {
        let raw = raw.as_ref()?;
        let name = self.text(&format!("{field}.name"), &Some(raw.name.clone()));
        if name.is_none() && raw.name.trim().is_empty() {
            self.errors.push(format!("{field}.name"), "is required");
        }
        let email = self
            .errors
            .check(&format!("{field}.email"), EmailAddress::parse(&raw.email));
        Some(ThirdParty {
            name: name?,
            email: email?.as_str().to_owned(),
        })
    }
}

/// Parses the body of element `key` (a JSON object) with that element's
/// schema (`element_data`): every field it does not take, and every bad
/// value, named at once.
pub fn parse_element(
    key: ElementKey,
    value: serde_json::Value,
) -> Result<ElementData, FieldErrors> {
    let mut errors = FieldErrors::new();
    let Some((_, fields)) = element_data::schema_of(key) else {
        errors.push(
            "element",
            "Character & Fitness is answered at /applications/{id}/character-and-fitness",
        );
        return Err(errors);
    };
    let serde_json::Value::Object(mut object) = value else {
        errors.push("body", "must be a JSON object");
        return Err(errors);
    };
    object.retain(|field, _| {
        let takes = fields.contains(&field.as_str());
        if !takes {
            errors.push(
                field.clone(),
                format!(
                    "is not a field of the {} element, which takes: {}",
                    key.as_str(),
                    fields.join(", ")
                ),
            );
        }
        takes
    });
    let body = match element_data::read(key, serde_json::Value::Object(object)) {
        Ok(body) => body,
        Err(error) => {
            let path = error.path().to_string();
            let (field, message) = describe(&path, &error.into_inner().to_string());
            errors.push(field, message);
            return Err(errors);
        }
    };
    let body = &body;
    let mut p = Parser {
        errors: &mut errors,
    };
    let data = match key {
        ElementKey::PersonalInformation => ElementData::PersonalInformation {
            high_school_diploma: body.high_school_diploma,
        },
        ElementKey::Education => ElementData::Education {
            degrees: body
                .degrees
                .iter()
                .flatten()
                .map(|d| Degree {
                    level: d.level.0,
                    field: d.field.0,
                })
                .collect(),
            ece_credit_hours: p.quantity("ece_credit_hours", body.ece_credit_hours, CREDIT_HOURS),
            child_development_credit_hours: p.quantity(
                "child_development_credit_hours",
                body.child_development_credit_hours,
                CREDIT_HOURS,
            ),
        },
        ElementKey::CredentialsHeld => ElementData::CredentialsHeld {
            cda_or_director_credential: body.cda_or_director_credential,
            credential_name: p.text("credential_name", &body.credential_name),
        },
        ElementKey::Experience => ElementData::Experience {
            ece_experience_years: p.quantity(
                "ece_experience_years",
                body.ece_experience_years,
                YEARS,
            ),
            related_field_experience_years: p.quantity(
                "related_field_experience_years",
                body.related_field_experience_years,
                YEARS,
            ),
            employer: p.third_party("employer", &body.employer),
        },
        ElementKey::ExperienceVerification => ElementData::ExperienceVerification {
            verified: body.verified,
            ece_experience_years: p.quantity(
                "ece_experience_years",
                body.ece_experience_years,
                YEARS,
            ),
            verifier_name: p.text("verifier_name", &body.verifier_name),
        },
        ElementKey::RequiredTrainings => ElementData::RequiredTrainings {
            intro_training_clock_hours: p.quantity(
                "intro_training_clock_hours",
                body.intro_training_clock_hours,
                CLOCK_HOURS,
            ),
            data_system_training_clock_hours: p.quantity(
                "data_system_training_clock_hours",
                body.data_system_training_clock_hours,
                CLOCK_HOURS,
            ),
            formal_ece_training_clock_hours: p.quantity(
                "formal_ece_training_clock_hours",
                body.formal_ece_training_clock_hours,
                CLOCK_HOURS,
            ),
            data_system_training_previously_verified: body.data_system_training_previously_verified,
        },
        ElementKey::Topics => ElementData::Topics {
            topics: body.topics.iter().flatten().map(|t| t.0).collect(),
        },
        ElementKey::Seminar => ElementData::Seminar {
            completed_on: p.date("completed_on", &body.completed_on),
        },
        ElementKey::OnlineTrainingCourse => ElementData::OnlineTrainingCourse {
            completed_on: p.date("completed_on", &body.completed_on),
        },
        ElementKey::SeminarWaiver => ElementData::SeminarWaiver {
            coursework_completed_on: p
                .date("coursework_completed_on", &body.coursework_completed_on),
            curriculum_matches: body.curriculum_matches,
            coursework_description: p.text("coursework_description", &body.coursework_description),
        },
        ElementKey::CoTraining => ElementData::CoTraining {
            co_trainer: p.third_party("co_trainer", &body.co_trainer),
            clock_hours: p.quantity("clock_hours", body.clock_hours, CLOCK_HOURS),
        },
        ElementKey::SpecialtyLicense => ElementData::SpecialtyLicense {
            area: p.text("area", &body.area),
            license_or_certification: body.license_or_certification,
            related_experience_years: p.quantity(
                "related_experience_years",
                body.related_experience_years,
                YEARS,
            ),
            license_current_through: p
                .date("license_current_through", &body.license_current_through),
        },
        ElementKey::ContinuingEducation => {
            let mut ce_hours = Vec::new();
            for (i, entry) in body.ce_hours.iter().flatten().enumerate() {
                let hours = p.quantity(
                    &format!("ce_hours[{i}].clock_hours"),
                    Some(entry.clock_hours),
                    CLOCK_HOURS,
                );
                let on = p.date(
                    &format!("ce_hours[{i}].completed_on"),
                    &Some(entry.completed_on.clone()),
                );
                if let (Some(clock_hours), Some(completed_on)) = (hours, on) {
                    ce_hours.push(CeEntry {
                        category: entry.category.0,
                        clock_hours,
                        completed_on,
                    });
                }
            }
            ElementData::ContinuingEducation {
                issued_on: p.date("issued_on", &body.issued_on),
                ce_hours,
            }
        }
        ElementKey::CoachObservation => ElementData::CoachObservation {
            observed_on: p.date("observed_on", &body.observed_on),
            coach: p.third_party("coach", &body.coach),
        },
        ElementKey::Attestation => ElementData::Attestation {
            attested: body.attested,
            signature: p.text("signature", &body.signature),
        },
        // Refused above, before anything was read.
        ElementKey::CharacterAndFitness => return Err(errors),
    };
    errors.into_result()?;
    Ok(data)
}

fn third_party_body(party: &ThirdParty) -> ThirdPartyBody {
    ThirdPartyBody {
        name: party.name.clone(),
        email: party.email.clone(),
    }
}

fn date_body(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// A list, or no field while it is empty.
fn listed<T>(items: Vec<T>) -> Option<Vec<T>> {
    (!items.is_empty()).then_some(items)
}

/// Saved data as the API shows it: the element's fields, each left out
/// until answered.
impl From<&ElementData> for ElementBody {
    fn from(data: &ElementData) -> Self {
        match data {
            ElementData::PersonalInformation {
                high_school_diploma,
            } => ElementBody {
                high_school_diploma: *high_school_diploma,
                ..ElementBody::default()
            },
            ElementData::Education {
                degrees,
                ece_credit_hours,
                child_development_credit_hours,
            } => ElementBody {
                degrees: listed(
                    degrees
                        .iter()
                        .map(|d| DegreeWire {
                            level: DegreeLevelName(d.level),
                            field: DegreeFieldName(d.field),
                        })
                        .collect(),
                ),
                ece_credit_hours: ece_credit_hours.map(CreditHours::as_credit_hours),
                child_development_credit_hours: child_development_credit_hours
                    .map(CreditHours::as_credit_hours),
                ..ElementBody::default()
            },
            ElementData::CredentialsHeld {
                cda_or_director_credential,
                credential_name,
            } => ElementBody {
                cda_or_director_credential: *cda_or_director_credential,
                credential_name: credential_name.clone(),
                ..ElementBody::default()
            },
            ElementData::Experience {
                ece_experience_years,
                related_field_experience_years,
                employer,
            } => ElementBody {
                ece_experience_years: ece_experience_years.map(ExperienceYears::as_years),
                related_field_experience_years: related_field_experience_years
                    .map(ExperienceYears::as_years),
                employer: employer.as_ref().map(third_party_body),
                ..ElementBody::default()
            },
            ElementData::ExperienceVerification {
                verified,
                ece_experience_years,
                verifier_name,
            } => ElementBody {
                verified: *verified,
                ece_experience_years: ece_experience_years.map(ExperienceYears::as_years),
                verifier_name: verifier_name.clone(),
                ..ElementBody::default()
            },
            ElementData::RequiredTrainings {
                intro_training_clock_hours,
                data_system_training_clock_hours,
                formal_ece_training_clock_hours,
                data_system_training_previously_verified,
            } => ElementBody {
                intro_training_clock_hours: intro_training_clock_hours.map(ClockHours::as_hours),
                data_system_training_clock_hours: data_system_training_clock_hours
                    .map(ClockHours::as_hours),
                formal_ece_training_clock_hours: formal_ece_training_clock_hours
                    .map(ClockHours::as_hours),
                data_system_training_previously_verified: *data_system_training_previously_verified,
                ..ElementBody::default()
            },
            ElementData::Topics { topics } => ElementBody {
                topics: listed(topics.iter().copied().map(TopicName).collect()),
                ..ElementBody::default()
            },
            ElementData::Seminar { completed_on }
            | ElementData::OnlineTrainingCourse { completed_on } => ElementBody {
                completed_on: completed_on.map(date_body),
                ..ElementBody::default()
            },
            ElementData::SeminarWaiver {
                coursework_completed_on,
                curriculum_matches,
                coursework_description,
            } => ElementBody {
                coursework_completed_on: coursework_completed_on.map(date_body),
                curriculum_matches: *curriculum_matches,
                coursework_description: coursework_description.clone(),
                ..ElementBody::default()
            },
            ElementData::CoTraining {
                co_trainer,
                clock_hours,
            } => ElementBody {
                co_trainer: co_trainer.as_ref().map(third_party_body),
                clock_hours: clock_hours.map(ClockHours::as_hours),
                ..ElementBody::default()
            },
            ElementData::SpecialtyLicense {
                area,
                license_or_certification,
                related_experience_years,
                license_current_through,
            } => ElementBody {
                area: area.clone(),
                license_or_certification: *license_or_certification,
                related_experience_years: related_experience_years.map(ExperienceYears::as_years),
                license_current_through: license_current_through.map(date_body),
                ..ElementBody::default()
            },
            ElementData::ContinuingEducation {
                issued_on,
                ce_hours,
            } => ElementBody {
                issued_on: issued_on.map(date_body),
                ce_hours: listed(
                    ce_hours
                        .iter()
                        .map(|entry| CeHoursWire {
                            category: CeCategoryName(entry.category),
                            clock_hours: entry.clock_hours.as_hours(),
                            completed_on: date_body(entry.completed_on),
                        })
                        .collect(),
                ),
                ..ElementBody::default()
            },
            ElementData::CoachObservation { observed_on, coach } => ElementBody {
                observed_on: observed_on.map(date_body),
                coach: coach.as_ref().map(third_party_body),
                ..ElementBody::default()
            },
            ElementData::Attestation {
                attested,
                signature,
            } => ElementBody {
                attested: *attested,
                signature: signature.clone(),
                ..ElementBody::default()
            },
        }
    }
}
