//! SQL of the working calendar, one function per statement.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

use super::{DayKind, WorkCalendar};

/// Every day of the table, as the working-day rule reads them.
pub async fn load_calendar(db: impl PgExecutor<'_>) -> sqlx::Result<WorkCalendar> {
    let rows = sqlx::query!("select day, kind from calendar_day").fetch_all(db).await?;
    // The table's check allows no other kind; an unknown one would be ignored, not fatal.
    Ok(WorkCalendar::new(rows.into_iter().filter_map(|r| DayKind::parse(&r.kind).map(|k| (r.day, k)))))
}

pub struct CalendarDay {
    pub day: NaiveDate,
    pub kind: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// The days of one year, in order.
pub async fn list_days_of_year(db: impl PgExecutor<'_>, year: i32) -> sqlx::Result<Vec<CalendarDay>> {
    sqlx::query_as!(
        CalendarDay,
        "select day, kind, name, created_at from calendar_day
         where day >= make_date($1, 1, 1) and day < make_date($1 + 1, 1, 1)
         order by day",
        year
    )
    .fetch_all(db)
    .await
}

/// The years that have days in the table.
pub async fn list_years(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<i32>> {
    sqlx::query_scalar!(r#"select distinct extract(year from day)::int as "year!" from calendar_day order by 1"#)
        .fetch_all(db)
        .await
}

/// A new day; false when the date is already in the calendar.
pub async fn insert_day(db: impl PgExecutor<'_>, day: NaiveDate, kind: DayKind, name: &str) -> sqlx::Result<bool> {
    let inserted = sqlx::query_scalar!(
        "insert into calendar_day (day, kind, name) values ($1, $2, $3)
         on conflict (day) do nothing returning day",
        day,
        kind.as_str(),
        name
    )
    .fetch_optional(db)
    .await?;
    Ok(inserted.is_some())
}

/// Remove a day; what it was (kind, name), or None when it was not there.
pub async fn delete_day(db: impl PgExecutor<'_>, day: NaiveDate) -> sqlx::Result<Option<(String, String)>> {
    let removed =
        sqlx::query!("delete from calendar_day where day = $1 returning kind, name", day).fetch_optional(db).await?;
    Ok(removed.map(|r| (r.kind, r.name)))
}
