//! Queries on `audit_events`: the security and editorial trail.

use chrono::{DateTime, Utc};
use diesel::prelude::{ExpressionMethods, QueryDsl, Queryable, Selectable, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::PgConnection;
use super::schema::audit_events;
use crate::domain::vocabulary::AuditKind;
use crate::error::ApiError;

/// Something that happened, as it is recorded.
#[derive(Debug, Default)]
pub struct AuditEvent {
    pub actor_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub organisation_id: Option<Uuid>,
    pub case_study_id: Option<Uuid>,
    pub client: Option<String>,
    pub detail: Option<serde_json::Value>,
    pub api_key_id: Option<Uuid>,
}

/// An entry of the audit trail.
#[derive(Debug, Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = audit_events, check_for_backend(diesel::pg::Pg))]
pub struct AuditEntry {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub kind: AuditKind,
    /// The user who acted, when there was one.
    pub actor_id: Option<Uuid>,
    /// The account concerned (for logins, the account tried).
    pub user_id: Option<Uuid>,
    pub organisation_id: Option<Uuid>,
    pub case_study_id: Option<Uuid>,
    /// The client's network address.
    pub client: Option<String>,
    pub detail: serde_json::Value,
    /// The API key the user acted through, when they did.
    pub api_key_id: Option<Uuid>,
}

pub async fn record(
    conn: &mut PgConnection,
    kind: AuditKind,
    event: AuditEvent,
) -> Result<(), ApiError> {
    record_all(conn, vec![(kind, event)]).await
}

pub async fn record_all(
    conn: &mut PgConnection,
    events: Vec<(AuditKind, AuditEvent)>,
) -> Result<(), ApiError> {
    let rows: Vec<_> = events
        .into_iter()
        .map(|(kind, event)| {
            (
                audit_events::kind.eq(kind),
                audit_events::actor_id.eq(event.actor_id),
                audit_events::user_id.eq(event.user_id),
                audit_events::organisation_id.eq(event.organisation_id),
                audit_events::case_study_id.eq(event.case_study_id),
                audit_events::client.eq(event.client),
                audit_events::api_key_id.eq(event.api_key_id),
                audit_events::detail.eq(event.detail.unwrap_or_else(|| serde_json::json!({}))),
            )
        })
        .collect();
    for rows in super::in_statements(rows) {
        diesel::insert_into(audit_events::table)
            .values(rows)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Newest first, before the entry id given.
pub async fn list(
    conn: &mut PgConnection,
    kinds: &[AuditKind],
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEntry>, ApiError> {
    let mut query = audit_events::table
        .select(AuditEntry::as_select())
        .order(audit_events::id.desc())
        .limit(limit)
        .into_boxed();
    if !kinds.is_empty() {
        query = query.filter(audit_events::kind.eq_any(kinds));
    }
    if let Some(before) = before {
        query = query.filter(audit_events::id.lt(before));
    }
    Ok(query.load(conn).await?)
}
