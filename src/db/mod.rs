//! The database: connection pool, database creation, migrations, and one module of
//! queries per table or read model.

pub mod api_keys;
pub mod attachments;
pub mod audit;
pub mod case_studies;
pub mod changes;
pub mod connect;
pub mod embeddings;
pub mod harvest;
pub mod organisations;
pub mod refresh_tokens;
pub mod revisions;
pub mod schema;
pub mod search;
pub mod secrets;
pub mod users;

use std::time::Duration;

use anyhow::Context;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::Pool as DeadPool;
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _, SimpleAsyncConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use futures_util::FutureExt;

use crate::config::DatabaseSettings;

pub use diesel_async::AsyncPgConnection as PgConnection;

/// A connection borrowed from the pool.
pub type Connection = diesel_async::pooled_connection::deadpool::Object<AsyncPgConnection>;

pub type Pool = DeadPool<AsyncPgConnection>;
pub type PoolError = diesel_async::pooled_connection::deadpool::PoolError;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Rows a multi-row `INSERT` carries: PostgreSQL takes at most 65,535 parameters a
/// statement, and no table here has more than 65 columns.
const ROWS_A_STATEMENT: usize = 1_000;

/// `rows` cut into the multi-row statements that insert them.
fn in_statements<T>(mut rows: Vec<T>) -> impl Iterator<Item = Vec<T>> {
    std::iter::from_fn(move || {
        if rows.is_empty() {
            return None;
        }
        let rest = rows.split_off(rows.len().min(ROWS_A_STATEMENT));
        Some(std::mem::replace(&mut rows, rest))
    })
}

/// An SQL expression of fixed text. Diesel never prepares a statement holding an SQL literal
/// (`diesel::dsl::sql`) or a raw query, so PostgreSQL parsed and planned those on every call;
/// statements holding this are prepared once per connection and cached by their text.
#[derive(Debug, Clone, Copy)]
pub struct FixedSql<ST> {
    sql: &'static str,
    sql_type: std::marker::PhantomData<ST>,
}

impl<ST> FixedSql<ST> {
    pub const fn new(sql: &'static str) -> Self {
        Self {
            sql,
            sql_type: std::marker::PhantomData,
        }
    }
}

impl<ST: diesel::sql_types::SqlType + diesel::expression::TypedExpressionType> diesel::Expression
    for FixedSql<ST>
{
    type SqlType = ST;
}

impl<ST, QS> diesel::AppearsOnTable<QS> for FixedSql<ST> where Self: diesel::Expression {}

impl<ST, QS> diesel::SelectableExpression<QS> for FixedSql<ST> where Self: diesel::Expression {}

impl<ST, GroupBy> diesel::expression::ValidGrouping<GroupBy> for FixedSql<ST> {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

/// No static id: two texts of one type must never share a prepared statement, so the cache
/// keys these by their text.
impl<ST> diesel::query_builder::QueryId for FixedSql<ST> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<ST> diesel::query_builder::QueryFragment<diesel::pg::Pg> for FixedSql<ST> {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> diesel::QueryResult<()> {
        out.push_sql(self.sql);
        Ok(())
    }
}

/// A raw statement of fixed text, with its binds. Diesel never keeps the statement of a raw
/// query, whose text could be anything, so PostgreSQL parsed and planned these on every
/// call: reading a changed case study back for the search index took longer to plan than
/// to run. One of these is prepared once per connection and kept, keyed by its text, which
/// is why that text must be fixed (`&'static`).
#[derive(Debug, Clone)]
pub struct Prepared<Q>(Q);

impl<Q> Prepared<Q> {
    /// `sql`, with the values `bind` gives it (`|query| query.bind::<Text, _>(name)`).
    pub fn new(sql: &'static str, bind: impl FnOnce(diesel::query_builder::SqlQuery) -> Q) -> Self {
        Self(bind(diesel::sql_query(sql)))
    }
}

impl<Q: diesel::query_builder::Query> diesel::query_builder::Query for Prepared<Q> {
    type SqlType = Q::SqlType;
}

/// As `FixedSql`: no static id, so the cache keys these by their text.
impl<Q> diesel::query_builder::QueryId for Prepared<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: diesel::query_builder::QueryFragment<diesel::pg::Pg>>
    diesel::query_builder::QueryFragment<diesel::pg::Pg> for Prepared<Q>
{
    fn walk_ast<'b>(
        &'b self,
        out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> diesel::QueryResult<()> {
        self.0.walk_ast(out)
    }

    fn is_safe_to_cache_prepared(&self, _: &diesel::pg::Pg) -> diesel::QueryResult<bool> {
        Ok(true)
    }
}

/// One key for every start-up step that must not run twice at once (migrations, demo data),
/// so several instances can start against one database.
const STARTUP_LOCK_KEY: i64 = 0x6361_7365_626f_6f6b; // "casebook"

/// A pool whose every wait is bounded: a request never hangs on a dead database.
pub fn pool(settings: &DatabaseSettings) -> anyhow::Result<Pool> {
    let statement_timeout = settings.statement_timeout;
    let connect_timeout = settings.acquire_timeout;
    let mut manager_config = ManagerConfig::<AsyncPgConnection>::default();
    manager_config.custom_setup =
        Box::new(move |url| connect(url.to_owned(), connect_timeout, statement_timeout).boxed());
    // A connection the server has closed (a restart, a terminated backend) is known to be
    // closed without asking, so handing one out costs no `SELECT 1` round trip; a request
    // that meets a connection dying mid-use answers 503 and the pool replaces it.
    manager_config.recycling_method = RecyclingMethod::Fast;
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(
        settings.url.expose(),
        manager_config,
    );
    DeadPool::builder(manager)
        .max_size(settings.pool_size)
        .wait_timeout(Some(settings.acquire_timeout))
        .create_timeout(Some(settings.acquire_timeout))
        .recycle_timeout(Some(settings.acquire_timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .context("building the database pool")
}

async fn connect(
    url: String,
    connect_timeout: Duration,
    statement_timeout: Duration,
) -> diesel::ConnectionResult<AsyncPgConnection> {
    let mut connection = tokio::time::timeout(connect_timeout, connect::establish(&url))
        .await
        .map_err(|_| diesel::ConnectionError::BadConnection("connection timed out".into()))??;
    connection
        .batch_execute(&format!(
            "SET statement_timeout = {}; SET lock_timeout = {}",
            statement_timeout.as_millis(),
            statement_timeout.as_millis()
        ))
        .await
        .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
    Ok(connection)
}

/// Creates the database named in the URL when it does not exist yet.
pub async fn create_database_if_missing(url: &str) -> anyhow::Result<()> {
    let (maintenance_url, name) = split_database_url(url)?;
    let mut connection = connect::establish(&maintenance_url)
        .await
        .context("connecting to the `postgres` maintenance database")?;
    let exists = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
        "EXISTS (SELECT 1 FROM pg_database WHERE datname = {})",
        quote_literal(&name)
    )))
    .get_result::<bool>(&mut connection)
    .await?;
    if !exists {
        let created = connection
            .batch_execute(&format!("CREATE DATABASE {}", quote_identifier(&name)))
            .await;
        match created {
            Ok(()) => tracing::info!(database = %name, "created database"),
            // Another instance created it between our check and our CREATE.
            Err(diesel::result::Error::DatabaseError(_, info))
                if info.message().contains("already exists") => {}
            Err(error) => return Err(error).context("creating the database"),
        }
    }
    Ok(())
}

/// Runs pending migrations under an advisory lock, then `after` while still holding it.
pub async fn migrate(url: &str) -> anyhow::Result<()> {
    let connection = connect::establish(url)
        .await
        .context("connecting to run migrations")?;
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let mut connection = AsyncConnectionWrapper::<AsyncPgConnection>::from(connection);
        with_startup_lock_sync(&mut connection, |connection| {
            let applied = connection
                .run_pending_migrations(MIGRATIONS)
                .map_err(|e| anyhow::anyhow!("running migrations: {e}"))?;
            for migration in applied {
                tracing::info!(%migration, "applied migration");
            }
            Ok(())
        })
    })
    .await?
}

fn with_startup_lock_sync<T>(
    connection: &mut AsyncConnectionWrapper<AsyncPgConnection>,
    body: impl FnOnce(&mut AsyncConnectionWrapper<AsyncPgConnection>) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let lock = diesel::sql_query(format!("SELECT pg_advisory_lock({STARTUP_LOCK_KEY})"));
    diesel::RunQueryDsl::execute(lock, connection)?;
    let result = body(connection);
    let unlock = diesel::sql_query(format!("SELECT pg_advisory_unlock({STARTUP_LOCK_KEY})"));
    diesel::RunQueryDsl::execute(unlock, connection)?;
    result
}

/// Holds the start-up advisory lock on `connection` while `body` runs.
pub async fn with_startup_lock<T>(
    connection: &mut AsyncPgConnection,
    body: impl AsyncFnOnce(&mut AsyncPgConnection) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    diesel::sql_query(format!("SELECT pg_advisory_lock({STARTUP_LOCK_KEY})"))
        .execute(connection)
        .await?;
    let result = body(connection).await;
    diesel::sql_query(format!("SELECT pg_advisory_unlock({STARTUP_LOCK_KEY})"))
        .execute(connection)
        .await?;
    result
}

/// Splits `postgres://.../name?opts` into the URL of the `postgres` database on the same server and `name`.
fn split_database_url(url: &str) -> anyhow::Result<(String, String)> {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let (server, name) = base
        .rsplit_once('/')
        .filter(|(server, name)| {
            server.contains("://") && !server.ends_with('/') && !name.is_empty()
        })
        .context("DATABASE_URL must name a database, as in postgres://host/casebook")?;
    let mut maintenance = format!("{server}/postgres");
    if let Some(query) = query {
        maintenance.push('?');
        maintenance.push_str(query);
    }
    Ok((maintenance, percent_decode(name)))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

pub fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// True when the database answers a trivial query within the pool's bounds.
pub async fn ping(pool: &Pool) -> Result<(), crate::error::ApiError> {
    let mut connection = pool.get().await?;
    diesel::sql_query("SELECT 1")
        .execute(&mut connection)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_maintenance_url_keeps_credentials_and_options() {
        let (maintenance, name) =
            split_database_url("postgres://u:p@db:5432/case%20book?sslmode=disable").unwrap();
        assert_eq!(
            maintenance,
            "postgres://u:p@db:5432/postgres?sslmode=disable"
        );
        assert_eq!(name, "case book");
    }

    #[test]
    fn a_url_without_a_database_is_refused() {
        assert!(split_database_url("postgres://db:5432").is_err());
        assert!(split_database_url("postgres://db:5432/").is_err());
    }
}
