//! Who may answer for a commitment.

use sqlx::PgExecutor;

/// Someone who may answer for a commitment: a current member of the department (no office),
/// or a liaison of a school office.
pub struct OwnerChoice {
    pub user_id: i64,
    pub name: String,
    pub office_zh: Option<String>,
    pub office_en: Option<String>,
}

/// The department's current members, then every office's liaisons, for a commitment's owner.
pub async fn list_owner_choices(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<Vec<OwnerChoice>> {
    sqlx::query_as!(
        OwnerChoice,
        r#"select user_id as "user_id!", name as "name!", office_zh, office_en from (
             select u.user_id, u.name, null::text as office_zh, null::text as office_en, 0 as sort_order, 0::bigint as office_id
             from membership b join term t using (term_id) join app_user u using (user_id)
             where t.is_current and b.department_id = $1
             union all
             select u.user_id, u.name, o.name_zh, o.name_en, o.sort_order, o.office_id
             from office_liaison l join app_user u using (user_id) join school_office o using (office_id)
           ) c order by office_zh is not null, sort_order, office_id, name"#,
        department_id
    )
    .fetch_all(db)
    .await
}
