//! `/api/v1/users`: accounts, managed by administrators.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use diesel_async::AsyncConnection;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::extract::JsonBody;
use super::pagination::{PageParams, next_cursor};
use super::query::QueryParams;
use crate::auth::{Admin, Principal, client_address, passwords};
use crate::db::audit::{self, AuditEvent};
use crate::db::{PgConnection, organisations, refresh_tokens, users};
use crate::domain::user::{RoleChange, User, UserInput};
use crate::domain::vocabulary::AuditKind;
use crate::error::ApiError;
use crate::startup::AppState;

#[derive(Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<User>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserParams {
    /// Only users of this organisation (slug).
    pub organisation: Option<String>,
}

/// Create an account (administrators).
#[utoipa::path(
    tag = "users",
    request_body = UserInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = User, headers(("Location" = String, description = "Where the account lives"))),
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
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    request: HttpRequest,
    Admin(admin): Admin,
    JsonBody(input): JsonBody<UserInput>,
) -> Result<HttpResponse, ApiError> {
    let new = input.parse().map_err(ApiError::Validation)?;
    let mut conn = state.db().await?;
    let organisation = organisations::resolve(&mut conn, &[&new.organisation])
        .await?
        .map_err(|_| {
            ApiError::validation(
                "organisation",
                format!("no organisation `{}`", new.organisation),
            )
        })?
        .remove(&new.organisation)
        .expect("resolved");
    let hash = passwords::hash(new.password).await?;
    let client = client_address(&request);
    let user = conn
        .transaction(async |conn| {
            let user = users::insert(conn, &new.email, organisation.id, new.role, &hash).await?;
            record(conn, AuditKind::UserCreated, &admin, &user, &client, None).await?;
            Ok::<_, ApiError>(user)
        })
        .await?;
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
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    _admin: Admin,
    query: QueryParams,
) -> Result<web::Json<UserPage>, ApiError> {
    let page = PageParams::from_query(&query)?;
    let limit = page.limit()?;
    let after: Option<Uuid> = page.after()?;
    let mut conn = state.db().await?;
    let organisation_id = match query.text("organisation")? {
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
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::ServiceUnavailable),
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
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 503, response = crate::openapi::ServiceUnavailable),
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
    refuse_own_account(&admin, &user, "deactivate")?;
    let client = client_address(&request);
    conn.transaction(async |conn| {
        if users::deactivate(conn, user.id).await? {
            refresh_tokens::revoke_for_user(conn, user.id).await?;
            record(
                conn,
                AuditKind::UserDeactivated,
                &admin,
                &user,
                &client,
                None,
            )
            .await?;
        }
        Ok::<_, ApiError>(())
    })
    .await?;
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
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 415, response = crate::openapi::UnsupportedMediaType),
        (status = 422, response = crate::openapi::UnprocessableEntity),
        (status = 503, response = crate::openapi::ServiceUnavailable),
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
    refuse_own_account(&admin, &user, "change the role of")?;
    if user.role != change.role {
        let client = client_address(&request);
        conn.transaction(async |conn| {
            users::set_role(conn, user.id, change.role).await?;
            let detail = serde_json::json!({"from": user.role, "to": change.role});
            record(
                conn,
                AuditKind::RoleChanged,
                &admin,
                &user,
                &client,
                Some(detail),
            )
            .await?;
            Ok::<_, ApiError>(())
        })
        .await?;
    }
    Ok(web::Json(find(&mut conn, &id).await?))
}

/// An administrator cannot lock themselves out; another administrator can.
fn refuse_own_account(admin: &Principal, user: &User, what: &str) -> Result<(), ApiError> {
    if admin.user_id == user.id {
        Err(ApiError::Conflict(format!(
            "administrators cannot {what} their own account; ask another administrator"
        )))
    } else {
        Ok(())
    }
}

async fn find(conn: &mut PgConnection, id: &str) -> Result<User, ApiError> {
    let id = Uuid::parse_str(id).map_err(|_| ApiError::NotFound("user"))?;
    users::find(conn, id)
        .await?
        .ok_or(ApiError::NotFound("user"))
}

async fn record(
    conn: &mut PgConnection,
    kind: AuditKind,
    admin: &Principal,
    user: &User,
    client: &str,
    detail: Option<serde_json::Value>,
) -> Result<(), ApiError> {
    let event = AuditEvent {
        actor_id: Some(admin.user_id),
        user_id: Some(user.id),
        organisation_id: Some(user.organisation.id),
        client: Some(client.to_owned()),
        detail,
        ..AuditEvent::default()
    };
    audit::record(conn, kind, event).await
}
