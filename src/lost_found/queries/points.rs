//! A collection point as the public sees it (its poster); the staff's reads and writes of
//! points are in `queries` itself.

use sqlx::PgExecutor;

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
