//! The Content Security Policy every response carries, and `POST /csp-report`, where
//! browsers report what it blocked. A report means either a bug (a template that grew an
//! inline script or style) or an injection the policy stopped: both are worth a warn
//! line, and the browser tests count those lines (no report may appear while an XSS
//! corpus is rendered on every page).
//!
//! Browsers send reports on their own, from any page and without the form's token, so
//! the route lives outside the CSRF check (and the session lookup); it changes nothing
//! but a counter and the log. What it logs is reduced to the violated directive, the
//! blocked URL's scheme and host and the document's path: no query string, no user data,
//! and at most `LOG_PER_MINUTE` lines a minute, so nobody can flood the log through it.

use std::{
    num::NonZeroU32,
    sync::atomic::{AtomicU64, Ordering},
};

use axum::{
    extract::{Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
    Router,
};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde::Deserialize;

use crate::app::AppState;

/// `report-uri` rather than `report-to`: Chromium ignores `report-uri` once `report-to`
/// is present and then delivers reports late, in batches; `report-uri` is sent at once
/// by every browser, which is what lets a test wait for it.
pub const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; report-uri /csp-report";

/// A report is a few hundred bytes; a batch of the Reporting API a few of those.
pub const BODY_LIMIT: usize = 8 * 1024;
/// Reports of one batch that are looked at; the rest are dropped.
const PER_BATCH: usize = 10;
/// 30 lines a minute, built without an `expect`: 1 + 29.
const LOG_PER_MINUTE: NonZeroU32 = NonZeroU32::MIN.saturating_add(29);

pub fn router() -> Router<AppState> {
    Router::new().route("/csp-report", post(report))
}

/// The reports received since the start, and the cap on how many reach the log.
pub struct CspReports {
    received: AtomicU64,
    logged: AtomicU64,
    unlogged: AtomicU64,
    log_cap: DefaultDirectRateLimiter,
}

impl Default for CspReports {
    fn default() -> Self {
        CspReports {
            received: AtomicU64::new(0),
            logged: AtomicU64::new(0),
            unlogged: AtomicU64::new(0),
            log_cap: RateLimiter::direct(Quota::per_minute(LOG_PER_MINUTE)),
        }
    }
}

impl CspReports {
    /// Reports accepted since the portal started (logged or not).
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }

    /// Of those, the ones that reached the log.
    pub fn logged(&self) -> u64 {
        self.logged.load(Ordering::Relaxed)
    }

    fn record(&self, v: &Violation) {
        self.received.fetch_add(1, Ordering::Relaxed);
        if self.log_cap.check().is_err() {
            self.unlogged.fetch_add(1, Ordering::Relaxed);
            return;
        }
        self.logged.fetch_add(1, Ordering::Relaxed);
        let unlogged = self.unlogged.swap(0, Ordering::Relaxed);
        tracing::warn!(
            directive = %v.directive,
            blocked = %v.blocked,
            document = %v.document,
            unlogged,
            "csp violation reported"
        );
    }
}

/// What is kept of one report.
#[derive(Debug, PartialEq)]
pub struct Violation {
    pub directive: String,
    pub blocked: String,
    pub document: String,
}

async fn report(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let kind = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(media_type);
    if !matches!(kind.as_deref(), Some("application/csp-report" | "application/reports+json")) {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    }
    let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    let Some(violations) = parse(&bytes) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    for v in &violations {
        state.csp.record(v);
    }
    StatusCode::NO_CONTENT.into_response()
}

fn media_type(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// `report-uri`'s body (`{"csp-report": {…}}`) or the Reporting API's (`[{"type": …, "body": {…}}]`).
pub fn parse(body: &[u8]) -> Option<Vec<Violation>> {
    #[derive(Deserialize)]
    struct Legacy {
        #[serde(rename = "csp-report")]
        report: LegacyBody,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "kebab-case")]
    struct LegacyBody {
        document_uri: Option<String>,
        effective_directive: Option<String>,
        violated_directive: Option<String>,
        blocked_uri: Option<String>,
    }
    #[derive(Deserialize)]
    struct Batched {
        #[serde(rename = "type")]
        kind: String,
        body: Option<BatchedBody>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct BatchedBody {
        #[serde(rename = "documentURL")]
        document_url: Option<String>,
        effective_directive: Option<String>,
        #[serde(rename = "blockedURL")]
        blocked_url: Option<String>,
    }
    if let Ok(Legacy { report: r }) = serde_json::from_slice::<Legacy>(body) {
        let directive = r.effective_directive.or(r.violated_directive);
        return Some(vec![violation(directive, r.blocked_uri, r.document_uri)]);
    }
    let batch: Vec<Batched> = serde_json::from_slice(body).ok()?;
    let found: Vec<Violation> = batch
        .into_iter()
        .filter(|b| b.kind == "csp-violation")
        .filter_map(|b| b.body)
        .take(PER_BATCH)
        .map(|b| violation(b.effective_directive, b.blocked_url, b.document_url))
        .collect();
    Some(found)
}

fn violation(directive: Option<String>, blocked: Option<String>, document: Option<String>) -> Violation {
    Violation {
        directive: directive.as_deref().map(directive_name).unwrap_or_else(unknown),
        blocked: blocked.as_deref().map(origin_or_keyword).unwrap_or_else(unknown),
        document: document.as_deref().and_then(path_only).unwrap_or_else(unknown),
    }
}

fn unknown() -> String {
    "unknown".into()
}

/// `script-src-elem 'self'` → `script-src-elem`.
fn directive_name(d: &str) -> String {
    let name: String = d.split_whitespace().next().unwrap_or("").chars().take(40).collect();
    keep_or_unknown(name, |c| c.is_ascii_lowercase() || c == '-')
}

/// `https://evil.example:8443/x.js?u=1` → `https://evil.example:8443`; `inline`, `eval`, `data` stay.
fn origin_or_keyword(uri: &str) -> String {
    let Some((scheme, rest)) = uri.split_once("://") else {
        let keyword: String = uri.split(':').next().unwrap_or("").chars().take(30).collect();
        return keep_or_unknown(keyword.to_ascii_lowercase(), |c| c.is_ascii_lowercase() || c == '-');
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let scheme = keep_or_unknown(scheme.to_ascii_lowercase(), |c| c.is_ascii_lowercase());
    let host: String = host.chars().take(100).collect();
    let host = keep_or_unknown(host.to_ascii_lowercase(), |c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    format!("{scheme}://{host}")
}

/// `http://portal/complaints?q=secret#x` → `/complaints`.
fn path_only(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let path = rest.find('/').map(|i| &rest[i..]).unwrap_or("/");
    let path: String = path.split(['?', '#']).next().unwrap_or("/").chars().take(120).collect();
    Some(keep_or_unknown(path, |c| c.is_ascii_graphic()))
}

fn keep_or_unknown(s: String, allowed: impl Fn(char) -> bool) -> String {
    if !s.is_empty() && s.chars().all(allowed) {
        s
    } else {
        unknown()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_keeps_the_directive_the_origin_and_the_path_only() {
        let body = br#"{"csp-report": {"document-uri": "http://portal.test/complaints?q=%E5%AF%86#top",
            "violated-directive": "script-src-elem", "effective-directive": "script-src-elem",
            "original-policy": "default-src 'self'", "blocked-uri": "https://user:pw@evil.example:8443/x.js?c=1"}}"#;
        let v = parse(body).expect("a report");
        assert_eq!(
            v,
            vec![Violation {
                directive: "script-src-elem".into(),
                blocked: "https://evil.example:8443".into(),
                document: "/complaints".into(),
            }]
        );
    }

    #[test]
    fn the_reporting_api_batch_and_keywords() {
        let body = br#"[{"type": "csp-violation", "url": "http://portal.test/", "body": {
            "documentURL": "http://portal.test/plans/3", "effectiveDirective": "style-src-attr",
            "blockedURL": "inline", "disposition": "enforce"}},
            {"type": "deprecation", "body": {}}]"#;
        let v = parse(body).expect("a batch");
        assert_eq!(v.len(), 1, "only csp violations");
        assert_eq!(
            (v[0].directive.as_str(), v[0].blocked.as_str(), v[0].document.as_str()),
            ("style-src-attr", "inline", "/plans/3")
        );
    }

    #[test]
    fn whatever_else_a_client_sends_is_not_echoed_into_the_log() {
        let body = "{\"csp-report\": {\"document-uri\": \"not a url\", \"violated-directive\": \"Script\\\"; drop\",
            \"blocked-uri\": \"http://ho st\\n/\"}}";
        let v = parse(body.as_bytes()).expect("a report");
        assert_eq!(v[0], Violation { directive: unknown(), blocked: "http://unknown".into(), document: unknown() });
        assert!(parse(b"<html>").is_none());
        assert_eq!(parse(b"[]"), Some(vec![]));
    }
}
