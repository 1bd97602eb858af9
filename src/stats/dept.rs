//! A department's own figures for its dashboard, by what the department does:
//! its complaints, its lost-and-found desk, its latest plan, the commitments made
//! at the sessions it organised. Every query is scoped by the department's id.
//! They count the department's whole history (at a university's scale, hundreds of
//! thousands of rows: under load the dashboard answered nothing), so they are kept
//! a few seconds per department and language (`Cached::dept_stats`), like `/stats`'s, and
//! counted again behind the request that finds them expired.

use super::{
    chart::{self, Chart, Datum},
    figures::{self, CommitmentTally, Outcomes},
    queries::{self, LostTotals},
    view::shown_days,
};
use crate::{
    app::AppState,
    complaints::deadlines::missed_deadline,
    error::AppResult,
    plans::queries::PlanLine,
    web::{dept_access::Department, forms::today, Layout},
};

pub struct DeptComplaints {
    pub outcomes: Outcomes,
    pub chart: Chart,
    /// Open complaints past the deadline to accept or to reply.
    pub overdue: usize,
    pub median_days: Option<f64>,
    pub replied: i64,
}

impl DeptComplaints {
    /// The median and how many replies it is based on.
    pub fn median_text(&self, layout: &Layout) -> String {
        let replied = self.replied.to_string();
        layout.tf("dept.stats.median_from", &[("days", &shown_days(self.median_days)), ("n", &replied)])
    }
}

pub struct DeptLost {
    pub totals: LostTotals,
    pub chart: Chart,
}

pub struct DeptCommitments {
    pub tally: CommitmentTally,
    pub chart: Chart,
}

/// What the dashboard shows; a part is `None` when the department does not do that.
pub struct DeptStats {
    pub complaints: Option<DeptComplaints>,
    pub lost: Option<DeptLost>,
    pub commitments: Option<DeptCommitments>,
    pub plan: Option<PlanLine>,
}

pub async fn department_stats(
    state: &AppState,
    dept: &Department,
    layout: &Layout,
) -> AppResult<std::sync::Arc<DeptStats>> {
    let key = (dept.department_id, layout.lang);
    // Refreshed behind the request: under load the counts took seconds (docs/benchmarks.md).
    // The counting task owns copies of what it reads, made only when it is started.
    let load = || {
        let (state, dept, layout) = (state.clone(), dept.clone(), layout.clone());
        async move { compute(&state, &dept, &layout).await }
    };
    state.cached.dept_stats.get_or_refresh_behind(key, load).await
}

async fn compute(state: &AppState, dept: &Department, layout: &Layout) -> AppResult<DeptStats> {
    let id = dept.department_id;
    let complaints = if dept.handles_complaints { Some(complaints(state, id, layout).await?) } else { None };
    let lost = if dept.runs_lost_found { Some(lost(state, id, layout).await?) } else { None };
    // The commitments it keeps: its sessions' and those made on its complaints' pages.
    let commitments = Some(commitments(state, id, layout).await?)
        .filter(|c| dept.organises_reception || dept.handles_complaints || c.tally.total() > 0);
    // The latest plan, as the plans list counts its actions.
    let plan = crate::plans::queries::list_plans(&state.db, Some(id), false, true).await?.into_iter().next();
    Ok(DeptStats { complaints, lost, commitments, plan })
}

async fn complaints(state: &AppState, id: i64, layout: &Layout) -> AppResult<DeptComplaints> {
    let outcomes = Outcomes::new(queries::count_by_status(&state.db, Some(id)).await?, 0);
    let now = chrono::Utc::now();
    let calendar = crate::holidays::calendar(state).await?;
    let overdue = queries::list_open_complaints(&state.db, id)
        .await?
        .iter()
        .filter(|c| {
            missed_deadline(&c.status, c.created_at, c.first_public_reply_at, now, &state.config, &calendar).is_some()
        })
        .count();
    let (median_days, replied) = queries::fetch_department_reply_time(&state.db, id).await?;
    let chart = outcomes.chart("chart-dept-complaints", layout);
    Ok(DeptComplaints { outcomes, chart, overdue, median_days, replied })
}

async fn lost(state: &AppState, id: i64, layout: &Layout) -> AppResult<DeptLost> {
    let totals = queries::fetch_lost_totals(&state.db, Some(id)).await?;
    Ok(DeptLost { chart: totals.chart("chart-dept-lost", layout), totals })
}

async fn commitments(state: &AppState, id: i64, layout: &Layout) -> AppResult<DeptCommitments> {
    let tally = figures::tally_all(&queries::list_commitments(&state.db, Some(id)).await?, today());
    let states = [("done", tally.on_time), ("done_late", tally.late), ("overdue", tally.overdue), ("open", tally.open)];
    let data = states.iter().map(|(s, n)| Datum::count(layout.t_of("stats.commitments.state.", s), *n)).collect();
    Ok(DeptCommitments { chart: chart::horizontal("chart-dept-commitments", data), tally })
}
