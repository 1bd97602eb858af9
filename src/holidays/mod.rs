//! The working calendar (节假日与调休): public holidays and make-up working days as
//! data, the working-day rule over them (`working_days`), the calendar every deadline
//! reads (`calendar`), and its page under `/admin/holidays`. It owns `calendar_day`.
//! It knows nothing of complaints: areas with working-day deadlines ask it.

mod admin;
pub mod queries;
pub mod working_days;

use std::sync::Arc;

use axum::{
    routing::{get, post},
    Router,
};

pub use working_days::{DayKind, LateFilings, WorkCalendar};

use crate::app::AppState;

/// `/admin/holidays/{day}…`: a date, `2026-10-01`.
#[derive(serde::Deserialize)]
pub struct DayPath {
    pub day: chrono::NaiveDate,
}

/// Administration routes, relative to `/admin` (guarded there).
pub fn admin_routes() -> Router<AppState> {
    Router::new()
        .route("/holidays", get(admin::list_days))
        .route("/holidays/add", post(admin::add_day))
        .route("/holidays/{day}/delete", post(admin::delete_day))
}

/// The calendar as it is now: read often, changed rarely, so kept for a few seconds
/// (`Cached::calendar`); the admin page clears it on every change.
pub async fn calendar(state: &AppState) -> sqlx::Result<Arc<WorkCalendar>> {
    state.cached.calendar.get_or_load((), || queries::load_calendar(&state.db)).await
}
