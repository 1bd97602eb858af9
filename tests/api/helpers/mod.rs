//! The tests' vocabulary, by job: `test_app` (TestApp: the real router over a fresh
//! PostgreSQL database per test, cloned from a migrated template in a few
//! milliseconds), `browser` (one visitor in process: cookies, CSRF token, client
//! address), `http` (the same over real TCP), `process` (the real binary),
//! `cas_server` and `oidc_provider` (the school's CAS server and OpenID provider), `fake_robot` (a group chat robot server of 企业微信, 钉钉 and 飞书), `robot_desk` (a department's robots page beside a fake robot server), `fixtures` (what tests upload) and `seeds` (builders for what tests arrange). The database server is this module's: one
//! throwaway cluster per test binary (or TEST_DATABASE_URL), dying with the process.

mod browser;
mod cas_server;
mod fake_robot;
mod fixtures;
mod http;
mod inspections;
mod oidc_provider;
mod process;
mod recruitment;
mod robot_desk;
mod seeds;
mod surveys;
mod test_app;

pub use browser::*;
pub use cas_server::*;
pub use fake_robot::*;
pub use fixtures::*;
pub use http::*;
pub use oidc_provider::*;
pub use process::*;
pub use recruitment::*;
pub use robot_desk::*;
pub use seeds::*;
pub use surveys::*;
pub use test_app::*;

use std::sync::{
    atomic::{AtomicU32, Ordering},
    OnceLock,
};

use sqlx::{Connection, PgConnection, PgPool};
use union_portal::managed_db::Cluster;

pub const PASSWORD: &str = "tunnel railing 57 dorm";

struct Server {
    /// URL of the maintenance database, e.g. …/postgres.
    admin_url: String,
    template: String,
    _cluster: Option<Cluster>,
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let (admin_url, cluster) = match std::env::var("TEST_DATABASE_URL") {
            Ok(url) => (url, None),
            Err(_) => {
                let cluster = Cluster::start_throwaway().expect("start a throwaway PostgreSQL for the tests");
                (cluster.url("postgres"), Some(cluster))
            }
        };
        let template = format!("portal_template_{}", std::process::id());
        // Its own thread and runtime: the caller may be inside any test's runtime.
        let (url, name) = (admin_url.clone(), template.clone());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async move {
                let mut conn = PgConnection::connect(&url).await.expect("connect to the test server");
                sqlx::query(&format!("create database {name}")).execute(&mut conn).await.expect("create template");
                let pool = PgPool::connect(&db_url(&url, &name)).await.expect("connect to template");
                union_portal::MIGRATOR.run(&pool).await.expect("migrate template");
                pool.close().await;
            })
        })
        .join()
        .expect("template set-up");
        Server { admin_url, template, _cluster: cluster }
    })
}

/// The same server URL with another database name.
fn db_url(server_url: &str, db: &str) -> String {
    let (base, query) =
        server_url.split_once('?').map(|(b, q)| (b, format!("?{q}"))).unwrap_or((server_url, String::new()));
    let base = &base[..base.rfind('/').expect("URL has a database")];
    format!("{base}/{db}{query}")
}

/// A fresh, migrated database, and its URL.
pub async fn fresh_database() -> (PgPool, String) {
    static N: AtomicU32 = AtomicU32::new(0);
    let server = server();
    let name = format!("portal_test_{}_{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
    let mut conn = PgConnection::connect(&server.admin_url).await.expect("connect");
    sqlx::query(&format!("create database {name} template {}", server.template))
        .execute(&mut conn)
        .await
        .expect("clone template");
    conn.close().await.ok();
    let url = db_url(&server.admin_url, &name);
    let pool =
        sqlx::postgres::PgPoolOptions::new().max_connections(8).connect(&url).await.expect("connect to test database");
    (pool, url)
}

/// Drops the database of `url` (and ends its connections): each test's database goes when the
/// test ends, so the throwaway cluster holds only the tests still running, not the ~400 of a
/// whole run at 12 MB each. Best effort: the cluster itself goes when the process ends.
pub fn drop_database(url: &str) {
    // …/portal_test_1_2?host=/tmp/…: the name is the path's last part, before the query.
    let path = url.split('?').next().unwrap_or_default();
    let name = path.rsplit('/').next().unwrap_or_default().to_string();
    let admin_url = server().admin_url.clone();
    // Its own thread and runtime: this runs in Drop, inside the test's runtime.
    let dropped = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
        rt.block_on(async move {
            let mut conn = PgConnection::connect(&admin_url).await.ok()?;
            sqlx::query(&format!("drop database if exists {name} with (force)")).execute(&mut conn).await.ok()?;
            conn.close().await.ok()
        })
    });
    let _ = dropped.join();
}

/// A new database with nothing in it (no migrations, no tables), and its URL: for restoring into.
pub async fn empty_database() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let server = server();
    let name = format!("portal_empty_{}_{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
    let mut conn = PgConnection::connect(&server.admin_url).await.expect("connect");
    // template0: template1 of a shared server may hold objects of its own.
    sqlx::query(&format!("create database {name} template template0"))
        .execute(&mut conn)
        .await
        .expect("create an empty database");
    conn.close().await.ok();
    db_url(&server.admin_url, &name)
}
