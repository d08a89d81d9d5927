//! `/health`: for load balancers, orchestrators and people.

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db;
use crate::error::ApiError;
use crate::openapi::{Problems, ServiceUnavailable};
use crate::search::evaluate::SearchMode;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` when the service can answer requests.
    #[schema(example = "ok")]
    pub status: &'static str,
    /// `ok` when the database answered.
    #[schema(example = "ok")]
    pub database: &'static str,
    /// `ready` once the search index is built (until then the service answers 503).
    #[schema(example = "ready")]
    pub search: &'static str,
    /// The read replica: `ok`, `unreachable` (the primary answers its reads meanwhile), or
    /// `none` when there is none.
    #[schema(example = "none")]
    pub replica: &'static str,
    /// How `q` is matched by default: `hybrid` (words and meaning) with an embedding model,
    /// `lexical` (words alone) without.
    pub mode: SearchMode,
    /// Case studies with a vector, for search by meaning (0 without a model).
    #[schema(example = 14)]
    pub embedded: u64,
    /// Live case studies: when `embedded` reaches it, every one can be found by meaning.
    #[schema(example = 14)]
    pub case_studies: u64,
    #[schema(example = "0.1.0")]
    pub version: &'static str,
}

/// Is the service up, can it reach its database, and is its search index built? Route
/// traffic to an instance only while this answers 200.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "Up, and the database answers", body = Health),
        Problems<(ServiceUnavailable,)>,
    )
)]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> Result<web::Json<Health>, ApiError> {
    db::ping(&state.pool).await?;
    if !state.search.is_ready() {
        return Err(ApiError::Unavailable(
            "the search index is still loading".into(),
        ));
    }
    let replica = match &state.read_pool {
        None => "none",
        Some(replica) => match db::ping(replica).await {
            Ok(()) => "ok",
            Err(_) => "unreachable",
        },
    };
    let (embedded, case_studies) = state.search.embedding_progress();
    Ok(web::Json(Health {
        status: "ok",
        database: "ok",
        search: "ready",
        replica,
        mode: state.search.default_mode(),
        embedded,
        case_studies,
        version: env!("CARGO_PKG_VERSION"),
    }))
}
