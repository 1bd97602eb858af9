//! Reception days for machines: the iCalendar file phones subscribe to, and the
//! Atom feed of announcements and minutes.

use atom_syndication::{Entry, Feed, Link, Text};
use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
};
use chrono::Utc;

use super::title;
use crate::{
    app::AppState,
    error::AppResult,
    reception::{
        model,
        queries::{self, Session, SessionFilter},
    },
};

/// `/reception.ics`: every session of the last year and to come, for phone calendars.
pub async fn calendar(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let base = crate::web::base_url(&state, &headers);
    let year_ago = Utc::now() - chrono::Duration::days(365);
    let filter =
        SessionFilter { limit: 200, without_counts: true, ended_after: Some(year_ago), ..SessionFilter::default() };
    let sessions = queries::find_sessions(&state.db, &filter).await?;
    // Every session's leaders in one query, not one query per session.
    let ids: Vec<i64> = sessions.iter().map(|s| s.session_id).collect();
    let leaders = queries::list_leaders_of(&state.db, &ids).await?;
    let mut texts = vec![];
    for s in &sessions {
        let names: Vec<String> = leaders
            .iter()
            .filter(|(id, _)| *id == s.session_id)
            .map(|(_, l)| format!("{} {}", l.name, l.title))
            .collect();
        texts.push((title(s), format!("{}\n{}", s.topic, names.join("、"))));
    }
    let events: Vec<model::CalendarEvent> = sessions
        .iter()
        .zip(&texts)
        .map(|(s, (summary, description))| model::CalendarEvent {
            uid: format!("reception-{}@union-portal", s.session_id),
            sequence: s.sequence,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            confirmed: s.time_confirmed,
            summary,
            location: &s.place,
            description,
            url: format!("{base}/reception/{}", s.code()),
            updated_at: s.updated_at,
        })
        .collect();
    let body = model::calendar("学生会 · 校领导接待日与教务见面会", &events, Utc::now());
    let mut response = ([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    Ok(response)
}

/// A session's entries: its announcement, and its minutes once recorded (`minutes`: every
/// minute of the feed's sessions).
fn session_entries(s: &Session, minutes: &[queries::SessionMinute], base: &str) -> Vec<Entry> {
    let url = format!("{base}/reception/{}", s.code());
    let when = s.starts_at.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d %H:%M");
    let tentative = if s.time_confirmed { "" } else { "（时间待定）" };
    let link = Link { href: url.clone(), rel: "alternate".into(), ..Link::default() };
    let mut entries = vec![Entry {
        id: format!("urn:union-portal:reception:{}:announcement", s.session_id),
        title: Text::plain(format!("{}：{when}{tentative}，{}", title(s), s.place)),
        updated: s.updated_at.fixed_offset(),
        summary: Some(Text::plain(s.topic.clone())),
        links: vec![link.clone()],
        ..Entry::default()
    }];
    if let Some(at) = s.minutes_updated_at {
        let text: Vec<String> = minutes
            .iter()
            .filter(|m| m.session_id == s.session_id)
            .map(|m| format!("问：{}\n答（{}）：{}", m.question, m.answered_by, m.answer))
            .collect();
        entries.push(Entry {
            id: format!("urn:union-portal:reception:{}:minutes", s.session_id),
            title: Text::plain(format!("{}会议纪要", title(s))),
            updated: at.fixed_offset(),
            summary: Some(Text::plain(text.join("\n\n"))),
            links: vec![link],
            ..Entry::default()
        });
    }
    entries
}

/// `/feeds/reception.atom`: each session's announcement, and its minutes once recorded.
pub async fn feed(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let base = crate::web::base_url(&state, &headers);
    let filter = SessionFilter { limit: 30, without_counts: true, ..SessionFilter::default() };
    let sessions = queries::find_sessions(&state.db, &filter).await?;
    let with_minutes: Vec<i64> =
        sessions.iter().filter(|s| s.minutes_updated_at.is_some()).map(|s| s.session_id).collect();
    let minutes = queries::list_minutes_of(&state.db, &with_minutes).await?;
    let mut entries = vec![];
    for s in &sessions {
        entries.extend(session_entries(s, &minutes, &base));
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.updated));
    // An empty feed was last updated now, not in 1970: readers sort and refresh by it.
    let updated = entries.first().map(|e| e.updated).unwrap_or_else(|| Utc::now().fixed_offset());
    let feed = Feed {
        id: "urn:union-portal:reception".into(),
        title: Text::plain("学生会 · 校领导接待日与教务见面会"),
        updated,
        links: vec![
            Link { href: format!("{base}/feeds/reception.atom"), rel: "self".into(), ..Link::default() },
            Link { href: format!("{base}/reception"), rel: "alternate".into(), ..Link::default() },
        ],
        entries,
        ..Feed::default()
    };
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], feed.to_string()).into_response())
}
