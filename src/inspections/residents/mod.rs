//! The resident's pages under `/me/room`: their own room's published results with deductions
//! and photos, one appeal per room per term, and photos shared for the 寝室文化节. A resident
//! is a verified account whose student number is in `dorm_resident`; each statement finds
//! the room from the viewer in its SQL (`queries::residents`, `queries::appeals`), so no other
//! room is ever shown. Also serves the private photos of deductions and appeals.

mod appeal;
mod photos;
mod room;
mod share;

use axum::{
    extract::DefaultBodyLimit,
    routing::{get, post},
    Router,
};

use crate::app::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me/room", get(room::show_room))
        .route(
            "/me/room/results/{result_id}/appeal",
            post(appeal::file_appeal).layer(DefaultBodyLimit::max(crate::config::UPLOAD_LIMIT)),
        )
        .route("/me/room/photos", post(share::share_photo).layer(DefaultBodyLimit::max(crate::config::UPLOAD_LIMIT)))
        .route("/me/room/photos/{photo_id}/remove", post(share::withdraw_photo))
        .route("/inspections/deductions/{deduction_id}/photo", get(photos::deduction_photo))
        .route("/inspections/appeals/{appeal_id}/photo", get(photos::appeal_photo))
}
