//! `/api/v1/case-studies/{id}/revisions` and `/comments`: the history of a case study, for
//! its editors and reviewers. Nothing is ever lost: any revision can be read, compared and
//! restored.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::case_studies::{apply, case_study_id};
use super::query::{Params, query_params};
use crate::auth::Editor;
use crate::db::PgConnection;
use crate::db::case_studies::{self, CaseStudyKey, CaseStudyState};
use crate::db::revisions::{self, Comment, Revision, RevisionSummary};
use crate::domain::user::Principal;
use crate::domain::workflow::Rights;
use crate::editorial::Change;
use crate::error::ApiError;
use crate::openapi::{
    BadRequest, Conflict, Forbidden, NotFound, PreconditionFailed, PreconditionRequired, Problems,
    RestrictedReadProblems, ServiceUnavailable, TooManyRequests, Unauthorized, UnprocessableEntity,
};
use crate::state::AppState;

/// Every revision of a case study, newest first.
#[utoipa::path(
    tag = "case-studies",
    params(("id" = Uuid, Path, description = "The case study's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The revisions, newest first", body = Vec<RevisionSummary>),
        RestrictedReadProblems,
    )
)]
#[get("/case-studies/{id}/revisions")]
pub async fn list_revisions(
    state: web::Data<AppState>,
    Editor(principal): Editor,
    id: web::Path<String>,
) -> Result<web::Json<Vec<RevisionSummary>>, ApiError> {
    let mut conn = state.db().await?;
    let case_study = readable_history(&mut conn, &principal, &id).await?;
    Ok(web::Json(revisions::list(&mut conn, case_study.id).await?))
}

/// One revision, with the whole document as it then stood.
#[utoipa::path(
    tag = "case-studies",
    params(
        ("id" = Uuid, Path, description = "The case study's id"),
        ("number" = i32, Path, description = "The revision number", minimum = 1),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The revision", body = Revision),
        RestrictedReadProblems,
    )
)]
#[get("/case-studies/{id}/revisions/{number}")]
pub async fn get_revision(
    state: web::Data<AppState>,
    Editor(principal): Editor,
    path: web::Path<(String, String)>,
) -> Result<web::Json<Revision>, ApiError> {
    let (id, number) = path.into_inner();
    let mut conn = state.db().await?;
    let case_study = readable_history(&mut conn, &principal, &id).await?;
    Ok(web::Json(
        revision(&mut conn, case_study.id, &number).await?,
    ))
}

query_params! {
    /// Which two revisions to compare.
    pub struct DiffParams {
        /// The older revision.
        #[param(minimum = 1)]
        pub from: i32,
        /// The newer revision.
        #[param(minimum = 1)]
        pub to: i32,
    }
}

/// What changed between two revisions, field by field.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionDiff {
    pub from: i32,
    pub to: i32,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldChange {
    /// The field, in `a.b[0].c` form, e.g. `title` or `outcomes[1].metric.value`.
    #[schema(example = "title")]
    pub field: String,
    /// The value in the older revision (null when absent).
    pub from: Value,
    /// The value in the newer revision (null when absent).
    pub to: Value,
}

/// Compare two revisions field by field.
#[utoipa::path(
    tag = "case-studies",
    params(("id" = Uuid, Path, description = "The case study's id"), DiffParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The differences", body = RevisionDiff),
        Problems<(BadRequest, Unauthorized, Forbidden, NotFound, ServiceUnavailable)>,
    )
)]
#[get("/case-studies/{id}/diff")]
pub async fn diff_revisions(
    state: web::Data<AppState>,
    Editor(principal): Editor,
    id: web::Path<String>,
    Params(DiffParams { from, to }): Params<DiffParams>,
) -> Result<web::Json<RevisionDiff>, ApiError> {
    let mut conn = state.db().await?;
    Ok(web::Json(diff(&mut conn, &principal, &id, from, to).await?))
}

/// Two revisions of a case study compared field by field, if this user may read its history.
pub async fn diff(
    conn: &mut PgConnection,
    principal: &Principal,
    id: &str,
    from: i32,
    to: i32,
) -> Result<RevisionDiff, ApiError> {
    let case_study = readable_history(conn, principal, id).await?;
    let older = revision(conn, case_study.id, &from.to_string()).await?;
    let newer = revision(conn, case_study.id, &to.to_string()).await?;
    let mut changes = Vec::new();
    let older = serde_json::to_value(&older.document).map_err(anyhow::Error::from)?;
    let newer = serde_json::to_value(&newer.document).map_err(anyhow::Error::from)?;
    compare(String::new(), &older, &newer, &mut changes);
    Ok(RevisionDiff { from, to, changes })
}

/// Restore an earlier revision: its document becomes a new revision (the history keeps
/// everything in between). Same rules as a replace, `If-Match` included.
#[utoipa::path(
    tag = "case-studies",
    params(
        ("id" = Uuid, Path, description = "The case study's id"),
        ("number" = i32, Path, description = "The revision to restore", minimum = 1),
        ("If-Match" = String, Header, description = "The `ETag` of the current version"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Restored as a new revision", body = crate::domain::case_study::CaseStudy, headers(
            ("ETag" = String, description = "The new version"),
        )),
        Problems<(BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, UnprocessableEntity, PreconditionRequired, TooManyRequests, ServiceUnavailable)>,
    )
)]
#[post("/case-studies/{id}/revisions/{number}/restore")]
pub async fn restore_revision(
    state: web::Data<AppState>,
    request: HttpRequest,
    Editor(principal): Editor,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, number) = path.into_inner();
    let id = case_study_id(&id)?;
    let number = number.parse().map_err(|_| ApiError::NotFound("revision"))?;
    state.limits.writes.check(&principal.rate_key())?;
    apply(&state, &request, &principal, id, Change::Restore { number }).await
}

/// Review comments on a case study, oldest first; every partner's editors see them.
#[utoipa::path(
    tag = "case-studies",
    params(("id" = Uuid, Path, description = "The case study's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The comments, oldest first", body = Vec<Comment>),
        RestrictedReadProblems,
    )
)]
#[get("/case-studies/{id}/comments")]
pub async fn list_comments(
    state: web::Data<AppState>,
    Editor(principal): Editor,
    id: web::Path<String>,
) -> Result<web::Json<Vec<Comment>>, ApiError> {
    let mut conn = state.db().await?;
    let case_study = readable_history(&mut conn, &principal, &id).await?;
    Ok(web::Json(
        revisions::comments(&mut conn, case_study.id).await?,
    ))
}

/// The case study, if the principal may read its history.
async fn readable_history(
    conn: &mut PgConnection,
    principal: &Principal,
    id: &str,
) -> Result<CaseStudyState, ApiError> {
    let found = case_studies::state(conn, &CaseStudyKey::Id(case_study_id(id)?))
        .await?
        .ok_or(ApiError::NotFound("case study"))?;
    Rights {
        principal: Some(principal),
        membership: &found.membership,
        lifecycle: found.lifecycle(),
    }
    .may_read_history()?;
    Ok(found)
}

async fn revision(conn: &mut PgConnection, id: Uuid, number: &str) -> Result<Revision, ApiError> {
    let number: i32 = number.parse().map_err(|_| ApiError::NotFound("revision"))?;
    revisions::get(conn, id, number)
        .await?
        .ok_or(ApiError::NotFound("revision"))
}

/// Bookkeeping that changes with every revision, and so says nothing about the content.
const UNCOMPARED: [&str; 3] = ["version", "published_version", "updated_at"];

/// Walks two documents together, recording each leaf that differs. Lists of the same
/// length are compared item by item; otherwise the whole list is one change.
fn compare(path: String, older: &Value, newer: &Value, changes: &mut Vec<FieldChange>) {
    match (older, newer) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                if path.is_empty() && UNCOMPARED.contains(&key.as_str()) {
                    continue;
                }
                let field = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                compare(
                    field,
                    a.get(key).unwrap_or(&Value::Null),
                    b.get(key).unwrap_or(&Value::Null),
                    changes,
                );
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(format!("{path}[{i}]"), x, y, changes);
            }
        }
        _ if older != newer => changes.push(FieldChange {
            field: path,
            from: older.clone(),
            to: newer.clone(),
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_diff_names_each_changed_leaf() {
        let older = json!({"title": "A", "version": 1, "quadrants": ["co-design"], "outcomes": [{"description": "x", "metric": null}]});
        let newer = json!({"title": "B", "version": 2, "quadrants": ["co-design", "co-delivery"], "outcomes": [{"description": "x", "metric": {"value": 3}}]});
        let mut changes = Vec::new();
        compare(String::new(), &older, &newer, &mut changes);
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["outcomes[0].metric", "quadrants", "title"]);
    }
}
