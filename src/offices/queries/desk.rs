//! The liaison's desk: cases forwarded to the liaison's offices and the office's steps
//! on them. Every statement names the liaison and keeps to `office_liaison` itself; the
//! route group only lets liaisons in. No statement here reads the reporter: a liaison
//! never learns who filed a case, anonymous or not (they ask the union).

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

use crate::complaints::queries::EventRow;

/// A case forwarded to one of the liaison's offices.
pub struct DeskCase {
    pub complaint_id: i64,
    pub tracking_no: String,
    pub title: String,
    pub location: String,
    pub description: String,
    pub category_zh: String,
    pub category_en: String,
    pub is_public: bool,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub forwarded_at: DateTime<Utc>,
    pub office_answered_at: Option<DateTime<Utc>>,
    pub office_plan_on: Option<NaiveDate>,
    pub office_done_at: Option<DateTime<Utc>>,
    pub office_id: i64,
    pub office_zh: String,
    pub office_en: String,
    pub department_id: i64,
    pub dept_slug: String,
    pub dept_zh: String,
    pub dept_en: String,
}

/// Everything forwarded to the liaison's offices, unanswered first, oldest first.
pub async fn list_desk_cases(db: impl PgExecutor<'_>, liaison_id: i64) -> sqlx::Result<Vec<DeskCase>> {
    find_desk_cases(db, liaison_id, None).await
}

/// One case, if it was forwarded to one of the liaison's offices; else none (a 404).
pub async fn fetch_desk_case(
    db: impl PgExecutor<'_>,
    tracking_no: &str,
    liaison_id: i64,
) -> sqlx::Result<Option<DeskCase>> {
    Ok(find_desk_cases(db, liaison_id, Some(tracking_no)).await?.pop())
}

async fn find_desk_cases(
    db: impl PgExecutor<'_>,
    liaison_id: i64,
    tracking_no: Option<&str>,
) -> sqlx::Result<Vec<DeskCase>> {
    sqlx::query_as!(
        DeskCase,
        r#"select c.complaint_id, c.tracking_no, c.title, c.location, c.description,
                  cat.name_zh as category_zh, cat.name_en as category_en, c.is_public, c.status, c.created_at,
                  c.forwarded_at as "forwarded_at!", c.office_answered_at, c.office_plan_on, c.office_done_at,
                  c.office_id as "office_id!", o.name_zh as office_zh, o.name_en as office_en,
                  c.department_id, d.slug as dept_slug, d.name_zh as dept_zh, d.name_en as dept_en
           from complaint c
           join office_liaison l on l.office_id = c.office_id and l.user_id = $1
           join school_office o on o.office_id = c.office_id
           join department d on d.department_id = c.department_id
           join complaint_category cat on cat.category_id = c.category_id
           where c.forwarded_at is not null and c.merged_into_id is null and ($2::text is null or c.tracking_no = $2)
           order by c.office_answered_at is not null, c.status in ('rejected', 'resolved'), c.forwarded_at
           limit 500"#,
        liaison_id,
        tracking_no
    )
    .fetch_all(db)
    .await
}

/// The timeline as the office sees it: the public events and what passed between the union
/// and this office; never the union's internal notes, never an officer's name.
pub async fn list_desk_events(
    db: impl PgExecutor<'_>,
    complaint_id: i64,
    office_id: i64,
) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as!(
        EventRow,
        r#"select e.kind, e.to_status, e.body, e.is_public, e.created_at,
                  d.name_zh as "dept_zh?", d.name_en as "dept_en?",
                  o.name_zh as "office_zh?", o.name_en as "office_en?", e.due_on, e.by_presidium,
                  null::text as "actor_name?", null::text as "ref_no?"
           from complaint_event e
           left join department d on d.department_id = e.department_id
           left join school_office o on o.office_id = e.office_id
           where e.complaint_id = $1 and (e.is_public or e.office_id = $2)
           order by e.event_id"#,
        complaint_id,
        office_id
    )
    .fetch_all(db)
    .await
}

/// What an office's step changes on the case.
#[derive(Debug, Clone, Copy, Default)]
pub struct OfficeStep {
    /// An answer, a plan or "done": the office's clock stops (at the first).
    pub answers: bool,
    /// A public answer to a forwarded case: the student has the answer (已答复).
    pub responds: bool,
    pub plan_on: Option<NaiveDate>,
    pub done: bool,
}

/// Apply a liaison's step to an open case of one of their offices; the status before
/// and after, or none when the case is closed, merged or not theirs.
pub async fn update_office_step(
    db: impl PgExecutor<'_>,
    complaint_id: i64,
    liaison_id: i64,
    step: OfficeStep,
) -> sqlx::Result<Option<(String, String)>> {
    let row = sqlx::query!(
        r#"with before as (select status from complaint where complaint_id = $1 for update)
           update complaint c set
               office_answered_at = case when $3 then coalesce(c.office_answered_at, now()) else c.office_answered_at end,
               status = case when $4 and c.status = 'forwarded' then 'responded' else c.status end,
               office_plan_on = coalesce($5, c.office_plan_on),
               office_done_at = case when $6 then coalesce(c.office_done_at, now()) else c.office_done_at end,
               updated_at = now()
           from before b
           where c.complaint_id = $1 and c.forwarded_at is not null and c.merged_into_id is null
             and c.status not in ('rejected', 'resolved')
             and c.office_id in (select l.office_id from office_liaison l where l.user_id = $2)
           returning b.status as before, c.status as after"#,
        complaint_id,
        liaison_id,
        step.answers,
        step.responds,
        step.plan_on,
        step.done
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.before, r.after)))
}
