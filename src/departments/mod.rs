//! Departments, terms (届), memberships and union roles; the department staff
//! pages under `/d/{dept}` and the administration under `/admin`.
//!
//! Every `/d/{dept}/…` route sits in a group that declares what it needs; the
//! group's `route_layer` runs `require_dept`, so an unknown route stays 404 and
//! no handler checks roles by hand.

mod admin;
pub mod queries;
pub mod roles;
mod staff;

use axum::routing::{get, post};
use axum::Router;

use crate::app::AppState;
use crate::web::dept_access::{guarded, Need};
use crate::web::DeptRole;

/// `/d/{dept}/members/{membership_id}…` and `/admin/memberships/{membership_id}…`
#[derive(serde::Deserialize)]
pub struct MembershipPath {
    pub membership_id: i64,
}

/// `/admin/users/{user_id}…`
#[derive(serde::Deserialize)]
pub struct UserPath {
    pub user_id: i64,
}

/// `/admin/departments/{department_id}…`
#[derive(serde::Deserialize)]
pub struct DepartmentPath {
    pub department_id: i64,
}

/// `/admin/union-roles/{union_role_id}…`
#[derive(serde::Deserialize)]
pub struct UnionRolePath {
    pub union_role_id: i64,
}

/// Staff routes, relative to `/d/{dept}`.
pub fn staff_routes(state: &AppState) -> Router<AppState> {
    use DeptRole::*;
    Router::new()
        .merge(guarded(
            state,
            Need::Read(Member),
            Router::new().route("/", get(staff::show_dashboard)).route("/members", get(staff::list_members)),
        ))
        .merge(guarded(state, Need::Read(Head), Router::new().route("/audit", get(staff::list_audit))))
        .merge(guarded(
            state,
            Need::Act(Head),
            Router::new()
                .route("/members/add", post(staff::add_member))
                .route("/members/{membership_id}/remove", post(staff::remove_member)),
        ))
}

/// `/d`.
pub fn router() -> Router<AppState> {
    Router::new().route("/d", get(staff::list_my_departments))
}

/// Administration routes, relative to `/admin` (guarded there).
pub fn admin_routes() -> Router<AppState> {
    Router::new()
        .route("/", get(admin::show_overview))
        .route("/users", get(admin::list_users))
        .route("/users/{user_id}/disable", post(admin::disable_user))
        .route("/users/{user_id}/enable", post(admin::enable_user))
        .route("/users/{user_id}/verify", post(admin::verify_user))
        .route("/departments", get(admin::list_departments))
        .route("/departments/add", post(admin::create_department))
        .route("/departments/{department_id}/update", post(admin::update_department))
        .route("/memberships", get(admin::list_memberships))
        .route("/memberships/grant", post(admin::grant_membership))
        .route("/memberships/{membership_id}/revoke", post(admin::revoke_membership))
        .route("/union-roles/grant", post(admin::grant_union_role))
        .route("/union-roles/{union_role_id}/revoke", post(admin::revoke_union_role))
        .route("/terms/handover", post(admin::handover_term))
        .route("/audit", get(admin::list_audit))
}
