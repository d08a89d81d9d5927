//! `/oai`: the OAI-PMH 2.0 endpoint harvesters call, by GET or by a form POST.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::error::ApiError;
use crate::harvest::{self, Repository};
use crate::metadata::oai::Arguments;
use crate::openapi::{PayloadTooLarge, Problems, ServiceUnavailable, UnsupportedMediaType};
use crate::state::AppState;

/// The most a form of OAI-PMH arguments can reasonably hold.
const FORM_LIMIT: usize = 8 * 1024;

/// OAI-PMH 2.0 by GET: `verb` and the verb's arguments in the query.
///
/// Verbs: `Identify`, `ListMetadataFormats` (`oai_dc`, `datacite`), `ListSets`
/// (`quadrant:…`, `sector:…`, `country:…`, `organisation:{slug}`), `ListIdentifiers` and
/// `ListRecords` (`metadataPrefix`, `from`, `until`, `set`, or `resumptionToken`) and
/// `GetRecord` (`identifier` `oai:{host}:{id}`, `metadataPrefix`). Protocol errors
/// (`badVerb`, `badArgument`, `badResumptionToken`, `cannotDisseminateFormat`,
/// `idDoesNotExist`, `noRecordsMatch`) come inside a 200 answer, as the protocol says.
/// Withdrawn case studies are listed as deleted.
#[utoipa::path(
    tag = "feeds",
    params(
        ("verb" = String, Query, description = "The OAI-PMH verb"),
        ("metadataPrefix" = Option<String>, Query, description = "`oai_dc` or `datacite`"),
        ("identifier" = Option<String>, Query, description = "`oai:{host}:{case study id}`"),
        ("from" = Option<String>, Query, description = "`YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`"),
        ("until" = Option<String>, Query, description = "`YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`"),
        ("set" = Option<String>, Query, description = "A set spec from `ListSets`"),
        ("resumptionToken" = Option<String>, Query, description = "From the previous page; sent alone with the verb"),
    ),
    security(()),
    responses(
        (status = 200, description = "An OAI-PMH response, or a protocol error inside one", content_type = "text/xml", body = String),
        Problems<(ServiceUnavailable,)>,
    )
)]
#[get("/oai")]
pub async fn oai_get(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    respond(&state, request.query_string().as_bytes()).await
}

/// OAI-PMH 2.0 by POST: the same arguments as a form.
#[utoipa::path(
    tag = "feeds",
    request_body(content_type = "application/x-www-form-urlencoded", content = Object, description = "The arguments a GET would put in its query: `verb=…&metadataPrefix=…`"),
    security(()),
    responses(
        (status = 200, description = "An OAI-PMH response, or a protocol error inside one", content_type = "text/xml", body = String),
        Problems<(PayloadTooLarge, UnsupportedMediaType, ServiceUnavailable)>,
    )
)]
#[post("/oai")]
pub async fn oai_post(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(ApiError::UnsupportedMediaType {
            expected: "application/x-www-form-urlencoded",
        });
    }
    let form = body
        .to_bytes_limited(FORM_LIMIT)
        .await
        .map_err(|_| ApiError::PayloadTooLarge { limit: FORM_LIMIT })?
        .map_err(|error| ApiError::MalformedBody(error.to_string()))?;
    respond(&state, &form).await
}

async fn respond(state: &AppState, form: &[u8]) -> Result<HttpResponse, ApiError> {
    let arguments: Arguments = form_urlencoded::parse(form).into_owned().collect();
    let site = state.site();
    let repository = Repository {
        site: &site,
        admin_email: &state.config.admin_email,
        settled: state.search.settled_seq(),
        search: &state.search,
        page_size: i64::try_from(state.config.oai_page_size).unwrap_or(50),
    };
    let mut conn = state.read_db(None).await?;
    let xml = harvest::answer(&mut conn, &repository, &arguments).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/xml; charset=utf-8")
        .body(xml))
}
