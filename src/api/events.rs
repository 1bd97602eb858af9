//! `/api/v1/events`: events with limited places as their public pages show them, and a draw
//! event's draw as `/events/{id}/draw` publishes it: the witnesses' commitments and reveals,
//! the pool's hash, and once drawn the beacon, the seed and the order of application
//! numbers. Applicants are numbers there and here; no name or student number is served.

use std::collections::BTreeMap;

use axum::{
    extract::{Query, State},
    Json,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::http::{next_url, ApiResult, ErrorBody, Origin, Page, Paging};
use crate::{
    app::AppState,
    events::{
        draw::{Draw, ALGORITHM},
        public::load_event,
        queries::{self, Event, EventFilter},
    },
    web::Path,
};

/// An event as its public page shows it.
#[derive(Serialize, ToSchema)]
pub struct EventSummary {
    pub event_id: i64,
    pub title: String,
    /// The organising department.
    pub organiser_zh: String,
    pub organiser_en: String,
    pub place: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub places: i32,
    /// Applications not withdrawn.
    pub applicants: i64,
    pub applications_open_at: DateTime<Utc>,
    pub applications_close_at: DateTime<Utc>,
    /// cancelled, announced, open, closed, decided or held.
    pub phase: String,
    /// first_come or draw.
    pub selection: String,
    /// For a draw: none, fixed, proportional or one_per_college.
    pub quota_rule: String,
    /// Who may apply (verified students only in any case): these colleges, these entry years.
    pub colleges: Vec<String>,
    pub grades: Vec<i32>,
    pub url: String,
}

fn summary(origin: &str, e: Event, now: DateTime<Utc>) -> EventSummary {
    let phase = e.phase_key(&now).trim_start_matches("events.phase.").to_string();
    EventSummary {
        url: format!("{origin}/events/{}", e.event_id),
        phase,
        event_id: e.event_id,
        title: e.title,
        organiser_zh: e.dept_name_zh,
        organiser_en: e.dept_name_en,
        place: e.place,
        starts_at: e.starts_at,
        ends_at: e.ends_at,
        places: e.places,
        applicants: e.applicants,
        applications_open_at: e.applications_open_at,
        applications_close_at: e.applications_close_at,
        selection: e.selection,
        quota_rule: e.quota_rule,
        colleges: e.colleges,
        grades: e.grades,
    }
}

/// The events, those to come first (soonest first), then the past (latest first).
#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(Paging),
    responses((status = 200, body = Page<EventSummary>), (status = 400, body = ErrorBody)))]
pub async fn list_events(
    State(state): State<AppState>,
    Origin(origin): Origin,
    Query(paging): Query<Paging>,
) -> ApiResult<Page<EventSummary>> {
    let per_page = paging.per_page()?;
    let offset = paging.offset()?;
    let filter = EventFilter { limit: per_page + 1, offset, ..EventFilter::default() };
    let mut events = queries::find_events(&state.db, &filter).await?;
    let more = events.len() as i64 > per_page;
    events.truncate(per_page as usize);
    let now = Utc::now();
    let items = events.into_iter().map(|e| summary(&origin, e, now)).collect();
    let cursor = more.then(|| (offset + per_page).to_string());
    let next = next_url(&origin, "/api/v1/events", &[("per_page", &paging.per_page)], cursor);
    Ok(Page { items, per_page, next })
}

/// A witness of a draw: their label, their commitment (a SHA-256), and their secret once revealed.
#[derive(Serialize, ToSchema)]
pub struct DrawWitness {
    pub label: String,
    pub commitment: Option<String>,
    pub secret: Option<String>,
}

/// An application's place in the draw's order.
#[derive(Serialize, ToSchema)]
pub struct DrawPlace {
    /// The application's number (A0001…), never its applicant.
    pub app_no: String,
    pub key: String,
    pub selected: bool,
}

/// The draw's result, once it has run.
#[derive(Serialize, ToSchema)]
pub struct DrawResult {
    pub beacon: String,
    pub seed: String,
    pub order: Vec<DrawPlace>,
    pub selected: Vec<String>,
    pub waiting: Vec<String>,
    /// The stored draw, which docs/verify-draw.py recomputes.
    pub json_url: String,
}

/// A draw as its public page shows it.
#[derive(Serialize, ToSchema)]
pub struct DrawFacts {
    pub algorithm: String,
    pub witnesses: Vec<DrawWitness>,
    /// Published at the close of applications.
    pub pool_hash: Option<String>,
    /// Places per college, published with the pool.
    pub quotas: BTreeMap<String, i32>,
    pub public_value_source: String,
    pub public_value: Option<String>,
    pub reveal_deadline: DateTime<Utc>,
    pub result: Option<DrawResult>,
    pub url: String,
}

/// An event with its description (Markdown, as written) and, for a draw event, its draw.
#[derive(Serialize, ToSchema)]
pub struct EventDetail {
    pub event: EventSummary,
    pub description: String,
    pub draw: Option<DrawFacts>,
}

#[derive(Deserialize)]
pub struct EventPath {
    event_id: i64,
}

/// One event; 404 when there is none.
#[utoipa::path(get, path = "/api/v1/events/{event_id}", tag = "events",
    params(("event_id" = i64, Path, description = "The event's number")),
    responses((status = 200, body = EventDetail), (status = 404, body = ErrorBody)))]
pub async fn show_event(
    State(state): State<AppState>,
    Origin(origin): Origin,
    Path(EventPath { event_id }): Path<EventPath>,
) -> ApiResult<Json<EventDetail>> {
    // The page's own read: a pool due to be published at the close is frozen by whoever looks first.
    let e = load_event(&state, event_id).await?;
    let draw = if e.is_draw() { Some(draw_facts(&state, &origin, &e).await?) } else { None };
    let description = e.description.clone();
    Ok(Json(EventDetail { event: summary(&origin, e, Utc::now()), description, draw }))
}

async fn draw_facts(state: &AppState, origin: &str, e: &Event) -> ApiResult<DrawFacts> {
    let mut conn = state.db.acquire().await?;
    let witnesses = queries::list_witnesses(&mut *conn, e.event_id).await?;
    let quotas = match queries::fetch_pool(&mut *conn, e.event_id).await? {
        Some((_, _, quotas)) => serde_json::from_value(quotas).unwrap_or_default(),
        None => BTreeMap::new(),
    };
    let drawn: Option<Draw> =
        queries::fetch_draw(&mut *conn, e.event_id).await?.and_then(|d| serde_json::from_value(d).ok());
    let url = format!("{origin}/events/{}/draw", e.event_id);
    let result = drawn.map(|d| DrawResult {
        order: d
            .order
            .iter()
            .map(|r| DrawPlace {
                selected: d.selected.contains(&r.app_no),
                app_no: r.app_no.clone(),
                key: r.key.clone(),
            })
            .collect(),
        json_url: format!("{url}.json"),
        beacon: d.beacon,
        seed: d.seed,
        selected: d.selected,
        waiting: d.waiting,
    });
    Ok(DrawFacts {
        algorithm: ALGORITHM.to_string(),
        witnesses: witnesses
            .into_iter()
            .map(|w| DrawWitness { label: w.label, commitment: w.commitment, secret: w.secret })
            .collect(),
        pool_hash: e.pool_hash.clone(),
        quotas,
        public_value_source: e.public_value_source.clone(),
        public_value: e.public_value.clone(),
        reveal_deadline: e.reveal_deadline,
        result,
        url,
    })
}
