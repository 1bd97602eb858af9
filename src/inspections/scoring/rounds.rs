//! The inspector's rounds, and one round's buildings and floors with the rooms of the
//! floor being walked, in walking order.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Html,
};

use crate::{
    app::AppState,
    error::{AppError, AppResult},
    inspections::{
        paths::RoundPath,
        queries::results::{self, FloorRoom, MyRound, Round},
    },
    web::{render, CurrentUser, Layout, Path},
};

#[derive(Template)]
#[template(path = "inspections/scoring/rounds.html")]
struct RoundsPage {
    layout: Layout,
    rounds: Vec<MyRound>,
}

pub async fn list_rounds(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
) -> AppResult<Html<String>> {
    let rounds = results::list_my_rounds(&state.db, user.user_id).await?;
    Ok(Html(render(RoundsPage { layout, rounds })?))
}

/// `?building=&floor=`: the floor being walked; anything that does not parse shows none.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct FloorQuery {
    building: String,
    floor: String,
}

/// A floor of the round's buildings, with its scored count.
pub struct FloorRow {
    pub building_id: i64,
    pub building: String,
    pub floor: i32,
    pub scored: i64,
    pub total: i64,
    pub chosen: bool,
}

#[derive(Template)]
#[template(path = "inspections/scoring/round.html")]
struct RoundPage {
    layout: Layout,
    round: Round,
    floors: Vec<FloorRow>,
    /// The chosen floor's building name and floor, and its rooms in walking order.
    walking: Option<(String, i32)>,
    rooms: Vec<FloorRoom>,
}

pub async fn show_round(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    Path(RoundPath { round_id }): Path<RoundPath>,
    Query(q): Query<FloorQuery>,
) -> AppResult<Html<String>> {
    let mut conn = state.db.acquire().await?;
    let round = results::fetch_round(&mut *conn, round_id, user.user_id).await?.ok_or(AppError::NotFound)?;
    let chosen = q.building.parse::<i64>().ok().zip(q.floor.parse::<i32>().ok());
    let floors: Vec<FloorRow> = results::list_floors(&mut *conn, round_id, user.user_id)
        .await?
        .into_iter()
        .map(|f| FloorRow {
            chosen: chosen == Some((f.building_id, f.floor)),
            building_id: f.building_id,
            building: f.building,
            floor: f.floor,
            scored: f.scored,
            total: f.total,
        })
        .collect();
    let walking = floors.iter().find(|f| f.chosen).map(|f| (f.building.clone(), f.floor));
    let rooms = match chosen.filter(|_| walking.is_some()) {
        Some((building, floor)) => {
            results::list_floor_rooms(&mut *conn, round_id, user.user_id, building, floor).await?
        }
        None => vec![],
    };
    drop(conn);
    Ok(Html(render(RoundPage { layout, round, floors, walking, rooms })?))
}
