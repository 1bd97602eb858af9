//! Saving a rubric version: never an update, always the next version.

use sqlx::PgExecutor;

/// Two editors saving at once would both read version N: the second waits for the
/// first's commit, then numbers its own N+2 (the lock is held to the transaction's end).
pub async fn lock_versions(db: impl PgExecutor<'_>) -> sqlx::Result<()> {
    sqlx::query!("select pg_advisory_xact_lock(hashtext('inspection_rubric'))").execute(db).await?;
    Ok(())
}

/// The next version's head; its id and number.
pub async fn insert_next_rubric(
    db: impl PgExecutor<'_>,
    excellent_min: i32,
    good_min: i32,
    pass_min: i32,
    created_by: i64,
) -> sqlx::Result<(i64, i32)> {
    let row = sqlx::query!(
        r#"insert into inspection_rubric (version, excellent_min, good_min, pass_min, created_by)
           select coalesce(max(version), 0) + 1, $1, $2, $3, $4 from inspection_rubric
           returning rubric_id, version"#,
        excellent_min,
        good_min,
        pass_min,
        created_by
    )
    .fetch_one(db)
    .await?;
    Ok((row.rubric_id, row.version))
}

pub async fn insert_item(
    db: impl PgExecutor<'_>,
    rubric_id: i64,
    position: i32,
    name: &str,
    max_points: i32,
    veto: bool,
    reasons: &[String],
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into inspection_item (rubric_id, position, name, max_points, veto, reasons) values ($1, $2, $3, $4, $5, $6)",
        rubric_id,
        position,
        name,
        max_points,
        veto,
        reasons
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A rubric version's full marks: the sum of its items' maxima.
pub async fn full_marks(db: impl PgExecutor<'_>, rubric_id: i64) -> sqlx::Result<i32> {
    sqlx::query_scalar!(
        r#"select coalesce(sum(max_points), 0)::int as "full!" from inspection_item where rubric_id = $1"#,
        rubric_id
    )
    .fetch_one(db)
    .await
}
