//! The presidium's queue of escalated complaints and its steps on them. Every statement
//! keeps to an open escalation (escalated, not yet sent back or moved on, not merged):
//! the route group admits the presidium, the SQL admits only these cases.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

pub struct EscalatedLine {
    pub tracking_no: String,
    pub title: String,
    pub status: String,
    pub dept_slug: String,
    pub dept_zh: String,
    pub dept_en: String,
    pub created_at: DateTime<Utc>,
    pub escalated_at: DateTime<Utc>,
}

/// Open escalations, the oldest first.
pub async fn list_escalations(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<EscalatedLine>> {
    sqlx::query_as!(
        EscalatedLine,
        r#"select c.tracking_no, c.title, c.status, d.slug as dept_slug, d.name_zh as dept_zh, d.name_en as dept_en,
                  c.created_at, c.escalated_at as "escalated_at!"
           from complaint c join department d using (department_id)
           where c.escalated_at is not null and c.escalation_handled_at is null and c.merged_into_id is null
             and c.status in ('submitted', 'accepted', 'forwarded')
           order by c.escalated_at, c.complaint_id
           limit 500"#
    )
    .fetch_all(db)
    .await
}

/// A step that leaves the escalation open (a reply, a note, the agenda): the case's
/// department, or none when the escalation is not open.
pub async fn touch_escalation(db: impl PgExecutor<'_>, complaint_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "update complaint set updated_at = now()
         where complaint_id = $1 and escalated_at is not null and escalation_handled_at is null and merged_into_id is null
         returning department_id",
        complaint_id
    )
    .fetch_optional(db)
    .await
}

/// Back to its department with instructions: the escalation ends.
pub async fn update_sent_back(db: impl PgExecutor<'_>, complaint_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "update complaint set escalation_handled_at = now(), updated_at = now()
         where complaint_id = $1 and escalated_at is not null and escalation_handled_at is null and merged_into_id is null
         returning department_id",
        complaint_id
    )
    .fetch_optional(db)
    .await
}

/// To another department that handles complaints: the escalation ends there. The new department, if moved.
pub async fn update_presidium_transfer(
    db: impl PgExecutor<'_>,
    complaint_id: i64,
    to_slug: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "update complaint c set department_id = d.department_id, assignee_id = null, escalation_handled_at = now(),
                                updated_at = now()
         from department d
         where c.complaint_id = $1 and c.escalated_at is not null and c.escalation_handled_at is null
           and c.merged_into_id is null
           and d.slug = $2 and d.handles_complaints and d.archived_at is null and d.department_id <> c.department_id
         returning d.department_id",
        complaint_id,
        to_slug
    )
    .fetch_optional(db)
    .await
}

/// Forward to a school office (accepting it first if it was not): the status before, if forwarded.
pub async fn update_presidium_forward(
    db: impl PgExecutor<'_>,
    complaint_id: i64,
    office_id: i64,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        r#"with before as (select status from complaint where complaint_id = $1 for update)
           update complaint c set status = 'forwarded', accepted_at = coalesce(c.accepted_at, now()),
                  office_id = $2, forwarded_at = now(), office_answered_at = null, updated_at = now()
           from before b
           where c.complaint_id = $1 and c.escalated_at is not null and c.escalation_handled_at is null
             and c.merged_into_id is null and c.status in ('submitted', 'accepted')
             and exists (select 1 from school_office o where o.office_id = $2)
           returning b.status"#,
        complaint_id,
        office_id
    )
    .fetch_optional(db)
    .await
}
