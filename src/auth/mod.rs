//! Who is asking: bearer tokens and API keys turned into a `Principal`, checked against the
//! database on every request so a deactivated account, a revoked key or a changed role takes
//! effect at once.

pub mod passwords;
pub mod rate_limit;
pub mod tokens;

use std::net::IpAddr;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use ipnet::IpNet;

use crate::db;
use crate::domain::api_key::KEY_PREFIX;
use crate::domain::user::{KeyGrant, Principal};
use crate::error::ApiError;
use crate::state::AppState;

/// Anyone: the public, or a signed-in user. A token that is present but bad is still a 401.
pub struct Viewer(pub Option<Principal>);

/// A signed-in user; anonymous requests get 401.
pub struct Editor(pub Principal);

/// A signed-in administrator; others get 403.
pub struct Admin(pub Principal);

/// A user who signed in with their password: account changes and API keys are not for keys.
pub struct SignedIn(pub Principal);

const KEYS_NEVER_ADMINISTER: &str =
    "an API key cannot manage accounts, organisations or keys; sign in to do this";

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

impl FromRequest for SignedIn {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let editor = Editor::from_request(request, payload);
        Box::pin(async move {
            let Editor(principal) = editor.await?;
            if principal.key.is_some() {
                Err(ApiError::Forbidden(KEYS_NEVER_ADMINISTER.into()))
            } else {
                Ok(SignedIn(principal))
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
            if principal.key.is_some() {
                Err(ApiError::Forbidden(KEYS_NEVER_ADMINISTER.into()))
            } else if principal.is_admin() {
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
    if token.starts_with(KEY_PREFIX) {
        return authenticate_key(state, token).await;
    }
    signed_in_user(state, token).await
}

/// The user a signed-in token (a bearer token, or a page session's) speaks for, while their
/// account is active and that sign-in has not ended.
pub async fn signed_in_user(state: &AppState, token: &str) -> Result<Principal, ApiError> {
    let claims = state.tokens.verify(token).map_err(|error| match error {
        tokens::TokenError::Expired => ApiError::InvalidToken("the token has expired"),
        tokens::TokenError::Invalid => ApiError::InvalidToken("the token is not valid"),
    })?;
    let mut conn = state.db().await?;
    let user = db::users::find_active(&mut conn, claims.sub)
        .await?
        .ok_or(ApiError::InvalidToken("the account is not active"))?;
    if let Some(session) = claims.sid
        && db::refresh_tokens::session_ended(&mut conn, session).await?
    {
        return Err(ApiError::InvalidToken(
            "the sign-in has ended; sign in again",
        ));
    }
    Ok(Principal {
        user_id: user.id,
        organisation_id: user.organisation.id,
        role: user.role,
        key: None,
    })
}

async fn authenticate_key(state: &AppState, secret: &str) -> Result<Principal, ApiError> {
    let mut conn = state.db().await?;
    let (key, organisation_id, role) = db::api_keys::authenticate(&mut conn, secret).await?.ok_or(
        ApiError::InvalidToken(
            "the API key is not valid: unknown, revoked or expired, or its account is not active",
        ),
    )?;
    Ok(Principal {
        user_id: key.user_id,
        organisation_id,
        role,
        key: Some(KeyGrant {
            id: key.id,
            scopes: key.scopes,
        }),
    })
}

/// The client's address, for per-client limits, the audit trail and the access log: the
/// peer, unless the peer is a trusted proxy (`CASEBOOK_TRUSTED_PROXIES`); then the nearest
/// address in `Forwarded` (or else `X-Forwarded-For`) that is not itself a trusted proxy.
pub fn client_address(request: &HttpRequest) -> String {
    let Some(peer) = request.peer_addr().map(|address| address.ip()) else {
        return "unknown".to_owned();
    };
    let trusted = request
        .app_data::<web::Data<AppState>>()
        .map(|state| state.config.trusted_proxies.as_slice())
        .unwrap_or_default();
    let headers = request.headers();
    let forwarded: Vec<&str> = if headers.contains_key(header::FORWARDED) {
        headers
            .get_all(header::FORWARDED)
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(forwarded_for)
            .collect()
    } else {
        headers
            .get_all("x-forwarded-for")
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect()
    };
    client_behind(peer, &forwarded, trusted).to_string()
}

/// Walks the hops from the nearest back: each trusted proxy vouches for the one before it.
/// A hop that is not an address (`unknown`, an obfuscated name) ends the walk at the proxy
/// that wrote it.
fn client_behind(peer: IpAddr, forwarded: &[&str], trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |address: &IpAddr| trusted.iter().any(|network| network.contains(address));
    let mut client = peer;
    for hop in forwarded.iter().rev() {
        if !is_trusted(&client) {
            break;
        }
        match hop.parse::<IpAddr>() {
            Ok(address) => client = address,
            Err(_) => break,
        }
    }
    client
}

/// The `for=` of one element of `Forwarded` (RFC 7239), without quotes, brackets or port.
fn forwarded_for(element: &str) -> &str {
    let node = element
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| name.eq_ignore_ascii_case("for"))
        .map_or("", |(_, value)| value.trim().trim_matches('"'));
    match node.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        // An IPv4 address may carry a port; a bare IPv6 address (no brackets) has colons.
        None if node.matches(':').count() == 1 => node.split(':').next().unwrap_or(""),
        None => node,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_trusted_proxies_are_believed() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let client = |peer: &str, hops: &[&str]| {
            client_behind(peer.parse().unwrap(), hops, &trusted).to_string()
        };
        // Through the balancer: the address it saw.
        assert_eq!(client("10.0.0.5", &["203.0.113.7"]), "203.0.113.7");
        // A client's own header is kept by the balancer but not believed past it.
        assert_eq!(
            client("10.0.0.5", &["198.51.100.1", "203.0.113.7"]),
            "203.0.113.7"
        );
        // Two trusted hops.
        assert_eq!(
            client("10.0.0.5", &["203.0.113.7", "10.1.2.3"]),
            "203.0.113.7"
        );
        // Straight from the internet: the header is the client's word, ignored.
        assert_eq!(client("203.0.113.9", &["10.0.0.1"]), "203.0.113.9");
        // A hop that is not an address stops at the proxy that wrote it.
        assert_eq!(client("10.0.0.5", &["unknown"]), "10.0.0.5");
    }

    #[test]
    fn forwarded_elements_give_their_for_address() {
        assert_eq!(forwarded_for("for=192.0.2.60;proto=http"), "192.0.2.60");
        assert_eq!(forwarded_for(" For=\"192.0.2.60:4711\""), "192.0.2.60");
        assert_eq!(forwarded_for("for=\"[2001:db8::1]:4711\""), "2001:db8::1");
        assert_eq!(forwarded_for("proto=https;for=unknown"), "unknown");
        assert_eq!(forwarded_for("by=10.0.0.1"), "");
    }
}
