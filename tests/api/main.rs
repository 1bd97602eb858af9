//! One test binary for the whole API: `mod` lines only.

mod accounts;
mod audit;
mod authz;
mod backup;
mod catalogue;
mod complaints;
mod csp;
mod expensive;
mod faults;
mod helpers;
mod hostile;
mod idor;
mod limits;
mod log_privacy;
mod lost_found;
mod managed_db;
mod operations;
mod plans;
mod reception;
mod reset;
mod route_discovery;
mod slow_clients;
mod stats;
