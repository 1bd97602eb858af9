//! `/admin/departments`: create departments and change their names, desks and archiving.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use serde::Deserialize;
use serde_json::json;

use crate::departments::{queries, DepartmentPath};
use crate::{
    accounts::one_line,
    app::AppState,
    audit,
    error::{AppError, AppResult, ResultExt},
    web::{context::redirect_with_flash, render, CurrentUser, FormErrors, Html422, Layout, Path},
};

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
    runs_events: Option<String>,
    runs_inspections: Option<String>,
    archived: Option<String>,
}

struct DepartmentValues {
    name_zh: String,
    name_en: String,
}

impl DepartmentForm {
    fn settings(&self, v: &DepartmentValues) -> queries::DepartmentSettings {
        queries::DepartmentSettings {
            name_zh: v.name_zh.clone(),
            name_en: v.name_en.clone(),
            handles_complaints: self.handles_complaints.is_some(),
            runs_lost_found: self.runs_lost_found.is_some(),
            organises_reception: self.organises_reception.is_some(),
            runs_events: self.runs_events.is_some(),
            runs_inspections: self.runs_inspections.is_some(),
            archived: self.archived.is_some(),
        }
    }

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
        let created = queries::insert_department(&mut tx, &slug, &form.settings(&values))
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
    let before = queries::lock_department_settings(&mut tx, department_id).await?.ok_or(AppError::NotFound)?;
    let after = form.settings(&values);
    queries::update_department_settings(&mut tx, department_id, &after).await?;
    audit::record(
        &mut *tx,
        Some(admin.user_id),
        Some(department_id),
        audit::Action::DepartmentUpdate,
        "department",
        &department_id.to_string(),
        Some(before.facts()),
        Some(after.facts()),
    )
    .await?;
    tx.commit().await?;
    state.cached.departments.clear();
    Ok(redirect_with_flash("/admin/departments", "flash.department_saved", None))
}
