//! Queries on `change_log`: every change to a live record or an organisation, in commit order.

use chrono::{DateTime, Utc};
use diesel::prelude::{ExpressionMethods, QueryDsl, Queryable};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::PgConnection;
use super::schema::change_log;
use crate::domain::vocabulary::{ChangeKind, ChangedEntity};
use crate::error::ApiError;

/// Held from the moment an entry is appended until the transaction ends, so entries become
/// visible in the order of their numbers: no reader ever skips one that commits late.
const APPEND_LOCK_KEY: i64 = 0x6361_7365_6c6f_6721; // "caselog!"

#[derive(Debug, Clone, Queryable)]
pub struct Change {
    pub seq: i64,
    pub entity: ChangedEntity,
    pub entity_id: Uuid,
    pub kind: ChangeKind,
    pub public: bool,
    pub occurred_at: DateTime<Utc>,
}

/// An entry to append.
#[derive(Debug, Clone, Copy)]
pub struct NewChange {
    pub entity: ChangedEntity,
    pub entity_id: Uuid,
    pub kind: ChangeKind,
    /// Whether mirrors of the public collection need it.
    pub public: bool,
}

/// Appends an entry, inside the caller's transaction (the lock must outlive the insert);
/// call it late, as it serialises appenders until commit.
pub async fn record(
    conn: &mut PgConnection,
    entity: ChangedEntity,
    entity_id: Uuid,
    kind: ChangeKind,
    public: bool,
) -> Result<(), ApiError> {
    let change = NewChange {
        entity,
        entity_id,
        kind,
        public,
    };
    record_all(conn, vec![change]).await
}

/// Appends entries, numbered in the order given, as `record` does.
pub async fn record_all(conn: &mut PgConnection, changes: Vec<NewChange>) -> Result<(), ApiError> {
    diesel::sql_query(format!("SELECT pg_advisory_xact_lock({APPEND_LOCK_KEY})"))
        .execute(conn)
        .await?;
    let rows: Vec<_> = changes
        .into_iter()
        .map(|change| {
            (
                change_log::entity.eq(change.entity),
                change_log::entity_id.eq(change.entity_id),
                change_log::kind.eq(change.kind),
                change_log::public.eq(change.public),
            )
        })
        .collect();
    for rows in super::in_statements(rows) {
        diesel::insert_into(change_log::table)
            .values(rows)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Entries after `after`, oldest first; with `public_only`, only what mirrors need.
pub async fn since(
    conn: &mut PgConnection,
    after: i64,
    limit: i64,
    public_only: bool,
) -> Result<Vec<Change>, ApiError> {
    let mut query = change_log::table
        .filter(change_log::seq.gt(after))
        .order(change_log::seq.asc())
        .limit(limit)
        .select((
            change_log::seq,
            change_log::entity,
            change_log::entity_id,
            change_log::kind,
            change_log::public,
            change_log::occurred_at,
        ))
        .into_boxed();
    if public_only {
        query = query.filter(change_log::public.eq(true));
    }
    Ok(query.load(conn).await?)
}

/// The number of the newest entry (0 when there is none).
pub async fn latest(conn: &mut PgConnection) -> Result<i64, ApiError> {
    let latest: Option<i64> = change_log::table
        .select(diesel::dsl::max(change_log::seq))
        .first(conn)
        .await?;
    Ok(latest.unwrap_or(0))
}

/// How a connection's view of the database stands to a change-log position.
#[derive(Debug, PartialEq, Eq)]
pub enum SinceEntry {
    /// It has every entry up to the position, and none after it touches the entities asked
    /// about: what it reads of them is what stood at the position.
    AsItWas,
    /// It has not yet seen the position (a replica lagging behind the primary).
    Behind,
    /// Some of the entities have changed since.
    Changed,
}

#[derive(diesel::QueryableByName)]
struct Standing {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    latest: i64,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    touched: bool,
}

/// Where this connection's snapshot stands to entry `position`, for `entities` (case studies
/// and organisations alike).
pub async fn since_entry(
    conn: &mut PgConnection,
    position: i64,
    entities: &[Uuid],
) -> Result<SinceEntry, ApiError> {
    let standing: Standing = diesel::sql_query(
        "SELECT coalesce(max(seq), 0) AS latest,
                coalesce(bool_or(seq > $1 AND entity_id = ANY($2)), false) AS touched
         FROM change_log WHERE seq >= $1",
    )
    .bind::<diesel::sql_types::BigInt, _>(position)
    .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(entities)
    .get_result(conn)
    .await?;
    Ok(if standing.latest < position {
        SinceEntry::Behind
    } else if standing.touched {
        SinceEntry::Changed
    } else {
        SinceEntry::AsItWas
    })
}
