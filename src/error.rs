//! The one error type of the HTTP API and its mapping to RFC 9457 problem details.
//!
//! Every failure a client can see is built here: handlers and queries return `ApiError`,
//! and only this module decides the status, the stable `type` and the body.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::vocabulary::Status;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// One message about one field of a request body, e.g. `partners[1].organisation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// Path of the field in the request document, in `a.b[0].c` form.
    #[schema(example = "quadrants")]
    pub field: String,
    /// What is wrong, in words a person can act on.
    #[schema(example = "must name at least one quadrant of the Co-production Star")]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// An RFC 9457 problem details document, the body of every error response.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/validation-failed",
    "title": "The document is not valid",
    "status": 422,
    "detail": "1 field needs attention",
    "errors": [{"field": "quadrants", "message": "must name at least one quadrant of the Co-production Star"}]
}))]
pub struct Problem {
    /// Stable identifier of the kind of problem; clients may branch on it.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this occurrence.
    pub detail: String,
    /// Field-level messages, for validation problems.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub errors: Vec<FieldError>,
    /// The query parameter at fault, for invalid parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub parameter: Option<String>,
    /// The values that would have been accepted, where there is a closed list (for an
    /// invalid workflow transition: the transitions open from the current status; for a
    /// method the resource does not take: the methods it takes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub allowed: Vec<String>,
    /// For an invalid workflow transition: the case study's current status.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub current_status: Option<Status>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("invalid query parameter `{parameter}`: {detail}")]
    InvalidParameter {
        parameter: String,
        detail: String,
        allowed: Vec<String>,
    },
    #[error("malformed request body: {0}")]
    MalformedBody(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("{0}")]
    InvalidToken(&'static str),
    #[error("wrong email or password")]
    InvalidCredentials,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("the case study is {current}; {detail}")]
    InvalidTransition {
        current: Status,
        detail: String,
        allowed: Vec<&'static str>,
    },
    #[error("stale version: {0}")]
    PreconditionFailed(String),
    #[error("send If-Match with the ETag of the version you are changing")]
    PreconditionRequired,
    #[error("too many {what}; retry in {retry_after_secs} seconds")]
    TooManyRequests {
        what: &'static str,
        retry_after_secs: u64,
    },
    #[error("this resource does not take that method; it takes {}", allowed.join(", "))]
    MethodNotAllowed { allowed: Vec<&'static str> },
    #[error("request body of more than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("unsupported content type; expected {expected}")]
    UnsupportedMediaType { expected: &'static str },
    /// A file that is not of a type accepted, or not what its declared type says.
    #[error("{0}")]
    WrongFileType(String),
    /// No representation offered is one the client accepts.
    #[error("none of the formats asked for is offered; ask for one of {}", offered.join(", "))]
    NotAcceptable { offered: Vec<&'static str> },
    /// A byte range beyond the end of a file of this size.
    #[error("no such range: the file has {size} bytes")]
    RangeNotSatisfiable { size: u64 },
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    pub fn invalid_parameter(parameter: &str, detail: impl Into<String>) -> Self {
        Self::InvalidParameter {
            parameter: parameter.to_owned(),
            detail: detail.into(),
            allowed: Vec::new(),
        }
    }

    fn kind(&self) -> (&'static str, &'static str) {
        match self {
            Self::InvalidParameter { .. } => ("invalid-parameter", "A parameter is not valid"),
            Self::MalformedBody(_) => {
                ("malformed-body", "The request body is not well-formed JSON")
            }
            Self::Validation(_) => ("validation-failed", "The document is not valid"),
            Self::Unauthorized(_) => ("unauthorized", "Authentication required"),
            Self::InvalidToken(_) => ("invalid-token", "The bearer token was refused"),
            Self::InvalidCredentials => ("invalid-credentials", "Sign-in refused"),
            Self::Forbidden(_) => ("forbidden", "Not allowed"),
            Self::NotFound(_) => ("not-found", "Not found"),
            Self::Conflict(_) => ("conflict", "Conflict with the current state"),
            Self::InvalidTransition { .. } => {
                ("invalid-transition", "Not possible in the current status")
            }
            Self::PreconditionFailed(_) => ("precondition-failed", "The resource has changed"),
            Self::PreconditionRequired => ("precondition-required", "If-Match is required"),
            Self::TooManyRequests { .. } => ("too-many-requests", "Too many requests"),
            Self::MethodNotAllowed { .. } => ("method-not-allowed", "Method not allowed"),
            Self::PayloadTooLarge { .. } => ("payload-too-large", "The request body is too large"),
            Self::UnsupportedMediaType { .. } | Self::WrongFileType(_) => {
                ("unsupported-media-type", "Unsupported content type")
            }
            Self::NotAcceptable { .. } => ("not-acceptable", "No acceptable format"),
            Self::RangeNotSatisfiable { .. } => {
                ("range-not-satisfiable", "The range is outside the file")
            }
            Self::Unavailable(_) => ("service-unavailable", "Temporarily unavailable"),
            Self::Internal(_) => ("internal", "Internal error"),
        }
    }

    pub fn problem(&self) -> Problem {
        let (slug, title) = self.kind();
        let detail = match self {
            Self::Validation(errors) => match errors.len() {
                1 => format!("{}: {}", errors[0].field, errors[0].message),
                n => format!("{n} fields need attention"),
            },
            Self::InvalidParameter { detail, .. } => detail.clone(),
            // Never leak SQL, driver messages or stack traces: the log has them.
            Self::Unavailable(_) => "the database is unavailable; try again shortly".into(),
            Self::Internal(_) => "an unexpected error occurred; it has been logged".into(),
            other => other.to_string(),
        };
        let (errors, parameter, allowed) = match self {
            Self::Validation(errors) => (errors.clone(), None, Vec::new()),
            Self::InvalidParameter {
                parameter, allowed, ..
            } => (Vec::new(), Some(parameter.clone()), allowed.clone()),
            Self::InvalidTransition { allowed, .. }
            | Self::MethodNotAllowed { allowed }
            | Self::NotAcceptable { offered: allowed } => (
                Vec::new(),
                None,
                allowed.iter().map(|a| (*a).to_owned()).collect(),
            ),
            _ => (Vec::new(), None, Vec::new()),
        };
        let current_status = match self {
            Self::InvalidTransition { current, .. } => Some(*current),
            _ => None,
        };
        Problem {
            problem_type: format!("/problems/{slug}"),
            title: title.into(),
            status: self.status_code().as_u16(),
            detail,
            errors,
            parameter,
            allowed,
            current_status,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::InvalidParameter { .. } | Self::MalformedBody(_) => StatusCode::BAD_REQUEST,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized(_) | Self::InvalidToken(_) | Self::InvalidCredentials => {
                StatusCode::UNAUTHORIZED
            }
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) | Self::InvalidTransition { .. } => StatusCode::CONFLICT,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType { .. } | Self::WrongFileType(_) => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            Self::NotAcceptable { .. } => StatusCode::NOT_ACCEPTABLE,
            Self::RangeNotSatisfiable { .. } => StatusCode::RANGE_NOT_SATISFIABLE,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "request failed")
            }
            Self::Unavailable(reason) => tracing::warn!(reason = %reason, "database unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE));
        match self {
            Self::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "2"));
            }
            Self::TooManyRequests {
                retry_after_secs, ..
            } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            Self::MethodNotAllowed { allowed } => {
                response.insert_header((header::ALLOW, allowed.join(", ")));
            }
            Self::RangeNotSatisfiable { size } => {
                response.insert_header((header::CONTENT_RANGE, format!("bytes */{size}")));
            }
            // RFC 6750: say which scheme, and for a refused token, why.
            Self::Unauthorized(_) | Self::InvalidCredentials => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"casebook\""));
            }
            Self::InvalidToken(reason) => {
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    format!("Bearer realm=\"casebook\", error=\"invalid_token\", error_description=\"{reason}\""),
                ));
            }
            _ => {}
        }
        response.body(serde_json::to_vec(&self.problem()).unwrap_or_default())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind as Kind, Error};
        match &error {
            Error::NotFound => Self::NotFound("resource"),
            Error::DatabaseError(Kind::UniqueViolation, info) => {
                Self::Conflict(unique_violation_message(info.constraint_name()))
            }
            Error::DatabaseError(Kind::ClosedConnection | Kind::UnableToSendCommand, _)
            | Error::BrokenTransactionManager => Self::Unavailable(error.to_string()),
            Error::DatabaseError(_, info) if is_transient(info.message()) => {
                Self::Unavailable(error.to_string())
            }
            _ => Self::Internal(anyhow::Error::new(error)),
        }
    }
}

/// Statement timeouts and server shutdowns are worth a retry, unlike bugs.
fn is_transient(message: &str) -> bool {
    message.contains("statement timeout")
        || message.contains("terminating connection")
        || message.contains("the database system is")
}

fn unique_violation_message(constraint: Option<&str>) -> String {
    match constraint {
        Some("case_studies_slug_key") => "a case study with this slug already exists".into(),
        Some("case_studies_doi_key") => "another case study has this DOI".into(),
        Some("organisations_slug_key") => "an organisation with this slug already exists".into(),
        Some("organisations_name_key") => "an organisation with this name already exists".into(),
        _ => "this would duplicate an existing record".into(),
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for ApiError {
    fn from(error: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        Self::Unavailable(error.to_string())
    }
}
