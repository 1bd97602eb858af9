//! The statements of the database wiring itself: a connection's role, and the readiness check.

use sqlx::PgExecutor;

/// A new connection of the requests' pool acts as `portal_app` (migrations/0015) from its first statement.
pub async fn act_as_app_role(db: impl PgExecutor<'_>) -> sqlx::Result<()> {
    sqlx::query!("set role portal_app").execute(db).await?;
    Ok(())
}

/// The database answers (the readiness check).
pub async fn ping(db: impl PgExecutor<'_>) -> sqlx::Result<()> {
    sqlx::query_scalar!("select 1 as ok").fetch_one(db).await?;
    Ok(())
}
