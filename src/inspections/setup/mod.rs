//! The department's side (`/d/{dept}/inspections`, departments with the inspections
//! desk): the dashboard, buildings, rooms and residents, the rubric's versions, rounds
//! (inspectors, progress, publishing, exports) and deciding appeals. Who may do what
//! is the route groups' (members read, vice heads and heads change); every round and
//! appeal is read with the department in the SQL. Rooms and rubrics are the whole
//! university's, shared by the departments that inspect.

mod appeals;
mod dashboard;
mod exports;
pub mod import;
mod room;
mod rooms;
mod rounds;
mod rubric;

use axum::{
    routing::{get, post},
    Router,
};
use serde::Deserialize;
use serde_json::Value;

use super::queries::{rounds as round_queries, rounds::Round};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    web::{
        dept_access::{guarded, Desk, Need},
        DeptAccess, DeptRole,
    },
};

pub fn staff_routes(state: &AppState) -> Router<AppState> {
    let read = Router::new()
        .route("/inspections", get(dashboard::show_dashboard))
        .route("/inspections/rooms", get(rooms::list_rooms))
        .route("/inspections/rooms/{room_id}", get(room::show_room))
        .route("/inspections/rubric", get(rubric::show_rubric))
        .route("/inspections/rounds/{round_id}", get(rounds::show_round))
        .route("/inspections/appeals", get(appeals::list_appeals));
    let sheets = Router::new()
        .route("/inspections/rounds/{round_id}/export.csv", get(exports::export_csv))
        .route("/inspections/rounds/{round_id}/export.xlsx", get(exports::export_xlsx))
        .route("/inspections/rounds/{round_id}/print", get(exports::print_round));
    let edit = Router::new()
        .route("/inspections/rooms/import", post(rooms::import_rooms))
        .route("/inspections/residents/import", post(rooms::import_residents))
        .route("/inspections/rooms/{room_id}/update", post(room::update_room))
        .route("/inspections/rooms/{room_id}/residents/add", post(room::add_resident))
        .route("/inspections/rooms/{room_id}/residents/remove", post(room::remove_resident))
        .route("/inspections/rubric", post(rubric::save_rubric))
        .route("/inspections/rounds/new", post(rounds::create_round))
        .route("/inspections/rounds/{round_id}/inspectors", post(rounds::add_inspector))
        .route("/inspections/rounds/{round_id}/inspectors/{user_id}/remove", post(rounds::remove_inspector))
        .route("/inspections/rounds/{round_id}/publish", post(rounds::publish_round))
        .route("/inspections/appeals/{appeal_id}/decide", post(appeals::decide_appeal));
    guarded(state, Need::Read(DeptRole::Member).at(Desk::Inspections), read)
        .merge(guarded(state, Need::Act(DeptRole::Member).at(Desk::Inspections), sheets))
        .merge(guarded(state, Need::Act(DeptRole::ViceHead).at(Desk::Inspections), edit))
}

/// `…/rounds/{round_id}/inspectors/{user_id}/remove`.
#[derive(Deserialize)]
pub struct InspectorPath {
    pub round_id: i64,
    pub user_id: i64,
}

fn base(access: &DeptAccess) -> String {
    format!("/d/{}/inspections", access.dept.slug)
}

fn can_edit(access: &DeptAccess) -> bool {
    access.may(Need::Act(DeptRole::ViceHead))
}

/// This department's round, or 404.
async fn own_round(state: &AppState, access: &DeptAccess, round_id: i64) -> AppResult<Round> {
    round_queries::fetch_round_of_department(&state.db, round_id, access.dept.department_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Every change the department makes is on the trail, against what it changed.
async fn audit_step(
    db: impl sqlx::PgExecutor<'_>,
    access: &DeptAccess,
    action: Action,
    object: (&str, i64),
    before: Option<Value>,
    after: Value,
) -> sqlx::Result<()> {
    let (actor, dept) = (Some(access.viewer.user_id), Some(access.dept.department_id));
    audit::record(db, actor, dept, action, object.0, &object.1.to_string(), before, Some(after)).await
}

/// The catalogue key of a grade or an outcome, for templates.
pub fn grade_key(grade: &Option<String>) -> String {
    grade.as_deref().map_or_else(|| "inspections.setup.grade.none".into(), |g| format!("inspections.setup.grade.{g}"))
}
