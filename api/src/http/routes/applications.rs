//! Applications: request types, starting one, its overview and elements,
//! Character & Fitness, withdrawal.

use crate::http::auth::{Applicant, ElementCaller};
use crate::http::error::{ApiError, Problem};
use crate::http::extract::{ApiJson, JsonObject, OptionalApiJson, blocking};
use crate::http::wire::answers::AnswersBody;
use crate::http::wire::element_data;
use crate::http::wire::elements::{ElementBody, parse_element};
use crate::http::wire::{ElementKeyName, LevelName, RequestTypeName};
use crate::workflows::Ports;
use crate::workflows::RequestContext;
use crate::workflows::WorkflowError;
use crate::workflows::applications::{self, ApplicationView};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use kecs_domain::application::invitee::{claim_confirmed, invitee_requirements};
use kecs_domain::application::{
    self as domain, Application, CHARACTER_AND_FITNESS_QUESTIONS, CharacterAndFitnessAnswer,
    CharacterAndFitnessAnswers, ElementContent, ElementKey, Evaluation, QuestionKind,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

// ---- request types ----------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct ChoiceBody {
    pub value: String,
    pub label: String,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionBody {
    /// The key of the answer in `answers`.
    #[schema(example = "first_time_applicant")]
    pub key: &'static str,
    pub prompt: String,
    /// `yes_no` (a boolean answer) or `choice` (one of `choices`).
    #[schema(example = "yes_no")]
    pub kind: &'static str,
    pub choices: Vec<ChoiceBody>,
    pub required: bool,
    pub citation: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RequestTypeBody {
    pub key: RequestTypeName,
    pub title: &'static str,
    /// The clarifying questions this request type asks.
    pub questions: Vec<QuestionBody>,
}

#[derive(Serialize, ToSchema)]
pub struct CharacterAndFitnessQuestionBody {
    pub key: &'static str,
    pub prompt: &'static str,
    pub citation: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RequestTypesResponse {
    pub request_types: Vec<RequestTypeBody>,
    /// The questions of the Character & Fitness element; a "yes" needs a statement.
    pub character_and_fitness_questions: Vec<CharacterAndFitnessQuestionBody>,
}

fn question_body(question: domain::Question) -> QuestionBody {
    let (kind, choices) = match question.kind {
        QuestionKind::YesNo => ("yes_no", Vec::new()),
        QuestionKind::Choice(choices) => (
            "choice",
            choices
                .into_iter()
                .map(|c| ChoiceBody {
                    value: c.value,
                    label: c.label,
                })
                .collect(),
        ),
    };
    QuestionBody {
        key: question.key,
        prompt: question.prompt,
        kind,
        choices,
        required: question.required,
        citation: question.citation.map(|c| c.to_string()),
    }
}

/// The request types one may apply for, each with its clarifying questions.
/// Several may be chosen at once: one credential, plus the seminar waiver with
/// a new Level 2-5.
#[utoipa::path(
    tag = "applications",
    responses(
        (status = 200, description = "Every request type and its questions", body = RequestTypesResponse),
        (status = 405, response = MethodNotAllowed),
    )
)]
#[get("/request-types")]
pub async fn request_types() -> HttpResponse {
    HttpResponse::Ok().json(RequestTypesResponse {
        request_types: domain::all_questions()
            .into_iter()
            .map(|(request_type, questions)| RequestTypeBody {
                key: RequestTypeName(request_type),
                title: request_type.title(),
                questions: questions.into_iter().map(question_body).collect(),
            })
            .collect(),
        character_and_fitness_questions: CHARACTER_AND_FITNESS_QUESTIONS
            .iter()
            .map(|q| CharacterAndFitnessQuestionBody {
                key: q.key,
                prompt: q.prompt,
                citation: q.citation.as_ref().map(ToString::to_string),
            })
            .collect(),
    })
}

// ---- overview ---------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct MissingBody {
    #[schema(example = "sec2_3_introduction_training")]
    pub rule: &'static str,
    pub citation: Option<String>,
    pub message: String,
    /// The fields of the element's data that would supply it (as named in
    /// the element's body); empty when it is about no one field, such as
    /// the applicant's age.
    #[schema(example = json!(["intro_training_clock_hours"]))]
    pub fields: Vec<&'static str>,
}

impl From<&domain::Missing> for MissingBody {
    fn from(missing: &domain::Missing) -> Self {
        Self {
            fields: missing.fields.clone(),
            rule: missing.rule,
            citation: missing.citation.as_ref().map(ToString::to_string),
            message: missing.message.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ElementSummaryBody {
    pub key: ElementKeyName,
    pub title: &'static str,
    /// Must be complete before payment (the guide's red asterisk).
    pub required: bool,
    /// Who completes it: `applicant`, `employer`, `co_trainer`, `training_coach`.
    #[schema(example = "applicant")]
    pub submitted_by: &'static str,
    /// `not_started`, `in_progress` (waiting on someone else), `complete`, `incomplete`.
    #[schema(example = "incomplete")]
    pub status: &'static str,
    /// What is still missing, each with the clause it comes from.
    pub missing: Vec<MissingBody>,
    /// The element's version: its ETag, for `If-Match`.
    pub version: i32,
    /// What a specialist returned the application for in this element, not
    /// yet resolved: each must be answered by saving the element again (a
    /// third party's, by their submitting it again) before resubmitting.
    /// Empty unless the application is back as deficient.
    pub deficiencies: Vec<ElementDeficiencyBody>,
}

#[derive(Serialize, ToSchema)]
pub struct ApplicationSummaryBody {
    pub id: String,
    #[schema(value_type = crate::http::wire::enums::ApplicationStatusName, example = "in_progress")]
    pub status: &'static str,
    pub request_types: Vec<RequestTypeName>,
    pub credential_level: LevelName,
    pub renewal: bool,
    #[schema(value_type = String, format = DateTime)]
    pub started_at: String,
    /// When it expires unless paid (90 days after it started).
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: String,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub submitted_at: Option<String>,
}

use crate::http::cursor;
use crate::http::responses::{
    ApplicantsOnly, InvalidQuery, MethodNotAllowed, NotFound, ReadsJsonBody, SignedInAs,
};
use crate::http::wire::deficiency::{DeficiencyBody, ElementDeficiencyBody};
use crate::http::wire::denial::ApplicantDenialBody;
use crate::http::wire::rfc3339;

impl From<&Application> for ApplicationSummaryBody {
    fn from(application: &Application) -> Self {
        Self {
            id: application.id.clone(),
            status: application.status.as_str(),
            request_types: application
                .request_types
                .iter()
                .copied()
                .map(RequestTypeName)
                .collect(),
            credential_level: LevelName(application.credential),
            renewal: application.renewal,
            started_at: rfc3339(application.started_at),
            expires_at: rfc3339(application.expires_at),
            submitted_at: application.submitted_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EvaluationBody {
    /// Whether the rules engine finds the credential's requirements met.
    pub eligible: bool,
    pub unmet: Vec<MissingBody>,
}

/// Where an application stands: its elements, what is missing, and the
/// rules engine's evaluation (the reviewer's file shows the same).
#[derive(Serialize, ToSchema)]
pub struct ApplicationProgressBody {
    #[serde(flatten)]
    pub application: ApplicationSummaryBody,
    /// Every required element is complete: the application may go to payment.
    pub ready_for_payment: bool,
    pub elements: Vec<ElementSummaryBody>,
    /// Requirements of the credential that belong to no element.
    pub other_missing: Vec<MissingBody>,
    pub evaluation: EvaluationBody,
}

/// The applicant's overview: where the application stands and, once it was
/// denied, why and what may still be done (Sec. 14(3)).
#[derive(Serialize, ToSchema)]
pub struct ApplicationOverviewBody {
    #[serde(flatten)]
    pub progress: ApplicationProgressBody,
    /// The denial with its cited reasons, the last day to ask for its
    /// review, the review and its written order, and the next step; null
    /// for an application never denied (an overturned denial stays shown).
    pub denial: Option<ApplicantDenialBody>,
    /// Why specialists returned the application as deficient: the open
    /// deficiencies first (newest first), then those of earlier returns,
    /// resolved when the application was resubmitted. Empty if it was
    /// never returned.
    pub deficiencies: Vec<DeficiencyBody>,
}

impl From<&ApplicationView> for ApplicationOverviewBody {
    fn from(view: &ApplicationView) -> Self {
        Self {
            progress: ApplicationProgressBody::from(view),
            denial: view.denial.as_ref().map(ApplicantDenialBody::from),
            deficiencies: view.deficiencies.iter().map(DeficiencyBody::from).collect(),
        }
    }
}

fn unmet_bodies(unmet: &[kecs_domain::rules::Unmet]) -> Vec<MissingBody> {
    unmet
        .iter()
        .map(|u| MissingBody::from(&domain::Missing::from(u.clone())))
        .collect()
}

impl From<&ApplicationView> for ApplicationProgressBody {
    fn from(view: &ApplicationView) -> Self {
        let evaluation = match &view.overview.evaluation {
            Evaluation::NewCredential(level) => EvaluationBody {
                eligible: level.eligible,
                unmet: unmet_bodies(&level.unmet),
            },
            Evaluation::Renewal(renewal) => EvaluationBody {
                eligible: renewal.eligible,
                unmet: unmet_bodies(&renewal.unmet),
            },
        };
        Self {
            application: ApplicationSummaryBody::from(&view.application),
            ready_for_payment: view.overview.ready_for_payment,
            elements: view
                .overview
                .elements
                .iter()
                .map(|e| ElementSummaryBody {
                    key: ElementKeyName(e.key),
                    title: e.title,
                    required: e.required,
                    submitted_by: e.submitted_by.as_str(),
                    status: e.status.as_str(),
                    missing: e.missing.iter().map(MissingBody::from).collect(),
                    version: view.element(e.key).map(|s| s.version).unwrap_or(0),
                    deficiencies: view
                        .open_deficiencies(e.key)
                        .map(ElementDeficiencyBody::from)
                        .collect(),
                })
                .collect(),
            other_missing: view
                .overview
                .other_missing
                .iter()
                .map(MissingBody::from)
                .collect(),
            evaluation,
        }
    }
}

// ---- start and read ----------------------------------------------------------

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartApplicationRequest {
    /// One credential request, plus `seminar_waiver` with a new Level 2-5.
    #[schema(min_items = 1)]
    pub request_types: Vec<RequestTypeName>,
    #[serde(default)]
    pub answers: AnswersBody,
}

/// Starts an application. Refused (422 `profile_incomplete`) while the
/// profile lacks a mailing address or phone or the email is unconfirmed;
/// 422 `invalid_selection` when the request types and answers do not make an
/// application.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    request_body = StartApplicationRequest,
    responses(
        (status = 201, description = "Started; its elements and their status", body = ApplicationOverviewBody,
            headers(("Location" = String, description = "The application's URL"))),
        ReadsJsonBody,
        SignedInAs<ApplicantsOnly>,
        (status = 422, description = "Profile incomplete, or an invalid selection (with the clause it breaks)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/applications")]
pub async fn start_application(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    body: ApiJson<StartApplicationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let selected: Vec<_> = body.request_types.iter().map(|t| t.0).collect();
    let answers = domain::Answers::from(&body.answers);
    let view = blocking(move || {
        applications::start(&state, &ctx, &applicant.0.account_id, &selected, &answers)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/applications/{}", view.application.id),
        ))
        .json(ApplicationOverviewBody::from(&view)))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// At most this many (1-100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApplicationList {
    pub items: Vec<ApplicationSummaryBody>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The caller's applications, newest first.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "A page of applications", body = ApplicationList),
        SignedInAs<ApplicantsOnly>,
        (status = 422, response = InvalidQuery),
    )
)]
#[get("/applications")]
pub async fn list_applications(
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
        blocking(move || applications::list(&state, &applicant.0.account_id, before, limit + 1))
            .await?;
    let (items, next_cursor) = cursor::page_of(page, limit, |a| {
        Some(cursor::encode_at(a.started_at, &a.id))
    });
    Ok(HttpResponse::Ok().json(ApplicationList {
        items: items.iter().map(ApplicationSummaryBody::from).collect(),
        next_cursor,
    }))
}

/// The overview: status, expiry, and every element with what is missing.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    responses(
        (status = 200, description = "The overview", body = ApplicationOverviewBody),
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
    )
)]
#[get("/applications/{id}")]
pub async fn application_overview(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let view =
        blocking(move || applications::view(&state, &ctx, &applicant.0.account_id, &id)).await?;
    Ok(HttpResponse::Ok().json(ApplicationOverviewBody::from(&view)))
}

// ---- elements -----------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct ElementResponse {
    #[serde(flatten)]
    pub summary: ElementSummaryBody,
    /// Whose application this is; given only to an invited third party.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applicant_name: Option<String>,
    /// What the element must show, each with its clause; to an invited
    /// third party, in words addressed to them.
    pub requirements: Vec<String>,
    /// Given only to an invited third party whose element confirms another:
    /// what the applicant claimed there (the employer reads the
    /// `experience` they verify, Sec. 3(1)(a)).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<element_data::ExperienceData>)]
    pub applicant_claims: Option<serde_json::Value>,
    /// The saved data (typed per element in the contract:
    /// `wire::element_data::ElementPaths`); null before the first save.
    pub data: Option<serde_json::Value>,
    /// Files attached to this element.
    pub attachments: Vec<super::attachments::AttachmentBody>,
}

fn element_response(
    view: &ApplicationView,
    key: ElementKey,
    applicant_name: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let spec = view
        .plan
        .elements
        .iter()
        .find(|e| e.key == key)
        .ok_or(ApiError::from(WorkflowError::NotFound))?;
    let summary = ApplicationProgressBody::from(view)
        .elements
        .into_iter()
        .find(|e| e.key.0 == key)
        .ok_or(ApiError::from(WorkflowError::NotFound))?;
    let stored = view.element(key);
    let version = stored.map(|s| s.version).unwrap_or(0);
    let data = stored.and_then(|s| s.data.as_ref()).map(element_data_json);
    let (requirements, applicant_claims) = match &applicant_name {
        Some(name) => (
            invitee_requirements(key, name).unwrap_or_else(|| spec.requirements.clone()),
            claim_confirmed(key)
                .and_then(|claimed| view.element(claimed))
                .and_then(|s| s.data.as_ref())
                .map(element_data_json),
        ),
        None => (spec.requirements.clone(), None),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, format!("\"{version}\"")))
        .json(ElementResponse {
            summary,
            applicant_name,
            requirements,
            applicant_claims,
            data,
            attachments: view
                .attachments
                .iter()
                .filter(|a| a.element_key == key)
                .map(super::attachments::AttachmentBody::from)
                .collect(),
        }))
}

fn element_key(raw: &str) -> Result<ElementKey, ApiError> {
    ElementKey::parse(raw).ok_or(ApiError::from(WorkflowError::NotFound))
}

/// One element: its requirements, who submits it, its status and data. The
/// `ETag` is its version. Read by the owner, or by the third party invited
/// to submit it (with the `Invitation-Token` of the mailed link, no account).
#[utoipa::path(
    tag = "applications",
    security(("bearer" = []), ("invitation" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id"), ("key" = ElementKeyName, Path, description = "The element key")),
    responses(
        (status = 200, description = "The element", body = ElementResponse, headers(("ETag" = String, description = "The element's version"))),
        SignedInAs<ApplicantsOnly>,
        (status = 404, description = "No such application of yours, no such element in it, or an invitation token not for this element", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The invitation was used, replaced or has expired", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/applications/{id}/elements/{key}")]
pub async fn get_element(
    state: web::Data<Ports>,
    ctx: RequestContext,
    caller: ElementCaller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, key) = path.into_inner();
    let key = element_key(&key)?;
    match caller {
        ElementCaller::Applicant(applicant) => {
            let view =
                blocking(move || applications::view(&state, &ctx, &applicant.account_id, &id))
                    .await?;
            element_response(&view, key, None)
        }
        ElementCaller::Invitee(token) => {
            let (view, applicant) =
                blocking(move || applications::invitee_view(&state, &ctx, &token, &id, key))
                    .await?;
            element_response(&view, key, Some(applicant))
        }
    }
}

/// The version an `If-Match` header names: `"3"`, `W/"3"` or `*` (any).
fn if_match(req: &HttpRequest) -> Result<Option<i32>, ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let raw = value.to_str().unwrap_or("").trim();
    if raw == "*" {
        return Ok(None);
    }
    raw.trim_start_matches("W/")
        .trim_matches('"')
        .parse::<i32>()
        .map(Some)
        .map_err(|_| ApiError::from(WorkflowError::Stale { current: -1 }))
}

/// Saves an element as a draft (any subset of its fields). With `If-Match`
/// the save happens only if nobody saved it since the version read (412
/// otherwise). Refused (409) once the application is submitted or expired.
/// An invited third party (`Invitation-Token`) submits their element once:
/// it becomes final and the link is used up.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = []), ("invitation" = [])),
    params(
        ("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id"),
        ("key" = ElementKeyName, Path, description = "The element key"),
        ("If-Match" = Option<String>, Header, description = "The ETag read; the save is refused if the element changed since"),
    ),
    responses(
        (status = 200, description = "Saved; the element with its new status", body = ElementResponse, headers(("ETag" = String, description = "The element's new version"))),
        ReadsJsonBody,
        SignedInAs<ApplicantsOnly>,
        (status = 404, description = "No such application of yours, no such element in it, or an invitation token not for this element", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The application cannot change (`application_expired`, `application_not_editable`), the element is final, another person submits it, or the invitation was used, replaced or expired", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The element changed since the ETag in If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid or not a field of this element", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/applications/{id}/elements/{key}")]
pub async fn put_element(
    req: HttpRequest,
    state: web::Data<Ports>,
    ctx: RequestContext,
    caller: ElementCaller,
    path: web::Path<(String, String)>,
    body: JsonObject,
) -> Result<HttpResponse, ApiError> {
    let (id, key) = path.into_inner();
    let key = element_key(&key)?;
    let expected = if_match(&req)?;
    if let ElementCaller::Invitee(token) = &caller {
        let (state, ctx, token, id) = (state.clone(), ctx.clone(), token.clone(), id.clone());
        blocking(move || applications::invitee_check(&state, &ctx, &token, &id, key)).await?;
    }
    let data = parse_element(key, body.0)?;
    match caller {
        ElementCaller::Applicant(applicant) => {
            let view = blocking(move || {
                applications::save_element(
                    &state,
                    &ctx,
                    &applicant.account_id,
                    &id,
                    &data,
                    expected,
                )
            })
            .await?;
            element_response(&view, key, None)
        }
        ElementCaller::Invitee(token) => {
            let (view, applicant) =
                blocking(move || applications::invitee_submit(&state, &ctx, &token, &id, &data))
                    .await?;
            element_response(&view, key, Some(applicant))
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct InvitationRequest {
    /// The person or organisation asked to submit the element. Leave out
    /// both name and email (or the whole body) to invite whoever the
    /// application already names: the employer of `experience`, the
    /// co-trainer of `co_training`, the coach of `coach_observation`.
    #[schema(example = "Sunshine Child Care Center")]
    pub name: Option<String>,
    #[schema(example = "director@sunshine.example.org")]
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationSent {
    pub element: ElementKeyName,
    pub name: String,
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// The link works once, until then.
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: String,
}

/// The person named in an invitation body: both name and email.
fn invitee(name: Option<&str>, email: Option<&str>) -> Result<applications::Invitee, ApiError> {
    let mut errors = kecs_domain::validation::FieldErrors::new();
    let name = name.unwrap_or_default().trim().to_owned();
    if name.is_empty()
        || name.chars().count() > 200
        || name
            .chars()
            .any(|c| c.is_control() || matches!(c, '<' | '>'))
    {
        errors.push("name", "must be a name of 1 to 200 plain characters");
    }
    let email = errors.check(
        "email",
        kecs_domain::account::EmailAddress::parse(email.unwrap_or_default()),
    );
    match (email, errors.is_empty()) {
        (Some(email), true) => Ok(applications::Invitee { name, email }),
        _ => Err(errors.into()),
    }
}

/// Mails a single-use link to the person who submits this element (an
/// employer verifying experience, a co-trainer, a training coach); they
/// submit it without an account. A new invitation replaces the earlier one.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id"), ("key" = ElementKeyName, Path, description = "The element key")),
    request_body(content = Option<InvitationRequest>, description = "Whom to invite; may be omitted to invite whoever the application already names"),
    responses(
        (status = 202, description = "The link is on its way", body = InvitationSent),
        ReadsJsonBody,
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "The element is the applicant's own or already submitted, or the application cannot change", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A name or email is missing or invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/applications/{id}/elements/{key}/invitation")]
pub async fn invite_submitter(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<(String, String)>,
    body: OptionalApiJson<InvitationRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, key) = path.into_inner();
    let key = element_key(&key)?;
    let given = match (body.0.name, body.0.email) {
        (None, None) => None,
        (name, email) => Some(invitee(name.as_deref(), email.as_deref())?),
    };
    let (expires_at, invitee) = blocking(move || {
        applications::invite(&state, &ctx, &applicant.0.account_id, &id, key, given)
    })
    .await?;
    let (name, email) = (invitee.name, invitee.email.as_str().to_owned());
    Ok(HttpResponse::Accepted().json(InvitationSent {
        element: ElementKeyName(key),
        name,
        email,
        expires_at: rfc3339(expires_at),
    }))
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CharacterAndFitnessAnswerBody {
    /// A question key from `GET /request-types`.
    pub key: String,
    pub answer: bool,
    /// Required for every "yes"; none for a "no".
    pub statement: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CharacterAndFitnessRequest {
    /// One answer for every question.
    pub answers: Vec<CharacterAndFitnessAnswerBody>,
}

/// The answers as submitted (every statement given, `null` with a "no").
impl From<&CharacterAndFitnessAnswers> for CharacterAndFitnessRequest {
    fn from(answers: &CharacterAndFitnessAnswers) -> Self {
        Self {
            answers: answers
                .answers
                .iter()
                .map(|a| CharacterAndFitnessAnswerBody {
                    key: a.key.clone(),
                    answer: a.answer,
                    statement: a.statement.clone(),
                })
                .collect(),
        }
    }
}

/// An element's saved data as the API shows it: the element's fields, or
/// the Character & Fitness answers as submitted.
pub(crate) fn element_data_json(content: &ElementContent) -> serde_json::Value {
    let shown = match content {
        ElementContent::Data(data) => serde_json::to_value(ElementBody::from(data)),
        ElementContent::CharacterAndFitness(answers) => {
            serde_json::to_value(CharacterAndFitnessRequest::from(answers))
        }
    };
    // Text, numbers, booleans and lists only: serialising them cannot fail.
    shown.unwrap_or_default()
}

/// Submits the Character & Fitness answers. Final once accepted (409 after);
/// cleared for re-entry when the application is returned as deficient.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    request_body = CharacterAndFitnessRequest,
    responses(
        (status = 200, description = "Submitted; the application's overview", body = ApplicationOverviewBody),
        ReadsJsonBody,
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "Already submitted (`element_final`), or the application cannot change", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A question unanswered, unknown, or a yes without a statement", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/applications/{id}/character-and-fitness")]
pub async fn character_and_fitness(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
    body: ApiJson<CharacterAndFitnessRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let answers = CharacterAndFitnessAnswers {
        answers: body
            .0
            .answers
            .iter()
            .map(|a| CharacterAndFitnessAnswer {
                key: a.key.clone(),
                answer: a.answer,
                statement: a.statement.clone(),
            })
            .collect(),
    };
    let view = blocking(move || {
        applications::submit_character_and_fitness(
            &state,
            &ctx,
            &applicant.0.account_id,
            &id,
            &answers,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(ApplicationOverviewBody::from(&view)))
}

/// Withdraws the application (before submission, or while deficient).
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    responses(
        (status = 200, description = "Withdrawn", body = ApplicationSummaryBody),
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "Already submitted, expired or withdrawn", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/applications/{id}/withdraw")]
pub async fn withdraw_application(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let application =
        blocking(move || applications::withdraw(&state, &ctx, &id, &applicant.0.account_id))
            .await?;
    Ok(HttpResponse::Ok().json(ApplicationSummaryBody::from(&application)))
}
