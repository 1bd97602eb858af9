//! The collection points: where found things wait for their owners; the staff's reads and
//! writes, and an open point as the public sees it (its poster).

use sqlx::PgExecutor;

use crate::lost_found::forms::PointValues;

#[derive(Clone)]
pub struct Point {
    pub point_id: i64,
    pub department_id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub address: String,
    pub opening_hours: String,
    pub sort_order: i32,
    pub archived: bool,
}

/// Every point (the public list's filter, the bulletins' sections), kept a few seconds like
/// other reference data and forgotten in every process when any writer changes a point
/// (`app::reference_changes`, migrations/0057).
pub async fn all_points(state: &crate::app::AppState) -> sqlx::Result<std::sync::Arc<Vec<Point>>> {
    state.cached.points.get_or_load((), || list_points(&state.db, None)).await
}

/// Every point, open ones first; `department_id` limits to one department's.
pub async fn list_points(db: impl PgExecutor<'_>, department_id: Option<i64>) -> sqlx::Result<Vec<Point>> {
    sqlx::query_as!(
        Point,
        r#"select point_id, department_id, name_zh, name_en, address, opening_hours, sort_order,
                  archived_at is not null as "archived!"
           from collection_point where $1::bigint is null or department_id = $1
           order by archived_at is not null, sort_order, point_id"#,
        department_id
    )
    .fetch_all(db)
    .await
}

/// One point of this department, locked until the transaction ends (an edit's state before).
pub async fn fetch_point_for_update(
    db: impl PgExecutor<'_>,
    point_id: i64,
    department_id: i64,
) -> sqlx::Result<Option<Point>> {
    sqlx::query_as!(
        Point,
        r#"select point_id, department_id, name_zh, name_en, address, opening_hours, sort_order,
                  archived_at is not null as "archived!"
           from collection_point where point_id = $1 and department_id = $2 for update"#,
        point_id,
        department_id
    )
    .fetch_optional(db)
    .await
}

/// Where a point is, for the card owner's notice: (name, address, opening hours).
pub async fn fetch_point_place(db: impl PgExecutor<'_>, point_id: i64) -> sqlx::Result<(String, String, String)> {
    let p = sqlx::query!("select name_zh, address, opening_hours from collection_point where point_id = $1", point_id)
        .fetch_one(db)
        .await?;
    Ok((p.name_zh, p.address, p.opening_hours))
}

/// A point's new name, place and hours, if it is the department's: its id, or None.
pub async fn update_point(
    tx: &mut sqlx::PgConnection,
    point_id: i64,
    department_id: i64,
    v: &PointValues,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "update collection_point set name_zh = $3, name_en = $4, address = $5, opening_hours = $6, sort_order = $7,
                archived_at = case when $8 then coalesce(archived_at, now()) end
         where point_id = $1 and department_id = $2 returning point_id",
        point_id,
        department_id,
        v.name_zh,
        v.name_en,
        v.address,
        v.opening_hours,
        v.sort_order,
        v.archived
    )
    .fetch_optional(tx)
    .await
}

pub async fn insert_point(tx: &mut sqlx::PgConnection, department_id: i64, v: &PointValues) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into collection_point (department_id, name_zh, name_en, address, opening_hours, sort_order)
         values ($1, $2, $3, $4, $5, $6) returning point_id",
        department_id,
        v.name_zh,
        v.name_en,
        v.address,
        v.opening_hours,
        v.sort_order
    )
    .fetch_one(tx)
    .await
}

/// An open point with the department that keeps it.
pub struct PublicPoint {
    pub point_id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub address: String,
    pub opening_hours: String,
    pub dept_zh: String,
    pub dept_en: String,
}

/// The point if it is open (a closed point takes nothing in, so it has no poster).
pub async fn fetch_open_point(db: impl PgExecutor<'_>, point_id: i64) -> sqlx::Result<Option<PublicPoint>> {
    sqlx::query_as!(
        PublicPoint,
        "select p.point_id, p.name_zh, p.name_en, p.address, p.opening_hours,
                d.name_zh as dept_zh, d.name_en as dept_en
         from collection_point p join department d using (department_id)
         where p.point_id = $1 and p.archived_at is null",
        point_id
    )
    .fetch_optional(db)
    .await
}
