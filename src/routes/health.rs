//! `/health`: for load balancers, orchestrators and people.

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db;
use crate::error::ApiError;
use crate::startup::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` when the service can answer requests.
    #[schema(example = "ok")]
    pub status: &'static str,
    /// `ok` when the database answered.
    #[schema(example = "ok")]
    pub database: &'static str,
    #[schema(example = "0.1.0")]
    pub version: &'static str,
}

/// Is the service up, and can it reach its database?
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "Up, and the database answers", body = Health),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> Result<web::Json<Health>, ApiError> {
    db::ping(&state.pool).await?;
    Ok(web::Json(Health {
        status: "ok",
        database: "ok",
        version: env!("CARGO_PKG_VERSION"),
    }))
}
