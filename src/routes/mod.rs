//! The HTTP surface: one module per resource, handlers thin (extract, call, respond).

pub mod audit;
pub mod auth;
pub mod case_studies;
pub mod extract;
pub mod health;
pub mod insight;
pub mod organisations;
pub mod pagination;
pub mod query;
pub mod revisions;
pub mod search;
pub mod users;
pub mod vocabularies;

use actix_web::{HttpRequest, HttpResponse, ResponseError};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;

/// The route table, shared by the server and the OpenAPI document so the two cannot drift.
pub fn register(config: &mut ServiceConfig) {
    config
        .service(health::health)
        .service(crate::metrics::prometheus)
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
        .service(insight::profile)
        .service(insight::star)
        .service(insight::star_svg)
        .service(insight::crosstab)
        .service(insight::changes_feed)
        .service(insight::atom_feed)
        .service(auth::issue_token)
        .service(auth::refresh)
        .service(auth::revoke_token)
        .service(auth::me)
        .service(users::create_user)
        .service(users::list_users)
        .service(users::get_user)
        .service(users::deactivate_user)
        .service(users::change_role)
        .service(audit::list_audit_events)
        .service(vocabularies::vocabularies);
}

/// Unknown paths answer in the same problem format as everything else.
pub async fn not_found(_request: HttpRequest) -> HttpResponse {
    ApiError::NotFound("resource").error_response()
}
