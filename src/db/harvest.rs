//! What OAI-PMH harvesters list: each case study that has ever been public, once, at its
//! newest public change-log entry, in entry order. A change moves a case study to the end,
//! so a harvest that pages through the list while case studies change misses none.

use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::PgConnection;
use crate::error::ApiError;

/// A case study as harvesters see it.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct Listed {
    /// Its newest public entry, where the next page starts after.
    #[diesel(sql_type = BigInt)]
    pub seq: i64,
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    /// When that entry was written.
    #[diesel(sql_type = Timestamptz)]
    pub datestamp: DateTime<Utc>,
    /// Public now; otherwise withdrawn.
    #[diesel(sql_type = Bool)]
    pub live: bool,
}

/// A set: one of the case study's columns, or an organisation it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetKind {
    Quadrant,
    Sector,
    Country,
    Organisation,
}

impl SetKind {
    fn code(self) -> &'static str {
        match self {
            Self::Quadrant => "quadrant",
            Self::Sector => "sector",
            Self::Country => "country",
            Self::Organisation => "organisation",
        }
    }
}

/// Which case studies a page takes.
pub struct Page<'a> {
    pub after: i64,
    /// Entries beyond this one may still be joined by late commits below them.
    pub settled: i64,
    pub from: Option<DateTime<Utc>>,
    pub before: Option<DateTime<Utc>>,
    /// The kind of set and the code (or slug) it is for.
    pub set: Option<(SetKind, &'a str)>,
    pub only: Option<Uuid>,
    pub limit: i64,
}

pub async fn list(conn: &mut PgConnection, page: &Page<'_>) -> Result<Vec<Listed>, ApiError> {
    let (kind, value) = match page.set {
        Some((kind, value)) => (Some(kind.code()), Some(value)),
        None => (None, None),
    };
    Ok(diesel::sql_query(
        "SELECT c.seq, c.entity_id AS id, c.occurred_at AS datestamp, cs.status = 'published' AS live
         FROM change_log c JOIN case_studies cs ON cs.id = c.entity_id
         WHERE c.public AND c.entity = 'case-study' AND c.seq > $1 AND c.seq <= $2
           AND NOT EXISTS (
             SELECT 1 FROM change_log n
             WHERE n.public AND n.entity = 'case-study' AND n.entity_id = c.entity_id
               AND n.seq > c.seq AND n.seq <= $2)
           AND ($3::timestamptz IS NULL OR c.occurred_at >= $3)
           AND ($4::timestamptz IS NULL OR c.occurred_at < $4)
           AND ($5::uuid IS NULL OR c.entity_id = $5)
           AND CASE $6::text
             WHEN 'quadrant' THEN $7 = ANY(cs.quadrants)
             WHEN 'sector' THEN cs.sector = $7
             WHEN 'country' THEN cs.country = $7
             WHEN 'organisation' THEN EXISTS (
               SELECT 1 FROM organisations o
               WHERE o.slug = $7 AND (o.id = cs.owner_id OR EXISTS (
                 SELECT 1 FROM case_study_partners p
                 WHERE p.case_study_id = cs.id AND p.organisation_id = o.id)))
             ELSE true
           END
         ORDER BY c.seq
         LIMIT $8",
    )
    .bind::<BigInt, _>(page.after)
    .bind::<BigInt, _>(page.settled)
    .bind::<Nullable<Timestamptz>, _>(page.from)
    .bind::<Nullable<Timestamptz>, _>(page.before)
    .bind::<Nullable<SqlUuid>, _>(page.only)
    .bind::<Nullable<Text>, _>(kind)
    .bind::<Nullable<Text>, _>(value)
    .bind::<BigInt, _>(page.limit)
    .load(conn)
    .await?)
}

/// When the first case study was made public, if one ever was.
pub async fn earliest(conn: &mut PgConnection) -> Result<Option<DateTime<Utc>>, ApiError> {
    #[derive(diesel::QueryableByName)]
    struct Earliest {
        #[diesel(sql_type = Nullable<Timestamptz>)]
        at: Option<DateTime<Utc>>,
    }
    let found: Earliest = diesel::sql_query(
        "SELECT min(occurred_at) AS at FROM change_log WHERE public AND entity = 'case-study'",
    )
    .get_result(conn)
    .await?;
    Ok(found.at)
}

/// Organisations named on public case studies, by slug, with their names.
pub async fn organisations(conn: &mut PgConnection) -> Result<Vec<(String, String)>, ApiError> {
    #[derive(diesel::QueryableByName)]
    struct Named {
        #[diesel(sql_type = Text)]
        slug: String,
        #[diesel(sql_type = Text)]
        name: String,
    }
    let named: Vec<Named> = diesel::sql_query(
        "SELECT o.slug, o.name FROM organisations o
         WHERE EXISTS (SELECT 1 FROM case_studies cs WHERE cs.status = 'published' AND (
           cs.owner_id = o.id OR EXISTS (
             SELECT 1 FROM case_study_partners p
             WHERE p.case_study_id = cs.id AND p.organisation_id = o.id)))
         ORDER BY o.slug",
    )
    .load(conn)
    .await?;
    Ok(named.into_iter().map(|n| (n.slug, n.name)).collect())
}
