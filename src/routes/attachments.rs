//! `/api/v1/case-studies/{id}/attachments`: evaluation reports, data and photos.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};

use super::case_studies::case_study_id;
use super::query::{Params, query_params};
use crate::attachments;
use crate::auth::{Editor, Viewer, client_address};
use crate::domain::attachment::{Attachment, AttachmentInput, byte_range};
use crate::domain::user::Actor;
use crate::error::ApiError;
use crate::openapi::{
    BadRequest, Forbidden, NotFound, PayloadTooLarge, Problems, RangeNotSatisfiable, ReadProblems,
    ServiceUnavailable, TooManyRequests, Unauthorized, UnprocessableEntity, UnsupportedMediaType,
};
use crate::state::AppState;

query_params! {
    /// What the file is, beside its bytes.
    pub struct AttachmentParams {
        /// The file's name, as a download will be called (one line, no path).
        #[param(max_length = 200, example = "evaluation-2016.pdf")]
        pub filename: Option<String>,
        #[param(max_length = 200, example = "Independent evaluation, 2016")]
        pub title: Option<String>,
        /// What an image shows, for people who cannot see it: required for images.
        #[param(max_length = 1000)]
        pub alt: Option<String>,
        /// For images: the identifiable people in it agreed to its publication (or none are
        /// in it). Without it an image is kept for the case study's editors only.
        pub consent: Option<bool>,
    }
}

/// A file's bytes, as they are.
pub struct FileBody;

impl utoipa::PartialSchema for FileBody {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl utoipa::ToSchema for FileBody {}

fn attachment_id(text: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(text).map_err(|_| ApiError::NotFound("attachment"))
}

/// Attach a file to a case study: its bytes as the body, its type in `Content-Type`.
///
/// PDF, JPEG, PNG, WebP, CSV and plain text, up to `CASEBOOK_MAX_ATTACHMENT_BYTES` (20 MiB
/// by default). The type is read from the bytes and must be the one declared (`415`
/// otherwise); images are stored without their metadata (EXIF, with where a photo was
/// taken, XMP, IPTC, comments). Its editors may attach files; nothing is kept of a refused
/// upload. A file goes public when the case study is next published, as an edit does.
#[utoipa::path(
    tag = "case-studies",
    params(("id" = Uuid, Path, description = "The case study's id"), AttachmentParams),
    request_body(description = "The file", content(
        (FileBody = "application/pdf"), (FileBody = "image/jpeg"), (FileBody = "image/png"),
        (FileBody = "image/webp"), (FileBody = "text/csv"), (FileBody = "text/plain"),
    )),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Attached", body = Attachment),
        Problems<(BadRequest, Unauthorized, Forbidden, NotFound, PayloadTooLarge, UnsupportedMediaType, UnprocessableEntity, TooManyRequests, ServiceUnavailable)>,
    )
)]
#[post("/case-studies/{id}/attachments")]
pub async fn add_attachment(
    state: web::Data<AppState>,
    request: HttpRequest,
    Editor(principal): Editor,
    id: web::Path<String>,
    Params(params): Params<AttachmentParams>,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = case_study_id(&id)?;
    state.limits.writes.check(&principal.rate_key())?;
    let actor = Actor::user(&principal, client_address(&request));
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    let input = AttachmentInput {
        filename: params.filename,
        title: params.title,
        alt: params.alt,
        consent: params.consent,
    };
    let attachment =
        attachments::upload(&state, &principal, &actor, id, content_type, input, body).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/case-studies/{id}/attachments/{}", attachment.id),
        ))
        .json(attachment))
}

/// A case study's files: all of them for its editors; for everyone else, while it is
/// published, those published with it, but for images without consent.
#[utoipa::path(
    tag = "case-studies",
    params(("id" = Uuid, Path, description = "The case study's id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The files, oldest first", body = Vec<Attachment>),
        ReadProblems,
    )
)]
#[get("/case-studies/{id}/attachments")]
pub async fn list_attachments(
    state: web::Data<AppState>,
    Viewer(viewer): Viewer,
    id: web::Path<String>,
) -> Result<web::Json<Vec<Attachment>>, ApiError> {
    let id = case_study_id(&id)?;
    Ok(web::Json(
        attachments::list(&state, viewer.as_ref(), id).await?,
    ))
}

/// A file's bytes, as `Content-Type` says, with `ETag` (its SHA-256) and one byte range
/// on request (`Range: bytes=0-1023`, answered `206`).
#[utoipa::path(
    tag = "case-studies",
    params(
        ("id" = Uuid, Path, description = "The case study's id"),
        ("aid" = Uuid, Path, description = "The attachment's id"),
        ("Range" = Option<String>, Header, nullable = false, description = "One range of bytes, `bytes=first-last`, `bytes=first-` or `bytes=-count`; several ranges are answered with the whole file"),
    ),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The file, as its type", content(
            (FileBody = "application/pdf"), (FileBody = "image/jpeg"), (FileBody = "image/png"),
            (FileBody = "image/webp"), (FileBody = "text/csv"), (FileBody = "text/plain"),
        ), headers(
            ("ETag" = String, description = "The file's SHA-256 in hex, in quotes"),
            ("Content-Disposition" = String, description = "`attachment` with the file's name"),
            ("Accept-Ranges" = String, description = "`bytes`"),
        )),
        (status = 206, description = "The range asked for", content(
            (FileBody = "application/pdf"), (FileBody = "image/jpeg"), (FileBody = "image/png"),
            (FileBody = "image/webp"), (FileBody = "text/csv"), (FileBody = "text/plain"),
        ), headers(
            ("Content-Range" = String, description = "Which bytes, of how many"),
        )),
        Problems<(Unauthorized, NotFound, RangeNotSatisfiable, ServiceUnavailable)>,
    )
)]
#[get("/case-studies/{id}/attachments/{aid}")]
pub async fn get_attachment(
    state: web::Data<AppState>,
    request: HttpRequest,
    Viewer(viewer): Viewer,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, aid) = path.into_inner();
    let (id, aid) = (case_study_id(&id)?, attachment_id(&aid)?);
    let attachment = attachments::describe(&state, viewer.as_ref(), id, aid).await?;
    let size = attachment.size as u64;
    let range = request
        .headers()
        .get(header::RANGE)
        .and_then(|value| value.to_str().ok());
    let range = byte_range(range, size).map_err(|_| ApiError::RangeNotSatisfiable { size })?;
    let mut response = match range {
        Some(range) => {
            let mut response = HttpResponse::PartialContent();
            response.insert_header((
                header::CONTENT_RANGE,
                format!("bytes {}-{}/{size}", range.first, range.last),
            ));
            response.no_chunking(range.last - range.first + 1);
            response
        }
        None => {
            let mut response = HttpResponse::Ok();
            response.no_chunking(size);
            response
        }
    };
    response
        .insert_header((header::CONTENT_TYPE, attachment.media_type.media_type()))
        .insert_header((header::ETAG, format!("\"{}\"", attachment.sha256)))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(attachment.filename.clone())],
        })
        // The bytes are what they say they are: no browser may guess otherwise.
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // Sent as stored: a range of compressed bytes would not be the range asked for.
        .insert_header((header::CONTENT_ENCODING, "identity"));
    Ok(response.streaming(attachments::bytes(state.clone(), &attachment, range)))
}

/// Remove a file from a case study (its editors).
#[utoipa::path(
    tag = "case-studies",
    params(
        ("id" = Uuid, Path, description = "The case study's id"),
        ("aid" = Uuid, Path, description = "The attachment's id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        Problems<(Unauthorized, Forbidden, NotFound, TooManyRequests, ServiceUnavailable)>,
    )
)]
#[delete("/case-studies/{id}/attachments/{aid}")]
pub async fn remove_attachment(
    state: web::Data<AppState>,
    request: HttpRequest,
    Editor(principal): Editor,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, aid) = path.into_inner();
    let (id, aid) = (case_study_id(&id)?, attachment_id(&aid)?);
    state.limits.writes.check(&principal.rate_key())?;
    let actor = Actor::user(&principal, client_address(&request));
    attachments::remove(&state, &principal, &actor, id, aid).await?;
    Ok(HttpResponse::NoContent().finish())
}
