//! Training events a credentialed trainer gives (Sec. 5(2)–11), their
//! attendance (Sec. 12(1)(a)), and staff's list of late attendance.
//!
//! The wire: the length is `minutes` (Sec. 11(5): 60, 75, 90 …); the days
//! are dates (`starts_on`, `ends_on`). A roster comes as JSON
//! (`{"trainees": [...]}`) or as the sign-in sheet in CSV (`text/csv`, with
//! a header line naming the columns of [`CSV_COLUMNS`]).

use crate::http::auth::{Applicant, Staff};
use crate::http::cursor;
use crate::http::error::{ApiError, Problem};
use crate::http::extract::{ApiJson, JsonOrCsv, blocking, parse_json};
use crate::http::responses::{
    ApplicantsOnly, InvalidQuery, NotFound, ReadsJsonBody, SignedInAs, StaffOnly,
};
use crate::http::wire::list::whole_list;
use crate::http::wire::{LevelName, TopicName, rfc3339};
use crate::workflows::training_events::{self, NewEvent, RosterRow, RowSource};
use crate::workflows::{Ports, RequestContext};
use actix_web::{HttpResponse, get, post, web};
use kecs_domain::account::{DateOfBirth, PersonName, SsnLast4, parse_date};
use kecs_domain::rules::training::{Delivery, DeliveryMode};
use kecs_domain::rules::{ClockHours, TrainingPurpose};
use kecs_domain::training::{
    AttendanceRecord, EmployerAtTraining, EventPlan, Trainee, TraineeMatch, TrainingEvent,
    parse_purpose, purpose_name,
};
use kecs_domain::validation::{FieldErrors, plain_text};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{IntoParams, ToSchema};

const TEXT_MAX: usize = 200;

/// What a training counts toward (Sec. 5(2)–10(2)): `child_care_training_requirements`,
/// `cda`, `cda_final_sixty_hours`, `trainer_credential_level_1` …
/// `trainer_credential_level_5`, `trainer_credential_specialty`.
#[derive(Debug, Clone, Copy)]
pub struct PurposeName(pub TrainingPurpose);

impl<'de> Deserialize<'de> for PurposeName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        parse_purpose(&raw)
            .map(PurposeName)
            .map_err(serde::de::Error::custom)
    }
}

impl Serialize for PurposeName {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&purpose_name(self.0))
    }
}

impl utoipa::PartialSchema for PurposeName {
    fn schema() -> RefOr<Schema> {
        let mut names = vec![
            purpose_name(TrainingPurpose::ChildCareTrainingRequirements),
            purpose_name(TrainingPurpose::Cda),
            purpose_name(TrainingPurpose::CdaFinalSixtyHours),
        ];
        names.extend(
            kecs_domain::rules::Level::ALL
                .map(|level| purpose_name(TrainingPurpose::TrainerCredential(level))),
        );
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("What a training counts toward (Sec. 5(2)-10(2))"))
            .enum_values(Some(names))
            .into()
    }
}

impl ToSchema for PurposeName {}

/// A mode of delivery of a training not given face to face (Sec. 11(6)).
#[derive(Debug, Clone, Copy)]
pub struct DeliveryModeName(pub DeliveryMode);

impl<'de> Deserialize<'de> for DeliveryModeName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        DeliveryMode::parse(&raw)
            .map(DeliveryModeName)
            .map_err(serde::de::Error::custom)
    }
}

impl Serialize for DeliveryModeName {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.as_str())
    }
}

impl utoipa::PartialSchema for DeliveryModeName {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "A mode of delivery of a training not given face to face (Sec. 11(6))",
            ))
            .enum_values(Some(DeliveryMode::ALL.iter().map(|mode| mode.as_str())))
            .into()
    }
}

impl ToSchema for DeliveryModeName {}

/// How a training is delivered (Sec. 11(6)–(8)).
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliveryFields {
    /// Trainer and trainees in the same place at the same time; otherwise
    /// the training is online (alternative modes of delivery).
    pub face_to_face: bool,
    /// Online: at the same time, not the same place (otherwise
    /// asynchronous).
    #[serde(default)]
    pub synchronous: bool,
    /// Online: the combination of modes (at least two, Sec. 11(6)).
    #[serde(default)]
    pub modes: Vec<DeliveryModeName>,
    /// Synchronous: interactive modes show the participant is verifiably and
    /// actively engaged (Sec. 11(7)).
    #[serde(default)]
    pub interactive: bool,
    /// Asynchronous: a method gauges participation (Sec. 11(8)).
    #[serde(default)]
    pub gauges_participation: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingEventRequest {
    #[schema(example = "Safe sleep for infants", max_length = 200)]
    pub title: String,
    /// The sponsoring organisation.
    #[schema(example = "Frankfort Child Care Council", max_length = 200)]
    pub sponsor: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: String,
    #[schema(value_type = String, format = Date)]
    pub ends_on: String,
    /// The length in minutes: at least 60, then in 15-minute steps
    /// (Sec. 11(5)).
    #[schema(example = 90)]
    pub minutes: u32,
    pub delivery: DeliveryFields,
    /// The topics of early care and education covered (Sec. 2(5)).
    #[serde(default)]
    pub topics: Vec<TopicName>,
    /// What the training counts toward; at least one.
    pub purposes: Vec<PurposeName>,
    /// A Specialty trainer states the training is in their approved area of
    /// expertise (Sec. 10(2)).
    #[serde(default)]
    pub within_area_of_expertise: bool,
    /// The Kentucky county where a face-to-face training is held (any case;
    /// "County" may follow). Staff search the records of training by it.
    #[schema(example = "Franklin", max_length = 40)]
    pub county: Option<String>,
    /// The caller's credential they train under (Sec. 11(3)).
    #[schema(example = "KYT-2026-000123")]
    pub credential_number: String,
    /// Credential numbers of the co-trainers.
    #[serde(default)]
    pub co_trainers: Vec<String>,
}

fn text(errors: &mut FieldErrors, field: &str, raw: &str) -> String {
    errors
        .check(field, plain_text(raw, TEXT_MAX))
        .unwrap_or_default()
}

impl TrainingEventRequest {
    fn parse(self) -> Result<NewEvent, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = text(&mut errors, "title", &self.title);
        let sponsor = text(&mut errors, "sponsor", &self.sponsor);
        let starts_on = errors.check("starts_on", parse_date(&self.starts_on));
        let ends_on = errors.check("ends_on", parse_date(&self.ends_on));
        if let (Some(starts), Some(ends)) = (starts_on, ends_on)
            && ends < starts
        {
            errors.push("ends_on", "must not be before starts_on");
        }
        if self.purposes.is_empty() {
            errors.push("purposes", "must name at least one purpose");
        }
        let county = self.county.as_deref().and_then(|county| {
            errors.check("county", kecs_domain::training::County::parse(county))
        });
        let credential_number = text(&mut errors, "credential_number", &self.credential_number);
        let co_trainer_numbers: Vec<String> = self
            .co_trainers
            .iter()
            .enumerate()
            .map(|(i, number)| text(&mut errors, &format!("co_trainers[{i}]"), number))
            .collect();
        errors.clone().into_result()?;
        let (Some(starts_on), Some(ends_on)) = (starts_on, ends_on) else {
            return Err(errors);
        };
        Ok(NewEvent {
            credential_number,
            co_trainer_numbers,
            plan: EventPlan {
                title,
                sponsor,
                starts_on,
                ends_on,
                length: ClockHours::from_minutes(self.minutes),
                delivery: Delivery {
                    face_to_face: self.delivery.face_to_face,
                    synchronous: self.delivery.synchronous,
                    modes: self.delivery.modes.iter().map(|m| m.0).collect(),
                    interactive: self.delivery.interactive,
                    gauges_participation: self.delivery.gauges_participation,
                },
                topics: self.topics.iter().map(|t| t.0).collect(),
                purposes: self.purposes.iter().map(|p| p.0).collect(),
                within_area_of_expertise: self.within_area_of_expertise,
                county,
            },
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct CoTrainerBody {
    pub credential_number: String,
    pub level: LevelName,
}

/// Where the attendance of an event stands (Sec. 12(1)(a)).
#[derive(Serialize, ToSchema)]
pub struct AttendanceStatusBody {
    /// The last day to enter it in time: ten days after the training ends.
    #[schema(value_type = String, format = Date)]
    pub due_on: String,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub entered_at: Option<String>,
    /// Entered after `due_on`.
    pub late: bool,
    /// Not entered and `due_on` has passed.
    pub missing: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TrainingEventBody {
    pub id: String,
    pub title: String,
    pub sponsor: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: String,
    #[schema(value_type = String, format = Date)]
    pub ends_on: String,
    pub minutes: u32,
    /// The same length in clock hours, e.g. 1.25.
    pub clock_hours: f64,
    pub delivery: DeliveryFields,
    /// Not face to face (Sec. 11(11) limits repeating it).
    pub online: bool,
    pub topics: Vec<TopicName>,
    pub purposes: Vec<PurposeName>,
    pub within_area_of_expertise: bool,
    /// Where a face-to-face training was held.
    #[schema(example = "Franklin")]
    pub county: Option<&'static str>,
    /// The lead trainer's credential.
    pub credential_number: String,
    pub trainer_level: LevelName,
    pub co_trainers: Vec<CoTrainerBody>,
    pub attendance: AttendanceStatusBody,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: String,
}

impl TrainingEventBody {
    pub(crate) fn of(event: &TrainingEvent, today: chrono::NaiveDate) -> Self {
        let plan = &event.plan;
        Self {
            id: event.id.clone(),
            title: plan.title.clone(),
            sponsor: plan.sponsor.clone(),
            starts_on: plan.starts_on.to_string(),
            ends_on: plan.ends_on.to_string(),
            minutes: plan.length.minutes(),
            clock_hours: plan.length.as_hours(),
            delivery: DeliveryFields {
                face_to_face: plan.delivery.face_to_face,
                synchronous: plan.delivery.synchronous,
                modes: plan
                    .delivery
                    .modes
                    .iter()
                    .copied()
                    .map(DeliveryModeName)
                    .collect(),
                interactive: plan.delivery.interactive,
                gauges_participation: plan.delivery.gauges_participation,
            },
            online: plan.is_online(),
            topics: plan.topics.iter().copied().map(TopicName).collect(),
            purposes: plan.purposes.iter().copied().map(PurposeName).collect(),
            within_area_of_expertise: plan.within_area_of_expertise,
            county: plan.county.map(kecs_domain::training::County::name),
            credential_number: event.credential_number.clone(),
            trainer_level: LevelName(event.trainer_level),
            co_trainers: event
                .co_trainers
                .iter()
                .map(|c| CoTrainerBody {
                    credential_number: c.credential_number.clone(),
                    level: LevelName(c.level),
                })
                .collect(),
            attendance: AttendanceStatusBody {
                due_on: event.attendance_due_on().to_string(),
                entered_at: event.attendance_entered_at.map(rfc3339),
                late: event.attendance_late,
                missing: event.attendance_missing(today),
            },
            created_at: rfc3339(event.created_at),
        }
    }
}

/// Records a training event the caller leads, under their current
/// credential, checked against what every trainer on it may train
/// (Sec. 5(2)–10(3)), its length (11(5)) and delivery (11(6)–(8)). A
/// refusal (`training_refused`) lists every unmet rule in `errors`, each
/// with its `rule` and `citation`.
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    request_body = TrainingEventRequest,
    responses(
        (status = 201, description = "Recorded", body = TrainingEventBody),
        ReadsJsonBody,
        SignedInAs<ApplicantsOnly>,
        (status = 422, description = "A field is invalid (`validation_failed`), or the training breaks rules of 922 KAR 2:240 (`training_refused`, each in `errors` with `rule` and `citation`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/training-events")]
pub async fn create_training_event(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    body: ApiJson<TrainingEventRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = body.0.parse()?;
    let today = ctx.now.date();
    let event =
        blocking(move || training_events::create(&state, &ctx, &applicant.0.account_id, &new))
            .await?;
    Ok(HttpResponse::Created().json(TrainingEventBody::of(&event, today)))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// At most this many (1-100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TrainingEventPage {
    pub items: Vec<TrainingEventBody>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The events the caller leads or co-trains, newest recorded first.
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of events", body = TrainingEventPage),
        SignedInAs<ApplicantsOnly>,
        (status = 422, response = InvalidQuery),
    )
)]
#[get("/training-events")]
pub async fn list_training_events(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let mut errors = FieldErrors::new();
    let (limit, after) = cursor::page_request(
        query.limit,
        query.cursor.as_deref(),
        cursor::decode_at,
        &mut errors,
    );
    errors.into_result()?;
    let today = ctx.now.date();
    let events = blocking(move || {
        training_events::events(&state, &applicant.0.account_id, after.as_ref(), limit + 1)
    })
    .await?;
    let (page, next_cursor) = cursor::page_of(events, limit, |event| {
        Some(cursor::encode_at(event.created_at, &event.id))
    });
    Ok(HttpResponse::Ok().json(TrainingEventPage {
        items: page
            .iter()
            .map(|event| TrainingEventBody::of(event, today))
            .collect(),
        next_cursor,
    }))
}

/// An event the caller leads or co-trains; anyone else's is 404.
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The event's id")),
    responses(
        (status = 200, description = "The event", body = TrainingEventBody),
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
    )
)]
#[get("/training-events/{id}")]
pub async fn get_training_event(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let today = ctx.now.date();
    let event =
        blocking(move || training_events::event(&state, &applicant.0.account_id, &id)).await?;
    Ok(HttpResponse::Ok().json(TrainingEventBody::of(&event, today)))
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployerFields {
    /// The trainee's employer when trained.
    pub name: String,
    /// The trainer's own child care center or family child care home
    /// (Sec. 11(1)).
    pub works_at_trainers_centre: bool,
    /// A Head Start program (42 U.S.C. 9831-9852): lifts the same-centre
    /// restriction.
    pub head_start_program: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TraineeRequest {
    pub first_name: String,
    pub last_name: String,
    #[schema(value_type = String, format = Date)]
    pub date_of_birth: String,
    /// With name and date of birth, matches the trainee to a person on
    /// record; never stored or shown.
    #[schema(example = "1234")]
    pub ssn_last4: Option<String>,
    pub employer: EmployerFields,
    /// Sec. 11(11)(b): the state agency's or employer's directive that
    /// requires repeating an online training within five years.
    pub disciplinary_directive: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RosterRequest {
    pub trainees: Vec<TraineeRequest>,
}

/// The columns of a CSV sign-in sheet, named in its header line: the
/// fields of a JSON trainee, with `employer_name`,
/// `works_at_trainers_centre` and `head_start_program` for the employer
/// (`yes`/`no`, `true`/`false`, empty for no). `ssn_last4` and
/// `disciplinary_directive` may be left empty.
pub const CSV_COLUMNS: [&str; 8] = [
    "first_name",
    "last_name",
    "date_of_birth",
    "ssn_last4",
    "employer_name",
    "works_at_trainers_centre",
    "head_start_program",
    "disciplinary_directive",
];

/// One row's text, from either format.
pub(crate) struct RawTrainee {
    source: RowSource,
    first_name: String,
    last_name: String,
    date_of_birth: String,
    ssn_last4: Option<String>,
    employer_name: String,
    works_at_trainers_centre: Result<bool, String>,
    head_start_program: Result<bool, String>,
    disciplinary_directive: Option<String>,
}

fn optional(raw: Option<String>) -> Option<String> {
    raw.filter(|value| !value.trim().is_empty())
}

impl RawTrainee {
    pub(crate) fn parse(
        self,
        today: chrono::NaiveDate,
        errors: &mut FieldErrors,
    ) -> Option<RosterRow> {
        let field = |name: &str| self.source.field(name);
        let before = errors.iter().count();
        let first_name = errors.check(&field("first_name"), PersonName::parse(&self.first_name));
        let last_name = errors.check(&field("last_name"), PersonName::parse(&self.last_name));
        let date_of_birth = errors.check(
            &field("date_of_birth"),
            DateOfBirth::parse(&self.date_of_birth, today),
        );
        let ssn_last4 = match optional(self.ssn_last4.clone()) {
            Some(raw) => errors.check(&field("ssn_last4"), SsnLast4::parse(&raw)),
            None => None,
        };
        let employer_name = errors.check(
            &field("employer.name"),
            plain_text(&self.employer_name, TEXT_MAX),
        );
        let mut flag = |name: &str, value: &Result<bool, String>| match value {
            Ok(flag) => *flag,
            Err(message) => {
                errors.push(field(name), message.clone());
                false
            }
        };
        let works_at_trainers_centre = flag(
            "employer.works_at_trainers_centre",
            &self.works_at_trainers_centre,
        );
        let head_start_program = flag("employer.head_start_program", &self.head_start_program);
        let disciplinary_directive = match optional(self.disciplinary_directive.clone()) {
            Some(raw) => errors
                .check(&field("disciplinary_directive"), plain_text(&raw, TEXT_MAX))
                .map(Some),
            None => Some(None),
        };
        if errors.iter().count() > before {
            return None;
        }
        Some(RosterRow {
            source: self.source,
            trainee: Trainee {
                first_name: first_name?.as_str().to_owned(),
                last_name: last_name?.as_str().to_owned(),
                date_of_birth: date_of_birth?.date(),
                employer: EmployerAtTraining {
                    name: employer_name?,
                    works_at_trainers_centre,
                    head_start_program,
                },
                disciplinary_directive: disciplinary_directive?,
            },
            ssn_last4,
        })
    }
}

pub(crate) fn json_rows(body: &[u8]) -> Result<Vec<RawTrainee>, ApiError> {
    let roster: RosterRequest = parse_json(body)?;
    Ok(roster
        .trainees
        .into_iter()
        .enumerate()
        .map(|(index, t)| RawTrainee {
            source: RowSource::Json(index),
            first_name: t.first_name,
            last_name: t.last_name,
            date_of_birth: t.date_of_birth,
            ssn_last4: t.ssn_last4,
            employer_name: t.employer.name,
            works_at_trainers_centre: Ok(t.employer.works_at_trainers_centre),
            head_start_program: Ok(t.employer.head_start_program),
            disciplinary_directive: t.disciplinary_directive,
        })
        .collect())
}

fn yes_no(raw: &str) -> Result<bool, String> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "" | "no" | "n" | "false" | "0" => Ok(false),
        "yes" | "y" | "true" | "1" => Ok(true),
        _ => Err("must be yes or no".to_owned()),
    }
}

/// The sign-in sheet: a header line naming [`CSV_COLUMNS`] (any order;
/// the two optional ones may be left out), then one trainee a line.
pub(crate) fn csv_rows(body: &[u8]) -> Result<Vec<RawTrainee>, ApiError> {
    let text =
        std::str::from_utf8(body).map_err(|_| ApiError::field("body", "must be UTF-8 text"))?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ApiError::field("line 1", format!("is not a CSV header: {e}")))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let mut missing = FieldErrors::new();
    for required in CSV_COLUMNS
        .iter()
        .filter(|c| !matches!(**c, "ssn_last4" | "disciplinary_directive"))
    {
        if column(required).is_none() {
            missing.push("line 1", format!("has no column {required}"));
        }
    }
    missing.into_result()?;
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = record
            .map_err(|e| ApiError::field(&format!("line {line}"), format!("is not CSV: {e}")))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let get = |name: &str| {
            column(name)
                .and_then(|at| record.get(at))
                .unwrap_or("")
                .to_owned()
        };
        rows.push(RawTrainee {
            source: RowSource::Csv(line),
            first_name: get("first_name"),
            last_name: get("last_name"),
            date_of_birth: get("date_of_birth"),
            ssn_last4: Some(get("ssn_last4")),
            employer_name: get("employer_name"),
            works_at_trainers_centre: yes_no(&get("works_at_trainers_centre")),
            head_start_program: yes_no(&get("head_start_program")),
            disciplinary_directive: Some(get("disciplinary_directive")),
        });
    }
    Ok(rows)
}

/// How a row was matched: to a person on record, or as a new participant.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchedAs {
    PersonOnRecord,
    NewParticipant,
}

/// A trainee as entered. The SSN's digits are never kept or shown.
#[derive(Serialize, ToSchema)]
pub struct AttendanceBody {
    pub id: String,
    /// The row's place on the roster, from 1.
    pub line: u32,
    pub first_name: String,
    pub last_name: String,
    pub employer: EmployerFields,
    pub disciplinary_directive: Option<String>,
    pub matched: MatchedAs,
    /// The matched person's account, if they have one.
    pub account_id: Option<String>,
    pub minutes: u32,
    #[schema(value_type = String, format = DateTime)]
    pub entered_at: String,
    /// Entered after the ten days of Sec. 12(1)(a).
    pub late: bool,
}

impl From<&AttendanceRecord> for AttendanceBody {
    fn from(row: &AttendanceRecord) -> Self {
        let (matched, account_id) = match &row.matched {
            TraineeMatch::OnRecord { account_id, .. } => {
                (MatchedAs::PersonOnRecord, account_id.clone())
            }
            TraineeMatch::NewParticipant => (MatchedAs::NewParticipant, None),
        };
        Self {
            id: row.id.clone(),
            line: row.line,
            first_name: row.trainee.first_name.clone(),
            last_name: row.trainee.last_name.clone(),
            employer: EmployerFields {
                name: row.trainee.employer.name.clone(),
                works_at_trainers_centre: row.trainee.employer.works_at_trainers_centre,
                head_start_program: row.trainee.employer.head_start_program,
            },
            disciplinary_directive: row.trainee.disciplinary_directive.clone(),
            matched,
            account_id,
            minutes: row.clock_hours.minutes(),
            entered_at: rfc3339(row.entered_at),
            late: row.late,
        }
    }
}

whole_list! {
    /// The roster of a training event, in its order.
    Roster of AttendanceBody;
}

/// Enters the whole roster of an event the caller leads, once, after the
/// training ended: JSON (`RosterRequest`) or the sign-in sheet as
/// `text/csv`, at most 1 MiB (several thousand trainees; more is 413).
/// Every bad row is reported at once, by field
/// (`trainees[3].date_of_birth`) or line (`line 4: date_of_birth`), and
/// nothing is saved unless all are good. Rows break rules of Sec. 11(1)
/// (same centre, unless Head Start) and 11(11) (an online training
/// repeated within five years without a directive). Entered after the ten
/// days of Sec. 12(1)(a) the roster is kept, marked late.
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The event's id")),
    request_body(content(
        (RosterRequest = "application/json"),
        (String = "text/csv", example = "first_name,last_name,date_of_birth,ssn_last4,employer_name,works_at_trainers_centre,head_start_program,disciplinary_directive\nAnn,Lee,1990-01-31,1234,Little Acorns,no,no,\n"),
    )),
    responses(
        (status = 201, description = "Entered", body = Roster),
        ReadsJsonBody,
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "Already entered (`attendance_already_entered`), or the training has not ended (`training_not_ended`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Rows are invalid (`validation_failed`) or break rules (`attendance_refused`, each with `rule` and `citation`); every one is listed in `errors`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/training-events/{id}/attendance")]
pub async fn enter_attendance(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
    body: JsonOrCsv,
) -> Result<HttpResponse, ApiError> {
    let raw = match &body {
        JsonOrCsv::Json(bytes) => json_rows(bytes)?,
        JsonOrCsv::Csv(bytes) => csv_rows(bytes)?,
    };
    let today = ctx.now.date();
    let mut invalid = FieldErrors::new();
    let rows: Vec<RosterRow> = raw
        .into_iter()
        .filter_map(|row| row.parse(today, &mut invalid))
        .collect();
    let id = path.into_inner();
    let (_, entered) = blocking(move || {
        training_events::enter_attendance(
            &state,
            &ctx,
            &applicant.0.account_id,
            &id,
            &rows,
            invalid,
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(Roster::whole(
        entered.iter().map(AttendanceBody::from).collect(),
    )))
}

/// The roster of an event the caller leads or co-trains.
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The event's id")),
    responses(
        (status = 200, description = "The roster; empty until entered", body = Roster),
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
    )
)]
#[get("/training-events/{id}/attendance")]
pub async fn get_attendance(
    state: web::Data<Ports>,
    applicant: Applicant,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let (_, rows) =
        blocking(move || training_events::roster(&state, &applicant.0.account_id, &id)).await?;
    Ok(HttpResponse::Ok().json(Roster::whole(
        rows.iter().map(AttendanceBody::from).collect(),
    )))
}

/// An event on staff's list, with its lead trainer's account.
#[derive(Serialize, ToSchema)]
pub struct LateAttendanceBody {
    #[serde(flatten)]
    pub event: TrainingEventBody,
    pub trainer_account_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct LateAttendancePage {
    pub items: Vec<LateAttendanceBody>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// Events whose attendance was entered after the ten days of
/// Sec. 12(1)(a), or is still missing past them; oldest training first.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of events", body = LateAttendancePage),
        SignedInAs<StaffOnly>,
        (status = 422, response = InvalidQuery),
    )
)]
#[get("/review/training-events/late-attendance")]
pub async fn late_attendance(
    state: web::Data<Ports>,
    ctx: RequestContext,
    _staff: Staff,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let mut errors = FieldErrors::new();
    let (limit, after) = cursor::page_request(
        query.limit,
        query.cursor.as_deref(),
        |raw| {
            let (day, id) = cursor::decode(raw)?;
            Some((parse_date(&day).ok()?, id))
        },
        &mut errors,
    );
    errors.into_result()?;
    let today = ctx.now.date();
    let events = blocking(move || {
        training_events::late_attendance(&state, today, after.as_ref(), limit + 1)
    })
    .await?;
    let (page, next_cursor) = cursor::page_of(events, limit, |event| {
        Some(cursor::encode(&event.plan.ends_on.to_string(), &event.id))
    });
    Ok(HttpResponse::Ok().json(LateAttendancePage {
        items: page
            .iter()
            .map(|event| LateAttendanceBody {
                event: TrainingEventBody::of(event, today),
                trainer_account_id: event.trainer_account_id.clone(),
            })
            .collect(),
        next_cursor,
    }))
}
