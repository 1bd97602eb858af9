//! Collection points (失物招领点) are data: heads and vice heads of the running
//! department add them, change their address and hours, and close them (a closed
//! point keeps its history but takes no new items).

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use serde_json::json;

use super::{
    forms::PointForm,
    queries::{self, Point},
    PointPath,
};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult, ResultExt},
    web::{
        context::redirect_with_flash, dept_access::Need, render, DeptAccess, DeptRole, FormErrors, Html422, Layout,
        Path,
    },
};

#[derive(Template)]
#[template(path = "lost_found/points.html")]
struct PointsPage {
    layout: Layout,
    access: DeptAccess,
    points: Vec<Point>,
    can_manage: bool,
    editors: Vec<Editor>,
}

/// The form of one point (or of a new one, `point_id` None), with what was typed and its errors.
struct Editor {
    point_id: Option<i64>,
    form: PointForm,
    errors: FormErrors,
}

impl Editor {
    /// Unique per form on the page, for element ids.
    fn key(&self) -> i64 {
        self.point_id.unwrap_or(0)
    }
    /// (name, label key, value) of each text field.
    fn fields(&self) -> [(&'static str, &'static str, &str); 5] {
        let f = &self.form;
        [
            ("name_zh", "lost.point.name_zh", &f.name_zh),
            ("name_en", "lost.point.name_en", &f.name_en),
            ("address", "lost.point.address", &f.address),
            ("opening_hours", "lost.point.hours", &f.opening_hours),
            ("sort_order", "lost.point.sort_order", &f.sort_order),
        ]
    }
}

async fn page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    editing: Option<i64>,
    form: PointForm,
    errors: FormErrors,
) -> AppResult<String> {
    let points = queries::list_points(&state.db, Some(access.dept.department_id)).await?;
    let can_manage = access.may(Need::Act(DeptRole::ViceHead));
    let (mut typed, mut failed) = (Some(form), Some(errors));
    // The form that failed shows what was typed; every other shows the point as saved.
    let mut editor = |point_id: Option<i64>, saved: PointForm| {
        if point_id == editing {
            Editor { point_id, form: typed.take().unwrap_or_default(), errors: failed.take().unwrap_or_default() }
        } else {
            Editor { point_id, form: saved, errors: FormErrors::default() }
        }
    };
    let mut editors: Vec<Editor> = points
        .iter()
        .map(|p| {
            let saved = PointForm {
                name_zh: p.name_zh.clone(),
                name_en: p.name_en.clone(),
                address: p.address.clone(),
                opening_hours: p.opening_hours.clone(),
                sort_order: p.sort_order.to_string(),
                archived: p.archived.then(|| "on".to_string()),
            };
            editor(Some(p.point_id), saved)
        })
        .collect();
    editors.push(editor(None, PointForm::default()));
    render(PointsPage { layout, access, points, can_manage, editors })
}

pub async fn list_points(State(state): State<AppState>, layout: Layout, access: DeptAccess) -> AppResult<Html<String>> {
    Ok(Html(page(&state, layout, access, None, PointForm::default(), FormErrors::default()).await?))
}

/// A new point, or a change to one of this department's; a name already taken is a conflict
/// the form answers beside the name (no `?` on the constraint).
async fn write_point(
    tx: &mut sqlx::PgConnection,
    point_id: Option<i64>,
    dept: i64,
    v: &super::forms::PointValues,
) -> AppResult<i64> {
    match point_id {
        Some(id) => queries::update_point(tx, id, dept, v)
            .await
            .on_constraint("collection_point_name_key", || AppError::Conflict(""))
            .and_then(|found| found.ok_or(AppError::NotFound)),
        None => queries::insert_point(tx, dept, v)
            .await
            .on_constraint("collection_point_name_key", || AppError::Conflict("")),
    }
}

async fn save(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    point_id: Option<i64>,
    form: PointForm,
) -> AppResult<Response> {
    let dept = access.dept.department_id;
    let v = match form.parse() {
        Ok(v) => v,
        Err(errors) => return Ok(Html422(page(state, layout, access, point_id, form, errors).await?).into_response()),
    };
    let mut tx = state.db.begin().await?;
    let before = match point_id {
        Some(id) => {
            let p = queries::fetch_point_for_update(&mut *tx, id, dept).await?.ok_or(AppError::NotFound)?;
            Some(facts(&p.name_zh, &p.name_en, &p.address, &p.opening_hours, p.sort_order, p.archived))
        }
        None => None,
    };
    let saved = write_point(&mut tx, point_id, dept, &v).await;
    let id = match saved {
        Ok(id) => id,
        Err(AppError::Conflict(_)) => {
            let errors = FormErrors::one("name_zh", "form.name.taken");
            return Ok(Html422(page(state, layout, access, point_id, form, errors).await?).into_response());
        }
        Err(e) => return Err(e),
    };
    let after = facts(&v.name_zh, &v.name_en, &v.address, &v.opening_hours, v.sort_order, v.archived);
    let actor = Some(access.viewer.user_id);
    let point = id.to_string();
    audit::record(&mut *tx, actor, Some(dept), Action::PointSave, "collection_point", &point, before, Some(after))
        .await?;
    tx.commit().await?;
    // This process's kept copy at once; the others hear of it from the trigger (migrations/0057).
    state.cached.changed("collection_point");
    Ok(redirect_with_flash(&format!("/d/{}/lost-found/points", access.dept.slug), "flash.saved", None))
}

/// A point as its audit entry records it, before or after an edit.
fn facts(
    name_zh: &str,
    name_en: &str,
    address: &str,
    hours: &str,
    sort_order: i32,
    archived: bool,
) -> serde_json::Value {
    json!({ "name_zh": name_zh, "name_en": name_en, "address": address, "opening_hours": hours,
            "sort_order": sort_order, "archived": archived })
}

pub async fn create_point(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<PointForm>,
) -> AppResult<Response> {
    save(&state, layout, access, None, form).await
}

pub async fn update_point(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(PointPath { point_id }): Path<PointPath>,
    Form(form): Form<PointForm>,
) -> AppResult<Response> {
    save(&state, layout, access, Some(point_id), form).await
}
