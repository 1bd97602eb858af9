//! Department work plans (部门工作计划): a plan per department and period with its
//! review, goals and actions; the workflow from draft to reviewed; progress that
//! members report on their own actions; every version kept and comparable; no
//! edit ever silently lost; public plans; the presidium's overview. Owns `plan*`.

pub mod forms;
pub mod model;
mod public;
pub mod queries;
mod staff;
pub mod text;

use axum::routing::{get, post};
use axum::{middleware, Router};

use crate::app::AppState;
use crate::web::dept_access::{guarded, require_presidium, Need};
use crate::web::DeptRole;

/// `/plans/{plan_id}…`, also under `/d/{dept}` (the department is the middleware's).
#[derive(serde::Deserialize)]
pub struct PlanPath {
    pub plan_id: i64,
}

/// `/d/{dept}/plans/{plan_id}/goals/{goal_id}…`
#[derive(serde::Deserialize)]
pub struct PlanGoalPath {
    pub goal_id: i64,
}

/// `/d/{dept}/plans/{plan_id}/actions/{action_id}…`
#[derive(serde::Deserialize)]
pub struct PlanActionPath {
    pub action_id: i64,
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans", get(public::list_public))
        .route("/plans/{plan_id}", get(public::show_public))
        .route("/plans/{plan_id}/print", get(public::print_public))
}

/// Staff routes, relative to `/d/{dept}`.
pub fn staff_routes(state: &AppState) -> Router<AppState> {
    let read = Router::new()
        .route("/plans", get(staff::list_plans))
        .route("/plans/{plan_id}", get(staff::show_plan))
        .route("/plans/{plan_id}/history", get(staff::history))
        .route("/plans/{plan_id}/print", get(staff::print_plan))
        .route("/plans/{plan_id}/export.md", get(staff::export_markdown));
    let member = Router::new().route("/plans/{plan_id}/actions/{action_id}/progress", post(staff::report_progress));
    let edit = Router::new()
        .route("/plans/new", post(staff::create_plan))
        .route("/plans/{plan_id}/header", post(staff::save_header))
        .route("/plans/{plan_id}/goals/add", post(staff::add_goal))
        .route("/plans/{plan_id}/goals/{goal_id}/update", post(staff::update_goal))
        .route("/plans/{plan_id}/goals/{goal_id}/remove", post(staff::remove_goal))
        .route("/plans/{plan_id}/goals/{goal_id}/move", post(staff::move_goal))
        .route("/plans/{plan_id}/goals/{goal_id}/actions/add", post(staff::add_action))
        .route("/plans/{plan_id}/actions/{action_id}/update", post(staff::update_action))
        .route("/plans/{plan_id}/actions/{action_id}/remove", post(staff::remove_action))
        .route("/plans/{plan_id}/actions/{action_id}/move", post(staff::move_action));
    let head = Router::new()
        .route("/plans/{plan_id}/public", post(staff::set_public))
        .route("/plans/{plan_id}/steps/submit", post(staff::submit_plan))
        .route("/plans/{plan_id}/steps/start", post(staff::start_plan))
        .route("/plans/{plan_id}/steps/review", post(staff::review_plan));
    // No one approves their own department's plan, even from the presidium.
    let presidium = Router::new()
        .route("/plans/{plan_id}/steps/approve", post(staff::approve_plan))
        .route("/plans/{plan_id}/steps/return", post(staff::return_plan));
    guarded(state, Need::Read(DeptRole::Member), read)
        .merge(guarded(state, Need::Act(DeptRole::Member), member))
        .merge(guarded(state, Need::Act(DeptRole::ViceHead), edit))
        .merge(guarded(state, Need::Act(DeptRole::Head), head))
        .merge(guarded(state, Need::Presidium, presidium))
}

/// The presidium's own pages (top level, not under a department).
pub fn presidium_routes() -> Router<AppState> {
    Router::new().route("/presidium/plans", get(public::overview)).route_layer(middleware::from_fn(require_presidium))
}
