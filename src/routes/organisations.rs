//! `/api/v1/organisations`: the partners that case studies name.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use diesel_async::AsyncConnection;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::extract::JsonBody;
use super::pagination::{PageParams, next_cursor};
use super::query::QueryParams;
use crate::auth::{Admin, Principal, Viewer, client_address};
use crate::db::audit::{self, AuditEvent};
use crate::db::{PgConnection, organisations};
use crate::domain::organisation::{NewOrganisation, Organisation, OrganisationInput};
use crate::domain::text::is_slug;
use crate::domain::vocabulary::{AuditKind, OrganisationKind};
use crate::error::ApiError;
use crate::startup::AppState;

/// A page of organisations in slug order.
#[derive(Serialize, ToSchema)]
pub struct OrganisationPage {
    pub items: Vec<Organisation>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationParams {
    /// Only organisations of these kinds (repeat the parameter, or separate with commas).
    /// Absent means every kind.
    #[param(inline)]
    pub kind: Option<Vec<OrganisationKind>>,
}

/// List partner organisations.
#[utoipa::path(
    tag = "organisations",
    params(OrganisationParams, PageParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of organisations", body = OrganisationPage),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[get("/organisations")]
pub async fn list_organisations(
    state: web::Data<AppState>,
    Viewer(viewer): Viewer,
    query: QueryParams,
) -> Result<web::Json<OrganisationPage>, ApiError> {
    let kinds = query.codes::<OrganisationKind>("kind")?;
    let page = PageParams::from_query(&query)?;
    let limit = page.limit()?;
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
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 409, response = crate::openapi::Conflict),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 415, response = crate::openapi::UnsupportedMediaType),
        (status = 422, response = crate::openapi::UnprocessableEntity),
        (status = 503, response = crate::openapi::ServiceUnavailable),
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
    let change = Change::Create(&new);
    let organisation = write(&mut conn, change, &admin, &client_address(&request)).await?;
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
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 415, response = crate::openapi::UnsupportedMediaType),
        (status = 422, response = crate::openapi::UnprocessableEntity),
        (status = 503, response = crate::openapi::ServiceUnavailable),
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
    let change = Change::Update(current.id, &changed);
    let organisation = write(&mut conn, change, &admin, &client_address(&request)).await?;
    state.search.refresh_after_write(&mut conn).await;
    Ok(web::Json(organisation))
}

enum Change<'a> {
    Create(&'a NewOrganisation),
    Update(Uuid, &'a NewOrganisation),
}

/// Makes the change and its audit record in one transaction: neither without the other.
async fn write(
    conn: &mut PgConnection,
    change: Change<'_>,
    admin: &Principal,
    client: &str,
) -> Result<Organisation, ApiError> {
    conn.transaction(async |conn| {
        let (organisation, kind) = match change {
            Change::Create(new) => (
                organisations::insert(conn, new).await?,
                AuditKind::OrganisationCreated,
            ),
            Change::Update(id, changed) => (
                organisations::update(conn, id, changed).await?,
                AuditKind::OrganisationUpdated,
            ),
        };
        record(conn, kind, admin, &organisation, client).await?;
        Ok(organisation)
    })
    .await
}

async fn record(
    conn: &mut PgConnection,
    kind: AuditKind,
    admin: &Principal,
    organisation: &Organisation,
    client: &str,
) -> Result<(), ApiError> {
    let event = AuditEvent {
        actor_id: Some(admin.user_id),
        organisation_id: Some(organisation.id),
        client: Some(client.to_owned()),
        ..AuditEvent::default()
    };
    audit::record(conn, kind, event).await
}

/// Read one organisation by slug.
#[utoipa::path(
    tag = "organisations",
    params(("slug" = String, Path, description = "The organisation's slug", example = "scottish-borders-housing-association")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The organisation", body = Organisation),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::ServiceUnavailable),
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
