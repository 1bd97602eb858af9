//! Open seats and the waiting list. Every sign-up and cancellation locks its
//! session's row, so fifty students at the same moment for twenty seats get
//! exactly twenty seats and thirty places in line, in the order they came.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::{model::SignupStatus, queries};
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
    let s = queries::lock_signup_window(&mut *tx, session_id).await?.ok_or(AppError::NotFound)?;
    if s.signup_closed_early_at.is_some() || now < s.signup_opens_at || now >= s.signup_closes_at || now >= s.starts_at
    {
        return Err(AppError::Conflict("error.409.signup_closed"));
    }
    // A seat is bound to a student number: only an account whose number someone vouched for takes one.
    if !crate::accounts::queries::is_verified(&mut *tx, user_id).await? {
        return Err(AppError::Conflict("error.409.needs_verified"));
    }
    let current = queries::fetch_signup_status(&mut *tx, session_id, user_id).await?;
    let delegate = queries::is_delegate(&mut *tx, session_id, user_id).await?;
    // One seat per student: a college delegate already has theirs.
    if delegate || current.is_some_and(|c| c != SignupStatus::Cancelled) {
        return Ok(Outcome::Already);
    }
    let taken = queries::count_seats_taken(&mut *tx, session_id).await?;
    let (outcome, status) = if taken < i64::from(s.open_seats) {
        (Outcome::Seat, SignupStatus::Seat)
    } else {
        (Outcome::Waiting, SignupStatus::Waiting)
    };
    queries::upsert_signup(&mut *tx, session_id, user_id, status).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Give up a seat or a place in line; a freed seat goes to the first in line, who is told.
/// Returns whether anything changed.
pub async fn cancel(db: &PgPool, session_id: i64, user_id: i64, title: &str, link: &str) -> AppResult<bool> {
    let mut tx = db.begin().await?;
    let starts_at = queries::lock_session_start(&mut *tx, session_id).await?.ok_or(AppError::NotFound)?;
    // Once it has begun, seats are what they are: nobody is promoted to a session already under way.
    if chrono::Utc::now() >= starts_at {
        return Err(AppError::Conflict("error.409.session_started"));
    }
    let before = queries::fetch_signup_status(&mut *tx, session_id, user_id).await?;
    let Some(before) = before.filter(|s| *s != SignupStatus::Cancelled) else {
        return Ok(false);
    };
    queries::update_signup_cancelled(&mut *tx, session_id, user_id).await?;
    if before == SignupStatus::Seat {
        let promoted = queries::update_promote_waiting(&mut *tx, session_id).await?;
        notify(&mut *tx, &promoted, None, "notify.reception.promoted", title, link).await?;
    }
    tx.commit().await?;
    Ok(true)
}
