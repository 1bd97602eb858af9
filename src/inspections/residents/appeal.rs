//! A resident's appeal: text and one photo, on a published result of their own room within
//! the round's department's appeal days, once per room per term (the database's
//! `inspection_appeal_once` decides a race; its refusal is a message, never a 500).

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
    inspections::{
        model::Term,
        paths::ResultPath,
        queries::appeals::{self, NewAppeal},
    },
    uploads,
    web::{context::redirect_with_flash, forms::multi_line, forms::FORM, CurrentUser, FormErrors, Layout, Path},
};

/// Whether the database refused a row for this constraint.
fn violates(e: &sqlx::Error, constraint: &str) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.constraint() == Some(constraint))
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
    let mut errors = FormErrors::default();
    let body = errors.take("body", multi_line(&typed, 1000, true));
    if !result.appeal_open {
        errors.add(FORM, "inspections.room.error.window_closed");
    }
    state.limits.photos.check(&user.user_id, files.len() as u32)?;
    let photos = match uploads::process_all(files, 1).await.map_err(AppError::Internal)? {
        Ok(p) if errors.is_empty() => p,
        Ok(_) => vec![],
        Err(key) => {
            errors.add("photo", key);
            vec![]
        }
    };
    if !errors.is_empty() {
        return page(&state, layout, user.user_id, Retry { result_id, errors, typed }).await;
    }
    let data_dir = &state.config.data_dir;
    let stored = uploads::store_all(data_dir, &photos).await.map_err(|e| AppError::Internal(e.into()))?;
    let term = Term::of(result.held_on).key();
    let appeal = NewAppeal {
        result_id,
        room_id: result.room_id,
        term: &term,
        filed_by: user.user_id,
        body: &body,
        photo: stored.first(),
    };
    let mut tx = state.db.begin().await?;
    let appeal_id = match appeals::insert_appeal(&mut *tx, &appeal).await {
        Ok(id) => id,
        Err(e) => {
            uploads::remove_all(data_dir, &stored).await;
            if violates(&e, "inspection_appeal_once") {
                let errors = FormErrors::one(FORM, "inspections.room.error.once_per_term");
                return page(&state, layout, user.user_id, Retry { result_id, errors, typed }).await;
            }
            return Err(e.into());
        }
    };
    let after =
        json!({ "result_id": result_id, "term": term, "photo": !stored.is_empty(), "body": audit::clip(&body) });
    let dept = Some(result.department_id);
    let object = appeal_id.to_string();
    audit::record(
        &mut *tx,
        Some(user.user_id),
        dept,
        Action::InspectionAppeal,
        "inspection_appeal",
        &object,
        None,
        Some(after),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_with_flash("/me/room", "flash.inspections.room.appealed", None))
}
