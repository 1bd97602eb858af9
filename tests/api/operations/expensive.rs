//! Expensive requests cannot be multiplied: a random query parameter gets the shared
//! page (a parameter the page reads, its own: a list's pages), feeds and the calendars
//! are shared too and the calendar costs a fixed number
//! of queries, a search ranks a bounded number of matches, a photo decode keeps its
//! decoder until it ends even when its request is gone, and photo forms are refused
//! without a session, and bounded when large, before their bodies are read.

use std::{
    future::Future,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    body::{Body, Bytes},
    http::{header, Method, Request, StatusCode},
};
use tower::ServiceExt;
use tracing_subscriber::{layer::SubscriberExt, Layer};

use crate::helpers::{Browser, TestApp};

/// Counts the statements sqlx runs (it reports each one as an event of `sqlx::query`)
/// and keeps the first words of each, for the messages. Connections' set-up is left out.
/// One subscriber for the whole test binary, installed once: a subscriber set per test
/// (`set_default`) raced the other tests' threads over tracing's per-callsite interest
/// cache, and now and then a request's statements were not seen at all. It records only
/// on the thread of a test that is counting (requests run on the test's own thread).
struct CountQueries;

thread_local! {
    static COUNTING: std::cell::RefCell<Option<Arc<Mutex<Vec<String>>>>> = const { std::cell::RefCell::new(None) };
}

struct Summary(String);

impl tracing::field::Visit for Summary {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "summary" {
            self.0 = value.to_string();
        }
    }
    fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountQueries {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut summary = Summary(String::new());
        event.record(&mut summary);
        // A new connection of the pool sets its role: not the request's doing.
        if summary.0.starts_with("set role") {
            return;
        }
        COUNTING.with(|c| {
            if let Some(all) = c.borrow().as_ref() {
                if let Ok(mut all) = all.lock() {
                    all.push(summary.0.clone());
                }
            }
        });
    }
}

/// The statements `work` ran on this thread.
async fn counting_queries<T>(work: impl Future<Output = T>) -> (T, Queries) {
    static INSTALLED: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    INSTALLED.get_or_init(|| {
        let only_queries = tracing_subscriber::filter::filter_fn(|m| m.target() == "sqlx::query");
        let subscriber = tracing_subscriber::registry().with(CountQueries.with_filter(only_queries));
        // Fails only when TEST_LOG installed a logger first; counting is then off.
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
    let log = Arc::new(Mutex::new(vec![]));
    COUNTING.with(|c| *c.borrow_mut() = Some(log.clone()));
    let out = work.await;
    COUNTING.with(|c| *c.borrow_mut() = None);
    let run = log.lock().map(|q| q.clone()).unwrap_or_default();
    (out, Queries(run))
}

/// The statements a request ran.
#[derive(Debug)]
struct Queries(Vec<String>);

impl PartialEq<usize> for Queries {
    fn eq(&self, n: &usize) -> bool {
        self.0.len() == *n
    }
}

impl PartialOrd<usize> for Queries {
    fn partial_cmp(&self, n: &usize) -> Option<std::cmp::Ordering> {
        self.0.len().partial_cmp(n)
    }
}

async fn cached_app() -> TestApp {
    TestApp::spawn_with(|c| c.page_cache = Duration::from_secs(60)).await
}

#[tokio::test]
async fn a_random_query_parameter_gets_the_shared_page() {
    let app = cached_app().await;
    let mut visitor = app.browser();
    let (first, queries) = counting_queries(visitor.get("/complaints")).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(queries > 0, "the first visitor renders the page");
    let (again, queries) = counting_queries(visitor.get("/complaints?x=8f3a61c2")).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(queries, 0, "?x= is not a parameter of the board: the shared page");
    let (reordered, _) = counting_queries(visitor.get("/complaints?status=&x=1")).await;
    assert_eq!(reordered.status, StatusCode::OK);
    assert_eq!(app.state.pages.len(), 1, "one page under one key");
    // A parameter the page reads is another page.
    let (other, queries) = counting_queries(visitor.get("/complaints?status=resolved&x=2")).await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(queries > 0);
    let (_, queries) = counting_queries(visitor.get("/complaints?x=3&status=resolved")).await;
    assert_eq!(queries, 0, "the same filter, spelt another way, is the same page");
}

#[tokio::test]
async fn each_page_of_the_events_list_is_a_page_of_its_own_in_the_cache() {
    let app = cached_app().await;
    sqlx::query(
        "insert into event (department_id, title, place, starts_at, ends_at, places, applications_open_at,
                            applications_close_at, selection, reveal_deadline)
         select (select department_id from department where slug = 'rights'), '活动' || g, '西二食堂',
                now() + g * interval '1 day', now() + g * interval '1 day' + interval '2 hours', 10, now(),
                now() + interval '1 hour', 'first_come', now() + interval '1 hour'
         from generate_series(1, 25) g",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let mut visitor = app.browser();
    let first = visitor.get("/events").await;
    assert!(first.body.contains("活动1<") && !first.body.contains("活动25<"), "the soonest first");
    let second = visitor.get("/events?page=2&x=1").await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains("活动25<") && !second.body.contains("活动1<"), "the second page, not the first again");
}

#[tokio::test]
async fn unknown_parameters_cannot_fill_the_cache_and_evict_the_other_pages() {
    let app = cached_app().await;
    let mut visitor = app.browser();
    assert_eq!(visitor.get("/complaints").await.status, StatusCode::OK);
    let home = visitor.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    // Enough different URLs of the home page to fill the cache's 16 MB were each one kept.
    let n = 16 * 1024 * 1024 / home.bytes.len() + 20;
    for i in 0..n {
        assert_eq!(visitor.get(&format!("/?x={i}")).await.status, StatusCode::OK);
    }
    assert!(app.state.pages.len() <= 2, "{} pages held", app.state.pages.len());
    let (board, queries) = counting_queries(visitor.get("/complaints")).await;
    assert_eq!(board.status, StatusCode::OK);
    assert_eq!(queries, 0, "the board is still shared");
}

/// 200 reception sessions, each with two leaders.
async fn two_hundred_sessions(app: &TestApp) {
    sqlx::query(
        "insert into reception_session (kind, number, department_id, starts_at, ends_at, place, topic, open_seats,
                                        signup_opens_at, signup_closes_at)
         select 'leaders', g, (select department_id from department where slug = 'rights'),
                now() + g * interval '1 day', now() + g * interval '1 day' + interval '2 hours',
                '学生活动中心', '议题' || g, 10, now(), now() + g * interval '1 day' - interval '1 hour'
         from generate_series(1, 200) g",
    )
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "insert into reception_leader (session_id, position, name, title)
         select session_id, p, '领导' || number || '-' || p, '副校长' from reception_session, generate_series(1, 2) p",
    )
    .execute(&app.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn the_calendar_of_two_hundred_sessions_costs_two_queries() {
    let app = TestApp::spawn().await;
    two_hundred_sessions(&app).await;
    let mut visitor = app.browser();
    let (ics, queries) = counting_queries(visitor.get("/reception.ics")).await;
    assert_eq!(ics.status, StatusCode::OK);
    assert_eq!(ics.body.matches("BEGIN:VEVENT").count(), 200);
    let unfolded = ics.body.replace("\r\n ", "");
    for leader in ["领导1-1 副校长、领导1-2 副校长", "领导200-1 副校长、领导200-2 副校长"] {
        assert!(unfolded.contains(leader), "{leader}");
    }
    assert!(queries <= 2, "the sessions and all their leaders: {queries:?}");
}

#[tokio::test]
async fn feeds_and_the_calendar_are_shared_like_pages() {
    let app = cached_app().await;
    two_hundred_sessions(&app).await;
    for (path, content_type) in [
        ("/reception.ics", "text/calendar"),
        ("/feeds/reception.atom", "application/atom+xml"),
        ("/feeds/lost-found.atom", "application/atom+xml"),
        ("/events.ics", "text/calendar"),
        ("/feeds/events.atom", "application/atom+xml"),
    ] {
        let mut reader = app.browser();
        let (first, queries) = counting_queries(reader.get(path)).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        assert!(queries > 0, "{path}: rendered once");
        let mut other = app.browser();
        let (shared, queries) = counting_queries(other.get(&format!("{path}?nocache=12345"))).await;
        assert_eq!(queries, 0, "{path}: shared");
        assert!(shared.header("content-type").is_some_and(|t| t.starts_with(content_type)), "{path}");
        assert_eq!(shared.body, first.body, "{path}");
        assert_eq!(shared.header("cache-control"), first.header("cache-control"), "{path}");
    }
}

#[tokio::test]
async fn a_one_character_search_ranks_only_the_newest_matches() {
    let app = TestApp::spawn().await;
    let reporter = app.create_user("2026160001", "投诉人").await;
    let cap = union_portal::search::MAX_CANDIDATES;
    // The best match (伞 in its title) is the oldest, two years back; after it, `cap` newer
    // ones name 伞 only in their descriptions, two days apart: over the last seven months,
    // which the search reads newest first (migrations/0059).
    sqlx::query(
        "insert into complaint (tracking_no, reporter_id, category_id, department_id, title, location, description,
                                is_public, is_anonymous, created_at, search_doc)
         select 'QY-T-' || g, $1, (select category_id from complaint_category order by category_id limit 1),
                (select department_id from department where slug = 'rights'),
                case when g = 0 then '标题就是伞' else '第' || g || '条' end, '图书馆', '伞',
                true, false, case when g = 0 then now() - interval '800 days' else now() - ($4 - g) * interval '2 days' end,
                case when g = 0 then $2::tsvector else $3::tsvector end
         from generate_series(0, $4) g",
    )
    .bind(reporter)
    .bind(union_portal::search::tsvector("标题就是伞", "伞"))
    .bind(union_portal::search::tsvector("第几条", "伞"))
    .bind(cap)
    .execute(&app.db)
    .await
    .unwrap();
    let board = app.browser().get("/complaints?q=%E4%BC%9E").await;
    assert_eq!(board.status, StatusCode::OK);
    assert!(board.body.contains(&format!("第{cap}条")), "the newest matches are listed");
    assert!(!board.body.contains("标题就是伞"), "the oldest match is past the ranked candidates");
    // A narrower search still finds it.
    let narrower = app.browser().get("/complaints?q=%E6%A0%87%E9%A2%98").await;
    assert!(narrower.body.contains("标题就是伞"));
    // With only ten newer matches left on the board, the search reaches back month by
    // month to the oldest, and its title puts it first.
    sqlx::query("update complaint set is_public = false where tracking_no like 'QY-T-%' and created_at < now() - interval '20 days' and title <> '标题就是伞'")
        .execute(&app.db)
        .await
        .unwrap();
    let board = app.browser().get("/complaints?q=%E4%BC%9E").await;
    let first = board.body.find("标题就是伞").expect("the oldest match is found again");
    assert!(board.body.find(&format!("第{cap}条")).is_some_and(|newest| first < newest), "and ranked first");
    assert!(!board.body.contains(&format!("第{}条", cap - 11)), "the ones taken off the board are not");
    // New filings wait in the index's pending list, which every search reads whole: it is kept
    // small (PostgreSQL's default of 4 MB made searches after the benchmark's filings 20× slower).
    let options: Vec<String> = sqlx::query_scalar(
        "select unnest(reloptions) from pg_class where relname = 'complaint_public_search_idx_by_month'",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(options, ["gin_pending_list_limit=128"]);
}

/// A PNG of `w`×`h` black pixels: small to send, slow to decode.
fn big_png(w: u32, h: u32) -> Vec<u8> {
    let mut out = vec![];
    image::DynamicImage::new_rgb8(w, h)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode");
    out
}

#[tokio::test]
async fn a_cancelled_upload_keeps_its_decoder_until_the_decode_ends() {
    let app = TestApp::spawn().await;
    let student = app.create_user("2026160011", "上传者").await;
    let mut student = app.browser_signed_in(student).await;
    student.get("/complaints/new").await;
    let photo = big_png(6_000, 4_000);
    let fields = [
        ("category", "teaching"),
        ("title", "大照片"),
        ("location", "教三"),
        ("description", "三张大照片"),
        ("visibility", "public"),
    ];
    let files: Vec<(&str, &str, &[u8])> = (0..3).map(|_| ("photos", "big.png", photo.as_slice())).collect();
    {
        let request = student.post_multipart("/complaints/new", &fields, &files);
        tokio::pin!(request);
        let started = tokio::time::timeout(Duration::from_secs(120), async {
            loop {
                tokio::select! {
                    r = &mut request => panic!("answered before the client went away: {}", r.status),
                    () = tokio::time::sleep(Duration::from_millis(5)) => {
                        if union_portal::uploads::decodes_running() > 0 {
                            break;
                        }
                    }
                }
            }
        })
        .await;
        assert!(started.is_ok(), "the decode started");
        // The client goes away: the request's future is dropped mid-decode.
    }
    // Holding every decoder is possible only once no decode runs: the cancelled one
    // still holds its decoder.
    let all = tokio::time::timeout(Duration::from_secs(120), union_portal::uploads::hold_every_decoder())
        .await
        .expect("the decode ends")
        .expect("decoders");
    assert_eq!(union_portal::uploads::decodes_running(), 0, "no decode runs without its decoder");
    drop(all);
}

/// A request whose body never comes: `length` bytes announced, none sent.
fn endless_upload(path: &str, cookies: Option<String>, length: usize) -> Request<Body> {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::HOST, "portal.test")
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
        .header(header::CONTENT_LENGTH, length.to_string());
    if let Some(c) = cookies {
        req = req.header(header::COOKIE, c);
    }
    let never = futures_util::stream::pending::<Result<Bytes, std::io::Error>>();
    req.body(Body::from_stream(never)).expect("request")
}

fn cookies(b: &Browser) -> Option<String> {
    (!b.jar.is_empty()).then(|| b.jar.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
}

#[tokio::test]
async fn a_photo_form_without_a_session_is_refused_before_its_body_is_read() {
    let app = TestApp::spawn().await;
    let mut visitor = app.browser();
    visitor.get("/").await;
    for path in ["/complaints/new", "/d/rights/lost-found/items", "/d/rights/commitments/1/update"] {
        let req = endless_upload(path, cookies(&visitor), 20 * 1024 * 1024);
        let answer = tokio::time::timeout(Duration::from_secs(5), app.router.clone().oneshot(req))
            .await
            .unwrap_or_else(|_| panic!("{path}: no answer while the body was awaited"))
            .expect("infallible");
        assert_eq!(answer.status(), StatusCode::SEE_OTHER, "{path}");
        let to = answer.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("");
        assert!(to.starts_with("/login?next="), "{path}: {to}");
    }
}

#[tokio::test]
async fn only_a_few_large_photo_bodies_are_read_at_once() {
    let app = TestApp::spawn().await;
    let student = app.create_user("2026160021", "上传者").await;
    let mut student = app.browser_signed_in(student).await;
    student.get("/complaints/new").await;
    let most = union_portal::uploads::MOST_LARGE_BODIES;
    let large = 20 * 1024 * 1024;
    let slow: Vec<_> = (0..most)
        .map(|_| tokio::spawn(app.router.clone().oneshot(endless_upload("/complaints/new", cookies(&student), large))))
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(slow.iter().all(|t| !t.is_finished()), "their bodies are being read");
    let req = endless_upload("/complaints/new", cookies(&student), large);
    let answer = tokio::time::timeout(Duration::from_secs(15), app.router.clone().oneshot(req))
        .await
        .expect("answered at once, past the bound")
        .expect("infallible");
    assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(answer.headers().contains_key(header::RETRY_AFTER));
    // A small form is not held up by them.
    let fields = [
        ("category", "teaching"),
        ("title", "小表单"),
        ("location", "教三"),
        ("description", "没有照片"),
        ("visibility", "public"),
    ];
    assert_eq!(student.post_multipart("/complaints/new", &fields, &[]).await.status, StatusCode::SEE_OTHER);
    // Once they are gone, a large body is read again.
    for t in &slow {
        t.abort();
    }
    for t in slow {
        let _ = t.await;
    }
    let padding = "x".repeat(3 * 1024 * 1024);
    let mut fields = fields.to_vec();
    fields.push(("padding", &padding));
    let filed = student.post_multipart("/complaints/new", &fields, &[]).await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
}
