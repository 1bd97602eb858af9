//! `/admin`: users, departments, memberships and union roles, term handover, and
//! the whole audit trail. Only union administrators get here (`require_admin`);
//! every change is audited.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, IntoResponse, Response},
    Form,
};
use serde::Deserialize;
use serde_json::json;

use super::{queries, roles, DepartmentPath, MembershipPath, UnionRolePath, UserPath};
use crate::{
    accounts::{one_line, StudentNo},
    app::AppState,
    audit,
    error::{AppError, AppResult, ResultExt},
    web::{context::redirect_with_flash, render, session, CurrentUser, DeptRole, FormErrors, Html422, Layout, Path},
};

#[derive(Template)]
#[template(path = "admin/overview.html")]
struct OverviewPage {
    layout: Layout,
    terms: Vec<queries::TermRow>,
    errors: FormErrors,
    term_name: String,
}

async fn overview(state: &AppState, layout: Layout, errors: FormErrors, term_name: String) -> AppResult<String> {
    let terms = queries::list_terms(&state.db).await?;
    render(OverviewPage { layout, terms, errors, term_name })
}

pub async fn show_overview(State(state): State<AppState>, layout: Layout) -> AppResult<Html<String>> {
    Ok(Html(overview(&state, layout, FormErrors::default(), String::new()).await?))
}

#[derive(Deserialize)]
pub struct HandoverForm {
    #[serde(default)]
    name: String,
}

pub async fn handover_term(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    Form(form): Form<HandoverForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::default();
    match one_line(&form.name, 40, true) {
        Ok(name) => match roles::handover(&state.db, user.user_id, &name)
            .await
            .map_err(AppError::from)
            .on_constraint("term_name_key", || AppError::Conflict(""))
        {
            Ok(_) => {
                state.cached.members.clear();
                return Ok(redirect_with_flash("/admin", "flash.term_handed_over", Some(&name)));
            }
            Err(AppError::Conflict(_)) => errors.add("name", "form.term.taken"),
            Err(e) => return Err(e),
        },
        Err(key) => errors.add("name", key),
    }
    Ok(Html422(overview(&state, layout, errors, form.name).await?).into_response())
}

pub struct UserRow {
    pub user_id: i64,
    pub student_no: String,
    pub name: String,
    pub college: String,
    pub email: String,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    layout: Layout,
    q: String,
    users: Vec<UserRow>,
    next_after: Option<i64>,
}

#[derive(Deserialize)]
pub struct UsersQuery {
    #[serde(default)]
    q: String,
    after: Option<i64>,
}

const USERS_PAGE: i64 = 50;

pub async fn list_users(
    State(state): State<AppState>,
    layout: Layout,
    Query(query): Query<UsersQuery>,
) -> AppResult<Html<String>> {
    let q = crate::web::forms::search_text(query.q.trim()).chars().take(50).collect::<String>();
    // What the admin typed is a prefix of a student number, character for character:
    // `%`, `_` and `\` are escaped for LIKE, so `%` does not list every account.
    let users = sqlx::query_as!(
        UserRow,
        r#"select user_id, student_no, name, college, email, disabled_at is not null as "disabled!"
           from app_user
           where ($1 = '' or student_no like replace(replace(replace($1, '\', '\\'), '%', '\%'), '_', '\_') || '%' escape '\'
                  or strpos(name, $1) > 0)
             and ($2::bigint is null or user_id > $2)
           order by user_id limit $3"#,
        q,
        query.after,
        USERS_PAGE
    )
    .fetch_all(&state.db)
    .await?;
    let next_after = crate::web::forms::next_cursor(&users, USERS_PAGE, |u| u.user_id);
    Ok(Html(render(UsersPage { layout, q, users, next_after })?))
}

pub async fn disable_user(
    State(state): State<AppState>,
    CurrentUser(admin): CurrentUser,
    Path(UserPath { user_id }): Path<UserPath>,
) -> AppResult<Response> {
    if user_id == admin.user_id {
        return Err(AppError::Conflict("error.409.self"));
    }
    set_disabled(&state, admin.user_id, user_id, true).await
}

pub async fn enable_user(
    State(state): State<AppState>,
    CurrentUser(admin): CurrentUser,
    Path(UserPath { user_id }): Path<UserPath>,
) -> AppResult<Response> {
    set_disabled(&state, admin.user_id, user_id, false).await
}

/// Disabling also ends every session of the account at once.
async fn set_disabled(state: &AppState, admin_id: i64, user_id: i64, disabled: bool) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let done = sqlx::query!(
        "update app_user set disabled_at = case when $2 then now() end
         where user_id = $1 and (disabled_at is not null) <> $2",
        user_id,
        disabled
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 1 {
        if disabled {
            session::delete_other_sessions(&mut *tx, user_id, None).await?;
        }
        let action = if disabled { audit::Action::UserDisable } else { audit::Action::UserEnable };
        let (before, after) = (json!({ "disabled": !disabled }), json!({ "disabled": disabled }));
        audit::record(
            &mut *tx,
            Some(admin_id),
            None,
            action,
            "app_user",
            &user_id.to_string(),
            Some(before),
            Some(after),
        )
        .await?;
    }
    tx.commit().await?;
    let flash = if disabled { "flash.user_disabled" } else { "flash.user_enabled" };
    Ok(redirect_with_flash("/admin/users", flash, None))
}

#[derive(Template)]
#[template(path = "admin/departments.html")]
struct DepartmentsPage {
    layout: Layout,
    departments: Vec<queries::DepartmentRow>,
    form: DepartmentForm,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DepartmentForm {
    slug: String,
    name_zh: String,
    name_en: String,
    handles_complaints: Option<String>,
    runs_lost_found: Option<String>,
    organises_reception: Option<String>,
    archived: Option<String>,
}

struct DepartmentValues {
    name_zh: String,
    name_en: String,
}

impl DepartmentForm {
    fn parse(&self, errors: &mut FormErrors) -> DepartmentValues {
        DepartmentValues {
            name_zh: errors.take("name_zh", one_line(&self.name_zh, 30, true)),
            name_en: errors.take("name_en", one_line(&self.name_en, 60, true)),
        }
    }
}

async fn departments_page(
    state: &AppState,
    layout: Layout,
    form: DepartmentForm,
    errors: FormErrors,
) -> AppResult<String> {
    let departments = queries::list_departments(&state.db, true).await?;
    render(DepartmentsPage { layout, departments, form, errors })
}

pub async fn list_departments(State(state): State<AppState>, layout: Layout) -> AppResult<Html<String>> {
    Ok(Html(departments_page(&state, layout, DepartmentForm::default(), FormErrors::default()).await?))
}

pub async fn create_department(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(admin): CurrentUser,
    Form(form): Form<DepartmentForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::default();
    let values = form.parse(&mut errors);
    let slug = form.slug.trim().to_string();
    let slug_ok = (2..=31).contains(&slug.len())
        && slug.starts_with(|c: char| c.is_ascii_lowercase())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !slug_ok {
        errors.add("slug", "form.slug.invalid");
    }
    if errors.is_empty() {
        let mut tx = state.db.begin().await?;
        let created = sqlx::query_scalar!(
            "insert into department (slug, name_zh, name_en, handles_complaints, runs_lost_found, organises_reception)
             values ($1, $2, $3, $4, $5, $6) returning department_id",
            slug,
            values.name_zh,
            values.name_en,
            form.handles_complaints.is_some(),
            form.runs_lost_found.is_some(),
            form.organises_reception.is_some()
        )
        .fetch_one(&mut *tx)
        .await
        .on_constraint("department_slug_key", || AppError::Conflict(""));
        match created {
            Ok(id) => {
                audit::record(
                    &mut *tx,
                    Some(admin.user_id),
                    Some(id),
                    audit::Action::DepartmentCreate,
                    "department",
                    &id.to_string(),
                    None,
                    Some(json!({"slug": slug, "name_zh": values.name_zh})),
                )
                .await?;
                tx.commit().await?;
                state.cached.departments.clear();
                return Ok(redirect_with_flash("/admin/departments", "flash.department_saved", None));
            }
            Err(AppError::Conflict(_)) => errors.add("slug", "form.slug.taken"),
            Err(e) => return Err(e),
        }
    }
    Ok(Html422(departments_page(&state, layout, form, errors).await?).into_response())
}

pub async fn update_department(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(admin): CurrentUser,
    Path(DepartmentPath { department_id }): Path<DepartmentPath>,
    Form(form): Form<DepartmentForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::default();
    let values = form.parse(&mut errors);
    if !errors.is_empty() {
        return Ok(Html422(departments_page(&state, layout, form, errors).await?).into_response());
    }
    let mut tx = state.db.begin().await?;
    let before = sqlx::query!(
        "select name_zh, name_en, handles_complaints, runs_lost_found, organises_reception, archived_at is not null as archived
         from department where department_id = $1 for update",
        department_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    sqlx::query!(
        "update department set name_zh = $2, name_en = $3, handles_complaints = $4, runs_lost_found = $5, organises_reception = $6,
             archived_at = case when $7 then coalesce(archived_at, now()) else null end
         where department_id = $1",
        department_id,
        values.name_zh,
        values.name_en,
        form.handles_complaints.is_some(),
        form.runs_lost_found.is_some(),
        form.organises_reception.is_some(),
        form.archived.is_some()
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Some(admin.user_id),
        Some(department_id),
        audit::Action::DepartmentUpdate,
        "department",
        &department_id.to_string(),
        Some(json!({"name_zh": before.name_zh, "name_en": before.name_en, "handles_complaints": before.handles_complaints,
                    "runs_lost_found": before.runs_lost_found, "organises_reception": before.organises_reception, "archived": before.archived})),
        Some(json!({"name_zh": values.name_zh, "name_en": values.name_en, "handles_complaints": form.handles_complaints.is_some(),
                    "runs_lost_found": form.runs_lost_found.is_some(), "organises_reception": form.organises_reception.is_some(), "archived": form.archived.is_some()})),
    )
    .await?;
    tx.commit().await?;
    state.cached.departments.clear();
    Ok(redirect_with_flash("/admin/departments", "flash.department_saved", None))
}

pub struct MembershipRow {
    pub membership_id: i64,
    pub dept_name_zh: String,
    pub dept_name_en: String,
    pub name: String,
    pub student_no: String,
    pub role: String,
}

#[derive(Template)]
#[template(path = "admin/memberships.html")]
struct MembershipsPage {
    layout: Layout,
    term: Option<String>,
    memberships: Vec<MembershipRow>,
    union_roles: Vec<queries::UnionRoleRow>,
    departments: Vec<queries::DepartmentRow>,
    form: GrantForm,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct GrantForm {
    student_no: String,
    dept: String,
    role: String,
}

async fn memberships_page(state: &AppState, layout: Layout, form: GrantForm, errors: FormErrors) -> AppResult<String> {
    let memberships = sqlx::query_as!(
        MembershipRow,
        "select m.membership_id, d.name_zh as dept_name_zh, d.name_en as dept_name_en, u.name, u.student_no, m.role
         from membership m join term t using (term_id) join department d using (department_id) join app_user u using (user_id)
         where t.is_current
         order by d.sort_order, case m.role when 'head' then 0 when 'vice_head' then 1 else 2 end, u.name"
    )
    .fetch_all(&state.db)
    .await?;
    let page = MembershipsPage {
        layout,
        term: queries::fetch_current_term_name(&state.db).await?,
        memberships,
        union_roles: queries::list_union_roles(&state.db).await?,
        departments: queries::list_departments(&state.db, false).await?,
        form,
        errors,
    };
    render(page)
}

pub async fn list_memberships(State(state): State<AppState>, layout: Layout) -> AppResult<Html<String>> {
    Ok(Html(memberships_page(&state, layout, GrantForm::default(), FormErrors::default()).await?))
}

pub async fn grant_membership(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(admin): CurrentUser,
    Form(form): Form<GrantForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::default();
    if let Err(key) = StudentNo::parse(&form.student_no) {
        errors.add("student_no", key);
    }
    let role = DeptRole::parse(&form.role);
    if role.is_none() {
        errors.add("role", "form.role.invalid");
    }
    if let (Some(role), true) = (role, errors.is_empty()) {
        match roles::grant_dept_role(
            &state.db,
            Some(admin.user_id),
            &form.student_no,
            crate::web::forms::lookup_key(&form.dept),
            role,
        )
        .await?
        {
            Ok(_) => {
                state.cached.members.clear();
                return Ok(redirect_with_flash("/admin/memberships", "flash.role_granted", None));
            }
            Err(e) => {
                let (field, key) = e.field_and_key();
                errors.add(field, key);
            }
        }
    }
    Ok(Html422(memberships_page(&state, layout, form, errors).await?).into_response())
}

pub async fn revoke_membership(
    State(state): State<AppState>,
    CurrentUser(admin): CurrentUser,
    Path(MembershipPath { membership_id }): Path<MembershipPath>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let removed = queries::delete_membership(&mut *tx, membership_id, None, true).await?.ok_or(AppError::NotFound)?;
    // Filed under the department too, so its heads read it in their own trail.
    audit::record(
        &mut *tx,
        Some(admin.user_id),
        Some(removed.department_id),
        audit::Action::MembershipRevoke,
        "membership",
        &membership_id.to_string(),
        Some(json!({"user_id": removed.user_id, "role": removed.role})),
        None,
    )
    .await?;
    tx.commit().await?;
    state.cached.members.clear();
    Ok(redirect_with_flash("/admin/memberships", "flash.role_revoked", None))
}

pub async fn grant_union_role(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(admin): CurrentUser,
    Form(form): Form<GrantForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::default();
    if let Err(key) = StudentNo::parse(&form.student_no) {
        errors.add("union_student_no", key);
    }
    if !matches!(form.role.as_str(), "presidium" | "admin") {
        errors.add("union_role", "form.role.invalid");
    }
    if errors.is_empty() {
        match roles::grant_union_role(&state.db, Some(admin.user_id), &form.student_no, &form.role).await? {
            Ok(()) => return Ok(redirect_with_flash("/admin/memberships", "flash.role_granted", None)),
            Err(_) => errors.add("union_student_no", "form.student_no.unknown"),
        }
    }
    Ok(Html422(memberships_page(&state, layout, form, errors).await?).into_response())
}

pub async fn revoke_union_role(
    State(state): State<AppState>,
    CurrentUser(admin): CurrentUser,
    Path(UnionRolePath { union_role_id }): Path<UnionRolePath>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let removed = queries::delete_union_role(&mut *tx, union_role_id).await?.ok_or(AppError::NotFound)?;
    // Never leave the portal without an administrator.
    if removed.role == "admin" && queries::count_admins(&mut *tx).await? == 0 {
        return Err(AppError::Conflict("error.409.last_admin"));
    }
    audit::record(
        &mut *tx,
        Some(admin.user_id),
        None,
        audit::Action::UnionRoleRevoke,
        "union_role",
        &union_role_id.to_string(),
        Some(json!({"user_id": removed.user_id, "role": removed.role})),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_with_flash("/admin/memberships", "flash.role_revoked", None))
}

/// An audit entry with the name of its department (none for union-wide changes).
pub struct AuditRow {
    pub entry: audit::Entry,
    pub department: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    layout: Layout,
    rows: Vec<AuditRow>,
    next_before: Option<i64>,
}

/// `/admin/audit`: every entry of the portal, newest first, a page at a time. The only
/// place where entries of no department (roles, users, terms, complaint set-up) are read.
pub async fn list_audit(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<audit::PageQuery>,
) -> AppResult<Html<String>> {
    let entries = audit::list_all(&state.db, q.before, audit::PAGE).await?;
    let next_before = audit::next_page(&entries);
    let departments = queries::list_departments(&state.db, true).await?;
    let rows = entries
        .into_iter()
        .map(|entry| {
            let department = departments
                .iter()
                .find(|d| Some(d.department_id) == entry.department_id)
                .map(|d| (d.name_zh.clone(), d.name_en.clone()));
            AuditRow { entry, department }
        })
        .collect();
    Ok(Html(render(AuditPage { layout, rows, next_before })?))
}
