//! What every page shares: its frame, how it is answered, and failures shown as pages.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError, get};
use askama::Template;

use crate::error::ApiError;

/// What every page's frame shows: who is signed in, and the token their forms carry.
pub struct Chrome {
    pub signed_in: bool,
    pub reviewer: bool,
    pub csrf: String,
    /// The page's own address, so the navigation can mark where the visitor is.
    pub section: &'static str,
}

impl Chrome {
    /// For a page shown without a visitor read (an error).
    pub fn plain() -> Self {
        Self {
            signed_in: false,
            reviewer: false,
            csrf: String::new(),
            section: "",
        }
    }
}

pub fn html(status: StatusCode, template: &impl Template) -> Result<HttpResponse, ApiError> {
    let body = template
        .render()
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("rendering a page: {error}")))?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

/// A failure shown as a page: the same statuses and words as the API's problems.
#[derive(Debug)]
pub struct PageError(pub ApiError);

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        Self(error)
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    title: String,
    detail: String,
    status: u16,
    /// The query parameter at fault, and what it would have taken.
    parameter: Option<String>,
    allowed: Vec<String>,
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        // The API's answer decides the status and headers (`Retry-After`, `Allow`); only
        // the body differs.
        let problem = self.0.error_response();
        let detail = self.0.problem();
        let shown = ErrorPage {
            chrome: Chrome::plain(),
            title: detail.title,
            detail: detail.detail,
            status: problem.status().as_u16(),
            parameter: detail.parameter,
            allowed: detail.allowed,
        };
        let Ok(mut response) = html(problem.status(), &shown) else {
            return problem;
        };
        for (name, value) in problem.headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                response.headers_mut().insert(name.clone(), value.clone());
            }
        }
        response
    }
}

/// The pages' one script: enhancements only, compiled in.
#[get("/assets/casebook.js")]
pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../assets/casebook.js"))
}

/// The pages' one stylesheet, compiled in.
#[get("/assets/casebook.css")]
pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../assets/casebook.css"))
}
