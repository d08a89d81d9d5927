//! Builds the application, for `main` and for the tests alike.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::tokens::TokenKeys;
use crate::config::{Config, DatabaseSettings};
use crate::db::{self, Pool};
use crate::embedding::{self, Embedder};
use crate::export::ExportSlots;
use crate::kept::Kept;
use crate::metrics::Metrics;
use crate::openapi::ApiDoc;
use crate::search::SearchIndex;
use crate::search::meaning::Meaning;
use crate::state::{AppState, Limits};
use crate::{demo, pages, protection, routes, telemetry};

/// Creates the database if missing, migrates it, and opens a pool on it: what every
/// command that touches the database does first.
pub async fn migrated_pool(config: &Config) -> anyhow::Result<Pool> {
    let url = config.database.url.expose();
    db::create_database_if_missing(url).await?;
    db::migrate(url).await?;
    db::pool(&config.database)
}

/// Creates the database if missing, migrates it, and loads the demo case studies into an empty one.
pub async fn prepare_database(config: &Config) -> anyhow::Result<()> {
    let pool = migrated_pool(config).await?;
    if config.demo_data {
        let mut conn = pool.get().await.context("connecting to load demo data")?;
        if let Some(loaded) = demo::load_if_empty(&mut conn, config.default_license).await? {
            tracing::info!(
                case_studies = loaded,
                "loaded the demo case studies into an empty database"
            );
        }
    }
    Ok(())
}

/// `prepare_database`, tried again while the database is not up yet (a container starting
/// beside it, a failover), for at most `wait`.
pub async fn prepare_database_within(config: &Config, wait: Duration) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(500);
    loop {
        match prepare_database(config).await {
            Ok(()) => return Ok(()),
            Err(error) if started.elapsed() + pause <= wait => {
                tracing::warn!(error = %format!("{error:#}"), "the database is not ready; trying again");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(5));
            }
            Err(error) => {
                return Err(error.context(format!(
                    "gave up waiting for the database after {} s (CASEBOOK_DATABASE_WAIT_SECS)",
                    wait.as_secs()
                )));
            }
        }
    }
}

/// A bound, not yet running, HTTP server, and the private one for metrics if configured.
pub struct Application {
    port: u16,
    server: Server,
    metrics: Option<MetricsServer>,
}

/// `/metrics` alone, on `CASEBOOK_METRICS_ADDR`: one worker, stopped with the main server.
struct MetricsServer {
    port: u16,
    server: Server,
}

impl Application {
    pub fn build(config: Config) -> anyhow::Result<Self> {
        let listener =
            TcpListener::bind(config.addr).with_context(|| format!("binding {}", config.addr))?;
        let port = listener.local_addr()?.port();
        let pool = db::pool(&config.database)?;
        let read_pool = match &config.database.read_url {
            Some(url) => Some(db::pool(&DatabaseSettings {
                url: url.clone(),
                ..config.database.clone()
            })?),
            None => None,
        };
        let meaning = load_meaning(&config)?;
        let state = web::Data::new(AppState {
            pool,
            read_pool,
            tokens: TokenKeys::new(&config.tokens),
            limits: Limits::new(&config),
            search: Arc::new(SearchIndex::new(
                config.search_cache_bytes,
                meaning.clone(),
                config.search_index_dir.as_deref(),
            )?),
            // With a replica, a document read there may be older than the index; the
            // replica is then the cache for reads.
            documents: Kept::new(match config.database.read_url {
                Some(_) => 0,
                None => config.read_cache_bytes,
            }),
            exports: ExportSlots::new(config.exports),
            config: Arc::new(config.clone()),
        });
        follow_changes(state.pool.clone(), &state.search, config.search_refresh);
        if let Some(meaning) = meaning {
            // Embedding runs off the request path, as fast as the model goes.
            tokio::spawn(meaning.keep_current(state.pool.clone(), config.search_refresh));
        }
        let openapi = openapi();
        let metrics = web::Data::new(Metrics::new()?);
        let metrics_server = match config.metrics_addr {
            Some(addr) => Some(metrics_server(addr, state.clone(), metrics.clone())?),
            None => None,
        };
        let cors_origins = config.cors_origins.clone();
        let methods = web::Data::new(routes::Methods::of(&openapi));
        let document = web::Data::new(routes::OpenApiDocument::of(&openapi)?);
        let mut server = HttpServer::new(move || {
            // The document this collects is the one made above: only the routes are kept.
            let (app, _) = App::new()
                .into_utoipa_app()
                .app_data(state.clone())
                .app_data(metrics.clone())
                .app_data(methods.clone())
                .configure(routes::register)
                .split_for_parts();
            // The last wrapped runs first: logging, the access line and ids outermost, then CORS, metrics,
            // caching (inside compression, so tags are of what the handlers wrote), the time budget
            // and the method check around the handlers.
            let app = app
                .app_data(document.clone())
                .route("/openapi.json", web::get().to(routes::openapi_document))
                .service(
                    SwaggerUi::new("/docs/{_:.*}")
                        .config(utoipa_swagger_ui::Config::new(["/openapi.json"])),
                )
                .configure(pages::register)
                .default_service(web::to(routes::not_found))
                .wrap(from_fn(routes::refuse_undeclared_methods))
                .wrap(from_fn(protection::time_budget))
                .wrap(from_fn(crate::caching::conditional_get))
                .wrap(Compress::default())
                .wrap(from_fn(protection::security_headers))
                .wrap(from_fn(crate::metrics::measure))
                .wrap(protection::cors(&cors_origins))
                .wrap(from_fn(telemetry::echo_request_id))
                .wrap(from_fn(telemetry::access_log))
                .wrap(TracingLogger::default());
            release_freed_memory();
            app
        })
        .listen(listener)?
        // Slow clients: a request's head must arrive promptly, and idle connections close.
        .client_request_timeout(std::time::Duration::from_secs(5))
        .client_disconnect_timeout(std::time::Duration::from_secs(2))
        .keep_alive(std::time::Duration::from_secs(30))
        .shutdown_timeout(config.shutdown_timeout.as_secs());
        server = server.workers(config.http_workers());
        Ok(Self {
            port,
            server: server.run(),
            metrics: metrics_server,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port `/metrics` is served on when `CASEBOOK_METRICS_ADDR` is set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|metrics| metrics.port)
    }

    /// Stops the server from outside, as a signal would: `stop(true)` finishes in-flight
    /// requests first.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGTERM or Ctrl-C, then finishes in-flight requests (bounded by the shutdown timeout).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let Some(metrics) = self.metrics else {
            return self.server.await;
        };
        let handle = metrics.server.handle();
        let metrics = tokio::spawn(metrics.server);
        let served = self.server.await;
        handle.stop(true).await;
        let _ = metrics.await;
        served
    }
}

fn metrics_server(
    addr: std::net::SocketAddr,
    state: web::Data<AppState>,
    metrics: web::Data<Metrics>,
) -> anyhow::Result<MetricsServer> {
    let listener =
        TcpListener::bind(addr).with_context(|| format!("binding the metrics address {addr}"))?;
    let port = listener.local_addr()?.port();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(metrics.clone())
            .route("/metrics", web::get().to(crate::metrics::private))
    })
    .workers(1)
    // The main server owns the signals; this one stops when it does.
    .disable_signals()
    .listen(listener)?
    .run();
    Ok(MetricsServer { port, server })
}

/// The embedding model, when there is one: configured, or installed in the default folder.
/// A configured model that does not load stops the service; no model means search by words
/// alone, said once.
pub fn load_meaning(config: &Config) -> anyhow::Result<Option<Arc<Meaning>>> {
    let Some(dir) = embedding::model_dir(config.embedding_model.as_deref()) else {
        tracing::warn!(
            "no embedding model: searching by words alone; `casebook model install` (or \
             CASEBOOK_EMBEDDING_MODEL) adds search by meaning"
        );
        return Ok(None);
    };
    let embedder = Embedder::load(&dir)
        .with_context(|| format!("loading the embedding model from {}", dir.display()))?;
    tracing::info!(model = %dir.display(), "searching by words and by meaning");
    Ok(Some(Arc::new(Meaning::new(embedder))))
}

/// Builds the search index, then keeps it current with changes made through other replicas
/// of the service (this one's own changes are applied as they are made). Retries while the
/// database is away.
fn follow_changes(pool: Pool, search: &Arc<SearchIndex>, every: std::time::Duration) {
    // Held weakly, so the task ends with the service and the index (and the lock on its
    // directory) goes with them.
    let search = Arc::downgrade(search);
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let Some(search) = search.upgrade() else {
                return;
            };
            let Ok(mut conn) = pool.get().await else {
                continue;
            };
            let outcome = if search.is_ready() {
                match search.refresh(&mut conn).await {
                    // Committing analyses and syncs files: off this thread, which serves
                    // other tasks.
                    Ok(()) => {
                        let search = search.clone();
                        tokio::task::spawn_blocking(move || search.fold_if_due())
                            .await
                            .unwrap_or_else(|failed| {
                                Err(crate::error::ApiError::Internal(anyhow::anyhow!(
                                    "committing the search index failed: {failed}"
                                )))
                            })
                    }
                    failed => failed,
                }
            } else {
                let started = std::time::Instant::now();
                let loaded = search.load(&mut conn).await;
                if loaded.is_ok() {
                    release_freed_memory();
                    tracing::info!(
                        seconds = started.elapsed().as_secs_f64(),
                        "search index built"
                    );
                }
                loaded
            };
            if let Err(error) = outcome {
                tracing::warn!(error = %error, "search index not up to date; will retry");
            }
        }
    });
}

/// Hands the memory freed since start-up back to the system. glibc keeps what a thread
/// frees in that thread's arena, so what only building took (each worker's OpenAPI
/// document, collected with its route table; the rows of the first build of the index)
/// would otherwise stay resident for good: 13 MB at 100,000 case studies.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: it only returns whole free pages of the allocator's own arenas.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The OpenAPI document, collected from the same route table the server uses.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut document) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::register)
        .split_for_parts();
    document.info.version = env!("CARGO_PKG_VERSION").to_owned();
    crate::openapi::state_rules(&mut document);
    document
}
