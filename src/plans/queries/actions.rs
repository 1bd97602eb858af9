//! SQL of a plan's actions in the editor (see `edits` for the locking rule).

use chrono::NaiveDate;
use sqlx::{PgConnection, PgExecutor};

use crate::plans::forms::{ActionValues, ProgressValues};

/// An action of this plan: (goal id, owner id), or None.
pub async fn fetch_action_of_plan(
    db: impl PgExecutor<'_>,
    action_id: i64,
    plan_id: i64,
) -> sqlx::Result<Option<(i64, Option<i64>)>> {
    let row = sqlx::query!(
        "select goal_id, owner_id from plan_action where action_id = $1 and plan_id = $2",
        action_id,
        plan_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.goal_id, r.owner_id)))
}

pub async fn fetch_action_version(db: impl PgExecutor<'_>, action_id: i64) -> sqlx::Result<Option<i32>> {
    sqlx::query_scalar!("select version from plan_action where action_id = $1", action_id).fetch_optional(db).await
}

/// An action's fields as the trail records them.
pub struct ActionFacts {
    pub title: String,
    pub owner_id: Option<i64>,
    pub due_on: Option<NaiveDate>,
    pub status: String,
    pub progress: i16,
    pub notes: String,
    pub done_on: Option<NaiveDate>,
}

pub async fn fetch_action_facts(tx: &mut PgConnection, action_id: i64) -> sqlx::Result<Option<ActionFacts>> {
    sqlx::query_as!(
        ActionFacts,
        "select title, owner_id, due_on, status, progress, notes, done_on from plan_action where action_id = $1",
        action_id
    )
    .fetch_optional(tx)
    .await
}

/// A new action, last under its goal.
pub async fn append_action(tx: &mut PgConnection, plan_id: i64, goal_id: i64, v: &ActionValues) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into plan_action (plan_id, goal_id, position, title, owner_id, due_on)
         values ($1, $2, (select coalesce(max(position), -1) + 1 from plan_action where goal_id = $2), $3, $4, $5)",
        plan_id,
        goal_id,
        v.title,
        v.owner_id,
        v.due_on
    )
    .execute(tx)
    .await?;
    Ok(())
}

pub async fn update_action(tx: &mut PgConnection, action_id: i64, version: i32, v: &ActionValues) -> sqlx::Result<u64> {
    let saved = sqlx::query!(
        "update plan_action set title = $3, owner_id = $4, due_on = $5, version = version + 1
         where action_id = $1 and version = $2",
        action_id,
        version,
        v.title,
        v.owner_id,
        v.due_on
    )
    .execute(tx)
    .await?;
    Ok(saved.rows_affected())
}

/// Status, progress and notes; done on the day given, or the day it was first done, or today (Shanghai).
pub async fn update_progress(
    tx: &mut PgConnection,
    action_id: i64,
    version: i32,
    v: &ProgressValues,
) -> sqlx::Result<u64> {
    let saved = sqlx::query!(
        "update plan_action set status = $3, progress = $4, notes = $5, version = version + 1,
                done_on = case when $3 = 'done' then coalesce($6, done_on, (now() at time zone 'Asia/Shanghai')::date) end
         where action_id = $1 and version = $2",
        action_id,
        version,
        v.status,
        v.progress,
        v.notes,
        v.done_on
    )
    .execute(tx)
    .await?;
    Ok(saved.rows_affected())
}

/// Removed at the version the editor saw: its title; None when it changed meanwhile.
pub async fn delete_action(tx: &mut PgConnection, action_id: i64, version: i32) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        "delete from plan_action where action_id = $1 and version = $2 returning title",
        action_id,
        version
    )
    .fetch_optional(tx)
    .await
}
