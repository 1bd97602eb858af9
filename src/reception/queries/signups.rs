//! Open seats and the waiting list; following a session.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

use crate::reception::model::SignupStatus;

/// A student's sign-up: seat, waiting (with their place in the line) or cancelled.
pub struct MySignup {
    pub status: SignupStatus,
    pub place_in_line: i64,
}

pub struct SignupRow {
    pub name: String,
    pub student_no: String,
    pub college: String,
    pub status: SignupStatus,
    pub queued_at: DateTime<Utc>,
}

pub async fn list_signups(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<Vec<SignupRow>> {
    sqlx::query_as!(
        SignupRow,
        r#"select u.name, u.student_no, u.college, g.status as "status: SignupStatus", g.queued_at
           from reception_signup g join app_user u using (user_id)
           where g.session_id = $1 and g.status <> 'cancelled'
           order by g.status = 'waiting', g.queued_at"#,
        session_id
    )
    .fetch_all(db)
    .await
}

/// What sign-up needs of its session, the row locked: one sign-up or cancellation at a time.
pub struct SignupWindow {
    pub open_seats: i32,
    pub signup_opens_at: DateTime<Utc>,
    pub signup_closes_at: DateTime<Utc>,
    pub signup_closed_early_at: Option<DateTime<Utc>>,
    pub starts_at: DateTime<Utc>,
}

pub async fn lock_signup_window(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<Option<SignupWindow>> {
    sqlx::query_as!(
        SignupWindow,
        "select open_seats, signup_opens_at, signup_closes_at, signup_closed_early_at, starts_at
         from reception_session where session_id = $1 for update",
        session_id
    )
    .fetch_optional(db)
    .await
}

/// The session's start, its row locked.
pub async fn lock_session_start(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar!("select starts_at from reception_session where session_id = $1 for update", session_id)
        .fetch_optional(db)
        .await
}

/// The student's sign-up status, cancelled included.
pub async fn fetch_signup_status(
    db: impl PgExecutor<'_>,
    session_id: i64,
    user_id: i64,
) -> sqlx::Result<Option<SignupStatus>> {
    sqlx::query_scalar!(
        r#"select status as "status: SignupStatus" from reception_signup where session_id = $1 and user_id = $2"#,
        session_id,
        user_id
    )
    .fetch_optional(db)
    .await
}

pub async fn is_delegate(db: impl PgExecutor<'_>, session_id: i64, user_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from reception_delegate where session_id = $1 and user_id = $2) as "e!""#,
        session_id,
        user_id
    )
    .fetch_one(db)
    .await
}

pub async fn count_seats_taken(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from reception_signup where session_id = $1 and status = 'seat'"#,
        session_id
    )
    .fetch_one(db)
    .await
}

/// Coming back after cancelling puts a student at the end of the line.
pub async fn upsert_signup(
    db: impl PgExecutor<'_>,
    session_id: i64,
    user_id: i64,
    status: SignupStatus,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into reception_signup (session_id, user_id, status) values ($1, $2, $3)
         on conflict (session_id, user_id) do update
         set status = excluded.status, queued_at = clock_timestamp(), updated_at = now()",
        session_id,
        user_id,
        status as _
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn update_signup_cancelled(db: impl PgExecutor<'_>, session_id: i64, user_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "update reception_signup set status = 'cancelled', updated_at = now() where session_id = $1 and user_id = $2",
        session_id,
        user_id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Give every free open seat to the first in line, in order; the session row must be locked.
/// Returns who moved up.
pub async fn update_promote_waiting(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "with free as (select greatest(s.open_seats - (select count(*) from reception_signup g
                                                       where g.session_id = s.session_id and g.status = 'seat'), 0) as n
                       from reception_session s where s.session_id = $1),
              next as (select user_id from reception_signup where session_id = $1 and status = 'waiting'
                       order by queued_at limit (select n from free))
         update reception_signup set status = 'seat', updated_at = now()
         where session_id = $1 and user_id in (select user_id from next)
         returning user_id",
        session_id
    )
    .fetch_all(db)
    .await
}

pub async fn insert_follow(db: impl PgExecutor<'_>, session_id: i64, user_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into reception_follow (session_id, user_id) values ($1, $2) on conflict do nothing",
        session_id,
        user_id
    )
    .execute(db)
    .await?;
    Ok(())
}
