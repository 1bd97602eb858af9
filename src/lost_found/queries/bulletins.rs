//! Bulletins: the numbered notices of found items, published one department at a time.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};

pub struct Bulletin {
    pub bulletin_id: i64,
    pub number: i32,
    pub published_at: DateTime<Utc>,
    pub item_count: i32,
    pub dept_zh: String,
    pub dept_en: String,
}

pub async fn list_recent_bulletins(db: impl PgExecutor<'_>, limit: i64) -> sqlx::Result<Vec<Bulletin>> {
    sqlx::query_as!(
        Bulletin,
        "select b.bulletin_id, b.number, b.published_at, b.item_count, d.name_zh as dept_zh, d.name_en as dept_en
         from bulletin b join department d using (department_id) order by b.number desc limit $1",
        limit
    )
    .fetch_all(db)
    .await
}

pub async fn fetch_bulletin(db: impl PgExecutor<'_>, number: i32) -> sqlx::Result<Option<Bulletin>> {
    sqlx::query_as!(
        Bulletin,
        "select b.bulletin_id, b.number, b.published_at, b.item_count, d.name_zh as dept_zh, d.name_en as dept_en
         from bulletin b join department d using (department_id) where b.number = $1",
        number
    )
    .fetch_optional(db)
    .await
}

/// Publications take turns: one transaction at a time holds `key` until it ends.
pub async fn lock_publication(tx: &mut PgConnection, key: i64) -> sqlx::Result<()> {
    sqlx::query!("select pg_advisory_xact_lock($1)", key).execute(tx).await?;
    Ok(())
}

/// The next bulletin's number: one more than the last, or the configured first.
pub async fn next_bulletin_number(db: impl PgExecutor<'_>, first_number: i32) -> sqlx::Result<i32> {
    sqlx::query_scalar!(r#"select coalesce(max(number) + 1, $1) as "n!" from bulletin"#, first_number)
        .fetch_one(db)
        .await
}

pub async fn insert_bulletin(
    tx: &mut PgConnection,
    number: i32,
    department_id: i64,
    officer_id: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into bulletin (number, department_id, published_by, item_count) values ($1, $2, $3, 0)
         returning bulletin_id",
        number,
        department_id,
        officer_id
    )
    .fetch_one(tx)
    .await
}

/// The department's held items not yet announced go on the bulletin; how many.
/// What already left the point is not announced on the notice boards.
pub async fn announce_held_items(tx: &mut PgConnection, bulletin_id: i64, department_id: i64) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "update found_item set bulletin_id = $1 where department_id = $2 and bulletin_id is null and status = 'held'",
        bulletin_id,
        department_id
    )
    .execute(tx)
    .await?;
    Ok(done.rows_affected())
}

pub async fn set_item_count(tx: &mut PgConnection, bulletin_id: i64, items: i32) -> sqlx::Result<()> {
    sqlx::query!("update bulletin set item_count = $2 where bulletin_id = $1", bulletin_id, items).execute(tx).await?;
    Ok(())
}

/// Held items of the department that no bulletin has announced yet.
pub async fn count_unpublished(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from found_item where department_id = $1 and bulletin_id is null and status = 'held'"#,
        department_id
    )
    .fetch_one(db)
    .await
}

/// The latest bulletin's number, if any, kept like the points (forgotten in every process
/// when a bulletin is published: migrations/0057).
pub async fn latest_bulletin(state: &crate::app::AppState) -> sqlx::Result<std::sync::Arc<Option<i32>>> {
    state.cached.latest_bulletin.get_or_load((), || latest_bulletin_number(&state.db)).await
}

/// The latest bulletin's number, if any.
pub async fn latest_bulletin_number(db: impl PgExecutor<'_>) -> sqlx::Result<Option<i32>> {
    sqlx::query_scalar!("select max(number) from bulletin").fetch_one(db).await
}
