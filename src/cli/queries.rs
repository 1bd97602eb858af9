//! The commands' own statements (first start).

use sqlx::PgConnection;

/// Wait for a session-level advisory lock.
pub async fn lock(conn: &mut PgConnection, key: i64) -> sqlx::Result<()> {
    sqlx::query!("select pg_advisory_lock($1)", key).execute(conn).await?;
    Ok(())
}

pub async fn unlock(conn: &mut PgConnection, key: i64) -> sqlx::Result<()> {
    sqlx::query_scalar!("select pg_advisory_unlock($1)", key).fetch_one(conn).await?;
    Ok(())
}

pub async fn has_admin(db: impl sqlx::PgExecutor<'_>) -> sqlx::Result<bool> {
    sqlx::query_scalar!(r#"select exists(select 1 from union_role where role = 'admin') as "e!""#).fetch_one(db).await
}
