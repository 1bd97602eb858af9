//! One test binary for the whole API: `mod` lines only.

// Tests may unwrap: a failed unwrap is a failed test. The product may not (Cargo.toml [lints]).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod accounts;
mod audit;
mod campus;
mod campus_oidc;
mod campus_oidc_tokens;
mod catalogue;
mod commitment_reminders;
mod commitments;
mod complaints;
mod digest;
mod escalations;
mod events;
mod found_offers;
mod helpers;
mod holidays;
mod inspections_public;
mod inspections_scoring;
mod inspections_setup;
mod lending;
mod lending_reminders;
mod lending_setup;
mod link_previews;
mod lost_found;
mod offices;
mod on_behalf;
mod open311;
mod open_data;
mod open_data_areas;
mod operations;
mod overdue_agenda;
mod paper;
mod plans;
mod reception;
mod recruitment;
mod recruitment_offers;
mod reset;
mod robots;
mod robots_delivery;
mod security;
mod stats;
mod surveys_anonymity;
mod surveys_answering;
mod surveys_codes;
mod surveys_feedback;
mod surveys_results;
mod surveys_versions;
mod verified;
