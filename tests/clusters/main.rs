//! The service against PostgreSQL clusters of its own, started and stopped by the tests:
//! a database that goes away and comes back, a primary with a streaming standby, and a
//! server that speaks only TLS.
//! They need the PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup).

// The API tests' helpers; this binary uses only some of them.
#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

mod faults;
mod replica;
mod support;
mod tls;
