//! Events with limited places (食堂开放日 and every oversubscribed activity): any
//! department with the events desk announces one; verified students apply once; places
//! go first come first served, or by a draw whose every input is published before
//! anyone can influence it (`draw`, recomputed by docs/verify-draw.py); the selected
//! confirm or their place moves down the waiting list; organisers check attendance at
//! the door. Owns `event`, `event_quota`, `event_witness`, `event_application`.

pub mod draw;
pub mod draw_page;
pub mod feeds;
pub mod forms;
pub mod model;
mod organise;
mod paths;
pub mod places;
mod poster;
pub mod public;
pub mod queries;
mod witnessing;

use axum::routing::{get, post};
use axum::Router;

use crate::app::AppState;
use crate::web::dept_access::{guarded, Desk, Need};
use crate::web::DeptRole;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events", get(public::list_events))
        .route("/events.ics", get(feeds::calendar))
        .route("/feeds/events.atom", get(feeds::feed))
        .route("/events/verify-draw.py", get(draw_page::verify_script))
        .route("/events/{event_id}", get(public::show_event))
        .route("/events/{event_id}/poster", get(poster::event_poster))
        .route("/events/{event_id}/apply", post(public::apply))
        .route("/events/{event_id}/withdraw", post(public::withdraw))
        .route("/events/{event_id}/confirm", post(public::confirm))
        .route("/events/{event_id}/commit", post(witnessing::commit))
        .route("/events/{event_id}/reveal", post(witnessing::reveal))
        .route("/events/{event_id}/draw", get(draw_page::show_draw))
        .route("/events/{event_id}/draw.json", get(draw_page::draw_json))
}

/// Staff routes, relative to `/d/{dept}`: the pages of departments that run events
/// (`Desk::Events`; another department has none of them, 404).
pub fn staff_routes(state: &AppState) -> Router<AppState> {
    let read = Router::new()
        .route("/events", get(organise::list_events))
        .route("/events/{event_id}", get(organise::manage_event));
    let door = Router::new()
        .route("/events/{event_id}/attendance", get(organise::door::attendance))
        .route("/events/{event_id}/attendance/{application_id}", post(organise::door::mark_present))
        .route("/events/{event_id}/export.csv", get(organise::door::export_csv))
        .route("/events/{event_id}/export.xlsx", get(organise::door::export_xlsx));
    let edit = Router::new()
        .route("/events/new", post(organise::create_event))
        .route("/events/{event_id}/update", post(organise::edit::update_event))
        .route("/events/{event_id}/cancel", post(organise::edit::cancel_event))
        .route("/events/{event_id}/witnesses/add", post(organise::drawing::add_witness))
        .route("/events/{event_id}/witnesses/{witness_id}/remove", post(organise::drawing::remove_witness))
        .route("/events/{event_id}/draw", post(organise::drawing::run_draw));
    guarded(state, Need::Read(DeptRole::Member).at(Desk::Events), read)
        .merge(guarded(state, Need::Act(DeptRole::Member).at(Desk::Events), door))
        .merge(guarded(state, Need::Act(DeptRole::ViceHead).at(Desk::Events), edit))
}

/// Each minute: freeze the pools of windows just closed, and move on places whose
/// confirmation is overdue. Every step locks its event's row, so processes may overlap.
pub async fn run_forever(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        if let Err(e) = places::freeze_due(&state.db).await {
            tracing::warn!(error = %e, "freezing event pools failed; will retry");
        }
        if let Err(e) = places::lapse_overdue(&state.db).await {
            tracing::warn!(error = %e, "moving on unconfirmed event places failed; will retry");
        }
    }
}
