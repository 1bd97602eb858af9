//! The database: where it comes from (a URL, or the managed cluster — joined when a
//! portal already runs it), the two pools (the tables' owner for migrations and
//! commands, the restricted `portal_app` for requests), and the migrations.

pub mod queries;
pub mod replica;

use std::time::Duration;

use anyhow::Context;
use sqlx::{postgres::PgPoolOptions, PgPool};

use crate::{
    config::GlobalArgs,
    managed_db::{Cluster, Kind},
};

/// An open database, and the managed cluster behind it when there is one. `pool`
/// connects as the role given (the tables' owner: migrations and commands);
/// requests use `app_pool`.
pub struct Database {
    pub pool: PgPool,
    /// Its URL, for PostgreSQL's own tools (backup and restore) and LISTEN: the primary itself
    /// (`PORTAL_DIRECT_DATABASE_URL` when set). May hold a password: never print it.
    pub url: String,
    /// The requests' pool's URL: `DATABASE_URL`, perhaps PgBouncer.
    pub pooled_url: String,
    pub cluster: Option<Cluster>,
}

impl Database {
    pub async fn open(global: &GlobalArgs, pool_size: u32) -> anyhow::Result<Database> {
        let direct = global.direct_database_url.as_ref().or(global.database_url.as_ref());
        let (url, cluster) = match direct {
            Some(url) => (url.clone(), None),
            None => {
                let dir = global.data_dir.join("postgres");
                let cluster = tokio::task::spawn_blocking(move || Cluster::start(&dir, Kind::Persistent)).await??;
                if !cluster.created {
                    tracing::info!("using the existing database cluster");
                }
                (cluster.url("postgres"), Some(cluster))
            }
        };
        let pool = pool(&url, pool_size)?;
        let pooled_url = global.database_url.clone().unwrap_or_else(|| url.clone());
        Ok(Database { pool, url, pooled_url, cluster })
    }

    /// Close the pool, then stop the managed cluster if this process started it.
    pub async fn close(self) {
        self.pool.close().await;
        if let Some(cluster) = self.cluster {
            let _ = tokio::task::spawn_blocking(move || cluster.stop()).await;
        }
    }
}

/// A lazily connecting pool: the portal starts and recovers without the database,
/// answering 503 meanwhile.
pub fn pool(url: &str, size: u32) -> anyhow::Result<PgPool> {
    let options: sqlx::postgres::PgConnectOptions =
        url.parse().context("DATABASE_URL is not a valid PostgreSQL URL")?;
    Ok(pool_options(size).connect_lazy_with(options))
}

fn pool_options(size: u32) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(size)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(3))
        // sqlx already pings every connection when it returns to the pool and drops a
        // broken one; a second ping before each use doubled the round trips per query.
        .test_before_acquire(false)
        // But a connection that sat idle may have died with a database restart: after
        // one, the pool holds only dead connections, each a 503 for some visitor. Busy
        // connections are used again within milliseconds and skip the ping.
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= PING_AFTER_IDLE {
                    sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
}

/// How long a connection may sit in the pool before it is checked on its next use.
const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

/// The pool requests use: like `pool`, but every connection acts as `portal_app`
/// (migrations/0015_app_role.sql), which may only insert into and read the audit
/// trail and owns nothing.
///
/// Its statements are planned once per connection (`plan_cache_mode = force_generic_plan`):
/// left to choose, PostgreSQL planned most of them again on every execution (their
/// `$1 is null or …` filters make the generic plan look dearer than it is), which cost a
/// logged-in page more than running its queries. The one plan then has to suit every value:
/// queries are written so it does (a keyset cursor always bounds the index; the complaint
/// search matches the category by id and takes no cursor), and `scripts/bench`'s EXPLAIN step
/// fails on a sequential scan of a large table.
pub fn app_pool(url: &str, size: u32) -> anyhow::Result<PgPool> {
    let options: sqlx::postgres::PgConnectOptions =
        url.parse().context("DATABASE_URL is not a valid PostgreSQL URL")?;
    // No JIT either: a request's statements run for a millisecond or two, and at four times the
    // benchmark's data the kept plans' estimates passed `jit_above_cost`, so every search
    // compiled itself first (35 ms instead of 4 for 白蚁). Both are set by statement when the
    // connection is made, not as start-up options: PgBouncer refuses those. Through PgBouncer's
    // transaction mode this statement reaches one server connection only; there PgBouncer's
    // `connect_query` sets the same on each (docs/deploy.md, "PgBouncer").
    Ok(pool_options(size)
        .after_connect(|conn, _| Box::pin(async move { queries::act_as_app_role(conn).await }))
        .connect_lazy_with(options))
}

/// Create the role `app_pool` acts as, when this server lacks it (a restore onto a new
/// server: the dump grants to it). The same as the start of migrations/0015_app_role.sql.
pub async fn ensure_app_role(pool: &PgPool) -> anyhow::Result<()> {
    sqlx::raw_sql(
        "do $$
         begin
             if not exists (select from pg_roles where rolname = 'portal_app') then
                 create role portal_app nologin;
             end if;
             if not pg_has_role(current_user, 'portal_app', 'member') then
                 execute format('grant portal_app to %I', current_user);
             end if;
         end
         $$",
    )
    .execute(pool)
    .await
    .context("creating the database role portal_app (the restoring role needs CREATEROLE)")?;
    Ok(())
}

pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    crate::MIGRATOR.run(pool).await.context("applying database migrations")?;
    Ok(())
}
