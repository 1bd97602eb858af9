//! Recruitment (招新): the presidium opens a round for a term; departments publish
//! positions with their own questions (one of their questionnaires) and interview times;
//! verified students apply to up to N departments in order of preference, choose an
//! interview time and answer offers by a deadline; each department reads only its own
//! applicants, notes and scores interviews, and offers, waitlists or declines. Accepting
//! one offer releases the others to the next on those waiting lists and makes the student
//! a member for the round's term. Owns `recruitment_round`, `recruitment_position`,
//! `recruitment_slot`, `recruitment_application`, `recruitment_note`.

pub mod forms;
mod mine;
pub mod model;
pub mod offers;
mod paths;
mod presidium;
mod public;
pub mod queries;
mod staff;

use axum::routing::{get, post};
use axum::Router;

use crate::app::AppState;
use crate::web::dept_access::{guarded, Need};
use crate::web::DeptRole;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/recruitment", get(public::list_rounds))
        .route("/recruitment/positions/{position_id}", get(public::show_position))
        .route("/recruitment/positions/{position_id}/apply", post(public::apply))
        .route("/me/applications", get(mine::my_applications))
        .route("/me/applications/{application_id}/withdraw", post(mine::withdraw))
        .route("/me/applications/{application_id}/slot", post(mine::book_slot))
        .route("/me/applications/{application_id}/accept", post(mine::accept))
        .route("/me/applications/{application_id}/decline", post(mine::turn_down))
}

/// The presidium opens rounds and reads the figures; never an application.
pub fn presidium_routes() -> Router<AppState> {
    Router::new()
        .route("/presidium/recruitment", get(presidium::show_overview).post(presidium::open_round))
        .route_layer(axum::middleware::from_fn(crate::web::dept_access::require_presidium))
}

/// Staff routes, relative to `/d/{dept}`. Applications are the department's own business:
/// its members read them and write interview notes (the presidium's reading right does not
/// reach them); vice-heads and heads publish positions and decide.
pub fn staff_routes(state: &AppState) -> Router<AppState> {
    let read = Router::new()
        .route("/recruitment", get(staff::show_desk))
        .route("/recruitment/applications/{application_id}", get(staff::show_application))
        .route("/recruitment/applications/{application_id}/notes", post(staff::add_note))
        .route("/recruitment/slots", post(staff::create_slot));
    let decide = Router::new()
        .route("/recruitment/positions", post(staff::create_position))
        .route("/recruitment/applications/{application_id}/decide", post(staff::decide));
    guarded(state, Need::Act(DeptRole::Member), read).merge(guarded(state, Need::Act(DeptRole::ViceHead), decide))
}
