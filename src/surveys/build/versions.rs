//! A new version (a copy of the questionnaire and its questions, the old one closed to
//! answers), and publishing results once the window has closed. Both release any
//! anonymous answers still waiting for their batch (see `anonymity`).

use axum::{extract::State, response::Response};

use super::{base, own_survey};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    surveys::{paths::SurveyPath, queries},
    web::{context::redirect_with_flash, DeptAccess, Path},
};

pub async fn new_version(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(p): Path<SurveyPath>,
) -> AppResult<Response> {
    let s = own_survey(&state, &access, p.survey_id).await?;
    let mut tx = state.db.begin().await?;
    let new_id = queries::insert_new_version(&mut *tx, s.survey_id, access.dept.department_id)
        .await?
        .ok_or(AppError::Conflict("surveys.superseded"))?;
    queries::copy_questions(&mut tx, s.survey_id, new_id).await?;
    queries::release_pending(&mut *tx, s.survey_id).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/{new_id}", base(&access)), "flash.surveys.new_version", None))
}

pub async fn publish(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(p): Path<SurveyPath>,
) -> AppResult<Response> {
    let s = own_survey(&state, &access, p.survey_id).await?;
    let mut tx = state.db.begin().await?;
    if !queries::update_published(&mut *tx, s.survey_id, access.dept.department_id).await? {
        return Err(AppError::Conflict("surveys.publish_after_close_conflict"));
    }
    queries::release_pending(&mut *tx, s.survey_id).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/{}/results", base(&access), s.survey_id), "flash.surveys.published", None))
}
