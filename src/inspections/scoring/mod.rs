//! The inspector's pages under `/inspect`, outside `/d/{dept}`: a round's inspectors may come
//! from several departments (生活卫生部, 女生部, 安全部). Who may is the round's own list
//! (`inspection_inspector`), checked in the SQL of every statement (`queries::results`,
//! `queries::scores`): anyone else gets the 404 page, and a published round takes no edits.

mod form;
mod report;
mod room;
mod rounds;
mod save;

use axum::{
    extract::DefaultBodyLimit,
    routing::{get, post},
    Router,
};

use crate::app::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inspect", get(rounds::list_rounds))
        .route("/inspect/rounds/{round_id}", get(rounds::show_round))
        .route(
            "/inspect/rounds/{round_id}/rooms/{room_id}",
            get(room::show_sheet).post(room::save_sheet).layer(DefaultBodyLimit::max(crate::config::UPLOAD_LIMIT)),
        )
        .route("/inspect/rounds/{round_id}/rooms/{room_id}/report", post(report::report_finding))
}
