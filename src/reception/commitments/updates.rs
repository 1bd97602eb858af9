//! Updates on a commitment: a dated note, the status, optional photo evidence; each one on
//! the board, on its complaint's timeline, and told to those waiting. Written by the keeper
//! department's members (`/d/{dept}/commitments/{id}/update`, the department in the SQL) or by
//! a liaison of the office that promised it (`/office/commitments/{id}/update`, the liaison in
//! the SQL).

use axum::{
    extract::{multipart::Multipart, State},
    response::{IntoResponse, Response},
};
use serde_json::json;

use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    notifications::notify,
    reception::{
        model::CommitmentStatus,
        paths::CommitmentPath,
        public::board::commitment_page,
        queries::{self, Commitment, NewUpdate},
    },
    uploads,
    web::{context::redirect_with_flash, context::CurrentUser, DeptAccess, FormErrors, Html422, Layout, Path},
};

/// A dated update by a member of the department that keeps the commitment (multipart).
pub async fn update_by_department(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<CommitmentPath>,
    multipart: Multipart,
) -> AppResult<Response> {
    let c = queries::fetch_commitment_of_department(&state.db, p.commitment_id, access.dept.department_id)
        .await?
        .ok_or(AppError::NotFound)?;
    take_update(&state, layout, access.viewer.user_id, c, multipart).await
}

/// A dated update by a liaison of the office that promised it (multipart).
pub async fn update_by_liaison(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(viewer): CurrentUser,
    Path(p): Path<CommitmentPath>,
    multipart: Multipart,
) -> AppResult<Response> {
    let c = queries::fetch_commitment_of_liaison(&state.db, p.commitment_id, viewer.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    take_update(&state, layout, viewer.user_id, c, multipart).await
}

/// Read the form; the page again with what was typed when refused (422).
async fn take_update(
    state: &AppState,
    layout: Layout,
    author_id: i64,
    c: Commitment,
    multipart: Multipart,
) -> AppResult<Response> {
    let (fields, photos) = match uploads::read_multipart(multipart, "photo").await {
        Ok(read) => read,
        Err(rejection) => return Ok(rejection),
    };
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let typed = (field("body"), field("status"));
    let mut errors = FormErrors::default();
    let body = errors.take("body", crate::web::forms::multi_line(&typed.0, 2000, true));
    let status = CommitmentStatus::parse(&typed.1);
    if status.is_none() {
        errors.add("status", "form.reception.choose_status");
    }
    if let Err(refused) = state.limits.photos.check(&author_id, photos.len() as u32).await {
        errors.add("photo", "form.rate_limited");
        let page = commitment_page(state, layout, c, errors, typed).await?;
        return Ok(crate::web::limits::too_many(page, refused));
    }
    let photo = match uploads::process_all(photos, 1).await.map_err(AppError::Internal)? {
        Ok(p) => p,
        Err(key) => {
            errors.add("photo", key);
            vec![]
        }
    };
    let Some(status) = status.filter(|_| errors.is_empty()) else {
        return Ok(Html422(commitment_page(state, layout, c, errors, typed).await?).into_response());
    };
    save_update(state, author_id, &c, (&body, status), &photo).await?;
    Ok(redirect_with_flash(&format!("/commitments/{}", c.commitment_id), "flash.reception.update_saved", None))
}

/// Store the photo, then record the update; a photo whose update failed is removed.
async fn save_update(
    state: &AppState,
    author_id: i64,
    c: &Commitment,
    (body, status): (&str, CommitmentStatus),
    photo: &[uploads::Processed],
) -> AppResult<()> {
    let storage = &state.config.storage;
    let stored = uploads::store_all(storage, photo).await.map_err(|e| AppError::Internal(e.into()))?;
    let update = NewUpdate {
        author_id,
        body,
        status_after: status,
        photo: stored.first().map(|p| (p.0.as_str(), p.1.as_str())),
    };
    let result = record_update(state, c, &update).await;
    if result.is_err() {
        uploads::remove_all(storage, &stored).await;
    }
    result
}

async fn record_update(state: &AppState, c: &Commitment, u: &NewUpdate<'_>) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    let actor = Some(u.author_id);
    queries::insert_update(&mut *tx, c.commitment_id, u).await?;
    queries::update_commitment_status(&mut *tx, c.commitment_id, u.status_after).await?;
    let before = Some(json!({ "status": c.status.as_str() }));
    let after = Some(json!({ "status": u.status_after.as_str(), "body": u.body }));
    let id = c.commitment_id.to_string();
    let dept = Some(c.keeper_department_id);
    audit::record(&mut *tx, actor, dept, Action::CommitmentSave, "commitment", &id, before, after).await?;
    if let Some(cid) = queries::fetch_commitment_complaint_id(&mut *tx, c.commitment_id).await? {
        let body = format!("{}：{}", c.what, u.body);
        crate::reception::on_complaint_timeline(&mut tx, cid, actor, "commitment_update", &body).await?;
    }
    let status = u.status_after.as_str();
    let told = crate::robots::messages::commitment_update(c.commitment_id, &c.what, status, u.body);
    crate::robots::announce(&mut *tx, crate::robots::Topic::Minutes, dept, &told).await?;
    let audience = queries::commitment_audience(&mut *tx, c.commitment_id).await?;
    let link = format!("/commitments/{}", c.commitment_id);
    notify(&mut *tx, &audience, actor, "notify.reception.commitment_update", &c.what, &link).await?;
    tx.commit().await?;
    state.cached.commitment_records.clear();
    Ok(())
}
