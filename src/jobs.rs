//! The server's background loops, started and stopped together (`spawn_all`), and
//! daily jobs in the server rather than in cron: every process wakes once an hour
//! and the first to claim the day runs the job.

use std::future::Future;

use std::time::Duration;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Asia::Shanghai;

use crate::{accounts, app::AppState};

/// Claim today's run of a daily job; true for exactly one process a day.
pub async fn claim_daily_run(db: &sqlx::PgPool, name: &str, now: DateTime<Utc>) -> sqlx::Result<bool> {
    claim_run(db, name, now.with_timezone(&Shanghai).date_naive()).await
}

/// The Monday hour (Shanghai) a weekly job's week starts.
pub const WEEK_STARTS_AT_HOUR: i64 = 8;

/// Claim this week's run of a weekly job; true for exactly one process a week. A week
/// runs from Monday 08:00 to the next Monday 08:00, Shanghai time.
pub async fn claim_weekly_run(db: &sqlx::PgPool, name: &str, now: DateTime<Utc>) -> sqlx::Result<bool> {
    claim_run(db, name, week_of(now)).await
}

/// The Monday (Shanghai) that names the week `now` falls in.
pub fn week_of(now: DateTime<Utc>) -> NaiveDate {
    let day = (now.with_timezone(&Shanghai) - chrono::Duration::hours(WEEK_STARTS_AT_HOUR)).date_naive();
    day - chrono::Duration::days(day.weekday().num_days_from_monday().into())
}

/// A period is named by its first day; the row moves forward only, so of the processes that
/// try in one period exactly one gets the row back.
async fn claim_run(db: &sqlx::PgPool, name: &str, period: NaiveDate) -> sqlx::Result<bool> {
    let claimed = sqlx::query_scalar!(
        "insert into daily_job (name, last_run_on) values ($1, $2)
         on conflict (name) do update set last_run_on = excluded.last_run_on where daily_job.last_run_on < excluded.last_run_on
         returning name",
        name,
        period
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

/// Every background loop of a serving process; `stop` ends them all.
pub struct Jobs(Vec<tokio::task::JoinHandle<()>>);

/// Start every background loop: housekeeping, the complaint deadlines, overdue complaints on
/// the reception agenda, commitment reminders, the lost-and-found
/// retention, the weekly digest, and the mail and group robot outboxes' delivery (to `transport`, linking to `base_url`).
/// `listen_url` is the primary's own address, for the LISTEN on reference-data changes.
pub fn spawn_all(state: &AppState, transport: crate::mail::Transport, base_url: String, listen_url: String) -> Jobs {
    let robots = crate::robots::Sender::new(state, base_url.clone());
    let mut jobs = vec![
        tokio::spawn(housekeeping(state.clone())),
        tokio::spawn(crate::complaints::deadlines::run_forever(state.clone())),
        tokio::spawn(crate::reception::overdue::run_forever(state.clone())),
        tokio::spawn(crate::reception::reminders::run_forever(state.clone())),
        tokio::spawn(crate::events::run_forever(state.clone())),
        tokio::spawn(crate::lost_found::retention::run_forever(state.clone())),
        tokio::spawn(crate::digest::job::run_forever(state.clone(), base_url.clone())),
        tokio::spawn(crate::mail::deliver_forever(state.db.clone(), transport, base_url)),
        tokio::spawn(crate::robots::delivery::deliver_forever(state.db.clone(), robots)),
        tokio::spawn(crate::lending::reminders::run_forever(state.clone())),
        tokio::spawn(crate::recruitment::offers::run_forever(state.clone())),
    ];
    jobs.push(tokio::spawn(crate::app::reference_changes::listen_forever(state.clone(), listen_url)));
    if let Some(replica) = state.replica.clone() {
        jobs.push(tokio::spawn(replica.watch_forever()));
    }
    Jobs(jobs)
}

impl Jobs {
    /// Stop every loop (after the server has drained): a daily job cut short is claimed
    /// again by no one today, the outbox keeps what was not sent for the next start.
    pub fn stop(self) {
        for job in self.0 {
            job.abort();
        }
    }
}

/// Hourly: forget old login attempts, spent rate limits and expired sessions.
pub async fn housekeeping(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        state.limits.forget_idle();
        if let Err(e) = crate::web::limits::forget_idle(&state.db).await {
            tracing::warn!(error = %e, "forgetting spent rate limits failed; will retry");
        }
        let absolute = state.config.session_absolute.as_secs_f64();
        if let Err(e) = accounts::queries::delete_stale_rows(&state.db, absolute).await {
            tracing::warn!(error = %e, "housekeeping failed; will retry");
        }
    }
}
