//! A department's rounds: creating them, their buildings and inspectors, progress and
//! results, publishing. Every round is read with its department in the SQL.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

/// A round in the department's list.
pub struct RoundRow {
    pub round_id: i64,
    pub kind: String,
    pub held_on: NaiveDate,
    pub version: i32,
    pub published_at: Option<DateTime<Utc>>,
    /// Rooms with a result.
    pub scored: i64,
    /// Rooms in use in its buildings.
    pub rooms: i64,
}

/// One round as its page needs it.
pub struct Round {
    pub round_id: i64,
    pub kind: String,
    pub held_on: NaiveDate,
    pub rubric_id: i64,
    pub version: i32,
    pub published_at: Option<DateTime<Utc>>,
}

/// A building's floor: rooms in use, and how many have a result.
pub struct Progress {
    pub building: String,
    pub floor: i32,
    pub rooms: i64,
    pub done: i64,
}

/// One room's result with its deductions summed up in words (no names).
pub struct ResultRow {
    pub room_id: i64,
    pub building: String,
    pub room_number: String,
    pub college: String,
    pub outcome: String,
    pub score: Option<i32>,
    pub grade: Option<String>,
    pub vetoed: bool,
    pub score_before_appeal: Option<i32>,
    pub deductions: String,
}

pub struct Inspector {
    pub user_id: i64,
    pub name: String,
    pub student_no: String,
}

/// A published round's average score, for the trend.
pub struct Average {
    pub held_on: NaiveDate,
    pub average: f64,
}

pub async fn list_rounds(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<Vec<RoundRow>> {
    sqlx::query_as!(
        RoundRow,
        r#"select o.round_id, o.kind, o.held_on, k.version, o.published_at,
                  (select count(*) from inspection_result x where x.round_id = o.round_id) as "scored!",
                  (select count(*) from inspection_round_building rb join dorm_room r on r.building_id = rb.building_id
                   where rb.round_id = o.round_id and r.retired_at is null) as "rooms!"
           from inspection_round o join inspection_rubric k on k.rubric_id = o.rubric_id
           where o.department_id = $1 order by o.held_on desc, o.round_id desc limit 100"#,
        department_id
    )
    .fetch_all(db)
    .await
}

pub async fn insert_round(
    db: impl PgExecutor<'_>,
    department_id: i64,
    kind: &str,
    held_on: NaiveDate,
    rubric_id: i64,
    created_by: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into inspection_round (department_id, kind, held_on, rubric_id, created_by)
         values ($1, $2, $3, $4, $5) returning round_id",
        department_id,
        kind,
        held_on,
        rubric_id,
        created_by
    )
    .fetch_one(db)
    .await
}

/// The round's buildings, of those that exist; how many.
pub async fn insert_round_buildings(db: impl PgExecutor<'_>, round_id: i64, building_ids: &[i64]) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "insert into inspection_round_building (round_id, building_id)
         select $1, building_id from dorm_building where building_id = any($2)",
        round_id,
        building_ids
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

pub async fn fetch_round_of_department(
    db: impl PgExecutor<'_>,
    round_id: i64,
    department_id: i64,
) -> sqlx::Result<Option<Round>> {
    sqlx::query_as!(
        Round,
        "select o.round_id, o.kind, o.held_on, o.rubric_id, k.version, o.published_at
         from inspection_round o join inspection_rubric k on k.rubric_id = o.rubric_id
         where o.round_id = $1 and o.department_id = $2",
        round_id,
        department_id
    )
    .fetch_optional(db)
    .await
}

pub async fn list_progress(db: impl PgExecutor<'_>, round_id: i64) -> sqlx::Result<Vec<Progress>> {
    sqlx::query_as!(
        Progress,
        r#"select b.name as building, r.floor, count(*) as "rooms!", count(x.result_id) as "done!"
           from inspection_round_building rb
           join dorm_building b on b.building_id = rb.building_id
           join dorm_room r on r.building_id = rb.building_id and r.retired_at is null
           left join inspection_result x on x.round_id = rb.round_id and x.room_id = r.room_id
           where rb.round_id = $1
           group by b.name, r.floor order by b.name, r.floor"#,
        round_id
    )
    .fetch_all(db)
    .await
}

pub async fn list_results(db: impl PgExecutor<'_>, round_id: i64) -> sqlx::Result<Vec<ResultRow>> {
    sqlx::query_as!(
        ResultRow,
        r#"select r.room_id, b.name as building, r.room_number, r.college, x.outcome, x.score, x.grade, x.vetoed,
                  x.score_before_appeal,
                  coalesce((select string_agg(i.name || ' -' || d.points || ' ' || d.reason, '；' order by i.position, d.deduction_id)
                            from inspection_deduction d join inspection_item i on i.item_id = d.item_id
                            where d.result_id = x.result_id), '') as "deductions!"
           from inspection_result x
           join dorm_room r on r.room_id = x.room_id
           join dorm_building b on b.building_id = r.building_id
           where x.round_id = $1
           order by b.name, r.floor, r.walk_order, r.room_number"#,
        round_id
    )
    .fetch_all(db)
    .await
}

pub async fn list_inspectors(db: impl PgExecutor<'_>, round_id: i64) -> sqlx::Result<Vec<Inspector>> {
    sqlx::query_as!(
        Inspector,
        r#"select u.user_id, u.name, u.student_no as "student_no!"
           from inspection_inspector i join app_user u on u.user_id = i.user_id
           where i.round_id = $1 order by u.name"#,
        round_id
    )
    .fetch_all(db)
    .await
}

/// A verified, active member this term of a department that inspects (any of them).
pub async fn find_eligible_inspector(db: impl PgExecutor<'_>, student_no: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "select u.user_id from app_user u
         where u.student_no = $1 and u.verified_by is not null and u.disabled_at is null
           and exists (select 1 from membership m join department d on d.department_id = m.department_id
                       where m.user_id = u.user_id and d.runs_inspections
                         and m.term_id = (select term_id from term where is_current))",
        student_no
    )
    .fetch_optional(db)
    .await
}

pub async fn insert_inspector(db: impl PgExecutor<'_>, round_id: i64, user_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "insert into inspection_inspector (round_id, user_id) values ($1, $2) on conflict do nothing",
        round_id,
        user_id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_inspector(db: impl PgExecutor<'_>, round_id: i64, user_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!("delete from inspection_inspector where round_id = $1 and user_id = $2", round_id, user_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Publishing happens once: the second press finds the round published and changes nothing.
pub async fn update_published(db: impl PgExecutor<'_>, round_id: i64, department_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update inspection_round set published_at = now()
         where round_id = $1 and department_id = $2 and published_at is null",
        round_id,
        department_id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The rooms with a result in this round.
pub async fn list_result_rooms(db: impl PgExecutor<'_>, round_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!("select room_id from inspection_result where round_id = $1", round_id).fetch_all(db).await
}

/// The average score of the department's last eight published rounds, oldest first.
pub async fn list_trend(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<Vec<Average>> {
    sqlx::query_as!(
        Average,
        r#"select held_on as "held_on!", average as "average!" from (
             select o.held_on, o.round_id, avg(x.score)::float8 as average
             from inspection_round o join inspection_result x on x.round_id = o.round_id and x.score is not null
             where o.department_id = $1 and o.published_at is not null
             group by o.round_id order by o.held_on desc, o.round_id desc limit 8
           ) t order by held_on, round_id"#,
        department_id
    )
    .fetch_all(db)
    .await
}
