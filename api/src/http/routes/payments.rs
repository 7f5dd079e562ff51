//! Invoices and payments: idempotent creation, confirmation through the
//! gateway (a success submits the application), reading a payment.

use crate::http::auth::{Applicant, Caller};
use crate::http::error::{ApiError, Problem};
use crate::http::extract::{ApiJson, blocking};
use crate::http::wire::RequestTypeName;
use crate::http::wire::list::whole_list;
use crate::workflows::Ports;
use crate::workflows::RequestContext;
use crate::workflows::WorkflowError;
use crate::workflows::idempotency::{self, Keyed};
use crate::workflows::payments;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError, get, post, put, web};
use kecs_domain::payment::Payment;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::http::responses::{
    AdminsOnly, ApplicantsOnly, BodyTooLarge, NotFound, NotSignedIn, ReadsJsonBody, RequestTimeout,
    SignedInAs,
};
use crate::http::wire::rfc3339;

#[derive(Serialize, ToSchema)]
pub struct InvoiceLineBody {
    pub request_type: RequestTypeName,
    pub description: &'static str,
    /// Integer cents.
    #[schema(example = 5000)]
    pub amount: i64,
}

#[derive(Serialize, ToSchema)]
pub struct InvoiceBody {
    pub application_id: String,
    #[schema(example = "USD")]
    pub currency: &'static str,
    pub lines: Vec<InvoiceLineBody>,
    /// Integer cents.
    #[schema(example = 5000)]
    pub total: i64,
}

whole_list! {
    /// The fee of every request type.
    FeeSchedule of FeeBody;
}

/// The invoice: one line per request type of the application, at the fee
/// schedule's price, and the total.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id")),
    responses(
        (status = 200, description = "The invoice", body = InvoiceBody),
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
    )
)]
#[get("/applications/{id}/invoice")]
pub async fn invoice(
    state: web::Data<Ports>,
    applicant: Applicant,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let (application, invoice) =
        blocking(move || payments::invoice(&state, &applicant.0.account_id, &id)).await?;
    Ok(HttpResponse::Ok().json(InvoiceBody {
        application_id: application.id,
        currency: invoice.currency,
        lines: invoice
            .lines
            .iter()
            .map(|l| InvoiceLineBody {
                request_type: RequestTypeName(l.request_type),
                description: l.description,
                amount: l.amount_cents,
            })
            .collect(),
        total: invoice.total_cents,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct PaymentBody {
    pub id: String,
    pub application_id: String,
    /// Integer cents.
    #[schema(example = 5000)]
    pub amount: i64,
    #[schema(example = "USD")]
    pub currency: String,
    #[schema(value_type = crate::http::wire::enums::PaymentStatusName, example = "requires_payment_method")]
    pub status: &'static str,
    pub payment_method: Option<String>,
    /// Why it failed, when it did.
    pub failure_reason: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: String,
    /// Unconfirmed past this, it is canceled.
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: String,
}

impl From<&Payment> for PaymentBody {
    fn from(p: &Payment) -> Self {
        Self {
            id: p.id.clone(),
            application_id: p.application_id.clone(),
            amount: p.amount_cents,
            currency: p.currency.clone(),
            status: p.status.as_str(),
            payment_method: p.payment_method.clone(),
            failure_reason: p.failure_reason.clone(),
            created_at: rfc3339(p.created_at),
            expires_at: rfc3339(p.expires_at),
        }
    }
}

/// The `Idempotency-Key` of a request: 1 to 255 visible ASCII characters.
fn idempotency_key(req: &HttpRequest) -> Result<String, ApiError> {
    let key = req
        .headers()
        .get("idempotency-key")
        .ok_or_else(|| {
            ApiError::field(
                "Idempotency-Key",
                "is required: a unique value per payment attempt, reused only to retry it",
            )
        })?
        .to_str()
        .map_err(|_| ApiError::field("Idempotency-Key", "must be visible ASCII"))?
        .trim()
        .to_owned();
    if key.is_empty() || key.len() > 255 || !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ApiError::field(
            "Idempotency-Key",
            "must be 1 to 255 visible ASCII characters",
        ));
    }
    Ok(key)
}

fn replay(status: u16, body: String) -> HttpResponse {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let content_type = if status.is_success() {
        "application/json"
    } else {
        crate::http::error::PROBLEM_JSON
    };
    HttpResponse::build(status)
        .content_type(content_type)
        .insert_header(("idempotent-replayed", "true"))
        .body(body)
}

/// Starts paying for an application whose every required element is
/// complete. Requires `Idempotency-Key`: a retry with the same key gets the
/// first response again; the same key for another application is 422; while
/// the first request runs, 409.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The application id"),
        ("Idempotency-Key" = String, Header, min_length = 1, max_length = 255, pattern = "^[!-~]{1,255}$", description = "Unique per payment attempt (1 to 255 visible ASCII characters); reuse it only to retry the same request"),
    ),
    responses(
        (status = 201, description = "A payment awaiting its payment method (or, for a retry with the same key, the first response again)", body = PaymentBody,
            headers(("Idempotent-Replayed" = String, description = "`true` when this is the stored response of an earlier request with the same key"))),
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "Required elements incomplete (`application_incomplete`, listing them), not payable, or the first request with this key is still running (`idempotency_in_flight`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Idempotency-Key missing or malformed, or reused for another request (`idempotency_key_reused`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/applications/{id}/payments")]
pub async fn create_payment(
    req: HttpRequest,
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = idempotency_key(&req)?;
    let id = path.into_inner();
    let account_id = applicant.0.account_id;
    let fingerprint: String =
        Sha256::digest(format!("POST /api/v1/applications/{id}/payments").as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
    let keyed = {
        let (state, account_id, key, now) =
            (state.clone(), account_id.clone(), key.clone(), ctx.now);
        blocking(move || idempotency::begin(&state, &account_id, &key, &fingerprint, now)).await?
    };
    if let Keyed::Replay { status, body } = keyed {
        return Ok(replay(status, body));
    }
    let outcome = {
        let (state, ctx, account_id, id) =
            (state.clone(), ctx.clone(), account_id.clone(), id.clone());
        blocking(move || payments::create(&state, &ctx, &account_id, &id)).await
    };
    // The response is kept for retries, unless the server was at fault
    // (then the key is released so a retry can run again).
    let answer = match &outcome {
        Ok(payment) => Some((
            201u16,
            serde_json::to_string(&PaymentBody::from(payment)).map_err(ApiError::internal)?,
        )),
        Err(error) if error.status_code().is_client_error() => Some((
            error.status_code().as_u16(),
            serde_json::to_string(&error.problem()).map_err(ApiError::internal)?,
        )),
        Err(_) => None,
    };
    let now = ctx.now;
    blocking(move || {
        let answer = answer
            .as_ref()
            .map(|(status, body)| (*status, body.as_str()));
        idempotency::finish(&state, &account_id, &key, answer, now)
    })
    .await?;
    let payment = outcome?;
    Ok(HttpResponse::Created().json(PaymentBody::from(&payment)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    /// In the sandbox: `pm_card_visa` succeeds, `pm_card_chargeDeclined`
    /// fails, `pm_card_processing` waits for the gateway's webhook.
    #[schema(example = "pm_card_visa", pattern = "^pm_[A-Za-z0-9_]{0,97}$")]
    pub payment_method: String,
}

/// Confirms a payment with a payment method. `succeeded` submits the
/// application in the same transaction; `failed` carries the reason and
/// leaves the application payable. Confirming a succeeded payment again
/// answers it again.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The payment id")),
    request_body = ConfirmRequest,
    responses(
        (status = 200, description = "The payment after the gateway's answer", body = PaymentBody),
        ReadsJsonBody,
        SignedInAs<ApplicantsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "Already being processed, failed, expired, or the application is no longer payable", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A payment method is missing or malformed", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/payments/{id}/confirm")]
pub async fn confirm_payment(
    state: web::Data<Ports>,
    ctx: RequestContext,
    applicant: Applicant,
    path: web::Path<String>,
    body: ApiJson<ConfirmRequest>,
) -> Result<HttpResponse, ApiError> {
    let method = body.0.payment_method.trim().to_owned();
    if !method.starts_with("pm_")
        || method.len() > 100
        || !method
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(ApiError::field(
            "payment_method",
            "must be a payment method id such as pm_card_visa",
        ));
    }
    let id = path.into_inner();
    let payment =
        blocking(move || payments::confirm(&state, &ctx, &applicant.0.account_id, &id, &method))
            .await?;
    Ok(HttpResponse::Ok().json(PaymentBody::from(&payment)))
}

/// A payment: its owner's, or any for an admin.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The payment id")),
    responses(
        (status = 200, description = "The payment", body = PaymentBody),
        (status = 401, response = NotSignedIn),
        (status = 404, response = NotFound),
    )
)]
#[get("/payments/{id}")]
pub async fn get_payment(
    state: web::Data<Ports>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let payment = blocking(move || payments::get(&state, &caller, &id)).await?;
    Ok(HttpResponse::Ok().json(PaymentBody::from(&payment)))
}

/// How old a webhook's timestamp may be: older deliveries are refused as
/// possible replays.
const WEBHOOK_TOLERANCE_SECS: i64 = 5 * 60;
const WEBHOOK_BODY_LIMIT: usize = 64 * 1024;

/// Checks `Kecs-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`.
fn verify_signature(
    req: &HttpRequest,
    body: &[u8],
    secret: &[u8],
    now: i64,
) -> Result<(), ApiError> {
    use hmac::{Hmac, Mac};
    let refused = |why: &'static str| Err(ApiError::from(WorkflowError::Unauthorized(why)));
    let header = req
        .headers()
        .get("kecs-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut timestamp = None;
    let mut signature = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signature = Some(value.to_owned()),
            _ => {}
        }
    }
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return refused("the Kecs-Signature header is missing or malformed");
    };
    if (now - timestamp).abs() > WEBHOOK_TOLERANCE_SECS {
        return refused("the webhook's timestamp is too old or in the future");
    }
    let expected: Vec<u8> = (0..signature.len() / 2)
        .filter_map(|i| u8::from_str_radix(signature.get(2 * i..2 * i + 2)?, 16).ok())
        .collect();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).map_err(ApiError::internal)?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    if expected.len() * 2 != signature.len() || mac.verify_slice(&expected).is_err() {
        return refused("the webhook's signature does not match");
    }
    Ok(())
}

#[derive(Deserialize, ToSchema)]
pub struct WebhookEventData {
    pub payment_id: String,
    /// The processor's charge reference (succeeded events).
    pub reference: Option<String>,
    /// Why it failed (failed events).
    pub reason: Option<String>,
}

/// A gateway event, as the processor sends it.
#[derive(Deserialize, ToSchema)]
pub struct WebhookEvent {
    /// Unique per event: a redelivery carries the same id.
    #[schema(example = "evt_1")]
    pub id: String,
    /// `payment.succeeded` or `payment.failed`.
    #[serde(rename = "type")]
    #[schema(example = "payment.succeeded")]
    pub event_type: String,
    pub data: WebhookEventData,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookAck {
    /// Whether this delivery changed anything (false for a redelivery or a
    /// late event about a payment already settled).
    pub applied: bool,
}

/// The payment gateway's webhook: settles payments left `processing`. Signed
/// with HMAC-SHA256 over `"{timestamp}.{raw body}"` (`Kecs-Signature:
/// t=…,v1=…`); timestamps older than 5 minutes are refused; each event is
/// applied once.
#[utoipa::path(
    tag = "payments",
    request_body = WebhookEvent,
    params(("Kecs-Signature" = String, Header, description = "t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\" with the webhook secret>")),
    responses(
        (status = 200, description = "Received", body = WebhookAck),
        (status = 400, description = "The body is not a gateway event", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or bad signature, or a stale timestamp", body = Problem, content_type = "application/problem+json"),
        (status = 408, response = RequestTimeout),
        (status = 413, response = BodyTooLarge),
        (status = 422, description = "A string of the event carries control or bidirectional characters", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/payments/webhook")]
pub async fn payment_webhook(
    req: HttpRequest,
    mut payload: web::Payload,
    state: web::Data<Ports>,
    ctx: RequestContext,
) -> Result<HttpResponse, ApiError> {
    use futures_util::StreamExt;
    let deadline =
        crate::http::extract::BodyDeadline::fixed(crate::http::extract::body_timeout(&req));
    let mut body = Vec::new();
    while let Some(chunk) = deadline.within(payload.next()).await? {
        let chunk = chunk
            .map_err(|e| ApiError::MalformedBody(format!("the body could not be read: {e}")))?;
        if body.len() + chunk.len() > WEBHOOK_BODY_LIMIT {
            return Err(ApiError::PayloadTooLarge {
                limit: WEBHOOK_BODY_LIMIT,
            });
        }
        body.extend_from_slice(&chunk);
    }
    {
        use secrecy::ExposeSecret;
        verify_signature(
            &req,
            &body,
            state.config.webhook_secret.expose_secret().as_bytes(),
            ctx.now.and_utc().timestamp(),
        )?;
    }
    let event: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::MalformedBody(format!("not a gateway event: {e}")))?;
    crate::http::text::check_json(&event)?;
    let event: WebhookEvent = serde_json::from_value(event)
        .map_err(|e| ApiError::MalformedBody(format!("not a gateway event: {e}")))?;
    let outcome = match event.event_type.as_str() {
        "payment.succeeded" => crate::workflows::gateway::ChargeOutcome::Succeeded {
            reference: event.data.reference.unwrap_or_default(),
        },
        "payment.failed" => crate::workflows::gateway::ChargeOutcome::Declined {
            reason: event.data.reason.unwrap_or_else(|| "declined".to_owned()),
        },
        _ => return Ok(HttpResponse::Ok().json(WebhookAck { applied: false })), // events we do not act on
    };
    let gateway_event = payments::GatewayEvent {
        id: event.id,
        payment_id: event.data.payment_id,
        outcome,
    };
    let applied = blocking(move || payments::apply_event(&state, &ctx, &gateway_event)).await?;
    Ok(HttpResponse::Ok().json(WebhookAck { applied }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    /// Cents to give back; the whole remainder when absent.
    #[schema(example = 2500)]
    pub amount: Option<i64>,
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\s<\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^<\x00-\x09\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct RefundBody {
    pub refund_id: String,
    pub payment: PaymentBody,
    /// Cents refunded so far, in all.
    pub refunded: i64,
}

/// Refunds a payment, in full or in part; never more than was paid in all.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description = "The payment id")),
    request_body = RefundRequest,
    responses(
        (status = 201, description = "Refunded", body = RefundBody),
        ReadsJsonBody,
        SignedInAs<AdminsOnly>,
        (status = 404, response = NotFound),
        (status = 409, description = "The payment did not succeed, or the gateway refused", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The amount is not positive or exceeds what is left to refund", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/payments/{id}/refunds")]
pub async fn refund_payment(
    state: web::Data<Ports>,
    ctx: RequestContext,
    admin: crate::http::auth::Admin,
    path: web::Path<String>,
    body: ApiJson<RefundRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let body = body.0;
    let reason = kecs_domain::validation::plain_text(&body.reason, 500)
        .map_err(|e| ApiError::field("reason", e.0))?;
    let (payment, refund_id) = blocking(move || {
        let amount = match body.amount {
            Some(amount) => amount,
            None => {
                let payment = payments::get(&state, &admin.0, &id)?;
                payment.amount_cents - payment.refunded_cents
            }
        };
        payments::refund(
            &state,
            &ctx,
            &id,
            amount,
            &reason,
            Some(&admin.0.account_id),
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(RefundBody {
        refund_id,
        refunded: payment.refunded_cents,
        payment: PaymentBody::from(&payment),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct FeeBody {
    pub request_type: RequestTypeName,
    /// Integer cents.
    #[schema(example = 5000)]
    pub amount: i64,
    #[schema(example = "USD")]
    pub currency: &'static str,
}

fn fee_bodies(
    fees: &std::collections::BTreeMap<kecs_domain::application::RequestType, i64>,
) -> Vec<FeeBody> {
    fees.iter()
        .map(|(t, amount)| FeeBody {
            request_type: RequestTypeName(*t),
            amount: *amount,
            currency: kecs_domain::payment::CURRENCY,
        })
        .collect()
}

/// The fee schedule: what each request type costs.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every fee", body = FeeSchedule),
        SignedInAs<AdminsOnly>,
    )
)]
#[get("/admin/fees")]
pub async fn list_fees(
    state: web::Data<Ports>,
    _admin: crate::http::auth::Admin,
) -> Result<HttpResponse, ApiError> {
    let fees = blocking(move || payments::fee_schedule(&state)).await?;
    Ok(HttpResponse::Ok().json(FeeSchedule::whole(fee_bodies(&fees))))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeeUpdate {
    /// Integer cents; 0 makes the request type free (confirmed without a gateway).
    #[schema(example = 5000, minimum = 0)]
    pub amount: i64,
}

/// Sets one request type's fee. Payments already created keep their amount.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("request_type" = String, Path, description = "The request type")),
    request_body = FeeUpdate,
    responses(
        (status = 200, description = "The fee schedule after the change", body = FeeSchedule),
        ReadsJsonBody,
        SignedInAs<AdminsOnly>,
        (status = 404, response = NotFound),
        (status = 422, description = "The amount is out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/admin/fees/{request_type}")]
pub async fn set_fee(
    state: web::Data<Ports>,
    ctx: RequestContext,
    admin: crate::http::auth::Admin,
    path: web::Path<String>,
    body: ApiJson<FeeUpdate>,
) -> Result<HttpResponse, ApiError> {
    let request_type = kecs_domain::application::RequestType::parse(&path.into_inner())
        .map_err(|_| ApiError::from(WorkflowError::NotFound))?;
    let amount = body.0.amount;
    let fees = blocking(move || {
        payments::set_fee(&state, &ctx, &admin.0.account_id, request_type, amount)?;
        payments::fee_schedule(&state)
    })
    .await?;
    Ok(HttpResponse::Ok().json(FeeSchedule::whole(fee_bodies(&fees))))
}
