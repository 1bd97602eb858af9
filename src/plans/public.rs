//! Public plans (`/plans`) and the presidium's overview of every department's
//! current plan (`/presidium/plans`).

use askama::Template;
use axum::{extract::State, response::Html};

use super::{
    queries::{self, Plan, PlanLine},
    staff::{load_goal_views, print_page, GoalView},
    PlanPath,
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    web::{render, Layout, Path},
};

#[derive(Template)]
#[template(path = "plans/public_list.html")]
struct ListPage {
    layout: Layout,
    plans: Vec<PlanLine>,
}

pub async fn list_public(State(state): State<AppState>, layout: Layout) -> AppResult<Html<String>> {
    let plans = queries::list_plans(&state.db, None, true, false).await?;
    Ok(Html(render(ListPage { layout, plans })?))
}

/// A public plan, or 404 (a plan not made public does not exist for the public).
async fn public_plan(db: impl sqlx::PgExecutor<'_>, plan_id: i64) -> AppResult<Plan> {
    queries::fetch_plan(db, plan_id).await?.filter(|p| p.is_public).ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "plans/public_show.html")]
struct ShowPage {
    layout: Layout,
    plan: Plan,
    goals: Vec<GoalView>,
}

pub async fn show_public(
    State(state): State<AppState>,
    layout: Layout,
    Path(PlanPath { plan_id }): Path<PlanPath>,
) -> AppResult<Html<String>> {
    // The plan and its goals on one connection (`load_goal_views`).
    let mut conn = state.db.acquire().await?;
    let plan = public_plan(&mut *conn, plan_id).await?;
    let goals = load_goal_views(&mut conn, plan.plan_id).await?;
    drop(conn);
    Ok(Html(render(ShowPage { layout, plan, goals })?))
}

pub async fn print_public(
    State(state): State<AppState>,
    layout: Layout,
    Path(PlanPath { plan_id }): Path<PlanPath>,
) -> AppResult<Html<String>> {
    let plan = public_plan(&state.db, plan_id).await?;
    print_page(&state, layout, plan, &format!("/plans/{plan_id}")).await
}

#[derive(Template)]
#[template(path = "plans/overview.html")]
struct OverviewPage {
    layout: Layout,
    plans: Vec<PlanLine>,
}

/// Every department's latest plan: status, progress, overdue actions.
pub async fn overview(State(state): State<AppState>, layout: Layout) -> AppResult<Html<String>> {
    let plans = queries::list_plans(&state.db, None, false, true).await?;
    Ok(Html(render(OverviewPage { layout, plans })?))
}
