//! casebook: the shared memory of co-production in public services.

pub mod accounts;
pub mod auth;
pub mod caching;
pub mod config;
pub mod cursor;
pub mod db;
pub mod demo;
pub mod domain;
pub mod editorial;
pub mod embedding;
pub mod error;
pub mod export;
pub mod import;
pub mod insight;
pub mod json;
pub mod kept;
pub mod markup;
pub mod metrics;
pub mod openapi;
pub mod protection;
pub mod relevance;
pub mod routes;
pub mod search;
pub mod startup;
pub mod state;
pub mod telemetry;
