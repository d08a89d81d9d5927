//! `/metrics` in the Prometheus text format: requests and their latency by route and
//! status, the database pool, database errors, the search index and the process (memory,
//! CPU, open files). Recorded with the `metrics` crate into a recorder of this instance's
//! own (not the global one), so several instances in one process never mix their figures.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, get, web};
use metrics::{
    Unit, counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram,
};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

use crate::error::ApiError;
use crate::openapi::{NotFound, Problems};
use crate::state::AppState;

/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

const REQUESTS: &str = "casebook_http_requests_total";
const DURATION: &str = "casebook_http_request_duration_seconds";
const DATABASE_ERRORS: &str = "casebook_db_errors_total";

/// Figures read off the service when `/metrics` is asked for, with their help texts.
const GAUGES: [(&str, &str); 8] = [
    (
        "casebook_db_pool_connections",
        "Connections the pool holds open.",
    ),
    (
        "casebook_db_pool_available",
        "Connections idle in the pool.",
    ),
    (
        "casebook_db_pool_max",
        "Most connections the pool may hold.",
    ),
    (
        "casebook_db_pool_waiting",
        "Requests waiting for a connection.",
    ),
    (
        "casebook_search_index_ready",
        "1 once the search index is built.",
    ),
    (
        "casebook_search_semantic",
        "1 when search by meaning is on (an embedding model is loaded).",
    ),
    (
        "casebook_search_embedded",
        "Case studies with a vector for search by meaning.",
    ),
    (
        "casebook_search_case_studies",
        "Live case studies in the search index.",
    ),
];

const COUNTERS: [(&str, &str); 5] = [
    (
        "casebook_search_cache_hits_total",
        "Public searches answered from kept answers.",
    ),
    (
        "casebook_search_cache_misses_total",
        "Public searches that had to be computed.",
    ),
    (
        "casebook_search_words_indexed_total",
        "Case studies whose words the search index analysed: every one at start-up unless \
         kept from the run before (CASEBOOK_SEARCH_INDEX_DIR), then each change.",
    ),
    (
        "casebook_read_cache_hits_total",
        "Public reads of a case study answered from kept documents.",
    ),
    (
        "casebook_read_cache_misses_total",
        "Public reads of a case study that went to the database.",
    ),
];

pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    process: metrics_process::Collector,
}

impl Metrics {
    pub fn new() -> anyhow::Result<Self> {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(DURATION.to_owned()), &BUCKETS)?
            .build_recorder();
        let handle = recorder.handle();
        let process = metrics_process::Collector::default();
        let metrics = Self {
            recorder,
            handle,
            process,
        };
        metrics.record(|| {
            describe_counter!(REQUESTS, "Requests answered, by route, method and status.");
            describe_histogram!(
                DURATION,
                Unit::Seconds,
                "Time to answer, by route, method and status."
            );
            describe_counter!(
                DATABASE_ERRORS,
                "Requests that failed because the database was unavailable or failed."
            );
            counter!(DATABASE_ERRORS).increment(0);
            for (name, help) in GAUGES {
                describe_gauge!(name, help);
            }
            for (name, help) in COUNTERS {
                describe_counter!(name, help);
            }
            metrics.process.describe();
        });
        Ok(metrics)
    }

    /// Runs `f` with this instance's recorder as the one the `metrics` macros write to.
    fn record(&self, f: impl FnOnce()) {
        metrics::with_local_recorder(&self.recorder, f);
    }

    fn render(&self, state: &AppState) -> String {
        let pool = state.pool.status();
        let (embedded, indexed) = state.search.embedding_progress();
        let gauges = [
            pool.size as f64,
            pool.available as f64,
            pool.max_size as f64,
            pool.waiting as f64,
            f64::from(u8::from(state.search.is_ready())),
            f64::from(u8::from(state.search.meaning().is_some())),
            embedded as f64,
            indexed as f64,
        ];
        let (hits, misses) = state.search.answers.hits_and_misses();
        let (read_hits, read_misses) = state.documents.hits_and_misses();
        let counters = [
            hits,
            misses,
            state.search.words_indexed(),
            read_hits,
            read_misses,
        ];
        self.record(|| {
            for ((name, _), value) in GAUGES.iter().zip(gauges) {
                gauge!(*name).set(value);
            }
            for ((name, _), value) in COUNTERS.iter().zip(counters) {
                counter!(*name).absolute(value);
            }
            self.process.collect();
        });
        self.handle.render()
    }
}

/// Times every request and counts it under its route pattern (never the raw path, so ids
/// and slugs do not become labels).
pub async fn measure(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let metrics = request.app_data::<web::Data<Metrics>>().cloned();
    let method = method_label(request.method());
    let route = request
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let response = next.call(request).await?;
    if let Some(metrics) = metrics {
        let failed_database = response
            .response()
            .error()
            .and_then(|e| e.as_error::<ApiError>())
            .is_some_and(|e| matches!(e, ApiError::Unavailable(_) | ApiError::Internal(_)));
        let labels = [
            ("route", route),
            ("method", method.to_owned()),
            ("status", response.status().as_u16().to_string()),
        ];
        metrics.record(|| {
            if failed_database {
                counter!(DATABASE_ERRORS).increment(1);
            }
            counter!(REQUESTS, &labels).increment(1);
            histogram!(DURATION, &labels).record(started.elapsed().as_secs_f64());
        });
    }
    Ok(response)
}

/// A label from a fixed set: the standard methods by name, any other as `other`, so a
/// client inventing methods cannot add series.
fn method_label(method: &Method) -> &'static str {
    const KNOWN: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
    ];
    KNOWN
        .into_iter()
        .find(|known| *known == method.as_str())
        .unwrap_or("other")
}

/// Prometheus metrics of this instance. When `CASEBOOK_METRICS_ADDR` is set they are served
/// there, and this address answers 404.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "Metrics in the Prometheus text format", content_type = "text/plain", body = String),
        Problems<(NotFound,)>,
    )
)]
#[get("/metrics")]
pub async fn prometheus(
    state: web::Data<AppState>,
    metrics: web::Data<Metrics>,
) -> Result<HttpResponse, ApiError> {
    if state.config.metrics_addr.is_some() {
        return Err(ApiError::NotFound("resource"));
    }
    Ok(exposition(&state, &metrics))
}

/// The same figures on the private metrics address.
pub async fn private(state: web::Data<AppState>, metrics: web::Data<Metrics>) -> HttpResponse {
    exposition(&state, &metrics)
}

fn exposition(state: &AppState, metrics: &Metrics) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(metrics.render(state))
}
