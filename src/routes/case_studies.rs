//! `/api/v1/case-studies`: write, read, revise and move case studies through review.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::{JsonBody, OptionalJsonBody, etag, precondition, requested_format};
use crate::auth::{Editor, Viewer, client_address};
use crate::db::case_studies::{self, CaseStudyKey};
use crate::domain::case_study::{CaseStudy, CaseStudyInput};
use crate::domain::self_assessment::{SelfAssessment, SelfAssessmentInput};
use crate::domain::text::is_slug;
use crate::domain::user::Actor;
use crate::domain::vocabulary::{KeyScope, Status};
use crate::domain::workflow::{Rights, Transition};
use crate::editorial::{self, Change, Owner};
use crate::error::ApiError;
use crate::metadata::Format;
use crate::openapi::{
    BadRequest, Conflict, Forbidden, NotAcceptable, NotFound, PayloadTooLarge, PreconditionFailed,
    PreconditionRequired, Problems, ReadProblems, ReplaceProblems, ServiceUnavailable,
    TooManyRequests, TransitionProblems, Unauthorized, UnprocessableEntity, UnsupportedMediaType,
};
use crate::publications;
use crate::state::{AppState, PublicDocument};

/// What a reviewer or editor says with a step of the workflow.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionInput {
    /// Shown to every partner of the case study.
    #[schema(
        max_length = 5000,
        example = "Please name the tenants' group as a community partner."
    )]
    pub comment: Option<String>,
}

/// What a reviewer says when returning a case study: what needs to change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnInput {
    /// Shown to every partner of the case study.
    #[schema(
        min_length = 1,
        max_length = 5000,
        example = "Please name the tenants' group as a community partner."
    )]
    pub comment: String,
}

/// Create a draft case study, owned by your organisation.
#[utoipa::path(
    tag = "case-studies",
    request_body = CaseStudyInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created as a draft", body = CaseStudy, headers(
            ("Location" = String, description = "Where the new case study lives"),
            ("ETag" = String, description = "Its version, for `If-Match`"),
        )),
        Problems<(BadRequest, Unauthorized, Forbidden, Conflict, PayloadTooLarge, UnsupportedMediaType, UnprocessableEntity, TooManyRequests, ServiceUnavailable)>,
    )
)]
#[post("/case-studies")]
pub async fn create_case_study(
    state: web::Data<AppState>,
    request: HttpRequest,
    Editor(principal): Editor,
    JsonBody(input): JsonBody<CaseStudyInput>,
) -> Result<HttpResponse, ApiError> {
    principal.require(KeyScope::Write)?;
    state.limits.writes.check(&principal.rate_key())?;
    let (document, _) = input
        .parse(state.config.default_license)
        .map_err(ApiError::Validation)?;
    let actor = Actor::user(&principal, client_address(&request));
    let mut conn = state.db().await?;
    let case_study = editorial::create(
        &mut conn,
        document,
        Owner::for_principal(&principal),
        Status::Draft,
        &actor,
    )
    .await?;
    state.search.refresh_after_write(&mut conn).await;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/case-studies/{}", case_study.id),
        ))
        .insert_header(header::ETag(etag(case_study.version)))
        .json(case_study))
}

/// Read one case study by id or slug, as JSON or in an open-metadata format.
///
/// The public sees published case studies. Editors of its partner organisations (and
/// reviewers, once it is submitted) see the version being worked on: a draft, or the
/// pending revision of a published case study. The other formats (by `Accept` or
/// `format`) describe the published version, whoever asks, and cite it by its version's
/// permanent address. A slug the case study no longer has answers `301` to its current one.
#[utoipa::path(
    tag = "case-studies",
    params(
        ("id" = String, Path, description = "The case study's id, or its slug", example = "rutherford-square-refurbishment-project"),
        ("format" = Option<Format>, Query, description = "Instead of `Accept`, for links and browsers"),
    ),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The case study", content(
            (CaseStudy = "application/json"),
            (Object = "application/ld+json"),
            (Object = "application/vnd.citationstyles.csl+json"),
            (String = "application/x-bibtex"),
            (String = "application/x-research-info-systems"),
            (String = "application/vnd.datacite.datacite+xml"),
            (String = "application/oai_dc+xml"),
        ), headers(
            ("ETag" = String, description = "Its version, for `If-Match` (anonymous reads are tagged by their content instead, which also changes when an organisation it names does)"),
            ("Vary" = String, description = "`Accept`: the format depends on it"),
        )),
        (status = 301, description = "The slug was the case study's; it has another now", headers(
            ("Location" = String, description = "The case study under its current slug"),
        )),
        Problems<(Unauthorized, NotFound, NotAcceptable, ServiceUnavailable)>,
    )
)]
#[get("/case-studies/{id}")]
pub async fn get_case_study(
    state: web::Data<AppState>,
    request: HttpRequest,
    Viewer(principal): Viewer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let format = requested_format(&request)?;
    let id = id.into_inner();
    let read = match format {
        Format::Json if principal.is_none() => public_case_study(&state, id.clone()).await,
        Format::Json => readable(&state, principal.as_ref(), &id)
            .await
            .map(with_etag),
        format => published_in(&state, &id, format).await,
    };
    let mut response = match read {
        Err(ApiError::NotFound(_)) => moved(&state, &request, &id).await?,
        read => read?,
    };
    response
        .headers_mut()
        .append(header::VARY, header::HeaderValue::from_static("Accept"));
    Ok(response)
}

/// The published version in an open-metadata format.
async fn published_in(
    state: &AppState,
    id: &str,
    format: Format,
) -> Result<HttpResponse, ApiError> {
    let key = CaseStudyKey::parse(id).ok_or(ApiError::NotFound("case study"))?;
    let mut conn = state.read_db(None).await?;
    let (case_study, publication) = publications::live(&mut conn, &key).await?;
    let related = state
        .search
        .related_ids(case_study.id, publications::RELATED_CITED)
        .await?;
    let site = state.site();
    let rendered = publications::render(&case_study, &publication, &site, format, &related)?;
    Ok(HttpResponse::Ok()
        .insert_header(header::ETag(header::EntityTag::new_strong(format!(
            "{}-{}",
            case_study.version,
            format.short_name()
        ))))
        .content_type(rendered.media_type)
        .body(rendered.body))
}

/// `301` to where a former slug's case study is now, keeping the query; not found when
/// no public case study ever had it.
async fn moved(
    state: &AppState,
    request: &HttpRequest,
    slug: &str,
) -> Result<HttpResponse, ApiError> {
    if !is_slug(slug) {
        return Err(ApiError::NotFound("case study"));
    }
    let mut conn = state.read_db(None).await?;
    let current = publications::moved(&mut conn, slug)
        .await?
        .ok_or(ApiError::NotFound("case study"))?;
    let mut location = format!("/api/v1/case-studies/{current}");
    if !request.query_string().is_empty() {
        location.push('?');
        location.push_str(request.query_string());
    }
    Ok(HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, location))
        .finish())
}

/// A published case study for the public, kept between changes (see `search::cache`).
async fn public_case_study(state: &AppState, id: String) -> Result<HttpResponse, ApiError> {
    let kept = &state.documents;
    let position = state.search.position();
    let document = match kept.get(&id, position) {
        Some(document) => document,
        None => {
            let case_study = readable(state, None, &id).await?;
            let document = Arc::new(PublicDocument {
                json: serde_json::to_vec(&case_study)
                    .map_err(anyhow::Error::from)?
                    .into(),
                version: case_study.version,
            });
            kept.put(id, position, document.clone());
            document
        }
    };
    Ok(HttpResponse::Ok()
        .insert_header(header::ETag(etag(document.version)))
        .content_type(mime::APPLICATION_JSON)
        .body(document.json.clone()))
}

/// The version of a case study this viewer may read: the working version for its editors
/// (and reviewers, once submitted), the live one for everyone else if it is published.
pub async fn readable(
    state: &AppState,
    principal: Option<&crate::domain::user::Principal>,
    id: &str,
) -> Result<CaseStudy, ApiError> {
    let key = CaseStudyKey::parse(id).ok_or(ApiError::NotFound("case study"))?;
    let mut conn = state.read_db(principal).await?;
    // The public sees nothing but live published records, whoever else may see more.
    if principal.is_none() {
        return case_studies::published(&mut conn, &key)
            .await?
            .ok_or(ApiError::NotFound("case study"));
    }
    let found = case_studies::state(&mut conn, &key)
        .await?
        .ok_or(ApiError::NotFound("case study"))?;
    let rights = Rights {
        principal,
        membership: &found.membership,
        lifecycle: found.lifecycle(),
    };
    let case_study = if rights.sees_working_version() {
        editorial::working_version(&mut conn, &found).await?
    } else if found.status == Status::Published {
        case_studies::live(&mut conn, found.id)
            .await?
            .ok_or(ApiError::NotFound("case study"))?
            .for_public()
    } else {
        return Err(ApiError::NotFound("case study"));
    };
    Ok(case_study)
}

/// Replace a case study with a new version of the whole document.
///
/// Send the `ETag` you read in `If-Match`: without it the answer is 428, and if someone
/// changed the case study since, 412; either way nothing is written. Drafts change in place;
/// a published case study keeps its live version until a reviewer publishes this one.
#[utoipa::path(
    tag = "case-studies",
    params(
        ("id" = Uuid, Path, description = "The case study's id"),
        ("If-Match" = String, Header, description = "The `ETag` of the version being replaced"),
    ),
    request_body = CaseStudyInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Replaced", body = CaseStudy, headers(
            ("ETag" = String, description = "The new version"),
        )),
        ReplaceProblems,
    )
)]
#[put("/case-studies/{id}")]
pub async fn replace_case_study(
    state: web::Data<AppState>,
    request: HttpRequest,
    Editor(principal): Editor,
    id: web::Path<String>,
    JsonBody(input): JsonBody<CaseStudyInput>,
) -> Result<HttpResponse, ApiError> {
    let id = case_study_id(&id)?;
    state.limits.writes.check(&principal.rate_key())?;
    let (document, message) = input
        .parse(state.config.default_license)
        .map_err(ApiError::Validation)?;
    let change = Change::Replace {
        document: Box::new(document),
        message,
    };
    apply(&state, &request, &principal, id, change).await
}

/// Archive a case study: it leaves public view but is never deleted (its editors still read
/// it, its history and its comments). Reviewers use this to unpublish a case study of any
/// organisation.
#[utoipa::path(
    tag = "case-studies",
    params(
        ("id" = Uuid, Path, description = "The case study's id"),
        ("If-Match" = String, Header, description = "The `ETag` of the version being archived"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Archived", body = CaseStudy, headers(
            ("ETag" = String, description = "The new version"),
        )),
        Problems<(BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, PreconditionRequired, TooManyRequests, ServiceUnavailable)>,
    )
)]
#[post("/case-studies/{id}/archive")]
pub async fn archive_case_study(
    state: web::Data<AppState>,
    request: HttpRequest,
    Editor(principal): Editor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    transition(&state, &request, &principal, &id, Transition::Archive, None).await
}

/// Send a draft for review.
#[utoipa::path(
    tag = "case-studies",
    params(
        ("id" = Uuid, Path, description = "The case study's id"),
        ("If-Match" = String, Header, description = "The `ETag` of the version being submitted"),
    ),
    request_body(content = Option<TransitionInput>, description = "An optional note for the reviewer"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Submitted", body = CaseStudy, headers(("ETag" = String, description = "The new version"))),
        TransitionProblems,
    )
)]
#[post("/case-studies/{id}/submit")]
pub async fn submit_case_study(
    state: web::Data<AppState>,
    request: HttpRequest,
    Editor(principal): Editor,
    id: web::Path<String>,
    OptionalJsonBody(input): OptionalJsonBody<TransitionInput>,
) -> Result<HttpResponse, ApiError> {
    let comment = input.and_then(|i| i.comment);
    transition(
        &state,
        &request,
        &principal,
        &id,
        Transition::Submit,
        comment,
    )
    .await
}

/// Publish a submitted case study (reviewers): it, or its new revision, goes live.
#[utoipa::path(
    tag = "case-studies",
    params(
        ("id" = Uuid, Path, description = "The case study's id"),
        ("If-Match" = String, Header, description = "The `ETag` of the version reviewed"),
    ),
    request_body(content = Option<TransitionInput>, description = "An optional comment for the partners"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Published", body = CaseStudy, headers(("ETag" = String, description = "The new version"))),
        TransitionProblems,
    )
)]
#[post("/case-studies/{id}/publish")]
pub async fn publish_case_study(
    state: web::Data<AppState>,
    request: HttpRequest,
    Editor(principal): Editor,
    id: web::Path<String>,
    OptionalJsonBody(input): OptionalJsonBody<TransitionInput>,
) -> Result<HttpResponse, ApiError> {
    let comment = input.and_then(|i| i.comment);
    transition(
        &state,
        &request,
        &principal,
        &id,
        Transition::Publish,
        comment,
    )
    .await
}

/// Return a submitted case study to its editors with a comment (reviewers).
#[utoipa::path(
    tag = "case-studies",
    params(
        ("id" = Uuid, Path, description = "The case study's id"),
        ("If-Match" = String, Header, description = "The `ETag` of the version reviewed"),
    ),
    request_body = ReturnInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Returned to draft", body = CaseStudy, headers(("ETag" = String, description = "The new version"))),
        TransitionProblems,
    )
)]
#[post("/case-studies/{id}/return")]
pub async fn return_case_study(
    state: web::Data<AppState>,
    request: HttpRequest,
    Editor(principal): Editor,
    id: web::Path<String>,
    JsonBody(input): JsonBody<ReturnInput>,
) -> Result<HttpResponse, ApiError> {
    transition(
        &state,
        &request,
        &principal,
        &id,
        Transition::Return,
        Some(input.comment),
    )
    .await
}

async fn transition(
    state: &AppState,
    request: &HttpRequest,
    principal: &crate::domain::user::Principal,
    id: &str,
    transition: Transition,
    comment: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let id = case_study_id(id)?;
    state.limits.writes.check(&principal.rate_key())?;
    apply(
        state,
        request,
        principal,
        id,
        Change::Transition {
            transition,
            comment,
        },
    )
    .await
}

/// Runs a change for the signed-in user and answers with the version they now work on.
pub(super) async fn apply(
    state: &AppState,
    request: &HttpRequest,
    principal: &crate::domain::user::Principal,
    id: Uuid,
    change: Change,
) -> Result<HttpResponse, ApiError> {
    Ok(with_etag(run(state, request, principal, id, change).await?))
}

async fn run(
    state: &AppState,
    request: &HttpRequest,
    principal: &crate::domain::user::Principal,
    id: Uuid,
    change: Change,
) -> Result<CaseStudy, ApiError> {
    let actor = Actor::user(principal, client_address(request));
    let mut conn = state.db().await?;
    let case_study =
        editorial::change(&mut conn, id, &precondition(request)?, &actor, change).await?;
    // The editor's next search already sees their change.
    state.search.refresh_after_write(&mut conn).await;
    Ok(case_study)
}

/// Writes address case studies by id only: slugs can change, ids never do.
pub(super) fn case_study_id(text: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text).map_err(|_| ApiError::NotFound("case study"))
}

fn with_etag(case_study: CaseStudy) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(header::ETag(etag(case_study.version)))
        .json(case_study)
}

/// The self-assessment of a case study, with a summary per heading. An unanswered case
/// study answers with no answers.
#[utoipa::path(
    tag = "case-studies",
    params(("id" = String, Path, description = "The case study's id, or its slug")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The answers and their summary", body = SelfAssessment, headers(
            ("ETag" = String, description = "The case study's version, for `If-Match`"),
        )),
        ReadProblems,
    )
)]
#[get("/case-studies/{id}/self-assessment")]
pub async fn get_self_assessment(
    state: web::Data<AppState>,
    Viewer(principal): Viewer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let case_study = readable(&state, principal.as_ref(), &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(header::ETag(etag(case_study.version)))
        .json(case_study.self_assessment))
}

/// Answer the self-assessment (its editors). The answers given replace the earlier ones;
/// like any change it makes a new revision, and needs `If-Match`.
#[utoipa::path(
    tag = "case-studies",
    params(
        ("id" = Uuid, Path, description = "The case study's id"),
        ("If-Match" = String, Header, description = "The `ETag` of the case study's current version"),
    ),
    request_body = SelfAssessmentInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved", body = SelfAssessment, headers(
            ("ETag" = String, description = "The case study's new version"),
        )),
        ReplaceProblems,
    )
)]
#[put("/case-studies/{id}/self-assessment")]
pub async fn put_self_assessment(
    state: web::Data<AppState>,
    request: HttpRequest,
    Editor(principal): Editor,
    id: web::Path<String>,
    JsonBody(input): JsonBody<SelfAssessmentInput>,
) -> Result<HttpResponse, ApiError> {
    let id = case_study_id(&id)?;
    state.limits.writes.check(&principal.rate_key())?;
    let (answers, message) = input.parse().map_err(ApiError::Validation)?;
    let change = Change::SelfAssessment { answers, message };
    let case_study = run(&state, &request, &principal, id, change).await?;
    Ok(HttpResponse::Ok()
        .insert_header(header::ETag(etag(case_study.version)))
        .json(case_study.self_assessment))
}
