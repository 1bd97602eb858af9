//! The trail's statements: appending entries and reading them back, newest first.

use serde_json::Value;
use sqlx::PgExecutor;

use super::Action;

#[allow(clippy::too_many_arguments)]
pub async fn record(
    db: impl PgExecutor<'_>,
    actor_id: Option<i64>,
    department_id: Option<i64>,
    action: Action,
    object_type: &str,
    object_id: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into audit_log (actor_id, department_id, action, object_type, object_id, before, after)
         values ($1, $2, $3, $4, $5, $6, $7)",
        actor_id,
        department_id,
        action.as_str(),
        object_type,
        object_id,
        before,
        after
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Entries for several objects of one kind, one row each, in one statement
/// (a batch disposal records every item it disposed of).
#[allow(clippy::too_many_arguments)]
pub async fn record_each(
    db: impl PgExecutor<'_>,
    actor_id: Option<i64>,
    department_id: Option<i64>,
    action: Action,
    object_type: &str,
    object_ids: &[String],
    before: Option<Value>,
    after: Option<Value>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into audit_log (actor_id, department_id, action, object_type, object_id, before, after)
         select $1, $2, $3, $4, id, $6, $7 from unnest($5::text[]) with ordinality as o(id, n) order by n",
        actor_id,
        department_id,
        action.as_str(),
        object_type,
        object_ids,
        before,
        after
    )
    .execute(db)
    .await?;
    Ok(())
}

pub struct Entry {
    pub audit_id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub department_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The newest entries of one department, older than `before_id` (keyset pagination).
pub async fn list_for_department(
    db: impl PgExecutor<'_>,
    department_id: i64,
    before_id: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as!(
        Entry,
        r#"select a.audit_id, a.at, a.department_id, u.name as "actor_name?", a.action, a.object_type, a.object_id, a.before, a.after
           from audit_log a left join app_user u on u.user_id = a.actor_id
           where a.department_id = $1 and ($2::bigint is null or a.audit_id < $2)
           order by a.audit_id desc
           limit $3"#,
        department_id,
        before_id,
        limit
    )
    .fetch_all(db)
    .await
}

/// Every entry of the portal, older than `before_id`, newest first: the
/// administrators' view, the only one of entries that belong to no department.
pub async fn list_all(db: impl PgExecutor<'_>, before_id: Option<i64>, limit: i64) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as!(
        Entry,
        r#"select a.audit_id, a.at, a.department_id, u.name as "actor_name?", a.action, a.object_type, a.object_id, a.before, a.after
           from audit_log a left join app_user u on u.user_id = a.actor_id
           where ($1::bigint is null or a.audit_id < $1)
           order by a.audit_id desc
           limit $2"#,
        before_id,
        limit
    )
    .fetch_all(db)
    .await
}

/// Every entry about one object, newest first (a complaint's trail across departments).
pub async fn list_for_object(db: impl PgExecutor<'_>, object_type: &str, object_id: &str) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as!(
        Entry,
        r#"select a.audit_id, a.at, a.department_id, u.name as "actor_name?", a.action, a.object_type, a.object_id, a.before, a.after
           from audit_log a left join app_user u on u.user_id = a.actor_id
           where a.object_type = $1 and a.object_id = $2
           order by a.audit_id desc
           limit 200"#,
        object_type,
        object_id
    )
    .fetch_all(db)
    .await
}
