//! What every response carries and every request is held to: security headers, CORS for
//! the browser origins configured, and a time budget.

use std::time::Duration;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};

use crate::config::Environment;
use crate::error::ApiError;
use crate::state::AppState;

/// What a browser may load for our answers: nothing at all for the API (its answers are
/// data), and only our own files for the documentation and the pages.
const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";
/// The pages: our own styles, scripts and pictures, forms posted only to us.
const PAGE_POLICY: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; \
     base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
const DOCS_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
     frame-ancestors 'none'; form-action 'self'";

/// Headers that make browsers treat our answers as data: no sniffing, no framing, no
/// referrer, no scripts; HTTPS only in production. (What may be cached is `caching.rs`'s.)
pub async fn security_headers(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let path = request.path();
    let policy = if path.starts_with("/docs") {
        DOCS_POLICY
    } else if path.starts_with("/api/") || path == "/openapi.json" || path == "/oai" {
        API_POLICY
    } else {
        PAGE_POLICY
    };
    let production = request
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| state.config.environment == Environment::Production);
    let mut response = next.call(request).await?;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    if production {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Our own pages' forms need their `Origin` (which `no-referrer` blanks) for the
    // cross-site check; nothing of ours tells another site where a visitor came from.
    let referrer = if policy == PAGE_POLICY {
        "same-origin"
    } else {
        "no-referrer"
    };
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static(referrer));
    Ok(response)
}

/// The most time an upload may take.
const UPLOAD_BUDGET: Duration = Duration::from_secs(15 * 60);

/// A request that has not produced its answer within the budget gets 503; its work is
/// dropped, and with it any transaction it had open (rolled back, never half-done).
pub async fn time_budget(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let budget = request
        .app_data::<web::Data<AppState>>()
        .map_or(Duration::from_secs(30), |state| {
            state.config.request_timeout
        });
    // A file comes as fast as its sender's link allows (20 MiB takes minutes on a slow
    // one); a sender that stops altogether is ended by the upload itself.
    let uploading = request.method() == actix_web::http::Method::POST
        && request.path().ends_with("/attachments");
    let budget = if uploading {
        budget.max(UPLOAD_BUDGET)
    } else {
        budget
    };
    match tokio::time::timeout(budget, next.call(request)).await {
        Ok(response) => response,
        Err(_) => {
            Err(ApiError::Unavailable("the request took longer than its time budget".into()).into())
        }
    }
}

/// CORS for the configured browser origins; with none configured, browsers on other
/// origins are not let in.
pub fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "DELETE", "OPTIONS"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::ACCEPT,
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::RETRY_AFTER,
            header::HeaderName::from_static("x-request-id"),
        ])
        .max_age(3600);
    for origin in origins {
        cors = if origin == "*" {
            cors.allow_any_origin()
        } else {
            cors.allowed_origin(origin)
        };
    }
    cors
}
