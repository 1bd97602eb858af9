//! SQL of the administration pages: accounts, departments' settings, this term's memberships.

use serde_json::{json, Value};
use sqlx::{PgConnection, PgExecutor};

pub struct UserRow {
    pub user_id: i64,
    pub student_no: String,
    pub name: String,
    pub college: String,
    pub email: String,
    pub disabled: bool,
    /// `local`, `cas` or `oidc`.
    pub identity_source: String,
    /// Who vouched for the number (`cas`, `oidc`, `campus_mail`, `admin`, `cli`, `role`); None: unverified.
    pub verified_by: Option<String>,
}

pub struct MembershipRow {
    pub membership_id: i64,
    pub dept_name_zh: String,
    pub dept_name_en: String,
    pub name: String,
    pub student_no: String,
    pub role: String,
}

/// A page of accounts after `after` whose student number starts with `q`, character for
/// character (`%`, `_` and `\` are escaped for LIKE, so `%` does not list every account),
/// or whose name contains it; only the unverified ones when asked.
pub async fn list_users_page(
    db: impl PgExecutor<'_>,
    q: &str,
    unverified_only: bool,
    after: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<UserRow>> {
    sqlx::query_as!(
        UserRow,
        r#"select user_id, student_no, name, college, email, disabled_at is not null as "disabled!",
                  identity_source, verified_by
           from app_user
           where ($1 = '' or student_no like replace(replace(replace($1, '\', '\\'), '%', '\%'), '_', '\_') || '%' escape '\'
                  or strpos(name, $1) > 0)
             and ($2::bigint is null or user_id > $2)
             and (not $4 or verified_by is null)
           order by user_id limit $3"#,
        q,
        after,
        limit,
        unverified_only
    )
    .fetch_all(db)
    .await
}

/// Disable or enable an account; false when it already was.
pub async fn set_user_disabled(tx: &mut PgConnection, user_id: i64, disabled: bool) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update app_user set disabled_at = case when $2 then now() end
         where user_id = $1 and (disabled_at is not null) <> $2",
        user_id,
        disabled
    )
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A department's names, desks and whether it is archived.
pub struct DepartmentSettings {
    pub name_zh: String,
    pub name_en: String,
    pub handles_complaints: bool,
    pub runs_lost_found: bool,
    pub organises_reception: bool,
    pub runs_events: bool,
    pub runs_inspections: bool,
    pub archived: bool,
}

impl DepartmentSettings {
    /// As the audit trail records them.
    pub fn facts(&self) -> Value {
        json!({"name_zh": self.name_zh, "name_en": self.name_en, "handles_complaints": self.handles_complaints,
               "runs_lost_found": self.runs_lost_found, "organises_reception": self.organises_reception,
               "runs_events": self.runs_events, "runs_inspections": self.runs_inspections,
               "archived": self.archived})
    }
}

pub async fn insert_department(tx: &mut PgConnection, slug: &str, d: &DepartmentSettings) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into department (slug, name_zh, name_en, handles_complaints, runs_lost_found, organises_reception, runs_events, runs_inspections)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning department_id",
        slug,
        d.name_zh,
        d.name_en,
        d.handles_complaints,
        d.runs_lost_found,
        d.organises_reception,
        d.runs_events,
        d.runs_inspections
    )
    .fetch_one(tx)
    .await
}

/// A department's settings, locked for an edit.
pub async fn lock_department_settings(
    tx: &mut PgConnection,
    department_id: i64,
) -> sqlx::Result<Option<DepartmentSettings>> {
    sqlx::query_as!(
        DepartmentSettings,
        r#"select name_zh, name_en, handles_complaints, runs_lost_found, organises_reception, runs_events, runs_inspections,
                  archived_at is not null as "archived!"
           from department where department_id = $1 for update"#,
        department_id
    )
    .fetch_optional(tx)
    .await
}

/// New settings; archiving keeps the first archiving time.
pub async fn update_department_settings(
    tx: &mut PgConnection,
    department_id: i64,
    d: &DepartmentSettings,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update department set name_zh = $2, name_en = $3, handles_complaints = $4, runs_lost_found = $5, organises_reception = $6,
             runs_events = $8, runs_inspections = $9, archived_at = case when $7 then coalesce(archived_at, now()) else null end
         where department_id = $1",
        department_id,
        d.name_zh,
        d.name_en,
        d.handles_complaints,
        d.runs_lost_found,
        d.organises_reception,
        d.archived,
        d.runs_events,
        d.runs_inspections
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// This term's memberships, by department (in its order), heads first.
pub async fn list_current_memberships(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<MembershipRow>> {
    sqlx::query_as!(
        MembershipRow,
        "select m.membership_id, d.name_zh as dept_name_zh, d.name_en as dept_name_en, u.name, u.student_no, m.role
         from membership m join term t using (term_id) join department d using (department_id) join app_user u using (user_id)
         where t.is_current
         order by d.sort_order, case m.role when 'head' then 0 when 'vice_head' then 1 else 2 end, u.name"
    )
    .fetch_all(db)
    .await
}

/// An administrator vouches for an account's student number; false when it already was verified.
pub async fn verify_user(tx: &mut PgConnection, user_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update app_user set verified_by = 'admin', verified_at = now() where user_id = $1 and verified_by is null",
        user_id
    )
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
