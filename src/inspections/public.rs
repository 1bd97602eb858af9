//! What everyone sees, by room number only (never a name): the latest week's 红黑榜, the
//! rankings per building and college for a week, a month and a term, the term's 文明寝室
//! with the photos its residents chose to share, and the ranking as a download and a
//! notice-board sheet. Everything here reads the standings publishing keeps
//! (`rankings::refresh`), so these pages only ever show published rounds.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, Response},
    routing::get,
    Router,
};
use chrono::NaiveDate;
use serde::Deserialize;

use super::{
    model::{Period, Term},
    paths::PhotoPath,
    published,
    queries::rankings::{self, GroupStanding, Standing, StandingFilter},
    ranking_view::{self, RankingView},
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    uploads,
    web::{export, render, Layout, Path},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inspections", get(show_board))
        .route("/inspections/rankings", get(show_rankings))
        .route("/inspections/averages", get(super::averages::show_averages))
        .route("/inspections/rankings/print", get(print_rankings))
        .route("/inspections/rankings.csv", get(export_csv))
        .route("/inspections/rankings.xlsx", get(export_xlsx))
        .route("/inspections/civilised", get(show_civilised))
        .route("/inspections/photos/{photo_id}", get(shared_photo))
}

/// How many rooms each of the 红榜 and the 黑榜 names.
const BOARD_ROOMS: i64 = 10;

#[derive(Template)]
#[template(path = "inspections/board.html")]
struct BoardPage {
    layout: Layout,
    /// The week of the latest published round, if there is one.
    week: Option<(NaiveDate, NaiveDate)>,
    best: Vec<Standing>,
    worst: Vec<Standing>,
    term: String,
}

/// `/inspections`: the latest week's best and worst rooms (each building's average is a
/// link away, on `/inspections/averages`). Its statements share one pool connection.
pub async fn show_board(State(state): State<AppState>, layout: Layout) -> AppResult<Html<String>> {
    let latest = published::latest_published_day(&state).await?;
    let mut db = state.db.acquire().await?;
    let (week, best, worst) = match latest {
        Some(day) => {
            let (from, to) = Period::Week.days(day);
            let filter = StandingFilter {
                period: "week",
                starts_on: from,
                building_id: None,
                college: None,
                limit: BOARD_ROOMS,
                offset: 0,
            };
            let best = rankings::find_standings(&mut *db, &filter).await?;
            let worst = rankings::worst_standings(&mut *db, "week", from, BOARD_ROOMS).await?;
            (Some((from, to)), best, worst)
        }
        None => (None, vec![], vec![]),
    };
    let term = Term::of(latest.unwrap_or_else(|| chrono::Utc::now().date_naive())).key();
    Ok(Html(render(BoardPage { layout, week, best, worst, term })?))
}

/// A ranking's address: the period, a day in it, and an optional building or college.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RankingQuery {
    pub period: String,
    pub day: String,
    pub building: String,
    pub college: String,
    pub page: String,
}

#[derive(Template)]
#[template(path = "inspections/rankings.html")]
struct RankingsPage {
    layout: Layout,
    v: RankingView,
}

/// `/inspections/rankings`: one period's rooms, best first, with the buildings' and
/// colleges' averages as charts with their tables.
pub async fn show_rankings(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<RankingQuery>,
) -> AppResult<Html<String>> {
    let v = ranking_view::load(&state, &q, ranking_view::PAGE_ROOMS).await?;
    Ok(Html(render(RankingsPage { layout, v })?))
}

#[derive(Template)]
#[template(path = "inspections/rankings_print.html")]
struct PrintPage {
    layout: Layout,
    v: RankingView,
    worst: Vec<Standing>,
    /// The same period's rankings on the portal: the sheet's QR code.
    page_url: String,
}

/// The notice-board sheet: the period's best rooms, its worst, and the buildings' averages.
pub async fn print_rankings(
    State(state): State<AppState>,
    layout: Layout,
    Query(mut q): Query<RankingQuery>,
) -> AppResult<Html<String>> {
    q.page.clear();
    let v = ranking_view::load(&state, &q, ranking_view::PRINT_ROOMS).await?;
    let worst = match v.starts_on {
        Some(from) => rankings::worst_standings(&state.db, v.period.key(), from, ranking_view::PRINT_ROOMS).await?,
        None => vec![],
    };
    let mut path = format!("/inspections/rankings?period={}", v.period.key());
    if !v.day.is_empty() {
        path.push_str(&format!("&day={}", v.day));
    }
    let page_url = layout.url(&path);
    Ok(Html(render(PrintPage { layout, v, worst, page_url })?))
}

/// Every room of the period's ranking: building, room, college, average, rounds — no names.
async fn ranking_rows(state: &AppState, q: &RankingQuery) -> AppResult<(String, Vec<String>, Vec<Vec<String>>)> {
    let (period, from) = ranking_view::period_of(state, q).await?;
    let mut db = state.db.acquire().await?;
    let rooms = match from {
        Some(from) => {
            let filter = StandingFilter {
                period: period.key(),
                starts_on: from,
                building_id: None,
                college: None,
                limit: i64::MAX,
                offset: 0,
            };
            rankings::find_standings(&mut *db, &filter).await?
        }
        None => vec![],
    };
    let zh = crate::web::Lang::Zh;
    let headings = ["rank", "building", "room", "college", "average", "rounds", "excellent", "fails"]
        .iter()
        .map(|k| zh.t(&format!("inspections.col.{k}")).into_owned())
        .collect();
    let rows = rooms
        .iter()
        .enumerate()
        .map(|(i, s)| {
            vec![
                (i + 1).to_string(),
                s.building.clone(),
                s.room_number.clone(),
                s.college.clone(),
                format!("{:.1}", s.average),
                s.rounds.to_string(),
                s.excellent.to_string(),
                s.fails.to_string(),
            ]
        })
        .collect();
    let name = format!("inspection-ranking-{}-{}", period.key(), from.map(|d| d.to_string()).unwrap_or_default());
    Ok((name, headings, rows))
}

pub async fn export_csv(State(state): State<AppState>, Query(q): Query<RankingQuery>) -> AppResult<Response> {
    let (name, headings, rows) = ranking_rows(&state, &q).await?;
    let body = export::csv(&headings, &rows)?;
    Ok(export::download("text/csv; charset=utf-8", format!("{name}.csv"), body))
}

pub async fn export_xlsx(State(state): State<AppState>, Query(q): Query<RankingQuery>) -> AppResult<Response> {
    let (name, headings, rows) = ranking_rows(&state, &q).await?;
    let body = export::xlsx(crate::web::Lang::Zh.t("inspections.rankings.title").into_owned(), headings, rows).await?;
    let kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    Ok(export::download(kind, format!("{name}.xlsx"), body))
}

/// A 文明寝室 with the photos its residents shared.
pub struct CivilisedRoom {
    pub room: Standing,
    pub photo_ids: Vec<i64>,
}

#[derive(Template)]
#[template(path = "inspections/civilised.html")]
struct CivilisedPage {
    layout: Layout,
    term: String,
    terms: Vec<String>,
    rooms: Vec<CivilisedRoom>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TermQuery {
    term: String,
}

/// `/inspections/civilised`: the term's 文明寝室 (the rule in `model::civilised`).
pub async fn show_civilised(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<TermQuery>,
) -> AppResult<Html<String>> {
    let latest = published::latest_published_day(&state).await?.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let term = Term::from_key(&q.term).unwrap_or_else(|| Term::of(latest));
    let rooms = rankings::civilised_rooms(&state.db, term.days().0).await?;
    let room_ids: Vec<i64> = rooms.iter().map(|r| r.room_id).collect();
    let photos = rankings::shared_photos(&state.db, &term.key(), &room_ids).await?;
    let rooms = rooms
        .into_iter()
        .map(|room| {
            let photo_ids = photos.iter().filter(|p| p.room_id == room.room_id).map(|p| p.photo_id).collect();
            CivilisedRoom { room, photo_ids }
        })
        .collect();
    let terms = ranking_view::recent_terms(latest);
    Ok(Html(render(CivilisedPage { layout, term: term.key(), terms, rooms })?))
}

/// A photo its residents shared for the 寝室文化节: public, and cacheable by anyone.
pub async fn shared_photo(
    State(state): State<AppState>,
    Path(PhotoPath { photo_id }): Path<PhotoPath>,
    Query(size): Query<uploads::SizeQuery>,
) -> AppResult<Response> {
    let (full, thumb) = rankings::shared_photo_names(&state.db, photo_id).await?.ok_or(AppError::NotFound)?;
    let name = if size.thumb() { thumb } else { full };
    uploads::photo_response(&state.config.storage, &name, true).await
}

/// The charts' data: kept here so the board and the rankings draw buildings alike.
pub fn group_data(groups: &[GroupStanding]) -> Vec<crate::stats::chart::Datum> {
    groups
        .iter()
        .map(|g| crate::stats::chart::Datum {
            label: g.name.clone(),
            value: g.average,
            shown: format!("{:.1}", g.average),
            capacity: None,
        })
        .collect()
}
