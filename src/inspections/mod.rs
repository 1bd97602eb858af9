//! Dorm hygiene inspections (宿舍卫生检查) and the 文明寝室 rankings: departments with the
//! inspections desk keep buildings, rooms and residents, version their rubric and run
//! rounds (`setup`); the inspectors a round names score room after room on a phone
//! (`scoring`, under `/inspect`, wherever their department is); residents see their own
//! room's results and appeal once a term (`residents`, under `/me/room`); everyone sees
//! rankings by room number only (`public`). Owns the `dorm_*` and `inspection_*` tables.

mod averages;
pub mod model;
mod paths;
pub mod public;
pub mod published;
pub mod queries;
pub mod ranking_view;

pub mod rankings;
pub mod residents;
pub mod scoring;
pub mod setup;

use axum::Router;

use crate::app::AppState;

/// Public pages, the inspector's pages and the resident's: each checks who may see what
/// in its own route group and again in its SQL (see each module).
pub fn router() -> Router<AppState> {
    Router::new().merge(public::routes()).merge(scoring::routes()).merge(residents::routes())
}

/// Staff routes, relative to `/d/{dept}`: the pages of departments that inspect
/// (`Desk::Inspections`; another department has none of them, 404).
pub fn staff_routes(state: &AppState) -> Router<AppState> {
    setup::staff_routes(state)
}
