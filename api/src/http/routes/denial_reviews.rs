//! The commissioner's designee's desk: requested reviews of denials, their
//! extensions and written orders (Sec. 14(3)).

use super::credentials::CredentialBody;
use crate::http::auth::Admin;
use crate::http::cursor;
use crate::http::error::{ApiError, Problem};
use crate::http::extract::{ApiJson, blocking};
use crate::http::responses::{AdminsOnly, InvalidQuery, NotFound, ReadsJsonBody, SignedInAs};
use crate::http::wire::denial::DenialReasonBody;
use crate::workflows::Ports;
use crate::workflows::RequestContext;
use crate::workflows::WorkflowError;
use crate::workflows::denial_review;
use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use kecs_domain::account::parse_date;
use kecs_domain::application::{self as domain, Denial};
use kecs_domain::validation::{FieldErrors, plain_text};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct DenialReviewCaseBody {
    pub application_id: String,
    #[schema(value_type = String, format = Date)]
    pub denied_on: String,
    /// `[{citation, message}]`, as the specialist gave them.
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<DenialReasonBody>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub requested_at: Option<String>,
    /// The applicant's statement.
    pub statement: Option<String>,
    /// When the written order is due: 30 days after the request, or the
    /// date given in a notified extension.
    #[schema(value_type = Option<String>, format = Date)]
    pub order_due_on: Option<String>,
    /// Why the review was extended, if it was.
    pub extension_reason: Option<String>,
    /// Past due on the day asked, with no order issued.
    pub overdue: bool,
    /// `upheld` or `overturned`, once decided.
    pub decision: Option<String>,
    pub order: Option<String>,
}

pub(super) fn case(denial: &Denial, today: NaiveDate) -> DenialReviewCaseBody {
    let due = denial.order_due_on();
    DenialReviewCaseBody {
        application_id: denial.application_id.clone(),
        denied_on: denial.denied_on.to_string(),
        reasons: denial.reasons.iter().map(DenialReasonBody::from).collect(),
        requested_at: denial.review_requested_at.map(crate::http::wire::rfc3339),
        statement: denial.review_statement.clone(),
        order_due_on: due.map(|d| d.to_string()),
        extension_reason: denial.review_extension_reason.clone(),
        overdue: denial.review_decided_at.is_none() && due.is_some_and(|d| d < today),
        decision: denial.review_decision.map(|d| d.as_str().to_owned()),
        order: denial.review_order.clone(),
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OpenReviewsQuery {
    /// Only reviews whose written order is past due.
    pub overdue: Option<bool>,
    /// At most this many (1-100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DenialReviewList {
    pub items: Vec<DenialReviewCaseBody>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// Requested reviews awaiting the written order, the earliest due first.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(OpenReviewsQuery),
    responses(
        (status = 200, description = "Open reviews", body = DenialReviewList),
        SignedInAs<AdminsOnly>,
        (status = 422, response = InvalidQuery),
    )
)]
#[get("/admin/denial-reviews")]
pub async fn open_denial_reviews(
    state: web::Data<Ports>,
    ctx: RequestContext,
    _admin: Admin,
    query: web::Query<OpenReviewsQuery>,
) -> Result<HttpResponse, ApiError> {
    let today = ctx.now.date();
    let overdue_on = query.overdue.unwrap_or(false).then_some(today);
    let mut errors = FieldErrors::new();
    let (limit, after) = cursor::page_request(
        query.limit,
        query.cursor.as_deref(),
        |given| {
            let (due, id) = cursor::decode(given)?;
            Some((due.parse::<NaiveDate>().ok()?, id))
        },
        &mut errors,
    );
    errors.into_result()?;
    let found =
        blocking(move || denial_review::open_reviews(&state, overdue_on, after, limit + 1)).await?;
    let (open, next_cursor) = cursor::page_of(found, limit, |denial| {
        denial
            .review_due_on
            .map(|due| cursor::encode(&due.to_string(), &denial.application_id))
    });
    Ok(HttpResponse::Ok().json(DenialReviewList {
        items: open.iter().map(|d| case(d, today)).collect(),
        next_cursor,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionRequest {
    /// The extenuating circumstances, told to the applicant.
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\s<\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub reason: String,
    /// The new date by which the order will be issued.
    #[schema(value_type = String, format = Date)]
    pub decide_by: String,
}

/// Records an extension of a review and notifies the applicant (Sec.
/// 14(3)(c)1-2); only before the 30 days are up.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The denied application's id")),
    request_body = ExtensionRequest,
    responses(
        (status = 200, description = "Extended", body = DenialReviewCaseBody),
        ReadsJsonBody,
        SignedInAs<AdminsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "No review requested, or already decided", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Past the 30 days (with the clause), or a bad date or reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/denial-reviews/{id}/extension")]
pub async fn extend_denial_review(
    state: web::Data<Ports>,
    ctx: RequestContext,
    admin: Admin,
    path: web::Path<String>,
    body: ApiJson<ExtensionRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::new();
    let reason = errors.check("reason", plain_text(&body.0.reason, 2000));
    let until = errors.check("decide_by", parse_date(&body.0.decide_by));
    let (Some(reason), Some(until)) = (reason, until) else {
        return Err(ApiError::from(WorkflowError::Invalid(errors)));
    };
    let id = path.into_inner();
    let today = ctx.now.date();
    let denial = blocking(move || {
        denial_review::extend(&state, &ctx, &admin.0.account_id, &id, &reason, until)
    })
    .await?;
    Ok(HttpResponse::Ok().json(case(&denial, today)))
}

/// The written order's outcome (Sec. 14(3)(c)).
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    /// The denial stands.
    Upheld,
    /// The application is approved and the credential awarded.
    Overturned,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    pub decision: ReviewDecision,
    /// The written order, sent to the applicant.
    #[schema(
        min_length = 1,
        max_length = 10000,
        pattern = r"^[^\s<\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub order: String,
}

#[derive(Serialize, ToSchema)]
pub struct DecisionBody {
    #[serde(flatten)]
    pub case: DenialReviewCaseBody,
    /// The credential awarded when the denial is overturned.
    pub credential: Option<CredentialBody>,
}

/// Issues the written order on a review (Sec. 14(3)(c)-(d)).
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The denied application's id")),
    request_body = DecisionRequest,
    responses(
        (status = 200, description = "Decided", body = DecisionBody),
        ReadsJsonBody,
        SignedInAs<AdminsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "No review requested, or already decided", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad decision or order", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/denial-reviews/{id}/decision")]
pub async fn decide_denial_review(
    state: web::Data<Ports>,
    ctx: RequestContext,
    admin: Admin,
    path: web::Path<String>,
    body: ApiJson<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let order = plain_text(&body.0.order, 10_000).map_err(|e| ApiError::field("order", e.0))?;
    let decision = match body.0.decision {
        ReviewDecision::Upheld => domain::ReviewDecision::Upheld,
        ReviewDecision::Overturned => domain::ReviewDecision::Overturned,
    };
    let id = path.into_inner();
    let today = ctx.now.date();
    let (denial, credential) = blocking(move || {
        denial_review::decide(&state, &ctx, &admin.0.account_id, &id, decision, &order)
    })
    .await?;
    Ok(HttpResponse::Ok().json(DecisionBody {
        case: case(&denial, today),
        credential: credential.as_ref().map(CredentialBody::from),
    }))
}
