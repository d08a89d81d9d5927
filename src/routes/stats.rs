//! `/api/v1/stats/*`: where co-production happens and where it does not, counted over
//! exactly the case studies a search with the same filters finds.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};

use super::query::{Choice, Params, query_params};
use super::search::SearchParams;
use crate::auth::Viewer;
use crate::domain::user::Principal;
use crate::error::ApiError;
use crate::insight::{self, Crosstab, Dimension, StarMap, svg};
use crate::openapi::QueryProblems;
use crate::state::AppState;

/// Counts per quadrant of the Co-production Star and per journey step, over the case
/// studies a search with the same filters finds.
#[utoipa::path(
    tag = "stats",
    params(SearchParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The Star map", body = StarMap),
        QueryProblems,
    )
)]
#[get("/stats/star")]
pub async fn star(
    state: web::Data<AppState>,
    Viewer(viewer): Viewer,
    Params(filters): Params<SearchParams>,
) -> Result<web::Json<StarMap>, ApiError> {
    Ok(web::Json(star_map(&state, viewer, filters).await?))
}

/// The Star map of what a search with these filters finds, as this viewer may see it.
pub async fn star_map(
    state: &AppState,
    viewer: Option<Principal>,
    filters: SearchParams,
) -> Result<StarMap, ApiError> {
    let request = filters.into_request(viewer.as_ref(), None)?;
    state
        .search
        .with_matches(&request, viewer.as_ref(), |_, docs| insight::star_map(docs))
        .await
}

/// The Co-production Star drawn as SVG: each quadrant shaded by its count under the filters
/// given, around the five-step journey. For `<img src=".../stats/star.svg?partner=...">`.
#[utoipa::path(
    tag = "stats",
    params(SearchParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The picture", content_type = "image/svg+xml", body = String),
        QueryProblems,
    )
)]
#[get("/stats/star.svg")]
pub async fn star_svg(
    state: web::Data<AppState>,
    Viewer(viewer): Viewer,
    Params(filters): Params<SearchParams>,
) -> Result<HttpResponse, ApiError> {
    let map = star_map(&state, viewer, filters).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/svg+xml"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(svg::star(&map, "Co-production Star")))
}

query_params! {
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
}

impl Choice for Dimension {
    const ALL: &'static [Self] = &Dimension::ALL;

    fn code(self) -> &'static str {
        self.name()
    }
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
        QueryProblems,
    )
)]
#[get("/stats/crosstab")]
pub async fn crosstab(
    state: web::Data<AppState>,
    request: HttpRequest,
    Viewer(viewer): Viewer,
    Params(params): Params<(CrosstabParams, SearchParams)>,
) -> Result<HttpResponse, ApiError> {
    let (table, filters) = params;
    let (rows, columns) = (table.rows, table.cols);
    let csv = match table.format.as_deref() {
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
    let search = filters.into_request(viewer.as_ref(), None)?;
    let table = state
        .search
        .with_matches(&search, viewer.as_ref(), |index, docs| {
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
