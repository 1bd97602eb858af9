//! Daily background jobs, in the server rather than in cron: every process
//! wakes once an hour and the first to claim the day runs the job.

use std::future::Future;

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Shanghai;

use crate::app::AppState;

/// Claim today's run of a daily job; true for exactly one process a day.
pub async fn claim_daily_run(db: &sqlx::PgPool, name: &str, now: DateTime<Utc>) -> sqlx::Result<bool> {
    let today = now.with_timezone(&Shanghai).date_naive();
    let claimed = sqlx::query_scalar!(
        "insert into daily_job (name, last_run_on) values ($1, $2)
         on conflict (name) do update set last_run_on = excluded.last_run_on where daily_job.last_run_on < excluded.last_run_on
         returning name",
        name,
        today
    )
    .fetch_optional(db)
    .await?;
    Ok(claimed.is_some())
}

/// Run `job` once a day (Shanghai days) across every process sharing the database.
pub async fn daily_forever<F, Fut>(state: AppState, name: &'static str, job: F)
where
    F: Fn(AppState, DateTime<Utc>) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let now = Utc::now();
        match claim_daily_run(&state.db, name, now).await {
            Ok(true) => {
                if let Err(e) = job(state.clone(), now).await {
                    tracing::warn!(job = name, error = %e, "daily job failed");
                }
            }
            Ok(false) => {}
            Err(e) => tracing::warn!(job = name, error = %e, "could not claim the daily job"),
        }
    }
}
