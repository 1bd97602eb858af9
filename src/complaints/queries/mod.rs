//! SQL of the complaints area, one function per statement: reference data and the
//! complaint setup here; filing, one case, lists, a person's view and the workflow below.

mod case;
mod escalations;
mod filing;
mod lists;
mod mine;
mod setup;
mod workflow;
pub use case::*;
pub use escalations::*;
pub use filing::*;
pub use lists::*;
pub use mine::*;
pub use setup::*;
pub use workflow::*;

use sqlx::PgExecutor;

#[derive(Clone)]
pub struct Category {
    pub category_id: i64,
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub department_id: i64,
}

/// The categories as the forms and filters offer them, from `Cached`: they change
/// only on the setup page, which clears them.
pub async fn categories(state: &crate::app::AppState) -> sqlx::Result<Vec<Category>> {
    let all = state.cached.categories.get_or_load((), || list_categories(&state.db)).await?;
    Ok(all.as_ref().clone())
}

pub async fn list_categories(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Category>> {
    sqlx::query_as!(
        Category,
        "select category_id, slug, name_zh, name_en, department_id from complaint_category order by sort_order, category_id"
    )
    .fetch_all(db)
    .await
}

pub struct Office {
    pub office_id: i64,
    pub name_zh: String,
    pub name_en: String,
}

/// The school offices, from `Cached`: they change only on the setup page, which clears them.
pub async fn offices(state: &crate::app::AppState) -> sqlx::Result<std::sync::Arc<Vec<Office>>> {
    state.cached.offices.get_or_load((), || list_offices(&state.db)).await
}

pub async fn list_offices(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Office>> {
    sqlx::query_as!(Office, "select office_id, name_zh, name_en from school_office order by sort_order, office_id")
        .fetch_all(db)
        .await
}

/// A complaint to file. Its tracking number is made in the insert, from the next
/// number of `year`'s sequence (`next_tracking_number`, migrations/0017).
pub struct HandlingDepartment {
    pub department_id: i64,
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
}

pub async fn list_handling_departments(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<HandlingDepartment>> {
    sqlx::query_as!(
        HandlingDepartment,
        "select department_id, slug, name_zh, name_en from department where handles_complaints and archived_at is null order by sort_order"
    )
    .fetch_all(db)
    .await
}

/// The account with this student number and whether someone vouched for it (staff filing on behalf).
pub async fn fetch_account_by_number(db: impl PgExecutor<'_>, student_no: &str) -> sqlx::Result<Option<(i64, bool)>> {
    let row = sqlx::query!(
        r#"select user_id, verified_by is not null as "verified!" from app_user where student_no = $1 and disabled_at is null"#,
        student_no
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.user_id, r.verified)))
}
