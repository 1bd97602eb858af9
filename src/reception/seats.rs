//! Open seats and the waiting list. Every sign-up and cancellation locks its
//! session's row, so fifty students at the same moment for twenty seats get
//! exactly twenty seats and thirty places in line, in the order they came.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::{
    error::{AppError, AppResult},
    notifications::notify,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Seat,
    Waiting,
    /// Already signed up: nothing changed.
    Already,
}

pub async fn sign_up(db: &PgPool, session_id: i64, user_id: i64, now: DateTime<Utc>) -> AppResult<Outcome> {
    let mut tx = db.begin().await?;
    let s = sqlx::query!(
        "select open_seats, signup_opens_at, signup_closes_at, signup_closed_early_at, starts_at
         from reception_session where session_id = $1 for update",
        session_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if s.signup_closed_early_at.is_some() || now < s.signup_opens_at || now >= s.signup_closes_at || now >= s.starts_at
    {
        return Err(AppError::Conflict("error.409.signup_closed"));
    }
    let current = sqlx::query_scalar!(
        "select status from reception_signup where session_id = $1 and user_id = $2",
        session_id,
        user_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let delegate = sqlx::query_scalar!(
        r#"select exists(select 1 from reception_delegate where session_id = $1 and user_id = $2) as "e!""#,
        session_id,
        user_id
    )
    .fetch_one(&mut *tx)
    .await?;
    // One seat per student: a college delegate already has theirs.
    if delegate || current.as_deref().is_some_and(|c| c != "cancelled") {
        return Ok(Outcome::Already);
    }
    let taken = sqlx::query_scalar!(
        r#"select count(*) as "n!" from reception_signup where session_id = $1 and status = 'seat'"#,
        session_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let outcome = if taken < i64::from(s.open_seats) { Outcome::Seat } else { Outcome::Waiting };
    let status = if outcome == Outcome::Seat { "seat" } else { "waiting" };
    // Coming back after cancelling puts a student at the end of the line.
    sqlx::query!(
        "insert into reception_signup (session_id, user_id, status) values ($1, $2, $3)
         on conflict (session_id, user_id) do update
         set status = excluded.status, queued_at = clock_timestamp(), updated_at = now()",
        session_id,
        user_id,
        status
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Give up a seat or a place in line; a freed seat goes to the first in line, who is told.
/// Returns whether anything changed.
pub async fn cancel(db: &PgPool, session_id: i64, user_id: i64, title: &str, link: &str) -> AppResult<bool> {
    let mut tx = db.begin().await?;
    let starts_at =
        sqlx::query_scalar!("select starts_at from reception_session where session_id = $1 for update", session_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    // Once it has begun, seats are what they are: nobody is promoted to a session already under way.
    if chrono::Utc::now() >= starts_at {
        return Err(AppError::Conflict("error.409.session_started"));
    }
    let before = sqlx::query_scalar!(
        "select status from reception_signup where session_id = $1 and user_id = $2 and status <> 'cancelled'",
        session_id,
        user_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(before) = before else {
        return Ok(false);
    };
    sqlx::query!(
        "update reception_signup set status = 'cancelled', updated_at = now() where session_id = $1 and user_id = $2",
        session_id,
        user_id
    )
    .execute(&mut *tx)
    .await?;
    if before == "seat" {
        let promoted = fill_open_seats(&mut tx, session_id).await?;
        notify(&mut *tx, &promoted, None, "notify.reception.promoted", title, link).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Give every free open seat to the first in line, in order; the session row must be locked.
/// Returns who moved up.
pub async fn fill_open_seats(tx: &mut sqlx::PgConnection, session_id: i64) -> sqlx::Result<Vec<i64>> {
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
    .fetch_all(&mut *tx)
    .await
}
