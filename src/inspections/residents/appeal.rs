//! A resident's appeal: text and one photo, on a published result of their own room within
//! the round's department's appeal days, once per room per term (the database's
//! `inspection_appeal_once` decides a race; its refusal is a message, never a 500).

use axum::{
    body::Bytes,
    extract::{Multipart, State},
    response::Response,
};
use serde_json::json;

use super::room::{page, Retry};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    inspections::{
        model::Term,
        paths::ResultPath,
        queries::appeals::{self, Appealable, NewAppeal},
    },
    notifications::queries::notify,
    uploads,
    web::{context::redirect_with_flash, forms::multi_line, forms::FORM, CurrentUser, FormErrors, Layout, Path},
};

/// Whether the database refused a row for this constraint.
fn violates(e: &sqlx::Error, constraint: &str) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.constraint() == Some(constraint))
}

/// The appeal's text and photo, checked: within the days, the text there, the photo an image.
async fn checked(
    state: &AppState,
    user_id: i64,
    result: &Appealable,
    typed: &str,
    files: Vec<Bytes>,
) -> AppResult<Result<(String, Vec<uploads::Processed>), FormErrors>> {
    let mut errors = FormErrors::default();
    let body = errors.take("body", multi_line(typed, 1000, true));
    if !result.appeal_open {
        errors.add(FORM, "inspections.room.error.window_closed");
    }
    state.limits.photos.check(&user_id, files.len() as u32).await?;
    match uploads::process_all(files, 1).await.map_err(AppError::Internal)? {
        Ok(photos) if errors.is_empty() => return Ok(Ok((body, photos))),
        Ok(_) => {}
        Err(key) => errors.add("photo", key),
    }
    Ok(Err(errors))
}

/// The appeal and its audit entry, together; a second appeal this term is a message.
async fn record(
    state: &AppState,
    user_id: i64,
    result: &Appealable,
    body: &str,
    stored: &[uploads::StoredPhoto],
) -> AppResult<Result<(), FormErrors>> {
    let term = Term::of(result.held_on).key();
    let appeal = NewAppeal {
        result_id: result.result_id,
        room_id: result.room_id,
        term: &term,
        filed_by: user_id,
        body,
        photo: stored.first(),
    };
    let mut tx = state.db.begin().await?;
    let appeal_id = match appeals::insert_appeal(&mut *tx, &appeal).await {
        Ok(id) => id,
        Err(e) if violates(&e, "inspection_appeal_once") => {
            return Ok(Err(FormErrors::one(FORM, "inspections.room.error.once_per_term")));
        }
        Err(e) => return Err(e.into()),
    };
    let after = json!({
        "result_id": result.result_id, "term": term, "photo": !stored.is_empty(), "body": audit::clip(body),
    });
    let (dept, object) = (Some(result.department_id), appeal_id.to_string());
    let action = Action::InspectionAppeal;
    audit::record(&mut *tx, Some(user_id), dept, action, "inspection_appeal", &object, None, Some(after)).await?;
    // Those who decide are told, with the appeal days running.
    let (slug, deciders) = appeals::appeal_deciders(&mut *tx, result.department_id).await?;
    let (day, link) = (result.held_on.to_string(), format!("/d/{slug}/inspections/appeals"));
    notify(&mut *tx, &deciders, Some(user_id), "notify.inspections.appeal_filed", &day, &link).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

#[tracing::instrument(skip_all, fields(result_id))]
pub async fn file_appeal(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    Path(ResultPath { result_id }): Path<ResultPath>,
    multipart: Multipart,
) -> AppResult<Response> {
    let (fields, files) = match uploads::read_multipart(multipart, "photo").await {
        Ok(read) => read,
        Err(rejection) => return Ok(rejection),
    };
    let result = appeals::fetch_appealable(&state.db, user.user_id, result_id).await?.ok_or(AppError::NotFound)?;
    let typed = fields.into_iter().find(|(k, _)| k == "body").map(|(_, v)| v).unwrap_or_default();
    let (body, photos) = match checked(&state, user.user_id, &result, &typed, files).await? {
        Ok(checked) => checked,
        Err(errors) => return page(&state, layout, user.user_id, Retry { result_id, errors, typed }).await,
    };
    let storage = &state.config.storage;
    let stored = uploads::store_all(storage, &photos).await.map_err(|e| AppError::Internal(e.into()))?;
    let recorded = record(&state, user.user_id, &result, &body, &stored).await;
    if !matches!(recorded, Ok(Ok(()))) {
        // Nothing was saved: leave no orphan files behind.
        uploads::remove_all(storage, &stored).await;
    }
    match recorded? {
        Ok(()) => Ok(redirect_with_flash("/me/room", "flash.inspections.room.appealed", None)),
        Err(errors) => page(&state, layout, user.user_id, Retry { result_id, errors, typed }).await,
    }
}
