//! `/api/v1/auth`: signing in, refreshing and revoking tokens, and who am I.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::JsonBody;
use crate::accounts::{self, Credentials, Sessions, TokenResponse};
use crate::auth::{Editor, SignedIn, client_address};
use crate::config::Secret;
use crate::db::users;
use crate::domain::user::{PasswordChange, User};
use crate::error::ApiError;
use crate::openapi::{
    BadRequest, Forbidden, PayloadTooLarge, Problems, ServiceUnavailable, SignInProblems,
    TooManyRequests, Unauthorized, UnprocessableEntity, UnsupportedMediaType,
};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshInput {
    /// A refresh token from an earlier answer; each can be used once.
    #[schema(value_type = String, format = Password)]
    pub refresh_token: Secret,
}

/// Sign in with email and password.
#[utoipa::path(
    tag = "auth",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        SignInProblems,
    )
)]
#[post("/auth/token")]
pub async fn issue_token(
    state: web::Data<AppState>,
    request: HttpRequest,
    JsonBody(credentials): JsonBody<Credentials>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let mut conn = state.db().await?;
    let tokens = sessions(&state)
        .sign_in(&mut conn, credentials, client_address(&request))
        .await?;
    Ok(web::Json(tokens))
}

/// Exchange a refresh token for new tokens.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshInput,
    responses(
        (status = 200, description = "New tokens; the refresh token given is now used up", body = TokenResponse),
        SignInProblems,
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    request: HttpRequest,
    JsonBody(input): JsonBody<RefreshInput>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let mut conn = state.db().await?;
    let tokens = sessions(&state)
        .refresh(&mut conn, &input.refresh_token, client_address(&request))
        .await?;
    Ok(web::Json(tokens))
}

/// Revoke a refresh token and every token refreshed from it (sign out).
#[utoipa::path(
    tag = "auth",
    request_body = RefreshInput,
    responses(
        (status = 204, description = "Revoked (also when the token was unknown)"),
        Problems<(BadRequest, PayloadTooLarge, UnsupportedMediaType, UnprocessableEntity, ServiceUnavailable)>,
    )
)]
#[post("/auth/revoke")]
pub async fn revoke_token(
    state: web::Data<AppState>,
    request: HttpRequest,
    JsonBody(input): JsonBody<RefreshInput>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.db().await?;
    accounts::sign_out(&mut conn, &input.refresh_token, client_address(&request)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Change your own password. Every sign-in of yours ends, this one included: sign in again
/// with the new password.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordChange,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed; every token of yours has stopped working"),
        Problems<(BadRequest, Unauthorized, Forbidden, PayloadTooLarge, UnsupportedMediaType, UnprocessableEntity, TooManyRequests, ServiceUnavailable)>,
    )
)]
#[put("/auth/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    request: HttpRequest,
    SignedIn(principal): SignedIn,
    JsonBody(change): JsonBody<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.db().await?;
    let client = client_address(&request);
    accounts::change_password(&mut conn, &state.limits, &principal, change, client).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your account", body = User),
        Problems<(Unauthorized, ServiceUnavailable)>,
    )
)]
#[get("/auth/me")]
pub async fn me(
    state: web::Data<AppState>,
    Editor(principal): Editor,
) -> Result<web::Json<User>, ApiError> {
    let mut conn = state.db().await?;
    let user = users::find(&mut conn, principal.user_id)
        .await?
        .ok_or(ApiError::NotFound("user"))?;
    Ok(web::Json(user))
}

pub(crate) fn sessions(state: &AppState) -> Sessions<'_> {
    Sessions {
        limits: &state.limits,
        keys: &state.tokens,
        settings: &state.config.tokens,
    }
}
