//! union-portal: the student union's portal — complaints, lost and found,
//! reception days and department work plans. A library with a thin `main.rs`,
//! so tests build the same router the binary serves.

rust_i18n::i18n!("locales", fallback = "zh-CN");

/// Accounts: registration, login, sessions, passwords.
pub mod accounts;
/// The open data API: read-only JSON, its OpenAPI document, and Open311 GeoReport v2.
pub mod api;
/// The router, its layers and the HTTP server.
pub mod app;
/// The append-only audit trail.
pub mod audit;
/// Commands other than `serve`: admin, seed-demo, backup; start-up bootstrap.
pub mod cli;
/// Rights complaints: filing, workflow, public board.
pub mod complaints;
/// Command line and configuration.
pub mod config;
/// The database: managed or given, its pools, the migrations.
pub mod db;
/// Departments, terms, memberships, union roles; staff and admin pages.
pub mod departments;
/// The weekly digest (周报): the mail, its weekly job, the one-click unsubscribe.
pub mod digest;
/// The one error type and its HTTP mapping.
pub mod error;
/// Events with limited places: applications, the public draw, confirmation, attendance.
pub mod events;
/// The working calendar: public holidays and make-up working days, working-day arithmetic.
pub mod holidays;
/// The home page and the language switch.
pub mod home;
/// Dorm hygiene inspections: rooms and residents, rubrics, rounds, appeals, rankings.
pub mod inspections;
/// The background loops (`spawn_all`) and daily and weekly jobs shared by every process.
pub mod jobs;
/// Lost and found: points, intake, lost reports, matching, bulletins, registers.
pub mod lost_found;
/// Outgoing mail (the outbox).
pub mod mail;
/// The portal's own PostgreSQL cluster.
pub mod managed_db;
/// In-portal notifications.
pub mod notifications;
/// School offices: liaisons answering forwarded cases, each office's public record.
pub mod offices;
/// Department work plans: goals, actions, workflow, versions.
pub mod plans;
/// Reception days, their minutes and the commitments board.
pub mod reception;
/// Questionnaires (问卷): builder, answering (anonymous storage apart), results, exports.
pub mod recruitment;
/// Group robots: the union's chats (企业微信, 钉钉, 飞书) told what happened, through an outbox.
pub mod robots;
/// Search that finds Chinese words.
pub mod search;
/// Public statistics and department figures: SVG charts with their tables.
pub mod stats;
pub mod surveys;
/// Photo checking, re-encoding and storage.
pub mod uploads;
/// HTTP glue shared by every area.
pub mod web;

/// The embedded migrations.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");
/// Lending without a deposit (爱心伞): stations, tagged items, loans, reminders, stock moves.
pub mod lending;
