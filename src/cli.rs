//! Running the portal's commands: where the database comes from (a URL, or the
//! managed cluster — joined when a portal already runs it), first-start
//! bootstrap, and the admin, demo, benchmark-data and backup commands.

use std::time::Duration;

use anyhow::Context;
use sqlx::{postgres::PgPoolOptions, PgPool};

use crate::{
    accounts,
    app::AppState,
    config::{AdminCommand, Config, GlobalArgs},
    departments::roles,
    managed_db::{Cluster, Kind},
    web::DeptRole,
};

/// An open database, and the managed cluster behind it when there is one. `pool`
/// connects as the role given (the tables' owner: migrations and commands);
/// requests use `app_pool`.
pub struct Database {
    pub pool: PgPool,
    /// Its URL, for PostgreSQL's own tools (backup and restore); may hold a password: never print it.
    pub url: String,
    pub cluster: Option<Cluster>,
}

impl Database {
    pub async fn open(global: &GlobalArgs, pool_size: u32) -> anyhow::Result<Database> {
        let (url, cluster) = match &global.database_url {
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
        Ok(Database { pool, url, cluster })
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
pub fn app_pool(url: &str, size: u32) -> anyhow::Result<PgPool> {
    let options: sqlx::postgres::PgConnectOptions =
        url.parse().context("DATABASE_URL is not a valid PostgreSQL URL")?;
    Ok(pool_options(size)
        .after_connect(|conn, _| {
            Box::pin(async move {
                sqlx::query!("set role portal_app").execute(conn).await?;
                Ok(())
            })
        })
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

/// Held while a process checks for and makes the first term and administrator.
const BOOTSTRAP_LOCK: i64 = 0x506f_7274_616c_4931;

/// First start: a current term, and one administrator whose one-time password is printed once.
/// Processes starting together take turns: otherwise both find no administrator, both
/// create `admin`, and the one that loses the race refuses to start.
pub async fn bootstrap(state: &AppState) -> anyhow::Result<()> {
    let mut conn = state.db.acquire().await?;
    sqlx::query!("select pg_advisory_lock($1)", BOOTSTRAP_LOCK).execute(&mut *conn).await?;
    let result = first_start(state, &mut conn).await;
    // Ending the session would release it too; unlocked, the connection can go back to the pool.
    sqlx::query_scalar!("select pg_advisory_unlock($1)", BOOTSTRAP_LOCK).fetch_one(&mut *conn).await?;
    result
}

async fn first_start(state: &AppState, conn: &mut sqlx::PgConnection) -> anyhow::Result<()> {
    roles::ensure_current_term(conn).await?;
    let has_admin: bool =
        sqlx::query_scalar!(r#"select exists(select 1 from union_role where role = 'admin') as "e!""#)
            .fetch_one(&mut *conn)
            .await?;
    if has_admin {
        return Ok(());
    }
    let password = crate::web::session::random_token()[..20].to_string();
    let created = accounts::create_account(state, "admin", "管理员", &password, "", "", true).await?;
    if created.is_none() {
        anyhow::bail!("an account `admin` exists but holds no admin role; grant it with `union-portal admin grant --student-no admin --union admin`");
    }
    roles::grant_union_role(&state.db, None, "admin", "admin").await?.map_err(|e| anyhow::anyhow!(e))?;
    // Shown once, on the terminal only: never in the logs.
    println!("\n  First start: an administrator account was created.\n  学号 (student number): admin\n  One-time password:    {password}\n  It must be changed at first login.\n");
    Ok(())
}

pub async fn run_admin(state: &AppState, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::CreateUser { student_no, name, password, email, college } => {
            match accounts::create_account(state, &student_no, &name, &password, &email, &college, false).await? {
                Some(id) => println!("created account {student_no} (id {id})"),
                None => anyhow::bail!("an account with student number {student_no} exists already"),
            }
        }
        AdminCommand::Grant { student_no, dept, role, union } => {
            if let Some(slug) = dept {
                let role =
                    role.as_deref().and_then(DeptRole::parse).context("--role must be member, vice_head or head")?;
                roles::grant_dept_role(&state.db, None, &student_no, &slug, role)
                    .await?
                    .map_err(|e| anyhow::anyhow!("{e}: {student_no} / {slug}"))?;
                println!("{student_no} is now {} of {slug} this term", role.as_str());
            } else if let Some(union) = union {
                roles::grant_union_role(&state.db, None, &student_no, &union)
                    .await?
                    .map_err(|e| anyhow::anyhow!("{e}: {student_no}"))?;
                println!("{student_no} now has the union role {union}");
            }
        }
    }
    Ok(())
}

/// Settings for commands that do not serve: the defaults of `serve`.
pub fn command_config(global: &GlobalArgs) -> Config {
    use clap::Parser;
    let defaults = crate::config::Cli::parse_from(["union-portal"]).serve;
    Config::from_args(&defaults, global)
}

pub mod backup;
pub mod demo;

/// Hourly: forget old login attempts and expired sessions.
pub async fn housekeeping(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        state.limits.forget_idle();
        let absolute = state.config.session_absolute.as_secs_f64();
        if let Err(e) = accounts::queries::delete_stale_rows(&state.db, absolute).await {
            tracing::warn!(error = %e, "housekeeping failed; will retry");
        }
    }
}
