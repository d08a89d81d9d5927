//! Integration tests: the real service over HTTP, against a real PostgreSQL.

mod atomicity;
mod auth;
mod authorization;
mod case_studies;
mod command_line;
mod demo_data;
mod health;
mod helpers;
mod hostile;
mod insight;
mod openapi;
mod organisations;
mod protection;
mod schema;
mod search;
mod shutdown;
mod validation;
mod workflow;
