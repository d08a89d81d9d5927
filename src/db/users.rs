//! Queries on `users`.

use chrono::Utc;
use diesel::prelude::{
    ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable, SelectableHelper,
};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::PgConnection;
use super::schema::{organisations, users};
use crate::domain::organisation::OrganisationSummary;
use crate::domain::user::User;
use crate::domain::vocabulary::Role;
use crate::error::ApiError;

#[derive(Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
struct UserRow {
    id: Uuid,
    email: String,
    role: Role,
    active: bool,
    created_at: chrono::DateTime<Utc>,
    deactivated_at: Option<chrono::DateTime<Utc>>,
}

fn user((row, organisation): (UserRow, OrganisationSummary)) -> User {
    User {
        id: row.id,
        email: row.email,
        role: row.role,
        organisation,
        active: row.active,
        created_at: row.created_at,
        deactivated_at: row.deactivated_at,
    }
}

pub async fn insert(
    conn: &mut PgConnection,
    email: &str,
    organisation_id: Uuid,
    role: Role,
    password_hash: &str,
) -> Result<User, ApiError> {
    let id = Uuid::now_v7();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(id),
            users::email.eq(email),
            users::organisation_id.eq(organisation_id),
            users::role.eq(role),
            users::password_hash.eq(password_hash),
        ))
        .execute(conn)
        .await?;
    find(conn, id).await?.ok_or(ApiError::NotFound("user"))
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<User>, ApiError> {
    Ok(users::table
        .inner_join(organisations::table)
        .filter(users::id.eq(id))
        .select((UserRow::as_select(), OrganisationSummary::as_select()))
        .first(conn)
        .await
        .optional()?
        .map(user))
}

pub async fn find_active(conn: &mut PgConnection, id: Uuid) -> Result<Option<User>, ApiError> {
    Ok(find(conn, id).await?.filter(|user| user.active))
}

/// The active account with this address (any case) and its password hash.
pub async fn credentials(
    conn: &mut PgConnection,
    email: &str,
) -> Result<Option<(User, String)>, ApiError> {
    let found: Option<(UserRow, OrganisationSummary, String)> = users::table
        .inner_join(organisations::table)
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("lower(users.email) = lower(")
                .bind::<diesel::sql_types::Text, _>(email)
                .sql(")"),
        )
        .filter(users::active.eq(true))
        .select((
            UserRow::as_select(),
            OrganisationSummary::as_select(),
            users::password_hash,
        ))
        .first(conn)
        .await
        .optional()?;
    Ok(found.map(|(row, organisation, hash)| (user((row, organisation)), hash)))
}

/// The active account with this address, if any (for rate limiting and auditing failed logins).
pub async fn id_by_email(conn: &mut PgConnection, email: &str) -> Result<Option<Uuid>, ApiError> {
    Ok(credentials(conn, email).await?.map(|(user, _)| user.id))
}

pub async fn list(
    conn: &mut PgConnection,
    organisation_id: Option<Uuid>,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<User>, ApiError> {
    let mut query = users::table
        .inner_join(organisations::table)
        .select((UserRow::as_select(), OrganisationSummary::as_select()))
        .order(users::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(organisation_id) = organisation_id {
        query = query.filter(users::organisation_id.eq(organisation_id));
    }
    if let Some(after) = after {
        query = query.filter(users::id.gt(after));
    }
    Ok(query.load(conn).await?.into_iter().map(user).collect())
}

/// Deactivates an account; returns false when it was already inactive.
pub async fn deactivate(conn: &mut PgConnection, id: Uuid) -> Result<bool, ApiError> {
    let changed = diesel::update(users::table.find(id).filter(users::active.eq(true)))
        .set((
            users::active.eq(false),
            users::deactivated_at.eq(Utc::now()),
            users::updated_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await?;
    Ok(changed == 1)
}

/// The stored hash of an active account's password.
pub async fn password_hash(conn: &mut PgConnection, id: Uuid) -> Result<Option<String>, ApiError> {
    Ok(users::table
        .find(id)
        .filter(users::active.eq(true))
        .select(users::password_hash)
        .first(conn)
        .await
        .optional()?)
}

pub async fn set_password_hash(
    conn: &mut PgConnection,
    id: Uuid,
    password_hash: &str,
) -> Result<(), ApiError> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(password_hash),
            users::updated_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_role(conn: &mut PgConnection, id: Uuid, role: Role) -> Result<(), ApiError> {
    diesel::update(users::table.find(id))
        .set((users::role.eq(role), users::updated_at.eq(Utc::now())))
        .execute(conn)
        .await?;
    Ok(())
}

/// Holds the account's row until the transaction ends, so checks on what it owns (how many
/// keys) and the change they guard happen as one.
pub async fn lock(conn: &mut PgConnection, id: Uuid) -> Result<(), ApiError> {
    users::table
        .find(id)
        .select(users::id)
        .for_update()
        .first::<Uuid>(conn)
        .await?;
    Ok(())
}
