//! Review: the specialists' queue, assignment, decisions; credentials.

use super::applications::ApplicationSummaryBody;
use crate::auth::{Applicant, Caller, Staff};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, blocking};
use crate::services::RequestContext;
use crate::services::review;
use crate::state::AppState;
use crate::wire::LevelName;
use actix_web::{HttpResponse, get, post, web};
use kecs_domain::application::ElementKey;
use kecs_domain::validation::FieldErrors;
use kecs_persistence::repo::credentials::Credential;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct CredentialBody {
    #[schema(example = "KYT-2026-000123")]
    pub number: String,
    pub level: LevelName,
    #[schema(value_type = String, format = Date)]
    pub issued_on: String,
    /// Three years after issue.
    #[schema(value_type = String, format = Date)]
    pub expires_on: String,
    /// `active`, `expired`, `revoked`.
    #[schema(example = "active")]
    pub status: String,
    /// Level 1 is not renewable (Sec. 13(1)(b)).
    pub renewable: bool,
}

impl From<&Credential> for CredentialBody {
    fn from(c: &Credential) -> Self {
        Self {
            number: c.number.clone(),
            level: LevelName(c.level),
            issued_on: c.issued_on.to_string(),
            expires_on: c.expires_on.to_string(),
            status: c.status.clone(),
            renewable: c.renewable,
        }
    }
}

/// Submitted applications awaiting a specialist, oldest first.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The queue", body = Vec<ApplicationSummaryBody>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only certification specialists and admins review", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/review/queue")]
pub async fn review_queue(
    state: web::Data<AppState>,
    _staff: Staff,
) -> Result<HttpResponse, ApiError> {
    let queue = blocking(move || review::queue(&state, 100)).await?;
    Ok(HttpResponse::Ok().json(
        queue
            .iter()
            .map(ApplicationSummaryBody::from)
            .collect::<Vec<_>>(),
    ))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// Admins name the specialist; a specialist assigns themself (omit it).
    pub specialist_id: Option<String>,
}

/// Assigns a submitted application for review: it becomes `pending_review`.
/// Admins may also re-assign one under review.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The application id")),
    request_body = AssignRequest,
    responses(
        (status = 200, description = "Assigned", body = ApplicationSummaryBody),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Applicants do not review; specialists assign only themselves", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state that can be assigned", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The named account is not a specialist", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/review/applications/{id}/assign")]
pub async fn assign_application(
    state: web::Data<AppState>,
    ctx: RequestContext,
    staff: Staff,
    path: web::Path<String>,
    body: ApiJson<AssignRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let specialist = body.0.specialist_id;
    let application =
        blocking(move || review::assign(&state, &ctx, &staff.0, &id, specialist.as_deref()))
            .await?;
    Ok(HttpResponse::Ok().json(ApplicationSummaryBody::from(&application)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Deficiency {
    /// The element key.
    #[schema(example = "topics")]
    pub element: String,
    pub message: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnRequest {
    pub deficiencies: Vec<Deficiency>,
}

/// Returns the application to the applicant as deficient, saying what each
/// element lacks; Character & Fitness must be entered again.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The application id")),
    request_body = ReturnRequest,
    responses(
        (status = 200, description = "Returned", body = ApplicationSummaryBody),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the assigned specialist decides", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or an element it does not have", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not under review, or assigned to another specialist", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No deficiencies, or an unknown element", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/review/applications/{id}/return")]
pub async fn return_application(
    state: web::Data<AppState>,
    ctx: RequestContext,
    staff: Staff,
    path: web::Path<String>,
    body: ApiJson<ReturnRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::new();
    let mut deficiencies = Vec::new();
    if body.0.deficiencies.is_empty() {
        errors.push(
            "deficiencies",
            "must name at least one element and what it lacks",
        );
    }
    for (i, d) in body.0.deficiencies.iter().enumerate() {
        let message = d.message.trim();
        match ElementKey::parse(&d.element) {
            None => errors.push(format!("deficiencies[{i}].element"), "is not an element"),
            Some(_)
                if message.is_empty()
                    || message.chars().count() > 1000
                    || message.contains('<') =>
            {
                errors.push(
                    format!("deficiencies[{i}].message"),
                    "must say what is lacking, in 1 to 1000 plain characters",
                )
            }
            Some(key) => deficiencies.push((key, message.to_owned())),
        }
    }
    errors.into_result()?;
    let id = path.into_inner();
    let application =
        blocking(move || review::return_deficient(&state, &ctx, &staff.0, &id, &deficiencies))
            .await?;
    Ok(HttpResponse::Ok().json(ApplicationSummaryBody::from(&application)))
}

/// Approves the application and awards the credential (Sec. 3(3)).
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The application id")),
    responses(
        (status = 201, description = "Approved: the credential awarded", body = CredentialBody),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the assigned specialist decides", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not under review, or assigned to another specialist", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/review/applications/{id}/approve")]
pub async fn approve_application(
    state: web::Data<AppState>,
    ctx: RequestContext,
    staff: Staff,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let credential = blocking(move || review::approve(&state, &ctx, &staff.0, &id)).await?;
    Ok(HttpResponse::Created().json(CredentialBody::from(&credential)))
}

/// Resubmits a deficient application once its required elements are
/// complete again; it is not paid for again.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The application id")),
    responses(
        (status = 200, description = "Resubmitted", body = ApplicationSummaryBody),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Staff do not resubmit", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not deficient, or required elements incomplete (listed)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/applications/{id}/resubmit")]
pub async fn resubmit_application(
    state: web::Data<AppState>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let application =
        blocking(move || review::resubmit(&state, &ctx, &applicant.0.account_id, &id)).await?;
    Ok(HttpResponse::Ok().json(ApplicationSummaryBody::from(&application)))
}

/// The applicant's credentials.
#[utoipa::path(
    tag = "credentials",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Credentials held, newest first", body = Vec<CredentialBody>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Staff hold no credentials here", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/credentials")]
pub async fn my_credentials(
    state: web::Data<AppState>,
    applicant: Applicant,
) -> Result<HttpResponse, ApiError> {
    let held = blocking(move || review::my_credentials(&state, &applicant.0.account_id)).await?;
    Ok(HttpResponse::Ok().json(held.iter().map(CredentialBody::from).collect::<Vec<_>>()))
}

/// A credential, to its holder or staff.
#[utoipa::path(
    tag = "credentials",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "The credential number, e.g. KYT-2026-000123")),
    responses(
        (status = 200, description = "The credential", body = CredentialBody),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such credential of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/credentials/{number}")]
pub async fn get_credential(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let number = path.into_inner();
    let credential = blocking(move || review::credential(&state, &caller, &number)).await?;
    Ok(HttpResponse::Ok().json(CredentialBody::from(&credential)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DenialReason {
    /// The clause the denial rests on.
    #[schema(example = "922 KAR 2:240 Section 5(1)")]
    pub citation: String,
    pub message: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DenyRequest {
    pub reasons: Vec<DenialReason>,
}

#[derive(Serialize, ToSchema)]
pub struct DeniedBody {
    /// The last day the applicant may request a review (Sec. 14(3)).
    #[schema(value_type = String, format = Date)]
    pub review_request_deadline: String,
}

/// Denies the application, each reason citing the regulation; the applicant
/// may request a review within 10 days.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The application id")),
    request_body = DenyRequest,
    responses(
        (status = 200, description = "Denied", body = DeniedBody),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the assigned specialist decides", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not under review, or assigned to another specialist", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reasons, or a reason without a citation of 922 KAR 2:240", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/review/applications/{id}/deny")]
pub async fn deny_application(
    state: web::Data<AppState>,
    ctx: RequestContext,
    staff: Staff,
    path: web::Path<String>,
    body: ApiJson<DenyRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::new();
    if body.0.reasons.is_empty() {
        errors.push(
            "reasons",
            "must give at least one reason, citing the regulation",
        );
    }
    let mut reasons = Vec::new();
    for (i, reason) in body.0.reasons.iter().enumerate() {
        let citation = reason.citation.trim();
        let message = reason.message.trim();
        if !citation.starts_with("922 KAR 2:240 Section ") || citation.len() > 80 {
            errors.push(
                format!("reasons[{i}].citation"),
                "must cite the regulation, e.g. 922 KAR 2:240 Section 5(1)",
            );
        }
        if message.is_empty() || message.chars().count() > 1000 || message.contains('<') {
            errors.push(
                format!("reasons[{i}].message"),
                "must explain the reason in 1 to 1000 plain characters",
            );
        }
        reasons.push((citation.to_owned(), message.to_owned()));
    }
    errors.into_result()?;
    let id = path.into_inner();
    let deadline = blocking(move || review::deny(&state, &ctx, &staff.0, &id, &reasons)).await?;
    Ok(HttpResponse::Ok().json(DeniedBody {
        review_request_deadline: deadline.to_string(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DenialReviewRequest {
    /// Why the decision should be reviewed.
    pub statement: String,
}

#[derive(Serialize, ToSchema)]
pub struct DenialReviewBody {
    /// When the written order is due (30 days, Sec. 14(3)(c)).
    #[schema(value_type = String, format = Date)]
    pub order_due_on: String,
}

/// Requests a review of a denial: within 10 days of it (Sec. 14(3)).
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The application id")),
    request_body = DenialReviewRequest,
    responses(
        (status = 201, description = "Requested", body = DenialReviewBody),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Staff do not request reviews", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not denied, or already requested", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Too late (with the clause), or no statement", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/applications/{id}/denial-review")]
pub async fn request_denial_review(
    state: web::Data<AppState>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
    body: ApiJson<DenialReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let statement = body.0.statement.trim().to_owned();
    if statement.is_empty() || statement.chars().count() > 5000 || statement.contains('<') {
        return Err(ApiError::field(
            "statement",
            "must say why, in 1 to 5000 plain characters",
        ));
    }
    let id = path.into_inner();
    let due = blocking(move || {
        review::request_denial_review(&state, &ctx, &applicant.0.account_id, &id, &statement)
    })
    .await?;
    Ok(HttpResponse::Created().json(DenialReviewBody {
        order_due_on: due.to_string(),
    }))
}
