//! Cross-cutting operations suites: serving (health, headers, error pages, caches),
//! backup and restore, faults under load, the managed database, slow clients, the
//! first run and the expensive requests.

mod backup;
mod cluster;
mod cluster_writes;
mod expensive;
mod faults;
mod first_run;
mod managed_db;
mod reference_changes;
mod serving;
mod slow_clients;
mod test_databases;
