//! Cabinet-approved training agencies (Sec. 18): the DCC-203, the staff
//! queue with the decisions past their 45 days, the decision, and the
//! public list by Area Development District.

use crate::http::auth::{Applicant, Caller, Staff};
use crate::http::cursor;
use crate::http::error::{ApiError, Problem};
use crate::http::extract::{ApiJson, blocking};
use crate::http::responses::{
    ApplicantsOnly, InvalidFields, InvalidQuery, NotFound, NotSignedIn, ReadsJsonBody, SignedInAs,
    StaffOnly,
};
use crate::http::wire::list::whole_list;
use crate::http::wire::{AgencyStatusName, CdaPartName, DistrictName, rfc3339};
use crate::workflows::training_agencies::{self, AgencyDetails, TraineeInput, TraineeRecord};
use crate::workflows::{Ports, RequestContext};
use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use kecs_domain::account::{DateOfBirth, EmailAddress, PersonName, PhoneNumber, parse_date};
use kecs_domain::approval::agency::{CdaInstruction, TrainingAgency};
use kecs_domain::approval::cda_instruction::Session;
use kecs_domain::rules::ClockHours;
use kecs_domain::training::County;
use kecs_domain::validation::{FieldErrors, plain_text};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The planned program instruction an agency offers (Sec. 18(3)).
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstructionFields {
    /// 18(3)(a): sixty clock hours with field-based assignments toward the
    /// Commonwealth Child Care Credential.
    pub commonwealth_child_care_credential: bool,
    /// 18(3)(b): an additional sixty clock hours within two years toward
    /// the Child Development Associate Credential.
    pub child_development_associate: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgencyRequest {
    #[schema(
        example = "Bluegrass Early Learning Institute",
        min_length = 1,
        max_length = 200
    )]
    pub name: String,
    pub district: DistrictName,
    /// The Kentucky county of the agency's address.
    #[schema(example = "Fayette", min_length = 1, max_length = 40)]
    pub county: String,
    #[schema(
        example = "200 Main St, Lexington, KY 40507",
        min_length = 1,
        max_length = 300
    )]
    pub address: String,
    #[schema(example = "info@beli.example.org", format = Email, max_length = 254)]
    pub email: String,
    #[schema(example = "859-555-0100", min_length = 7, max_length = 30)]
    pub phone: String,
    /// At least one of the two must be offered.
    pub instruction: InstructionFields,
}

impl AgencyRequest {
    fn parse(&self) -> Result<AgencyDetails, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", plain_text(&self.name, 200));
        let county = errors.check("county", County::parse(&self.county));
        let address = errors.check("address", plain_text(&self.address, 300));
        let email = errors.check("email", EmailAddress::parse(&self.email));
        let phone = errors.check("phone", PhoneNumber::parse(&self.phone));
        if !self.instruction.commonwealth_child_care_credential
            && !self.instruction.child_development_associate
        {
            errors.push(
                "instruction",
                "must offer the instruction of Sec. 18(3)(a), (b) or both",
            );
        }
        match (name, county, address, email, phone) {
            (Some(name), Some(county), Some(address), Some(email), Some(phone))
                if errors.is_empty() =>
            {
                Ok(AgencyDetails {
                    name,
                    district: self.district.0,
                    county,
                    address,
                    email: email.as_str().to_owned(),
                    phone: phone.as_e164().to_owned(),
                    instruction: CdaInstruction {
                        commonwealth_child_care_credential: self
                            .instruction
                            .commonwealth_child_care_credential,
                        child_development_associate: self.instruction.child_development_associate,
                    },
                })
            }
            _ => Err(errors),
        }
    }
}

/// An application on the DCC-203 as its applicant and staff read it.
#[derive(Serialize, ToSchema)]
pub struct AgencyBody {
    pub id: String,
    pub name: String,
    pub district: DistrictName,
    #[schema(example = "Fayette")]
    pub county: &'static str,
    pub address: String,
    #[schema(format = Email)]
    pub email: String,
    pub phone: String,
    pub instruction: InstructionFields,
    pub status: AgencyStatusName,
    #[schema(value_type = String, format = Date)]
    pub received_on: String,
    /// 45 days after receipt (Sec. 18(1)(b)).
    #[schema(value_type = String, format = Date)]
    pub decision_due_on: String,
    /// Undecided past `decision_due_on`.
    pub overdue: bool,
    #[schema(value_type = Option<String>, format = Date)]
    pub decided_on: Option<String>,
    /// The cabinet's reasons, with the decision.
    pub decision_reasons: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: String,
}

impl AgencyBody {
    fn of(agency: &TrainingAgency, today: NaiveDate) -> Self {
        Self {
            id: agency.id.clone(),
            name: agency.name.clone(),
            district: DistrictName(agency.district),
            county: agency.county.name(),
            address: agency.address.clone(),
            email: agency.email.clone(),
            phone: agency.phone.clone(),
            instruction: InstructionFields {
                commonwealth_child_care_credential: agency
                    .instruction
                    .commonwealth_child_care_credential,
                child_development_associate: agency.instruction.child_development_associate,
            },
            status: AgencyStatusName(agency.status),
            received_on: agency.received_on.to_string(),
            decision_due_on: agency.decision_due_on().to_string(),
            overdue: agency.overdue(today),
            decided_on: agency.decided_on.map(|d| d.to_string()),
            decision_reasons: agency.decision_reasons.clone(),
            created_at: rfc3339(agency.created_at),
        }
    }
}

whole_list! {
    /// The caller's applications, the latest first.
    AgencyList of AgencyBody;
}

/// Applies for an agency to become a cabinet-approved training agency
/// (DCC-203, Sec. 18(1)(a)): received today, decided within 45 days.
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    request_body = AgencyRequest,
    responses(
        (status = 201, description = "Received", body = AgencyBody, headers(("Location" = String, description = "The application"))),
        ReadsJsonBody,
        (status = 422, response = InvalidFields),
        SignedInAs<ApplicantsOnly>,
    )
)]
#[post("/training-agencies")]
pub async fn apply_for_agency(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    body: ApiJson<AgencyRequest>,
) -> Result<HttpResponse, ApiError> {
    let details = body.0.parse()?;
    let today = ctx.now.date();
    let agency =
        blocking(move || training_agencies::apply(&state, &ctx, &applicant.0.account_id, &details))
            .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/training-agencies/{}", agency.id),
        ))
        .json(AgencyBody::of(&agency, today)))
}

/// An agency's application, for the account that filed it and for staff.
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    responses(
        (status = 200, description = "The application", body = AgencyBody),
        (status = 401, response = NotSignedIn),
        (status = 404, response = NotFound),
    )
)]
#[get("/training-agencies/{id}")]
pub async fn get_agency(
    state: web::Data<Ports>,
    ctx: RequestContext,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let today = ctx.now.date();
    let agency = blocking(move || training_agencies::get(&state, &caller, &id)).await?;
    Ok(HttpResponse::Ok().json(AgencyBody::of(&agency, today)))
}

/// The caller's agency applications.
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's applications", body = AgencyList),
        SignedInAs<ApplicantsOnly>,
    )
)]
#[get("/me/training-agencies")]
pub async fn my_agencies(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
) -> Result<HttpResponse, ApiError> {
    let today = ctx.now.date();
    let found = blocking(move || training_agencies::mine(&state, &applicant.0.account_id)).await?;
    Ok(HttpResponse::Ok().json(AgencyList::whole(
        found.iter().map(|a| AgencyBody::of(a, today)).collect(),
    )))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AgencyQueueQuery {
    /// Only applications past their 45 days (Sec. 18(1)(b)).
    pub overdue: Option<bool>,
    /// At most this many (1-100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AgencyPage {
    pub items: Vec<AgencyBody>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// Agency applications awaiting a decision, the earliest due first
/// (specialists and admins); `overdue=true` lists those past 45 days.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(AgencyQueueQuery),
    responses(
        (status = 200, description = "A page of the queue", body = AgencyPage),
        SignedInAs<StaffOnly>,
        (status = 422, response = InvalidQuery),
    )
)]
#[get("/review/training-agencies")]
pub async fn agency_queue(
    state: web::Data<Ports>,
    ctx: RequestContext,
    _staff: Staff,
    query: web::Query<AgencyQueueQuery>,
) -> Result<HttpResponse, ApiError> {
    let today = ctx.now.date();
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
    let overdue_on = query.overdue.unwrap_or(false).then_some(today);
    let found =
        blocking(move || training_agencies::queue(&state, overdue_on, after, limit + 1)).await?;
    let (page, next_cursor) = cursor::page_of(found, limit, |a| {
        Some(cursor::encode(&a.decision_due_on().to_string(), &a.id))
    });
    Ok(HttpResponse::Ok().json(AgencyPage {
        items: page.iter().map(|a| AgencyBody::of(a, today)).collect(),
        next_cursor,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgencyDecisionRequest {
    /// The cabinet's reasons, as the applicant will read them.
    #[schema(
        min_length = 1,
        max_length = 5000,
        pattern = r"^[^\s<\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub reasons: String,
    /// Approval only: the reviewer confirms the decision does not rest
    /// solely on the density of approved agencies in the district
    /// (Sec. 18(2)). Required `true` to approve.
    #[serde(default)]
    pub not_solely_density: bool,
}

async fn decide(
    state: web::Data<Ports>,
    ctx: RequestContext,
    staff: Staff,
    id: String,
    body: AgencyDecisionRequest,
    approve: bool,
) -> Result<HttpResponse, ApiError> {
    let reasons = plain_text(&body.reasons, 5000).map_err(|e| ApiError::field("reasons", e.0))?;
    let today = ctx.now.date();
    let agency = blocking(move || {
        training_agencies::decide(
            &state,
            &ctx,
            &staff.0.account_id,
            &id,
            approve,
            &reasons,
            body.not_solely_density,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(AgencyBody::of(&agency, today)))
}

/// Approves the agency: it goes on the public list (Sec. 18(1)(c)). The
/// reasons are recorded, and `not_solely_density` must confirm Sec. 18(2).
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    request_body = AgencyDecisionRequest,
    responses(
        (status = 200, description = "Approved", body = AgencyBody),
        ReadsJsonBody,
        SignedInAs<StaffOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "`agency_already_decided`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reasons, or `not_solely_density` not confirmed (rule `sec18_2_not_solely_density`, Sec. 18(2))", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/review/training-agencies/{id}/approve")]
pub async fn approve_agency(
    state: web::Data<Ports>,
    ctx: RequestContext,
    staff: Staff,
    path: web::Path<String>,
    body: ApiJson<AgencyDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    decide(state, ctx, staff, path.into_inner(), body.0, true).await
}

/// Denies the agency's application with the cabinet's reasons.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    request_body = AgencyDecisionRequest,
    responses(
        (status = 200, description = "Denied", body = AgencyBody),
        ReadsJsonBody,
        (status = 422, response = InvalidFields),
        SignedInAs<StaffOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "`agency_already_decided`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/review/training-agencies/{id}/deny")]
pub async fn deny_agency(
    state: web::Data<Ports>,
    ctx: RequestContext,
    staff: Staff,
    path: web::Path<String>,
    body: ApiJson<AgencyDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    decide(state, ctx, staff, path.into_inner(), body.0, false).await
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PublicAgencyQuery {
    #[param(inline)]
    pub district: Option<DistrictName>,
    /// At most this many (1-100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// An approved agency as the public sees it: the organisation, never a
/// person.
#[derive(Serialize, ToSchema)]
pub struct PublicAgencyBody {
    pub id: String,
    pub name: String,
    pub district: DistrictName,
    #[schema(example = "Fayette")]
    pub county: &'static str,
    pub instruction: InstructionFields,
    #[schema(value_type = String, format = Date)]
    pub approved_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct PublicAgencyList {
    pub items: Vec<PublicAgencyBody>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The list of cabinet-approved training agencies (Sec. 18(1)(c)), by name,
/// optionally in one Area Development District. No account needed.
#[utoipa::path(
    tag = "public",
    params(PublicAgencyQuery),
    responses(
        (status = 200, description = "A page of approved agencies", body = PublicAgencyList),
        (status = 422, response = InvalidQuery),
    )
)]
#[get("/public/training-agencies")]
pub async fn public_agencies(
    state: web::Data<Ports>,
    query: web::Query<PublicAgencyQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::new();
    let (limit, after) = cursor::page_request(
        query.limit,
        query.cursor.as_deref(),
        |raw| cursor::decode(raw).map(|(_, id)| id),
        &mut errors,
    );
    errors.into_result()?;
    let district = query.district.map(|d| d.0);
    let found =
        blocking(move || training_agencies::approved(&state, district, after, limit + 1)).await?;
    let (page, next_cursor) =
        cursor::page_of(found, limit, |a| Some(cursor::encode("agency", &a.id)));
    Ok(HttpResponse::Ok().json(PublicAgencyList {
        items: page
            .iter()
            .map(|a| PublicAgencyBody {
                id: a.id.clone(),
                name: a.name.clone(),
                district: DistrictName(a.district),
                county: a.county.name(),
                instruction: InstructionFields {
                    commonwealth_child_care_credential: a
                        .instruction
                        .commonwealth_child_care_credential,
                    child_development_associate: a.instruction.child_development_associate,
                },
                approved_on: a.decided_on.map(|d| d.to_string()).unwrap_or_default(),
            })
            .collect(),
        next_cursor,
    }))
}

// ---- the instruction of Sec. 18(3) ------------------------------------------

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstructionSessionRequest {
    #[schema(example = "Ann", min_length = 1, max_length = 100)]
    pub first_name: String,
    #[schema(example = "Lee", min_length = 1, max_length = 100)]
    pub last_name: String,
    #[schema(value_type = String, format = Date)]
    pub date_of_birth: String,
    pub part: CdaPartName,
    /// The session's length in minutes.
    #[schema(example = 180, minimum = 1, maximum = 3600)]
    pub minutes: u32,
    /// The day it was given; not in the future.
    #[schema(value_type = String, format = Date)]
    pub given_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct InstructionSessionBody {
    pub part: CdaPartName,
    pub minutes: u32,
    #[schema(value_type = String, format = Date)]
    pub given_on: String,
}

/// A trainee's instruction at the agency (Sec. 18(3)).
#[derive(Serialize, ToSchema)]
pub struct AgencyTraineeBody {
    pub first_name: String,
    pub last_name: String,
    #[schema(value_type = String, format = Date)]
    pub date_of_birth: String,
    /// Clock hours toward the Commonwealth Child Care Credential (of 60).
    pub commonwealth_child_care_credential_hours: f64,
    /// The day the sixtieth of those hours was given.
    #[schema(value_type = Option<String>, format = Date)]
    pub commonwealth_child_care_credential_completed_on: Option<String>,
    /// The additional clock hours toward the CDA (of 60).
    pub child_development_associate_hours: f64,
    /// The last day of the two years for the additional hours.
    #[schema(value_type = Option<String>, format = Date)]
    pub child_development_associate_due_by: Option<String>,
    pub sessions: Vec<InstructionSessionBody>,
}

impl From<&TraineeRecord> for AgencyTraineeBody {
    fn from(t: &TraineeRecord) -> Self {
        Self {
            first_name: t.first_name.clone(),
            last_name: t.last_name.clone(),
            date_of_birth: t.date_of_birth.to_string(),
            commonwealth_child_care_credential_hours: t.progress.part_a.as_hours(),
            commonwealth_child_care_credential_completed_on: t
                .progress
                .part_a_completed_on
                .map(|d| d.to_string()),
            child_development_associate_hours: t.progress.part_b.as_hours(),
            child_development_associate_due_by: t.progress.part_b_due_by.map(|d| d.to_string()),
            sessions: t
                .sessions
                .iter()
                .map(|s| InstructionSessionBody {
                    part: CdaPartName(s.part),
                    minutes: s.length.minutes(),
                    given_on: s.given_on.to_string(),
                })
                .collect(),
        }
    }
}

whole_list! {
    /// An agency's trainees, by name.
    AgencyTraineeList of AgencyTraineeBody;
}

/// Records a session of the instruction of Sec. 18(3) the agency gave a
/// trainee (the agency's own account, once approved). Refused with every
/// unmet clause: past sixty hours of (a) or of (b), (b) before (a) is
/// complete or after its two years, or instruction the agency does not
/// offer.
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The agency's id")),
    request_body = InstructionSessionRequest,
    responses(
        (status = 201, description = "Recorded: the trainee's instruction so far", body = AgencyTraineeBody),
        ReadsJsonBody,
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "`agency_not_approved`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation_failed`) or a clause of Sec. 18(3) unmet (`training_refused`, each with `rule` and `citation`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/training-agencies/{id}/instruction")]
pub async fn record_instruction(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
    body: ApiJson<InstructionSessionRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = FieldErrors::new();
    let first_name = errors.check("first_name", PersonName::parse(&body.first_name));
    let last_name = errors.check("last_name", PersonName::parse(&body.last_name));
    let date_of_birth = errors.check(
        "date_of_birth",
        DateOfBirth::parse(&body.date_of_birth, ctx.now.date()),
    );
    let given_on = errors.check("given_on", parse_date(&body.given_on));
    if body.minutes == 0 || body.minutes > 3600 {
        errors.push("minutes", "must be from 1 to 3600");
    }
    errors.clone().into_result()?;
    let (Some(first_name), Some(last_name), Some(date_of_birth), Some(given_on)) =
        (first_name, last_name, date_of_birth, given_on)
    else {
        return Err(errors.into());
    };
    let trainee = TraineeInput {
        first_name: first_name.as_str().to_owned(),
        last_name: last_name.as_str().to_owned(),
        date_of_birth: date_of_birth.date(),
    };
    let session = Session {
        part: body.part.0,
        length: ClockHours::from_minutes(body.minutes),
        given_on,
    };
    let id = path.into_inner();
    let record = blocking(move || {
        training_agencies::record_session(
            &state,
            &ctx,
            &applicant.0.account_id,
            &id,
            &trainee,
            session,
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(AgencyTraineeBody::from(&record)))
}

/// The agency's trainees and their instruction (the agency's account and
/// staff).
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The agency's id")),
    responses(
        (status = 200, description = "The trainees", body = AgencyTraineeList),
        (status = 401, response = NotSignedIn),
        (status = 404, response = NotFound),
    )
)]
#[get("/training-agencies/{id}/trainees")]
pub async fn agency_trainees(
    state: web::Data<Ports>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let found = blocking(move || training_agencies::trainees(&state, &caller, &id)).await?;
    Ok(HttpResponse::Ok().json(AgencyTraineeList::whole(
        found.iter().map(AgencyTraineeBody::from).collect(),
    )))
}
