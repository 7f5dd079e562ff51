//! The element data format: rows exactly as the API has stored them read
//! back to the domain's values, every element's data round-trips, and
//! unreadable data is an error.

#![allow(clippy::unwrap_used)]

use super::element_data::{read, write};
use chrono::NaiveDate;
use kecs_domain::application::{ElementData, ElementKey, ThirdParty};
use kecs_domain::rules::{
    CeCategory, CeEntry, ClockHours, CreditHours, Degree, DegreeField, DegreeLevel,
    ExperienceYears, Topic,
};
use proptest::prelude::*;

fn on(date: &str) -> NaiveDate {
    date.parse().unwrap()
}

fn party(name: &str, email: &str) -> ThirdParty {
    ThirdParty {
        name: name.to_owned(),
        email: email.to_owned(),
    }
}

/// Rows exactly as the API wrote them from these request bodies, with the
/// data they were saved as: (key, row, data).
fn rows_as_stored() -> Vec<(ElementKey, &'static str, ElementData)> {
    vec![
        (
            ElementKey::PersonalInformation,
            r#"{"high_school_diploma":true}"#,
            ElementData::PersonalInformation {
                high_school_diploma: Some(true),
            },
        ),
        (
            ElementKey::Education,
            r#"{"child_development_credit_hours":12.5,"degrees":[{"field":"ece","level":"bachelor"},{"field":"related","level":"associate"}],"ece_credit_hours":30.0}"#,
            ElementData::Education {
                degrees: vec![
                    Degree {
                        level: DegreeLevel::Bachelor,
                        field: DegreeField::Ece,
                    },
                    Degree {
                        level: DegreeLevel::Associate,
                        field: DegreeField::Related,
                    },
                ],
                ece_credit_hours: Some(CreditHours::whole(30)),
                child_development_credit_hours: Some(CreditHours::from_hundredths(1250)),
            },
        ),
        (
            ElementKey::Education,
            "{}",
            ElementData::empty(ElementKey::Education).unwrap(),
        ),
        (
            ElementKey::CredentialsHeld,
            r#"{"cda_or_director_credential":true,"credential_name":"CDA, Infant/Toddler"}"#,
            ElementData::CredentialsHeld {
                cda_or_director_credential: Some(true),
                credential_name: Some("CDA, Infant/Toddler".to_owned()),
            },
        ),
        (
            ElementKey::Experience,
            r#"{"ece_experience_years":3.0,"employer":{"email":"director@sunshine.example.org","name":"Sunshine Child Care Center"},"related_field_experience_years":1.5}"#,
            ElementData::Experience {
                ece_experience_years: Some(ExperienceYears::whole(3)),
                related_field_experience_years: Some(ExperienceYears::from_months(18)),
                employer: Some(party(
                    "Sunshine Child Care Center",
                    "director@sunshine.example.org",
                )),
            },
        ),
        (
            ElementKey::ExperienceVerification,
            r#"{"ece_experience_years":3.0,"verified":true,"verifier_name":"Pat Director"}"#,
            ElementData::ExperienceVerification {
                verified: Some(true),
                ece_experience_years: Some(ExperienceYears::whole(3)),
                verifier_name: Some("Pat Director".to_owned()),
            },
        ),
        (
            ElementKey::RequiredTrainings,
            r#"{"data_system_training_clock_hours":1.5,"data_system_training_previously_verified":false,"formal_ece_training_clock_hours":120.0,"intro_training_clock_hours":2.0}"#,
            ElementData::RequiredTrainings {
                intro_training_clock_hours: Some(ClockHours::whole(2)),
                data_system_training_clock_hours: Some(ClockHours::from_minutes(90)),
                formal_ece_training_clock_hours: Some(ClockHours::whole(120)),
                data_system_training_previously_verified: Some(false),
            },
        ),
        (
            ElementKey::Topics,
            r#"{"topics":["child_growth_and_development","child_assessments"]}"#,
            ElementData::Topics {
                topics: [Topic::ChildAssessments, Topic::ChildGrowthAndDevelopment].into(),
            },
        ),
        (
            ElementKey::Seminar,
            r#"{"completed_on":"2025-03-14"}"#,
            ElementData::Seminar {
                completed_on: Some(on("2025-03-14")),
            },
        ),
        (
            ElementKey::SeminarWaiver,
            r#"{"coursework_completed_on":"2024-12-01","coursework_description":"ECE 101 and 102","curriculum_matches":true}"#,
            ElementData::SeminarWaiver {
                coursework_completed_on: Some(on("2024-12-01")),
                curriculum_matches: Some(true),
                coursework_description: Some("ECE 101 and 102".to_owned()),
            },
        ),
        (
            ElementKey::OnlineTrainingCourse,
            r#"{"completed_on":"2025-01-20"}"#,
            ElementData::OnlineTrainingCourse {
                completed_on: Some(on("2025-01-20")),
            },
        ),
        (
            ElementKey::CoTraining,
            r#"{"clock_hours":6.0,"co_trainer":{"email":"lee@example.org","name":"Lee Trainer"}}"#,
            ElementData::CoTraining {
                co_trainer: Some(party("Lee Trainer", "lee@example.org")),
                clock_hours: Some(ClockHours::whole(6)),
            },
        ),
        (
            ElementKey::SpecialtyLicense,
            r#"{"area":"Speech-language pathology","license_current_through":"2027-06-30","license_or_certification":true,"related_experience_years":2.0}"#,
            ElementData::SpecialtyLicense {
                area: Some("Speech-language pathology".to_owned()),
                license_or_certification: Some(true),
                related_experience_years: Some(ExperienceYears::whole(2)),
                license_current_through: Some(on("2027-06-30")),
            },
        ),
        (
            ElementKey::ContinuingEducation,
            r#"{"ce_hours":[{"category":"training_adults","clock_hours":3.0,"completed_on":"2024-02-10"},{"category":"early_care_and_education","clock_hours":4.25,"completed_on":"2024-09-30"}],"issued_on":"2023-05-01"}"#,
            ElementData::ContinuingEducation {
                issued_on: Some(on("2023-05-01")),
                ce_hours: vec![
                    CeEntry {
                        category: CeCategory::TrainingAdults,
                        clock_hours: ClockHours::whole(3),
                        completed_on: on("2024-02-10"),
                    },
                    CeEntry {
                        category: CeCategory::EarlyCareAndEducation,
                        clock_hours: ClockHours::from_minutes(255),
                        completed_on: on("2024-09-30"),
                    },
                ],
            },
        ),
        (
            ElementKey::CoachObservation,
            r#"{"coach":{"email":"casey@example.org","name":"Casey Coach"},"observed_on":"2025-02-01"}"#,
            ElementData::CoachObservation {
                observed_on: Some(on("2025-02-01")),
                coach: Some(party("Casey Coach", "casey@example.org")),
            },
        ),
        (
            ElementKey::Attestation,
            r#"{"attested":true,"signature":"Jane Doe"}"#,
            ElementData::Attestation {
                attested: Some(true),
                signature: Some("Jane Doe".to_owned()),
            },
        ),
    ]
}

#[test]
fn rows_as_stored_read_back_and_are_written_the_same() {
    for (key, row, data) in rows_as_stored() {
        assert_eq!(read(key, row).unwrap(), data, "{row}");
        assert_eq!(
            write(&data).unwrap(),
            row,
            "{} written as stored",
            key.as_str()
        );
    }
}

#[test]
fn every_element_round_trips_empty_and_filled() {
    let filled = rows_as_stored();
    for key in ElementKey::ALL {
        let Some(empty) = ElementData::empty(key) else {
            assert_eq!(key, ElementKey::CharacterAndFitness);
            continue;
        };
        assert_eq!(write(&empty).unwrap(), "{}", "{}", key.as_str());
        assert_eq!(read(key, &write(&empty).unwrap()).unwrap(), empty);
        let (_, _, data) = filled
            .iter()
            .find(|(k, _, data)| *k == key && *data != empty)
            .unwrap_or_else(|| panic!("no filled sample of {}", key.as_str()));
        assert_eq!(read(key, &write(data).unwrap()).unwrap(), *data);
    }
}

#[test]
fn rows_read_as_the_api_has_always_read_them() {
    // (key, row, data): what earlier writers left in rows.
    let cases = [
        (
            // The demo seeding: whole numbers as integers.
            ElementKey::Experience,
            r#"{"ece_experience_years":3,"employer":{"email":"director@sunshine.example.org","name":"Sunshine Child Care Center"}}"#,
            ElementData::Experience {
                ece_experience_years: Some(ExperienceYears::whole(3)),
                related_field_experience_years: None,
                employer: Some(party(
                    "Sunshine Child Care Center",
                    "director@sunshine.example.org",
                )),
            },
        ),
        (
            // Text as the client sent it: trimmed on reading; blank is no answer.
            ElementKey::SeminarWaiver,
            r#"{"coursework_completed_on":" 2024-12-01 ","coursework_description":"   "}"#,
            ElementData::SeminarWaiver {
                coursework_completed_on: Some(on("2024-12-01")),
                curriculum_matches: None,
                coursework_description: None,
            },
        ),
        (
            ElementKey::CoTraining,
            r#"{"clock_hours":1.999,"co_trainer":{"email":" lee@example.org ","name":"  Lee Trainer "}}"#,
            ElementData::CoTraining {
                co_trainer: Some(party("Lee Trainer", "lee@example.org")),
                // Below a whole minute is dropped, as when it was saved.
                clock_hours: Some(ClockHours::from_minutes(119)),
            },
        ),
        (
            // Topics in any order and repeated; empty lists.
            ElementKey::Topics,
            r#"{"topics":["child_assessments","child_growth_and_development","child_assessments"]}"#,
            ElementData::Topics {
                topics: [Topic::ChildAssessments, Topic::ChildGrowthAndDevelopment].into(),
            },
        ),
        (
            ElementKey::Education,
            r#"{"degrees":[]}"#,
            ElementData::empty(ElementKey::Education).unwrap(),
        ),
        (
            ElementKey::ContinuingEducation,
            r#"{"ce_hours":[],"issued_on":"2023-05-01"}"#,
            ElementData::ContinuingEducation {
                issued_on: Some(on("2023-05-01")),
                ce_hours: Vec::new(),
            },
        ),
    ];
    for (key, row, data) in cases {
        assert_eq!(read(key, row).unwrap(), data, "{row}");
    }
}

#[test]
fn unreadable_data_is_an_error() {
    // (key, row, why)
    let cases = [
        (ElementKey::Topics, "", "empty"),
        (ElementKey::Topics, "not json", "not JSON"),
        (ElementKey::Topics, "null", "null"),
        (
            ElementKey::Topics,
            r#"{"topics":["knitting"]}"#,
            "unknown topic",
        ),
        (
            ElementKey::Topics,
            r#"{"topics":"child_assessments"}"#,
            "not a list",
        ),
        (
            ElementKey::Topics,
            r#"{"intro_training_clock_hours":2.0}"#,
            "another element's field",
        ),
        (
            ElementKey::RequiredTrainings,
            r#"{"intro_training_clock_hours":-1}"#,
            "negative hours",
        ),
        (
            ElementKey::RequiredTrainings,
            r#"{"intro_training_clock_hours":"2"}"#,
            "hours as text",
        ),
        (
            ElementKey::Seminar,
            r#"{"completed_on":"14/03/2025"}"#,
            "not YYYY-MM-DD",
        ),
        (
            ElementKey::Seminar,
            r#"{"completed_on":"2025-02-30"}"#,
            "no such day",
        ),
        (
            ElementKey::Education,
            r#"{"degrees":[{"level":"honorary","field":"ece"}]}"#,
            "unknown degree level",
        ),
        (
            ElementKey::Education,
            r#"{"degrees":[{"level":"bachelor"}]}"#,
            "a degree without its field",
        ),
        (
            ElementKey::ContinuingEducation,
            r#"{"ce_hours":[{"category":"knitting","clock_hours":1.0,"completed_on":"2024-01-01"}]}"#,
            "unknown category",
        ),
        (
            ElementKey::Experience,
            r#"{"employer":{"email":"boss@example.org","name":"  "}}"#,
            "a third party without a name",
        ),
        (
            ElementKey::CoachObservation,
            r#"{"coach":{"email":"not an email","name":"Casey"}}"#,
            "a third party without an email",
        ),
        (
            ElementKey::PersonalInformation,
            r#"{"high_school_diploma":"yes"}"#,
            "a yes as text",
        ),
        (
            ElementKey::CharacterAndFitness,
            r#"{"answers":[]}"#,
            "Character & Fitness has its own format",
        ),
    ];
    for (key, row, why) in cases {
        assert!(read(key, row).is_err(), "{why}: {row}");
    }
}

proptest! {
    /// Any quantity the domain holds is written so that it reads back the
    /// same: the stored number is in the regulation's units, the domain's
    /// minutes, hundredths and months survive it.
    #[test]
    fn quantities_survive_the_stored_numbers(minutes: u32, hundredths: u32, months: u32) {
        let training = ElementData::RequiredTrainings {
            intro_training_clock_hours: Some(ClockHours::from_minutes(minutes)),
            data_system_training_clock_hours: None,
            formal_ece_training_clock_hours: None,
            data_system_training_previously_verified: None,
        };
        let education = ElementData::Education {
            degrees: Vec::new(),
            ece_credit_hours: Some(CreditHours::from_hundredths(hundredths)),
            child_development_credit_hours: None,
        };
        let experience = ElementData::Experience {
            ece_experience_years: Some(ExperienceYears::from_months(months)),
            related_field_experience_years: None,
            employer: None,
        };
        for data in [training, education, experience] {
            prop_assert_eq!(read(data.key(), &write(&data).unwrap()).unwrap(), data);
        }
    }
}
