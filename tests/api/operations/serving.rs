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
    let dead = union_portal::db::pool("postgres://postgres@127.0.0.1:1/none", 2).expect("pool");
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
    // Logging in sets the session cookie, and the flash that greets the student.
    app.create_user("2026300031", "用 https 的同学").await;
    let mut b = app.browser();
    let login = b.login("2026300031", crate::helpers::PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    let cookies: Vec<&str> = login.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).collect();
    let session = cookies.iter().find(|c| c.starts_with("__Host-portal_session=")).expect("a session cookie");
    assert!(session.contains("Secure") && session.contains("HttpOnly") && session.contains("SameSite=Lax"));
    let flash = cookies.iter().find(|c| c.starts_with("__Host-flash=")).expect("a __Host- flash cookie");
    assert!(flash.contains("; Secure") && flash.contains("HttpOnly") && flash.contains("Path=/"), "{flash}");
    assert!(!flash.contains("Domain"), "{flash}");
    assert!(!cookies.iter().any(|c| c.starts_with("flash=")), "no unprefixed flash: {cookies:?}");
    // The next page reads it back (shown once) and clears it under the same name.
    let page = b.get(login.location().expect("sent on")).await;
    assert!(page.body.contains("登录成功"), "the flash is shown");
    let cleared: Vec<&str> = page.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).collect();
    assert!(cleared.iter().any(|c| c.starts_with("__Host-flash=;") && c.contains("Max-Age=0")), "{cleared:?}");
    assert!(!b.get("/").await.body.contains("登录成功"), "shown once");
    // A flash planted without the prefix (from a sibling subdomain or plain http) is not shown.
    b.jar.insert("flash".into(), "flash.logged_in".into());
    assert!(!b.get("/").await.body.contains("登录成功"), "an unprefixed flash is ignored behind https");
}

#[tokio::test]
async fn downloads_for_a_logged_in_user_are_never_stored() {
    let app = TestApp::spawn().await;
    let officer = app.create_user("2026300041", "登记册管理员").await;
    app.grant("2026300041", "rights", "member").await;
    let mut b = app.browser_signed_in(officer).await;
    for path in ["/d/rights/lost-found/register.csv", "/d/rights/lost-found/register.xlsx", "/me"] {
        let r = b.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(r.header("cache-control"), Some("no-store"), "{path}");
    }
    let anonymous = app.browser().get("/feeds/lost-found.atom").await;
    assert_ne!(anonymous.header("cache-control"), Some("no-store"), "public feeds may be cached");
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
async fn only_a_photo_form_may_send_a_multipart_body_over_the_form_limit() {
    let app = TestApp::spawn().await;
    let student = app.create_user("2026300001", "学生").await;
    let mut b = app.browser_signed_in(student).await;
    let three_mb = vec![b'x'; 3 * 1024 * 1024];
    // A form without photos: multipart or not, the small limit, and a page that says so.
    for path in ["/login", "/me/notifications/email", "/complaints/QY-2026-000001/reply"] {
        let r = b.post_multipart(path, &[], &[("photos", "big.jpg", &three_mb)]).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        assert!(r.body.contains("内容太大"), "{path}: a friendly page");
    }
    // A photo form takes it (and says the file is no photo), up to the upload limit.
    let fields = [("category", "canteen"), ("title", "食堂"), ("location", "一食堂"), ("description", "有异物")];
    let r = b.post_multipart("/complaints/new", &fields, &[("photos", "big.jpg", &three_mb)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "under the upload limit: the form answers");
    assert!(r.body.contains("只能上传 JPEG、PNG 或 WebP"));
    let over = vec![b'x'; union_portal::config::UPLOAD_LIMIT + 1];
    let r = b.post_multipart("/complaints/new", &fields, &[("photos", "huge.jpg", &over)]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "over the upload limit");
    assert!(r.body.contains("内容太大"));
    let filed = app.scalar("select count(*) from complaint").await;
    assert_eq!(filed, 0);
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

/// GET `/` with exactly this Cookie header (bytes, so it need not be UTF-8).
async fn home_with_cookie(app: &TestApp, cookie: &[u8]) -> (StatusCode, String) {
    use tower::ServiceExt;
    let req = axum::http::Request::get("/")
        .header("host", "portal.test")
        .header("cookie", axum::http::HeaderValue::from_bytes(cookie).expect("a header value"))
        .body(axum::body::Body::empty())
        .expect("request");
    let r = app.router.clone().oneshot(req).await.expect("router is infallible");
    let status = r.status();
    let bytes = axum::body::to_bytes(r.into_body(), usize::MAX).await.expect("body");
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn cookies_of_invalid_utf8_huge_or_doubled_are_ignored_not_fatal() {
    let app = TestApp::spawn().await;
    let user = app.create_user("2026300002", "张同学").await;
    let session = union_portal::web::session::insert_session(&app.db, user).await.expect("session").token;
    let huge = format!("portal_session={}; flash={}", "A".repeat(64 * 1024), "%FF".repeat(20_000));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("invalid UTF-8", b"portal_session=\xFF\xFE\x80; flash=\xC3\x28; lang=\xE2\x82".to_vec()),
        ("huge values", huge.into_bytes()),
        ("a NUL escaped", b"portal_session=%00; flash=%00%00; lang=%00".to_vec()),
        ("no value and no name", b"=; ;portal_session; =x; ;;".to_vec()),
        ("a junk session before the real one", format!("portal_session=junk; portal_session={session}").into_bytes()),
        ("the real session before a junk one", format!("portal_session={session}; portal_session=junk").into_bytes()),
    ];
    for (what, cookie) in cases {
        let (status, body) = home_with_cookie(&app, &cookie).await;
        assert_eq!(status, StatusCode::OK, "{what}");
        assert!(body.contains("学生会"), "{what}: the home page");
    }
}

#[tokio::test]
async fn seed_demo_fills_the_portal_and_running_it_twice_duplicates_nothing() {
    let app = TestApp::spawn().await;
    union_portal::cli::demo::seed(&app.state).await.expect("seed");
    union_portal::cli::demo::seed(&app.state).await.expect("seed again");
    let users = app.scalar("select count(*) from app_user").await;
    use union_portal::cli::demo::{applicant_count, ACCOUNTS, LIAISONS};
    let demo = ACCOUNTS.len() + LIAISONS.len() + applicant_count();
    assert_eq!(
        users as usize, demo,
        "the demo's students and officers, the offices' liaisons, the open day's applicants"
    );
    assert_eq!(app.scalar("select count(*) from event").await, 3, "the second run adds no event");
    assert_eq!(app.scalar("select count(*) from event_application where event_id = 1").await, 100);
    let drawn = app.browser().get("/events/1/draw.json").await;
    let draw: union_portal::events::draw::Draw =
        serde_json::from_str(&drawn.body).expect("the first open day is drawn");
    assert_eq!((draw.selected.len(), draw.waiting.len()), (20, 80));
    assert_eq!(app.scalar("select count(*) from inspection_round where published_at is not null").await, 8);
    assert_eq!(app.scalar("select count(*) from dorm_room").await, 64, "the second run adds no room");
    assert_eq!(app.scalar("select count(*) from inspection_appeal where decision = 'changed'").await, 1);
    let civilised = app.browser().get("/inspections/civilised").await;
    assert!(civilised.body.contains("北区24栋") || civilised.body.contains("西区12栋"), "the term has 文明寝室");
    let board = app.browser().get("/inspections").await;
    assert!(board.body.contains("黑榜") && !board.body.contains("张同学"));
    let memberships = app.scalar("select count(*) from membership").await;
    let officers = union_portal::cli::demo::ACCOUNTS.iter().filter(|a| a.dept.is_some()).count();
    assert_eq!(memberships as usize, officers + 1, "the officers, and the student who accepted 权益服务部's offer");
    let stages = app.scalar("select count(distinct status) from recruitment_application").await;
    assert_eq!(stages, 8, "the demo's recruitment has applicants at every stage");
    let answers = app.scalar("select count(*) from survey_response").await;
    assert_eq!(answers, 260, "the 毕业晚会问卷's answers, once");
    let complaints: Vec<String> =
        sqlx::query_scalar("select distinct status from complaint").fetch_all(&app.db).await.unwrap();
    for status in union_portal::complaints::status::ComplaintStatus::ALL {
        assert!(complaints.contains(&status.as_str().to_string()), "a demo complaint is {status:?}");
    }
    let n = app.scalar("select count(*) from complaint").await;
    assert_eq!(n, 14, "seven cases of the union, seven answered by school offices; the second run adds none");
    let mut head = app.browser();
    assert_eq!(head.login("2023010001", union_portal::cli::demo::DEMO_PASSWORD).await.status, StatusCode::SEE_OTHER);
    let page = head.get("/d/rights").await;
    assert!(page.body.contains("陈雨桐") && page.body.contains("副部长"));
    assert_eq!(head.get("/d/life").await.status, StatusCode::FORBIDDEN, "a head reaches only their own department");
}

#[tokio::test]
async fn seed_bench_fills_a_university_in_proportion_and_the_portal_keeps_working() {
    use std::collections::BTreeSet;
    use union_portal::search::document_tokens;
    use union_portal_bench_seed::{self as bench, Counts, BENCH_PASSWORD};
    let app = TestApp::spawn().await;
    // bench-seed is a command: it runs as the tables' owner (it sets indexes aside).
    let owner = union_portal::app::AppState::new(app.db.clone(), app.state.config.as_ref().clone());
    let report = bench::seed(&owner, 0.01).await.expect("seed");
    let want = Counts::for_scale(0.01);
    assert_eq!(report.counts, want);
    let count = |table: &'static str| {
        let db = app.db.clone();
        async move { sqlx::query_scalar::<_, i64>(&format!("select count(*) from {table}")).fetch_one(&db).await.unwrap() }
    };
    for (table, n) in [
        ("complaint", want.complaints),
        ("complaint_event", want.events),
        ("complaint_support", want.supports),
        ("found_item", want.found_items),
        ("bulletin", want.bulletins),
        ("lost_report", want.lost_reports),
        ("reception_session", want.sessions),
        ("reception_question", want.questions),
        ("commitment", want.commitments),
        ("plan", want.plans),
        ("plan_action", want.actions),
        ("dorm_building", want.dorm_buildings),
        ("dorm_room", want.dorm_rooms),
        ("dorm_resident", want.dorm_residents),
        ("inspection_round", want.inspection_rounds),
        ("inspection_result", want.inspection_results),
    ] {
        assert_eq!(count(table).await, n, "{table}");
    }
    assert!(count("app_user").await > want.students);
    assert_eq!((want.complaints, want.found_items), (2_000, 10_000), "proportional to N = 1");
    assert_eq!(
        (want.dorm_rooms, want.dorm_buildings, want.inspection_rounds),
        (80, 1, 16),
        "8,000 rooms × 16 weeks at N = 1"
    );
    // Every round published; the latest week's standings are its graded rooms, and every
    // round's day has its week's standings (the rankings were recomputed as publishing does).
    let (unpublished, refused, vetoed, itemised): (i64, i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from inspection_round where published_at is null),
                (select count(*) from inspection_result where outcome = 'refused'),
                (select count(*) from inspection_result where vetoed),
                (select count(distinct result_id) from inspection_deduction)",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(unpublished, 0);
    assert!(refused > 0 && refused < want.inspection_results / 20, "about 1% 拒查: {refused}");
    assert!(vetoed < want.inspection_results / 50, "a few vetoes: {vetoed}");
    assert!(itemised > want.inspection_results / 8, "a sample's deductions: {itemised}");
    let (weeks, latest_graded, latest_week): (i64, i64, i64) = sqlx::query_as(
        "with latest as (select max(held_on) as day from inspection_round)
         select (select count(distinct starts_on) from inspection_standing where period = 'week'),
                (select count(*) from inspection_result x join inspection_round d using (round_id), latest
                  where d.held_on = latest.day and x.outcome <> 'absent'),
                (select count(*) from inspection_standing s, latest
                  where s.period = 'week' and s.starts_on = latest.day - 2)",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((weeks, latest_week), (16, latest_graded), "the standings of every week");
    let empty: i64 = sqlx::query_scalar(
        "select count(*) from bulletin b where item_count = 0
            or item_count <> (select count(*) from found_item i where i.bulletin_id = b.bulletin_id)",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(empty, 0, "every bulletin lists its items");

    // The search documents are the ones the portal itself makes: title words weighted A.
    // (title, the rest, every lexeme, the lexemes weighted A) of each searchable table.
    let mut rows: Vec<(String, String, Vec<String>, Vec<String>)> = vec![];
    for (title, rest, table, key) in [
        ("title", "location || ' ' || description || ' ' || tracking_no", "complaint", "complaint_id"),
        ("colour || ' ' || description", "found_place", "found_item", "item_id"),
        ("what", "description || ' ' || place", "lost_report", "report_id"),
    ] {
        let sql = format!(
            "select {title}, {rest},
                    array(select lexeme from unnest(search_doc) order by 1),
                    array(select lexeme from unnest(search_doc) where 'A' = any(weights) order by 1)
             from {table} order by {key} limit 50"
        );
        rows.extend(sqlx::query_as(&sql).fetch_all(&app.db).await.unwrap());
    }
    for (title, rest, all, weighted) in rows {
        let title_tokens: BTreeSet<String> = document_tokens(&title).into_iter().collect();
        let every: BTreeSet<String> = title_tokens.iter().cloned().chain(document_tokens(&rest)).collect();
        assert_eq!(all.into_iter().collect::<BTreeSet<_>>(), every, "{title} / {rest}");
        assert_eq!(weighted.into_iter().collect::<BTreeSet<_>>(), title_tokens, "{title}");
    }

    let mut visitor = app.browser();
    for path in [
        "/",
        "/complaints",
        report.deep_board_path.as_str(),
        report.complaint_path.as_str(),
        "/lost-found",
        report.bulletin_path.as_str(),
        "/commitments",
        "/stats",
        report.plan_path.as_str(),
        report.reception_path.as_str(),
        "/inspections",
        "/inspections/rankings?period=term",
        report.building_ranking_path.as_str(),
    ] {
        let r = visitor.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(r.body.len() > 2_000, "{path} has content");
    }
    let ranking = visitor.get("/inspections/rankings?period=term").await;
    assert!(ranking.body.contains("北区1栋"), "the term's ranking names rooms by building");
    let termites = visitor.get("/complaints?q=%E7%99%BD%E8%9A%81").await;
    assert!(termites.status == StatusCode::OK && termites.body.matches("白蚁").count() > 3, "白蚁 is found");
    let umbrellas = visitor.get("/lost-found?q=%E9%9B%A8%E4%BC%9E").await;
    assert!(umbrellas.status == StatusCode::OK && umbrellas.body.matches("雨伞").count() > 3, "雨伞 is found");

    // The handler logs in with the bench password and works the queue; filing and publishing go on.
    let mut handler = app.browser();
    assert_eq!(handler.login(&report.handler, BENCH_PASSWORD).await.status, StatusCode::SEE_OTHER);
    let queue = handler.get("/d/rights/complaints").await;
    assert!(queue.status == StatusCode::OK && queue.body.contains("QY-"));
    let last: i32 = sqlx::query_scalar("select max(number) from bulletin").fetch_one(&app.db).await.unwrap();
    let r = handler.post_form("/d/rights/lost-found/bulletins/publish", &[]).await;
    assert_eq!(r.location(), Some(format!("/lost-found/bulletins/{}", last + 1).as_str()), "the next number");

    let mut student = app.browser();
    assert_eq!(student.login(&report.student, BENCH_PASSWORD).await.status, StatusCode::SEE_OTHER);
    let fields = [
        ("category", "dorm"),
        ("title", "北区24栋热水又停了"),
        ("location", "北区24栋 3楼"),
        ("description", "今晚又没有热水。"),
        ("visibility", "public"),
    ];
    let r = student.post_multipart("/complaints/new", &fields, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let filed = r.location().expect("redirect").trim_start_matches("/complaints/").to_string();
    let same: i64 = sqlx::query_scalar("select count(*) from complaint where tracking_no = $1")
        .bind(&filed)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(same, 1, "{filed} is a fresh number");
    let year = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).format("%Y").to_string();
    let highest: String =
        sqlx::query_scalar("select max(tracking_no) from complaint where tracking_no like 'QY-' || $1 || '-%'")
            .bind(&year)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(filed, highest, "numbering continues after the generated ones");
    assert_eq!(student.get(&format!("/complaints/{filed}")).await.status, StatusCode::OK);

    let again = bench::seed(&owner, 0.01).await.expect_err("refused");
    assert!(again.to_string().contains("already holds"), "{again}");
}

#[tokio::test]
async fn anonymous_visitors_share_a_page_for_a_moment_each_with_their_own_token() {
    let app = TestApp::spawn_with(|c| c.page_cache = std::time::Duration::from_secs(60)).await;
    let student = app.create_user("2026300001", "缓存测试").await;
    let mut student = app.browser_signed_in(student).await;
    let mut first = app.browser();
    let before = first.get("/complaints").await;
    assert_eq!(before.status, StatusCode::OK);

    let fields = [
        ("category", "teaching"),
        ("title", "共享页面之后提交的投诉"),
        ("location", "教三"),
        ("description", "缓存测试"),
        ("visibility", "public"),
    ];
    assert_eq!(student.post_multipart("/complaints/new", &fields, &[]).await.status, StatusCode::SEE_OTHER);

    let mut second = app.browser();
    let shared = second.get("/complaints").await;
    assert!(!shared.body.contains("共享页面之后提交的投诉"), "the shared page, rendered before");
    let token = second.jar.get("portal_csrf").expect("a CSRF cookie").clone();
    assert!(shared.body.contains(&format!("value=\"{token}\"")), "with this visitor's own token");
    assert!(!shared.body.contains(union_portal::web::page_cache::TOKEN_PLACEHOLDER));
    assert!(!shared.body.contains(first.jar["portal_csrf"].as_str()), "not the first visitor's");
    // The token works: the language switch is accepted.
    let switched = second.post_form("/lang", &[("lang", "en"), ("next", "/complaints")]).await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);

    assert!(student.get("/complaints").await.body.contains("共享页面之后提交的投诉"), "logged in: always fresh");
    let english = second.get("/complaints").await;
    assert!(english.body.contains("共享页面之后提交的投诉"), "another language is another page");
}

#[tokio::test]
async fn handlers_share_the_first_queue_page_for_a_moment_and_nothing_else() {
    let app = TestApp::spawn_with(|c| c.page_cache = std::time::Duration::from_secs(60)).await;
    let student = app.create_user("2026300011", "缓存测试").await;
    let handler = app.create_user("2026300012", "权益部员").await;
    app.grant("2026300012", "rights", "member").await;
    let (mut student, mut handler) = (app.browser_signed_in(student).await, app.browser_signed_in(handler).await);
    assert!(handler.get("/d/rights/complaints").await.body.contains("<tbody>"));
    let fields = [
        ("category", "teaching"),
        ("title", "排队页之后提交的投诉"),
        ("location", "教三"),
        ("description", "缓存测试"),
        ("visibility", "public"),
    ];
    assert_eq!(student.post_multipart("/complaints/new", &fields, &[]).await.status, StatusCode::SEE_OTHER);
    let title = "排队页之后提交的投诉";
    assert!(!handler.get("/d/rights/complaints").await.body.contains(title), "the shared first page");
    assert!(handler.get("/d/rights/complaints?status=submitted").await.body.contains(title), "a filter: fresh");
    assert!(
        handler.get("/d/rights/complaints?mine=&q=%E6%8E%92%E9%98%9F").await.body.contains(title),
        "a search: fresh"
    );
    app.state.cached.queue_first_pages.clear();
    assert!(handler.get("/d/rights/complaints").await.body.contains(title), "after the moment");
}

#[tokio::test]
async fn the_portal_runs_as_a_role_that_can_only_add_to_the_audit_trail() {
    let app = TestApp::spawn().await;
    let admin = app.create_user("2026300021", "管理员").await;
    app.grant_union("2026300021", "admin").await;
    // A real entry, written through the portal as the portal's role.
    let mut b = app.browser_signed_in(admin).await;
    let form = [("slug", "test-dept"), ("name_zh", "测试部"), ("name_en", "Test")];
    assert_eq!(b.post_form("/admin/departments/add", &form).await.status, StatusCode::SEE_OTHER);
    let db = &app.state.db;
    let who: String = sqlx::query_scalar("select current_user::text").fetch_one(db).await.unwrap();
    assert_eq!(who, "portal_app");
    let entries: i64 = sqlx::query_scalar("select count(*) from audit_log").fetch_one(db).await.unwrap();
    assert!(entries >= 1, "it reads the trail");
    for attack in [
        "update audit_log set action = 'nothing'",
        "delete from audit_log",
        "truncate audit_log",
        "alter table audit_log disable trigger all",
        "drop trigger audit_log_no_update on audit_log",
        "drop table audit_log",
        "delete from _sqlx_migrations",
    ] {
        let refused = sqlx::query(attack).execute(db).await;
        let message = refused.expect_err(attack).to_string();
        assert!(message.contains("permission denied") || message.contains("must be owner"), "{attack}: {message}");
    }
    // Granting itself more only warns: it holds nothing it could pass on.
    sqlx::query("grant update on audit_log to portal_app").execute(db).await.expect("a warning");
    let may_update: bool = sqlx::query_scalar("select has_table_privilege('portal_app', 'audit_log', 'update')")
        .fetch_one(db)
        .await
        .unwrap();
    assert!(!may_update);
    let after: i64 = sqlx::query_scalar("select count(*) from audit_log").fetch_one(db).await.unwrap();
    assert_eq!(after, entries, "nothing changed");
    // The portal's own data it may change.
    sqlx::query("update app_user set name = name").execute(db).await.expect("ordinary tables are writable");
}
