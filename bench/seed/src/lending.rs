//! Umbrella lending at university scale (issue 25): the rights department's stations,
//! ten to a district (北区第1教学楼, 南区图书馆 …), 600 umbrellas a station, and a term
//! of loans (120 days): returned ones, most within the day and at any station, and the
//! open ones of today: some due later, some overdue, some lost (an item on loan or lost
//! is never lent twice, as the unique index wants). The borrowers of open loans are the
//! last students, so the borrowing benchmark lends to the first ones.

use std::time::Instant;

use sqlx::PgConnection;

use super::{Progress, Seed};

pub const STATIONS_PER_DISTRICT: i64 = 10;
pub const ITEMS_PER_STATION: i64 = 600;
const DISTRICTS: [&str; 4] = ["北区", "南区", "东区", "西区"];
const PLACES: [&str; 10] = [
    "第1教学楼",
    "第2教学楼",
    "图书馆",
    "第一食堂",
    "第二食堂",
    "体育馆",
    "实验楼",
    "学生活动中心",
    "宿舍12栋",
    "校医院",
];

pub async fn seed(tx: &mut PgConnection, seed: &Seed, progress: &Progress) -> anyhow::Result<()> {
    let began = Instant::now();
    let rights = union_portal::departments::queries::fetch_department_id(&mut *tx, "rights")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no rights department: lending needs it"))?;
    let counts = &seed.counts;
    sqlx::query!(
        "insert into lending_station (department_id, name, district, place, opening_hours, capacity, min_stock, on_duty)
         select $1, ($2::text[])[1 + (i / $4) % 4] || ($3::text[])[1 + i % $4] || case when i >= $5 then ' ' || (i / $5 + 1) || '号点' else '' end,
                ($2::text[])[1 + (i / $4) % 4], ($3::text[])[1 + i % $4] || '一楼大厅',
                case when i % 3 = 0 then '' else '07:30–22:00' end, $6, $6 / 6, '权益服务部值班同学'
         from generate_series(0, $7::int8 - 1) i order by i",
        rights,
        &DISTRICTS.map(String::from),
        &PLACES.map(String::from),
        STATIONS_PER_DISTRICT,
        STATIONS_PER_DISTRICT * 4,
        (ITEMS_PER_STATION * 4 / 3) as i32,
        counts.lending_stations
    )
    .execute(&mut *tx)
    .await?;
    // Items `U000001` …: spread round the stations, all available to begin with.
    let items = sqlx::query!(
        "insert into lending_item (code, kind, department_id, home_station_id, station_id)
         select 'U' || lpad(k::text, 6, '0'), 'umbrella', $1, s.ids[1 + k % cardinality(s.ids)], s.ids[1 + k % cardinality(s.ids)]
         from generate_series(1, $2::int8) k,
              (select array_agg(station_id order by station_id) as ids from lending_station where department_id = $1) s
         order by k",
        rights,
        counts.lending_items
    )
    .execute(&mut *tx)
    .await?;
    progress.done("lending_item", items.rows_affected(), began);
    loans(tx, seed, rights).await?;
    progress.done("lending_loan", counts.lending_loans as u64, began);
    Ok(())
}

/// The term's returned loans, then today's open ones on the first items: one in twenty
/// of those lost (7–30 days overdue), one in five overdue (by hours), the rest due later.
async fn loans(tx: &mut PgConnection, seed: &Seed, rights: i64) -> anyhow::Result<()> {
    let counts = &seed.counts;
    let students = &seed.people.students;
    let open = counts.lending_open.min(counts.lending_items).min(students.len() as i64);
    sqlx::query!(
        "with stations as (select array_agg(station_id order by station_id) as ids from lending_station where department_id = $1),
              l as (select g, now() - random() * interval '120 days' as borrowed,
                           1 + (random() * (cardinality($2::int8[]) - 1))::int as who,
                           1 + (random() * ($3::int8 - 1))::int8 as item, interval '1 hour' * (1 + random() * 30) as kept
                    from generate_series(1, $4::int8) g)
         insert into lending_loan (item_id, kind, borrower_id, station_id, borrowed_at, due_at, returned_at, return_station_id)
         select i.item_id, 'umbrella', ($2::int8[])[l.who], i.station_id, l.borrowed, l.borrowed + interval '24 hours',
                least(l.borrowed + l.kept, now()), s.ids[1 + (l.g % cardinality(s.ids))]
         from l cross join stations s join lending_item i on i.code = 'U' || lpad(l.item::text, 6, '0')
         order by l.borrowed",
        rights,
        students,
        counts.lending_items,
        counts.lending_loans - open
    )
    .execute(&mut *tx)
    .await?;
    // Open loans: item k to the k-th student from the end, so every borrower holds one.
    sqlx::query!(
        "with o as (select k, case when k % 20 = 0 then now() - interval '1 day' * (8 + k % 23)
                                   when k % 5 = 0 then now() - interval '1 hour' * (25 + k % 40)
                                   else now() - interval '1 hour' * (k % 20) end as borrowed
                    from generate_series(1, $3::int8) k)
         insert into lending_loan (item_id, kind, borrower_id, station_id, borrowed_at, due_at, lost_at,
                                   reminded_at, overdue_told_at)
         select i.item_id, 'umbrella', ($2::int8[])[cardinality($2::int8[]) + 1 - o.k], i.station_id, o.borrowed,
                o.borrowed + interval '24 hours',
                case when o.k % 20 = 0 then o.borrowed + interval '8 days' end,
                case when o.borrowed + interval '22 hours' < now() then o.borrowed + interval '22 hours' end,
                case when o.borrowed + interval '24 hours' < now() then o.borrowed + interval '24 hours' end
         from o join lending_item i on i.code = 'U' || lpad(o.k::text, 6, '0') and i.department_id = $1
         order by o.k",
        rights,
        students,
        open
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update lending_item i set state = case when l.lost_at is null then 'on_loan' else 'lost' end
         from lending_loan l where l.item_id = i.item_id and l.returned_at is null and i.department_id = $1",
        rights
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
