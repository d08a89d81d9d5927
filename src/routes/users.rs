//! `/api/v1/users`: accounts, managed by administrators.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::JsonBody;
use super::pagination::{PageParams, next_cursor};
use super::query::{Params, query_params};
use crate::accounts;
use crate::auth::{Admin, client_address};
use crate::db::{PgConnection, organisations, users};
use crate::domain::user::{Actor, PasswordReset, RoleChange, User, UserInput};
use crate::error::ApiError;
use crate::openapi::{
    AdminCreateProblems, AdminQueryProblems, BadRequest, Conflict, Forbidden, NotFound,
    PayloadTooLarge, Problems, RestrictedReadProblems, ServiceUnavailable, Unauthorized,
    UnprocessableEntity, UnsupportedMediaType,
};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<User>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

query_params! {
    pub struct UserParams {
        /// Only users of this organisation (slug).
        pub organisation: Option<String>,
    }
}

/// Create an account (administrators).
#[utoipa::path(
    tag = "users",
    request_body = UserInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = User, headers(("Location" = String, description = "Where the account lives"))),
        AdminCreateProblems,
    )
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    request: HttpRequest,
    Admin(admin): Admin,
    JsonBody(input): JsonBody<UserInput>,
) -> Result<HttpResponse, ApiError> {
    let new = input.parse().map_err(ApiError::Validation)?;
    let mut conn = state.db().await?;
    let actor = Actor::user(&admin, client_address(&request));
    let user = accounts::create_user(&mut conn, new, &actor).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/users/{}", user.id)))
        .json(user))
}

/// List accounts (administrators).
#[utoipa::path(
    tag = "users",
    params(UserParams, PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of accounts", body = UserPage),
        AdminQueryProblems,
    )
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    _admin: Admin,
    Params(params): Params<(UserParams, PageParams)>,
) -> Result<web::Json<UserPage>, ApiError> {
    let (filters, page) = params;
    let limit = page.limit();
    let after: Option<Uuid> = page.after()?;
    let mut conn = state.db().await?;
    let organisation_id = match filters.organisation.as_deref() {
        Some(slug) => Some(
            organisations::find_by_slug(&mut conn, slug)
                .await?
                .ok_or_else(|| {
                    ApiError::invalid_parameter("organisation", format!("no organisation `{slug}`"))
                })?
                .id,
        ),
        None => None,
    };
    let items = users::list(&mut conn, organisation_id, after, limit).await?;
    let next_cursor = next_cursor(&items, limit, |last| last.id);
    Ok(web::Json(UserPage { items, next_cursor }))
}

/// One account (administrators).
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "The account's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = User),
        RestrictedReadProblems,
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<String>,
) -> Result<web::Json<User>, ApiError> {
    let mut conn = state.db().await?;
    Ok(web::Json(find(&mut conn, &id).await?))
}

/// Deactivate an account: it can no longer sign in, its refresh tokens are revoked and its
/// access tokens stop working at once (administrators).
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "The account's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Deactivated", body = User),
        Problems<(Unauthorized, Forbidden, NotFound, Conflict, ServiceUnavailable)>,
    )
)]
#[post("/users/{id}/deactivate")]
pub async fn deactivate_user(
    state: web::Data<AppState>,
    request: HttpRequest,
    Admin(admin): Admin,
    id: web::Path<String>,
) -> Result<web::Json<User>, ApiError> {
    let mut conn = state.db().await?;
    let user = find(&mut conn, &id).await?;
    let actor = Actor::user(&admin, client_address(&request));
    accounts::deactivate_user(&mut conn, &user, &actor).await?;
    Ok(web::Json(find(&mut conn, &id).await?))
}

/// Change an account's role (administrators).
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "The account's id")),
    request_body = RoleChange,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = User),
        Problems<(BadRequest, Unauthorized, Forbidden, NotFound, Conflict, UnsupportedMediaType, UnprocessableEntity, ServiceUnavailable)>,
    )
)]
#[put("/users/{id}/role")]
pub async fn change_role(
    state: web::Data<AppState>,
    request: HttpRequest,
    Admin(admin): Admin,
    id: web::Path<String>,
    JsonBody(change): JsonBody<RoleChange>,
) -> Result<web::Json<User>, ApiError> {
    let mut conn = state.db().await?;
    let user = find(&mut conn, &id).await?;
    let actor = Actor::user(&admin, client_address(&request));
    accounts::change_role(&mut conn, &user, change.role, &actor).await?;
    Ok(web::Json(find(&mut conn, &id).await?))
}

/// Set an account's password (administrators): for a forgotten or leaked one. Every
/// sign-in of the account ends. Administrators change their own with
/// `PUT /api/v1/auth/password`, which asks for the current one.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "The account's id")),
    request_body = PasswordReset,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Set; every token of the account has stopped working"),
        Problems<(BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge, UnsupportedMediaType, UnprocessableEntity, ServiceUnavailable)>,
    )
)]
#[put("/users/{id}/password")]
pub async fn reset_password(
    state: web::Data<AppState>,
    request: HttpRequest,
    Admin(admin): Admin,
    id: web::Path<String>,
    JsonBody(reset): JsonBody<PasswordReset>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.db().await?;
    let user = find(&mut conn, &id).await?;
    let actor = Actor::user(&admin, client_address(&request));
    accounts::reset_password(&mut conn, &user, reset, &actor).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn find(conn: &mut PgConnection, id: &str) -> Result<User, ApiError> {
    let id = Uuid::parse_str(id).map_err(|_| ApiError::NotFound("user"))?;
    users::find(conn, id)
        .await?
        .ok_or(ApiError::NotFound("user"))
}
