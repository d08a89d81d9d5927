//! `/metrics` in the Prometheus text format: requests and their latency by route and
//! status, the database pool, database errors and the search index.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, get, web};

use crate::error::ApiError;
use crate::state::AppState;

/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), Series>>,
    database_errors: AtomicU64,
}

#[derive(Default, Clone)]
struct Series {
    count: u64,
    seconds: f64,
    buckets: [u64; BUCKETS.len()],
}

impl Metrics {
    fn observe(&self, route: String, method: String, status: u16, seconds: f64) {
        let mut requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        let series = requests.entry((route, method, status)).or_default();
        series.count += 1;
        series.seconds += seconds;
        for (bucket, bound) in series.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
    }

    fn render(&self, state: &AppState) -> String {
        let mut out = String::new();
        let requests = self
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        out.push_str(
            "# HELP casebook_http_requests_total Requests answered, by route, method and status.\n",
        );
        out.push_str("# TYPE casebook_http_requests_total counter\n");
        for ((route, method, status), series) in &requests {
            let _ = writeln!(
                out,
                "casebook_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {}",
                series.count
            );
        }
        out.push_str("# HELP casebook_http_request_duration_seconds Time to answer, by route, method and status.\n");
        out.push_str("# TYPE casebook_http_request_duration_seconds histogram\n");
        for ((route, method, status), series) in &requests {
            let labels = format!("route=\"{route}\",method=\"{method}\",status=\"{status}\"");
            for (bound, count) in BUCKETS.iter().zip(series.buckets) {
                let _ = writeln!(
                    out,
                    "casebook_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "casebook_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                series.count
            );
            let _ = writeln!(
                out,
                "casebook_http_request_duration_seconds_sum{{{labels}}} {}",
                series.seconds
            );
            let _ = writeln!(
                out,
                "casebook_http_request_duration_seconds_count{{{labels}}} {}",
                series.count
            );
        }
        let pool = state.pool.status();
        let gauges = [
            (
                "casebook_db_pool_connections",
                "Connections the pool holds open.",
                pool.size as u64,
            ),
            (
                "casebook_db_pool_available",
                "Connections idle in the pool.",
                pool.available as u64,
            ),
            (
                "casebook_db_pool_max",
                "Most connections the pool may hold.",
                pool.max_size as u64,
            ),
            (
                "casebook_db_pool_waiting",
                "Requests waiting for a connection.",
                pool.waiting as u64,
            ),
            (
                "casebook_search_index_ready",
                "1 once the search index is built.",
                u64::from(state.search.is_ready()),
            ),
            (
                "casebook_search_semantic",
                "1 when search by meaning is on (an embedding model is loaded).",
                u64::from(state.search.meaning().is_some()),
            ),
            (
                "casebook_search_embedded",
                "Case studies with a vector for search by meaning.",
                state.search.embedding_progress().0,
            ),
            (
                "casebook_search_case_studies",
                "Live case studies in the search index.",
                state.search.embedding_progress().1,
            ),
        ];
        for (name, help, value) in gauges {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        let (hits, misses) = state.search.answers.hits_and_misses();
        let (read_hits, read_misses) = state.documents.hits_and_misses();
        let counters = [
            (
                "casebook_db_errors_total",
                "Requests that failed because the database was unavailable or failed.",
                self.database_errors.load(Ordering::Relaxed),
            ),
            (
                "casebook_search_cache_hits_total",
                "Public searches answered from kept answers.",
                hits,
            ),
            (
                "casebook_search_cache_misses_total",
                "Public searches that had to be computed.",
                misses,
            ),
            (
                "casebook_read_cache_hits_total",
                "Public reads of a case study answered from kept documents.",
                read_hits,
            ),
            (
                "casebook_read_cache_misses_total",
                "Public reads of a case study that went to the database.",
                read_misses,
            ),
        ];
        for (name, help, value) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
            );
        }
        out
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
        if failed_database {
            metrics.database_errors.fetch_add(1, Ordering::Relaxed);
        }
        metrics.observe(
            route,
            method,
            response.status().as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(response)
}

/// A label from a fixed set: the standard methods by name, any other as `other`, so a
/// client inventing methods cannot add series.
fn method_label(method: &Method) -> String {
    const KNOWN: [Method; 9] = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
        Method::TRACE,
        Method::CONNECT,
    ];
    match KNOWN.iter().find(|known| *known == method) {
        Some(known) => known.as_str().to_owned(),
        None => "other".to_owned(),
    }
}

/// Prometheus metrics of this instance.
#[utoipa::path(
    tag = "health",
    responses((status = 200, description = "Metrics in the Prometheus text format", content_type = "text/plain", body = String))
)]
#[get("/metrics")]
pub async fn prometheus(state: web::Data<AppState>, metrics: web::Data<Metrics>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(metrics.render(&state))
}
