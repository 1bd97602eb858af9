//! Deadlines: accept within N working days (weekends skipped, Asia/Shanghai),
//! first public reply within M days. The queue marks what is overdue; a daily
//! task sends each department's heads a digest and escalates what is more than
//! seven days past its deadline to the presidium. Time is always a parameter,
//! so tests move the clock.

use chrono::{DateTime, Datelike, Duration, Utc, Weekday};
use chrono_tz::Asia::Shanghai;
use serde_json::json;

use super::{
    queries::{self, NewEvent},
    status::ComplaintStatus,
};
use crate::{app::AppState, audit, config::Config, notifications::notify};

/// Days past its deadline after which an overdue complaint goes to the presidium.
pub const ESCALATE_AFTER_DAYS: i64 = 7;

/// `start` plus `days` working days (Monday to Friday, in Shanghai).
pub fn add_working_days(start: DateTime<Utc>, days: i32) -> DateTime<Utc> {
    let mut t = start.with_timezone(&Shanghai);
    let mut left = days;
    while left > 0 {
        t += Duration::days(1);
        if !matches!(t.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    t.with_timezone(&Utc)
}

/// The deadline a complaint has missed, if any, at `now`.
pub fn missed_deadline(
    status: &str,
    created_at: DateTime<Utc>,
    first_public_reply_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    config: &Config,
) -> Option<DateTime<Utc>> {
    let status = ComplaintStatus::parse(status)?;
    let accept_by = add_working_days(created_at, config.complaint_accept_days);
    let reply_by = created_at + Duration::days(config.complaint_reply_days.into());
    if status == ComplaintStatus::Submitted && now > accept_by {
        Some(accept_by)
    } else if first_public_reply_at.is_none() && status.is_open() && now > reply_by {
        Some(reply_by)
    } else {
        None
    }
}

pub use crate::jobs::claim_daily_run;

/// Digest to heads, escalation to the presidium. Returns (overdue, escalated).
pub async fn run_daily(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<(usize, usize)> {
    let open = queries::list_open_complaints(&state.db).await?;
    let mut overdue_by_dept: std::collections::BTreeMap<(i64, String), usize> = Default::default();
    let mut escalated = 0;
    let mut overdue = 0;
    for c in &open {
        let Some(deadline) = missed_deadline(&c.status, c.created_at, c.first_public_reply_at, now, &state.config)
        else {
            continue;
        };
        overdue += 1;
        *overdue_by_dept.entry((c.department_id, c.dept_slug.clone())).or_default() += 1;
        if now - deadline > Duration::days(ESCALATE_AFTER_DAYS) && c.escalated_at.is_none() {
            escalate(state, c).await?;
            escalated += 1;
        }
    }
    for ((department_id, slug), n) in overdue_by_dept {
        let heads = queries::list_head_ids(&state.db, department_id).await?;
        let link = format!("/d/{slug}/complaints?overdue=1");
        notify(&state.db, &heads, None, "notify.complaint.overdue_digest", &n.to_string(), &link).await?;
    }
    Ok((overdue, escalated))
}

async fn escalate(state: &AppState, c: &queries::OpenComplaint) -> anyhow::Result<()> {
    let mut tx = state.db.begin().await?;
    if !queries::update_escalated(&mut *tx, c.complaint_id, c.department_id).await? {
        return Ok(());
    }
    let event = NewEvent {
        complaint_id: c.complaint_id,
        actor_id: None,
        department_id: Some(c.department_id),
        kind: "escalated",
        from_status: None,
        to_status: None,
        body: "",
        is_public: true,
    };
    queries::insert_event(&mut *tx, &event).await?;
    let presidium = queries::list_presidium_ids(&mut *tx).await?;
    let link = format!("/d/{}/complaints/{}", c.dept_slug, c.tracking_no);
    notify(&mut *tx, &presidium, None, "notify.complaint.escalated", &c.tracking_no, &link).await?;
    let after = json!({ "escalated": true, "reason": "overdue" });
    audit::record(
        &mut *tx,
        None,
        Some(c.department_id),
        audit::Action::ComplaintEscalate,
        "complaint",
        &c.tracking_no,
        None,
        Some(after),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Once a day, in one process: the digest and the escalations.
pub async fn run_forever(state: AppState) {
    crate::jobs::daily_forever(state, "complaint_deadlines", |state, now| async move {
        let (overdue, escalated) = run_daily(&state, now).await?;
        tracing::info!(overdue, escalated, "complaint deadlines checked");
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&Utc)
    }

    #[test]
    fn working_days_skip_the_weekend() {
        // Thursday 10:00 Shanghai + 2 working days = Monday 10:00.
        assert_eq!(add_working_days(at("2026-11-26T10:00:00+08:00"), 2), at("2026-11-30T10:00:00+08:00"));
        // Saturday + 2 = Tuesday.
        assert_eq!(add_working_days(at("2026-11-28T09:00:00+08:00"), 2), at("2026-12-01T09:00:00+08:00"));
        // Monday + 2 = Wednesday.
        assert_eq!(add_working_days(at("2026-11-23T09:00:00+08:00"), 2), at("2026-11-25T09:00:00+08:00"));
    }

    #[test]
    fn overdue_is_decided_across_both_deadlines() {
        let config = Config::for_tests(std::env::temp_dir());
        let filed = at("2026-11-23T09:00:00+08:00"); // Monday
        let before = at("2026-11-25T08:59:00+08:00");
        let after = at("2026-11-25T09:01:00+08:00");
        assert_eq!(missed_deadline("submitted", filed, None, before, &config), None);
        assert_eq!(missed_deadline("submitted", filed, None, after, &config), Some(at("2026-11-25T09:00:00+08:00")));
        assert_eq!(
            missed_deadline("accepted", filed, None, after, &config),
            None,
            "accepted in time, reply not yet due"
        );
        let late = at("2026-11-30T09:01:00+08:00");
        assert_eq!(missed_deadline("accepted", filed, None, late, &config), Some(at("2026-11-30T09:00:00+08:00")));
        assert_eq!(missed_deadline("accepted", filed, Some(after), late, &config), None, "replied");
        assert_eq!(missed_deadline("resolved", filed, None, late, &config), None);
        assert_eq!(missed_deadline("rejected", filed, None, late, &config), None);
    }
}
