//! Reading requests: JSON bodies with field-level errors, and `If-Match` preconditions.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::http::header::Header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::domain::Precondition;
use crate::error::ApiError;
use crate::json::parse_json;
use crate::metadata::Format;
use crate::state::AppState;

/// A JSON request body. Unlike actix's `Json`, it reports which field is wrong, answers
/// 413/415 as problem documents, and never buffers more than the configured limit.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = request
            .app_data::<web::Data<AppState>>()
            .map_or(1024 * 1024, |state| state.config.max_body_bytes);
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<mime::Mime>().ok())
            .is_some_and(|mime| {
                mime.type_() == mime::APPLICATION
                    && (mime.subtype() == mime::JSON || mime.suffix() == Some(mime::JSON))
            });
        let declared_length = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType {
                    expected: "application/json",
                });
            }
            let too_large = ApiError::PayloadTooLarge { limit };
            if declared_length.is_some_and(|length| length > limit) {
                drain(&mut payload, limit, declared_length).await;
                return Err(too_large);
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|error| ApiError::MalformedBody(error.to_string()))?;
                if body.len() + chunk.len() > limit {
                    drain(&mut payload, limit, declared_length).await;
                    return Err(too_large);
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body).map(JsonBody)
        })
    }
}

/// Reads and drops the rest of a body that is somewhat too large, so the client (still
/// sending) reads our 413 instead of a broken connection. A body far beyond the limit is
/// not worth reading: the connection closes on it.
async fn drain(payload: &mut Payload, limit: usize, declared: Option<usize>) {
    let most = limit.saturating_mul(16);
    if declared.is_some_and(|length| length > most) {
        return;
    }
    let mut read = 0usize;
    while let Some(Ok(chunk)) = payload.next().await {
        read += chunk.len();
        if read > most {
            return;
        }
    }
}

/// A JSON body that may be left out entirely (no body, or an empty one), or given as `null`.
pub struct OptionalJsonBody<T>(pub Option<T>);

impl<T: DeserializeOwned + 'static> FromRequest for OptionalJsonBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let headers = request.headers();
        let empty = !headers.contains_key(header::TRANSFER_ENCODING)
            && headers
                .get(header::CONTENT_LENGTH)
                .and_then(|value| value.to_str().ok())
                .is_none_or(|length| length.trim() == "0");
        if empty {
            return Box::pin(async { Ok(OptionalJsonBody(None)) });
        }
        // The document describes these bodies as the object or `null`; both mean the same.
        let body = JsonBody::<Option<T>>::from_request(request, payload);
        Box::pin(async move { Ok(OptionalJsonBody(body.await?.0)) })
    }
}

/// Reads `If-Match`: our tags are the version number in quotes (weak or strong), or `*`.
/// Anything else is not a tag this service could have issued: a 400, as the document's
/// pattern says, rather than a 412 that would send the client to fetch and retry.
pub fn precondition(request: &HttpRequest) -> Result<Precondition, ApiError> {
    let malformed = || {
        ApiError::invalid_parameter(
            "If-Match",
            "must be `*` or ETags this service issued, such as \"3\"",
        )
    };
    let mut tags = Vec::new();
    for value in request.headers().get_all(header::IF_MATCH) {
        let value = value.to_str().map_err(|_| malformed())?;
        tags.extend(
            value
                .split(',')
                .map(str::trim)
                .filter(|tag| !tag.is_empty()),
        );
    }
    if tags.is_empty() {
        return Ok(Precondition::Absent);
    }
    let mut versions = Vec::with_capacity(tags.len());
    for tag in tags {
        if tag == "*" {
            return Ok(Precondition::Any);
        }
        let number = tag
            .strip_prefix("W/")
            .unwrap_or(tag)
            .strip_prefix('"')
            .and_then(|tag| tag.strip_suffix('"'))
            .filter(|number| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(malformed)?;
        // Digits beyond any version there is match nothing: stale, not malformed.
        versions.extend(number.parse::<i32>().ok());
    }
    Ok(Precondition::Versions(versions))
}

/// The representation a read asks for: `?format=` by its short name, else `Accept`, else
/// JSON.
pub fn requested_format(request: &HttpRequest) -> Result<Format, ApiError> {
    let not_acceptable = || ApiError::NotAcceptable {
        offered: Format::offered(),
    };
    let named = form_urlencoded::parse(request.query_string().as_bytes())
        .find(|(name, _)| name == "format")
        .map(|(_, value)| value.into_owned());
    if let Some(name) = named {
        return Format::from_short_name(&name).ok_or_else(not_acceptable);
    }
    let Ok(accept) = header::Accept::parse(request) else {
        // An `Accept` that does not parse says nothing: the default it is.
        return Ok(Format::Json);
    };
    if accept.is_empty() {
        return Ok(Format::Json);
    }
    let wanted: Vec<_> = accept
        .iter()
        .filter(|item| item.quality > header::Quality::ZERO)
        .cloned()
        .collect();
    let ranked = header::Accept(wanted).ranked();
    Format::negotiate(ranked.iter().map(|mime| mime.essence_str())).ok_or_else(not_acceptable)
}

pub fn etag(version: i32) -> header::EntityTag {
    header::EntityTag::new_strong(version.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn if_match_reads_our_tags() {
        let parse = |value: &str| {
            precondition(
                &TestRequest::default()
                    .insert_header((header::IF_MATCH, value))
                    .to_http_request(),
            )
        };
        assert_eq!(parse("\"3\"").unwrap(), Precondition::Versions(vec![3]));
        assert_eq!(
            parse("W/\"3\", \"4\"").unwrap(),
            Precondition::Versions(vec![3, 4])
        );
        assert_eq!(parse("*").unwrap(), Precondition::Any);
        assert!(!parse("\"99999999999\"").unwrap().admits(1));
        for malformed in ["\"abc\"", "3", "\"\"", "\"3", "W/3"] {
            assert!(parse(malformed).is_err(), "{malformed}");
        }
        assert_eq!(
            precondition(&TestRequest::default().to_http_request()).unwrap(),
            Precondition::Absent
        );
    }

    /// The document states the form as a pattern; the reader accepts exactly that form.
    #[test]
    fn if_match_reads_what_the_document_states() {
        let pattern = regex::Regex::new(crate::openapi::IF_MATCH_PATTERN).unwrap();
        for value in [
            "\"3\"",
            " W/\"3\" ,\"12\"",
            "*",
            "\"x\"",
            "3",
            "",
            "\"3\",",
            "W/\"\"",
            "\"3\" \"4\"",
        ] {
            let request = TestRequest::default()
                .insert_header((header::IF_MATCH, value))
                .to_http_request();
            let read = precondition(&request);
            let absent = matches!(read, Ok(Precondition::Absent));
            assert_eq!(pattern.is_match(value) || absent, read.is_ok(), "{value:?}");
        }
    }
}
