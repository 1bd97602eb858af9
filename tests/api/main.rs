//! One test binary for the whole API: `mod` lines only.

// Tests may unwrap: a failed unwrap is a failed test. The product may not (Cargo.toml [lints]).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod accounts;
mod audit;
mod authz;
mod backup;
mod catalogue;
mod complaints;
mod csp;
mod expensive;
mod faults;
mod first_run;
mod helpers;
mod holidays;
mod hostile;
mod idor;
mod limits;
mod log_privacy;
mod lost_found;
mod managed_db;
mod merge_privacy;
mod operations;
mod plans;
mod reception;
mod reset;
mod route_discovery;
mod slow_clients;
mod stats;
mod write_limits;
