//! Logs, request ids and Prometheus metrics.

use crate::config::LogFormat;
use crate::workflows::operations::{PoolFigures, SharedFigures, SweepLog};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};
use chrono::NaiveDateTime;
use prometheus::{
    Encoder, Gauge, GaugeVec, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec,
    Opts, Registry, TextEncoder,
};
use std::time::Instant;
use tracing::Instrument;
use tracing_subscriber::EnvFilter;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What is logged when `RUST_LOG` is not set. actix-http's HTTP/1 codec
/// and dispatcher (`actix_http::h1`) log a client's mistakes at ERROR: a
/// request head past its buffer, a body cut short, a connection reset. The
/// client already got its 400/431 or is gone, and nothing on our side is
/// wrong, so those targets are silenced rather than paging anyone; tracing
/// cannot lower an event's level, only filter it.
const DEFAULT_LOG_FILTER: &str = "info,actix_http::h1=off";

/// Logs go to stdout; `RUST_LOG` filters (default [`DEFAULT_LOG_FILTER`]),
/// `KECS_LOG_FORMAT=json` switches to one JSON object per line with the
/// request span's fields.
pub fn init_tracing(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_LOG_FILTER));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let result = match format {
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    };
    // A second initialisation (tests start many servers) keeps the first.
    drop(result);
}

/// The id of the request being served, also sent back as `X-Request-Id`.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// A client may pass its own id (so its logs and ours join up) if it is
/// short and plain; otherwise we mint one.
fn request_id_of(req: &ServiceRequest) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (1..=128).contains(&v.len())
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        })
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by method, route and status",
            ),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by method, route and status",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["method", "route", "status"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        Ok(Self {
            registry,
            requests,
            latency,
        })
    }

    fn observe(&self, method: &str, route: &str, status: &str, seconds: f64) {
        let labels = [method, route, status];
        self.requests.with_label_values(&labels).inc();
        self.latency.with_label_values(&labels).observe(seconds);
    }

    /// The request figures, then those of `scrape` (made for this scrape).
    pub fn render_with(&self, scrape: &Registry) -> String {
        let mut families = self.registry.gather();
        families.extend(scrape.gather());
        let mut out = Vec::new();
        if let Err(error) = TextEncoder::new().encode(&families, &mut out) {
            tracing::error!(%error, "metrics encoding failed");
        }
        String::from_utf8(out).unwrap_or_default()
    }
}

/// Wraps every request: a request id, a tracing span carrying it, one log
/// line when it completes, and the metrics. Routes are labelled by their
/// pattern (`/api/v1/applications/{id}`), never the raw path, to keep the
/// label set bounded.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = request_id_of(&req);
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let method = req.method().to_string();
    let span = tracing::info_span!("request", request_id = %request_id, method = %method, path = %req.path());
    let started = Instant::now();
    let mut response = next.call(req).instrument(span.clone()).await?;
    let elapsed = started.elapsed();
    let status = response.status();
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    if let Some(metrics) = metrics {
        metrics.observe(&method, &route, status.as_str(), elapsed.as_secs_f64());
    }
    span.in_scope(|| {
        tracing::info!(status = status.as_u16(), route = %route, latency_ms = elapsed.as_secs_f64() * 1000.0, "request completed");
    });
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(response)
}

/// The figures read at scrape time, in a registry of their own: those of
/// the database are left out, and `kecs_database_up` is 0, when it did not
/// answer in time (the scrape itself still succeeds).
pub fn operations_registry(
    sweeps: &SweepLog,
    shared: Option<SharedFigures>,
    pool: PoolFigures,
) -> Result<Registry, prometheus::Error> {
    let registry = Registry::new();
    let int_gauge = |name: &str, help: &str, value: i64| -> Result<(), prometheus::Error> {
        let gauge = IntGauge::new(name, help)?;
        gauge.set(value);
        registry.register(Box::new(gauge))
    };
    let gauge = |name: &str, help: &str, value: f64| -> Result<(), prometheus::Error> {
        let gauge = Gauge::new(name, help)?;
        gauge.set(value);
        registry.register(Box::new(gauge))
    };
    let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);

    int_gauge(
        "kecs_database_up",
        "1 if the database answered this scrape's reads in time, else 0",
        i64::from(shared.is_some()),
    )?;
    if let Some(shared) = shared {
        int_gauge(
            "kecs_outbox_backlog",
            "Mail queued and not yet sent (all nodes)",
            shared.outbox_backlog,
        )?;
        gauge(
            "kecs_outbox_oldest_age_seconds",
            "How long the oldest unsent mail has waited (0 with none)",
            shared.outbox_oldest_age_seconds,
        )?;
        int_gauge(
            "kecs_payments_processing",
            "Payments left processing: being charged, or awaiting reconciliation",
            shared.payments_processing,
        )?;
    }

    let connections = IntGaugeVec::new(
        Opts::new(
            "kecs_db_pool_connections",
            "This node's database connections by state",
        ),
        &["state"],
    )?;
    connections
        .with_label_values(&["in_use"])
        .set(i64::from(pool.in_use));
    connections
        .with_label_values(&["idle"])
        .set(i64::from(pool.idle));
    registry.register(Box::new(connections))?;
    int_gauge(
        "kecs_db_pool_max_connections",
        "The most connections this node's pool opens (KECS_DB_POOL_SIZE)",
        i64::from(pool.max_size),
    )?;
    int_gauge(
        "kecs_db_pool_waiting",
        "Threads of this node waiting for a database connection",
        i64::try_from(pool.waiting).unwrap_or(i64::MAX),
    )?;

    let runs = IntCounterVec::new(
        Opts::new("kecs_sweeps_total", "Sweeps this node ran, by outcome"),
        &["outcome"],
    )?;
    runs.with_label_values(&["ok"]).inc_by(sweeps.succeeded);
    runs.with_label_values(&["failed"]).inc_by(sweeps.failed);
    registry.register(Box::new(runs))?;
    gauge(
        "kecs_sweep_seconds_total",
        "Time this node spent sweeping (divide by kecs_sweeps_total for the mean)",
        sweeps.total_seconds,
    )?;
    if let Some(last) = sweeps.last_seconds {
        gauge(
            "kecs_sweep_last_duration_seconds",
            "How long this node's last sweep took",
            last,
        )?;
    }
    if let Some(at) = sweeps.last_at {
        gauge(
            "kecs_sweep_last_run_timestamp_seconds",
            "When this node's last sweep ran (Unix time)",
            unix_seconds(at),
        )?;
    }
    if let Some((totals, last)) = &sweeps.items {
        let items = IntCounterVec::new(
            Opts::new(
                "kecs_sweep_items_total",
                "What this node's sweeps did, by kind",
            ),
            &["kind"],
        )?;
        let last_items = GaugeVec::new(
            Opts::new(
                "kecs_sweep_last_items",
                "What this node's last successful sweep did, by kind",
            ),
            &["kind"],
        )?;
        for ((kind, total), (_, n)) in totals.iter().zip(last) {
            items.with_label_values(&[kind]).inc_by(*total);
            last_items.with_label_values(&[kind]).set(count(*n) as f64);
        }
        registry.register(Box::new(items))?;
        registry.register(Box::new(last_items))?;
    }
    Ok(registry)
}

fn unix_seconds(at: NaiveDateTime) -> f64 {
    at.and_utc().timestamp_millis() as f64 / 1000.0
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn rendered(shared: Option<SharedFigures>) -> String {
        let pool = PoolFigures {
            max_size: 8,
            in_use: 3,
            idle: 5,
            waiting: 2,
        };
        let registry = operations_registry(&SweepLog::default(), shared, pool).unwrap();
        Metrics::new().unwrap().render_with(&registry)
    }

    #[test]
    fn a_database_that_did_not_answer_leaves_its_figures_out_and_says_so() {
        let down = rendered(None);
        assert!(down.contains("\nkecs_database_up 0\n"), "{down}");
        assert!(!down.contains("kecs_outbox_backlog"), "{down}");
        assert!(!down.contains("kecs_payments_processing"), "{down}");
        // The pool and the sweeps are this node's own: still there.
        assert!(down.contains("kecs_db_pool_connections{state=\"in_use\"} 3"));
        assert!(down.contains("kecs_db_pool_waiting 2"));
        assert!(down.contains("kecs_sweeps_total{outcome=\"ok\"} 0"));

        let up = rendered(Some(SharedFigures {
            outbox_backlog: 4,
            outbox_oldest_age_seconds: 12.5,
            payments_processing: 1,
        }));
        assert!(up.contains("\nkecs_database_up 1\n"), "{up}");
        assert!(up.contains("\nkecs_outbox_backlog 4\n"), "{up}");
        assert!(
            up.contains("\nkecs_outbox_oldest_age_seconds 12.5\n"),
            "{up}"
        );
        assert!(up.contains("\nkecs_payments_processing 1\n"), "{up}");
    }
}
