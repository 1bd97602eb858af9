//! One test binary for the whole API: `mod` lines only.

mod accounts;
mod audit;
mod authz;
mod backup;
mod catalogue;
mod complaints;
mod helpers;
mod limits;
mod lost_found;
mod managed_db;
mod operations;
mod plans;
mod reception;
mod slow_clients;
mod stats;
