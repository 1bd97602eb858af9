//! The rate limits are counted in PostgreSQL (web/limits.rs, GCRA in one statement): every
//! process on one database shares one count, requests arriving at once cannot outrun it, and
//! the table keeps no student's id or number in the clear.

use std::time::Duration;

use axum::http::StatusCode;
use union_portal::{
    app::{self, AppState},
    config::Config,
    web::limits::{Limiters, RateLimits, Write},
};

use crate::helpers::{Browser, TestApp, PASSWORD};

/// The limits of a portal with these settings, on the test's database.
fn limiters(app: &TestApp, adjust: impl FnOnce(&mut RateLimits)) -> Limiters {
    let mut limits = RateLimits::default();
    adjust(&mut limits);
    Limiters::new(&app.state.db, &limits)
}

#[tokio::test]
async fn a_key_gets_its_hourly_share_and_other_keys_and_kinds_their_own() {
    let app = TestApp::spawn().await;
    let all = limiters(&app, |l| {
        l.filings = 3;
        l.writes[Write::Votes] = 2;
    });
    for _ in 0..3 {
        assert_eq!(all.filings.check(&1, 1).await, Ok(()));
    }
    let refused = all.filings.check(&1, 1).await.expect_err("the fourth in an hour");
    assert!(refused.retry_after > Duration::from_secs(60) && refused.retry_after_secs() <= 20 * 60, "{refused:?}");
    assert_eq!(all.filings.check(&2, 3).await, Ok(()), "another key, several at once");
    assert!(all.filings.check(&3, 4).await.is_err(), "more at once than an hour allows");
    assert_eq!(all.filings.check(&1, 0).await, Ok(()), "nothing counted");
    assert_eq!(all.write(Write::Votes, 1).await, Ok(()), "filings do not use up votes");
    assert_eq!(all.write(Write::Votes, 1).await, Ok(()));
    assert!(all.write(Write::Votes, 1).await.is_err(), "the third vote in an hour");
    for _ in 0..50 {
        assert_eq!(all.write(Write::Supports, 1).await, Ok(()), "0 is no limit");
    }
    let keys: Vec<Vec<u8>> = sqlx::query_scalar("select key from rate_limit").fetch_all(&app.db).await.unwrap();
    assert_eq!(keys.len(), 3, "filings of 1 and 2, votes of 1; no row for what is unlimited or refused outright");
    assert!(keys.iter().all(|k| k.len() == 32), "keys are SHA-256 digests, nothing in the clear");
}

/// A pool of the requests' kind with `n` connections already open, so that the forty below
/// arrive together rather than one connection at a time.
async fn pool_with_open_connections(app: &TestApp, n: u32) -> sqlx::PgPool {
    let pool = union_portal::db::app_pool(&app.db_url, n).expect("a pool");
    let mut open = Vec::new();
    for _ in 0..n {
        open.push(pool.acquire().await.expect("a connection"));
    }
    drop(open);
    pool
}

#[tokio::test]
async fn forty_requests_at_once_get_exactly_the_hours_share() {
    let app = TestApp::spawn().await;
    let limits = RateLimits { filings: 10, ..RateLimits::default() };
    let all = std::sync::Arc::new(Limiters::new(&pool_with_open_connections(&app, 40).await, &limits));
    let tasks: Vec<_> = (0..40)
        .map(|_| {
            let all = all.clone();
            tokio::spawn(async move { all.filings.check(&7, 1).await.is_ok() })
        })
        .collect();
    let mut granted = 0;
    for t in tasks {
        granted += usize::from(t.await.unwrap());
    }
    assert_eq!(granted, 10, "the upsert locks the key: no two requests take the same share");
}

/// The key's first request and another arriving while it is not yet committed: the second
/// statement's snapshot predates the row, so it cannot read the wait from it. It used to take
/// that "no wait" for "granted": 11, then 23 of forty were let through a limit of ten (CI).
#[tokio::test]
async fn a_request_waiting_on_the_keys_first_row_is_refused_when_that_row_is_full() {
    use sha2::{Digest, Sha256};
    use sqlx::{Connection, PgConnection};
    let app = TestApp::spawn().await;
    let all = limiters(&app, |l| l.filings = 10);
    let mut first = PgConnection::connect(&app.db_url).await.expect("a connection");
    let mut first_tx = first.begin().await.expect("a transaction");
    sqlx::query("insert into rate_limit (key, tat) values ($1, now() + interval '1 hour')")
        .bind(Sha256::digest("filings:7").as_slice())
        .execute(&mut *first_tx)
        .await
        .expect("the hour's share taken, not committed yet");

    let second = tokio::spawn(async move { all.filings.check(&7, 1).await });
    let since = std::time::Instant::now();
    while app.scalar("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like '%rate_limit%'").await < 1 {
        assert!(since.elapsed() < Duration::from_secs(20), "the second request never waited on the first's row");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first_tx.commit().await.expect("the first request's share committed");

    let refused = second.await.expect("the second request").expect_err("the hour's share is gone");
    assert!(refused.retry_after > Duration::from_secs(60), "{refused:?}");
}

/// A second portal process on the test's database: its own router, pool and limits.
fn second_process(app: &TestApp, adjust: impl FnOnce(&mut Config)) -> (axum::Router, tempfile::TempDir) {
    let data_dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("a data folder for the second process: {e}"),
    };
    let mut config = Config::for_tests(data_dir.path().to_path_buf());
    adjust(&mut config);
    let pool = match union_portal::db::app_pool(&app.db_url, 4) {
        Ok(pool) => pool,
        Err(e) => panic!("the second process's pool: {e}"),
    };
    (app::router(AppState::new(pool, config)), data_dir)
}

#[tokio::test]
async fn two_processes_on_one_database_give_one_filing_limit_not_two() {
    let app = TestApp::spawn_with(|c| c.rate_limits.filings = 2).await;
    let (second, _dir) = second_process(&app, |c| c.rate_limits.filings = 2);
    let id = app.create_user("2026400091", "两处投诉的同学").await;
    let mut on_first = app.browser_signed_in(id).await;
    let mut on_second = Browser::new(second);
    on_second.jar = on_first.jar.clone();
    on_second.csrf = on_first.csrf.clone();
    let fields = [
        ("category", "dorm"),
        ("title", "热水"),
        ("location", "西区12栋"),
        ("description", "热水时间太短"),
        ("visibility", "public"),
    ];
    assert_eq!(on_first.post_multipart("/complaints/new", &fields, &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(on_second.post_multipart("/complaints/new", &fields, &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(on_first.post_multipart("/complaints/new", &fields, &[]).await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(on_second.post_multipart("/complaints/new", &fields, &[]).await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.scalar("select count(*) from complaint").await, 2, "two in the hour, whichever process took them");
}

/// Failed logins on one account from one address, alternating between two processes: refused
/// at the eleventh, as on one process (ten in three minutes, accounts::rate_limit).
#[tokio::test]
async fn two_processes_on_one_database_give_one_login_limit_not_two() {
    let app = TestApp::spawn().await;
    let (second, _dir) = second_process(&app, |_| {});
    app.create_user("2026400092", "两处登录的同学").await;
    let mut on_first = app.browser();
    let mut on_second = Browser::new(second);
    on_first.ip = "198.51.100.92".into();
    on_second.ip = on_first.ip.clone();
    for attempt in 0..10 {
        let browser = if attempt % 2 == 0 { &mut on_first } else { &mut on_second };
        let status = browser.login("2026400092", "guess guess guess").await.status;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "attempt {} is only counted", attempt + 1);
    }
    assert_eq!(on_first.login("2026400092", "guess guess guess").await.status, StatusCode::TOO_MANY_REQUESTS);
    let refused = on_second.login("2026400092", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "the other process refuses too, even the right password");
    assert_eq!(refused.header("retry-after"), Some("180"));
}
