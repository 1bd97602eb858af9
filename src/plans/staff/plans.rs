//! A department's plans: the list, a new period's plan (carried over from the last),
//! history and diffs, print and Markdown export.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::{header, StatusCode},
    response::{Html, IntoResponse, Response},
    Form,
};
use serde_json::json;
use sqlx::PgConnection;

use super::{finish, load_goal_views, own_plan, plan_url, GoalView, OwnPlan};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    plans::{
        forms::EditForm,
        model::{self, DiffLine},
        queries::{self, Plan, PlanLine},
    },
    web::{context::redirect_with_flash, dept_access::Need, render, DeptAccess, DeptRole, FormErrors, Layout},
};

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
    let can_create = access.may(Need::Act(DeptRole::ViceHead));
    render(ListPage { layout, access, plans, can_create, form, errors })
}

pub async fn list_plans(State(state): State<AppState>, layout: Layout, access: DeptAccess) -> AppResult<Html<String>> {
    let latest = queries::list_plans(&state.db, Some(access.dept.department_id), false, false).await?;
    let form =
        EditForm { from: latest.first().map(|p| p.plan_id.to_string()).unwrap_or_default(), ..EditForm::default() };
    Ok(Html(list_page(&state, layout, access, form, FormErrors::default()).await?))
}

/// The earlier plan a new one carries over from, if the form names one. Not a number, or not
/// this department's plan: the same message beside the field.
async fn plan_to_carry(
    state: &AppState,
    access: &DeptAccess,
    raw: &str,
    errors: &mut FormErrors,
) -> AppResult<Option<i64>> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    match own_plan(state, access, raw.trim().parse().unwrap_or(-1)).await {
        Ok(p) => Ok(Some(p.plan_id)),
        Err(AppError::NotFound) => {
            errors.add("from", "form.plan.from");
            Ok(None)
        }
        Err(e) => Err(e),
    }
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
    let from = plan_to_carry(&state, &access, &form.from, &mut errors).await?;
    if !errors.is_empty() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(list_page(&state, layout, access, form, errors).await?))
            .into_response());
    }
    let mut tx = state.db.begin().await?;
    let (department_id, user_id) = (access.dept.department_id, access.viewer.user_id);
    let created = queries::insert_plan(&mut tx, department_id, &period, &title, from, user_id).await?;
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
        let goal_id = queries::insert_goal_at(tx, to, i as i32, &g.title, &g.description).await?;
        let open =
            actions.iter().filter(|a| a.goal_id == g.goal_id && !matches!(a.status.as_str(), "done" | "dropped"));
        for (j, a) in open.enumerate() {
            queries::insert_carried_action(tx, to, goal_id, j as i32, a).await?;
        }
    }
    Ok(())
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
    OwnPlan { access, plan }: OwnPlan,
    Query(q): Query<DiffQuery>,
) -> AppResult<Html<String>> {
    let versions = queries::list_versions(&state.db, plan.plan_id).await?;
    let to = q.to.parse().ok().filter(|v| versions.iter().any(|x| x.version == *v)).unwrap_or(plan.version);
    let from = q.from.parse().ok().filter(|v| versions.iter().any(|x| x.version == *v)).unwrap_or((to - 1).max(1));
    let old = queries::version_text(&state.db, plan.plan_id, from).await?.unwrap_or_default();
    let new = queries::version_text(&state.db, plan.plan_id, to).await?.unwrap_or_default();
    let diff = model::diff(&old, &new);
    Ok(Html(render(HistoryPage { layout, access, plan, versions, from, to, diff })?))
}

/// The plan as Markdown, to keep or to paste elsewhere.
pub async fn export_markdown(State(state): State<AppState>, OwnPlan { plan, .. }: OwnPlan) -> AppResult<Response> {
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
    /// The plan's page (`path`), which the printed copy's QR code leads to.
    pub page_url: String,
}

pub async fn print_page(state: &AppState, layout: Layout, plan: Plan, path: &str) -> AppResult<Html<String>> {
    let goals = load_goal_views(&mut *state.db.acquire().await?, plan.plan_id).await?;
    let page_url = layout.url(path);
    Ok(Html(render(PrintPage { layout, plan, goals, page_url })?))
}

/// The department's copy leads back to the editor, where only its members may follow.
pub async fn print_plan(
    State(state): State<AppState>,
    layout: Layout,
    OwnPlan { plan, .. }: OwnPlan,
) -> AppResult<Html<String>> {
    let path = format!("/d/{}/plans/{}", plan.dept_slug, plan.plan_id);
    print_page(&state, layout, plan, &path).await
}
