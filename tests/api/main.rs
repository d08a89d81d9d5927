//! Integration tests: the real service over HTTP, against a real PostgreSQL.

mod api_keys;
mod atomicity;
mod auth;
mod authorization;
mod case_studies;
mod change_log;
mod command_line;
mod demo_data;
mod exports;
mod health;
mod helpers;
mod hostile;
mod import;
mod insight;
mod leaks;
mod openapi;
mod organisations;
mod practice;
mod protection;
mod relevance;
mod schema;
mod search;
mod semantic;
mod shutdown;
mod validation;
mod workflow;
