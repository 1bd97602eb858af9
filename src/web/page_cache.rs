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

/// (language, path and query) → (rendered at, page with the placeholder).
type Entries = HashMap<(Lang, String), (Instant, Bytes)>;

#[derive(Clone, Default)]
pub struct PageCache {
    entries: Arc<Mutex<Entries>>,
}

impl PageCache {
    /// The page with the placeholder, if cached less than `ttl` ago.
    pub fn get(&self, lang: Lang, path: &str, ttl: Duration) -> Option<Bytes> {
        let entries = self.entries.lock().ok()?;
        let (at, body) = entries.get(&(lang, path.to_string()))?;
        (at.elapsed() < ttl).then(|| body.clone())
    }

    fn put(&self, lang: Lang, path: String, body: Bytes) {
        if let Ok(mut entries) = self.entries.lock() {
            let total: usize = entries.values().map(|(_, b)| b.len()).sum();
            if total + body.len() > MAX_TOTAL_BYTES {
                entries.clear();
            }
            entries.insert((lang, path), (Instant::now(), body));
        }
    }

    /// Keep a rendered page if it may be shared, and give it to the visitor with
    /// their own token. Anything but HTML passes untouched (it holds no token).
    pub async fn finish(&self, lang: Lang, path: String, response: Response, token: &str) -> Response {
        let is_html =
            response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
        if !is_html {
            return response;
        }
        // A page that sets cookies or headers of its own is this visitor's alone.
        let shareable = response.status() == axum::http::StatusCode::OK
            && response.headers().keys().all(|name| name == header::CONTENT_TYPE || name == header::CONTENT_LENGTH);
        let (mut parts, body) = response.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
            return Response::from_parts(parts, Body::empty());
        };
        if shareable && bytes.len() <= MAX_BODY_BYTES {
            self.put(lang, path, bytes.clone());
        }
        parts.headers.remove(header::CONTENT_LENGTH);
        Response::from_parts(parts, Body::from(with_token(&bytes, token)))
    }
}

/// The page with the placeholder replaced by `token` (43 URL-safe characters).
pub fn with_token(page: &[u8], token: &str) -> Vec<u8> {
    let placeholder = TOKEN_PLACEHOLDER.as_bytes();
    let mut out = Vec::with_capacity(page.len() + 64);
    let mut rest = page;
    while let Some(i) = find(rest, placeholder) {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(token.as_bytes());
        rest = &rest[i + placeholder.len()..];
    }
    out.extend_from_slice(rest);
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_becomes_the_visitors_token() {
        let page = format!("<input value=\"{TOKEN_PLACEHOLDER}\"><p>x</p><input value=\"{TOKEN_PLACEHOLDER}\">");
        let out = String::from_utf8(with_token(page.as_bytes(), "tok")).unwrap();
        assert_eq!(out, "<input value=\"tok\"><p>x</p><input value=\"tok\">");
    }

    #[test]
    fn entries_expire() {
        let cache = PageCache::default();
        cache.put(Lang::default(), "/".into(), Bytes::from_static(b"page"));
        assert!(cache.get(Lang::default(), "/", Duration::from_secs(5)).is_some());
        assert!(cache.get(Lang::default(), "/", Duration::ZERO).is_none());
        assert!(cache.get(Lang::default(), "/other", Duration::from_secs(5)).is_none());
    }
}
