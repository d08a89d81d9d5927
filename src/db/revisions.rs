//! Queries on `case_study_revisions` and `case_study_comments`: the history of every case
//! study, each revision holding the whole document as it then stood.

use chrono::{DateTime, Utc};
use diesel::prelude::{
    ExpressionMethods, JoinOnDsl, NullableExpressionMethods, OptionalExtension, QueryDsl,
    Queryable, Selectable, SelectableHelper,
};
use diesel_async::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::PgConnection;
use super::schema::{case_study_comments, case_study_revisions, users};
use crate::domain::case_study::CaseStudy;
use crate::domain::vocabulary::Status;
use crate::error::ApiError;

/// One revision of a case study, without its document.
#[derive(Debug, Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = case_study_revisions, check_for_backend(diesel::pg::Pg))]
pub struct RevisionSummary {
    /// Revisions are numbered from 1; the number is the case study's `version` at the time.
    pub number: i32,
    pub status: Status,
    /// Why the change was made, when the editor said.
    pub message: Option<String>,
    pub created_at: DateTime<Utc>,
    pub author_id: Option<Uuid>,
    #[diesel(select_expression = users::email.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<users::email>)]
    pub author_email: Option<String>,
}

/// One revision with the whole document as it then stood.
#[derive(Debug, Serialize, ToSchema)]
pub struct Revision {
    #[serde(flatten)]
    pub summary: RevisionSummary,
    pub document: CaseStudy,
}

/// A reviewer's or editor's comment on a case study.
#[derive(Debug, Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = case_study_comments, check_for_backend(diesel::pg::Pg))]
pub struct Comment {
    pub id: Uuid,
    /// The revision the comment was made on.
    pub revision: i32,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub author_id: Option<Uuid>,
    #[diesel(select_expression = users::email.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<users::email>)]
    pub author_email: Option<String>,
}

pub async fn record(
    conn: &mut PgConnection,
    case_study: &CaseStudy,
    version: i32,
    author_id: Option<Uuid>,
    message: Option<&str>,
) -> Result<(), ApiError> {
    let revision = NewRevision {
        case_study,
        number: version,
        author_id,
        message,
    };
    record_all(conn, &[revision]).await
}

/// A revision to record: the whole document as it now stands.
pub struct NewRevision<'a> {
    pub case_study: &'a CaseStudy,
    pub number: i32,
    pub author_id: Option<Uuid>,
    pub message: Option<&'a str>,
}

pub async fn record_all(
    conn: &mut PgConnection,
    revisions: &[NewRevision<'_>],
) -> Result<(), ApiError> {
    let rows = revisions
        .iter()
        .map(|revision| {
            let document =
                serde_json::to_value(revision.case_study).map_err(anyhow::Error::from)?;
            Ok((
                case_study_revisions::case_study_id.eq(revision.case_study.id),
                case_study_revisions::number.eq(revision.number),
                case_study_revisions::status.eq(revision.case_study.status),
                case_study_revisions::document.eq(document),
                case_study_revisions::message.eq(revision.message),
                case_study_revisions::author_id.eq(revision.author_id),
            ))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    for rows in super::in_statements(rows) {
        diesel::insert_into(case_study_revisions::table)
            .values(rows)
            .execute(conn)
            .await?;
    }
    Ok(())
}

pub async fn list(
    conn: &mut PgConnection,
    case_study_id: Uuid,
) -> Result<Vec<RevisionSummary>, ApiError> {
    Ok(case_study_revisions::table
        .left_join(users::table.on(users::id.nullable().eq(case_study_revisions::author_id)))
        .filter(case_study_revisions::case_study_id.eq(case_study_id))
        .order(case_study_revisions::number.desc())
        .select(RevisionSummary::as_select())
        .load(conn)
        .await?)
}

pub async fn get(
    conn: &mut PgConnection,
    case_study_id: Uuid,
    number: i32,
) -> Result<Option<Revision>, ApiError> {
    let found: Option<(RevisionSummary, serde_json::Value)> = case_study_revisions::table
        .left_join(users::table.on(users::id.nullable().eq(case_study_revisions::author_id)))
        .filter(case_study_revisions::case_study_id.eq(case_study_id))
        .filter(case_study_revisions::number.eq(number))
        .select((RevisionSummary::as_select(), case_study_revisions::document))
        .first(conn)
        .await
        .optional()?;
    found
        .map(|(summary, document)| {
            let document = serde_json::from_value(document).map_err(|e| {
                anyhow::anyhow!("revision {number} of {case_study_id} does not parse: {e}")
            })?;
            Ok(Revision { summary, document })
        })
        .transpose()
}

/// The revisions the public was shown, one per publication, oldest first: each revision's
/// number and when it was published.
pub async fn publications(
    conn: &mut PgConnection,
    case_study_id: Uuid,
) -> Result<Vec<(i32, DateTime<Utc>)>, ApiError> {
    Ok(case_study_revisions::table
        .filter(case_study_revisions::case_study_id.eq(case_study_id))
        .filter(case_study_revisions::status.eq(Status::Published))
        .order(case_study_revisions::number.asc())
        .select((
            case_study_revisions::number,
            case_study_revisions::created_at,
        ))
        .load(conn)
        .await?)
}

/// For each case study, how many times it has been published and when it last was.
pub async fn publication_counts(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, (i64, DateTime<Utc>)>, ApiError> {
    #[derive(diesel::QueryableByName)]
    struct Published {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: Uuid,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
        #[diesel(sql_type = diesel::sql_types::Timestamptz)]
        latest: DateTime<Utc>,
    }
    let found: Vec<Published> = diesel::sql_query(
        "SELECT case_study_id AS id, count(*) AS count, max(created_at) AS latest
         FROM case_study_revisions
         WHERE status = 'published' AND case_study_id = ANY($1)
         GROUP BY case_study_id",
    )
    .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(ids)
    .load(conn)
    .await?;
    Ok(found
        .into_iter()
        .map(|p| (p.id, (p.count, p.latest)))
        .collect())
}

pub async fn add_comment(
    conn: &mut PgConnection,
    case_study_id: Uuid,
    revision: i32,
    author_id: Uuid,
    body: &str,
) -> Result<(), ApiError> {
    diesel::insert_into(case_study_comments::table)
        .values((
            case_study_comments::id.eq(Uuid::now_v7()),
            case_study_comments::case_study_id.eq(case_study_id),
            case_study_comments::revision.eq(revision),
            case_study_comments::author_id.eq(author_id),
            case_study_comments::body.eq(body),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn comments(
    conn: &mut PgConnection,
    case_study_id: Uuid,
) -> Result<Vec<Comment>, ApiError> {
    Ok(case_study_comments::table
        .left_join(users::table.on(users::id.nullable().eq(case_study_comments::author_id)))
        .filter(case_study_comments::case_study_id.eq(case_study_id))
        .order(case_study_comments::created_at.asc())
        .select(Comment::as_select())
        .load(conn)
        .await?)
}
