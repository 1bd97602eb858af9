//! The dashboard: the department's rounds with their progress, appeals waiting, the
//! trend of the last published rounds, and the form that starts a round.

use askama::Template;
use axum::{extract::State, response::Html};

use super::{can_edit, rounds::RoundForm};
use crate::{
    app::AppState,
    error::AppResult,
    inspections::{
        model::{wednesday_of, ROUND_KINDS},
        queries::{self, decisions, rooms::BuildingCount, rounds as round_queries, rounds::RoundRow, Rubric},
    },
    stats::chart::{self, Chart, Datum},
    web::{forms::today, render, DeptAccess, FormErrors, Layout},
};

#[derive(Template)]
#[template(path = "inspections/setup/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    access: DeptAccess,
    rounds: Vec<RoundRow>,
    waiting: i64,
    trend: Chart,
    rubric: Option<Rubric>,
    buildings: Vec<BuildingCount>,
    kinds: [&'static str; 4],
    can_edit: bool,
    form: RoundForm,
    errors: FormErrors,
}

impl DashboardPage {
    fn chosen(&self, building_id: &i64) -> bool {
        self.form.buildings.contains(building_id)
    }
}

/// The dashboard, its round form as typed (or the default: weekly, this week's Wednesday).
pub async fn dashboard_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    form: Option<RoundForm>,
    errors: FormErrors,
) -> AppResult<String> {
    let dept = access.dept.department_id;
    let mut conn = state.db.acquire().await?;
    let rounds = round_queries::list_rounds(&mut *conn, dept).await?;
    let waiting = decisions::count_waiting(&mut *conn, dept).await?;
    let averages = round_queries::list_trend(&mut *conn, dept).await?;
    let rubric = queries::current_rubric(&mut *conn).await?;
    let buildings = queries::rooms::list_buildings(&mut *conn).await?;
    drop(conn);
    let data = averages
        .iter()
        .map(|a| Datum {
            label: a.held_on.format("%m-%d").to_string(),
            value: a.average,
            shown: format!("{:.1}", a.average),
            capacity: None,
        })
        .collect();
    let form = form.unwrap_or_else(|| RoundForm {
        kind: "weekly".into(),
        held_on: wednesday_of(today()).to_string(),
        buildings: vec![],
    });
    let can_edit = can_edit(&access);
    let trend = chart::columns("trend", data);
    render(DashboardPage {
        layout,
        access,
        rounds,
        waiting,
        trend,
        rubric,
        buildings,
        kinds: ROUND_KINDS,
        can_edit,
        form,
        errors,
    })
}

pub async fn show_dashboard(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
) -> AppResult<Html<String>> {
    Ok(Html(dashboard_page(&state, layout, access, None, FormErrors::default()).await?))
}
