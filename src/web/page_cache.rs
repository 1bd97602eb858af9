//! A micro-cache of public pages as anonymous visitors see them: for a second or
//! two every visitor of the same URL, in the same language, gets the page the
//! first one caused to be rendered. When a bulletin or a reception day is announced
//! thousands open the same few pages at once; this turns their queries into one.
//!
//! Only anonymous GETs without a flash message are cached, only `200 text/html`
//! answers that set no cookie. Pages carry the visitor's CSRF token: they are
//! rendered with a placeholder, which is replaced by each visitor's own token.
//! Logged-in users never see cached pages.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    body::{Body, Bytes},
    http::header,
    response::Response,
};

use super::Lang;

/// Rendered in place of the CSRF token, replaced before the page leaves.
pub const TOKEN_PLACEHOLDER: &str = "csrf-placeholder-3f9a1c7e5b2d4f60a8e1";

/// Enough for every public page in both languages; beyond this (searches, cursors)
/// the cache starts over rather than grow.
const MAX_TOTAL_BYTES: usize = 16 * 1024 * 1024;
/// Bigger pages are rare and are rendered each time.
const MAX_BODY_BYTES: usize = 512 * 1024;

/// A page cut at its CSRF placeholders: the visitor's token goes between the parts.
type Parts = Arc<Vec<Bytes>>;

struct Entry {
    rendered_at: Instant,
    parts: Parts,
    /// One visitor is rendering a fresh copy since then; the others get this one.
    refreshing_since: Option<Instant>,
}

/// A refresh that has not come back in this long has failed: let another try.
const REFRESH_GIVE_UP: Duration = Duration::from_secs(10);

#[derive(Clone, Default)]
pub struct PageCache {
    entries: Arc<Mutex<HashMap<(Lang, String), Entry>>>,
}

/// What a visitor gets from the cache.
pub enum Lookup {
    /// A page to send (fresh, or stale while another visitor renders the next).
    Page(Parts),
    /// Render it: nothing is cached, or this visitor refreshes the stale copy.
    Render,
}

impl PageCache {
    /// Within `ttl` everyone shares the page; after it one visitor renders a new
    /// copy while the others still get the old one, so a slow page is never
    /// rendered by many visitors at once.
    pub fn lookup(&self, lang: Lang, path: &str, ttl: Duration) -> Lookup {
        let Ok(mut entries) = self.entries.lock() else { return Lookup::Render };
        let Some(entry) = entries.get_mut(&(lang, path.to_string())) else { return Lookup::Render };
        if entry.rendered_at.elapsed() < ttl || entry.refreshing_since.is_some_and(|t| t.elapsed() < REFRESH_GIVE_UP) {
            return Lookup::Page(entry.parts.clone());
        }
        entry.refreshing_since = Some(Instant::now());
        Lookup::Render
    }

    fn put(&self, lang: Lang, path: String, page: Option<Bytes>) {
        let Ok(mut entries) = self.entries.lock() else { return };
        let Some(page) = page else {
            // Not shareable this time: the old copy stays until someone renders one that is.
            if let Some(entry) = entries.get_mut(&(lang, path)) {
                entry.refreshing_since = None;
            }
            return;
        };
        let total: usize = entries.values().map(|e| e.parts.iter().map(Bytes::len).sum::<usize>()).sum();
        if total + page.len() > MAX_TOTAL_BYTES {
            entries.clear();
        }
        let entry = Entry { rendered_at: Instant::now(), parts: Arc::new(split(&page)), refreshing_since: None };
        entries.insert((lang, path), entry);
    }

    /// Keep a rendered page if it may be shared, and give it to the visitor with
    /// their own token. Anything but HTML passes untouched (it holds no token).
    pub async fn finish(&self, lang: Lang, path: String, response: Response, token: &str) -> Response {
        let is_html =
            response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
        // A page that sets cookies or headers of its own is this visitor's alone.
        let shareable = is_html
            && response.status() == axum::http::StatusCode::OK
            && response.headers().keys().all(|name| name == header::CONTENT_TYPE || name == header::CONTENT_LENGTH);
        if !is_html {
            self.put(lang, path, None);
            return response;
        }
        let (mut parts, body) = response.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
            self.put(lang, path, None);
            return Response::from_parts(parts, Body::empty());
        };
        let page = split(&bytes);
        self.put(lang, path, (shareable && bytes.len() <= MAX_BODY_BYTES).then_some(bytes));
        parts.headers.remove(header::CONTENT_LENGTH);
        Response::from_parts(parts, Body::from(with_token(&page, token)))
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
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_becomes_the_visitors_token() {
        let page = format!("<input value=\"{TOKEN_PLACEHOLDER}\"><p>x</p><input value=\"{TOKEN_PLACEHOLDER}\">");
        let out = String::from_utf8(with_token(&split(&Bytes::from(page)), "tok")).unwrap();
        assert_eq!(out, "<input value=\"tok\"><p>x</p><input value=\"tok\">");
    }

    #[test]
    fn one_visitor_refreshes_a_stale_page_while_the_others_get_the_old_one() {
        let cache = PageCache::default();
        let lang = Lang::default();
        assert!(matches!(cache.lookup(lang, "/", Duration::from_secs(5)), Lookup::Render), "nothing cached");
        cache.put(lang, "/".into(), Some(Bytes::from_static(b"old")));
        assert!(matches!(cache.lookup(lang, "/", Duration::from_secs(5)), Lookup::Page(_)), "fresh");
        assert!(matches!(cache.lookup(lang, "/", Duration::ZERO), Lookup::Render), "stale: this one renders");
        assert!(matches!(cache.lookup(lang, "/", Duration::ZERO), Lookup::Page(_)), "the others get the old page");
        cache.put(lang, "/".into(), None);
        assert!(matches!(cache.lookup(lang, "/", Duration::ZERO), Lookup::Render), "a failed refresh lets another try");
        assert!(matches!(cache.lookup(lang, "/other", Duration::from_secs(5)), Lookup::Render));
    }
}
