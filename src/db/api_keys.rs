//! Queries on `api_keys`: issue, list, revoke, and find the live key behind a secret.

use chrono::{Duration, Utc};
use diesel::prelude::{
    BoolExpressionMethods, ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper,
};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::PgConnection;
use super::schema::{api_keys, users};
use super::secrets::digest;
use crate::domain::api_key::{ApiKey, NewApiKey};
use crate::domain::vocabulary::Role;
use crate::error::ApiError;

/// `last_used_at` is kept to the minute, so a busy key does not write on every request.
const USE_RECORDED_EVERY: Duration = Duration::minutes(1);

pub async fn insert(
    conn: &mut PgConnection,
    user_id: Uuid,
    key: &NewApiKey,
    secret: &str,
) -> Result<ApiKey, ApiError> {
    Ok(diesel::insert_into(api_keys::table)
        .values((
            api_keys::id.eq(Uuid::now_v7()),
            api_keys::user_id.eq(user_id),
            api_keys::name.eq(&key.name),
            api_keys::scopes.eq(&key.scopes),
            api_keys::key_hash.eq(digest(secret)),
            api_keys::expires_at.eq(key.expires_at),
        ))
        .returning(ApiKey::as_returning())
        .get_result(conn)
        .await?)
}

/// Keys of the user that still work.
pub async fn live_count(conn: &mut PgConnection, user_id: Uuid) -> Result<i64, ApiError> {
    Ok(api_keys::table
        .filter(api_keys::user_id.eq(user_id))
        .filter(api_keys::revoked_at.is_null())
        .filter(api_keys::expires_at.gt(Utc::now()))
        .count()
        .get_result(conn)
        .await?)
}

/// Oldest first, after the key id given; one user's, or everyone's.
pub async fn list(
    conn: &mut PgConnection,
    user_id: Option<Uuid>,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<ApiKey>, ApiError> {
    let mut query = api_keys::table
        .select(ApiKey::as_select())
        .order(api_keys::id)
        .limit(limit)
        .into_boxed();
    if let Some(user_id) = user_id {
        query = query.filter(api_keys::user_id.eq(user_id));
    }
    if let Some(after) = after {
        query = query.filter(api_keys::id.gt(after));
    }
    Ok(query.load(conn).await?)
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<ApiKey>, ApiError> {
    Ok(api_keys::table
        .find(id)
        .select(ApiKey::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Revokes one key (a key already revoked keeps its first revocation time).
pub async fn revoke(conn: &mut PgConnection, id: Uuid) -> Result<(), ApiError> {
    diesel::update(api_keys::table.find(id))
        .filter(api_keys::revoked_at.is_null())
        .set(api_keys::revoked_at.eq(Utc::now()))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn revoke_for_user(conn: &mut PgConnection, user_id: Uuid) -> Result<(), ApiError> {
    diesel::update(api_keys::table)
        .filter(api_keys::user_id.eq(user_id))
        .filter(api_keys::revoked_at.is_null())
        .set(api_keys::revoked_at.eq(Utc::now()))
        .execute(conn)
        .await?;
    Ok(())
}

/// A key that works, with the secret given: not revoked, not expired, its user active. Its
/// user's organisation and role are read now, so a changed role applies at once.
pub async fn authenticate(
    conn: &mut PgConnection,
    secret: &str,
) -> Result<Option<(ApiKey, Uuid, Role)>, ApiError> {
    let now = Utc::now();
    let found: Option<(ApiKey, Uuid, Role)> = api_keys::table
        .inner_join(users::table)
        .filter(api_keys::key_hash.eq(digest(secret)))
        .filter(api_keys::revoked_at.is_null())
        .filter(api_keys::expires_at.gt(now))
        .filter(users::active.eq(true))
        .select((ApiKey::as_select(), users::organisation_id, users::role))
        .first(conn)
        .await
        .optional()?;
    if let Some((key, _, _)) = &found
        && key
            .last_used_at
            .is_none_or(|at| at < now - USE_RECORDED_EVERY)
    {
        diesel::update(api_keys::table.find(key.id))
            .filter(
                api_keys::last_used_at
                    .is_null()
                    .or(api_keys::last_used_at.lt(now - USE_RECORDED_EVERY)),
            )
            .set(api_keys::last_used_at.eq(now))
            .execute(conn)
            .await?;
    }
    Ok(found)
}
