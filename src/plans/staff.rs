//! The department's side (`/d/{dept}/plans`): the editor (header, goals, actions,
//! each with its own version so two editors never overwrite each other), members'
//! progress on their own actions, the workflow steps, history and diffs, print and
//! Markdown export, and a new period's plan carried over from the last.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::{header, StatusCode},
    response::{Html, IntoResponse, Response},
    Form,
};
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};

use super::{
    forms::{self, EditForm},
    model::{self, Actor, DiffLine},
    queries::{self, Action, Goal, Plan, PlanLine},
};
use crate::{
    app::AppState,
    audit::{self, Action as Audit},
    error::{AppError, AppResult},
    notifications::notify,
    web::{context::redirect_with_flash, render, DeptAccess, DeptRole, FormErrors, Layout},
};

/// This department's plan, or 404.
pub async fn own_plan(state: &AppState, access: &DeptAccess, plan_id: &str) -> AppResult<Plan> {
    let id: i64 = plan_id.parse().map_err(|_| AppError::NotFound)?;
    let plan = queries::fetch_plan(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if plan.department_id == access.dept.department_id {
        Ok(plan)
    } else {
        Err(AppError::NotFound)
    }
}

fn plan_url(access: &DeptAccess, plan_id: i64) -> String {
    format!("/d/{}/plans/{plan_id}", access.dept.slug)
}

/// Back to the goal just edited, with "saved".
fn saved_at_goal(access: &DeptAccess, plan_id: i64, goal_id: i64) -> Response {
    redirect_with_flash(&format!("{}#goal-{goal_id}", plan_url(access, plan_id)), "flash.saved", None)
}

#[derive(Template)]
#[template(path = "plans/list.html")]
struct ListPage {
    layout: Layout,
    access: DeptAccess,
    plans: Vec<PlanLine>,
    can_create: bool,
    form: EditForm,
    errors: FormErrors,
}

async fn list_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    form: EditForm,
    errors: FormErrors,
) -> AppResult<String> {
    let plans = queries::list_plans(&state.db, Some(access.dept.department_id), false, false).await?;
    let can_create = access.is_at_least(DeptRole::ViceHead);
    render(ListPage { layout, access, plans, can_create, form, errors })
}

pub async fn list_plans(State(state): State<AppState>, layout: Layout, access: DeptAccess) -> AppResult<Html<String>> {
    let latest = queries::list_plans(&state.db, Some(access.dept.department_id), false, false).await?;
    let form =
        EditForm { from: latest.first().map(|p| p.plan_id.to_string()).unwrap_or_default(), ..EditForm::default() };
    Ok(Html(list_page(&state, layout, access, form, FormErrors::default()).await?))
}

/// A new period's plan; from a previous plan, its goals and unfinished actions come along.
pub async fn create_plan(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::default();
    let title = errors.take("title", crate::web::forms::one_line(&form.title, 80, true));
    let period = errors.take("period", crate::web::forms::one_line(&form.period, 40, true));
    let from = match form.from.trim() {
        "" => None,
        raw => match own_plan(&state, &access, raw).await {
            Ok(p) => Some(p.plan_id),
            Err(AppError::NotFound) => {
                errors.add("from", "form.plan.from");
                None
            }
            Err(e) => return Err(e),
        },
    };
    if !errors.is_empty() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(list_page(&state, layout, access, form, errors).await?))
            .into_response());
    }
    let mut tx = state.db.begin().await?;
    let created = sqlx::query_scalar!(
        "insert into plan (department_id, period, title, carried_from, created_by) values ($1, $2, $3, $4, $5)
         on conflict (department_id, period) do nothing returning plan_id",
        access.dept.department_id,
        period,
        title,
        from,
        access.viewer.user_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(plan_id) = created else {
        drop(tx);
        errors.add("period", "form.plan.period_taken");
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(list_page(&state, layout, access, form, errors).await?))
            .into_response());
    };
    if let Some(from) = from {
        carry_over(&mut tx, from, plan_id).await?;
    }
    let what = if from.is_some() { "plan.version.carried" } else { "plan.version.created" };
    finish(tx, &access, plan_id, what, (None, json!({ "title": title, "period": period, "from": from }))).await?;
    Ok(redirect_with_flash(&plan_url(&access, plan_id), "flash.plan.created", None))
}

/// Copy the goals and the actions not done or dropped; each carried action remembers where it came from.
/// Their old due dates stay behind: the new period sets its own.
async fn carry_over(tx: &mut PgConnection, from: i64, to: i64) -> sqlx::Result<()> {
    let goals = queries::list_goals(&mut *tx, from).await?;
    let actions = queries::list_actions(&mut *tx, from).await?;
    for (i, g) in goals.iter().enumerate() {
        let goal_id = sqlx::query_scalar!(
            "insert into plan_goal (plan_id, position, title, description) values ($1, $2, $3, $4) returning goal_id",
            to,
            i as i32,
            g.title,
            g.description
        )
        .fetch_one(&mut *tx)
        .await?;
        let open =
            actions.iter().filter(|a| a.goal_id == g.goal_id && !matches!(a.status.as_str(), "done" | "dropped"));
        for (j, a) in open.enumerate() {
            sqlx::query!(
                "insert into plan_action (plan_id, goal_id, position, title, owner_id, due_on, status, progress, notes, carried_from)
                 values ($1, $2, $3, $4, $5, null, $6, $7, $8, $9)",
                to,
                goal_id,
                j as i32,
                a.title,
                a.owner_id,
                a.status,
                a.progress,
                a.notes,
                a.action_id
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
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
pub async fn load_goal_views(db: &PgPool, plan_id: i64) -> sqlx::Result<Vec<GoalView>> {
    Ok(goal_views(queries::list_goals(db, plan_id).await?, queries::list_actions(db, plan_id).await?))
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
    let goals = load_goal_views(&state.db, plan.plan_id).await?;
    let members = queries::list_members(&state.db, plan.department_id).await?;
    let member_ids = members.iter().map(|m| m.0).collect();
    let can_edit = access.is_at_least(DeptRole::ViceHead) && model::content_editable(&plan.status);
    let is_head = access.is_at_least(DeptRole::Head);
    let can_decide = access.viewer.is_presidium && access.role.is_none() && plan.status == "submitted";
    render(EditPage {
        progress_open: model::progress_open(&plan.status),
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
    access: DeptAccess,
    Path((_, plan_id)): Path<(String, String)>,
) -> AppResult<Html<String>> {
    let plan = own_plan(&state, &access, &plan_id).await?;
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
            "goal" => {
                sqlx::query_scalar!("select version from plan_goal where goal_id = $1", pending.entity_id)
                    .fetch_optional(&state.db)
                    .await?
            }
            "action" | "progress" => {
                sqlx::query_scalar!("select version from plan_action where action_id = $1", pending.entity_id)
                    .fetch_optional(&state.db)
                    .await?
            }
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
    allowed: fn(&str) -> bool,
) -> AppResult<sqlx::Transaction<'static, sqlx::Postgres>> {
    let mut tx = state.db.begin().await?;
    let status = sqlx::query_scalar!("select status from plan where plan_id = $1 for update", plan_id)
        .fetch_one(&mut *tx)
        .await?;
    if allowed(&status) {
        Ok(tx)
    } else {
        Err(AppError::Conflict("error.409.plan_locked"))
    }
}

/// This department's plan, if its content may be edited now by this viewer.
async fn editable_plan(state: &AppState, access: &DeptAccess, plan_id: &str) -> AppResult<Plan> {
    let plan = own_plan(state, access, plan_id).await?;
    require_editable(access, &plan)?;
    Ok(plan)
}

fn require_editable(access: &DeptAccess, plan: &Plan) -> AppResult<()> {
    if !model::content_editable(&plan.status) {
        return Err(AppError::Conflict("error.409.plan_locked"));
    }
    if !access.is_at_least(DeptRole::ViceHead) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

pub async fn save_header(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path((_, plan_id)): Path<(String, String)>,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let plan = editable_plan(&state, &access, &plan_id).await?;
    let url = format!("{}/header", plan_url(&access, plan.plan_id));
    let v = match forms::header(&form) {
        Ok(v) => v,
        Err(errors) => return refuse(&state, layout, access, plan, invalid("header", url, form, errors)).await,
    };
    let mut tx = begin_locked(&state, plan.plan_id, model::content_editable).await?;
    // Read under the plan's lock: exactly what this save replaces.
    let was = queries::fetch_plan(&mut *tx, plan.plan_id).await?.ok_or(AppError::NotFound)?;
    let saved = sqlx::query!(
        "update plan set title = $3, period = $4, review_achievements = $5, review_shortcomings = $6,
                header_version = header_version + 1
         where plan_id = $1 and header_version = $2",
        plan.plan_id,
        form.version(),
        v.title,
        v.period,
        v.achievements,
        v.shortcomings
    )
    .execute(&mut *tx)
    .await;
    let saved = match saved {
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("plan_department_period_key") => {
            drop(tx);
            let mut errors = FormErrors::default();
            errors.add("period", "form.plan.period_taken");
            return refuse(&state, layout, access, plan, invalid("header", url, form, errors)).await;
        }
        other => other?,
    };
    if saved.rows_affected() == 0 {
        drop(tx);
        return refuse(&state, layout, access, plan, conflict("header", 0, url, form)).await;
    }
    let before = header_facts(&was.title, &was.period, &was.review_achievements, &was.review_shortcomings);
    let after = header_facts(&v.title, &v.period, &v.achievements, &v.shortcomings);
    let (before, after) = audit::changes(before, after);
    finish(tx, &access, plan.plan_id, "plan.version.header", (Some(before), after)).await?;
    Ok(redirect_with_flash(&plan_url(&access, plan.plan_id), "flash.saved", None))
}

/// A plan's header as the trail records it (the review's texts clipped).
fn header_facts(title: &str, period: &str, achievements: &str, shortcomings: &str) -> Value {
    json!({ "title": title, "period": period, "review_achievements": audit::clip(achievements),
            "review_shortcomings": audit::clip(shortcomings) })
}

pub async fn add_goal(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path((_, plan_id)): Path<(String, String)>,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let plan = editable_plan(&state, &access, &plan_id).await?;
    let url = format!("{}/goals/add", plan_url(&access, plan.plan_id));
    let (title, description) = match forms::goal(&form) {
        Ok(v) => v,
        Err(errors) => return refuse(&state, layout, access, plan, invalid("new_goal", url, form, errors)).await,
    };
    let mut tx = begin_locked(&state, plan.plan_id, model::content_editable).await?;
    sqlx::query!(
        "insert into plan_goal (plan_id, position, title, description)
         values ($1, (select coalesce(max(position), -1) + 1 from plan_goal where plan_id = $1), $2, $3)",
        plan.plan_id,
        title,
        description
    )
    .execute(&mut *tx)
    .await?;
    let after = json!({ "goal": title, "description": audit::clip(&description) });
    finish(tx, &access, plan.plan_id, "plan.version.goal_added", (None, after)).await?;
    Ok(redirect_with_flash(&plan_url(&access, plan.plan_id), "flash.saved", None))
}

/// A goal of this plan; 404 for anything else.
async fn goal_of(state: &AppState, plan: &Plan, goal_id: &str) -> AppResult<i64> {
    let id: i64 = goal_id.parse().map_err(|_| AppError::NotFound)?;
    sqlx::query_scalar!("select goal_id from plan_goal where goal_id = $1 and plan_id = $2", id, plan.plan_id)
        .fetch_optional(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn update_goal(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path((_, plan_id, goal_id)): Path<(String, String, String)>,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let plan = editable_plan(&state, &access, &plan_id).await?;
    let goal_id = goal_of(&state, &plan, &goal_id).await?;
    let url = format!("{}/goals/{goal_id}/update", plan_url(&access, plan.plan_id));
    let (title, description) = match forms::goal(&form) {
        Ok(v) => v,
        Err(errors) => return refuse(&state, layout, access, plan, invalid("goal", url, form, errors)).await,
    };
    let mut tx = begin_locked(&state, plan.plan_id, model::content_editable).await?;
    let was = sqlx::query!("select title, description from plan_goal where goal_id = $1", goal_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::Conflict("error.409.plan_changed"))?;
    let saved = sqlx::query!(
        "update plan_goal set title = $3, description = $4, version = version + 1 where goal_id = $1 and version = $2",
        goal_id,
        form.version(),
        title,
        description
    )
    .execute(&mut *tx)
    .await?;
    if saved.rows_affected() == 0 {
        drop(tx);
        return refuse(&state, layout, access, plan, conflict("goal", goal_id, url, form)).await;
    }
    let change = edited(
        ("goal_id", goal_id),
        json!({ "title": was.title, "description": audit::clip(&was.description) }),
        json!({ "title": title, "description": audit::clip(&description) }),
    );
    finish(tx, &access, plan.plan_id, "plan.version.goal_changed", change).await?;
    Ok(saved_at_goal(&access, plan.plan_id, goal_id))
}

pub async fn remove_goal(
    State(state): State<AppState>,
    access: DeptAccess,
    Path((_, plan_id, goal_id)): Path<(String, String, String)>,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let plan = editable_plan(&state, &access, &plan_id).await?;
    let goal_id = goal_of(&state, &plan, &goal_id).await?;
    let mut tx = begin_locked(&state, plan.plan_id, model::content_editable).await?;
    // Removing what someone else changed meanwhile (an action added to it, say) is refused.
    let removed = sqlx::query_scalar!(
        "delete from plan_goal where goal_id = $1 and version = $2 returning title",
        goal_id,
        form.version()
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::Conflict("error.409.plan_changed"))?;
    let change =
        (Some(json!({ "goal_id": goal_id, "title": removed })), json!({ "goal_id": goal_id, "removed": true }));
    finish(tx, &access, plan.plan_id, "plan.version.goal_removed", change).await?;
    Ok(redirect_with_flash(&plan_url(&access, plan.plan_id), "flash.saved", None))
}

/// Swap positions with the neighbour above or below (positions are renumbered first, so gaps never matter).
/// Returns the row's position before and after, counted from 0.
async fn move_row(tx: &mut PgConnection, table: &str, id: i64, parent: i64, up: bool) -> sqlx::Result<(usize, usize)> {
    let (id_col, parent_col) = if table == "plan_goal" { ("goal_id", "plan_id") } else { ("action_id", "goal_id") };
    let ids: Vec<i64> = sqlx::query_scalar(&format!(
        "select {id_col} from {table} where {parent_col} = $1 order by position, {id_col} for update"
    ))
    .bind(parent)
    .fetch_all(&mut *tx)
    .await?;
    let Some(i) = ids.iter().position(|x| *x == id) else { return Ok((0, 0)) };
    let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < ids.len()) };
    let mut order = ids.clone();
    if let Some(j) = j {
        order.swap(i, j);
    }
    for (position, row) in order.iter().enumerate() {
        sqlx::query(&format!("update {table} set position = $2 where {id_col} = $1"))
            .bind(row)
            .bind(position as i32)
            .execute(&mut *tx)
            .await?;
    }
    Ok((i, j.unwrap_or(i)))
}

pub async fn move_goal(
    State(state): State<AppState>,
    access: DeptAccess,
    Path((_, plan_id, goal_id)): Path<(String, String, String)>,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let plan = editable_plan(&state, &access, &plan_id).await?;
    let goal_id = goal_of(&state, &plan, &goal_id).await?;
    let mut tx = begin_locked(&state, plan.plan_id, model::content_editable).await?;
    let up = form.direction == "up";
    let (from, to) = move_row(&mut tx, "plan_goal", goal_id, plan.plan_id, up).await?;
    let change = (Some(json!({ "goal_id": goal_id, "position": from })), json!({ "goal_id": goal_id, "position": to }));
    finish(tx, &access, plan.plan_id, "plan.version.reordered", change).await?;
    Ok(saved_at_goal(&access, plan.plan_id, goal_id))
}

pub async fn add_action(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path((_, plan_id, goal_id)): Path<(String, String, String)>,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let plan = editable_plan(&state, &access, &plan_id).await?;
    let goal_id = goal_of(&state, &plan, &goal_id).await?;
    let members = queries::list_members(&state.db, plan.department_id).await?;
    let url = format!("{}/goals/{goal_id}/actions/add", plan_url(&access, plan.plan_id));
    let v = match forms::action(&form, &members, None) {
        Ok(v) => v,
        Err(errors) => return refuse(&state, layout, access, plan, invalid("new_action", url, form, errors)).await,
    };
    let mut tx = begin_locked(&state, plan.plan_id, model::content_editable).await?;
    sqlx::query!(
        "insert into plan_action (plan_id, goal_id, position, title, owner_id, due_on)
         values ($1, $2, (select coalesce(max(position), -1) + 1 from plan_action where goal_id = $2), $3, $4, $5)",
        plan.plan_id,
        goal_id,
        v.title,
        v.owner_id,
        v.due_on
    )
    .execute(&mut *tx)
    .await?;
    if let Some(owner) = v.owner_id {
        let link = plan_url(&access, plan.plan_id);
        notify(&mut *tx, &[owner], Some(access.viewer.user_id), "notify.plan.action_assigned", &v.title, &link).await?;
    }
    let after = json!({ "goal_id": goal_id, "action": v.title, "owner_id": v.owner_id, "due_on": v.due_on });
    finish(tx, &access, plan.plan_id, "plan.version.action_added", (None, after)).await?;
    Ok(saved_at_goal(&access, plan.plan_id, goal_id))
}

/// An action of this plan: (action id, goal id, owner); 404 for anything else.
async fn action_of(state: &AppState, plan: &Plan, action_id: &str) -> AppResult<(i64, i64, Option<i64>)> {
    let id: i64 = action_id.parse().map_err(|_| AppError::NotFound)?;
    let row = sqlx::query!(
        "select goal_id, owner_id from plan_action where action_id = $1 and plan_id = $2",
        id,
        plan.plan_id
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((id, row.goal_id, row.owner_id))
}

pub async fn update_action(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path((_, plan_id, action_id)): Path<(String, String, String)>,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let plan = editable_plan(&state, &access, &plan_id).await?;
    let (action_id, goal_id, old_owner) = action_of(&state, &plan, &action_id).await?;
    let members = queries::list_members(&state.db, plan.department_id).await?;
    let url = format!("{}/actions/{action_id}/update", plan_url(&access, plan.plan_id));
    let v = match forms::action(&form, &members, old_owner) {
        Ok(v) => v,
        Err(errors) => return refuse(&state, layout, access, plan, invalid("action", url, form, errors)).await,
    };
    let mut tx = begin_locked(&state, plan.plan_id, model::content_editable).await?;
    let was = action_facts(&mut tx, action_id).await?;
    let saved = sqlx::query!(
        "update plan_action set title = $3, owner_id = $4, due_on = $5, version = version + 1
         where action_id = $1 and version = $2",
        action_id,
        form.version(),
        v.title,
        v.owner_id,
        v.due_on
    )
    .execute(&mut *tx)
    .await?;
    if saved.rows_affected() == 0 {
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

/// An action's fields as the trail records them, read in the edit's transaction (under the plan's lock).
/// Removed meanwhile: a conflict.
async fn action_facts(tx: &mut PgConnection, action_id: i64) -> AppResult<Value> {
    let a = sqlx::query!(
        "select title, owner_id, due_on, status, progress, notes, done_on from plan_action where action_id = $1",
        action_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::Conflict("error.409.plan_changed"))?;
    Ok(json!({ "title": a.title, "owner_id": a.owner_id, "due_on": a.due_on, "status": a.status,
               "progress": a.progress, "notes": audit::clip(&a.notes), "done_on": a.done_on }))
}

/// Status, progress and notes: the action's owner, or a vice head or head.
pub async fn report_progress(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path((_, plan_id, action_id)): Path<(String, String, String)>,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let plan = own_plan(&state, &access, &plan_id).await?;
    let (action_id, goal_id, owner) = action_of(&state, &plan, &action_id).await?;
    if owner != Some(access.viewer.user_id) && !access.is_at_least(DeptRole::ViceHead) {
        return Err(AppError::Forbidden);
    }
    if !model::progress_open(&plan.status) {
        return Err(AppError::Conflict("error.409.plan_not_under_way"));
    }
    let url = format!("{}/actions/{action_id}/progress", plan_url(&access, plan.plan_id));
    let v = match forms::progress(&form) {
        Ok(v) => v,
        Err(errors) => return refuse(&state, layout, access, plan, invalid("progress", url, form, errors)).await,
    };
    let mut tx = begin_locked(&state, plan.plan_id, model::progress_open).await?;
    let was = action_facts(&mut tx, action_id).await?;
    let saved = sqlx::query!(
        "update plan_action set status = $3, progress = $4, notes = $5, version = version + 1,
                done_on = case when $3 = 'done' then coalesce($6, done_on, (now() at time zone 'Asia/Shanghai')::date) end
         where action_id = $1 and version = $2",
        action_id,
        form.version(),
        v.status,
        v.progress,
        v.notes,
        v.done_on
    )
    .execute(&mut *tx)
    .await?;
    if saved.rows_affected() == 0 {
        drop(tx);
        return refuse(&state, layout, access, plan, conflict("progress", action_id, url, form)).await;
    }
    let change = edited(("action_id", action_id), was, action_facts(&mut tx, action_id).await?);
    finish(tx, &access, plan.plan_id, "plan.version.progress", change).await?;
    Ok(saved_at_goal(&access, plan.plan_id, goal_id))
}

pub async fn remove_action(
    State(state): State<AppState>,
    access: DeptAccess,
    Path((_, plan_id, action_id)): Path<(String, String, String)>,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let plan = editable_plan(&state, &access, &plan_id).await?;
    let (action_id, goal_id, _) = action_of(&state, &plan, &action_id).await?;
    let mut tx = begin_locked(&state, plan.plan_id, model::content_editable).await?;
    let removed = sqlx::query_scalar!(
        "delete from plan_action where action_id = $1 and version = $2 returning title",
        action_id,
        form.version()
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::Conflict("error.409.plan_changed"))?;
    let before = json!({ "action_id": action_id, "title": removed });
    let change = (Some(before), json!({ "action_id": action_id, "removed": true }));
    finish(tx, &access, plan.plan_id, "plan.version.action_removed", change).await?;
    Ok(saved_at_goal(&access, plan.plan_id, goal_id))
}

pub async fn move_action(
    State(state): State<AppState>,
    access: DeptAccess,
    Path((_, plan_id, action_id)): Path<(String, String, String)>,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let plan = editable_plan(&state, &access, &plan_id).await?;
    let (action_id, goal_id, _) = action_of(&state, &plan, &action_id).await?;
    let mut tx = begin_locked(&state, plan.plan_id, model::content_editable).await?;
    let up = form.direction == "up";
    let (from, to) = move_row(&mut tx, "plan_action", action_id, goal_id, up).await?;
    let before = json!({ "action_id": action_id, "position": from });
    let change = (Some(before), json!({ "action_id": action_id, "position": to }));
    finish(tx, &access, plan.plan_id, "plan.version.reordered", change).await?;
    Ok(saved_at_goal(&access, plan.plan_id, goal_id))
}

/// A workflow step: `submit`, `approve`, `return`, `start` or `review`. Who may take it is checked here,
/// from the step's actor: heads of the department, or the presidium.
pub async fn take_step(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path((_, plan_id, step)): Path<(String, String, String)>,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let plan = own_plan(&state, &access, &plan_id).await?;
    if !model::STEPS.iter().any(|(s, ..)| *s == step) {
        return Err(AppError::NotFound);
    }
    let (to, actor) = model::step(&step, &plan.status).ok_or(AppError::Conflict("error.409.plan_step"))?;
    let allowed = match actor {
        Actor::Head => access.is_at_least(DeptRole::Head),
        // No one approves their own department's plan, even from the presidium.
        Actor::Presidium => access.viewer.is_presidium && access.role.is_none(),
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let comment = match step.as_str() {
        "return" => match crate::web::forms::multi_line(&form.comment, 5_000, true) {
            Ok(c) => c,
            Err(key) => {
                let mut errors = FormErrors::default();
                errors.add("comment", key);
                let url = format!("{}/steps/return", plan_url(&access, plan.plan_id));
                return refuse(&state, layout, access, plan, invalid("return", url, form, errors)).await;
            }
        },
        _ => String::new(),
    };
    let mut tx = state.db.begin().await?;
    // Edits lock the plan too: the review's count of open actions cannot race them.
    sqlx::query_scalar!("select plan_id from plan where plan_id = $1 for update", plan.plan_id)
        .fetch_one(&mut *tx)
        .await?;
    if step == "review" {
        // The review records the outcome of every action: none may be left open.
        let open = sqlx::query_scalar!(
            r#"select count(*) as "n!" from plan_action where plan_id = $1 and status in ('not_started', 'in_progress')"#,
            plan.plan_id
        )
        .fetch_one(&mut *tx)
        .await?;
        if open > 0 {
            return Err(AppError::Conflict("error.409.plan_actions_open"));
        }
    }
    let moved = sqlx::query!(
        "update plan set status = $3, return_comment = case when $3 = 'returned' then $4 else return_comment end
         where plan_id = $1 and status = $2",
        plan.plan_id,
        plan.status,
        to,
        comment
    )
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() == 0 {
        return Err(AppError::Conflict("error.409.plan_step"));
    }
    // The department hears the presidium's decision; the presidium hears of a submission.
    let link = plan_url(&access, plan.plan_id);
    let audience = match actor {
        Actor::Presidium => crate::departments::queries::current_member_ids(&mut *tx, plan.department_id).await?,
        Actor::Head if step == "submit" => {
            sqlx::query_scalar!(
                "select r.user_id from union_role r join term t using (term_id) where r.role = 'presidium' and t.is_current"
            )
            .fetch_all(&mut *tx)
            .await?
        }
        Actor::Head => vec![],
    };
    let key = format!("notify.plan.{to}");
    notify(&mut *tx, &audience, Some(access.viewer.user_id), &key, &plan.title, &link).await?;
    // The update moved the plan only from `plan.status`: that is the state before.
    let change = (Some(json!({ "status": plan.status })), json!({ "status": to, "comment": comment }));
    finish(tx, &access, plan.plan_id, &format!("plan.version.{to}"), change).await?;
    Ok(redirect_with_flash(&link, "flash.plan.step", None))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PublishForm {
    public: String,
}

pub async fn set_public(
    State(state): State<AppState>,
    access: DeptAccess,
    Path((_, plan_id)): Path<(String, String)>,
    Form(form): Form<PublishForm>,
) -> AppResult<Response> {
    let plan = own_plan(&state, &access, &plan_id).await?;
    if !access.is_at_least(DeptRole::Head) {
        return Err(AppError::Forbidden);
    }
    let public = form.public == "1";
    if public && !matches!(plan.status.as_str(), "approved" | "in_progress" | "reviewed") {
        return Err(AppError::Conflict("error.409.plan_not_approved"));
    }
    let mut tx = state.db.begin().await?;
    let was = sqlx::query_scalar!("select is_public from plan where plan_id = $1 for update", plan.plan_id)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query!("update plan set is_public = $2 where plan_id = $1", plan.plan_id, public).execute(&mut *tx).await?;
    let what = if public { "plan.version.published" } else { "plan.version.unpublished" };
    finish(tx, &access, plan.plan_id, what, (Some(json!({ "public": was })), json!({ "public": public }))).await?;
    Ok(redirect_with_flash(&plan_url(&access, plan.plan_id), "flash.saved", None))
}

#[derive(Template)]
#[template(path = "plans/history.html")]
struct HistoryPage {
    layout: Layout,
    access: DeptAccess,
    plan: Plan,
    versions: Vec<queries::Version>,
    from: i32,
    to: i32,
    diff: Vec<DiffLine>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DiffQuery {
    from: String,
    to: String,
}

/// Every version with its author and time, and the difference between any two.
pub async fn history(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path((_, plan_id)): Path<(String, String)>,
    Query(q): Query<DiffQuery>,
) -> AppResult<Html<String>> {
    let plan = own_plan(&state, &access, &plan_id).await?;
    let versions = queries::list_versions(&state.db, plan.plan_id).await?;
    let to = q.to.parse().ok().filter(|v| versions.iter().any(|x| x.version == *v)).unwrap_or(plan.version);
    let from = q.from.parse().ok().filter(|v| versions.iter().any(|x| x.version == *v)).unwrap_or((to - 1).max(1));
    let old = queries::version_text(&state.db, plan.plan_id, from).await?.unwrap_or_default();
    let new = queries::version_text(&state.db, plan.plan_id, to).await?.unwrap_or_default();
    let diff = model::diff(&old, &new);
    Ok(Html(render(HistoryPage { layout, access, plan, versions, from, to, diff })?))
}

/// The plan as Markdown, to keep or to paste elsewhere.
pub async fn export_markdown(
    State(state): State<AppState>,
    access: DeptAccess,
    Path((_, plan_id)): Path<(String, String)>,
) -> AppResult<Response> {
    let plan = own_plan(&state, &access, &plan_id).await?;
    let mut conn = state.db.acquire().await?;
    let text = queries::snapshot(&mut conn, plan.plan_id).await?;
    let disposition = format!("attachment; filename=\"plan-{}.md\"", plan.plan_id);
    Ok((
        [
            (header::CONTENT_TYPE, "text/markdown; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "plans/print.html")]
pub struct PrintPage {
    pub layout: Layout,
    pub plan: Plan,
    pub goals: Vec<GoalView>,
}

pub async fn print_page(state: &AppState, layout: Layout, plan: Plan) -> AppResult<Html<String>> {
    let goals = load_goal_views(&state.db, plan.plan_id).await?;
    Ok(Html(render(PrintPage { layout, plan, goals })?))
}

pub async fn print_plan(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path((_, plan_id)): Path<(String, String)>,
) -> AppResult<Html<String>> {
    let plan = own_plan(&state, &access, &plan_id).await?;
    print_page(&state, layout, plan).await
}
