//! Photos a room shares for the 寝室文化节: opt-in, one at a time, withdrawn at any time by a
//! resident of that room (and only that room).

use axum::{
    extract::{Multipart, State},
    response::Response,
};
use serde_json::json;

use super::room::{page, Retry};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    inspections::{model::Term, paths::PhotoPath, queries::residents},
    uploads,
    web::{context::redirect_with_flash, forms::today, CurrentUser, FormErrors, Layout, Path},
};

pub async fn share_photo(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    multipart: Multipart,
) -> AppResult<Response> {
    let (_, files) = match uploads::read_multipart(multipart, "share_photo").await {
        Ok(read) => read,
        Err(rejection) => return Ok(rejection),
    };
    residents::fetch_my_room(&state.db, user.user_id).await?.ok_or(AppError::NotFound)?;
    state.limits.photos.check(&user.user_id, files.len() as u32).await?;
    let refused =
        |key: &'static str| Retry { result_id: 0, errors: FormErrors::one("share_photo", key), typed: String::new() };
    let photos = match uploads::process_all(files, 1).await.map_err(AppError::Internal)? {
        Ok(p) if p.is_empty() => return page(&state, layout, user.user_id, refused("form.required")).await,
        Ok(p) => p,
        Err(key) => return page(&state, layout, user.user_id, refused(key)).await,
    };
    let storage = &state.config.storage;
    let stored = uploads::store_all(storage, &photos).await.map_err(|e| AppError::Internal(e.into()))?;
    let term = Term::of(today()).key();
    let Some(first) = stored.first() else {
        return Err(AppError::Internal(anyhow::anyhow!("a stored photo went missing")));
    };
    let Some(photo_id) = residents::insert_shared_photo(&state.db, user.user_id, &term, first).await? else {
        uploads::remove_all(storage, &stored).await;
        return page(&state, layout, user.user_id, refused("inspections.room.error.too_many_photos")).await;
    };
    record_share(&state, user.user_id, photo_id, json!({ "term": term, "shared": true })).await?;
    Ok(redirect_with_flash("/me/room", "flash.inspections.room.photo_shared", None))
}

/// Sharing and withdrawing are the resident's own choices: audited, but under no department.
async fn record_share(state: &AppState, user_id: i64, photo_id: i64, after: serde_json::Value) -> AppResult<()> {
    let (action, object) = (Action::InspectionPhotoShare, photo_id.to_string());
    audit::record(&state.db, Some(user_id), None, action, "dorm_room_photo", &object, None, Some(after)).await?;
    Ok(())
}

pub async fn withdraw_photo(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(PhotoPath { photo_id }): Path<PhotoPath>,
) -> AppResult<Response> {
    let (file, thumb) =
        residents::delete_shared_photo(&state.db, user.user_id, photo_id).await?.ok_or(AppError::NotFound)?;
    let storage = &state.config.storage;
    uploads::remove(storage, &file).await;
    uploads::remove(storage, &thumb).await;
    record_share(&state, user.user_id, photo_id, json!({ "shared": false })).await?;
    Ok(redirect_with_flash("/me/room", "flash.inspections.room.photo_withdrawn", None))
}
