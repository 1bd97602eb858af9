//! The officers' desk (`/d/{dept}/lost-found`): intake built for a phone at the
//! point; one item with its suggested matches and the ways it leaves the shelf
//! (item.rs); what has outlived the retention period and the open lost reports (lists.rs);
//! students' reports of things they found, to confirm or decline (offers.rs).

mod item;
mod lists;
mod offers;

pub use item::{claim_item, dispose_item, return_item, show_item};
pub use lists::{dispose_expired, list_expired, list_reports};
pub use offers::{confirm_offer, decline_offer, list_offers};

use askama::Template;
use axum::{
    extract::{multipart::Multipart, Query, State},
    response::{Html, IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use serde_json::json;

use super::{
    forms::{ItemForm, ItemValues},
    matching,
    model::CATEGORIES,
    queries::{self, ItemLine, Point},
};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    uploads,
    web::{context::redirect_with_flash, forms::today, render, DeptAccess, FormErrors, Html422, Layout},
};

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DeskQuery {
    /// The day the last item was found, kept for a run of items from the same day.
    on: String,
}

#[derive(Template)]
#[template(path = "lost_found/desk.html")]
struct DeskPage {
    layout: Layout,
    access: DeptAccess,
    points: Vec<Point>,
    categories: &'static [&'static str],
    form: ItemForm,
    errors: FormErrors,
    recent: Vec<ItemLine>,
    expired: i64,
    unpublished: i64,
}

async fn desk_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    form: ItemForm,
    errors: FormErrors,
) -> AppResult<String> {
    let dept = access.dept.department_id;
    let points = queries::list_points(&state.db, Some(dept)).await?;
    let recent = queries::list_department_items(&state.db, dept, None, 10).await?;
    let expired = queries::count_expired(&state.db, dept, retention_cutoff(state)).await?;
    let unpublished = queries::count_unpublished(&state.db, dept).await?;
    render(DeskPage { layout, access, points, categories: &CATEGORIES, form, errors, recent, expired, unpublished })
}

/// Items registered before this have outlived the retention period.
pub fn retention_cutoff(state: &AppState) -> DateTime<Utc> {
    Utc::now() - chrono::Duration::days(state.config.lost_found_retention_days.into())
}

pub async fn desk(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Query(q): Query<DeskQuery>,
) -> AppResult<Html<String>> {
    // The officer's own point (where they registered last) and today, or the day of their run.
    let last = queries::last_point_of(&state.db, access.viewer.user_id, access.dept.department_id).await?;
    let found_on = crate::web::forms::filter_day(&q.on).unwrap_or_else(today).to_string();
    let form = ItemForm { point: last.map(|p| p.to_string()).unwrap_or_default(), found_on, ..ItemForm::default() };
    Ok(Html(desk_page(&state, layout, access, form, FormErrors::default()).await?))
}

fn item_form(fields: Vec<(String, String)>) -> ItemForm {
    let mut form = ItemForm::default();
    for (name, text) in fields {
        match name.as_str() {
            "point" => form.point = text,
            "category" => form.category = text,
            "description" => form.description = text,
            "colour" => form.colour = text,
            "found_place" => form.found_place = text,
            "found_on" => form.found_on = text,
            "card_student_no" => form.card_student_no = text,
            "card_name" => form.card_name = text,
            _ => {}
        }
    }
    form
}

#[tracing::instrument(skip_all, fields(user_id = access.viewer.user_id))]
pub async fn create_item(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    multipart: Multipart,
) -> AppResult<Response> {
    let (fields, photos) = match uploads::read_multipart(multipart, "photo").await {
        Ok(read) => read,
        Err(rejection) => return Ok(rejection),
    };
    let form = item_form(fields);
    if let Err(refused) = state.limits.photos.check(&access.viewer.user_id, photos.len() as u32).await {
        let errors = FormErrors::one("photo", "form.rate_limited");
        return Ok(crate::web::limits::too_many(desk_page(&state, layout, access, form, errors).await?, refused));
    }
    let points = queries::list_points(&state.db, Some(access.dept.department_id)).await?;
    let parsed = form.parse(&points);
    let photo = uploads::process_all(photos, 1).await.map_err(AppError::Internal)?;
    let (values, photo) = match (parsed, photo) {
        (Ok(v), Ok(p)) => (v, p),
        (parsed, photo) => {
            let mut errors = parsed.err().unwrap_or_default();
            if let Err(key) = photo {
                errors.add("photo", key);
            }
            return Ok(Html422(desk_page(&state, layout, access, form, errors).await?).into_response());
        }
    };
    let storage = &state.config.storage;
    let stored = uploads::store_all(storage, &photo).await.map_err(|e| AppError::Internal(e.into()))?;
    let result = register_item(&state, access.dept.department_id, access.viewer.user_id, &values, stored.first()).await;
    if result.is_err() {
        uploads::remove_all(storage, &stored).await;
    }
    let item_id = result?;
    let next = format!("/d/{}/lost-found?on={}", access.dept.slug, values.found_on);
    Ok(redirect_with_flash(&next, "flash.lost.item_registered", Some(&item_id.to_string())))
}

/// The item, its audit entry, its matches and the card owner's notification: all or nothing.
/// The one way an item comes to exist (the form, a student's confirmed report, the demo seed).
pub async fn register_item(
    state: &AppState,
    department_id: i64,
    officer_id: i64,
    v: &ItemValues,
    photo: Option<&uploads::StoredPhoto>,
) -> AppResult<i64> {
    let mut tx = state.db.begin().await?;
    let item_id = register_item_in(&mut tx, department_id, officer_id, v, photo).await?;
    tx.commit().await?;
    Ok(item_id)
}

/// `register_item` inside the caller's transaction.
pub async fn register_item_in(
    tx: &mut sqlx::PgConnection,
    department_id: i64,
    officer_id: i64,
    v: &ItemValues,
    photo: Option<&uploads::StoredPhoto>,
) -> AppResult<i64> {
    let owner = match &v.card_student_no {
        Some(no) => queries::verified_user_by_student_no(&mut *tx, no).await?,
        None => None,
    };
    let owner_id = owner.as_ref().map(|(id, _)| *id);
    let owner_name = owner.as_ref().map(|(_, name)| name.as_str()).unwrap_or("");
    let new = queries::NewItem {
        department_id,
        point_id: v.point_id,
        category: &v.category,
        description: &v.description,
        colour: &v.colour,
        found_place: &v.found_place,
        found_on: v.found_on,
        card_student_no: v.card_student_no.as_deref(),
        card_name: &v.card_name,
        owner_id,
        photo: photo.map(|(full, thumb, ..)| (full.as_str(), thumb.as_str())),
        registered_by: officer_id,
    };
    let item_id = queries::insert_item(&mut *tx, &new, &[&v.card_name, owner_name]).await?;
    let after = json!({ "category": v.category, "point_id": v.point_id, "description": v.description });
    audit::record(
        &mut *tx,
        Some(officer_id),
        Some(department_id),
        Action::ItemRegister,
        "found_item",
        &item_id.to_string(),
        None,
        Some(after),
    )
    .await?;
    let text = matching::item_text(&v.colour, &v.description);
    let found = matching::Described { category: &v.category, text: &text, place: &v.found_place, day: v.found_on };
    let mut matched = matching::for_new_item(&mut *tx, item_id, &found).await?;
    if let Some(no) = &v.card_student_no {
        matched += matching::card_reports(&mut *tx, item_id, no).await?;
    }
    if let Some(owner) = owner_id {
        // 失卡送还: the owner hears where to fetch their card before they miss it.
        crate::lost_found::cards::tell_card_owner(&mut *tx, owner, item_id, v.point_id).await?;
    }
    tracing::info!(item_id, matched, card_owner_told = owner_id.is_some(), "found item registered");
    Ok(item_id)
}
