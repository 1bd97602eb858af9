//! Each point's register (登记册) for a date range, as the paper registers kept
//! it: a printable page, CSV and Excel. Exports leave the building, so student
//! numbers are masked and no name of a card's owner or claimant is in them.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, Response},
};
use chrono::{DateTime, NaiveDate, Utc};

use super::{
    model::{mask_number, PublicMask},
    queries::{self, Point},
};
use crate::{
    app::AppState,
    error::AppResult,
    web::{
        export::{self, download},
        forms::{filter_day, today},
        render, DeptAccess, Lang, Layout,
    },
};

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct RegisterQuery {
    point: String,
    from: String,
    to: String,
}

/// One line of the register, ready to print or export.
pub struct Line {
    pub item_id: i64,
    pub registered_at: DateTime<Utc>,
    pub point_zh: String,
    pub category: String,
    pub description: String,
    pub colour: String,
    pub found_place: String,
    pub found_on: NaiveDate,
    pub card_no: String,
    pub status: String,
    pub closed_at: Option<DateTime<Utc>>,
    pub claimant_no: String,
    pub registered_by: String,
    pub closed_by: String,
    pub bulletin: Option<i32>,
}

struct Range {
    point_id: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
}

impl RegisterQuery {
    /// The last 30 days of every point unless the query says otherwise.
    fn range(&self) -> Range {
        let to = filter_day(&self.to).unwrap_or_else(today);
        let from = filter_day(&self.from).filter(|f| *f <= to).unwrap_or(to - chrono::Duration::days(30));
        Range { point_id: self.point.parse().ok(), from, to }
    }
}

async fn lines(state: &AppState, department_id: i64, r: &Range) -> sqlx::Result<Vec<Line>> {
    let rows = queries::list_register_rows(&state.db, department_id, r.point_id, (r.from, r.to)).await?;
    Ok(rows
        .into_iter()
        .map(|i| {
            let mask = PublicMask::new(&[
                i.card_name.as_str(),
                i.owner_name.as_deref().unwrap_or(""),
                i.claimant_name.as_deref().unwrap_or(""),
            ]);
            Line {
                item_id: i.item_id,
                registered_at: i.registered_at,
                point_zh: i.point_zh,
                category: i.category,
                description: mask.apply(&i.description),
                colour: mask.apply(&i.colour),
                found_place: mask.apply(&i.found_place),
                found_on: i.found_on,
                card_no: i.card_student_no.as_deref().map(mask_number).unwrap_or_default(),
                status: i.status,
                closed_at: i.closed_at,
                claimant_no: i.claimant_student_no.as_deref().map(mask_number).unwrap_or_default(),
                registered_by: i.registered_by.unwrap_or_default(),
                closed_by: i.closed_by.unwrap_or_default(),
                bulletin: i.bulletin,
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "lost_found/register.html")]
struct RegisterPage {
    layout: Layout,
    access: DeptAccess,
    points: Vec<Point>,
    /// Index into `points` of the point asked for; none means every point.
    selected: Option<usize>,
    from: NaiveDate,
    to: NaiveDate,
    q: RegisterQuery,
    lines: Vec<Line>,
    /// This register (its point and dates) on the portal: the printed copy's QR code.
    page_url: String,
}

pub async fn show_register(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Query(q): Query<RegisterQuery>,
) -> AppResult<Html<String>> {
    let range = q.range();
    let points = queries::list_points(&state.db, Some(access.dept.department_id)).await?;
    let lines = lines(&state, access.dept.department_id, &range).await?;
    let selected = range.point_id.and_then(|id| points.iter().position(|p| p.point_id == id));
    let (from, to) = (range.from, range.to);
    let mut path = format!("/d/{}/lost-found/register?from={from}&to={to}", access.dept.slug);
    if let Some(point) = range.point_id {
        path.push_str(&format!("&point={point}"));
    }
    let page_url = layout.url(&path);
    Ok(Html(render(RegisterPage { layout, access, points, selected, from, to, q, lines, page_url })?))
}

/// The register's columns, in the union's language (the paper register's headings).
fn headings(lang: Lang) -> Vec<String> {
    [
        "lost.register.no",
        "lost.register.registered_at",
        "lost.field.point",
        "lost.field.category",
        "lost.field.description",
        "lost.field.colour",
        "lost.field.found_place",
        "lost.field.found_on",
        "lost.field.card_student_no",
        "lost.status",
        "lost.register.closed_at",
        "lost.register.claimant_no",
        "lost.register.registered_by",
        "lost.register.closed_by",
        "lost.register.bulletin",
    ]
    .iter()
    .map(|k| lang.t(k).into_owned())
    .collect()
}

fn local(at: &DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d %H:%M").to_string()
}

fn cells(lang: Lang, l: &Line) -> Vec<String> {
    vec![
        l.item_id.to_string(),
        local(&l.registered_at),
        l.point_zh.clone(),
        lang.t(&format!("lost.category.{}", l.category)).into_owned(),
        l.description.clone(),
        l.colour.clone(),
        l.found_place.clone(),
        l.found_on.to_string(),
        l.card_no.clone(),
        lang.t(&format!("lost.item_status.{}", l.status)).into_owned(),
        l.closed_at.as_ref().map(local).unwrap_or_default(),
        l.claimant_no.clone(),
        l.registered_by.clone(),
        l.closed_by.clone(),
        l.bulletin.map(|b| b.to_string()).unwrap_or_default(),
    ]
}

fn file_name(range: &Range, ext: &str) -> String {
    format!("register-{}-{}.{ext}", range.from, range.to)
}

pub async fn register_csv(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Query(q): Query<RegisterQuery>,
) -> AppResult<Response> {
    let range = q.range();
    let lines = lines(&state, access.dept.department_id, &range).await?;
    let rows: Vec<Vec<String>> = lines.iter().map(|l| cells(layout.lang, l)).collect();
    let body = export::csv(&headings(layout.lang), &rows)?;
    Ok(download("text/csv; charset=utf-8", file_name(&range, "csv"), body))
}

pub async fn register_xlsx(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Query(q): Query<RegisterQuery>,
) -> AppResult<Response> {
    let range = q.range();
    let lines = lines(&state, access.dept.department_id, &range).await?;
    let lang = layout.lang;
    let rows: Vec<Vec<String>> = lines.iter().map(|l| cells(lang, l)).collect();
    let body = export::xlsx(lang.t("lost.register.title").into_owned(), headings(lang), rows).await?;
    Ok(download(export::XLSX, file_name(&range, "xlsx"), body))
}
