//! Review: the specialists' queue, assignment, decisions; credentials.

use super::applications::{ApplicationProgressBody, ApplicationSummaryBody};
use super::attachments::AttachmentBody;
use crate::http::auth::{Applicant, Staff};
use crate::http::cursor;
use crate::http::error::{ApiError, Problem};
use crate::http::extract::{ApiJson, OptionalApiJson, blocking};
use crate::http::responses::{
    ApplicantsOnly, InvalidQuery, NotFound, NotSignedIn, ReadsJsonBody, SignedInAs, StaffOnly,
};
use crate::http::wire::{ElementKeyName, LevelName};
use crate::workflows::Ports;
use crate::workflows::RequestContext;
use crate::workflows::review;
use actix_web::{HttpResponse, get, post, web};
use kecs_domain::application::{ApplicationStatus, ElementKey, ReviewQueueFilter};
use kecs_domain::validation::{FieldErrors, plain_text};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QueueStatus {
    /// Paid and waiting for a specialist (the default).
    Submitted,
    /// Assigned to a specialist.
    PendingReview,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    #[param(inline)]
    pub status: Option<QueueStatus>,
    #[param(value_type = Option<LevelName>)]
    pub level: Option<LevelName>,
    /// Only renewals (true) or only new credentials (false).
    pub renewal: Option<bool>,
    /// Only those assigned to the caller (with `status=pending_review`).
    pub mine: Option<bool>,
    /// At most this many (1-100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// An application waiting in the queue, with the applicant's name.
#[derive(Serialize, ToSchema)]
pub struct QueuedApplicationBody {
    #[serde(flatten)]
    pub application: ApplicationSummaryBody,
    /// As on record: first, middle and last name.
    #[schema(example = "Jane Q Doe")]
    pub applicant_name: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewQueue {
    pub items: Vec<QueuedApplicationBody>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// Applications for review, oldest submission first: by default the
/// submitted ones awaiting a specialist.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(QueueQuery),
    responses(
        (status = 200, description = "A page of the queue", body = ReviewQueue),
        SignedInAs<StaffOnly>,
        (status = 422, response = InvalidQuery),
    )
)]
#[get("/review/queue")]
pub async fn review_queue(
    state: web::Data<Ports>,
    staff: Staff,
    query: web::Query<QueueQuery>,
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
    let filter = ReviewQueueFilter {
        status: match query.status.unwrap_or(QueueStatus::Submitted) {
            QueueStatus::Submitted => ApplicationStatus::Submitted,
            QueueStatus::PendingReview => ApplicationStatus::PendingReview,
        },
        level: query.level.map(|l| l.0),
        renewal: query.renewal,
        assigned_to: query
            .mine
            .unwrap_or(false)
            .then(|| staff.0.account_id.clone()),
        after,
    };
    let queued = blocking(move || review::queue(&state, &filter, limit + 1)).await?;
    let (page, next_cursor) = cursor::page_of(queued, limit, |queued| {
        let application = &queued.application;
        application
            .submitted_at
            .map(|at| cursor::encode_at(at, &application.id))
    });
    Ok(HttpResponse::Ok().json(ReviewQueue {
        items: page
            .iter()
            .map(|queued| QueuedApplicationBody {
                application: ApplicationSummaryBody::from(&queued.application),
                applicant_name: queued.applicant_name.clone(),
            })
            .collect(),
        next_cursor,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ReviewApplicantBody {
    pub account_id: String,
    pub name: String,
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// For the age requirement of Sec. 2.
    #[schema(value_type = String, format = Date)]
    pub date_of_birth: String,
    pub phone: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ElementDataBody {
    pub key: ElementKeyName,
    /// The data as saved, null if never saved (typed per element in the
    /// contract: `wire::element_data::ElementsOnFile`).
    pub data: Option<serde_json::Value>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub finalized_at: Option<String>,
    /// Who verified a third party's element through their link; null for
    /// the applicant's own elements (and for submissions recorded before
    /// verifiers were kept).
    pub verified_by: Option<VerifierBody>,
}

/// The third party who submitted an element, and from where.
#[derive(Serialize, ToSchema)]
pub struct VerifierBody {
    /// The invitation's addressee, as the applicant named them.
    pub name: String,
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// The client address the submission came from.
    pub from_address: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewFileBody {
    #[serde(flatten)]
    pub overview: ApplicationProgressBody,
    /// The specialist reviewing it.
    pub assigned_to: Option<String>,
    pub applicant: ReviewApplicantBody,
    /// Every element's data, Character & Fitness answers included.
    pub element_data: Vec<ElementDataBody>,
    pub attachments: Vec<AttachmentBody>,
    /// The denial's reasons and review, once denied.
    pub denial: Option<super::denial_reviews::DenialReviewCaseBody>,
}

/// The whole file of an application, for review: elements with their data,
/// Character & Fitness, attachments, and the rules engine's evaluation.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    responses(
        (status = 200, description = "The file", body = ReviewFileBody),
        SignedInAs<StaffOnly>,
        (status = 404, response = NotFound),
    )
)]
#[get("/review/applications/{id}")]
pub async fn review_file(
    state: web::Data<Ports>,
    ctx: RequestContext,
    _staff: Staff,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let today = ctx.now.date();
    let file = blocking(move || review::file(&state, &ctx, &id)).await?;
    let profile = &file.applicant;
    Ok(HttpResponse::Ok().json(ReviewFileBody {
        overview: ApplicationProgressBody::from(&file.view),
        assigned_to: file.view.application.assigned_to.clone(),
        applicant: ReviewApplicantBody {
            account_id: profile.account_id.clone(),
            name: format!("{} {}", profile.first_name, profile.last_name),
            email: profile.email.clone(),
            date_of_birth: profile.date_of_birth.to_string(),
            phone: profile.phone.as_ref().map(|p| p.as_e164().to_owned()),
        },
        element_data: file
            .view
            .elements
            .iter()
            .map(|e| ElementDataBody {
                key: ElementKeyName(e.key),
                data: e.data.as_ref().map(super::applications::element_data_json),
                finalized_at: e.finalized_at.map(crate::http::wire::rfc3339),
                verified_by: e.verified_by.as_ref().map(|v| VerifierBody {
                    name: v.name.clone(),
                    email: v.email.clone(),
                    from_address: v.from_address.clone(),
                }),
            })
            .collect(),
        attachments: file
            .view
            .attachments
            .iter()
            .map(AttachmentBody::from)
            .collect(),
        denial: file
            .denial
            .as_ref()
            .map(|d| super::denial_reviews::case(d, today)),
    }))
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
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    request_body(content = Option<AssignRequest>, description = "May be omitted: a specialist assigns themself"),
    responses(
        (status = 200, description = "Assigned", body = ApplicationSummaryBody),
        ReadsJsonBody,
        (status = 401, response = NotSignedIn),
        (status = 403, description = "Applicants do not review; specialists assign only themselves", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = NotFound),
        (status = 409, description = "Not in a state that can be assigned", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The named account is not a specialist", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/review/applications/{id}/assign")]
pub async fn assign_application(
    state: web::Data<Ports>,
    ctx: RequestContext,
    staff: Staff,
    path: web::Path<String>,
    body: OptionalApiJson<AssignRequest>,
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
    /// What the element lacks, as the applicant will read it.
    #[schema(
        min_length = 1,
        max_length = 1000,
        pattern = r"^[^\s<\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub message: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnRequest {
    pub deficiencies: Vec<Deficiency>,
}

/// Returns the application to the applicant as deficient, saying what each
/// element lacks; Character & Fitness must be entered again. The
/// deficiencies are kept: the applicant's overview lists them, each element
/// its open ones, and resubmission waits until each named element is saved
/// again (a third party's element is reopened for a new link).
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    request_body = ReturnRequest,
    responses(
        (status = 200, description = "Returned", body = ApplicationSummaryBody),
        ReadsJsonBody,
        (status = 401, response = NotSignedIn),
        (status = 403, description = "Only the assigned specialist decides", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = NotFound),
        (status = 409, description = "Not under review, or assigned to another specialist", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No deficiencies, or an unknown element", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/review/applications/{id}/return")]
pub async fn return_application(
    state: web::Data<Ports>,
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
        let key = ElementKey::parse(&d.element);
        if key.is_none() {
            errors.push(format!("deficiencies[{i}].element"), "is not an element");
        }
        let message = errors.check(
            &format!("deficiencies[{i}].message"),
            plain_text(&d.message, 1000),
        );
        if let (Some(key), Some(message)) = (key, message) {
            deficiencies.push((key, message));
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
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    responses(
        (status = 201, description = "Approved: the credential awarded", body = super::credentials::CredentialBody),
        (status = 401, response = NotSignedIn),
        (status = 403, description = "Only the assigned specialist decides", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = NotFound),
        (status = 409, description = "Not under review, or assigned to another specialist", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/review/applications/{id}/approve")]
pub async fn approve_application(
    state: web::Data<Ports>,
    ctx: RequestContext,
    staff: Staff,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let credential = blocking(move || review::approve(&state, &ctx, &staff.0, &id)).await?;
    Ok(HttpResponse::Created().json(super::credentials::CredentialBody::from(&credential)))
}

/// Resubmits a deficient application once its required elements are
/// complete again and every element it was returned for has been saved
/// since the return (a third party's element, submitted again through a new
/// link); it is not paid for again. Its open deficiencies are then resolved
/// (`resolved_at` on the overview).
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    responses(
        (status = 200, description = "Resubmitted", body = ApplicationSummaryBody),
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "Not deficient, or required elements incomplete (listed)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`deficiencies_not_addressed`: elements returned as deficient were not saved again since the return; `errors` names each (`field` is the element key)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/applications/{id}/resubmit")]
pub async fn resubmit_application(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let application =
        blocking(move || review::resubmit(&state, &ctx, &applicant.0.account_id, &id)).await?;
    Ok(HttpResponse::Ok().json(ApplicationSummaryBody::from(&application)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DenialReason {
    /// The clause the denial rests on.
    #[schema(example = "922 KAR 2:240 Section 5(1)")]
    pub citation: String,
    #[schema(
        min_length = 1,
        max_length = 1000,
        pattern = r"^[^\s<\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub message: String,
}

/// The reasons of a denial as (citation, message), each citing 922 KAR
/// 2:240; every bad one reported at once.
pub(crate) fn parse_reasons(given: &[DenialReason]) -> Result<Vec<(String, String)>, FieldErrors> {
    let mut errors = FieldErrors::new();
    if given.is_empty() {
        errors.push(
            "reasons",
            "must give at least one reason, citing the regulation",
        );
    }
    let mut reasons = Vec::new();
    for (i, reason) in given.iter().enumerate() {
        let citation = reason.citation.trim();
        if !citation.starts_with("922 KAR 2:240 Section ") || citation.len() > 80 {
            errors.push(
                format!("reasons[{i}].citation"),
                "must cite the regulation, e.g. 922 KAR 2:240 Section 5(1)",
            );
        }
        if let Some(message) = errors.check(
            &format!("reasons[{i}].message"),
            plain_text(&reason.message, 1000),
        ) {
            reasons.push((citation.to_owned(), message));
        }
    }
    errors.into_result()?;
    Ok(reasons)
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
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    request_body = DenyRequest,
    responses(
        (status = 200, description = "Denied", body = DeniedBody),
        ReadsJsonBody,
        (status = 401, response = NotSignedIn),
        (status = 403, description = "Only the assigned specialist decides", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = NotFound),
        (status = 409, description = "Not under review, or assigned to another specialist", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reasons, or a reason without a citation of 922 KAR 2:240", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/review/applications/{id}/deny")]
pub async fn deny_application(
    state: web::Data<Ports>,
    ctx: RequestContext,
    staff: Staff,
    path: web::Path<String>,
    body: ApiJson<DenyRequest>,
) -> Result<HttpResponse, ApiError> {
    let reasons = parse_reasons(&body.0.reasons)?;
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
    #[schema(
        min_length = 1,
        max_length = 5000,
        pattern = r"^[^\s<\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$"
    )]
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
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    request_body = DenialReviewRequest,
    responses(
        (status = 201, description = "Requested", body = DenialReviewBody),
        ReadsJsonBody,
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "Not denied, or already requested", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Too late (with the clause), or no statement", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/applications/{id}/denial-review")]
pub async fn request_denial_review(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
    body: ApiJson<DenialReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let statement =
        plain_text(&body.0.statement, 5000).map_err(|e| ApiError::field("statement", e.0))?;
    let id = path.into_inner();
    let due = blocking(move || {
        review::request_denial_review(&state, &ctx, &applicant.0.account_id, &id, &statement)
    })
    .await?;
    Ok(HttpResponse::Created().json(DenialReviewBody {
        order_due_on: due.to_string(),
    }))
}
