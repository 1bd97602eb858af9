//! A round's sheet: CSV and XLSX downloads and an A4 layout for the notice board, by
//! room number only (no names). Downloads are on the trail; a draft's print says so.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, Response},
};
use serde_json::json;

use super::{audit_step, grade_key, own_round};
use crate::{
    app::AppState,
    audit::Action,
    error::AppResult,
    inspections::{
        paths::RoundPath,
        queries::rounds::{self as q, ResultRow, Round},
    },
    web::{
        export::{self, download},
        render, DeptAccess, Lang, Layout, Path,
    },
};

fn headings(lang: Lang) -> Vec<String> {
    ["building", "room", "college", "outcome", "score", "grade", "deductions"]
        .iter()
        .map(|c| lang.t(&format!("inspections.setup.col.{c}")).into_owned())
        .collect()
}

fn cells(lang: Lang, r: &ResultRow) -> Vec<String> {
    vec![
        r.building.clone(),
        r.room_number.clone(),
        r.college.clone(),
        lang.t(&format!("inspections.setup.outcome.{}", r.outcome)).into_owned(),
        r.score.map(|s| s.to_string()).unwrap_or_default(),
        lang.t(&grade_key(&r.grade)).into_owned(),
        r.deductions.clone(),
    ]
}

/// The rows of a download, its audit entry written as it leaves.
async fn export_rows(
    state: &AppState,
    access: &DeptAccess,
    round: &Round,
    lang: Lang,
    format: &str,
) -> AppResult<Vec<Vec<String>>> {
    let rows = q::list_results(&state.db, round.round_id).await?;
    let after = json!({ "format": format, "rows": rows.len() });
    audit_step(&state.db, access, Action::InspectionExport, ("inspection_round", round.round_id), None, after).await?;
    Ok(rows.iter().map(|r| cells(lang, r)).collect())
}

pub async fn export_csv(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<RoundPath>,
) -> AppResult<Response> {
    let round = own_round(&state, &access, p.round_id).await?;
    let rows = export_rows(&state, &access, &round, layout.lang, "csv").await?;
    let body = export::csv(&headings(layout.lang), &rows)?;
    Ok(download("text/csv; charset=utf-8", format!("inspection-{}-{}.csv", round.held_on, round.round_id), body))
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<RoundPath>,
) -> AppResult<Response> {
    let round = own_round(&state, &access, p.round_id).await?;
    let rows = export_rows(&state, &access, &round, layout.lang, "xlsx").await?;
    let sheet = layout.lang.t("inspections.setup.export.sheet").into_owned();
    let body = export::xlsx(sheet, headings(layout.lang), rows).await?;
    Ok(download(export::XLSX, format!("inspection-{}-{}.xlsx", round.held_on, round.round_id), body))
}

#[derive(Template)]
#[template(path = "inspections/setup/print.html")]
struct PrintPage {
    layout: Layout,
    access: DeptAccess,
    round: Round,
    results: Vec<ResultRow>,
    /// Where a resident reads their room's result and appeals (`/me/room`): the sheet's QR code.
    room_url: String,
}

impl PrintPage {
    fn grade(&self, grade: &Option<String>) -> String {
        self.layout.t(&grade_key(grade)).into_owned()
    }
}

pub async fn print_round(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<RoundPath>,
) -> AppResult<Html<String>> {
    let round = own_round(&state, &access, p.round_id).await?;
    let results = q::list_results(&state.db, round.round_id).await?;
    let room_url = layout.url("/me/room");
    Ok(Html(render(PrintPage { layout, access, round, results, room_url })?))
}
