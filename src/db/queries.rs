//! The statements of the database wiring itself: a connection's role, the readiness check, and
//! whether a database holds anything (before a restore writes into it).

use sqlx::PgExecutor;

/// A new connection of the requests' pool acts as `portal_app` (migrations/0015) from its
/// first statement, with the settings `db::app_pool` explains; one round trip.
pub async fn act_as_app_role(conn: &mut sqlx::PgConnection) -> sqlx::Result<()> {
    // Without arguments sqlx sends the text as a simple query: three statements, one round trip.
    sqlx::Executor::execute(conn, "set role portal_app; set plan_cache_mode = force_generic_plan; set jit = off")
        .await?;
    Ok(())
}

/// The database answers (the readiness check).
pub async fn ping(db: impl PgExecutor<'_>) -> sqlx::Result<()> {
    sqlx::query_scalar!("select 1 as ok").fetch_one(db).await?;
    Ok(())
}

/// Tables, views, sequences and the like outside PostgreSQL's own schemas: a restore writes only
/// into a database where this is 0.
pub async fn count_user_relations(db: impl PgExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from pg_catalog.pg_class c
           join pg_catalog.pg_namespace n on n.oid = c.relnamespace
           where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
             and n.nspname <> 'information_schema' and n.nspname not like 'pg\_%'"#
    )
    .fetch_one(db)
    .await
}
