//! Department staff pages: dashboard, members, audit log. The role middleware
//! has already decided who may be here; every query is still scoped by the
//! department's id, so a forgotten layer cannot leak another department.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, IntoResponse, Response},
    Form,
};
use serde::Deserialize;

use super::{queries, roles, MembershipPath};
use crate::{
    app::AppState,
    audit,
    error::{AppError, AppResult},
    web::{
        context::redirect_with_flash, dept_access::Department, dept_access::Need, render, CurrentUser, DeptAccess,
        DeptRole, FormErrors, Html422, Layout, Path,
    },
};

#[derive(Template)]
#[template(path = "departments/index.html")]
struct IndexPage {
    layout: Layout,
    departments: Vec<queries::DepartmentRow>,
}

/// `/d`: the departments this user may enter (all of them for the presidium).
pub async fn list_my_departments(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
) -> AppResult<Html<String>> {
    let all = queries::list_departments(&state.db, false).await?;
    let departments = all.into_iter().filter(|d| user.is_presidium || user.role_in(&d.slug).is_some()).collect();
    Ok(Html(render(IndexPage { layout, departments })?))
}

#[derive(Template)]
#[template(path = "departments/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    dept: std::sync::Arc<Department>,
    role: Option<DeptRole>,
    members: Vec<queries::MemberRow>,
    recent: Vec<audit::Entry>,
    can_read_audit: bool,
    /// The group robots' page is the heads' (and the presidium's to read).
    can_see_robots: bool,
    /// The department's own figures (templates/stats/_dept.html).
    stats: std::sync::Arc<crate::stats::DeptStats>,
}

pub async fn show_dashboard(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
) -> AppResult<Html<String>> {
    let members = queries::list_members(&state.db, access.dept.department_id).await?;
    let can_read_audit = access.may(Need::Read(DeptRole::Head));
    let recent = if can_read_audit {
        audit::list_for_department(&state.db, access.dept.department_id, None, 5).await?
    } else {
        vec![]
    };
    let stats = crate::stats::department_stats(&state, &access.dept, &layout).await?;
    let can_see_robots = access.may(Need::Read(DeptRole::Head));
    Ok(Html(render(DashboardPage {
        layout,
        role: access.role,
        dept: access.dept,
        members,
        recent,
        can_read_audit,
        can_see_robots,
        stats,
    })?))
}

#[derive(Template)]
#[template(path = "departments/members.html")]
struct MembersPage {
    layout: Layout,
    dept: std::sync::Arc<Department>,
    members: Vec<queries::MemberRow>,
    can_manage: bool,
    form: AddMemberForm,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AddMemberForm {
    student_no: String,
    role: String,
}

async fn members_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    form: AddMemberForm,
    errors: FormErrors,
) -> AppResult<String> {
    let members = queries::list_members(&state.db, access.dept.department_id).await?;
    render(MembersPage {
        layout,
        can_manage: access.may(Need::Act(DeptRole::Head)),
        dept: access.dept,
        members,
        form,
        errors,
    })
}

pub async fn list_members(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
) -> AppResult<Html<String>> {
    Ok(Html(members_page(&state, layout, access, AddMemberForm::default(), FormErrors::default()).await?))
}

/// A head adds a member or vice head; making someone head is the admins' job.
pub async fn add_member(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<AddMemberForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::default();
    let role = DeptRole::parse(&form.role).filter(|r| *r < DeptRole::Head);
    if role.is_none() {
        errors.add("role", "form.role.invalid");
    }
    if let Err(key) = crate::accounts::StudentNo::parse(&form.student_no) {
        errors.add("student_no", key);
    }
    if let (Some(role), true) = (role, errors.is_empty()) {
        match roles::grant_below_head(&state.db, Some(access.viewer.user_id), &form.student_no, &access.dept.slug, role)
            .await?
        {
            Ok(_) => {
                state.cached.members.clear();
                return Ok(redirect_with_flash(
                    &format!("/d/{}/members", access.dept.slug),
                    "flash.member_added",
                    None,
                ));
            }
            Err(e) => {
                let (field, key) = e.field_and_key();
                errors.add(field, key);
            }
        }
    }
    Ok(Html422(members_page(&state, layout, access, form, errors).await?).into_response())
}

pub async fn remove_member(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(MembershipPath { membership_id }): Path<MembershipPath>,
) -> AppResult<Response> {
    let removed =
        roles::remove_below_head(&state.db, access.viewer.user_id, membership_id, access.dept.department_id).await?;
    if !removed {
        return Err(AppError::NotFound);
    }
    state.cached.members.clear();
    Ok(redirect_with_flash(&format!("/d/{}/members", access.dept.slug), "flash.member_removed", None))
}

#[derive(Template)]
#[template(path = "departments/audit.html")]
struct AuditPage {
    layout: Layout,
    dept: std::sync::Arc<Department>,
    entries: Vec<audit::Entry>,
    next_before: Option<i64>,
}

pub async fn list_audit(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Query(q): Query<audit::PageQuery>,
) -> AppResult<Html<String>> {
    let entries = audit::list_for_department(&state.db, access.dept.department_id, q.before, audit::PAGE).await?;
    let next_before = audit::next_page(&entries);
    Ok(Html(render(AuditPage { layout, dept: access.dept, entries, next_before })?))
}
