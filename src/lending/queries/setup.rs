//! The department's setup of lending: one station to edit or close, an item's state
//! (in repair, retired, back on the shelf) and the rules of each kind. Every statement
//! on stations and items is scoped by the department; kinds are shared by every
//! department that lends (one umbrella rule for the whole university).

use sqlx::PgExecutor;

use super::{NewStation, StationStock};

/// One station of the department, with what is on its shelf now.
pub async fn fetch_station(
    db: impl PgExecutor<'_>,
    department_id: i64,
    station_id: i64,
) -> sqlx::Result<Option<StationStock>> {
    sqlx::query_as!(
        StationStock,
        r#"select s.station_id, s.name, s.district, s.place, s.opening_hours, s.capacity, s.min_stock, s.on_duty, s.closed,
                  s.available::int8 as "available!"
           from lending_station s where s.station_id = $2 and s.department_id = $1"#,
        department_id,
        station_id
    )
    .fetch_optional(db)
    .await
}

/// Save a station's details; closing it only while nothing is on its shelf (checked by
/// the update itself, so an item returned there meanwhile keeps it open). Whether it saved.
pub async fn update_station(
    db: impl PgExecutor<'_>,
    department_id: i64,
    station_id: i64,
    s: &NewStation<'_>,
    closed: bool,
) -> sqlx::Result<bool> {
    let saved = sqlx::query!(
        "update lending_station st
         set name = $3, district = $4, place = $5, opening_hours = $6, capacity = $7, min_stock = $8, on_duty = $9, closed = $10
         where st.station_id = $2 and st.department_id = $1
           and not ($10 and exists (select 1 from lending_item i where i.station_id = st.station_id and i.state = 'available'))",
        department_id,
        station_id,
        s.name,
        s.district,
        s.place,
        s.opening_hours,
        s.capacity,
        s.min_stock,
        s.on_duty,
        closed
    )
    .execute(db)
    .await?;
    Ok(saved.rows_affected() == 1)
}

/// Put one of the department's items in repair, retire it, or put it back on the shelf:
/// only from the shelf, repair or retirement (a lent item comes back by a return, a lost
/// one when it is found). The item's state before, or `None` when the department has no
/// such item; whether it changed.
pub async fn set_item_state(
    db: impl PgExecutor<'_>,
    department_id: i64,
    code: &str,
    state: &str,
) -> sqlx::Result<Option<(String, bool)>> {
    let row = sqlx::query!(
        r#"with item as (select item_id, state from lending_item where code = $2 and department_id = $1),
                changed as (update lending_item i set state = $3 from item
                            where i.item_id = item.item_id and i.state in ('available', 'repair', 'retired')
                            returning 1)
           select state as "before!", exists (select 1 from changed) as "changed!" from item"#,
        department_id,
        code,
        state
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.before, r.changed)))
}

/// A kind of item and its rules.
#[derive(Clone)]
pub struct KindRules {
    pub kind: String,
    pub name_zh: String,
    pub name_en: String,
    pub loan_hours: i32,
    pub open_loan_limit: i32,
    pub remind_before_hours: i32,
    pub lost_after_days: i32,
}

pub async fn list_kinds(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<KindRules>> {
    sqlx::query_as!(
        KindRules,
        "select kind, name_zh, name_en, loan_hours, open_loan_limit, remind_before_hours, lost_after_days
         from lending_kind order by kind"
    )
    .fetch_all(db)
    .await
}

pub async fn fetch_kind(db: impl PgExecutor<'_>, kind: &str) -> sqlx::Result<Option<KindRules>> {
    sqlx::query_as!(
        KindRules,
        "select kind, name_zh, name_en, loan_hours, open_loan_limit, remind_before_hours, lost_after_days
         from lending_kind where kind = $1",
        kind
    )
    .fetch_optional(db)
    .await
}

/// New rules for a kind; loans already made keep the due time they were given.
pub async fn update_kind(db: impl PgExecutor<'_>, rules: &KindRules) -> sqlx::Result<bool> {
    let saved = sqlx::query!(
        "update lending_kind set loan_hours = $2, open_loan_limit = $3, remind_before_hours = $4, lost_after_days = $5
         where kind = $1",
        rules.kind,
        rules.loan_hours,
        rules.open_loan_limit,
        rules.remind_before_hours,
        rules.lost_after_days
    )
    .execute(db)
    .await?;
    Ok(saved.rows_affected() == 1)
}
