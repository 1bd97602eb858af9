//! The demo's umbrella lending (爱心伞, 权益服务部): six stations in 西区 and 北区, 120
//! umbrellas, a term of loans, today's open loans with some overdue and lost. The demo
//! student (张同学) holds none, so the browser journey may borrow.

use super::queries::lending as q;
use crate::{
    app::AppState,
    departments::queries::{fetch_department_id, fetch_user_id},
};

/// How many umbrellas were added (none when the stations are there already).
pub async fn seed_lending(state: &AppState) -> anyhow::Result<i64> {
    if q::any_lending_station(&state.db).await? {
        return Ok(0);
    }
    let rights =
        fetch_department_id(&state.db, "rights").await?.ok_or_else(|| anyhow::anyhow!("no rights department"))?;
    let spared = fetch_user_id(&state.db, "2025990001").await?.ok_or_else(|| anyhow::anyhow!("no demo student"))?;
    let mut tx = state.db.begin().await?;
    let umbrellas = q::insert_stations_and_umbrellas(&mut *tx, rights).await?;
    q::insert_past_loans(&mut *tx, rights, spared).await?;
    q::insert_open_loans(&mut *tx, rights, spared).await?;
    tx.commit().await?;
    Ok(umbrellas)
}
