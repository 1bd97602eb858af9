//! Events for machines: the iCalendar file phones subscribe to, and the Atom feed of
//! announcements and draws.

use atom_syndication::{Entry, Feed, Link, Text};
use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
};
use chrono::Utc;

use super::queries::{self, EventFilter};
use crate::{app::AppState, error::AppResult, reception::model};

/// `/events.ics`: every event of the last year and to come (cancelled ones left out).
pub async fn calendar(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let base = crate::web::base_url(&state, &headers);
    let year_ago = Utc::now() - chrono::Duration::days(365);
    let filter = EventFilter { ended_after: Some(year_ago), limit: 300, ..EventFilter::default() };
    let events = queries::find_events(&state.db, &filter).await?;
    let items: Vec<model::CalendarEvent> = events
        .iter()
        .filter(|e| e.cancelled_at.is_none())
        .map(|e| model::CalendarEvent {
            uid: format!("event-{}@union-portal", e.event_id),
            sequence: e.sequence,
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            confirmed: true,
            summary: &e.title,
            location: &e.place,
            description: &e.description,
            url: format!("{base}/events/{}", e.event_id),
            updated_at: e.updated_at,
        })
        .collect();
    let body = model::calendar("学生会 · 活动", &items, Utc::now());
    let mut response = ([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    Ok(response)
}

/// `/feeds/events.atom`: each event's announcement, and its draw once run.
pub async fn feed(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let base = crate::web::base_url(&state, &headers);
    let events = queries::find_events(&state.db, &EventFilter { limit: 30, ..EventFilter::default() }).await?;
    let mut entries = vec![];
    for e in &events {
        let url = format!("{base}/events/{}", e.event_id);
        let when = e.starts_at.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d %H:%M");
        let link = Link { href: url.clone(), rel: "alternate".into(), ..Link::default() };
        entries.push(Entry {
            id: format!("urn:union-portal:event:{}", e.event_id),
            title: Text::plain(format!("{}：{when}，{}", e.title, e.place)),
            updated: e.updated_at.fixed_offset(),
            summary: Some(Text::plain(format!(
                "名额 {} · 报名截止 {}",
                e.places,
                e.applications_close_at.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d %H:%M")
            ))),
            links: vec![link],
            ..Entry::default()
        });
        if let Some(at) = e.drawn_at {
            entries.push(Entry {
                id: format!("urn:union-portal:event:{}:draw", e.event_id),
                title: Text::plain(format!("{}：抽签结果已公布", e.title)),
                updated: at.fixed_offset(),
                links: vec![Link { href: format!("{url}/draw"), rel: "alternate".into(), ..Link::default() }],
                ..Entry::default()
            });
        }
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.updated));
    let updated = entries.first().map(|e| e.updated).unwrap_or_else(|| Utc::now().fixed_offset());
    let feed = Feed {
        id: "urn:union-portal:events".into(),
        title: Text::plain("学生会 · 活动"),
        updated,
        links: vec![
            Link { href: format!("{base}/feeds/events.atom"), rel: "self".into(), ..Link::default() },
            Link { href: format!("{base}/events"), rel: "alternate".into(), ..Link::default() },
        ],
        entries,
        ..Feed::default()
    };
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], feed.to_string()).into_response())
}
