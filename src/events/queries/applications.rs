//! Applications: one per student and event, their numbers, statuses, the waiting list and
//! attendance (the department's figures and what the rules read of an applicant: `applicants`).

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};

/// A student's own application, as their page shows it (never anyone else's).
#[derive(Debug, Clone)]
pub struct MyApplication {
    pub app_number: i32,
    pub status: String,
    pub rank: Option<i32>,
    pub confirm_by: Option<DateTime<Utc>>,
    pub check_code: String,
    pub attended_at: Option<DateTime<Utc>>,
}

impl MyApplication {
    pub fn app_no(&self) -> String {
        super::super::draw::app_no(self.app_number)
    }
}

pub async fn fetch_my_application(
    db: impl PgExecutor<'_>,
    event_id: i64,
    user_id: i64,
) -> sqlx::Result<Option<MyApplication>> {
    sqlx::query_as!(
        MyApplication,
        "select app_number, status, rank, confirm_by, check_code, attended_at
         from event_application where event_id = $1 and user_id = $2",
        event_id,
        user_id
    )
    .fetch_optional(db)
    .await
}

pub struct NewApplication<'a> {
    pub user_id: i64,
    pub app_number: i32,
    pub college: &'a str,
    pub answers: &'a [String],
    pub status: &'a str,
    pub rank: Option<i32>,
    pub confirm_by: Option<DateTime<Utc>>,
    pub check_code: &'a str,
}

/// Insert the application; `None` when the student already has one (nothing changes).
pub async fn insert_application(
    tx: &mut PgConnection,
    event_id: i64,
    a: &NewApplication<'_>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "insert into event_application (event_id, user_id, app_number, college, answers, status, rank, confirm_by, check_code,
             decided_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, case when $6 <> 'applied' then now() end)
         on conflict (event_id, user_id) do nothing
         returning application_id",
        event_id,
        a.user_id,
        a.app_number,
        a.college,
        a.answers,
        a.status,
        a.rank,
        a.confirm_by,
        a.check_code
    )
    .fetch_optional(tx)
    .await
}

/// Places given (selected or confirmed), counted under the event's lock.
pub async fn count_taken(tx: &mut PgConnection, event_id: i64) -> sqlx::Result<i64> {
    Ok(sqlx::query_scalar!(
        "select count(*) from event_application where event_id = $1 and status in ('selected', 'confirmed')",
        event_id
    )
    .fetch_one(tx)
    .await?
    .unwrap_or(0))
}

/// Withdraw: returns the status it had, if it was not withdrawn already.
pub async fn update_withdrawn(tx: &mut PgConnection, event_id: i64, user_id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        "update event_application a set status = 'withdrawn', confirm_by = null, decided_at = now()
         from (select application_id, status from event_application
               where event_id = $1 and user_id = $2 and status not in ('withdrawn', 'lapsed') for update) before
         where a.application_id = before.application_id
         returning before.status",
        event_id,
        user_id
    )
    .fetch_optional(tx)
    .await
}

/// Confirm a place given; false if there was none to confirm (or its time ran out).
pub async fn update_confirmed(tx: &mut PgConnection, event_id: i64, user_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update event_application set status = 'confirmed', confirm_by = null, decided_at = now()
         where event_id = $1 and user_id = $2 and status = 'selected' and confirm_by > now()",
        event_id,
        user_id
    )
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Give the first `n` of the waiting list, in order, a place to confirm by `confirm_by`;
/// returns who moved up.
pub async fn update_promote_waiting(
    tx: &mut PgConnection,
    event_id: i64,
    n: i64,
    confirm_by: DateTime<Utc>,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "update event_application set status = 'selected', confirm_by = $3, decided_at = now()
         where application_id in (select application_id from event_application
                                  where event_id = $1 and status = 'waiting' order by rank limit $2)
         returning user_id",
        event_id,
        n,
        confirm_by
    )
    .fetch_all(tx)
    .await
}

/// Places not confirmed in time lapse; returns who lost theirs.
pub async fn update_lapsed(tx: &mut PgConnection, event_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "update event_application set status = 'lapsed', confirm_by = null, decided_at = now()
         where event_id = $1 and status = 'selected' and confirm_by <= now()
         returning user_id",
        event_id
    )
    .fetch_all(tx)
    .await
}

/// Events with a confirmation overdue.
pub async fn list_lapse_due(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        r#"select distinct event_id as "event_id!" from event_application where status = 'selected' and confirm_by <= now()"#
    )
    .fetch_all(db)
    .await
}

/// The pool at the close: every application not withdrawn, by number.
pub async fn list_pool_entries(tx: &mut PgConnection, event_id: i64) -> sqlx::Result<Vec<(i32, String)>> {
    let rows = sqlx::query!(
        "select app_number, college from event_application
         where event_id = $1 and status <> 'withdrawn' order by app_number",
        event_id
    )
    .fetch_all(tx)
    .await?;
    Ok(rows.into_iter().map(|r| (r.app_number, r.college)).collect())
}

/// Write the draw's outcome: each application's rank, and selected or waiting (a
/// withdrawal after the close stays withdrawn; its place moves on). Returns each
/// application's user and new status.
pub async fn update_drawn_statuses(
    tx: &mut PgConnection,
    event_id: i64,
    numbers: &[i32],
    ranks: &[i32],
    selected: &[bool],
    confirm_by: DateTime<Utc>,
) -> sqlx::Result<Vec<(i64, String)>> {
    let rows = sqlx::query!(
        "update event_application a
         set rank = d.rank,
             status = case when a.status = 'withdrawn' then 'withdrawn' when d.selected then 'selected' else 'waiting' end,
             confirm_by = case when a.status <> 'withdrawn' and d.selected then $5::timestamptz end,
             decided_at = now()
         from unnest($2::int[], $3::int[], $4::bool[]) as d(app_number, rank, selected)
         where a.event_id = $1 and a.app_number = d.app_number
         returning a.user_id, a.status",
        event_id,
        numbers,
        ranks,
        selected,
        confirm_by
    )
    .fetch_all(tx)
    .await?;
    Ok(rows.into_iter().map(|r| (r.user_id, r.status)).collect())
}

/// Everyone with an application not withdrawn (for a cancellation's notice).
pub async fn list_applicants(db: impl PgExecutor<'_>, event_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!("select user_id from event_application where event_id = $1 and status <> 'withdrawn'", event_id)
        .fetch_all(db)
        .await
}

/// One application as the organisers see it at the door and in the export.
#[derive(Debug, Clone)]
pub struct ApplicationRow {
    pub application_id: i64,
    pub app_number: i32,
    pub student_no: String,
    pub name: String,
    pub college: String,
    pub answers: Vec<String>,
    pub status: String,
    pub rank: Option<i32>,
    pub check_code: String,
    pub applied_at: DateTime<Utc>,
    pub attended_at: Option<DateTime<Utc>>,
}

impl ApplicationRow {
    pub fn app_no(&self) -> String {
        super::super::draw::app_no(self.app_number)
    }
}

/// All of an event's applications, by number; or, with `find`, those holding a place whose
/// student number or door code it is.
pub async fn list_applications(
    db: impl PgExecutor<'_>,
    event_id: i64,
    find: Option<&str>,
) -> sqlx::Result<Vec<ApplicationRow>> {
    sqlx::query_as!(
        ApplicationRow,
        "select a.application_id, a.app_number, u.student_no, u.name, a.college, a.answers, a.status, a.rank,
                a.check_code, a.applied_at, a.attended_at
         from event_application a join app_user u using (user_id)
         where a.event_id = $1
           and ($2::text is null or (a.status in ('selected', 'confirmed') and (u.student_no = $2 or a.check_code = upper($2))))
         order by a.app_number",
        event_id,
        find
    )
    .fetch_all(db)
    .await
}

/// Mark someone holding a place as present; false if they hold none (or were already marked).
pub async fn update_attended(tx: &mut PgConnection, event_id: i64, application_id: i64, by: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update event_application set attended_at = now(), checked_by = $3
         where event_id = $1 and application_id = $2 and status in ('selected', 'confirmed') and attended_at is null",
        event_id,
        application_id,
        by
    )
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
