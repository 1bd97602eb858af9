//! Faults, over real TCP: PostgreSQL going away under load and coming back (a
//! friendly 503 meanwhile, recovery without a restart, no confirmed write lost);
//! SIGTERM with a hundred requests in flight; two portal processes on one
//! database (sessions, numbering, seats and edit conflicts decided by the database).

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use axum::http::StatusCode;
use chrono::Utc;
use sqlx::{Connection, PgConnection, PgPool};
use union_portal::{
    app::{self, AppState},
    config::Config,
    managed_db::Cluster,
    web::{session, DeptRole},
};

use crate::helpers::{refs, HttpBrowser, PortalProcess, SessionSeed, TestResponse, PASSWORD};

/// The 503 page's title (error.503.title).
const UNAVAILABLE_TITLE: &str = "暂时无法访问";

/// `n` students with the test password and a session each. The password is hashed
/// once: argon2 for every account would cost seconds.
pub(super) async fn students(state: &AppState, first_no: u64, n: u64) -> Vec<(i64, session::NewSession)> {
    let hash = state.hasher.hash(PASSWORD.to_string()).await.expect("hash");
    let mut out = vec![];
    for no in first_no..first_no + n {
        let student_no = no.to_string();
        let email = format!("{student_no}@stu.example.edu.cn");
        let id = union_portal::accounts::queries::insert_user(
            &state.db,
            &student_no,
            "同学",
            "法学院",
            &email,
            &hash,
            false,
        )
        .await
        .expect("insert user")
        .expect("student number unused");
        // Students of the school's directory: some of them are given roles.
        union_portal::accounts::queries::mark_verified(&state.db, id, "cli").await.expect("verified");
        out.push((id, session::insert_session(&state.db, id).await.expect("session")));
    }
    out
}

/// A department role for a student of `students`, in 权益服务部 (rights).
pub(super) async fn grant(db: &PgPool, user_id: i64, role: DeptRole) {
    let student_no: String = sqlx::query_scalar("select student_no from app_user where user_id = $1")
        .bind(user_id)
        .fetch_one(db)
        .await
        .unwrap();
    union_portal::departments::roles::grant_dept_role(db, None, &student_no, "rights", role)
        .await
        .expect("grant")
        .expect("granted");
}

/// A reception day with `seats` open seats, made by an organiser on the portal at `url`:
/// its id and the code in its address (`/reception/{code}`).
pub(super) async fn open_reception(
    url: &str,
    organiser: &session::NewSession,
    db: &PgPool,
    seats: i64,
) -> (i64, String) {
    let fields = SessionSeed::default()
        .topic("食堂与宿舍")
        .leaders("王建国 副校长")
        .quotas("法学院 2")
        .open_seats(&seats.to_string())
        .fields();
    let r = HttpBrowser::signed_in(url, organiser).post_form("/d/rights/reception/new", &refs(&fields)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let session: i64 = r.location().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let code: String = sqlx::query_scalar(
        "select k.path_prefix || s.number from reception_session s join reception_kind k using (kind) where session_id = $1",
    )
    .bind(session)
    .fetch_one(db)
    .await
    .unwrap();
    (session, code)
}

/// Poll `path` until it answers `status`; when it did, or `None` after `limit`.
async fn poll_until(b: &mut HttpBrowser, path: &str, status: StatusCode, limit: Duration) -> Option<Instant> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if b.get(path).await.status == status {
            return Some(Instant::now());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

// ---------------------------------------------------------------------------
// 1. The database goes away under load and comes back.

/// One answer the load got.
#[derive(Debug)]
struct Seen {
    path: &'static str,
    started: Instant,
    finished: Instant,
    status: StatusCode,
    retry_after: Option<String>,
    /// The friendly error page, with no internals on it.
    friendly: bool,
    /// The complaint's tracking number, when filing succeeded.
    filed: Option<String>,
}

impl Seen {
    fn of(path: &'static str, started: Instant, r: &TestResponse) -> Seen {
        let filed = (r.status == StatusCode::SEE_OTHER)
            .then(|| r.location().and_then(|l| l.strip_prefix("/complaints/")).map(str::to_string))
            .flatten();
        Seen {
            path,
            started,
            finished: Instant::now(),
            status: r.status,
            retry_after: r.header("retry-after").map(str::to_string),
            friendly: r.body.contains(UNAVAILABLE_TITLE)
                && !r.body.to_lowercase().contains("sqlx")
                && !r.body.contains("union-portal-test-"),
            filed,
        }
    }
}

/// A student filing complaints one after another until told to stop.
async fn file_until(mut b: HttpBrowser, running: Arc<AtomicBool>) -> Vec<Seen> {
    let mut seen = vec![];
    let mut n = 0;
    while running.load(Ordering::Relaxed) {
        n += 1;
        let title = format!("教室停电第{n}次");
        let fields = [
            ("category", "teaching"),
            ("title", title.as_str()),
            ("location", "教学楼3号楼"),
            ("description", "上课时整层停电。"),
            ("visibility", "public"),
        ];
        let started = Instant::now();
        let r = b.try_post_multipart("/complaints/new", &fields, &[]).await.expect("the portal answers every request");
        seen.push(Seen::of("/complaints/new", started, &r));
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    seen
}

/// A visitor opening pages that all need the database, round and round.
async fn read_until(mut b: HttpBrowser, paths: &'static [&'static str], running: Arc<AtomicBool>) -> Vec<Seen> {
    let mut seen = vec![];
    for path in paths.iter().cycle() {
        if !running.load(Ordering::Relaxed) {
            break;
        }
        let started = Instant::now();
        let r = b.get(path).await;
        seen.push(Seen::of(path, started, &r));
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_under_load_is_a_friendly_503_that_heals_itself_and_loses_no_confirmed_write() {
    if std::env::var("TEST_LOG").is_ok() {
        let _ = tracing_subscriber::fmt().with_env_filter("warn").try_init();
    }
    let mut cluster = tokio::task::spawn_blocking(Cluster::start_throwaway).await.unwrap().expect("own PostgreSQL");
    let url = cluster.url("postgres");
    let pool = union_portal::db::pool(&url, 16).expect("pool");
    union_portal::db::migrate(&pool).await.expect("migrate");
    let mut conn = pool.acquire().await.unwrap();
    union_portal::departments::roles::ensure_current_term(&mut conn).await.unwrap();
    drop(conn);
    let data_dir = tempfile::tempdir().unwrap();
    // As the binary serves: migrated as the owner, requests as `portal_app`.
    let app_db = union_portal::db::app_pool(&url, 16).expect("app pool");
    let state = AppState::new(app_db, Config::for_tests(data_dir.path().to_path_buf()));
    let people = students(&state, 2026710001, 4).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app::serve(listener, app::router(state), Duration::from_secs(5), async {
        let _ = stopped.await;
    }));

    let running = Arc::new(AtomicBool::new(true));
    let mut load = vec![];
    for (i, (_, s)) in people[..3].iter().enumerate() {
        let mut b = HttpBrowser::signed_in(&base, s);
        b.ip = format!("192.0.2.{}", 30 + i);
        load.push(tokio::spawn(file_until(b, running.clone())));
    }
    let anonymous = HttpBrowser::new(&base);
    load.push(tokio::spawn(read_until(anonymous, &["/", "/complaints", "/lost-found", "/reception"], running.clone())));
    let reader = HttpBrowser::signed_in(&base, &people[3].1);
    load.push(tokio::spawn(read_until(reader, &["/me", "/complaints"], running.clone())));
    tokio::time::sleep(Duration::from_secs(3)).await;

    // The outage: ten seconds without PostgreSQL.
    let down_from = Instant::now();
    tokio::task::block_in_place(|| cluster.pause()).expect("stop PostgreSQL");
    let down_at = Instant::now();
    let mut probe = HttpBrowser::new(&base);
    let noticed = poll_until(&mut probe, "/readyz", StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(5))
        .await
        .expect("/readyz says 503 within 5 s of the database stopping");
    while down_at.elapsed() < Duration::from_secs(10) {
        assert_eq!(probe.get("/healthz").await.status, StatusCode::OK, "alive while the database is away");
        assert_eq!(probe.get("/readyz").await.status, StatusCode::SERVICE_UNAVAILABLE);
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(!server.is_finished(), "the portal process lives on");
    let back_from = Instant::now();
    tokio::task::block_in_place(|| cluster.resume()).expect("start PostgreSQL again");
    let up_at = Instant::now();
    let page_back = poll_until(&mut probe, "/complaints", StatusCode::OK, Duration::from_secs(5)).await;
    let ready_back = poll_until(&mut probe, "/readyz", StatusCode::OK, Duration::from_secs(5)).await;
    assert!(page_back.is_some() && ready_back.is_some(), "serving again within 5 s, without a restart");
    let healed = Instant::now();
    tokio::time::sleep(Duration::from_secs(3)).await;
    running.store(false, Ordering::Relaxed);
    let mut seen = vec![];
    for task in load {
        seen.extend(task.await.expect("a load task panicked"));
    }
    drop(probe);
    let _ = stop.send(());
    server.await.unwrap().expect("served");

    for s in &seen {
        let expected = if s.path == "/complaints/new" { StatusCode::SEE_OTHER } else { StatusCode::OK };
        assert!(
            s.status == expected || s.status == StatusCode::SERVICE_UNAVAILABLE,
            "{} answered {}",
            s.path,
            s.status
        );
        if s.status == StatusCode::SERVICE_UNAVAILABLE {
            assert_eq!(s.retry_after.as_deref(), Some("5"), "{} 503 with Retry-After", s.path);
            assert!(s.friendly, "{} 503 is the friendly error page", s.path);
        }
        if s.finished < down_from || s.started > healed {
            assert_eq!(s.status, expected, "{} while the database was there", s.path);
        }
        if s.started > noticed && s.finished < back_from {
            assert_eq!(s.status, StatusCode::SERVICE_UNAVAILABLE, "{} while the database was away", s.path);
        }
    }
    let during =
        |path: &str| seen.iter().filter(|s| s.path == path && s.started > noticed && s.finished < back_from).count();
    assert!(during("/complaints/new") > 0 && during("/me") > 0 && during("/") > 0, "load ran through the outage");
    let filed: Vec<String> = seen.iter().filter_map(|s| s.filed.clone()).collect();
    let filed_before = seen.iter().filter(|s| s.filed.is_some() && s.finished < down_from).count();
    let filed_after = seen.iter().filter(|s| s.filed.is_some() && s.started > up_at).count();
    assert!(filed_before > 0 && filed_after > 0, "writes succeeded before ({filed_before}) and after ({filed_after})");

    let check = PgPool::connect(&url).await.expect("connect after the outage");
    let stored: Vec<String> = sqlx::query_scalar("select tracking_no from complaint where tracking_no = any($1)")
        .bind(&filed)
        .fetch_all(&check)
        .await
        .unwrap();
    let missing: Vec<&String> = filed.iter().filter(|no| !stored.contains(no)).collect();
    assert!(missing.is_empty(), "confirmed but not stored: {missing:?}");
    assert_eq!(stored.len(), filed.len(), "each confirmed filing stored once");
    check.close().await;
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_database_restart_nobody_visited_through_the_first_visitors_are_served() {
    let mut cluster = tokio::task::spawn_blocking(Cluster::start_throwaway).await.unwrap().expect("own PostgreSQL");
    let pool = union_portal::db::pool(&cluster.url("postgres"), 16).expect("pool");
    union_portal::db::migrate(&pool).await.expect("migrate");
    let app_db = union_portal::db::app_pool(&cluster.url("postgres"), 16).expect("app pool");
    let state = AppState::new(app_db.clone(), Config::for_tests(std::env::temp_dir()));
    let router = app::router(state);
    // A busy moment leaves the pool holding several open connections.
    let pages = (0..8)
        .map(|_| crate::helpers::Browser::new(router.clone()))
        .map(|mut b| async move { b.get("/complaints").await.status });
    assert!(futures::future::join_all(pages).await.iter().all(|s| *s == StatusCode::OK));
    assert!(app_db.num_idle() > 1, "connections kept for reuse: {}", app_db.num_idle());
    // Night: the connections sit idle, and a quick restart happens with nobody asking for anything.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    tokio::task::block_in_place(|| cluster.pause().and_then(|()| cluster.resume())).expect("restart PostgreSQL");
    let mut visitor = crate::helpers::Browser::new(router.clone());
    for i in 0..10 {
        let r = visitor.get("/complaints").await;
        assert_eq!(r.status, StatusCode::OK, "visitor {i} after the restart");
    }
    app_db.close().await;
    pool.close().await;
}

// ---------------------------------------------------------------------------
// 2. SIGTERM with requests in flight.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sigterm_a_hundred_requests_in_flight_finish_new_connections_are_refused_and_it_exits_within_its_grace() {
    const GRACE: Duration = Duration::from_secs(15);
    let cluster = tokio::task::spawn_blocking(Cluster::start_throwaway).await.unwrap().expect("own PostgreSQL");
    let url = cluster.url("postgres");
    let grace = GRACE.as_secs().to_string();
    let env = [("PORTAL_DB_POOL_SIZE", "120"), ("PORTAL_PAGE_CACHE_MS", "0"), ("PORTAL_SHUTDOWN_GRACE", &grace)];
    let mut portal = PortalProcess::start(&url, &env).await;
    // Nobody may read complaints: every request for the board waits inside its handler.
    let mut locker = PgConnection::connect(&url).await.unwrap();
    let mut lock = locker.begin().await.unwrap();
    sqlx::query("lock table complaint in access exclusive mode").execute(&mut *lock).await.unwrap();
    let client = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(60)).build().unwrap();
    let requests: Vec<_> = (0..100)
        .map(|_| {
            let request = client.get(format!("{}/complaints", portal.url));
            tokio::spawn(async move {
                let r = request.send().await?;
                let status = r.status();
                Ok::<_, reqwest::Error>((status, r.text().await?))
            })
        })
        .collect();
    let mut watcher = PgConnection::connect(&url).await.unwrap();
    let waiting_since = Instant::now();
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "select count(*) from pg_stat_activity
             where wait_event_type = 'Lock' and query like '%cat.name_zh as category_zh%'",
        )
        .fetch_one(&mut watcher)
        .await
        .unwrap();
        if waiting >= 100 {
            break;
        }
        assert!(waiting_since.elapsed() < Duration::from_secs(30), "only {waiting} requests waiting on the lock");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    portal.terminate();
    let term_at = Instant::now();
    loop {
        match tokio::net::TcpStream::connect(portal.addr).await {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => break,
            _ => {
                assert!(term_at.elapsed() < Duration::from_secs(3), "new connections still accepted after SIGTERM");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(requests.iter().all(|r| !r.is_finished()), "the requests are still waiting, none was cut off");
    assert!(portal.wait_exit(Duration::ZERO).await.is_none(), "the portal waits for them");
    lock.rollback().await.unwrap();
    for r in requests {
        let (status, body) = r.await.unwrap().expect("an answer for every request in flight");
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("</html>"), "the whole page");
    }
    let status = portal.wait_exit(GRACE.saturating_sub(term_at.elapsed())).await;
    let output = portal.output();
    let status = status.unwrap_or_else(|| panic!("still running {GRACE:?} after SIGTERM:\n{output}"));
    assert!(status.success(), "clean exit ({status}):\n{output}");
    drop(cluster);
}

/// The handler for SIGTERM was once installed only when the accept loop first polled
/// it; a SIGTERM right after "serving at" (or while the loop took a waiting connection)
/// killed the process instead of stopping it (a failed CI run). Each of these starts
/// is stopped the moment it says where it serves, one with a connection waiting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigterm_the_moment_it_says_where_it_serves_is_a_clean_exit() {
    let (_db, url) = crate::helpers::fresh_database().await;
    for round in 0..5 {
        let mut portal = PortalProcess::start(&url, &[]).await;
        let _waiting = (round == 0).then(|| std::net::TcpStream::connect(portal.addr).expect("connect"));
        portal.terminate();
        let status = portal.wait_exit(Duration::from_secs(15)).await;
        let output = portal.output();
        let status = status.unwrap_or_else(|| panic!("still running after SIGTERM:\n{output}"));
        assert!(status.success(), "round {round}: clean exit ({status}):\n{output}");
    }
}

// ---------------------------------------------------------------------------
// 3. Two portal processes on one database.

struct TwoPortals {
    a: PortalProcess,
    b: PortalProcess,
    db: PgPool,
    /// For accounts and roles (hashing), on the same database.
    state: AppState,
    _data_dir: tempfile::TempDir,
}

/// Two binaries started at the same moment on one fresh database.
async fn two_portals() -> TwoPortals {
    let (db, url) = crate::helpers::fresh_database().await;
    let (a, b) = tokio::join!(PortalProcess::start(&url, &[]), PortalProcess::start(&url, &[]));
    let made_admin = [&a, &b].iter().filter(|p| p.output().contains("One-time password:")).count();
    assert_eq!(made_admin, 1, "exactly one process makes the first administrator, and both start");
    let data_dir = tempfile::tempdir().unwrap();
    let state = AppState::new(db.clone(), Config::for_tests(data_dir.path().to_path_buf()));
    TwoPortals { a, b, db, state, _data_dir: data_dir }
}

impl TwoPortals {
    /// The process for the `i`-th of many: every other one on each.
    fn url(&self, i: usize) -> &str {
        if i % 2 == 0 {
            &self.a.url
        } else {
            &self.b.url
        }
    }

    async fn grant(&self, user_id: i64, role: DeptRole) {
        grant(&self.db, user_id, role).await
    }

    async fn count(&self, sql: &str, id: i64) -> i64 {
        sqlx::query_scalar(sql).bind(id).fetch_one(&self.db).await.unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_made_on_one_process_is_valid_on_the_other_until_logged_out_on_either() {
    let p = two_portals().await;
    let student_no = "2026720001";
    union_portal::accounts::create_account(&p.state, student_no, "两地同学", PASSWORD, "", "", false)
        .await
        .unwrap()
        .unwrap();
    let mut browser = HttpBrowser::new(&p.a.url);
    browser.get("/login").await;
    let r = browser.post_form("/login", &[("student_no", student_no), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "logged in on the first");
    browser.base = p.b.url.clone();
    let me = browser.get("/me").await;
    assert_eq!(me.status, StatusCode::OK, "the second knows the session");
    assert!(me.body.contains("两地同学"));
    let token = browser.jar.get("portal_session").cloned().expect("session cookie");
    assert_eq!(browser.post_form("/logout", &[]).await.status, StatusCode::SEE_OTHER, "the token works there too");
    // Replayed on the first process: the session ended on the server, not just in this jar.
    browser.jar.insert("portal_session".into(), token);
    browser.base = p.a.url.clone();
    let r = browser.get("/me").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "logged out on the second: the first knows it at once");
    assert!(r.location().is_some_and(|l| l.starts_with("/login")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn complaints_and_bulletins_from_two_processes_at_once_get_consecutive_numbers() {
    let p = two_portals().await;
    let filers = students(&p.state, 2026730001, 20).await;
    let tasks: Vec<_> = filers
        .iter()
        .enumerate()
        .map(|(i, (_, s))| {
            let mut b = HttpBrowser::signed_in(p.url(i), s);
            tokio::spawn(async move {
                let fields = [
                    ("category", "teaching"),
                    ("title", "两台服务器同时收到的投诉"),
                    ("location", "教学楼"),
                    ("description", "同一时刻提交。"),
                    ("visibility", "public"),
                ];
                let r = b.post_multipart("/complaints/new", &fields, &[]).await;
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
                r.location().unwrap().trim_start_matches("/complaints/").to_string()
            })
        })
        .collect();
    let mut numbers = vec![];
    for t in tasks {
        numbers.push(t.await.unwrap());
    }
    numbers.sort();
    let year = Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).format("%Y").to_string();
    let expected: Vec<String> = (1..=20).map(|n| format!("QY-{year}-{n:06}")).collect();
    assert_eq!(numbers, expected, "distinct and consecutive across both processes");

    // Officers on both register an item and publish, twenty times at once.
    let officers = students(&p.state, 2026731001, 2).await;
    for (id, _) in &officers {
        p.grant(*id, DeptRole::Member).await;
    }
    let point: i64 = sqlx::query_scalar("select point_id from collection_point where name_zh = '北区图书馆'")
        .fetch_one(&p.db)
        .await
        .unwrap();
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let mut b = HttpBrowser::signed_in(p.url(i), &officers[i % 2].1);
            tokio::spawn(async move {
                let (point, today) = (point.to_string(), union_portal::web::forms::today().to_string());
                let description = format!("黑色雨伞{i}");
                let fields = [
                    ("point", point.as_str()),
                    ("category", "umbrella"),
                    ("description", description.as_str()),
                    ("found_place", "图书馆门口"),
                    ("found_on", today.as_str()),
                ];
                let r = b.post_multipart("/d/rights/lost-found/items", &fields, &[]).await;
                assert_eq!(r.status, StatusCode::SEE_OTHER, "registered: {}", r.body);
                let r = b.post_form("/d/rights/lost-found/bulletins/publish", &[]).await;
                match r.status {
                    StatusCode::SEE_OTHER => {
                        Some(r.location().unwrap().trim_start_matches("/lost-found/bulletins/").parse::<i32>().unwrap())
                    }
                    // Someone else's bulletin took this item along.
                    StatusCode::CONFLICT => None,
                    other => panic!("publishing answered {other}"),
                }
            })
        })
        .collect();
    let mut bulletins = vec![];
    for t in tasks {
        bulletins.extend(t.await.unwrap());
    }
    bulletins.sort();
    assert!(!bulletins.is_empty());
    let expected: Vec<i32> = (57..57 + bulletins.len() as i32).collect();
    assert_eq!(bulletins, expected, "distinct, consecutive, from 57");
    let (items, unpublished): (i64, i64) = sqlx::query_as(
        "select (select coalesce(sum(item_count), 0)::bigint from bulletin),
                (select count(*) from found_item where bulletin_id is null)",
    )
    .fetch_one(&p.db)
    .await
    .unwrap();
    assert_eq!((items, unpublished), (20, 0), "every item in exactly one bulletin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_students_signing_up_on_two_processes_at_once_never_get_more_than_the_open_seats() {
    const SEATS: i64 = 7;
    let p = two_portals().await;
    let organiser = students(&p.state, 2026740001, 1).await.remove(0);
    p.grant(organiser.0, DeptRole::ViceHead).await;
    let (session, code) = open_reception(&p.a.url, &organiser.1, &p.db, SEATS).await;

    let people = students(&p.state, 2026741001, 30).await;
    let tasks: Vec<_> = people
        .iter()
        .enumerate()
        .map(|(i, (_, s))| {
            let mut b = HttpBrowser::signed_in(p.url(i), s);
            let path = format!("/reception/{code}/signup");
            tokio::spawn(async move {
                let r = b.post_form(&path, &[]).await;
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
                r.headers.get_all("set-cookie").iter().any(|c| c.as_bytes().starts_with(b"flash=flash.reception.seat"))
            })
        })
        .collect();
    let mut told_seat = 0;
    for t in tasks {
        told_seat += i64::from(t.await.unwrap());
    }
    let by_status = "select count(*) from reception_signup where session_id = $1 and status = ";
    let seat = p.count(&format!("{by_status}'seat'"), session).await;
    let waiting = p.count(&format!("{by_status}'waiting'"), session).await;
    assert_eq!((seat, waiting), (SEATS, 30 - SEATS), "the open seats and not one more; the rest in line");
    assert_eq!(told_seat, SEATS, "as many told they have a seat as there are seats");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_editors_saving_one_plan_version_on_two_processes_one_wins_and_the_other_keeps_its_text() {
    let p = two_portals().await;
    let editors = students(&p.state, 2026750001, 2).await;
    p.grant(editors[0].0, DeptRole::Head).await;
    p.grant(editors[1].0, DeptRole::ViceHead).await;
    let mut head = HttpBrowser::signed_in(&p.a.url, &editors[0].1);
    let mut vice = HttpBrowser::signed_in(&p.b.url, &editors[1].1);
    let r = head
        .post_form("/d/rights/plans/new", &[("title", "权益服务部工作计划"), ("period", "2026–2027学年"), ("from", "")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let plan: i64 = r.location().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let version = |sql: &'static str, id: i64| {
        let db = p.db.clone();
        async move { sqlx::query_scalar::<_, i32>(sql).bind(id).fetch_one(&db).await.unwrap().to_string() }
    };
    let base = version("select version from plan where plan_id = $1", plan).await;
    let fields = [("title", "部门建设"), ("description", "放手锻炼部员。"), ("base", base.as_str())];
    assert_eq!(
        head.post_form(&format!("/d/rights/plans/{plan}/goals/add"), &fields).await.status,
        StatusCode::SEE_OTHER
    );
    let goal: i64 = sqlx::query_scalar("select max(goal_id) from plan_goal").fetch_one(&p.db).await.unwrap();
    let path = format!("/d/rights/plans/{plan}/goals/{goal}/update");
    for round in 1..=3 {
        let goal_version = version("select version from plan_goal where goal_id = $1", goal).await;
        let base = version("select version from plan where plan_id = $1", plan).await;
        let (head_text, vice_text) = (format!("部长的第{round}稿"), format!("副部长的第{round}稿"));
        let head_edit =
            [("title", "部门建设"), ("description", head_text.as_str()), ("version", &goal_version), ("base", &base)];
        let vice_edit =
            [("title", "部门建设"), ("description", vice_text.as_str()), ("version", &goal_version), ("base", &base)];
        let (h, v) = tokio::join!(head.post_form(&path, &head_edit), vice.post_form(&path, &vice_edit));
        let mut statuses = [h.status, v.status];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT], "round {round}: exactly one wins");
        let (winner, loser, lost_text) =
            if h.status == StatusCode::SEE_OTHER { (&head_text, &v, &vice_text) } else { (&vice_text, &h, &head_text) };
        assert!(loser.body.contains(lost_text.as_str()), "round {round}: the conflict page keeps the loser's text");
        assert!(loser.body.contains(winner.as_str()), "round {round}: and shows what won");
        let saved: String = sqlx::query_scalar("select description from plan_goal where goal_id = $1")
            .bind(goal)
            .fetch_one(&p.db)
            .await
            .unwrap();
        assert_eq!(&saved, winner, "round {round}: the winner's text is saved");
    }
}
