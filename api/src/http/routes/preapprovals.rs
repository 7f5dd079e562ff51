//! Preapproval of training events (Sec. 16): the sponsor's DCC-201/201a,
//! résumés, submission, the cabinet's questions, decisions and the review
//! of a denial; the staff queue; the public list of preapproved trainings
//! (Sec. 17(3)).
//!
//! The event's details are given as for a trainer's training event
//! (`minutes`, `delivery`, `topics`, `purposes`, `county`); the sponsor's
//! name is the sponsoring organisation.

use super::attachments::{UPLOAD_MIN_BYTES_PER_SEC, attachment_disposition, read_form};
use super::denial_reviews::{DecisionRequest, ExtensionRequest, ReviewDecision};
use super::review::{DenialReviewRequest, DenyRequest, parse_reasons};
use super::training_events::{DeliveryFields, DeliveryModeName, PurposeName};
use crate::http::auth::{Admin, Applicant, Caller, Staff};
use crate::http::cursor;
use crate::http::error::{ApiError, Problem};
use crate::http::extract::{ApiJson, BodyDeadline, OptionalApiJson, blocking};
use crate::http::responses::{
    AdminsOnly, ApplicantsOnly, InvalidFields, InvalidQuery, NotFound, NotSignedIn, ReadsJsonBody,
    SignedInAs, StaffOnly, Unavailable,
};
use crate::http::wire::denial::ApplicantDenialBody;
use crate::http::wire::list::whole_list;
use crate::http::wire::{EventKindName, PreapprovalStatusName, TopicName, rfc3339};
use crate::workflows::applications::DenialView;
use crate::workflows::preapprovals::{self, PresenterInput, ResumeUpload};
use crate::workflows::{Ports, RequestContext};
use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::NaiveDate;
use futures_util::TryStreamExt;
use kecs_domain::account::{EmailAddress, PersonName, parse_date};
use kecs_domain::application::{NextStep, ReviewDecision as DomainDecision, next_step};
use kecs_domain::approval::{ApprovedTraining, Preapproval, PreapprovalStatus};
use kecs_domain::rules::preapproval::EventKind;
use kecs_domain::rules::training::Delivery;
use kecs_domain::rules::{ClockHours, Topic};
use kecs_domain::training::{County, EventPlan};
use kecs_domain::validation::{FieldErrors, plain_text};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PresenterRequest {
    #[schema(example = "Pat", min_length = 1, max_length = 100)]
    pub first_name: String,
    #[schema(example = "Lee", min_length = 1, max_length = 100)]
    pub last_name: String,
    #[schema(example = "pat.lee@example.org", format = Email, max_length = 254)]
    pub email: String,
    /// Required for a presenter without a trainer's credential, who is
    /// identified by it (Sec. 16(4)(a); the five events a year of 16(6)
    /// count by it). Never shown publicly.
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<String>,
    /// A current Kentucky Early Care and Education Trainer's Credential the
    /// presenter holds; leave out for a presenter without one.
    #[schema(example = "KYT-2026-000123", max_length = 40)]
    pub credential_number: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreapprovalRequest {
    pub kind: EventKindName,
    #[schema(example = "Safe sleep for infants", min_length = 1, max_length = 200)]
    pub title: String,
    /// The event's first day; at least 30 days after the day it is
    /// submitted (Sec. 16(2)).
    #[schema(value_type = String, format = Date)]
    pub starts_on: String,
    #[schema(value_type = String, format = Date)]
    pub ends_on: String,
    /// The length in minutes: at least 60, then in 15-minute steps
    /// (Sec. 11(5)).
    #[schema(example = 120, minimum = 60, maximum = 100000, multiple_of = 15)]
    pub minutes: u32,
    pub delivery: DeliveryFields,
    /// The topics of early care and education covered (Sec. 2(5)).
    #[serde(default)]
    pub topics: Vec<TopicName>,
    /// What the training counts toward (Sec. 16(1)(a)-(c)); at least one.
    #[schema(min_items = 1)]
    pub purposes: Vec<PurposeName>,
    /// The Kentucky county where a face-to-face event is held.
    #[schema(example = "Franklin", max_length = 40)]
    pub county: Option<String>,
    /// Everyone who presents; at least one (Sec. 16(4)).
    #[schema(min_items = 1, max_items = 50)]
    pub presenters: Vec<PresenterRequest>,
}

struct Parsed {
    kind: EventKind,
    plan: EventPlan,
    presenters: Vec<PresenterInput>,
}

impl PreapprovalRequest {
    fn parse(self) -> Result<Parsed, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.check("title", plain_text(&self.title, 200));
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
        let county = self
            .county
            .as_deref()
            .and_then(|county| errors.check("county", County::parse(county)));
        if self.presenters.is_empty() {
            errors.push("presenters", "must name at least one presenter");
        }
        if self.presenters.len() > 50 {
            errors.push("presenters", "must name at most 50 presenters");
        }
        let length = ClockHours::from_minutes(self.minutes);
        for unmet in kecs_domain::rules::training::check_training_length(length) {
            errors.push_unmet("minutes", &unmet);
        }
        let delivery = Delivery {
            face_to_face: self.delivery.face_to_face,
            synchronous: self.delivery.synchronous,
            modes: self
                .delivery
                .modes
                .iter()
                .map(|m: &DeliveryModeName| m.0)
                .collect(),
            interactive: self.delivery.interactive,
            gauges_participation: self.delivery.gauges_participation,
        };
        for unmet in kecs_domain::rules::training::check_delivery(&delivery) {
            errors.push_unmet("delivery", &unmet);
        }
        let kind = self.kind.0;
        if (kind == EventKind::OnlineTraining) == delivery.face_to_face {
            errors.push(
                "delivery.face_to_face",
                "an online training (DCC-201a) is not face to face; the other kinds of Sec. \
                 16(1) on DCC-201 are",
            );
        }
        let presenters: Vec<PresenterInput> = self
            .presenters
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let field = |name: &str| format!("presenters[{i}].{name}");
                let first_name =
                    errors.check(&field("first_name"), PersonName::parse(&p.first_name));
                let last_name = errors.check(&field("last_name"), PersonName::parse(&p.last_name));
                let email = errors.check(&field("email"), EmailAddress::parse(&p.email));
                let date_of_birth = p
                    .date_of_birth
                    .as_deref()
                    .and_then(|raw| errors.check(&field("date_of_birth"), parse_date(raw)));
                let credential_number = p
                    .credential_number
                    .as_deref()
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned);
                if credential_number.as_ref().is_some_and(|n| n.len() > 40) {
                    errors.push(field("credential_number"), "must be a credential number");
                }
                PresenterInput {
                    first_name: first_name
                        .map(|n| n.as_str().to_owned())
                        .unwrap_or_default(),
                    last_name: last_name.map(|n| n.as_str().to_owned()).unwrap_or_default(),
                    email: email.map(|e| e.as_str().to_owned()).unwrap_or_default(),
                    date_of_birth,
                    credential_number,
                }
            })
            .collect();
        errors.clone().into_result()?;
        let (Some(title), Some(starts_on), Some(ends_on)) = (title, starts_on, ends_on) else {
            return Err(errors);
        };
        Ok(Parsed {
            kind,
            plan: EventPlan {
                title,
                sponsor: String::new(),
                starts_on,
                ends_on,
                length,
                delivery,
                topics: self.topics.iter().map(|t| t.0).collect(),
                purposes: self.purposes.iter().map(|p| p.0).collect(),
                within_area_of_expertise: false,
                county,
            },
            presenters,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct SponsorRef {
    pub id: String,
    pub name: String,
}

/// The event as applied for.
#[derive(Serialize, ToSchema)]
pub struct PreapprovalEventBody {
    pub title: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: String,
    #[schema(value_type = String, format = Date)]
    pub ends_on: String,
    pub minutes: u32,
    /// The same length in clock hours, e.g. 1.25.
    pub clock_hours: f64,
    pub delivery: DeliveryFields,
    pub topics: Vec<TopicName>,
    pub purposes: Vec<PurposeName>,
    #[schema(example = "Franklin")]
    pub county: Option<&'static str>,
}

impl PreapprovalEventBody {
    fn of(plan: &EventPlan) -> Self {
        Self {
            title: plan.title.clone(),
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
            topics: plan.topics.iter().copied().map(TopicName).collect(),
            purposes: plan.purposes.iter().copied().map(PurposeName).collect(),
            county: plan.county.map(County::name),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ResumeBody {
    pub file_name: String,
    #[schema(example = "application/pdf")]
    pub content_type: String,
    pub size_bytes: i64,
    #[schema(value_type = String, format = DateTime)]
    pub uploaded_at: String,
    /// Where it is downloaded.
    pub href: String,
}

#[derive(Serialize, ToSchema)]
pub struct PresenterBody {
    /// 1-based, as listed; the résumé is attached under it.
    pub position: i32,
    pub first_name: String,
    pub last_name: String,
    #[schema(format = Email)]
    pub email: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<String>,
    /// The presenter's current trainer's credential, if any.
    pub credential_number: Option<String>,
    /// A presenter without a credential needs a résumé or vita attached
    /// (Sec. 16(4)(b)).
    pub resume_required: bool,
    pub resume: Option<ResumeBody>,
}

#[derive(Serialize, ToSchema)]
pub struct InformationRequestBody {
    #[schema(value_type = String, format = DateTime)]
    pub requested_at: String,
    /// What the cabinet asks.
    pub message: String,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub answered_at: Option<String>,
    pub answer: Option<String>,
}

/// Where the cabinet's ten working days stand (Sec. 16(2)).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionClock {
    /// A draft: nothing received yet.
    NotStarted,
    /// Received and complete: the decision is due by `decision_due_on`.
    Running,
    /// Information was asked for: the clock waits for the answer.
    Stopped,
    /// Decided.
    Decided,
}

#[derive(Serialize, ToSchema)]
pub struct ApprovalBody {
    #[schema(value_type = String, format = Date)]
    pub approved_on: String,
    pub note: Option<String>,
    /// An online training's approval ends on this day (Sec. 16(7)); null
    /// for other events, approved for their own days.
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<String>,
}

/// What the sponsor may do next, or what it waits for.
#[derive(Serialize, ToSchema)]
pub struct PreapprovalNextBody {
    pub message: String,
    /// The date it turns on, if any.
    #[schema(value_type = Option<String>, format = Date)]
    pub date: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PreapprovalBody {
    pub id: String,
    pub sponsor: SponsorRef,
    /// `DCC-201` or `DCC-201a` (Sec. 16(3)).
    #[schema(example = "DCC-201")]
    pub form: &'static str,
    pub kind: EventKindName,
    pub status: PreapprovalStatusName,
    pub event: PreapprovalEventBody,
    pub presenters: Vec<PresenterBody>,
    /// The last day to submit: 30 days before the event (Sec. 16(2)).
    #[schema(value_type = String, format = Date)]
    pub apply_by: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub received_on: Option<String>,
    pub clock: DecisionClock,
    /// Ten working days after receipt, weekends, state holidays and the
    /// days waiting for information not counted (Sec. 16(2)).
    #[schema(value_type = Option<String>, format = Date)]
    pub decision_due_on: Option<String>,
    /// Undecided past `decision_due_on`.
    pub overdue: bool,
    pub information_requests: Vec<InformationRequestBody>,
    pub approval: Option<ApprovalBody>,
    /// The reasons with their citations, the review's deadline, the review
    /// and its written order (Sec. 16(9) → 14(3)).
    pub denial: Option<ApplicantDenialBody>,
    pub next_step: PreapprovalNextBody,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: String,
}

fn next_for(p: &Preapproval, today: NaiveDate) -> PreapprovalNextBody {
    let apply_by =
        kecs_domain::rules::preapproval::event_preapproval_latest_application(p.plan.starts_on);
    let (message, date) = match p.status {
        PreapprovalStatus::Draft if today <= apply_by => (
            format!(
                "Attach a résumé for each presenter without a credential and submit by {apply_by}, \
                 30 days before the event (Sec. 16(2))."
            ),
            Some(apply_by),
        ),
        PreapprovalStatus::Draft => (
            format!(
                "The last day to apply for this event was {apply_by} (Sec. 16(2)); it can no \
                 longer be submitted."
            ),
            Some(apply_by),
        ),
        PreapprovalStatus::Submitted => (
            match p.decision_due_on {
                Some(due) => format!("The cabinet decides by {due} (Sec. 16(2))."),
                None => "The cabinet decides within ten working days (Sec. 16(2)).".to_owned(),
            },
            p.decision_due_on,
        ),
        PreapprovalStatus::InformationRequested => (
            "Answer the cabinet's request for information; its ten working days wait until you \
             do (Sec. 16(2))."
                .to_owned(),
            None,
        ),
        PreapprovalStatus::Approved => match p.approval_expires_on {
            Some(on) => (
                format!(
                    "Preapproved until {on} (Sec. 16(7)). Keep the records of Section 17 for \
                     each trainee."
                ),
                Some(on),
            ),
            None => (
                "Preapproved for this event and its presenters (Sec. 16(5)). Keep the records \
                 of Section 17 for each trainee."
                    .to_owned(),
                None,
            ),
        },
        PreapprovalStatus::Denied => match &p.denial {
            Some(denial) => {
                let step = next_step(denial, today);
                (step.sentence(), Some(step.date()))
            }
            None => ("Denied.".to_owned(), None),
        },
    };
    PreapprovalNextBody {
        message,
        date: date.map(|d| d.to_string()),
    }
}

impl PreapprovalBody {
    pub(crate) fn of(p: &Preapproval, today: NaiveDate) -> Self {
        let clock = match p.status {
            PreapprovalStatus::Draft => DecisionClock::NotStarted,
            PreapprovalStatus::Submitted => DecisionClock::Running,
            PreapprovalStatus::InformationRequested => DecisionClock::Stopped,
            PreapprovalStatus::Approved | PreapprovalStatus::Denied => DecisionClock::Decided,
        };
        let denial = p.denial.as_ref().map(|denial| {
            let step = next_step(denial, today);
            let mut body = ApplicantDenialBody::from(&DenialView {
                denial: denial.clone(),
                next_step: step,
            });
            if let NextStep::Overturned { on } = step {
                body.next_step.message = format!(
                    "The denial was overturned on review on {on}: the event is preapproved."
                );
            }
            body
        });
        let approval = (p.status == PreapprovalStatus::Approved).then(|| ApprovalBody {
            approved_on: p
                .denial
                .as_ref()
                .and_then(|d| d.review_decided_at.map(|at| at.date()))
                .or(p.decided_on)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            note: p.approval_note.clone(),
            expires_on: p.approval_expires_on.map(|d| d.to_string()),
        });
        Self {
            id: p.id.clone(),
            sponsor: SponsorRef {
                id: p.sponsor_id.clone(),
                name: p.sponsor_name.clone(),
            },
            form: p.form().as_str(),
            kind: EventKindName(p.kind),
            status: PreapprovalStatusName(p.status),
            event: PreapprovalEventBody::of(&p.plan),
            presenters: p
                .presenters
                .iter()
                .map(|presenter| PresenterBody {
                    position: presenter.position,
                    first_name: presenter.first_name.clone(),
                    last_name: presenter.last_name.clone(),
                    email: presenter.email.clone(),
                    date_of_birth: presenter.date_of_birth.map(|d| d.to_string()),
                    credential_number: presenter.credential_number.clone(),
                    resume_required: !presenter.holds_credential(),
                    resume: presenter.resume.as_ref().map(|r| ResumeBody {
                        file_name: r.file_name.clone(),
                        content_type: r.content_type.clone(),
                        size_bytes: r.size_bytes,
                        uploaded_at: rfc3339(r.uploaded_at),
                        href: format!(
                            "/api/v1/preapprovals/{}/presenters/{}/resume",
                            p.id, presenter.position
                        ),
                    }),
                })
                .collect(),
            apply_by: kecs_domain::rules::preapproval::event_preapproval_latest_application(
                p.plan.starts_on,
            )
            .to_string(),
            received_on: p.received_on.map(|d| d.to_string()),
            clock,
            decision_due_on: p.decision_due_on.map(|d| d.to_string()),
            overdue: p.overdue(today),
            information_requests: p
                .information_requests
                .iter()
                .map(|r| InformationRequestBody {
                    requested_at: rfc3339(r.requested_at),
                    message: r.message.clone(),
                    answered_at: r.answered_at.map(rfc3339),
                    answer: r.answer.clone(),
                })
                .collect(),
            approval,
            denial,
            next_step: next_for(p, today),
            created_at: rfc3339(p.created_at),
        }
    }
}

whole_list! {
    /// A sponsor's applications for preapproval, the latest first.
    PreapprovalList of PreapprovalBody;
}

fn ok(p: &Preapproval, today: NaiveDate) -> HttpResponse {
    HttpResponse::Ok().json(PreapprovalBody::of(p, today))
}

/// Drafts an application for preapproval of an event in the sponsor's
/// name: DCC-201 for a conference, seminar, institute, independent study or
/// workshop, DCC-201a for an online training (Sec. 16(3)). Attach the
/// résumés, then submit.
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The sponsor id")),
    request_body = PreapprovalRequest,
    responses(
        (status = 201, description = "Drafted", body = PreapprovalBody, headers(("Location" = String, description = "The application"))),
        ReadsJsonBody,
        (status = 422, response = InvalidFields),
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
    )
)]
#[post("/sponsors/{id}/preapprovals")]
pub async fn draft_preapproval(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
    body: ApiJson<PreapprovalRequest>,
) -> Result<HttpResponse, ApiError> {
    let parsed = body.0.parse()?;
    let sponsor_id = path.into_inner();
    let today = ctx.now.date();
    let preapproval = blocking(move || {
        preapprovals::draft(
            &state,
            &ctx,
            &applicant.0.account_id,
            &sponsor_id,
            parsed.kind,
            &parsed.plan,
            &parsed.presenters,
        )
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/preapprovals/{}", preapproval.id),
        ))
        .json(PreapprovalBody::of(&preapproval, today)))
}

/// Revises a draft: its event and presenters replaced by the body, as when
/// drafted. A presenter who stays at the same place with the same name,
/// date of birth and credential keeps the résumé attached.
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    request_body = PreapprovalRequest,
    responses(
        (status = 200, description = "Revised", body = PreapprovalBody),
        ReadsJsonBody,
        (status = 422, response = InvalidFields),
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "`preapproval_not_now`: no longer a draft", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/preapprovals/{id}")]
pub async fn revise_preapproval(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
    body: ApiJson<PreapprovalRequest>,
) -> Result<HttpResponse, ApiError> {
    let parsed = body.0.parse()?;
    let id = path.into_inner();
    let today = ctx.now.date();
    let preapproval = blocking(move || {
        preapprovals::revise(
            &state,
            &ctx,
            &applicant.0.account_id,
            &id,
            parsed.kind,
            &parsed.plan,
            &parsed.presenters,
        )
    })
    .await?;
    Ok(ok(&preapproval, today))
}

/// A sponsor's applications, for its representatives and staff.
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The sponsor id")),
    responses(
        (status = 200, description = "The sponsor's applications", body = PreapprovalList),
        (status = 401, response = NotSignedIn),
        (status = 404, response = NotFound),
    )
)]
#[get("/sponsors/{id}/preapprovals")]
pub async fn sponsor_preapprovals(
    state: web::Data<Ports>,
    ctx: RequestContext,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let today = ctx.now.date();
    let found = blocking(move || preapprovals::of_sponsor(&state, &caller, &id)).await?;
    Ok(HttpResponse::Ok().json(PreapprovalList::whole(
        found
            .iter()
            .map(|p| PreapprovalBody::of(p, today))
            .collect(),
    )))
}

/// An application: the event, its presenters, where the cabinet's clock
/// stands, the decision with its reasons and what the sponsor may do next.
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    responses(
        (status = 200, description = "The application", body = PreapprovalBody),
        (status = 401, response = NotSignedIn),
        (status = 404, response = NotFound),
    )
)]
#[get("/preapprovals/{id}")]
pub async fn get_preapproval(
    state: web::Data<Ports>,
    ctx: RequestContext,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let today = ctx.now.date();
    let preapproval = blocking(move || preapprovals::get(&state, &caller, &id)).await?;
    Ok(ok(&preapproval, today))
}

/// The résumé form: one part, `file`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ResumeUploadForm {
    /// The résumé or vita: PDF, PNG, JPEG or DOCX (recognised from its
    /// bytes).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Attaches (or replaces) the résumé or vita of a presenter without a
/// credential, while the application is a draft (Sec. 16(4)(b)).
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id"),
        ("position" = i32, Path, minimum = 1, maximum = 50, description = "The presenter's position"),
    ),
    request_body(content = ResumeUploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "Attached", body = PreapprovalBody),
        SignedInAs<ApplicantsOnly>,
        (status = 400, description = "The multipart body is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = NotFound),
        (status = 409, description = "`preapproval_not_now`: no longer a draft", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is larger than allowed", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not multipart/form-data", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No file, an empty one or one of a kind not allowed, or a presenter who holds a credential", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/preapprovals/{id}/presenters/{position}/resume")]
pub async fn attach_resume(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (id, position) = path.into_inner();
    let form = read_form(
        Multipart::new(req.headers(), payload),
        state.config.attachment_max_bytes,
        BodyDeadline::growing(state.config.body_timeout, UPLOAD_MIN_BYTES_PER_SEC),
    )
    .await?;
    if form.too_large {
        return Err(ApiError::PayloadTooLarge {
            limit: state.config.attachment_max_bytes,
        });
    }
    let mut errors = FieldErrors::new();
    let given_extra = form
        .unknown
        .iter()
        .cloned()
        .chain(form.description.as_ref().map(|_| "description".to_owned()))
        .chain(form.document_type.as_ref().map(|_| "type".to_owned()));
    for name in given_extra {
        errors.push(name, "is not a part of this form (file)");
    }
    let upload = match form.file {
        None => {
            errors.push("file", "is required");
            None
        }
        Some((name, bytes)) => {
            let file_name = errors.check(
                "file",
                kecs_domain::application::AttachmentName::parse(&name),
            );
            let kind = crate::workflows::attachment_store::recognise(&bytes)
                .filter(|kind| state.config.attachment_types.contains(kind));
            if bytes.is_empty() {
                errors.push("file", "is empty");
            } else if kind.is_none() {
                errors.push(
                    "file",
                    format!(
                        "must be a PDF, PNG, JPEG or DOCX file; its content is {}",
                        crate::workflows::attachment_store::describe(&bytes)
                    ),
                );
            }
            match (file_name, kind) {
                (Some(file_name), Some(kind)) => Some(ResumeUpload {
                    file_name: file_name.as_str().to_owned(),
                    content_type: kind.mime().to_owned(),
                    bytes: bytes.into(),
                }),
                _ => None,
            }
        }
    };
    errors.into_result()?;
    let upload = upload.ok_or_else(|| ApiError::field("file", "is required"))?;
    let today = ctx.now.date();
    let preapproval = preapprovals::attach_resume(
        state.into_inner(),
        ctx,
        applicant.0.account_id,
        id,
        position,
        upload,
    )
    .await?;
    Ok(ok(&preapproval, today))
}

/// Downloads a presenter's résumé, streamed.
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id"),
        ("position" = i32, Path, minimum = 1, maximum = 50, description = "The presenter's position"),
    ),
    responses(
        (status = 200, description = "The file, as the type recognised from its bytes",
            content(
                (crate::http::routes::attachments::FileBytes = "application/pdf"),
                (crate::http::routes::attachments::FileBytes = "image/png"),
                (crate::http::routes::attachments::FileBytes = "image/jpeg"),
                (crate::http::routes::attachments::FileBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            )),
        (status = 401, response = NotSignedIn),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    )
)]
#[get("/preapprovals/{id}/presenters/{position}/resume")]
pub async fn download_resume(
    state: web::Data<Ports>,
    caller: Caller,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (id, position) = path.into_inner();
    let (resume, stored) =
        preapprovals::open_resume(state.into_inner(), caller, id, position).await?;
    Ok(HttpResponse::Ok()
        .content_type(resume.content_type.clone())
        .insert_header(attachment_disposition(&resume.file_name))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .streaming(
            stored
                .into_stream()
                .map_err(|e| actix_web::error::ErrorServiceUnavailable(e.to_string())),
        ))
}

/// Submits the draft. It is received today if every rule holds — the
/// sponsor not barred (16(10)), 30 days before the event (16(2)),
/// preapproval needed at all (16(1), (11)), a résumé for each presenter
/// without a credential (16(4)(b)), no such presenter past five
/// applications this calendar year (16(6)) — all reported at once, each
/// under its field with its citation. The decision is then due in ten
/// working days (16(2)).
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    responses(
        (status = 200, description = "Received", body = PreapprovalBody),
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "`preapproval_not_now`: already submitted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`preapproval_refused`: each unmet rule of Sec. 16 with its citation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/preapprovals/{id}/submit")]
pub async fn submit_preapproval(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let today = ctx.now.date();
    let preapproval =
        blocking(move || preapprovals::submit(&state, &ctx, &applicant.0.account_id, &id)).await?;
    Ok(ok(&preapproval, today))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InformationAnswer {
    /// The sponsor's answer to the cabinet's request.
    #[schema(
        min_length = 1,
        max_length = 5000,
        pattern = r"^[^\s<\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub answer: String,
}

/// Answers the cabinet's request for information: the clock runs again,
/// the days it waited not counted (Sec. 16(2)).
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    request_body = InformationAnswer,
    responses(
        (status = 200, description = "Answered; `decision_due_on` is set again", body = PreapprovalBody),
        ReadsJsonBody,
        (status = 422, response = InvalidFields),
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "`preapproval_not_now`: no information was asked for", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/preapprovals/{id}/information")]
pub async fn answer_information_request(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
    body: ApiJson<InformationAnswer>,
) -> Result<HttpResponse, ApiError> {
    let answer = plain_text(&body.0.answer, 5000).map_err(|e| ApiError::field("answer", e.0))?;
    let id = path.into_inner();
    let today = ctx.now.date();
    let preapproval =
        blocking(move || preapprovals::answer(&state, &ctx, &applicant.0.account_id, &id, &answer))
            .await?;
    Ok(ok(&preapproval, today))
}

/// Asks the denied sponsor's review (Sec. 16(9) → 14(3)(b)): within 10
/// days of the denial; the written order is due 30 days later.
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    request_body = DenialReviewRequest,
    responses(
        (status = 201, description = "Requested; `denial.review.order_due_on` is set", body = PreapprovalBody),
        ReadsJsonBody,
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "Not denied, or a review was already requested", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`review_request_too_late`: the 10 days have passed (Sec. 14(3)(b))", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/preapprovals/{id}/review-request")]
pub async fn request_preapproval_review(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
    body: ApiJson<DenialReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let statement =
        plain_text(&body.0.statement, 5000).map_err(|e| ApiError::field("statement", e.0))?;
    let id = path.into_inner();
    let today = ctx.now.date();
    let preapproval = blocking(move || {
        preapprovals::request_review(&state, &ctx, &applicant.0.account_id, &id, &statement)
    })
    .await?;
    Ok(HttpResponse::Created().json(PreapprovalBody::of(&preapproval, today)))
}

/// Which part of the queue.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Waiting {
    /// Received and complete: the cabinet's clock runs.
    #[default]
    Decision,
    /// Information was asked for: waiting for the sponsor.
    Information,
    /// A denial's review was requested: waiting for the written order, by
    /// the day it is due (Sec. 16(9) → 14(3)(c)).
    Review,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `decision` (default): ordered by the decision's due date, earliest
    /// first; `information`: ordered by receipt; `review`: requested reviews
    /// of denials by the day the written order is due.
    #[param(inline)]
    pub waiting: Option<Waiting>,
    /// Only those past their due date (decisions, or review orders).
    pub overdue: Option<bool>,
    /// At most this many (1-100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PreapprovalPage {
    pub items: Vec<PreapprovalBody>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The preapproval queue (specialists and admins): applications awaiting a
/// decision by due date, or awaiting the sponsor's information; with
/// `overdue=true`, the decisions past their ten working days.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(QueueQuery),
    responses(
        (status = 200, description = "A page of the queue", body = PreapprovalPage),
        SignedInAs<StaffOnly>,
        (status = 422, response = InvalidQuery),
    )
)]
#[get("/review/preapprovals")]
pub async fn preapproval_queue(
    state: web::Data<Ports>,
    ctx: RequestContext,
    _staff: Staff,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, ApiError> {
    let today = ctx.now.date();
    let which = match query.waiting.unwrap_or_default() {
        Waiting::Decision => preapprovals::Queue::AwaitingDecision,
        Waiting::Information => preapprovals::Queue::AwaitingInformation,
        Waiting::Review => preapprovals::Queue::AwaitingReviewOrder,
    };
    let mut errors = FieldErrors::new();
    if query.overdue == Some(true) && which == preapprovals::Queue::AwaitingInformation {
        errors.push(
            "overdue",
            "applies to waiting=decision only: the clock is stopped",
        );
    }
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
        blocking(move || preapprovals::queue(&state, which, overdue_on, after, limit + 1)).await?;
    let (page, next_cursor) = cursor::page_of(found, limit, |p| {
        let key = match which {
            preapprovals::Queue::AwaitingDecision => p.decision_due_on,
            preapprovals::Queue::AwaitingInformation => p.received_on,
            preapprovals::Queue::AwaitingReviewOrder => {
                p.denial.as_ref().and_then(|d| d.order_due_on())
            }
        }?;
        Some(cursor::encode(&key.to_string(), &p.id))
    });
    Ok(HttpResponse::Ok().json(PreapprovalPage {
        items: page.iter().map(|p| PreapprovalBody::of(p, today)).collect(),
        next_cursor,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InformationRequestRequest {
    /// What the cabinet needs, as the sponsor will read it.
    #[schema(
        min_length = 1,
        max_length = 5000,
        pattern = r"^[^\s<\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub message: String,
}

/// Asks the sponsor for missing information: the clock stops until the
/// answer (Sec. 16(2)). The sponsor is mailed.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    request_body = InformationRequestRequest,
    responses(
        (status = 200, description = "Asked; the clock is stopped", body = PreapprovalBody),
        ReadsJsonBody,
        (status = 422, response = InvalidFields),
        SignedInAs<StaffOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "`preapproval_not_now`: not awaiting a decision", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/review/preapprovals/{id}/information-requests")]
pub async fn request_information(
    state: web::Data<Ports>,
    ctx: RequestContext,
    staff: Staff,
    path: web::Path<String>,
    body: ApiJson<InformationRequestRequest>,
) -> Result<HttpResponse, ApiError> {
    let message = plain_text(&body.0.message, 5000).map_err(|e| ApiError::field("message", e.0))?;
    let id = path.into_inner();
    let today = ctx.now.date();
    let preapproval = blocking(move || {
        preapprovals::request_information(&state, &ctx, &staff.0.account_id, &id, &message)
    })
    .await?;
    Ok(ok(&preapproval, today))
}

#[derive(Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveRequest {
    /// A note to the sponsor.
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\s<\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub note: Option<String>,
}

/// Approves the event, for it and its presenters only (Sec. 16(5)); an
/// online training's approval expires two years from today (16(7)). The
/// body may be omitted.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    request_body(content = Option<ApproveRequest>, description = "Optional"),
    responses(
        (status = 200, description = "Approved", body = PreapprovalBody),
        ReadsJsonBody,
        (status = 422, response = InvalidFields),
        SignedInAs<StaffOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "`preapproval_not_now`: not awaiting a decision", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/review/preapprovals/{id}/approve")]
pub async fn approve_preapproval(
    state: web::Data<Ports>,
    ctx: RequestContext,
    staff: Staff,
    path: web::Path<String>,
    body: OptionalApiJson<ApproveRequest>,
) -> Result<HttpResponse, ApiError> {
    let note = body
        .0
        .note
        .as_deref()
        .map(|n| plain_text(n, 2000).map_err(|e| ApiError::field("note", e.0)))
        .transpose()?;
    let id = path.into_inner();
    let today = ctx.now.date();
    let preapproval = blocking(move || {
        preapprovals::approve(&state, &ctx, &staff.0.account_id, &id, note.as_deref())
    })
    .await?;
    Ok(ok(&preapproval, today))
}

/// Denies the event, each reason citing the regulation; the sponsor may
/// request a review within 10 days (Sec. 16(9) → 14(3)).
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    request_body = DenyRequest,
    responses(
        (status = 200, description = "Denied", body = PreapprovalBody),
        ReadsJsonBody,
        (status = 422, response = InvalidFields),
        SignedInAs<StaffOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "`preapproval_not_now`: not awaiting a decision", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/review/preapprovals/{id}/deny")]
pub async fn deny_preapproval(
    state: web::Data<Ports>,
    ctx: RequestContext,
    staff: Staff,
    path: web::Path<String>,
    body: ApiJson<DenyRequest>,
) -> Result<HttpResponse, ApiError> {
    let reasons = parse_reasons(&body.0.reasons)?;
    let id = path.into_inner();
    let today = ctx.now.date();
    let preapproval =
        blocking(move || preapprovals::deny(&state, &ctx, &staff.0.account_id, &id, &reasons))
            .await?;
    Ok(ok(&preapproval, today))
}

/// Extends a requested review of a denied preapproval with notice to the
/// sponsor (Sec. 16(9) → 14(3)(c)1-2): only before the order is late, and
/// to a later day.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    request_body = ExtensionRequest,
    responses(
        (status = 200, description = "Extended; `denial.review.extension` is set", body = PreapprovalBody),
        ReadsJsonBody,
        SignedInAs<AdminsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "Not denied, no review requested, or already decided", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Past the 30 days (`extension_too_late`, with the clause), or a bad date or reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/preapprovals/{id}/review-extension")]
pub async fn extend_preapproval_review(
    state: web::Data<Ports>,
    ctx: RequestContext,
    admin: Admin,
    path: web::Path<String>,
    body: ApiJson<ExtensionRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::new();
    let reason = errors.check("reason", plain_text(&body.0.reason, 2000));
    let until = errors.check("decide_by", parse_date(&body.0.decide_by));
    errors.clone().into_result()?;
    let (Some(reason), Some(until)) = (reason, until) else {
        return Err(errors.into());
    };
    let id = path.into_inner();
    let today = ctx.now.date();
    let preapproval = blocking(move || {
        preapprovals::extend_review(&state, &ctx, &admin.0.account_id, &id, &reason, until)
    })
    .await?;
    Ok(ok(&preapproval, today))
}

/// Issues the written order on a requested review of a denied preapproval
/// (Sec. 16(9) → 14(3)(c)); overturned, the event is approved from today.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    request_body = DecisionRequest,
    responses(
        (status = 200, description = "Decided", body = PreapprovalBody),
        ReadsJsonBody,
        (status = 422, response = InvalidFields),
        SignedInAs<AdminsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "Not denied, no review requested, or already decided", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/preapprovals/{id}/review-decision")]
pub async fn decide_preapproval_review(
    state: web::Data<Ports>,
    ctx: RequestContext,
    admin: Admin,
    path: web::Path<String>,
    body: ApiJson<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let order = plain_text(&body.0.order, 10_000).map_err(|e| ApiError::field("order", e.0))?;
    let decision = match body.0.decision {
        ReviewDecision::Upheld => DomainDecision::Upheld,
        ReviewDecision::Overturned => DomainDecision::Overturned,
    };
    let id = path.into_inner();
    let today = ctx.now.date();
    let preapproval = blocking(move || {
        preapprovals::decide_review(&state, &ctx, &admin.0.account_id, &id, decision, &order)
    })
    .await?;
    Ok(ok(&preapproval, today))
}

// ---- the public list (Sec. 17(3)) -------------------------------------------

/// How an approved training is delivered, for the public list's search.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryKind {
    FaceToFace,
    Online,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ApprovedTrainingsQuery {
    /// Words the title contains (any case).
    #[param(max_length = 100, example = "sleep")]
    pub title: Option<String>,
    /// A topic of Sec. 2(5).
    #[param(example = "health_safety_nutrition")]
    pub topic: Option<String>,
    #[param(inline)]
    pub delivery: Option<DeliveryKind>,
    /// Words the sponsor's name contains (any case).
    #[param(max_length = 100)]
    pub sponsor: Option<String>,
    /// Trainings starting on or after this day.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Trainings starting on or before this day.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
    /// At most this many (1-100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A preapproved training as the public sees it: the event and its
/// sponsoring organisation, never a person.
#[derive(Serialize, ToSchema)]
pub struct ApprovedTrainingBody {
    pub id: String,
    pub title: String,
    pub kind: EventKindName,
    #[schema(example = "DCC-201")]
    pub form: &'static str,
    /// The sponsoring organisation.
    pub sponsor: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: String,
    #[schema(value_type = String, format = Date)]
    pub ends_on: String,
    pub clock_hours: f64,
    pub delivery: DeliveryKind,
    pub topics: Vec<TopicName>,
    pub purposes: Vec<PurposeName>,
    #[schema(example = "Franklin")]
    pub county: Option<&'static str>,
    #[schema(value_type = String, format = Date)]
    pub approved_on: String,
    /// An online training's approval ends on this day (Sec. 16(7)).
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<String>,
}

impl ApprovedTrainingBody {
    fn of(p: &ApprovedTraining) -> Self {
        Self {
            id: p.id.clone(),
            title: p.plan.title.clone(),
            kind: EventKindName(p.kind),
            form: p.form().as_str(),
            sponsor: p.sponsor_name.clone(),
            starts_on: p.plan.starts_on.to_string(),
            ends_on: p.plan.ends_on.to_string(),
            clock_hours: p.plan.length.as_hours(),
            delivery: if p.plan.is_online() {
                DeliveryKind::Online
            } else {
                DeliveryKind::FaceToFace
            },
            topics: p.plan.topics.iter().copied().map(TopicName).collect(),
            purposes: p.plan.purposes.iter().copied().map(PurposeName).collect(),
            county: p.plan.county.map(County::name),
            approved_on: p.approved_on.to_string(),
            expires_on: p.expires_on.map(|d| d.to_string()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApprovedTrainingList {
    pub items: Vec<ApprovedTrainingBody>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

fn folded_words(errors: &mut FieldErrors, field: &str, raw: &Option<String>) -> Option<String> {
    let raw = raw.as_deref()?;
    let folded = raw
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    if folded.is_empty() || folded.chars().count() > 100 {
        errors.push(field, "must be 1 to 100 characters");
        return None;
    }
    if folded.chars().any(char::is_control) {
        errors.push(field, "must not contain control characters");
        return None;
    }
    Some(folded)
}

/// The list of preapproved trainings (Sec. 17(3)): approved events not yet
/// over and online trainings whose approval has not expired (16(7)), by
/// start date. Searchable by title, topic, delivery, sponsor and dates. No
/// account needed; no personal data.
#[utoipa::path(
    tag = "public",
    params(ApprovedTrainingsQuery),
    responses(
        (status = 200, description = "A page of preapproved trainings", body = ApprovedTrainingList),
        (status = 422, response = InvalidQuery),
    )
)]
#[get("/public/approved-trainings")]
pub async fn approved_trainings(
    state: web::Data<Ports>,
    ctx: RequestContext,
    query: web::Query<ApprovedTrainingsQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::new();
    let title = folded_words(&mut errors, "title", &query.title);
    let sponsor = folded_words(&mut errors, "sponsor", &query.sponsor);
    let topic = query.topic.as_deref().and_then(|raw| {
        let topic = Topic::parse(raw).ok();
        if topic.is_none() {
            errors.push("topic", "is not a topic of Sec. 2(5)");
        }
        topic
    });
    let from = query
        .from
        .as_deref()
        .and_then(|raw| errors.check("from", parse_date(raw)));
    let to = query
        .to
        .as_deref()
        .and_then(|raw| errors.check("to", parse_date(raw)));
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
    let search = crate::workflows::preapprovals::ApprovedSearch {
        title,
        topic,
        online: query.delivery.map(|d| matches!(d, DeliveryKind::Online)),
        sponsor,
        from,
        to,
    };
    let today = ctx.now.date();
    let found =
        blocking(move || preapprovals::listed(&state, &search, today, after, limit + 1)).await?;
    let (page, next_cursor) = cursor::page_of(found, limit, |p| {
        Some(cursor::encode(&p.plan.starts_on.to_string(), &p.id))
    });
    Ok(HttpResponse::Ok().json(ApprovedTrainingList {
        items: page.iter().map(ApprovedTrainingBody::of).collect(),
        next_cursor,
    }))
}
