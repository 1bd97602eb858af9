//! One test binary for the whole API: `mod` lines only.

mod accounts;
mod authz;
mod catalogue;
mod complaints;
mod faults;
mod helpers;
mod lost_found;
mod managed_db;
mod operations;
mod plans;
mod reception;
mod stats;
