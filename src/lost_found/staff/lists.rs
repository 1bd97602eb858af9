//! What the desk works through: items past the retention period, and students' open lost reports.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, Response},
    Form,
};
use serde_json::json;

use crate::lost_found::{
    model::ItemStatus,
    queries::{self, ItemLine, OpenReport},
};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::AppResult,
    web::{context::redirect_with_flash, render, DeptAccess, Layout},
};

use super::{item::after_closing, retention_cutoff};

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
