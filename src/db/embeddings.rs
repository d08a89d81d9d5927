//! Queries on `case_study_embeddings`: what search by meaning is built from.

use diesel::sql_types::{Array, Binary, Integer, Text, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::PgConnection;
use crate::error::ApiError;

/// A case study's vector, by the document number the search index knows it by.
#[derive(Debug, diesel::QueryableByName)]
pub struct StoredVector {
    #[diesel(sql_type = Integer)]
    pub doc: i32,
    #[diesel(sql_type = SqlUuid)]
    pub case_study_id: Uuid,
    #[diesel(sql_type = Binary)]
    pub text_hash: Vec<u8>,
    #[diesel(sql_type = Binary)]
    pub vector: Vec<u8>,
}

/// Every vector of this model.
pub async fn all(conn: &mut PgConnection, model: &str) -> Result<Vec<StoredVector>, ApiError> {
    Ok(diesel::sql_query(
        "SELECT sd.doc, e.case_study_id, e.text_hash, e.vector
         FROM case_study_embeddings e
         JOIN search_documents sd ON sd.case_study_id = e.case_study_id
         WHERE e.model = $1",
    )
    .bind::<Text, _>(model)
    .load(conn)
    .await?)
}

/// The text a case study is embedded from: its title, summary and the start of its
/// narrative (the model reads no further than its window anyway).
#[derive(Debug, diesel::QueryableByName)]
pub struct SourceText {
    #[diesel(sql_type = Integer)]
    pub doc: i32,
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Integer)]
    pub version: i32,
    #[diesel(sql_type = Text)]
    pub text: String,
}

const SOURCE: &str = "SELECT sd.doc, cs.id, cs.live_version AS version,
        left(concat_ws(' ', cs.title || '.', cs.summary, cs.you_asked, cs.we_said, cs.we_did), 700) AS text
     FROM case_studies cs JOIN search_documents sd ON sd.case_study_id = cs.id";

pub async fn texts(conn: &mut PgConnection, ids: &[Uuid]) -> Result<Vec<SourceText>, ApiError> {
    Ok(diesel::sql_query(format!("{SOURCE} WHERE cs.id = ANY($1)"))
        .bind::<Array<SqlUuid>, _>(ids)
        .load(conn)
        .await?)
}

/// Live records with no vector of this model for their current version.
pub async fn stale(conn: &mut PgConnection, model: &str) -> Result<Vec<Uuid>, ApiError> {
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
    }
    let ids: Vec<Id> = diesel::sql_query(
        "SELECT cs.id FROM case_studies cs
         LEFT JOIN case_study_embeddings e ON e.case_study_id = cs.id
         WHERE e.case_study_id IS NULL OR e.model <> $1 OR e.source_version <> cs.live_version",
    )
    .bind::<Text, _>(model)
    .load(conn)
    .await?;
    Ok(ids.into_iter().map(|row| row.id).collect())
}

pub async fn store(
    conn: &mut PgConnection,
    source: &SourceText,
    model: &str,
    text_hash: &[u8],
    vector: &[u8],
) -> Result<(), ApiError> {
    diesel::sql_query(
        "INSERT INTO case_study_embeddings (case_study_id, model, text_hash, source_version, vector)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (case_study_id) DO UPDATE
         SET model = EXCLUDED.model, text_hash = EXCLUDED.text_hash,
             source_version = EXCLUDED.source_version, vector = EXCLUDED.vector,
             embedded_at = now()",
    )
    .bind::<SqlUuid, _>(source.id)
    .bind::<Text, _>(model)
    .bind::<Binary, _>(text_hash)
    .bind::<Integer, _>(source.version)
    .bind::<Binary, _>(vector)
    .execute(conn)
    .await?;
    Ok(())
}
