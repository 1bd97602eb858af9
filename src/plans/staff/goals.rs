//! A plan's goals in the editor: add, change, remove, reorder.

use axum::{extract::State, response::Response, Form};
use serde_json::json;

use super::{
    begin_locked, conflict, edited, finish, invalid, plan_url, refuse, saved_at_goal, EditableGoal, EditablePlan,
};
use crate::{
    app::AppState,
    audit,
    error::{AppError, AppResult},
    plans::{
        forms::{self, EditForm},
        model,
        queries::{self, Plan},
    },
    web::{context::redirect_with_flash, DeptAccess, Layout},
};

pub async fn add_goal(
    State(state): State<AppState>,
    layout: Layout,
    EditablePlan { access, plan }: EditablePlan,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let url = format!("{}/goals/add", plan_url(&access, plan.plan_id));
    let (title, description) = match forms::goal(&form) {
        Ok(v) => v,
        Err(errors) => return refuse(&state, layout, access, plan, invalid("new_goal", url, form, errors)).await,
    };
    let mut tx = begin_locked(&state, plan.plan_id, model::content_editable).await?;
    queries::append_goal(&mut tx, plan.plan_id, &title, &description).await?;
    let after = json!({ "goal": title, "description": audit::clip(&description) });
    finish(tx, &access, plan.plan_id, "plan.version.goal_added", (None, after)).await?;
    Ok(redirect_with_flash(&plan_url(&access, plan.plan_id), "flash.saved", None))
}

pub async fn update_goal(
    State(state): State<AppState>,
    layout: Layout,
    EditableGoal { access, plan, goal_id }: EditableGoal,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let url = format!("{}/goals/{goal_id}/update", plan_url(&access, plan.plan_id));
    let (title, description) = match forms::goal(&form) {
        Ok(v) => v,
        Err(errors) => return refuse(&state, layout, access, plan, invalid("goal", url, form, errors)).await,
    };
    let mut tx = begin_locked(&state, plan.plan_id, model::content_editable).await?;
    let (was_title, was_description) =
        queries::fetch_goal_text(&mut tx, goal_id).await?.ok_or(AppError::Conflict("error.409.plan_changed"))?;
    if queries::update_goal(&mut tx, goal_id, form.version(), &title, &description).await? == 0 {
        drop(tx);
        return refuse(&state, layout, access, plan, conflict("goal", goal_id, url, form)).await;
    }
    let change = edited(
        ("goal_id", goal_id),
        json!({ "title": was_title, "description": audit::clip(&was_description) }),
        json!({ "title": title, "description": audit::clip(&description) }),
    );
    finish(tx, &access, plan.plan_id, "plan.version.goal_changed", change).await?;
    Ok(saved_at_goal(&access, plan.plan_id, goal_id))
}

pub async fn remove_goal(
    State(state): State<AppState>,
    EditableGoal { access, plan, goal_id }: EditableGoal,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let mut tx = begin_locked(&state, plan.plan_id, model::content_editable).await?;
    // Removing what someone else changed meanwhile (an action added to it, say) is refused.
    let removed = queries::delete_goal(&mut tx, goal_id, form.version())
        .await?
        .ok_or(AppError::Conflict("error.409.plan_changed"))?;
    let change =
        (Some(json!({ "goal_id": goal_id, "title": removed })), json!({ "goal_id": goal_id, "removed": true }));
    finish(tx, &access, plan.plan_id, "plan.version.goal_removed", change).await?;
    Ok(redirect_with_flash(&plan_url(&access, plan.plan_id), "flash.saved", None))
}

/// Which row a move reorders: a goal among its plan's, an action among its goal's.
#[derive(Clone, Copy)]
pub(super) enum Row {
    Goal { goal_id: i64, plan_id: i64 },
    Action { action_id: i64, goal_id: i64 },
}

/// Swap positions with the neighbour above or below (positions are renumbered first, so gaps never matter).
/// Returns the row's position before and after, counted from 0.
pub(super) async fn move_row(tx: &mut sqlx::PgConnection, row: Row, up: bool) -> sqlx::Result<(usize, usize)> {
    let (id, ids) = match row {
        Row::Goal { goal_id, plan_id } => (goal_id, queries::lock_goal_order(tx, plan_id).await?),
        Row::Action { action_id, goal_id } => (action_id, queries::lock_action_order(tx, goal_id).await?),
    };
    let Some(i) = ids.iter().position(|x| *x == id) else { return Ok((0, 0)) };
    let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < ids.len()) };
    let mut order = ids.clone();
    if let Some(j) = j {
        order.swap(i, j);
    }
    for (position, id) in order.iter().enumerate() {
        match row {
            Row::Goal { .. } => queries::set_goal_position(tx, *id, position as i32).await?,
            Row::Action { .. } => queries::set_action_position(tx, *id, position as i32).await?,
        }
    }
    Ok((i, j.unwrap_or(i)))
}

impl Row {
    /// How the trail names the row, and the goal the page returns to.
    fn named(self) -> (&'static str, i64, i64) {
        match self {
            Row::Goal { goal_id, .. } => ("goal_id", goal_id, goal_id),
            Row::Action { action_id, goal_id } => ("action_id", action_id, goal_id),
        }
    }
}

/// A goal or an action moved up or down among its siblings; the trail keeps its position before and after.
pub(super) async fn reorder(
    state: &AppState,
    access: &DeptAccess,
    plan: &Plan,
    row: Row,
    direction: &str,
) -> AppResult<Response> {
    let mut tx = begin_locked(state, plan.plan_id, model::content_editable).await?;
    let (from, to) = move_row(&mut tx, row, direction == "up").await?;
    let (key, id, goal_id) = row.named();
    let change = (Some(json!({ key: id, "position": from })), json!({ key: id, "position": to }));
    finish(tx, access, plan.plan_id, "plan.version.reordered", change).await?;
    Ok(saved_at_goal(access, plan.plan_id, goal_id))
}

pub async fn move_goal(
    State(state): State<AppState>,
    EditableGoal { access, plan, goal_id }: EditableGoal,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    reorder(&state, &access, &plan, Row::Goal { goal_id, plan_id: plan.plan_id }, &form.direction).await
}
