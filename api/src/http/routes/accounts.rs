//! Registration: account search, claim, new account, email confirmation.

use super::auth::SessionResponse;
use crate::http::auth::Applicant;
use crate::http::error::{ApiError, Problem};
use crate::http::extract::{ApiJson, HumanCheckToken, blocking};
use crate::http::responses::{
    ApplicantsOnly, InvalidFieldsOrNoHumanCheck, ReadsJsonBody, SignedInAs, TooManyRequests,
    Unavailable,
};
use crate::workflows::Ports;
use crate::workflows::RequestContext;
use crate::workflows::registration::{self, Credentials, NewPerson, SearchQuery};
use actix_web::{HttpResponse, post, web};
use kecs_domain::account::{
    DateOfBirth, EmailAddress, Password, PersonName, Ssn, SsnLast4, Username,
};
use kecs_domain::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchRequest {
    #[schema(example = "End")]
    pub first_name: String,
    #[schema(example = "User")]
    pub last_name: String,
    /// The last four digits of the Social Security Number.
    #[schema(example = "1120", pattern = "^[0-9]{4}$")]
    pub ssn_last4: String,
    #[schema(format = Date, example = "1947-03-01")]
    pub date_of_birth: String,
}

#[derive(Serialize, ToSchema)]
pub struct SearchResponse {
    /// Records that match on all four facts and have no account yet; empty
    /// when there is none (then create a new account).
    pub matches: Vec<SearchMatch>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchMatch {
    /// Send back to `POST /accounts/claim`; valid for 15 minutes.
    pub claim_token: String,
    pub first_name: String,
    pub last_name: String,
    pub middle_name: Option<String>,
}

fn today(ctx: &RequestContext) -> chrono::NaiveDate {
    ctx.now.date()
}

/// Finds people on record (an earlier licensing system's records) by first
/// name, last name, last four SSN digits and date of birth.
#[utoipa::path(
    tag = "accounts",
    request_body = SearchRequest,
    params(HumanCheckToken),
    responses(
        (status = 200, description = "Claimable matches (possibly none)", body = SearchResponse),
        ReadsJsonBody,
        (status = 422, response = InvalidFieldsOrNoHumanCheck),
        (status = 429, response = TooManyRequests),
    )
)]
#[post("/accounts/search")]
pub async fn search(
    state: web::Data<Ports>,
    ctx: RequestContext,
    human: HumanCheckToken,
    body: ApiJson<SearchRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = FieldErrors::new();
    let first_name = errors.check("first_name", PersonName::parse(&body.first_name));
    let last_name = errors.check("last_name", PersonName::parse(&body.last_name));
    let ssn_last4 = errors.check("ssn_last4", SsnLast4::parse(&body.ssn_last4));
    let date_of_birth = errors.check(
        "date_of_birth",
        DateOfBirth::parse(&body.date_of_birth, today(&ctx)),
    );
    let (Some(first_name), Some(last_name), Some(ssn_last4), Some(date_of_birth)) =
        (first_name, last_name, ssn_last4, date_of_birth)
    else {
        return Err(errors.into());
    };
    let query = SearchQuery {
        first_name,
        last_name,
        ssn_last4,
        date_of_birth,
    };
    let found =
        blocking(move || registration::search(&state, &ctx, &query, human.token.as_deref()))
            .await?;
    Ok(HttpResponse::Ok().json(SearchResponse {
        matches: found
            .into_iter()
            .map(|m| SearchMatch {
                claim_token: m.claim_token,
                first_name: m.person.first_name,
                last_name: m.person.last_name,
                middle_name: m.person.middle_name,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimRequest {
    pub claim_token: String,
    #[schema(example = "enduser")]
    pub username: String,
    #[schema(example = "end.user@example.org")]
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// At least 15 characters with an upper case letter, a lower case
    /// letter, a digit and a special character.
    #[schema(example = "Correct-Horse-9-Battery", min_length = 15, max_length = 128)]
    pub password: String,
    pub password_confirmation: String,
    /// From a sign-in with an OpenID provider whose identity no account has
    /// (`registration_required`): the new account is linked to it.
    pub registration_token: Option<String>,
}

/// Parses username, email and password (and its confirmation) into
/// credentials, recording every bad field.
fn credentials(
    username: &str,
    email: &str,
    password: &str,
    confirmation: &str,
    errors: &mut FieldErrors,
) -> Option<Credentials> {
    let username = errors.check("username", Username::parse(username));
    let email = errors.check("email", EmailAddress::parse(email));
    let password = errors.check(
        "password",
        Password::parse(password).and_then(|p| match &username {
            Some(username) => p.refuse_if_contains(&username.key()),
            None => Ok(p),
        }),
    );
    if password.is_some() && password.as_ref().map(Password::expose) != Some(confirmation) {
        errors.push("password_confirmation", "must match password");
    }
    Some(Credentials {
        username: username?,
        email: email?,
        password: password?,
    })
}

/// "This is me!": claims a record found by search. The name, date of birth
/// and SSN come from the record and cannot be changed here.
#[utoipa::path(
    tag = "accounts",
    request_body = ClaimRequest,
    params(HumanCheckToken),
    responses(
        (status = 201, description = "Account created and signed in; a confirmation mail is on its way", body = SessionResponse),
        ReadsJsonBody,
        (status = 409, description = "Username or email taken (`username_taken`, `email_taken`), or the record was already claimed (`already_claimed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or invalid, or the claim token expired (`validation_failed`); or the I'm not a robot check did not pass (`human_check_failed`, naming `Human-Check-Token`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/accounts/claim")]
pub async fn claim(
    state: web::Data<Ports>,
    ctx: RequestContext,
    human: HumanCheckToken,
    body: ApiJson<ClaimRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = FieldErrors::new();
    if body.claim_token.trim().is_empty() {
        errors.push("claim_token", "is required");
    }
    let credentials = credentials(
        &body.username,
        &body.email,
        &body.password,
        &body.password_confirmation,
        &mut errors,
    );
    let credentials = match credentials {
        Some(credentials) if errors.is_empty() => credentials,
        _ => return Err(errors.into()),
    };
    let registration_token = body.registration_token;
    let session = blocking(move || {
        registration::claim(
            &state,
            &ctx,
            &body.claim_token,
            credentials,
            human.token.as_deref(),
            registration_token.as_deref(),
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(SessionResponse::from(session)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAccountRequest {
    #[schema(example = "jdoe")]
    pub username: String,
    #[schema(example = "jane.doe@example.org")]
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    #[schema(example = "Correct-Horse-9-Battery", min_length = 15, max_length = 128)]
    pub password: String,
    pub password_confirmation: String,
    #[schema(example = "Jane")]
    pub first_name: String,
    #[schema(example = "Doe")]
    pub last_name: String,
    pub middle_name: Option<String>,
    #[schema(format = Date, example = "1990-05-17")]
    pub date_of_birth: String,
    /// The full Social Security Number, `123-45-6789` or `123456789`.
    /// Stored encrypted; never returned.
    #[schema(example = "123-45-6789")]
    pub ssn: String,
    /// From a sign-in with an OpenID provider whose identity no account has
    /// (`registration_required`): the new account is linked to it.
    pub registration_token: Option<String>,
}

/// Creates a new person and account when search found no record.
#[utoipa::path(
    tag = "accounts",
    request_body = CreateAccountRequest,
    params(HumanCheckToken),
    responses(
        (status = 201, description = "Account created and signed in; a confirmation mail is on its way", body = SessionResponse),
        ReadsJsonBody,
        (status = 409, description = "Username or email taken (`username_taken`, `email_taken`, checked first), or the SSN is on record (`already_on_record`, one answer whether or not the record has an account or matches the date of birth: use search and claim, forgot username or password, or contact the cabinet)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = InvalidFieldsOrNoHumanCheck),
        (status = 429, response = TooManyRequests),
        (status = 503, response = Unavailable),
    )
)]
#[post("/accounts")]
pub async fn create(
    state: web::Data<Ports>,
    ctx: RequestContext,
    human: HumanCheckToken,
    body: ApiJson<CreateAccountRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = FieldErrors::new();
    let credentials = credentials(
        &body.username,
        &body.email,
        &body.password,
        &body.password_confirmation,
        &mut errors,
    );
    let first_name = errors.check("first_name", PersonName::parse(&body.first_name));
    let last_name = errors.check("last_name", PersonName::parse(&body.last_name));
    let middle_name = match body.middle_name.as_deref().map(str::trim) {
        None | Some("") => Some(None),
        Some(raw) => errors
            .check("middle_name", PersonName::parse(raw))
            .map(Some),
    };
    let date_of_birth = errors.check(
        "date_of_birth",
        DateOfBirth::parse(&body.date_of_birth, today(&ctx)),
    );
    let ssn = errors.check("ssn", Ssn::parse(&body.ssn));
    let (
        Some(credentials),
        Some(first_name),
        Some(last_name),
        Some(middle_name),
        Some(date_of_birth),
        Some(ssn),
        true,
    ) = (
        credentials,
        first_name,
        last_name,
        middle_name,
        date_of_birth,
        ssn,
        errors.is_empty(),
    )
    else {
        return Err(errors.into());
    };
    let person = NewPerson {
        first_name,
        middle_name,
        last_name,
        date_of_birth,
        ssn,
    };
    let registration_token = body.registration_token;
    let session = blocking(move || {
        registration::create(
            &state,
            &ctx,
            person,
            credentials,
            human.token.as_deref(),
            registration_token.as_deref(),
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(SessionResponse::from(session)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// The token from the mailed link.
    pub token: String,
}

/// Confirms the email address with the token from the confirmation mail.
#[utoipa::path(
    tag = "accounts",
    request_body = TokenRequest,
    responses(
        (status = 204, description = "Email confirmed"),
        ReadsJsonBody,
        (status = 422, description = "The token is invalid, used or expired", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts/confirm-email")]
pub async fn confirm_email(
    state: web::Data<Ports>,
    ctx: RequestContext,
    body: ApiJson<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = body.0.token;
    if token.trim().is_empty() {
        return Err(ApiError::field("token", "is required"));
    }
    blocking(move || registration::confirm_email(&state, &ctx, &token)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mails a new confirmation link to the signed-in applicant (earlier links
/// stop working).
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "A new confirmation mail is on its way"),
        SignedInAs<ApplicantsOnly>,
        (status = 409, description = "The email is already confirmed", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts/resend-confirmation")]
pub async fn resend_confirmation(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
) -> Result<HttpResponse, ApiError> {
    blocking(move || registration::resend_confirmation(&state, &ctx, &applicant.0.account_id))
        .await?;
    Ok(HttpResponse::Accepted().finish())
}
