//! `POST /csp-report`: what browsers send when the Content Security Policy blocks
//! something. Accepted without a session or CSRF token (browsers send it cross-context),
//! counted, small bodies of the two report formats only.

use axum::http::{Method, StatusCode};

use crate::helpers::TestApp;

const LEGACY: (&str, &str) = ("content-type", "application/csp-report");
const BATCH: (&str, &str) = ("content-type", "application/reports+json");
/// What a report of an injected script looks like, from another site's context.
const CROSS_SITE: (&str, &str) = ("sec-fetch-site", "cross-site");

fn legacy_report() -> String {
    r#"{"csp-report": {"document-uri": "http://portal.test/complaints?q=x", "referrer": "",
        "violated-directive": "script-src-elem", "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'", "disposition": "enforce",
        "blocked-uri": "inline", "line-number": 3, "status-code": 200}}"#
        .to_string()
}

#[tokio::test]
async fn pages_tell_browsers_where_to_report() {
    let app = TestApp::spawn().await;
    let r = app.browser().get("/").await;
    let csp = r.header("content-security-policy").expect("CSP");
    assert!(csp.ends_with("; report-uri /csp-report"), "{csp}");
}

#[tokio::test]
async fn a_report_is_accepted_without_a_session_or_token_and_counted() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    let r = b.post_raw("/csp-report", legacy_report(), &[LEGACY, CROSS_SITE, ("origin", "null")]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(app.state.csp.received(), 1);
    let batch = r#"[{"type": "csp-violation", "age": 2, "url": "http://portal.test/plans/1", "body": {
        "documentURL": "http://portal.test/plans/1", "effectiveDirective": "img-src",
        "blockedURL": "https://tracker.example/p.gif", "disposition": "enforce"}}]"#;
    let r =
        b.post_raw("/csp-report", batch.into(), &[("content-type", "application/reports+json; charset=utf-8")]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(app.state.csp.received(), 2);
    assert!(r.header("set-cookie").is_none(), "no session, no CSRF cookie: the context is not loaded");
}

#[tokio::test]
async fn a_flood_of_reports_is_answered_and_counted_but_the_log_is_capped() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    for _ in 0..50 {
        assert_eq!(b.post_raw("/csp-report", legacy_report(), &[LEGACY]).await.status, StatusCode::NO_CONTENT);
    }
    assert_eq!(app.state.csp.received(), 50);
    assert_eq!(app.state.csp.logged(), 30, "at most 30 lines a minute");
}

#[tokio::test]
async fn a_large_body_is_refused_before_it_is_read_whole() {
    let app = TestApp::spawn().await;
    let padding = "x".repeat(9 * 1024);
    let body = legacy_report().replace("\"referrer\": \"\"", &format!("\"referrer\": \"{padding}\""));
    let r = app.browser().post_raw("/csp-report", body, &[LEGACY]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.state.csp.received(), 0);
}

#[tokio::test]
async fn only_the_two_report_formats_are_read() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    for content_type in ["application/x-www-form-urlencoded", "text/plain", "application/json"] {
        let r = b.post_raw("/csp-report", legacy_report(), &[("content-type", content_type)]).await;
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}");
    }
    let r = b.post_raw("/csp-report", legacy_report(), &[]).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "no content type");
    let r = b.post_raw("/csp-report", "<script>alert(1)</script>".into(), &[LEGACY]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "not JSON");
    let r = b.post_raw("/csp-report", r#"{"csp-report": 1}"#.into(), &[BATCH]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "JSON of neither shape");
    assert_eq!(app.state.csp.received(), 0);
}

#[tokio::test]
async fn only_post_is_routed() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let r = b.send(method.clone(), "/csp-report", None, &[]).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
}
