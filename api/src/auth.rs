//! Who is calling: short-lived JWT access tokens, the signed claim tokens of
//! account search, and the extractors that enforce roles.

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use kecs_domain::account::Role;
use serde::{Deserialize, Serialize};
use std::future::{Ready, ready};

const ISSUER: &str = "kecs";
/// Distinct audiences keep a claim token from ever working as an access token.
const ACCESS_AUDIENCE: &str = "kecs-api";
const CLAIM_AUDIENCE: &str = "kecs-claim";

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    fn validation(audience: &str) -> Validation {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        validation
    }

    pub fn access_token(
        &self,
        account_id: &str,
        role: Role,
        now: i64,
        ttl_secs: i64,
    ) -> Result<String, ApiError> {
        let claims = AccessClaims {
            sub: account_id.to_owned(),
            role: role.as_str().to_owned(),
            iss: ISSUER.to_owned(),
            aud: ACCESS_AUDIENCE.to_owned(),
            iat: now,
            exp: now + ttl_secs,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(ApiError::internal)
    }

    pub fn verify_access(&self, token: &str) -> Result<Caller, ApiError> {
        let data =
            decode::<AccessClaims>(token, &self.decoding, &Self::validation(ACCESS_AUDIENCE))
                .map_err(|_| {
                    ApiError::Unauthorized("the access token is invalid or has expired")
                })?;
        let role = Role::parse(&data.claims.role)
            .ok_or(ApiError::Unauthorized("the access token is invalid"))?;
        Ok(Caller {
            account_id: data.claims.sub,
            role,
        })
    }

    /// A claim token names one person record found by account search; it is
    /// what "This is me!" sends back, so the record id itself never leaves.
    pub fn claim_token(
        &self,
        person_id: &str,
        now: i64,
        ttl_secs: i64,
    ) -> Result<String, ApiError> {
        let claims = ClaimClaims {
            sub: person_id.to_owned(),
            iss: ISSUER.to_owned(),
            aud: CLAIM_AUDIENCE.to_owned(),
            exp: now + ttl_secs,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(ApiError::internal)
    }

    /// The person id of a valid claim token.
    pub fn verify_claim(&self, token: &str) -> Option<String> {
        decode::<ClaimClaims>(token, &self.decoding, &Self::validation(CLAIM_AUDIENCE))
            .ok()
            .map(|data| data.claims.sub)
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct AccessClaims {
    sub: String,
    role: String,
    iss: String,
    aud: String,
    iat: i64,
    exp: i64,
}

#[derive(Debug, Serialize, Deserialize)]
struct ClaimClaims {
    sub: String,
    iss: String,
    aud: String,
    exp: i64,
}

/// An authenticated caller (any role).
#[derive(Debug, Clone)]
pub struct Caller {
    pub account_id: String,
    pub role: Role,
}

fn bearer(req: &HttpRequest) -> Result<Caller, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("application state missing"))?;
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthorized(
            "an Authorization: Bearer token is required",
        ))?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .ok_or(ApiError::Unauthorized(
            "the Authorization header must be Bearer <token>",
        ))?;
    state.jwt.verify_access(token)
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(bearer(req))
    }
}

/// An authenticated applicant; staff get 403.
#[derive(Debug, Clone)]
pub struct Applicant(pub Caller);

impl FromRequest for Applicant {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(bearer(req).and_then(|caller| match caller.role {
            Role::Applicant => Ok(Applicant(caller)),
            Role::Specialist | Role::Admin => Err(ApiError::Forbidden),
        }))
    }
}

/// Header carrying a third party's invitation token (never in the URL, so it
/// stays out of access logs).
pub const INVITATION_TOKEN: &str = "invitation-token";

/// Who may read or submit an element: its owner (a bearer token), or the
/// third party invited to submit it (the token of the mailed link).
#[derive(Debug, Clone)]
pub enum ElementCaller {
    Applicant(Caller),
    Invitee(String),
}

impl FromRequest for ElementCaller {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        if req.headers().contains_key(header::AUTHORIZATION) {
            return ready(bearer(req).and_then(|caller| match caller.role {
                Role::Applicant => Ok(ElementCaller::Applicant(caller)),
                Role::Specialist | Role::Admin => Err(ApiError::Forbidden),
            }));
        }
        let token = req
            .headers()
            .get(INVITATION_TOKEN)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty() && v.len() <= 128);
        ready(match token {
            Some(token) => Ok(ElementCaller::Invitee(token.to_owned())),
            None => Err(ApiError::Unauthorized(
                "a Bearer token, or the Invitation-Token of a mailed link, is required",
            )),
        })
    }
}

/// An authenticated admin (the cabinet's designee); anyone else gets 403.
#[derive(Debug, Clone)]
pub struct Admin(pub Caller);

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(bearer(req).and_then(|caller| match caller.role {
            Role::Admin => Ok(Admin(caller)),
            Role::Applicant | Role::Specialist => Err(ApiError::Forbidden),
        }))
    }
}

/// An authenticated certification specialist or admin; applicants get 403.
#[derive(Debug, Clone)]
pub struct Staff(pub Caller);

impl FromRequest for Staff {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(bearer(req).and_then(|caller| match caller.role {
            Role::Specialist | Role::Admin => Ok(Staff(caller)),
            Role::Applicant => Err(ApiError::Forbidden),
        }))
    }
}
