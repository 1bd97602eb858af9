//! The open data API over the real router: paging by cursor with `next` and a Link header,
//! ETag and 304, CORS on the API only, 400s as JSON in Chinese or English, the OpenAPI
//! document against the routes in the sources, its readable page, and privacy: an
//! anonymous reporter, a private complaint, a found card's number, a commitment's owner, an
//! event's applicant and a room's resident never appear in any answer of the API or of
//! Open311, even when an officer's session cookie is sent (the other areas' endpoints are
//! tested in `open_data_areas`).

use axum::http::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{Browser, TestApp, TestResponse};

const REPORTER: &str = "2026800001";
const REPORTER_NAME: &str = "匿名者申诉人";
const OFFICER: &str = "2026800002";
const CARD_NO: &str = "2021123412";
const CARD_NAME: &str = "王小明";

fn json(r: &TestResponse) -> Value {
    match serde_json::from_str(&r.body) {
        Ok(v) => v,
        Err(e) => panic!("not JSON ({e}): {}", r.body),
    }
}

/// The path of an absolute URL of this portal (the test router's origin is http://localhost).
fn local(url: &str) -> String {
    match url.find("/api/") {
        Some(i) => url[i..].to_string(),
        None => panic!("not an API URL: {url}"),
    }
}

async fn reporter(app: &TestApp) -> Browser {
    let id = app.create_user(REPORTER, REPORTER_NAME).await;
    app.browser_signed_in(id).await
}

#[tokio::test]
async fn the_board_is_paged_by_cursor_with_next_and_a_link_header() {
    let app = TestApp::spawn().await;
    let mut student = reporter(&app).await;
    for title in ["第一条", "第二条", "第三条"] {
        app.complaint().title(title).by(&mut student).file().await;
    }
    let mut api = app.browser();
    let first = api.get("/api/v1/complaints?per_page=2").await;
    assert_eq!(first.status, StatusCode::OK);
    let page = json(&first);
    let titles: Vec<&str> = page["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["第三条", "第二条"], "newest first");
    assert_eq!(page["per_page"], 2);
    let next = page["next"].as_str().expect("a next page");
    assert_eq!(first.header("link"), Some(format!("<{next}>; rel=\"next\"").as_str()));
    assert!(page["items"][0]["url"].as_str().unwrap().starts_with("http://"), "absolute URLs");
    assert!(page["items"][0]["created_at"].as_str().unwrap().contains('T'), "ISO-8601 times");
    let second = api.get(&local(next)).await;
    let page = json(&second);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["title"], "第一条");
    assert!(page["next"].is_null() && second.header("link").is_none(), "the last page");
}

#[tokio::test]
async fn an_unchanged_answer_is_304_to_its_etag() {
    let app = TestApp::spawn().await;
    let mut student = reporter(&app).await;
    app.complaint().by(&mut student).file().await;
    let mut api = app.browser();
    let r = api.get("/api/v1/complaints").await;
    let etag = r.header("etag").expect("an ETag").to_string();
    assert_eq!(r.header("cache-control"), Some("public, max-age=60"));
    let again = api.send(Method::GET, "/api/v1/complaints", None, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    app.complaint().title("新的一条").by(&mut student).file().await;
    let changed = api.send(Method::GET, "/api/v1/complaints", None, &[("if-none-match", &etag)]).await;
    assert_eq!(changed.status, StatusCode::OK, "a new complaint changes the ETag");
    assert_ne!(changed.header("etag"), Some(etag.as_str()));
}

#[tokio::test]
async fn cors_allows_gets_from_anywhere_on_the_api_only() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    let origin = [("origin", "https://example.org")];
    let preflight = b
        .send(
            Method::OPTIONS,
            "/api/v1/complaints",
            None,
            &[("origin", "https://example.org"), ("access-control-request-method", "GET")],
        )
        .await;
    assert_eq!(preflight.status, StatusCode::OK);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
    assert!(preflight.header("access-control-allow-methods").unwrap().contains("GET"));
    assert!(preflight.header("access-control-allow-credentials").is_none(), "no credentials");
    let get = b.send(Method::GET, "/api/v1/complaints", None, &origin).await;
    assert_eq!(get.header("access-control-allow-origin"), Some("*"));
    let open311 = b.send(Method::GET, "/open311/v2/services.json", None, &origin).await;
    assert_eq!(open311.header("access-control-allow-origin"), Some("*"));
    let page = b.send(Method::GET, "/complaints", None, &origin).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("access-control-allow-origin").is_none(), "the pages allow no other origin");
    let post = b.send(Method::POST, "/api/v1/complaints", Some(String::new()), &origin).await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED, "read-only");
    assert!(json(&post)["error"].as_str().unwrap().contains("只读"));
}

#[tokio::test]
async fn bad_parameters_are_400_with_the_field_in_chinese_or_english() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    for (path, field) in [
        ("/api/v1/complaints?per_page=1000", "per_page"),
        ("/api/v1/complaints?per_page=0", "per_page"),
        ("/api/v1/complaints?per_page=abc", "per_page"),
        ("/api/v1/complaints?cursor=garbage", "cursor"),
        ("/api/v1/complaints?status=lost", "status"),
        ("/api/v1/complaints?category=nosuch", "category"),
        ("/api/v1/complaints?office=x", "office"),
        ("/api/v1/lost-found/items?from=2026-13-45", "from"),
        ("/api/v1/lost-found/items?category=cat", "category"),
        ("/api/v1/lost-found/items?cursor=-", "cursor"),
        ("/api/v1/lost-found/bulletins/1?per_page=101", "per_page"),
        ("/open311/v2/requests.json?status=pending", "status"),
        ("/open311/v2/requests.json?start_date=yesterday", "start_date"),
        ("/open311/v2/requests.json?start_date=2025-01-01&end_date=2025-12-31", "end_date"),
    ] {
        let r = b.get(path).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.body);
        assert!(r.header("content-type").unwrap().starts_with("application/json"), "{path}");
        let body = json(&r);
        assert_eq!(body["field"], field, "{path}");
        let message = body["error"].as_str().unwrap();
        assert!(
            message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{path}: Chinese by default: {message}"
        );
    }
    let en =
        b.send(Method::GET, "/api/v1/complaints?per_page=1000", None, &[("accept-language", "en-GB,en;q=0.9")]).await;
    assert_eq!(json(&en)["error"], "per_page must be a whole number from 1 to 100.");
    let missing = b.get("/api/v1/complaints/2026-999999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(json(&missing)["error"].is_string(), "a 404 is JSON too");
    assert_eq!(b.get("/api/v1/nosuch").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_lists_every_api_route_of_the_router() {
    let app = TestApp::spawn().await;
    let r = app.browser().get("/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = json(&r);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let documented: std::collections::BTreeSet<String> =
        doc["paths"].as_object().unwrap().keys().map(|p| p.trim_end_matches(".json").to_string()).collect();
    let routed: std::collections::BTreeSet<String> =
        crate::security::route_discovery::routes(&crate::security::route_discovery::sources())
            .into_iter()
            .filter(|(_, path)| path.starts_with("/api/v1/") || path.starts_with("/open311/"))
            .map(|(method, path)| {
                assert!(method.eq_ignore_ascii_case("get"), "{path}: the API only reads");
                path.trim_end_matches(".json").to_string()
            })
            .collect();
    assert_eq!(documented, routed, "the document and the router name the same paths");
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert!(item["get"]["responses"]["200"].is_object(), "{path} documents its answer");
    }
    assert!(doc["components"]["schemas"]["ComplaintDetail"]["properties"]["timeline"].is_object());
}

#[tokio::test]
async fn the_documentation_page_is_rendered_from_the_document() {
    let app = TestApp::spawn().await;
    let r = app.browser().get("/api").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    for text in [
        "开放数据接口",
        "GET /api/v1/complaints/{tracking_no}",
        "/open311/v2/requests.json",
        "per_page",
        "ComplaintSummary",
    ] {
        assert!(r.body.contains(text), "the page shows {text}");
    }
    assert!(!r.body.contains("<script src=\"http"), "no outside script");
}

/// The world of the privacy checks: an anonymous public complaint, a private one, a found
/// campus card, all by the same student; a bulletin that lists the card.
struct Private {
    app: TestApp,
    anonymous_no: String,
    private_no: String,
    officer: Browser,
}

async fn private_world() -> Private {
    let app = TestApp::spawn().await;
    let mut student = reporter(&app).await;
    let anonymous_no = app.complaint().title("宿舍楼热水不热").anonymous(true).by(&mut student).file().await;
    let private_no = app.complaint().title("私密投诉标题").private().by(&mut student).file().await;
    let officer_id = app.create_user(OFFICER, "权益部部长").await;
    app.grant(OFFICER, "rights", "head").await;
    app.grant_union(OFFICER, "presidium").await;
    let mut officer = app.browser_signed_in(officer_id).await;
    let point = app.point_id("北区图书馆").await;
    app.found_item(&point)
        .category("card")
        .description("校园卡")
        .card(CARD_NO, CARD_NAME)
        .by(&mut officer)
        .register()
        .await;
    let r = officer.post_form("/d/rights/lost-found/bulletins/publish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "a bulletin published");
    crate::open_data_areas::seed_areas(&app).await;
    Private { app, anonymous_no, private_no, officer }
}

#[tokio::test]
async fn no_answer_names_an_anonymous_reporter_or_shows_a_private_complaint_or_a_card_number() {
    let mut w = private_world().await;
    let bulletin: i64 =
        sqlx::query_scalar("select max(number)::int8 from bulletin").fetch_one(&w.app.db).await.unwrap();
    let paths = [
        "/api/v1/complaints".to_string(),
        "/api/v1/complaints?per_page=100".to_string(),
        format!("/api/v1/complaints/{}", w.anonymous_no),
        "/api/v1/lost-found/items".to_string(),
        "/api/v1/lost-found/items?category=card".to_string(),
        "/api/v1/lost-found/bulletins".to_string(),
        format!("/api/v1/lost-found/bulletins/{bulletin}"),
        "/open311/v2/requests.json".to_string(),
        format!("/open311/v2/requests.json?service_request_id={},{}", w.anonymous_no, w.private_no),
        format!("/open311/v2/requests/{}.json", w.anonymous_no),
        "/open311/v2/services.json".to_string(),
    ];
    let event_id = w.app.scalar("select max(event_id) from event").await;
    let areas = ["/api/v1/reception/days", "/api/v1/reception/days/148", "/api/v1/commitments", "/api/v1/events"];
    let more = ["/api/v1/inspections/rankings?period=week&day=2026-12-02", "/api/v1/stats"];
    let paths = paths.into_iter().chain(areas.into_iter().chain(more).map(str::to_string));
    let paths: Vec<String> = paths.chain([format!("/api/v1/events/{event_id}")]).collect();
    use crate::open_data_areas::{APPLICANT_NAME, OWNER_NAME, RESIDENT_NAME};
    let mut anonymous = w.app.browser();
    for (who, b) in [("anonymous", &mut anonymous), ("officer", &mut w.officer)] {
        for path in &paths {
            let r = b.get(path).await;
            assert_eq!(r.status, StatusCode::OK, "{who} {path}: {}", r.body);
            let people = [OWNER_NAME, "T20269001", RESIDENT_NAME, "2025990001", APPLICANT_NAME, "2026900002"];
            let private = [REPORTER_NAME, REPORTER, "私密投诉标题", w.private_no.as_str(), CARD_NO, CARD_NAME];
            for secret in private.into_iter().chain(people) {
                assert!(!r.body.contains(secret), "{who} {path} shows {secret}: {}", r.body);
            }
            assert!(r.header("set-cookie").is_none(), "{who} {path}: the API starts no session");
        }
        for path in
            [format!("/api/v1/complaints/{}", w.private_no), format!("/open311/v2/requests/{}.json", w.private_no)]
        {
            let r = b.get(&path).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who} {path}: a private complaint is not found");
            assert!(!r.body.contains("私密投诉标题"));
        }
    }
    let one = json(&anonymous.get(&format!("/api/v1/complaints/{}", w.anonymous_no)).await);
    assert!(one["reporter"].is_null(), "anonymous: no name");
    assert_eq!(one["title"], "宿舍楼热水不热");
    let items = json(&anonymous.get("/api/v1/lost-found/items?category=card").await);
    assert_eq!(items["items"][0]["card_no"], "2021****12", "masked as the page masks it");
}

#[tokio::test]
async fn hostile_text_comes_back_as_json_data_never_as_html() {
    let app = TestApp::spawn().await;
    let mut student = reporter(&app).await;
    let corpus = "</script><script>alert(1)</script><img src=x onerror=alert(1)>\"'&";
    let no = app.complaint().title(corpus).by(&mut student).file().await;
    let mut b = app.browser();
    for path in
        [format!("/api/v1/complaints/{no}"), "/api/v1/complaints".into(), format!("/open311/v2/requests/{no}.json")]
    {
        let r = b.get(&path).await;
        assert_eq!(r.header("content-type"), Some("application/json"), "{path}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{path}");
        let v = json(&r);
        let title = v.pointer("/title").or_else(|| v.pointer("/items/0/title")).or_else(|| v.pointer("/0/description"));
        assert!(
            title.and_then(Value::as_str).is_some_and(|t| t.starts_with(corpus)),
            "{path}: the text as data: {}",
            r.body
        );
    }
}
