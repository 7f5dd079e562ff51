//! Small server-rendered pages for the links the server mails, so that they
//! work with no front end at all (`make run`): confirm the email address,
//! choose a new password, and a third party's part of an application (a
//! form generated from the element's schema). With `KECS_PUBLIC_URL` pointing at a front end,
//! mails link there instead and these pages go unused.
//!
//! No JavaScript and nothing from elsewhere: a strict Content-Security-Policy
//! allows only this server's stylesheet and forms posting back here. Each
//! page posts a plain form, runs the same workflow as the API, and shows the
//! API's own messages (read off the problem the API would answer) next to
//! the fields they name. A token arrives in the link's query and travels on
//! in a hidden field; the request log records paths, never queries.

mod confirm_email;
mod reset_password;
mod submit_element;

use crate::http::error::ApiError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::web::ServiceConfig;
use actix_web::{HttpResponse, ResponseError, get};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(stylesheet)
        .service(confirm_email::show)
        .service(confirm_email::confirm)
        .service(reset_password::show)
        .service(reset_password::reset)
        .service(submit_element::show)
        .service(submit_element::submit);
}

/// Nothing but this server's own stylesheet, and forms that post back here.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'";

const STYLESHEET: &str = include_str!("pages.css");

#[get("/pages.css")]
async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/css; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(STYLESHEET)
}

/// Text made safe to place in HTML, in an element or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// A whole page: `body` is HTML already escaped where it must be.
pub fn page(status: StatusCode, title: &str, body: &str) -> HttpResponse {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} — Kentucky Trainer's Credential</title>\n\
         <link rel=\"stylesheet\" href=\"/pages.css\">\n</head>\n<body>\n\
         <header><p>Kentucky Early Care and Education Trainer's Credential</p></header>\n\
         <main>\n<h1>{title}</h1>\n{body}\n</main>\n</body>\n</html>\n",
        title = escape(title),
    );
    HttpResponse::build(status)
        .content_type(ContentType::html())
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // The page's address carries a token: no other site may see it.
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html)
}

/// What the API would answer for `error`: its status, its detail, and each
/// field it names with the API's message.
pub struct Refusal {
    pub status: StatusCode,
    pub detail: String,
    pub fields: Vec<(String, String)>,
}

impl Refusal {
    pub async fn of(error: ApiError) -> Self {
        let response = error.error_response();
        let status = response.status();
        let problem: serde_json::Value = actix_web::body::to_bytes(response.into_body())
            .await
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let detail = problem["detail"]
            .as_str()
            .or(problem["title"].as_str())
            .unwrap_or("The request could not be completed.")
            .to_owned();
        let fields = problem["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| {
                Some((
                    e["field"].as_str()?.to_owned(),
                    e["message"].as_str()?.to_owned(),
                ))
            })
            .collect();
        Self {
            status,
            detail,
            fields,
        }
    }

    /// The API's message for `field`, if it names it.
    pub fn message_for(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, message)| message.as_str())
    }
}

/// A paragraph that assistive technology announces at once.
pub fn alert(text: &str) -> String {
    format!("<p class=\"alert\" role=\"alert\">{}</p>", escape(text))
}

/// A labelled input, with the API's message for it (if any) tied to it.
pub fn field(
    name: &str,
    label: &str,
    kind: &str,
    autocomplete: &str,
    error: Option<&str>,
) -> String {
    let id = format!("field-{name}");
    let (invalid, described, message) = match error {
        Some(message) => (
            " aria-invalid=\"true\"",
            format!(" aria-describedby=\"{id}-error\""),
            format!(
                "<p class=\"field-error\" id=\"{id}-error\">{} {}</p>",
                escape(label),
                escape(message)
            ),
        ),
        None => ("", String::new(), String::new()),
    };
    format!(
        "<div class=\"field\"><label for=\"{id}\">{label}</label>\
         <input id=\"{id}\" name=\"{name}\" type=\"{kind}\" autocomplete=\"{autocomplete}\" required{invalid}{described}>\
         {message}</div>",
        label = escape(label),
    )
}

/// The token from a link's query, if it has one.
pub fn token_of(query: &std::collections::HashMap<String, String>) -> Option<String> {
    query
        .get("token")
        .map(|token| token.trim().to_owned())
        .filter(|token| !token.is_empty())
}

/// The page for a link with no token in it.
pub fn incomplete_link(title: &str) -> HttpResponse {
    page(
        StatusCode::BAD_REQUEST,
        title,
        &alert("This link is incomplete. Open the whole link from the mail, or ask for a new one."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_shown_as_text() {
        assert_eq!(
            escape(r#"<script>"a" & 'b'</script>"#),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn a_field_with_an_error_is_marked_and_described_by_it() {
        let html = field(
            "password",
            "New password",
            "password",
            "new-password",
            Some("is too short"),
        );
        assert!(html.contains("<label for=\"field-password\">New password</label>"));
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(html.contains("aria-describedby=\"field-password-error\""));
        assert!(html.contains("id=\"field-password-error\">New password is too short</p>"));
    }
}
