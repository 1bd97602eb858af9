//! The leaders who receive students at a session, in their order.

use sqlx::PgExecutor;

#[derive(Debug, serde::Deserialize)]
pub struct Leader {
    pub name: String,
    pub title: String,
}

/// The leaders of many sessions in one query (the calendar lists 200 sessions):
/// `(session_id, leader)` in each session's order.
pub async fn list_leaders_of(db: impl PgExecutor<'_>, session_ids: &[i64]) -> sqlx::Result<Vec<(i64, Leader)>> {
    let rows = sqlx::query!(
        "select session_id, name, title from reception_leader where session_id = any($1) order by session_id, position",
        session_ids
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.session_id, Leader { name: r.name, title: r.title })).collect())
}

pub async fn list_leaders(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<Vec<Leader>> {
    sqlx::query_as!(
        Leader,
        "select name, title from reception_leader where session_id = $1 order by position",
        session_id
    )
    .fetch_all(db)
    .await
}

pub async fn delete_leaders(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<()> {
    sqlx::query!("delete from reception_leader where session_id = $1", session_id).execute(db).await?;
    Ok(())
}

pub async fn insert_leader(
    db: impl PgExecutor<'_>,
    session_id: i64,
    position: i16,
    name: &str,
    title: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into reception_leader (session_id, position, name, title) values ($1, $2, $3, $4)",
        session_id,
        position,
        name,
        title
    )
    .execute(db)
    .await?;
    Ok(())
}
