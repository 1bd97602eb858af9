//! Reminders before a loan is due and when it is overdue, and the lost mark after the
//! kind's days overdue: in the portal and by mail (`notifications::notify`). Each step
//! claims its loans by an update, so processes sharing the database tell each student once;
//! the clock is a parameter, so tests move it.

use chrono::{DateTime, Utc};

use super::queries::jobs::{self, Reminder};
use crate::{app::AppState, notifications::queries::notify};

/// Send what is due at `now`; how many students were told.
pub async fn run_due(db: &sqlx::PgPool, now: DateTime<Utc>) -> sqlx::Result<usize> {
    let mut told = 0;
    let mut tx = db.begin().await?;
    for (key, loans) in [
        ("notify.lending.due_soon", jobs::claim_due_soon(&mut *tx, now).await?),
        ("notify.lending.overdue", jobs::claim_overdue(&mut *tx, now).await?),
        ("notify.lending.lost", jobs::mark_lost(&mut *tx, now).await?),
    ] {
        told += tell(&mut tx, key, &loans).await?;
    }
    tx.commit().await?;
    Ok(told)
}

async fn tell(tx: &mut sqlx::PgConnection, key: &str, loans: &[Reminder]) -> sqlx::Result<usize> {
    for loan in loans {
        let link = format!("/umbrellas/i/{}", loan.code);
        notify(&mut *tx, &[loan.borrower_id], None, key, &loan.code, &link).await?;
    }
    Ok(loans.len())
}

/// Every five minutes, with the real clock.
pub async fn run_forever(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(300));
    loop {
        tick.tick().await;
        if let Err(e) = run_due(&state.db, Utc::now()).await {
            tracing::warn!(error = %e, "lending reminders failed; will retry");
        }
    }
}
