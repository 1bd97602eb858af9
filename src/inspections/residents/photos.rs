//! The private photos of inspections: a deduction's (the room's residents once the round is
//! published, the inspections desks' members, the round's inspectors) and an appeal's (the
//! room's residents and the desks' members). Who may see is decided in the SQL; everyone
//! else, signed in or not, gets the same 404, whatever the id.

use axum::{
    extract::{Query, State},
    response::Response,
};

use crate::{
    app::AppState,
    error::{AppError, AppResult},
    inspections::{
        paths::{AppealPath, DeductionPath},
        queries::{appeals, residents},
    },
    uploads::{self, SizeQuery},
    web::{MaybeUser, Path},
};

async fn respond(state: &AppState, found: Option<(String, String)>, q: &SizeQuery) -> AppResult<Response> {
    let (full, thumb) = found.ok_or(AppError::NotFound)?;
    uploads::photo_response(&state.config.storage, if q.thumb() { &thumb } else { &full }, false).await
}

pub async fn deduction_photo(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path(DeductionPath { deduction_id }): Path<DeductionPath>,
    Query(q): Query<SizeQuery>,
) -> AppResult<Response> {
    let viewer = viewer.ok_or(AppError::NotFound)?;
    let found = residents::fetch_deduction_photo(&state.db, deduction_id, viewer.user_id).await?;
    respond(&state, found, &q).await
}

pub async fn appeal_photo(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path(AppealPath { appeal_id }): Path<AppealPath>,
    Query(q): Query<SizeQuery>,
) -> AppResult<Response> {
    let viewer = viewer.ok_or(AppError::NotFound)?;
    let found = appeals::fetch_appeal_photo(&state.db, appeal_id, viewer.user_id).await?;
    respond(&state, found, &q).await
}
