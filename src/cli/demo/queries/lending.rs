//! The demo's lending rows: six stations, 120 tagged umbrellas and a term of loans, which
//! no form makes at once (a loan borrowed weeks ago, returned, overdue or lost).

use sqlx::PgExecutor;

pub async fn any_lending_station(db: impl PgExecutor<'_>) -> sqlx::Result<bool> {
    sqlx::query_scalar!(r#"select exists(select 1 from lending_station) as "e!""#).fetch_one(db).await
}

/// Six stations of the rights department in 西区 and 北区, twenty umbrellas each (XQ0001…
/// in 西区, BQ0001… in 北区); how many umbrellas.
pub async fn insert_stations_and_umbrellas(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"with s as (
               insert into lending_station (department_id, name, district, place, opening_hours, capacity, min_stock, on_duty)
               select $1, v.name, v.district, v.place, v.hours, v.capacity, v.min_stock, v.duty
               from (values ('西区第一教学楼', '西区', '一楼大厅东侧', '', 40, 12, '周一至周五 权益服务部值班'),
                            ('西区食堂', '西区', '二食堂门口', '06:30–21:00', 30, 8, ''),
                            ('西区图书馆', '西区', '总服务台旁', '08:00–22:30', 30, 8, '图书馆志愿者'),
                            ('北区图书馆', '北区', '北门入口', '08:00–22:30', 40, 10, ''),
                            ('北区第二教学楼', '北区', '一楼楼梯口', '', 30, 8, ''),
                            ('北区宿舍区', '北区', '24栋宿管站', '', 30, 6, '宿管阿姨'))
                    v(name, district, place, hours, capacity, min_stock, duty)
               returning station_id, district)
           insert into lending_item (code, kind, department_id, home_station_id, station_id)
           select case s.district when '西区' then 'XQ' else 'BQ' end
                  || lpad((row_number() over (partition by s.district order by s.station_id, g))::text, 4, '0'),
                  'umbrella', $1, s.station_id, s.station_id
           from s, generate_series(1, 20) g
           returning 1 as "one!""#,
        department_id
    )
    .fetch_all(db)
    .await
    .map(|rows| rows.len() as i64)
}

/// A term of loans (sixteen weeks, returned at any station), by verified accounts other than
/// `spared` (the demo student, whose journey borrows); how many.
pub async fn insert_past_loans(db: impl PgExecutor<'_>, department_id: i64, spared: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"with people as (select user_id, row_number() over (order by user_id) as k from app_user
                           where verified_by is not null and user_id <> $2),
                items as (select item_id, station_id, row_number() over (order by item_id) as k from lending_item
                          where department_id = $1),
                stations as (select station_id, row_number() over (order by station_id) as k from lending_station
                             where department_id = $1),
                loans as (
                    insert into lending_loan (item_id, kind, borrower_id, station_id, borrowed_at, due_at, returned_at,
                                              return_station_id, reminded_at)
                    select i.item_id, 'umbrella', p.user_id, i.station_id, t.at, t.at + interval '24 hours',
                           t.at + make_interval(hours => 2 + n % 30), s.station_id,
                           case when n % 30 >= 22 then t.at + interval '22 hours' end
                    from generate_series(1, 480) n
                    cross join lateral (select now() - make_interval(days => 1 + (n * 7) % 112, hours => n % 12) as at) t
                    join items i on i.k = 1 + (n * 13) % 120
                    join people p on p.k = 1 + n % (select count(*) from people)
                    join stations s on s.k = 1 + (n * 5) % 6
                    returning 1)
           select count(*) as "n!" from loans"#,
        department_id,
        spared
    )
    .fetch_one(db)
    .await
}

/// Loans still open today: eight on time, three overdue, two lost; each by its own
/// account (never `spared`), each umbrella taken off its shelf.
pub async fn insert_open_loans(db: impl PgExecutor<'_>, department_id: i64, spared: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"with people as (select user_id, row_number() over (order by user_id desc) as k from app_user
                           where verified_by is not null and user_id <> $2),
                items as (select item_id, station_id, row_number() over (order by item_id desc) as k from lending_item
                          where department_id = $1),
                plan as (select n, case when n <= 8 then 'on_loan' when n <= 11 then 'overdue' else 'lost' end as kind,
                                case when n <= 8 then now() - make_interval(hours => n)
                                     when n <= 11 then now() - make_interval(days => n - 7)
                                     else now() - make_interval(days => 10 + n) end as at
                         from generate_series(1, 13) n),
                loans as (
                    insert into lending_loan (item_id, kind, borrower_id, station_id, borrowed_at, due_at, overdue_told_at, lost_at)
                    select i.item_id, 'umbrella', p.user_id, i.station_id, plan.at, plan.at + interval '24 hours',
                           case when plan.kind <> 'on_loan' then plan.at + interval '24 hours' end,
                           case when plan.kind = 'lost' then plan.at + interval '8 days' end
                    from plan join items i on i.k = plan.n join people p on p.k = plan.n
                    returning item_id, lost_at),
                taken as (update lending_item i set state = case when loans.lost_at is null then 'on_loan' else 'lost' end
                          from loans where i.item_id = loans.item_id returning 1)
           select count(*) as "n!" from taken"#,
        department_id,
        spared
    )
    .fetch_one(db)
    .await
}
