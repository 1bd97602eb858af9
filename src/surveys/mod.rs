//! Questionnaires (问卷): a department builds one (sections, nine kinds of question,
//! conditions, a preview), opens it for a window to an audience, in one of three identity
//! modes shown before anyone answers (named, anonymous once per student, open by link or
//! printed code); the department reads live results with charts, filters and exports,
//! and publishes them after closing. Questionnaires belong to a department and stand on
//! their own, so recruitment can attach one to a position later. Owns `survey`,
//! `survey_question`, `survey_code`, `survey_respondent`, `survey_response`,
//! `survey_pending_response`, `survey_response_author`.

pub mod anonymity;
pub mod answers;
mod build;
pub mod forms;
pub mod model;
mod paths;
mod public;
pub mod queries;
pub mod results;

use axum::routing::{get, post};
use axum::Router;

use crate::app::AppState;
use crate::web::dept_access::{guarded, Need};
use crate::web::DeptRole;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/surveys", get(public::list_surveys))
        .route("/surveys/{survey_id}", get(public::show_survey))
        .route("/surveys/{survey_id}/answer", post(public::answer_survey))
        .route("/surveys/{survey_id}/results", get(public::published_results))
}

/// Staff routes, relative to `/d/{dept}`. Only the department's own members read its
/// questionnaires and answers (the presidium's reading right does not reach named answers);
/// vice-heads and heads build, version and publish.
pub fn staff_routes(state: &AppState) -> Router<AppState> {
    let read = Router::new()
        .route("/surveys", get(build::list_surveys))
        .route("/surveys/{survey_id}", get(build::show_builder))
        .route("/surveys/{survey_id}/preview", get(build::preview))
        .route("/surveys/{survey_id}/results", get(build::results::show_results))
        .route("/surveys/{survey_id}/export.csv", get(build::results::export_csv))
        .route("/surveys/{survey_id}/export.xlsx", get(build::results::export_xlsx))
        .route("/surveys/{survey_id}/codes", get(build::codes::code_sheet));
    let edit = Router::new()
        .route("/surveys/new", post(build::create_survey))
        .route("/surveys/{survey_id}/update", post(build::update_survey))
        .route("/surveys/{survey_id}/questions/add", post(build::questions::add_question))
        .route("/surveys/{survey_id}/questions/{question_id}/update", post(build::questions::update_question))
        .route("/surveys/{survey_id}/questions/{question_id}/remove", post(build::questions::remove_question))
        .route("/surveys/{survey_id}/new-version", post(build::versions::new_version))
        .route("/surveys/{survey_id}/publish", post(build::versions::publish))
        .route("/surveys/{survey_id}/codes", post(build::codes::make_codes));
    guarded(state, Need::Act(DeptRole::Member), read).merge(guarded(state, Need::Act(DeptRole::ViceHead), edit))
}
