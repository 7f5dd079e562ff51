//! Request extractors that answer bad input with problems, never with the
//! framework's plain-text errors.

use crate::http::error::ApiError;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use kecs_domain::validation::FieldErrors;
use serde::de::DeserializeOwned;
use std::time::{Duration, Instant};
use utoipa::ToSchema;

/// The largest JSON body an endpoint accepts unless it says otherwise.
pub const JSON_LIMIT: usize = 64 * 1024;

/// The largest roster (JSON or CSV sign-in sheet) an attendance entry
/// accepts: a conference's 500 trainees are about 85 KiB as JSON, so a
/// roster gets room for several thousand (Sec. 12(1)(a) sets no size).
pub const ROSTER_LIMIT: usize = 1024 * 1024;

/// Past this we stop reading an oversized body and let the connection close;
/// below it we read the rest so the client hears the 413 instead of a reset.
const DRAIN_LIMIT: usize = 32 * 1024 * 1024;

/// A JSON body: `application/json` (or `+json`), at most [`JSON_LIMIT`]
/// bytes, no unknown fields (each DTO denies them), and every problem named
/// by the field it concerns.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + ToSchema + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read_json_body(req, payload);
        Box::pin(async move { parse_json_body::<T>(&body.await?).map(ApiJson) })
    }
}

/// A JSON object body whose schema depends on the path (an element's data:
/// `wire::element_data`), read as [`ApiJson`] reads bodies but left for the
/// handler to type.
#[derive(Debug)]
pub struct JsonObject(pub serde_json::Value);

impl FromRequest for JsonObject {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read_json_body(req, payload);
        Box::pin(async move { json_object(&body.await?).map(JsonObject) })
    }
}

/// The bytes of a JSON body: the right content type, at most
/// [`JSON_LIMIT`], arrived within the body timeout.
fn read_json_body(
    req: &HttpRequest,
    payload: &mut Payload,
) -> LocalBoxFuture<'static, Result<Vec<u8>, ApiError>> {
    let is_json = is_json_type(&mime_of(req));
    read_body(req, payload, is_json, JSON_LIMIT)
}

/// The request's media type, lower-cased, without parameters.
fn mime_of(req: &HttpRequest) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|mime| mime.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

fn is_json_type(mime: &str) -> bool {
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// A body that is JSON or a CSV file (`text/csv`), as the routes that take
/// a sign-in sheet accept; at most [`ROSTER_LIMIT`] bytes either way.
#[derive(Debug)]
pub enum JsonOrCsv {
    Json(Vec<u8>),
    Csv(Vec<u8>),
}

impl FromRequest for JsonOrCsv {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let mime = mime_of(req);
        let csv = mime == "text/csv";
        let body = read_body(req, payload, csv || is_json_type(&mime), ROSTER_LIMIT);
        Box::pin(async move {
            let body = body.await?;
            Ok(if csv {
                JsonOrCsv::Csv(body)
            } else {
                JsonOrCsv::Json(body)
            })
        })
    }
}

/// The bytes of a body of an accepted type, at most `limit`, arrived
/// within the body timeout.
fn read_body(
    req: &HttpRequest,
    payload: &mut Payload,
    accepted_type: bool,
    limit: usize,
) -> LocalBoxFuture<'static, Result<Vec<u8>, ApiError>> {
    {
        let is_json = accepted_type;
        let declared_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        let deadline = BodyDeadline::fixed(body_timeout(req));
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType);
            }
            let too_large = ApiError::PayloadTooLarge { limit };
            if declared_length.is_some_and(|n| n > DRAIN_LIMIT) {
                return Err(too_large);
            }
            let mut body = Vec::new();
            let mut seen = 0usize;
            while let Some(chunk) = deadline.within(payload.next()).await? {
                let chunk = chunk.map_err(|e| {
                    ApiError::MalformedBody(format!("the body could not be read: {e}"))
                })?;
                seen += chunk.len();
                if seen > DRAIN_LIMIT {
                    return Err(too_large);
                }
                if seen <= limit {
                    body.extend_from_slice(&chunk);
                }
            }
            if seen > limit {
                return Err(too_large);
            }
            Ok(body)
        })
    }
}

/// The configured time a body may take (`KECS_BODY_TIMEOUT_SECS`).
pub fn body_timeout(req: &HttpRequest) -> Duration {
    req.app_data::<actix_web::web::Data<crate::workflows::Ports>>()
        .map(|state| state.config.body_timeout)
        .unwrap_or(Duration::from_secs(10))
}

/// When the rest of a body must have arrived. The headers are bounded by
/// actix (`client_request_timeout`), a body is not: without this a client
/// sending a byte every few seconds holds a connection, and a worker's
/// slot, for as long as it likes.
pub struct BodyDeadline {
    at: Instant,
    timeout: Duration,
    /// Time each byte received adds to the deadline (uploads only).
    per_byte: Duration,
}

impl BodyDeadline {
    /// The whole body within `timeout` (JSON bodies and the webhook: small).
    pub fn fixed(timeout: Duration) -> Self {
        Self {
            at: Instant::now() + timeout,
            timeout,
            per_byte: Duration::ZERO,
        }
    }

    /// `timeout`, plus the time the bytes received so far take at
    /// `min_bytes_per_sec`: a large upload on a slow line keeps going as
    /// long as it keeps that average, and a trickle is cut about `timeout`
    /// after it starts, however large the limit.
    pub fn growing(timeout: Duration, min_bytes_per_sec: u32) -> Self {
        Self {
            per_byte: Duration::from_secs(1) / min_bytes_per_sec.max(1),
            ..Self::fixed(timeout)
        }
    }

    /// Counts `bytes` received.
    pub fn received(&mut self, bytes: usize) {
        let bytes = u32::try_from(bytes).unwrap_or(u32::MAX);
        self.at += self.per_byte.saturating_mul(bytes);
    }

    /// `read`, unless the deadline passes first: then 408, closing.
    pub async fn within<T>(
        &self,
        read: impl std::future::Future<Output = T>,
    ) -> Result<T, ApiError> {
        actix_web::rt::time::timeout(self.at.saturating_duration_since(Instant::now()), read)
            .await
            .map_err(|_| ApiError::RequestTimeout {
                secs: self.timeout.as_secs(),
            })
    }
}

/// A JSON body every field of which is optional: a request with no body
/// at all (no `Content-Length`, or `0`, and no chunked transfer), or the
/// JSON `null` the contract allows for it, is taken as `{}`, so a client
/// need not send an empty object with a content type. Any other body is
/// read as [`ApiJson`] reads it.
#[derive(Debug)]
pub struct OptionalApiJson<T>(pub T);

impl<T: DeserializeOwned + ToSchema + Default + 'static> FromRequest for OptionalApiJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let headers = req.headers();
        let declared_empty = match headers.get(header::CONTENT_LENGTH) {
            Some(length) => length.as_bytes() == b"0",
            None => !headers.contains_key(header::TRANSFER_ENCODING),
        };
        if declared_empty {
            return Box::pin(async { Ok(OptionalApiJson(T::default())) });
        }
        let body = read_json_body(req, payload);
        Box::pin(async move {
            let body = body.await?;
            if body.trim_ascii() == b"null" {
                return Ok(OptionalApiJson(T::default()));
            }
            parse_json_body::<T>(&body).map(OptionalApiJson)
        })
    }
}

/// Deserializes `body`, naming the field of the first problem serde meets.
/// A request body of a documented type: as [`parse_json`], and when it does
/// not fit, every missing and unknown field is named at once, from the
/// type's schema (`body_schema`), beside what serde stopped at.
pub fn parse_json_body<T: DeserializeOwned + ToSchema>(body: &[u8]) -> Result<T, ApiError> {
    let value = json_object(body)?;
    match serde_path_to_error::deserialize(&value) {
        Ok(parsed) => Ok(parsed),
        Err(error) => {
            let path = error.path().to_string();
            let (field, message) = describe(&path, &error.into_inner().to_string());
            let mut all = crate::http::body_schema::missing_and_unknown::<T>(&value);
            match all.iter_mut().find(|(f, _)| *f == field) {
                Some(same) => same.1 = message,
                None => all.insert(0, (field, message)),
            }
            let mut errors = FieldErrors::new();
            for (field, message) in all {
                errors.push(field, message);
            }
            Err(errors.into())
        }
    }
}

/// The body as a JSON object whose strings hold no forbidden character.
fn json_object(body: &[u8]) -> Result<serde_json::Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::MalformedBody(
            "the body is empty; a JSON object is expected".to_owned(),
        ));
    }
    // Syntax first, so a truncated body is a 400 even when the part that
    // arrived already contains an unknown field.
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::MalformedBody(format!("the body is not valid JSON: {e}")))?;
    // serde's derive also accepts an array as a struct, field by position;
    // the contract speaks of objects only.
    if !value.is_object() {
        return Err(ApiError::field("body", "must be a JSON object"));
    }
    crate::http::text::check_json(&value)?;
    Ok(value)
}

pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let value = json_object(body)?;
    // From the value already parsed, not the bytes again.
    match serde_path_to_error::deserialize(value) {
        Ok(parsed) => Ok(parsed),
        Err(error) => {
            let path = error.path().to_string();
            let (field, message) = describe(&path, &error.into_inner().to_string());
            Err(FieldErrors::single(field, message).into())
        }
    }
}

/// Turns serde's message into a field and a sentence: serde says
/// "missing field `email` at line 1 column 2" about the enclosing object.
pub(crate) fn describe(path: &str, message: &str) -> (String, String) {
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_owned();
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    let join = |name: &str| {
        if path == "." || path.is_empty() {
            name.to_owned()
        } else if path.ends_with(name) {
            path.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    if let Some(name) = named("missing field `") {
        return (join(&name), "is required".to_owned());
    }
    if let Some(name) = named("unknown field `") {
        return (join(&name), "is not a field of this request".to_owned());
    }
    let field = if path == "." {
        "body".to_owned()
    } else {
        path.to_owned()
    };
    let message = match message.find(", expected struct ") {
        Some(at) => format!("{}, expected a JSON object", &message[..at]),
        None => message,
    };
    (field, message)
}

/// Runs a workflow (diesel, argon2: blocking) off the async threads, in the
/// request's tracing span (`workflows::blocking`), answering its error as a
/// problem.
pub async fn blocking<T, E, F>(work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: Into<ApiError> + Send + 'static,
{
    crate::workflows::blocking(move || work().map_err(Into::into)).await
}

/// The "I'm not a robot" widget's token, from the `Human-Check-Token`
/// header: a header, so that no request body's schema changes with the
/// check. Whether one is needed, and whether it passes, the workflow
/// decides (`workflows::human_check`); a token of other than visible ASCII
/// is read as none.
#[derive(Debug, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct HumanCheckToken {
    /// The token the I'm not a robot widget (reCAPTCHA, hCaptcha or
    /// Turnstile, as `GET /api/v1/auth/providers` names it, with its site
    /// key) gave the person. Required while the server's check is on
    /// (`human_check` is not null there); missing, refused or not verified
    /// in time, the request is refused with 422 `human_check_failed`.
    #[param(rename = "Human-Check-Token", value_type = String, required = false)]
    pub token: Option<String>,
}

impl FromRequest for HumanCheckToken {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = req
            .headers()
            .get(crate::http::error::HUMAN_CHECK_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        std::future::ready(Ok(Self { token }))
    }
}

impl FromRequest for crate::workflows::RequestContext {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    /// The client address is the TCP peer: `X-Forwarded-For` is not trusted,
    /// since anyone can send it (throttling keys on this address).
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        use actix_web::HttpMessage;
        std::future::ready(Ok(Self {
            now: crate::workflows::now(),
            request_id: req
                .extensions()
                .get::<crate::http::telemetry::RequestId>()
                .map(|id| id.0.clone()),
            client_address: req.peer_addr().map(|addr| addr.ip().to_string()),
        }))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        city: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        email: String,
        age: Option<u32>,
        address: Option<Inner>,
    }

    fn field_of(body: &str) -> (String, String) {
        match parse_json::<Outer>(body.as_bytes()).unwrap_err() {
            ApiError::Workflow(crate::workflows::WorkflowError::Invalid(errors)) => {
                let first = errors.into_vec().remove(0);
                (first.field, first.message)
            }
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn names_missing_unknown_and_mistyped_fields() {
        assert_eq!(field_of("{}"), ("email".into(), "is required".into()));
        assert_eq!(field_of(r#"{"email":"a","nope":1}"#).0, "nope");
        assert_eq!(field_of(r#"{"email":5}"#).0, "email");
        assert_eq!(field_of(r#"{"email":"a","age":-1}"#).0, "age");
        assert_eq!(field_of(r#"{"email":"a","address":{}}"#).0, "address.city");
        assert_eq!(
            field_of(r#"{"email":"a","address":{"city":"x","zip":1}}"#).0,
            "address.zip"
        );
        assert_eq!(
            field_of("[1]"),
            ("body".into(), "must be a JSON object".into())
        );
        assert_eq!(field_of(r#"["a", 1, null]"#).0, "body");
        assert_eq!(field_of("42").0, "body");
    }

    #[test]
    fn syntax_errors_are_malformed_bodies() {
        for body in ["{", "{\"email\":}", "", "{\"email\":\"a\"} trailing"] {
            assert!(
                matches!(
                    parse_json::<Outer>(body.as_bytes()),
                    Err(ApiError::MalformedBody(_))
                ),
                "{body:?}"
            );
        }
    }
}
