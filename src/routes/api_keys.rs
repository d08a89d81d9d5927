//! `/api/v1/api-keys`: keys for machine clients, made and revoked by signed-in users.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::JsonBody;
use super::pagination::{PageParams, next_cursor};
use super::query::Params;
use crate::accounts;
use crate::auth::{SignedIn, client_address};
use crate::domain::api_key::{ApiKey, ApiKeyInput, IssuedApiKey};
use crate::error::ApiError;
use crate::openapi::{
    AdminCreateProblems, AdminQueryProblems, Forbidden, NotFound, Problems, ServiceUnavailable,
    Unauthorized,
};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct ApiKeyPage {
    pub items: Vec<ApiKey>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Make an API key for yourself (editors, reviewers, administrators, signed in with a
/// password). Its secret is in `key`, shown this once; send it as `Authorization: Bearer
/// <key>`. The key acts as you, within its scopes, until it expires or is revoked, and
/// stops working when your account is deactivated.
#[utoipa::path(
    tag = "auth",
    request_body = ApiKeyInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Made; the secret is in `key` and is not shown again", body = IssuedApiKey),
        AdminCreateProblems,
    )
)]
#[post("/api-keys")]
pub async fn create_api_key(
    state: web::Data<AppState>,
    request: HttpRequest,
    SignedIn(principal): SignedIn,
    JsonBody(input): JsonBody<ApiKeyInput>,
) -> Result<HttpResponse, ApiError> {
    let new = input
        .parse(principal.role, Utc::now())
        .map_err(ApiError::Validation)?;
    let mut conn = state.db().await?;
    let issued =
        accounts::create_api_key(&mut conn, &principal, new, client_address(&request)).await?;
    Ok(HttpResponse::Created().json(issued))
}

/// Your API keys, oldest first (every user's, for administrators), revoked and expired
/// ones included. Never their secrets.
#[utoipa::path(
    tag = "auth",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of keys", body = ApiKeyPage),
        AdminQueryProblems,
    )
)]
#[get("/api-keys")]
pub async fn list_api_keys(
    state: web::Data<AppState>,
    SignedIn(principal): SignedIn,
    Params(page): Params<PageParams>,
) -> Result<web::Json<ApiKeyPage>, ApiError> {
    let limit = page.limit();
    let after: Option<Uuid> = page.after()?;
    let mut conn = state.db().await?;
    let items = accounts::list_api_keys(&mut conn, &principal, after, limit).await?;
    let next_cursor = next_cursor(&items, limit, |last| last.id);
    Ok(web::Json(ApiKeyPage { items, next_cursor }))
}

/// Revoke an API key of yours (any key, for administrators): it stops working at once.
#[utoipa::path(
    tag = "auth",
    params(("id" = Uuid, Path, description = "The key's id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked (or it already was)"),
        Problems<(Unauthorized, Forbidden, NotFound, ServiceUnavailable)>,
    )
)]
#[delete("/api-keys/{id}")]
pub async fn revoke_api_key(
    state: web::Data<AppState>,
    request: HttpRequest,
    SignedIn(principal): SignedIn,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound("API key"))?;
    let mut conn = state.db().await?;
    accounts::revoke_api_key(&mut conn, &principal, id, client_address(&request)).await?;
    Ok(HttpResponse::NoContent().finish())
}
