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

pub struct MyComplaint {
    pub tracking_no: String,
    pub title: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    /// Unread notifications about this complaint.
    pub unread: i64,
}

/// A row of either list: which one it belongs to, then the complaint.
struct ListedComplaint {
    supported: bool,
    tracking_no: String,
    title: String,
    status: String,
    created_at: DateTime<Utc>,
    unread: i64,
}

/// A student's own complaints (the newest 100) and those they support and may still see (the
/// latest 100 supported), for `/me`: one statement, since each costs the page a round trip.
pub async fn list_mine_and_supported(
    db: impl PgExecutor<'_>,
    user_id: i64,
) -> sqlx::Result<(Vec<MyComplaint>, Vec<MyComplaint>)> {
    let rows = sqlx::query_as!(
        ListedComplaint,
        r#"select supported as "supported!", tracking_no as "tracking_no!", title as "title!", status as "status!",
                  created_at as "created_at!", unread as "unread!"
           from ((select false as supported, c.created_at as listed_at, c.tracking_no, c.title, c.status, c.created_at,
                         (select count(*) from notification n where n.user_id = $1 and n.read_at is null
                          and n.link = '/complaints/' || c.tracking_no) as unread
                  from complaint c where c.reporter_id = $1 order by c.created_at desc limit 100)
                 union all
                 (select true, s.created_at, c.tracking_no, c.title, c.status, c.created_at,
                         (select count(*) from notification n where n.user_id = $1 and n.read_at is null
                          and n.link = '/complaints/' || c.tracking_no)
                  from complaint_support s join complaint c using (complaint_id)
                  where s.user_id = $1 and complaint_visible_to(c.complaint_id, $1)
                  order by s.created_at desc limit 100)) as both_lists
           order by supported, listed_at desc"#,
        user_id
    )
    .fetch_all(db)
    .await?;
    let (supported, mine): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.supported);
    let into_mine = |r: ListedComplaint| MyComplaint {
        tracking_no: r.tracking_no,
        title: r.title,
        status: r.status,
        created_at: r.created_at,
        unread: r.unread,
    };
    Ok((mine.into_iter().map(into_mine).collect(), supported.into_iter().map(into_mine).collect()))
}
