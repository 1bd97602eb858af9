//! The pool frozen at the close and the draw stored once: the rows the public draw page
//! and draw.json read.

use sqlx::{PgConnection, PgExecutor};

/// Freeze the pool: its file, hash and quotas, published from now on.
pub async fn update_frozen(
    tx: &mut PgConnection,
    event_id: i64,
    pool: &str,
    pool_hash: &str,
    quotas: &serde_json::Value,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update event set pool_frozen_at = now(), pool = $2, pool_hash = $3, quotas = $4
         where event_id = $1 and pool_frozen_at is null",
        event_id,
        pool,
        pool_hash,
        quotas
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// The frozen pool file and quotas.
pub async fn fetch_pool(
    db: impl PgExecutor<'_>,
    event_id: i64,
) -> sqlx::Result<Option<(String, String, serde_json::Value)>> {
    let row = sqlx::query!("select pool, pool_hash, quotas from event where event_id = $1", event_id)
        .fetch_optional(db)
        .await?;
    Ok(row.and_then(|r| Some((r.pool?, r.pool_hash?, r.quotas?))))
}

/// Store the draw; false if it was already run (it runs once).
pub async fn update_drawn(
    tx: &mut PgConnection,
    event_id: i64,
    public_value: Option<&str>,
    draw: &serde_json::Value,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update event set drawn_at = now(), draw = $3, public_value = $2, updated_at = now()
         where event_id = $1 and drawn_at is null and pool_frozen_at is not null",
        event_id,
        public_value,
        draw
    )
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The stored draw.json, once drawn.
pub async fn fetch_draw(db: impl PgExecutor<'_>, event_id: i64) -> sqlx::Result<Option<serde_json::Value>> {
    Ok(sqlx::query_scalar!("select draw from event where event_id = $1", event_id).fetch_optional(db).await?.flatten())
}

/// Draw events whose window has closed and whose pool is not frozen yet.
pub async fn list_freeze_due(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "select event_id from event
         where cancelled_at is null and pool_frozen_at is null and selection = 'draw' and applications_close_at <= now()"
    )
    .fetch_all(db)
    .await
}
