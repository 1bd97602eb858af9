//! The rankings' statements: a period's published results tallied per room, the standings
//! written back as rows, and the public pages' reads of them (room numbers only, never names).

use chrono::NaiveDate;
use sqlx::{PgConnection, PgExecutor};

/// One room's published results in a period, as the refresh reads them.
pub struct RoomTally {
    pub room_id: i64,
    pub building_id: i64,
    pub college: String,
    pub average: f64,
    pub rounds: i32,
    pub excellent: i32,
    pub fails: i32,
    /// Grades in round order (拒查 is `fail`), for the 文明寝室 rule.
    pub grades: Vec<String>,
}

/// Every room graded in a published round held between `from` and `to` (拒查 counts 0;
/// nobody-in is left out).
pub async fn tally_period(tx: &mut PgConnection, from: NaiveDate, to: NaiveDate) -> sqlx::Result<Vec<RoomTally>> {
    sqlx::query_as!(
        RoomTally,
        r#"select r.room_id, r.building_id, r.college,
                  avg(coalesce(x.score, 0))::float8 as "average!",
                  count(*)::int as "rounds!",
                  (count(*) filter (where x.grade = 'excellent'))::int as "excellent!",
                  (count(*) filter (where x.grade = 'fail'))::int as "fails!",
                  array_agg(x.grade order by d.held_on, d.round_id) as "grades!: Vec<String>"
           from inspection_result x
           join inspection_round d on d.round_id = x.round_id
           join dorm_room r on r.room_id = x.room_id
           where d.published_at is not null and d.held_on between $1 and $2 and x.outcome <> 'absent'
           group by r.room_id"#,
        from,
        to
    )
    .fetch_all(&mut *tx)
    .await
}

/// The period's standings replaced by these rooms' (one array per column), and the
/// buildings' and colleges' averages recomputed from them.
pub async fn replace_standings(
    tx: &mut PgConnection,
    period: &str,
    starts_on: NaiveDate,
    rooms: &[RoomTally],
    civilised: &[bool],
) -> sqlx::Result<()> {
    sqlx::query!("delete from inspection_standing where period = $1 and starts_on = $2", period, starts_on)
        .execute(&mut *tx)
        .await?;
    let room_ids: Vec<i64> = rooms.iter().map(|r| r.room_id).collect();
    let building_ids: Vec<i64> = rooms.iter().map(|r| r.building_id).collect();
    let colleges: Vec<String> = rooms.iter().map(|r| r.college.clone()).collect();
    let averages: Vec<f64> = rooms.iter().map(|r| r.average).collect();
    let rounds: Vec<i32> = rooms.iter().map(|r| r.rounds).collect();
    let excellent: Vec<i32> = rooms.iter().map(|r| r.excellent).collect();
    let fails: Vec<i32> = rooms.iter().map(|r| r.fails).collect();
    sqlx::query!(
        "insert into inspection_standing (period, starts_on, room_id, building_id, college, average, rounds, excellent, fails, civilised)
         select $1, $2, * from unnest($3::bigint[], $4::bigint[], $5::text[], $6::float8[], $7::int[], $8::int[], $9::int[], $10::bool[])",
        period,
        starts_on,
        &room_ids,
        &building_ids,
        &colleges,
        &averages,
        &rounds,
        &excellent,
        &fails,
        civilised
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("delete from inspection_group_standing where period = $1 and starts_on = $2", period, starts_on)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "insert into inspection_group_standing (period, starts_on, grouping, name, building_id, average, rooms)
         select $1, $2, 'building', b.name, b.building_id, avg(s.average), count(*)
           from inspection_standing s join dorm_building b on b.building_id = s.building_id
          where s.period = $1 and s.starts_on = $2 group by b.building_id
         union all
         select $1, $2, 'college', s.college, null, avg(s.average), count(*)
           from inspection_standing s where s.period = $1 and s.starts_on = $2 and s.college <> '' group by s.college",
        period,
        starts_on
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The day of the latest published round, if any.
pub async fn latest_published_day(db: impl PgExecutor<'_>) -> sqlx::Result<Option<NaiveDate>> {
    sqlx::query_scalar!("select max(held_on) from inspection_round where published_at is not null").fetch_one(db).await
}

/// A room's line in a ranking: where it is, its average and how it got there.
pub struct Standing {
    pub room_id: i64,
    pub building: String,
    pub room_number: String,
    pub college: String,
    pub average: f64,
    pub rounds: i32,
    pub excellent: i32,
    pub fails: i32,
}

/// Which rooms a ranking lists, best first: all, one building's or one college's.
pub struct StandingFilter {
    pub period: &'static str,
    pub starts_on: NaiveDate,
    pub building_id: Option<i64>,
    pub college: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// One statement per filter, none of them `$n is null or …`: a generic plan of such an
/// optional filter cannot tell a whole period from a building, and sorted all 8,000 rooms
/// of a term where the ordered index gives the page's 50 (scripts/bench, issue 22).
pub async fn find_standings(db: impl PgExecutor<'_>, f: &StandingFilter) -> sqlx::Result<Vec<Standing>> {
    match (f.building_id, &f.college) {
        (Some(building_id), _) => sqlx::query_as!(
            Standing,
            r#"select s.room_id, b.name as building, r.room_number, s.college, s.average, s.rounds, s.excellent, s.fails
               from inspection_standing s
               join dorm_room r on r.room_id = s.room_id
               join dorm_building b on b.building_id = s.building_id
               where s.period = $1 and s.starts_on = $2 and s.building_id = $3
               order by s.average desc, s.room_id
               limit $4 offset $5"#,
            f.period,
            f.starts_on,
            building_id,
            f.limit,
            f.offset
        )
        .fetch_all(db)
        .await,
        (None, Some(college)) => sqlx::query_as!(
            Standing,
            r#"select s.room_id, b.name as building, r.room_number, s.college, s.average, s.rounds, s.excellent, s.fails
               from inspection_standing s
               join dorm_room r on r.room_id = s.room_id
               join dorm_building b on b.building_id = s.building_id
               where s.period = $1 and s.starts_on = $2 and s.college = $3
               order by s.average desc, s.room_id
               limit $4 offset $5"#,
            f.period,
            f.starts_on,
            college,
            f.limit,
            f.offset
        )
        .fetch_all(db)
        .await,
        (None, None) => sqlx::query_as!(
            Standing,
            r#"select s.room_id, b.name as building, r.room_number, s.college, s.average, s.rounds, s.excellent, s.fails
               from inspection_standing s
               join dorm_room r on r.room_id = s.room_id
               join dorm_building b on b.building_id = s.building_id
               where s.period = $1 and s.starts_on = $2
               order by s.average desc, s.room_id
               limit $3 offset $4"#,
            f.period,
            f.starts_on,
            f.limit,
            f.offset
        )
        .fetch_all(db)
        .await,
    }
}

/// The 黑榜: a period's lowest averages, worst first (the same index read backwards).
pub async fn worst_standings(
    db: impl PgExecutor<'_>,
    period: &str,
    starts_on: NaiveDate,
    limit: i64,
) -> sqlx::Result<Vec<Standing>> {
    sqlx::query_as!(
        Standing,
        r#"select s.room_id, b.name as building, r.room_number, s.college, s.average, s.rounds, s.excellent, s.fails
           from inspection_standing s
           join dorm_room r on r.room_id = s.room_id
           join dorm_building b on b.building_id = s.building_id
           where s.period = $1 and s.starts_on = $2
           order by s.average, s.room_id desc
           limit $3"#,
        period,
        starts_on,
        limit
    )
    .fetch_all(db)
    .await
}

/// A building's or college's average in a period.
pub struct GroupStanding {
    pub name: String,
    pub building_id: Option<i64>,
    pub average: f64,
    pub rooms: i32,
}

pub async fn group_standings(
    db: impl PgExecutor<'_>,
    period: &str,
    starts_on: NaiveDate,
    grouping: &str,
) -> sqlx::Result<Vec<GroupStanding>> {
    sqlx::query_as!(
        GroupStanding,
        "select name, building_id, average, rooms from inspection_group_standing
         where period = $1 and starts_on = $2 and grouping = $3 order by average desc, name",
        period,
        starts_on,
        grouping
    )
    .fetch_all(db)
    .await
}

/// The colleges ranked in a period, by name: the ranking's college filter.
pub async fn college_names(db: impl PgExecutor<'_>, period: &str, starts_on: NaiveDate) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        "select name from inspection_group_standing
         where period = $1 and starts_on = $2 and grouping = 'college' order by name",
        period,
        starts_on
    )
    .fetch_all(db)
    .await
}

/// A term's 文明寝室, building by building.
pub async fn civilised_rooms(db: impl PgExecutor<'_>, term_starts_on: NaiveDate) -> sqlx::Result<Vec<Standing>> {
    sqlx::query_as!(
        Standing,
        r#"select s.room_id, b.name as building, r.room_number, s.college, s.average, s.rounds, s.excellent, s.fails
           from inspection_standing s
           join dorm_room r on r.room_id = s.room_id
           join dorm_building b on b.building_id = s.building_id
           where s.period = 'term' and s.starts_on = $1 and s.civilised
           order by b.name, r.floor, r.walk_order"#,
        term_starts_on
    )
    .fetch_all(db)
    .await
}

/// A photo residents shared for the term, by room.
pub struct SharedPhoto {
    pub photo_id: i64,
    pub room_id: i64,
}

/// The photos residents of these rooms chose to share this term.
pub async fn shared_photos(db: impl PgExecutor<'_>, term: &str, room_ids: &[i64]) -> sqlx::Result<Vec<SharedPhoto>> {
    sqlx::query_as!(
        SharedPhoto,
        "select photo_id, room_id from dorm_room_photo where term = $1 and room_id = any($2) order by room_id, photo_id",
        term,
        room_ids
    )
    .fetch_all(db)
    .await
}

/// A shared photo's stored names: public, because its residents chose to share it.
pub async fn shared_photo_names(db: impl PgExecutor<'_>, photo_id: i64) -> sqlx::Result<Option<(String, String)>> {
    let row = sqlx::query!("select file_name, thumb_name from dorm_room_photo where photo_id = $1", photo_id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|r| (r.file_name, r.thumb_name)))
}

/// Buildings by name, for the ranking's filter.
pub struct BuildingName {
    pub building_id: i64,
    pub name: String,
}

pub async fn building_names(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<BuildingName>> {
    sqlx::query_as!(BuildingName, "select building_id, name from dorm_building order by name").fetch_all(db).await
}
