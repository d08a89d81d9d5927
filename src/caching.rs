//! HTTP caching of what anyone may read: anonymous answers of the API carry a strong `ETag`
//! and `Cache-Control: public`, so browsers, proxies and CDNs can keep them and revalidate
//! with `If-None-Match` (answered `304` without a body); answers to a signed-in user are
//! never stored anywhere.

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, web};
use sha2::{Digest, Sha256};

use crate::state::AppState;

/// Answers bigger than this are not hashed for a tag: they are cached by age alone.
const MOST_BYTES_TAGGED: usize = 4 * 1024 * 1024;

/// The request headers a public answer depends on, besides its URL.
const VARY: &str = "Accept, Accept-Encoding, Authorization";

pub async fn conditional_get(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let public = is_public_read(&request);
    let max_age = request
        .app_data::<web::Data<AppState>>()
        .map_or(60, |state| state.config.public_max_age.as_secs());
    let if_none_match = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let response = next.call(request).await?;
    if !public || response.status() != StatusCode::OK {
        let mut response = response.map_into_boxed_body();
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        return Ok(response);
    }

    let (request, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let headers = head.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static(VARY));
    if !headers.contains_key(header::CACHE_CONTROL) {
        let policy = format!("public, max-age={max_age}");
        if let Ok(value) = HeaderValue::from_str(&policy) {
            headers.insert(header::CACHE_CONTROL, value);
        }
    }
    // Answers are tagged by their bytes: a case study's version (its tag for `If-Match`) is
    // not enough, as it shows its organisations' names, which change on their own. A
    // streamed export comes tagged with what it holds; other streams are cached by age.
    let handler_tag = head
        .headers()
        .get(header::ETAG)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let sized = matches!(body.size(), body::BodySize::Sized(n) if n as usize <= MOST_BYTES_TAGGED);
    let (tag, body) = match handler_tag {
        _ if sized => {
            let bytes = body::to_bytes(body)
                .await
                .map_err(|_| actix_web::error::ErrorInternalServerError("unreadable answer"))?;
            let tag = strong_tag([&bytes[..]]);
            if let Ok(value) = HeaderValue::from_str(&tag) {
                head.headers_mut().insert(header::ETAG, value);
            }
            (tag, bytes.boxed())
        }
        Some(tag) => (tag, body.boxed()),
        None => {
            let response = head.set_body(body).map_into_boxed_body();
            return Ok(ServiceResponse::new(request, response));
        }
    };
    if if_none_match.is_some_and(|tags| matches_any(&tags, &tag)) {
        let mut not_modified = HttpResponse::NotModified().finish();
        for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
            if let Some(value) = head.headers().get(&name) {
                not_modified.headers_mut().insert(name, value.clone());
            }
        }
        return Ok(ServiceResponse::new(request, not_modified));
    }
    let response = head.set_body(body);
    Ok(ServiceResponse::new(request, response))
}

/// An anonymous read of the API or its document: the same answer for anyone who asks.
fn is_public_read(request: &ServiceRequest) -> bool {
    request.method() == Method::GET
        && !request.headers().contains_key(header::AUTHORIZATION)
        && (request.path().starts_with("/api/") || request.path() == "/openapi.json")
}

/// The SHA-256 of what an answer is made from, shortened: equal parts, equal tags; any
/// change, a new tag.
pub fn strong_tag<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    let digest = hasher.finalize();
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// `If-None-Match` compares weakly (RFC 9110 13.1.2): `W/` does not matter, `*` matches.
fn matches_any(tags: &str, ours: &str) -> bool {
    tags.split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == ours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly() {
        let ours = strong_tag([&b"{}"[..]]);
        assert!(matches_any(&ours, &ours));
        assert!(matches_any(&format!("\"x\", W/{ours}"), &ours));
        assert!(matches_any("*", &ours));
        assert!(!matches_any("\"x\"", &ours));
        assert_ne!(ours, strong_tag([&b"[]"[..]]));
    }
}
