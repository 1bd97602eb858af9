//! The department's side (`/d/{dept}/plans`): the editor (header, goals, actions,
//! each with its own version so two editors never overwrite each other), members'
//! progress on their own actions, the workflow steps, history and diffs, print and
//! Markdown export, and a new period's plan carried over from the last.
//!
//! Who may do what is the route groups' (plans/mod.rs); this module holds what the
//! editor's handlers share: the plan read with its department in the SQL, the locked
//! transaction, the page shown again with what was typed, and the versioned save.

mod actions;
mod goals;
mod header;
mod plans;
mod steps;
mod target;

pub use actions::*;
pub use goals::*;
pub use header::*;
pub use plans::*;
pub use steps::*;
pub use target::*;

use askama::Template;
use axum::{
    extract::State,
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use serde_json::{json, Value};
use sqlx::PgConnection;

use super::{
    forms::EditForm,
    model::{self, DiffLine},
    queries::{self, Action, Goal, Plan},
};
use crate::{
    app::AppState,
    audit::{self, Action as Audit},
    error::{AppError, AppResult},
    web::{context::redirect_with_flash, dept_access::Need, render, DeptAccess, DeptRole, FormErrors, Layout},
};

/// This department's plan (the department is in the SQL), or 404.
pub async fn own_plan(state: &AppState, access: &DeptAccess, plan_id: i64) -> AppResult<Plan> {
    let department_id = access.dept.department_id;
    queries::fetch_plan_of_department(&state.db, plan_id, department_id).await?.ok_or(AppError::NotFound)
}

fn plan_url(access: &DeptAccess, plan_id: i64) -> String {
    format!("/d/{}/plans/{plan_id}", access.dept.slug)
}

/// Back to the goal just edited, with "saved".
fn saved_at_goal(access: &DeptAccess, plan_id: i64, goal_id: i64) -> Response {
    redirect_with_flash(&format!("{}#goal-{goal_id}", plan_url(access, plan_id)), "flash.saved", None)
}

/// A goal with its actions, for the page.
pub struct GoalView {
    pub goal: Goal,
    pub description_html: String,
    pub actions: Vec<Action>,
    /// (done, late, dropped, open) at review.
    pub tally: (usize, usize, usize, usize),
}

/// A plan's goals, each with its actions and their tally at review.
/// A plan's goals with their actions, on one connection (the pool checks each connection it
/// gets back with a round trip of its own).
/// On the caller's connection: the pool checks each connection it gets back with a round
/// trip of its own, so a page reads the plan and its goals on one.
pub async fn load_goal_views(db: &mut PgConnection, plan_id: i64) -> sqlx::Result<Vec<GoalView>> {
    let goals = queries::list_goals(&mut *db, plan_id).await?;
    Ok(goal_views(goals, queries::list_actions(&mut *db, plan_id).await?))
}

fn goal_views(goals: Vec<Goal>, mut actions: Vec<Action>) -> Vec<GoalView> {
    goals
        .into_iter()
        .map(|goal| {
            let (mine, rest): (Vec<Action>, Vec<Action>) = actions.drain(..).partition(|a| a.goal_id == goal.goal_id);
            actions = rest;
            let count = |o: &str| mine.iter().filter(|a| a.outcome() == o).count();
            let tally = (count("done"), count("late"), count("dropped"), count("open"));
            GoalView { description_html: model::render_markdown(&goal.description), goal, actions: mine, tally }
        })
        .collect()
}

/// A form that did not save, shown again at the top of the page with what was typed.
pub struct Pending {
    /// Which form: `header`, `goal`, `new_goal`, `action`, `new_action`, `progress`, `return`.
    pub kind: &'static str,
    pub action_url: String,
    pub form: EditForm,
    pub errors: FormErrors,
    /// What changed since the editor loaded the page, when the save was refused as a conflict.
    pub conflict: Option<Vec<DiffLine>>,
    /// The goal or action the form edits (0 for the plan's header or a new one).
    pub entity_id: i64,
    /// Its version now: a retry from the conflict page is based on what the editor has just seen.
    pub current_version: Option<i32>,
}

#[derive(Template)]
#[template(path = "plans/edit.html")]
struct EditPage {
    layout: Layout,
    access: DeptAccess,
    plan: Plan,
    goals: Vec<GoalView>,
    members: Vec<(i64, String)>,
    member_ids: Vec<i64>,
    can_edit: bool,
    is_head: bool,
    can_decide: bool,
    progress_open: bool,
    pending: Option<Pending>,
    today: chrono::NaiveDate,
    statuses: [&'static str; 4],
}

async fn edit_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    plan: Plan,
    pending: Option<Pending>,
) -> AppResult<String> {
    let mut conn = state.db.acquire().await?;
    let goals = load_goal_views(&mut conn, plan.plan_id).await?;
    let members = queries::list_members(&mut *conn, plan.department_id).await?;
    drop(conn);
    let member_ids = members.iter().map(|m| m.0).collect();
    // What the page offers, by the rules of the route groups that take the actions.
    let can_edit = access.may(Need::Act(DeptRole::ViceHead)) && model::content_editable(plan.status);
    let is_head = access.may(Need::Act(DeptRole::Head));
    let can_decide = access.may(Need::Presidium) && plan.status == model::PlanStatus::Submitted;
    render(EditPage {
        progress_open: model::progress_open(plan.status),
        layout,
        access,
        plan,
        goals,
        members,
        member_ids,
        can_edit,
        is_head,
        can_decide,
        pending,
        today: crate::web::forms::today(),
        statuses: model::ACTION_STATUSES,
    })
}

pub async fn show_plan(
    State(state): State<AppState>,
    layout: Layout,
    OwnPlan { access, plan }: OwnPlan,
) -> AppResult<Html<String>> {
    Ok(Html(edit_page(&state, layout, access, plan, None).await?))
}

/// Show the failed form again: 422 for bad input, 409 with what changed meanwhile for a conflict.
async fn refuse(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    plan: Plan,
    mut pending: Pending,
) -> AppResult<Response> {
    let status = if pending.conflict.is_some() { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
    // The plan as it is now, not as it was when this request began.
    let plan = queries::fetch_plan(&state.db, plan.plan_id).await?.ok_or(AppError::NotFound)?;
    if pending.conflict.is_some() {
        let base = match pending.form.base() {
            Some(v) => queries::version_text(&state.db, plan.plan_id, v).await?.unwrap_or_default(),
            None => String::new(),
        };
        let now = queries::version_text(&state.db, plan.plan_id, plan.version).await?.unwrap_or_default();
        pending.conflict = Some(model::diff(&base, &now));
        pending.current_version = match pending.kind {
            "goal" => queries::fetch_goal_version(&state.db, pending.entity_id).await?,
            "action" | "progress" => queries::fetch_action_version(&state.db, pending.entity_id).await?,
            _ => Some(plan.header_version),
        };
    }
    Ok((status, Html(edit_page(state, layout, access, plan, Some(pending)).await?)).into_response())
}

fn conflict(kind: &'static str, entity_id: i64, action_url: String, form: EditForm) -> Pending {
    Pending {
        kind,
        action_url,
        form,
        errors: FormErrors::default(),
        conflict: Some(vec![]),
        entity_id,
        current_version: None,
    }
}

fn invalid(kind: &'static str, action_url: String, form: EditForm, errors: FormErrors) -> Pending {
    Pending { kind, action_url, form, errors, conflict: None, entity_id: 0, current_version: None }
}

/// Keep the new version, audit the change (what it was, what it became), commit.
async fn finish(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    access: &DeptAccess,
    plan_id: i64,
    what: &str,
    (before, after): (Option<Value>, Value),
) -> AppResult<()> {
    let actor = Some(access.viewer.user_id);
    let version = queries::save_version(&mut tx, plan_id, actor, what).await?;
    let before = before.map(|b| json!({ "version": version - 1, "change": b }));
    let after = json!({ "version": version, "what": what, "change": after });
    audit::record(
        &mut *tx,
        actor,
        Some(access.dept.department_id),
        Audit::PlanSave,
        "plan",
        &plan_id.to_string(),
        before,
        Some(after),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A transaction holding the plan locked, its state checked again inside it:
/// a submit or review that landed meanwhile wins, and this change is refused.
async fn begin_locked(
    state: &AppState,
    plan_id: i64,
    allowed: fn(model::PlanStatus) -> bool,
) -> AppResult<sqlx::Transaction<'static, sqlx::Postgres>> {
    let mut tx = state.db.begin().await?;
    let status = queries::lock_plan_status(&mut tx, plan_id).await?;
    if allowed(status) {
        Ok(tx)
    } else {
        Err(AppError::Conflict("error.409.plan_locked"))
    }
}

/// An edit of one goal or action for the trail: its id, and the fields that changed, before and after.
fn edited((key, id): (&str, i64), was: Value, now: Value) -> (Option<Value>, Value) {
    let (mut before, mut after) = audit::changes(was, now);
    for side in [&mut before, &mut after] {
        if let Value::Object(fields) = side {
            fields.insert(key.to_string(), id.into());
        }
    }
    (Some(before), after)
}
