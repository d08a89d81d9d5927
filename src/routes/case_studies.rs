//! `/api/v1/case-studies`: write, read, replace and archive case studies.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::{JsonBody, etag, precondition};
use super::pagination::{PageParams, next_cursor};
use super::query::QueryParams;
use crate::db::case_studies::{self, CaseStudyKey};
use crate::domain::case_study::{CaseStudy, CaseStudyInput};
use crate::error::ApiError;
use crate::startup::AppState;

/// A page of case studies, newest first.
#[derive(Serialize, ToSchema)]
pub struct CaseStudyPage {
    pub items: Vec<CaseStudy>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// List case studies, newest first.
#[utoipa::path(
    tag = "case-studies",
    params(PageParams),
    responses(
        (status = 200, description = "A page of case studies", body = CaseStudyPage),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[get("/case-studies")]
pub async fn list_case_studies(
    state: web::Data<AppState>,
    query: QueryParams,
) -> Result<web::Json<CaseStudyPage>, ApiError> {
    let page = PageParams::from_query(&query)?;
    let limit = page.limit()?;
    // Rows are stamped when created, so a position outside RFC 3339's four-digit years was
    // never issued (and one before 4713 BC is beyond what PostgreSQL can compare).
    let after: Option<(DateTime<Utc>, Uuid)> =
        page.after_if(|(created_at, _): &(DateTime<Utc>, Uuid)| {
            (1..=9999).contains(&created_at.year())
        })?;
    let mut conn = state.db().await?;
    let items = case_studies::list(&mut conn, after, limit).await?;
    let next_cursor = next_cursor(&items, limit, |last| (last.created_at, last.id));
    Ok(web::Json(CaseStudyPage { items, next_cursor }))
}

/// Create a case study with its partners and outcomes.
#[utoipa::path(
    tag = "case-studies",
    request_body = CaseStudyInput,
    responses(
        (status = 201, description = "Created", body = CaseStudy, headers(
            ("Location" = String, description = "Where the new case study lives"),
            ("ETag" = String, description = "Its version, for `If-Match`"),
        )),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 409, response = crate::openapi::Conflict),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 415, response = crate::openapi::UnsupportedMediaType),
        (status = 422, response = crate::openapi::UnprocessableEntity),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[post("/case-studies")]
pub async fn create_case_study(
    state: web::Data<AppState>,
    JsonBody(input): JsonBody<CaseStudyInput>,
) -> Result<HttpResponse, ApiError> {
    let document = input.parse().map_err(ApiError::Validation)?;
    let mut conn = state.db().await?;
    let case_study = case_studies::create(&mut conn, document).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/case-studies/{}", case_study.id),
        ))
        .insert_header(header::ETag(etag(case_study.version)))
        .json(case_study))
}

/// Read one case study by id or slug.
#[utoipa::path(
    tag = "case-studies",
    params(("id" = String, Path, description = "The case study's id, or its slug", example = "rutherford-square-refurbishment-project")),
    responses(
        (status = 200, description = "The case study", body = CaseStudy, headers(
            ("ETag" = String, description = "Its version, for `If-Match`"),
        )),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[get("/case-studies/{id}")]
pub async fn get_case_study(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = CaseStudyKey::parse(&id).ok_or(ApiError::NotFound("case study"))?;
    let mut conn = state.db().await?;
    let case_study = case_studies::find(&mut conn, &key)
        .await?
        .ok_or(ApiError::NotFound("case study"))?;
    Ok(with_etag(case_study))
}

/// Replace a case study with a new version of the whole document.
///
/// Send the `ETag` you read in `If-Match`; if someone changed the case study since, the
/// answer is 412 and nothing is written.
#[utoipa::path(
    tag = "case-studies",
    params(
        ("id" = Uuid, Path, description = "The case study's id"),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The `ETag` of the version being replaced"),
    ),
    request_body = CaseStudyInput,
    responses(
        (status = 200, description = "Replaced", body = CaseStudy, headers(
            ("ETag" = String, description = "The new version"),
        )),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 412, response = crate::openapi::PreconditionFailed),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 415, response = crate::openapi::UnsupportedMediaType),
        (status = 422, response = crate::openapi::UnprocessableEntity),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[put("/case-studies/{id}")]
pub async fn replace_case_study(
    state: web::Data<AppState>,
    request: HttpRequest,
    id: web::Path<String>,
    JsonBody(input): JsonBody<CaseStudyInput>,
) -> Result<HttpResponse, ApiError> {
    let id = case_study_id(&id)?;
    let document = input.parse().map_err(ApiError::Validation)?;
    let mut conn = state.db().await?;
    let case_study =
        case_studies::replace(&mut conn, id, &precondition(&request), document).await?;
    Ok(with_etag(case_study))
}

/// Archive a case study: it leaves public view but is never deleted.
#[utoipa::path(
    tag = "case-studies",
    params(
        ("id" = Uuid, Path, description = "The case study's id"),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The `ETag` of the version being archived"),
    ),
    responses(
        (status = 200, description = "Archived", body = CaseStudy, headers(
            ("ETag" = String, description = "The new version"),
        )),
        (status = 404, response = crate::openapi::NotFound),
        (status = 412, response = crate::openapi::PreconditionFailed),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[delete("/case-studies/{id}")]
pub async fn archive_case_study(
    state: web::Data<AppState>,
    request: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = case_study_id(&id)?;
    let mut conn = state.db().await?;
    let case_study = case_studies::archive(&mut conn, id, &precondition(&request)).await?;
    Ok(with_etag(case_study))
}

/// Writes address case studies by id only: slugs can change, ids never do.
fn case_study_id(text: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text).map_err(|_| ApiError::NotFound("case study"))
}

fn with_etag(case_study: CaseStudy) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(header::ETag(etag(case_study.version)))
        .json(case_study)
}
