//! `/api/v1/audit-events`: the security and editorial trail, for administrators.

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::pagination::{PageParams, next_cursor};
use super::query::{Params, query_params};
use crate::auth::Admin;
use crate::db::audit::{self, AuditEntry};
use crate::domain::vocabulary::AuditKind;
use crate::error::ApiError;
use crate::openapi::AdminQueryProblems;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    /// Pass as `cursor` to get the next (older) page; absent on the last page.
    pub next_cursor: Option<String>,
}

query_params! {
    pub struct AuditParams {
        /// Only events of these kinds (repeat, or separate with commas).
        #[param(max_items = 100, inline)]
        pub kind: Option<Vec<AuditKind>>,
    }
}

/// The audit trail, newest first (administrators).
#[utoipa::path(
    tag = "users",
    params(AuditParams, PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of events", body = AuditPage),
        AdminQueryProblems,
    )
)]
#[get("/audit-events")]
pub async fn list_audit_events(
    state: web::Data<AppState>,
    _admin: Admin,
    Params(params): Params<(AuditParams, PageParams)>,
) -> Result<web::Json<AuditPage>, ApiError> {
    let (filters, page) = params;
    let kinds = filters.kind.unwrap_or_default();
    let limit = page.limit();
    let before: Option<i64> = page.after()?;
    let mut conn = state.db().await?;
    let items = audit::list(&mut conn, &kinds, before, limit).await?;
    let next_cursor = next_cursor(&items, limit, |last| last.id);
    Ok(web::Json(AuditPage { items, next_cursor }))
}
