//! The applicant's dashboard, and the announcements admins put on it.

use super::applications::ApplicationSummaryBody;
use crate::http::auth::{Admin, Applicant};
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, blocking};
use crate::http::wire::list::whole_list;
use crate::workflows::Ports;
use crate::workflows::RequestContext;
use crate::workflows::dashboard::{self, AnnouncementDraft};
use actix_web::{HttpResponse, delete, get, post, web};
use chrono::NaiveDateTime;
use kecs_domain::announcement::Announcement;
use kecs_domain::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::responses::{
    AdminsOnly, ApplicantsOnly, InvalidFields, NotFound, ReadsJsonBody, SignedInAs,
};
use crate::http::wire::rfc3339;

#[derive(Serialize, ToSchema)]
pub struct AnnouncementBody {
    pub id: String,
    pub title: String,
    pub body: String,
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: String,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub ends_at: Option<String>,
}

impl From<&Announcement> for AnnouncementBody {
    fn from(a: &Announcement) -> Self {
        Self {
            id: a.id.clone(),
            title: a.title.clone(),
            body: a.body.clone(),
            starts_at: rfc3339(a.starts_at),
            ends_at: a.ends_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ActivityBody {
    #[schema(value_type = String, format = DateTime)]
    pub occurred_at: String,
    /// Stable name of what happened, e.g. `application.started`.
    #[schema(example = "application.started")]
    pub action: String,
    /// What happened, in a sentence.
    pub message: String,
    /// The application it concerns, if any.
    pub application_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DashboardResponse {
    /// Announcements showing now ("There are no announcements at this time" when empty).
    pub announcements: Vec<AnnouncementBody>,
    /// Credentials held and current (awarded when a specialist approves an
    /// application).
    pub active_credentials: Vec<super::credentials::CredentialBody>,
    /// The new-credential request types the rules engine finds the
    /// applicant eligible for, from what they have on file (see
    /// `GET /me/eligibility` for every unmet requirement).
    pub eligible_request_types: Vec<crate::http::wire::RequestTypeName>,
    /// The applicant's applications, newest first, with status and expiry.
    pub applications: Vec<ApplicationSummaryBody>,
    /// The latest activity, newest first, from the audit log.
    pub activity: Vec<ActivityBody>,
    /// The latest notifications and how many are unread (all of them:
    /// `GET /me/notifications`).
    pub notifications: LatestNotifications,
}

/// How many notifications the dashboard shows.
const LATEST_NOTIFICATIONS: i64 = 5;

#[derive(Serialize, ToSchema)]
pub struct LatestNotifications {
    /// How many notifications are unread in all.
    pub unread_count: i64,
    /// The latest few, newest first.
    pub latest: Vec<super::notifications::NotificationBody>,
}

whole_list! {
    /// Every announcement, newest first.
    AnnouncementList of AnnouncementBody;
}

/// The home page: announcements, active credentials, applications with
/// their status and expiry, and the activity feed.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The dashboard", body = DashboardResponse),
        SignedInAs<ApplicantsOnly>,
    )
)]
#[get("/me/dashboard")]
pub async fn my_dashboard(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
) -> Result<HttpResponse, ApiError> {
    let now = ctx.now;
    let (board, on_file, held, notified) = blocking(move || {
        let board = dashboard::dashboard(&state, &ctx, &applicant.0.account_id)?;
        let on_file =
            crate::workflows::applications::on_file(&state, &applicant.0.account_id, now)?;
        let held = crate::workflows::credentials::my_credentials(&state, &applicant.0.account_id)?;
        let notified = crate::workflows::notifications::page(
            &state,
            &applicant.0.account_id,
            None,
            LATEST_NOTIFICATIONS,
        )?;
        Ok::<_, crate::workflows::WorkflowError>((board, on_file, held, notified))
    })
    .await?;
    let eligible_request_types = kecs_domain::rules::evaluate(&on_file)
        .iter()
        .filter(|evaluation| evaluation.eligible)
        .filter_map(|evaluation| {
            kecs_domain::application::RequestType::ALL
                .into_iter()
                .find(|t| t.new_level() == Some(evaluation.level))
                .map(crate::http::wire::RequestTypeName)
        })
        .collect();
    Ok(HttpResponse::Ok().json(DashboardResponse {
        announcements: board
            .announcements
            .iter()
            .map(AnnouncementBody::from)
            .collect(),
        active_credentials: held
            .iter()
            .filter(|c| c.is_current(now.date()))
            .map(super::credentials::CredentialBody::from)
            .collect(),
        eligible_request_types,
        applications: board
            .applications
            .iter()
            .map(ApplicationSummaryBody::from)
            .collect(),
        activity: board
            .activity
            .iter()
            .map(|event| ActivityBody {
                occurred_at: rfc3339(event.occurred_at),
                action: event.action.clone(),
                message: dashboard::describe(event),
                application_id: (event.subject_type == "application")
                    .then(|| event.subject_id.clone()),
            })
            .collect(),
        notifications: LatestNotifications {
            unread_count: notified.unread,
            latest: notified
                .items
                .iter()
                .map(super::notifications::NotificationBody::from)
                .collect(),
        },
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementRequest {
    #[schema(example = "Renewal deadline reminder")]
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\s<\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub title: String,
    #[schema(
        min_length = 1,
        max_length = 5000,
        pattern = r"^[^\s<\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub body: String,
    /// When it starts showing; now when absent.
    #[schema(format = DateTime)]
    pub starts_at: Option<String>,
    /// When it stops showing; never when absent.
    #[schema(format = DateTime)]
    pub ends_at: Option<String>,
}

fn timestamp(
    errors: &mut FieldErrors,
    field: &str,
    raw: &Option<String>,
) -> Option<Option<NaiveDateTime>> {
    match raw {
        None => Some(None),
        Some(raw) => match chrono::DateTime::parse_from_rfc3339(raw) {
            Ok(at) => Some(Some(at.naive_utc())),
            Err(_) => {
                errors.push(
                    field,
                    "must be an RFC 3339 timestamp such as 2026-12-01T09:00:00Z",
                );
                None
            }
        },
    }
}

fn plain(errors: &mut FieldErrors, field: &str, raw: &str, max: usize) -> Option<String> {
    errors.check(field, kecs_domain::validation::plain_text(raw, max))
}

/// Publishes an announcement on every applicant's dashboard.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = AnnouncementRequest,
    responses(
        (status = 201, description = "Published", body = AnnouncementBody),
        ReadsJsonBody,
        SignedInAs<AdminsOnly>,
        (status = 422, response = InvalidFields),
    )
)]
#[post("/admin/announcements")]
pub async fn publish_announcement(
    state: web::Data<Ports>,
    ctx: RequestContext,
    admin: Admin,
    body: ApiJson<AnnouncementRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = FieldErrors::new();
    let title = plain(&mut errors, "title", &body.title, 200);
    let text = plain(&mut errors, "body", &body.body, 5000);
    let starts_at = timestamp(&mut errors, "starts_at", &body.starts_at);
    let ends_at = timestamp(&mut errors, "ends_at", &body.ends_at);
    let (Some(title), Some(text), Some(starts_at), Some(ends_at), true) =
        (title, text, starts_at, ends_at, errors.is_empty())
    else {
        return Err(errors.into());
    };
    let starts_at = starts_at.unwrap_or(ctx.now);
    if ends_at.is_some_and(|end| end <= starts_at) {
        return Err(ApiError::field("ends_at", "must be after starts_at"));
    }
    let draft = AnnouncementDraft {
        title,
        body: text,
        starts_at,
        ends_at,
    };
    let announcement =
        blocking(move || dashboard::publish(&state, &ctx, &admin.0.account_id, &draft)).await?;
    Ok(HttpResponse::Created().json(AnnouncementBody::from(&announcement)))
}

/// Every announcement, past and future (for admins).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Announcements, newest first", body = AnnouncementList),
        SignedInAs<AdminsOnly>,
    )
)]
#[get("/admin/announcements")]
pub async fn list_announcements(
    state: web::Data<Ports>,
    _admin: Admin,
) -> Result<HttpResponse, ApiError> {
    let all = blocking(move || dashboard::all(&state)).await?;
    Ok(HttpResponse::Ok().json(AnnouncementList::whole(
        all.iter().map(AnnouncementBody::from).collect(),
    )))
}

/// Removes an announcement.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The announcement id")),
    responses(
        (status = 204, description = "Removed"),
        SignedInAs<AdminsOnly>,
        (status = 404, response = NotFound),
    )
)]
#[delete("/admin/announcements/{id}")]
pub async fn remove_announcement(
    state: web::Data<Ports>,
    ctx: RequestContext,
    admin: Admin,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    blocking(move || dashboard::withdraw_announcement(&state, &ctx, &admin.0.account_id, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
