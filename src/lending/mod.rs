//! Lending without a deposit (爱心伞 first; power banks and more are rows of
//! `lending_kind`): stations run by a department, tagged items, loans borrowed at one
//! station and returned at any, reminders, lost items and stock moves. The rules of a loan
//! are SQL (`lending_borrow`, `lending_return`), so a desk and a phone racing for one item
//! make one loan. Owns `lending_kind`, `lending_station`, `lending_item`, `lending_loan`,
//! `lending_move`.

mod desk;
pub mod forms;
pub mod model;
mod paths;
mod public;
pub mod queries;
pub mod reminders;
mod setup;
pub mod stats;

use axum::routing::{get, post};
use axum::Router;

use crate::app::AppState;
use crate::web::dept_access::{guarded, Desk, Need};
use crate::web::DeptRole;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/umbrellas", get(public::list_stations))
        .route("/umbrellas/i/{code}", get(public::show_item))
        .route("/umbrellas/i/{code}/borrow", post(public::borrow))
        .route("/umbrellas/i/{code}/return", post(public::give_back))
        .route("/me/loans", get(public::my_loans))
}

/// Staff routes, relative to `/d/{dept}`: the pages of departments that run lending
/// (`Desk::Lending`; another department has none of them, 404).
pub fn staff_routes(state: &AppState) -> Router<AppState> {
    let read = Router::new()
        .route("/lending", get(desk::show_desk))
        .route("/lending/labels", get(desk::labels))
        .route("/lending/stations/{station_id}", get(setup::show_station))
        .route("/lending/kinds/{kind}", get(setup::show_kind));
    let desk = Router::new()
        .route("/lending/lend", post(desk::lend))
        .route("/lending/return", post(desk::take_back))
        .route("/lending/move", post(desk::move_stock))
        .route("/lending/items/state", post(setup::set_item_state));
    // The setup: stations, tagged items and the kinds' rules (kinds are shared by every
    // department that lends).
    let setup = Router::new()
        .route("/lending/stations/new", post(desk::create_station))
        .route("/lending/stations/{station_id}", post(setup::update_station))
        .route("/lending/items/new", post(desk::add_items))
        .route("/lending/kinds/{kind}", post(setup::update_kind));
    guarded(state, Need::Read(DeptRole::Member).at(Desk::Lending), read)
        .merge(guarded(state, Need::Act(DeptRole::Member).at(Desk::Lending), desk))
        .merge(guarded(state, Need::Act(DeptRole::ViceHead).at(Desk::Lending), setup))
}
