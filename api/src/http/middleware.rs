//! Rules every response follows, whatever route (or no route) made it.

use crate::http::error::{PROBLEM_JSON, code_for_status, problem_of};
use actix_web::HttpResponse;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

/// How much of a framework error's text is kept as the problem's detail.
const DETAIL_LIMIT: usize = 1024;

/// Every error answer is a problem with a code from the table, including
/// those actix makes itself inside the app (a path parameter of the wrong
/// type, a payload error, routing): an error response that is not already
/// `application/problem+json` is rewritten, its status kept where the table
/// has a code for it (`error::code_for_status`) and its headers (`Allow`)
/// kept.
///
/// What this cannot reach: actix-http's HTTP/1 dispatcher answers a request
/// whose head cannot be parsed (400), is too large (431) or does not arrive
/// in time (408) by writing a bodiless response itself, before any service
/// exists for the request. `http::connection` rewrites those on the way to
/// the socket; it relies on this middleware: no answer of the app is a
/// 4xx without `content-type`.
pub async fn framework_problems(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // Handlers' and extractors' errors arrive here as responses; an `Err`
    // only comes from a middleware inside this one, and none of ours makes
    // one. (The request cannot be kept to answer it: cloning it before
    // routing would stop the router from filling in its path.)
    let response = next.call(req).await?.map_into_boxed_body();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // Already a problem, or one of the mailed links' pages (`http::pages`),
    // which answer people in HTML.
    let answered = content_type.starts_with(PROBLEM_JSON) || content_type.starts_with("text/html");
    if !(status.is_client_error() || status.is_server_error()) || answered {
        return Ok(response);
    }
    let (request, response) = response.into_parts();
    let code = code_for_status(status);
    let (head, body) = response.into_parts();
    let detail = if status.is_server_error() {
        // Never the framework's text for a server error: it may say too much.
        None
    } else {
        actix_web::body::to_bytes_limited(body, DETAIL_LIMIT)
            .await
            .ok()
            .and_then(Result::ok)
            .and_then(|bytes| String::from_utf8(bytes.to_vec()).ok())
            .filter(|text| !text.trim().is_empty())
    };
    let problem = problem_of(code, detail.unwrap_or_else(|| code.title().to_owned()));
    let mut rewritten = HttpResponse::build(code.status());
    for (name, value) in head.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rewritten.append_header((name.clone(), value.clone()));
        }
    }
    rewritten.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
    let rewritten = rewritten.body(serde_json::to_string(&problem).unwrap_or_default());
    Ok(ServiceResponse::new(request, rewritten))
}

/// What the public register's answers may be cached for.
const PUBLIC_REGISTER_CACHE: &str = "public, max-age=60";

/// `Cache-Control` on every API response that did not set its own:
/// `no-store`, since nearly every answer carries a token or personal data
/// (sign-in, refresh, accounts, an applicant's records) and must not be kept
/// by a browser or a shared proxy. The one exception is a successful answer
/// of the public register (`/api/v1/public/…`): the same for everyone,
/// published to be looked up, and a minute's staleness is harmless — a
/// revocation shows within a minute — while caching absorbs repeated
/// look-ups. Its errors (a throttled 429 above all) are `no-store` too.
pub async fn cache_control(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let is_api = req.path().starts_with("/api/v1/");
    let is_public = req.path().starts_with("/api/v1/public/");
    let mut response = next.call(req).await?;
    if is_api && !response.headers().contains_key(header::CACHE_CONTROL) {
        let value = if is_public && response.status().is_success() {
            PUBLIC_REGISTER_CACHE
        } else {
            "no-store"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    Ok(response)
}

/// A method the contract does not document on the path a request names is
/// 405 with the documented methods in `Allow`, even where the router would
/// hand the request to a templated route of that method: `GET
/// /payments/webhook` is not a payment called "webhook".
pub async fn refuse_undeclared_methods(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    use actix_web::ResponseError;
    let undeclared = req
        .app_data::<actix_web::web::Data<crate::http::route_table::RouteTable>>()
        .and_then(|routes| routes.undeclared(req.path(), req.method().as_str()));
    match undeclared {
        None => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body),
        Some(allow) => {
            let response =
                crate::http::error::ApiError::MethodNotAllowed { allow }.error_response();
            Ok(req.into_response(response))
        }
    }
}
