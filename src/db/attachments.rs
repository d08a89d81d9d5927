//! Queries on `attachments` and `attachment_chunks`: a case study's files, a chunk at a time.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use diesel::prelude::{ExpressionMethods, OptionalExtension, QueryDsl, Queryable};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::PgConnection;
use super::schema::{attachment_chunks, attachments};
use crate::domain::attachment::{Attachment, FileType, NewAttachment};
use crate::error::ApiError;

/// Files are written and read in chunks of this many bytes.
pub const CHUNK_BYTES: usize = 256 * 1024;

#[derive(Queryable)]
struct AttachmentRow {
    id: Uuid,
    filename: String,
    title: Option<String>,
    media_type: String,
    alt: Option<String>,
    consent: bool,
    published: bool,
    size: i64,
    sha256: Vec<u8>,
    created_at: DateTime<Utc>,
}

type Columns = (
    attachments::id,
    attachments::filename,
    attachments::title,
    attachments::media_type,
    attachments::alt,
    attachments::consent,
    attachments::published,
    attachments::size,
    attachments::sha256,
    attachments::created_at,
);

const COLUMNS: Columns = (
    attachments::id,
    attachments::filename,
    attachments::title,
    attachments::media_type,
    attachments::alt,
    attachments::consent,
    attachments::published,
    attachments::size,
    attachments::sha256,
    attachments::created_at,
);

impl AttachmentRow {
    fn into_attachment(self) -> Result<Attachment, ApiError> {
        let media_type = FileType::declared(&self.media_type).ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!("stored media type {}", self.media_type))
        })?;
        Ok(Attachment {
            id: self.id,
            filename: self.filename,
            title: self.title,
            media_type,
            alt: self.alt,
            consent: self.consent,
            published: self.published,
            size: self.size,
            sha256: self.sha256.iter().map(|b| format!("{b:02x}")).collect(),
            created_at: self.created_at,
        })
    }
}

/// A file about to be written.
pub struct NewFile<'a> {
    pub id: Uuid,
    pub case_study_id: Uuid,
    pub attachment: &'a NewAttachment,
    pub author_id: Option<Uuid>,
    pub at: DateTime<Utc>,
}

/// Records a file before its chunks; `complete` gives its size and hash once they are all
/// written (in the same transaction).
pub async fn insert(conn: &mut PgConnection, written: &NewFile<'_>) -> Result<(), ApiError> {
    let attachment = written.attachment;
    diesel::insert_into(attachments::table)
        .values((
            attachments::id.eq(written.id),
            attachments::case_study_id.eq(written.case_study_id),
            attachments::filename.eq(&attachment.filename),
            attachments::title.eq(&attachment.title),
            attachments::media_type.eq(attachment.file_type.media_type()),
            attachments::alt.eq(&attachment.alt),
            attachments::consent.eq(attachment.consent),
            attachments::size.eq(0),
            attachments::sha256.eq(&[0u8; 32][..]),
            attachments::author_id.eq(written.author_id),
            attachments::created_at.eq(written.at),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn complete(
    conn: &mut PgConnection,
    id: Uuid,
    size: i64,
    sha256: [u8; 32],
) -> Result<(), ApiError> {
    diesel::update(attachments::table.find(id))
        .set((
            attachments::size.eq(size),
            attachments::sha256.eq(&sha256[..]),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_chunk(
    conn: &mut PgConnection,
    id: Uuid,
    position: i32,
    bytes: &[u8],
) -> Result<(), ApiError> {
    diesel::insert_into(attachment_chunks::table)
        .values((
            attachment_chunks::attachment_id.eq(id),
            attachment_chunks::position.eq(position),
            attachment_chunks::bytes.eq(bytes),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Overwrites four bytes of a written file (a header that could only be known at the end).
pub async fn patch(
    conn: &mut PgConnection,
    id: Uuid,
    offset: u64,
    bytes: [u8; 4],
) -> Result<(), ApiError> {
    let position = (offset / CHUNK_BYTES as u64) as i32;
    let within = (offset % CHUNK_BYTES as u64) as i32 + 1;
    diesel::sql_query(
        "UPDATE attachment_chunks SET bytes = overlay(bytes placing $1 from $2 for 4)
         WHERE attachment_id = $3 AND position = $4",
    )
    .bind::<diesel::sql_types::Bytea, _>(&bytes[..])
    .bind::<diesel::sql_types::Integer, _>(within)
    .bind::<diesel::sql_types::Uuid, _>(id)
    .bind::<diesel::sql_types::Integer, _>(position)
    .execute(conn)
    .await?;
    Ok(())
}

/// A case study's files, oldest first.
pub async fn list(
    conn: &mut PgConnection,
    case_study_id: Uuid,
) -> Result<Vec<Attachment>, ApiError> {
    attachments::table
        .filter(attachments::case_study_id.eq(case_study_id))
        .order((attachments::created_at, attachments::id))
        .select(COLUMNS)
        .load::<AttachmentRow>(conn)
        .await?
        .into_iter()
        .map(AttachmentRow::into_attachment)
        .collect()
}

pub async fn get(
    conn: &mut PgConnection,
    case_study_id: Uuid,
    id: Uuid,
) -> Result<Option<Attachment>, ApiError> {
    attachments::table
        .filter(attachments::case_study_id.eq(case_study_id))
        .filter(attachments::id.eq(id))
        .select(COLUMNS)
        .first::<AttachmentRow>(conn)
        .await
        .optional()?
        .map(AttachmentRow::into_attachment)
        .transpose()
}

/// One chunk of a file, if it has that many.
pub async fn chunk(
    conn: &mut PgConnection,
    id: Uuid,
    position: i32,
) -> Result<Option<Vec<u8>>, ApiError> {
    Ok(attachment_chunks::table
        .filter(attachment_chunks::attachment_id.eq(id))
        .filter(attachment_chunks::position.eq(position))
        .select(attachment_chunks::bytes)
        .first(conn)
        .await
        .optional()?)
}

/// Removes a file and its chunks; false when there was none.
pub async fn delete(
    conn: &mut PgConnection,
    case_study_id: Uuid,
    id: Uuid,
) -> Result<bool, ApiError> {
    let deleted = diesel::delete(
        attachments::table
            .filter(attachments::case_study_id.eq(case_study_id))
            .filter(attachments::id.eq(id)),
    )
    .execute(conn)
    .await?;
    Ok(deleted == 1)
}

/// Every file of a case study goes public with its publication.
pub async fn publish(conn: &mut PgConnection, case_study_id: Uuid) -> Result<(), ApiError> {
    diesel::update(
        attachments::table
            .filter(attachments::case_study_id.eq(case_study_id))
            .filter(attachments::published.eq(false)),
    )
    .set(attachments::published.eq(true))
    .execute(conn)
    .await?;
    Ok(())
}

/// Which of these case studies have an evaluation report (a PDF) attached.
pub async fn with_reports(
    conn: &mut PgConnection,
    case_study_ids: &[Uuid],
) -> Result<HashSet<Uuid>, ApiError> {
    Ok(attachments::table
        .filter(attachments::case_study_id.eq_any(case_study_ids))
        .filter(attachments::media_type.eq(FileType::Pdf.media_type()))
        .select(attachments::case_study_id)
        .distinct()
        .load::<Uuid>(conn)
        .await?
        .into_iter()
        .collect())
}
