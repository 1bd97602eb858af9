//! The officers' desk (`/d/{dept}/lost-found`): intake built for a phone at the
//! point, one item with its suggested matches and the ways it leaves the shelf,
//! and what has outlived the retention period.

use askama::Template;
use axum::{
    extract::{multipart::Multipart, Query, State},
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::{DateTime, Utc};
use serde_json::json;

use super::{
    forms::{CloseForm, ItemForm, ItemValues},
    matching,
    model::{mask_number, ItemStatus, CATEGORIES},
    queries::{self, Item, ItemLine, MatchForItem, OpenReport, Point},
    ItemPath,
};
use crate::{
    accounts::forms::StudentNo,
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    notifications::notify,
    uploads,
    web::{
        context::redirect_with_flash,
        forms::{one_line, today},
        render, DeptAccess, FormErrors, Html422, Layout, Path,
    },
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
    if let Err(refused) = state.limits.photos.check(&access.viewer.user_id, photos.len() as u32) {
        let mut errors = FormErrors::default();
        errors.add("photo", "form.rate_limited");
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
    let data_dir = &state.config.data_dir;
    let stored = uploads::store_all(data_dir, &photo).await.map_err(|e| AppError::Internal(e.into()))?;
    let result = register_item(&state, access.dept.department_id, access.viewer.user_id, &values, stored.first()).await;
    if result.is_err() {
        uploads::remove_all(data_dir, &stored).await;
    }
    let item_id = result?;
    let next = format!("/d/{}/lost-found?on={}", access.dept.slug, values.found_on);
    Ok(redirect_with_flash(&next, "flash.lost.item_registered", Some(&item_id.to_string())))
}

/// The item, its audit entry, its matches and the card owner's notification: all or nothing.
/// The one way an item comes to exist (the form and the demo seed).
pub async fn register_item(
    state: &AppState,
    department_id: i64,
    officer_id: i64,
    v: &ItemValues,
    photo: Option<&uploads::StoredPhoto>,
) -> AppResult<i64> {
    let mut tx = state.db.begin().await?;
    let owner = match &v.card_student_no {
        Some(no) => queries::user_by_student_no(&mut *tx, no).await?,
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
    let mut matched = matching::for_new_item(&mut tx, item_id, &found).await?;
    if let Some(no) = &v.card_student_no {
        matched += matching::card_reports(&mut tx, item_id, no).await?;
    }
    if let Some(owner) = owner_id {
        // 失卡送还: the owner hears where to fetch their card before they miss it.
        let (name, address, hours) = queries::fetch_point_place(&mut *tx, v.point_id).await?;
        let where_ = format!("{name}（{address}，{hours}）");
        notify(&mut *tx, &[owner], None, "notify.lost.card_found", &where_, &format!("/lost-found/items/{item_id}"))
            .await?;
    }
    tx.commit().await?;
    tracing::info!(item_id, matched, card_owner_told = owner_id.is_some(), "found item registered");
    Ok(item_id)
}

/// This department's item (the department is in the SQL), or 404.
async fn own_item(state: &AppState, access: &DeptAccess, item_id: i64) -> AppResult<Item> {
    let department_id = access.dept.department_id;
    queries::fetch_item_of_department(&state.db, item_id, department_id).await?.ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "lost_found/staff_item.html")]
struct StaffItemPage {
    layout: Layout,
    access: DeptAccess,
    item: Item,
    matches: Vec<MatchForItem>,
    expired: bool,
    form: CloseForm,
    errors: FormErrors,
}

async fn staff_item_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    item: Item,
    form: CloseForm,
    errors: FormErrors,
) -> AppResult<String> {
    // Only the department's own members work its desk (the presidium reads without a role here).
    let matches = queries::matches_for_item(&state.db, item.item_id, access.role.is_some()).await?;
    let expired = item.registered_at < retention_cutoff(state);
    render(StaffItemPage { layout, access, item, matches, expired, form, errors })
}

pub async fn show_item(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(ItemPath { item_id }): Path<ItemPath>,
) -> AppResult<Html<String>> {
    let item = own_item(&state, &access, item_id).await?;
    Ok(Html(staff_item_page(&state, layout, access, item, CloseForm::default(), FormErrors::default()).await?))
}

/// Take the item off the shelf and write it down; a second officer's click finds it gone.
async fn close(
    state: &AppState,
    access: &DeptAccess,
    item: &Item,
    to: ItemStatus,
    claimant: Option<(&str, &str)>,
    note: &str,
) -> AppResult<Response> {
    let from = ItemStatus::parse(&item.status).ok_or_else(|| anyhow::anyhow!("unknown status {}", item.status))?;
    if !from.can_become(to) {
        return Err(AppError::Conflict("error.409.item_not_held"));
    }
    let mut tx = state.db.begin().await?;
    let officer = access.viewer.user_id;
    if !queries::close_item(&mut *tx, item.item_id, to.as_str(), officer, claimant, note).await? {
        return Err(AppError::Conflict("error.409.item_not_held"));
    }
    if let Some((no, _)) = claimant {
        // The claimant's own reports of this item are answered.
        queries::close_claimants_reports(&mut tx, item.item_id, no).await?;
    }
    audit::record(
        &mut *tx,
        Some(officer),
        Some(access.dept.department_id),
        if to == ItemStatus::Disposed { Action::ItemDispose } else { Action::ItemClose },
        "found_item",
        &item.item_id.to_string(),
        Some(json!({ "status": from.as_str() })),
        Some(after_closing(to, claimant, note)),
    )
    .await?;
    tx.commit().await?;
    let link = format!("/d/{}/lost-found/items/{}", access.dept.slug, item.item_id);
    Ok(redirect_with_flash(&link, "flash.lost.item_closed", None))
}

/// What the trail keeps of an item leaving the shelf: to whom, the student number
/// masked as the portal shows card numbers (it is personal data), and the note.
fn after_closing(to: ItemStatus, claimant: Option<(&str, &str)>, note: &str) -> serde_json::Value {
    let claimant = claimant.map(|(no, name)| json!({ "student_no": mask_number(no), "name": name }));
    json!({ "status": to.as_str(), "claimant": claimant, "note": note })
}

pub async fn claim_item(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(ItemPath { item_id }): Path<ItemPath>,
    Form(form): Form<CloseForm>,
) -> AppResult<Response> {
    let item = own_item(&state, &access, item_id).await?;
    let mut errors = FormErrors::default();
    let no =
        errors.take("claimant_student_no", StudentNo::parse(&form.claimant_student_no).map(|n| n.as_str().to_string()));
    // A card goes only to the student whose number is on it.
    if !no.is_empty() && item.card_student_no.as_deref().is_some_and(|card| card != no) {
        errors.add("claimant_student_no", "form.claim.not_card_owner");
    }
    let name = errors.take("claimant_name", one_line(&form.claimant_name, 50, true));
    let note = errors.take("note", one_line(&form.note, 200, false));
    if !errors.is_empty() {
        return Ok(Html422(staff_item_page(&state, layout, access, item, form, errors).await?).into_response());
    }
    close(&state, &access, &item, ItemStatus::Claimed, Some((&no, &name)), &note).await
}

pub async fn return_item(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(ItemPath { item_id }): Path<ItemPath>,
    Form(form): Form<CloseForm>,
) -> AppResult<Response> {
    let item = own_item(&state, &access, item_id).await?;
    let mut errors = FormErrors::default();
    let note = errors.take("return_note", one_line(&form.note, 200, true));
    if !errors.is_empty() {
        return Ok(Html422(staff_item_page(&state, layout, access, item, form, errors).await?).into_response());
    }
    close(&state, &access, &item, ItemStatus::Returned, None, &note).await
}

pub async fn dispose_item(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(ItemPath { item_id }): Path<ItemPath>,
) -> AppResult<Response> {
    let item = own_item(&state, &access, item_id).await?;
    if item.registered_at >= retention_cutoff(&state) {
        return Err(AppError::Conflict("error.409.item_not_expired"));
    }
    close(&state, &access, &item, ItemStatus::Disposed, None, "").await
}

#[derive(Template)]
#[template(path = "lost_found/expired.html")]
struct ExpiredPage {
    layout: Layout,
    access: DeptAccess,
    rows: Vec<ItemLine>,
    ids: String,
    retention_days: i32,
}

pub async fn list_expired(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
) -> AppResult<Html<String>> {
    let cutoff = retention_cutoff(&state);
    let rows = queries::list_department_items(&state.db, access.dept.department_id, Some(cutoff), 500).await?;
    let ids = rows.iter().map(|r| r.item_id.to_string()).collect::<Vec<_>>().join(",");
    let retention_days = state.config.lost_found_retention_days;
    Ok(Html(render(ExpiredPage { layout, access, rows, ids, retention_days })?))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DisposeForm {
    /// The ids the officer saw listed, comma-separated: only those are disposed of.
    ids: String,
}

/// The officer confirms the disposal of what the list showed: items still held and expired.
pub async fn dispose_expired(
    State(state): State<AppState>,
    access: DeptAccess,
    Form(form): Form<DisposeForm>,
) -> AppResult<Response> {
    let ids: Vec<i64> = form.ids.split(',').filter_map(|s| s.trim().parse().ok()).take(1000).collect();
    let mut tx = state.db.begin().await?;
    let (dept, officer) = (access.dept.department_id, access.viewer.user_id);
    let disposed = queries::dispose_expired(&mut tx, &ids, dept, officer, retention_cutoff(&state)).await?;
    // One entry per item, like a single disposal: each item's trail is complete.
    let ids: Vec<String> = disposed.iter().map(i64::to_string).collect();
    audit::record_each(
        &mut *tx,
        Some(access.viewer.user_id),
        Some(access.dept.department_id),
        Action::ItemDispose,
        "found_item",
        &ids,
        Some(json!({ "status": ItemStatus::Held.as_str() })),
        Some(after_closing(ItemStatus::Disposed, None, "")),
    )
    .await?;
    tx.commit().await?;
    let link = format!("/d/{}/lost-found/expired", access.dept.slug);
    Ok(redirect_with_flash(&link, "flash.lost.disposed", Some(&disposed.len().to_string())))
}

#[derive(Template)]
#[template(path = "lost_found/reports.html")]
struct ReportsPage {
    layout: Layout,
    access: DeptAccess,
    reports: Vec<OpenReport>,
}

pub async fn list_reports(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
) -> AppResult<Html<String>> {
    let reports = queries::list_open_reports(&state.db, access.dept.department_id, 200).await?;
    Ok(Html(render(ReportsPage { layout, access, reports })?))
}
