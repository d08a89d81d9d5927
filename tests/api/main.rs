//! Integration tests: the real service over HTTP, against a real PostgreSQL.

mod case_studies;
mod demo_data;
mod health;
mod helpers;
mod openapi;
mod organisations;
mod schema;
mod validation;
