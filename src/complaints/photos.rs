//! Reading the multipart complaint form, storing its photos, and serving them
//! only to those who may see the complaint.

use axum::{
    body::Bytes,
    extract::{multipart::Multipart, Query, State},
    response::Response,
};

use super::{forms::ComplaintForm, handlers::can_see, queries, ComplaintPhotoPath};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    uploads,
    web::{MaybeUser, Path},
};

pub const MAX_PHOTOS: usize = 5;

/// The text fields and the chosen files; unknown fields are ignored.
pub async fn read_form(multipart: Multipart) -> Result<(ComplaintForm, Vec<Bytes>), Response> {
    let (fields, photos) = uploads::read_multipart(multipart, "photos").await?;
    let mut form = ComplaintForm::default();
    for (name, text) in fields {
        match name.as_str() {
            "category" => form.category = text,
            "title" => form.title = text,
            "location" => form.location = text,
            "description" => form.description = text,
            "visibility" => form.visibility = text,
            "anonymous" => form.anonymous = Some(text),
            _ => {}
        }
    }
    Ok((form, photos))
}

/// Check and re-encode every photo off the async runtime; the first problem is a catalogue key.
pub async fn process_all(photos: Vec<Bytes>) -> AppResult<Result<Vec<uploads::Processed>, &'static str>> {
    uploads::process_all(photos, MAX_PHOTOS).await.map_err(AppError::Internal)
}

/// A photo of a complaint the viewer may see; 404 for everyone else, whatever the id.
pub async fn show_photo(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path(ComplaintPhotoPath { tracking_no, photo_id }): Path<ComplaintPhotoPath>,
    Query(q): Query<uploads::SizeQuery>,
) -> AppResult<Response> {
    let c = queries::fetch_complaint(&state.db, &tracking_no).await?.ok_or(AppError::NotFound)?;
    if !can_see(&c, viewer.as_deref()) {
        return Err(AppError::NotFound);
    }
    let photos = queries::list_photos(&state.db, c.complaint_id).await?;
    let photo = photos.iter().find(|p| p.photo_id == photo_id).ok_or(AppError::NotFound)?;
    let name = if q.thumb() { &photo.thumb_name } else { &photo.file_name };
    uploads::photo_response(&state.config.storage, name, c.is_public).await
}
