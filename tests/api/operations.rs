//! What operators and browsers rely on: health, headers, error pages, languages, static files.

use axum::http::{Method, StatusCode};

use crate::helpers::TestApp;

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    assert_eq!(b.get("/healthz").await.status, StatusCode::OK);
    let r = b.get("/readyz").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body, "ready");
}

#[tokio::test]
async fn readiness_fails_and_pages_say_503_while_the_database_is_away() {
    // A pool pointing at a port where nothing listens: the database is "down".
    let dead = union_portal::cli::pool("postgres://postgres@127.0.0.1:1/none", 2).expect("pool");
    let state = union_portal::app::AppState::new(dead, union_portal::config::Config::for_tests(std::env::temp_dir()));
    let mut b = crate::helpers::Browser::new(union_portal::app::router(state));
    assert_eq!(b.get("/healthz").await.status, StatusCode::OK, "alive");
    assert_eq!(b.get("/readyz").await.status, StatusCode::SERVICE_UNAVAILABLE);
    b.jar.insert("portal_session".into(), "a".repeat(43));
    let r = b.get("/me").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.header("retry-after"), Some("5"));
    assert!(r.body.contains("暂时无法访问"));
    assert!(!r.body.to_lowercase().contains("sqlx") && !r.body.contains("127.0.0.1"), "no internals on the page");
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let app = TestApp::spawn().await;
    let r = app.browser().get("/").await;
    assert_eq!(r.status, StatusCode::OK);
    let csp = r.header("content-security-policy").expect("CSP");
    for part in [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{part} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(r.header("referrer-policy"), Some("strict-origin-when-cross-origin"));
    assert!(r.header("x-request-id").is_some());
    assert!(r.header("server").is_none());
    let cookie = r.header("set-cookie").expect("csrf cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    assert!(!r.body.contains("<script") && !r.body.contains("style="), "no inline scripts or styles");
}

#[tokio::test]
async fn cookies_are_secure_and_host_prefixed_behind_https() {
    let app = TestApp::spawn_with(|c| c.secure_cookies = true).await;
    let r = app.browser().get("/").await;
    let cookie = r.header("set-cookie").expect("csrf cookie");
    assert!(cookie.starts_with("__Host-portal_csrf=") && cookie.contains("Secure"), "{cookie}");
    assert!(r.header("strict-transport-security").is_some_and(|v| v.starts_with("max-age=")));
}

#[tokio::test]
async fn an_unknown_page_is_a_friendly_404_in_the_visitors_language() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    let r = b.get("/no/such/page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("页面不存在") && r.body.contains("lang=\"zh-CN\""));
    assert!(r.body.contains(r.header("x-request-id").expect("id")), "the page shows the request id");
    b.jar.insert("lang".into(), "en".into());
    let r = b.get("/no/such/page").await;
    assert!(r.body.contains("Page not found") && r.body.contains("lang=\"en\""));
}

#[tokio::test]
async fn the_english_switch_changes_the_page_and_is_remembered() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    assert!(b.get("/login").await.body.contains("登录"));
    let r = b.post_form("/lang", &[("lang", "en"), ("next", "/login")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some("/login"));
    let page = b.get("/login").await;
    assert!(page.body.contains("Log in") && !page.body.contains("学号"), "every string in English");
    let r = b.post_form("/lang", &[("lang", "zh-CN"), ("next", "//evil.example")]).await;
    assert_eq!(r.location(), Some("/"));
    assert!(b.get("/").await.body.contains("首页"));
}

#[tokio::test]
async fn static_files_are_fingerprinted_cached_and_compressed() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    let home = b.get("/").await;
    let href =
        home.body.split("href=\"/static/app.css").nth(1).and_then(|s| s.split('"').next()).expect("stylesheet link");
    let url = format!("/static/app.css{href}");
    let r = b.get(&url).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("cache-control"), Some("public, max-age=31536000, immutable"));
    let etag = r.header("etag").expect("etag").to_string();
    let r = b.send(Method::GET, &url, None, &[("if-none-match", &etag)]).await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    let r = b.send(Method::GET, &url, None, &[("accept-encoding", "gzip")]).await;
    assert_eq!(r.header("content-encoding"), Some("gzip"));
}

#[tokio::test]
async fn an_unsupported_method_is_405_and_trace_is_refused() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    assert_eq!(b.send(Method::TRACE, "/login", None, &[]).await.status, StatusCode::METHOD_NOT_ALLOWED);
    let r = b.send(Method::DELETE, "/login", None, &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "an unsafe method without a CSRF token goes nowhere");
}

#[tokio::test]
async fn a_body_over_the_limit_gets_a_friendly_413() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    b.get("/").await;
    let big = format!("student_no={}", "1".repeat(3 * 1024 * 1024));
    let r = b.post_raw("/login", big, &[("content-type", "application/x-www-form-urlencoded")]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("内容太大"));
}

#[tokio::test]
async fn a_malformed_cookie_is_ignored() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    b.jar.insert("portal_session".into(), "%%%not-a-session\"\\,".into());
    b.jar.insert("flash".into(), "<script>alert(1)</script>".into());
    let r = b.get("/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("<script>alert"));
}

#[tokio::test]
async fn seed_demo_fills_the_portal_and_running_it_twice_duplicates_nothing() {
    let app = TestApp::spawn().await;
    union_portal::cli::demo::seed(&app.state).await.expect("seed");
    union_portal::cli::demo::seed(&app.state).await.expect("seed again");
    let users: i64 = sqlx::query_scalar("select count(*) from app_user").fetch_one(&app.db).await.unwrap();
    assert_eq!(users as usize, union_portal::cli::demo::ACCOUNTS.len());
    let memberships: i64 = sqlx::query_scalar("select count(*) from membership").fetch_one(&app.db).await.unwrap();
    assert_eq!(memberships as usize, union_portal::cli::demo::ACCOUNTS.iter().filter(|a| a.dept.is_some()).count());
    let complaints: Vec<String> =
        sqlx::query_scalar("select distinct status from complaint").fetch_all(&app.db).await.unwrap();
    for status in union_portal::complaints::status::ComplaintStatus::ALL {
        assert!(complaints.contains(&status.as_str().to_string()), "a demo complaint is {status:?}");
    }
    let n: i64 = sqlx::query_scalar("select count(*) from complaint").fetch_one(&app.db).await.unwrap();
    assert_eq!(n, 7, "the second run adds none");
    let mut head = app.browser();
    assert_eq!(head.login("2023010001", union_portal::cli::demo::DEMO_PASSWORD).await.status, StatusCode::SEE_OTHER);
    let page = head.get("/d/rights").await;
    assert!(page.body.contains("陈雨桐") && page.body.contains("副部长"));
    assert_eq!(head.get("/d/life").await.status, StatusCode::FORBIDDEN, "a head reaches only their own department");
}
