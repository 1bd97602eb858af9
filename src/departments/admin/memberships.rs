//! `/admin/memberships`: this term's department roles and union roles.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use serde::Deserialize;
use serde_json::json;

use crate::departments::{queries, roles, MembershipPath, UnionRolePath};
use crate::{
    accounts::StudentNo,
    app::AppState,
    audit,
    error::{AppError, AppResult},
    web::{context::redirect_with_flash, render, CurrentUser, DeptRole, FormErrors, Html422, Layout, Path},
};

#[derive(Template)]
#[template(path = "admin/memberships.html")]
struct MembershipsPage {
    layout: Layout,
    term: Option<String>,
    memberships: Vec<queries::MembershipRow>,
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
    let memberships = queries::list_current_memberships(&state.db).await?;
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
    if !roles::revoke_dept_role(&state.db, admin.user_id, membership_id).await? {
        return Err(AppError::NotFound);
    }
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
            Err(e) => errors.add("union_student_no", e.field_and_key().1),
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
