//! The one place where errors become HTTP: RFC 9457 problem details. Every
//! code comes from one table: the product's codes (`kecs_domain::ErrorCode`,
//! each with its kind and title) and the few that only HTTP knows
//! ([`TransportCode`]); a kind maps to exactly one status here.

use crate::workflows::WorkflowError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use kecs_domain::validation::FieldErrors;
use kecs_domain::{DomainError, ErrorCode, ErrorKind};
use serde::Serialize;
use std::fmt;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// The header carrying the "I'm not a robot" widget's token, named as the
/// field of a `human_check_failed` problem.
pub const HUMAN_CHECK_HEADER: &str = "Human-Check-Token";

/// An RFC 9457 problem. `code` is stable and machine-readable; `title` is
/// the same for every problem of a code; `detail` explains this occurrence.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem.
    #[schema(example = "/problems/validation_failed")]
    #[serde(rename = "type")]
    pub problem_type: String,
    #[schema(example = "The request has invalid fields")]
    pub title: String,
    #[schema(example = 422)]
    pub status: u16,
    #[schema(example = "password: must be at least 15 characters long")]
    pub detail: String,
    /// Stable machine-readable code (the table of codes is in the schema).
    #[schema(example = "validation_failed")]
    pub code: String,
    /// Every rejected field (validation problems only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ProblemField>>,
    /// The regulation clause a refusal rests on, e.g. `922 KAR 2:240 Section 6(1)(a)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    /// The field as the client sent it, dotted for nested fields.
    #[schema(example = "date_of_birth")]
    pub field: String,
    #[schema(example = "must be a date written YYYY-MM-DD")]
    pub message: String,
    /// The stable id of the rule of 922 KAR 2:240 the field breaks, when a
    /// rule (not the shape of the value) refuses it.
    #[schema(example = "sec11_5_minimum_one_clock_hour")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    /// That rule's clause.
    #[schema(example = "922 KAR 2:240 Section 11(5)")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
}

/// Codes only HTTP knows: the request could not be read as the contract
/// asks, before any workflow saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportCode {
    MalformedBody,
    UnsupportedMediaType,
    PayloadTooLarge,
    MethodNotAllowed,
    /// The framework could not read the request (a path parameter of the
    /// wrong type, a query or header it could not parse).
    BadRequest,
    /// The body (or, answered by the server itself, the head) did not
    /// arrive in time; the connection is closed.
    RequestTimeout,
    /// The request line and headers are larger than the server reads
    /// (answered by the server itself, `http::connection`).
    RequestHeaderFieldsTooLarge,
    /// None of the media types `Accept` names is one the resource is
    /// written in.
    NotAcceptable,
}

impl TransportCode {
    pub const ALL: [TransportCode; 8] = [
        TransportCode::MalformedBody,
        TransportCode::UnsupportedMediaType,
        TransportCode::PayloadTooLarge,
        TransportCode::MethodNotAllowed,
        TransportCode::BadRequest,
        TransportCode::RequestTimeout,
        TransportCode::RequestHeaderFieldsTooLarge,
        TransportCode::NotAcceptable,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            TransportCode::MalformedBody => "malformed_body",
            TransportCode::UnsupportedMediaType => "unsupported_media_type",
            TransportCode::PayloadTooLarge => "payload_too_large",
            TransportCode::MethodNotAllowed => "method_not_allowed",
            TransportCode::BadRequest => "bad_request",
            TransportCode::RequestTimeout => "request_timeout",
            TransportCode::RequestHeaderFieldsTooLarge => "request_header_fields_too_large",
            TransportCode::NotAcceptable => "not_acceptable",
        }
    }

    pub const fn status(self) -> StatusCode {
        match self {
            TransportCode::MalformedBody => StatusCode::BAD_REQUEST,
            TransportCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            TransportCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            TransportCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            TransportCode::BadRequest => StatusCode::BAD_REQUEST,
            TransportCode::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            TransportCode::RequestHeaderFieldsTooLarge => {
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
            }
            TransportCode::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
        }
    }

    pub const fn title(self) -> &'static str {
        match self {
            TransportCode::MalformedBody => "The request body is not valid JSON",
            TransportCode::UnsupportedMediaType => "Unsupported media type",
            TransportCode::PayloadTooLarge => "Request body too large",
            TransportCode::MethodNotAllowed => "Method not allowed",
            TransportCode::BadRequest => "The request could not be read",
            TransportCode::RequestTimeout => "The request did not arrive in time",
            TransportCode::RequestHeaderFieldsTooLarge => "The request's headers are too large",
            TransportCode::NotAcceptable => "None of the accepted media types is available",
        }
    }
}

/// The one status of each kind of failure.
pub const fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Invalid | ErrorKind::Refused => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Stale => StatusCode::PRECONDITION_FAILED,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Throttled => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Every code a problem may carry, as `openapi.yaml` lists them.
pub fn all_codes() -> Vec<&'static str> {
    code_table().into_iter().map(|(code, _, _)| code).collect()
}

/// Every code with its status and title.
pub fn code_table() -> Vec<(&'static str, u16, &'static str)> {
    ErrorCode::ALL
        .iter()
        .map(|&c| Code::Product(c))
        .chain(TransportCode::ALL.iter().map(|&c| Code::Transport(c)))
        .map(|c| (c.as_str(), c.status().as_u16(), c.title()))
        .collect()
}

/// A code of either table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Product(ErrorCode),
    Transport(TransportCode),
}

impl Code {
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::Product(code) => code.as_str(),
            Code::Transport(code) => code.as_str(),
        }
    }

    pub const fn status(self) -> StatusCode {
        match self {
            Code::Product(code) => status_of(code.kind()),
            Code::Transport(code) => code.status(),
        }
    }

    pub const fn title(self) -> &'static str {
        match self {
            Code::Product(code) => code.title(),
            Code::Transport(code) => code.title(),
        }
    }
}

/// Every way a request can fail: a workflow's failure, or the request
/// could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Workflow(#[from] WorkflowError),
    #[error("{0}")]
    MalformedBody(String),
    #[error("the body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    #[error("the body is larger than the {limit} bytes this endpoint accepts")]
    PayloadTooLarge { limit: usize },
    #[error("this path does not accept that method; it accepts {allow}")]
    MethodNotAllowed { allow: String },
    #[error("the body did not arrive within {secs} seconds; the connection is closed")]
    RequestTimeout { secs: u64 },
    #[error("Accept names none of the media types this resource is written in: {available}")]
    NotAcceptable { available: &'static str },
}

impl ApiError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        WorkflowError::field(field, message).into()
    }

    pub fn internal(error: impl fmt::Display) -> Self {
        WorkflowError::internal(error).into()
    }

    pub fn code(&self) -> Code {
        use WorkflowError as W;
        match self {
            ApiError::Workflow(error) => Code::Product(match error {
                W::Refused(refusal) => refusal.code(),
                W::Invalid(_) => ErrorCode::ValidationFailed,
                W::HumanCheckFailed(_) => ErrorCode::HumanCheckFailed,
                W::NotFound => ErrorCode::NotFound,
                W::Forbidden => ErrorCode::Forbidden,
                W::Unauthorized(_) => ErrorCode::Unauthorized,
                W::Throttled { .. } => ErrorCode::TooManyRequests,
                W::Stale { .. } => ErrorCode::PreconditionFailed,
                W::Unavailable(_) | W::Busy { .. } => ErrorCode::Unavailable,
                W::Internal { .. } => ErrorCode::InternalError,
            }),
            ApiError::MalformedBody(_) => Code::Transport(TransportCode::MalformedBody),
            ApiError::UnsupportedMediaType => Code::Transport(TransportCode::UnsupportedMediaType),
            ApiError::PayloadTooLarge { .. } => Code::Transport(TransportCode::PayloadTooLarge),
            ApiError::MethodNotAllowed { .. } => Code::Transport(TransportCode::MethodNotAllowed),
            ApiError::RequestTimeout { .. } => Code::Transport(TransportCode::RequestTimeout),
            ApiError::NotAcceptable { .. } => Code::Transport(TransportCode::NotAcceptable),
        }
    }

    fn refusal(&self) -> Option<&DomainError> {
        match self {
            ApiError::Workflow(WorkflowError::Refused(refusal)) => Some(refusal),
            _ => None,
        }
    }

    pub fn problem(&self) -> Problem {
        let code = self.code();
        let detail = match self {
            // Never the cause text: it may name tables, queries or secrets.
            ApiError::Workflow(WorkflowError::Internal { .. }) => {
                "An unexpected error occurred; it has been logged.".to_owned()
            }
            ApiError::Workflow(WorkflowError::Unavailable(_)) => {
                "the service is temporarily unavailable; try again shortly".to_owned()
            }
            other => other.to_string(),
        };
        let errors = match self {
            ApiError::Workflow(WorkflowError::Invalid(errors)) => Some(errors.clone()),
            ApiError::Workflow(WorkflowError::HumanCheckFailed(reason)) => {
                Some(FieldErrors::single(HUMAN_CHECK_HEADER, *reason))
            }
            other => other.refusal().and_then(DomainError::fields),
        };
        Problem {
            problem_type: format!("/problems/{}", code.as_str()),
            title: code.title().to_owned(),
            status: code.status().as_u16(),
            detail,
            code: code.as_str().to_owned(),
            errors: errors.map(|errors| {
                errors
                    .iter()
                    .map(|e| ProblemField {
                        field: e.field.clone(),
                        message: e.message.clone(),
                        rule: e.rule,
                        citation: e.citation.map(|c| c.to_string()),
                    })
                    .collect()
            }),
            citation: self
                .refusal()
                .and_then(DomainError::citation)
                .map(|c| c.to_string()),
        }
    }
}

/// The error and every cause under it, for the log.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code().status()
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Workflow(error @ WorkflowError::Internal { .. }) => {
                tracing::error!(cause = %chain(error), "internal error");
            }
            ApiError::Workflow(error @ WorkflowError::Unavailable(_)) => {
                tracing::warn!(cause = %chain(error), "unavailable");
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        match self {
            ApiError::Workflow(WorkflowError::Unauthorized(_)) => {
                response
                    .insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            ApiError::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow.clone()));
            }
            ApiError::Workflow(
                WorkflowError::Throttled { retry_after_secs }
                | WorkflowError::Busy { retry_after_secs },
            ) => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            // The rest of a slow body may still be trickling in: the
            // connection is not worth keeping, and closing it frees the slot.
            ApiError::RequestTimeout { .. } => {
                response.force_close();
            }
            _ => {}
        }
        response.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}

/// The code the table has for a status the framework answered with on its
/// own (an extractor's 400, a 404 or 405 from routing, a 413 from a payload
/// limit): the status is kept when the table has a code for it, otherwise
/// the nearest of 400 or 500.
pub fn code_for_status(status: StatusCode) -> Code {
    let product = |code| Code::Product(code);
    let transport = |code| Code::Transport(code);
    match status.as_u16() {
        401 => product(ErrorCode::Unauthorized),
        403 => product(ErrorCode::Forbidden),
        404 => product(ErrorCode::NotFound),
        405 => transport(TransportCode::MethodNotAllowed),
        408 => transport(TransportCode::RequestTimeout),
        413 => transport(TransportCode::PayloadTooLarge),
        406 => transport(TransportCode::NotAcceptable),
        415 => transport(TransportCode::UnsupportedMediaType),
        431 => transport(TransportCode::RequestHeaderFieldsTooLarge),
        422 => product(ErrorCode::ValidationFailed),
        429 => product(ErrorCode::TooManyRequests),
        503 => product(ErrorCode::Unavailable),
        400..=499 => transport(TransportCode::BadRequest),
        _ => product(ErrorCode::InternalError),
    }
}

/// The problem for a code and this occurrence's detail.
pub fn problem_of(code: Code, detail: String) -> Problem {
    Problem {
        problem_type: format!("/problems/{}", code.as_str()),
        title: code.title().to_owned(),
        status: code.status().as_u16(),
        detail,
        code: code.as_str().to_owned(),
        errors: None,
        citation: None,
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        WorkflowError::Invalid(errors).into()
    }
}

impl From<DomainError> for ApiError {
    fn from(refusal: DomainError) -> Self {
        WorkflowError::Refused(refusal).into()
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(error: tokio::task::JoinError) -> Self {
        WorkflowError::from(error).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_framework_status_keeps_its_status_when_the_table_has_a_code_for_it() {
        for status in [
            400, 401, 403, 404, 405, 408, 413, 415, 422, 431, 429, 500, 503,
        ] {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT);
            assert_eq!(code_for_status(status).status(), status, "{status}");
        }
        for (status, code) in [(411, "bad_request"), (502, "internal_error")] {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT);
            assert_eq!(code_for_status(status).as_str(), code, "{status}");
        }
    }
}
