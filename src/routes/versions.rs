//! `/api/v1/case-studies/{id}/versions` and `/doi`: every publication of a case study, each
//! readable forever as the public saw it, in every format, for citing; and the DOI an
//! administrator registered for it.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::case_studies::case_study_id;
use super::extract::{JsonBody, requested_format};
use crate::auth::{Admin, client_address};
use crate::db::case_studies::CaseStudyKey;
use crate::domain::case_study::CaseStudy;
use crate::domain::doi::Doi;
use crate::domain::user::Actor;
use crate::error::ApiError;
use crate::metadata::{Format, Publication, Site};
use crate::openapi::{
    BadRequest, Conflict, Forbidden, NotAcceptable, NotFound, PayloadTooLarge, Problems,
    ServiceUnavailable, TooManyRequests, Unauthorized, UnprocessableEntity, UnsupportedMediaType,
};
use crate::publications;
use crate::state::AppState;

/// One publication of a case study.
#[derive(Debug, Serialize, ToSchema)]
pub struct Version {
    #[serde(flatten)]
    pub publication: Publication,
    /// Its permanent address, to cite.
    #[schema(
        example = "https://casebook.example.org/api/v1/case-studies/0190b2a4-5c6d-7e8f-9a0b-1c2d3e4f5a6b/versions/2"
    )]
    pub url: String,
    /// Said when this is no longer what the public sees: a newer version exists, or the
    /// case study was withdrawn.
    pub note: Option<String>,
}

impl Version {
    fn of(publication: Publication, id: uuid::Uuid, site: &Site) -> Self {
        Self {
            url: format!(
                "{}/versions/{}",
                site.case_study_url(id),
                publication.number
            ),
            note: publication.note(),
            publication,
        }
    }
}

/// A publication with the case study exactly as the public read it then.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionDocument {
    #[serde(flatten)]
    pub version: Version,
    pub case_study: CaseStudy,
}

/// Every publication of a case study, oldest first, including those of a case study since
/// withdrawn.
#[utoipa::path(
    tag = "case-studies",
    params(("id" = String, Path, description = "The case study's id, or its slug")),
    security(()),
    responses(
        (status = 200, description = "Its publications, oldest first", body = Vec<Version>),
        Problems<(NotFound, ServiceUnavailable)>,
    )
)]
#[get("/case-studies/{id}/versions")]
pub async fn list_versions(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<Vec<Version>>, ApiError> {
    let key = CaseStudyKey::parse(&id).ok_or(ApiError::NotFound("case study"))?;
    let mut conn = state.read_db(None).await?;
    let (id, publications) = publications::versions(&mut conn, &key).await?;
    let site = state.site();
    Ok(web::Json(
        publications
            .into_iter()
            .map(|publication| Version::of(publication, id, &site))
            .collect(),
    ))
}

/// One publication exactly as the public read it, in any format, forever: a later edit,
/// withdrawal or archive leaves it as it was, and says so in its `note`.
#[utoipa::path(
    tag = "case-studies",
    params(
        ("id" = String, Path, description = "The case study's id, or its slug"),
        ("number" = i32, Path, description = "The publication's number, from 1", minimum = 1),
        ("format" = Option<Format>, Query, description = "Instead of `Accept`, for links and browsers"),
    ),
    security(()),
    responses(
        (status = 200, description = "The version", content(
            (VersionDocument = "application/json"),
            (Object = "application/ld+json"),
            (Object = "application/vnd.citationstyles.csl+json"),
            (String = "application/x-bibtex"),
            (String = "application/x-research-info-systems"),
            (String = "application/vnd.datacite.datacite+xml"),
            (String = "application/oai_dc+xml"),
        ), headers(
            ("Vary" = String, description = "`Accept`: the format depends on it"),
        )),
        Problems<(NotFound, NotAcceptable, ServiceUnavailable)>,
    )
)]
#[get("/case-studies/{id}/versions/{number}")]
pub async fn get_version(
    state: web::Data<AppState>,
    request: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let format = requested_format(&request)?;
    let (id, number) = path.into_inner();
    let key = CaseStudyKey::parse(&id).ok_or(ApiError::NotFound("case study"))?;
    let number: i32 = number.parse().map_err(|_| ApiError::NotFound("version"))?;
    let mut conn = state.read_db(None).await?;
    let (case_study, publication) = publications::version(&mut conn, &key, number).await?;
    let site = state.site();
    let mut response = HttpResponse::Ok();
    response.insert_header((header::VARY, "Accept"));
    if format == Format::Json {
        let version = Version::of(publication, case_study.id, &site);
        return Ok(response.json(VersionDocument {
            version,
            case_study,
        }));
    }
    let rendered = publications::render(&case_study, &publication, &site, format, &[])?;
    Ok(response
        .content_type(rendered.media_type)
        .body(rendered.body))
}

/// The DOI registered for a case study.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DoiRecord {
    /// `null` clears it.
    pub doi: Option<Doi>,
}

/// Record the DOI registered for a case study (administrators): DataCite names it as the
/// `identifier`, and JSON-LD, CSL-JSON, BibTeX, RIS and Dublin Core carry it. Harvesters
/// see the record change. Registering the DOI with DataCite stays the deployment's own
/// business.
#[utoipa::path(
    tag = "case-studies",
    params(("id" = Uuid, Path, description = "The case study's id")),
    request_body = DoiRecord,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Recorded", body = DoiRecord),
        Problems<(BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge, UnsupportedMediaType, UnprocessableEntity, TooManyRequests, ServiceUnavailable)>,
    )
)]
#[put("/case-studies/{id}/doi")]
pub async fn record_doi(
    state: web::Data<AppState>,
    request: HttpRequest,
    Admin(admin): Admin,
    id: web::Path<String>,
    JsonBody(input): JsonBody<DoiRecord>,
) -> Result<web::Json<DoiRecord>, ApiError> {
    state.limits.writes.check(&admin.rate_key())?;
    let id = case_study_id(&id)?;
    let actor = Actor::user(&admin, client_address(&request));
    let mut conn = state.db().await?;
    publications::record_doi(&mut conn, id, input.doi.as_ref(), &actor).await?;
    state.search.refresh_after_write(&mut conn).await;
    Ok(web::Json(input))
}
