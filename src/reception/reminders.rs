//! Promises that chase themselves: once a day, whoever answers for a commitment (its owner,
//! or the office's liaisons when it has none, and its keeper department's heads) is reminded
//! three days before its date, and told again with those waiting (the asker and the voters,
//! the complaint's followers) the day after it passed undone; on Mondays the keeper
//! departments' members and the presidium get the list of what is overdue. The day is a
//! parameter: tests choose it.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::queries;
use crate::{app::AppState, notifications::notify};

/// Days before its date a commitment's owners are reminded.
pub const REMIND_BEFORE_DAYS: i64 = 3;

/// The day's reminders: (due soon, just overdue, weekly lists sent).
pub async fn remind(state: &AppState, today: NaiveDate) -> anyhow::Result<(usize, usize, usize)> {
    let db = &state.db;
    let soon = queries::list_commitments_due_on(db, today + Duration::days(REMIND_BEFORE_DAYS)).await?;
    for c in &soon {
        let link = format!("/commitments/{}", c.commitment_id);
        notify(db, &c.owners, None, "notify.commitment.due_soon", &c.commitment_id.to_string(), &link).await?;
    }
    let passed = queries::list_commitments_due_on(db, today - Duration::days(1)).await?;
    for c in &passed {
        let link = format!("/commitments/{}", c.commitment_id);
        let mut told: Vec<i64> = c.owners.iter().chain(&c.waiting).copied().collect();
        told.sort_unstable();
        told.dedup();
        notify(db, &told, None, "notify.commitment.overdue", &c.commitment_id.to_string(), &link).await?;
    }
    let mut weekly = 0;
    if today.weekday() == Weekday::Mon {
        let presidium = crate::complaints::queries::list_presidium_ids(db).await?;
        for t in queries::list_overdue_tallies(db, today).await? {
            let members = crate::departments::queries::current_member_ids(db, t.department_id).await?;
            let told: Vec<i64> = members.iter().chain(&presidium).copied().collect();
            let link = format!("/d/{}/reception", t.dept_slug);
            notify(db, &told, None, "notify.commitment.weekly", &t.overdue.to_string(), &link).await?;
            weekly += 1;
        }
    }
    Ok((soon.len(), passed.len(), weekly))
}

/// Once a day, in one process.
pub async fn run_forever(state: AppState) {
    crate::jobs::daily_forever(state, "commitment_reminders", |state, _now| async move {
        let (soon, overdue, weekly) = remind(&state, crate::web::forms::today()).await?;
        tracing::info!(soon, overdue, weekly, "commitment reminders sent");
        Ok(())
    })
    .await
}
