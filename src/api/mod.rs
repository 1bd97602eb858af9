//! The open data API: read-only JSON under `/api/v1/` of what the public pages already
//! show, its OpenAPI 3.1 document and a readable page of it, and complaints as Open311
//! GeoReport v2 (`/open311/v2/`). It never reads a session: every answer is the
//! anonymous visitor's, built by the areas' own public queries, so privacy rules are the
//! pages' rules and are not written twice. Everything here is GET and writes nothing of its
//! own (reading an event whose window has just closed freezes its pool, as its page does).

mod commitments;
mod complaints;
mod docs;
mod events;
mod http;
mod inspections;
mod lost_found;
mod open311;
pub mod openapi;
mod queries;
mod reception;
mod stats;

use axum::{
    http::{Method, StatusCode},
    middleware,
    response::IntoResponse,
    routing::get,
    Router,
};
use tower_http::{
    catch_panic::CatchPanicLayer,
    cors::{Any, CorsLayer},
    timeout::TimeoutLayer,
};

use crate::app::AppState;

/// The API's routes, mounted beside the pages (not inside them: no session, no CSRF, no
/// HTML error pages). Cross-origin GETs are allowed from anywhere, without credentials.
pub fn router(timeout: std::time::Duration) -> Router<AppState> {
    let cors = CorsLayer::new().allow_origin(Any).allow_methods([Method::GET, Method::HEAD]).allow_headers(Any);
    Router::new()
        .route("/api/v1/complaints", get(complaints::list_complaints))
        .route("/api/v1/complaints/{tracking_no}", get(complaints::show_complaint))
        .route("/api/v1/lost-found/items", get(lost_found::list_items))
        .route("/api/v1/lost-found/bulletins", get(lost_found::list_bulletins))
        .route("/api/v1/lost-found/bulletins/{number}", get(lost_found::show_bulletin))
        .route("/api/v1/reception/days", get(reception::list_days))
        .route("/api/v1/reception/days/{code}", get(reception::show_day))
        .route("/api/v1/commitments", get(commitments::list_commitments))
        .route("/api/v1/events", get(events::list_events))
        .route("/api/v1/events/{event_id}", get(events::show_event))
        .route("/api/v1/inspections/rankings", get(inspections::show_rankings))
        .route("/api/v1/stats", get(stats::show_stats))
        .route("/api/v1/openapi.json", get(openapi::openapi_json))
        .route("/open311/v2/services.json", get(open311::services))
        .route("/open311/v2/requests.json", get(open311::requests))
        .route("/open311/v2/requests/{id}", get(open311::request))
        .layer(middleware::from_fn(http::conditional_get))
        .layer(cors)
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        .layer(CatchPanicLayer::custom(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()))
        .layer(middleware::from_fn(http::json_errors))
}

/// The readable page of the document: HTML in the portal's layout, so it stays with the pages.
pub fn docs_router() -> Router<AppState> {
    Router::new().route("/api", get(docs::show_docs))
}
