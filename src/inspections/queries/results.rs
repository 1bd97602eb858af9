//! The inspector's statements: rounds, floors, rooms and results. Every one names the
//! viewer and repeats `exists (… inspection_inspector …)`, so a round is only ever read or
//! scored by the inspectors it names, whatever the handler forgot.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

/// A round in the inspector's list.
pub struct MyRound {
    pub round_id: i64,
    pub kind: String,
    pub held_on: NaiveDate,
    pub published: bool,
    pub dept_zh: String,
    pub dept_en: String,
    pub scored: i64,
    pub total: i64,
}

pub async fn list_my_rounds(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<Vec<MyRound>> {
    sqlx::query_as!(
        MyRound,
        r#"select r.round_id, r.kind, r.held_on, r.published_at is not null as "published!",
                  d.name_zh as dept_zh, d.name_en as dept_en,
                  (select count(*) from inspection_result res where res.round_id = r.round_id) as "scored!",
                  (select count(*) from inspection_round_building rb
                     join dorm_room m on m.building_id = rb.building_id and m.retired_at is null
                   where rb.round_id = r.round_id) as "total!"
           from inspection_inspector i
           join inspection_round r on r.round_id = i.round_id
           join department d on d.department_id = r.department_id
           where i.user_id = $1
           order by r.published_at is not null, r.held_on desc, r.round_id desc
           limit 100"#,
        user_id
    )
    .fetch_all(db)
    .await
}

/// A round as its inspector sees it.
pub struct Round {
    pub round_id: i64,
    pub department_id: i64,
    pub kind: String,
    pub held_on: NaiveDate,
    pub rubric_id: i64,
    pub published: bool,
    pub dept_zh: String,
    pub dept_en: String,
}

pub async fn fetch_round(db: impl PgExecutor<'_>, round_id: i64, user_id: i64) -> sqlx::Result<Option<Round>> {
    sqlx::query_as!(
        Round,
        r#"select r.round_id, r.department_id, r.kind, r.held_on, r.rubric_id,
                  r.published_at is not null as "published!", d.name_zh as dept_zh, d.name_en as dept_en
           from inspection_round r join department d on d.department_id = r.department_id
           where r.round_id = $1
             and exists (select 1 from inspection_inspector where round_id = $1 and user_id = $2)"#,
        round_id,
        user_id
    )
    .fetch_optional(db)
    .await
}

/// The round unpublished, held until the transaction ends: a publish waits for the save.
pub async fn lock_unpublished_round(db: impl PgExecutor<'_>, round_id: i64, user_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "select round_id from inspection_round
         where round_id = $1 and published_at is null
           and exists (select 1 from inspection_inspector where round_id = $1 and user_id = $2)
         for share",
        round_id,
        user_id
    )
    .fetch_optional(db)
    .await
}

/// One floor of one of the round's buildings, with how many of its rooms are scored.
pub struct Floor {
    pub building_id: i64,
    pub building: String,
    pub floor: i32,
    pub scored: i64,
    pub total: i64,
}

pub async fn list_floors(db: impl PgExecutor<'_>, round_id: i64, user_id: i64) -> sqlx::Result<Vec<Floor>> {
    sqlx::query_as!(
        Floor,
        r#"select b.building_id, b.name as building, m.floor,
                  count(res.result_id) as "scored!", count(*) as "total!"
           from inspection_round_building rb
           join dorm_building b on b.building_id = rb.building_id
           join dorm_room m on m.building_id = b.building_id and m.retired_at is null
           left join inspection_result res on res.round_id = rb.round_id and res.room_id = m.room_id
           where rb.round_id = $1
             and exists (select 1 from inspection_inspector where round_id = $1 and user_id = $2)
           group by b.building_id, b.name, m.floor
           order by b.name, m.floor"#,
        round_id,
        user_id
    )
    .fetch_all(db)
    .await
}

/// A room on the floor being walked, and its result so far.
pub struct FloorRoom {
    pub room_id: i64,
    pub room_number: String,
    pub outcome: Option<String>,
    pub score: Option<i32>,
    pub grade: Option<String>,
}

pub async fn list_floor_rooms(
    db: impl PgExecutor<'_>,
    round_id: i64,
    user_id: i64,
    building_id: i64,
    floor: i32,
) -> sqlx::Result<Vec<FloorRoom>> {
    sqlx::query_as!(
        FloorRoom,
        r#"select m.room_id, m.room_number, res.outcome as "outcome?", res.score, res.grade
           from inspection_round_building rb
           join dorm_room m on m.building_id = rb.building_id and m.retired_at is null
           left join inspection_result res on res.round_id = rb.round_id and res.room_id = m.room_id
           where rb.round_id = $1 and rb.building_id = $3 and m.floor = $4
             and exists (select 1 from inspection_inspector where round_id = $1 and user_id = $2)
           order by m.walk_order, m.room_id"#,
        round_id,
        user_id,
        building_id,
        floor
    )
    .fetch_all(db)
    .await
}

/// A room of one of the round's buildings.
#[derive(Clone)]
pub struct Room {
    pub room_id: i64,
    pub room_number: String,
    pub building_id: i64,
    pub building: String,
    pub floor: i32,
    pub walk_order: i32,
}

pub async fn fetch_room(
    db: impl PgExecutor<'_>,
    round_id: i64,
    user_id: i64,
    room_id: i64,
) -> sqlx::Result<Option<Room>> {
    sqlx::query_as!(
        Room,
        "select m.room_id, m.room_number, m.building_id, b.name as building, m.floor, m.walk_order
         from dorm_room m
         join dorm_building b on b.building_id = m.building_id
         join inspection_round_building rb on rb.building_id = m.building_id and rb.round_id = $1
         where m.room_id = $3 and m.retired_at is null
           and exists (select 1 from inspection_inspector where round_id = $1 and user_id = $2)",
        round_id,
        user_id,
        room_id
    )
    .fetch_optional(db)
    .await
}

/// The room after this one in walking order: the rest of its floor, then the next floors.
pub async fn fetch_next_room(
    db: impl PgExecutor<'_>,
    round_id: i64,
    user_id: i64,
    room: &Room,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "select m.room_id from dorm_room m
         join inspection_round_building rb on rb.building_id = m.building_id and rb.round_id = $1
         where m.building_id = $3 and m.retired_at is null
           and (m.floor, m.walk_order, m.room_id) > ($4, $5, $6)
           and exists (select 1 from inspection_inspector where round_id = $1 and user_id = $2)
         order by m.floor, m.walk_order, m.room_id
         limit 1",
        round_id,
        user_id,
        room.building_id,
        room.floor,
        room.walk_order,
        room.room_id
    )
    .fetch_optional(db)
    .await
}

/// The items of the round's own rubric version (not the current one), in order.
pub async fn list_round_items(db: impl PgExecutor<'_>, round_id: i64, user_id: i64) -> sqlx::Result<Vec<super::Item>> {
    sqlx::query_as!(
        super::Item,
        "select it.item_id, it.position, it.name, it.max_points, it.veto, it.reasons
         from inspection_item it join inspection_round r on r.rubric_id = it.rubric_id
         where r.round_id = $1
           and exists (select 1 from inspection_inspector where round_id = $1 and user_id = $2)
         order by it.position",
        round_id,
        user_id
    )
    .fetch_all(db)
    .await
}

/// A room's saved result in a round, and who saved it.
#[derive(Clone)]
pub struct Saved {
    pub result_id: i64,
    pub outcome: String,
    pub score: Option<i32>,
    pub grade: Option<String>,
    pub vetoed: bool,
    pub note: String,
    pub revision: i32,
    pub inspector: String,
    pub inspected_at: DateTime<Utc>,
}

pub async fn fetch_result(
    db: impl PgExecutor<'_>,
    round_id: i64,
    user_id: i64,
    room_id: i64,
) -> sqlx::Result<Option<Saved>> {
    sqlx::query_as!(
        Saved,
        r#"select res.result_id, res.outcome, res.score, res.grade, res.vetoed, res.note, res.revision,
                  coalesce(u.name, '') as "inspector!", res.inspected_at
           from inspection_result res left join app_user u on u.user_id = res.inspected_by
           where res.round_id = $1 and res.room_id = $3
             and exists (select 1 from inspection_inspector where round_id = $1 and user_id = $2)"#,
        round_id,
        user_id,
        room_id
    )
    .fetch_optional(db)
    .await
}

/// A saved deduction, as the form shows it again.
pub struct SavedDeduction {
    pub deduction_id: i64,
    pub item_id: i64,
    pub points: i32,
    pub reason: String,
    pub has_photo: bool,
}

pub async fn list_deductions(
    db: impl PgExecutor<'_>,
    round_id: i64,
    user_id: i64,
    result_id: i64,
) -> sqlx::Result<Vec<SavedDeduction>> {
    sqlx::query_as!(
        SavedDeduction,
        r#"select d.deduction_id, d.item_id, d.points, d.reason, d.photo_name is not null as "has_photo!"
           from inspection_deduction d join inspection_result res on res.result_id = d.result_id
           where d.result_id = $3 and res.round_id = $1
             and exists (select 1 from inspection_inspector where round_id = $1 and user_id = $2)
           order by d.deduction_id"#,
        round_id,
        user_id,
        result_id
    )
    .fetch_all(db)
    .await
}
