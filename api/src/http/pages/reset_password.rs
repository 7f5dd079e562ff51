//! `/reset-password?token=…`, the link of the password-reset mail: a form
//! for the new password, checked as `POST /api/v1/auth/reset-password`
//! checks it, its messages shown beside the fields they name.

use super::{Refusal, alert, escape, field, incomplete_link, page, token_of};
use crate::http::error::ApiError;
use crate::http::extract::blocking;
use crate::http::routes::auth::{ResetPasswordRequest, new_password};
use crate::workflows::{Ports, RequestContext, sessions};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use kecs_domain::account::Password;
use std::collections::HashMap;

const TITLE: &str = "Choose a new password";

#[get("/reset-password")]
pub async fn show(query: web::Query<HashMap<String, String>>) -> HttpResponse {
    match token_of(&query) {
        Some(token) => form_page(StatusCode::OK, &token, None),
        None => incomplete_link(TITLE),
    }
}

#[post("/reset-password")]
pub async fn reset(
    state: web::Data<Ports>,
    ctx: RequestContext,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let Some(token) = token_of(&form) else {
        return incomplete_link(TITLE);
    };
    let request = ResetPasswordRequest {
        token: token.clone(),
        password: form.get("password").cloned().unwrap_or_default(),
        password_confirmation: form
            .get("password_confirmation")
            .cloned()
            .unwrap_or_default(),
    };
    let password = match new_password(&request) {
        Ok(password) => password,
        Err(errors) => return form_page_refused(&token, ApiError::from(errors)).await,
    };
    let outcome =
        blocking(move || sessions::reset_password(&state, &ctx, &request.token, password)).await;
    match outcome {
        Ok(()) => page(
            StatusCode::OK,
            "Your password is changed",
            "<p>Sign in with your new password. Every earlier sign-in has ended, \
             and a mail tells you of the change.</p>",
        ),
        Err(error) => form_page_refused(&token, error).await,
    }
}

async fn form_page_refused(token: &str, error: ApiError) -> HttpResponse {
    let refusal = Refusal::of(error).await;
    form_page(refusal.status, token, Some(&refusal))
}

fn form_page(status: StatusCode, token: &str, refusal: Option<&Refusal>) -> HttpResponse {
    let message = |name: &str| refusal.and_then(|r| r.message_for(name));
    // A refused link cannot be mended on this page: say so first.
    let summary = match (refusal, message("token")) {
        (_, Some(token_message)) => alert(&format!("This link {token_message}.")),
        (Some(_), None) => alert("The password was not changed; see below."),
        (None, None) => String::new(),
    };
    let body = format!(
        "{summary}\n<p class=\"hint\">At least {min} characters, with an upper case letter, a \
         lower case letter, a digit and a special character.</p>\n\
         <form method=\"post\" action=\"/reset-password\">\n\
         <input type=\"hidden\" name=\"token\" value=\"{token}\">\n{password}\n{confirmation}\n\
         <button type=\"submit\">Change my password</button>\n</form>",
        min = Password::MIN_LEN,
        token = escape(token),
        password = field(
            "password",
            "New password",
            "password",
            "new-password",
            message("password")
        ),
        confirmation = field(
            "password_confirmation",
            "New password again",
            "password",
            "new-password",
            message("password_confirmation")
        ),
    );
    page(status, TITLE, &body)
}
