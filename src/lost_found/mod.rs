//! Lost and found (失物招领): collection points, the officers' intake and the fate
//! of each found item, students' lost reports, matching between the two, lost
//! campus cards told to their owners, numbered bulletins with a feed and a print
//! layout, each point's register and poster, and students' reports of things they found. Owns
//! `collection_point`, `found_item`, `found_offer`, `lost_report`, `lost_match` and `bulletin`.

pub mod bulletins;
pub mod cards;
pub mod forms;
pub mod matching;
pub mod model;
pub mod offers;
mod points;
mod poster;
pub mod queries;
mod register;
pub mod retention;
mod staff;
mod students;

pub use staff::{register_item, register_item_in};

use axum::routing::{get, post};
use axum::{extract::DefaultBodyLimit, Router};

use crate::app::AppState;
use crate::web::dept_access::{guarded, Desk, Need};
use crate::web::DeptRole;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lost-found", get(students::list_items))
        .route("/lost-found/items/{item_id}", get(students::show_item))
        .route("/lost-found/items/{item_id}/photo", get(students::item_photo))
        .route("/lost-found/lost/new", get(students::new_report).post(students::create_report))
        .route(
            "/lost-found/found/new",
            get(offers::new_offer).post(offers::create_offer).layer(DefaultBodyLimit::max(crate::config::UPLOAD_LIMIT)),
        )
        .route("/me/found/{offer_id}", get(offers::show_offer))
        .route("/lost-found/bulletins", get(bulletins::list_bulletins))
        .route("/lost-found/bulletins/{number}", get(bulletins::show_bulletin))
        .route("/lost-found/bulletins/{number}/print", get(bulletins::print_bulletin))
        .route("/feeds/lost-found.atom", get(bulletins::feed))
        .route("/lost-found/points/{point_id}/poster", get(poster::point_poster))
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
    // So do students' reports of things they found (the finder's contact when they keep it).
    let desk = Router::new()
        .route("/lost-found/lost-reports", get(staff::list_reports))
        .route("/lost-found/offers", get(staff::list_offers))
        .route("/lost-found/offers/{offer_id}/confirm", post(staff::confirm_offer))
        .route("/lost-found/offers/{offer_id}/decline", post(staff::decline_offer));
    let manage = Router::new()
        .route("/lost-found/points/add", post(points::create_point))
        .route("/lost-found/points/{point_id}/update", post(points::update_point));
    // Only departments that run lost and found have these pages (404 for the others).
    guarded(state, Need::Read(DeptRole::Member).at(Desk::LostFound), read)
        .merge(guarded(state, Need::Act(DeptRole::Member).at(Desk::LostFound), act))
        .merge(guarded(state, Need::Act(DeptRole::Member).at(Desk::LostFound), desk))
        .merge(guarded(state, Need::Act(DeptRole::ViceHead).at(Desk::LostFound), manage))
}

/// `/lost-found/items/{item_id}…`, also under `/d/{dept}` (the department is the middleware's).
#[derive(serde::Deserialize)]
pub struct ItemPath {
    pub item_id: i64,
}

/// `/me/lost/{report_id}…`
#[derive(serde::Deserialize)]
pub struct ReportPath {
    pub report_id: i64,
}

/// `/lost-found/bulletins/{number}…`: bulletin numbers are `int4` in the database.
#[derive(serde::Deserialize)]
pub struct BulletinPath {
    pub number: i32,
}

/// `/lost-found/points/{point_id}/poster`, `/d/{dept}/lost-found/points/{point_id}…`
#[derive(serde::Deserialize)]
pub struct PointPath {
    pub point_id: i64,
}
