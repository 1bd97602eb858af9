//! Counts and lists around a person: names, a queue's counts, a student's own complaints.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// Names of users by id, for the few assignees who are no longer members.
pub async fn list_user_names(db: impl PgExecutor<'_>, user_ids: &[i64]) -> sqlx::Result<Vec<(i64, String)>> {
    let rows =
        sqlx::query!("select user_id, name from app_user where user_id = any($1)", user_ids).fetch_all(db).await?;
    Ok(rows.into_iter().map(|r| (r.user_id, r.name)).collect())
}

#[derive(Clone)]
pub struct StatusCount {
    pub status: String,
    pub n: i64,
}

/// The queue's counts for a department, reused for a few seconds (`Cached`):
/// counting a department's open complaints costs milliseconds when thousands
/// wait, and every handler opens the queue again and again. The rows below them
/// are always fresh.
pub async fn queue_counts(state: &crate::app::AppState, department_id: i64) -> sqlx::Result<Arc<Vec<StatusCount>>> {
    state.cached.queue_counts.get_or_load(department_id, || count_open_by_status(&state.db, department_id)).await
}

/// How many complaints wait in each open status: the closed ones only grow and
/// are not worth counting on every visit to the queue.
pub async fn count_open_by_status(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<Vec<StatusCount>> {
    sqlx::query_as!(
        StatusCount,
        r#"select status, count(*) as "n!" from complaint
           where department_id = $1 and status in ('submitted', 'accepted', 'forwarded') and merged_into_id is null
           group by status"#,
        department_id
    )
    .fetch_all(db)
    .await
}

/// A line of `/me`'s lists, read as JSON by its one statement (`accounts::queries::fetch_me_page_parts`).
#[derive(serde::Deserialize)]
pub struct MyComplaint {
    pub tracking_no: String,
    pub title: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    /// Unread notifications about this complaint.
    pub unread: i64,
}
