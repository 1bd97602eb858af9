//! The `fixed` rule's places per college, as the organisers set them.

use sqlx::{PgConnection, PgExecutor};

/// The `fixed` rule's quotas as the organisers set them.
pub async fn list_fixed_quotas(db: impl PgExecutor<'_>, event_id: i64) -> sqlx::Result<Vec<(String, i32)>> {
    let rows = sqlx::query!("select college, places from event_quota where event_id = $1 order by college", event_id)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.college, r.places)).collect())
}

/// Replaced as a whole with each save, while the window is open.
pub async fn replace_fixed_quotas(tx: &mut PgConnection, event_id: i64, quotas: &[(String, i32)]) -> sqlx::Result<()> {
    sqlx::query!("delete from event_quota where event_id = $1", event_id).execute(&mut *tx).await?;
    let (colleges, places): (Vec<String>, Vec<i32>) = quotas.iter().cloned().unzip();
    sqlx::query!(
        "insert into event_quota (event_id, college, places) select $1, * from unnest($2::text[], $3::int[])",
        event_id,
        &colleges,
        &places
    )
    .execute(tx)
    .await?;
    Ok(())
}
