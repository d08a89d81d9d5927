//! `GET /api/v1/case-studies` (search), `/case-studies/export` and `/case-studies/{id}/related`.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use futures_util::{StreamExt, stream};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::pagination::PageParams;
use super::query::{Choice, Params, query_params};
use crate::auth::{Viewer, client_address};
use crate::caching::strong_tag;
use crate::db::case_studies;
use crate::db::changes::{self, SinceEntry};
use crate::domain::case_study::CaseStudy;
use crate::domain::user::Principal;
use crate::domain::vocabulary::{
    AssessmentAnswer, AssessmentQuestion, CoproductionValue, CostBand, Country, DepthFlag,
    Evaluation, JourneyStep, OutcomeCategory, PartnerRole, Scale, Sector, StarQuadrant, Status,
    Vocabulary,
};
use crate::error::ApiError;
use crate::export::{ExportFormat, Watched, csv_header, encode};
use crate::openapi::{
    BadRequest, NotFound, Problems, QueryProblems, ServiceUnavailable, TooManyRequests,
    Unauthorized,
};
use crate::search::evaluate::{SearchMode, Sort};
use crate::search::{AllMatches, Related, SearchRequest, SearchResults};
use crate::state::AppState;

query_params! {
    /// The filters of a search. Repeat a parameter (or separate values with commas) for "any of
    /// these"; different parameters must all hold.
    pub struct SearchParams {
        /// Free text: words (ranked by BM25F: the more of them, the rarer, the nearer each
        /// other and the shorter the field they stand in, the higher), `"quoted phrases"`,
        /// `-excluded` words and `a or b`. Stemmed English: "volunteering" finds "volunteers".
        /// Misspelt names and places are corrected (see `suggestion`).
        #[param(max_length = 500, example = "young people voice")]
        pub q: Option<String>,
        /// Quadrants of the Co-production Star.
        #[param(max_items = 100, inline)]
        pub quadrant: Option<Vec<StarQuadrant>>,
        /// Organisations (slug or id) that own or took part in the case study.
        #[param(max_items = 100)]
        pub partner: Option<Vec<String>>,
        /// Case studies with a partner in one of these roles (e.g. `community`).
        #[param(max_items = 100, inline)]
        pub partner_role: Option<Vec<PartnerRole>>,
        /// Outcome categories.
        #[param(max_items = 100, inline)]
        pub outcome: Option<Vec<OutcomeCategory>>,
        #[param(max_items = 100, inline)]
        pub sector: Option<Vec<Sector>>,
        #[param(max_items = 100, inline)]
        pub scale: Option<Vec<Scale>>,
        #[param(max_items = 100, inline)]
        pub journey_step: Option<Vec<JourneyStep>>,
        /// Values of co-production.
        #[param(max_items = 100, inline)]
        pub value: Option<Vec<CoproductionValue>>,
        /// Places, matched as whole words anywhere in the locality (case-insensitive):
        /// `Langlee` matches "Langlee, Galashiels, Scottish Borders".
        #[param(max_items = 100)]
        pub locality: Option<Vec<String>>,
        #[param(max_items = 100, inline)]
        pub country: Option<Vec<Country>>,
        /// Work running in or after this year (case studies without years are left out);
        /// not after `year_to`.
        #[param(minimum = 1900, maximum = 2100)]
        pub year_from: Option<i32>,
        /// Work running in or before this year (case studies without years are left out).
        #[param(minimum = 1900, maximum = 2100)]
        pub year_to: Option<i32>,
        /// Statuses to include (signed-in users; the default and the only choice for the public
        /// is `published`). Drafts appear only to their own organisations' editors.
        #[param(max_items = 100, inline)]
        pub status: Option<Vec<Status>>,
        /// Case studies showing any of these signs of thin co-production.
        #[param(max_items = 100, inline)]
        pub flag: Option<Vec<DepthFlag>>,
        /// Case studies at least this complete (0-100).
        #[param(minimum = 0, maximum = 100)]
        pub min_completeness: Option<u8>,
        /// Self-assessment answers as `question:answer` (any of them), e.g.
        /// `involved-to-satisfaction:no` for case studies whose partners were not involved to
        /// their satisfaction.
        #[param(max_items = 100)]
        pub assessment: Option<Vec<String>>,
        /// Case studies whose evidence is at least this level of Nesta's Standards of
        /// Evidence (1-5; see `/vocabularies`).
        #[param(minimum = 1, maximum = 5)]
        pub evidence_level_min: Option<u8>,
        /// Who evaluated the work.
        #[param(max_items = 100, inline)]
        pub evaluation: Option<Vec<Evaluation>>,
        /// Bands of money costs.
        #[param(max_items = 100, inline)]
        pub cost_band: Option<Vec<CostBand>>,
        /// `true` for case studies with performance indicators, `false` for those without.
        pub has_indicators: Option<bool>,
        /// `true` for case studies with files anyone may read (reports, data, photos with
        /// consent), `false` for those without.
        pub has_attachments: Option<bool>,
        /// `relevance` (the default with `q`), `newest` (the default without), `oldest`, `title`
        /// or `completeness`.
        #[param(inline)]
        pub sort: Option<Sort>,
        /// How `q` is matched: `hybrid` (by words and by meaning; the default when the
        /// service has an embedding model), `lexical` (by words alone; the default otherwise)
        /// or `semantic` (by meaning alone). The answer says which ran. Without a model
        /// (see `/health`) only `lexical` is accepted.
        #[param(inline)]
        pub mode: Option<SearchMode>,
    }
}

impl SearchParams {
    /// The search these parameters ask for, on a page (`Some`) or whole (an export).
    pub fn into_request(
        self,
        viewer: Option<&Principal>,
        page: Option<PageParams>,
    ) -> Result<SearchRequest, ApiError> {
        let text = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
        // Within the documented bounds (1900-2100), so every year is an i16.
        let year = |year: Option<i32>| year.and_then(|year| i16::try_from(year).ok());
        let (year_from, year_to) = (year(self.year_from), year(self.year_to));
        if let (Some(from), Some(to)) = (year_from, year_to)
            && from > to
        {
            return Err(ApiError::invalid_parameter(
                "year_from",
                "must not be after year_to",
            ));
        }
        let statuses = self.status.unwrap_or_default();
        if viewer.is_none() && statuses.iter().any(|s| *s != Status::Published) {
            return Err(ApiError::Unauthorized(
                "sign in to search anything but published case studies",
            ));
        }
        let (limit, cursor) = match page {
            Some(page) => (page.limit() as usize, page.cursor),
            None => (usize::MAX, None),
        };
        Ok(SearchRequest {
            text: text.map(str::to_owned),
            quadrants: self.quadrant.unwrap_or_default(),
            partners: self.partner.unwrap_or_default(),
            partner_roles: self.partner_role.unwrap_or_default(),
            outcomes: self.outcome.unwrap_or_default(),
            sectors: self.sector.unwrap_or_default(),
            scales: self.scale.unwrap_or_default(),
            journey_steps: self.journey_step.unwrap_or_default(),
            values: self.value.unwrap_or_default(),
            localities: self.locality.unwrap_or_default(),
            countries: self.country.unwrap_or_default(),
            year_from,
            year_to,
            statuses,
            flags: self.flag.unwrap_or_default(),
            min_completeness: self.min_completeness,
            assessments: self
                .assessment
                .unwrap_or_default()
                .iter()
                .map(|pair| parse_assessment(pair))
                .collect::<Result<_, _>>()?,
            min_evidence_level: self.evidence_level_min,
            evaluations: self.evaluation.unwrap_or_default(),
            cost_bands: self.cost_band.unwrap_or_default(),
            has_indicators: self.has_indicators,
            has_attachments: self.has_attachments,
            sort: self.sort,
            mode: self.mode,
            limit,
            cursor,
        })
    }
}

impl Choice for SearchMode {
    const ALL: &'static [Self] = &[Self::Hybrid, Self::Lexical, Self::Semantic];

    fn code(self) -> &'static str {
        match self {
            Self::Hybrid => "hybrid",
            Self::Lexical => "lexical",
            Self::Semantic => "semantic",
        }
    }
}

impl Choice for Sort {
    const ALL: &'static [Self] = &[
        Self::Relevance,
        Self::Newest,
        Self::Oldest,
        Self::Title,
        Self::Completeness,
    ];

    fn code(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::Newest => "newest",
            Self::Oldest => "oldest",
            Self::Title => "title",
            Self::Completeness => "completeness",
        }
    }
}

/// `question:answer`, e.g. `involved-to-satisfaction:no`.
fn parse_assessment(pair: &str) -> Result<(AssessmentQuestion, AssessmentAnswer), ApiError> {
    let invalid = |detail: String| ApiError::invalid_parameter("assessment", detail);
    let (question, answer) = pair.split_once(':').ok_or_else(|| {
        invalid(format!(
            "`{pair}` is not `question:answer`, e.g. `involved-to-satisfaction:no`"
        ))
    })?;
    Ok((
        AssessmentQuestion::parse(question).map_err(|e| invalid(e.to_string()))?,
        AssessmentAnswer::parse(answer).map_err(|e| invalid(e.to_string()))?,
    ))
}

/// Search published case studies, with exact facet counts.
///
/// Every facet counts what each of its values would give with all the other filters
/// applied (but not its own), so a user can see what switching a value would do.
#[utoipa::path(
    tag = "case-studies",
    params(SearchParams, PageParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of results, the exact total and the facets", body = SearchResults),
        QueryProblems,
    )
)]
#[get("/case-studies")]
pub async fn search_case_studies(
    state: web::Data<AppState>,
    Viewer(viewer): Viewer,
    Params(params): Params<(SearchParams, PageParams)>,
) -> Result<web::Json<SearchResults>, ApiError> {
    let (filters, page) = params;
    let request = filters.into_request(viewer.as_ref(), Some(page))?;
    Ok(web::Json(run(&state, &request, viewer.as_ref()).await?))
}

/// A page of a search as this viewer may see it.
pub async fn run(
    state: &AppState,
    request: &SearchRequest,
    viewer: Option<&Principal>,
) -> Result<SearchResults, ApiError> {
    state.search.search(request, viewer).await
}

query_params! {
    pub struct ExportParams {
        /// `csv` (one row per case study, lists joined with "; ") or `ndjson` (one case-study
        /// document per line, the shape `GET /api/v1/case-studies/{id}` answers).
        #[param(inline)]
        pub format: ExportFormat,
    }
}

impl Choice for ExportFormat {
    const ALL: &'static [Self] = &[Self::Csv, Self::Ndjson];

    fn code(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Ndjson => "ndjson",
        }
    }
}

/// Export every case study the search matches, streamed: no row limit.
///
/// An export is the collection as it stood when it began: one that meets a case study (or
/// an organisation it names) changed since stops short, its answer cut off rather than
/// ended, and is to be asked for again. Its `ETag` names the matches and that state.
///
/// A few exports stream at once (`CASEBOOK_EXPORTS_MAX` in all, `CASEBOOK_EXPORTS_PER_CLIENT`
/// from one client; more are answered `429`), and one left unread for
/// `CASEBOOK_EXPORT_IDLE_SECS` is ended.
#[utoipa::path(
    tag = "case-studies",
    params(ExportParams, SearchParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Every match, in the search's order", content(
            (String = "text/csv"),
            (String = "application/x-ndjson"),
        )),
        Problems<(BadRequest, Unauthorized, TooManyRequests, ServiceUnavailable)>,
    )
)]
#[get("/case-studies/export")]
pub async fn export_case_studies(
    state: web::Data<AppState>,
    request: HttpRequest,
    Viewer(viewer): Viewer,
    Params(params): Params<(ExportParams, SearchParams)>,
) -> Result<HttpResponse, ApiError> {
    let (ExportParams { format }, filters) = params;
    let search = filters.into_request(viewer.as_ref(), None)?;
    let slot = state.exports.take(&client_address(&request))?;
    // Caught up with the log first, so the rows read are rarely newer than the matches.
    let mut primary = state.db().await?;
    state.search.refresh(&mut primary).await?;
    let AllMatches { ids, position } = state.search.all_matches(&search, viewer.as_ref()).await?;
    // Taken after the matches: every entry up to their position has committed before it.
    let wal: Arc<str> = changes::wal_position(&mut primary).await?.into();
    drop(primary);
    // The bytes follow from the format, the matches in order and the state they are read
    // as of, so these name them exactly; a client holding them is answered `304`.
    let tag = strong_tag(
        [format.code().as_bytes(), &position.to_be_bytes()]
            .into_iter()
            .chain(ids.iter().map(|id| &id.as_bytes()[..])),
    );
    let (content_type, filename) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", "case-studies.csv"),
        ExportFormat::Ndjson => ("application/x-ndjson", "case-studies.ndjson"),
    };
    // Rows are read and written a batch at a time, so memory stays flat however many match,
    // and each batch borrows a connection only while it is read: a client that reads
    // slowly holds its export slot, never a connection the rest of the API needs.
    let batches: Vec<Vec<Uuid>> = ids.chunks(EXPORT_BATCH).map(<[Uuid]>::to_vec).collect();
    let header = (format == ExportFormat::Csv).then(csv_header);
    let idle = state.config.exports.idle;
    let site = state.site();
    // One chunk a case study: the client's reading paces the reading of batches.
    let rows = stream::iter(batches)
        .then(move |batch| {
            let state = state.clone();
            let viewer = viewer.clone();
            let wal = wal.clone();
            async move { export_batch(&state, viewer.as_ref(), &batch, position, &wal).await }
        })
        .flat_map(move |batch| match batch {
            Ok(rows) => {
                let site = site.clone();
                stream::iter(
                    rows.into_iter()
                        .map(move |row| Ok(web::Bytes::from(encode(format, &row, &site)))),
                )
                .left_stream()
            }
            Err(error) => {
                tracing::error!(error = %error, "export stopped part-way");
                let stopped = actix_web::error::ErrorServiceUnavailable("export interrupted");
                stream::once(std::future::ready(Err(stopped))).right_stream()
            }
        });
    let body = stream::iter(header.map(|header| Ok(web::Bytes::from(header)))).chain(rows);
    let body = Watched::new(Box::pin(body), slot, idle);
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::ETAG, tag))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .streaming(body))
}

const EXPORT_BATCH: usize = 500;

/// One batch of an export, in order, as it stood at `position`, on a connection borrowed
/// for it alone. A replica that has not yet replayed that far is passed over for the
/// primary. A case study or organisation changed since ends the export: its tag promises the
/// collection as it was, never a mix.
async fn export_batch(
    state: &AppState,
    viewer: Option<&Principal>,
    batch: &[Uuid],
    position: i64,
    wal: &str,
) -> Result<Vec<CaseStudy>, ApiError> {
    let mut conn = state.read_db(viewer).await?;
    let read = case_studies::live_many_as_of(&mut conn, batch, position, wal).await?;
    drop(conn);
    let read = match read {
        Err(SinceEntry::Behind) if state.read_pool.is_some() => {
            case_studies::live_many_as_of(&mut *state.db().await?, batch, position, wal).await?
        }
        read => read,
    };
    // An export leaves its reader's hands: it carries only what the public may read.
    read.map(|rows| rows.into_iter().map(CaseStudy::for_public).collect())
        .map_err(|_| {
            ApiError::Unavailable("the collection changed while it was exported; ask again".into())
        })
}

query_params! {
    pub struct RelatedParams {
        /// How many (1-20)
        #[param(minimum = 1, maximum = 20)]
        pub limit: Option<u32>,
    }
}

#[derive(Serialize, ToSchema)]
pub struct RelatedList {
    pub items: Vec<Related>,
}

/// The published case studies most like this one (shared quadrants, partners, sector and
/// words), each with the reason.
#[utoipa::path(
    tag = "case-studies",
    params(
        ("id" = String, Path, description = "The case study's id, or its slug"),
        RelatedParams,
    ),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Related case studies, most related first", body = RelatedList),
        Problems<(BadRequest, Unauthorized, NotFound, ServiceUnavailable)>,
    )
)]
#[get("/case-studies/{id}/related")]
pub async fn related_case_studies(
    state: web::Data<AppState>,
    Viewer(viewer): Viewer,
    id: web::Path<String>,
    Params(RelatedParams { limit }): Params<RelatedParams>,
) -> Result<web::Json<RelatedList>, ApiError> {
    let limit = limit.unwrap_or(5) as usize;
    let key = case_studies::CaseStudyKey::parse(&id).ok_or(ApiError::NotFound("case study"))?;
    let mut conn = state.read_db(viewer.as_ref()).await?;
    let found = case_studies::state(&mut conn, &key)
        .await?
        .ok_or(ApiError::NotFound("case study"))?;
    if !state.search.visible(found.id, viewer.as_ref()) {
        return Err(ApiError::NotFound("case study"));
    }
    let items = state.search.related(found.id, limit).await?;
    Ok(web::Json(RelatedList { items }))
}
