//! The service against PostgreSQL clusters of its own, started and stopped by the tests:
//! a database that goes away and comes back. They need the PostgreSQL server binaries
//! (initdb, pg_ctl).

// The API tests' helpers; this binary uses only some of them.
#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

mod faults;
mod support;
