//! The complaint setup (`/admin/complaint-setup`): categories and school offices.

use sqlx::{PgConnection, PgExecutor};

/// A department that handles complaints and is not archived, by slug.
pub async fn fetch_handling_department_id(db: impl PgExecutor<'_>, slug: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "select department_id from department where slug = $1 and handles_complaints and archived_at is null",
        slug
    )
    .fetch_optional(db)
    .await
}

/// A category's names and department slug, locked for an edit.
pub async fn lock_category(tx: &mut PgConnection, category_id: i64) -> sqlx::Result<Option<(String, String, String)>> {
    let row = sqlx::query!(
        "select c.name_zh, c.name_en, d.slug from complaint_category c join department d using (department_id)
         where c.category_id = $1 for update of c",
        category_id
    )
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|r| (r.name_zh, r.name_en, r.slug)))
}

pub async fn update_category(
    tx: &mut PgConnection,
    category_id: i64,
    (name_zh, name_en): (&str, &str),
    department_id: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "update complaint_category set name_zh = $2, name_en = $3, department_id = $4 where category_id = $1 returning category_id",
        category_id,
        name_zh,
        name_en,
        department_id
    )
    .fetch_optional(tx)
    .await
}

pub async fn insert_category(
    tx: &mut PgConnection,
    slug: &str,
    (name_zh, name_en): (&str, &str),
    department_id: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into complaint_category (slug, name_zh, name_en, department_id) values ($1, $2, $3, $4) returning category_id",
        slug,
        name_zh,
        name_en,
        department_id
    )
    .fetch_one(tx)
    .await
}

/// An office's names, locked for an edit.
pub async fn lock_office(tx: &mut PgConnection, office_id: i64) -> sqlx::Result<Option<(String, String)>> {
    let row = sqlx::query!("select name_zh, name_en from school_office where office_id = $1 for update", office_id)
        .fetch_optional(tx)
        .await?;
    Ok(row.map(|r| (r.name_zh, r.name_en)))
}

pub async fn update_office(
    tx: &mut PgConnection,
    office_id: i64,
    (name_zh, name_en): (&str, &str),
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "update school_office set name_zh = $2, name_en = $3 where office_id = $1 returning office_id",
        office_id,
        name_zh,
        name_en
    )
    .fetch_optional(tx)
    .await
}

pub async fn insert_office(tx: &mut PgConnection, (name_zh, name_en): (&str, &str)) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into school_office (name_zh, name_en) values ($1, $2) returning office_id",
        name_zh,
        name_en
    )
    .fetch_one(tx)
    .await
}
