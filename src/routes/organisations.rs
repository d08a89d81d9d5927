//! `/api/v1/organisations`: the partners that case studies name.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::extract::JsonBody;
use super::pagination::{PageParams, next_cursor};
use super::query::{Params, query_params};
use crate::accounts::{self, OrganisationChange};
use crate::auth::{Admin, Viewer, client_address};
use crate::db::organisations;
use crate::domain::organisation::{Organisation, OrganisationInput};
use crate::domain::text::is_slug;
use crate::domain::user::Actor;
use crate::domain::vocabulary::OrganisationKind;
use crate::error::ApiError;
use crate::openapi::{
    AdminCreateProblems, BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Problems,
    QueryProblems, ReadProblems, ServiceUnavailable, Unauthorized, UnprocessableEntity,
    UnsupportedMediaType,
};
use crate::state::AppState;

/// A page of organisations in slug order.
#[derive(Serialize, ToSchema)]
pub struct OrganisationPage {
    pub items: Vec<Organisation>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

query_params! {
    pub struct OrganisationParams {
        /// Only organisations of these kinds (repeat the parameter, or separate with commas).
        /// Absent means every kind.
        #[param(max_items = 100, inline)]
        pub kind: Option<Vec<OrganisationKind>>,
    }
}

/// List partner organisations.
#[utoipa::path(
    tag = "organisations",
    params(OrganisationParams, PageParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of organisations", body = OrganisationPage),
        QueryProblems,
    )
)]
#[get("/organisations")]
pub async fn list_organisations(
    state: web::Data<AppState>,
    Viewer(viewer): Viewer,
    Params(params): Params<(OrganisationParams, PageParams)>,
) -> Result<web::Json<OrganisationPage>, ApiError> {
    let (filters, page) = params;
    let kinds = filters.kind.unwrap_or_default();
    let limit = page.limit();
    // Positions are slugs; other text (NUL, say) PostgreSQL might not even compare.
    let after: Option<String> = page.after_if(|slug: &String| is_slug(slug))?;
    let mut conn = state.read_db(viewer.as_ref()).await?;
    let items = organisations::list(&mut conn, &kinds, after.as_deref(), limit).await?;
    let next_cursor = next_cursor(&items, limit, |last| last.slug.clone());
    Ok(web::Json(OrganisationPage { items, next_cursor }))
}

/// Add a partner organisation (administrators).
#[utoipa::path(
    tag = "organisations",
    request_body = OrganisationInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = Organisation, headers(
            ("Location" = String, description = "Where the new organisation lives"),
        )),
        AdminCreateProblems,
    )
)]
#[post("/organisations")]
pub async fn create_organisation(
    state: web::Data<AppState>,
    request: HttpRequest,
    Admin(admin): Admin,
    JsonBody(input): JsonBody<OrganisationInput>,
) -> Result<HttpResponse, ApiError> {
    let new = input.parse().map_err(ApiError::Validation)?;
    let mut conn = state.db().await?;
    let actor = Actor::user(&admin, client_address(&request));
    let change = OrganisationChange::Create(&new);
    let organisation = accounts::write_organisation(&mut conn, change, &actor).await?;
    state.search.refresh_after_write(&mut conn).await;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/organisations/{}", organisation.slug),
        ))
        .json(organisation))
}

/// Replace an organisation's details (administrators). Case studies naming it follow.
#[utoipa::path(
    tag = "organisations",
    params(("slug" = String, Path, description = "The organisation's current slug")),
    request_body = OrganisationInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = Organisation),
        Problems<(BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge, UnsupportedMediaType, UnprocessableEntity, ServiceUnavailable)>,
    )
)]
#[put("/organisations/{slug}")]
pub async fn update_organisation(
    state: web::Data<AppState>,
    request: HttpRequest,
    Admin(admin): Admin,
    slug: web::Path<String>,
    JsonBody(input): JsonBody<OrganisationInput>,
) -> Result<web::Json<Organisation>, ApiError> {
    if !is_slug(&slug) {
        return Err(ApiError::NotFound("organisation"));
    }
    let changed = input.parse().map_err(ApiError::Validation)?;
    let mut conn = state.db().await?;
    let current = organisations::find_by_slug(&mut conn, &slug)
        .await?
        .ok_or(ApiError::NotFound("organisation"))?;
    let actor = Actor::user(&admin, client_address(&request));
    let change = OrganisationChange::Update(current.id, &changed);
    let organisation = accounts::write_organisation(&mut conn, change, &actor).await?;
    state.search.refresh_after_write(&mut conn).await;
    Ok(web::Json(organisation))
}

/// Read one organisation by slug.
#[utoipa::path(
    tag = "organisations",
    params(("slug" = String, Path, description = "The organisation's slug", example = "scottish-borders-housing-association")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The organisation", body = Organisation),
        ReadProblems,
    )
)]
#[get("/organisations/{slug}")]
pub async fn get_organisation(
    state: web::Data<AppState>,
    Viewer(viewer): Viewer,
    slug: web::Path<String>,
) -> Result<web::Json<Organisation>, ApiError> {
    // Every stored slug passed `is_slug`, so other text names nothing (and PostgreSQL
    // would refuse some of it outright, such as text holding NUL).
    if !is_slug(&slug) {
        return Err(ApiError::NotFound("organisation"));
    }
    let mut conn = state.read_db(viewer.as_ref()).await?;
    let organisation = organisations::find_by_slug(&mut conn, &slug)
        .await?
        .ok_or(ApiError::NotFound("organisation"))?;
    Ok(web::Json(organisation))
}
