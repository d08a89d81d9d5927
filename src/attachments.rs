//! A case study's files: who may add, read and remove them, and the bytes streamed in and out
//! of the database a chunk at a time.

use std::time::Duration;

use actix_web::web::Bytes;
use chrono::{SubsecRound, Utc};
use diesel_async::AsyncConnection;
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::PgConnection;
use crate::db::attachments::{self, CHUNK_BYTES, NewFile};
use crate::db::case_studies::{self, CaseStudyKey, CaseStudyState};
use crate::domain::attachment::{
    Attachment, AttachmentInput, ByteRange, FileType, SNIFF_BYTES, Stripper, mismatch,
};
use crate::domain::user::{Actor, Principal};
use crate::domain::vocabulary::{AuditKind, ChangeKind, Status};
use crate::domain::workflow::Rights;
use crate::editorial;
use crate::error::ApiError;
use crate::state::AppState;

/// A client that stops sending for this long has its upload ended (and nothing kept).
const STALLED: Duration = Duration::from_secs(30);

/// Who is reading a case study's files, and so which of them they get.
enum Reader {
    /// Its editors and reviewers: every file.
    Editor,
    /// Everyone else, while it is published: files they may have (see `is_public`).
    Public,
}

async fn reader(
    conn: &mut PgConnection,
    viewer: Option<&Principal>,
    case_study: Uuid,
) -> Result<Reader, ApiError> {
    let state = case_studies::state(conn, &CaseStudyKey::Id(case_study))
        .await?
        .ok_or(ApiError::NotFound("case study"))?;
    let rights = Rights {
        principal: viewer,
        membership: &state.membership,
        lifecycle: state.lifecycle(),
    };
    if rights.sees_working_version() {
        Ok(Reader::Editor)
    } else if state.status == Status::Published {
        Ok(Reader::Public)
    } else {
        Err(ApiError::NotFound("case study"))
    }
}

fn readable(reader: &Reader, attachment: &Attachment) -> bool {
    matches!(reader, Reader::Editor) || attachment.is_public()
}

pub async fn list(
    state: &AppState,
    viewer: Option<&Principal>,
    case_study: Uuid,
) -> Result<Vec<Attachment>, ApiError> {
    let mut conn = state.read_db(viewer).await?;
    let reader = reader(&mut conn, viewer, case_study).await?;
    let all = attachments::list(&mut conn, case_study).await?;
    Ok(all.into_iter().filter(|a| readable(&reader, a)).collect())
}

/// One file's description, if this viewer may have it.
pub async fn describe(
    state: &AppState,
    viewer: Option<&Principal>,
    case_study: Uuid,
    id: Uuid,
) -> Result<Attachment, ApiError> {
    let mut conn = state.read_db(viewer).await?;
    let reader = reader(&mut conn, viewer, case_study).await?;
    attachments::get(&mut conn, case_study, id)
        .await?
        .filter(|a| readable(&reader, a))
        .ok_or(ApiError::NotFound("attachment"))
}

/// The bytes of `range` of a file (all of it for `None`), read a chunk at a time as the
/// client takes them.
pub fn bytes(
    state: actix_web::web::Data<AppState>,
    attachment: &Attachment,
    range: Option<ByteRange>,
) -> impl Stream<Item = Result<Bytes, ApiError>> + 'static {
    let id = attachment.id;
    let size = attachment.size as u64;
    let ByteRange { first, last } = range.unwrap_or(ByteRange {
        first: 0,
        last: size.saturating_sub(1),
    });
    let chunk = CHUNK_BYTES as u64;
    let positions = if size == 0 {
        0..0
    } else {
        (first / chunk) as i32..(last / chunk) as i32 + 1
    };
    futures_util::stream::iter(positions).then(move |position| {
        let state = state.clone();
        async move {
            let bytes = attachments::chunk(&mut *state.db().await?, id, position)
                .await?
                .ok_or_else(|| {
                    ApiError::Internal(anyhow::anyhow!("attachment {id} lacks a chunk"))
                })?;
            let start = u64::from(position as u32) * chunk;
            let from = first.saturating_sub(start) as usize;
            let to = ((last + 1).saturating_sub(start) as usize).min(bytes.len());
            Ok(Bytes::from(bytes).slice(from..to))
        }
    })
}

/// The case study a file is added to or removed from, if `principal` may edit it.
async fn editable(
    conn: &mut PgConnection,
    principal: &Principal,
    case_study: Uuid,
) -> Result<CaseStudyState, ApiError> {
    let found = case_studies::state(conn, &CaseStudyKey::Id(case_study))
        .await?
        .ok_or(ApiError::NotFound("case study"))?;
    let rights = Rights {
        principal: Some(principal),
        membership: &found.membership,
        lifecycle: found.lifecycle(),
    };
    rights.may_edit()?;
    Ok(found)
}

/// Takes a file for a case study from `body`: its type must be what it says, images lose
/// their metadata on the way in, and a refused or broken upload leaves nothing behind.
pub async fn upload<E: std::fmt::Display + 'static>(
    state: &AppState,
    principal: &Principal,
    actor: &Actor,
    case_study: Uuid,
    content_type: Option<&str>,
    input: AttachmentInput,
    mut body: impl Stream<Item = Result<Bytes, E>> + Unpin + 'static,
) -> Result<Attachment, ApiError> {
    let file_type = content_type
        .and_then(FileType::declared)
        .ok_or(ApiError::WrongFileType(format!(
            "send the file with its type in Content-Type: one of {}",
            FileType::ALL.map(FileType::media_type).join(", ")
        )))?;
    let new = input.parse(file_type).map_err(ApiError::Validation)?;
    let limit = state.config.max_attachment_bytes;
    // The request's body stays on its own thread; the transaction reads it through a
    // channel, a few pieces ahead at most.
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Result<Bytes, String>>(4);
    actix_web::rt::spawn(async move {
        while let Some(piece) = body.next().await {
            if sender.send(piece.map_err(|e| e.to_string())).await.is_err() {
                break;
            }
        }
    });
    let pieces = futures_util::stream::poll_fn(move |context| receiver.poll_recv(context));
    let mut conn = state.db().await?;
    let attachment = conn
        .transaction(async |conn| {
            let found = editable(conn, principal, case_study).await?;
            let id = Uuid::now_v7();
            let at = Utc::now().trunc_subsecs(6);
            let file = NewFile {
                id,
                case_study_id: case_study,
                attachment: &new,
                author_id: actor.user_id(),
                at,
            };
            attachments::insert(conn, &file).await?;
            let (size, sha256) = write_chunks(conn, id, file_type, limit, pieces).await?;
            attachments::complete(conn, id, size as i64, sha256).await?;
            editorial::audit(
                conn,
                AuditKind::AttachmentAdded,
                found.membership.owner_id,
                case_study,
                actor,
            )
            .await?;
            editorial::live_changed(conn, &[(case_study, ChangeKind::Changed)]).await?;
            attachments::get(conn, case_study, id)
                .await?
                .ok_or(ApiError::NotFound("attachment"))
        })
        .await?;
    state.search.refresh_after_write(&mut conn).await;
    Ok(attachment)
}

/// Writes the file's chunks; its size and SHA-256 as stored.
async fn write_chunks(
    conn: &mut PgConnection,
    id: Uuid,
    file_type: FileType,
    limit: u64,
    mut body: impl Stream<Item = Result<Bytes, String>> + Unpin,
) -> Result<(u64, [u8; 32]), ApiError> {
    let mut stripper = Stripper::new(file_type);
    let mut text = file_type.is_text().then(Utf8::default);
    let mut sniffed = Vec::with_capacity(SNIFF_BYTES);
    let mut pending: Vec<u8> = Vec::with_capacity(CHUNK_BYTES);
    let mut hasher = Sha256::new();
    let mut received = 0u64;
    let mut written = 0u64;
    let mut position = 0;
    loop {
        let piece = match tokio::time::timeout(STALLED, body.next()).await {
            Err(_) => return Err(ApiError::MalformedBody("the upload stalled".into())),
            Ok(None) => None,
            Ok(Some(Err(error))) => return Err(ApiError::MalformedBody(error)),
            Ok(Some(Ok(piece))) => Some(piece),
        };
        if let Some(piece) = &piece {
            received += piece.len() as u64;
            if received > limit {
                return Err(ApiError::PayloadTooLarge {
                    limit: limit as usize,
                });
            }
            if sniffed.len() < SNIFF_BYTES {
                let take = (SNIFF_BYTES - sniffed.len()).min(piece.len());
                sniffed.extend_from_slice(&piece[..take]);
            }
        }
        let whole = piece.is_none();
        if (sniffed.len() == SNIFF_BYTES || whole)
            && let Some(problem) = mismatch(file_type, FileType::sniff(&sniffed))
        {
            return Err(ApiError::WrongFileType(problem));
        }
        let Some(piece) = piece else { break };
        if let Some(text) = text.as_mut() {
            text.check(&piece)?;
        }
        match stripper.as_mut() {
            Some(stripper) => stripper
                .feed(&piece, &mut pending)
                .map_err(|_| malformed(file_type))?,
            None => pending.extend_from_slice(&piece),
        }
        while pending.len() >= CHUNK_BYTES {
            let rest = pending.split_off(CHUNK_BYTES);
            let full = std::mem::replace(&mut pending, rest);
            hasher.update(&full);
            written += full.len() as u64;
            attachments::insert_chunk(conn, id, position, &full).await?;
            position += 1;
        }
    }
    if received == 0 {
        return Err(ApiError::validation("body", "the file is empty"));
    }
    if let Some(text) = &text {
        text.finish()?;
    }
    if !pending.is_empty() {
        hasher.update(&pending);
        written += pending.len() as u64;
        attachments::insert_chunk(conn, id, position, &pending).await?;
    }
    let Some(stripper) = stripper else {
        return Ok((written, hasher.finalize().into()));
    };
    stripper.finish().map_err(|_| malformed(file_type))?;
    match stripper.patch() {
        None => Ok((written, hasher.finalize().into())),
        Some((offset, bytes)) => {
            // The header is only known now: the hash is of the file as it is stored.
            attachments::patch(conn, id, offset, bytes).await?;
            let mut hasher = Sha256::new();
            for position in 0.. {
                match attachments::chunk(conn, id, position).await? {
                    Some(chunk) => hasher.update(&chunk),
                    None => break,
                }
            }
            Ok((written, hasher.finalize().into()))
        }
    }
}

fn malformed(file_type: FileType) -> ApiError {
    ApiError::WrongFileType(format!(
        "the file is not a whole {} image",
        file_type.media_type()
    ))
}

/// Checks that a file sent as text is UTF-8 without control characters, across pieces.
#[derive(Default)]
struct Utf8 {
    /// The start of a character cut between pieces.
    carried: Vec<u8>,
}

impl Utf8 {
    fn check(&mut self, piece: &[u8]) -> Result<(), ApiError> {
        let mut bytes = std::mem::take(&mut self.carried);
        bytes.extend_from_slice(piece);
        let valid = match std::str::from_utf8(&bytes) {
            Ok(text) => text,
            // Only an incomplete character at the very end may wait for the next piece.
            Err(error) if error.error_len().is_none() => {
                let (text, rest) = bytes.split_at(error.valid_up_to());
                self.carried = rest.to_vec();
                std::str::from_utf8(text).expect("checked up to here")
            }
            Err(_) => return Err(not_text()),
        };
        if valid
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(not_text());
        }
        Ok(())
    }

    fn finish(&self) -> Result<(), ApiError> {
        if self.carried.is_empty() {
            Ok(())
        } else {
            Err(not_text())
        }
    }
}

fn not_text() -> ApiError {
    ApiError::WrongFileType("the file is not UTF-8 text".into())
}

/// Removes a file: its editors may, whatever its case study's status.
pub async fn remove(
    state: &AppState,
    principal: &Principal,
    actor: &Actor,
    case_study: Uuid,
    id: Uuid,
) -> Result<(), ApiError> {
    let mut conn = state.db().await?;
    conn.transaction(async |conn| {
        let found = editable(conn, principal, case_study).await?;
        if !attachments::delete(conn, case_study, id).await? {
            return Err(ApiError::NotFound("attachment"));
        }
        editorial::audit(
            conn,
            AuditKind::AttachmentRemoved,
            found.membership.owner_id,
            case_study,
            actor,
        )
        .await?;
        editorial::live_changed(conn, &[(case_study, ChangeKind::Changed)]).await
    })
    .await?;
    state.search.refresh_after_write(&mut conn).await;
    Ok(())
}
