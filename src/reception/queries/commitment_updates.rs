//! Updates on a commitment: dated notes, its status, and photo evidence.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

use crate::reception::model::CommitmentStatus;

pub struct Update {
    pub update_id: i64,
    pub body: String,
    pub status_after: CommitmentStatus,
    pub has_photo: bool,
    pub created_at: DateTime<Utc>,
}

pub async fn list_updates(db: impl PgExecutor<'_>, commitment_id: i64) -> sqlx::Result<Vec<Update>> {
    sqlx::query_as!(
        Update,
        r#"select update_id, body, status_after as "status_after: CommitmentStatus", thumb_name is not null as "has_photo!", created_at
           from commitment_update where commitment_id = $1 order by update_id"#,
        commitment_id
    )
    .fetch_all(db)
    .await
}

pub struct NewUpdate<'a> {
    pub author_id: i64,
    pub body: &'a str,
    pub status_after: CommitmentStatus,
    /// (photo, thumbnail) file names.
    pub photo: Option<(&'a str, &'a str)>,
}

pub async fn insert_update(db: impl PgExecutor<'_>, commitment_id: i64, u: &NewUpdate<'_>) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into commitment_update (commitment_id, author_id, body, status_after, photo_name, thumb_name)
         values ($1, $2, $3, $4, $5, $6)",
        commitment_id,
        u.author_id,
        u.body,
        u.status_after as _,
        u.photo.map(|p| p.0),
        u.photo.map(|p| p.1)
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The day it was done is the day it was first reported done.
pub async fn update_commitment_status(
    db: impl PgExecutor<'_>,
    commitment_id: i64,
    status: CommitmentStatus,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update commitment set status = $2, updated_at = now(),
                done_on = case when $2 = 'done' then coalesce(done_on, (now() at time zone 'Asia/Shanghai')::date) end
         where commitment_id = $1",
        commitment_id,
        status as _
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The complaint a commitment answers, public or not.
pub async fn fetch_commitment_complaint_id(db: impl PgExecutor<'_>, commitment_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!("select complaint_id from commitment where commitment_id = $1", commitment_id)
        .fetch_one(db)
        .await
}

/// An update's photo and thumbnail file names, if the update is the commitment's.
pub struct UpdatePhoto {
    pub photo_name: Option<String>,
    pub thumb_name: Option<String>,
}

pub async fn fetch_update_photo(
    db: impl PgExecutor<'_>,
    commitment_id: i64,
    update_id: i64,
) -> sqlx::Result<Option<UpdatePhoto>> {
    sqlx::query_as!(
        UpdatePhoto,
        "select photo_name, thumb_name from commitment_update where update_id = $1 and commitment_id = $2",
        update_id,
        commitment_id
    )
    .fetch_optional(db)
    .await
}

/// A commitment's latest update, as the last entry of its page shows it.
pub struct LatestUpdate {
    pub commitment_id: i64,
    pub body: String,
    pub status_after: CommitmentStatus,
    pub created_at: DateTime<Utc>,
}

/// The latest update of each of these commitments (none for one without updates): the open
/// data API lists a page of the board with each one's latest word in one statement.
pub async fn list_latest_updates(db: impl PgExecutor<'_>, commitment_ids: &[i64]) -> sqlx::Result<Vec<LatestUpdate>> {
    sqlx::query_as!(
        LatestUpdate,
        r#"select distinct on (commitment_id) commitment_id, body, status_after as "status_after: CommitmentStatus", created_at
           from commitment_update where commitment_id = any($1)
           order by commitment_id, update_id desc"#,
        commitment_ids
    )
    .fetch_all(db)
    .await
}
