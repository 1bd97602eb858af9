//! The draw in public: `/events/{id}/draw` shows every input as it is published (the
//! rules and witnesses' commitments from the start, the pool and quotas at the close,
//! the reveals, the public value) and then the result; `draw.json` is the stored draw
//! that docs/verify-draw.py (served at `/events/verify-draw.py`) recomputes.

use std::collections::BTreeMap;

use askama::Template;
use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue},
    response::{Html, IntoResponse, Response},
};

use super::{
    draw::{Draw, ALGORITHM},
    paths::EventPath,
    public::load_event,
    queries::{self, Event, Witness},
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    web::{render, Layout, Path},
};

#[derive(Template)]
#[template(path = "events/draw.html")]
struct DrawPage {
    layout: Layout,
    e: Event,
    algorithm: &'static str,
    witnesses: Vec<Witness>,
    /// Published at the close.
    pool: Option<String>,
    quotas: BTreeMap<String, i32>,
    /// Once drawn.
    drawn: Option<Draw>,
    /// The address of draw.json, for the verification command.
    json_url: String,
}

impl DrawPage {
    /// The command the page tells anyone to run.
    pub fn verify_command(&self) -> String {
        format!("python3 verify-draw.py {}", self.json_url)
    }
    pub fn is_selected(&self, app_no: &str) -> bool {
        self.drawn.as_ref().is_some_and(|d| d.selected.iter().any(|s| s == app_no))
    }
}

pub async fn show_draw(
    State(state): State<AppState>,
    layout: Layout,
    headers: HeaderMap,
    Path(EventPath { event_id }): Path<EventPath>,
) -> AppResult<Html<String>> {
    let e = load_event(&state, event_id).await?;
    if !e.is_draw() {
        return Err(AppError::NotFound);
    }
    // One connection for the page's statements (the pool checks each one it gets back).
    let mut conn = state.db.acquire().await?;
    let witnesses = queries::list_witnesses(&mut *conn, event_id).await?;
    let (pool, quotas) = match queries::fetch_pool(&mut *conn, event_id).await? {
        Some((pool, _, quotas)) => (Some(pool), serde_json::from_value(quotas).unwrap_or_default()),
        None => (None, BTreeMap::new()),
    };
    let drawn = queries::fetch_draw(&mut *conn, event_id).await?.and_then(|d| serde_json::from_value(d).ok());
    drop(conn);
    let json_url = format!("{}/events/{event_id}/draw.json", crate::web::base_url(&state, &headers));
    let page = DrawPage { layout, e, algorithm: ALGORITHM, witnesses, pool, quotas, drawn, json_url };
    Ok(Html(render(page)?))
}

/// The stored draw, its fields in the order the algorithm lists them (the database keeps
/// the values, not the order); 404 until the draw has run.
pub async fn draw_json(
    State(state): State<AppState>,
    Path(EventPath { event_id }): Path<EventPath>,
) -> AppResult<Response> {
    let stored = queries::fetch_draw(&state.db, event_id).await?.ok_or(AppError::NotFound)?;
    let d: Draw = serde_json::from_value(stored).map_err(|e| AppError::Internal(e.into()))?;
    let body = serde_json::to_string_pretty(&d).map_err(|e| AppError::Internal(e.into()))?;
    let mut response = ([(header::CONTENT_TYPE, "application/json; charset=utf-8")], body).into_response();
    // Anyone may fetch it from anywhere, a verifier's own page included; it never changes.
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    Ok(response)
}

/// The verification script, as the repository ships it.
pub async fn verify_script() -> Response {
    let script = include_str!("../../docs/verify-draw.py");
    let mut response = ([(header::CONTENT_TYPE, "text/x-python; charset=utf-8")], script).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"verify-draw.py\""));
    response
}
