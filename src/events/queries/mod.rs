//! Events' SQL: the events themselves here; applications and witnesses beside.
//! What a department may touch is repeated in the SQL (`…_of_department`).

mod applicants;
mod applications;
mod draws;
mod quotas;
mod witnesses;

pub use applicants::*;
pub use applications::*;
pub use draws::*;
pub use quotas::*;
pub use witnesses::*;

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};

/// An event as its pages show it, with its counts.
#[derive(Debug, Clone)]
pub struct Event {
    pub event_id: i64,
    pub department_id: i64,
    pub dept_slug: String,
    pub dept_name_zh: String,
    pub dept_name_en: String,
    pub title: String,
    pub description: String,
    pub place: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub places: i32,
    pub applications_open_at: DateTime<Utc>,
    pub applications_close_at: DateTime<Utc>,
    pub colleges: Vec<String>,
    pub grades: Vec<i32>,
    pub questions: Vec<String>,
    pub selection: String,
    pub quota_rule: String,
    pub public_value_source: String,
    pub public_value: Option<String>,
    pub reveal_deadline: DateTime<Utc>,
    pub confirm_hours: i32,
    pub pool_frozen_at: Option<DateTime<Utc>>,
    pub pool_hash: Option<String>,
    pub drawn_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub sequence: i32,
    /// Applications not withdrawn.
    pub applicants: i64,
    /// Places given (selected or confirmed).
    pub taken: i64,
}

/// Which events a list shows.
#[derive(Debug, Default)]
pub struct EventFilter {
    pub department_id: Option<i64>,
    /// Only those whose applications are open at this moment (the home page's card).
    pub open_at: Option<DateTime<Utc>>,
    /// Only those ending after this moment (the calendar's last year).
    pub ended_after: Option<DateTime<Utc>>,
    pub limit: i64,
    pub offset: i64,
}

/// Events, the ones still to come first (soonest first), then the past (latest first).
pub async fn find_events(db: impl PgExecutor<'_>, f: &EventFilter) -> sqlx::Result<Vec<Event>> {
    sqlx::query_as!(
        Event,
        r#"select e.event_id, e.department_id, d.slug as dept_slug, d.name_zh as dept_name_zh, d.name_en as dept_name_en,
                  e.title, e.description, e.place, e.starts_at, e.ends_at, e.places, e.applications_open_at,
                  e.applications_close_at, e.colleges, e.grades, e.questions, e.selection, e.quota_rule,
                  e.public_value_source, e.public_value, e.reveal_deadline, e.confirm_hours, e.pool_frozen_at,
                  e.pool_hash, e.drawn_at, e.cancelled_at, e.updated_at, e.sequence,
                  c.applicants as "applicants!", c.taken as "taken!"
           from event e
           join department d using (department_id)
           cross join lateral (
               select count(*) filter (where a.status <> 'withdrawn') as applicants,
                      count(*) filter (where a.status in ('selected', 'confirmed')) as taken
               from event_application a where a.event_id = e.event_id) c
           where ($1::bigint is null or e.department_id = $1)
             and ($2::timestamptz is null or (e.applications_open_at <= $2 and e.applications_close_at > $2
                                               and e.cancelled_at is null))
             and ($3::timestamptz is null or e.ends_at > $3)
           order by e.ends_at < now(), case when e.ends_at >= now() then e.starts_at end,
                    e.starts_at desc, e.event_id desc
           limit $4 offset $5"#,
        f.department_id,
        f.open_at,
        f.ended_after,
        f.limit,
        f.offset
    )
    .fetch_all(db)
    .await
}

/// One event with its counts.
pub async fn fetch_event(db: impl PgExecutor<'_>, event_id: i64) -> sqlx::Result<Option<Event>> {
    fetch_event_run_by(db, event_id, None).await
}

/// The event, only if this department runs it (the staff pages' read, the department in the SQL).
pub async fn fetch_event_of_department(
    db: impl PgExecutor<'_>,
    event_id: i64,
    department_id: i64,
) -> sqlx::Result<Option<Event>> {
    fetch_event_run_by(db, event_id, Some(department_id)).await
}

async fn fetch_event_run_by(
    db: impl PgExecutor<'_>,
    event_id: i64,
    department_id: Option<i64>,
) -> sqlx::Result<Option<Event>> {
    sqlx::query_as!(
        Event,
        r#"select e.event_id, e.department_id, d.slug as dept_slug, d.name_zh as dept_name_zh, d.name_en as dept_name_en,
                  e.title, e.description, e.place, e.starts_at, e.ends_at, e.places, e.applications_open_at,
                  e.applications_close_at, e.colleges, e.grades, e.questions, e.selection, e.quota_rule,
                  e.public_value_source, e.public_value, e.reveal_deadline, e.confirm_hours, e.pool_frozen_at,
                  e.pool_hash, e.drawn_at, e.cancelled_at, e.updated_at, e.sequence,
                  (select count(*) from event_application a where a.event_id = e.event_id and a.status <> 'withdrawn') as "applicants!",
                  (select count(*) from event_application a where a.event_id = e.event_id
                     and a.status in ('selected', 'confirmed')) as "taken!"
           from event e join department d using (department_id)
           where e.event_id = $1 and ($2::bigint is null or e.department_id = $2)"#,
        event_id,
        department_id
    )
    .fetch_optional(db)
    .await
}

/// An event's details as the organisers write them.
pub struct EventRow<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub place: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub places: i32,
    pub applications_open_at: DateTime<Utc>,
    pub applications_close_at: DateTime<Utc>,
    pub colleges: &'a [String],
    pub grades: &'a [i32],
    pub questions: &'a [String],
    pub selection: &'a str,
    pub quota_rule: &'a str,
    pub public_value_source: &'a str,
    pub reveal_deadline: DateTime<Utc>,
    pub confirm_hours: i32,
}

pub async fn insert_event(
    tx: &mut PgConnection,
    r: &EventRow<'_>,
    department_id: i64,
    actor: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into event (department_id, title, description, place, starts_at, ends_at, places, applications_open_at,
             applications_close_at, colleges, grades, questions, selection, quota_rule, public_value_source,
             reveal_deadline, confirm_hours, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         returning event_id",
        department_id,
        r.title,
        r.description,
        r.place,
        r.starts_at,
        r.ends_at,
        r.places,
        r.applications_open_at,
        r.applications_close_at,
        r.colleges,
        r.grades,
        r.questions,
        r.selection,
        r.quota_rule,
        r.public_value_source,
        r.reveal_deadline,
        r.confirm_hours,
        actor
    )
    .fetch_one(tx)
    .await
}

/// New details. Once the window has closed the rules of the draw stand: the SQL keeps
/// the selection, quotas, window and public value's source of a closed event as they were.
pub async fn update_event(tx: &mut PgConnection, event_id: i64, r: &EventRow<'_>) -> sqlx::Result<()> {
    sqlx::query!(
        "update event set title = $2, description = $3, place = $4,
             sequence = sequence + case when starts_at <> $5 or ends_at <> $6 or place <> $4 then 1 else 0 end,
             starts_at = $5, ends_at = $6, updated_at = now(),
             places = case when pool_frozen_at is null and applications_close_at > now() then $7 else places end,
             applications_open_at = case when applications_close_at > now() then $8 else applications_open_at end,
             applications_close_at = case when applications_close_at > now() then $9 else applications_close_at end,
             colleges = case when applications_close_at > now() then $10 else colleges end,
             grades = case when applications_close_at > now() then $11 else grades end,
             questions = case when applications_close_at > now() then $12 else questions end,
             selection = case when applications_close_at > now() and applications_count = 0 then $13 else selection end,
             quota_rule = case when applications_close_at > now() then $14 else quota_rule end,
             public_value_source = case when applications_close_at > now() then $15 else public_value_source end,
             reveal_deadline = case when drawn_at is null then greatest($16, applications_close_at) else reveal_deadline end,
             confirm_hours = $17
         where event_id = $1",
        event_id,
        r.title,
        r.description,
        r.place,
        r.starts_at,
        r.ends_at,
        r.places,
        r.applications_open_at,
        r.applications_close_at,
        r.colleges,
        r.grades,
        r.questions,
        r.selection,
        r.quota_rule,
        r.public_value_source,
        r.reveal_deadline,
        r.confirm_hours
    )
    .execute(tx)
    .await?;
    Ok(())
}

pub async fn update_cancelled(tx: &mut PgConnection, event_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "update event set cancelled_at = coalesce(cancelled_at, now()), updated_at = now(), sequence = sequence + 1
         where event_id = $1",
        event_id
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// The window and state an application or a draw decides on, locked: applications,
/// withdrawals, the freeze and the draw of one event take their turns.
#[derive(Debug, Clone)]
pub struct EventLock {
    pub title: String,
    pub quota_rule: String,
    pub applications_open_at: DateTime<Utc>,
    pub applications_close_at: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub places: i32,
    pub selection: String,
    pub confirm_hours: i32,
    pub pool_frozen_at: Option<DateTime<Utc>>,
    pub drawn_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

pub async fn lock_event(tx: &mut PgConnection, event_id: i64) -> sqlx::Result<Option<EventLock>> {
    sqlx::query_as!(
        EventLock,
        "select title, quota_rule, applications_open_at, applications_close_at, starts_at, places, selection, confirm_hours,
                pool_frozen_at, drawn_at, cancelled_at
         from event where event_id = $1 for update",
        event_id
    )
    .fetch_optional(tx)
    .await
}

/// The next application number (the row is locked by the update itself).
pub async fn next_app_number(tx: &mut PgConnection, event_id: i64) -> sqlx::Result<i32> {
    sqlx::query_scalar!(
        "update event set applications_count = applications_count + 1 where event_id = $1 returning applications_count",
        event_id
    )
    .fetch_one(tx)
    .await
}
