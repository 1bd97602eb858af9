//! One complaint: its row, timeline, status changes, supports and followers.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// One complaint with the names a page shows. Reporter fields are for handlers and the reporter only.
pub struct ComplaintRow {
    pub complaint_id: i64,
    pub tracking_no: String,
    pub reporter_id: i64,
    pub reporter_name: String,
    pub reporter_student_no: String,
    /// Someone vouched for the reporter's student number (handlers see "未验证" otherwise).
    pub reporter_verified: bool,
    pub category_zh: String,
    pub category_en: String,
    pub department_id: i64,
    pub dept_slug: String,
    pub dept_zh: String,
    pub dept_en: String,
    pub office_id: Option<i64>,
    pub office_zh: Option<String>,
    pub office_en: Option<String>,
    /// The office's clock: from forwarding to its first answer.
    pub forwarded_at: Option<DateTime<Utc>>,
    pub office_answered_at: Option<DateTime<Utc>>,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub title: String,
    pub location: String,
    pub description: String,
    pub is_public: bool,
    pub is_anonymous: bool,
    /// Registered by the union for a student who reported by this channel (微博, 会议…).
    pub channel: Option<String>,
    pub status: String,
    pub rating: Option<i16>,
    pub created_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub first_public_reply_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub escalated_at: Option<DateTime<Utc>>,
    /// The presidium sent the escalated case back or moved it on.
    pub escalation_handled_at: Option<DateTime<Utc>>,
    pub on_reception_agenda: bool,
    pub merged_into: Option<String>,
    /// May `merged_into` be named to the students who see this complaint
    /// (`complaint_may_name`, migrations/0020)? Handlers see it either way.
    pub merged_into_named: bool,
    pub supporters: i64,
}

pub async fn fetch_complaint(db: impl PgExecutor<'_>, tracking_no: &str) -> sqlx::Result<Option<ComplaintRow>> {
    fetch_complaint_in(db, tracking_no, None).await
}

/// The complaint, if this department handles it: a case page's read (a staff route
/// names its department; another department's number is not found).
pub async fn fetch_complaint_of_department(
    db: impl PgExecutor<'_>,
    tracking_no: &str,
    department_id: i64,
) -> sqlx::Result<Option<ComplaintRow>> {
    fetch_complaint_in(db, tracking_no, Some(department_id)).await
}

async fn fetch_complaint_in(
    db: impl PgExecutor<'_>,
    tracking_no: &str,
    department_id: Option<i64>,
) -> sqlx::Result<Option<ComplaintRow>> {
    sqlx::query_as!(
        ComplaintRow,
        r#"select c.complaint_id, c.tracking_no, c.reporter_id, r.name as reporter_name, r.student_no as reporter_student_no,
                  r.verified_by is not null as "reporter_verified!",
                  cat.name_zh as category_zh, cat.name_en as category_en,
                  c.department_id, d.slug as dept_slug, d.name_zh as dept_zh, d.name_en as dept_en,
                  c.office_id, o.name_zh as "office_zh?", o.name_en as "office_en?", c.forwarded_at, c.office_answered_at,
                  c.assignee_id, a.name as "assignee_name?",
                  c.title, c.location, c.description, c.is_public, c.is_anonymous, c.channel, c.status, c.rating,
                  c.created_at, c.accepted_at, c.first_public_reply_at, c.resolved_at, c.confirmed_at,
                  c.escalated_at, c.escalation_handled_at, c.on_reception_agenda,
                  (select m.tracking_no from complaint m where m.complaint_id = c.merged_into_id) as merged_into,
                  -- Asked only of a merged complaint: the function costs a plan of its own per call.
                  case when c.merged_into_id is null then false
                       else coalesce(complaint_may_name(c.complaint_id, c.merged_into_id), false) end as "merged_into_named!",
                  (select count(*) from complaint_support s where s.complaint_id = c.complaint_id) as "supporters!"
           from complaint c
           join app_user r on r.user_id = c.reporter_id
           join complaint_category cat using (category_id)
           join department d on d.department_id = c.department_id
           left join school_office o using (office_id)
           left join app_user a on a.user_id = c.assignee_id
           where c.tracking_no = $1 and ($2::int8 is null or c.department_id = $2)"#,
        tracking_no,
        department_id
    )
    .fetch_optional(db)
    .await
}

/// Also read as JSON, by the complaint page's `fetch_timeline_photos_and_support`.
#[derive(Debug, serde::Deserialize)]
pub struct EventRow {
    pub kind: String,
    pub to_status: Option<String>,
    pub body: String,
    pub is_public: bool,
    pub created_at: DateTime<Utc>,
    pub dept_zh: Option<String>,
    pub dept_en: Option<String>,
    /// The school office that spoke, and the date its plan names.
    pub office_zh: Option<String>,
    pub office_en: Option<String>,
    pub due_on: Option<chrono::NaiveDate>,
    pub by_presidium: bool,
    /// The officer's name: shown to handlers only.
    pub actor_name: Option<String>,
    /// The other complaint of a merge event, when this reader may be told its number:
    /// handlers always, students only as `complaint_may_name` allows.
    pub ref_no: Option<String>,
}

pub async fn list_events(
    db: impl PgExecutor<'_>,
    complaint_id: i64,
    include_internal: bool,
) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as!(
        EventRow,
        r#"select e.kind, e.to_status, e.body, e.is_public, e.created_at,
                  d.name_zh as "dept_zh?", d.name_en as "dept_en?",
                  o.name_zh as "office_zh?", o.name_en as "office_en?", e.due_on, e.by_presidium, u.name as "actor_name?",
                  -- Asked only of an event that names another complaint (a merge): the function
                  -- costs a plan of its own per call.
                  case when e.ref_complaint_id is null then null
                       when $2 or complaint_may_name(e.complaint_id, e.ref_complaint_id) then r.tracking_no end as "ref_no?"
           from complaint_event e
           left join department d on d.department_id = e.department_id
           left join school_office o on o.office_id = e.office_id
           left join app_user u on u.user_id = e.actor_id
           left join complaint r on r.complaint_id = e.ref_complaint_id
           where e.complaint_id = $1 and (e.is_public or $2)
           order by e.event_id"#,
        complaint_id,
        include_internal
    )
    .fetch_all(db)
    .await
}

/// Move the status from `from` to `to`, only if it still is `from` (and still this department's).
pub async fn update_status(
    db: impl PgExecutor<'_>,
    complaint_id: i64,
    department_id: i64,
    from: &str,
    to: &str,
    office_id: Option<i64>,
) -> sqlx::Result<bool> {
    let row = sqlx::query_scalar!(
        "update complaint set status = $4, updated_at = now(),
             office_id = coalesce($5, office_id),
             -- The office's clock starts at forwarding, and again when the case goes to another office.
             forwarded_at = case when $4 = 'forwarded' and (forwarded_at is null or office_id is distinct from $5)
                                 then now() else forwarded_at end,
             office_answered_at = case when $4 = 'forwarded' and office_id is distinct from $5
                                       then null else office_answered_at end,
             accepted_at = case when $4 = 'accepted' then coalesce(accepted_at, now()) else accepted_at end,
             first_public_reply_at = case when $4 = 'responded' then coalesce(first_public_reply_at, now()) else first_public_reply_at end,
             resolved_at = case when $4 = 'resolved' then now() else resolved_at end,
             confirmed_at = case when $4 = 'accepted' then null else confirmed_at end
         where complaint_id = $1 and department_id = $2 and status = $3 and merged_into_id is null
         returning complaint_id",
        complaint_id,
        department_id,
        from,
        to,
        office_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

/// The union's first public reply; `office_answer`: it relays the forwarded-to office's answer,
/// whose clock stops too.
pub async fn update_first_public_reply(
    db: impl PgExecutor<'_>,
    complaint_id: i64,
    office_answer: bool,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update complaint set first_public_reply_at = coalesce(first_public_reply_at, now()), updated_at = now(),
             office_answered_at = case when $2 and forwarded_at is not null then coalesce(office_answered_at, now())
                                       else office_answered_at end
         where complaint_id = $1",
        complaint_id,
        office_answer
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Reopen a resolved complaint: only its reporter, only within 14 days of resolution.
pub async fn update_reopen(db: impl PgExecutor<'_>, complaint_id: i64, reporter_id: i64) -> sqlx::Result<bool> {
    let row = sqlx::query_scalar!(
        "update complaint set status = 'accepted', confirmed_at = null, rating = null, updated_at = now()
         where complaint_id = $1 and reporter_id = $2 and status = 'resolved' and resolved_at > now() - interval '14 days'
         returning complaint_id",
        complaint_id,
        reporter_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

pub async fn update_confirm(
    db: impl PgExecutor<'_>,
    complaint_id: i64,
    reporter_id: i64,
    rating: i16,
) -> sqlx::Result<bool> {
    let row = sqlx::query_scalar!(
        "update complaint set rating = $3, confirmed_at = now(), updated_at = now()
         where complaint_id = $1 and reporter_id = $2 and status = 'resolved' and confirmed_at is null
         returning complaint_id",
        complaint_id,
        reporter_id,
        rating
    )
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

pub async fn update_assignee(
    db: impl PgExecutor<'_>,
    complaint_id: i64,
    department_id: i64,
    assignee_id: i64,
) -> sqlx::Result<bool> {
    // The assignee must be a member of the handling department this term.
    let row = sqlx::query_scalar!(
        "update complaint c set assignee_id = $3, updated_at = now()
         where c.complaint_id = $1 and c.department_id = $2
           and exists (select 1 from membership m join term t using (term_id)
                       where m.user_id = $3 and m.department_id = $2 and t.is_current)
         returning c.complaint_id",
        complaint_id,
        department_id,
        assignee_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

/// 同问: one per student; false when already given.
pub async fn insert_support(db: impl PgExecutor<'_>, complaint_id: i64, user_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "insert into complaint_support (complaint_id, user_id) values ($1, $2) on conflict do nothing",
        complaint_id,
        user_id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The reporter and every supporter who may see the complaint (`complaint_visible_to`,
/// the complaint page's rule): who hears of each public event, in the portal and by mail.
pub async fn list_followers(db: impl PgExecutor<'_>, complaint_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        r#"select f.user_id as "user_id!" from (select reporter_id as user_id from complaint where complaint_id = $1
                                               union select user_id from complaint_support where complaint_id = $1) f
           where complaint_visible_to($1, f.user_id)"#,
        complaint_id
    )
    .fetch_all(db)
    .await
}
