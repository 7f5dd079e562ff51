//! Who is calling: the extractors that read the bearer token and enforce
//! roles. A staff token is checked against its account on every request
//! (`workflows::staff::current`: not disabled, the role as it stands now);
//! an applicant token is trusted as signed, since an applicant's role never
//! changes and applicants are never disabled — their hot paths stay one
//! query shorter.

use crate::http::error::ApiError;
use crate::http::extract::blocking;
use crate::workflows::Ports;
use crate::workflows::WorkflowError;
use crate::workflows::staff;
pub use crate::workflows::tokens::Caller;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use kecs_domain::account::Role;
use std::future::{Ready, ready};

fn bearer(req: &HttpRequest) -> Result<Caller, ApiError> {
    let state = req
        .app_data::<web::Data<Ports>>()
        .ok_or_else(|| ApiError::internal("application state missing"))?;
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::from(WorkflowError::Unauthorized(
            "an Authorization: Bearer token is required",
        )))?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .ok_or(ApiError::from(WorkflowError::Unauthorized(
            "the Authorization header must be Bearer <token>",
        )))?;
    Ok(state.jwt.verify_access(token)?)
}

/// The caller as their account stands now (see the module documentation).
fn current(req: &HttpRequest) -> LocalBoxFuture<'static, Result<Caller, ApiError>> {
    let caller = bearer(req);
    let state = req.app_data::<web::Data<Ports>>().cloned();
    Box::pin(async move {
        let caller = caller?;
        if !caller.role.is_staff() {
            return Ok(caller);
        }
        let state = state.ok_or_else(|| ApiError::internal("application state missing"))?;
        blocking(move || staff::current(&state, &caller)).await
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        current(req)
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
            Role::Specialist | Role::Admin => Err(ApiError::from(WorkflowError::Forbidden)),
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
                Role::Specialist | Role::Admin => Err(ApiError::from(WorkflowError::Forbidden)),
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
            None => Err(ApiError::from(WorkflowError::Unauthorized(
                "a Bearer token, or the Invitation-Token of a mailed link, is required",
            ))),
        })
    }
}

/// An authenticated admin (the cabinet's designee); anyone else gets 403.
#[derive(Debug, Clone)]
pub struct Admin(pub Caller);

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let caller = current(req);
        Box::pin(async move {
            let caller = caller.await?;
            match caller.role {
                Role::Admin => Ok(Admin(caller)),
                Role::Applicant | Role::Specialist => Err(ApiError::from(WorkflowError::Forbidden)),
            }
        })
    }
}

/// An authenticated certification specialist or admin; applicants get 403.
#[derive(Debug, Clone)]
pub struct Staff(pub Caller);

impl FromRequest for Staff {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let caller = current(req);
        Box::pin(async move {
            let caller = caller.await?;
            match caller.role {
                Role::Specialist | Role::Admin => Ok(Staff(caller)),
                Role::Applicant => Err(ApiError::from(WorkflowError::Forbidden)),
            }
        })
    }
}
