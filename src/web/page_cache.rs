//! A micro-cache of public pages as anonymous visitors see them: for a second or
//! two every visitor of the same URL, in the same language, gets the page the
//! first one caused to be rendered. When a bulletin or a reception day is announced
//! thousands open the same few pages at once; this turns their queries into one.
//!
//! Only anonymous GETs without a flash message are cached, only `200` pages, feeds
//! and calendars that set no cookie. Pages carry the visitor's CSRF token: they are
//! rendered with a placeholder, which is replaced by each visitor's own token.
//! Logged-in users never see cached pages.
//!
//! A page is kept under its path and only the query parameters it reads
//! (`canonical`): anything else in the query is dropped before the page is
//! rendered, so `?x=<random>` gets the shared copy and adds nothing to the cache.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use axum::{
    body::{Body, Bytes},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

use super::Lang;

/// Rendered in place of the CSRF token, replaced before the page leaves.
pub const TOKEN_PLACEHOLDER: &str = "csrf-placeholder-3f9a1c7e5b2d4f60a8e1";

/// Enough for every public page in both languages; beyond this (searches, cursors)
/// the pages rendered longest ago make room.
const MAX_TOTAL_BYTES: usize = 16 * 1024 * 1024;
/// Bigger pages are rare and are rendered each time.
const MAX_BODY_BYTES: usize = 512 * 1024;

/// What is shared: HTML pages, the Atom feeds and the reception calendar.
const SHARED_TYPES: [&str; 3] = ["text/html", "application/atom+xml", "text/calendar"];

/// The query parameters each public page reads; every other parameter is dropped
/// from its cache key and from the request it is rendered for. Paths not listed
/// read none.
fn known_params(path: &str) -> &'static [&'static str] {
    match path {
        "/complaints" => &["status", "category", "office", "q", "before"],
        "/lost-found" => &["category", "point", "from", "to", "q", "before"],
        "/commitments" => &["office", "status", "after"],
        "/reception" | "/events" => &["page"],
        "/inspections/rankings" => &["period", "day", "building", "college", "page"],
        "/inspections/rankings/print" | "/inspections/rankings.csv" | "/inspections/rankings.xlsx" => {
            &["period", "day"]
        }
        "/inspections/averages" => &["period", "day"],
        "/inspections/civilised" => &["term"],
        _ if path.starts_with("/lost-found/bulletins/") && !path.ends_with("/print") => &["page"],
        "/login" => &["next"],
        "/password-reset/choose" => &["token"],
        // Photos are never shared, but they read their size.
        _ if path.ends_with("/photo") || path.contains("/photos/") => &["size"],
        _ => &[],
    }
}

/// Campus sign-in's round trip (`/auth/…`) is never shared, and its query is never trimmed:
/// the ticket and the page to return to belong to one browser.
pub fn may_share(path: &str) -> bool {
    // An office invitation's page: its path is a secret, and the link may die any moment.
    !path.starts_with("/auth/") && !path.starts_with("/offices/invites/")
}

/// The path with only the parameters the page reads, in a fixed order, each once
/// and only when not empty: every spelling of the same page is one key.
pub fn canonical(path: &str, query: Option<&str>) -> String {
    let known = known_params(path);
    let pairs: Vec<&str> = query.unwrap_or("").split('&').collect();
    let mut out = path.to_string();
    for name in known {
        let value = pairs.iter().find_map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k == *name).then_some(v)
        });
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            out.push(if out.len() == path.len() { '?' } else { '&' });
            out.push_str(name);
            out.push('=');
            out.push_str(v);
        }
    }
    out
}

/// A page cut at its CSRF placeholders (the visitor's token goes between the
/// parts), with the headers it is served with.
pub struct Page {
    parts: Vec<Bytes>,
    content_type: HeaderValue,
    cache_control: Option<HeaderValue>,
}

impl Page {
    fn len(&self) -> usize {
        self.parts.iter().map(Bytes::len).sum()
    }

    /// The page for one visitor: with their own token.
    pub fn response(&self, token: &str) -> Response {
        let mut response =
            ([(header::CONTENT_TYPE, self.content_type.clone())], with_token(&self.parts, token)).into_response();
        if let Some(c) = &self.cache_control {
            response.headers_mut().insert(header::CACHE_CONTROL, c.clone());
        }
        response
    }
}

struct Entry {
    rendered_at: Instant,
    page: Arc<Page>,
    /// One visitor is rendering a fresh copy since then; the others get this one.
    refreshing_since: Option<Instant>,
}

/// A refresh that has not come back in this long has failed: let another try.
const REFRESH_GIVE_UP: Duration = Duration::from_secs(10);

#[derive(Default)]
struct Entries {
    map: HashMap<(Lang, String), Entry>,
    /// The bytes of every page held.
    total: usize,
}

#[derive(Clone, Default)]
pub struct PageCache {
    entries: Arc<Mutex<Entries>>,
    /// Pages served from the cache, for the operators' curiosity and the tests.
    hits: Arc<AtomicU64>,
}

/// What a visitor gets from the cache.
pub enum Lookup {
    /// A page to send (fresh, or stale while another visitor renders the next).
    Page(Arc<Page>),
    /// Render it: nothing is cached, or this visitor refreshes the stale copy.
    Render,
}

impl PageCache {
    /// Within `ttl` everyone shares the page; after it one visitor renders a new
    /// copy while the others still get the old one, so a slow page is never
    /// rendered by many visitors at once. `key` is a `canonical` path.
    pub fn lookup(&self, lang: Lang, key: &str, ttl: Duration) -> Lookup {
        let Ok(mut entries) = self.entries.lock() else { return Lookup::Render };
        let Some(entry) = entries.map.get_mut(&(lang, key.to_string())) else { return Lookup::Render };
        if entry.rendered_at.elapsed() < ttl || entry.refreshing_since.is_some_and(|t| t.elapsed() < REFRESH_GIVE_UP) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Lookup::Page(entry.page.clone());
        }
        entry.refreshing_since = Some(Instant::now());
        Lookup::Render
    }

    /// How many visitors got a page from the cache so far.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    /// How many pages are held.
    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.map.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn put(&self, lang: Lang, key: String, page: Option<Page>) {
        let Ok(mut entries) = self.entries.lock() else { return };
        let Some(page) = page else {
            // Not shareable this time: the old copy stays until someone renders one that is.
            if let Some(entry) = entries.map.get_mut(&(lang, key)) {
                entry.refreshing_since = None;
            }
            return;
        };
        let size = page.len();
        if let Some(old) = entries.map.remove(&(lang, key.clone())) {
            entries.total -= old.page.len();
        }
        if entries.total + size > MAX_TOTAL_BYTES {
            entries.make_room(size);
        }
        entries.total += size;
        let entry = Entry { rendered_at: Instant::now(), page: Arc::new(page), refreshing_since: None };
        entries.map.insert((lang, key), entry);
    }

    /// Keep a rendered page if it may be shared, and give it to the visitor with
    /// their own token. Anything else passes untouched (it holds no token).
    pub async fn finish(&self, lang: Lang, key: String, response: Response, token: &str) -> Response {
        let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
        let shared_type =
            content_type.as_ref().is_some_and(|v| SHARED_TYPES.iter().any(|t| v.as_bytes().starts_with(t.as_bytes())));
        // A page that sets cookies or headers of its own is this visitor's alone.
        let shareable = shared_type
            && response.status() == StatusCode::OK
            && response.headers().keys().all(|name| {
                name == header::CONTENT_TYPE || name == header::CONTENT_LENGTH || name == header::CACHE_CONTROL
            });
        let (Some(content_type), true) = (content_type, shared_type) else {
            self.put(lang, key, None);
            return response;
        };
        let (mut parts, body) = response.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
            self.put(lang, key, None);
            return Response::from_parts(parts, Body::empty());
        };
        let cache_control = parts.headers.get(header::CACHE_CONTROL).cloned();
        let page = Page { parts: split(&bytes), content_type, cache_control };
        let body = with_token(&page.parts, token);
        self.put(lang, key, (shareable && bytes.len() <= MAX_BODY_BYTES).then_some(page));
        parts.headers.remove(header::CONTENT_LENGTH);
        Response::from_parts(parts, Body::from(body))
    }
}

impl Entries {
    /// Drop the pages rendered longest ago until `size` more bytes fit, and a
    /// quarter more, so that a stream of new pages does not sort on every insert.
    fn make_room(&mut self, size: usize) {
        let target = (MAX_TOTAL_BYTES - MAX_TOTAL_BYTES / 4).saturating_sub(size);
        let mut by_age: Vec<(Instant, (Lang, String))> =
            self.map.iter().map(|(k, e)| (e.rendered_at, k.clone())).collect();
        by_age.sort_by_key(|(at, _)| *at);
        for (_, key) in by_age {
            if self.total <= target {
                break;
            }
            if let Some(old) = self.map.remove(&key) {
                self.total -= old.page.len();
            }
        }
    }
}

/// The page cut at every placeholder.
fn split(page: &Bytes) -> Vec<Bytes> {
    let mut parts = vec![];
    let mut start = 0;
    for i in memchr::memmem::find_iter(page, TOKEN_PLACEHOLDER.as_bytes()) {
        parts.push(page.slice(start..i));
        start = i + TOKEN_PLACEHOLDER.len();
    }
    parts.push(page.slice(start..));
    parts
}

/// The parts joined by `token` (43 URL-safe characters).
pub fn with_token(parts: &[Bytes], token: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts.iter().map(Bytes::len).sum::<usize>() + parts.len() * token.len());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(token.as_bytes());
        }
        out.extend_from_slice(part);
    }
    out
}

#[cfg(test)]
#[path = "page_cache_tests.rs"]
mod tests;
