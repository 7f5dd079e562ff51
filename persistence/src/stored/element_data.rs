//! The data of every element but Character & Fitness as its row holds it:
//! one JSON object of the element's fields by name, each left out until
//! answered (a draft is partial), a list left out while empty. Quantities
//! are JSON numbers in the regulation's units (clock hours, credit hours,
//! years), dates `YYYY-MM-DD`; degrees are `{"level", "field"}`, continuing
//! education `{"category", "clock_hours", "completed_on"}`, a third party
//! `{"name", "email"}`, every name the domain's own spelling.
//!
//! Reading reads what the API has always stored: free text trimmed and blank
//! text taken as unanswered, quantities in any precision (held in the
//! domain's minutes, hundredths and months), topics in any order.

use super::StoredFormatError;
use chrono::NaiveDate;
use kecs_domain::account::{EmailAddress, parse_date};
use kecs_domain::application::{ElementData, ElementKey, ThirdParty};
use kecs_domain::rules::{
    CeCategory, CeEntry, ClockHours, CreditHours, Degree, DegreeField, DegreeLevel,
    ExperienceYears, ParseError, Topic,
};
use serde::{Deserialize, Serialize};

/// The stored object of one element: every field optional, unknown fields
/// refused (another element's field is no field of this one).
macro_rules! stored_element {
    ($(#[$doc:meta])* $name:ident { $($field:ident: $ty:ty),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Default, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct $name {
            $(
                #[serde(default, skip_serializing_if = "Option::is_none")]
                $field: Option<$ty>,
            )*
        }
    };
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredThirdParty {
    name: String,
    email: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredDegree {
    level: String,
    field: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredCeHours {
    category: String,
    clock_hours: f64,
    completed_on: String,
}

stored_element!(PersonalInformation {
    high_school_diploma: bool,
});
stored_element!(Education {
    degrees: Vec<StoredDegree>,
    ece_credit_hours: f64,
    child_development_credit_hours: f64,
});
stored_element!(CredentialsHeld {
    cda_or_director_credential: bool,
    credential_name: String,
});
stored_element!(Experience {
    ece_experience_years: f64,
    related_field_experience_years: f64,
    employer: StoredThirdParty,
});
stored_element!(ExperienceVerification {
    verified: bool,
    ece_experience_years: f64,
    verifier_name: String,
});
stored_element!(RequiredTrainings {
    intro_training_clock_hours: f64,
    data_system_training_clock_hours: f64,
    formal_ece_training_clock_hours: f64,
    data_system_training_previously_verified: bool,
});
stored_element!(Topics {
    topics: Vec<String>,
});
stored_element!(
    /// `seminar` and `online_training_course`.
    CompletedOn {
        completed_on: String,
    }
);
stored_element!(SeminarWaiver {
    coursework_completed_on: String,
    curriculum_matches: bool,
    coursework_description: String,
});
stored_element!(CoTraining {
    co_trainer: StoredThirdParty,
    clock_hours: f64,
});
stored_element!(SpecialtyLicense {
    area: String,
    license_or_certification: bool,
    related_experience_years: f64,
    license_current_through: String,
});
stored_element!(ContinuingEducation {
    issued_on: String,
    ce_hours: Vec<StoredCeHours>,
});
stored_element!(CoachObservation {
    observed_on: String,
    coach: StoredThirdParty,
});
stored_element!(Attestation {
    attested: bool,
    signature: String,
});

// ---- reading ------------------------------------------------------------------

fn quantity<T>(
    field: &str,
    stored: Option<f64>,
    parse: fn(f64) -> Result<T, ParseError>,
) -> Result<Option<T>, StoredFormatError> {
    stored
        .map(parse)
        .transpose()
        .map_err(|e| StoredFormatError::field(field, e))
}

fn date(field: &str, stored: Option<&str>) -> Result<Option<NaiveDate>, StoredFormatError> {
    stored
        .map(parse_date)
        .transpose()
        .map_err(|e| StoredFormatError::field(field, e))
}

/// Free text: trimmed, and blank text is no answer.
fn text(stored: Option<String>) -> Option<String> {
    stored
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

fn third_party(
    field: &str,
    stored: Option<StoredThirdParty>,
) -> Result<Option<ThirdParty>, StoredFormatError> {
    let Some(stored) = stored else {
        return Ok(None);
    };
    let name = text(Some(stored.name))
        .ok_or_else(|| StoredFormatError::field(&format!("{field}.name"), "is blank"))?;
    let email = EmailAddress::parse(&stored.email)
        .map_err(|e| StoredFormatError::field(&format!("{field}.email"), e))?;
    Ok(Some(ThirdParty {
        name,
        email: email.as_str().to_owned(),
    }))
}

fn degrees(stored: Option<Vec<StoredDegree>>) -> Result<Vec<Degree>, StoredFormatError> {
    stored
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, degree)| {
            Ok(Degree {
                level: DegreeLevel::parse(&degree.level)
                    .map_err(|e| StoredFormatError::field(&format!("degrees[{i}].level"), e))?,
                field: DegreeField::parse(&degree.field)
                    .map_err(|e| StoredFormatError::field(&format!("degrees[{i}].field"), e))?,
            })
        })
        .collect()
}

fn ce_hours(stored: Option<Vec<StoredCeHours>>) -> Result<Vec<CeEntry>, StoredFormatError> {
    stored
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let field = |name: &str| format!("ce_hours[{i}].{name}");
            Ok(CeEntry {
                category: CeCategory::parse(&entry.category)
                    .map_err(|e| StoredFormatError::field(&field("category"), e))?,
                clock_hours: ClockHours::parse(entry.clock_hours)
                    .map_err(|e| StoredFormatError::field(&field("clock_hours"), e))?,
                completed_on: parse_date(&entry.completed_on)
                    .map_err(|e| StoredFormatError::field(&field("completed_on"), e))?,
            })
        })
        .collect()
}

/// Reads the stored data of element `key` (any element but Character &
/// Fitness, which has its own format).
pub(crate) fn read(key: ElementKey, json: &str) -> Result<ElementData, StoredFormatError> {
    use super::parse;
    Ok(match key {
        ElementKey::PersonalInformation => {
            let s: PersonalInformation = parse(json)?;
            ElementData::PersonalInformation {
                high_school_diploma: s.high_school_diploma,
            }
        }
        ElementKey::Education => {
            let s: Education = parse(json)?;
            ElementData::Education {
                degrees: degrees(s.degrees)?,
                ece_credit_hours: quantity(
                    "ece_credit_hours",
                    s.ece_credit_hours,
                    CreditHours::parse,
                )?,
                child_development_credit_hours: quantity(
                    "child_development_credit_hours",
                    s.child_development_credit_hours,
                    CreditHours::parse,
                )?,
            }
        }
        ElementKey::CredentialsHeld => {
            let s: CredentialsHeld = parse(json)?;
            ElementData::CredentialsHeld {
                cda_or_director_credential: s.cda_or_director_credential,
                credential_name: text(s.credential_name),
            }
        }
        ElementKey::Experience => {
            let s: Experience = parse(json)?;
            ElementData::Experience {
                ece_experience_years: quantity(
                    "ece_experience_years",
                    s.ece_experience_years,
                    ExperienceYears::parse,
                )?,
                related_field_experience_years: quantity(
                    "related_field_experience_years",
                    s.related_field_experience_years,
                    ExperienceYears::parse,
                )?,
                employer: third_party("employer", s.employer)?,
            }
        }
        ElementKey::ExperienceVerification => {
            let s: ExperienceVerification = parse(json)?;
            ElementData::ExperienceVerification {
                verified: s.verified,
                ece_experience_years: quantity(
                    "ece_experience_years",
                    s.ece_experience_years,
                    ExperienceYears::parse,
                )?,
                verifier_name: text(s.verifier_name),
            }
        }
        ElementKey::RequiredTrainings => {
            let s: RequiredTrainings = parse(json)?;
            ElementData::RequiredTrainings {
                intro_training_clock_hours: quantity(
                    "intro_training_clock_hours",
                    s.intro_training_clock_hours,
                    ClockHours::parse,
                )?,
                data_system_training_clock_hours: quantity(
                    "data_system_training_clock_hours",
                    s.data_system_training_clock_hours,
                    ClockHours::parse,
                )?,
                formal_ece_training_clock_hours: quantity(
                    "formal_ece_training_clock_hours",
                    s.formal_ece_training_clock_hours,
                    ClockHours::parse,
                )?,
                data_system_training_previously_verified: s
                    .data_system_training_previously_verified,
            }
        }
        ElementKey::Topics => {
            let s: Topics = parse(json)?;
            ElementData::Topics {
                topics: s
                    .topics
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                    .map(|(i, topic)| {
                        Topic::parse(topic)
                            .map_err(|e| StoredFormatError::field(&format!("topics[{i}]"), e))
                    })
                    .collect::<Result<_, _>>()?,
            }
        }
        ElementKey::Seminar => {
            let s: CompletedOn = parse(json)?;
            ElementData::Seminar {
                completed_on: date("completed_on", s.completed_on.as_deref())?,
            }
        }
        ElementKey::OnlineTrainingCourse => {
            let s: CompletedOn = parse(json)?;
            ElementData::OnlineTrainingCourse {
                completed_on: date("completed_on", s.completed_on.as_deref())?,
            }
        }
        ElementKey::SeminarWaiver => {
            let s: SeminarWaiver = parse(json)?;
            ElementData::SeminarWaiver {
                coursework_completed_on: date(
                    "coursework_completed_on",
                    s.coursework_completed_on.as_deref(),
                )?,
                curriculum_matches: s.curriculum_matches,
                coursework_description: text(s.coursework_description),
            }
        }
        ElementKey::CoTraining => {
            let s: CoTraining = parse(json)?;
            ElementData::CoTraining {
                co_trainer: third_party("co_trainer", s.co_trainer)?,
                clock_hours: quantity("clock_hours", s.clock_hours, ClockHours::parse)?,
            }
        }
        ElementKey::SpecialtyLicense => {
            let s: SpecialtyLicense = parse(json)?;
            ElementData::SpecialtyLicense {
                area: text(s.area),
                license_or_certification: s.license_or_certification,
                related_experience_years: quantity(
                    "related_experience_years",
                    s.related_experience_years,
                    ExperienceYears::parse,
                )?,
                license_current_through: date(
                    "license_current_through",
                    s.license_current_through.as_deref(),
                )?,
            }
        }
        ElementKey::ContinuingEducation => {
            let s: ContinuingEducation = parse(json)?;
            ElementData::ContinuingEducation {
                issued_on: date("issued_on", s.issued_on.as_deref())?,
                ce_hours: ce_hours(s.ce_hours)?,
            }
        }
        ElementKey::CoachObservation => {
            let s: CoachObservation = parse(json)?;
            ElementData::CoachObservation {
                observed_on: date("observed_on", s.observed_on.as_deref())?,
                coach: third_party("coach", s.coach)?,
            }
        }
        ElementKey::Attestation => {
            let s: Attestation = parse(json)?;
            ElementData::Attestation {
                attested: s.attested,
                signature: text(s.signature),
            }
        }
        ElementKey::CharacterAndFitness => {
            return Err(StoredFormatError::new(
                "Character & Fitness answers are not element data",
            ));
        }
    })
}

// ---- writing ------------------------------------------------------------------

fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn stored_third_party(party: &ThirdParty) -> StoredThirdParty {
    StoredThirdParty {
        name: party.name.clone(),
        email: party.email.clone(),
    }
}

/// A list, or nothing while it is empty.
fn listed<T>(items: Vec<T>) -> Option<Vec<T>> {
    (!items.is_empty()).then_some(items)
}

/// The stored JSON of `data`.
pub(crate) fn write(data: &ElementData) -> Result<String, StoredFormatError> {
    use super::write;
    match data {
        ElementData::PersonalInformation {
            high_school_diploma,
        } => write(&PersonalInformation {
            high_school_diploma: *high_school_diploma,
        }),
        ElementData::Education {
            degrees,
            ece_credit_hours,
            child_development_credit_hours,
        } => write(&Education {
            degrees: listed(
                degrees
                    .iter()
                    .map(|d| StoredDegree {
                        level: d.level.as_str().to_owned(),
                        field: d.field.as_str().to_owned(),
                    })
                    .collect(),
            ),
            ece_credit_hours: ece_credit_hours.map(CreditHours::as_credit_hours),
            child_development_credit_hours: child_development_credit_hours
                .map(CreditHours::as_credit_hours),
        }),
        ElementData::CredentialsHeld {
            cda_or_director_credential,
            credential_name,
        } => write(&CredentialsHeld {
            cda_or_director_credential: *cda_or_director_credential,
            credential_name: credential_name.clone(),
        }),
        ElementData::Experience {
            ece_experience_years,
            related_field_experience_years,
            employer,
        } => write(&Experience {
            ece_experience_years: ece_experience_years.map(ExperienceYears::as_years),
            related_field_experience_years: related_field_experience_years
                .map(ExperienceYears::as_years),
            employer: employer.as_ref().map(stored_third_party),
        }),
        ElementData::ExperienceVerification {
            verified,
            ece_experience_years,
            verifier_name,
        } => write(&ExperienceVerification {
            verified: *verified,
            ece_experience_years: ece_experience_years.map(ExperienceYears::as_years),
            verifier_name: verifier_name.clone(),
        }),
        ElementData::RequiredTrainings {
            intro_training_clock_hours,
            data_system_training_clock_hours,
            formal_ece_training_clock_hours,
            data_system_training_previously_verified,
        } => write(&RequiredTrainings {
            intro_training_clock_hours: intro_training_clock_hours.map(ClockHours::as_hours),
            data_system_training_clock_hours: data_system_training_clock_hours
                .map(ClockHours::as_hours),
            formal_ece_training_clock_hours: formal_ece_training_clock_hours
                .map(ClockHours::as_hours),
            data_system_training_previously_verified: *data_system_training_previously_verified,
        }),
        ElementData::Topics { topics } => write(&Topics {
            topics: listed(topics.iter().map(|t| t.as_str().to_owned()).collect()),
        }),
        ElementData::Seminar { completed_on }
        | ElementData::OnlineTrainingCourse { completed_on } => write(&CompletedOn {
            completed_on: completed_on.map(day),
        }),
        ElementData::SeminarWaiver {
            coursework_completed_on,
            curriculum_matches,
            coursework_description,
        } => write(&SeminarWaiver {
            coursework_completed_on: coursework_completed_on.map(day),
            curriculum_matches: *curriculum_matches,
            coursework_description: coursework_description.clone(),
        }),
        ElementData::CoTraining {
            co_trainer,
            clock_hours,
        } => write(&CoTraining {
            co_trainer: co_trainer.as_ref().map(stored_third_party),
            clock_hours: clock_hours.map(ClockHours::as_hours),
        }),
        ElementData::SpecialtyLicense {
            area,
            license_or_certification,
            related_experience_years,
            license_current_through,
        } => write(&SpecialtyLicense {
            area: area.clone(),
            license_or_certification: *license_or_certification,
            related_experience_years: related_experience_years.map(ExperienceYears::as_years),
            license_current_through: license_current_through.map(day),
        }),
        ElementData::ContinuingEducation {
            issued_on,
            ce_hours,
        } => write(&ContinuingEducation {
            issued_on: issued_on.map(day),
            ce_hours: listed(
                ce_hours
                    .iter()
                    .map(|entry| StoredCeHours {
                        category: entry.category.as_str().to_owned(),
                        clock_hours: entry.clock_hours.as_hours(),
                        completed_on: day(entry.completed_on),
                    })
                    .collect(),
            ),
        }),
        ElementData::CoachObservation { observed_on, coach } => write(&CoachObservation {
            observed_on: observed_on.map(day),
            coach: coach.as_ref().map(stored_third_party),
        }),
        ElementData::Attestation {
            attested,
            signature,
        } => write(&Attestation {
            attested: *attested,
            signature: signature.clone(),
        }),
    }
}
