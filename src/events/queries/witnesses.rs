//! The draw's witnesses: named before the close, each committing to a secret's
//! SHA-256 before it and revealing the secret after it.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};

#[derive(Debug, Clone)]
pub struct Witness {
    pub witness_id: i64,
    pub user_id: i64,
    pub label: String,
    pub commitment: Option<String>,
    pub committed_at: Option<DateTime<Utc>>,
    pub secret: Option<String>,
    pub revealed_at: Option<DateTime<Utc>>,
}

/// In the order the commitments were made (the beacon's order), those still to commit last.
pub async fn list_witnesses(db: impl PgExecutor<'_>, event_id: i64) -> sqlx::Result<Vec<Witness>> {
    sqlx::query_as!(
        Witness,
        "select witness_id, user_id, label, commitment, committed_at, secret, revealed_at
         from event_witness where event_id = $1
         order by committed_at nulls last, witness_id",
        event_id
    )
    .fetch_all(db)
    .await
}

/// Name a witness (an account by its student number); false if they already are one.
pub async fn insert_witness(tx: &mut PgConnection, event_id: i64, user_id: i64, label: &str) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "insert into event_witness (event_id, user_id, label) values ($1, $2, $3) on conflict do nothing",
        event_id,
        user_id,
        label
    )
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Remove a witness who has not committed yet (a commitment, once published, stays).
pub async fn delete_witness(tx: &mut PgConnection, event_id: i64, witness_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "delete from event_witness where event_id = $1 and witness_id = $2 and commitment is null",
        event_id,
        witness_id
    )
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Publish a witness's commitment, only while applications are still coming in.
pub async fn update_commitment(
    db: impl PgExecutor<'_>,
    event_id: i64,
    user_id: i64,
    commitment: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update event_witness w set commitment = $3, committed_at = clock_timestamp()
         from event e
         where w.event_id = $1 and w.user_id = $2 and w.commitment is null
           and e.event_id = w.event_id and e.applications_close_at > now() and e.cancelled_at is null",
        event_id,
        user_id,
        commitment
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Record a revealed secret (already checked against the commitment), only once the pool is frozen.
pub async fn update_revealed(db: impl PgExecutor<'_>, event_id: i64, user_id: i64, secret: &str) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update event_witness w set secret = $3, revealed_at = now()
         from event e
         where w.event_id = $1 and w.user_id = $2 and w.secret is null and w.commitment is not null
           and e.event_id = w.event_id and e.pool_frozen_at is not null and e.drawn_at is null",
        event_id,
        user_id,
        secret
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A verified account by its student number, for naming a witness.
pub async fn find_verified_user(db: impl PgExecutor<'_>, student_no: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "select user_id from app_user where student_no = $1 and verified_by is not null and disabled_at is null",
        student_no
    )
    .fetch_optional(db)
    .await
}

/// Whether the student is one of the event's witnesses (who may not apply to it).
pub async fn is_witness(db: impl PgExecutor<'_>, event_id: i64, user_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from event_witness where event_id = $1 and user_id = $2) as "e!""#,
        event_id,
        user_id
    )
    .fetch_one(db)
    .await
}

/// Whether the student has applied (and not withdrawn): such a student may not witness the draw.
pub async fn has_applied(db: impl PgExecutor<'_>, event_id: i64, user_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from event_application where event_id = $1 and user_id = $2 and status <> 'withdrawn') as "e!""#,
        event_id,
        user_id
    )
    .fetch_one(db)
    .await
}

/// Whether this witness belongs to this event (a removal names one of its own).
pub async fn witness_of_event(db: impl PgExecutor<'_>, event_id: i64, witness_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from event_witness where event_id = $1 and witness_id = $2) as "e!""#,
        event_id,
        witness_id
    )
    .fetch_one(db)
    .await
}
