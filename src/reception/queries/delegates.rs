//! College seats (quotas) and the delegates filling them.

use sqlx::PgExecutor;

#[derive(Debug, serde::Deserialize)]
pub struct Quota {
    pub college: String,
    pub seats: i32,
    pub filled: i64,
}

pub async fn list_quotas(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<Vec<Quota>> {
    sqlx::query_as!(
        Quota,
        r#"select q.college, q.seats,
                  (select count(*) from reception_delegate d where d.session_id = q.session_id and d.college = q.college) as "filled!"
           from reception_quota q where q.session_id = $1 order by q.college"#,
        session_id
    )
    .fetch_all(db)
    .await
}

pub struct Delegate {
    pub delegate_id: i64,
    pub college: String,
    pub student_no: String,
    pub name: String,
}

pub async fn list_delegates(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<Vec<Delegate>> {
    sqlx::query_as!(
        Delegate,
        "select delegate_id, college, student_no, name from reception_delegate where session_id = $1 order by college, delegate_id",
        session_id
    )
    .fetch_all(db)
    .await
}

/// Quotas with delegates already entered stay (their seats may change); others not in `keep` go.
pub async fn delete_unused_quotas(db: impl PgExecutor<'_>, session_id: i64, keep: &[String]) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from reception_quota q where session_id = $1 and not (college = any($2))
         and not exists (select 1 from reception_delegate d where d.session_id = q.session_id and d.college = q.college)",
        session_id,
        keep
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn upsert_quota(db: impl PgExecutor<'_>, session_id: i64, college: &str, seats: i32) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into reception_quota (session_id, college, seats) values ($1, $2, $3)
         on conflict (session_id, college) do update set seats = excluded.seats",
        session_id,
        college,
        seats
    )
    .execute(db)
    .await?;
    Ok(())
}

/// One college's seats and how many are filled; None when the session has no quota for it.
pub async fn fetch_quota(db: impl PgExecutor<'_>, session_id: i64, college: &str) -> sqlx::Result<Option<Quota>> {
    sqlx::query_as!(
        Quota,
        r#"select q.college, q.seats,
                  (select count(*) from reception_delegate d where d.session_id = q.session_id and d.college = q.college) as "filled!"
           from reception_quota q where q.session_id = $1 and q.college = $2"#,
        session_id,
        college
    )
    .fetch_optional(db)
    .await
}

pub struct NewDelegate<'a> {
    pub college: &'a str,
    pub student_no: &'a str,
    pub name: &'a str,
    pub user_id: Option<i64>,
}

/// False when the student is already a delegate of the session.
pub async fn insert_delegate(db: impl PgExecutor<'_>, session_id: i64, d: &NewDelegate<'_>) -> sqlx::Result<bool> {
    let inserted = sqlx::query!(
        "insert into reception_delegate (session_id, college, student_no, name, user_id) values ($1, $2, $3, $4, $5)
         on conflict (session_id, student_no) do nothing",
        session_id,
        d.college,
        d.student_no,
        d.name,
        d.user_id
    )
    .execute(db)
    .await?;
    Ok(inserted.rows_affected() > 0)
}

/// The delegate removed, if they were this session's.
pub async fn delete_delegate(
    db: impl PgExecutor<'_>,
    session_id: i64,
    delegate_id: i64,
) -> sqlx::Result<Option<Delegate>> {
    sqlx::query_as!(
        Delegate,
        "delete from reception_delegate where delegate_id = $1 and session_id = $2
         returning delegate_id, college, student_no, name",
        delegate_id,
        session_id
    )
    .fetch_optional(db)
    .await
}
