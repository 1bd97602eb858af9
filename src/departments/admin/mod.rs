//! `/admin`: users, departments, memberships and union roles, term handover, and
//! the whole audit trail. Only union administrators get here (`require_admin`);
//! every change is audited.

mod departments;
mod memberships;
mod users;

pub use departments::*;
pub use memberships::*;
pub use users::*;

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, IntoResponse, Response},
    Form,
};
use serde::Deserialize;

use super::{queries, roles};
use crate::{
    accounts::one_line,
    app::AppState,
    audit,
    error::{AppError, AppResult, ResultExt},
    web::{context::redirect_with_flash, render, CurrentUser, FormErrors, Html422, Layout},
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
