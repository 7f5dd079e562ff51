//! Sign-in, refresh, sign-out, and recovery of forgotten usernames and
//! passwords.

use crate::config::HumanCheckProvider;
use crate::http::error::{ApiError, Problem};
use crate::http::extract::{ApiJson, HumanCheckToken, blocking};
use crate::http::responses::{
    InvalidFields, InvalidFieldsOrNoHumanCheck, MethodNotAllowed, ReadsJsonBody, TooManyRequests,
    Unavailable,
};
use crate::workflows::Ports;
use crate::workflows::RequestContext;
use crate::workflows::sessions::{self, Session};
use actix_web::{HttpResponse, get, post, web};
use kecs_domain::account::{EmailAddress, Password};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct SessionResponse {
    /// A JWT for `Authorization: Bearer …`.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Trade it at `POST /auth/refresh` for a new pair; each works once.
    pub refresh_token: String,
    #[schema(example = 1209600)]
    pub refresh_expires_in: i64,
    pub account: AccountSummary,
}

#[derive(Serialize, ToSchema)]
pub struct AccountSummary {
    pub id: String,
    pub username: String,
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    pub email_confirmed: bool,
    #[schema(example = "applicant")]
    pub role: &'static str,
}

impl From<Session> for SessionResponse {
    fn from(session: Session) -> Self {
        Self {
            access_token: session.access_token,
            token_type: "Bearer",
            expires_in: session.access_expires_in,
            refresh_token: session.refresh_token,
            refresh_expires_in: session.refresh_expires_in,
            account: AccountSummary {
                id: session.account.id,
                username: session.account.username,
                email: session.account.email,
                email_confirmed: session.account.email_confirmed_at.is_some(),
                role: session.account.role.as_str(),
            },
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "enduser")]
    pub username: String,
    pub password: String,
}

fn required(field: &str, value: &str) -> Result<(), ApiError> {
    if value.trim().is_empty() {
        return Err(ApiError::field(field, "is required"));
    }
    Ok(())
}

/// Signs in. Five failures for one username within 15 minutes lock it for
/// the rest of the window; many failures from one address do too.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = SessionResponse),
        ReadsJsonBody,
        (status = 401, description = "Wrong username or password", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = InvalidFields),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<Ports>,
    ctx: RequestContext,
    body: ApiJson<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    required("username", &body.username)?;
    required("password", &body.password)?;
    let session =
        blocking(move || sessions::login(&state, &ctx, &body.username, &body.password)).await?;
    Ok(HttpResponse::Ok().json(SessionResponse::from(session)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Trades a refresh token for a new access and refresh token. Presenting a
/// refresh token a second time ends the whole session.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = SessionResponse),
        ReadsJsonBody,
        (status = 401, description = "The refresh token is invalid, expired, revoked or reused", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = InvalidFields),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<Ports>,
    ctx: RequestContext,
    body: ApiJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = body.0.refresh_token;
    required("refresh_token", &token)?;
    let session = blocking(move || sessions::refresh(&state, &ctx, &token)).await?;
    Ok(HttpResponse::Ok().json(SessionResponse::from(session)))
}

/// Ends the session of a refresh token. Access tokens already issued stay
/// valid until they expire (15 minutes).
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "Signed out (also when the token was unknown)"),
        ReadsJsonBody,
        (status = 422, response = InvalidFields),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<Ports>,
    ctx: RequestContext,
    body: ApiJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = body.0.refresh_token;
    required("refresh_token", &token)?;
    blocking(move || sessions::logout(&state, &ctx, &token)).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgotUsernameRequest {
    #[schema(example = "end.user@example.org")]
    #[schema(format = Email, max_length = 254)]
    pub email: String,
}

/// Mails the username to this address if an account uses it. The answer is
/// the same whether or not one does.
#[utoipa::path(
    tag = "auth",
    request_body = ForgotUsernameRequest,
    params(HumanCheckToken),
    responses(
        (status = 202, description = "If an account uses this address, a mail is on its way"),
        ReadsJsonBody,
        (status = 422, response = InvalidFieldsOrNoHumanCheck),
        (status = 429, response = TooManyRequests),
    )
)]
#[post("/auth/forgot-username")]
pub async fn forgot_username(
    state: web::Data<Ports>,
    ctx: RequestContext,
    human: HumanCheckToken,
    body: ApiJson<ForgotUsernameRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = body.0.email;
    required("email", &email)?;
    // No address is longer (the contract's maxLength), so none is looked up.
    if email.len() > EmailAddress::MAX_LEN {
        return Err(ApiError::field(
            "email",
            format!("must be at most {} characters", EmailAddress::MAX_LEN),
        ));
    }
    blocking(move || sessions::forgot_username(&state, &ctx, &email, human.token.as_deref()))
        .await?;
    Ok(HttpResponse::Accepted().finish())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgotPasswordRequest {
    #[schema(example = "enduser")]
    pub username: String,
}

/// Mails a one-hour password reset link if the username exists. The answer
/// is the same whether or not it does.
#[utoipa::path(
    tag = "auth",
    request_body = ForgotPasswordRequest,
    params(HumanCheckToken),
    responses(
        (status = 202, description = "If the account exists, a mail is on its way"),
        ReadsJsonBody,
        (status = 422, response = InvalidFieldsOrNoHumanCheck),
        (status = 429, response = TooManyRequests),
    )
)]
#[post("/auth/forgot-password")]
pub async fn forgot_password(
    state: web::Data<Ports>,
    ctx: RequestContext,
    human: HumanCheckToken,
    body: ApiJson<ForgotPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let username = body.0.username;
    required("username", &username)?;
    blocking(move || sessions::forgot_password(&state, &ctx, &username, human.token.as_deref()))
        .await?;
    Ok(HttpResponse::Accepted().finish())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPasswordRequest {
    /// The token from the mailed link.
    pub token: String,
    #[schema(min_length = 15, max_length = 128)]
    pub password: String,
    pub password_confirmation: String,
}

/// Sets a new password with the mailed token; every session of the account
/// ends and the owner is told by mail.
#[utoipa::path(
    tag = "auth",
    request_body = ResetPasswordRequest,
    responses(
        (status = 204, description = "Password changed"),
        ReadsJsonBody,
        (status = 422, description = "The token is invalid or the password breaks the rule", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/auth/reset-password")]
pub async fn reset_password(
    state: web::Data<Ports>,
    ctx: RequestContext,
    body: ApiJson<ResetPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let password = new_password(&body)?;
    blocking(move || sessions::reset_password(&state, &ctx, &body.token, password)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The new password of a reset, every fault named: for this route and for
/// the page of the mailed link (`http::pages`), which answer alike.
pub fn new_password(
    body: &ResetPasswordRequest,
) -> Result<Password, kecs_domain::validation::FieldErrors> {
    let mut errors = kecs_domain::validation::FieldErrors::new();
    if body.token.trim().is_empty() {
        errors.push("token", "is required");
    }
    let password = errors.check("password", Password::parse(&body.password));
    if password.is_some() && body.password != body.password_confirmation {
        errors.push("password_confirmation", "must match password");
    }
    match password {
        Some(password) if errors.is_empty() => Ok(password),
        _ => Err(errors),
    }
}

/// The external sign-in providers and the I'm not a robot widget.
#[derive(Serialize, ToSchema)]
pub struct ProvidersBody {
    /// External providers one may sign in with; empty when none is set up.
    pub sign_in: Vec<SignInProviderBody>,
    /// The widget to render on account search, claim and creation and on
    /// forgot username or password, its token sent in the
    /// `Human-Check-Token` header; null while the check is off.
    pub human_check: Option<HumanCheckBody>,
}

#[derive(Serialize, ToSchema)]
pub struct SignInProviderBody {
    #[schema(example = "microsoft")]
    pub id: String,
    #[schema(example = "Microsoft")]
    pub name: String,
    /// Where to send the person to start signing in.
    pub start_url: String,
}

#[derive(Serialize, ToSchema)]
pub struct HumanCheckBody {
    pub provider: HumanCheckProviderName,
    /// The public site key the widget is rendered with.
    pub site_key: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum HumanCheckProviderName {
    /// Google reCAPTCHA v2 (the checkbox the registration guide shows).
    Recaptcha,
    Hcaptcha,
    /// Cloudflare Turnstile.
    Turnstile,
}

impl From<HumanCheckProvider> for HumanCheckProviderName {
    fn from(provider: HumanCheckProvider) -> Self {
        match provider {
            HumanCheckProvider::Recaptcha => Self::Recaptcha,
            HumanCheckProvider::Hcaptcha => Self::Hcaptcha,
            HumanCheckProvider::Turnstile => Self::Turnstile,
        }
    }
}

/// What a front end needs to draw the sign-in and registration pages: the
/// external sign-in providers, and the I'm not a robot widget with its site
/// key. Public: it is read before anyone signs in.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "The sign-in providers and the I'm not a robot widget", body = ProvidersBody),
        (status = 405, response = MethodNotAllowed),
    )
)]
#[get("/auth/providers")]
pub async fn providers(state: web::Data<Ports>) -> HttpResponse {
    let providers = crate::workflows::providers::providers(&state);
    HttpResponse::Ok().json(ProvidersBody {
        sign_in: providers
            .sign_in
            .into_iter()
            .map(|p| SignInProviderBody {
                id: p.id,
                name: p.name,
                start_url: p.start_url,
            })
            .collect(),
        human_check: providers.human_check.map(|widget| HumanCheckBody {
            provider: widget.provider.into(),
            site_key: widget.site_key,
        }),
    })
}
