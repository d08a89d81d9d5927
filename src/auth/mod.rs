//! Who is asking: bearer tokens turned into a `Principal`, checked against the database on
//! every request so a deactivated account or a changed role takes effect at once.

pub mod passwords;
pub mod rate_limit;
pub mod tokens;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use crate::db;
use crate::domain::user::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// Anyone: the public, or a signed-in user. A token that is present but bad is still a 401.
pub struct Viewer(pub Option<Principal>);

/// A signed-in user; anonymous requests get 401.
pub struct Editor(pub Principal);

/// A signed-in administrator; others get 403.
pub struct Admin(pub Principal);

impl FromRequest for Viewer {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = request.app_data::<web::Data<AppState>>().cloned();
        let authorization = request
            .headers()
            .get(header::AUTHORIZATION)
            .map(|value| value.to_str().map(str::to_owned).unwrap_or_default());
        Box::pin(async move {
            let Some(authorization) = authorization else {
                return Ok(Viewer(None));
            };
            let state = state.ok_or_else(|| anyhow::anyhow!("application state missing"))?;
            authenticate(&state, &authorization)
                .await
                .map(|p| Viewer(Some(p)))
        })
    }
}

impl FromRequest for Editor {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let viewer = Viewer::from_request(request, payload);
        Box::pin(async move {
            match viewer.await? {
                Viewer(Some(principal)) => Ok(Editor(principal)),
                Viewer(None) => Err(ApiError::Unauthorized("sign in: this needs a bearer token")),
            }
        })
    }
}

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let editor = Editor::from_request(request, payload);
        Box::pin(async move {
            let Editor(principal) = editor.await?;
            if principal.is_admin() {
                Ok(Admin(principal))
            } else {
                Err(ApiError::Forbidden(
                    "only administrators may do this".into(),
                ))
            }
        })
    }
}

async fn authenticate(state: &AppState, authorization: &str) -> Result<Principal, ApiError> {
    let token = authorization
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty())
        .ok_or(ApiError::InvalidToken(
            "use `Authorization: Bearer <token>`",
        ))?;
    let claims = state.tokens.verify(token).map_err(|error| match error {
        tokens::TokenError::Expired => ApiError::InvalidToken("the token has expired"),
        tokens::TokenError::Invalid => ApiError::InvalidToken("the token is not valid"),
    })?;
    let mut conn = state.db().await?;
    let user = db::users::find_active(&mut conn, claims.sub)
        .await?
        .ok_or(ApiError::InvalidToken("the account is not active"))?;
    if let Some(session) = claims.sid {
        if db::refresh_tokens::session_ended(&mut conn, session).await? {
            return Err(ApiError::InvalidToken(
                "the sign-in has ended; sign in again",
            ));
        }
    }
    Ok(Principal {
        user_id: user.id,
        organisation_id: user.organisation.id,
        role: user.role,
    })
}

/// The client's address, for per-client limits and the audit trail.
pub fn client_address(request: &HttpRequest) -> String {
    request
        .peer_addr()
        .map(|addr| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}
