//! A plan's actions in the editor, and members' progress on their own.

use axum::{extract::State, response::Response, Form};
use serde_json::json;

use super::{
    begin_locked, conflict, edited, finish, invalid, plan_url, refuse, saved_at_goal, EditableAction, EditableGoal,
    OwnAction, PlanAction,
};
use crate::{
    app::AppState,
    audit,
    error::{AppError, AppResult},
    notifications::notify,
    plans::{
        forms::{self, EditForm},
        model,
        queries::{self},
    },
    web::{dept_access::Need, DeptRole, Layout},
};

pub async fn add_action(
    State(state): State<AppState>,
    layout: Layout,
    EditableGoal { access, plan, goal_id }: EditableGoal,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let members = queries::list_members(&state.db, plan.department_id).await?;
    let url = format!("{}/goals/{goal_id}/actions/add", plan_url(&access, plan.plan_id));
    let v = match forms::action(&form, &members, None) {
        Ok(v) => v,
        Err(errors) => return refuse(&state, layout, access, plan, invalid("new_action", url, form, errors)).await,
    };
    let mut tx = begin_locked(&state, plan.plan_id, model::content_editable).await?;
    queries::append_action(&mut tx, plan.plan_id, goal_id, &v).await?;
    if let Some(owner) = v.owner_id {
        let link = plan_url(&access, plan.plan_id);
        notify(&mut *tx, &[owner], Some(access.viewer.user_id), "notify.plan.action_assigned", &v.title, &link).await?;
    }
    let after = json!({ "goal_id": goal_id, "action": v.title, "owner_id": v.owner_id, "due_on": v.due_on });
    finish(tx, &access, plan.plan_id, "plan.version.action_added", (None, after)).await?;
    Ok(saved_at_goal(&access, plan.plan_id, goal_id))
}

pub async fn update_action(
    State(state): State<AppState>,
    layout: Layout,
    EditableAction(PlanAction { access, plan, action_id, goal_id, owner: old_owner }): EditableAction,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let members = queries::list_members(&state.db, plan.department_id).await?;
    let url = format!("{}/actions/{action_id}/update", plan_url(&access, plan.plan_id));
    let v = match forms::action(&form, &members, old_owner) {
        Ok(v) => v,
        Err(errors) => return refuse(&state, layout, access, plan, invalid("action", url, form, errors)).await,
    };
    let mut tx = begin_locked(&state, plan.plan_id, model::content_editable).await?;
    let was = action_facts(&mut tx, action_id).await?;
    if queries::update_action(&mut tx, action_id, form.version(), &v).await? == 0 {
        drop(tx);
        return refuse(&state, layout, access, plan, conflict("action", action_id, url, form)).await;
    }
    if let Some(owner) = v.owner_id.filter(|o| Some(*o) != old_owner) {
        let link = plan_url(&access, plan.plan_id);
        notify(&mut *tx, &[owner], Some(access.viewer.user_id), "notify.plan.action_assigned", &v.title, &link).await?;
    }
    let change = edited(("action_id", action_id), was, action_facts(&mut tx, action_id).await?);
    finish(tx, &access, plan.plan_id, "plan.version.action_changed", change).await?;
    Ok(saved_at_goal(&access, plan.plan_id, goal_id))
}

/// An action's fields as the trail records them, read in the edit's transaction (under the plan's lock).
/// Removed meanwhile: a conflict.
async fn action_facts(tx: &mut sqlx::PgConnection, action_id: i64) -> AppResult<serde_json::Value> {
    let a = queries::fetch_action_facts(tx, action_id).await?.ok_or(AppError::Conflict("error.409.plan_changed"))?;
    Ok(json!({ "title": a.title, "owner_id": a.owner_id, "due_on": a.due_on, "status": a.status,
               "progress": a.progress, "notes": audit::clip(&a.notes), "done_on": a.done_on }))
}

/// Status, progress and notes: the action's owner, or a vice head or head.
pub async fn report_progress(
    State(state): State<AppState>,
    layout: Layout,
    OwnAction(PlanAction { access, plan, action_id, goal_id, owner }): OwnAction,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    // The route group admits members; of them, each reports on their own actions only.
    if owner != Some(access.viewer.user_id) && !access.may(Need::Act(DeptRole::ViceHead)) {
        return Err(AppError::Forbidden);
    }
    if !model::progress_open(plan.status) {
        return Err(AppError::Conflict("error.409.plan_not_under_way"));
    }
    let url = format!("{}/actions/{action_id}/progress", plan_url(&access, plan.plan_id));
    let v = match forms::progress(&form) {
        Ok(v) => v,
        Err(errors) => return refuse(&state, layout, access, plan, invalid("progress", url, form, errors)).await,
    };
    let mut tx = begin_locked(&state, plan.plan_id, model::progress_open).await?;
    let was = action_facts(&mut tx, action_id).await?;
    if queries::update_progress(&mut tx, action_id, form.version(), &v).await? == 0 {
        drop(tx);
        return refuse(&state, layout, access, plan, conflict("progress", action_id, url, form)).await;
    }
    let change = edited(("action_id", action_id), was, action_facts(&mut tx, action_id).await?);
    finish(tx, &access, plan.plan_id, "plan.version.progress", change).await?;
    Ok(saved_at_goal(&access, plan.plan_id, goal_id))
}

pub async fn remove_action(
    State(state): State<AppState>,
    EditableAction(PlanAction { access, plan, action_id, goal_id, .. }): EditableAction,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let mut tx = begin_locked(&state, plan.plan_id, model::content_editable).await?;
    let removed = queries::delete_action(&mut tx, action_id, form.version())
        .await?
        .ok_or(AppError::Conflict("error.409.plan_changed"))?;
    let before = json!({ "action_id": action_id, "title": removed });
    let change = (Some(before), json!({ "action_id": action_id, "removed": true }));
    finish(tx, &access, plan.plan_id, "plan.version.action_removed", change).await?;
    Ok(saved_at_goal(&access, plan.plan_id, goal_id))
}

pub async fn move_action(
    State(state): State<AppState>,
    EditableAction(PlanAction { access, plan, action_id, goal_id, .. }): EditableAction,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    super::goals::reorder(&state, &access, &plan, super::goals::Row::Action { action_id, goal_id }, &form.direction)
        .await
}
