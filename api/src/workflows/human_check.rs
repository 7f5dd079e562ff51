//! The registration guide's "I'm not a robot" check, on account search,
//! claim and creation and on the forgot-username and forgot-password
//! requests: the routes that a script would drive to find people on record,
//! make accounts or flood inboxes.
//!
//! reCAPTCHA v2, hCaptcha and Cloudflare Turnstile verify alike: the
//! widget's token, the secret and the client's address are posted as a form
//! to the provider's siteverify URL, which answers `{"success": bool, …}`.
//! The check fails closed: no token, a refusal, an answer that cannot be
//! read, a status other than 2xx, or no answer within the timeout, and the
//! request is refused (`human_check_failed`, 422) before any of its work.
//!
//! Where it runs: after the per-address throttle of the route (a cheap
//! database write), before anything else. Each verification is an outbound
//! call that may take up to the timeout; counted first, a client sending
//! made-up tokens gets no more calls to the provider (nor held worker
//! threads) than the throttle allows attempts, and a failed check stays
//! counted. Checked first, every made-up token would cost a call.

use crate::config::{HumanCheckProvider, HumanCheckSettings};
use crate::workflows::{Ports, RequestContext, WorkflowError, WorkflowResult};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::sync::Arc;

/// What a front end needs to render the widget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Widget {
    pub provider: HumanCheckProvider,
    pub site_key: String,
}

/// Why a token was not accepted, for the log (the client is told less).
#[derive(Debug, thiserror::Error)]
pub enum Rejection {
    #[error("the provider refused the token (error codes: {0:?})")]
    Refused(Vec<String>),
    #[error("the provider could not be asked: {0}")]
    Unreachable(String),
    #[error("the provider answered with status {0}")]
    Status(u16),
    #[error("the provider's answer could not be read: {0}")]
    Unreadable(String),
}

/// The port: asks the provider whether a widget's token is a person's.
pub trait HumanCheck: Send + Sync {
    /// `None` when the check is off: then no token is asked for.
    fn widget(&self) -> Option<Widget>;

    fn verify(&self, token: &str, client_address: Option<&str>) -> Result<(), Rejection>;
}

/// The check is off: every request passes, no token is asked for.
pub struct Off;

impl HumanCheck for Off {
    fn widget(&self) -> Option<Widget> {
        None
    }

    fn verify(&self, _token: &str, _client_address: Option<&str>) -> Result<(), Rejection> {
        Ok(())
    }
}

/// A provider's siteverify endpoint, asked with a blocking client: the
/// workflows run on blocking threads already.
pub struct Siteverify {
    widget: Widget,
    secret: SecretString,
    verify_url: String,
    agent: ureq::Agent,
}

/// Larger than any provider's answer; a body past it is not read further.
const MAX_ANSWER_BYTES: u64 = 64 * 1024;

/// The longest token accepted (Turnstile documents 2048 characters,
/// reCAPTCHA's are shorter); a longer one is refused without asking.
const MAX_TOKEN_LEN: usize = 4096;

impl Siteverify {
    pub fn new(settings: &HumanCheckSettings) -> Self {
        let agent = ureq::Agent::config_builder()
            // The whole exchange, connecting to reading the last byte.
            .timeout_global(Some(settings.timeout))
            .http_status_as_error(false)
            // A siteverify endpoint answers itself; following a redirect
            // would post the secret somewhere else.
            .max_redirects(0)
            .build()
            .into();
        Self {
            widget: Widget {
                provider: settings.provider,
                site_key: settings.site_key.clone(),
            },
            secret: settings.secret.clone(),
            verify_url: settings.verify_url.clone(),
            agent,
        }
    }
}

/// The part of a siteverify answer that decides.
#[derive(Deserialize)]
struct Answer {
    success: bool,
    #[serde(default, rename = "error-codes")]
    error_codes: Vec<String>,
}

impl HumanCheck for Siteverify {
    fn widget(&self) -> Option<Widget> {
        Some(self.widget.clone())
    }

    fn verify(&self, token: &str, client_address: Option<&str>) -> Result<(), Rejection> {
        let mut form = vec![("secret", self.secret.expose_secret()), ("response", token)];
        if let Some(address) = client_address {
            form.push(("remoteip", address));
        }
        let mut response = self
            .agent
            .post(&self.verify_url)
            .send_form(form)
            .map_err(|e| Rejection::Unreachable(e.to_string()))?;
        if !response.status().is_success() {
            return Err(Rejection::Status(response.status().as_u16()));
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_vec()
            .map_err(|e| Rejection::Unreadable(e.to_string()))?;
        let answer: Answer =
            serde_json::from_slice(&body).map_err(|e| Rejection::Unreadable(e.to_string()))?;
        if answer.success {
            Ok(())
        } else {
            Err(Rejection::Refused(answer.error_codes))
        }
    }
}

/// The check the settings ask for.
pub fn from_settings(settings: Option<&HumanCheckSettings>) -> Arc<dyn HumanCheck> {
    match settings {
        Some(settings) => Arc::new(Siteverify::new(settings)),
        None => Arc::new(Off),
    }
}

/// Refuses the request unless the check is off or `token` passes it for
/// the client's address. Called by each guarded workflow after its
/// throttle and before its work (see the module documentation).
pub fn require(state: &Ports, ctx: &RequestContext, token: Option<&str>) -> WorkflowResult<()> {
    if state.human_check.widget().is_none() {
        return Ok(());
    }
    let token = token.map(str::trim).unwrap_or_default();
    if token.is_empty() {
        return Err(WorkflowError::HumanCheckFailed(
            "is required: complete the I'm not a robot check and send its token",
        ));
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(WorkflowError::HumanCheckFailed(
            "is not a token of the I'm not a robot check",
        ));
    }
    state
        .human_check
        .verify(token, ctx.client_address.as_deref())
        .map_err(|rejection| {
            tracing::info!(%rejection, "the I'm not a robot check did not pass");
            WorkflowError::HumanCheckFailed(match rejection {
                Rejection::Refused(_) => {
                    "was not accepted; complete the I'm not a robot check again"
                }
                Rejection::Unreachable(_) | Rejection::Status(_) | Rejection::Unreadable(_) => {
                    "could not be verified just now; complete the I'm not a robot check again"
                }
            })
        })
}
