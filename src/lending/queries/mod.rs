//! Every SQL statement of lending, one function each. Borrowing and returning are one
//! call each to the SQL functions `lending_borrow` and `lending_return` (migration 0047),
//! which hold the rules and the locks; the department's reads all filter by department.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

pub mod jobs;
mod loans;
pub mod setup;
pub use loans::{borrow, give_back};

/// A station on the public page, with its items available now.
pub struct PublicStation {
    pub station_id: i64,
    pub name: String,
    pub district: String,
    pub place: String,
    pub opening_hours: String,
    pub capacity: i32,
    pub available: i64,
}

/// Every open station, by district, with its count of available items (kept by the items'
/// triggers, migration 0052): one query, no cache.
pub async fn list_public_stations(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<PublicStation>> {
    sqlx::query_as!(
        PublicStation,
        r#"select s.station_id, s.name, s.district, s.place, s.opening_hours, s.capacity,
                  s.available::int8 as "available!"
           from lending_station s where not s.closed order by s.district, s.name"#
    )
    .fetch_all(db)
    .await
}

/// A station on the department's page: its stock against capacity and minimum.
#[derive(Clone)]
pub struct StationStock {
    pub station_id: i64,
    pub name: String,
    pub district: String,
    pub place: String,
    pub opening_hours: String,
    pub capacity: i32,
    pub min_stock: i32,
    pub on_duty: String,
    pub closed: bool,
    pub available: i64,
}

pub async fn list_station_stock(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<Vec<StationStock>> {
    sqlx::query_as!(
        StationStock,
        r#"select s.station_id, s.name, s.district, s.place, s.opening_hours, s.capacity, s.min_stock, s.on_duty, s.closed,
                  s.available::int8 as "available!"
           from lending_station s where s.department_id = $1 order by s.closed, s.district, s.name"#,
        department_id
    )
    .fetch_all(db)
    .await
}

pub struct NewStation<'a> {
    pub name: &'a str,
    pub district: &'a str,
    pub place: &'a str,
    pub opening_hours: &'a str,
    pub capacity: i32,
    pub min_stock: i32,
    pub on_duty: &'a str,
}

pub async fn insert_station(db: impl PgExecutor<'_>, department_id: i64, s: &NewStation<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into lending_station (department_id, name, district, place, opening_hours, capacity, min_stock, on_duty)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning station_id",
        department_id,
        s.name,
        s.district,
        s.place,
        s.opening_hours,
        s.capacity,
        s.min_stock,
        s.on_duty
    )
    .fetch_one(db)
    .await
}

/// Tag `count` new items of `kind` at a station of the department, coded `{prefix}{n:04}`
/// after the highest number the prefix has; the codes made, or none if the station is not
/// the department's (or is closed).
pub async fn insert_items(
    db: impl PgExecutor<'_>,
    department_id: i64,
    station_id: i64,
    kind: &str,
    prefix: &str,
    count: i32,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        r#"with station as (select station_id from lending_station where station_id = $2 and department_id = $1 and not closed),
                last as (select coalesce(max(substr(code, char_length($4) + 1)::int), 0) as n from lending_item
                         where code like $4 || '%' and substr(code, char_length($4) + 1) ~ '^[0-9]+$')
           insert into lending_item (code, kind, department_id, home_station_id, station_id)
           select $4 || lpad((last.n + g)::text, 4, '0'), $3, $1, station.station_id, station.station_id
           from station, last, generate_series(1, $5) g
           returning code"#,
        department_id,
        station_id,
        kind,
        prefix,
        count
    )
    .fetch_all(db)
    .await
}

/// An item as the student who scanned its tag sees it.
pub struct ItemView {
    pub code: String,
    pub kind_zh: String,
    pub kind_en: String,
    pub loan_hours: i32,
    pub state: String,
    pub department_id: i64,
    pub station_name: String,
    /// The open loan's borrower and due time, if it is lent.
    pub borrower_id: Option<i64>,
    pub due_at: Option<DateTime<Utc>>,
}

pub async fn fetch_item(db: impl PgExecutor<'_>, code: &str) -> sqlx::Result<Option<ItemView>> {
    sqlx::query_as!(
        ItemView,
        r#"select i.code, k.name_zh as kind_zh, k.name_en as kind_en, k.loan_hours, i.state, i.department_id,
                  s.name as station_name, l.borrower_id as "borrower_id?", l.due_at as "due_at?"
           from lending_item i join lending_kind k using (kind) join lending_station s on s.station_id = i.station_id
           left join lending_loan l on l.item_id = i.item_id and l.returned_at is null
           where i.code = $1"#,
        code
    )
    .fetch_optional(db)
    .await
}

/// A station to return to: an open one of the item's department.
pub struct StationChoice {
    pub station_id: i64,
    pub name: String,
}

pub async fn list_station_choices(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<Vec<StationChoice>> {
    sqlx::query_as!(
        StationChoice,
        "select station_id, name from lending_station where department_id = $1 and not closed order by district, name",
        department_id
    )
    .fetch_all(db)
    .await
}

/// An active account by its 学号, for the staffed desk.
pub async fn find_student(db: impl PgExecutor<'_>, student_no: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!("select user_id from app_user where student_no = $1 and disabled_at is null", student_no)
        .fetch_optional(db)
        .await
}

/// An open loan, for the department's lists and the student's own page.
pub struct LoanRow {
    pub code: String,
    pub kind_zh: String,
    pub kind_en: String,
    pub student_no: String,
    pub borrower_name: String,
    pub station_name: String,
    pub borrowed_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub lost: bool,
}

/// The department's open loans (`overdue_only`: due before `now`), soonest due first.
pub async fn list_open_loans(
    db: impl PgExecutor<'_>,
    department_id: i64,
    overdue_only: bool,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<LoanRow>> {
    sqlx::query_as!(
        LoanRow,
        r#"select i.code, k.name_zh as kind_zh, k.name_en as kind_en, u.student_no, u.name as borrower_name,
                  s.name as station_name, l.borrowed_at, l.due_at, l.lost_at is not null as "lost!"
           from lending_loan l join lending_item i using (item_id) join lending_kind k on k.kind = l.kind
           join app_user u on u.user_id = l.borrower_id join lending_station s on s.station_id = l.station_id
           where i.department_id = $1 and l.returned_at is null and (not $2 or l.due_at < $3)
           order by l.due_at limit 200"#,
        department_id,
        overdue_only,
        now
    )
    .fetch_all(db)
    .await
}

/// One student's open loans, whatever the department.
pub async fn list_my_loans(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<Vec<LoanRow>> {
    sqlx::query_as!(
        LoanRow,
        r#"select i.code, k.name_zh as kind_zh, k.name_en as kind_en, u.student_no, u.name as borrower_name,
                  s.name as station_name, l.borrowed_at, l.due_at, l.lost_at is not null as "lost!"
           from lending_loan l join lending_item i using (item_id) join lending_kind k on k.kind = l.kind
           join app_user u on u.user_id = l.borrower_id join lending_station s on s.station_id = l.station_id
           where l.borrower_id = $1 and l.returned_at is null order by l.due_at"#,
        user_id
    )
    .fetch_all(db)
    .await
}

/// Carry up to `count` available items from one of the department's stations to another (open) one;
/// how many moved (fewer when fewer were there), recorded as one move. Both stations are
/// locked first, in id order: each item's trigger then updates their shelf counts, and two
/// moves in opposite directions wait for each other instead of deadlocking.
pub async fn move_stock(
    db: impl PgExecutor<'_>,
    department_id: i64,
    from: i64,
    to: i64,
    count: i32,
    by: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"with locked as (select station_id, closed from lending_station where station_id in ($2, $3) and department_id = $1
                           order by station_id for update),
                target as (select station_id from locked where station_id = $3 and not closed),
                picked as (select i.item_id from lending_item i, target
                           where i.station_id = $2 and i.department_id = $1 and i.state = 'available' and $2 <> $3
                           order by i.item_id limit $4 for update of i skip locked),
                moved as (update lending_item i set station_id = $3 from picked where i.item_id = picked.item_id returning 1),
                recorded as (insert into lending_move (department_id, from_station_id, to_station_id, moved, moved_by)
                             select $1, $2, $3, count(*), $5 from moved having count(*) > 0 returning moved)
           select count(*) as "moved!" from moved"#,
        department_id,
        from,
        to,
        i64::from(count),
        by
    )
    .fetch_one(db)
    .await
}

/// The department's items, by station and code, for the label sheet.
pub struct Label {
    pub code: String,
    pub station_name: String,
}

pub async fn list_labels(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<Vec<Label>> {
    sqlx::query_as!(
        Label,
        "select i.code, s.name as station_name from lending_item i join lending_station s on s.station_id = i.home_station_id
         where i.department_id = $1 and i.state <> 'retired' order by s.name, i.code limit 1000",
        department_id
    )
    .fetch_all(db)
    .await
}
