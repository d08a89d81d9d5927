//! Pages for people: server-rendered HTML over the same services, rules and rights as the
//! API, so there is one code path for every rule. Every page works without scripts; the
//! API itself stays under `/api/v1`, unchanged.

pub mod editing;
mod form;
pub mod frame;
pub mod public;
pub mod session;
mod view;

use actix_web::web;

/// The pages' routes, beside the API's (they are not part of its contract).
pub fn register(config: &mut web::ServiceConfig) {
    config
        .service(frame::stylesheet)
        .service(frame::script)
        .service(public::home_page)
        .service(public::search_page)
        .service(public::case_study_page)
        .service(public::organisation_page)
        .service(public::star_page)
        .service(editing::sign_in_page)
        .service(editing::sign_in)
        .service(editing::sign_out)
        .service(editing::dashboard)
        .service(editing::new_case_study)
        .service(editing::create)
        .service(editing::edit_case_study)
        .service(editing::save)
        .service(editing::submit)
        .service(editing::review_queue)
        .service(editing::review_case_study)
        .service(editing::decide);
}
