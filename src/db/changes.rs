//! Queries on `change_log`: every change to a live record or an organisation, in commit order.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use diesel::prelude::{ExpressionMethods, OptionalExtension, QueryDsl, Queryable};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::schema::change_log;
use super::{FixedSql, PgConnection, Prepared};
use crate::domain::vocabulary::{ChangeKind, ChangedEntity};
use crate::error::ApiError;

/// How long a reader waits for transactions that may still commit entries below the ones it
/// has read (see `since`).
const SETTLE_WAIT: Duration = Duration::from_secs(1);
/// How long a reader that must start from the newest entry waits for the same (see `newest`).
const START_WAIT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Queryable)]
pub struct Change {
    pub seq: i64,
    pub entity: ChangedEntity,
    pub entity_id: Uuid,
    pub kind: ChangeKind,
    pub public: bool,
    pub occurred_at: DateTime<Utc>,
}

/// An entry's number with what identifies the entry in this database: a position saved by a
/// reader is only good for the database (and the history) it was read from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mark {
    pub seq: i64,
    pub entity_id: Uuid,
    pub occurred_at: DateTime<Utc>,
}

impl Change {
    pub fn mark(&self) -> Mark {
        Mark {
            seq: self.seq,
            entity_id: self.entity_id,
            occurred_at: self.occurred_at,
        }
    }
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

/// Appends an entry, inside the caller's transaction.
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

/// Appends entries, numbered in the order given, as `record` does. Appenders do not wait
/// for each other, so entries may become visible out of order; `since` deals with that.
pub async fn record_all(conn: &mut PgConnection, changes: Vec<NewChange>) -> Result<(), ApiError> {
    // The transaction has its id before it takes a number: `since` relies on it.
    diesel::select(FixedSql::<diesel::sql_types::Text>::new(
        "pg_current_xact_id()::text",
    ))
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
                // The time of the write, not of its transaction's start (`now()`): harvesters
                // ask for what changed since a time, and a transaction may run a while.
                change_log::occurred_at.eq(FixedSql::<diesel::sql_types::Timestamptz>::new(
                    "clock_timestamp()",
                )),
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

/// Entries read from the log, and how far every entry has been taken in.
#[derive(Debug)]
pub struct Entries {
    pub changes: Vec<Change>,
    /// Every entry numbered up to this one is in `changes` (or was left out by
    /// `public_only`) or will never exist: the position to read from next.
    pub through: i64,
}

/// Entries after `after`, oldest first, up to `limit` of them before `public_only` leaves out
/// what mirrors do not need; only as far as the log is settled.
///
/// Numbers are taken without a lock, so a transaction holding a lower number can commit
/// after one holding a higher: a missing number below an entry read may still appear. Each
/// appender has its transaction id before it takes a number, so whichever transaction may
/// fill such a gap is among those of this database running now. Once they have all ended,
/// whatever is still missing is missing for good (a rolled-back number). Reading waits a
/// moment for that; if they are still running, it stops before the gap. So a reader that
/// has taken in entry n has taken in every entry before it.
pub async fn since(
    conn: &mut PgConnection,
    after: i64,
    limit: i64,
    public_only: bool,
) -> Result<Entries, ApiError> {
    let mut read = read_after(conn, after, limit).await?;
    if let Some(gap) = first_gap(after, &read) {
        let last = read.last().map_or(after, |change| change.seq);
        let running = running_here(conn).await?;
        if ended(conn, &running, SETTLE_WAIT).await? {
            // Everything up to `last` is final now.
            read = read_after(conn, after, limit).await?;
            read.retain(|change| change.seq <= last);
        } else {
            read.truncate(gap);
        }
    }
    let through = read.last().map_or(after, |change| change.seq);
    if public_only {
        read.retain(|change| change.public);
    }
    Ok(Entries {
        changes: read,
        through,
    })
}

async fn read_after(
    conn: &mut PgConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<Change>, ApiError> {
    Ok(change_log::table
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
        .load(conn)
        .await?)
}

/// Where the first missing number among entries read after `after` falls, as an index.
fn first_gap(after: i64, read: &[Change]) -> Option<usize> {
    (after + 1..)
        .zip(read)
        .position(|(expected, change)| change.seq != expected)
}

#[derive(diesel::QueryableByName)]
struct Running {
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Text>)]
    ids: Vec<String>,
}

/// The ids of the transactions of this database running now, other than this connection's.
/// (Transactions of other databases on the server never append here, and one of them
/// running for an hour must not hold readers up.)
async fn running_here(conn: &mut PgConnection) -> Result<Vec<String>, ApiError> {
    // Activity is read once per transaction unless cleared.
    Prepared::new("SELECT pg_stat_clear_snapshot()", |query| query)
        .execute(conn)
        .await?;
    let running: Running = Prepared::new(
        "SELECT coalesce(array_agg(id::text), '{}') AS ids
         FROM pg_snapshot_xip(pg_current_snapshot()) AS id
         WHERE xid(id) IN (SELECT backend_xid FROM pg_stat_activity
                           WHERE datname = current_database() AND pid <> pg_backend_pid()
                             AND backend_xid IS NOT NULL)",
        |query| query,
    )
    .get_result(conn)
    .await?;
    Ok(running.ids)
}

/// Waits up to `wait` for these transactions to end.
async fn ended(
    conn: &mut PgConnection,
    running: &[String],
    wait: Duration,
) -> Result<bool, ApiError> {
    let deadline = Instant::now() + wait;
    loop {
        if running.is_empty() {
            return Ok(true);
        }
        let ended: Flag = Prepared::new(
            "SELECT coalesce(bool_and(pg_xact_status(id::xid8) <> 'in progress'), true) AS flag
             FROM unnest($1::text[]) AS id",
            |query| query.bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(running),
        )
        .get_result(conn)
        .await?;
        if ended.flag {
            return Ok(true);
        }
        if Instant::now() >= deadline {
            return Ok(false);
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// The number of the newest entry this connection sees (0 when there is none): every entry
/// it has written itself is at or below it.
pub async fn newest_visible(conn: &mut PgConnection) -> Result<i64, ApiError> {
    let newest: Option<i64> = change_log::table
        .select(diesel::dsl::max(change_log::seq))
        .first(conn)
        .await?;
    Ok(newest.unwrap_or(0))
}

/// The newest entry, if there is one, once every entry below it is settled: a reader
/// starting from it misses nothing committed late below it, and what it reads of the
/// records afterwards reflects every entry up to it.
pub async fn newest(conn: &mut PgConnection) -> Result<Option<Mark>, ApiError> {
    let newest: Option<(i64, Uuid, DateTime<Utc>)> = change_log::table
        .order(change_log::seq.desc())
        .select((
            change_log::seq,
            change_log::entity_id,
            change_log::occurred_at,
        ))
        .first(conn)
        .await
        .optional()?;
    let running = running_here(conn).await?;
    if !ended(conn, &running, START_WAIT).await? {
        return Err(ApiError::Unavailable(
            "transactions writing to the change log have not ended".into(),
        ));
    }
    Ok(newest.map(|(seq, entity_id, occurred_at)| Mark {
        seq,
        entity_id,
        occurred_at,
    }))
}

/// Whether this database's log holds the entry `mark` names.
pub async fn holds(conn: &mut PgConnection, mark: &Mark) -> Result<bool, ApiError> {
    let found: i64 = change_log::table
        .filter(change_log::seq.eq(mark.seq))
        .filter(change_log::entity_id.eq(mark.entity_id))
        .filter(change_log::occurred_at.eq(mark.occurred_at))
        .count()
        .get_result(conn)
        .await?;
    Ok(found == 1)
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
struct Flag {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    flag: bool,
}

#[derive(diesel::QueryableByName)]
struct WalPosition {
    #[diesel(sql_type = diesel::sql_types::Text)]
    lsn: String,
}

/// Where the primary's write-ahead log stands: every transaction that has ended by now
/// committed before it. With the entries a reader has taken in, it says how far a replica
/// must have replayed to show them all (numbers alone cannot: entries commit out of order).
pub async fn wal_position(conn: &mut PgConnection) -> Result<String, ApiError> {
    let position: WalPosition =
        Prepared::new("SELECT pg_current_wal_lsn()::text AS lsn", |query| query)
            .get_result(conn)
            .await?;
    Ok(position.lsn)
}

/// Whether this connection's server has replayed the primary's log up to `wal` (always true
/// of the primary itself). Asked before a snapshot is taken, a yes holds for that snapshot.
pub async fn replayed(conn: &mut PgConnection, wal: &str) -> Result<bool, ApiError> {
    let replayed: Flag = Prepared::new(
        "SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, true) AS flag",
        |query| query.bind::<diesel::sql_types::Text, _>(wal),
    )
    .get_result(conn)
    .await?;
    Ok(replayed.flag)
}

/// Whether any entry after `position` touches `entities` (case studies and organisations
/// alike) in this connection's snapshot.
pub async fn touched_since(
    conn: &mut PgConnection,
    position: i64,
    entities: &[Uuid],
) -> Result<bool, ApiError> {
    let touched: Flag = Prepared::new(
        "SELECT coalesce(bool_or(entity_id = ANY($2)), false) AS flag
         FROM change_log WHERE seq > $1",
        |query| {
            query
                .bind::<diesel::sql_types::BigInt, _>(position)
                .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(entities)
        },
    )
    .get_result(conn)
    .await?;
    Ok(touched.flag)
}
