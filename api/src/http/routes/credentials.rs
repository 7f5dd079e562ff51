//! Credentials: the holder's, the letter of approval, revocation and the
//! hearing request, and the public register of credentialed trainers.

use crate::http::auth::{Admin, Applicant, Caller};
use crate::http::cursor;
use crate::http::error::{ApiError, Problem};
use crate::http::extract::{ApiJson, blocking};
use crate::http::responses::{
    AdminsOnly, ApplicantsOnly, InvalidQuery, NotFound, NotSignedIn, ReadsJsonBody, SignedInAs,
};
use crate::http::wire::LevelName;
use crate::http::wire::list::whole_list;
use crate::workflows::Ports;
use crate::workflows::RequestContext;
use crate::workflows::credentials;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, post, web};
use kecs_domain::account::PersonName;
use kecs_domain::credential::{Credential, CredentialStatus, PublicSearch, RevocationGround};
use kecs_domain::rules::deadlines::reapplication_allowed_on;
use kecs_domain::rules::may_train;
use kecs_domain::validation::{FieldErrors, plain_text};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CredentialStatusName {
    Active,
    Expired,
    Revoked,
}

impl From<CredentialStatus> for CredentialStatusName {
    fn from(status: CredentialStatus) -> Self {
        match status {
            CredentialStatus::Active => Self::Active,
            CredentialStatus::Expired => Self::Expired,
            CredentialStatus::Revoked => Self::Revoked,
        }
    }
}

impl From<CredentialStatusName> for CredentialStatus {
    fn from(status: CredentialStatusName) -> Self {
        match status {
            CredentialStatusName::Active => Self::Active,
            CredentialStatusName::Expired => Self::Expired,
            CredentialStatusName::Revoked => Self::Revoked,
        }
    }
}

/// The grounds of Sec. 15(1).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RevocationReason {
    /// Sec. 15(1)(a): falsified a record.
    FalsifiedRecord,
    /// Sec. 15(1)(b): failed to comply with Section 11 or 12.
    TrainingRulesNotFollowed,
    /// Sec. 15(1)(c): did not preserve the confidentiality of training and trainee records.
    ConfidentialityNotPreserved,
}

impl From<RevocationReason> for RevocationGround {
    fn from(reason: RevocationReason) -> Self {
        match reason {
            RevocationReason::FalsifiedRecord => Self::FalsifiedRecord,
            RevocationReason::TrainingRulesNotFollowed => Self::TrainingRulesNotFollowed,
            RevocationReason::ConfidentialityNotPreserved => Self::ConfidentialityNotPreserved,
        }
    }
}

impl From<RevocationGround> for RevocationReason {
    fn from(ground: RevocationGround) -> Self {
        match ground {
            RevocationGround::FalsifiedRecord => Self::FalsifiedRecord,
            RevocationGround::TrainingRulesNotFollowed => Self::TrainingRulesNotFollowed,
            RevocationGround::ConfidentialityNotPreserved => Self::ConfidentialityNotPreserved,
        }
    }
}

/// The holder's request for a hearing on the revocation (Sec. 15(2)(a),
/// under 922 KAR 2:260).
#[derive(Serialize, ToSchema)]
pub struct HearingBody {
    #[schema(value_type = String, format = DateTime)]
    pub requested_at: String,
    /// The holder's own statement.
    pub statement: Option<String>,
}

/// Why and when a credential was revoked, and when its holder may apply
/// again (Sec. 15).
#[derive(Serialize, ToSchema)]
pub struct RevocationBody {
    /// The ground of Sec. 15(1).
    pub reason: RevocationReason,
    /// The ground in the regulation's words.
    #[schema(example = "falsified a record")]
    pub ground: &'static str,
    #[schema(example = "922 KAR 2:240 Section 15(1)(a)")]
    pub citation: String,
    /// The facts the cabinet found, as stated when it revoked.
    pub explanation: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub revoked_on: String,
    /// The first day the holder may apply again: the two years of
    /// Sec. 15(2)(b) counted from the revocation.
    #[schema(value_type = String, format = Date)]
    pub reapply_from: String,
    /// When the holder requested a hearing (Sec. 15(2)(a)), if they did;
    /// the same as `hearing.requested_at`.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub hearing_requested_at: Option<String>,
    /// Null until the holder requests a hearing (Sec. 15(2)(a)).
    pub hearing: Option<HearingBody>,
    /// The training events the revocation cites (Sec. 15(1)(b)), in the
    /// order cited; empty for the other grounds.
    pub training_events: Vec<CitedTrainingEventBody>,
}

/// A training event a revocation cites.
#[derive(Serialize, ToSchema)]
pub struct CitedTrainingEventBody {
    pub id: String,
    #[schema(example = "Safe sleep for infants")]
    pub title: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: String,
    #[schema(value_type = String, format = Date)]
    pub ends_on: String,
}

impl RevocationBody {
    fn of(c: &Credential) -> Option<Self> {
        let (Some(ground), Some(revoked_on)) = (c.revocation_ground, c.revoked_on) else {
            return None;
        };
        Some(RevocationBody {
            reason: ground.into(),
            ground: ground.description(),
            citation: ground.citation().to_string(),
            explanation: c.revocation_statement.clone(),
            revoked_on: revoked_on.to_string(),
            reapply_from: reapplication_allowed_on(revoked_on).to_string(),
            hearing_requested_at: c.hearing_requested_at.map(crate::http::wire::rfc3339),
            hearing: c.hearing_requested_at.map(|at| HearingBody {
                requested_at: crate::http::wire::rfc3339(at),
                statement: c.hearing_statement.clone(),
            }),
            training_events: c
                .revocation_training_events
                .iter()
                .map(|e| CitedTrainingEventBody {
                    id: e.id.clone(),
                    title: e.title.clone(),
                    starts_on: e.starts_on.to_string(),
                    ends_on: e.ends_on.to_string(),
                })
                .collect(),
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct CredentialBody {
    #[schema(example = "KYT-2026-000123")]
    pub number: String,
    pub level: LevelName,
    /// The area of expertise of a Specialty credential.
    pub specialty_area: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub issued_on: String,
    /// Three years after issue, or after the previous expiry once renewed.
    #[schema(value_type = String, format = Date)]
    pub expires_on: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub renewed_on: Option<String>,
    pub status: CredentialStatusName,
    /// Level 1 is not renewable (Sec. 13(1)(b)).
    pub renewable: bool,
    /// Null unless revoked: the ground with its clause, the facts found,
    /// when the holder may apply again, and any hearing request.
    pub revocation: Option<RevocationBody>,
    /// Where the letter of approval is downloaded (PDF).
    #[schema(example = "/api/v1/credentials/KYT-2026-000123/letter")]
    pub letter: String,
}

impl From<&Credential> for CredentialBody {
    fn from(c: &Credential) -> Self {
        Self {
            number: c.number.clone(),
            level: LevelName(c.level),
            specialty_area: c.specialty_area.clone(),
            issued_on: c.issued_on.to_string(),
            expires_on: c.expires_on.to_string(),
            renewed_on: c.renewed_on.map(|d| d.to_string()),
            status: c.status.into(),
            renewable: c.renewable,
            revocation: RevocationBody::of(c),
            letter: format!("/api/v1/credentials/{}/letter", c.number),
        }
    }
}

whole_list! {
    /// The credentials a person holds, newest first.
    CredentialList of CredentialBody;
}

/// The applicant's credentials.
#[utoipa::path(
    tag = "credentials",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Credentials held, newest first", body = CredentialList),
        SignedInAs<ApplicantsOnly>,
    )
)]
#[get("/me/credentials")]
pub async fn my_credentials(
    state: web::Data<Ports>,
    applicant: Applicant,
) -> Result<HttpResponse, ApiError> {
    let held =
        blocking(move || credentials::my_credentials(&state, &applicant.0.account_id)).await?;
    Ok(HttpResponse::Ok().json(CredentialList::whole(
        held.iter().map(CredentialBody::from).collect(),
    )))
}

/// A credential, to its holder or staff.
#[utoipa::path(
    tag = "credentials",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "The credential number, e.g. KYT-2026-000123")),
    responses(
        (status = 200, description = "The credential", body = CredentialBody),
        (status = 401, response = NotSignedIn),
        (status = 404, response = NotFound),
    )
)]
#[get("/credentials/{number}")]
pub async fn get_credential(
    state: web::Data<Ports>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let number = path.into_inner();
    let credential = blocking(move || credentials::credential(&state, &caller, &number)).await?;
    Ok(HttpResponse::Ok().json(CredentialBody::from(&credential)))
}

/// The letter of approval (Sec. 3(3)(a), 13(6)(a)), as a PDF generated by
/// the server; not for a revoked credential.
#[utoipa::path(
    tag = "credentials",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "The credential number")),
    responses(
        (status = 200, description = "The letter", content_type = "application/pdf", body = Vec<u8>,
            headers(("Content-Disposition" = String, description = "attachment; filename=letter-of-approval-….pdf"))),
        (status = 401, response = NotSignedIn),
        (status = 404, response = NotFound),
        (status = 409, description = "The credential is revoked", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/credentials/{number}/letter")]
pub async fn credential_letter(
    state: web::Data<Ports>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let number = path.into_inner();
    let (credential, pdf) =
        blocking(move || credentials::letter_of_approval(&state, &caller, &number)).await?;
    let file_name = format!("letter-of-approval-{}.pdf", credential.number);
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file_name)],
        })
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(pdf))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeRequest {
    /// The ground of Sec. 15(1).
    pub reason: RevocationReason,
    /// The facts found, for the record and the notice to the trainer.
    #[schema(
        min_length = 1,
        max_length = 5000,
        pattern = r"^[^\s<\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub statement: String,
    /// The training events concerned, when the ground is that the trainer
    /// did not follow Section 11 or 12 (`training_rules_not_followed`, Sec.
    /// 15(1)(b)): ids of events given under this credential, led or
    /// co-trained. Refused with any other ground.
    #[serde(default)]
    #[schema(max_items = 50, inline, value_type = Vec<String>)]
    pub training_events: Vec<String>,
}

fn statement(raw: &str) -> Result<String, ApiError> {
    plain_text(raw, 5000).map_err(|e| ApiError::field("statement", e.0))
}

/// Revokes a credential on a ground of Sec. 15(1); the holder may request a
/// hearing, and may apply again only after two years (Sec. 15(2)).
#[utoipa::path(
    tag = "credentials",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "The credential number")),
    request_body = RevokeRequest,
    responses(
        (status = 200, description = "Revoked", body = CredentialBody),
        ReadsJsonBody,
        SignedInAs<AdminsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "Already revoked", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No statement, a reason that is not a ground of Sec. 15(1), or training events cited with another ground than Sec. 15(1)(b) or not given under this credential (each named in `errors`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/credentials/{number}/revoke")]
pub async fn revoke_credential(
    state: web::Data<Ports>,
    ctx: RequestContext,
    admin: Admin,
    path: web::Path<String>,
    body: ApiJson<RevokeRequest>,
) -> Result<HttpResponse, ApiError> {
    let statement = statement(&body.0.statement)?;
    let ground = RevocationGround::from(body.0.reason);
    let number = path.into_inner();
    let events = body.0.training_events;
    let credential = blocking(move || {
        credentials::revoke(
            &state,
            &ctx,
            &admin.0.account_id,
            &number,
            ground,
            &statement,
            &events,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(CredentialBody::from(&credential)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HearingRequest {
    /// Why the revocation should be heard.
    #[schema(
        min_length = 1,
        max_length = 5000,
        pattern = r"^[^\s<\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub statement: String,
}

/// The holder of a revoked credential requests a hearing pursuant to
/// 922 KAR 2:260 (Sec. 15(2)(a)); it is recorded for the cabinet.
#[utoipa::path(
    tag = "credentials",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "The credential number")),
    request_body = HearingRequest,
    responses(
        (status = 201, description = "Recorded", body = CredentialBody),
        ReadsJsonBody,
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "Not revoked, or a hearing already requested", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No statement", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/credentials/{number}/hearing-request")]
pub async fn request_hearing(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
    body: ApiJson<HearingRequest>,
) -> Result<HttpResponse, ApiError> {
    let statement = statement(&body.0.statement)?;
    let number = path.into_inner();
    let credential = blocking(move || {
        credentials::request_hearing(&state, &ctx, &applicant.0.account_id, &number, &statement)
    })
    .await?;
    Ok(HttpResponse::Created().json(CredentialBody::from(&credential)))
}

// ---- the public register -------------------------------------------------------

/// A credentialed trainer as the public sees them: the name and the
/// credential, never anything else about the person.
#[derive(Serialize, ToSchema)]
pub struct PublicTrainerBody {
    #[schema(example = "Jordan Rivers")]
    pub name: String,
    #[schema(example = "KYT-2026-000123")]
    pub credential_number: String,
    pub level: LevelName,
    pub status: CredentialStatusName,
    #[schema(value_type = String, format = Date)]
    pub expires_on: String,
    pub specialty_area: Option<String>,
    /// What the trainer may train, from the rules of Sec. 5-10.
    pub may_train: Vec<String>,
}

impl From<&Credential> for PublicTrainerBody {
    fn from(c: &Credential) -> Self {
        Self {
            name: c.holder_name.clone(),
            credential_number: c.number.clone(),
            level: LevelName(c.level),
            status: c.status.into(),
            expires_on: c.expires_on.to_string(),
            specialty_area: c.specialty_area.clone(),
            may_train: may_train(c.level).sentences(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TrainerSearchQuery {
    /// Words that begin the trainer's first or last name, e.g. `jor riv`.
    pub name: Option<String>,
    #[param(value_type = Option<LevelName>)]
    pub level: Option<LevelName>,
    pub status: Option<CredentialStatusName>,
    /// At most this many (1-100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TrainerList {
    pub items: Vec<PublicTrainerBody>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// Credentialed trainers by name, level and status, in order of last name.
/// No account needed.
#[utoipa::path(
    tag = "public",
    params(TrainerSearchQuery),
    responses(
        (status = 200, description = "A page of trainers", body = TrainerList),
        (status = 422, response = InvalidQuery),
    )
)]
#[get("/public/trainers")]
pub async fn public_trainers(
    state: web::Data<Ports>,
    query: web::Query<TrainerSearchQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let mut errors = FieldErrors::new();
    let (limit, after) = cursor::page_request(
        query.limit,
        query.cursor.as_deref(),
        cursor::decode,
        &mut errors,
    );
    let name = query.name.unwrap_or_default();
    if name.chars().count() > 100 {
        errors.push("name", "must be at most 100 characters");
    }
    errors.into_result()?;
    let search = PublicSearch {
        name_words: PersonName::key_of(&name)
            .split(' ')
            .filter(|w| !w.is_empty())
            .take(4)
            .map(str::to_owned)
            .collect(),
        level: query.level.map(|l| l.0),
        status: query.status.map(CredentialStatus::from),
        after,
        limit: limit + 1,
    };
    let found = blocking(move || credentials::public_search(&state, &search)).await?;
    let (page, next_cursor) = cursor::page_of(found, limit, |(c, key)| {
        Some(cursor::encode(key, &c.number))
    });
    Ok(HttpResponse::Ok().json(TrainerList {
        items: page
            .iter()
            .map(|(c, _)| PublicTrainerBody::from(c))
            .collect(),
        next_cursor,
    }))
}

/// One credentialed trainer's public page.
#[utoipa::path(
    tag = "public",
    params(("number" = String, Path, description = "The credential number")),
    responses(
        (status = 200, description = "The trainer", body = PublicTrainerBody),
        (status = 404, response = NotFound),
    )
)]
#[get("/public/trainers/{number}")]
pub async fn public_trainer(
    state: web::Data<Ports>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let number = path.into_inner();
    let credential = blocking(move || credentials::public_credential(&state, &number)).await?;
    Ok(HttpResponse::Ok().json(PublicTrainerBody::from(&credential)))
}
