//! The applicant's own profile.

use crate::http::auth::Applicant;
use crate::http::error::{ApiError, Problem};
use crate::http::extract::{ApiJson, blocking};
use crate::http::responses::{ApplicantsOnly, InvalidFields, ReadsJsonBody, SignedInAs};
use crate::workflows::Ports;
use crate::workflows::RequestContext;
use crate::workflows::profile::{self, ContactDetails};
use actix_web::{HttpResponse, get, patch, put, web};
use kecs_domain::account::{
    EmailAddress, MailingAddress, MailingAddressInput, PhoneNumber, Profile,
};
use kecs_domain::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailingAddressBody {
    #[schema(example = "275 E Main St")]
    pub line1: String,
    pub line2: Option<String>,
    #[schema(example = "Frankfort")]
    pub city: String,
    /// Two-letter US state or territory code.
    #[schema(example = "KY")]
    pub state: String,
    #[schema(example = "40621")]
    pub postal_code: String,
}

/// The address as the domain reads it; each bad line named in `errors`.
fn parse_address(address: &MailingAddressBody, errors: &mut FieldErrors) -> Option<MailingAddress> {
    MailingAddress::parse(
        MailingAddressInput {
            line1: &address.line1,
            line2: address.line2.as_deref(),
            city: &address.city,
            state: &address.state,
            postal_code: &address.postal_code,
        },
        "mailing_address",
        errors,
    )
}

#[derive(Serialize, ToSchema)]
pub struct ProfileResponse {
    pub username: String,
    /// As recorded; changed only by the cabinet.
    pub first_name: String,
    pub middle_name: Option<String>,
    pub last_name: String,
    #[schema(value_type = String, format = Date, example = "1947-03-01")]
    pub date_of_birth: chrono::NaiveDate,
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    pub email_confirmed: bool,
    pub mailing_address: Option<MailingAddressBody>,
    /// E.164, e.g. `+15025550123`.
    #[schema(example = "+15025550123")]
    pub phone: Option<String>,
    /// Whether the profile has what an application needs: a mailing
    /// address, a phone number and a confirmed email.
    pub ready_to_apply: bool,
}

impl From<Profile> for ProfileResponse {
    fn from(profile: Profile) -> Self {
        let ready_to_apply = profile.ready_to_apply();
        Self {
            username: profile.username,
            first_name: profile.first_name,
            middle_name: profile.middle_name,
            last_name: profile.last_name,
            date_of_birth: profile.date_of_birth,
            email: profile.email,
            email_confirmed: profile.email_confirmed_at.is_some(),
            mailing_address: profile.mailing_address.map(|a| MailingAddressBody {
                line1: a.line1,
                line2: a.line2,
                city: a.city,
                state: a.state.as_str().to_owned(),
                postal_code: a.postal_code.as_str().to_owned(),
            }),
            phone: profile.phone.map(|p| p.as_e164().to_owned()),
            ready_to_apply,
        }
    }
}

/// The signed-in applicant's profile.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The profile", body = ProfileResponse),
        SignedInAs<ApplicantsOnly>,
    )
)]
#[get("/me/profile")]
pub async fn get_profile(
    state: web::Data<Ports>,
    applicant: Applicant,
) -> Result<HttpResponse, ApiError> {
    let profile = blocking(move || profile::get(&state, &applicant.0.account_id)).await?;
    Ok(HttpResponse::Ok().json(ProfileResponse::from(profile)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileUpdate {
    /// A new address must be confirmed again.
    #[schema(example = "end.user@example.org")]
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    pub mailing_address: MailingAddressBody,
    #[schema(example = "(502) 555-0123")]
    pub phone: String,
}

/// Replaces the contact details (all three). Name, date of birth and SSN
/// are not editable here. To change one detail, `PATCH` it.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    request_body = ProfileUpdate,
    responses(
        (status = 200, description = "The updated profile", body = ProfileResponse),
        ReadsJsonBody,
        SignedInAs<ApplicantsOnly>,
        (status = 409, description = "The email is used by another account (`email_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = InvalidFields),
    )
)]
#[put("/me/profile")]
pub async fn put_profile(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    body: ApiJson<ProfileUpdate>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = FieldErrors::new();
    let email = errors.check("email", EmailAddress::parse(&body.email));
    let mailing_address = parse_address(&body.mailing_address, &mut errors);
    let phone = errors.check("phone", PhoneNumber::parse(&body.phone));
    let (Some(email), Some(mailing_address), Some(phone), true) =
        (email, mailing_address, phone, errors.is_empty())
    else {
        return Err(errors.into());
    };
    let details = ContactDetails {
        email: Some(email),
        mailing_address: Some(mailing_address),
        phone: Some(phone),
    };
    let profile =
        blocking(move || profile::update(&state, &ctx, &applicant.0.account_id, details)).await?;
    Ok(HttpResponse::Ok().json(ProfileResponse::from(profile)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    /// A new address must be confirmed again; the old one is told.
    #[schema(example = "end.user@example.org")]
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    pub mailing_address: Option<MailingAddressBody>,
    #[schema(example = "(502) 555-0123")]
    pub phone: Option<String>,
}

/// Changes only the contact details sent; a field left out (or null) keeps
/// what is on file. Every invalid field is reported at once.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    request_body = ProfilePatch,
    responses(
        (status = 200, description = "The updated profile", body = ProfileResponse),
        ReadsJsonBody,
        SignedInAs<ApplicantsOnly>,
        (status = 409, description = "The email is used by another account (`email_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = InvalidFields),
    )
)]
#[patch("/me/profile")]
pub async fn patch_profile(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    body: ApiJson<ProfilePatch>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = FieldErrors::new();
    let email = body
        .email
        .as_deref()
        .and_then(|email| errors.check("email", EmailAddress::parse(email)));
    let mailing_address = body
        .mailing_address
        .as_ref()
        .and_then(|address| parse_address(address, &mut errors));
    let phone = body
        .phone
        .as_deref()
        .and_then(|phone| errors.check("phone", PhoneNumber::parse(phone)));
    errors.into_result()?;
    let details = ContactDetails {
        email,
        mailing_address,
        phone,
    };
    let profile =
        blocking(move || profile::update(&state, &ctx, &applicant.0.account_id, details)).await?;
    Ok(HttpResponse::Ok().json(ProfileResponse::from(profile)))
}
