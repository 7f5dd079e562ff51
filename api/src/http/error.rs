//! The one place where errors become HTTP: RFC 9457 problem details.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use kecs_domain::validation::FieldErrors;
use kecs_persistence::PersistenceError;
use serde::Serialize;
use std::fmt;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

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
    /// Stable machine-readable code, e.g. `validation_failed`, `email_taken`.
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
}

/// Every way a request can fail, each with its status and code declared once
/// (see `status` and `code`).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Validation(FieldErrors),
    #[error("{0}")]
    MalformedBody(String),
    /// A request that is well formed but cannot be done as asked: its own
    /// code, the fields concerned, and the clause it rests on, if any.
    #[error("{detail}")]
    Unprocessable {
        code: &'static str,
        detail: String,
        errors: FieldErrors,
        citation: Option<String>,
    },
    /// A conflict with the state of things, listing what is in the way
    /// (e.g. the elements still incomplete before payment).
    #[error("{detail}")]
    ConflictWithFields {
        code: &'static str,
        detail: String,
        errors: FieldErrors,
    },
    /// `If-Match` named a version that is no longer current.
    #[error(
        "the element changed since you read it (now version {current}); reload it and apply your change again"
    )]
    PreconditionFailed { current: i32 },
    #[error("the body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    #[error("the body is larger than the {limit} bytes this endpoint accepts")]
    PayloadTooLarge { limit: usize },
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("your role may not do this")]
    Forbidden,
    #[error("no such resource")]
    NotFound,
    #[error("this path does not accept that method; it accepts {allow}")]
    MethodNotAllowed { allow: String },
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("the service is temporarily unavailable; try again shortly")]
    Unavailable,
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(FieldErrors::single(field, message))
    }

    /// A refusal under a rule of the regulation: 422 with the rule's id as
    /// the field's reason and its clause as the citation.
    pub fn rule(code: &'static str, field: &str, unmet: &kecs_domain::rules::Unmet) -> Self {
        ApiError::Unprocessable {
            code,
            detail: format!("{} ({})", unmet.message, unmet.citation),
            errors: FieldErrors::single(field, unmet.message.clone()),
            citation: Some(unmet.citation.to_string()),
        }
    }

    pub fn internal(error: impl fmt::Display) -> Self {
        ApiError::Internal(error.to_string())
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "validation_failed",
            ApiError::MalformedBody(_) => "malformed_body",
            ApiError::Unprocessable { code, .. } => code,
            ApiError::PreconditionFailed { .. } => "precondition_failed",
            ApiError::ConflictWithFields { code, .. } => code,
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::Conflict { code, .. } => code,
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::Unavailable => "unavailable",
            ApiError::Internal(_) => "internal_error",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "The request has invalid fields",
            ApiError::MalformedBody(_) => "The request body is not valid JSON",
            ApiError::Unprocessable { .. } => "The request cannot be done as asked",
            ApiError::PreconditionFailed { .. } => "Precondition failed",
            ApiError::ConflictWithFields { .. } => "Conflict",
            ApiError::UnsupportedMediaType => "Unsupported media type",
            ApiError::PayloadTooLarge { .. } => "Request body too large",
            ApiError::Unauthorized(_) => "Authentication required",
            ApiError::Forbidden => "Forbidden",
            ApiError::NotFound => "Not found",
            ApiError::MethodNotAllowed { .. } => "Method not allowed",
            ApiError::Conflict { .. } => "Conflict",
            ApiError::TooManyRequests { .. } => "Too many requests",
            ApiError::Unavailable => "Service unavailable",
            ApiError::Internal(_) => "Internal server error",
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let detail = match self {
            // Never the cause text: it may name tables, queries or secrets.
            ApiError::Internal(_) => "An unexpected error occurred; it has been logged.".to_owned(),
            other => other.to_string(),
        };
        let errors = match self {
            ApiError::Validation(errors)
            | ApiError::Unprocessable { errors, .. }
            | ApiError::ConflictWithFields { errors, .. } => Some(
                errors
                    .iter()
                    .map(|e| ProblemField {
                        field: e.field.clone(),
                        message: e.message.clone(),
                    })
                    .collect(),
            ),
            _ => None,
        };
        Problem {
            problem_type: format!("/problems/{}", self.code()),
            title: self.title().to_owned(),
            status: status.as_u16(),
            detail,
            code: self.code().to_owned(),
            errors,
            citation: match self {
                ApiError::Unprocessable { citation, .. } => citation.clone(),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::MalformedBody(_) => StatusCode::BAD_REQUEST,
            ApiError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::ConflictWithFields { .. } => StatusCode::CONFLICT,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(%cause, "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        match self {
            ApiError::Unauthorized(_) => {
                response
                    .insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            ApiError::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow.clone()));
            }
            ApiError::TooManyRequests { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            _ => {}
        }
        response.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        ApiError::Validation(errors)
    }
}

impl From<PersistenceError> for ApiError {
    fn from(error: PersistenceError) -> Self {
        match error {
            PersistenceError::NotFound => ApiError::NotFound,
            PersistenceError::Conflict { what } => ApiError::Conflict {
                code: "conflict",
                detail: format!("a record with this {what} already exists"),
            },
            PersistenceError::Unavailable(cause) => {
                tracing::warn!(%cause, "database unavailable");
                ApiError::Unavailable
            }
            other => ApiError::internal(other),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        ApiError::internal(error)
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(error: tokio::task::JoinError) -> Self {
        ApiError::internal(error)
    }
}
