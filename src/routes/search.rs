//! `GET /api/v1/case-studies` (search), `/case-studies/export` and `/case-studies/{id}/related`.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use futures_util::stream;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::pagination::PageParams;
use super::query::QueryParams;
use crate::auth::{Principal, Viewer};
use crate::db::{PgConnection, case_studies};
use crate::domain::case_study::CaseStudy;
use crate::domain::vocabulary::{
    AssessmentAnswer, AssessmentQuestion, CoproductionValue, Country, DepthFlag, JourneyStep,
    OutcomeCategory, PartnerRole, Scale, Sector, StarQuadrant, Status, Vocabulary,
};
use crate::error::ApiError;
use crate::search::evaluate::Sort;
use crate::search::text::MAX_QUERY_LENGTH;
use crate::search::{Related, SearchRequest, SearchResults};
use crate::startup::AppState;

/// The filters of a search. Repeat a parameter (or separate values with commas) for "any of
/// these"; different parameters must all hold.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Free text: words (case studies with all of them first, then the best partial matches),
    /// `"quoted phrases"`, `-excluded` words and `a or b`. Stemmed English: "volunteering"
    /// finds "volunteers". Misspelt names and places are corrected (see `suggestion`).
    #[param(max_length = 500, example = "young people voice")]
    pub q: Option<String>,
    /// Quadrants of the Co-production Star.
    #[param(inline)]
    pub quadrant: Option<Vec<StarQuadrant>>,
    /// Organisations (slug or id) that own or took part in the case study.
    pub partner: Option<Vec<String>>,
    /// Case studies with a partner in one of these roles (e.g. `community`).
    #[param(inline)]
    pub partner_role: Option<Vec<PartnerRole>>,
    /// Outcome categories.
    #[param(inline)]
    pub outcome: Option<Vec<OutcomeCategory>>,
    #[param(inline)]
    pub sector: Option<Vec<Sector>>,
    #[param(inline)]
    pub scale: Option<Vec<Scale>>,
    #[param(inline)]
    pub journey_step: Option<Vec<JourneyStep>>,
    /// Values of co-production.
    #[param(inline)]
    pub value: Option<Vec<CoproductionValue>>,
    /// Places, matched as whole words anywhere in the locality (case-insensitive):
    /// `Langlee` matches "Langlee, Galashiels, Scottish Borders".
    pub locality: Option<Vec<String>>,
    #[param(inline)]
    pub country: Option<Vec<Country>>,
    /// Work running in or after this year (case studies without years are left out).
    #[param(minimum = 1900, maximum = 2100)]
    pub year_from: Option<i32>,
    /// Work running in or before this year (case studies without years are left out).
    #[param(minimum = 1900, maximum = 2100)]
    pub year_to: Option<i32>,
    /// Statuses to include (signed-in users; the default and the only choice for the public
    /// is `published`). Drafts appear only to their own organisations' editors.
    #[param(inline)]
    pub status: Option<Vec<Status>>,
    /// Case studies showing any of these signs of thin co-production.
    #[param(inline)]
    pub flag: Option<Vec<DepthFlag>>,
    /// Case studies at least this complete (0-100).
    #[param(minimum = 0, maximum = 100)]
    pub min_completeness: Option<u8>,
    /// Self-assessment answers as `question:answer` (any of them), e.g.
    /// `involved-to-satisfaction:no` for case studies whose partners were not involved to
    /// their satisfaction.
    pub assessment: Option<Vec<String>>,
    /// `relevance` (the default with `q`), `newest` (the default without), `oldest`, `title`
    /// or `completeness`.
    #[param(inline)]
    pub sort: Option<Sort>,
}

impl SearchParams {
    pub fn parse(
        query: &QueryParams,
        viewer: Option<&Principal>,
        paged: bool,
    ) -> Result<SearchRequest, ApiError> {
        let text = query.text("q")?.map(str::trim).filter(|q| !q.is_empty());
        if text.is_some_and(|q| q.chars().count() > MAX_QUERY_LENGTH) {
            return Err(ApiError::invalid_parameter(
                "q",
                format!("must be at most {MAX_QUERY_LENGTH} characters"),
            ));
        }
        let year = |name: &str| -> Result<Option<i16>, ApiError> {
            match query.one::<i16>(name, "a year from 1900 to 2100")? {
                Some(year) if !(1900..=2100).contains(&year) => Err(ApiError::invalid_parameter(
                    name,
                    "must be a year from 1900 to 2100",
                )),
                year => Ok(year),
            }
        };
        let (year_from, year_to) = (year("year_from")?, year("year_to")?);
        if let (Some(from), Some(to)) = (year_from, year_to) {
            if from > to {
                return Err(ApiError::invalid_parameter(
                    "year_from",
                    "must not be after year_to",
                ));
            }
        }
        let statuses = query.codes::<Status>("status")?;
        if viewer.is_none() && statuses.iter().any(|s| *s != Status::Published) {
            return Err(ApiError::Unauthorized(
                "sign in to search anything but published case studies",
            ));
        }
        let sort = match query.text("sort")? {
            None => None,
            Some(sort) => Some(match sort {
                "relevance" => Sort::Relevance,
                "newest" => Sort::Newest,
                "oldest" => Sort::Oldest,
                "title" => Sort::Title,
                "completeness" => Sort::Completeness,
                other => {
                    return Err(ApiError::InvalidParameter {
                        parameter: "sort".into(),
                        detail: format!("unknown sort `{other}`"),
                        allowed: ["relevance", "newest", "oldest", "title", "completeness"]
                            .map(String::from)
                            .to_vec(),
                    });
                }
            }),
        };
        let (limit, cursor) = if paged {
            let page = PageParams::from_query(query)?;
            (page.limit()? as usize, page.cursor)
        } else {
            (usize::MAX, None)
        };
        Ok(SearchRequest {
            text: text.map(str::to_owned),
            quadrants: query.codes("quadrant")?,
            partners: query.list("partner")?,
            partner_roles: query.codes("partner_role")?,
            outcomes: query.codes("outcome")?,
            sectors: query.codes("sector")?,
            scales: query.codes("scale")?,
            journey_steps: query.codes("journey_step")?,
            values: query.codes("value")?,
            localities: query.list("locality")?,
            countries: query.codes("country")?,
            year_from,
            year_to,
            statuses,
            flags: query.codes("flag")?,
            min_completeness: match query
                .one::<u8>("min_completeness", "a whole number from 0 to 100")?
            {
                Some(score) if score > 100 => {
                    return Err(ApiError::invalid_parameter(
                        "min_completeness",
                        "must be from 0 to 100",
                    ));
                }
                score => score,
            },
            assessments: query
                .list("assessment")?
                .iter()
                .map(|pair| parse_assessment(pair))
                .collect::<Result<_, _>>()?,
            sort,
            limit,
            cursor,
        })
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
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[get("/case-studies")]
pub async fn search_case_studies(
    state: web::Data<AppState>,
    Viewer(viewer): Viewer,
    query: QueryParams,
) -> Result<web::Json<SearchResults>, ApiError> {
    let request = SearchParams::parse(&query, viewer.as_ref(), true)?;
    let mut conn = state.read_db(viewer.as_ref()).await?;
    let mut results = state
        .search
        .search(&mut conn, &request, viewer.as_ref())
        .await?;
    if results.lacks_texts() && state.read_pool.is_some() {
        // The index follows the primary; a replica that has not yet replayed a change
        // lacks the texts of what it added. The page is read from the primary instead.
        drop(conn);
        let mut primary = state.db().await?;
        results = state
            .search
            .search(&mut primary, &request, viewer.as_ref())
            .await?;
    }
    Ok(web::Json(results))
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `csv` (one row per case study, lists joined with "; ") or `ndjson` (one case-study
    /// document per line, the shape `GET /api/v1/case-studies/{id}` answers).
    #[param(inline)]
    pub format: ExportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Ndjson,
}

/// Export every case study the search matches, streamed: no row limit.
#[utoipa::path(
    tag = "case-studies",
    params(ExportParams, SearchParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Every match, in the search's order", content(
            (String = "text/csv"),
            (String = "application/x-ndjson"),
        )),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[get("/case-studies/export")]
pub async fn export_case_studies(
    state: web::Data<AppState>,
    Viewer(viewer): Viewer,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    let format = match query.text("format")? {
        Some("csv") => ExportFormat::Csv,
        Some("ndjson") => ExportFormat::Ndjson,
        other => {
            return Err(ApiError::InvalidParameter {
                parameter: "format".into(),
                detail: match other {
                    Some(other) => format!("unknown format `{other}`"),
                    None => "is required".into(),
                },
                allowed: vec!["csv".into(), "ndjson".into()],
            });
        }
    };
    let request = SearchParams::parse(&query, viewer.as_ref(), false)?;
    let mut conn = state.read_db(viewer.as_ref()).await?;
    let ids = state
        .search
        .all_matches(&mut conn, &request, viewer.as_ref())
        .await?;
    let (content_type, filename) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", "case-studies.csv"),
        ExportFormat::Ndjson => ("application/x-ndjson", "case-studies.ndjson"),
    };
    // Rows are read and written a batch at a time, so memory stays flat however many match.
    let batches: Vec<Vec<Uuid>> = ids.chunks(EXPORT_BATCH).map(<[Uuid]>::to_vec).collect();
    let header = (format == ExportFormat::Csv).then(csv_header);
    let body = stream::unfold(
        (conn, batches.into_iter(), header),
        move |(mut conn, mut batches, header)| {
            let state = state.clone();
            async move {
                if let Some(header) = header {
                    return Some((Ok(web::Bytes::from(header)), (conn, batches, None)));
                }
                let batch = batches.next()?;
                let chunk = match export_batch(&state, &mut conn, &batch).await {
                    Ok(rows) => Ok(web::Bytes::from(encode(format, &rows))),
                    Err(error) => {
                        tracing::error!(error = %error, "export stopped part-way");
                        Err(actix_web::error::ErrorServiceUnavailable(
                            "export interrupted",
                        ))
                    }
                };
                Some((chunk, (conn, batches, None)))
            }
        },
    );
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .streaming(body))
}

const EXPORT_BATCH: usize = 500;

/// One batch of an export, in order. The ids come from the index, which follows the
/// primary; a replica that has not yet replayed a change lacks some of them, and then the
/// batch is read from the primary.
async fn export_batch(
    state: &AppState,
    conn: &mut PgConnection,
    batch: &[Uuid],
) -> Result<Vec<CaseStudy>, ApiError> {
    let rows = case_studies::live_many(conn, batch).await?;
    if rows.len() == batch.len() || state.read_pool.is_none() {
        return Ok(rows);
    }
    let mut primary = state.db().await?;
    case_studies::live_many(&mut primary, batch).await
}

const CSV_COLUMNS: [&str; 25] = [
    "id",
    "slug",
    "title",
    "summary",
    "status",
    "quadrants",
    "journey_steps",
    "values",
    "scale",
    "sector",
    "locality",
    "country",
    "start_year",
    "end_year",
    "owner",
    "partners",
    "community_partners",
    "outcomes",
    "outcome_figures",
    "you_asked",
    "we_said",
    "we_did",
    "what_worked",
    "could_improve",
    "published_at",
];

/// A byte-order mark first, so spreadsheets read the file as UTF-8.
fn csv_header() -> String {
    format!("\u{feff}{}\r\n", CSV_COLUMNS.join(","))
}

fn encode(format: ExportFormat, rows: &[CaseStudy]) -> String {
    let mut out = String::new();
    for row in rows {
        match format {
            ExportFormat::Ndjson => {
                out.push_str(&serde_json::to_string(row).unwrap_or_default());
                out.push('\n');
            }
            ExportFormat::Csv => {
                let cells = csv_cells(row);
                let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
                out.push_str(&line.join(","));
                out.push_str("\r\n");
            }
        }
    }
    out
}

fn codes<V: Vocabulary>(members: &[V]) -> String {
    members
        .iter()
        .map(|m| m.code())
        .collect::<Vec<_>>()
        .join("; ")
}

fn csv_cells(row: &CaseStudy) -> [String; 25] {
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    let year = |y: Option<i16>| y.map(|y| y.to_string()).unwrap_or_default();
    [
        row.id.to_string(),
        row.slug.clone(),
        row.title.clone(),
        row.summary.clone(),
        row.status.code().to_owned(),
        codes(&row.quadrants),
        codes(&row.journey_steps),
        codes(&row.values),
        row.scale.code().to_owned(),
        row.sector.code().to_owned(),
        text(&row.locality),
        row.country.code().to_owned(),
        year(row.start_year),
        year(row.end_year),
        row.owner.name.clone(),
        row.partners
            .iter()
            .map(|p| format!("{} ({})", p.organisation.name, p.role))
            .collect::<Vec<_>>()
            .join("; "),
        row.partners
            .iter()
            .filter(|p| p.role == PartnerRole::Community)
            .map(|p| p.organisation.name.clone())
            .collect::<Vec<_>>()
            .join("; "),
        row.outcomes
            .iter()
            .map(|o| o.category.code())
            .collect::<Vec<_>>()
            .join("; "),
        row.outcomes
            .iter()
            .filter_map(|o| {
                o.metric
                    .map(|m| format!("{} {}", serde_json::json!(m)["value"], m.unit))
            })
            .collect::<Vec<_>>()
            .join("; "),
        text(&row.you_asked),
        text(&row.we_said),
        text(&row.we_did),
        text(&row.what_worked),
        text(&row.could_improve),
        row.published_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
    ]
}

/// RFC 4180 quoting, and a leading apostrophe for cells a spreadsheet would take for a
/// formula (`=`, `+`, `-`, `@`, tab, carriage return): exported text must never run.
fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
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
        ("limit" = Option<u32>, Query, description = "How many (1-20)", minimum = 1, maximum = 20),
    ),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Related case studies, most related first", body = RelatedList),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[get("/case-studies/{id}/related")]
pub async fn related_case_studies(
    state: web::Data<AppState>,
    Viewer(viewer): Viewer,
    id: web::Path<String>,
    query: QueryParams,
) -> Result<web::Json<RelatedList>, ApiError> {
    let limit = match query.one::<u32>("limit", "a whole number from 1 to 20")? {
        None => 5,
        Some(limit @ 1..=20) => limit as usize,
        Some(_) => {
            return Err(ApiError::invalid_parameter(
                "limit",
                "must be between 1 and 20",
            ));
        }
    };
    let key = case_studies::CaseStudyKey::parse(&id).ok_or(ApiError::NotFound("case study"))?;
    let mut conn = state.read_db(viewer.as_ref()).await?;
    let found = case_studies::state(&mut conn, &key)
        .await?
        .ok_or(ApiError::NotFound("case study"))?;
    if !state.search.visible(found.id, viewer.as_ref()) {
        return Err(ApiError::NotFound("case study"));
    }
    let items = state.search.related(&mut conn, found.id, limit).await?;
    Ok(web::Json(RelatedList { items }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_would_run_as_formulas_are_defused() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+44 1835"), "'+44 1835");
        assert_eq!(csv_cell("-5"), "'-5");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(
            csv_cell("Kelso, Scottish Borders"),
            "\"Kelso, Scottish Borders\""
        );
        assert_eq!(csv_cell("plain"), "plain");
    }
}
