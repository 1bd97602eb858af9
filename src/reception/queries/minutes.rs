//! The minutes: each question raised at a session and its answer.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

#[derive(Debug, serde::Deserialize)]
pub struct Minute {
    pub minute_id: i64,
    pub asked_by: String,
    pub question: String,
    pub answered_by: String,
    pub answer: String,
    pub created_at: DateTime<Utc>,
}

pub async fn list_minutes(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<Vec<Minute>> {
    sqlx::query_as!(
        Minute,
        "select minute_id, asked_by, question, answered_by, answer, created_at
         from reception_minute where session_id = $1 order by minute_id",
        session_id
    )
    .fetch_all(db)
    .await
}

/// A minute with its session, for lists of many sessions.
pub struct SessionMinute {
    pub session_id: i64,
    pub question: String,
    pub answered_by: String,
    pub answer: String,
}

/// The minutes of these sessions, in one query (a feed shows dozens of sessions).
pub async fn list_minutes_of(db: impl PgExecutor<'_>, session_ids: &[i64]) -> sqlx::Result<Vec<SessionMinute>> {
    sqlx::query_as!(
        SessionMinute,
        "select session_id, question, answered_by, answer
         from reception_minute where session_id = any($1) order by session_id, minute_id",
        session_ids
    )
    .fetch_all(db)
    .await
}

pub async fn fetch_minute(db: impl PgExecutor<'_>, minute_id: i64) -> sqlx::Result<Minute> {
    sqlx::query_as!(
        Minute,
        "select minute_id, asked_by, question, answered_by, answer, created_at from reception_minute where minute_id = $1",
        minute_id
    )
    .fetch_one(db)
    .await
}

pub struct NewMinute<'a> {
    pub question_id: Option<i64>,
    pub asked_by: &'a str,
    pub question: &'a str,
    pub answered_by: &'a str,
    pub answer: &'a str,
    pub recorded_by: i64,
}

pub async fn insert_minute(db: impl PgExecutor<'_>, session_id: i64, m: &NewMinute<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into reception_minute (session_id, question_id, asked_by, question, answered_by, answer, recorded_by)
         values ($1, $2, $3, $4, $5, $6, $7) returning minute_id",
        session_id,
        m.question_id,
        m.asked_by,
        m.question,
        m.answered_by,
        m.answer,
        m.recorded_by
    )
    .fetch_one(db)
    .await
}
