//! Complaints (权益投诉): filing, the public board, one complaint's page with its
//! timeline and its receipt, supports (同问), and the handling department's queue and workflow.
//! Owns `complaint*` tables, `school_office` and the `tracking_no_<year>` sequences.

mod board;
pub mod deadlines;
mod filing;
mod forms;
mod handlers;
mod photos;
mod presidium;
pub mod queries;
mod receipt;
mod setup;
mod staff;
pub mod status;

pub use filing::{file_complaint, file_complaint_as};
pub use forms::NewComplaintValues;
pub use handlers::{can_see, public_event};

/// `/complaints/{tracking_no}…` and `/d/{dept}/complaints/{tracking_no}…` (the
/// department is the middleware's).
#[derive(serde::Deserialize)]
pub struct ComplaintPath {
    pub tracking_no: String,
}

#[derive(serde::Deserialize)]
pub struct ComplaintPhotoPath {
    pub tracking_no: String,
    pub photo_id: i64,
}

/// `/admin/complaint-setup/categories/{category_id}…`
#[derive(serde::Deserialize)]
pub struct CategoryPath {
    pub category_id: i64,
}

/// `/admin/complaint-setup/offices/{office_id}…`
#[derive(serde::Deserialize)]
pub struct OfficePath {
    pub office_id: i64,
}

use axum::routing::{get, post};
use axum::{extract::DefaultBodyLimit, Router};

use crate::app::AppState;
use crate::web::dept_access::{guarded, Desk, Need};
use crate::web::DeptRole;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/complaints", get(board::list_complaints))
        .route(
            "/complaints/new",
            get(filing::new_complaint)
                .post(filing::create_complaint)
                .layer(DefaultBodyLimit::max(crate::config::UPLOAD_LIMIT)),
        )
        .route("/complaints/{tracking_no}/photos/{photo_id}", get(photos::show_photo))
        .route("/complaints/{tracking_no}", get(handlers::show_complaint))
        .route("/complaints/{tracking_no}/receipt", get(receipt::show_receipt))
        .route("/complaints/{tracking_no}/support", post(handlers::support_complaint))
        .route("/complaints/{tracking_no}/reply", post(handlers::reply_to_complaint))
        .route("/complaints/{tracking_no}/confirm", post(handlers::confirm_complaint))
        .route("/complaints/{tracking_no}/reopen", post(handlers::reopen_complaint))
}

/// Staff routes, relative to `/d/{dept}`.
pub fn staff_routes(state: &AppState) -> Router<AppState> {
    let read = Router::new()
        .route("/complaints", get(staff::list_queue))
        .route("/complaints/{tracking_no}", get(staff::show_case));
    let act = Router::new()
        .route("/complaints/new", get(staff::new_on_behalf).post(staff::file_on_behalf))
        .route("/complaints/{tracking_no}/transition", post(staff::transition_complaint))
        .route("/complaints/{tracking_no}/reply", post(staff::reply_publicly))
        .route("/complaints/{tracking_no}/note", post(staff::add_note))
        .route("/complaints/{tracking_no}/assign", post(staff::assign_complaint))
        .route("/complaints/{tracking_no}/transfer", post(staff::transfer_complaint))
        .route("/complaints/{tracking_no}/escalate", post(staff::escalate_complaint))
        .route("/complaints/{tracking_no}/agenda", post(staff::put_on_agenda))
        .route("/complaints/{tracking_no}/merge", post(staff::merge_complaint))
        .route("/complaints/{tracking_no}/commitments", post(staff::add_commitment));
    guarded(state, Need::Read(DeptRole::Member).at(Desk::Complaints), read).merge(guarded(
        state,
        Need::Act(DeptRole::Member).at(Desk::Complaints),
        act,
    ))
}

/// The presidium's escalations.
pub fn presidium_routes() -> Router<AppState> {
    Router::new()
        .route("/presidium/escalations", get(presidium::list_escalations))
        .route("/presidium/escalations/{tracking_no}", get(presidium::show_escalation))
        .route("/presidium/escalations/{tracking_no}/reply", post(presidium::reply))
        .route("/presidium/escalations/{tracking_no}/note", post(presidium::add_note))
        .route("/presidium/escalations/{tracking_no}/transfer", post(presidium::transfer))
        .route("/presidium/escalations/{tracking_no}/forward", post(presidium::forward))
        .route("/presidium/escalations/{tracking_no}/agenda", post(presidium::put_on_agenda))
        .route("/presidium/escalations/{tracking_no}/send-back", post(presidium::send_back))
        .route_layer(axum::middleware::from_fn(crate::web::dept_access::require_presidium))
}

/// Administration routes, relative to `/admin` (guarded there).
pub fn admin_routes() -> Router<AppState> {
    Router::new()
        .route("/complaint-setup", get(setup::show_setup))
        .route("/complaint-setup/categories/add", post(setup::create_category))
        .route("/complaint-setup/categories/{category_id}/update", post(setup::update_category))
        .route("/complaint-setup/offices/add", post(setup::create_office))
        .route("/complaint-setup/offices/{office_id}/update", post(setup::update_office))
}
