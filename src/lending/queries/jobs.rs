//! The reminder job's statements and the figures for `/stats`.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// A loan a reminder goes out for: claimed by the update, so each is told once across
/// processes.
pub struct Reminder {
    pub borrower_id: i64,
    pub code: String,
    pub due_at: DateTime<Utc>,
}

/// Loans due within their kind's reminder time and not yet reminded.
pub async fn claim_due_soon(db: impl PgExecutor<'_>, now: DateTime<Utc>) -> sqlx::Result<Vec<Reminder>> {
    sqlx::query_as!(
        Reminder,
        "update lending_loan l set reminded_at = $1
         from lending_kind k, lending_item i
         where k.kind = l.kind and i.item_id = l.item_id and l.returned_at is null and l.reminded_at is null
           and l.due_at > $1 and l.due_at - make_interval(hours => k.remind_before_hours) <= $1
         returning l.borrower_id, i.code, l.due_at",
        now
    )
    .fetch_all(db)
    .await
}

/// Loans past due whose borrower has not been told.
pub async fn claim_overdue(db: impl PgExecutor<'_>, now: DateTime<Utc>) -> sqlx::Result<Vec<Reminder>> {
    sqlx::query_as!(
        Reminder,
        "update lending_loan l set overdue_told_at = $1 from lending_item i
         where i.item_id = l.item_id and l.returned_at is null and l.overdue_told_at is null and l.due_at <= $1
         returning l.borrower_id, i.code, l.due_at",
        now
    )
    .fetch_all(db)
    .await
}

/// Loans overdue for their kind's `lost_after_days`: the loan is marked lost and so is
/// its item (still open: a late return closes it).
pub async fn mark_lost(db: impl PgExecutor<'_>, now: DateTime<Utc>) -> sqlx::Result<Vec<Reminder>> {
    sqlx::query_as!(
        Reminder,
        "with lost as (
             update lending_loan l set lost_at = $1 from lending_kind k
             where k.kind = l.kind and l.returned_at is null and l.lost_at is null
               and l.due_at + make_interval(days => k.lost_after_days) <= $1
             returning l.item_id, l.borrower_id, l.due_at)
         update lending_item i set state = 'lost' from lost where i.item_id = lost.item_id
         returning lost.borrower_id, i.code, lost.due_at",
        now
    )
    .fetch_all(db)
    .await
}

/// The department's figures for `/stats`: loans per week (the last twelve), the share returned,
/// items lost, the busiest stations.
pub struct WeekLoans {
    pub week: chrono::NaiveDate,
    pub loans: i64,
}

pub async fn list_loans_per_week(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<WeekLoans>> {
    sqlx::query_as!(
        WeekLoans,
        r#"select (date_trunc('week', borrowed_at at time zone 'Asia/Shanghai'))::date as "week!", count(*) as "loans!"
           from lending_loan where borrowed_at > now() - interval '12 weeks' group by 1 order by 1"#
    )
    .fetch_all(db)
    .await
}

#[derive(Default)]
pub struct LendingTotals {
    pub loans: i64,
    pub returned: i64,
    pub lost: i64,
}

pub async fn fetch_totals(db: impl PgExecutor<'_>) -> sqlx::Result<LendingTotals> {
    sqlx::query_as!(
        LendingTotals,
        r#"select count(*) as "loans!", count(returned_at) as "returned!",
                  (select count(*) from lending_item where state = 'lost') as "lost!"
           from lending_loan"#
    )
    .fetch_one(db)
    .await
}

pub struct BusyStation {
    pub name: String,
    pub loans: i64,
}

pub async fn list_busiest_stations(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<BusyStation>> {
    sqlx::query_as!(
        BusyStation,
        r#"select s.name, count(*) as "loans!" from lending_loan l join lending_station s using (station_id)
           group by s.station_id, s.name order by 2 desc, s.name limit 5"#
    )
    .fetch_all(db)
    .await
}
