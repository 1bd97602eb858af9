//! One item at the desk: its page with suggested matches, and the ways it leaves the shelf
//! (claimed, returned, disposed of), each audited and told to whom it concerns.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use serde_json::json;

use crate::lost_found::{
    forms::CloseForm,
    model::{mask_number, ItemStatus},
    queries::{self, Item, MatchForItem},
    ItemPath,
};
use crate::{
    accounts::forms::StudentNo,
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    web::{context::redirect_with_flash, forms::one_line, render, DeptAccess, FormErrors, Html422, Layout, Path},
};

use super::retention_cutoff;

/// This department's item (the department is in the SQL), or 404.
pub(super) async fn own_item(state: &AppState, access: &DeptAccess, item_id: i64) -> AppResult<Item> {
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
pub(super) async fn close(
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
pub(super) fn after_closing(to: ItemStatus, claimant: Option<(&str, &str)>, note: &str) -> serde_json::Value {
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
