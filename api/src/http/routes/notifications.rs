//! "View All Notifications": what happened to the caller's account,
//! applications and credentials, newest first, with what is unread.

use super::applications::ListQuery;
use crate::http::auth::Applicant;
use crate::http::cursor;
use crate::http::error::ApiError;
use crate::http::extract::blocking;
use crate::http::responses::{ApplicantsOnly, InvalidQuery, NotFound, SignedInAs};
use crate::http::wire::rfc3339;
use crate::workflows::notifications::{self, Notification};
use crate::workflows::{Ports, RequestContext};
use actix_web::{HttpResponse, get, post, web};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// What a notification is about.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectType {
    Account,
    Application,
    Credential,
    /// A sponsoring organisation the account represents.
    Sponsor,
    /// An application for preapproval of one of its sponsors.
    Preapproval,
    /// A training agency the account applied for.
    TrainingAgency,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationSubject {
    #[serde(rename = "type")]
    pub kind: SubjectType,
    /// The account id, application id, credential number, sponsor id,
    /// preapproval id or training agency id.
    pub id: String,
    /// Where the front end reads the subject in full through this API.
    #[schema(example = "/api/v1/applications/0b0c5a4e-8d57-4c55-9a39-0d5c1b8f6f3e")]
    pub href: String,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationBody {
    pub id: String,
    #[schema(value_type = String, format = DateTime)]
    pub occurred_at: String,
    /// Stable name of what happened, e.g. `application.denied`.
    #[schema(example = "application.denied")]
    pub kind: String,
    /// What happened, in a sentence addressed to the account holder.
    #[schema(example = "Your application was denied.")]
    pub message: String,
    pub subject: NotificationSubject,
    /// The details of the decision or event, by name, when it has any:
    /// `deficiencies` (each `element` and `message`), `reasons` (each with
    /// its citation), `credential` (the number awarded or concerned),
    /// `decision`, `decide_by`, `ground` and `citation` (a revocation),
    /// `kind` (of a reminder), `expires_at`, `payment_id`, `amount_cents`,
    /// `reason` (a declined payment), `refund_id`, `element`, `provider`,
    /// `request` (the cabinet's request for information), `expires_on` (an
    /// online training's approval), `barred_until` (a sponsor's bar),
    /// `issued` (certificates).
    #[schema(value_type = Object)]
    pub details: Map<String, Value>,
    pub read: bool,
}

impl From<&Notification> for NotificationBody {
    fn from(n: &Notification) -> Self {
        let (kind, href) = match n.subject_type.as_str() {
            "application" => (
                SubjectType::Application,
                format!("/api/v1/applications/{}", n.subject_id),
            ),
            "credential" => (
                SubjectType::Credential,
                format!("/api/v1/credentials/{}", n.subject_id),
            ),
            "sponsor" => (
                SubjectType::Sponsor,
                format!("/api/v1/sponsors/{}", n.subject_id),
            ),
            "preapproval" => (
                SubjectType::Preapproval,
                format!("/api/v1/preapprovals/{}", n.subject_id),
            ),
            "training_agency" => (
                SubjectType::TrainingAgency,
                format!("/api/v1/training-agencies/{}", n.subject_id),
            ),
            _ => (SubjectType::Account, "/api/v1/me/profile".to_owned()),
        };
        Self {
            id: n.id.clone(),
            occurred_at: rfc3339(n.occurred_at),
            kind: n.kind.clone(),
            message: n.message.clone(),
            subject: NotificationSubject {
                kind,
                id: n.subject_id.clone(),
                href,
            },
            details: n.details.clone(),
            read: n.read,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NotificationList {
    pub items: Vec<NotificationBody>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
    /// How many notifications are unread in all, on every page.
    pub unread_count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct UnreadCount {
    /// How many notifications remain unread.
    pub unread_count: i64,
}

/// The caller's notifications, newest first: decisions, reminders,
/// expiries, third parties' submissions, payments' outcomes and changes to
/// how the account signs in, each with its details.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "A page of notifications", body = NotificationList),
        SignedInAs<ApplicantsOnly>,
        (status = 422, response = InvalidQuery),
    )
)]
#[get("/me/notifications")]
pub async fn list_notifications(
    state: web::Data<Ports>,
    applicant: Applicant,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = kecs_domain::validation::FieldErrors::new();
    let (limit, before) = cursor::page_request(
        query.limit,
        query.cursor.as_deref(),
        cursor::decode_at,
        &mut errors,
    );
    errors.into_result()?;
    let page =
        blocking(move || notifications::page(&state, &applicant.0.account_id, before, limit + 1))
            .await?;
    let (items, next_cursor) = cursor::page_of(page.items, limit, |n| {
        Some(cursor::encode_at(n.occurred_at, &n.id))
    });
    Ok(HttpResponse::Ok().json(NotificationList {
        items: items.iter().map(NotificationBody::from).collect(),
        next_cursor,
        unread_count: page.unread,
    }))
}

/// Marks one notification read (again is harmless).
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The notification id")),
    responses(
        (status = 200, description = "Read; how many remain unread", body = UnreadCount),
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
    )
)]
#[post("/me/notifications/{id}/read")]
pub async fn read_notification(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let unread_count =
        blocking(move || notifications::mark_read(&state, &ctx, &applicant.0.account_id, &id))
            .await?;
    Ok(HttpResponse::Ok().json(UnreadCount { unread_count }))
}

/// Marks every notification read.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "All read", body = UnreadCount),
        SignedInAs<ApplicantsOnly>,
    )
)]
#[post("/me/notifications/read-all")]
pub async fn read_all_notifications(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
) -> Result<HttpResponse, ApiError> {
    blocking(move || notifications::mark_all_read(&state, &ctx, &applicant.0.account_id)).await?;
    Ok(HttpResponse::Ok().json(UnreadCount { unread_count: 0 }))
}
