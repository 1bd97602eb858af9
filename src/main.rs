//! parse config → telemetry → database (managed or DATABASE_URL) → migrate → serve.

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use tracing_subscriber::{fmt, EnvFilter};
use union_portal::{
    app::{self, AppState},
    cli,
    config::{Cli, Command, Config, LogFormat, ServeArgs},
    db::{self, Database},
    jobs,
};

// Pages are built from many small strings; mimalloc serves them faster than the
// system allocator and returns memory to the system under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = Cli::parse();
    // Kept to the end: dropping it flushes the log lines still on their way out.
    let _log_writer = init_telemetry(args.global.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Log lines are written by a thread of their own, so a request does not wait for a
/// write to the terminal or journal; none is dropped (when the queue is full, the
/// request waits after all). The thread writes what has queued up in one write and
/// flushes when the queue is empty: a busy portal's access log is not one system call a
/// request. Colours only for a terminal: a journal or a file gets plain text.
fn init_telemetry(format: LogFormat) -> tracing_appender::non_blocking::WorkerGuard {
    // html5ever (under ammonia) warns about markup it repairs: anyone who may edit a plan
    // could fill the log with one crafted paragraph per page view.
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info,html5ever=error"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout()));
    match format {
        LogFormat::Text => fmt().with_env_filter(filter).with_target(false).with_ansi(ansi).with_writer(writer).init(),
        LogFormat::Json => fmt().json().with_env_filter(filter).with_current_span(true).with_writer(writer).init(),
    }
    guard
}

async fn run(args: Cli) -> anyhow::Result<()> {
    let global = args.global;
    match args.command {
        None => serve(&global, args.serve).await,
        Some(Command::Serve(serve_args)) => serve(&global, *serve_args).await,
        // Needs no database: only the two storages.
        Some(Command::StorageCopy { to }) => storage_copy(&global, &to).await,
        Some(command) => {
            let db = Database::open(&global, 4).await?;
            let result = run_command(&global, &db, command).await;
            db.close().await;
            result
        }
    }
}

async fn storage_copy(global: &union_portal::config::GlobalArgs, to: &str) -> anyhow::Result<()> {
    let from = union_portal::uploads::Storage::from_url(global.storage_url.as_deref(), &global.data_dir)?;
    let to = union_portal::uploads::Storage::from_url(Some(to), &global.data_dir)?;
    let copied = union_portal::uploads::copy_everything(&from, &to).await?;
    println!("{} copied, {} already there ({} → {})", copied.copied, copied.skipped, from.url, to.url);
    Ok(())
}

async fn run_command(global: &union_portal::config::GlobalArgs, db: &Database, command: Command) -> anyhow::Result<()> {
    // Before migrating: a backup changes nothing, a restore needs an empty database.
    match &command {
        Command::Backup { to } => return cli::backup::backup(db, &global.data_dir, to).await,
        Command::Restore { from } => return cli::backup::restore(db, &global.data_dir, from).await,
        _ => {}
    }
    db::migrate(&db.pool).await?;
    let state = AppState::new(db.pool.clone(), cli::command_config(global)?);
    match command {
        Command::Migrate => println!("migrations applied"),
        Command::Admin(admin) => cli::run_admin(&state, admin).await?,
        Command::SeedDemo => union_portal::cli::demo::seed(&state).await?,
        Command::Serve(_) => anyhow::bail!("serve is not a one-off command"),
        Command::Backup { .. } | Command::Restore { .. } | Command::StorageCopy { .. } => {
            anyhow::bail!("backup, restore and storage-copy run before migrating")
        }
    }
    Ok(())
}

async fn serve(global: &union_portal::config::GlobalArgs, args: ServeArgs) -> anyhow::Result<()> {
    let campus = args.campus.cas_url.is_some() || args.campus.oidc_issuer.is_some();
    if campus && args.public_url.is_none() {
        // CAS binds each ticket to the exact service URL and OpenID each code to the exact
        // redirect URI, so they must be the address students use.
        anyhow::bail!("PORTAL_CAS_URL and PORTAL_OIDC_ISSUER need PORTAL_PUBLIC_URL (the address students use)");
    }
    let config = Config::from_args(&args, global)?;
    // The owner's pool only migrates: one connection.
    let db = Database::open(global, 1).await?;
    let result = serve_on(&db, config, &args).await;
    db.close().await;
    result
}

async fn serve_on(db: &Database, config: Config, args: &ServeArgs) -> anyhow::Result<()> {
    db::migrate(&db.pool).await?;
    // Migrated as the tables' owner; requests run as the restricted `portal_app`.
    let app_db = db::app_pool(&db.pooled_url, args.db_pool_size)?;
    let replica = match &args.read_database_url {
        Some(url) => Some(db::replica::ReadReplica::new(url, args.db_pool_size)?),
        None => None,
    };
    let state = AppState::with_replica(app_db, config, replica);
    cli::bootstrap(&state, &db.pool).await?;
    let base_url = args.public_url.clone().unwrap_or_else(|| format!("http://{}", args.addr));
    let transport = union_portal::mail::Transport::from_settings(args.smtp_url.as_deref(), &args.mail_from)?;
    let jobs = jobs::spawn_all(&state, transport, base_url.trim_end_matches('/').to_string(), db.url.clone());
    let shutdown = app::shutdown_signal().context("cannot listen for SIGTERM")?;
    let listener =
        tokio::net::TcpListener::bind(&args.addr).await.with_context(|| format!("cannot listen on {}", args.addr))?;
    let addr = listener.local_addr()?;
    println!("union-portal is serving at http://{addr}");
    tracing::info!(%addr, "listening");
    let grace = args.shutdown_grace();
    let app_db = state.db.clone();
    app::serve(listener, app::router(state), grace, shutdown).await?;
    jobs.stop();
    app_db.close().await;
    Ok(())
}
