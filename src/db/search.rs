//! Queries behind search: document numbers, and the rows (with their texts) the service's
//! search index is built from.

use chrono::{DateTime, Utc};
use diesel::sql_types::{
    Array, Bool, Integer, Nullable, SmallInt, Text, Timestamptz, Uuid as SqlUuid,
};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::{PgConnection, Prepared};
use crate::domain::vocabulary::{
    Country, OrganisationKind, OutcomeCategory, PartnerRole, Scale, Sector, Status,
};
use crate::error::ApiError;

/// Gives case studies their document numbers, the dense integers the search index knows
/// them by, where they have none yet. Runs inside every transaction that changes a live
/// record.
pub async fn number(conn: &mut PgConnection, case_studies: &[Uuid]) -> Result<(), ApiError> {
    Prepared::new(
        "INSERT INTO search_documents (case_study_id) SELECT unnest($1::uuid[])
         ON CONFLICT (case_study_id) DO NOTHING",
        |query| query.bind::<Array<SqlUuid>, _>(case_studies),
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A live record, as the search index holds it.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct IndexRow {
    #[diesel(sql_type = Integer)]
    pub doc: i32,
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub slug: String,
    #[diesel(sql_type = Text)]
    pub status: Status,
    #[diesel(sql_type = SqlUuid)]
    pub owner_id: Uuid,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub summary: String,
    #[diesel(sql_type = Array<Text>)]
    pub quadrants: Vec<crate::domain::vocabulary::StarQuadrant>,
    #[diesel(sql_type = Array<Text>)]
    pub journey_steps: Vec<crate::domain::vocabulary::JourneyStep>,
    #[diesel(sql_type = Array<Text>)]
    pub coproduction_values: Vec<crate::domain::vocabulary::CoproductionValue>,
    #[diesel(sql_type = Text)]
    pub scale: Scale,
    #[diesel(sql_type = Text)]
    pub sector: Sector,
    #[diesel(sql_type = Nullable<Text>)]
    pub locality: Option<String>,
    #[diesel(sql_type = Text)]
    pub country: Country,
    #[diesel(sql_type = Nullable<SmallInt>)]
    pub start_year: Option<i16>,
    #[diesel(sql_type = Nullable<SmallInt>)]
    pub end_year: Option<i16>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    pub updated_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub published_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Array<SqlUuid>)]
    pub partner_ids: Vec<Uuid>,
    #[diesel(sql_type = Array<Text>)]
    pub partner_roles: Vec<PartnerRole>,
    #[diesel(sql_type = Array<Text>)]
    pub outcomes: Vec<OutcomeCategory>,
    #[diesel(sql_type = Integer)]
    pub outcome_count: i32,
    #[diesel(sql_type = Bool)]
    pub measured_outcome: bool,
    /// Which of you_asked, we_said, we_did, what_worked, could_improve are written, as bits.
    #[diesel(sql_type = Integer)]
    pub narrative: i32,
    #[diesel(sql_type = Array<Text>)]
    pub assessment_questions: Vec<crate::domain::vocabulary::AssessmentQuestion>,
    #[diesel(sql_type = Array<Text>)]
    pub assessment_answers: Vec<crate::domain::vocabulary::AssessmentAnswer>,
    /// The practice template's evidence level (1-5), evaluation, cost band and indicators.
    #[diesel(sql_type = Nullable<SmallInt>)]
    pub evidence_level: Option<i16>,
    #[diesel(sql_type = Nullable<Text>)]
    pub evaluation: Option<crate::domain::vocabulary::Evaluation>,
    #[diesel(sql_type = Text)]
    pub cost_band: crate::domain::vocabulary::CostBand,
    #[diesel(sql_type = Integer)]
    pub indicator_count: i32,
    #[diesel(sql_type = Bool)]
    pub has_costs: bool,
    #[diesel(sql_type = Bool)]
    pub has_savings: bool,
    /// Whether it has files the public may read, and an evaluation report (a PDF).
    #[diesel(sql_type = Bool)]
    pub has_attachments: bool,
    #[diesel(sql_type = Bool)]
    pub evaluation_report: bool,
    /// The narrative and the outcomes' descriptions, for the full-text index only; not read
    /// when that index already holds them.
    #[diesel(sql_type = Nullable<Text>)]
    pub body: Option<String>,
    /// The narrative field by field, as pages of results quote it (kept with the words, and
    /// read with the body).
    #[diesel(sql_type = Nullable<Text>)]
    pub you_asked: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub we_said: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub we_did: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub what_worked: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub could_improve: Option<String>,
}

/// The columns the index is built from, given what is read as the body; the statements
/// below differ in how they gather partners, outcomes and answers.
macro_rules! index_columns {
    ($body:expr) => {
        concat!(
        "
    SELECT sd.doc, cs.id, cs.slug, cs.status, cs.owner_id, cs.title, cs.summary, cs.quadrants,
           cs.journey_steps, cs.coproduction_values, cs.scale, cs.sector, cs.locality, cs.country,
           cs.start_year, cs.end_year, cs.created_at, cs.updated_at, cs.published_at,
           coalesce(p.ids, '{}') AS partner_ids, coalesce(p.roles, '{}') AS partner_roles,
           coalesce(o.categories, '{}') AS outcomes, coalesce(o.count, 0)::int AS outcome_count,
           coalesce(o.measured, false) AS measured_outcome,
           -- PostgreSQL gives | and << the same precedence: every shift in parentheses.
           (cs.you_asked IS NOT NULL)::int | ((cs.we_said IS NOT NULL)::int << 1)
             | ((cs.we_did IS NOT NULL)::int << 2) | ((cs.what_worked IS NOT NULL)::int << 3)
             | ((cs.could_improve IS NOT NULL)::int << 4) AS narrative,
           coalesce(sa.questions, '{}') AS assessment_questions,
           coalesce(sa.answers, '{}') AS assessment_answers,
           (cs.practice #>> '{evidence,level}')::smallint AS evidence_level,
           cs.practice #>> '{evidence,evaluation}' AS evaluation,
           coalesce(cs.practice ->> 'cost_band', 'none') AS cost_band,
           coalesce(jsonb_array_length(cs.practice -> 'indicators'), 0) AS indicator_count,
           coalesce(jsonb_array_length(cs.practice -> 'costs'), 0) > 0 AS has_costs,
           coalesce(jsonb_array_length(cs.practice -> 'savings'), 0) > 0 AS has_savings,
           EXISTS (SELECT 1 FROM attachments a WHERE a.case_study_id = cs.id
                   AND a.published AND (a.media_type NOT LIKE 'image/%' OR a.consent))
             AS has_attachments,
           EXISTS (SELECT 1 FROM attachments a WHERE a.case_study_id = cs.id
                   AND a.media_type = 'application/pdf') AS evaluation_report, ",
            $body,
            "\n"
        )
    };
}

macro_rules! body {
    () => {
        "concat_ws(' ', cs.you_asked, cs.we_said, cs.we_did, cs.what_worked, cs.could_improve,
                   o.descriptions) AS body,
           cs.you_asked, cs.we_said, cs.we_did, cs.what_worked, cs.could_improve"
    };
}

const INDEX_ROWS_BY_ID: &str = concat!(
    index_columns!(body!()),
    "    FROM case_studies cs
    JOIN search_documents sd ON sd.case_study_id = cs.id
    LEFT JOIN LATERAL (
        SELECT array_agg(organisation_id ORDER BY position) AS ids, array_agg(role ORDER BY position) AS roles
        FROM case_study_partners WHERE case_study_id = cs.id
    ) p ON true
    LEFT JOIN LATERAL (
        SELECT array_agg(DISTINCT category) AS categories, count(*) AS count,
               bool_or(metric_value IS NOT NULL) AS measured,
               string_agg(description, ' ' ORDER BY position) AS descriptions
        FROM case_study_outcomes WHERE case_study_id = cs.id
    ) o ON true
    LEFT JOIN LATERAL (
        SELECT array_agg(question) AS questions, array_agg(answer) AS answers
        FROM case_study_self_assessments WHERE case_study_id = cs.id
    ) sa ON true
    WHERE cs.id = ANY($1)"
);

/// These case studies (after a change), as the index holds them.
pub async fn index_rows(conn: &mut PgConnection, ids: &[Uuid]) -> Result<Vec<IndexRow>, ApiError> {
    Ok(Prepared::new(INDEX_ROWS_BY_ID, |query| {
        query.bind::<Array<SqlUuid>, _>(ids)
    })
    .load(conn)
    .await?)
}

macro_rules! all_index_rows_from {
    ($descriptions:expr) => {
        concat!(
            "    FROM case_studies cs
    JOIN search_documents sd ON sd.case_study_id = cs.id
    LEFT JOIN (
        SELECT case_study_id, array_agg(organisation_id ORDER BY position) AS ids,
               array_agg(role ORDER BY position) AS roles
        FROM case_study_partners GROUP BY case_study_id
    ) p ON p.case_study_id = cs.id
    LEFT JOIN (
        SELECT case_study_id, array_agg(DISTINCT category) AS categories, count(*) AS count,
               bool_or(metric_value IS NOT NULL) AS measured, ",
            $descriptions,
            "
        FROM case_study_outcomes GROUP BY case_study_id
    ) o ON o.case_study_id = cs.id
    LEFT JOIN (
        SELECT case_study_id, array_agg(question) AS questions, array_agg(answer) AS answers
        FROM case_study_self_assessments GROUP BY case_study_id
    ) sa ON sa.case_study_id = cs.id"
        )
    };
}

/// Every live record, streamed so the first build of the index never holds them all twice;
/// with their bodies when `bodies` (the longest texts by far). Whole-table aggregates here,
/// where a handful of records take per-record lookups.
pub async fn all_index_rows(
    conn: &mut PgConnection,
    bodies: bool,
) -> Result<impl futures_util::Stream<Item = Result<IndexRow, diesel::result::Error>> + '_, ApiError>
{
    let query = match bodies {
        true => concat!(
            index_columns!(body!()),
            all_index_rows_from!("string_agg(description, ' ' ORDER BY position) AS descriptions")
        ),
        false => concat!(
            index_columns!(
                "NULL::text AS body, NULL::text AS you_asked, NULL::text AS we_said,
           NULL::text AS we_did, NULL::text AS what_worked, NULL::text AS could_improve"
            ),
            all_index_rows_from!("NULL AS descriptions")
        ),
    };
    Ok(diesel::sql_query(query)
        .load_stream::<IndexRow>(conn)
        .await?)
}

/// An organisation, as the search index names it.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct OrganisationRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub slug: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub kind: OrganisationKind,
}

pub async fn organisation_rows(
    conn: &mut PgConnection,
    ids: Option<&[Uuid]>,
) -> Result<Vec<OrganisationRow>, ApiError> {
    Ok(match ids {
        None => {
            diesel::sql_query("SELECT id, slug, name, kind FROM organisations")
                .load(conn)
                .await?
        }
        Some(ids) => {
            Prepared::new(
                "SELECT id, slug, name, kind FROM organisations WHERE id = ANY($1)",
                |query| query.bind::<Array<SqlUuid>, _>(ids),
            )
            .load(conn)
            .await?
        }
    })
}

/// The current slugs of these case studies.
pub async fn slugs(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, String>, ApiError> {
    #[derive(diesel::QueryableByName)]
    struct Slug {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
        #[diesel(sql_type = Text)]
        slug: String,
    }
    let rows: Vec<Slug> = Prepared::new(
        "SELECT id, slug FROM case_studies WHERE id = ANY($1)",
        |query| query.bind::<Array<SqlUuid>, _>(ids),
    )
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|row| (row.id, row.slug)).collect())
}
