//! The retention period: a found item held longer than it (90 days unless
//! configured) may be disposed of. A daily job tells each running department
//! what has expired; an officer confirms the disposal on the expired list.

use chrono::{DateTime, Utc};

use crate::{app::AppState, notifications::notify};

/// Tell each department's members how many of its held items have expired. Returns the total.
pub async fn run_daily(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<i64> {
    let cutoff = now - chrono::Duration::days(state.config.lost_found_retention_days.into());
    let expired = sqlx::query!(
        r#"select d.department_id, d.slug, count(*) as "n!" from found_item i join department d using (department_id)
           where i.status = 'held' and i.registered_at < $1 group by d.department_id, d.slug"#,
        cutoff
    )
    .fetch_all(&state.db)
    .await?;
    let mut total = 0;
    for dept in expired {
        total += dept.n;
        let members = crate::departments::queries::current_member_ids(&state.db, dept.department_id).await?;
        let link = format!("/d/{}/lost-found/expired", dept.slug);
        notify(&state.db, &members, None, "notify.lost.expired", &dept.n.to_string(), &link).await?;
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
