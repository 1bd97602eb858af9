//! A whole university's dorms and their hygiene inspections (issue 22): buildings of
//! 80 rooms (北区1栋, 南区1栋, 东区1栋, 西区1栋, 北区2栋 …; five floors of sixteen), four
//! residents a room from the benchmark's students, two colleges a building, a rubric
//! (version 1, eight items, two of them veto, grades at 90/80/60), and the last sixteen
//! Wednesdays' weekly rounds of the 生活卫生部, each published with a result for every
//! room: each room has its habits (60–99) and its weekly luck, about 1% 拒查, 1.5%
//! nobody in and 0.3% vetoed (违禁电器); every fourth room's deductions are itemised.
//! Then the rankings are recomputed for each round's day as publishing would
//! (`union_portal::inspections::rankings::refresh`), so the standings exist.

use std::time::Instant;

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::{put_back, set_aside, words, Progress, Seed};

/// Rooms per building: five floors of sixteen.
pub const ROOMS_PER_BUILDING: i64 = 80;
const ROOMS_PER_FLOOR: i64 = 16;
/// Weekly rounds: the last sixteen Wednesdays, today's week included when its Wednesday has come.
pub const ROUNDS: i64 = 16;
pub const BEDS: i64 = 4;
const AREAS: [&str; 4] = ["北区", "南区", "东区", "西区"];
/// Grade boundaries: 优秀 ≥ 90 > 良好 ≥ 80 > 合格 ≥ 60 > 不合格.
const BOUNDARIES: (i32, i32, i32) = (90, 80, 60);

/// Rubric version 1: name, full marks, veto, preset reasons ("points reason"); 100 in all.
const ITEMS: &[(&str, i32, bool, &[&str])] = &[
    ("门窗", 10, false, &["2 窗台积灰", "3 玻璃不洁"]),
    ("床铺", 20, false, &["3 被子未叠", "2 床上杂物多"]),
    ("桌面", 15, false, &["3 桌面杂乱", "2 书籍未摆放整齐"]),
    ("地面", 20, false, &["4 地面有垃圾", "3 鞋子摆放杂乱"]),
    ("阳台与卫生间", 20, false, &["5 卫生间有异味", "3 阳台堆放杂物"]),
    ("垃圾处理", 15, false, &["5 垃圾未倒", "3 垃圾桶无袋"]),
    ("违禁电器", 0, true, &["0 使用大功率电器"]),
    ("私拉电线", 0, true, &["0 私拉电线"]),
];

/// The first building's id (for the benchmark's "one building" ranking).
pub async fn seed(tx: &mut PgConnection, seed: &Seed, progress: &Progress) -> anyhow::Result<i64> {
    let began = Instant::now();
    let life = union_portal::departments::queries::fetch_department_id(&mut *tx, "life")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no life department: the inspections need it"))?;
    // The inspectors: the staff of the departments with the inspections desk.
    let mut inspectors = sqlx::query_scalar!(
        "select distinct m.user_id from membership m join department d using (department_id)
         where d.runs_inspections order by m.user_id"
    )
    .fetch_all(&mut *tx)
    .await?;
    if inspectors.is_empty() {
        inspectors.clone_from(&seed.people.officers);
    }
    let head = inspectors.first().copied();

    let rooms = seed.counts.dorm_rooms;
    let buildings = sqlx::query_scalar!(
        "insert into dorm_building (name)
         select ($1::text[])[1 + i % 4] || (i / 4 + 1) || '栋' from generate_series(0, $2::int8 - 1) i
         order by i
         returning building_id",
        &AREAS.map(String::from),
        seed.counts.dorm_buildings
    )
    .fetch_all(&mut *tx)
    .await?;
    // Two colleges a building, by floors (1–3 and 4–5); men and women in alternate buildings.
    let colleges: Vec<String> = words::COLLEGES.iter().map(|s| s.to_string()).collect();
    let done = sqlx::query!(
        "insert into dorm_room (building_id, room_number, floor, walk_order, capacity, college, gender)
         select ($1::int8[])[1 + r.b], r.floor::text || lpad(r.walk::text, 2, '0'), r.floor, r.walk, $4,
                ($5::text[])[1 + ((r.b * 2 + (r.floor - 1) / 3) % cardinality($5::text[]))],
                case when r.b % 2 = 0 then 'm' else 'f' end
         from (select k / $2 as b, 1 + (k % $2) / $3 as floor, 1 + k % $3 as walk
               from generate_series(0, $6::int8 - 1) k) r
         order by r.b, r.floor, r.walk",
        &buildings,
        ROOMS_PER_BUILDING,
        ROOMS_PER_FLOOR,
        BEDS as i32,
        &colleges,
        rooms
    )
    .execute(&mut *tx)
    .await?;
    anyhow::ensure!(done.rows_affected() as i64 == rooms, "not every room was created");
    // Residents: the benchmark's students, four to a room, as long as there are students.
    let residents = sqlx::query!(
        "insert into dorm_resident (student_no, room_id, added_at)
         select (2022 + s.g % 4)::text || lpad(s.g::text, 8, '0'), r.room_id, now() - interval '100 days'
         from (select room_id, row_number() over (order by room_id) - 1 as i
               from dorm_room where building_id = any($1)) r
         cross join generate_series(0, $2::int8 - 1) bed
         cross join lateral (select r.i * $2 + bed + 1 as g) s
         where s.g <= $3
         order by r.room_id, bed",
        &buildings,
        BEDS,
        seed.counts.students
    )
    .execute(&mut *tx)
    .await?;
    progress.done("dorm_room", rooms as u64, began);
    progress.done("dorm_resident", residents.rows_affected(), began);

    let began = Instant::now();
    let rubric_id = sqlx::query_scalar!(
        "insert into inspection_rubric (version, excellent_min, good_min, pass_min, created_by, created_at)
         select coalesce(max(version), 0) + 1, $1, $2, $3, $4, now() - interval '200 days' from inspection_rubric
         returning rubric_id",
        BOUNDARIES.0,
        BOUNDARIES.1,
        BOUNDARIES.2,
        head
    )
    .fetch_one(&mut *tx)
    .await?;
    let names: Vec<String> = ITEMS.iter().map(|i| i.0.to_string()).collect();
    let reason_text = |n: usize| -> Vec<String> {
        ITEMS.iter().map(|i| i.3.get(n).map_or_else(String::new, |r| r.to_string())).collect()
    };
    let items = sqlx::query!(
        "insert into inspection_item (rubric_id, position, name, max_points, veto, reasons)
         select $1, i.position, i.name, i.max_points, i.veto, array_remove(array[i.a, nullif(i.b, '')], null)
         from unnest($2::text[], $3::int[], $4::bool[], $5::text[], $6::text[]) with ordinality
              as i(name, max_points, veto, a, b, position)
         order by i.position
         returning item_id, veto, reasons",
        rubric_id,
        &names,
        &ITEMS.iter().map(|i| i.1).collect::<Vec<i32>>(),
        &ITEMS.iter().map(|i| i.2).collect::<Vec<bool>>(),
        &reason_text(0),
        &reason_text(1)
    )
    .fetch_all(&mut *tx)
    .await?;
    // Scored items with the words of their two preset reasons; the first veto item.
    let reason = |r: &Vec<String>, i: usize| {
        r.get(i).or(r.first()).and_then(|s| union_portal::inspections::model::parse_reason(s)).map(|p| p.1.to_string())
    };
    let scored: Vec<(i64, String, String)> = items
        .iter()
        .filter(|i| !i.veto)
        .filter_map(|i| Some((i.item_id, reason(&i.reasons, 0)?, reason(&i.reasons, 1)?)))
        .collect();
    let veto_item = items.iter().find(|i| i.veto).map(|i| i.item_id);

    let rounds = sqlx::query!(
        r#"with w as (
               select d - ((extract(isodow from d)::int + 4) % 7) as wednesday
               from (select (now() at time zone 'Asia/Shanghai')::date as d) t
           )
           insert into inspection_round (department_id, kind, held_on, rubric_id, published_at, created_by, created_at)
           select $1, 'weekly', w.wednesday - 7 * k, $2,
                  least(now(), (w.wednesday - 7 * k + 1)::timestamp at time zone 'Asia/Shanghai' + interval '18 hours'),
                  $3, least(now(), (w.wednesday - 7 * k - 2)::timestamp at time zone 'Asia/Shanghai' + interval '9 hours')
           from w, generate_series($4::int - 1, 0, -1) k
           order by k desc
           returning round_id, held_on"#,
        life,
        rubric_id,
        head,
        ROUNDS as i32
    )
    .fetch_all(&mut *tx)
    .await?;
    let round_ids: Vec<i64> = rounds.iter().map(|r| r.round_id).collect();
    let days: Vec<NaiveDate> = rounds.iter().map(|r| r.held_on).collect();
    sqlx::query!(
        "insert into inspection_round_building (round_id, building_id)
         select r, b from unnest($1::int8[]) r, unnest($2::int8[]) b order by r, b",
        &round_ids,
        &buildings
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into inspection_inspector (round_id, user_id)
         select r, u from unnest($1::int8[]) r, unnest($2::int8[]) u order by r, u",
        &round_ids,
        &inspectors
    )
    .execute(&mut *tx)
    .await?;
    progress.done("inspection_round", rounds.len() as u64, began);

    let mut restore = vec![];
    for table in ["inspection_result", "inspection_deduction"] {
        restore.extend(set_aside(tx, table).await?);
    }
    let began = Instant::now();
    // A room's habits (60–99, most rooms keep theirs tidy) and each week's luck (−9…+5);
    // 拒查 and nobody-in drawn first, then a veto (违禁电器) among the scored.
    let results = sqlx::query!(
        r#"with h as (
               select room_id, building_id, 60 + floor(40 * sqrt(random()))::int as habit
               from dorm_room where building_id = any($1) offset 0
           ),
           x as (
               select d.round_id, d.held_on, h.room_id, h.building_id,
                      greatest(40, least(100, h.habit + floor(random() * 15)::int - 9)) as points,
                      random() as r_out, random() as r_veto, random() as r_at
               from unnest($2::int8[], $3::date[]) as d(round_id, held_on), h
               offset 0
           ),
           o as (
               select x.*, case when r_out < 0.01 then 'refused' when r_out < 0.025 then 'absent' else 'scored' end as outcome,
                      r_out >= 0.025 and r_veto < 0.003 as vetoed
               from x
           )
           insert into inspection_result (round_id, room_id, outcome, score, grade, vetoed, note, inspected_by, inspected_at)
           select o.round_id, o.room_id, o.outcome,
                  case when o.outcome = 'scored' then o.points end,
                  case when o.outcome = 'absent' then null
                       when o.outcome = 'refused' or o.vetoed or o.points < $6 then 'fail'
                       when o.points >= $4 then 'excellent' when o.points >= $5 then 'good' else 'pass' end,
                  o.vetoed,
                  case when o.outcome = 'refused' then '寝室成员拒绝开门检查' when o.outcome = 'absent' then '无人在寝'
                       when o.vetoed then '发现违禁电器，已暂扣' else '' end,
                  ($7::int8[])[1 + (o.building_id % cardinality($7::int8[]))::int],
                  least(now(), o.held_on::timestamp at time zone 'Asia/Shanghai' + interval '19 hours' + o.r_at * interval '2 hours')
           from o
           order by o.round_id, o.room_id"#,
        &buildings,
        &round_ids,
        &days,
        BOUNDARIES.0,
        BOUNDARIES.1,
        BOUNDARIES.2,
        &inspectors
    )
    .execute(&mut *tx)
    .await?;
    progress.done("inspection_result", results.rows_affected(), began);

    let began = Instant::now();
    // Every fourth room's lost points itemised, five at a time over the scored items in turn
    // (an item loses at most ten: no item's full marks are exceeded); every veto recorded.
    let (item_ids, (first, second)): (Vec<i64>, (Vec<String>, Vec<String>)) =
        scored.into_iter().map(|(id, a, b)| (id, (a, b))).unzip();
    let done = sqlx::query!(
        "insert into inspection_deduction (result_id, item_id, points, reason)
         select x.result_id, ($2::int8[])[i.n], least(5, 100 - x.score - 5 * (k - 1)),
                case when (x.result_id + k) % 2 = 0 then ($3::text[])[i.n] else ($4::text[])[i.n] end
         from inspection_result x
         cross join lateral generate_series(1, ceil((100 - x.score) / 5.0)::int) k
         cross join lateral (select 1 + ((x.result_id + k) % cardinality($2::int8[]))::int as n) i
         where x.round_id = any($1) and x.outcome = 'scored' and x.score < 100 and x.room_id % 4 = 0
         union all
         select x.result_id, $5::int8, 0, '使用大功率电器（电热锅）'
         from inspection_result x
         where x.round_id = any($1) and x.vetoed and $5::int8 is not null
         order by 1, 2",
        &round_ids,
        &item_ids,
        &first,
        &second,
        veto_item
    )
    .execute(&mut *tx)
    .await?;
    progress.done("inspection_deduction", done.rows_affected(), began);
    put_back(tx, restore, progress).await?;

    // The standings, as publishing each round would have left them.
    let began = Instant::now();
    for day in &days {
        union_portal::inspections::rankings::refresh(&mut *tx, *day).await?;
    }
    let standings =
        sqlx::query_scalar!(r#"select count(*) as "n!" from inspection_standing"#).fetch_one(&mut *tx).await?;
    progress.done("inspection_standing", standings as u64, began);
    buildings.first().copied().ok_or_else(|| anyhow::anyhow!("no dorm building was created"))
}
