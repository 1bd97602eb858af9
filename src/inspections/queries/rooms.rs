//! Buildings, rooms and residents as the departments keep them (they are the whole
//! university's, shared by every department with the desk).

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// A building with its counts, for the list of buildings.
#[derive(Clone)]
pub struct BuildingCount {
    pub building_id: i64,
    pub name: String,
    pub rooms: i64,
    pub retired: i64,
    pub residents: i64,
}

/// A room as the department's pages show it.
pub struct RoomRow {
    pub room_id: i64,
    pub building_id: i64,
    pub building: String,
    pub room_number: String,
    pub floor: i32,
    pub walk_order: i32,
    pub capacity: i32,
    pub college: String,
    pub gender: String,
    pub retired_at: Option<DateTime<Utc>>,
    pub residents: i64,
}

/// A room's line of an import, already checked.
pub struct RoomLine<'a> {
    pub building: &'a [String],
    pub room: &'a [String],
    pub floor: &'a [i32],
    pub walk_order: &'a [i32],
    pub capacity: &'a [i32],
    pub college: &'a [String],
    pub gender: &'a [String],
}

pub struct Resident {
    pub student_no: String,
    /// The verified account's name, when there is one.
    pub name: Option<String>,
}

pub async fn list_buildings(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<BuildingCount>> {
    sqlx::query_as!(
        BuildingCount,
        r#"select b.building_id, b.name,
                  count(r.room_id) filter (where r.retired_at is null) as "rooms!",
                  count(r.room_id) filter (where r.retired_at is not null) as "retired!",
                  coalesce(sum((select count(*) from dorm_resident d where d.room_id = r.room_id)), 0)::bigint as "residents!"
           from dorm_building b left join dorm_room r on r.building_id = b.building_id
           group by b.building_id order by b.name"#
    )
    .fetch_all(db)
    .await
}

/// One building's rooms in walking order, retired ones too (marked).
pub async fn list_rooms_of_building(db: impl PgExecutor<'_>, building_id: i64) -> sqlx::Result<Vec<RoomRow>> {
    sqlx::query_as!(
        RoomRow,
        r#"select r.room_id, r.building_id, b.name as building, r.room_number, r.floor, r.walk_order, r.capacity,
                  r.college, r.gender, r.retired_at,
                  (select count(*) from dorm_resident d where d.room_id = r.room_id) as "residents!"
           from dorm_room r join dorm_building b on b.building_id = r.building_id
           where r.building_id = $1 order by r.floor, r.walk_order, r.room_number"#,
        building_id
    )
    .fetch_all(db)
    .await
}

pub async fn fetch_room(db: impl PgExecutor<'_>, room_id: i64) -> sqlx::Result<Option<RoomRow>> {
    sqlx::query_as!(
        RoomRow,
        r#"select r.room_id, r.building_id, b.name as building, r.room_number, r.floor, r.walk_order, r.capacity,
                  r.college, r.gender, r.retired_at,
                  (select count(*) from dorm_resident d where d.room_id = r.room_id) as "residents!"
           from dorm_room r join dorm_building b on b.building_id = r.building_id
           where r.room_id = $1"#,
        room_id
    )
    .fetch_optional(db)
    .await
}

/// The buildings an import names, created when new.
pub async fn insert_buildings(db: impl PgExecutor<'_>, names: &[String]) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into dorm_building (name) select distinct n from unnest($1::text[]) as n on conflict (name) do nothing",
        names
    )
    .execute(db)
    .await?;
    Ok(())
}

/// New rooms inserted, known ones (by building and number) updated; retirement stands.
pub async fn upsert_rooms(db: impl PgExecutor<'_>, rows: &RoomLine<'_>) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "insert into dorm_room (building_id, room_number, floor, walk_order, capacity, college, gender)
         select b.building_id, r.room, r.floor, r.walk, r.cap, r.college, r.gender
         from unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::text[], $7::text[])
              as r(building, room, floor, walk, cap, college, gender)
         join dorm_building b on b.name = r.building
         on conflict (building_id, room_number) do update
         set floor = excluded.floor, walk_order = excluded.walk_order, capacity = excluded.capacity,
             college = excluded.college, gender = excluded.gender",
        rows.building,
        rows.room,
        rows.floor,
        rows.walk_order,
        rows.capacity,
        rows.college,
        rows.gender
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

pub async fn update_room(
    db: impl PgExecutor<'_>,
    room_id: i64,
    capacity: i32,
    college: &str,
    gender: &str,
    walk_order: i32,
    retired: bool,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update dorm_room set capacity = $2, college = $3, gender = $4, walk_order = $5,
                retired_at = case when $6 then coalesce(retired_at, now()) else null end
         where room_id = $1",
        room_id,
        capacity,
        college,
        gender,
        walk_order,
        retired
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The rooms named by (building, room number) pairs that exist: (index of the pair, room id).
pub async fn find_rooms(
    db: impl PgExecutor<'_>,
    buildings: &[String],
    rooms: &[String],
) -> sqlx::Result<Vec<(i64, i64)>> {
    let rows = sqlx::query!(
        r#"select k.n as "n!", r.room_id
           from unnest($1::text[], $2::text[]) with ordinality as k(building, room, n)
           join dorm_building b on b.name = k.building
           join dorm_room r on r.building_id = b.building_id and r.room_number = k.room"#,
        buildings,
        rooms
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.n - 1, r.room_id)).collect())
}

/// Each student lives in one room: a new room replaces the old.
pub async fn upsert_residents(db: impl PgExecutor<'_>, student_nos: &[String], room_ids: &[i64]) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into dorm_resident (student_no, room_id)
         select s, r from unnest($1::text[], $2::bigint[]) as k(s, r)
         on conflict (student_no) do update set room_id = excluded.room_id, added_at = now()",
        student_nos,
        room_ids
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn list_residents(db: impl PgExecutor<'_>, room_id: i64) -> sqlx::Result<Vec<Resident>> {
    sqlx::query_as!(
        Resident,
        r#"select d.student_no, u.name as "name?"
           from dorm_resident d
           left join app_user u on u.student_no = d.student_no and u.verified_by is not null
           where d.room_id = $1 order by d.student_no"#,
        room_id
    )
    .fetch_all(db)
    .await
}

pub async fn delete_resident(db: impl PgExecutor<'_>, room_id: i64, student_no: &str) -> sqlx::Result<bool> {
    let done = sqlx::query!("delete from dorm_resident where room_id = $1 and student_no = $2", room_id, student_no)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The verified, active accounts living in these rooms: who hears about their results.
pub async fn list_resident_users(db: impl PgExecutor<'_>, room_ids: &[i64]) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "select u.user_id from dorm_resident d join app_user u on u.student_no = d.student_no
         where d.room_id = any($1) and u.verified_by is not null and u.disabled_at is null",
        room_ids
    )
    .fetch_all(db)
    .await
}
