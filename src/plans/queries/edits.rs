//! SQL of the plan editor: the plan's header and workflow, goals and actions. Each
//! change runs in the transaction that holds the plan locked (`lock_plan_status`);
//! a versioned row is changed only at the version the editor saw (0 rows: a conflict).

use sqlx::{PgConnection, PgExecutor};

use super::Action;
use crate::plans::forms::HeaderValues;
use crate::plans::model::PlanStatus;

/// Lock the plan for a change and read its status under the lock.
pub async fn lock_plan_status(tx: &mut PgConnection, plan_id: i64) -> sqlx::Result<PlanStatus> {
    sqlx::query_scalar!(r#"select status as "status: PlanStatus" from plan where plan_id = $1 for update"#, plan_id)
        .fetch_one(tx)
        .await
}

/// A new plan; None when the department has one for the period already.
pub async fn insert_plan(
    tx: &mut PgConnection,
    department_id: i64,
    period: &str,
    title: &str,
    carried_from: Option<i64>,
    created_by: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "insert into plan (department_id, period, title, carried_from, created_by) values ($1, $2, $3, $4, $5)
         on conflict (department_id, period) do nothing returning plan_id",
        department_id,
        period,
        title,
        carried_from,
        created_by
    )
    .fetch_optional(tx)
    .await
}

/// A goal copied into a new period's plan at `position`.
pub async fn insert_goal_at(
    tx: &mut PgConnection,
    plan_id: i64,
    position: i32,
    title: &str,
    description: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into plan_goal (plan_id, position, title, description) values ($1, $2, $3, $4) returning goal_id",
        plan_id,
        position,
        title,
        description
    )
    .fetch_one(tx)
    .await
}

/// An unfinished action carried into a new period's plan; its old due date stays behind.
pub async fn insert_carried_action(
    tx: &mut PgConnection,
    plan_id: i64,
    goal_id: i64,
    position: i32,
    a: &Action,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into plan_action (plan_id, goal_id, position, title, owner_id, due_on, status, progress, notes, carried_from)
         values ($1, $2, $3, $4, $5, null, $6, $7, $8, $9)",
        plan_id,
        goal_id,
        position,
        a.title,
        a.owner_id,
        a.status,
        a.progress,
        a.notes,
        a.action_id
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// The header at the version the editor saw; the period's uniqueness may refuse it (the error passes through).
pub async fn update_header(tx: &mut PgConnection, plan_id: i64, version: i32, v: &HeaderValues) -> sqlx::Result<u64> {
    let saved = sqlx::query!(
        "update plan set title = $3, period = $4, review_achievements = $5, review_shortcomings = $6,
                header_version = header_version + 1
         where plan_id = $1 and header_version = $2",
        plan_id,
        version,
        v.title,
        v.period,
        v.achievements,
        v.shortcomings
    )
    .execute(tx)
    .await?;
    Ok(saved.rows_affected())
}

pub async fn lock_is_public(tx: &mut PgConnection, plan_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar!("select is_public from plan where plan_id = $1 for update", plan_id).fetch_one(tx).await
}

pub async fn set_is_public(tx: &mut PgConnection, plan_id: i64, public: bool) -> sqlx::Result<()> {
    sqlx::query!("update plan set is_public = $2 where plan_id = $1", plan_id, public).execute(tx).await?;
    Ok(())
}

/// Actions not yet done or dropped: a review records the outcome of every one.
pub async fn count_open_actions(tx: &mut PgConnection, plan_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from plan_action where plan_id = $1 and status in ('not_started', 'in_progress')"#,
        plan_id
    )
    .fetch_one(tx)
    .await
}

/// A workflow step, from `from` only; a return keeps its comment. 0 rows: the plan moved meanwhile.
pub async fn move_plan_status(
    tx: &mut PgConnection,
    plan_id: i64,
    from: PlanStatus,
    to: PlanStatus,
    comment: &str,
) -> sqlx::Result<u64> {
    let moved = sqlx::query!(
        "update plan set status = $3, return_comment = case when $3 = 'returned' then $4 else return_comment end
         where plan_id = $1 and status = $2",
        plan_id,
        from.as_str(),
        to.as_str(),
        comment
    )
    .execute(tx)
    .await?;
    Ok(moved.rows_affected())
}

/// This term's presidium: told of a submission.
pub async fn list_presidium_ids(tx: &mut PgConnection) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "select r.user_id from union_role r join term t using (term_id) where r.role = 'presidium' and t.is_current"
    )
    .fetch_all(tx)
    .await
}

/// A goal of this plan (its id), or None.
pub async fn fetch_goal_of_plan(db: impl PgExecutor<'_>, goal_id: i64, plan_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!("select goal_id from plan_goal where goal_id = $1 and plan_id = $2", goal_id, plan_id)
        .fetch_optional(db)
        .await
}

pub async fn fetch_goal_version(db: impl PgExecutor<'_>, goal_id: i64) -> sqlx::Result<Option<i32>> {
    sqlx::query_scalar!("select version from plan_goal where goal_id = $1", goal_id).fetch_optional(db).await
}

/// A goal's title and description, read under the plan's lock.
pub async fn fetch_goal_text(tx: &mut PgConnection, goal_id: i64) -> sqlx::Result<Option<(String, String)>> {
    let row =
        sqlx::query!("select title, description from plan_goal where goal_id = $1", goal_id).fetch_optional(tx).await?;
    Ok(row.map(|r| (r.title, r.description)))
}

/// A new goal, last in the plan.
pub async fn append_goal(tx: &mut PgConnection, plan_id: i64, title: &str, description: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into plan_goal (plan_id, position, title, description)
         values ($1, (select coalesce(max(position), -1) + 1 from plan_goal where plan_id = $1), $2, $3)",
        plan_id,
        title,
        description
    )
    .execute(tx)
    .await?;
    Ok(())
}

pub async fn update_goal(
    tx: &mut PgConnection,
    goal_id: i64,
    version: i32,
    title: &str,
    description: &str,
) -> sqlx::Result<u64> {
    let saved = sqlx::query!(
        "update plan_goal set title = $3, description = $4, version = version + 1 where goal_id = $1 and version = $2",
        goal_id,
        version,
        title,
        description
    )
    .execute(tx)
    .await?;
    Ok(saved.rows_affected())
}

/// Removed at the version the editor saw: its title; None when it changed meanwhile.
pub async fn delete_goal(tx: &mut PgConnection, goal_id: i64, version: i32) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("delete from plan_goal where goal_id = $1 and version = $2 returning title", goal_id, version)
        .fetch_optional(tx)
        .await
}

/// The plan's goals in their order, locked for renumbering.
pub async fn lock_goal_order(tx: &mut PgConnection, plan_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "select goal_id from plan_goal where plan_id = $1 order by position, goal_id for update",
        plan_id
    )
    .fetch_all(tx)
    .await
}

pub async fn set_goal_position(tx: &mut PgConnection, goal_id: i64, position: i32) -> sqlx::Result<()> {
    sqlx::query!("update plan_goal set position = $2 where goal_id = $1", goal_id, position).execute(tx).await?;
    Ok(())
}

/// A goal's actions in their order, locked for renumbering.
pub async fn lock_action_order(tx: &mut PgConnection, goal_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "select action_id from plan_action where goal_id = $1 order by position, action_id for update",
        goal_id
    )
    .fetch_all(tx)
    .await
}

pub async fn set_action_position(tx: &mut PgConnection, action_id: i64, position: i32) -> sqlx::Result<()> {
    sqlx::query!("update plan_action set position = $2 where action_id = $1", action_id, position).execute(tx).await?;
    Ok(())
}
