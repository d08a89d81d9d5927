//! `/api/v1/auth`: signing in, refreshing and revoking tokens, and who am I.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::JsonBody;
use crate::auth::{Editor, client_address, passwords};
use crate::config::Secret;
use crate::db::audit::{self, AuditEvent};
use crate::db::refresh_tokens::{self, Exchange};
use crate::db::{PgConnection, users};
use crate::domain::user::User;
use crate::domain::vocabulary::AuditKind;
use crate::error::ApiError;
use crate::startup::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "editor@sbha.example", "password": "a long passphrase of words"}))]
pub struct Credentials {
    pub email: String,
    #[schema(value_type = String, format = Password)]
    pub password: Secret,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshInput {
    /// A refresh token from an earlier answer; each can be used once.
    #[schema(value_type = String, format = Password)]
    pub refresh_token: Secret,
}

/// Tokens for the API: send `Authorization: Bearer <access_token>`.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// A JWT, valid for `expires_in` seconds.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Exchange it at `/api/v1/auth/refresh` for new tokens, without the password. It works
    /// once; presenting it again revokes every token issued from it.
    pub refresh_token: String,
    #[schema(example = 2592000)]
    pub refresh_expires_in: i64,
}

/// Sign in with email and password.
#[utoipa::path(
    tag = "auth",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 415, response = crate::openapi::UnsupportedMediaType),
        (status = 422, response = crate::openapi::UnprocessableEntity),
        (status = 429, response = crate::openapi::TooManyRequests),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[post("/auth/token")]
pub async fn issue_token(
    state: web::Data<AppState>,
    request: HttpRequest,
    JsonBody(credentials): JsonBody<Credentials>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let client = client_address(&request);
    state.limits.login_client.check(&client)?;
    state
        .limits
        .login_account
        .check(&credentials.email.trim().to_lowercase())?;
    let mut conn = state.db().await?;
    // No account has an address with NUL in it, and PostgreSQL could not even look for one.
    let email = credentials.email.trim().replace('\0', "");
    let found = match email.len() == credentials.email.trim().len() {
        true => users::credentials(&mut conn, &email).await?,
        false => None,
    };
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), Some(hash)),
        None => (None, None),
    };
    // Checked against a dummy hash when there is no account, so both take as long.
    let verified = passwords::verify(credentials.password, hash).await;
    let user = match user {
        Some(user) if verified => user,
        tried => {
            let event = AuditEvent {
                user_id: tried.map(|u| u.id),
                client: Some(client),
                detail: Some(serde_json::json!({ "email": email })),
                ..AuditEvent::default()
            };
            audit::record(&mut conn, AuditKind::LoginFailed, event).await?;
            return Err(ApiError::InvalidCredentials);
        }
    };
    let tokens = tokens_for(&state, &mut conn, &user, None).await?;
    audit::record(&mut conn, AuditKind::Login, signed_in(&user, client)).await?;
    Ok(web::Json(tokens))
}

/// Exchange a refresh token for new tokens.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshInput,
    responses(
        (status = 200, description = "New tokens; the refresh token given is now used up", body = TokenResponse),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 415, response = crate::openapi::UnsupportedMediaType),
        (status = 422, response = crate::openapi::UnprocessableEntity),
        (status = 429, response = crate::openapi::TooManyRequests),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    request: HttpRequest,
    JsonBody(input): JsonBody<RefreshInput>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let client = client_address(&request);
    state.limits.login_client.check(&client)?;
    let mut conn = state.db().await?;
    let ttl = state.config.tokens.refresh_ttl;
    match refresh_tokens::exchange(&mut conn, input.refresh_token.expose(), ttl).await? {
        Exchange::Rotated { user_id, token } => {
            let Some(user) = users::find_active(&mut conn, user_id).await? else {
                refresh_tokens::revoke_for_user(&mut conn, user_id).await?;
                return Err(ApiError::InvalidToken("the account is not active"));
            };
            let tokens = tokens_for(&state, &mut conn, &user, Some(token)).await?;
            audit::record(
                &mut conn,
                AuditKind::TokenRefreshed,
                signed_in(&user, client),
            )
            .await?;
            Ok(web::Json(tokens))
        }
        Exchange::Reused { user_id } => {
            let event = AuditEvent {
                user_id: Some(user_id),
                client: Some(client),
                ..AuditEvent::default()
            };
            audit::record(&mut conn, AuditKind::TokenReuseDetected, event).await?;
            Err(ApiError::InvalidToken(
                "the refresh token was already used; sign in again",
            ))
        }
        Exchange::Refused => Err(ApiError::InvalidToken("the refresh token is not valid")),
    }
}

/// Revoke a refresh token and every token refreshed from it (sign out).
#[utoipa::path(
    tag = "auth",
    request_body = RefreshInput,
    responses(
        (status = 204, description = "Revoked (also when the token was unknown)"),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 415, response = crate::openapi::UnsupportedMediaType),
        (status = 422, response = crate::openapi::UnprocessableEntity),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[post("/auth/revoke")]
pub async fn revoke_token(
    state: web::Data<AppState>,
    request: HttpRequest,
    JsonBody(input): JsonBody<RefreshInput>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.db().await?;
    if let Some(user_id) = refresh_tokens::revoke(&mut conn, input.refresh_token.expose()).await? {
        let event = AuditEvent {
            user_id: Some(user_id),
            actor_id: Some(user_id),
            client: Some(client_address(&request)),
            ..AuditEvent::default()
        };
        audit::record(&mut conn, AuditKind::Logout, event).await?;
    }
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your account", body = User),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 503, response = crate::openapi::ServiceUnavailable),
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

async fn tokens_for(
    state: &AppState,
    conn: &mut PgConnection,
    user: &User,
    rotated: Option<String>,
) -> Result<TokenResponse, ApiError> {
    let settings = &state.config.tokens;
    let refresh_token = match rotated {
        Some(token) => token,
        None => refresh_tokens::issue(conn, user.id, None, settings.refresh_ttl).await?,
    };
    Ok(TokenResponse {
        access_token: state.tokens.issue(user.id, user.organisation.id, user.role),
        token_type: "Bearer",
        expires_in: state.tokens.access_ttl_secs,
        refresh_token,
        refresh_expires_in: settings.refresh_ttl.as_secs() as i64,
    })
}

fn signed_in(user: &User, client: String) -> AuditEvent {
    let id: Uuid = user.id;
    AuditEvent {
        actor_id: Some(id),
        user_id: Some(id),
        organisation_id: Some(user.organisation.id),
        client: Some(client),
        ..AuditEvent::default()
    }
}
