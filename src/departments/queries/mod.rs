//! SQL of departments, terms, memberships and union roles.

use sqlx::PgExecutor;

mod admin;
pub use admin::*;

pub async fn fetch_current_term_id(db: impl PgExecutor<'_>) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!("select term_id from term where is_current").fetch_optional(db).await
}

pub async fn fetch_current_term_name(db: impl PgExecutor<'_>) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("select name from term where is_current").fetch_optional(db).await
}

/// A new current term, or the one a recruitment round named ahead (`prepared`, holding its
/// new members); any other term of that name is a unique violation (`term_name_key`).
pub async fn insert_current_term(db: impl PgExecutor<'_>, name: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"with prepared as (
               update term set is_current = true, prepared = false, started_on = current_date
               where name = $1 and prepared returning term_id),
           fresh as (
               insert into term (name, is_current) select $1, true where not exists (select 1 from prepared)
               returning term_id)
           select term_id as "term_id!" from prepared union all select term_id from fresh"#,
        name
    )
    .fetch_one(db)
    .await
}

pub async fn update_end_current_term(db: impl PgExecutor<'_>) -> sqlx::Result<()> {
    sqlx::query!("update term set is_current = false where is_current").execute(db).await?;
    Ok(())
}

pub struct TermRow {
    pub term_id: i64,
    pub name: String,
    pub started_on: chrono::NaiveDate,
    pub is_current: bool,
    pub memberships: i64,
}

pub async fn list_terms(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<TermRow>> {
    sqlx::query_as!(
        TermRow,
        r#"select t.term_id, t.name, t.started_on, t.is_current,
                  (select count(*) from membership m where m.term_id = t.term_id) as "memberships!"
           from term t order by t.term_id desc"#
    )
    .fetch_all(db)
    .await
}

pub async fn fetch_user_id(db: impl PgExecutor<'_>, student_no: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!("select user_id from app_user where student_no = $1", student_no).fetch_optional(db).await
}

/// The account a role would go to, and whether its student number is verified (a role needs it).
pub async fn fetch_grantee(db: impl PgExecutor<'_>, student_no: &str) -> sqlx::Result<Option<(i64, bool)>> {
    let row = sqlx::query!(
        r#"select user_id, verified_by is not null as "verified!" from app_user where student_no = $1"#,
        student_no
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.user_id, r.verified)))
}

pub async fn fetch_department_id(db: impl PgExecutor<'_>, slug: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!("select department_id from department where slug = $1 and archived_at is null", slug)
        .fetch_optional(db)
        .await
}

pub async fn fetch_membership_role(
    db: impl PgExecutor<'_>,
    user_id: i64,
    department_id: i64,
    term_id: i64,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        "select role from membership where user_id = $1 and department_id = $2 and term_id = $3",
        user_id,
        department_id,
        term_id
    )
    .fetch_optional(db)
    .await
}

pub async fn upsert_membership(
    db: impl PgExecutor<'_>,
    user_id: i64,
    department_id: i64,
    term_id: i64,
    role: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into membership (user_id, department_id, term_id, role) values ($1, $2, $3, $4)
         on conflict (user_id, department_id, term_id) do update set role = excluded.role
         returning membership_id",
        user_id,
        department_id,
        term_id,
        role
    )
    .fetch_one(db)
    .await
}

/// Like `upsert_membership`, but an existing head keeps the role: `None` then.
/// Heads manage members and vice heads, never one another; that is the admins' job.
pub async fn upsert_membership_below_head(
    db: impl PgExecutor<'_>,
    user_id: i64,
    department_id: i64,
    term_id: i64,
    role: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "insert into membership (user_id, department_id, term_id, role) values ($1, $2, $3, $4)
         on conflict (user_id, department_id, term_id) do update set role = excluded.role
         where membership.role <> 'head'
         returning membership_id",
        user_id,
        department_id,
        term_id,
        role
    )
    .fetch_optional(db)
    .await
}

pub struct RemovedMembership {
    pub user_id: i64,
    pub department_id: i64,
    pub role: String,
}

/// Remove a membership of this department in the current term; heads only by admins.
pub async fn delete_membership(
    db: impl PgExecutor<'_>,
    membership_id: i64,
    department_id: Option<i64>,
    allow_head: bool,
) -> sqlx::Result<Option<RemovedMembership>> {
    sqlx::query_as!(
        RemovedMembership,
        "delete from membership m
         using term t
         where m.membership_id = $1 and m.term_id = t.term_id and t.is_current
           and ($2::bigint is null or m.department_id = $2)
           and ($3 or m.role <> 'head')
         returning m.user_id, m.department_id, m.role",
        membership_id,
        department_id,
        allow_head
    )
    .fetch_optional(db)
    .await
}

#[derive(Clone)]
pub struct MemberRow {
    pub membership_id: i64,
    pub user_id: i64,
    pub name: String,
    pub student_no: String,
    pub college: String,
    pub role: String,
}

/// A department's members as the queue's filters offer them, from `Cached`:
/// cleared whenever roles change, in any process (app::reference_changes).
pub async fn members(state: &crate::app::AppState, department_id: i64) -> sqlx::Result<Vec<MemberRow>> {
    let all = state.cached.members.get_or_load(department_id, || list_members(&state.db, department_id)).await?;
    Ok(all.as_ref().clone())
}

pub async fn list_members(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<Vec<MemberRow>> {
    sqlx::query_as!(
        MemberRow,
        "select m.membership_id, u.user_id, u.name, u.student_no, u.college, m.role
         from membership m join app_user u using (user_id) join term t using (term_id)
         where m.department_id = $1 and t.is_current
         order by case m.role when 'head' then 0 when 'vice_head' then 1 else 2 end, u.name",
        department_id
    )
    .fetch_all(db)
    .await
}

pub async fn insert_union_role(
    db: impl PgExecutor<'_>,
    user_id: i64,
    role: &str,
    term_id: Option<i64>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "insert into union_role (user_id, role, term_id) values ($1, $2, $3)
         on conflict (user_id, role, term_id) do nothing returning union_role_id",
        user_id,
        role,
        term_id
    )
    .fetch_optional(db)
    .await
}

pub async fn count_admins(db: impl PgExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"select count(*) as "n!" from union_role r join app_user u using (user_id) where r.role = 'admin' and u.disabled_at is null"#)
        .fetch_one(db)
        .await
}

pub struct RemovedUnionRole {
    pub user_id: i64,
    pub role: String,
}

pub async fn delete_union_role(db: impl PgExecutor<'_>, union_role_id: i64) -> sqlx::Result<Option<RemovedUnionRole>> {
    sqlx::query_as!(
        RemovedUnionRole,
        "delete from union_role where union_role_id = $1 returning user_id, role",
        union_role_id
    )
    .fetch_optional(db)
    .await
}

pub struct UnionRoleRow {
    pub union_role_id: i64,
    pub name: String,
    pub student_no: String,
    pub role: String,
}

pub async fn list_union_roles(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<UnionRoleRow>> {
    sqlx::query_as!(
        UnionRoleRow,
        "select r.union_role_id, u.name, u.student_no, r.role
         from union_role r join app_user u using (user_id) left join term t using (term_id)
         where r.term_id is null or t.is_current
         order by r.role, u.name"
    )
    .fetch_all(db)
    .await
}

pub struct DepartmentRow {
    pub department_id: i64,
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub handles_complaints: bool,
    pub runs_lost_found: bool,
    pub organises_reception: bool,
    pub runs_events: bool,
    pub runs_inspections: bool,
    pub archived: bool,
    pub members: i64,
}

impl DepartmentRow {
    /// Where the department's staff area lives, as shown to administrators.
    pub fn path(&self) -> String {
        format!("/d/{}", self.slug)
    }
}

pub async fn list_departments(db: impl PgExecutor<'_>, include_archived: bool) -> sqlx::Result<Vec<DepartmentRow>> {
    sqlx::query_as!(
        DepartmentRow,
        r#"select d.department_id, d.slug, d.name_zh, d.name_en, d.handles_complaints, d.runs_lost_found,
                  d.organises_reception, d.runs_events, d.runs_inspections, d.archived_at is not null as "archived!",
                  (select count(*) from membership m join term t using (term_id)
                   where m.department_id = d.department_id and t.is_current) as "members!"
           from department d
           where $1 or d.archived_at is null
           order by d.sort_order, d.department_id"#,
        include_archived
    )
    .fetch_all(db)
    .await
}

/// Everyone holding a role in the department this term.
pub async fn current_member_ids(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "select m.user_id from membership m join term t using (term_id) where m.department_id = $1 and t.is_current",
        department_id
    )
    .fetch_all(db)
    .await
}
