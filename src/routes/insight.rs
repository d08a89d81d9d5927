//! `/api/v1/stats/*`, `/api/v1/organisations/{slug}/profile`, `/api/v1/changes` and
//! `/api/v1/feed.atom`: what analysts and other systems ask of the collection as a whole.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::query::QueryParams;
use super::search::SearchParams;
use crate::auth::Viewer;
use crate::db::{changes, search as queries};
use crate::domain::text::is_slug;
use crate::domain::vocabulary::{ChangeKind, Status};
use crate::error::ApiError;
use crate::insight::{self, Crosstab, Dimension, Profile, StarMap, atom, svg};
use crate::routes::pagination::{decode_cursor, encode_cursor};
use crate::search::SearchRequest;
use crate::search::evaluate::visible;
use crate::startup::AppState;

/// Counts per quadrant of the Co-production Star and per journey step, over the case
/// studies a search with the same filters finds.
#[utoipa::path(
    tag = "stats",
    params(SearchParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The Star map", body = StarMap),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[get("/stats/star")]
pub async fn star(
    state: web::Data<AppState>,
    Viewer(viewer): Viewer,
    query: QueryParams,
) -> Result<web::Json<StarMap>, ApiError> {
    let request = SearchParams::parse(&query, viewer.as_ref(), false)?;
    let mut conn = state.read_db(viewer.as_ref()).await?;
    let map = state
        .search
        .with_matches(&mut conn, &request, viewer.as_ref(), |_, docs| {
            insight::star_map(docs)
        })
        .await?;
    Ok(web::Json(map))
}

/// The Co-production Star drawn as SVG: each quadrant shaded by its count under the filters
/// given, around the five-step journey. For `<img src=".../stats/star.svg?partner=...">`.
#[utoipa::path(
    tag = "stats",
    params(SearchParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The picture", content_type = "image/svg+xml", body = String),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[get("/stats/star.svg")]
pub async fn star_svg(
    state: web::Data<AppState>,
    Viewer(viewer): Viewer,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    let request = SearchParams::parse(&query, viewer.as_ref(), false)?;
    let mut conn = state.read_db(viewer.as_ref()).await?;
    let map = state
        .search
        .with_matches(&mut conn, &request, viewer.as_ref(), |_, docs| {
            insight::star_map(docs)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/svg+xml"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(svg::star(&map, "Co-production Star")))
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CrosstabParams {
    /// What the rows count by.
    #[param(inline)]
    pub rows: Dimension,
    /// What the columns count by.
    #[param(inline)]
    pub cols: Dimension,
    /// `csv` for a spreadsheet (as does `Accept: text/csv`); JSON otherwise.
    pub format: Option<String>,
}

/// Case studies counted by two dimensions at once, with every search filter; JSON, or CSV
/// with `Accept: text/csv`.
#[utoipa::path(
    tag = "stats",
    params(CrosstabParams, SearchParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The table", content(
            (Crosstab = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[get("/stats/crosstab")]
pub async fn crosstab(
    state: web::Data<AppState>,
    request: HttpRequest,
    Viewer(viewer): Viewer,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    let dimension = |name: &str| -> Result<Dimension, ApiError> {
        let value = query
            .text(name)?
            .ok_or_else(|| ApiError::invalid_parameter(name, "is required"))?;
        Dimension::parse(value).ok_or_else(|| ApiError::InvalidParameter {
            parameter: name.to_owned(),
            detail: format!("cannot count by `{value}`"),
            allowed: Dimension::ALL.iter().map(|d| d.name().to_owned()).collect(),
        })
    };
    let (rows, columns) = (dimension("rows")?, dimension("cols")?);
    let csv = match query.text("format")? {
        Some("csv") => true,
        Some("json") => false,
        Some(other) => {
            return Err(ApiError::InvalidParameter {
                parameter: "format".into(),
                detail: format!("unknown format `{other}`"),
                allowed: vec!["json".into(), "csv".into()],
            });
        }
        None => request
            .headers()
            .get(header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/csv")),
    };
    let search = SearchParams::parse(&query, viewer.as_ref(), false)?;
    let mut conn = state.read_db(viewer.as_ref()).await?;
    let table = state
        .search
        .with_matches(&mut conn, &search, viewer.as_ref(), |index, docs| {
            insight::crosstab(index, docs, rows, columns)
        })
        .await?;
    Ok(if csv {
        HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .body(table.to_csv())
    } else {
        HttpResponse::Ok().json(table)
    })
}

/// One partner's co-production at a glance: its case studies by quadrant and status, the
/// roles it plays, its outcomes and the partners it works with most.
#[utoipa::path(
    tag = "organisations",
    params(("slug" = String, Path, description = "The organisation's slug")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The profile", body = Profile),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[get("/organisations/{slug}/profile")]
pub async fn profile(
    state: web::Data<AppState>,
    Viewer(viewer): Viewer,
    slug: web::Path<String>,
) -> Result<web::Json<Profile>, ApiError> {
    if !is_slug(&slug) {
        return Err(ApiError::NotFound("organisation"));
    }
    let profile = state
        .search
        .with_index(|index| {
            let organisation = *index.organisation_by_slug.get(slug.as_str())?;
            let docs: Vec<_> = index
                .live_docs()
                .filter(|d| d.involves(organisation) && visible(d, index, viewer.as_ref()))
                .collect();
            Some(insight::profile(index, organisation, &docs))
        })
        .await?
        .ok_or(ApiError::NotFound("organisation"))?;
    Ok(web::Json(profile))
}

/// A change to the public collection.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeEvent {
    /// Resume the feed from just after this event by passing it as `since`.
    pub cursor: String,
    /// `published` (new to the public), `updated` (a new revision replaced the public one) or
    /// `withdrawn` (gone from public view: mirrors should remove it).
    pub kind: ChangeKind,
    pub case_study: ChangedCaseStudy,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangedCaseStudy {
    pub id: Uuid,
    /// Its slug now (fetch `/api/v1/case-studies/{id}` for the document).
    pub slug: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeFeed {
    pub items: Vec<ChangeEvent>,
    /// Where to resume: pass as `since` next time (the same cursor when nothing happened).
    pub next_cursor: String,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangeParams {
    /// `next_cursor` (or an event's `cursor`) from an earlier answer; absent: from the start.
    pub since: Option<String>,
    /// How many events at most (1-1000).
    #[param(minimum = 1, maximum = 1000, default = 100)]
    pub limit: Option<u32>,
}

/// Publications, updates and withdrawals of published case studies, in order, each exactly
/// once, resumable from any cursor: what a mirror needs to stay in step.
#[utoipa::path(
    tag = "feeds",
    params(ChangeParams),
    responses(
        (status = 200, description = "The next events", body = ChangeFeed),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[get("/changes")]
pub async fn changes_feed(
    state: web::Data<AppState>,
    query: QueryParams,
) -> Result<web::Json<ChangeFeed>, ApiError> {
    let after: i64 = match query.text("since")? {
        Some(cursor) => match decode_cursor::<i64>(cursor) {
            Ok(seq) if seq >= 0 => seq,
            _ => {
                return Err(ApiError::invalid_parameter(
                    "since",
                    "is not a cursor this service issued",
                ));
            }
        },
        None => 0,
    };
    let limit = match query.one::<u32>("limit", "a whole number from 1 to 1000")? {
        None => 100,
        Some(limit @ 1..=1000) => i64::from(limit),
        Some(_) => {
            return Err(ApiError::invalid_parameter(
                "limit",
                "must be between 1 and 1000",
            ));
        }
    };
    let mut conn = state.read_db(None).await?;
    let batch = changes::since(&mut conn, after, limit, true).await?;
    let ids: Vec<Uuid> = batch.iter().map(|c| c.entity_id).collect();
    let slugs = queries::slugs(&mut conn, &ids).await?;
    let next_cursor = encode_cursor(&batch.last().map_or(after, |c| c.seq));
    Ok(web::Json(ChangeFeed {
        items: batch
            .into_iter()
            .map(|change| ChangeEvent {
                cursor: encode_cursor(&change.seq),
                kind: change.kind,
                case_study: ChangedCaseStudy {
                    id: change.entity_id,
                    slug: slugs.get(&change.entity_id).cloned(),
                },
                occurred_at: change.occurred_at,
            })
            .collect(),
        next_cursor,
    }))
}

/// The newest published case studies, as an Atom feed.
#[utoipa::path(
    tag = "feeds",
    responses(
        (status = 200, description = "The feed", content_type = "application/atom+xml", body = String),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[get("/feed.atom")]
pub async fn atom_feed(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let request = SearchRequest {
        limit: 20,
        statuses: vec![Status::Published],
        ..SearchRequest::default()
    };
    let mut conn = state.read_db(None).await?;
    let results = state.search.search(&mut conn, &request, None).await?;
    let entries: Vec<atom::Entry> = results
        .items
        .into_iter()
        .map(|item| atom::Entry {
            published: item.published_at.unwrap_or_default(),
            updated: item.updated_at,
            id: item.id,
            slug: item.slug,
            title: item.title,
            summary: item.summary,
            owner: item.owner.name,
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/atom+xml"))
        .body(atom::feed(&state.config.public_url(), &entries)))
}
