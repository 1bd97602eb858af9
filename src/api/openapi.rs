//! The OpenAPI 3.1 document of the API, derived by `utoipa` from the handlers'
//! `#[utoipa::path]` and the response types' `ToSchema`, so it cannot drift from the code.

use std::sync::OnceLock;

use axum::{http::header, response::IntoResponse};
use utoipa::OpenApi;

use super::{commitments, complaints, events, http, inspections, lost_found, open311, reception, stats};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Student union portal — open data API",
        version = "1",
        description = "Read-only JSON of what the portal's public pages show. Lists are paged by cursor \
                       (`per_page` up to 100, `next` and a `Link: rel=\"next\"` header); answers carry an \
                       ETag and honour If-None-Match; CORS allows any origin to GET. No session is read."
    ),
    paths(
        complaints::list_complaints,
        complaints::show_complaint,
        lost_found::list_items,
        lost_found::list_bulletins,
        lost_found::show_bulletin,
        reception::list_days,
        reception::show_day,
        commitments::list_commitments,
        events::list_events,
        events::show_event,
        inspections::show_rankings,
        stats::show_stats,
        openapi_json,
        open311::services,
        open311::requests,
        open311::request,
    ),
    components(schemas(http::ErrorBody)),
    tags(
        (name = "complaints", description = "The public complaints board"),
        (name = "lost_found", description = "Found items and bulletins"),
        (name = "reception", description = "Reception days and the commitments board"),
        (name = "events", description = "Events with limited places and their public draws"),
        (name = "inspections", description = "Dormitory inspection rankings, by room"),
        (name = "stats", description = "The public statistics"),
        (name = "meta", description = "This document"),
        (name = "open311", description = "Open311 GeoReport v2 (read-only)"),
    )
)]
pub struct ApiDoc;

/// The document, built once.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOC.get_or_init(ApiDoc::openapi)
}

/// This OpenAPI 3.1 document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi_json() -> impl IntoResponse {
    match document().to_json() {
        Ok(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Err(e) => http::ApiError::Internal(e.into()).into_response(),
    }
}
