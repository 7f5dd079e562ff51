//! Signing in with an OpenID provider (Sign in with Microsoft), and the
//! identities a signed-in account links in its settings.
//!
//! The start answers JSON with the provider's URL for a front end that
//! navigates itself; with `?redirect=true` it answers `302 Found` to it, for
//! a plain link in a browser. The provider sends the browser back to the
//! configured redirect URL (the front end's page), which passes `code` and
//! `state` on to the callback here.

use super::auth::SessionResponse;
use crate::http::auth::Caller;
use crate::http::error::{ApiError, Problem};
use crate::http::extract::blocking;
use crate::http::responses::{InvalidQuery, NotFound, NotSignedIn, Unavailable};
use crate::workflows::oidc::{self, Callback, LinkedIdentity, Outcome, Started};
use crate::workflows::{Ports, RequestContext};
use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An identity at a provider linked to the account.
#[derive(Serialize, ToSchema)]
pub struct Identity {
    /// The provider's id, as in `/auth/oidc/{provider}/start`.
    #[schema(example = "microsoft")]
    pub provider: String,
    /// The provider's issuer of the identity.
    pub issuer: String,
    /// The provider's stable identifier of the person (`sub`).
    pub subject: String,
    pub linked_at: chrono::NaiveDateTime,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StartQuery {
    /// A path of this site to go to once signed in (returned by the callback).
    #[param(example = "/applications")]
    pub return_to: Option<String>,
    /// `true`: answer `302 Found` to the provider instead of JSON.
    pub redirect: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct StartResponse {
    /// Send the browser here; the provider returns it to the redirect URL.
    pub authorization_url: String,
    /// Seconds the sign-in waits for its callback.
    #[schema(example = 600)]
    pub expires_in: i64,
}

fn started(started: Started, redirect: bool) -> HttpResponse {
    if redirect {
        return HttpResponse::Found()
            .insert_header((header::LOCATION, started.authorization_url))
            .finish();
    }
    HttpResponse::Ok().json(StartResponse {
        authorization_url: started.authorization_url,
        expires_in: started.expires_in,
    })
}

/// Starts signing in with an OpenID provider (authorization code flow with
/// PKCE, `state` and `nonce`). 404 when no such provider is configured.
#[utoipa::path(
    tag = "auth",
    params(("provider" = String, Path, description = "A configured provider's id", example = "microsoft"), StartQuery),
    responses(
        (status = 200, description = "The provider's authorization URL", body = StartResponse),
        (status = 302, description = "With `redirect=true`: to the provider's authorization URL"),
        (status = 404, response = NotFound),
        (status = 422, response = InvalidQuery),
        (status = 503, response = Unavailable),
    )
)]
#[get("/auth/oidc/{provider}/start")]
pub async fn start_sign_in(
    state: web::Data<Ports>,
    ctx: RequestContext,
    provider: web::Path<String>,
    query: web::Query<StartQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let return_to = oidc::parse_return_to(query.return_to.as_deref())?;
    let provider = provider.into_inner();
    let result = blocking(move || oidc::start(&state, &ctx, &provider, return_to)).await?;
    Ok(started(result, query.redirect.unwrap_or(false)))
}

#[derive(Deserialize, IntoParams)]
pub struct CallbackQuery {
    /// The authorization code.
    pub code: Option<String>,
    /// The `state` the sign-in was started with.
    pub state: Option<String>,
    /// The provider's refusal (`access_denied`, …), instead of a code.
    pub error: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CallbackResponse {
    /// The identity is linked to an account: signed in, as by `/auth/login`.
    SignedIn {
        #[serde(flatten)]
        session: SessionResponse,
        return_to: Option<String>,
    },
    /// No account has this identity yet: find your record and claim it
    /// (`POST /accounts/search`, `POST /accounts/claim`) or create an
    /// account (`POST /accounts`), sending `registration_token` with it;
    /// the identity is then linked.
    RegistrationRequired {
        registration_token: String,
        /// Seconds the registration token stays valid.
        expires_in: i64,
        /// What the provider says, to fill the form in; never used to match.
        email: Option<String>,
        name: Option<String>,
        return_to: Option<String>,
    },
    /// Linked to the signed-in account that started it.
    Linked {
        identity: Identity,
        return_to: Option<String>,
    },
}

fn identity_body(identity: LinkedIdentity) -> Identity {
    Identity {
        provider: identity.provider,
        issuer: identity.issuer,
        subject: identity.subject,
        linked_at: identity.linked_at,
    }
}

/// Finishes a sign-in or a link with what the provider sent back. The
/// `state` works once and for ten minutes.
#[utoipa::path(
    tag = "auth",
    params(("provider" = String, Path, description = "A configured provider's id", example = "microsoft"), CallbackQuery),
    responses(
        (status = 200, description = "Signed in, linked, or registration required (`outcome`)", body = CallbackResponse),
        (status = 401, description = "The linked account is disabled", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = NotFound),
        (status = 409, description = "The identity is linked to another account (`identity_linked_elsewhere`), or the account has one at this provider already (`provider_already_linked`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The state is unknown, expired or used (`sign_in_expired`); the provider refused (`provider_refused`); the code was not accepted (`code_exchange_failed`); the ID token failed a check (`id_token_invalid`: signature, issuer, audience, expiry, nonce, tenant)", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/auth/oidc/{provider}/callback")]
pub async fn sign_in_callback(
    state: web::Data<Ports>,
    ctx: RequestContext,
    provider: web::Path<String>,
    query: web::Query<CallbackQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let provider = provider.into_inner();
    let callback = Callback {
        code: query.code,
        state: query.state,
        error: query.error,
    };
    let outcome = blocking(move || oidc::callback(&state, &ctx, &provider, callback)).await?;
    Ok(HttpResponse::Ok().json(match outcome {
        Outcome::SignedIn { session, return_to } => CallbackResponse::SignedIn {
            session: SessionResponse::from(*session),
            return_to,
        },
        Outcome::RegistrationRequired {
            registration_token,
            expires_in,
            email,
            name,
            return_to,
        } => CallbackResponse::RegistrationRequired {
            registration_token,
            expires_in,
            email,
            name,
            return_to,
        },
        Outcome::Linked {
            identity,
            return_to,
        } => CallbackResponse::Linked {
            identity: identity_body(identity),
            return_to,
        },
    }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LinkQuery {
    /// A path of this site to go to once linked (returned by the callback).
    pub return_to: Option<String>,
}

/// Starts linking an identity at a provider to the signed-in account; the
/// provider sends the browser back to the same callback as a sign-in.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(("provider" = String, Path, description = "A configured provider's id", example = "microsoft"), LinkQuery),
    responses(
        (status = 200, description = "The provider's authorization URL", body = StartResponse),
        (status = 401, response = NotSignedIn),
        (status = 404, response = NotFound),
        (status = 422, response = InvalidQuery),
        (status = 503, response = Unavailable),
    )
)]
#[post("/me/identities/{provider}")]
pub async fn link_identity(
    state: web::Data<Ports>,
    ctx: RequestContext,
    caller: Caller,
    provider: web::Path<String>,
    query: web::Query<LinkQuery>,
) -> Result<HttpResponse, ApiError> {
    let return_to = oidc::parse_return_to(query.into_inner().return_to.as_deref())?;
    let provider = provider.into_inner();
    let result =
        blocking(move || oidc::start_link(&state, &ctx, &caller.account_id, &provider, return_to))
            .await?;
    Ok(started(result, false))
}

#[derive(Serialize, ToSchema)]
pub struct IdentityList {
    pub items: Vec<Identity>,
}

/// The identities linked to the signed-in account.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Linked identities", body = IdentityList),
        (status = 401, response = NotSignedIn),
    )
)]
#[get("/me/identities")]
pub async fn list_identities(
    state: web::Data<Ports>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let found = blocking(move || oidc::identities(&state, &caller.account_id)).await?;
    Ok(HttpResponse::Ok().json(IdentityList {
        items: found.into_iter().map(identity_body).collect(),
    }))
}

/// Unlinks the signed-in account's identity at a provider; signing in with
/// it then no longer reaches this account.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(("provider" = String, Path, description = "A configured provider's id", example = "microsoft")),
    responses(
        (status = 204, description = "Unlinked"),
        (status = 401, response = NotSignedIn),
        (status = 404, response = NotFound),
    )
)]
#[delete("/me/identities/{provider}")]
pub async fn unlink_identity(
    state: web::Data<Ports>,
    ctx: RequestContext,
    caller: Caller,
    provider: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let provider = provider.into_inner();
    blocking(move || oidc::unlink(&state, &ctx, &caller.account_id, &provider)).await?;
    Ok(HttpResponse::NoContent().finish())
}
