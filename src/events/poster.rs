//! An event's A4 poster for notice boards: what, when and where, the places and how they
//! are given, who may apply and until when, and a QR code to the event's page, where
//! students apply. Public, like the event's page.

use askama::Template;
use axum::{extract::State, response::Html};
use chrono::{DateTime, Utc};

use super::{paths::EventPath, public::load_event, queries::Event};
use crate::{
    app::AppState,
    error::AppResult,
    web::{render, Layout, Path},
};

#[derive(Template)]
#[template(path = "events/poster.html")]
struct PosterPage {
    layout: Layout,
    e: Event,
    now: DateTime<Utc>,
    /// The event's page, where the QR code leads.
    page_url: String,
}

pub async fn event_poster(
    State(state): State<AppState>,
    layout: Layout,
    Path(EventPath { event_id }): Path<EventPath>,
) -> AppResult<Html<String>> {
    let e = load_event(&state, event_id).await?;
    let page_url = layout.url(&format!("/events/{event_id}"));
    Ok(Html(render(PosterPage { layout, e, now: Utc::now(), page_url })?))
}
