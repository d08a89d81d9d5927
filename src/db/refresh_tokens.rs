//! Queries on `refresh_tokens`: issue, rotate on use, detect reuse, revoke.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::{AsyncConnection, RunQueryDsl};
use uuid::Uuid;

use super::PgConnection;
use super::schema::refresh_tokens;
use super::secrets::{self, digest};
use crate::error::ApiError;

/// What presenting a refresh token led to.
pub enum Exchange {
    /// The token was good: here is its successor, for this user and sign-in.
    Rotated { user_id: Uuid, token: Issued },
    /// The token had already been used: someone holds a copy. The family is now revoked.
    Reused { user_id: Uuid },
    /// Unknown, expired or revoked.
    Refused,
}

/// A new refresh token, and the sign-in (family) it belongs to.
pub struct Issued {
    pub token: String,
    pub family_id: Uuid,
}

pub async fn issue(
    conn: &mut PgConnection,
    user_id: Uuid,
    family_id: Option<Uuid>,
    ttl: std::time::Duration,
) -> Result<Issued, ApiError> {
    let family_id = family_id.unwrap_or_else(Uuid::now_v7);
    let token = secrets::generate()?;
    let expires_at = Utc::now() + Duration::from_std(ttl).map_err(anyhow::Error::from)?;
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(Uuid::now_v7()),
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::family_id.eq(family_id),
            refresh_tokens::token_hash.eq(digest(&token)),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    Ok(Issued { token, family_id })
}

pub async fn exchange(
    conn: &mut PgConnection,
    token: &str,
    ttl: std::time::Duration,
) -> Result<Exchange, ApiError> {
    let hash = digest(token);
    conn.transaction(async |conn| {
        type Found = (
            Uuid,
            Uuid,
            Uuid,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
            Option<DateTime<Utc>>,
        );
        let found: Option<Found> = refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(&hash))
            .select((
                refresh_tokens::id,
                refresh_tokens::user_id,
                refresh_tokens::family_id,
                refresh_tokens::expires_at,
                refresh_tokens::used_at,
                refresh_tokens::revoked_at,
            ))
            .for_update()
            .first(conn)
            .await
            .optional()?;
        let Some((id, user_id, family_id, expires_at, used_at, revoked_at)) = found else {
            return Ok(Exchange::Refused);
        };
        if revoked_at.is_some() || expires_at <= Utc::now() {
            return Ok(Exchange::Refused);
        }
        if used_at.is_some() {
            revoke_where(conn, refresh_tokens::family_id.eq(family_id)).await?;
            return Ok(Exchange::Reused { user_id });
        }
        diesel::update(refresh_tokens::table.find(id))
            .set(refresh_tokens::used_at.eq(Utc::now()))
            .execute(conn)
            .await?;
        let token = issue(conn, user_id, Some(family_id), ttl).await?;
        Ok(Exchange::Rotated { user_id, token })
    })
    .await
}

/// Revokes the token's whole family (a logout); returns its user, if the token was ours.
pub async fn revoke(conn: &mut PgConnection, token: &str) -> Result<Option<Uuid>, ApiError> {
    let found: Option<(Uuid, Uuid)> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(digest(token)))
        .select((refresh_tokens::user_id, refresh_tokens::family_id))
        .first(conn)
        .await
        .optional()?;
    if let Some((_, family_id)) = found {
        revoke_where(conn, refresh_tokens::family_id.eq(family_id)).await?;
    }
    Ok(found.map(|(user_id, _)| user_id))
}

/// Ends a sign-in: its whole family is revoked.
pub async fn end_session(conn: &mut PgConnection, family_id: Uuid) -> Result<(), ApiError> {
    revoke_where(conn, refresh_tokens::family_id.eq(family_id)).await
}

/// Whether the sign-in has been ended (signed out, or every session of its user revoked).
pub async fn session_ended(conn: &mut PgConnection, family_id: Uuid) -> Result<bool, ApiError> {
    Ok(diesel::select(diesel::dsl::exists(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_not_null()),
    ))
    .get_result(conn)
    .await?)
}

pub async fn revoke_for_user(conn: &mut PgConnection, user_id: Uuid) -> Result<(), ApiError> {
    revoke_where(conn, refresh_tokens::user_id.eq(user_id)).await
}

async fn revoke_where<P>(conn: &mut PgConnection, predicate: P) -> Result<(), ApiError>
where
    P: diesel::expression::BoxableExpression<
            refresh_tokens::table,
            diesel::pg::Pg,
            SqlType = diesel::sql_types::Bool,
        > + Send
        + 'static,
{
    diesel::update(refresh_tokens::table)
        .filter(predicate)
        .filter(refresh_tokens::revoked_at.is_null())
        .set(refresh_tokens::revoked_at.eq(Utc::now()))
        .execute(conn)
        .await?;
    Ok(())
}
