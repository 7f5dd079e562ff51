//! One schema per element: the fields each element takes, as `openapi.yaml`
//! publishes them (each element's `PUT` takes its own; a generated client
//! gets a type per element). Every field is optional: an element is saved as
//! a draft over several visits; what is still missing is reported by the
//! overview, decided by the rules engine.
//!
//! The server reads a body with the schema of the element in its path, so
//! the contract and the parser cannot drift apart.

use super::elements::{CeHoursWire, DegreeWire, ElementBody, ThirdPartyBody};
use super::enums::TopicName;
use kecs_domain::application::ElementKey;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{Ref, RefOr};

/// Declares an element's schema (every field optional, unknown fields
/// refused) and moves it into the flat [`ElementBody`] the parser reads.
macro_rules! element_data {
    ($(#[$meta:meta])* $name:ident {
        $($(#[$field_meta:meta])* $field:ident : $ty:ty),* $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $(
                $(#[$field_meta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
        }

        impl $name {
            pub const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];
        }

        impl From<$name> for ElementBody {
            fn from(data: $name) -> Self {
                ElementBody {
                    $($field: data.$field,)*
                    ..ElementBody::default()
                }
            }
        }
    };
}

element_data! {
    /// `personal_information` (Sec. 2(2)).
    PersonalInformationData {
        /// Holds a high school diploma or its equivalent (Sec. 2(2)).
        high_school_diploma: bool,
    }
}

element_data! {
    /// `education` (Sec. 6 to 9): degrees and credit hours.
    EducationData {
        /// Each degree held, by level and field.
        degrees: Vec<DegreeWire>,
        /// Credit hours in early care and education.
        #[schema(minimum = 0, maximum = 1000)]
        ece_credit_hours: f64,
        /// Credit hours in child development.
        #[schema(minimum = 0, maximum = 1000)]
        child_development_credit_hours: f64,
    }
}

element_data! {
    /// `credentials_held` (Sec. 6(1)(a)1).
    CredentialsHeldData {
        /// Holds a CDA or a director's credential.
        cda_or_director_credential: bool,
        /// Which credential.
        #[schema(max_length = 2000, pattern = r"^[^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$")]
        credential_name: String,
    }
}

element_data! {
    /// `experience` (Sec. 3(1)(a), 6 to 9): years claimed, and the employer
    /// who will verify them.
    ExperienceData {
        /// Years of experience in early care and education.
        #[schema(minimum = 0, maximum = 100)]
        ece_experience_years: f64,
        /// Years of experience in a related field.
        #[schema(minimum = 0, maximum = 100)]
        related_field_experience_years: f64,
        /// The employer who will verify the experience: mailed a single-use
        /// link when invited.
        employer: ThirdPartyBody,
    }
}

element_data! {
    /// `experience_verification`: completed by the employer through their
    /// link (Sec. 3(1)(a)).
    ExperienceVerificationData {
        /// The employer confirms the experience claimed.
        verified: bool,
        /// Years of experience the employer confirms.
        #[schema(minimum = 0, maximum = 100)]
        ece_experience_years: f64,
        /// Who verifies, as they sign.
        #[schema(max_length = 2000, pattern = r"^[^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$")]
        verifier_name: String,
    }
}

element_data! {
    /// `required_trainings` (Sec. 2(3), 2(4), 6(1)(a)2).
    RequiredTrainingsData {
        /// Clock hours of the introduction training (Sec. 2(3)).
        #[schema(minimum = 0, maximum = 10000)]
        intro_training_clock_hours: f64,
        /// Clock hours of the data system training (Sec. 2(4)).
        #[schema(minimum = 0, maximum = 10000)]
        data_system_training_clock_hours: f64,
        /// Clock hours of formal early care and education training.
        #[schema(minimum = 0, maximum = 10000)]
        formal_ece_training_clock_hours: f64,
        /// The data system training was verified on an earlier application.
        data_system_training_previously_verified: bool,
    }
}

element_data! {
    /// `topics` (Sec. 2(5)): the topics the trainer will train in.
    TopicsData {
        topics: Vec<TopicName>,
    }
}

element_data! {
    /// `seminar` (Sec. 3(1)(b)).
    SeminarData {
        /// When the trainer's seminar was completed.
        #[schema(format = Date)]
        completed_on: String,
    }
}

element_data! {
    /// `online_training_course` (Sec. 3(1)(c)).
    OnlineTrainingCourseData {
        /// When the online training course was completed.
        #[schema(format = Date)]
        completed_on: String,
    }
}

element_data! {
    /// `seminar_waiver` (Sec. 3(4)): coursework that stands for the seminar.
    SeminarWaiverData {
        #[schema(format = Date)]
        coursework_completed_on: String,
        /// The coursework covered the seminar's curriculum.
        curriculum_matches: bool,
        #[schema(max_length = 2000, pattern = r"^[^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$")]
        coursework_description: String,
    }
}

element_data! {
    /// `co_training` (Sec. 6(1)(b)): hours trained beside a credentialed
    /// trainer, who confirms them through their link.
    CoTrainingData {
        co_trainer: ThirdPartyBody,
        #[schema(minimum = 0, maximum = 10000)]
        clock_hours: f64,
    }
}

element_data! {
    /// `specialty_license` (Sec. 10(1)).
    SpecialtyLicenseData {
        /// The specialty area.
        #[schema(max_length = 2000, pattern = r"^[^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$")]
        area: String,
        /// Holds a license or certification in the area.
        license_or_certification: bool,
        /// Years of experience related to the area.
        #[schema(minimum = 0, maximum = 100)]
        related_experience_years: f64,
        #[schema(format = Date)]
        license_current_through: String,
    }
}

element_data! {
    /// `continuing_education` (Sec. 13(3)(b)), for a renewal.
    ContinuingEducationData {
        /// When the credential being renewed was issued.
        #[schema(format = Date)]
        issued_on: String,
        /// The continuing education since, by category.
        ce_hours: Vec<CeHoursWire>,
    }
}

element_data! {
    /// `coach_observation` (Sec. 13(3)(d)), for a renewal.
    CoachObservationData {
        #[schema(format = Date)]
        observed_on: String,
        /// The training coach who observed, mailed a single-use link.
        coach: ThirdPartyBody,
    }
}

element_data! {
    /// `attestation`: the applicant's signed statement.
    AttestationData {
        attested: bool,
        /// The applicant's name, typed as a signature.
        #[schema(max_length = 2000, pattern = r"^[^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$")]
        signature: String,
    }
}

/// The schema of element `key`'s data: its name in `components/schemas`
/// and the fields it takes. `None` for Character & Fitness, which has its
/// own route.
pub fn schema_of(key: ElementKey) -> Option<(&'static str, &'static [&'static str])> {
    macro_rules! named {
        ($ty:ident) => {
            Some((stringify!($ty), $ty::FIELDS))
        };
    }
    match key {
        ElementKey::PersonalInformation => named!(PersonalInformationData),
        ElementKey::Education => named!(EducationData),
        ElementKey::CredentialsHeld => named!(CredentialsHeldData),
        ElementKey::Experience => named!(ExperienceData),
        ElementKey::ExperienceVerification => named!(ExperienceVerificationData),
        ElementKey::RequiredTrainings => named!(RequiredTrainingsData),
        ElementKey::Topics => named!(TopicsData),
        ElementKey::Seminar => named!(SeminarData),
        ElementKey::OnlineTrainingCourse => named!(OnlineTrainingCourseData),
        ElementKey::SeminarWaiver => named!(SeminarWaiverData),
        ElementKey::CoTraining => named!(CoTrainingData),
        ElementKey::SpecialtyLicense => named!(SpecialtyLicenseData),
        ElementKey::ContinuingEducation => named!(ContinuingEducationData),
        ElementKey::CoachObservation => named!(CoachObservationData),
        ElementKey::Attestation => named!(AttestationData),
        ElementKey::CharacterAndFitness => None,
    }
}

/// Reads `value` (an object already stripped of fields the element does not
/// take) as element `key`'s schema; serde's first complaint otherwise.
pub fn read(
    key: ElementKey,
    value: serde_json::Value,
) -> Result<ElementBody, serde_path_to_error::Error<serde_json::Error>> {
    fn as_body<T: serde::de::DeserializeOwned + Into<ElementBody>>(
        value: serde_json::Value,
    ) -> Result<ElementBody, serde_path_to_error::Error<serde_json::Error>> {
        serde_path_to_error::deserialize::<_, T>(value).map(Into::into)
    }
    match key {
        ElementKey::PersonalInformation => as_body::<PersonalInformationData>(value),
        ElementKey::Education => as_body::<EducationData>(value),
        ElementKey::CredentialsHeld => as_body::<CredentialsHeldData>(value),
        ElementKey::Experience => as_body::<ExperienceData>(value),
        ElementKey::ExperienceVerification => as_body::<ExperienceVerificationData>(value),
        ElementKey::RequiredTrainings => as_body::<RequiredTrainingsData>(value),
        ElementKey::Topics => as_body::<TopicsData>(value),
        ElementKey::Seminar => as_body::<SeminarData>(value),
        ElementKey::OnlineTrainingCourse => as_body::<OnlineTrainingCourseData>(value),
        ElementKey::SeminarWaiver => as_body::<SeminarWaiverData>(value),
        ElementKey::CoTraining => as_body::<CoTrainingData>(value),
        ElementKey::SpecialtyLicense => as_body::<SpecialtyLicenseData>(value),
        ElementKey::ContinuingEducation => as_body::<ContinuingEducationData>(value),
        ElementKey::CoachObservation => as_body::<CoachObservationData>(value),
        ElementKey::Attestation => as_body::<AttestationData>(value),
        // Nothing to read: the caller refuses it with its own route's name.
        ElementKey::CharacterAndFitness => Ok(ElementBody::default()),
    }
}

/// Every element's data schema, and the schemas they use, for the
/// document's components.
pub fn schemas() -> Vec<(String, RefOr<Schema>)> {
    let mut all = Vec::new();
    macro_rules! add {
        ($($ty:ident),*) => {
            $(
                all.push((stringify!($ty).to_owned(), <$ty as utoipa::PartialSchema>::schema()));
                <$ty as ToSchema>::schemas(&mut all);
            )*
        };
    }
    add!(
        PersonalInformationData,
        EducationData,
        CredentialsHeldData,
        ExperienceData,
        ExperienceVerificationData,
        RequiredTrainingsData,
        TopicsData,
        SeminarData,
        OnlineTrainingCourseData,
        SeminarWaiverData,
        CoTrainingData,
        SpecialtyLicenseData,
        ContinuingEducationData,
        CoachObservationData,
        AttestationData
    );
    all
}

/// Publishes the element routes once per element, each with its own types:
/// a generated client gets `put_element_education(id, EducationData)`
/// answering an `EducationElement` whose `data` is `EducationData`, instead
/// of one body of every element's fields and a response that could be any
/// of them. The server still routes them all through `…/elements/{key}`,
/// and reads each body with the schema published here.
pub struct ElementPaths;

const TEMPLATE: &str = "/api/v1/applications/{id}/elements/{key}";

impl utoipa::Modify for ElementPaths {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::PathItem;
        let Some(template) = openapi.paths.paths.remove(TEMPLATE) else {
            return;
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        let Some(generic) = components
            .schemas
            .remove("ElementResponse")
            .and_then(|schema| serde_json::to_value(schema).ok())
        else {
            return;
        };
        for key in ElementKey::ALL {
            let (data, response) = response_names(key);
            let mut typed = generic.clone();
            type_data(&mut typed, data);
            if let Ok(schema) = serde_json::from_value(typed) {
                components.schemas.insert(response.clone(), schema);
            }
            let mut item = PathItem::default();
            item.get = template
                .get
                .clone()
                .map(|get| for_element(get, key, "get", &response, None));
            if let Some((schema, _)) = schema_of(key) {
                item.put = template
                    .put
                    .clone()
                    .map(|put| for_element(put, key, "put", &response, Some(schema)));
            }
            openapi.paths.paths.insert(element_path(key), item);
        }
    }
}

/// The review file lists every element's data at once: each entry is
/// published as one schema per element (`EducationOnFile`: `key` fixed to
/// `education`, `data` an `EducationData`), and `ElementDataBody` as their
/// union discriminated by `key`, so a generated client reads each entry's
/// data in its element's type.
pub struct ElementsOnFile;

impl utoipa::Modify for ElementsOnFile {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        const NAME: &str = "ElementDataBody";
        let components = openapi.components.get_or_insert_with(Default::default);
        let Some(generic) = components
            .schemas
            .get(NAME)
            .and_then(|schema| serde_json::to_value(schema).ok())
        else {
            return;
        };
        let mut variants = Vec::new();
        let mut mapping = serde_json::Map::new();
        for key in ElementKey::ALL {
            let (data, response) = response_names(key);
            let name = format!("{}OnFile", response.trim_end_matches("Element"));
            let mut entry = generic.clone();
            type_data(&mut entry, data);
            if let Some(properties) = entry
                .get_mut("properties")
                .and_then(serde_json::Value::as_object_mut)
            {
                properties.insert(
                    "key".to_owned(),
                    serde_json::json!({"type": "string", "enum": [key.as_str()]}),
                );
            }
            let Ok(schema) = serde_json::from_value(entry) else {
                return;
            };
            components.schemas.insert(name.clone(), schema);
            let reference = format!("#/components/schemas/{name}");
            variants.push(serde_json::json!({"$ref": reference}));
            mapping.insert(key.as_str().to_owned(), reference.into());
        }
        let union = serde_json::json!({
            "oneOf": variants,
            "discriminator": {"propertyName": "key", "mapping": mapping},
            "description": "One element of the file: its `key`, and its data in that element's schema.",
        });
        if let Ok(schema) = serde_json::from_value(union) {
            components.schemas.insert(NAME.to_owned(), schema);
        }
    }
}

/// The path of element `key`'s own operations.
pub fn element_path(key: ElementKey) -> String {
    format!("/api/v1/applications/{{id}}/elements/{}", key.as_str())
}

/// (the schema of element `key`'s data, the schema of its response).
fn response_names(key: ElementKey) -> (&'static str, String) {
    match schema_of(key) {
        Some((data, _)) => (data, format!("{}Element", data.trim_end_matches("Data"))),
        None => (
            "CharacterAndFitnessRequest",
            "CharacterAndFitnessElement".to_owned(),
        ),
    }
}

/// Narrows the `data` of a copy of the generic element response to one
/// element's schema.
fn type_data(schema: &mut serde_json::Value, data: &str) {
    let typed = serde_json::json!({
        "oneOf": [{"$ref": format!("#/components/schemas/{data}")}, {"type": "null"}],
        "description": "The saved data; null before the first save.",
    });
    if let Some(properties) = schema
        .get_mut("properties")
        .and_then(serde_json::Value::as_object_mut)
        && properties.contains_key("data")
    {
        properties.insert("data".to_owned(), typed);
        return;
    }
    for part in schema
        .get_mut("allOf")
        .and_then(serde_json::Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        type_data(part, data);
    }
}

/// The generic operation, for element `key`: no `key` parameter, its own
/// id, its element's types.
fn for_element(
    mut operation: utoipa::openapi::path::Operation,
    key: ElementKey,
    verb: &str,
    response: &str,
    body: Option<&str>,
) -> utoipa::openapi::path::Operation {
    use utoipa::openapi::request_body::RequestBodyBuilder;
    use utoipa::openapi::{ContentBuilder, Required};
    operation.operation_id = Some(format!("{verb}_element_{}", key.as_str()));
    operation.summary = Some(match verb {
        "put" => format!("Saves the {} element", key.title()),
        _ => format!("Reads the {} element", key.title()),
    });
    operation.parameters = operation.parameters.map(|parameters| {
        parameters
            .into_iter()
            .filter(|p| !matches!(p, RefOr::T(p) if p.name == "key"))
            .collect()
    });
    if let Some(RefOr::T(ok)) = operation.responses.responses.get_mut("200") {
        for content in ok.content.values_mut() {
            if let RefOr::T(content) = content {
                content.schema = Some(Ref::from_schema_name(response).into());
            }
        }
    }
    if let Some(schema) = body {
        operation.request_body = Some(
            RequestBodyBuilder::new()
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name(schema)))
                        .build(),
                )
                .required(Some(Required::True))
                .build()
                .into(),
        );
    }
    operation
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::wire::elements::parse_element;
    use serde_json::{Value, json};

    fn fields(errors: &kecs_domain::validation::FieldErrors) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    fn published() -> Vec<(String, Value)> {
        schemas()
            .into_iter()
            .map(|(name, schema)| (name, serde_json::to_value(schema).unwrap()))
            .collect()
    }

    fn properties_of(name: &str) -> serde_json::Map<String, Value> {
        let (_, schema) = published().into_iter().find(|(n, _)| n == name).unwrap();
        schema["properties"].as_object().unwrap().clone()
    }

    #[test]
    fn every_element_but_character_and_fitness_publishes_exactly_the_fields_it_reads() {
        for key in ElementKey::ALL {
            let Some((name, fields)) = schema_of(key) else {
                assert_eq!(key, ElementKey::CharacterAndFitness);
                continue;
            };
            let properties = properties_of(name);
            let published: Vec<&str> = properties.keys().map(String::as_str).collect();
            let mut read = fields.to_vec();
            read.sort_unstable();
            assert_eq!(published, read, "{name}");
        }
    }

    /// The bounds a front end reads off the schema are the parser's: the
    /// published maximum is accepted, one more is refused, naming the field.
    #[test]
    fn each_published_maximum_is_the_one_the_server_applies() {
        let mut checked = 0;
        for key in ElementKey::ALL {
            let Some((name, _)) = schema_of(key) else {
                continue;
            };
            for (field, schema) in properties_of(name) {
                let Some(max) = schema.get("maximum").and_then(Value::as_f64) else {
                    continue;
                };
                assert!(
                    parse_element(key, json!({ field.clone(): max })).is_ok(),
                    "{name}.{field} = {max}"
                );
                let refused = parse_element(key, json!({ field.clone(): max + 1.0 }))
                    .expect_err("one over the maximum");
                assert_eq!(fields(&refused), [field.as_str()], "{name}.{field}");
                checked += 1;
            }
        }
        assert_eq!(checked, 10, "every quantity of every element is bounded");
        let entry = |hours: f64| json!({"ce_hours": [{"category": "early_care_and_education", "clock_hours": hours, "completed_on": "2026-01-05"}]});
        assert!(parse_element(ElementKey::ContinuingEducation, entry(10_000.0)).is_ok());
        let refused = parse_element(ElementKey::ContinuingEducation, entry(10_001.0)).unwrap_err();
        assert_eq!(fields(&refused), ["ce_hours[0].clock_hours"]);
    }

    #[test]
    fn a_field_of_another_element_is_refused_with_the_fields_this_one_takes() {
        let refused = parse_element(
            ElementKey::Seminar,
            json!({"completed_on": "2026-01-05", "topics": [], "clock_hours": 2}),
        )
        .unwrap_err();
        assert_eq!(fields(&refused), ["clock_hours", "topics"]);
        assert!(
            refused
                .to_string()
                .contains("is not a field of the seminar element, which takes: completed_on")
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_named_beside_the_unknown_fields() {
        let refused = parse_element(
            ElementKey::Education,
            json!({"ece_credit_hours": "twelve", "verified": true}),
        )
        .unwrap_err();
        assert_eq!(fields(&refused), ["verified", "ece_credit_hours"]);
    }
}
