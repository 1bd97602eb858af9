//! Deadlines: accept within N working days (on the Chinese calendar, Asia/Shanghai:
//! see `holidays`), first public reply within M calendar days. The queue marks what is
//! overdue; a daily task sends each department's heads a digest and escalates what is
//! more than seven days past its deadline to the presidium. Time and the calendar are
//! parameters, so tests move the clock and choose the holidays.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::{
    queries::{self, NewEvent},
    status::ComplaintStatus,
};
use crate::{
    app::AppState,
    audit,
    config::Config,
    holidays::{LateFilings, WorkCalendar},
    notifications::notify,
};

/// Days past its deadline after which an overdue complaint goes to the presidium.
pub const ESCALATE_AFTER_DAYS: i64 = 7;

/// When a complaint filed at `created_at` must be accepted: N working days on.
pub fn accept_by(created_at: DateTime<Utc>, config: &Config, calendar: &WorkCalendar) -> DateTime<Utc> {
    calendar.add_working_days(created_at, config.complaint_accept_days)
}

/// When a complaint filed at `created_at` must have its first public reply: M days on.
pub fn reply_by(created_at: DateTime<Utc>, config: &Config) -> DateTime<Utc> {
    created_at + Duration::days(config.complaint_reply_days.into())
}

/// The deadline a complaint has missed, if any, at `now`.
pub fn missed_deadline(
    status: &str,
    created_at: DateTime<Utc>,
    first_public_reply_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    config: &Config,
    calendar: &WorkCalendar,
) -> Option<DateTime<Utc>> {
    let status = ComplaintStatus::parse(status)?;
    let accept_by = accept_by(created_at, config, calendar);
    let reply_by = reply_by(created_at, config);
    if status == ComplaintStatus::Submitted && now > accept_by {
        Some(accept_by)
    } else if first_public_reply_at.is_none() && status.is_open() && now > reply_by {
        Some(reply_by)
    } else {
        None
    }
}

/// What `missed_deadline` finds overdue at one moment, as a query asks it of the
/// database: still to be accepted and filed at a time `accept` holds, or never
/// answered in public and filed before `reply_before`. Exact, not an approximation:
/// the queue's overdue page is the rows the badge marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overdue {
    pub accept: LateFilings,
    pub reply_before: DateTime<Utc>,
}

impl Overdue {
    pub fn at(now: DateTime<Utc>, config: &Config, calendar: &WorkCalendar) -> Overdue {
        Overdue {
            accept: calendar.late_filings(now, config.complaint_accept_days),
            reply_before: now - Duration::days(config.complaint_reply_days.into()),
        }
    }
}

pub use crate::jobs::claim_daily_run;

/// Digest to heads, escalation to the presidium. Returns (overdue, escalated).
pub async fn run_daily(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<(usize, usize)> {
    let open = queries::list_open_complaints(&state.db).await?;
    let calendar = crate::holidays::calendar(state).await?;
    let mut overdue_by_dept: std::collections::BTreeMap<(i64, String), usize> = Default::default();
    let mut escalated = 0;
    let mut overdue = 0;
    for c in &open {
        let missed = missed_deadline(&c.status, c.created_at, c.first_public_reply_at, now, &state.config, &calendar);
        let Some(deadline) = missed else {
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
        office_id: None,
        due_on: None,
        by_presidium: false,
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
    fn overdue_is_decided_across_both_deadlines() {
        let config = Config::for_tests(std::env::temp_dir());
        let plain = WorkCalendar::default();
        let missed =
            |status, reply, now| missed_deadline(status, at("2026-11-23T09:00:00+08:00"), reply, now, &config, &plain);
        let before = at("2026-11-25T08:59:00+08:00");
        let after = at("2026-11-25T09:01:00+08:00");
        assert_eq!(missed("submitted", None, before), None);
        assert_eq!(missed("submitted", None, after), Some(at("2026-11-25T09:00:00+08:00")));
        assert_eq!(missed("accepted", None, after), None, "accepted in time, reply not yet due");
        let late = at("2026-11-30T09:01:00+08:00");
        assert_eq!(missed("accepted", None, late), Some(at("2026-11-30T09:00:00+08:00")));
        assert_eq!(missed("accepted", Some(after), late), None, "replied");
        assert_eq!(missed("resolved", None, late), None);
        assert_eq!(missed("rejected", None, late), None);
    }

    #[test]
    fn the_accept_deadline_follows_the_calendar_and_the_reply_deadline_does_not() {
        let config = Config::for_tests(std::env::temp_dir());
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day");
        let holidays =
            WorkCalendar::new((1..=7).map(|d| (day(&format!("2026-10-0{d}")), crate::holidays::DayKind::Holiday)));
        let filed = at("2026-09-30T10:00:00+08:00");
        assert_eq!(accept_by(filed, &config, &holidays), at("2026-10-09T10:00:00+08:00"));
        assert_eq!(accept_by(filed, &config, &WorkCalendar::default()), at("2026-10-02T10:00:00+08:00"));
        assert_eq!(reply_by(filed, &config), at("2026-10-07T10:00:00+08:00"), "seven calendar days, holidays or not");
    }
}
