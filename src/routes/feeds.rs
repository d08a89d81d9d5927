//! `/api/v1/changes` and `/api/v1/feed.atom`: what other systems follow to stay in step
//! with the public collection.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::query::{Params, query_params};
use crate::cursor::{decode_cursor, encode_cursor};
use crate::db::{changes, search as queries};
use crate::domain::vocabulary::{ChangeKind, Status};
use crate::error::ApiError;
use crate::insight::atom;
use crate::openapi::{BadRequest, Problems, ServiceUnavailable};
use crate::search::SearchRequest;
use crate::state::AppState;

/// A change to the public collection.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeEvent {
    /// Resume the feed from just after this event by passing it as `since`.
    pub cursor: String,
    /// `published` (new to the public), `updated` (a new revision replaced the public one) or
    /// `withdrawn` (gone from public view: mirrors should remove it).
    pub kind: ChangeKind,
    pub case_study: ChangedCaseStudy,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangedCaseStudy {
    pub id: Uuid,
    /// Its slug now (fetch `/api/v1/case-studies/{id}` for the document).
    pub slug: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeFeed {
    pub items: Vec<ChangeEvent>,
    /// Where to resume: pass as `since` next time (the same cursor when nothing happened).
    pub next_cursor: String,
}

query_params! {
    pub struct ChangeParams {
        /// `next_cursor` (or an event's `cursor`) from an earlier answer, as it was given (any
        /// other value is refused); absent: from the start.
        pub since: Option<String>,
        /// How many events at most (1-1000).
        #[param(minimum = 1, maximum = 1000, default = 100)]
        pub limit: Option<u32>,
    }
}

/// Publications, updates and withdrawals of published case studies, in order, each exactly
/// once, resumable from any cursor: what a mirror needs to stay in step.
#[utoipa::path(
    tag = "feeds",
    params(ChangeParams),
    responses(
        (status = 200, description = "The next events", body = ChangeFeed),
        Problems<(BadRequest, ServiceUnavailable)>,
    )
)]
#[get("/changes")]
pub async fn changes_feed(
    state: web::Data<AppState>,
    Params(ChangeParams { since, limit }): Params<ChangeParams>,
) -> Result<web::Json<ChangeFeed>, ApiError> {
    let after: i64 = match since.as_deref() {
        Some(cursor) => match decode_cursor::<i64>(cursor) {
            Ok(seq) if seq >= 0 => seq,
            _ => {
                return Err(ApiError::invalid_parameter(
                    "since",
                    "is not a cursor this service issued",
                ));
            }
        },
        None => 0,
    };
    let limit = usize::try_from(limit.unwrap_or(100)).unwrap_or(usize::MAX);
    let mut conn = state.read_db(None).await?;
    // Changes the public never saw are passed over, so reading goes on until the page is
    // full or the log (as far as it is settled) is read.
    let mut events = Vec::new();
    let mut next = after;
    while events.len() < limit {
        let batch = changes::since(&mut conn, next, limit as i64, true).await?;
        if batch.through == next {
            break;
        }
        next = batch.through;
        for change in batch.changes {
            if events.len() == limit {
                // The page ends here: the next one starts just after its last event.
                next = events
                    .last()
                    .map_or(next, |last: &changes::Change| last.seq);
                break;
            }
            events.push(change);
        }
    }
    let ids: Vec<Uuid> = events.iter().map(|c| c.entity_id).collect();
    let slugs = queries::slugs(&mut conn, &ids).await?;
    let next_cursor = encode_cursor(&next);
    Ok(web::Json(ChangeFeed {
        items: events
            .into_iter()
            .map(|change| ChangeEvent {
                cursor: encode_cursor(&change.seq),
                kind: change.kind,
                case_study: ChangedCaseStudy {
                    id: change.entity_id,
                    slug: slugs.get(&change.entity_id).cloned(),
                },
                occurred_at: change.occurred_at,
            })
            .collect(),
        next_cursor,
    }))
}

/// The newest published case studies, as an Atom feed.
#[utoipa::path(
    tag = "feeds",
    responses(
        (status = 200, description = "The feed", content_type = "application/atom+xml", body = String),
        Problems<(ServiceUnavailable,)>,
    )
)]
#[get("/feed.atom")]
pub async fn atom_feed(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let request = SearchRequest {
        limit: 20,
        statuses: vec![Status::Published],
        ..SearchRequest::default()
    };
    let results = state.search.search(&request, None).await?;
    let entries: Vec<atom::Entry> = results
        .items
        .into_iter()
        .map(|item| atom::Entry {
            published: item.published_at.unwrap_or_default(),
            updated: item.updated_at,
            id: item.id,
            title: item.title,
            summary: item.summary,
            owner: item.owner.name,
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/atom+xml"))
        .body(atom::feed(&state.config.public_url(), &entries)))
}
