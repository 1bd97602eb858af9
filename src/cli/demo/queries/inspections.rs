//! The demo's inspection statements: rooms, residents, a rubric and published rounds
//! written straight in, as a term of paper sheets typed up would be.

use chrono::NaiveDate;
use sqlx::{PgConnection, PgExecutor};

pub async fn any_dorm_building(db: impl PgExecutor<'_>) -> sqlx::Result<bool> {
    sqlx::query_scalar!(r#"select exists (select 1 from dorm_building) as "any!""#).fetch_one(db).await
}

pub async fn insert_building(tx: &mut PgConnection, name: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar!("insert into dorm_building (name) values ($1) returning building_id", name).fetch_one(tx).await
}

/// A demo room: number, floor, walking order, college and gender.
pub struct NewRoom {
    pub number: String,
    pub floor: i32,
    pub walk_order: i32,
    pub college: &'static str,
    pub gender: &'static str,
}

pub async fn insert_room(tx: &mut PgConnection, building_id: i64, r: &NewRoom) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into dorm_room (building_id, room_number, floor, walk_order, capacity, college, gender)
         values ($1, $2, $3, $4, 4, $5, $6) returning room_id",
        building_id,
        r.number,
        r.floor,
        r.walk_order,
        r.college,
        r.gender
    )
    .fetch_one(tx)
    .await
}

pub async fn insert_resident(tx: &mut PgConnection, student_no: &str, room_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into dorm_resident (student_no, room_id) values ($1, $2) on conflict (student_no) do nothing",
        student_no,
        room_id
    )
    .execute(tx)
    .await?;
    Ok(())
}

pub async fn insert_rubric(tx: &mut PgConnection, created_by: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into inspection_rubric (version, excellent_min, good_min, pass_min, created_by)
         values (1, 90, 80, 60, $1) returning rubric_id",
        created_by
    )
    .fetch_one(tx)
    .await
}

pub async fn insert_item(
    tx: &mut PgConnection,
    rubric_id: i64,
    position: i32,
    (name, max_points, veto, reasons): (&str, i32, bool, &[&str]),
) -> sqlx::Result<i64> {
    let reasons: Vec<String> = reasons.iter().map(|r| r.to_string()).collect();
    sqlx::query_scalar!(
        "insert into inspection_item (rubric_id, position, name, max_points, veto, reasons)
         values ($1, $2, $3, $4, $5, $6) returning item_id",
        rubric_id,
        position,
        name,
        max_points,
        veto,
        &reasons
    )
    .fetch_one(tx)
    .await
}

/// A weekly round of the department, published the evening it was held, or still a draft.
pub async fn insert_round(
    tx: &mut PgConnection,
    department_id: i64,
    (held_on, published): (NaiveDate, bool),
    rubric_id: i64,
    created_by: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into inspection_round (department_id, kind, held_on, rubric_id, published_at, created_by)
         values ($1, 'weekly', $2, $3, case when $5 then ($2::date + time '20:00') at time zone 'Asia/Shanghai' end, $4)
         returning round_id",
        department_id,
        held_on,
        rubric_id,
        created_by,
        published
    )
    .fetch_one(tx)
    .await
}

pub async fn add_round_building(
    tx: &mut PgConnection,
    round_id: i64,
    building_id: i64,
    inspector: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into inspection_round_building (round_id, building_id) values ($1, $2)",
        round_id,
        building_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into inspection_inspector (round_id, user_id) values ($1, $2) on conflict do nothing",
        round_id,
        inspector
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A room's result as the inspector saved it.
pub struct NewResult<'a> {
    pub outcome: &'a str,
    pub score: Option<i32>,
    pub grade: Option<&'a str>,
    pub vetoed: bool,
    pub inspector: i64,
}

pub async fn insert_result(tx: &mut PgConnection, round_id: i64, room_id: i64, r: &NewResult<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into inspection_result (round_id, room_id, outcome, score, grade, vetoed, inspected_by, inspected_at)
         values ($1, $2, $3, $4, $5, $6, $7,
                 (select coalesce(published_at - interval '3 hours', now()) from inspection_round where round_id = $1))
         returning result_id",
        round_id,
        room_id,
        r.outcome,
        r.score,
        r.grade,
        r.vetoed,
        r.inspector
    )
    .fetch_one(tx)
    .await
}

pub async fn insert_deduction(
    tx: &mut PgConnection,
    result_id: i64,
    item_id: i64,
    points: i32,
    reason: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into inspection_deduction (result_id, item_id, points, reason) values ($1, $2, $3, $4)",
        result_id,
        item_id,
        points,
        reason
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// An appeal a resident filed the day after, decided in their favour two days later.
pub async fn insert_decided_appeal(
    tx: &mut PgConnection,
    result_id: i64,
    (filed_by, decided_by): (i64, i64),
    (body, reason, term): (&str, &str, &str),
    (new_score, new_grade): (i32, &str),
) -> sqlx::Result<()> {
    sqlx::query!(
        "with r as (
             update inspection_result set score_before_appeal = score, score = $5, grade = $6 where result_id = $1
             returning room_id, round_id)
         insert into inspection_appeal (result_id, room_id, term, filed_by, body, filed_at, decision, new_score,
                                        decision_reason, decided_by, decided_at)
         select $1, r.room_id, $7, $2, $3, d.published_at + interval '1 day', 'changed', $5, $4, $8,
                d.published_at + interval '3 days'
         from r join inspection_round d on d.round_id = r.round_id",
        result_id,
        filed_by,
        body,
        reason,
        new_score,
        new_grade,
        term,
        decided_by
    )
    .execute(tx)
    .await?;
    Ok(())
}
