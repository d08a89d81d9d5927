//! casebook: the shared memory of co-production in public services.

pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod editorial;
pub mod error;
pub mod import;
pub mod insight;
pub mod metrics;
pub mod openapi;
pub mod protection;
pub mod routes;
pub mod search;
pub mod startup;
pub mod telemetry;
