//! `/confirm-email?token=…`, the link of the confirmation mail. Opening it
//! changes nothing (mail scanners open links): the person confirms with the
//! page's button, which posts the token.

use super::{Refusal, alert, escape, incomplete_link, page, token_of};
use crate::http::error::ApiError;
use crate::http::extract::blocking;
use crate::workflows::{Ports, RequestContext, registration};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use std::collections::HashMap;

const TITLE: &str = "Confirm your email address";

#[get("/confirm-email")]
pub async fn show(query: web::Query<HashMap<String, String>>) -> HttpResponse {
    let Some(token) = token_of(&query) else {
        return incomplete_link(TITLE);
    };
    page(
        StatusCode::OK,
        TITLE,
        &format!(
            "<p>Confirm that this address is yours to finish setting up your account.</p>\n\
             <form method=\"post\" action=\"/confirm-email\">\n\
             <input type=\"hidden\" name=\"token\" value=\"{}\">\n\
             <button type=\"submit\">Confirm my email address</button>\n</form>",
            escape(&token)
        ),
    )
}

#[post("/confirm-email")]
pub async fn confirm(
    state: web::Data<Ports>,
    ctx: RequestContext,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let Some(token) = token_of(&form) else {
        return incomplete_link(TITLE);
    };
    match blocking(move || registration::confirm_email(&state, &ctx, &token)).await {
        Ok(()) => page(
            StatusCode::OK,
            "Your email address is confirmed",
            "<p>Thank you. You can now sign in and apply.</p>",
        ),
        Err(error) => refused(error).await,
    }
}

async fn refused(error: ApiError) -> HttpResponse {
    let refusal = Refusal::of(error).await;
    let message = match refusal.message_for("token") {
        Some(message) => format!("This link {message}."),
        None => refusal.detail,
    };
    page(refusal.status, TITLE, &alert(&message))
}
