//! Lost and found (失物招领): collection points, the officers' intake and the fate
//! of each found item, students' lost reports, matching between the two, lost
//! campus cards told to their owners, numbered bulletins with a feed and a print
//! layout, and each point's register. Owns `collection_point`, `found_item`,
//! `lost_report`, `lost_match` and `bulletin`.

pub mod bulletins;
pub mod forms;
pub mod matching;
pub mod model;
mod points;
pub mod queries;
mod register;
pub mod retention;
mod staff;
mod students;

pub use staff::register_item;

use axum::{
    extract::DefaultBodyLimit,
    routing::{get, post},
    Router,
};

use crate::{
    app::AppState,
    error::{AppError, AppResult},
    web::{
        dept_access::{guarded, Need},
        DeptAccess, DeptRole,
    },
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lost-found", get(students::list_items))
        .route("/lost-found/items/{item_id}", get(students::show_item))
        .route("/lost-found/items/{item_id}/photo", get(students::item_photo))
        .route("/lost-found/lost/new", get(students::new_report).post(students::create_report))
        .route("/lost-found/bulletins", get(bulletins::list_bulletins))
        .route("/lost-found/bulletins/{number}", get(bulletins::show_bulletin))
        .route("/lost-found/bulletins/{number}/print", get(bulletins::print_bulletin))
        .route("/feeds/lost-found.atom", get(bulletins::feed))
        .route("/me/lost/{report_id}", get(students::show_report))
        .route("/me/lost/{report_id}/close", post(students::close_report))
}

/// Staff routes, relative to `/d/{dept}`.
pub fn staff_routes(state: &AppState) -> Router<AppState> {
    let read = Router::new()
        .route("/lost-found", get(staff::desk))
        .route("/lost-found/items/{item_id}", get(staff::show_item))
        .route("/lost-found/expired", get(staff::list_expired))
        .route("/lost-found/register", get(register::show_register))
        .route("/lost-found/register.csv", get(register::register_csv))
        .route("/lost-found/register.xlsx", get(register::register_xlsx))
        .route("/lost-found/bulletins", get(bulletins::next_bulletin))
        .route("/lost-found/points", get(points::list_points));
    let act = Router::new()
        // A photo too large gets its message beside the field, not a bare 413: the limit is the complaint form's.
        .route("/lost-found/items", post(staff::create_item).layer(DefaultBodyLimit::max(crate::config::UPLOAD_LIMIT)))
        .route("/lost-found/items/{item_id}/claim", post(staff::claim_item))
        .route("/lost-found/items/{item_id}/return", post(staff::return_item))
        .route("/lost-found/items/{item_id}/dispose", post(staff::dispose_item))
        .route("/lost-found/expired/dispose", post(staff::dispose_expired))
        .route("/lost-found/bulletins/publish", post(bulletins::publish));
    // Students' lost reports carry their private contacts: for the desk's own
    // members only, not for the presidium's reading right (see `list_open_reports`).
    let desk = Router::new().route("/lost-found/lost-reports", get(staff::list_reports));
    let manage = Router::new()
        .route("/lost-found/points/add", post(points::create_point))
        .route("/lost-found/points/{point_id}/update", post(points::update_point));
    guarded(state, Need::Read(DeptRole::Member), read)
        .merge(guarded(state, Need::Act(DeptRole::Member), act))
        .merge(guarded(state, Need::Act(DeptRole::Member), desk))
        .merge(guarded(state, Need::Act(DeptRole::ViceHead), manage))
}

/// Only departments that run lost and found have these pages.
fn require_lost_found(access: &DeptAccess) -> AppResult<()> {
    if access.dept.runs_lost_found {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// An id from the path: anything that is not one names nothing (404, not 400).
fn parse_id(raw: &str) -> AppResult<i64> {
    raw.parse().map_err(|_| AppError::NotFound)
}
