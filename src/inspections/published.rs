//! What every public ranking page reads besides its rooms, kept in memory: the buildings
//! (the filter's choices), the day of the latest published round, and a period's colleges.
//! They change only when buildings are imported, a round is published or an appeal re-ranks,
//! so each process keeps them (`app::Cached`) until a trigger's NOTIFY says they changed
//! (migration 0055, `app::reference_changes`), and the handler that changed them clears its
//! own process's copy at once. A ranking page is then one statement, not four: each one
//! cost PostgreSQL a round trip (scripts/bench, issue 22).

use std::sync::Arc;

use chrono::NaiveDate;

use super::{
    model::Period,
    queries::rankings::{self, BuildingName},
};
use crate::{app::AppState, error::AppResult};

pub async fn latest_published_day(state: &AppState) -> AppResult<Option<NaiveDate>> {
    let day = state.cached.inspections_latest.get_or_load((), || rankings::latest_published_day(&state.db)).await?;
    Ok(*day)
}

pub async fn buildings(state: &AppState) -> AppResult<Arc<Vec<BuildingName>>> {
    Ok(state.cached.dorm_buildings.get_or_load((), || rankings::building_names(&state.db)).await?)
}

/// The colleges with rooms in a period's ranking, for its filter. Kept only for the periods of
/// the latest published round, which nearly every visitor asks for: any other day is read afresh,
/// so a visitor walking through days (`?day=` takes any date) cannot grow what is kept.
pub async fn colleges(state: &AppState, period: Period, starts_on: NaiveDate) -> AppResult<Arc<Vec<String>>> {
    let load = || rankings::college_names(&state.db, period.key(), starts_on);
    let latest = latest_published_day(state).await?;
    if latest.map(|day| period.days(day).0) != Some(starts_on) {
        return Ok(Arc::new(load().await?));
    }
    Ok(state.cached.ranking_colleges.get_or_load((period.key(), starts_on), load).await?)
}
