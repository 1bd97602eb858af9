//! `/admin/complaint-setup`: complaint categories (and the department each routes
//! to) and school offices are data that administrators edit.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use serde_json::json;

use super::queries;
use super::{CategoryPath, OfficePath};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult, ResultExt},
    web::{context::redirect_with_flash, forms::one_line, render, CurrentUser, FormErrors, Html422, Layout, Path},
};

const PAGE: &str = "/admin/complaint-setup";

#[derive(Template)]
#[template(path = "complaints/setup.html")]
struct SetupPage {
    layout: Layout,
    categories: Vec<queries::Category>,
    offices: Vec<queries::Office>,
    departments: Vec<queries::HandlingDepartment>,
    form: SetupForm,
    errors: FormErrors,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SetupForm {
    slug: String,
    name_zh: String,
    name_en: String,
    dept: String,
}

async fn page(state: &AppState, layout: Layout, form: SetupForm, errors: FormErrors) -> AppResult<String> {
    let categories = queries::list_categories(&state.db).await?;
    let offices = queries::list_offices(&state.db).await?;
    let departments = queries::list_handling_departments(&state.db).await?;
    render(SetupPage { layout, categories, offices, departments, form, errors })
}

pub async fn show_setup(State(state): State<AppState>, layout: Layout) -> AppResult<Html<String>> {
    Ok(Html(page(&state, layout, SetupForm::default(), FormErrors::default()).await?))
}

/// The names every form here has, checked; errors recorded under `fields` (zh, en).
fn names(form: &SetupForm, errors: &mut FormErrors, fields: (&'static str, &'static str)) -> (String, String) {
    (errors.take(fields.0, one_line(&form.name_zh, 30, true)), errors.take(fields.1, one_line(&form.name_en, 60, true)))
}

/// A category or office row saved in `tx`: audit it (`before` is None for a new row), commit, back to the setup page.
async fn saved_row(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    admin: i64,
    action: Action,
    object_type: &str,
    id: i64,
    (before, after): (Option<serde_json::Value>, serde_json::Value),
) -> AppResult<Response> {
    audit::record(&mut *tx, Some(admin), None, action, object_type, &id.to_string(), before, Some(after)).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(PAGE, "flash.saved", None))
}

/// A category form's checks beside the names: a new category's slug (it is never changed, links
/// carry it), and a department that handles complaints, whose id is returned.
async fn checked_department(
    state: &AppState,
    form: &SetupForm,
    is_new: bool,
    errors: &mut FormErrors,
) -> AppResult<Option<i64>> {
    let slug_ok = (2..=31).contains(&form.slug.len()) && form.slug.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
    if is_new && !slug_ok {
        errors.add("slug", "form.slug.invalid");
    }
    let dept = queries::fetch_handling_department_id(&state.db, crate::web::forms::lookup_key(&form.dept)).await?;
    if dept.is_none() {
        errors.add("dept", "form.transfer.choose");
    }
    Ok(dept)
}

/// A new category (`category_id` = None) or a change to one.
async fn save_category(
    state: &AppState,
    layout: Layout,
    admin: i64,
    category_id: Option<i64>,
    form: SetupForm,
) -> AppResult<Response> {
    let mut errors = FormErrors::default();
    let (name_zh, name_en) = names(&form, &mut errors, ("name_zh", "name_en"));
    let dept = checked_department(state, &form, category_id.is_none(), &mut errors).await?;
    if let (Some(department_id), true) = (dept, errors.is_empty()) {
        let mut tx = state.db.begin().await?;
        let before = match category_id {
            Some(id) => Some(category_before(&mut tx, id).await?),
            None => None,
        };
        let saved = match category_id {
            Some(id) => queries::update_category(&mut tx, id, (&name_zh, &name_en), department_id)
                .await?
                .ok_or(AppError::NotFound),
            None => queries::insert_category(&mut tx, &form.slug, (&name_zh, &name_en), department_id)
                .await
                .on_constraint("complaint_category_slug_key", || AppError::Conflict("")),
        };
        match saved {
            Ok(id) => {
                let after = json!({ "name_zh": name_zh, "name_en": name_en, "department": form.dept });
                let change = (before, after);
                let saved = saved_row(tx, admin, Action::CategorySave, "complaint_category", id, change).await;
                state.cached.categories.clear();
                return saved;
            }
            Err(AppError::Conflict(_)) => errors.add("slug", "form.slug.taken"),
            Err(e) => return Err(e),
        }
    }
    Ok(Html422(page(state, layout, form, errors).await?).into_response())
}

/// A category as it is before an edit, locked for it; 404 when there is none.
async fn category_before(tx: &mut sqlx::PgConnection, category_id: i64) -> AppResult<serde_json::Value> {
    let (name_zh, name_en, slug) = queries::lock_category(tx, category_id).await?.ok_or(AppError::NotFound)?;
    Ok(json!({ "name_zh": name_zh, "name_en": name_en, "department": slug }))
}

/// An office as it is before an edit, locked for it; 404 when there is none.
async fn office_before(tx: &mut sqlx::PgConnection, office_id: i64) -> AppResult<serde_json::Value> {
    let (name_zh, name_en) = queries::lock_office(tx, office_id).await?.ok_or(AppError::NotFound)?;
    Ok(json!({ "name_zh": name_zh, "name_en": name_en }))
}

pub async fn create_category(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(admin): CurrentUser,
    Form(form): Form<SetupForm>,
) -> AppResult<Response> {
    save_category(&state, layout, admin.user_id, None, form).await
}

pub async fn update_category(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(admin): CurrentUser,
    Path(CategoryPath { category_id }): Path<CategoryPath>,
    Form(form): Form<SetupForm>,
) -> AppResult<Response> {
    save_category(&state, layout, admin.user_id, Some(category_id), form).await
}

/// A new school office (`office_id` = None) or a change to one.
async fn save_office(
    state: &AppState,
    layout: Layout,
    admin: i64,
    office_id: Option<i64>,
    form: SetupForm,
) -> AppResult<Response> {
    // Office fields have their own names on the page, beside the category form's.
    let mut errors = FormErrors::default();
    let (name_zh, name_en) = names(&form, &mut errors, ("office_name_zh", "office_name_en"));
    if errors.is_empty() {
        let mut tx = state.db.begin().await?;
        let before = match office_id {
            Some(id) => Some(office_before(&mut tx, id).await?),
            None => None,
        };
        let saved = match office_id {
            // A name already taken is the field's error below, like a new office's (no `?` here).
            Some(id) => queries::update_office(&mut tx, id, (&name_zh, &name_en))
                .await
                .on_constraint("school_office_name_zh_key", || AppError::Conflict(""))
                .and_then(|found| found.ok_or(AppError::NotFound)),
            None => queries::insert_office(&mut tx, (&name_zh, &name_en))
                .await
                .on_constraint("school_office_name_zh_key", || AppError::Conflict("")),
        };
        match saved {
            Ok(id) => {
                let after = json!({ "name_zh": name_zh, "name_en": name_en });
                let saved = saved_row(tx, admin, Action::OfficeSave, "school_office", id, (before, after)).await;
                state.cached.offices.clear();
                return saved;
            }
            Err(AppError::Conflict(_)) => errors.add("office_name_zh", "form.name.taken"),
            Err(e) => return Err(e),
        }
    }
    Ok(Html422(page(state, layout, form, errors).await?).into_response())
}

pub async fn create_office(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(admin): CurrentUser,
    Form(form): Form<SetupForm>,
) -> AppResult<Response> {
    save_office(&state, layout, admin.user_id, None, form).await
}

pub async fn update_office(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(admin): CurrentUser,
    Path(OfficePath { office_id }): Path<OfficePath>,
    Form(form): Form<SetupForm>,
) -> AppResult<Response> {
    save_office(&state, layout, admin.user_id, Some(office_id), form).await
}
