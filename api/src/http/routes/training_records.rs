//! The records of training: staff search every event (by trainer, date,
//! topic and county) and export a trainer's records as CSV; a trainer
//! exports their own (Sec. 11(2), (10), 12(1)(b)–(c)).

use super::training_events::TrainingEventBody;
use crate::http::auth::{Applicant, Staff};
use crate::http::cursor;
use crate::http::error::ApiError;
use crate::http::extract::blocking;
use crate::http::responses::{ApplicantsOnly, InvalidQuery, NotFound, SignedInAs, StaffOnly};
use crate::workflows::training_records::{self, EventSearch};
use crate::workflows::{Ports, RequestContext};
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, web};
use kecs_domain::account::parse_date;
use kecs_domain::rules::Topic;
use kecs_domain::training::{AttendanceRecord, County, TraineeMatch, TrainingEvent, purpose_name};
use kecs_domain::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct EventSearchQuery {
    /// A trainer's credential number: the events they lead or co-train.
    #[param(example = "KYT-2026-000123", max_length = 40)]
    pub trainer: Option<String>,
    /// Events starting on or after this day.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Events starting on or before this day.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
    /// A topic of Sec. 2(5), as the contract names it.
    #[param(example = "health_safety_nutrition")]
    pub topic: Option<String>,
    /// A Kentucky county (any case).
    #[param(example = "Franklin", max_length = 40)]
    pub county: Option<String>,
    /// At most this many (1-100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EventSearchPage {
    pub items: Vec<TrainingEventBody>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl EventSearchQuery {
    fn parse(&self, errors: &mut FieldErrors) -> EventSearch {
        let date = |errors: &mut FieldErrors, field: &str, raw: &Option<String>| {
            raw.as_deref()
                .and_then(|raw| errors.check(field, parse_date(raw)))
        };
        let from = date(errors, "from", &self.from);
        let to = date(errors, "to", &self.to);
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            errors.push("to", "must not be before from");
        }
        let topic = self.topic.as_deref().and_then(|raw| {
            let topic = Topic::parse(raw).ok();
            if topic.is_none() {
                errors.push("topic", "is not a topic of Sec. 2(5)");
            }
            topic
        });
        let county = self
            .county
            .as_deref()
            .and_then(|raw| errors.check("county", County::parse(raw)));
        let trainer = self.trainer.as_deref().map(str::trim).map(str::to_owned);
        if trainer
            .as_deref()
            .is_some_and(|t| t.is_empty() || t.len() > 40)
        {
            errors.push("trainer", "must be a credential number");
        }
        EventSearch {
            trainer_credential: trainer,
            from,
            to,
            topic,
            county,
        }
    }
}

/// Every training event on record matching the search, latest start first
/// (specialists and admins).
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(EventSearchQuery),
    responses(
        (status = 200, description = "A page of events", body = EventSearchPage),
        SignedInAs<StaffOnly>,
        (status = 422, response = InvalidQuery),
    )
)]
#[get("/review/training-events")]
pub async fn search_events(
    state: web::Data<Ports>,
    ctx: RequestContext,
    _staff: Staff,
    query: web::Query<EventSearchQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::new();
    let search = query.parse(&mut errors);
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
    let events =
        blocking(move || training_records::search(&state, &search, after.as_ref(), limit + 1))
            .await?;
    let (page, next_cursor) = cursor::page_of(events, limit, |event| {
        Some(cursor::encode(&event.plan.starts_on.to_string(), &event.id))
    });
    Ok(HttpResponse::Ok().json(EventSearchPage {
        items: page
            .iter()
            .map(|event| TrainingEventBody::of(event, today))
            .collect(),
        next_cursor,
    }))
}

/// The columns of a records export, one row per trainee (an event without
/// attendance has one row with the trainee columns empty).
const COLUMNS: [&str; 22] = [
    "event_id",
    "title",
    "sponsor",
    "starts_on",
    "ends_on",
    "clock_hours",
    "delivery",
    "county",
    "topics",
    "purposes",
    "lead_credential",
    "co_trainer_credentials",
    "attendance_entered_at",
    "attendance_late",
    "line",
    "trainee_first_name",
    "trainee_last_name",
    "trainee_date_of_birth",
    "trainee_on_record",
    "employer",
    "employer_head_start",
    "disciplinary_directive",
];

fn records_csv(records: &[(TrainingEvent, Vec<AttendanceRecord>)]) -> Result<Vec<u8>, ApiError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let failed = |_| ApiError::internal("the CSV export could not be written");
    out.write_record(COLUMNS).map_err(failed)?;
    for (event, roster) in records {
        let plan = &event.plan;
        let event_columns = [
            event.id.clone(),
            plan.title.clone(),
            plan.sponsor.clone(),
            plan.starts_on.to_string(),
            plan.ends_on.to_string(),
            plan.length.to_string(),
            if plan.is_online() {
                "online"
            } else {
                "face_to_face"
            }
            .to_owned(),
            plan.county.map(County::name).unwrap_or_default().to_owned(),
            plan.topics
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            plan.purposes
                .iter()
                .map(|p| purpose_name(*p))
                .collect::<Vec<_>>()
                .join(";"),
            event.credential_number.clone(),
            event
                .co_trainers
                .iter()
                .map(|c| c.credential_number.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            event
                .attendance_entered_at
                .map(crate::http::wire::rfc3339)
                .unwrap_or_default(),
            event.attendance_late.to_string(),
        ];
        if roster.is_empty() {
            let mut row = event_columns.to_vec();
            row.resize(COLUMNS.len(), String::new());
            out.write_record(&row).map_err(failed)?;
        }
        for record in roster {
            let trainee = &record.trainee;
            let mut row = event_columns.to_vec();
            row.extend([
                record.line.to_string(),
                trainee.first_name.clone(),
                trainee.last_name.clone(),
                trainee.date_of_birth.to_string(),
                matches!(record.matched, TraineeMatch::OnRecord { .. }).to_string(),
                trainee.employer.name.clone(),
                trainee.employer.head_start_program.to_string(),
                trainee.disciplinary_directive.clone().unwrap_or_default(),
            ]);
            out.write_record(&row).map_err(failed)?;
        }
    }
    out.into_inner()
        .map_err(|_| ApiError::internal("the CSV export could not be written"))
}

fn csv_download(file_name: String, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file_name)],
        })
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(body)
}

/// A trainer's records of training as CSV: every event they led or
/// co-trained, one row per trainee with the employer at the time of
/// training (Sec. 12(1)(c); specialists and admins).
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("number" = String, Path, pattern = "^[A-Z0-9-]{1,40}$", description = "The trainer's credential number")),
    responses(
        (status = 200, description = "The records, one row per trainee", content_type = "text/csv", body = String),
        SignedInAs<StaffOnly>,
        (status = 404, response = NotFound),
    )
)]
#[get("/review/trainers/{number}/training-records")]
pub async fn trainer_records(
    state: web::Data<Ports>,
    _staff: Staff,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let number = path.into_inner();
    let file_name = format!("training-records-{number}.csv");
    let records = blocking(move || training_records::trainer_records(&state, &number)).await?;
    Ok(csv_download(file_name, records_csv(&records)?))
}

/// The caller's own records of training as CSV: every event they led,
/// one row per trainee (Sec. 12(1)(b)).
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The records, one row per trainee", content_type = "text/csv", body = String),
        SignedInAs<ApplicantsOnly>,
    )
)]
#[get("/me/training-records")]
pub async fn my_training_records(
    state: web::Data<Ports>,
    applicant: Applicant,
) -> Result<HttpResponse, ApiError> {
    let records =
        blocking(move || training_records::my_records(&state, &applicant.0.account_id)).await?;
    Ok(csv_download(
        "training-records.csv".to_owned(),
        records_csv(&records)?,
    ))
}
