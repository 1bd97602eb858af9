//! `/inspections/averages`: each building's and each college's average in a period, as
//! charts with their tables — the board and the rankings link here rather than carry
//! 100 buildings' bars on the pages students open most.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Html,
};
use chrono::NaiveDate;

use super::{
    model::Period,
    public::RankingQuery,
    ranking_view::{self, GroupCharts},
};
use crate::{
    app::AppState,
    error::AppResult,
    web::{render, Layout},
};

#[derive(Template)]
#[template(path = "inspections/averages.html")]
struct AveragesPage {
    layout: Layout,
    period: Period,
    /// The period's first and last day, and its charts; none before anything is published.
    shown: Option<(NaiveDate, NaiveDate, GroupCharts)>,
}

pub async fn show_averages(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<RankingQuery>,
) -> AppResult<Html<String>> {
    let (period, starts_on) = ranking_view::period_of(&state, &q).await?;
    let mut db = state.db.acquire().await?;
    let shown = match starts_on {
        Some(from) => Some((from, period.days(from).1, ranking_view::group_charts(&mut db, period, from).await?)),
        None => None,
    };
    Ok(Html(render(AveragesPage { layout, period, shown })?))
}
