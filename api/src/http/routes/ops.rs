use crate::http::error::ApiError;
use crate::http::extract::blocking;
use crate::http::responses::{MethodNotAllowed, Unavailable};
use crate::http::telemetry::{self, Metrics};
use crate::workflows::Ports;
use crate::workflows::operations;
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// The process is up (liveness).
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "The process is up", body = Health),
        (status = 405, response = MethodNotAllowed),
    )
)]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// The database answers (readiness): a load balancer sends traffic only here.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Ready to serve", body = Health),
        (status = 405, response = MethodNotAllowed),
        (status = 503, response = Unavailable),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<Ports>) -> Result<HttpResponse, ApiError> {
    blocking(move || state.database_ready()).await?;
    Ok(HttpResponse::Ok().json(Health { status: "ok" }))
}

/// Prometheus text exposition: request counts and latencies by route and
/// status; the mail backlog and its oldest message's age, payments left
/// processing (omitted, with `kecs_database_up 0`, when the database does
/// not answer within half a second); this node's pool and its sweeps.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Prometheus text format", body = String, content_type = "text/plain; version=0.0.4"),
        (status = 405, response = MethodNotAllowed),
    )
)]
#[get("/metrics")]
pub async fn metrics(metrics: web::Data<Metrics>, state: web::Data<Ports>) -> HttpResponse {
    // Read before the scrape takes its own connection.
    let pool = operations::pool_figures(&state);
    let shared = blocking(move || operations::shared_figures(&state, crate::workflows::now()))
        .await
        .inspect_err(|error| tracing::warn!(%error, "metrics: the database did not answer"))
        .ok();
    let body = match telemetry::operations_registry(&operations::sweep_log(), shared, pool) {
        Ok(scrape) => metrics.render_with(&scrape),
        Err(error) => {
            tracing::error!(%error, "metrics: the operations figures could not be built");
            metrics.render_with(&prometheus::Registry::new())
        }
    };
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(body)
}
