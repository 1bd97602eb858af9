//! Cross-cutting security suites: who may reach what (the route × role table in
//! `authz`, `idor`, `idor_inspections`, `route_discovery`, `session_grants`), hostile
//! input, the content security policy, what logs and merged complaints may reveal, and the
//! rate limits.

pub(crate) mod authz;
mod csp;
mod hostile;
mod idor;
mod idor_inspections;
mod limits;
mod log_privacy;
mod merge_privacy;
pub(crate) mod route_discovery;
mod session_grants;
mod shared_limits;
mod write_limits;
