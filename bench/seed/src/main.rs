//! `bench-seed [--scale N]`: fill an empty portal database with benchmark data
//! (scripts/bench runs it). The database is the portal's: `DATABASE_URL`, or the
//! managed cluster under `PORTAL_DATA_DIR`, migrated first as the portal would.

use std::process::ExitCode;

use clap::Parser;
use union_portal::{
    app::AppState,
    cli,
    config::GlobalArgs,
    db::{self, Database},
};

#[derive(Debug, Parser)]
#[command(name = "bench-seed", about = "University-scale benchmark data for union-portal")]
struct Args {
    #[command(flatten)]
    global: GlobalArgs,
    /// Multiplies every count (N = 1: 50,000 students, 200,000 complaints, 1,000,000 found
    /// items…); fractions (0.01) make small data sets for tests.
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> anyhow::Result<()> {
    let db = Database::open(&args.global, 4).await?;
    let result = async {
        db::migrate(&db.pool).await?;
        let state = AppState::new(db.pool.clone(), cli::command_config(&args.global)?);
        union_portal_bench_seed::seed(&state, args.scale).await
    }
    .await;
    db.close().await;
    result?.print();
    Ok(())
}
