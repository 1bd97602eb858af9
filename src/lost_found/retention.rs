//! The retention period: a found item held longer than it (90 days unless
//! configured) may be disposed of. A daily job tells each running department
//! what has expired; an officer confirms the disposal on the expired list.

use chrono::{DateTime, Utc};

use crate::{app::AppState, notifications::notify};

/// Tell each department's members how many of its held items have expired. Returns the total.
pub async fn run_daily(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<i64> {
    let cutoff = now - chrono::Duration::days(state.config.lost_found_retention_days.into());
    let expired = super::queries::count_expired_by_department(&state.db, cutoff).await?;
    let mut total = 0;
    for (department_id, slug, n) in expired {
        total += n;
        let members = crate::departments::queries::current_member_ids(&state.db, department_id).await?;
        let link = format!("/d/{slug}/lost-found/expired");
        notify(&state.db, &members, None, "notify.lost.expired", &n.to_string(), &link).await?;
    }
    Ok(total)
}

pub async fn run_forever(state: AppState) {
    crate::jobs::daily_forever(state, "lost_found_retention", |state, now| async move {
        let expired = run_daily(&state, now).await?;
        tracing::info!(expired, "lost-and-found retention checked");
        Ok(())
    })
    .await
}
