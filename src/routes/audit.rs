//! `/api/v1/audit-events`: the security and editorial trail, for administrators.

use actix_web::{get, web};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::pagination::{PageParams, next_cursor};
use super::query::QueryParams;
use crate::auth::Admin;
use crate::db::audit::{self, AuditEntry};
use crate::domain::vocabulary::AuditKind;
use crate::error::ApiError;
use crate::startup::AppState;

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    /// Pass as `cursor` to get the next (older) page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only events of these kinds (repeat, or separate with commas).
    #[param(inline)]
    pub kind: Option<Vec<AuditKind>>,
}

/// The audit trail, newest first (administrators).
#[utoipa::path(
    tag = "users",
    params(AuditParams, PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of events", body = AuditPage),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[get("/audit-events")]
pub async fn list_audit_events(
    state: web::Data<AppState>,
    _admin: Admin,
    query: QueryParams,
) -> Result<web::Json<AuditPage>, ApiError> {
    let kinds = query.codes::<AuditKind>("kind")?;
    let page = PageParams::from_query(&query)?;
    let limit = page.limit()?;
    let before: Option<i64> = page.after()?;
    let mut conn = state.db().await?;
    let items = audit::list(&mut conn, &kinds, before, limit).await?;
    let next_cursor = next_cursor(&items, limit, |last| last.id);
    Ok(web::Json(AuditPage { items, next_cursor }))
}
