//! `/api/v1/inspections/rankings`: what `/inspections/rankings` shows, loaded by the page's
//! own `ranking_view::load` — one period's rooms best first, by building and room number
//! and the room's college; residents are never named. Unlike the page, which falls back to
//! its default on a period or day it cannot read, the API refuses them (400).

use axum::{
    extract::{Query, State},
    response::Response,
    Json,
};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::http::{next_url, with_link, ApiError, ApiResult, ErrorBody, Origin, Paging};
use crate::{
    app::AppState,
    inspections::{model::Period, public::RankingQuery, ranking_view},
    web::forms::{filter_day, lookup_key},
};

#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct RankingParams {
    /// week, month or term (the term when not given).
    period: String,
    /// A day in the period (YYYY-MM-DD); the latest published round's day when not given.
    day: String,
    /// A building's id (as in `buildings`).
    building: String,
    /// A college's name (as in `colleges`).
    college: String,
    cursor: String,
    per_page: String,
}

/// A room's place in the ranking.
#[derive(Serialize, ToSchema)]
pub struct RankedRoom {
    pub rank: i64,
    pub building: String,
    pub room_number: String,
    pub college: String,
    /// The room's average score over the period's published rounds.
    pub average: f64,
    pub rounds: i32,
    pub excellent: i32,
    pub fails: i32,
}

/// A building one may filter by.
#[derive(Serialize, ToSchema)]
pub struct RankingBuilding {
    pub building_id: i64,
    pub name: String,
}

/// One period's ranking, a page of rooms at a time.
#[derive(Serialize, ToSchema)]
pub struct Ranking {
    /// week, month or term.
    pub period: String,
    /// The period's first and last day; null before any round is published.
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub building_id: Option<i64>,
    pub college: Option<String>,
    pub rooms: Vec<RankedRoom>,
    pub buildings: Vec<RankingBuilding>,
    pub colleges: Vec<String>,
    pub per_page: i64,
    pub next: Option<String>,
}

/// The query the page reads, from parameters checked first.
fn page_query(p: &RankingParams, page: i64) -> ApiResult<RankingQuery> {
    if !p.period.is_empty() && Period::from_key(&p.period).is_none() {
        return Err(ApiError::BadParam { field: "period", key: "api.error.period" });
    }
    if !p.day.is_empty() && filter_day(&p.day).is_none() {
        return Err(ApiError::BadParam { field: "day", key: "api.error.date" });
    }
    if !p.building.is_empty() && p.building.parse::<i64>().is_err() {
        return Err(ApiError::BadParam { field: "building", key: "api.error.building" });
    }
    Ok(RankingQuery {
        period: p.period.clone(),
        day: p.day.trim().to_string(),
        building: p.building.clone(),
        college: lookup_key(&p.college).to_string(),
        page: page.to_string(),
    })
}

/// The page's rooms with their places in the ranking.
fn ranked(v: &ranking_view::RankingView) -> Vec<RankedRoom> {
    let rooms = v.rooms.iter().enumerate();
    rooms
        .map(|(i, r)| RankedRoom {
            rank: v.place(&i),
            building: r.building.clone(),
            room_number: r.room_number.clone(),
            college: r.college.clone(),
            average: r.average,
            rounds: r.rounds,
            excellent: r.excellent,
            fails: r.fails,
        })
        .collect()
}

/// A period's rooms, best first; the cursor is the next page's number.
#[utoipa::path(get, path = "/api/v1/inspections/rankings", tag = "inspections", params(RankingParams),
    responses((status = 200, body = Ranking), (status = 400, body = ErrorBody)))]
pub async fn show_rankings(
    State(state): State<AppState>,
    Origin(origin): Origin,
    Query(p): Query<RankingParams>,
) -> ApiResult<Response> {
    let paging = Paging { cursor: p.cursor.clone(), per_page: p.per_page.clone() };
    let per_page = paging.per_page()?;
    let page = paging.cursor(|c| c.parse::<i64>().ok().filter(|n| (2..=10_000).contains(n)))?.unwrap_or(1);
    let v = ranking_view::load(&state, &page_query(&p, page)?, per_page).await?;
    let query = [
        ("period", p.period.as_str()),
        ("day", &p.day),
        ("building", &p.building),
        ("college", &p.college),
        ("per_page", &p.per_page),
    ];
    let next = next_url(&origin, "/api/v1/inspections/rankings", &query, v.more.then(|| (page + 1).to_string()));
    let ranking = Ranking {
        period: v.period.key().to_string(),
        starts_on: v.starts_on,
        ends_on: v.ends_on,
        building_id: v.building_id,
        college: v.college.clone(),
        rooms: ranked(&v),
        buildings: v
            .buildings
            .iter()
            .map(|b| RankingBuilding { building_id: b.building_id, name: b.name.clone() })
            .collect(),
        colleges: v.colleges.to_vec(),
        per_page,
        next: next.clone(),
    };
    Ok(with_link(Json(ranking), next.as_deref()))
}
