//! Sponsoring organisations (Sec. 16(8)–(10), 17): registered by a
//! representative, who may add others; read by its representatives and by
//! staff; barred by staff on a finding of non-compliance with Sec. 17.

use crate::http::auth::{Applicant, Caller, Staff};
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, blocking};
use crate::http::responses::{
    ApplicantsOnly, InvalidFields, NotFound, ReadsJsonBody, SignedInAs, StaffOnly,
};
use crate::http::wire::list::whole_list;
use crate::workflows::sponsors::{self, SponsorDetails};
use crate::workflows::{Ports, RequestContext};
use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use kecs_domain::account::{EmailAddress, PhoneNumber, Username};
use kecs_domain::approval::Sponsor;
use kecs_domain::validation::{FieldErrors, plain_text};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SponsorRequest {
    /// The organisation's name, as it appears on certificates.
    #[schema(
        example = "Frankfort Child Care Council",
        min_length = 1,
        max_length = 200
    )]
    pub name: String,
    /// Where the cabinet writes to the organisation about its applications.
    #[schema(example = "training@fccc.example.org", format = Email, max_length = 254)]
    pub email: String,
    #[schema(example = "502-555-0100", min_length = 7, max_length = 30)]
    pub phone: String,
    /// The postal address, one line.
    #[schema(
        example = "100 Main St, Frankfort, KY 40601",
        min_length = 1,
        max_length = 300
    )]
    pub address: String,
}

impl SponsorRequest {
    fn parse(&self) -> Result<SponsorDetails, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", plain_text(&self.name, 200));
        let email = errors.check("email", EmailAddress::parse(&self.email));
        let phone = errors.check("phone", PhoneNumber::parse(&self.phone));
        let address = errors.check("address", plain_text(&self.address, 300));
        match (name, email, phone, address) {
            (Some(name), Some(email), Some(phone), Some(address)) if errors.is_empty() => {
                Ok(SponsorDetails {
                    name,
                    email: email.as_str().to_owned(),
                    phone: phone.as_e164().to_owned(),
                    address,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A finding of non-compliance with Sec. 17 and the bar it set.
#[derive(Serialize, ToSchema)]
pub struct FindingBody {
    #[schema(value_type = String, format = Date)]
    pub found_on: String,
    pub finding: String,
    /// The first day preapproval may be granted again (Sec. 16(10)).
    #[schema(value_type = String, format = Date)]
    pub barred_until: String,
}

#[derive(Serialize, ToSchema)]
pub struct SponsorBody {
    pub id: String,
    pub name: String,
    #[schema(format = Email)]
    pub email: String,
    pub phone: String,
    pub address: String,
    /// While a bar of Sec. 16(10) runs, the first day preapproval may be
    /// granted again; null when the sponsor may apply.
    #[schema(value_type = Option<String>, format = Date)]
    pub barred_until: Option<String>,
    /// The cabinet's findings of non-compliance with Sec. 17, latest first.
    pub findings: Vec<FindingBody>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: String,
}

impl SponsorBody {
    pub(crate) fn of(sponsor: &Sponsor, today: NaiveDate) -> Self {
        Self {
            id: sponsor.id.clone(),
            name: sponsor.name.clone(),
            email: sponsor.email.clone(),
            phone: sponsor.phone.clone(),
            address: sponsor.address.clone(),
            barred_until: sponsor.barred_until(today).map(|d| d.to_string()),
            findings: sponsor
                .findings
                .iter()
                .map(|f| FindingBody {
                    found_on: f.found_on.to_string(),
                    finding: f.finding.clone(),
                    barred_until: f.barred_until().to_string(),
                })
                .collect(),
            created_at: crate::http::wire::rfc3339(sponsor.created_at),
        }
    }
}

whole_list! {
    /// The sponsors the caller represents, by name.
    SponsorList of SponsorBody;
}

/// Registers a sponsoring organisation; the caller becomes its first
/// representative and may apply for preapproval in its name (Sec. 16(3)).
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    request_body = SponsorRequest,
    responses(
        (status = 201, description = "Registered", body = SponsorBody, headers(("Location" = String, description = "The sponsor"))),
        ReadsJsonBody,
        (status = 422, response = InvalidFields),
        SignedInAs<ApplicantsOnly>,
    )
)]
#[post("/sponsors")]
pub async fn register_sponsor(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    body: ApiJson<SponsorRequest>,
) -> Result<HttpResponse, ApiError> {
    let details = body.0.parse()?;
    let today = ctx.now.date();
    let sponsor =
        blocking(move || sponsors::register(&state, &ctx, &applicant.0.account_id, &details))
            .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/sponsors/{}", sponsor.id)))
        .json(SponsorBody::of(&sponsor, today)))
}

/// The sponsors the caller represents.
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's sponsors", body = SponsorList),
        SignedInAs<ApplicantsOnly>,
    )
)]
#[get("/me/sponsors")]
pub async fn my_sponsors(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
) -> Result<HttpResponse, ApiError> {
    let today = ctx.now.date();
    let found = blocking(move || sponsors::mine(&state, &applicant.0.account_id)).await?;
    Ok(HttpResponse::Ok().json(SponsorList::whole(
        found.iter().map(|s| SponsorBody::of(s, today)).collect(),
    )))
}

/// A sponsor, for its representatives and staff.
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The sponsor id")),
    responses(
        (status = 200, description = "The sponsor", body = SponsorBody),
        (status = 401, response = crate::http::responses::NotSignedIn),
        (status = 404, response = NotFound),
    )
)]
#[get("/sponsors/{id}")]
pub async fn get_sponsor(
    state: web::Data<Ports>,
    ctx: RequestContext,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let today = ctx.now.date();
    let sponsor = blocking(move || sponsors::get(&state, &caller, &id)).await?;
    Ok(HttpResponse::Ok().json(SponsorBody::of(&sponsor, today)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepresentativeRequest {
    /// The username of the applicant account to add.
    #[schema(example = "jsmith", min_length = 1, max_length = 64)]
    pub username: String,
}

/// Adds another account as a representative of the sponsor (one
/// organisation, several people). The added account is mailed.
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The sponsor id")),
    request_body = RepresentativeRequest,
    responses(
        (status = 200, description = "Added", body = SponsorBody),
        ReadsJsonBody,
        (status = 422, response = InvalidFields),
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
    )
)]
#[post("/sponsors/{id}/representatives")]
pub async fn add_representative(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
    body: ApiJson<RepresentativeRequest>,
) -> Result<HttpResponse, ApiError> {
    let username =
        Username::parse(&body.0.username).map_err(|e| FieldErrors::single("username", e.0))?;
    let id = path.into_inner();
    let today = ctx.now.date();
    let sponsor = blocking(move || {
        sponsors::add_representative(&state, &ctx, &applicant.0.account_id, &id, &username)
    })
    .await?;
    Ok(HttpResponse::Ok().json(SponsorBody::of(&sponsor, today)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NonComplianceRequest {
    /// What the sponsor failed to do under Sec. 17, as told to it.
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\s<\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub finding: String,
}

/// Records the cabinet's finding, today, that the sponsor did not comply
/// with Sec. 17: its preapprovals are barred for two years (Sec. 16(10)),
/// and it is mailed the finding and the bar's end.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The sponsor id")),
    request_body = NonComplianceRequest,
    responses(
        (status = 200, description = "Recorded; `barred_until` is set", body = SponsorBody),
        ReadsJsonBody,
        (status = 422, response = InvalidFields),
        SignedInAs<StaffOnly>,
        (status = 404, response = NotFound),
    )
)]
#[post("/review/sponsors/{id}/non-compliance")]
pub async fn record_non_compliance(
    state: web::Data<Ports>,
    ctx: RequestContext,
    staff: Staff,
    path: web::Path<String>,
    body: ApiJson<NonComplianceRequest>,
) -> Result<HttpResponse, ApiError> {
    let finding =
        plain_text(&body.0.finding, 2000).map_err(|e| FieldErrors::single("finding", e.0))?;
    let id = path.into_inner();
    let today = ctx.now.date();
    let sponsor = blocking(move || {
        sponsors::record_non_compliance(&state, &ctx, &staff.0.account_id, &id, &finding)
    })
    .await?;
    Ok(HttpResponse::Ok().json(SponsorBody::of(&sponsor, today)))
}
