//! The HTTP surface: one module per resource, handlers thin (extract, call, respond).

pub mod api_keys;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod case_studies;
pub mod extract;
pub mod feeds;
pub mod health;
pub mod oai;
pub mod organisations;
pub mod pagination;
pub mod profiles;
pub mod query;
pub mod revisions;
pub mod search;
pub mod stats;
pub mod users;
pub mod versions;
pub mod vocabularies;

use std::collections::HashMap;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ResourceDef, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use utoipa::openapi::OpenApi;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;

/// The route table, shared by the server and the OpenAPI document so the two cannot drift.
pub fn register(config: &mut ServiceConfig) {
    config
        .service(health::health)
        .service(crate::metrics::prometheus)
        .service(oai::oai_get)
        .service(oai::oai_post)
        .service(scope("/api/v1").configure(api));
}

/// Everything under `/api/v1`.
fn api(config: &mut ServiceConfig) {
    config
        // `export` before `{id}`, which would otherwise take it for a slug.
        .service(search::search_case_studies)
        .service(search::export_case_studies)
        .service(search::related_case_studies)
        .service(case_studies::create_case_study)
        .service(case_studies::get_case_study)
        .service(case_studies::replace_case_study)
        .service(case_studies::archive_case_study)
        .service(case_studies::submit_case_study)
        .service(case_studies::publish_case_study)
        .service(case_studies::return_case_study)
        .service(attachments::add_attachment)
        .service(attachments::list_attachments)
        .service(attachments::get_attachment)
        .service(attachments::remove_attachment)
        .service(versions::list_versions)
        .service(versions::get_version)
        .service(versions::record_doi)
        .service(case_studies::get_self_assessment)
        .service(case_studies::put_self_assessment)
        .service(revisions::list_revisions)
        .service(revisions::get_revision)
        .service(revisions::diff_revisions)
        .service(revisions::restore_revision)
        .service(revisions::list_comments)
        .service(organisations::list_organisations)
        .service(organisations::create_organisation)
        .service(organisations::get_organisation)
        .service(organisations::update_organisation)
        .service(profiles::profile)
        .service(stats::star)
        .service(stats::star_svg)
        .service(stats::crosstab)
        .service(feeds::changes_feed)
        .service(feeds::atom_feed)
        .service(auth::issue_token)
        .service(auth::refresh)
        .service(auth::revoke_token)
        .service(auth::me)
        .service(auth::change_password)
        .service(api_keys::create_api_key)
        .service(api_keys::list_api_keys)
        .service(api_keys::revoke_api_key)
        .service(users::create_user)
        .service(users::list_users)
        .service(users::get_user)
        .service(users::deactivate_user)
        .service(users::change_role)
        .service(users::reset_password)
        .service(audit::list_audit_events)
        .service(vocabularies::vocabularies);
}

/// Every path of the API with the methods it takes, read from the OpenAPI document (which
/// is collected from the route table above), for answering the requests no route takes.
pub struct Methods {
    /// Paths without parameters, looked up before routing: `/case-studies/export` must not
    /// fall through to `/case-studies/{id}`, whose handlers would read a body first.
    literal: HashMap<String, Vec<&'static str>>,
    /// Every path pattern, with how many parameters it has (fewer is more specific).
    patterns: Vec<(ResourceDef, usize, Vec<&'static str>)>,
}

impl Methods {
    pub fn of(document: &OpenApi) -> Self {
        let mut literal = HashMap::new();
        let mut patterns = Vec::new();
        for (path, item) in &document.paths.paths {
            let operations = [
                ("GET", &item.get),
                ("PUT", &item.put),
                ("POST", &item.post),
                ("DELETE", &item.delete),
                ("OPTIONS", &item.options),
                ("HEAD", &item.head),
                ("PATCH", &item.patch),
                ("TRACE", &item.trace),
            ];
            let methods: Vec<&'static str> = operations
                .into_iter()
                .filter(|(_, operation)| operation.is_some())
                .map(|(method, _)| method)
                .collect();
            let parameters = path.matches('{').count();
            if parameters == 0 {
                literal.insert(path.clone(), methods.clone());
            }
            patterns.push((ResourceDef::new(path.as_str()), parameters, methods));
        }
        patterns.sort_by_key(|(_, parameters, _)| *parameters);
        Self { literal, patterns }
    }

    /// The methods of the most specific path pattern this path matches; empty for a path
    /// that is not the API's.
    fn allowed(&self, path: &str) -> &[&'static str] {
        self.patterns
            .iter()
            .find(|(pattern, _, _)| pattern.is_match(path))
            .map_or(&[], |(_, _, methods)| methods.as_slice())
    }
}

/// Answers 405 for a method a literal path does not take, before routing, so no handler of
/// a parameterised path that also matches (and no body extractor of it) ever runs.
pub async fn refuse_undeclared_methods(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static>>, actix_web::Error> {
    let refused = request
        .app_data::<web::Data<Methods>>()
        .and_then(|methods| methods.literal.get(request.path()))
        .filter(|allowed| !allowed.contains(&request.method().as_str()))
        .cloned();
    match refused {
        Some(allowed) => {
            let response = ApiError::MethodNotAllowed { allowed }.error_response();
            Ok(request.into_response(response).map_into_right_body())
        }
        None => Ok(next.call(request).await?.map_into_left_body()),
    }
}

/// The OpenAPI document as served at `/openapi.json`: written once at start-up and shared
/// by every worker, rather than kept as a tree and written anew for each request.
pub struct OpenApiDocument(web::Bytes);

impl OpenApiDocument {
    pub fn of(document: &OpenApi) -> serde_json::Result<Self> {
        Ok(Self(serde_json::to_vec(document)?.into()))
    }
}

pub async fn openapi_document(document: web::Data<OpenApiDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(mime::APPLICATION_JSON)
        .body(document.0.clone())
}

/// Requests no route took answer in the same problem format as everything else: 405 with
/// `Allow` for a path of the API asked with a method it does not take, otherwise 404.
pub async fn not_found(request: HttpRequest) -> HttpResponse {
    let allowed = request
        .app_data::<web::Data<Methods>>()
        .map(|methods| methods.allowed(request.path()).to_vec())
        .unwrap_or_default();
    if allowed.is_empty() || allowed.contains(&request.method().as_str()) {
        ApiError::NotFound("resource").error_response()
    } else {
        ApiError::MethodNotAllowed { allowed }.error_response()
    }
}
