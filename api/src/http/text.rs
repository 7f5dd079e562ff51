//! The one rule for the characters of text
//! (`kecs_domain::validation::check_text_characters`), applied where input
//! is read, so no route can forget it: every path segment and query
//! parameter (a middleware, before routing) and every string of a JSON body
//! (`ApiJson` and the webhook). A NUL reaching PostgreSQL was a 500; a
//! bidirectional override on the public register or in a file name shows
//! text other than what is stored.

use crate::http::error::ApiError;
use crate::http::route_table::RouteTable;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{ResponseError, web};
use kecs_domain::validation::{
    FieldErrors, check_multiline_text_characters, check_text_characters,
};
use serde_json::Value;

/// Every string of a parsed JSON body, named by its path as the problem
/// names fields (`experience.employer`, `items[2].name`). Object keys are
/// checked too: an unknown key is refused later anyway, but its name would
/// be echoed back in that problem.
pub fn check_json(value: &Value) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    walk(value, "", &mut errors);
    errors.into_result()
}

fn walk(value: &Value, path: &str, errors: &mut FieldErrors) {
    match value {
        Value::String(text) => {
            if let Err(invalid) = check_multiline_text_characters(text) {
                errors.push(field_or_body(path), invalid.0);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                walk(item, &format!("{}[{index}]", field_or_body(path)), errors);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                if let Err(invalid) = check_text_characters(key) {
                    errors.push(
                        field_or_body(path),
                        format!("has a field name that {}", invalid.0),
                    );
                    continue;
                }
                let nested = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                walk(item, &nested, errors);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn field_or_body(path: &str) -> String {
    if path.is_empty() {
        "body".to_owned()
    } else {
        path.to_owned()
    }
}

/// Refuses, before any route runs, a path segment or query parameter whose
/// decoded text breaks the rule: 422 naming the path parameter (`number`
/// of `/public/trainers/{number}`, else `path`) or the query parameter.
/// Extractors (`web::Path`, `web::Query`) decode percent-escapes, so the
/// check decodes them too; no path or query of the contract carries line
/// breaks, so the one-line rule applies.
pub async fn refuse_bad_characters(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let routes = req.app_data::<web::Data<RouteTable>>().cloned();
    let mut errors = FieldErrors::new();
    check_path(
        req.path(),
        routes.as_ref().map(|r| r.get_ref()),
        &mut errors,
    );
    check_query(req.query_string(), &mut errors);
    if errors.is_empty() {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let response = ApiError::from(errors).error_response();
    Ok(req.into_response(response))
}

fn check_path(path: &str, routes: Option<&RouteTable>, errors: &mut FieldErrors) {
    for (index, segment) in path.split('/').enumerate() {
        let problem = match decode(segment.as_bytes(), false) {
            Ok(text) => check_text_characters(&text).err().map(|e| e.0),
            Err(message) => Some(message),
        };
        if let Some(message) = problem {
            let field = routes
                .and_then(|routes| routes.parameter_at(path, index))
                .unwrap_or_else(|| "path".to_owned());
            errors.push(field, message);
        }
    }
}

fn check_query(query: &str, errors: &mut FieldErrors) {
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = match decode(name.as_bytes(), true) {
            Ok(name) if check_text_characters(&name).is_ok() => name,
            Ok(_) | Err(_) => {
                errors.push("query", "has a parameter name that is not plain text");
                continue;
            }
        };
        let problem = match decode(value.as_bytes(), true) {
            Ok(text) => check_text_characters(&text).err().map(|e| e.0),
            Err(message) => Some(message),
        };
        if let Some(message) = problem {
            errors.push(name, message);
        }
    }
}

/// Percent-decodes `raw` (and `+` as a space in a query) into UTF-8 text.
fn decode(raw: &[u8], plus_is_space: bool) -> Result<String, String> {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut rest = raw;
    while let Some((&byte, tail)) = rest.split_first() {
        rest = tail;
        match byte {
            b'%' => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (
                    tail.first().and_then(|&b| hex(b)),
                    tail.get(1).and_then(|&b| hex(b)),
                ) {
                    (Some(high), Some(low)) => {
                        bytes.push((high * 16 + low) as u8);
                        rest = &tail[2..];
                    }
                    _ => return Err("has a % that does not start a percent-escape".to_owned()),
                }
            }
            b'+' if plus_is_space => bytes.push(b' '),
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).map_err(|_| "must be UTF-8 text".to_owned())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn fields(errors: FieldErrors) -> Vec<String> {
        errors.into_vec().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn every_string_of_a_body_is_named_by_its_path() {
        let body = serde_json::json!({
            "name": "ok\nover lines\twith a tab",
            "experience": {"employer": "A\u{0}B"},
            "items": [{"name": "fine"}, {"name": "\u{202E}gpj.exe"}],
            "list": ["a", "\u{200F}"],
        });
        assert_eq!(
            fields(check_json(&body).unwrap_err()),
            ["experience.employer", "items[1].name", "list[1]"]
        );
        assert!(check_json(&serde_json::json!({"a": [1, true, null, "x"]})).is_ok());
        assert_eq!(
            fields(check_json(&serde_json::json!({"a\u{0}": 1})).unwrap_err()),
            ["body"]
        );
    }

    #[test]
    fn paths_and_queries_are_decoded_before_the_check() {
        let mut errors = FieldErrors::new();
        check_path("/api/v1/public/trainers/KY%00", None, &mut errors);
        check_path("/api/v1/public/trainers/%E2%80%AE", None, &mut errors);
        check_path("/api/v1/ok%20fine", None, &mut errors);
        check_query("name=a%00&ok=b+c&q=%E2%80%AE&bad=%zz&x=%FF", &mut errors);
        assert_eq!(fields(errors), ["path", "path", "name", "q", "bad", "x"]);
        assert_eq!(decode(b"a+b%20c", true).unwrap(), "a b c");
        assert_eq!(decode(b"a+b", false).unwrap(), "a+b");
    }
}
